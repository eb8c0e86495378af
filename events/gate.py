"""The event gate: a small fitted model that drops candidate events general news gives by accident.

Every event the rules keep carries signals: its type, whether a type rule or the parsed lexicon gave it, the
kinds of its actors, a toll, a place and a day of its own, a claimant, an armed side in its sentence or in the
story, the story's words of war, words of the context rules (court, crime, accident, sport, history...) in
its sentence and in the story. `features` makes them explicit, a logistic regression fitted on the tuning
halves of the development corpora (`python -m bench.fit_event_gate`) weighs them, and an event whose
probability is under the file's threshold is dropped (`--explain` says so, with its score and the features
that weighed most). The weights are data (`data/event_gate.json`); without that file no event is dropped, and
with `"enforce": false` in it every event is scored and `--explain` says which the gate would drop.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from clashmap import trace
from clashmap.errors import ConfigError

GATE_JSON = Path(__file__).resolve().parent.parent / "data" / "event_gate.json"

# the context rules whose words are read as signals here (data/event_context_rules.csv): the words of a court,
# a crime, an accident, a game, illness or history in the sentence or the story
_SOFT_RULES = ("judicial", "personal", "accident", "sport", "history", "illness", "armed_looting")
_STORY_RULES = ("judicial", "personal", "accident", "sport")
# a feature read from several rules: the anniversary words have their own rule ('commemoration', which leaves
# protests and riots alone), and the fitted 'history' signal still reads them as before
_FEATURE_RULES = {"history": ("history", "commemoration")}

FEATURES: tuple[str, ...] = (
    "type_battles", "type_explosions", "type_civilians", "type_protests", "type_riots", "type_strategic",
    "from_lexicon",
    "actor1_state", "actor1_police", "actor1_group", "actor1_crowd", "actor1_none",
    "actor2_armed", "actor2_civilians",
    "toll", "toll_many", "place_town", "no_place", "own_day", "claimed",
    "armed_in_sentence", "armed_named_in_story", "war_words_story", "war_words_per_sentence",
    *(f"sentence_{name}" for name in _SOFT_RULES),
    *(f"story_{name}" for name in _STORY_RULES),
)

_TYPES = {"Battles": "type_battles", "Explosions/Remote violence": "type_explosions",
          "Violence against civilians": "type_civilians", "Protests": "type_protests", "Riots": "type_riots",
          "Strategic developments": "type_strategic"}


@dataclass(frozen=True)
class Gate:
    weights: dict[str, float]
    bias: float
    threshold: float
    enforce: bool = True  # False: every event is scored and --explain says which the gate would drop; none is

    def score(self, x: dict[str, float]) -> float:
        z = self.bias + sum(self.weights.get(k, 0.0) * v for k, v in x.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


_off: contextvars.ContextVar[bool] = contextvars.ContextVar("clashmap_gate_off", default=False)


@contextlib.contextmanager
def ungated() -> Iterator[None]:
    """Keep every candidate event (the fitting script reads them all, with their features)."""
    token = _off.set(True)
    try:
        yield
    finally:
        _off.reset(token)


def read_model(path: Path, features: tuple[str, ...], what: str) -> Gate:
    """A fitted logistic judgement from its JSON file (weights, bias, threshold, enforce): the event gate's, or the
    article scope's (events/scope.py); a bad file is one ConfigError naming it as `what`."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        weights = {str(k): float(v) for k, v in raw["weights"].items()}
        model = Gate(weights, float(raw["bias"]), float(raw["threshold"]), bool(raw.get("enforce", True)))
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        raise ConfigError(f"{path}: not {what} (weights, bias, threshold): {err}") from None
    unknown = sorted(set(weights) - set(features))
    if unknown:
        raise ConfigError(f"{path}: unknown feature(s) {', '.join(unknown)}; known: {', '.join(features)}")
    return model


@lru_cache(maxsize=4)
def load_gate(path: Path = GATE_JSON) -> Gate | None:
    return read_model(path, FEATURES, "an event gate file") if path.exists() else None


def _actor_kind(name: str | None) -> str:
    if not name:
        return "none"
    if name.startswith("Military Forces"):
        return "state"
    if name.startswith("Police Forces"):
        return "police"
    if name.startswith("Civilians"):
        return "civilians"
    if name.startswith(("Protesters", "Rioters")):
        return "crowd"
    return "group"  # a named rebel, militia or jihadist group, an unidentified armed group


@lru_cache(maxsize=8)
def _story(text: str) -> dict[str, float]:
    """The story's own signals, read once per article."""
    from events.taxonomy import _armed_actor_named, context_rules

    rules = {r.name: r for r in context_rules()}
    out = {"armed_named_in_story": float(_armed_actor_named(text, 0, len(text)) is not None)}
    war = rules.get("belligerent")
    n = sum(1 for _ in war.words.finditer(text)) if war else 0
    sentences = len(_SENTENCE_END.findall(text)) + 1
    out["war_words_story"] = min(math.log1p(n) / math.log(11), 1.0)  # 10 words of war or more: 1
    out["war_words_per_sentence"] = min(n / sentences, 1.0)  # a story about war, not one that mentions it
    for name in _STORY_RULES:
        rule = rules.get(name)
        k = sum(1 for _ in rule.words.finditer(text)) if rule else 0
        out[f"story_{name}"] = min(math.log1p(k) / math.log(6), 1.0)
    return out


_SENTENCE_END = re.compile(r"[.!?][\"”’']?\s+(?=[A-Z\"“])")


def features(event, text: str, from_lexicon: bool = False) -> dict[str, float]:
    """The gate's signals of one event of the story `text` (0..1 each; absent ones are 0)."""
    from events.taxonomy import _armed_party, context_rules

    x = dict(_story(text))
    kind = _TYPES.get(event.event_type)
    if kind:
        x[kind] = 1.0
    x["from_lexicon"] = float(from_lexicon)
    a1, a2 = _actor_kind(event.actor1), _actor_kind(event.actor2)
    x[f"actor1_{a1}"] = 1.0 if a1 != "civilians" else 0.0
    if a1 == "civilians" or a2 == "civilians":
        x["actor2_civilians"] = 1.0
    if a2 in ("state", "police", "group"):
        x["actor2_armed"] = 1.0
    best = (event.fatalities or {}).get("best") or 0
    x["toll"] = float(best > 0)
    x["toll_many"] = float(best >= 5)
    x["place_town"] = float(event.place is not None and event.geo_precision == 1)
    x["no_place"] = float(event.place is None)
    x["own_day"] = float(any(event.start <= s < event.end for s, _ in event.evidence.get("date", ())))
    x["claimed"] = float(bool(event.claimed_by))
    x["armed_in_sentence"] = float(_armed_party(text, event.start, event.end))
    sentence = text[event.start:event.end]
    rules = {r.name: r for r in context_rules()}
    for name in _SOFT_RULES:
        if any(rules[r].words.search(sentence) for r in _FEATURE_RULES.get(name, (name,)) if r in rules):
            x[f"sentence_{name}"] = 1.0
    return {k: v for k, v in x.items() if v}


def apply(events: list, text: str, path: Path = GATE_JSON) -> list:
    """The events the gate keeps (all of them without the weights file `path` or under `ungated()`); each
    event's features are kept on it as `gate_features` and its score as `gate_score` when the gate decides
    (enforce: true), explains (tracing) or is being fitted (`ungated()`)."""
    gate = load_gate(path)
    if not _off.get() and (gate is None or (not gate.enforce and not trace.active())):
        return events  # nothing to decide and nobody to tell: the reading pays nothing (about 2 ms an article)
    kept = []
    for event in events:
        x = features(event, text, getattr(event, "from_lexicon", False))
        event.gate_features = x
        if gate is None:
            kept.append(event)
            continue
        p = gate.score(x)
        event.gate_score = p
        top = sorted(((gate.weights[k] * v, k) for k, v in x.items() if gate.weights.get(k)),
                     key=lambda t: -abs(t[0]))[:4]
        why = ", ".join(f"{k} {w:+.2f}" for w, k in top) or "no signal"
        if p < gate.threshold and not gate.enforce:
            trace.note("events.gate", event.text[:60], f"{event.event_type} / {event.sub_event_type} kept, would be "
                       f"dropped", f"gate score {p:.2f} < {gate.threshold:.2f}, but {path.name} says enforce: false; "
                       f"top features: {why}", event.start)
            kept.append(event)
            continue
        if p < gate.threshold and not _off.get():
            trace.note("events.gate", event.text[:60], f"{event.event_type} / {event.sub_event_type} dropped",
                       f"gate score {p:.2f} < {gate.threshold:.2f} ({path.name}); top features: {why}",
                       event.start)
            continue
        trace.note("events.gate", event.text[:60], "kept", f"gate score {p:.2f} >= {gate.threshold:.2f}; top "
                   f"features: {why}", event.start)
        kept.append(event)
    return kept
