"""Casualties and claimed equipment losses, as numbers with their evidence spans."""

from __future__ import annotations

import re
from dataclasses import dataclass

from clashmap import trace

WORD_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
                "dozens": 24, "a dozen": 12, "dozen": 12, "several": 3, "thirty": 30, "forty": 40, "fifty": 50,
                "hundred": 100, "a hundred": 100, "hundreds": 200}
_NUM = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+|" + "|".join(sorted((re.escape(w) for w in WORD_NUMBERS), key=len, reverse=True)) + r")"

EQUIPMENT = [
    ("tanks", r"tanks?"),
    ("armored vehicles", r"(?:other\s+)?(?:armou?red (?:vehicles?|personnel carriers?|combat vehicles?)|APCs?|BMPs?|infantry fighting vehicles?)"),
    ("soft-skinned vehicles", r"soft-skinned vehicles?"),
    ("UAVs", r"(?:UAVs?|drones?|unmanned aerial vehicles?)"),
    ("helicopters", r"helicopters?"),
    ("aircraft", r"(?:aircraft|warplanes?|jets?|planes?|fighter jets?)"),
    ("artillery", r"(?:artillery (?:pieces?|systems?|guns?|units?)|howitzers?|cannons?)"),
    ("rocket launchers", r"(?:multiple )?rocket launchers?|MLRS|(?:Grad|Smerch) (?:launchers?|systems?)"),
    ("air defense systems", r"air defen[cs]e (?:systems?|units?)|anti-aircraft systems?"),
    ("vehicles", r"(?:military )?(?:vehicles?|trucks?)"),
]
_LOSS = re.compile(rf"\b(?P<n>{_NUM})\s+(?P<what>" + "|".join(f"(?P<k{i}>{p})" for i, (_, p) in enumerate(EQUIPMENT)) + r")\b",
                   re.IGNORECASE)
_PEOPLE = r"(?:people|persons|civilians?|soldiers?|servicemen|servicemembers|troops|fighters|militants|rebels|" \
          r"military personnel|personnel|policemen|police officers|officers|children|women|men|residents|members|" \
          r"villagers|worshippers|students|protesters|demonstrators|gunmen|attackers|insurgents|jihadists|guards|" \
          r"militiamen|militiaman|militia fighters|fighters|border guards|paramilitaries|" \
          r"others)"
# How a qualifier turns the figure N into ACLED-style (low, best, high): the conservative count is
# the best estimate; a bound the text does not give stays None. Editors extend this table, not code.
QUALIFIERS: dict[str, tuple[str, str, str]] = {
    "": ("n", "n", "n"),
    "exactly": ("n", "n", "n"),
    "at least": ("n", "n", "-"),
    "more than": ("n", "n", "-"),
    "over": ("n", "n", "-"),
    "upwards of": ("n", "n", "-"),
    "no fewer than": ("n", "n", "-"),
    "about": ("-", "n", "-"),
    "around": ("-", "n", "-"),
    "some": ("-", "n", "-"),
    "roughly": ("-", "n", "-"),
    "approximately": ("-", "n", "-"),
    "an estimated": ("-", "n", "-"),
    "nearly": ("-", "n", "n"),
    "almost": ("-", "n", "n"),
    "up to": ("-", "n", "n"),
    "as many as": ("-", "n", "n"),
    "fewer than": ("-", "n", "n"),
}
_QUALIFIER = r"(?P<q>" + "|".join(sorted((re.escape(q) for q in QUALIFIERS if q), key=len, reverse=True)) + r")"
_KILLED = r"(?:were |was |have been |had been |are |being )?(?:killed|dead|died|die|slain|lost their lives|perished)"
_ONE = (r"police officer|policeman|soldier|civilian|journalist|photographer|serviceman|militiaman|militia fighter|"
        r"fighter|officer|man|woman|child|boy|girl|teenager")
_FATAL = [
    re.compile(rf"\b(?:between\s+)?(?P<lo>{_NUM})\s+(?:and|to|-|–)\s+(?P<hi>{_NUM})\s+(?:\w+\s+)?{_PEOPLE}\s+{_KILLED}", re.IGNORECASE),
    re.compile(rf"\b(?:{_QUALIFIER}\s+)?(?P<n>{_NUM})\s+(?:\w+\s+){{0,2}}?{_PEOPLE}\s+(?:\w+\s+)?{_KILLED}", re.IGNORECASE),
    re.compile(rf"\b(?:killed|killing|kills|claimed the lives of|left)\s+(?:{_QUALIFIER}\s+)?(?P<n>{_NUM})\s+(?:\w+\s+)?{_PEOPLE}"
               rf"(?:\s+dead)?", re.IGNORECASE),
    re.compile(rf"\bdeath toll\s+(?:\w+\s+){{0,3}}?(?:to|of|at|reached|stands at)\s+(?:{_QUALIFIER}\s+)?(?P<n>{_NUM})", re.IGNORECASE),
    re.compile(rf"\b(?:{_QUALIFIER}\s+)?(?P<n>{_NUM})\s+(?:dead|deaths|fatalities)\b", re.IGNORECASE),
    # "fighting kills 11 in ...", "gunmen kill three police": the count right after the verb
    re.compile(rf"\b(?:kills?|killing|killed)\s+(?:{_QUALIFIER}\s+)?(?P<n>{_NUM})(?:\s+(?:police\b|in\b|as\b|and\b|on\b|at\b|near\b)|"
               rf"\s*(?:[,.;:]|\s-\s|$))", re.IGNORECASE),
    # "Police officer killed", "Ukrainian soldier killed": one person, named in the singular
    re.compile(r"(?:^|[,;:]\s+|\b(?:a|an|one)\s+)(?:(?-i:[A-Z])[\w-]+\s+)?(?P<one>" + _ONE + r")\s+"
               r"(?:was\s+|is\s+|has been\s+|reported\s+)?(?:killed|shot dead)\b", re.IGNORECASE),
    # "shelling kills militiaman", "reports death of militia fighter": one person, in the singular
    re.compile(r"\b(?:kills|killed|killing|death of)\s+(?:a\s+|an\s+|one\s+)?(?:(?-i:[A-Z])[\w-]+\s+)?(?P<one>" + _ONE + r")\b",
               re.IGNORECASE),
    # a headline's "One killed in ...", "Two [self-defence] fighters killed": the count right before the verb
    re.compile(rf"\b(?:{_QUALIFIER}\s+)?(?P<n>{_NUM})\s+(?:[\w-]+\s+){{0,2}}?(?:killed|dead)\b", re.IGNORECASE),
]
# A figure that counts no one: a year ("in 2020", "May 2020"), an age ("a 25-year-old"), a unit ("53rd").
_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_NOT_A_COUNT_AFTER = re.compile(r"(?:-|\s)?(?:years?[- ]old|year|st|nd|rd|th)\b|\s*(?:%|per ?cent)", re.IGNORECASE)
_NOT_A_COUNT_BEFORE = re.compile(r"(?:\b(?:in|since|from|until|aged|age|ages|No\.?|number|brigade|unit|battalion|"
                                 r"regiment|division)\s+|[/:.-])$", re.IGNORECASE)


_AND_MORE = re.compile(rf"\s+and\s+(?P<n>{_NUM})\s+(?:[\w-]+\s+){{0,2}}?(?:{_PEOPLE[3:-1]}|contractors?|journalists?|officials?)\b",
                       re.IGNORECASE)


@dataclass(frozen=True)
class Fatalities:
    """low/best/high as ACLED reads a figure: "at least 33" has no high, "about 280" only a best."""

    low: int | None
    best: int
    high: int | None
    start: int
    end: int

    def as_dict(self) -> dict:
        return {"low": self.low, "best": self.best, "high": self.high}


def qualified(n: int, qualifier: str | None) -> tuple[int | None, int, int | None]:
    """(low, best, high) for the figure `n` under `qualifier` ("at least", "about", ...), from QUALIFIERS."""
    rule = QUALIFIERS.get(re.sub(r"\s+", " ", (qualifier or "").lower().strip()), QUALIFIERS[""])
    low, best, high = (n if part == "n" else None for part in rule)
    return low, best if best is not None else n, high


def to_number(token: str) -> int | None:
    token = token.lower().replace(",", "").strip()
    if token.isdigit():
        return int(token)
    return WORD_NUMBERS.get(token)


def find_losses(text: str, start: int = 0, end: int | None = None) -> tuple[dict[str, int], list[tuple[int, int]]]:
    """Equipment counts by kind ('4 tanks, 20 other armored vehicles') and their spans."""
    end = len(text) if end is None else end
    losses: dict[str, int] = {}
    spans = []
    for match in _LOSS.finditer(text, start, end):
        number = to_number(match.group("n"))
        kind = next(EQUIPMENT[i][0] for i in range(len(EQUIPMENT)) if match.group(f"k{i}"))
        if number is None or match.group("n").lower() in ("a", "an"):
            continue
        losses[kind] = losses.get(kind, 0) + number
        spans.append((match.start(), match.end()))
    return losses, spans


def counts_people(text: str, start: int, end: int) -> bool:
    """False for a figure at text[start:end] that is a year, an age, a unit number, a share or a date."""
    token = text[start:end]
    if _YEAR.fullmatch(token):
        return False
    if _NOT_A_COUNT_AFTER.match(text, end):
        return False
    if token[:1].isdigit() and _NOT_A_COUNT_BEFORE.search(text[max(0, start - 12) : start]):
        return False
    return True


def _counting_match(pattern: re.Pattern, text: str, start: int, end: int) -> re.Match | None:
    """The first match of `pattern` whose figures count people; a year or an age is passed over and the
    search goes on right after it ("In May 2020 two soldiers were killed" gives two)."""
    pos = start
    while pos < end:
        match = pattern.search(text, pos, end)
        if match is None:
            return None
        names = [g for g in ("n", "lo", "hi") if match.groupdict().get(g)]
        bad = next((g for g in names if not counts_people(text, match.start(g), match.end(g))), None)
        if bad is None:
            return match
        trace.note("events.numbers", text[match.start(bad):match.end(bad)], "not a count",
                   "a year, an age, a unit number or a date is not a number of people killed", match.start(bad))
        pos = match.end(bad)
    return None


def find_fatalities(text: str, start: int = 0, end: int | None = None) -> Fatalities | None:
    """The fatality figure a sentence gives, as ACLED-style low/best/high."""
    end = len(text) if end is None else end
    for pattern in _FATAL:
        match = _counting_match(pattern, text, start, end)
        if not match:
            continue
        groups = match.groupdict()
        if groups.get("lo"):
            lo, hi = to_number(groups["lo"]), to_number(groups["hi"])
            if lo is None or hi is None:
                continue
            return Fatalities(lo, lo, hi, match.start(), match.end())  # ACLED keeps the lower figure
        n = 1 if groups.get("one") else to_number(groups["n"])
        if n is None:
            continue
        low, best, high = qualified(n, groups.get("q"))
        more = _AND_MORE.match(text, match.end(), end)
        if more and pattern is _FATAL[2] and to_number(more.group("n")):
            # "killing seven Turkish soldiers and a civilian contractor": the victims add up
            extra = to_number(more.group("n"))
            low, best, high = (None if v is None else v + extra for v in (low, best, high))
            return Fatalities(low, best, high, match.start(), more.end())
        return Fatalities(low, best, high, match.start(), match.end())
    return None
