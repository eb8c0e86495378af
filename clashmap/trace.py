"""Why each decision was taken: the trace `clashmap extract --explain` prints.

Every stage that keeps or drops a name, chooses a candidate, types an event or picks its date, place,
actors or numbers says so with `note(stage, subject, outcome, reason, at=offset)`. Outside `tracing()` a
note costs one context-variable lookup and records nothing, so stages note freely.

A leaf module like `clashmap.settings` and `clashmap.errors`: `articles`, `geo`, `events` and `store`
may import it without an import cycle.

    with tracing() as trace:
        reading = pipeline.read(article)
    for decision in trace.decisions:
        print(decision.line())
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Decision:
    stage: str  # dotted: "toponyms.filter", "resolve.choose", "events.type", "events.date", ...
    subject: str  # what the decision is about: a name, a sentence's start, an event's trigger
    outcome: str  # "kept", "dropped", "Ganja (AZ) 40.68,46.36", "Armed clashes", ...
    reason: str  # one plain sentence: the rule or the evidence that decided it
    at: int | None = None  # character offset in the article's text, when there is one

    def line(self) -> str:
        where = f"@{self.at} " if self.at is not None else ""
        return f"[{self.stage}] {where}{self.subject!r}: {self.outcome} ({self.reason})"


@dataclass
class Trace:
    decisions: list[Decision] = field(default_factory=list)

    def of(self, prefix: str) -> list[Decision]:
        """The decisions of one stage or family of stages (`"events"` gives events.type, events.date, ...)."""
        return [d for d in self.decisions if d.stage == prefix or d.stage.startswith(prefix + ".")]


_current: contextvars.ContextVar[Trace | None] = contextvars.ContextVar("clashmap_trace", default=None)


def note(stage: str, subject: str, outcome: str, reason: str, at: int | None = None) -> None:
    """Record one decision in the active trace; nothing happens outside `tracing()`."""
    trace = _current.get()
    if trace is not None:
        trace.decisions.append(Decision(stage, subject, outcome, reason, at))


def active() -> bool:
    """True inside `tracing()`: for stages whose reason is costly to write out."""
    return _current.get() is not None


@contextlib.contextmanager
def tracing() -> Iterator[Trace]:
    trace = Trace()
    token = _current.set(trace)
    try:
        yield trace
    finally:
        _current.reset(token)
