"""The Streamlit dashboard: filters, map, timeline, event list, article view."""
