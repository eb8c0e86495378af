"""Casualties and claimed equipment losses, as numbers with their evidence spans."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from clashmap import trace
from clashmap.errors import ConfigError
from geo import wordlists

DATA = Path(__file__).resolve().parent.parent / "data"
NUMBERS_CSV = DATA / "event_numbers.csv"
PEOPLE_CSV = DATA / "event_numbers_people.csv"
HURT_CSV = DATA / "event_numbers_hurt.csv"


def _rows(path: Path, columns: tuple[str, ...]) -> list[tuple[int, tuple[str, ...]]]:
    """(line, values of `columns`) of a rules CSV; an unreadable file is a ConfigError naming it."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return [(line, tuple((row.get(c) or "").strip() for c in columns))
                    for line, row in enumerate(csv.DictReader(handle), start=2)]
    except OSError as err:
        raise ConfigError(f"{path}: cannot be read ({err.strerror})") from None


@lru_cache(maxsize=2)
def number_words(path: Path = NUMBERS_CSV) -> tuple[dict[str, int], frozenset[str]]:
    """data/event_numbers.csv: word -> the count it stands for, and the vague words ("dozens", "several"),
    whose figure is ACLED's conservative reading of a vague estimate (see each row's reason)."""
    words: dict[str, int] = {}
    vague: set[str] = set()
    for line, (word, value, is_vague, reason) in _rows(path, ("word", "value", "vague", "reason")):
        if not word or not value.isdigit() or is_vague not in ("yes", "no") or not reason:
            raise ConfigError(f"{path}: line {line}: needs a word, a whole-number value, vague yes/no and a reason")
        words[word.casefold()] = int(value)
        if is_vague == "yes":
            vague.add(word.casefold())
    # compounds of the table's own tens and units ("forty-nine", "twenty one"), so that "Forty-nine soldiers"
    # is 49, not the "nine" after its hyphen
    tens = {w: v for w, v in words.items() if w.isalpha() and w not in vague and v in range(20, 100, 10)}
    units = {w: v for w, v in words.items() if w.isalpha() and len(w) > 2 and w not in vague and v in range(1, 10)}
    for ten, t in tens.items():
        for unit, u in units.items():
            words.setdefault(f"{ten}-{unit}", t + u)
            words.setdefault(f"{ten} {unit}", t + u)
    return words, frozenset(vague)


@lru_cache(maxsize=2)
def people_nouns(path: Path = PEOPLE_CSV) -> dict[str, tuple[str, ...]]:
    """data/event_numbers_people.csv: the nouns that name people killed, by grammatical number."""
    nouns: dict[str, list[str]] = {"singular": [], "plural": []}
    for line, (noun, number, reason) in _rows(path, ("noun", "number", "reason")):
        if not noun or number not in nouns or not reason:
            raise ConfigError(f"{path}: line {line}: needs a noun, a number (singular or plural) and a reason")
        nouns[number].append(noun.casefold())
    return {k: tuple(v) for k, v in nouns.items()}


@lru_cache(maxsize=2)
def hurt_words(path: Path = HURT_CSV) -> tuple[str, ...]:
    """data/event_numbers_hurt.csv: the words that tell of the wounded, whose figures are no toll (ACLED counts
    no injuries)."""
    words = []
    for line, (word, reason) in _rows(path, ("word", "reason")):
        if not word or not reason:
            raise ConfigError(f"{path}: line {line}: needs a word and a reason")
        words.append(word.casefold())
    return tuple(words)


def _alternatives(words) -> str:
    """One group matching any of `words` (a space any run of spaces), the longer word first where two start alike
    ("a dozen" before "a"), written as a tree of shared beginnings (see `_tree`)."""
    return "(?:" + _tree([_atoms(w) for w in sorted(words, key=lambda w: len(_flat(w)), reverse=True)]) + ")"


def _flat(word: str) -> str:
    return re.escape(word).replace(r"\ ", r"\s+")


def _atoms(word: str) -> tuple[str, ...]:
    return tuple(r"\s+" if c == " " else re.escape(c) for c in word)


def _tree(words: list[tuple[str, ...]]) -> str:
    """The alternation of `words` (atom tuples, in the order to try them) with shared beginnings factored out:
    "sold(?:iers|ier)" instead of "soldiers|soldier". The words that can match at one place in a text are
    beginnings of one another, tried longest first in both forms, so the two find the same matches. The tree is
    cheaper: the regex engine tried each noun of the list at every word after a figure ("a", "two"), and the
    fatality patterns took 5.3% of the 54 gold articles' CPU, 2% as trees (README, Performance, eleventh round)."""
    children: dict[str, list[tuple[str, ...]]] = {}
    ends = False
    for word in words:
        if word:
            children.setdefault(word[0], []).append(word[1:])
        else:
            ends = True
    branches = [atom if not any(rest) else f"{atom}(?:{_tree(rest)})" for atom, rest in children.items()]
    return "|".join(branches + ([""] if ends else []))


WORD_NUMBERS, VAGUE_WORDS = number_words()
_NUM = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+|" + _alternatives(WORD_NUMBERS)[3:-1] + r")"

EQUIPMENT_CSV = DATA / "event_numbers_equipment.csv"


@lru_cache(maxsize=2)
def equipment_kinds(path: Path = EQUIPMENT_CSV) -> tuple[tuple[str, str], ...]:
    """data/event_numbers_equipment.csv: the kinds of equipment a side claims destroyed, each with its pattern, in
    the order they are tried (the generic 'vehicles' last)."""
    kinds = []
    for line, (kind, pattern, reason) in _rows(path, ("kind", "pattern", "reason")):
        if not kind or not pattern or not reason:
            raise ConfigError(f"{path}: line {line}: needs a kind, a pattern and a reason")
        try:
            re.compile(pattern)
        except re.error as err:
            raise ConfigError(f"{path}: line {line}: the pattern is not a regular expression ({err})") from None
        kinds.append((kind, pattern))
    return tuple(kinds)


EQUIPMENT = equipment_kinds()
_LOSS = re.compile(rf"\b(?P<n>{_NUM})\s+(?P<what>" + "|".join(f"(?P<k{i}>{p})" for i, (_, p) in enumerate(EQUIPMENT)) + r")\b",
                   re.IGNORECASE)
_SINGULAR = _alternatives(people_nouns()["singular"])
_PLURAL = _alternatives(people_nouns()["plural"])
_PEOPLE = r"(?:" + _PLURAL[3:-1] + "|" + _SINGULAR[3:-1] + ")"  # plural first: "servicemen" before "serviceman"
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
# ("were shot dead", "were stoned and burned to death", "was lynched": verbs that tell the manner of death)
# ("were reported dead": a report of the deaths; "had been 'neutralised'": the euphemism armies use for enemies
# killed, quoted or not, which issue 11's world reports code as deaths)
_KILLED = (r"(?:were |was |have been |had been |are |being )?(?:reported |confirmed )?"
           r"(?:killed|dead|died|die|slain|lost their lives|perished|['‘\"“]?neutrali[sz]ed\b['’\"”]?|"
           r"shot dead|shot and killed|gunned down|lynched|(?:shot|stabbed|beaten|hacked|burned|burnt|stoned)"
           r"(?: and (?:burned|burnt|beaten|stabbed|hacked))? to death)")
_HURT = _alternatives(hurt_words())
# verbs of killing besides "kill", in the same places as its forms ("beheaded two farmers", "massacred villagers")
# killing words of data/rule_words.csv (lists slaughter_verbs, to_death_verbs) inside the toll patterns below
_SLAUGHTER = wordlists.alternatives("slaughter_verbs")
_TO_DEATH = wordlists.alternatives("to_death_verbs")
# the words of an "of" phrase before the verb of dying are no verb of saying ("Member of the team said ... killed")
_NOT_SAYING = r"(?!(?:said|says|say|told|reported|claims?|claimed)\b)"
_W = r"[\w'’-]+"  # a word that qualifies the noun: "Ukrainian", "LPR", "military’s"
_WI = rf"(?!{_HURT}\b){_W}"  # the same in a list of victims: "killed 8 villagers, wounded 5 people" lists no 5
_Q = _QUALIFIER.replace("(?P<q>", "(?:")
_ITEM = (rf"(?:(?:{_Q}\s+)?{_NUM}\s+(?:{_WI}\s+){{0,3}}?{_PEOPLE}|(?:(?:a|an|one)\s+)?(?:{_WI}\s+){{0,2}}?{_SINGULAR}|"
         rf"(?:{_WI}\s+){{0,2}}?{_PLURAL})(?![\w'’-])")
_SEP = r"(?:\s*,\s*(?:and\s+)?|\s+and\s+)"
# one item of a list of victims, read one by one: a count ("two soldiers"), one person named in the singular
# ("civilian"), or a plural with no count of its own ("34 soldiers, civilians": the count is shared)
_ITEM_PARTS = re.compile(rf"(?:{_QUALIFIER}\s+)?(?P<n>{_NUM})\s+(?:{_W}\s+){{0,3}}?{_PEOPLE}(?![\w'’-])|"
                         rf"(?:(?:a|an|one)\s+)?(?:{_W}\s+){{0,2}}?(?P<one>{_SINGULAR})(?![\w'’-])|"
                         rf"(?:(?!{_NUM}\s){_W}\s+){{0,2}}?(?P<many>{_PLURAL})(?![\w'’-])", re.IGNORECASE)
# ("his two sons": the figure is the item's own, the words before a plural are no figure)
_DIED = r"(?:killed|shot dead|dead|dies|died|slain)"
# after "soldier killed" / "rebels killed" with no "was"/"were": no object follows ("rebels killed the chief"
# tells who killed, not who died): the clause ends or a preposition or conjunction comes next
_NO_OBJECT = (r"(?=\s*$|\s*[,.;:!?\"'(–—-]|\s+(?:in|on|at|near|as|by|during|after|before|when|while|and|amid|over|from|since|"
              r"despite|following|outside|inside|along|for|with|within|today|yesterday|overnight|last|this|early|late|"
              r"reportedly)\b)")
# "killed seven soldiers" (and a contractor: _AND_MORE): a row of _FATAL, and read again on its own
_KILLED_N = re.compile(rf"\b(?:kill|killed|killing|kills|shot dead|shot and killed|gunned down|claimed the lives of|left|{_SLAUGHTER}|(?:killings?|deaths?|murders?) of)\s+(?:{_QUALIFIER}\s+)?(?P<n>{_NUM})\s+"
                       rf"(?:{_W}\s+){{0,2}}?{_PEOPLE}(?:\s+dead)?", re.IGNORECASE)
# (kind, pattern): "list" adds up its victims, "range" is lo..hi, "count" a figure, "one" a person named in
# the singular, "plural" people named in the plural with no figure (the least a plural means: two).
_FATAL: list[tuple[str, re.Pattern]] = [
    # "Two soldiers, one rebel killed", "Soldier and civilian killed", "death of civilian, 2 militiamen"
    ("list", re.compile(rf"(?:(?<=^)|(?<=[\s:;(]))(?P<list>{_ITEM}(?:{_SEP}{_ITEM})+)\s+(?:{_W}\s+)?{_KILLED}\b",
                        re.IGNORECASE)),
    ("list", re.compile(rf"\bdeaths?\s+of\s+(?P<list>{_ITEM}(?:{_SEP}{_ITEM})+)", re.IGNORECASE)),
    # "gunmen killed a farmer and his wife", "killing two soldiers and a civilian": the victims after the verb
    # (not "... and three civilians were wounded": the wounded are no toll)
    # (not "killed six residents, a community leader said": the last person is the source, not a victim)
    ("list", re.compile(rf"\b(?:kill|kills|killed|killing|shot dead|{_SLAUGHTER})\s+(?P<list>{_ITEM}(?:{_SEP}{_ITEM})+)"
                        rf"(?!\s+(?:were|was|are|had been|have been)\s+(?:\w+\s+)?(?:wounded|injured|hurt))"
                        rf"(?!\s+(?:said|says|told|added|reported)\b)", re.IGNORECASE)),
    # "Five civilians including two children die": the first figure holds the second
    ("count", re.compile(rf"\b(?:{_QUALIFIER}\s+)?(?P<n>{_NUM})\s+(?:{_W}\s+){{0,2}}?{_PEOPLE},?\s+(?:including|among them)\s+"
                         rf"[^.;:]*?{_KILLED}\b", re.IGNORECASE)),
    ("range", re.compile(rf"\b(?:between\s+)?(?P<lo>{_NUM})\s+(?:and|to|-|–)\s+(?P<hi>{_NUM})\s+(?:\w+\s+)?{_PEOPLE}\s+{_KILLED}",
                         re.IGNORECASE)),
    # ("14 fighters from both sides were killed": the sides counted together)
    ("count", re.compile(rf"\b(?:{_QUALIFIER}\s+)?(?P<n>{_NUM})\s+(?:{_W}\s+){{0,3}}?{_PEOPLE}\s+"
                         rf"(?:(?:on|from)\s+(?:both|each|either|all)\s+sides\s+)?(?:\w+\s+)?{_KILLED}", re.IGNORECASE)),
    ("count", _KILLED_N),
    ("count", re.compile(rf"\bdeath toll\s+(?:\S+\s+){{0,10}}?(?:to|of|at|reached|stands at)\s+(?:{_QUALIFIER}\s+)?(?P<n>{_NUM})",
                         re.IGNORECASE)),
    ("count", re.compile(rf"\b(?:{_QUALIFIER}\s+)?(?P<n>{_NUM})\s+(?:dead|deaths|fatalities)\b", re.IGNORECASE)),
    # "1 KIA, 2 WIA", "2 KIA's": killed in action, as military bulletins count their own dead
    ("count", re.compile(rf"\b(?P<n>{_NUM})\s+(?-i:KIA)(?:['’]?s)?\b", re.IGNORECASE)),
    # "fighting kills 11 in ...", "gunmen kill three police": the count right after the verb
    ("count", re.compile(rf"\b(?:kills?|killing|killed)\s+(?:{_QUALIFIER}\s+)?(?P<n>{_NUM})(?:\s+(?:police|in|as|and|on|at|near|"
                         rf"ahead|after|before|during|amid|since|over|across|including|while|with|despite|following|overnight|"
                         rf"today|yesterday)\b|\s*(?:[,.;:]|\s-\s|$))", re.IGNORECASE)),
    # "Police officer killed", "LPR service member dies", "militiaman reported killed": one person, in the singular
    ("one", re.compile(rf"\b(?P<one>{_SINGULAR})\s+(?:(?:was|is|has been|reported)\s+{_DIED}\b|(?:dies|died|dead)\b|"
                       rf"(?:killed|shot dead|slain){_NO_OBJECT})",
                       re.IGNORECASE)),
    # "shelling kills militiaman", "killing of civilian", "death of militia fighter"
    ("one", re.compile(rf"\b(?:kill|kills|killed|killing|killing of|death of|murder of|shot dead|{_SLAUGHTER})\s+(?:a\s+|an\s+|one\s+)?(?:{_W}\s+){{0,2}}?"
                       rf"(?P<one>{_SINGULAR})(?![\w'’-])", re.IGNORECASE)),
    # "a soldier who had served since 2015 was killed": one person, a relative clause between the noun and the verb
    ("one", re.compile(rf"\b(?P<one>{_SINGULAR})\s+(?:who|that)\s+[^,.;:]*?\b(?:was|has been)\s+{_DIED}\b", re.IGNORECASE)),
    # "opened fire on protesters, killing several of them": the count of a group named before
    ("count", re.compile(rf"\b(?:kill|kills|killed|killing)\s+(?:{_QUALIFIER}\s+)?(?P<n>{_NUM})\s+of\s+them\b", re.IGNORECASE)),
    # "civilian wounded in the shelling dies": the wounded one who died
    ("one", re.compile(rf"\b(?P<one>{_SINGULAR})\s+(?:who\s+was\s+)?(?:wounded|injured)\b[^.;:]*?\b(?:dies|died|succumbed)\b",
                       re.IGNORECASE)),
    # "the photographer's killing", "the journalist's murder"
    ("one", re.compile(rf"\b(?P<one>{_SINGULAR})['’]s\s+(?:\S+\s+){{0,2}}?(?:killing|murder|death)\b", re.IGNORECASE)),
    # "reports first combat death", "another death in the camp": one death, counted in the singular
    ("one", re.compile(rf"\b(?P<one>a|one|another|first|second|new)\s+(?:{_W}\s+)?death\b"
                       rf"(?!\s+(?:toll|sentence|penalty|threats?|squad|row|warrant|certificate|notice))", re.IGNORECASE)),
    # "Member of the demining team killed", "Driver of a car that rammed the gate shot dead": one person in the
    # singular, the verb after the words of its "of" phrase (no comma between, no verb of saying)
    ("one", re.compile(rf"\b(?P<one>{_SINGULAR})\s+of\s+(?:{_NOT_SAYING}{_W}\s+){{1,10}}?"
                       rf"(?:(?:was|has been|is)\s+)?(?:(?:killed|slain){_NO_OBJECT}|shot dead\b|(?:dies|died|dead)\b)",
                       re.IGNORECASE)),
    # "kills 8-year-old", "46-year-old [name] was killed": a person named by age
    ("one", re.compile(rf"\b(?:kill|kills|killed|killing)\s+(?:an?\s+)?(?P<one>\d+-year-old)\b", re.IGNORECASE)),
    ("one", re.compile(rf"\b(?P<one>\d+-year-old)\s+(?:(?-i:[A-Z])[\w'’-]+\s+){{1,3}}(?:was\s+|has been\s+)?{_DIED}\b",
                       re.IGNORECASE)),
    # "Six members of one household died": a count of people, the verb after their "of" phrase
    ("count", re.compile(rf"\b(?:{_QUALIFIER}\s+)?(?P<n>{_NUM})\s+(?:{_W}\s+){{0,2}}?{_PLURAL}\s+of\s+"
                         rf"(?:{_NOT_SAYING}{_W}\s+){{1,6}}?"
                         rf"(?:(?:were|have been|had been)\s+)?(?:(?:killed|slain){_NO_OBJECT}|(?:died|dead)\b)", re.IGNORECASE)),
    # a headline's "One killed in ...", "Two [self-defence] fighters killed": the count right before the verb
    ("count", re.compile(rf"\b(?:{_QUALIFIER}\s+)?(?P<n>{_NUM})\s+(?:[\w-]+\s+){{0,2}}?(?:killed|dead)\b", re.IGNORECASE)),
    # "Four die in raid", "Dozens died": a count before "die" (not "a family died", not "ten minutes to die")
    ("count", re.compile(rf"\b(?:{_QUALIFIER}\s+)?(?!(?:a|an)\s)(?P<n>{_NUM})\s+(?:[\w-]+\s+){{0,2}}?(?<!\bto\s)(?:die|died|dies)"
                         rf"(?![\w-])", re.IGNORECASE)),
    # "the raid claimed three lives", "fighting claims more lives": a death counted as a life
    ("count", re.compile(rf"\bclaim(?:s|ed|ing)?\s+(?:{_QUALIFIER}\s+)?(?P<n>{_NUM})\s+(?:more\s+|further\s+|other\s+)?lives\b",
                         re.IGNORECASE)),
    ("plural", re.compile(r"\bclaim(?:s|ed|ing)?\s+(?:the\s+)?(?P<many>(?:more|further|many|several|their)\s+lives)\b",
                          re.IGNORECASE)),
    # "Soldiers killed in ...", "landmine kills servicemen": people in the plural, no figure
    ("plural", re.compile(rf"\b(?P<many>{_PLURAL})\s+(?:(?:were|have been|had been|are|reported)\s+(?:reported\s+)?"
                          rf"(?:killed|dead|died|slain)\b|(?:dead|died|die)\b|(?:killed|slain){_NO_OBJECT})", re.IGNORECASE)),
    # "beat two suspected robbers to death", "hacked a farmer to death": the victims between the verb and "to death"
    ("count", re.compile(rf"\b(?:{_TO_DEATH})\s+(?:{_QUALIFIER}\s+)?(?P<n>{_NUM})\s+"
                         rf"(?:{_W}\s+){{0,2}}?{_PEOPLE}\s+to\s+death\b", re.IGNORECASE)),
    ("one", re.compile(rf"\b(?:{_TO_DEATH})\s+(?:a\s+|an\s+|one\s+)(?:{_W}\s+){{0,2}}?"
                       rf"(?P<one>{_SINGULAR})\s+to\s+death\b", re.IGNORECASE)),
    # "beat a butcher to death" (any noun: one victim, in the singular), "stoned and burned to death a man"
    ("one", re.compile(rf"\b(?:{_TO_DEATH})\s+(?:a|an|one)\s+(?:{_W}\s+){{0,2}}?"
                       rf"(?P<one>{_W})\s+to\s+death\b", re.IGNORECASE)),
    ("one", re.compile(rf"\b(?:{_TO_DEATH})(?:\s+and\s+(?:{_TO_DEATH}))?\s+to\s+death\s+(?P<one>a|an|one)\s", re.IGNORECASE)),
    # "the bodies of six people were found", "Seven bodies were later found": the dead counted where they were found
    ("count", re.compile(rf"\bbodies\s+of\s+(?:{_QUALIFIER}\s+)?(?P<n>{_NUM})\s+(?:{_W}\s+)?{_PEOPLE}", re.IGNORECASE)),
    ("count", re.compile(rf"\b(?:{_QUALIFIER}\s+)?(?P<n>{_NUM})\s+(?:{_W}\s+)?bodies\s+(?:were|have been|had been)\s+"
                         rf"(?:later\s+|also\s+|since\s+)?(?:found|recovered|discovered|retrieved|pulled)\b", re.IGNORECASE)),
    # "shot two rubber tappers, one of whom later died": of the people hurt, one died
    ("one", re.compile(r"\b(?P<one>one) of (?:whom|them) (?:later |subsequently )?(?:died|succumbed)\b", re.IGNORECASE)),
    ("plural", re.compile(rf"\b(?:kill|kills|killed|killing|killings of|deaths of|{_SLAUGHTER})\s+(?:{_W}\s+){{0,2}}?(?P<many>{_PLURAL})(?![\w'’-])",
                          re.IGNORECASE)),
]
PLURAL_LEAST = 2  # "soldiers were killed": the least a plural means (ACLED's most conservative reading)
# A figure that counts no one: a year ("in 2020", "May 2020"), an age ("a 25-year-old"), a unit ("53rd").
_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_NOT_A_COUNT_AFTER = re.compile(r"(?:-|\s)?(?:years?[- ]old|year|st|nd|rd|th)\b|\s*(?:%|per ?cent)", re.IGNORECASE)
_NOT_A_COUNT_BEFORE = wordlists.pattern(r"(?:\b(?:{{not_a_count_before}})\s+|[/:.-])$", re.IGNORECASE)


_AND_MORE = re.compile(rf"\s+and\s+(?P<n>{_NUM})\s+(?:[\w-]+\s+){{0,2}}?(?:{_PEOPLE[3:-1]}|contractors?|journalists?|officials?)\b"
                       r"(?!\s+(?:were|was|are|had been|have been)\s+(?:\w+\s+)?(?:wounded|injured|hurt))",  # the wounded: no toll
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
    token = re.sub(r"\s+", " ", token.lower().replace(",", "").strip())
    if token.isdigit():
        return int(token)
    return WORD_NUMBERS.get(token)


_PART_OF = re.compile(rf"\b(?P<part>{_NUM})\s+(?:out\s+)?of\s+(?:the\s+)?$", re.IGNORECASE)


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
        part = _PART_OF.search(text, max(start, match.start() - 24), match.start())
        if part is not None and to_number(part.group("part")) is not None:
            # "shot down 31 of 37 drones": 31 were lost, 37 the whole salvo
            number = min(number, to_number(part.group("part")))
            match_start = part.start()
        else:
            match_start = match.start()
        losses[kind] = losses.get(kind, 0) + number
        spans.append((match_start, match.end()))
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
    if _NO_ONE.search(text[max(0, start - 4) : end]):
        return False  # "No one was killed": a count of nobody
    return True


_NO_ONE = re.compile(r"\bno[\s-]+one$", re.IGNORECASE)


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


def _figure(text: str, match: re.Match, group: str = "n") -> tuple[int | None, int, int | None] | None:
    """(low, best, high) of the figure in `group` under the match's qualifier; a vague word ("dozens") has
    no high, its figure being ACLED's least reading of it (data/event_numbers.csv)."""
    n = to_number(match.group(group))
    if n is None:
        return None
    low, best, high = qualified(n, match.groupdict().get("q"))
    if re.sub(r"\s+", " ", match.group(group).casefold()) in VAGUE_WORDS:
        trace.note("events.numbers", match.group(group), f"{best}", "a vague count, read as ACLED does", match.start(group))
        high = None
    return low, best, high


_UNKNOWN_NUMBER = wordlists.pattern(r"\s+(?:{{unknown_number_words}})\s+(?:number|figure)\b", re.IGNORECASE)


def _list_total(text: str, match: re.Match) -> tuple[int | None, int, int | None] | None:
    """The victims of a list added up ("two soldiers, one rebel" 3); None when no item has a figure of its
    own or a figure is no count (a year, an age)."""
    totals: list[int | None] = [0, 0, 0]
    counted = False
    for item in _ITEM_PARTS.finditer(text, match.start("list"), match.end("list")):
        if item.group("n"):
            if _UNKNOWN_NUMBER.match(text, item.end("n")):
                continue  # "an unknown number of civilians": no figure, not one
            if not counts_people(text, item.start("n"), item.end("n")):
                return None
            figure = _figure(text, item)
            if figure is None:
                return None
        elif item.group("one"):
            figure = (1, 1, 1)
        else:
            continue  # "34 soldiers, civilians": the plural shares the figure before it
        counted = True
        totals = [None if t is None or v is None else t + v for t, v in zip(totals, figure)]
    if not counted:
        return None
    low, best, high = totals
    return low, best if best is not None else 0, high


# every pattern above needs one of these words: a sentence without any is passed over at once (speed)
_ANY_DEATH = re.compile(r"kill|dead|die|death|slain|lives|perish|fatalit|KIA|left|murder|behead|lynch|massacr|execut|bodies|neutrali[sz]ed",
                        re.IGNORECASE)


def find_fatalities(text: str, start: int = 0, end: int | None = None) -> Fatalities | None:
    """The fatality figure a sentence gives, as ACLED-style low/best/high."""
    end = len(text) if end is None else end
    if not _ANY_DEATH.search(text, start, end):
        return None
    for kind, pattern in _FATAL:
        match = _counting_match(pattern, text, start, end)
        if not match:
            continue
        groups = match.groupdict()
        if kind == "list":
            total = _list_total(text, match)
            if total is None or not total[1]:
                continue
            trace.note("events.numbers", match.group("list"), f"{total[1]}", "the victims listed together add up",
                       match.start())
            return Fatalities(*total, match.start(), match.end())
        if kind == "range":
            lo, hi = to_number(groups["lo"]), to_number(groups["hi"])
            if lo is None or hi is None:
                continue
            return Fatalities(lo, lo, hi, match.start(), match.end())  # ACLED keeps the lower figure
        if kind == "one":
            return Fatalities(1, 1, 1, match.start(), match.end())
        if kind == "plural":
            trace.note("events.numbers", match.group("many"), f"{PLURAL_LEAST}",
                       "people in the plural with no figure: the least a plural means", match.start())
            return Fatalities(PLURAL_LEAST, PLURAL_LEAST, None, match.start(), match.end())
        figure = _figure(text, match)
        if figure is None:
            continue
        low, best, high = figure
        more = _AND_MORE.match(text, match.end(), end)
        if more and pattern is _KILLED_N and to_number(more.group("n")):
            # "killing seven Turkish soldiers and a civilian contractor": the victims add up
            extra = to_number(more.group("n"))
            low, best, high = (None if v is None else v + extra for v in (low, best, high))
            return Fatalities(low, best, high, match.start(), more.end())
        return Fatalities(low, best, high, match.start(), match.end())
    return None
