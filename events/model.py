"""The event record, shaped like ACLED's with the evidence kept."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from articles.model import Article
from geo.gazetteer import PlaceRecord
from geo.resolve import Resolution


@dataclass
class ExtractedEvent:
    """One event found in one article. `evidence` maps each field to the (start, end) spans that justify it."""

    event_date: date | None
    time_precision: int
    event_type: str
    sub_event_type: str
    place: PlaceRecord | None
    geo_precision: int
    text: str
    start: int
    end: int
    paragraph: int
    actor1: str | None = None
    actor2: str | None = None
    fatalities: dict | None = None
    losses: dict[str, int] = field(default_factory=dict)
    claimed_by: str | None = None
    contested: bool = False
    evidence: dict[str, list[tuple[int, int]]] = field(default_factory=dict)

    def key(self) -> str:
        """Identity across articles: the same day, place, type and actors are the same event."""
        place = self.place.id if self.place else "?"
        actors = "|".join(sorted(a for a in (self.actor1, self.actor2) if a))
        return f"{self.event_date}|{place}|{self.event_type}|{actors}"

    def add_evidence(self, name: str, start: int, end: int) -> None:
        spans = self.evidence.setdefault(name, [])
        if (start, end) not in spans:
            spans.append((start, end))


@dataclass
class Reading:
    """What clashmap understood of one article: the pipeline's result, what the store keeps of it."""

    article: Article
    mentions: list[Resolution]
    events: list[ExtractedEvent]
    dateline: Resolution | None = None
    unresolved: list[str] = field(default_factory=list)
    # "" for the full reading; else how the article was read instead and what was skipped (clashmap.long_text)
    read_as: str = ""
