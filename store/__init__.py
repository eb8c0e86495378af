"""The store: articles, mentions, places, events and the geocode cache, through SQLAlchemy."""
