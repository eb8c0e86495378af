"""Resolve the dates news copy gives ("on Sunday", "overnight", "September 27th") to calendar days.

Everything is resolved against the publication date and never lands after it: a weekday is
the most recent one, a date without a year is in the past year when needed. Explicit dates go
through `dateparser`; the news conventions it does not know are rules here. Precision follows
ACLED: 1 a day, 2 a week, 3 a month.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from articles.calendar import MONTH_PATTERN, month_number

SCHEDULED_DAYS = 60  # a year-less date this close after publication is a plan, not last year's news
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = MONTH_PATTERN
_ORD = r"\d{1,2}(?:st|nd|rd|th)?"
_PART = r"(?:\s+(?:morning|afternoon|evening|night))?"
_LAST_YEAR = r",?\s+(?:of\s+)?last\s+year"  # "May 26 last year": the year before publication's, whatever the month

_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("iso", re.compile(r"\b\d{4}-\d{2}-\d{2}\b")),
    ("explicit", re.compile(rf"\b(?:{MONTHS}\s+{_ORD}(?:,?\s+\d{{4}}|{_LAST_YEAR})?|{_ORD}\s+(?:of\s+)?{MONTHS}(?:,?\s+\d{{4}}|{_LAST_YEAR})?)\b", re.IGNORECASE)),
    ("night_of", re.compile(rf"\b(?:on\s+)?the\s+night\s+of\s+(?:(?P<wd>{'|'.join(WEEKDAYS)})|(?P<md>{MONTHS}\s+{_ORD}|{_ORD}\s+{MONTHS}))"
                            rf"(?:\s+(?:to|into|and)\s+\w+(?:\s+\d{{1,2}})?)?", re.IGNORECASE)),
    ("last_weekday", re.compile(rf"\blast\s+(?P<wd>{'|'.join(WEEKDAYS)}){_PART}\b", re.IGNORECASE)),
    ("weekday", re.compile(rf"\b(?:(?:early|late)\s+)?(?P<wd>{'|'.join(WEEKDAYS)}){_PART}\b", re.IGNORECASE)),
    ("yesterday", re.compile(r"\b(?:yesterday|last night)\b", re.IGNORECASE)),
    ("today", re.compile(r"\b(?:today|this (?:morning|afternoon|evening)|tonight)\b", re.IGNORECASE)),
    ("day_before", re.compile(r"\b(?:a day earlier|the (?:previous|preceding) (?:day|night|evening)|the day before|a day before|the night before)\b", re.IGNORECASE)),
    # "a day later", "the next morning", "two days later": counted from the story's last date, so only with one
    ("day_after", re.compile(r"\b(?:a\s+day\s+later|the\s+(?:next|following)\s+(?:day|morning|afternoon|evening|night)|"
                             r"(?P<n>two|three|four|five|six|\d)\s+days\s+later)\b", re.IGNORECASE)),
    ("overnight", re.compile(r"\b(?:overnight|over(?:\s+the)?\s+night|during the night|through the night)\b", re.IGNORECASE)),
    ("days_ago", re.compile(r"\b(?P<n>two|three|four|five|six|\d)\s+days\s+(?:ago|earlier)\b", re.IGNORECASE)),
    ("same_day", re.compile(r"\b(?:the same (?:night|day|evening|morning)|that (?:night|evening|morning)|later that day|"
                            r"hours (?:later|earlier))\b", re.IGNORECASE)),
    ("week_before", re.compile(r"\ba week (?:earlier|before|ago)\b", re.IGNORECASE)),
    ("month_name", re.compile(rf"\b(?:in|since|during|from)\s+(?P<part>early|mid|late|mid-)?-?\s*(?P<month>{MONTHS})(?:\s+(?P<year>\d{{4}}))?\b(?!\s+\d)",
                              re.IGNORECASE)),
    ("week", re.compile(r"\b(?:last|past|previous)\s+week\b|\bearlier\s+this\s+week\b", re.IGNORECASE)),
    ("month", re.compile(r"\bearlier\s+this\s+month\b|\b(?:last|past|previous)\s+month\b", re.IGNORECASE)),
]
_NAME_AFTER = re.compile(r"\s+(?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|The|A|An|In|On|At)\b)[A-Z][a-z]")
_ATTRIBUTIVE = re.compile(r"\s+(?!of\b|and\b|to\b|in\b|at\b|on\b)[a-z]")
# "will meet on Friday", "will convene rare Friday sessions": a weekday after "will" and its verb is the coming one
_FUTURE_BEFORE = re.compile(r"\b(?:will|shall|'ll)\s+(?:not\s+)?(?:[\w-]+\s+){1,4}$", re.IGNORECASE)
_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


@dataclass(frozen=True)
class DateMention:
    """A date expression found in text and the day it means."""

    text: str
    start: int
    end: int
    date: date
    precision: int
    kind: str  # explicit | weekday | relative | anchored (follows the story's last date)


def _weekday_on_or_before(day: date, weekday: int) -> date:
    return day - timedelta(days=(day.weekday() - weekday) % 7)


_UNDATED_BASE = date(2000, 1, 1)  # the day year-less dates are read from when an article has no publication date
_PLAIN_DATE = re.compile(r"(?:(?P<month>[A-Za-z]+)\s+(?P<day>\d{1,2})|(?P<day2>\d{1,2})\s+(?P<month2>[A-Za-z]+))"
                         r"(?:,?\s+(?P<year>\d{4}))?")


def _plain_date(cleaned: str, published: date | None) -> date | None:
    """"March 5", "5 March 2024" read directly (what dateparser gives them); None for anything else, left to
    dateparser: its first call costs about a second and a half (locale data, time-zone patterns)."""
    match = _PLAIN_DATE.fullmatch(cleaned)
    if match is None:
        return None
    month = month_number(match.group("month") or match.group("month2"))
    day = int(match.group("day") or match.group("day2"))
    if month is None or (month, day) == (2, 29):
        return None
    if match.group("year"):
        year = int(match.group("year"))
        # a year written out is dateparser's answer from 1000 on ("March 17, 1884": checked on 5,760 forms of
        # 20 years between 1000 and 9999): a history's date must not cost the process dateparser's first call
        if year < 1000:
            return None
    elif published:
        year = published.year
    else:  # no publication date: dateparser's answer from its base day, the latest such day up to it
        year = _UNDATED_BASE.year if (month, day) <= (_UNDATED_BASE.month, _UNDATED_BASE.day) else _UNDATED_BASE.year - 1
    if not match.group("year") and not 1900 <= year <= 2100:
        return None
    try:
        return date(year, month, day)
    except ValueError:  # "April 31": dateparser's answer, whatever it is
        return None


@lru_cache(maxsize=4096)
def parse_explicit(expression: str, published: date | None) -> date | None:
    """A calendar date written out, with the year filled in so it is not after `published`."""
    last_year = re.search(_LAST_YEAR + r"$", expression, re.IGNORECASE)
    if last_year:
        if published is None:
            return None
        day = parse_explicit(expression[:last_year.start()], date(published.year - 1, 12, 31))
        try:
            return day.replace(year=published.year - 1) if day else None
        except ValueError:  # 29 February of a year without one
            return None
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", expression)
    cleaned = re.sub(r"\bof\s+", "", cleaned).replace(".", "")
    result = _plain_date(cleaned, published)
    if result is None:
        import dateparser

        base = datetime.combine(published or _UNDATED_BASE, datetime.min.time())
        parsed = dateparser.parse(cleaned, languages=["en"],
                                  settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past",
                                            "REQUIRE_PARTS": ["day", "month"]})
        if parsed is None:
            return None
        result = parsed.date()
    if published and not re.search(r"\d{4}", expression):
        try:
            result = result.replace(year=published.year)  # the year of publication unless that is ahead of it
        except ValueError:  # 29 February
            pass
    if published and result > published and not re.search(r"\d{4}", expression):
        if (result - published).days <= SCHEDULED_DAYS:
            return None  # "patrols begin on March 15": a date announced ahead, not an event day
        result = result.replace(year=result.year - 1)
    return result


def find_dates(text: str, published: date | None, start: int = 0, end: int | None = None,
               anchor: date | None = None) -> list[DateMention]:
    """Date expressions in `text[start:end]`, resolved; `anchor` is the story's last date so far."""
    end = len(text) if end is None else end
    segment = text[start:end]
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(segment):
            s, e = match.start() + start, match.end() + start
            if any(s < te and ts < e for ts, te in taken):
                continue
            if kind == "explicit" and (_NAME_AFTER.match(text, e) or _ATTRIBUTIVE.match(text, e)
                                       and text[max(0, s - 4):s].lower() == "the "):
                continue  # "the June 5 Movement", "the November 10 ceasefire statement": a name, not the day
            if kind == "weekday" and _FUTURE_BEFORE.search(text, max(0, s - 50), s):
                continue  # "lawmakers will convene rare Friday sessions": the coming Friday, no day of the news
            try:
                resolved = _resolve(kind, match, published, anchor)
            except (OverflowError, ValueError):  # "yesterday" of 0001-01-01, "in July" of year 1: no such day
                resolved = None
            if resolved is None:
                continue
            day, precision, how = resolved
            if published and day > published:
                continue
            found.append(DateMention(text[s:e], s, e, day, precision, how))
            taken.append((s, e))
    return sorted(found, key=lambda d: d.start)


def _resolve(kind: str, match: re.Match, published: date | None, anchor: date | None):
    if kind == "iso":
        try:
            return date.fromisoformat(match.group(0)), 1, "explicit"
        except ValueError:
            return None
    if kind == "explicit":
        day = parse_explicit(match.group(0), published)
        return (day, 1, "explicit") if day else None
    if published is None:
        return None
    if kind == "night_of":
        if match.group("wd"):
            return _weekday_on_or_before(published, WEEKDAYS.index(match.group("wd").lower())), 1, "weekday"
        day = parse_explicit(match.group("md"), published)
        return (day, 1, "explicit") if day else None
    if kind == "last_weekday":
        day = _weekday_on_or_before(published - timedelta(days=1), WEEKDAYS.index(match.group("wd").lower()))
        return day, 1, "weekday"
    if kind == "weekday":
        return _weekday_on_or_before(published, WEEKDAYS.index(match.group("wd").lower())), 1, "weekday"
    if kind == "yesterday":
        return published - timedelta(days=1), 1, "relative"
    if kind == "today":
        return published, 1, "relative"
    if kind == "day_before":
        return ((anchor or published) - timedelta(days=1)), 1, "anchored" if anchor else "relative"
    if kind == "day_after":
        if anchor is None:
            return None  # later than what? with no date told before it, no day can be counted
        n = match.group("n")
        return anchor + timedelta(days=(_NUMBERS.get(n.lower()) or int(n)) if n else 1), 1, "anchored"
    if kind == "overnight":
        # the night that began on the story's last day, or the night before publication
        return (anchor, 1, "anchored") if anchor else (published - timedelta(days=1), 1, "relative")
    if kind == "days_ago":
        n = _NUMBERS.get(match.group("n").lower()) or int(match.group("n"))
        return published - timedelta(days=n), 1, "relative"
    if kind == "same_day":
        return (anchor, 1, "anchored") if anchor else (published, 1, "relative")
    if kind == "week_before":
        return (anchor or published) - timedelta(days=7), 2, "anchored" if anchor else "relative"
    if kind == "month_name":
        return _month_only(match, published)
    if kind == "week":
        return published - timedelta(days=7 if "earlier" not in match.group(0).lower() else 3), 2, "relative"
    if kind == "month":
        if "earlier" in match.group(0).lower():
            return published.replace(day=1), 3, "relative"
        last_month_end = published.replace(day=1) - timedelta(days=1)
        return last_month_end.replace(day=1), 3, "relative"
    return None


_PART_DAY = {"early": 1, "mid": 15, "mid-": 15, "late": 25}


def _month_only(match: re.Match, published: date):
    """'In July', 'since early April': a month (precision 3), in the past year unless the year is given."""
    month = month_number(match.group("month"))
    year = int(match.group("year")) if match.group("year") else published.year
    day = _PART_DAY.get((match.group("part") or "").lower(), 1)
    result = date(year, month, day)
    if result > published and not match.group("year"):
        result = date(year - 1, month, day)
    return result, 3, "relative"


BACKGROUND_CSV = Path(__file__).resolve().parent.parent / "data" / "event_background_dates.csv"
# a month-only date this long before publication ("in March 2014") recalls the past; news tells of days
BACKGROUND_DAYS = 60


@lru_cache(maxsize=2)
def _background_cues(path: Path = BACKGROUND_CSV) -> re.Pattern:
    import csv

    from clashmap.errors import ConfigError

    try:
        with path.open(encoding="utf-8") as handle:
            cues = [row["cue"].strip() for row in csv.DictReader(handle) if (row.get("cue") or "").strip()]
    except (OSError, KeyError) as err:
        raise ConfigError(f"{path}: cannot be read as a CSV with a 'cue' column ({err})") from err
    words = "|".join(sorted((re.escape(c).replace(r"\ ", r"\s+") for c in cues), key=len, reverse=True))
    return re.compile(rf"\b(?:{words})\s+(?:the\s+|a\s+|its\s+|their\s+)?(?:\w+\s+)?(?:on\s+|of\s+|in\s+)?$", re.IGNORECASE)


def recalled_by_cue(text: str, mention: DateMention) -> bool:
    """Whether a cue of `data/event_background_dates.csv` stands before the date ("on the anniversary of")."""
    return bool(_background_cues().search(text[max(0, mention.start - 40) : mention.start]))


def background_reason(text: str, mention: DateMention, published: date | None) -> str | None:
    """Why `mention` dates something the story recalls rather than its event, or None: an anniversary or a
    span's start before it (`data/event_background_dates.csv`), or a month long before publication."""
    cue = _background_cues().search(text[max(0, mention.start - 40) : mention.start])
    if cue:
        return f"'{cue.group(0).strip()}' before it: a date the story recalls"
    if long_past(mention, published):
        return "a month long before publication: background"
    return None


# a day this long before publication ("on July 9, 2015" in a 2018 story, "May 26 last year") is recalled, not news
BACKGROUND_DAY_DAYS = 180


def long_past(mention: DateMention, published: date | None) -> bool:
    """A month-only date long before publication ("In July, a truck bomb ..." in a December story), or a day
    half a year or more before it ("detained on July 9, 2015" in a 2018 story)."""
    if not published:
        return False
    days = (published - mention.date).days
    return days > BACKGROUND_DAYS if mention.precision >= 3 else days > BACKGROUND_DAY_DAYS
