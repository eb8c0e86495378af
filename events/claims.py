"""Who says so, and whether the article reports a denial or a contrary account.

Claimants are people and organisations (ministries, spokesmen, officials, groups), never a place: a capital
or a country that is the subject of a speech verb is its government ("Kyiv said" -> 'Government of Ukraine',
ACLED's name), any other bare place name is no claimant. Countries, demonyms and capitals come from the
country table (the gazetteer's, as for `events.actors`), so the rules read the same for every war.
"""

from __future__ import annotations

import re
import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from clashmap import trace
from clashmap.errors import ConfigError
from geo import wordlists

_VERBS = r"(?:said|says|say|reported|reports|claimed|claims|announced|announces|stated|states|confirmed|confirms|" \
         r"alleged|alleges|insisted|insists|wrote|told|added|noted|declared|tweeted|posted)"
_NAME_WORD = r"(?:(?:al|el|ad|as|ash|ibn|bin|bint|abu|de|van|von|da|di)-)?[A-Z][\w’'\-.]*"  # "al-Burhan"
_WHO = rf"(?:the\s+)?(?:{_NAME_WORD}|of|the|for|and|de|al)(?:[\s,]+(?:{_NAME_WORD}|of|the|for|and|de|al)){{0,9}}"
_PATTERNS = [
    re.compile(rf"(?P<who>(?:[A-Z][\w’'\-]+\s+){{1,3}}(?:officials|authorities|military|army|sources|city council|"
               rf"council|governor|mayor|police|prosecutors?|emergency service))\s*,?\s+(?:has\s+|had\s+|also\s+)?{_VERBS}\b"),
    re.compile(r"(?P<who>[A-Z][a-z]+(?:'s|’s)?\s+[Dd]efen[cs]e [Mm]inistry)(?:'s|’s)?\b"),
    re.compile(rf"\b[Aa]ccording to\s+(?P<who>(?:the\s+)?(?:local\s+)?(?:sources|residents|witnesses|activists|officials|ministry)\b|{_WHO})"),
    re.compile(rf"(?P<who>{_WHO}|[Ll]ocal sources|[Rr]esidents|[Ww]itnesses|[Aa]ctivists|[Oo]fficials|[Tt]he ministry)"
               rf",?\s+(?:has\s+|had\s+|also\s+)?{_VERBS}\b"),
    re.compile(rf"\b{_VERBS}\s+(?P<who>the\s+[A-Z][\w’'\-]*(?:\s+(?:[A-Z][\w’'\-]*|of|the)){{0,6}})"),
    re.compile(rf"(?P<who>{_WHO})[’']s\s+(?:announcement|claim|statement|report)\b"),
]
SOURCES_CSV = Path(__file__).resolve().parent.parent / "data" / "claim_sources.csv"


@lru_cache(maxsize=2)
def source_nouns(path: Path = SOURCES_CSV) -> tuple[str, ...]:
    """data/claim_sources.csv: the common nouns that speak in reported speech ("the army said", "according to
    police", a headline's "- officials"), written in lower case in the copy and so missed by the name patterns."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(enumerate(csv.DictReader(handle), start=2))
    except OSError as err:
        raise ConfigError(f"{path}: cannot be read ({err.strerror})") from None
    nouns = []
    for line, row in rows:
        source, reason = (row.get("source") or "").strip(), (row.get("reason") or "").strip()
        if not source or not reason:
            raise ConfigError(f"{path}: line {line}: needs a source and a reason")
        nouns.append(source)
    return tuple(sorted(nouns, key=len, reverse=True))


def _source_patterns() -> list[re.Pattern]:
    nouns = "(?:" + "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in source_nouns()) + ")"
    mods = r"(?:[\w’'.-]+\s+){0,3}?"
    return [
        # "..., the army said", "Police said ...", "..., a military spokesman told reporters"
        re.compile(rf"(?:^|(?<=[,;:] )|(?<=[\"“”] ))(?P<who>(?:the\s+|a\s+|an\s+)?{mods}(?i:{nouns}))\s*,?\s+"
                   rf"(?:has\s+|had\s+|also\s+|later\s+)?{_VERBS}\b"),
        # "according to police", "according to the regional military command"
        re.compile(rf"\b[Aa]ccording to\s+(?P<who>(?:the\s+)?{mods}(?i:{nouns}))\b"),
        # the verb first: "..., said the army", "..., said a police spokesman in Gao"
        re.compile(rf"(?<=[,;] ){_VERBS}\s+(?P<who>(?:the\s+|a\s+|an\s+)?{mods}(?i:{nouns}))\b"),
        # a headline's attribution at its end: "... - police", "...: officials", "... - army HQ"
        re.compile(rf"(?:\s[-–—]\s+|:\s+)(?P<who>(?:the\s+)?{mods}(?i:{nouns}))\s*[.!]?\s*$"),
    ]


_TITLES = re.compile(r"^(?:the\s+)?(?:(?:[A-Z][\w.’'-]*|U\.S\.)\s+)?"
                     r"(?:President|Prime Minister|Defen[cs]e Minister|Foreign Minister|Interior Minister|spokes(?:man|woman|person)|"
                     r"Press Secretary|aide|presidential aide|Minister)\s+", re.IGNORECASE)
_MINISTRY = re.compile(r"(?P<dem>[A-Z]\w+)?\s*Ministry of Defen[cs]e(?: of (?:the )?(?P<country>[A-Z]\w+))?")
_LEADING_TIME = re.compile(r"^(?:(?:On|Late|Early|Last)\s+)?(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
                           r"(?:\s+(?:morning|afternoon|evening|night))?|Hours later|Later|Meanwhile|However|But|And)\s*,?\s+")
_A_TIME = re.compile(r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|"
                    r"July|August|September|October|November|December|Today|Yesterday|Tonight)(?:\s+\w+)?", re.IGNORECASE)
_MINISTRY_LOWER = re.compile(r"(?P<dem>[A-Z][a-z]+?)(?:'s|’s)?\s+(?:[Dd]efen[cs]e [Mm]inistry)\b")
_NOT_CLAIMANTS = {"it", "he", "she", "they", "the", "this", "that", "there", "video footage", "and", "but", "or", "while",
                  "which", "who"}
_DENIAL = wordlists.pattern(r"\b(?:{{denial_words}})\b", re.IGNORECASE)  # data/rule_words.csv


# A denial that points back at something already told ("dismissed the claim", "denied it").
_BACK = re.compile(r"\W*(?:\w+\W+){0,2}?(?:the|this|that|these|those|such|it|its|his|their|(?-i:[A-Z])[\w-]+['’]s)\b"
                   r"(?:\W+\w+)?\W*(?:claims?|reports?|announcement|account|allegations?|accusations?|statement|it|this|that)\b",
                   re.IGNORECASE)


def refers_back(denial: re.Match, text: str) -> bool:
    """True when the denial's object is an earlier report rather than something in its own sentence."""
    return bool(_BACK.match(text, denial.end(), denial.end() + 50))


@lru_cache(maxsize=1)
def _demonyms_by_country() -> dict[str, str]:
    from events.actors import load_table

    table = load_table()
    best: dict[str, str] = {}
    for key, code in table.owners.items():
        if table.owner_kind.get(key) == "demonym" and (code not in best or len(key) < len(best[code])):
            best[code] = key
    return {code: " ".join(w.capitalize() for w in key.split()) for code, key in best.items()}


def _place_kind(name: str) -> tuple[str, str] | None:
    """('country' | 'capital' | 'demonym', ISO code) when `name` is one in the country table."""
    from events.actors import _key, load_table

    table = load_table()
    key = _key(name)
    code = table.owners.get(key)
    return (table.owner_kind[key], code) if code else None


def demonym_of(name: str) -> str | None:
    """'Azerbaijan' -> 'Azerbaijani', 'Sudanese' -> 'Sudanese'; None for a name that is neither."""
    kind = _place_kind(name)
    if kind is None or kind[0] == "capital":
        return None
    return name if kind[0] == "demonym" else _demonyms_by_country().get(kind[1])


_ORGANISATION = wordlists.pattern(r"\b(?:{{organisation_words}})\b")  # data/rule_words.csv


def claimant_not_place(claimant: str, at: int | None = None) -> str | None:
    """A capital or country as the subject of a speech verb is its government (ACLED's 'Government of X');
    another place's bare name is no claimant (a city does not speak)."""
    kind = _place_kind(claimant)
    if kind is not None:
        if kind[0] == "demonym":
            return claimant
        from events.actors import country_name

        government = f"Government of {country_name(kind[1])}"
        trace.note("events.claims", claimant, government, f"a {kind[0]} that speaks is its government", at)
        return government
    if _ORGANISATION.search(claimant) or len(claimant.split()) > 3:
        return claimant
    from events.actors import _gazetteer

    places = _gazetteer().lookup(claimant)
    if places and places[0].kind in ("city", "region") and places[0].population >= 5000 \
            and _gazetteer().has_main_key(_key_of(claimant)):
        trace.note("events.claims", claimant, "no claimant", f"a place ({places[0].name}, {places[0].country_code}) "
                   "is not a source", at)
        return None
    return claimant


def _key_of(name: str) -> str:
    from geo.names import normalize_name

    return normalize_name(name)


@dataclass(frozen=True)
class Claim:
    claimant: str
    start: int
    end: int


def normalise_claimant(who: str) -> str | None:
    """'the Press Secretary of the Armenian Ministry of Defense, Shushan Stepanyan' -> 'Armenian Ministry of Defense'."""
    who = who.strip(" ,.;:“”\"")
    who = _LEADING_TIME.sub("", who)
    lowercase = _MINISTRY_LOWER.search(who)
    if lowercase:  # "Azerbaijan's defence ministry", "the Armenian defense ministry"
        side = lowercase.group("dem")
        side = demonym_of(side) or side
        return f"{side} Ministry of Defense"
    if re.fullmatch(r"(?:the\s+)?defen[cs]e\s+ministry", who, flags=re.IGNORECASE):
        return "Ministry of Defense"  # "the defence ministry said": the story's ministry, named as above
    ministry = _MINISTRY.search(who)
    if ministry:
        demonym = ministry.group("dem")
        country = ministry.group("country")
        if country:
            demonym = demonym_of(country) or country
        if demonym and demonym.lower() in ("the", "of"):
            demonym = None
        return f"{demonym} Ministry of Defense" if demonym else "Ministry of Defense"
    who = re.split(r",\s+", who)[0] if not re.search(r"\bof\b", who.split(",")[0]) or "," not in who else who.split(",")[0]
    who = _TITLES.sub("", who).strip()
    who = re.sub(r"^(?:the|an?)\s+", "", who, flags=re.IGNORECASE)
    if not who or who.lower() in _NOT_CLAIMANTS or len(who) < 3 or _A_TIME.fullmatch(who):
        return None  # ("on Sunday, said the army": the day is no claimant)
    return who[0].upper() + who[1:] if who.islower() else who


def _core_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The claimant's span without a leading time phrase or article ("On Sunday, the ...")."""
    who = text[start:end]
    lead = _LEADING_TIME.match(who)
    cut = lead.end() if lead else 0
    article = re.match(r"[Tt]he\s+", who[cut:])
    cut += article.end() if article else 0
    while end > start + cut and text[end - 1] in " ,.;:":
        end -= 1
    return start + cut, end


def find_claim(text: str, start: int = 0, end: int | None = None) -> Claim | None:
    """The source a sentence attributes its report to."""
    end = len(text) if end is None else end
    for pattern in _PATTERNS + _lowercase_sources():
        for match in pattern.finditer(text, start, end):
            claimant = normalise_claimant(match.group("who"))
            if claimant:
                claimant = claimant_not_place(claimant, match.start("who"))
            if claimant:
                lo, hi = _core_span(text, match.start("who"), match.end("who"))
                return Claim(claimant, _with_title(text, start, lo), hi)
    return None


@lru_cache(maxsize=1)
def _title_before() -> re.Pattern:
    """The title and organisation written before a speaker's name ("police spokesman Mark Dunn", "the army's
    spokeswoman Ana Reyes"): the source nouns of data/claim_sources.csv, up to three words before the last."""
    nouns = "(?:" + "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in source_nouns()) + ")"
    return re.compile(rf"(?:\b(?:the|a|an)\s+)?(?:[\w’'.-]+\s+){{0,3}}?(?i:{nouns})\s+$")


def _with_title(text: str, bound: int, at: int) -> int:
    """The start of a claimant's span taken back over its title and organisation: a claimant named with its
    function is one source ("police spokesman Mark Dunn said"), the organisation no side of the event."""
    if at >= len(text) or not text[at].isupper():
        return at
    lo = max(bound, at - 60)
    cut = re.search(r"[,;:.!?\"“”()]", text[lo:at][::-1])
    lo = at - cut.start() if cut else lo
    found = _title_before().search(text, lo, at)
    return found.start() if found else at


@lru_cache(maxsize=1)
def _lowercase_sources() -> list[re.Pattern]:
    return _source_patterns()


def is_contested(text: str, start: int = 0, end: int | None = None) -> re.Match | None:
    """A denial or contrary account in the span, if any (its match is the evidence)."""
    end = len(text) if end is None else end
    return _DENIAL.search(text, start, end)


def contest_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Every denial or contrary account in the span ("despite X's announcement", "still in firm control")."""
    end = len(text) if end is None else end
    return [(m.start(), m.end()) for m in _DENIAL.finditer(text, start, end)]
