"""The article's scope: does this story report political violence, protest or military activity (ACLED's scope)?

The event gate (events/gate.py) judges one candidate event at a time; general news that uses words of war
(a price war, a storm that killed twelve, a film about a battle) gives events that look like true ones one by
one. This stage judges the whole article, once, from a few general signals:

- `event_sentences`: the share of the story's sentences that hold a candidate event's trigger, its repeated
  mentions included (a story about violence tells it in most sentences; a business or sport story in one metaphor);
- `armed_agent`: a candidate event's actor1 is an armed side (a state force, a named or unidentified armed group);
- `toll`: a candidate event counts people killed;
- `crowd_agent`: a candidate event is a protest or a riot (ACLED codes protests everywhere, often told in a line
  of a longer story);
- `war_words`: words of war per sentence (data/event_context.csv, rule "belligerent");
- `offtopic_lead`: the lead (first sentence) holds a word of another beat (data/article_scope_words.csv:
  business, weather, science and health, culture, ceremony) or of a lead context rule (sport, trial, fiction,
  commemoration, weapons test; data/event_context_rules.csv);
- `offtopic_share`: the share of sentences holding such words (or a court, crime, accident, history, illness word);
- `crime_story`: words of ordinary crime and no armed actor or crowd named in the story.

A logistic regression fitted on the tuning halves (`python -m bench.fit_article_scope`) weighs them
(data/article_scope.json). An article judged out of scope loses all its events; `--explain` says why, with its
score and the features that weighed most. With `"enforce": false` the article is scored and `--explain` says
what it would do; without the file nothing is judged.
"""

from __future__ import annotations

import contextlib
import contextvars
import csv
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from clashmap import trace
from clashmap.errors import ConfigError
from events.gate import Gate, _off, read_model

SCOPE_JSON = Path(__file__).resolve().parent.parent / "data" / "article_scope.json"
SCOPE_WORDS = Path(__file__).resolve().parent.parent / "data" / "article_scope_words.csv"

# context rules (data/event_context_rules.csv) read here: those framing a story by its lead, and the soft ones
_LEAD_RULES = ("sport_lead", "judicial_lead", "fiction_lead", "commemoration_lead", "weapons_test_lead")
_SOFT_RULES = ("judicial", "sport", "accident", "history", "commemoration", "illness", "personal")
_CRIME_RULES = ("crime_story", "personal")

FEATURES: tuple[str, ...] = ("event_sentences", "armed_agent", "toll", "crowd_agent", "war_words", "offtopic_lead",
                             "offtopic_share", "crime_story")
_SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+[\"”’']?|$)")


_skip: contextvars.ContextVar[bool] = contextvars.ContextVar("clashmap_scope_skip", default=False)


@contextlib.contextmanager
def unscoped() -> Iterator[None]:
    """Read without the article's scope: every event is kept and nothing is judged (to look at the events an
    article gives before the judgement)."""
    token = _skip.set(True)
    try:
        yield
    finally:
        _skip.reset(token)


@lru_cache(maxsize=2)
def scope_words(path: Path = SCOPE_WORDS) -> re.Pattern:
    """The words of beats other than conflict (one pattern); a bad row is one line naming the file and line."""
    forms = []
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            for line, row in enumerate(csv.DictReader(handle), start=2):
                form, kind, reason = ((row.get(k) or "").strip() for k in ("form", "class", "reason"))
                if not form or not kind or not reason:
                    raise ConfigError(f"{path}: line {line}: needs a class, a form and a reason")
                forms.append(form if form.isupper() else form.lower())
    except OSError as err:
        raise ConfigError(f"{path}: cannot be read: {err.strerror}") from err
    if not forms:
        raise ConfigError(f"{path}: no words")
    alts = "|".join(re.escape(f).replace(r"\ ", r"\s+") if not f.isupper() else f"(?-i:{re.escape(f)})"
                    for f in sorted(forms, key=len, reverse=True))
    return re.compile(r"\b(?:" + alts + r")\b", re.IGNORECASE)


def _sentences(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.group().strip()]


def _armed(name: str | None) -> bool:
    return bool(name) and not name.startswith(("Civilians", "Protesters", "Rioters", "Police Forces"))


def features(events: list, text: str) -> dict[str, float]:
    """The article's signals (0..1 each; absent ones are 0) from its text and its candidate events."""
    from events.taxonomy import _armed_actor_named, context_rules

    rules = {r.name: r for r in context_rules()}
    spans = _sentences(text) or [(0, len(text))]
    n = len(spans)
    starts = [a for e in events for a in (e.start, *(a for a, _ in e.evidence.get("event_type", ())))]
    held = {i for a in starts for i, (s, t) in enumerate(spans) if s <= a < t}  # sentences telling an event
    x = {"event_sentences": len(held) / n,
         "armed_agent": float(any(_armed(e.actor1) for e in events)),
         "toll": float(any(((e.fatalities or {}).get("best") or 0) > 0 for e in events))}
    x["crowd_agent"] = float(any(e.event_type in ("Protests", "Riots") or (e.actor1 or "").startswith(
        ("Protesters", "Rioters")) for e in events))
    war = rules.get("belligerent")
    x["war_words"] = min((sum(1 for _ in war.words.finditer(text)) if war else 0) / n, 1.0)
    beat = scope_words()
    lead = text[spans[0][0]:spans[0][1]]
    x["offtopic_lead"] = float(bool(beat.search(lead)) or any(
        rules[r].words.search(lead) for r in _LEAD_RULES if r in rules))
    soft = [rules[r] for r in _SOFT_RULES if r in rules]
    x["offtopic_share"] = sum(1 for s, t in spans if beat.search(text, s, t) or any(
        r.words.search(text, s, t) for r in soft)) / n
    crime = any(rules[r].words.search(text) for r in _CRIME_RULES if r in rules)
    x["crime_story"] = float(crime and not x["crowd_agent"] and _armed_actor_named(text, 0, len(text)) is None
                             and not any(_armed(e.actor1) for e in events))
    return {k: v for k, v in x.items() if v}


@lru_cache(maxsize=4)
def load_scope(path: Path = SCOPE_JSON) -> Gate | None:
    """The fitted weights (data/article_scope.json), read as the event gate's are; None without the file."""
    return read_model(path, FEATURES, "an article scope file") if path.exists() else None


def apply(events: list, text: str, path: Path = SCOPE_JSON) -> list:
    """The article's events, or none when the article is judged out of ACLED's scope (enforce: true). Every
    event carries the article's features as `scope_features` (for the fit) and, when judged, `scope_score`."""
    # under gate.ungated() (the fits, `_off`) everything is kept and described
    if not events or _skip.get():
        return events
    scope = load_scope(path)
    if not _off.get() and (scope is None or (not scope.enforce and not trace.active())):
        return events  # nothing to decide and nobody to tell
    x = features(events, text)
    for event in events:
        event.scope_features = x
    if scope is None:
        return events
    p = scope.score(x)
    for event in events:
        event.scope_score = p
    top = sorted(((scope.weights[k] * v, k) for k, v in x.items() if scope.weights.get(k)),
                 key=lambda t: -abs(t[0]))[:4]
    why = ", ".join(f"{k} {w:+.2f}" for w, k in top) or "no signal"
    subject = f"article ({len(events)} event{'s' if len(events) != 1 else ''})"
    if p >= scope.threshold:
        trace.note("events.scope", subject, "in scope", f"scope score {p:.2f} >= {scope.threshold:.2f}; top "
                   f"features: {why}")
        return events
    if not scope.enforce or _off.get():
        trace.note("events.scope", subject, "kept, would be judged out of scope", f"scope score {p:.2f} < "
                   f"{scope.threshold:.2f}, but {path.name} says enforce: false; top features: {why}")
        return events
    trace.note("events.scope", subject, "out of scope: all its events dropped", f"scope score {p:.2f} < "
               f"{scope.threshold:.2f} ({path.name}); top features: {why}")
    return []
