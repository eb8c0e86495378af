"""Roles of resolved mentions: where a report was filed, where something happened, or just named.

"A claim that Kinshasa rejected" names a capital for its government: that is a `mention`, and an
event must not be placed there.
"""

from __future__ import annotations

import re
from dataclasses import replace

from geo.resolve import Resolution

_GOVERNMENT_VERBS = re.compile(
    r"^(?:'s\s+|’s\s+)?(?:\w+\s+)?(?:said|says|say|rejected|rejects|denied|denies|claimed|claims|accused|accuses|"
    r"announced|announces|insisted|insists|brokered|warned|warns|confirmed|responded|condemned|condemns|"
    r"demanded|demands|called|calls|urged|urges|blamed|blames|dismissed|dismisses|has|have|had|would|will|"
    r"officials|authorities|government|leadership|sees|views|wants|hopes|backs|supports|recognized|"
    r"recognised|refused|agreed|signed|sent)\b", re.IGNORECASE)
_LOCATIVE = re.compile(r"\b(?:in|into|near|at|outside|inside|across|over|on|around)\s+(?:the\s+)?$", re.IGNORECASE)
_OFFICIALS_IN = re.compile(r"\b(?:officials|authorities|diplomats|leaders|government)\s+in\s+$", re.IGNORECASE)


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
