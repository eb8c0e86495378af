"""Who acts in an event, named the way ACLED names actors, from tables editors can extend.

Three data files say it all; no code names a side of any war:

- `data/actors.csv`: named actors (armed groups, militias, rival governments' forces), one row each, with
  their aliases as copy writes them (literal phrases, `|`-separated, matched case-sensitively with the
  usual hyphen/space and capitalisation variants), their country (ISO alpha-2, empty for transnational
  ones), ACLED's inter code and the reason or source. An actor whose name holds `{country}` ("Islamic State
  ({country})") takes the story's country. A row may also give `context`: words (leaders, capitals) that
  say a story is on that side, so "the army" after a leader of X speaks is X's.
- `data/actor_forms.csv`: actors generated for EVERY country of the gazetteer's country table: "Military
  Forces of X" from "<demonym> troops", "X's army", "the army of X"; "Police Forces of X"; and the actors a
  report names only by what they are ("gunmen", "protesters", "villagers"), which take the country of the
  event's place, else the story's (`localise`).
- the gazetteer's country names, demonyms (`data/demonyms.csv` decides shared ones) and capitals.

Matching is fast: the named aliases go through one Aho-Corasick automaton, the generated forms are found
from their few nouns with the owner (demonym or country) looked up in a dictionary; one article is read
once (`article_actors`), every sentence then takes its part.
"""

from __future__ import annotations

import csv
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import ahocorasick

from clashmap import trace
from clashmap.errors import ConfigError
from geo import wordlists

DATA = Path(__file__).resolve().parent.parent / "data"
ACTORS_CSV = DATA / "actors.csv"
FORMS_CSV = DATA / "actor_forms.csv"
COUNTRIES_CSV = DATA / "acled_countries.csv"
COUNTRY_OF_CSV = DATA / "acled_country_of.csv"  # the countries ACLED names with "the" after "of"
COUNTRY = "{country}"
CONTEXT_WINDOW = 600  # characters looked back for the side a bare "the army" belongs to


@dataclass(frozen=True)
class ActorMention:
    actor: str
    start: int
    end: int
    country_code: str | None
    inter: int | None = None  # ACLED's actor type 1-8
    kind: str = "named"  # named | state (generated for a country) | story (country from the story) | context
    template: str | None = None  # "Civilians ({country})" for a story actor whose country is still open
    reason: str = ""


@dataclass(frozen=True)
class ActorRow:
    actor: str
    country_code: str | None
    inter: int | None
    aliases: tuple[str, ...]
    context: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class FormRow:
    template: str
    inter: int
    bare: str  # "context": a bare noun takes the story's side; "story": the story's country; "": never bare
    words: tuple[str, ...]
    qualifiers: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Table:
    rows: tuple[ActorRow, ...]
    forms: tuple[FormRow, ...]
    automaton: object  # ahocorasick.Automaton: alias or context phrase -> [(kind, row index, phrase)]
    nouns: re.Pattern  # the forms' nouns, with an optional qualifier before
    noun_form: dict[str, FormRow]
    owners: dict[str, str]  # normalised demonym / country name / capital -> ISO alpha-2
    owner_kind: dict[str, str]  # same keys -> "demonym" | "country" | "capital"
    country_names: dict[str, str]  # ISO alpha-2 -> ACLED's country name
    inter: dict[str, int]  # actor name -> inter code (named rows and templates)


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(p.strip() for p in (value or "").split("|") if p.strip())


def _read(path: Path, required: tuple[str, ...]):
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as err:
        raise ConfigError(f"{path}: cannot read the actor table: {err.strerror or err}") from err
    with handle:
        reader = csv.DictReader(handle)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise ConfigError(f"{path}: missing column(s) {', '.join(missing)}")
        for line, row in enumerate(reader, start=2):
            yield line, {k: (v or "").strip() for k, v in row.items() if k}


def _inter(path: Path, line: int, value: str, required: bool) -> int | None:
    if not value and not required:
        return None
    if not value.isdigit() or not 1 <= int(value) <= 8:
        raise ConfigError(f"{path}: line {line}: 'inter' must be ACLED's actor type 1-8, not {value!r}")
    return int(value)


def read_actor_rows(path: Path = ACTORS_CSV) -> tuple[ActorRow, ...]:
    """data/actors.csv; a bad row is one ConfigError line naming the file and line."""
    rows = []
    for line, row in _read(path, ("actor", "aliases", "country_code", "inter", "note")):
        if not row["actor"]:
            raise ConfigError(f"{path}: line {line}: 'actor' is required")
        code = row["country_code"]
        if code and (len(code) != 2 or not code.isupper()):
            raise ConfigError(f"{path}: line {line}: country_code must be an ISO alpha-2 code or empty, not {code!r}")
        if not row["note"]:
            raise ConfigError(f"{path}: line {line}: 'note' (the reason or source) is required")
        rows.append(ActorRow(row["actor"], code or None, _inter(path, line, row["inter"], False),
                             _split(row["aliases"]), _split(row.get("context")), row["note"]))
    return tuple(rows)


def read_forms(path: Path = FORMS_CSV) -> tuple[FormRow, ...]:
    forms = []
    for line, row in _read(path, ("template", "inter", "bare", "words", "note")):
        if COUNTRY not in row["template"] or not row["words"]:
            raise ConfigError(f"{path}: line {line}: a template with {COUNTRY} and its words are required")
        if row["bare"] not in ("", "context", "story"):
            raise ConfigError(f"{path}: line {line}: 'bare' must be empty, 'context' or 'story', not {row['bare']!r}")
        forms.append(FormRow(row["template"], _inter(path, line, row["inter"], True), row["bare"],
                             _split(row["words"]), _split(row.get("qualifiers"))))
    return tuple(forms)


def _variants(phrase: str) -> set[str]:
    """How copy writes one alias: as given, capitalised, with hyphens or spaces ('al-Shabaab', 'Al Shabaab')."""
    out = {phrase}
    for form in list(out):
        out.add(form[0].upper() + form[1:])
        if "-" in form:
            out.add(form.replace("-", " "))
    for form in list(out):
        for apostrophe in ("'", "’"):
            out.add(form.replace("'", apostrophe))
    return out


def _country_table(gazetteer) -> tuple[dict[str, str], dict[str, str]]:
    from geo.names import normalize_name

    owners: dict[str, str] = {}
    kinds: dict[str, str] = {}
    for key, code in gazetteer.demonyms().items():
        owners[key], kinds[key] = code, "demonym"
    for code, key in gazetteer.db.execute(
            "SELECT p.country_code, a.key FROM alias a JOIN place p ON p.id = a.place_id "
            "WHERE p.kind = 'country' AND p.country_code IS NOT NULL"):
        if len(key) >= 2:
            owners.setdefault(key, code)
            kinds.setdefault(key, "country")
    for code, name in gazetteer.db.execute("SELECT country_code, name FROM place WHERE feature_code = 'PPLC'"):
        key = normalize_name(name)
        if code and key not in owners:
            owners[key], kinds[key] = code, "capital"
    return owners, kinds


_GAZETTEER = None


def _gazetteer():
    global _GAZETTEER
    if _GAZETTEER is None:
        from geo.gazetteer import Gazetteer

        _GAZETTEER = Gazetteer()
    return _GAZETTEER


def load_table(path: Path = ACTORS_CSV, forms_path: Path = FORMS_CSV, countries_path: Path = COUNTRIES_CSV) -> Table:
    # one cache key whether the defaults are passed or not: `load_table()` and `load_table(ACTORS_CSV)`
    # were two entries, and the table (about a second to build) was built twice in every process
    return _load_table(path, forms_path, countries_path)


@lru_cache(maxsize=4)
def _load_table(path: Path, forms_path: Path, countries_path: Path) -> Table:
    rows = read_actor_rows(path)
    forms = read_forms(forms_path)
    names = {row["country_code"]: row["country"] for _, row in _read(countries_path, ("country_code", "country"))}
    automaton = ahocorasick.Automaton()
    for index, row in enumerate(rows):
        for kind, phrases in (("alias", row.aliases), ("context", row.context)):
            for phrase in phrases:
                for form in _variants(phrase):
                    found = automaton.get(form, None) or []
                    found.append((kind, index, form))
                    automaton.add_word(form, found)
    if len(automaton):
        automaton.make_automaton()
    noun_form: dict[str, FormRow] = {}
    qualifiers: set[str] = set()
    for form in forms:
        for word in form.words:
            noun_form.setdefault(word.lower(), form)
        qualifiers.update(q.lower() for q in form.qualifiers)
    words = sorted(noun_form, key=len, reverse=True)
    nouns = re.compile(r"(?<![\w-])(?:(?P<qual>" + "|".join(re.escape(q) for q in sorted(qualifiers, key=len, reverse=True))
                       + r")\s+)?(?P<noun>" + "|".join(re.escape(w) for w in words) + r")(?![\w-])", re.IGNORECASE)
    owners, kinds = _country_table(_gazetteer())
    inter = {row.actor: row.inter for row in rows if row.inter}
    inter.update({form.template: form.inter for form in forms})
    return Table(rows, forms, automaton, nouns, noun_form, owners, kinds, names, inter)


def load_actor_table(path: Path = ACTORS_CSV) -> tuple[ActorRow, ...]:
    """The named actors of the editable table (kept for callers of the first table's interface)."""
    return read_actor_rows(path)


def country_name(code: str | None, table: Table | None = None) -> str | None:
    """ACLED's name of a country ('CD' -> 'Democratic Republic of Congo')."""
    if not code:
        return None
    table = table or load_table()
    return table.country_names.get(code, code)


@lru_cache(maxsize=2)
def country_of_names(path: Path = COUNTRY_OF_CSV) -> dict[str, str]:
    """data/acled_country_of.csv: code -> the name ACLED writes after "of" ("the United States"), where it differs."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for line, row in enumerate(rows, start=2):
        if not (row.get("country_code") and row.get("of_name") and row.get("reason")):
            raise ConfigError(f"{path}: line {line}: needs a country_code, an of_name and a reason")
    return {row["country_code"]: row["of_name"] for row in rows}


@lru_cache(maxsize=4096)
def _fill(template: str, code: str | None, table: Table) -> str:
    """'Civilians ({country})' -> 'Civilians (Sudan)'; without a country, 'Civilians'; 'Military Forces of {country}'
    -> 'Military Forces of the Philippines' for the countries ACLED names with "the" (data/acled_country_of.csv)."""
    if code:
        if "of " + COUNTRY in template and code in country_of_names():
            template = template.replace("of " + COUNTRY, "of " + country_of_names()[code])
        return template.replace(COUNTRY, country_name(code, table))
    return re.sub(r"\s*\(\{country\}\)|\s*(?:of\s+)?\{country\}", "", template).strip()


def inter_code(actor: str | None) -> int | None:
    """ACLED's actor type (1-8) of an actor this module names; None for one the tables do not know."""
    if not actor:
        return None
    table = load_table()
    if actor in table.inter:
        return table.inter[actor]
    for template, code in table.inter.items():
        if COUNTRY in template:
            head, _, tail = template.partition(COUNTRY)
            if actor.startswith(head.rstrip("( ")) and actor.endswith(tail.lstrip(")") or ""):
                return code
    return None


def is_state(actor: str | None) -> bool:
    return inter_code(actor) == 1


def is_non_state_armed(actor: str | None) -> bool:
    """Rebels, militias, external forces: what 'Non-state actor overtakes territory' needs."""
    return inter_code(actor) in (2, 3, 4, 8)


def state_country(actor: str | None) -> str | None:
    """The country code of a state's forces ('Military Forces of Russia' -> 'RU'); None for any other actor."""
    if not is_state(actor):
        return None
    table = load_table()
    name = re.sub(r"\s*\(\d{4}-(?:\d{4})?\)$", "", actor.split(" of ", 1)[-1])  # 'Myanmar (2021-)'
    return next((code for code, country in table.country_names.items() if country == name), None)


IN_COUNTRY_CSV = Path(__file__).resolve().parent.parent / "data" / "actor_in_country.csv"


@lru_cache(maxsize=2)
def actors_in_country(path: Path = IN_COUNTRY_CSV) -> list[tuple[str, str, frozenset[str], str, str]]:
    """data/actor_in_country.csv: (generic actor or template, country code, first-level regions (empty: any),
    the name ACLED gives that actor there, reason), the rows with regions first."""
    rows = []
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            for line, row in enumerate(csv.DictReader(handle), start=2):
                actor, code = (row.get("actor") or "").strip(), (row.get("country_code") or "").strip()
                named, reason = (row.get("acled_actor") or "").strip(), (row.get("reason") or "").strip()
                if not actor or len(code) != 2 or not named or not reason:
                    raise ConfigError(f"{path}: line {line}: needs an actor, a country_code, an acled_actor and a reason")
                areas = frozenset(a.strip() for a in (row.get("admin1") or "").split("|") if a.strip())
                rows.append((actor, code, areas, named, reason))
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: unreadable ({err.__class__.__name__}: {err})") from None
    return sorted(rows, key=lambda r: not r[2])


def _named_in_country(mention: ActorMention, country_code: str, admin1: str | None) -> ActorMention | None:
    """The generic actor ('Rebels', 'Islamic State ({country})') under the name ACLED gives it in that country
    or region (data/actor_in_country.csv), or None."""
    for actor, code, areas, named, reason in actors_in_country():
        if code == country_code and actor in (mention.actor, mention.template) and (not areas or admin1 in areas):
            trace.note("events.actors", named, "named in its country",
                       f"{mention.actor!r} in {code}{'.' + admin1 if areas else ''}: {reason} "
                       "(data/actor_in_country.csv)", mention.start)
            return replace(mention, actor=named, country_code=country_code, template=None)
    return None


def localise(mention: ActorMention | None, country_code: str | None, admin1: str | None = None) -> ActorMention | None:
    """A story actor ("gunmen", "villagers", "Islamic State") named with the country of the event's place,
    else the story's: ACLED writes 'Unidentified Armed Group (Nigeria)'. `admin1`: the first-level region of the
    event's place, for an actor ACLED names by region (data/actor_in_country.csv)."""
    if mention is not None and country_code:
        named = _named_in_country(mention, country_code, admin1)
        if named is not None:
            return named
    if mention is None or mention.template is None or not country_code:
        return mention
    table = load_table()
    name = _fill(mention.template, country_code, table)
    trace.note("events.actors", name, "country filled", f"{mention.actor!r} takes the event's country "
               f"({country_code})", mention.start)
    return replace(mention, actor=name, country_code=country_code, template=None)


def name_in_country(actor: str | None, country_code: str | None) -> str | None:
    """An actor name left without its country ('Unidentified Armed Group', 'Civilians') named for the country
    given (the story's, when the event has no place); any other name is returned as it is."""
    if not actor or not country_code:
        return actor
    table = load_table()
    for template in [f.template for f in table.forms] + [r.actor for r in table.rows if COUNTRY in r.actor]:
        if _fill(template, None, table) == actor:
            return _fill(template, country_code, table)
    return actor


def civilians_of(country_code: str | None) -> str:
    """'Civilians (Azerbaijan)': ACLED names civilians by the country they are in."""
    name = country_name(country_code)
    return f"Civilians ({name})" if name else "Civilians"


# ACLED's codebook: a protest's first actor is always the crowd ("Protesters (Sudan)", inter 6), a riot's the
# rioters ("Rioters (Kenya)", inter 5), named by the country they are in, even when the story only says
# "hundreds of people marched"
CROWD_OF_TYPE = {"Protests": "Protesters", "Riots": "Rioters"}


def crowd_of(event_type: str, country_code: str | None) -> str | None:
    """'Protesters (Sudan)' for a protest, 'Rioters (Sudan)' for a riot; None for other types."""
    crowd = CROWD_OF_TYPE.get(event_type)
    if crowd is None:
        return None
    name = country_name(country_code)
    return f"{crowd} ({name})" if name else crowd


_OWNER_BEFORE = re.compile(r"((?:[A-Z][\w.’'-]*\s+){0,3}[A-Z][\w.’'-]*?)(?P<poss>[’']s)?\s+$")
_OWNER_AFTER = re.compile(r"\s+of\s+(?:the\s+)?((?:[A-Z][\w.’'-]*)(?:\s+(?:[A-Z][\w.’'-]*|of|the|and)){0,6})")
_DETERMINER_BEFORE = re.compile(r"\b(?:[Tt]he|[Ii]ts|[Hh]is|[Hh]er|[Tt]heir|[Oo]ur)\s+$")
_OF_THE = re.compile(r"\s+(?:of|from)\s+(?:the\s+)?")
_POSSESSIVE = re.compile(r"(?:[’']s)?[.,;:]?$")
_CAPITALISED_RUN = re.compile(r"[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,4}")


@lru_cache(maxsize=65536)
def _key(words: str) -> str:
    from geo.names import normalize_name

    return normalize_name(words)


def _owner_before(text: str, at: int, table: Table, floor: int) -> tuple[str, int, str] | None:
    """The country of the words just before `at`: 'Syrian', 'Nigeria's', 'South Sudanese' (the longest that is one)."""
    match = _OWNER_BEFORE.search(text, max(floor, at - 60), at)
    if not match:
        return None
    words = match.group(1).split()
    if words[-1].endswith("-led"):  # "the Saudi-led coalition", "US-led forces": the leading state's
        words[-1] = words[-1][:-4]
    for i in range(len(words)):  # longest run ending at the noun first
        run = " ".join(words[i:])
        key = _key(run.rstrip("."))
        code = table.owners.get(key)
        if code and (table.owner_kind.get(key) != "capital" or match.group("poss")):
            start = match.start(1) + text[match.start(1):at].find(run)
            return code, start, run
        if i < len(words) - 1 and key and _gazetteer().has_main_key(key):
            return None  # "New Jersey police": a place whose last word is a country's name is not that country
    return None


_AND_BEFORE = re.compile(r"(?P<word>[A-Z][\w’'-]*)\s+and\s+$")
_AND_AFTER = re.compile(r"\s+and\s+(?:the\s+)?(?P<word>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)?)")


def _coordinated_owner_before(text: str, owner_start: int, table: Table, code: str) -> tuple[str, int, int] | None:
    """'Azerbaijani' in "Azerbaijani and Armenian troops": another country's word joined to the owner by "and"."""
    match = _AND_BEFORE.search(text, max(0, owner_start - 40), owner_start)
    if not match:
        return None
    other = table.owners.get(_key(match.group("word")))
    if other and other != code and table.owner_kind.get(_key(match.group("word"))) != "capital":
        return other, match.start("word"), match.end("word")
    return None


def _coordinated_owner_after(text: str, owner_end: int, table: Table, code: str) -> tuple[str, int, int] | None:
    """'Tajikistan' in "border guards of Kyrgyzstan and Tajikistan": a second country joined by "and"."""
    match = _AND_AFTER.match(text, owner_end)
    if not match:
        return None
    for run in (match.group("word"), match.group("word").split()[0]):
        other = table.owners.get(_key(run))
        if other and other != code and table.owner_kind.get(_key(run)) == "country":
            return other, match.start("word"), match.start("word") + len(run)
    return None


def _owner_after(text: str, end: int, table: Table) -> tuple[str, int] | None:
    """'the army of Mali', 'police forces of the Democratic Republic of the Congo'."""
    match = _OWNER_AFTER.match(text, end)
    if not match:
        return None
    words = match.group(1).split()
    for i in range(len(words), 0, -1):
        run = " ".join(words[:i]).rstrip(".")
        code = table.owners.get(_key(run))
        if code and table.owner_kind.get(_key(run)) == "country":
            return code, match.start(1) + len(run)
    return None


@lru_cache(maxsize=4)
def _context_hits(text: str, table: Table) -> tuple[list[int], list[tuple[int, int, str, str | None]]]:
    """Every word of the text that says which side a story is on: a country's name, demonym or capital
    (from the country table), or a named row's context word (its leaders). Sorted by start."""
    hits: list[tuple[int, int, str, str | None]] = []
    for match in _CAPITALISED_RUN.finditer(text):
        words = [(w.start(), w.end()) for w in re.finditer(r"\S+", match.group(0))]
        i = 0
        while i < len(words):
            for j in range(len(words), i, -1):  # the longest run first: "South Sudan" before "Sudan"
                begin, end = match.start() + words[i][0], match.start() + words[j - 1][1]
                bare = _POSSESSIVE.sub("", text[begin:end])
                code = table.owners.get(_key(bare))
                if code:
                    hits.append((begin, begin + len(bare), _fill("Military Forces of {country}", code, table), code))
                    i = j - 1
                    break
            i += 1
    for end, found in table.automaton.iter(text) if len(table.automaton) else ():
        for kind, index, phrase in found:
            if kind != "context":
                continue
            start = end - len(phrase) + 1
            if _bounded(text, start, end + 1):
                row = table.rows[index]
                hits.append((start, end + 1, row.actor, row.country_code))
    hits.sort()
    return [h[0] for h in hits], hits


def context_actor(text: str, at: int, floor: int = 0, path: Path = ACTORS_CSV) -> tuple[str, str | None] | None:
    """The side the story is on just before `at`: the last country or side's word in the window."""
    found = _last_context(text, at, floor, load_table(path))
    return (found[2], found[3]) if found else None


def context_span(text: str, floor: int, at: int, path: Path = ACTORS_CSV) -> tuple[int, int]:
    """Where the side found by `context_actor` is written (the evidence span), or (at, at)."""
    found = _last_context(text, at, floor, load_table(path))
    return (found[0], found[1]) if found else (at, at)


def _last_context(text: str, at: int, floor: int, table: Table):
    starts, hits = _context_hits(text, table)
    lo = max(floor, at - CONTEXT_WINDOW)
    i = bisect_left(starts, at)
    while i > 0 and starts[i - 1] >= lo:
        hit = hits[i - 1]
        if hit[1] <= at:
            return hit
        i -= 1
    return None


def _bounded(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before in "-_") and not (after.isalnum() or after in "_") and \
        not (after == "-" and end + 1 < len(text) and text[end + 1].isalpha())


# a one-word alias right after a first name or a title is a person's surname: "spokesman Amadou Wagner",
# "Mr Wagner" (the capitalised word follows a word in lower case, so a sentence's or a title-case headline's
# first words are not taken for a first name)
_FIRST_NAME_BEFORE = re.compile(r"(?:\b(?-i:[a-z][\w’'-]*),?\s+(?P<first>(?-i:[A-Z][a-z]+))|\b(?:Mr|Mrs|Ms|Dr)\.?)"
                                r"\s+$")


def _surname(text: str, start: int, table: Table) -> bool:
    before = _FIRST_NAME_BEFORE.search(text, max(0, start - 60), start)
    if before is None:
        return False
    first = before.group("first")
    return first is None or (_key(first) not in table.owners and first.lower() not in table.noun_form)
_NAME_BEFORE = re.compile(r"(?<![\w-])[A-Z][a-z]+\.? $")
_ONE_NAME = re.compile(r"[A-Z][a-z]+")
# capitalised words that begin a sentence or a date, never a given name: no NER call for "The Taliban", "On Monday Hamas"
_NOT_A_NAME = re.compile(r"The|A|An|On|In|At|By|But|And|As|For|From|When|While|After|Meanwhile|Yesterday|Today|"
                         r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|"
                         r"May|June|July|August|September|October|November|December")


def _a_persons_name(text: str, start: int, end: int) -> bool:
    """Whether a one-word alias ("Wagner") is the surname of a person the text names ("Ben Wagner"): only when a
    capitalised word stands right before it is spaCy's NER asked, on the sentence around it, whether the two
    words are a PERSON. A group's name is never a person's; "Pakistani Taliban", "Monday Hamas" stay groups."""
    before = _NAME_BEFORE.search(text, max(0, start - 20), start)
    if not _ONE_NAME.fullmatch(text, start, end) or not before or _NOT_A_NAME.fullmatch(before.group(0).strip()):
        return False
    from geo.toponyms import load_english

    lo = max(text.rfind(".", 0, max(0, start - 20)) + 1, start - 200, 0)
    hi = min([i for i in (text.find(".", end), text.find("\n", end)) if i >= 0] or [len(text)])
    hi = min(hi + 1, end + 200, len(text))
    doc = load_english()(text[lo:hi])
    return any(ent.label_ == "PERSON" and lo + ent.start_char <= before.start() and lo + ent.end_char >= end
               for ent in doc.ents)


def article_actors(text: str, path: Path = ACTORS_CSV) -> tuple[ActorMention, ...]:
    """Every actor mention of a text, read once: named aliases first, then '<demonym> troops', 'X's army',
    'the army of X', then what the report names only by kind ('gunmen', 'the police'); where two overlap,
    the one found first (named) and then the longer wins."""
    # one cache key whether the path is passed or not (lru_cache keys `f(t)` and `f(t, p)` apart: the
    # pipeline and the event reading each read the whole article again, 1 s of CPU on 1 MB)
    return _article_actors(text, path)


@lru_cache(maxsize=4)
def _article_actors(text: str, path: Path) -> tuple[ActorMention, ...]:
    table = load_table(path)
    found: list[ActorMention] = []
    if len(table.automaton):
        for end, entries in table.automaton.iter(text):
            for kind, index, phrase in entries:
                start = end - len(phrase) + 1
                if kind != "alias" or not _bounded(text, start, end + 1):
                    continue
                row = table.rows[index]
                if " " not in phrase and _surname(text, start, table):
                    continue  # "spokesman Amadou Wagner", "Mr Wagner": a person's surname, not the group
                if COUNTRY in row.actor:
                    found.append(ActorMention(_fill(row.actor, row.country_code, table), start, end + 1,
                                              row.country_code, row.inter, "story", row.actor,
                                              f"alias {phrase!r} of {row.actor!r} (data/actors.csv)"))
                elif not _a_persons_name(text, start, end + 1):
                    found.append(ActorMention(row.actor, start, end + 1, row.country_code, row.inter, "named", None,
                                              f"alias {phrase!r} (data/actors.csv: {row.note[:60]})"))
    for match in table.nouns.finditer(text):
        whole = " ".join(match.group(0).lower().split())  # "security forces" is a noun of its own, not "forces"
        form = table.noun_form.get(whole) or table.noun_form[match.group("noun").lower()]
        start, end = match.start(), match.end()
        owner = _owner_before(text, start, table, 0)
        if owner:
            code, owner_start, words = owner
            other = _coordinated_owner_before(text, owner_start, table, code)
            if other:  # "Azerbaijani and Armenian troops": the forces of both countries, two sides
                found.append(ActorMention(_fill(form.template, other[0], table), other[1], other[2], other[0],
                                          form.inter, "state", None,
                                          f"{text[other[1]:other[2]]!r} and {words!r} name the countries of "
                                          f"{match.group('noun')!r}"))
            found.append(ActorMention(_fill(form.template, code, table), owner_start, end, code, form.inter, "state",
                                      None, f"{words!r} names the country of {match.group('noun')!r}"))
            continue
        after = _owner_after(text, end, table)
        if after:
            code, owner_end = after
            found.append(ActorMention(_fill(form.template, code, table), start, owner_end, code, form.inter, "state",
                                      None, f"{match.group('noun')!r} of a country named after it"))
            other = _coordinated_owner_after(text, owner_end, table, code)
            if other:  # "border guards of Kyrgyzstan and Tajikistan": the forces of both countries
                found.append(ActorMention(_fill(form.template, other[0], table), other[1], other[2], other[0],
                                          form.inter, "state", None,
                                          f"{match.group('noun')!r} of a second country named after it"))
            continue
        if form.bare == "story":
            found.append(ActorMention(_fill(form.template, None, table), start, end, None, form.inter, "story",
                                      form.template, f"{match.group(0)!r} names no group: the story's country"))
        elif form.bare == "context" and _DETERMINER_BEFORE.search(text, max(0, start - 8), start):
            side = _last_context(text, start, 0, table)
            if side:
                found.append(ActorMention(side[2], start, end, side[3], table.inter.get(side[2], 1), "context", None,
                                          f"{match.group(0)!r} after {text[side[0]:side[1]]!r}: the side the story is on"))
    order = {"named": 0, "story": 0, "state": 1, "context": 2}
    found.sort(key=lambda m: (m.start, order[m.kind], -(m.end - m.start)))
    kept: list[ActorMention] = []
    for mention in found:
        if kept and mention.start < kept[-1].end:
            if order[mention.kind] < order[kept[-1].kind] and mention.end >= kept[-1].end:
                kept[-1] = mention  # "Syrian Democratic Forces" (named) over "Syrian ... Forces" (state)
            continue
        if kept and (mention.kind in ("story", "context") or mention.kind == "named" and _common_noun(text, mention)) \
                and kept[-1].kind in ("named", "state") and text[kept[-1].end:mention.start].strip() in ("", ")"):
            # "al-Shabaab militants", "Russian-backed separatists", "Boko Haram insurgents": the kind of fighter of
            # the group just named (a common noun such as "insurgents" names no group of its own)
            kept[-1] = replace(kept[-1], end=mention.end)
            continue
        if kept and (kept[-1].kind == "story" or kept[-1].actor in _generic_actors(table)) and mention.kind == "named" \
                and mention.actor not in _generic_actors(table) and _OF_THE.fullmatch(text, kept[-1].end, mention.start):
            # "gunmen of the Jalisco New Generation Cartel", "Rebels from the CPC": the group named after them
            kept[-1] = replace(mention, start=kept[-1].start)
            continue
        kept.append(mention)
    return tuple(kept)


@lru_cache(maxsize=4)
def _generic_actors(table: Table) -> frozenset[str]:
    """The table's rows that name a kind of fighter, not a group: every alias in lower case ("Rebels": rebels,
    insurgents, separatists...). "Rebels of the 3R group" is the 3R, not a second side."""
    return frozenset(row.actor for row in table.rows if row.aliases and all(a == a.lower() for a in row.aliases))


def _common_noun(text: str, mention: ActorMention) -> bool:
    """An alias written in lower case ("insurgents", "rebel fighters") is a common noun, not a group's name."""
    return text[mention.start:mention.end].islower()


def find_actors(text: str, start: int = 0, end: int | None = None, path: Path = ACTORS_CSV) -> list[ActorMention]:
    """Actor mentions in `text[start:end]` (the article is read once, see `article_actors`)."""
    end = len(text) if end is None else end
    mentions = article_actors(text, path)
    starts = _starts(mentions)
    chosen = [m for m in mentions[bisect_left(starts, start):bisect_right(starts, end)] if m.end <= end]
    if trace.active():
        for m in chosen:
            trace.note("events.actors", text[m.start:m.end], f"{m.actor} (inter {m.inter or '?'})", m.reason, m.start)
    return chosen


_STARTS: tuple = ((), [])


def _starts(mentions: tuple[ActorMention, ...]) -> list[int]:
    """The mentions' start offsets, built once per article (not once per sentence: that was quadratic).
    Kept by identity: `article_actors` returns the same tuple for the same text, and hashing it would cost
    as much as the list."""
    global _STARTS
    if _STARTS[0] is not mentions:
        _STARTS = (mentions, [m.start for m in mentions])
    return _STARTS[1]


def actor_spans(text: str, path: Path = ACTORS_CSV) -> list[tuple[int, int, str]]:
    """Where the text names an armed group or another named actor: no word inside is a place ('Taliban', the
    'Sinaloa' of 'Sinaloa Cartel'). Generated state forces ('the army of Mali') are not listed: their
    country is the story's country, a signal the geoparser keeps."""
    state_forms = tuple(f.template.split("{")[0] for f in load_table(path).forms)
    return [(m.start, m.end, m.actor) for m in article_actors(text, path) if m.kind == "named"
            or (m.kind == "story" and m.template and not m.template.startswith(state_forms))]


SUBJECT_WORDS_CSV = DATA / "actor_subject_words.csv"
UNIDENTIFIED = "Unidentified Armed Group ({country})"
_MEMBERS_OF = wordlists.pattern(r"^(?:{{member_nouns}})\s+(?:of|from|loyal to)\s+(?:the\s+)?", re.IGNORECASE)
_SUBJECT_DETERMINERS = re.compile(r"^(?:the|a|an|its|their|his|her|some|several|local|unknown|unidentified)\s+", re.IGNORECASE)


@lru_cache(maxsize=2)
def subject_words(path: Path = SUBJECT_WORDS_CSV) -> dict[str, int]:
    """data/actor_subject_words.csv: the head nouns that make the subject of an event's verb an armed actor
    ('the Lions of the Valley militia'), with ACLED's inter code for such an actor."""
    words: dict[str, int] = {}
    for line, row in _read(path, ("word", "inter", "reason")):
        word, reason = (row.get("word") or "").strip().casefold(), (row.get("reason") or "").strip()
        if not word or not reason:
            raise ConfigError(f"{path}: line {line}: needs a word, an inter code and a reason")
        words[word] = _inter(path, line, row.get("inter") or "", True)
    return words


def actor_from_subject(text: str, start: int, end: int) -> ActorMention | None:
    """actor1 from the parse's subject of the event's verb when the tables name no side there: a subject whose
    head is an armed noun (data/actor_subject_words.csv) and that carries a name is that actor, named as the
    report names it ('Lions of the Valley Militia'); one with no name is ACLED's 'Unidentified Armed Group
    (<country>)', the country filled from the event's place or the story (`localise`). A place, a person or
    a thing as subject names no actor."""
    phrase = text[start:end]
    words = phrase.split()
    if not words or len(words) > 8:
        return None
    heads = subject_words()
    head = next((i for i in range(len(words) - 1, -1, -1) if words[i].strip(",.;:’'").casefold() in heads), None)
    if head is None:
        return None
    inter = heads[words[head].strip(",.;:’'").casefold()]
    # "X militia" / "fighters of X"; what follows the head otherwise is no part of the name ("militiamen in X")
    name = phrase if head < len(words) - 1 and words[head + 1].casefold() == "of" else " ".join(words[: head + 1])
    name = _SUBJECT_DETERMINERS.sub("", _SUBJECT_DETERMINERS.sub("", name)).strip(" ,.;:")
    name = _MEMBERS_OF.sub("", name)  # "fighters of the X militia" are the X militia
    named = [w for w in name.split() if w[:1].isupper()]
    table = load_table()
    if not named or all(_key(re.sub(r"[’']s$", "", w)) in table.owners for w in named):
        # "a militia", "Malian fighters": no name of its own: the unidentified group of the story's country
        trace.note("events.actors", phrase, UNIDENTIFIED, "the parse's subject of the event's verb is an armed "
                   "group the report does not name", start)
        return ActorMention(_fill(UNIDENTIFIED, None, table), start, end, None, 3, "story", UNIDENTIFIED,
                            "the parse's subject, an armed group not named")
    parts = name.split()
    if parts[-1].casefold() in heads:
        parts[-1] = parts[-1][:1].upper() + parts[-1][1:]  # ACLED writes 'X Militia'
    name = " ".join(parts)
    trace.note("events.actors", phrase, name, "the parse's subject of the event's verb: an armed group the "
               "actors table does not list (data/actor_subject_words.csv)", start)
    return ActorMention(name, start, end, None, inter, "subject", None, "the parse's subject of the event's verb")


def state_from_subject(text: str, start: int, end: int) -> ActorMention | None:
    """A subject whose head is a state force's noun and that names no country ("Soldiers captured X", "Troops
    retook X"): the forces of the country of the event's place, else the story's (data/actor_forms.csv, its
    inter-1 forms), filled by `localise`."""
    words = text[start:end].split()
    if not words or len(words) > 4:
        return None
    table = load_table()
    form = table.noun_form.get(words[-1].strip(",.;:").lower())
    if form is None or form.inter != 1 or not form.bare:
        return None
    trace.note("events.actors", text[start:end], form.template, "the parse's subject is a state force's noun "
               "with no country: the forces of the event's country", start)
    return ActorMention(_fill(form.template, None, table), start, end, None, 1, "story", form.template,
                        "the parse's subject, a state force named without its country")


_subject_heads: list = [None, None, None]  # (actors table, subject words, pattern of their one-word heads)


def subject_may_be_actor(phrase: str) -> bool:
    """Whether some subject inside `phrase` could name an actor: `state_from_subject` needs a state force's
    one-word noun (data/actor_forms.csv, inter 1, bare) and `actor_from_subject` an armed head noun
    (data/actor_subject_words.csv), each a whitespace word less punctuation, case folded. When none of them
    occurs in `phrase` (case folded, as a substring: a superset of what they accept) both return None for every
    stretch of it, and the parse asked only for that subject (2-9 ms a sentence) can be spared."""
    table, heads = load_table(), subject_words()
    if _subject_heads[0] is not table or _subject_heads[1] is not heads:
        words = {w for w in heads if " " not in w} | \
            {w for w, form in table.noun_form.items() if form.inter == 1 and form.bare and " " not in w}
        # a word not in ASCII could be matched through lower() but not casefold() (or the reverse): never spared
        pattern = re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True)))) \
            if words and all(w.isascii() for w in words) else None
        _subject_heads[:] = [table, heads, pattern]
    pattern = _subject_heads[2]
    if pattern is None:
        return bool(_subject_heads[0].noun_form or _subject_heads[1])
    return bool(pattern.search(phrase.casefold()) or pattern.search(phrase.lower()))


def parse_subject(sentence: str, at: int) -> tuple[int, int] | None:
    """The subject (offsets in the sentence) of the verb at offset `at`, or of the verb it depends on
    ("militia attacked X, killing six": the subject of "attacked"), from the sentence's (cached) parse."""
    from events.triggers import _parse

    doc = _parse(sentence)
    token = next((t for t in doc if t.idx <= at < t.idx + len(t.text)), None)
    for _ in range(4):
        if token is None:
            return None
        subject = next((c for c in token.children if c.dep_ in ("nsubj", "csubj")), None)
        if subject is not None:
            return subject.left_edge.idx, subject.right_edge.idx + len(subject.right_edge.text)
        if token.dep_ not in ("advcl", "xcomp", "conj", "pcomp") or token.head is token:
            return None
        token = token.head
    return None


def state_force_in(text: str, start: int, end: int, people: frozenset[str] = frozenset()) -> ActorMention | None:
    """The first state force named in text[start:end] by a bare noun of data/actor_forms.csv's inter-1 forms
    ("killing four soldiers", "an army patrol"): the forces of the event's country once `localise` fills it.
    `people`: when given, only these nouns count (soldiers and troops, not the artillery or drones a force uses)."""
    table = load_table()
    for match in table.nouns.finditer(text, start, end):
        if people and match.group("noun").lower() not in people:
            continue
        whole = " ".join(match.group(0).lower().split())
        form = table.noun_form.get(whole) or table.noun_form.get(match.group("noun").lower())
        if form is not None and form.inter == 1 and form.bare:
            return ActorMention(_fill(form.template, None, table), match.start(), match.end(), None, 1, "story",
                                form.template, "a state force named without its country: the event's country's")
    return None
