"""ACLED's event types and sub-event types, and the words that signal each in news copy.

The patterns live in data/event_type_patterns.csv, one row a sub-event type with the codebook's reason. Rules are
ordered: the first rule whose pattern matches a sentence decides its type, so the specific (a captured town, a drone
strike) comes before the generic (an attack).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from clashmap.errors import ConfigError
from geo import wordlists

ACLED_TYPES: dict[str, list[str]] = {
    "Battles": ["Armed clash", "Government regains territory", "Non-state actor overtakes territory"],
    "Explosions/Remote violence": ["Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade"],
    "Violence against civilians": ["Sexual violence", "Attack", "Abduction/forced disappearance"],
    "Protests": ["Peaceful protest", "Protest with intervention", "Excessive force against protesters"],
    "Riots": ["Violent demonstration", "Mob violence"],
    "Strategic developments": ["Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                               "Headquarters or base established", "Looting/property destruction",
                               "Non-violent transfer of territory", "Other"],
}


@dataclass(frozen=True)
class TypeRule:
    event_type: str
    sub_event_type: str
    pattern: re.Pattern
    weak: bool = False  # a generic word ("the attack"): in a story already told, it refers back
    line: int = 0  # its row in data/event_type_patterns.csv, for the --explain trace


# --- the type patterns (data/event_type_patterns.csv) -------------------------------------------------------
# Each `rule` row is one ACLED sub-event type's pattern over a sentence, with the codebook's reason; the rows are
# tried in the file's order, so a specific reading (a captured town, a drone strike) comes before a generic one
# (an attack). A `fragment` row names a piece of pattern that rules (and later fragments) use as {{name}}.
TYPE_PATTERNS_CSV = Path(__file__).resolve().parent.parent / "data" / "event_type_patterns.csv"
_FRAGMENT_REF = re.compile(r"\{\{(\w+)\}\}")


def _expand(pattern: str, fragments: dict[str, str], where: str) -> str:
    def one(ref: re.Match) -> str:
        if ref.group(1) not in fragments:
            raise ConfigError(f"{where}: unknown fragment {{{{{ref.group(1)}}}}} (define it in a fragment row above)")
        return fragments[ref.group(1)]
    return _FRAGMENT_REF.sub(one, pattern)


def load_type_patterns(path: Path = TYPE_PATTERNS_CSV) -> tuple[list[TypeRule], dict[str, str]]:
    """The type rules in order, and the fragments by name; a bad row is one ConfigError naming file and line."""
    rules: list[TypeRule] = []
    fragments: dict[str, str] = {}
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ConfigError(f"{path}: cannot read the event type patterns ({exc})") from None
    for line, row in enumerate(rows, start=2):
        where = f"{path} line {line}"
        kind = (row.get("kind") or "").strip()
        pattern = _expand(row.get("pattern") or "", fragments, where)
        if not pattern or not (row.get("reason") or "").strip():
            raise ConfigError(f"{where}: a row needs a pattern and a reason")
        try:
            compiled = re.compile(pattern, re.IGNORECASE)
        except re.error as exc:
            raise ConfigError(f"{where}: the pattern is not a regular expression ({exc})") from None
        if kind == "fragment":
            fragments[(row.get("name") or "").strip()] = pattern
        elif kind == "rule":
            event_type, sub = row.get("event_type") or "", row.get("sub_event_type") or ""
            if sub not in ACLED_TYPES.get(event_type, ()):
                raise ConfigError(f"{where}: {event_type!r} / {sub!r} is not an ACLED event type and sub-event type")
            rules.append(TypeRule(event_type, sub, compiled, (row.get("weak") or "").strip() == "yes", line))
        else:
            raise ConfigError(f"{where}: kind must be 'rule' or 'fragment', not {kind!r}")
    if not rules:
        raise ConfigError(f"{path}: no rule rows")
    return rules, fragments


TYPE_RULES, _FRAGMENTS = load_type_patterns()

_DRONE = re.compile(_FRAGMENTS["drone_words"], re.IGNORECASE)
# the word lists of these rules are data/rule_words.csv's, by name ({{list}}): the code keeps the grammar around them
_MISSILE_OR_GUNS = wordlists.pattern(r"\b(?:{{missile_words}})\b", re.IGNORECASE)
_GROUND_ASSAULT = wordlists.pattern(r"\b(?:{{ground_assault}})\b", re.IGNORECASE)

# A trigger in these contexts names no event of this article: fighting someone wants to stop, an
# accusation of who started it, an attack threatened or planned, a war long over ("since").
_CESSATION = wordlists.pattern(r"\b(?:{{cessation}})\s+(?:the\s+|all\s+|any\s+)?$", re.IGNORECASE)
_MODAL = wordlists.pattern(r"\b(?:{{modal_words}})\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
# "did not shell", "have never attacked", "no one fired on": the text says it did not happen
_NEGATED = wordlists.pattern(r"\b(?:{{negated_auxiliaries}})(?:\s+not|n[’']t)\s+(?:been\s+)?(?:\w+ly\s+)?$|"
                             r"\bnever\s+(?:\w+\s+)?$", re.IGNORECASE)
_SINCE = re.compile(r"\bsince\s+(?:[\w’']+\s+){0,2}$", re.IGNORECASE)
_REFERRED = wordlists.pattern(r"\b(?:{{referring_words}})\s+(?:the\s+|a\s+|its\s+)?(?:[\w-]+\s+){0,2}$"
                              r"|\b(?:{{earlier_words}})\s+(?:[\w-]+\s+)?$", re.IGNORECASE)
_BROKEN = wordlists.pattern(r"\b(?:{{broken_words}})\b", re.IGNORECASE)


# A trigger inside a relative clause in the perfect ("..., which government forces had captured") is
# background; a habitual statement ("has been shelled repeatedly") is no single event; a capitalised
# trigger inside a sentence is part of a name ("National Front for Liberation").
_BACKGROUND = re.compile(r"\b(?:which|who|whose)\b[^,;]{0,60}\b(?:had|has|have)\b[^,;]{0,40}$",
                         re.IGNORECASE)
_HABITUAL = wordlists.pattern(r"\b(?:{{habitual_words}}|"
                              r"(?P<duration>(?:days|weeks|months|years) of (?:\w+ )?(?:{{duration_acts}}))|"
                              r"had been\b[^.;]*\bsince)\b",
                              re.IGNORECASE)
# a headline after a wire slug or a label ("UPDATE 2-Fighting rages", "Mali: Fighting ..."): its first word is
# capitalised
# (not after a quote: 'Nick "Nick" Shell' is a name)
_HEADLINE_START = re.compile(r"(?:(?:^|\s)(?:[A-Z]+\s)?\d*[-–—]|[:|]\s*)$")
# a toll told in the sentence: the killing is its news, not a truce it mentions
_TOLL = wordlists.pattern(r"\b(?:{{toll_verbs}})\b", re.IGNORECASE)
_NAMED_WEAPONS = re.compile(_FRAGMENTS["named_weapons"])


# --- words of war in another sense (data/event_senses.csv) ----------------------------------------------------
# "an offensive message", "the demonstration phase", "captured on video", "a three-run blast": the word is the
# trigger's, its sense is not. Each row names a word form and what its sense needs: `noun_head` (the parse must
# read the word as a noun heading its phrase, not an adjective nor a noun modifying another), `next` / `previous`
# (none of the listed words may follow / precede it), `kind_of` (none of the listed words may stand up to three
# words before it: "threats such as farmer clashes" names a kind of violence, not one event). Only the sentences
# holding a `noun_head` form are parsed.

SENSES_CSV = Path(__file__).resolve().parent.parent / "data" / "event_senses.csv"
SENSE_KINDS = ("noun_head", "next", "previous", "kind_of", "with_object", "device_before", "state_subject")
# "state_subject": the word is a verb whose subject is a state (a country named in data/acled_countries.csv, or one
# of the listed words: "Russia protested over the killing", "the foreign ministry protested"): a diplomatic protest
# (a note, a statement), not people in the street
# "device_before": none of the listed devices may stand up to three words before it ("the Taser that was fired at
# him", "a stun gun was fired at"): what was fired is a hand-held device, not artillery
# "with_object": the word is a verb with a direct object in the parse ("chefs demonstrated recipes", "judges
# demonstrated their position": to show); without one ("thousands demonstrated outside parliament") it stands


@dataclass(frozen=True)
class Sense:
    form: str
    sense: str
    words: re.Pattern | None
    reason: str
    line: int


@lru_cache(maxsize=2)
def word_senses(path: Path = SENSES_CSV) -> dict[str, tuple[Sense, ...]]:
    """The senses table by lower-case word form (a form may have several rows: "demonstrations" is a showing as a
    noun modifying another and after "timed"); a bad row is one line naming the file, the line and the problem."""
    senses: dict[str, tuple[Sense, ...]] = {}
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(enumerate(csv.DictReader(handle), start=2))
    except OSError as err:
        raise ConfigError(f"{path}: cannot be read: {err.strerror}") from err
    for line, row in rows:
        form, sense = (row.get("form") or "").strip().lower(), (row.get("sense") or "").strip()
        words = [w.strip().lower() for w in (row.get("words") or "").split("|") if w.strip()]
        if not form or sense not in SENSE_KINDS:
            raise ConfigError(f"{path}: line {line}: needs a form and a sense ({', '.join(SENSE_KINDS)}), "
                              f"not {sense!r}")
        if sense not in ("noun_head", "with_object", "state_subject") and not words:
            raise ConfigError(f"{path}: line {line}: sense '{sense}' needs words (separated by |)")
        alternatives = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))
        pattern = None
        if sense == "next":
            pattern = re.compile(r"^\s+(?:" + alternatives + r")\b", re.IGNORECASE)
        elif sense == "state_subject":
            pattern = re.compile(r"^(?:the\s+)?(?:" + "|".join(filter(None, [alternatives, _countries_re()])) + r")$",
                                 re.IGNORECASE)
        elif sense in ("previous", "kind_of", "device_before"):
            pattern = re.compile(r"(?<![\w-])(?:" + alternatives + r")\s+" + (r"(?:[\w/-]+\s+){0,3}$" if sense != "previous" else "$"),
                                 re.IGNORECASE)
        senses[form] = senses.get(form, ()) + (Sense(form, sense, pattern, (row.get("reason") or "").strip(), line),)
    return senses


@lru_cache(maxsize=1)
def _countries_re() -> str:
    """The names of data/acled_countries.csv as a regular-expression alternation ("Russia", "United States")."""
    path = SENSES_CSV.parent / "acled_countries.csv"
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            names = [(row.get("country") or "").strip() for row in csv.DictReader(handle)]
    except OSError as err:
        raise ConfigError(f"{path}: cannot be read: {err.strerror}") from err
    return "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in sorted(filter(None, names), key=len, reverse=True))


def _other_sense(sentence: str, match) -> Sense | None:
    """The row of data/event_senses.csv that says the matched word is used in a sense that is no event."""
    word = match.group(0)
    for sense in (word_senses().get(word.lower(), ()) if word else ()):
        if _in_sense(sense, sentence, match):
            return sense
    return None


def _in_sense(sense: Sense, sentence: str, match) -> bool:
    """Whether the sentence uses the matched word in the sense the row names."""
    if sense.sense == "next":
        return bool(sense.words.search(sentence[match.end():match.end() + 40]))
    if sense.sense in ("previous", "kind_of", "device_before"):
        return bool(sense.words.search(sentence[max(0, match.start() - 40):match.start()]))
    from events.triggers import _parse  # the parse only for the few sentences holding such a word

    token = next((t for t in _parse(sentence) if t.idx == match.start()), None)
    if token is None:
        return False
    if sense.sense == "state_subject":
        return token.pos_ in ("VERB", "AUX") and any(
            child.dep_ == "nsubj" and sense.words.match(" ".join(t.text for t in child.subtree))
            for child in token.children)
    if sense.sense == "with_object":
        return any(child.dep_ in ("dobj", "ccomp") for child in token.children)
    return not (token.pos_ in ("NOUN", "PROPN") and token.dep_ not in ("compound", "amod", "nmod"))


def in_other_sense(sentence: str, match) -> bool:
    """Whether a row of data/event_senses.csv says `match` is used in a sense that is no event (no trace note)."""
    return _other_sense(sentence, match) is not None


def other_sense(sentence: str, match, at: int = 0) -> bool:
    """Whether `match` is a word of war used in another sense; notes the row that says so in the trace."""
    sense = _other_sense(sentence, match)
    if sense is None:
        return False
    from clashmap import trace

    trace.note("events.drop", match.group(0), f"another sense ({sense.sense})",
               f"{SENSES_CSV.name} line {sense.line}: {sense.reason}", at + match.start())
    return True


def _vetoed(rule: TypeRule, sentence: str, match: re.Match, at: int = 0) -> bool:
    reason = _veto_reason(rule, sentence, match, at)
    if reason is not None and reason != _OTHER_SENSE:
        from clashmap import trace

        trace.note("events.drop", match.group(0), f"{rule.event_type} / {rule.sub_event_type} dropped",
                   f"taxonomy.py: {reason}", at + match.start())
    return reason is not None


_OTHER_SENSE = "another sense (noted by other_sense)"


def _veto_reason(rule: TypeRule, sentence: str, match: re.Match, at: int = 0) -> str | None:
    """Why the context says `match` names no event of this article, or None (`at`: where the sentence starts)."""
    before = sentence[max(0, match.start() - 40) : match.start()]
    if other_sense(sentence, match, at):
        return _OTHER_SENSE
    if found := _CESSATION.search(before):
        return wordlists.cited("fighting someone wants to stop or fled from, not fighting that happened", "cessation",
                               found.group(0))
    if _SINCE.search(before):
        return "'since' before it: a war long over"
    if found := _NEGATED.search(before):
        return wordlists.cited("negated: the text says it did not happen", "negated_auxiliaries", found.group(0))
    if match.start() > 0 and match.group(0)[:1].isupper() and not _NAMED_WEAPONS.match(match.group(0)) \
            and not _HEADLINE_START.search(sentence, 0, match.start()):
        return "capitalised inside a sentence: part of a name"
    if rule.event_type not in ("Strategic developments", "Protests"):
        if found := _habitual(rule, sentence):
            return wordlists.cited("a habitual statement (repeatedly, days of fighting): no single event",
                                   "duration_acts" if found.group("duration") else "habitual_words", found.group(0))
        if _BACKGROUND.search(sentence[max(0, match.start() - 100) : match.start()]):
            return "inside a relative clause in the perfect: background"
    if rule.sub_event_type == "Agreement":
        # a truce reported broken, or only referred to ("soon after the truce"), or told beside a toll
        # ("fighting kills 28 as clock ticks to ceasefire"): the news is elsewhere
        why = "a truce reported broken, referred to, or told beside a toll"
        for names, search, text in ((("broken_words",), _BROKEN.search, sentence),
                                    (("referring_words", "earlier_words"), _REFERRED.search, before),
                                    (("toll_verbs",), _TOLL.search, sentence)):
            if found := search(text):
                return wordlists.cited(why, names, found.group(0))
        return None
    if found := _MODAL.search(before):
        return wordlists.cited("modal, threatened or planned: it has not happened", "modal_words", found.group(0))
    return None


# "seized the outpost after two days of fighting": the fighting led to the capture, which is the news
_LEAD_UP = re.compile(r"\bafter\s+(?:\w+\s+)?$", re.IGNORECASE)


def _habitual(rule: TypeRule, sentence: str) -> re.Match | None:
    """The words that make the sentence a habit or a long campaign, or None."""
    for found in _HABITUAL.finditer(sentence):
        lead_up = found.group("duration") and _LEAD_UP.search(sentence, max(0, found.start() - 20), found.start())
        if not (lead_up and rule.sub_event_type in _TERRITORY):
            return found
    return None


_TERRITORY = ("Government regains territory", "Non-state actor overtakes territory")


def vetoed(rule, sentence: str, match) -> bool:
    """Whether the context of `match` says it names no event of this article (for the parsed triggers too)."""
    return _vetoed(rule, sentence, match)


def classify(sentence: str, skip=None, at: int = 0) -> tuple[TypeRule, re.Match] | None:
    """The first rule with a match in the sentence that is not vetoed by its context, and the match (the evidence).

    `skip(rule, match)` lets the caller pass over matches it explains otherwise (a reference to an event
    the story already told), so a second event in the same sentence is still found.
    """
    for rule in TYPE_RULES:
        for match in rule.pattern.finditer(sentence):
            if not _vetoed(rule, sentence, match, at) and not (skip and skip(rule, match)):
                if rule.sub_event_type == "Air/drone strike" and _DRONE.search(match.group(0)):
                    # "its artillery and drones struck", "a missile and drone attack": mixed fire is coded as shelling
                    shelling = next(r for r in TYPE_RULES if r.sub_event_type == "Shelling/artillery/missile attack")
                    mixed = next((m for m in shelling.pattern.finditer(sentence)
                                  if not _vetoed(shelling, sentence, m) and not (skip and skip(shelling, m))), None)
                    if mixed is not None or _MISSILE_OR_GUNS.search(sentence):
                        return shelling, mixed or match
                if rule.sub_event_type == "Shelling/artillery/missile attack" and _GROUND_ASSAULT.search(sentence):
                    # "opened artillery fire and launched an attack": fire in support of an assault is a battle
                    clash = next(r for r in TYPE_RULES if r.sub_event_type == "Armed clash" and not r.weak)
                    assault = _GROUND_ASSAULT.search(sentence)
                    if not _vetoed(clash, sentence, assault) and not (skip and skip(clash, assault)):
                        return clash, assault
                return rule, match
    return None


# --- the story's context: is this trigger an ACLED event at all? (issue 11, item 2) ---------------------------
# data/event_context_rules.csv names each rule, whether its words drop the trigger ("drop_if": a trial, a
# charge) or are needed for it ("needs": a battle needs armed parties, an arrest a political side), and the
# event types or sub-types it applies to; data/event_context.csv lists each rule's words, one a row, with why.

_DATA = Path(__file__).resolve().parent.parent / "data"
CONTEXT_RULES_CSV = _DATA / "event_context_rules.csv"
CONTEXT_CSV = _DATA / "event_context.csv"
CONTEXT_MODES = ("drop_if", "drop_if_unarmed", "needs", "needs_place", "needs_in_article")
# "needs_in_article": as "needs" (story scope), but only asked of a story told at length: a headline or a one-line
# report ("Six killed in east Ukraine") is too short for the absence of a word to say anything
ARTICLE_SENTENCES = 3
# a period after a lone capital ("E. Ukraine", "U.S. troops") ends no sentence
_SENTENCE_END = re.compile(r"(?<!\b[A-Z])[.!?][\"”’']?\s+(?=[\"“‘'(]?[A-Z])")
CONTEXT_SCOPES = ("sentence", "story", "lead")
# "lead": the story's first sentence, which says what kind of story it is ("A court sentenced...", "In the new
# film..."): its words frame every sentence after it


@dataclass(frozen=True)
class ContextRule:
    name: str
    mode: str
    scope: str  # where the words are looked for: the trigger's sentence, the whole story or its lead sentence
    applies_to: frozenset[str]  # event types or sub-event types
    words: re.Pattern
    reason: str


def _csv_rows(path: Path) -> list[tuple[int, dict]]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return list(enumerate(csv.DictReader(handle), start=2))
    except OSError as err:
        raise ConfigError(f"{path}: cannot be read: {err.strerror}") from err


@lru_cache(maxsize=2)
def context_rules(rules_path: Path = CONTEXT_RULES_CSV, words_path: Path = CONTEXT_CSV) -> tuple[ContextRule, ...]:
    """The context rules with their words; a bad row is one line naming the file, the line and the problem."""
    known = set(ACLED_TYPES) | {s for subs in ACLED_TYPES.values() for s in subs}
    heads: dict[str, tuple[str, str, frozenset[str], str]] = {}
    for line, row in _csv_rows(rules_path):
        name, mode, scope = ((row.get(k) or "").strip() for k in ("rule", "mode", "scope"))
        applies = frozenset(filter(None, (x.strip() for x in (row.get("applies_to") or "").split("|"))))
        if not name or mode not in CONTEXT_MODES or scope not in CONTEXT_SCOPES or not applies:
            raise ConfigError(f"{rules_path}: line {line}: needs a rule, a mode ({', '.join(CONTEXT_MODES)}), "
                              f"a scope ({', '.join(CONTEXT_SCOPES)}) and applies_to")
        if applies - known:
            raise ConfigError(f"{rules_path}: line {line}: {', '.join(sorted(applies - known))} is no ACLED "
                              "event type or sub-event type")
        heads[name] = (mode, scope, applies, (row.get("reason") or "").strip())
    forms: dict[str, set[str]] = {name: set() for name in heads}
    for line, row in _csv_rows(words_path):
        name, form = (row.get("rule") or "").strip(), (row.get("form") or "").strip()
        form = form if form.isupper() else form.lower()  # "KIA" in capitals is an abbreviation, "Kia" a carmaker
        if name not in heads or not form:
            raise ConfigError(f"{words_path}: line {line}: needs a form and a rule of {rules_path.name} "
                              f"({', '.join(heads)})")
        forms[name].add(form)
    rules = []
    for name, (mode, scope, applies, reason) in heads.items():
        if not forms[name]:
            raise ConfigError(f"{words_path}: rule '{name}' of {rules_path.name} has no words")
        alternatives = "|".join(_form_re(f) for f in sorted(forms[name], key=len, reverse=True))
        rules.append(ContextRule(name, mode, scope, applies, re.compile(r"\b(?:" + alternatives + r")\b", re.IGNORECASE),
                                 reason))
    return tuple(rules)


def _form_re(form: str) -> str:
    """One word form of data/event_context.csv as a regular expression: spaces match any space, ' * ' up to three
    words ("heightened * fighting": "heightened eastern border fighting"), '<year>' a year ("killed since <year>"), a
    form in capitals only in capitals."""
    parts = [re.escape(part).replace(r"\ ", r"\s+").replace("<year>", r"(?:19|20)\d\d") for part in form.split(" * ")]
    pattern = r"(?:\s+[\w’'-]+){0,3}\s+".join(parts)
    return f"(?-i:{pattern})" if form.isupper() else pattern


def _armed_party(text: str, start: int, end: int) -> bool:
    """An armed side in text[start:end]: a military force, a rebel group, a militia, gunmen (ACLED inter 1 for a
    state's military, 2, 3, 4, 8); the police alone are no armed side here (they report crimes)."""
    from events.actors import article_actors, load_table

    if any(start <= m.start and m.end <= end and (m.inter in (2, 3, 4, 8) or m.actor.startswith("Military Forces"))
           for m in article_actors(text)):
        return True
    table = load_table()  # "Soldiers shot a man and his wife": an armed noun with no country or determiner
    for match in table.nouns.finditer(text, start, end):
        form = table.noun_form.get(match.group("noun").lower())
        if form is not None and (form.inter in (2, 3, 4, 8) or form.template.startswith("Military Forces")):
            return True
    return False


def _armed_actor_named(text: str, start: int, end: int) -> str | None:
    """A named armed actor of the actor table in text[start:end] ("the Taliban", "SDF"): a party to a battle."""
    from events.actors import article_actors

    for mention in article_actors(text):
        if start <= mention.start and mention.end <= end and mention.kind == "named" \
                and not mention.actor.startswith(("Civilians", "Protesters")):
            return text[mention.start:mention.end]
    return None


@lru_cache(maxsize=64)
def _told_at_length(text: str) -> bool:
    """The story has ARTICLE_SENTENCES sentences or more (a headline or a wire line has one or two)."""
    return len(_SENTENCE_END.findall(text)) + 1 >= ARTICLE_SENTENCES


@lru_cache(maxsize=64)
def _in_story(ctx: ContextRule, text: str) -> re.Match | None:
    return ctx.words.search(text)


@lru_cache(maxsize=64)
def _lead_end(text: str, body_start: int = 0) -> int:
    """Where the story's first sentence ends (its first line's first sentence: a title line is its lead). The
    lead is looked for from `body_start` on: header lines ("source: Test Wire") and the `date` line's dateline are
    no part of the story's words."""
    body = text[body_start:].lstrip()
    offset = len(text) - len(body)
    line = body.split("\n", 1)[0]
    end = _SENTENCE_END.search(line)
    return offset + (end.start() + 1 if end else len(line))


_POSSESSIVE = re.compile(r"['’]s\b")


def _words_in(ctx: ContextRule, text: str, start: int, end: int, body_start: int = 0) -> re.Match | None:
    if ctx.scope == "sentence" and ctx.mode == "needs":
        # a word the trigger needs names who or what, not whose: "arrested at the mayor's home" is no arrest of
        # the mayor (a word in the possessive owns a place or a thing and does not meet the need)
        sentence = text[start:end]
        return next((m for m in ctx.words.finditer(sentence) if not _POSSESSIVE.match(sentence, m.end())), None)
    if ctx.scope == "sentence":
        return ctx.words.search(text[start:end])
    if ctx.scope == "lead":
        return ctx.words.search(text, body_start, _lead_end(text, body_start))
    return _in_story(ctx, text)


def out_of_context(rule, text: str, start: int, end: int, place_named: bool = False,
                   body_start: int = 0) -> tuple[str, str, str] | None:
    """Whether the sentence text[start:end] says the trigger of `rule` is no ACLED event: (rule name, the
    word that decided or '', why); None when it may stand. `place_named`: the sentence names a place the
    gazetteer knows (a "needs_place" rule is met by its words or by that place). `body_start`: where the
    article's body begins (the "lead" scope reads its first sentence, not the header lines)."""
    for ctx in context_rules():
        if ctx.mode == "needs_place":
            if (rule.event_type in ctx.applies_to or rule.sub_event_type in ctx.applies_to) and not place_named \
                    and not ctx.words.search(text[start:end]):
                return ctx.name, "", ctx.reason
            continue
        if rule.event_type not in ctx.applies_to and rule.sub_event_type not in ctx.applies_to:
            continue
        hit = _words_in(ctx, text, start, end, body_start)
        if ctx.mode == "drop_if" and hit:
            return ctx.name, hit.group(0), ctx.reason
        if ctx.mode == "drop_if_unarmed" and hit and not _armed_party(text, start, end):
            return ctx.name, hit.group(0), ctx.reason
        if ctx.mode == "needs_in_article" and not hit and _told_at_length(text) \
                and not _armed_actor_named(text, 0, len(text)):
            return ctx.name, "", ctx.reason
        if ctx.mode == "needs" and not hit:
            if ctx.scope == "story" and _armed_actor_named(text, 0, len(text)):
                continue  # "the Taliban", "SDF": the table's armed actors are armed parties
            return ctx.name, "", ctx.reason
    return None
