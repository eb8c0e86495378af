"""Roles of resolved mentions: where a report was filed, where something happened, or just named.

"A claim that Kinshasa rejected" names a capital for its government: that is a `mention`, and an
event must not be placed there.
"""

from __future__ import annotations

import re
from dataclasses import replace

from geo import wordlists
from geo.resolve import Resolution

# the words of these lists are data/rule_words.csv's
_GOVERNMENT_VERBS = wordlists.pattern(r"^(?:'s\s+|’s\s+)?(?:\w+\s+)?(?:{{government_verbs}})\b", re.IGNORECASE)
_LOCATIVE = re.compile(r"\b(?:in|into|near|at|outside|inside|across|over|on|around)\s+(?:the\s+)?$", re.IGNORECASE)
_OFFICIALS_IN = wordlists.pattern(r"\b(?:{{officials_nouns}})\s+in\s+$", re.IGNORECASE)


def assign_roles(text: str, resolutions: list[Resolution]) -> list[Resolution]:
    """Mark capitals and countries used for their governments, and countries named in passing, `mention`."""
    out = []
    for res in resolutions:
        role = res.toponym.role
        place = res.place
        if role == "event" and place is not None:
            after = text[res.toponym.end : res.toponym.end + 40]
            before = text[max(0, res.toponym.start - 30) : res.toponym.start]
            is_capital = place.feature_code in ("PPLC", "ADMF")  # ADMF: a seat of government ("the Kremlin")
            if place.kind == "country":
                if not _LOCATIVE.search(before) or _GOVERNMENT_VERBS.match(after.lstrip()):
                    role = "mention"
            elif is_capital and (_GOVERNMENT_VERBS.match(after.lstrip()) or _OFFICIALS_IN.search(before)):
                role = "mention"
        out.append(replace(res, toponym=replace(res.toponym, role=role)) if role != res.toponym.role else res)
    return out
