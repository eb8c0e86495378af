"""Place resolution on the project's own event gold set (bench/events_gold): acc@50km per event place.

Each gold event names its place in the editors' words ("Tartar district", "Fuzuli and Jabrayil
districts", "Balyun (south of Idlib province)", "Hodeidah airport"). The names in it are read out
(kind words, "south of" and parentheses stripped, "X and Y" split); a gold place counts as right when
a mention of one of those names in the article is resolved within 50 km of the gold point. When the
article never writes any of the names (the gold says "Moscow" where the text says "the Kremlin"),
any mention resolved within 50 km counts; a name the article does write must be found itself. Each (article, place) pair counts once.
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from bench.geoparse_score import km

GOLD_DIR = Path(__file__).resolve().parent / "events_gold"
MAX_KM = 50.0
_KIND_WORDS = re.compile(
    r"\b(?:districts?|provinces?|regions?|areas?|directions?|airport|air base|ridge|countryside|front|sector|"
    r"line of contact|military camp)\b", re.IGNORECASE)
_DIRECTION = re.compile(r"^(?:(?:the\s+)?(?:southern|northern|eastern|western)\s+(?:front|sector)\s+of\s+(?:the\s+)?|"
                        r"(?:the\s+)?(?:south|north|east|west)\s+of\s+)", re.IGNORECASE)


def place_names(gold_place: str) -> list[str]:
    """The place names inside an editor's description of an event place."""
    names = []
    parts = [gold_place.split("(")[0], *re.findall(r"\(([^)]*)\)", gold_place)]
    for part in parts:
        part = _DIRECTION.sub("", part.strip())
        part = _KIND_WORDS.sub("", part)
        for name in re.split(r",|\band\b", part):
            name = _DIRECTION.sub("", name.strip()).strip()
            if name:
                names.append(name)
    return names


@dataclass
class EventPlaceScore:
    right: int = 0
    wrong: list[str] = field(default_factory=list)       # found, resolved elsewhere or unresolved
    missing: list[str] = field(default_factory=list)     # the article's mentions do not include the place

    @property
    def total(self) -> int:
        return self.right + len(self.wrong) + len(self.missing)

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 0.0


def score_reading(name: str, gold: dict, text: str, mentions, score: EventPlaceScore) -> None:
    from geo.names import normalize_name, query_key

    plain = f" {normalize_name(text)} "

    seen = set()
    for event in gold.get("events", []):
        if event.get("lat") is None or event["place"] in seen:
            continue
        seen.add(event["place"])
        keys = {query_key(n) for n in place_names(event["place"])}
        named = [m for m in mentions if keys & {query_key(n) for n in place_names(m.toponym.text)}]
        written = any(f" {normalize_name(n)} " in plain for n in place_names(event["place"]))
        pool = named or ([] if written else mentions)  # a name the article writes must itself be found
        near = [m for m in pool if m.place is not None
                and km(event["lat"], event["lon"], m.place.lat, m.place.lon) <= MAX_KM]
        if near:
            score.right += 1
        elif named:
            got = ", ".join(sorted({f"{m.place.name} {m.place.country_code}" if m.place else "unresolved"
                                    for m in named}))
            score.wrong.append(f"{name}: {event['place']} -> {got}")
        else:
            score.missing.append(f"{name}: {event['place']}")


def evaluate(folder: Path = GOLD_DIR) -> EventPlaceScore:
    """Read every gold article through the real Pipeline (temporary store) and score its event places."""
    from articles.reader import read_file
    from clashmap.pipeline import Pipeline
    from store.db import open_store

    score = EventPlaceScore()
    with tempfile.TemporaryDirectory(prefix="clashmap-events-places-") as tmp:
        pipeline = Pipeline(open_store(f"sqlite:///{tmp}/store.sqlite"), corrections={})
        for path in sorted(folder.glob("*.txt")):
            gold_file = path.with_suffix(".json")
            if not gold_file.exists():
                continue
            reading = pipeline.read(read_file(path)[0])
            gold = json.loads(gold_file.read_text(encoding="utf-8"))
            score_reading(path.stem, gold, reading.article.text, reading.mentions, score)
    return score


def print_summary(score: EventPlaceScore, details: bool = True) -> None:
    print(f"events gold event places: {score.right}/{score.total} within {MAX_KM:.0f} km = acc@50km "
          f"{score.accuracy:.3f} ({len(score.wrong)} resolved wrongly or not at all, {len(score.missing)} not found)")
    if details:
        for line in score.wrong:
            print(f"  wrong: {line}")
        for line in score.missing:
            print(f"  not found: {line}")


if __name__ == "__main__":
    print_summary(evaluate())
