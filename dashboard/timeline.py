"""The timeline: events per day, stacked by event type, with a draggable span selection.

    chart = timeline_chart(events, span=(date(2020, 11, 1), date(2020, 11, 9)))
    st.altair_chart(chart, on_select=callback, key="timeline")

Counts are computed in pandas first, so the chart carries one row per (day, type), never one per event.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

import altair as alt
import pandas as pd

from dashboard.palette import TYPE_COLOURS

SPAN_PARAM = "span"
DAY_MS = 86_400_000


def daily_counts(events: pd.DataFrame) -> pd.DataFrame:
    dated = events.dropna(subset=["event_date"])
    if dated.empty:
        return pd.DataFrame(columns=["day", "event_type", "events"])
    counts = dated.groupby([dated["event_date"].dt.normalize(), "event_type"]).size().reset_index(name="events")
    return counts.rename(columns={"event_date": "day"})


def timeline_chart(events: pd.DataFrame, span: tuple[date, date] | None = None, height: int = 300) -> alt.Chart:
    """A stacked bar chart with an x-interval selection named `span` (initial value from the URL)."""
    counts = daily_counts(events)
    value = {"x": [_ms(span[0]), _ms(span[1])]} if span else alt.Undefined
    brush = alt.selection_interval(encodings=["x"], name=SPAN_PARAM, value=value)
    domain = list(TYPE_COLOURS)
    extra = sorted(set(counts["event_type"]) - set(domain)) if len(counts) else []
    colour = alt.Color("event_type:N", title="Event type",
                       scale=alt.Scale(domain=domain + extra, range=list(TYPE_COLOURS.values()) + ["#7f7f7f"] * len(extra)),
                       legend=alt.Legend(orient="bottom", columns=3, labelLimit=0, symbolType="square"))
    # Whole days and whole events only: no hour ticks on a short span, no 0.5 counts, no "0.000000" when empty.
    x = alt.X("day:T", title="Event date",
              axis=alt.Axis(tickMinStep=DAY_MS, labelOverlap=True, format="%-d %b %Y", labelAngle=0))
    y = alt.Y("sum(events):Q", title="Events per day" if len(counts) else "Events per day (none in this view)",
              axis=alt.Axis(tickMinStep=1, format="d"),
              scale=alt.Scale(domain=[0, 1]) if counts.empty else alt.Undefined)
    return (alt.Chart(counts, height=height)
            .mark_bar()
            .encode(x=x, y=y, color=colour,
                    tooltip=[alt.Tooltip("day:T", title="Day", format="%-d %b %Y"), alt.Tooltip("event_type:N", title="Type"),
                             alt.Tooltip("events:Q", title="Events", format="d")])
            .add_params(brush))


def _ms(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp() * 1000)


def span_from_selection(state) -> tuple[date, date] | None:
    """The selected days from Streamlit's selection state (`{"selection": {"span": {"day": [a, b]}}}`)."""
    try:
        selection = state["selection"][SPAN_PARAM]
    except (KeyError, TypeError):
        return None
    if not selection:
        return None
    values = selection.get("day") if isinstance(selection, dict) else None
    if not values or len(values) != 2:
        return None
    days = [_to_date(v) for v in values]
    if None in days:
        return None
    lo, hi = sorted(days)
    return lo, hi


def _to_date(value) -> date | None:
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value / 1000, tz=timezone.utc).date()
    try:
        return pd.Timestamp(value).date()
    except (ValueError, TypeError):
        return None
