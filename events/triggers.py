"""Event triggers read from the sentence's dependency parse, driven by data files (issue 11, items 2 and 7).

`data/event_triggers.csv` lists, per ACLED sub-event type, the lemma that triggers it, its part of speech,
and optionally the words one of its arguments must hold (a lemma list or a class of
`data/event_word_classes.csv`, written `@class`): "throw" + object "grenade" is a Grenade, "kill" + target
`@civilian` an Attack on civilians, "seize" + object `@property` Looting. The first row that fits decides,
so the specific rows come first. `replaces` names the sub-types of the regular-expression rules
(events/taxonomy.py) that a row corrects: "seized a vehicle" is looting even though "seized" reads as a capture.

A trigger is dropped when the parse shows it did not happen: negated ("did not attack"), under a modal
("could attack"), governed by a threat, plan or denial ("vowed to attack", "denied shelling") or a condition
("if they attack"); `data/event_modality.csv` lists those words. Each decision is noted in the trace.

Only sentences in which a trigger's word form occurs are parsed (a cheap pre-filter), so the parse costs
a few milliseconds per candidate sentence, not per sentence of the article.
"""

from __future__ import annotations

import csv
import re
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import accumulate
from pathlib import Path

from clashmap import trace
from clashmap.errors import ConfigError
from geo import wordlists
from events.taxonomy import ACLED_TYPES, in_other_sense, vetoed

DATA = Path(__file__).resolve().parent.parent / "data"
TRIGGERS_CSV = DATA / "event_triggers.csv"
CLASSES_CSV = DATA / "event_word_classes.csv"
MODALITY_CSV = DATA / "event_modality.csv"
LEMMA_FORMS_CSV = DATA / "event_lemma_forms.csv"
KINDS = ("modal", "threat", "plan", "denial", "conditional", "accusation", "perfect", "past", "boundary", "habitual",
         "recall", "rehearsal", "day", "none")
ROLES = ("", "subject", "object", "target", "any")
POS = ("VERB", "NOUN", "any")
# irregular forms the pre-filter must see (the parse lemmatises them back)
_IRREGULAR = {"shoot": ["shot"], "throw": ["threw", "thrown"], "go": ["went", "gone"], "take": ["took", "taken"],
              "hit": ["hit"], "strike": ["struck"], "beat": ["beaten"], "burn": ["burnt"], "hurl": [], "lob": ["lobbed"],
              "step": ["stepped"], "stab": ["stabbed"], "rob": ["robbed"], "steal": ["stole", "stolen"],
              "stone": ["stoning", "stoned"], "lose": ["losing", "lost"], "fight": ["fought"]}


@dataclass(frozen=True)
class TriggerRow:
    lemma: str
    pos: str
    role: str
    words: frozenset[str]
    event_type: str
    sub_event_type: str
    replaces: frozenset[str]
    reason: str
    line: int
    unless: frozenset[str] = frozenset()  # words that must not be in the role ("killed soldiers and civilians")
    weak: bool = False  # as taxonomy.TypeRule's: in a story already told, the word tells more of the event told
    capitals: bool = False  # an abbreviation written in capitals in the lexicon ("KIA"): only a word in capitals fits


@dataclass(frozen=True)
class TriggerMatch:
    """Where the trigger word is in the sentence: the `re.Match` interface extract.py reads."""

    _start: int
    _end: int
    text: str
    subject: tuple[int, int] | None = None  # the trigger's subject, offsets in the sentence
    target: tuple[int, int] | None = None  # its object (or the passive subject: who or what was hit)
    places: tuple[tuple[int, int], ...] = ()  # the objects of its "in / near / at / into" phrases

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end

    def group(self, _=0) -> str:
        return self.text


@dataclass(frozen=True)
class _Span:
    s: int
    e: int
    text: str

    def start(self) -> int:
        return self.s

    def end(self) -> int:
        return self.e

    def group(self, _=0) -> str:
        return self.text


def _read(path: Path) -> list[tuple[int, dict]]:
    try:
        with path.open(encoding="utf-8") as handle:
            return list(enumerate(csv.DictReader(handle), start=2))
    except OSError as err:
        raise ConfigError(f"{path}: cannot be read: {err.strerror}") from err


@lru_cache(maxsize=2)
def lemma_forms(path: Path = LEMMA_FORMS_CSV) -> dict[str, str]:
    """Word forms the parser lemmatises wrongly ('raped' -> 'rap'), each with the lemma the lexicon knows it by."""
    forms = {}
    for line, row in _read(path):
        if not row.get("form") or not row.get("lemma"):
            raise ConfigError(f"{path}: line {line}: 'form' and 'lemma' are required")
        forms[row["form"].strip().lower()] = row["lemma"].strip().lower()
    return forms


def lemma_of(token) -> str:
    """The token's lemma, corrected by `data/event_lemma_forms.csv` where the parser misreads the form."""
    return lemma_forms().get(token.lower_) or token.lemma_.lower()


@lru_cache(maxsize=2)
def word_classes(path: Path = CLASSES_CSV) -> dict[str, frozenset[str]]:
    classes: dict[str, set[str]] = {}
    for line, row in _read(path):
        if not row.get("class") or not row.get("lemma"):
            raise ConfigError(f"{path}: line {line}: 'class' and 'lemma' are required")
        classes.setdefault(row["class"].strip(), set()).add(row["lemma"].strip().lower())
    return {k: frozenset(v) for k, v in classes.items()}


@lru_cache(maxsize=2)
def modality(path: Path = MODALITY_CSV) -> dict[str, tuple[str, str]]:
    found = {}
    for line, row in _read(path):
        if not row.get("lemma") or row.get("kind") not in KINDS:
            raise ConfigError(f"{path}: line {line}: needs a lemma and a kind ({', '.join(KINDS)})")
        found[row["lemma"].strip().lower()] = (row["kind"], row.get("reason") or row["kind"])
    return found


def _word_set(cell: str | None, classes, path: Path, line: int, classes_path: Path) -> frozenset[str]:
    words: set[str] = set()
    for word in filter(None, (w.strip().lower() for w in (cell or "").split("|"))):
        if word.startswith("@"):
            if word[1:] not in classes:
                raise ConfigError(f"{path}: line {line}: unknown word class '{word}' (see {classes_path.name})")
            words |= classes[word[1:]]
        else:
            words.add(word)
    return frozenset(words)


@lru_cache(maxsize=2)
def trigger_rows(path: Path = TRIGGERS_CSV, classes_path: Path = CLASSES_CSV) -> tuple[TriggerRow, ...]:
    """The trigger lexicon; a bad row is one line naming the file, the line and the problem."""
    classes = word_classes(classes_path)
    rows = []
    for line, row in _read(path):
        lemma, pos, role = ((row.get(k, "") or "").strip() for k in ("lemma", "pos", "role"))
        event_type, sub = (row.get("event_type") or "").strip(), (row.get("sub_event_type") or "").strip()
        if not lemma:
            raise ConfigError(f"{path}: line {line}: 'lemma' is required")
        if pos not in POS or role not in ROLES:
            raise ConfigError(f"{path}: line {line}: pos must be one of {POS} and role one of {ROLES[1:]} or empty")
        if sub not in ACLED_TYPES.get(event_type, ()):
            raise ConfigError(f"{path}: line {line}: '{event_type} / {sub}' is not an ACLED event type and sub-event type")
        words = _word_set(row.get("words"), classes, path, line, classes_path)
        unless = _word_set(row.get("unless"), classes, path, line, classes_path)
        if role and not words:
            raise ConfigError(f"{path}: line {line}: role '{role}' needs words")
        replaces = frozenset(filter(None, (r.strip() for r in (row.get("replaces") or "").split("|"))))
        rows.append(TriggerRow(lemma.lower(), pos, role, frozenset(words), event_type, sub, replaces,
                               (row.get("reason") or "").strip(), line, unless,
                               (row.get("weak") or "").strip().lower() in ("yes", "true", "1"), lemma.isupper()))
    return tuple(rows)


def _forms(word: str) -> list[str]:
    """Regular-expression prefixes that catch the word forms of a lemma in raw text."""
    stem = word[:-1] if word.endswith("e") and len(word) > 4 else word
    if word.endswith("y") and len(word) > 4 and word[-2] not in "aeiou":
        stem = word[:-1]  # "community" / "communities", "party" / "parties": the plural drops the y
    forms = [re.escape(stem), *(re.escape(f) for f in _IRREGULAR.get(word, ()))]
    if word.endswith("man"):
        forms.append(re.escape(word[:-3] + "men"))
    return forms


def _words_re(words) -> re.Pattern:
    forms = {f for w in words for f in _forms(w)}
    return re.compile(r"\b(?:" + "|".join(sorted(forms, key=len, reverse=True)) + r")", re.IGNORECASE)


@lru_cache(maxsize=2)
def _prefilter(path: Path = TRIGGERS_CSV) -> tuple[re.Pattern, tuple[tuple[TriggerRow, re.Pattern, re.Pattern | None], ...]]:
    """Any word form of any trigger lemma, and per row its lemma's forms and its argument words' forms: a
    sentence where no row finds both is never parsed (the parse is the costly step)."""
    rows = trigger_rows(path)
    every = _words_re({row.lemma for row in rows})
    per_row = tuple((row, _words_re([row.lemma]), _words_re(row.words) if row.words else None) for row in rows)
    return every, per_row


@lru_cache(maxsize=1)
def load_parser():
    """spaCy's small English pipeline with the tagger, parser and lemmatiser (no NER: places are found elsewhere);
    the model loaded once for NER too (geo.toponyms.load_english)."""
    from geo.toponyms import PipelineView, load_english

    nlp = load_english()
    return PipelineView(nlp, [name for name in nlp.pipe_names if name != "ner"])


@lru_cache(maxsize=2)
def replaceable(path: Path = TRIGGERS_CSV) -> frozenset[str]:
    """The regular-expression sub-types some row of the lexicon corrects."""
    return frozenset(x for row in trigger_rows(path) for x in row.replaces)


def candidate_rows(sentence: str, only: frozenset[str] | None = None) -> list[TriggerRow]:
    """The rows whose trigger word and argument words both occur in `sentence` (no parse needed to say none)."""
    every, per_row = _prefilter()
    if every.search(sentence) is None:
        return []
    return [row for row, lemma, words in per_row
            if (only is None or row.replaces & only) and lemma.search(sentence) and (words is None or words.search(sentence))]


def might_trigger(sentence: str, only: frozenset[str] | None = None) -> bool:
    return bool(candidate_rows(sentence, only))


def no_word(at: int = 0) -> _Span:
    """An empty match at `at`, to ask a rule's context questions before any trigger word is known."""
    return _Span(at, at, "")


# Parsing one clause at a time costs about three times what parsing the same clauses in batches of 64 does
# (spaCy's per-call work and small matrix products), with the same parses. `parse_ahead` hands the clauses an
# article's reading may parse (events.extract: those the lexicon or the type rules match); `_parse` then reads
# them a batch at a time, in order, holding one batch of Docs (memory stays flat on a long article).
PARSE_BATCH = 64
# A batch only pays when the reading asks for enough of the clauses it parses: a parse costs about this many
# characters' worth of batched parsing per call, plus its own characters (measured: 64 clauses of 85 characters
# 3.7 ms each alone, 1.4 ms in a batch; of 1,000 characters 21 / 17 ms). Text with no sentence end, cut into
# 1,000-character clauses, asks for one clause in nine: batching them all made the reading superlinear there.
PARSE_CALL_CHARS = 150
_local = threading.local()  # each thread reads its own article (the dashboard's and follow's threads)


class _ParseAhead:
    def __init__(self, texts: list[str], pool=None) -> None:
        self.queue = list(dict.fromkeys(texts))  # distinct clauses, in reading order
        self.where = {text: i for i, text in enumerate(self.queue)}
        self.docs: dict[str, object] = {}
        self.done = 0  # the queue before this index has been parsed (its Docs let go but the current batch's)
        self.upto = list(accumulate(len(t) for t in self.queue))  # characters of the queue up to each clause
        self.asked: set[int] = set()  # the queue's clauses the reading asked for
        self.asked_cost = 0  # their cost parsed alone, in characters (PARSE_CALL_CHARS a call)
        # with a worker pool (one long article, `clashmap extract`): every batch is sent to the workers now, in
        # order, and parsed there while this process finds the places; `get` takes them in turn
        self.results = None
        if pool is not None and self.queue:
            chunks = [self.queue[i : i + PARSE_BATCH] for i in range(0, len(self.queue), PARSE_BATCH)]
            self.results = pool.imap(_parse_chunk, chunks)

    def get(self, text: str):
        """The clause's parse from the current batch, or the next batch starting at it; None for a clause
        not listed or asked again after its batch was let go (parsed alone then)."""
        doc = self.docs.get(text)
        i = self.where.get(text, -1)
        if i >= 0 and i not in self.asked:
            self.asked.add(i)
            self.asked_cost += len(text) + PARSE_CALL_CHARS
        if doc is None and i >= self.done:
            if self.results is None and self.asked_cost < self.upto[i]:
                return None  # so far the reading asked for too few of the clauses passed: this one alone is cheaper
            if self.results is not None:  # the workers' batches are fixed: skip to the one holding the clause
                while self.done <= i:
                    first = self.done
                    self.done = min(first + PARSE_BATCH, len(self.queue))
                    parsed = next(self.results)
                    if self.done > i:
                        self.docs = dict(zip(self.queue[first : self.done], _docs_from_bytes(parsed)))
                return self.docs[text]
            chunk = self.queue[i : i + PARSE_BATCH]
            self.docs = dict(zip(chunk, load_parser().pipe(chunk, batch_size=PARSE_BATCH)))
            self.done = i + len(chunk)
            doc = self.docs[text]
        return doc


def _parse_chunk(chunk: list[str]) -> bytes:
    """Worker side: the parses of a batch of clauses as spaCy's DocBin bytes (words, tags, lemmas, heads and
    labels: what the reading asks of a parse), cheaper to ship and rebuild than pickled Docs."""
    from spacy.tokens import DocBin

    return DocBin(docs=load_parser().pipe(chunk, batch_size=PARSE_BATCH)).to_bytes()


def _docs_from_bytes(data: bytes) -> list:
    from spacy.tokens import DocBin

    from geo.toponyms import load_english

    return list(DocBin().from_bytes(data).get_docs(load_english().vocab))


@contextmanager
def parse_ahead(texts: Iterable[str], pool=None) -> Iterator[None]:
    """While reading one article: the clauses `_parse` will likely be asked for, parsed in batches when
    first needed (a clause not listed is parsed alone, as before). With `pool` (`geo.toponyms.spacy_workers`)
    every batch is handed to its worker processes at once; `started_parse_ahead` does that before the reading."""
    previous = getattr(_local, "ahead", None)
    _local.ahead = texts if isinstance(texts, _ParseAhead) else _ParseAhead(list(texts), pool)
    try:
        yield
    finally:
        _local.ahead = previous


def started_parse_ahead(texts: Iterable[str], pool) -> _ParseAhead:
    """The batches of `texts` sent to `pool`'s workers now, to be read later inside `parse_ahead(this)`."""
    return _ParseAhead(list(texts), pool)


class _NoParse:
    """What `_parse` gives while `without_parse` holds: a reading of no words, so every question put to the parse
    (a trigger's arguments, what makes it unreal, a speaker, a subject, a word's sense) finds nothing."""

    def __iter__(self):
        return iter(())

    def __len__(self) -> int:
        return 0

    def char_span(self, *_args, **_kwargs):
        return None


_NO_PARSE = _NoParse()


@contextmanager
def without_parse() -> Iterator[None]:
    """The dependency parse left out in this thread (clashmap.long_text: a long text's cheaper reading): events are
    then found by the type rules' regular expressions alone, none of the lexicon's parse-checked triggers."""
    previous = getattr(_local, "no_parse", False)
    _local.no_parse = True
    try:
        yield
    finally:
        _local.no_parse = previous


def parse_left_out() -> bool:
    return getattr(_local, "no_parse", False)


def _parse(sentence: str):
    if getattr(_local, "no_parse", False):
        return _NO_PARSE
    ahead = getattr(_local, "ahead", None)
    doc = ahead.get(sentence) if ahead is not None else None
    return doc if doc is not None else _parse_one(sentence)


@lru_cache(maxsize=256)
def _parse_one(sentence: str):
    return load_parser()(sentence)


def _span(token) -> tuple[int, int]:
    left, right = token.left_edge, token.right_edge
    return left.idx, right.idx + len(right.text)


def _arguments(token) -> dict[str, list]:
    """The trigger's subject, object, target (object or passive subject, or the noun a reduced relative
    describes: "six soldiers killed by fire") and every word of its arguments."""
    subj = [c for c in token.children if c.dep_ in ("nsubj", "csubj")]
    agent = [g for c in token.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    obj = [c for c in token.children if c.dep_ in ("dobj", "obj", "attr")]
    passive = [c for c in token.children if c.dep_ == "nsubjpass"]
    preps = [c for c in token.children if c.dep_ == "prep"]
    pobjs = [g for p in preps for g in p.children if g.dep_ == "pobj"]
    if token.pos_ == "NOUN":  # "an attack on a village", "a grenade attack"
        obj += [g for p in preps if p.lower_ in ("on", "against") for g in p.children if g.dep_ == "pobj"]
        subj += [c for c in token.children if c.dep_ in ("compound", "amod", "poss")]
    if token.dep_ == "conj" and not subj:  # "forces shot and killed a man": the first verb's subject
        subj = [c for c in token.head.children if c.dep_ in ("nsubj",)]
    if token.dep_ == "conj" and not obj and not passive:
        obj = [c for c in token.head.children if c.dep_ in ("dobj", "obj")]
    if not obj and not passive and token.pos_ == "VERB":  # "killing and abducting residents": the object shared
        obj = next(([g for g in c.children if g.dep_ in ("dobj", "obj")] for c in token.children
                    if c.dep_ == "conj" and c.pos_ == "VERB" and any(g.dep_ in ("dobj", "obj") for g in c.children)), [])
    if token.dep_ in ("xcomp", "oprd") and token.tag_ == "VBN" and not obj and not passive:
        passive = [c for c in token.head.children if c.dep_ in ("nsubj", "nsubjpass")]  # "a soldier reported wounded"
    reduced = [token.head] if token.dep_ in ("acl", "relcl") and token.head.pos_ in ("NOUN", "PROPN", "PRON") else []
    if reduced and token.head.dep_ in ("appos", "conj") and token.head.head.pos_ in ("NOUN", "PROPN"):
        reduced.append(token.head.head)  # "two troops, one civilian killed": the whole list was killed
    target = obj + passive + reduced
    return {"subject": subj + agent, "object": obj, "target": target,
            "any": subj + agent + target + pobjs + [c for c in token.children if c.dep_ in ("prt", "advmod", "compound")],
            "pobj": pobjs}


def _lemmas(tokens, trigger=None) -> set[str]:
    """The words of the arguments' subtrees; the trigger's own subtree left out (in "a man shot by officers"
    the target "man" holds the trigger's clause, whose officers shoot and are no target)."""
    own = {t.i for t in trigger.subtree} if trigger is not None else set()
    found = set()
    for top in tokens:
        for t in top.subtree:
            if t.i in own and top.i == trigger.head.i:  # only the reduced relative's head holds the trigger
                continue
            if t.pos_ != "VERB":  # a verb's lemma names no kind of people or thing ("a wildfire fanned by
                found.add(lemma_of(t))  # winds" holds no sports fan); its written form still counts
            found.add(t.lower_)
    return found


def _heads(token):
    """The trigger and the words that govern it up the clause ("vowed to attack": attack, vowed)."""
    seen = 0
    while seen < 6:
        yield token
        # ("planning a demonstration": the noun is the plan's object; "planning to launch protest rallies": the
        # compound noun 'protest' leads to 'rallies', the object of what is planned)
        if token.dep_ not in ("xcomp", "ccomp", "conj", "advcl", "pcomp", "pobj", "prep", "acomp", "dobj", "compound") \
                or token.head is token:
            return
        token = token.head
        seen += 1


# verbs whose subject is an act that happens ("an offensive could begin"): their mood is the act's
_HAPPENING = frozenset({"begin", "start", "happen", "occur", "resume", "come", "take", "erupt", "break"})
_POSSIBLE = frozenset({"could", "may", "might"})


def _no_subject(token, words) -> tuple[str, str] | None:
    """"None of the devices exploded", "No agreement was reached": a subject that counts nothing (a 'none' word of
    data/event_modality.csv, as a determiner or as the subject's head) says the act did not happen."""
    for child in token.children:
        if child.dep_ not in ("nsubj", "nsubjpass"):
            continue
        for word in (child, *(c for c in child.children if c.dep_ == "det")):
            if words.get(word.lower_, ("",))[0] == "none":
                return "negated", f"'{word.text}': {words[word.lower_][1]}"
    if token.dep_ == "nsubj" and token.head.lemma_.lower() in _HAPPENING:  # "an offensive could begin in summer"
        # (a possibility only: "a new truce would begin at midnight" tells an agreement reached, to start later)
        aux = next((c for c in token.head.children if c.dep_ == "aux" and c.lower_ in _POSSIBLE), None)
        if aux is not None:
            return "modal", f"'{aux.text}' '{token.head.text}': {words[aux.lower_][1]}"
    if token.dep_ in ("nsubj", "nsubjpass"):  # the trigger a noun: "no agreement has been reached"
        det = next((c for c in token.children if c.dep_ == "det" and words.get(c.lower_, ("",))[0] == "none"), None)
        if det is not None:
            return "negated", f"'{det.text}': {words[det.lower_][1]}"
    return None


def _recalled_through_relative(token, words) -> tuple[str, str] | None:
    """"to remember the 1994 genocide, in which militias killed 800,000": a relative clause on a noun that a
    commemoration or a rehearsal governs tells what is recalled or rehearsed (`_heads` does not climb relative
    clauses: "the soldiers who were killed will be buried" keeps its killing)."""
    clause = token
    for _ in range(3):
        if clause.dep_ == "relcl":
            break
        if clause.head is clause:
            return None
        clause = clause.head
    else:
        return None
    for head in _heads(clause.head):
        kind = words.get(head.lemma_.lower(), ("",))[0]
        if kind in ("recall", "rehearsal") and head.pos_ in ("VERB", "NOUN"):
            return kind, f"'{head.text}': {words[head.lemma_.lower()][1]}"
    return None


def _unreal(token) -> tuple[str, str] | None:
    """Why the trigger did not happen, if the parse says so: (kind, reason)."""
    words = modality()
    # "after teachers marched": a verb in the past tells its own time; so does a bare past participle the parser
    # hangs under another clause ("Teachers who will sit exams protested": 'protested' read as VBN, no auxiliary)
    own_time = token.tag_ == "VBD" or (token.tag_ == "VBN" and not any(c.dep_ in ("aux", "auxpass") for c in token.children)
                                       and token.dep_ not in ("amod", "acl", "xcomp", "oprd"))
    told_past = False  # under "after", "since", ...: it has happened, whatever the clause above plans or threatens
    if token.tag_ in ("VBP", "VBZ"):  # "rebels often attack convoys": a present habit or a generalisation, no event
        habit = next((c for c in token.children if c.dep_ == "advmod" and words.get(c.lower_, ("",))[0] == "habitual"), None)
        if habit is not None:
            return "habitual", f"'{habit.text}': {words[habit.lower_][1]}"
    # "a plan to bomb the bridge", "a plot to attack": an infinitive hung under a noun of plan or threat (the
    # parser's acl, which `_heads` does not climb: "the soldiers killed in the attack" is no plan of anyone's)
    if token.dep_ == "acl" and token.tag_ == "VB" and words.get(token.head.lemma_.lower(), ("",))[0] in ("plan", "threat"):
        kind, reason = words[token.head.lemma_.lower()]
        return kind, f"'{token.head.text}': {reason}"
    # "a march planned for Sunday", "a strike scheduled for Monday": a noun whose participle says it is planned
    planned = next((c for c in token.children if token.pos_ == "NOUN" and c.dep_ == "acl" and c.tag_ == "VBN"
                    and words.get(c.lemma_.lower(), ("",))[0] == "plan"), None)
    if planned is not None:
        return "plan", f"'{planned.text}': {words[planned.lemma_.lower()][1]}"
    nobody = _no_subject(token, words)
    if nobody is not None:
        return nobody
    recalled = _recalled_through_relative(token, words)
    if recalled is not None:
        return recalled
    for i, head in enumerate(_heads(token)):
        if i > 0 and head.lower_ in words and words[head.lower_][0] == "past":
            own_time = told_past = True  # "will meet ... after protesting": the main clause's "will" does not reach it
        for child in head.children:
            if child.dep_ == "mark" and child.lower_ in words and words[child.lower_][0] == "past":
                own_time = told_past = True
            if child.dep_ == "neg" and i == 0:
                return "negated", f"'{child.text}' negates '{token.text}'"
            if child.dep_ in ("aux", "auxpass") and child.lower_ in words and words[child.lower_][0] == "modal" \
                    and (i == 0 or (head.dep_ != "ccomp" and not own_time)):
                return "modal", f"'{child.text}': {words[child.lower_][1]}"
            if i == 0 and child.dep_ == "aux" and child.lower_ in words and words[child.lower_][0] == "perfect":
                day = _backshifted_day(token, words)
                if day is None:
                    return "perfect", f"'{child.text}': {words[child.lower_][1]}"
                trace.note("events.modality", token.text, "kept",
                           f"'{child.text} {token.text}' reports a past told with its day ('{day.text}': "
                           f"{words[day.lower_][1]}) under '{token.head.text}': backshift, not background", token.idx)
            if child.dep_ == "mark" and child.lower_ in words and words[child.lower_][0] == "conditional":
                return "conditional", f"'{child.text}': {words[child.lower_][1]}"
        if i > 0 and _identity_belief(head, token, words):
            continue
        if i > 0 and not told_past and head.lemma_.lower() in words and \
                words[head.lemma_.lower()][0] in ("threat", "plan", "denial", "accusation", "recall", "rehearsal"):
            # ("plan a new offensive after 9 were killed", "threaten X after killing three": the killing happened)
            if head.pos_ in ("VERB", "NOUN"):
                kind, reason = words[head.lemma_.lower()]
                return kind, f"'{head.text}': {reason}"
        if i > 0 and head.lemma_.lower() in ("say", "claim", "report", "tell", "announce", "according"):
            return None  # reported speech: the claimant is read elsewhere, the event stands
        if head.dep_ in ("prep", "mark") and i > 0 and words.get(head.lower_, ("",))[0] == "boundary" or \
                any(c.dep_ == "mark" and words.get(c.lower_, ("",))[0] == "boundary" for c in head.children):
            return None  # "will meet as protesting teachers fill the Capitol": the clause under "as" has its own tense
    return None


def _identity_belief(head, token, words) -> bool:
    """In "gunmen believed to belong to the Islamic State killed 12 people", the belief is about who the gunmen
    are (an infinitive under "believed": "believed to belong", "believed to be"), not about the killing, which the
    parser hangs beside it: no accusation. ("she believes he murdered her" has no such infinitive: a suspicion.)"""
    if words.get(head.lemma_.lower(), ("",))[0] != "accusation":
        return False
    identity = next((c for c in head.children if c.dep_ == "xcomp" and c.tag_ == "VB"
                     and any(a.lower_ == "to" for a in c.children) and token not in c.subtree), None)
    if identity is None:
        return False
    trace.note("events.modality", token.text, "kept", f"'{head.text} {identity.text}' tells who the actors are "
               f"believed to be, not that '{token.text}' is only believed", token.idx)
    return True


def _backshifted_day(token, words):
    """In "police said a crowd had beaten two men on Sunday", the past perfect is reported speech's backshift of
    "a crowd beat two men on Sunday": the clause, the complement of a reporting verb, names its own day (a word of
    kind `day` in data/event_modality.csv). The day's token, or None."""
    if token.dep_ != "ccomp" or token.head.lemma_.lower() not in ("say", "tell", "report", "announce", "confirm"):
        return None
    return next((t for t in token.subtree if t.lower_ in words and words[t.lower_][0] == "day"), None)


# what the regular-expression rules (taxonomy.py) are asked too: a negated, modal, planned, threatened,
# denied or conditional trigger did not happen. (An accusation, a past perfect, are not: on that path the
# trigger word is often the story's only telling of the event.)
UNREAL_FOR_RULES = ("negated", "modal", "plan", "threat", "denial", "conditional", "habitual", "recall", "rehearsal")


@lru_cache(maxsize=2)
def _unreal_cue(path: Path = MODALITY_CSV) -> re.Pattern:
    """A quick look for any word that can make a trigger unreal, so that a sentence with none is not parsed."""
    stems = {"not", "n't", "never"}
    whole = set()  # the words of a subject that counts nothing ("no", "none"), looked for as whole words
    for lemma, (kind, _) in modality(path).items():
        if kind == "none":
            whole.add(lemma)
        elif kind in UNREAL_FOR_RULES:
            stems.add(lemma[:-1] if len(lemma) > 3 and lemma[-1] in "ey" else lemma)
    alternatives = [re.escape(w) for w in sorted(stems, key=len, reverse=True)]
    alternatives += [re.escape(w) + r"\b" for w in sorted(whole, key=len, reverse=True)]
    return re.compile(r"(?:\b|(?=n't))(?:" + "|".join(alternatives) + r")", re.IGNORECASE)


# a cue word just after the trigger may still govern it: the head of a compound ("a ceasefire proposal") or the
# verb of a noun subject ("an offensive could begin"), so the quick look reaches this many characters past it
CUE_AFTER = 24


def unreal_at(sentence: str, start: int, end: int) -> tuple[str, str] | None:
    """Why the trigger a regular-expression rule found at `sentence[start:end]` did not happen, if the parse
    says so ("Teachers will march", "the rebels denied shelling X", "plans to protest"); else None."""
    # The parse decides, clause by clause: the words that govern the trigger up its clause (`_heads`: "denied on
    # Tuesday, in a statement read on television, that its troops shelled X" reaches "denied" however far back;
    # "will" in another clause of the sentence does not reach it). The sentence is parsed only when such a word
    # is somewhere before the trigger's end (a word after it governs no clause that holds it).
    if not _unreal_cue().search(sentence, 0, end + CUE_AFTER):
        return None
    doc = _parse(sentence)
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    why = _unreal(span.root)
    return why if why and why[0] in UNREAL_FOR_RULES else None


def _fits(row: TriggerRow, token, args: dict[str, list]) -> bool:
    if row.pos != "any" and token.pos_ != row.pos and not (row.pos == "VERB" and token.pos_ == "AUX"):
        return False
    if row.lemma == "go" and row.event_type == "Explosions/Remote violence" \
            and not (_lemmas(args["subject"]) & word_classes()["explosive"]):
        return False
    if not row.role:  # no words required; `unless` words are looked for in all its arguments ("a police raid")
        return not (row.unless and _lemmas(args["any"], token if token.dep_ in ("acl", "relcl") else None) & row.unless)
    found = _lemmas(args[row.role], token if token.dep_ in ("acl", "relcl") else None)
    return bool(found & row.words) and not (found & row.unless)


@dataclass(frozen=True)
class Parsed:
    row: TriggerRow
    match: TriggerMatch


def find_trigger(sentence: str, at: int = 0, only: frozenset[str] | None = None) -> Parsed | None:
    """The first trigger of the lexicon that the parse of `sentence` supports (`at`: the sentence's offset in
    the article, for the trace). `only`: the rows must replace one of these regular-expression sub-types."""
    if not might_trigger(sentence, only):
        return None
    doc = _parse(sentence)
    rows = trigger_rows()
    best: tuple[int, int, Parsed] | None = None
    unreal_words: set[int] = set()  # the words of a dropped trigger's phrase ("denied firing mortars")
    for token in doc:
        if token.i in unreal_words:
            continue
        lemma = lemma_of(token)
        candidates = [(i, r) for i, r in enumerate(rows)
                      if r.lemma == lemma and (not r.capitals or token.text.isupper())]
        if not candidates:
            continue
        args = _arguments(token)
        for i, row in candidates:
            if only is not None and not (row.replaces & only):
                continue
            if not _fits(row, token, args):
                if row.unless and trace.active() and _fits(replace(row, unless=frozenset()), token, args):
                    trace.note("events.drop", token.text, f"{row.event_type} / {row.sub_event_type} not read",
                               f"{TRIGGERS_CSV.name} line {row.line}: its arguments hold a word of its 'unless' "
                               f"list ({row.reason})", at + token.idx)
                continue
            unreal = _unreal(token)
            other_sense = False
            # (an abbreviation in capitals is no part of a name, which the context rules ask of a capitalised word)
            said = token.text.lower() if row.capitals else token.text
            if unreal is None and vetoed(row, sentence, _Span(token.idx, token.idx + len(token.text), said)):
                unreal = ("background", "taxonomy.py's context rules: a war long over, a habit, a wish to stop it")
                # a word in another sense drops only itself: what it governs may still tell an event ("Russia
                # protests over a photographer's killing": the diplomatic protest is none, the killing is one)
                other_sense = in_other_sense(sentence, _Span(token.idx, token.idx + len(token.text), said))
            if unreal:
                trace.note("events.drop", token.text, f"{row.event_type} / {row.sub_event_type} dropped",
                           f"{unreal[0]}: {unreal[1]}", at + token.idx)
                unreal_words.update([token.i] if other_sense else (t.i for t in token.subtree))
                break
            subject = _span(args["subject"][0]) if args["subject"] else None
            target = _span(args["target"][0]) if args["target"] else None
            places = tuple(_span(p) for p in args["pobj"] if p.head.lower_ in ("in", "near", "at", "into", "outside",
                                                                               "around", "on", "of", "from"))
            found = Parsed(row, TriggerMatch(token.idx, token.idx + len(token.text), token.text, subject, target, places))
            if best is None or i < best[0]:
                best = (i, token.i, found)
            break
    if best is None:
        return None
    row, match = best[2].row, best[2].match
    why = f"{TRIGGERS_CSV.name} line {row.line}: '{row.lemma}'"
    if row.role:
        why += f" with its {row.role} among {sorted(row.words)[:4]}{'...' if len(row.words) > 4 else ''}"
    trace.note("events.trigger", match.text, f"{row.event_type} / {row.sub_event_type}",
               f"{why} ({row.reason})", at + match.start())
    return best[2]


_SPEECH = wordlists.pattern(r"\b(?:{{speech_words}})\b", re.IGNORECASE)  # data/rule_words.csv
_SPEECH_LEMMAS = frozenset({"say", "claim", "report", "announce", "tell", "state", "allege", "add"})
_DETERMINERS = re.compile(r"^(?:the|a|an|its|their|his|her)\s+", re.IGNORECASE)


def speaker(sentence: str) -> tuple[str, int, int] | None:
    """Who the sentence's report is attributed to, from the parse: the subject of "said" / "claimed", or the
    object of "according to" (text and offsets in the sentence). None without a verb of speech."""
    if not _SPEECH.search(sentence):
        return None
    doc = _parse(sentence)
    for token in doc:
        who = None
        if token.lemma_.lower() in _SPEECH_LEMMAS and token.pos_ in ("VERB", "AUX"):
            who = next((c for c in token.children if c.dep_ == "nsubj"), None)
        elif token.lower_ == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
            who = next((c for c in doc[token.i + 1].children if c.dep_ == "pobj"), None)
        if who is None or who.pos_ == "PRON":
            continue
        start, end = _span(who)
        text = _DETERMINERS.sub("", sentence[start:end]).strip(" ,")
        if len(text) < 3:
            continue
        start = end - len(text) if sentence[start:end].endswith(text) else start
        return text[0].upper() + text[1:], start, end
    return None
