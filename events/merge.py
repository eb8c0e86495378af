"""Decide when two reports are one event, so an event carries every outlet that reports it.

Outlets disagree by a day at the edges of the night ("overnight", "on Saturday evening" filed
after midnight) and name actors more or less fully, so an exact key (date, place, type,
actors) splits one event into several. The tolerant rule: the same ACLED event type at the
same resolved place, dates at most one day apart, and actors that do not contradict (one
side's actors are a subset of the other's, or one side names none). Events with no resolved
place merge only on the exact key: "somewhere" is not a place two reports can share.

The functions take anything with `event_date`, `event_type`, `actor1`, `actor2` and either a
`place` (an `ExtractedEvent`) or a `place_id` (a stored row), so the store calls them as is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterable, TypeVar

MAX_DAYS_APART = 1

T = TypeVar("T")


@dataclass(frozen=True)
class Signature:
    """What identifies an event across articles."""

    event_date: date | None
    event_type: str
    place_id: int | None
    actors: frozenset[str]


def signature(event) -> Signature:
    place_id = getattr(event, "place_id", None)
    if place_id is None and getattr(event, "place", None) is not None:
        place_id = event.place.id
    # victims are named more or less precisely ("civilians", "Civilians (AZ)"): the armed actors decide
    actors = frozenset(a for a in (event.actor1, event.actor2) if a and not a.startswith("Civilians"))
    return Signature(event.event_date, event.event_type, place_id, actors)


def date_window(event, days: int = MAX_DAYS_APART) -> tuple[date, date] | None:
    """The range of dates a stored event may have to be the same as `event` (None: no date, no window)."""
    if event.event_date is None:
        return None
    return event.event_date - timedelta(days=days), event.event_date + timedelta(days=days)


def same_event(a, b, days: int = MAX_DAYS_APART) -> bool:
    """True when `a` and `b` are reports of one event under the tolerant rule above."""
    sa, sb = signature(a), signature(b)
    if sa.event_type != sb.event_type or sa.place_id is None or sa.place_id != sb.place_id:
        return False
    if sa.event_date is None or sb.event_date is None or abs(sa.event_date - sb.event_date) > timedelta(days=days):
        return False
    return not sa.actors or not sb.actors or sa.actors <= sb.actors or sb.actors <= sa.actors


def best_match(event, candidates: Iterable[T], days: int = MAX_DAYS_APART) -> T | None:
    """The candidate `event` should merge into: same-day first, then the one sharing the most actors."""
    target = signature(event)
    matching = [c for c in candidates if same_event(event, c, days)]
    if not matching:
        return None

    def rank(candidate) -> tuple[int, int]:
        other = signature(candidate)
        return abs((other.event_date - target.event_date).days), -len(other.actors & target.actors)

    return min(matching, key=rank)
