"""Find the events of one article, sentence by sentence, keeping the story's thread.

News copy spreads one event over several sentences: the date in one ("on Saturday evening"),
the place in the previous paragraph ("the city"), the losses in a quote that follows. So the
extractor carries the story's last date and place forward, and a sentence that only adds
numbers or repeats an event (same day, place and type) enriches the event already found.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from operator import itemgetter

from articles.model import Article
from clashmap import trace
from events import gate, scope
from events.actors import (CROWD_OF_TYPE, ActorMention, actor_from_subject, civilians_of, context_actor, context_span,
                           country_name, crowd_of, find_actors, is_non_state_armed, localise, parse_subject, state_country,
                           subject_may_be_actor,
                           state_force_in, state_from_subject)
from events.casing import is_title_case, sentence_cased
from events.claims import Claim, contest_spans, find_claim, is_contested, refers_back
from events.dates import DateMention, background_reason, find_dates, long_past, recalled_by_cue
from events.merge import merge_fatalities
from events.model import ExtractedEvent
from events.numbers import find_fatalities, find_losses
from events.sentences import Sentence, split_clauses, split_sentences
from events.taxonomy import ACLED_TYPES, classify, out_of_context
from events.triggers import (TRIGGERS_CSV, candidate_rows, find_trigger, might_trigger, no_word, parse_ahead,
                             parse_left_out, replaceable, speaker, unreal_at, word_classes)
from geo import wordlists
from geo.resolve import Resolution

# the word lists of these rules are data/rule_words.csv's, by name ({{list}}): the code keeps the grammar around them
_NEAR = wordlists.pattern(r"\b(?:{{near}})\s+(?:the\s+)?(?:#)?$", re.IGNORECASE)
_SPAN_START = re.compile(r"\b(?:since|from|until|through)\s+$", re.IGNORECASE)  # "occupied since February"
_BEFORE_DATE = re.compile(r"\b(?:prior to|before|since|after|following|until)\s+(?:the\s+\w+\s+)?(?:on\s+)?$", re.IGNORECASE)
# plurals the civilian words of data/event_word_classes.csv take that an added "s" does not make
_ANYONE = {"person", "people"}
_PLURALS = {"man": "men", "woman": "women", "child": "children", "person": "people", "family": "families"}


def _civilian_re() -> re.Pattern:
    """Words for civilians or their homes and gathering places (classes `civilian` and `civilian_site` of
    data/event_word_classes.csv, singular and plural): the target of a blast or an attack with no side named."""
    classes = word_classes()
    words = set(classes.get("civilian", ())) | set(classes.get("civilian_site", ())) | {"residential", "apartment"}
    words -= _ANYONE  # ("killing 11 people": a toll of anyone, fighters included, names no target)
    forms = {f for w in words for f in (w, w + "s", _PLURALS.get(w, w), re.sub(r"(?<=[^aeiou])y$", "ies", w))}
    return re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, forms), key=len, reverse=True)) + r")\b",
                      re.IGNORECASE)


_CIVILIAN = _civilian_re()


_SAID_ON = wordlists.pattern(r"\b(?:{{said_on}})\s+(?:late\s+|early\s+)?(?:on\s+)?$", re.IGNORECASE)
# ACLED names state forces "Military Forces of X (...)", "Police Forces of X (...)", "Government of X": any other
# armed actor that takes a town is a non-state actor (the rule reads the same for every war)
_STATE_ACTOR = wordlists.pattern(r"^(?:{{state_actor_names}})(?: of\b|$)")
# "an attack in the southern direction of the front", "fired on Armenian positions": fighting at a front line
# that the text does not name is not in the city the story is filed from
_AT_THE_FRONT = wordlists.pattern(r"\b(?:{{at_the_front}})\b", re.IGNORECASE)
_SUB_ONLY_IF_CONTESTED = "Government regains territory"
_LOCAL_TYPES = ("Protests", "Riots")
_CAPTURES = ("Government regains territory", "Non-state actor overtakes territory")
# sub-types where one side strikes and the other is struck (ACLED's remote violence and violence against civilians),
# and riots, whose first actor is the crowd ("youths hurled stones at police": the police are actor2)
_ONE_SIDED = frozenset(ACLED_TYPES["Explosions/Remote violence"]) | frozenset(ACLED_TYPES["Violence against civilians"]) \
    | frozenset(ACLED_TYPES["Riots"])
_FORCE_ON_PROTEST = ("Protest with intervention", "Excessive force against protesters")
# ACLED's protest sub-types by the force used on the crowd: none, dispersal or arrests, lethal or grave violence
_PROTEST_FORCE = {"Peaceful protest": 0, "Protest with intervention": 1, "Excessive force against protesters": 2}
_BY_BEFORE = re.compile(r"\b(?:by|from)\s+(?:the\s+)?$", re.IGNORECASE)
# "Six people were killed when gunmen opened fire": the side that opens the clause after the toll acts
_MUTUAL = wordlists.pattern(r"\b(?:{{mutual}})\b", re.IGNORECASE)
_WHEN_BEFORE = re.compile(r"\b(?:when|as|after)\s+(?:the\s+|a\s+|some\s+)?(?:suspected\s+|unidentified\s+|unknown\s+)?$",
                          re.IGNORECASE)


def _geo_precision(article: Article, res: Resolution) -> int:
    """ACLED's 1 (the town), 2 (near it or a part of it), 3 (a region, district or front sector)."""
    if res.place is not None and res.place.kind in ("region", "country"):
        return 3
    before = article.text[max(0, res.toponym.start - 40) : res.toponym.start]
    after = article.text[res.toponym.end : res.toponym.end + 30]
    if _AREA_AFTER.match(after):  # "the Tartar district", "the Zangilan and Gubadli directions"
        return 2 if _VILLAGES_IN.search(before) else 3
    if _PART_AFTER.match(after):  # "Aden airport", "al-Watiya air base"
        return 2
    return 2 if _NEAR.search(before) else 1


def _precision_why(text: str, res: Resolution) -> str:
    """For --explain: the geo-precision `_geo_precision` gives and the word list row that decided it."""
    before = text[max(0, res.toponym.start - 40) : res.toponym.start]
    after = text[res.toponym.end : res.toponym.end + 30]
    if res.place is not None and res.place.kind in ("region", "country"):
        precision = 3
    elif _AREA_AFTER.match(after):
        precision = 2 if _VILLAGES_IN.search(before) else 3
    else:
        precision = 2 if _PART_AFTER.match(after) or _NEAR.search(before) else 1
    why = f"; geo-precision {precision}"
    if res.place is not None and res.place.kind in ("region", "country"):
        return why + f" (a {res.place.kind})"
    for name, found in (("area_nouns", _AREA_AFTER.match(after)), ("site_parts", _PART_AFTER.match(after)),
                        ("near", _NEAR.search(before))):
        if found:
            where = wordlists.cite(name, found.group(0))
            return why + (f" [{where}]" if where else "")
    return why + " (named as it is)"


_AREA_AFTER = wordlists.pattern(r"(?:\s+and\s+[A-Z][\w'’-]+)?\s+(?:{{area_nouns}})\b")
_VILLAGES_IN = wordlists.pattern(r"\b(?:{{village_nouns}})\s+(?:in|of)\s+the\s+$", re.IGNORECASE)
_PART_AFTER = wordlists.pattern(r"\s+(?:{{site_parts}})\b", re.IGNORECASE)


def _pick_date(article: Article, dates: list[DateMention], trigger_at: int) -> DateMention | None:
    kept = []
    for d in dates:
        why = background_reason(article.text, d, article.published)
        if why:
            trace.note("events.date", d.text, "not the event's date", why, d.start)
        else:
            kept.append(d)
    dates = kept
    usable = [d for d in dates if not _BEFORE_DATE.search(article.text[max(0, d.start - 35) : d.start])]
    candidates = usable or dates
    if not candidates:
        return None
    lo, hi = clause_bounds(article.text, trigger_at)
    in_clause = [d for d in candidates if lo <= d.start < hi]
    if not in_clause:
        # a later clause dates the event when it is just the date (", on Wednesday"), not when it tells
        # something else (", in line with the deal reached a week earlier")
        candidates = [d for d in candidates if d.start < trigger_at or _short_lead(article.text, d.start)]
        if not candidates:
            return None
    return min(in_clause or candidates, key=lambda d: abs(d.start - trigger_at))


def _short_lead(text: str, at: int) -> bool:
    lo, _ = clause_bounds(text, at)
    return len(text[lo:at].split()) <= 3


def clause_bounds(text: str, at: int) -> tuple[int, int]:
    """The comma-, semicolon- or dash-delimited stretch of the sentence around `at`: dates and places there
    belong to the trigger; those in an appended clause may describe something else."""
    opens, closes = _clause_marks(text)
    i = bisect_left(opens, at)
    j = bisect_left(closes, at)
    return (opens[i - 1] + 1 if i else 0), (closes[j] if j < len(closes) else len(text))


_CLAUSE_OPEN = re.compile(r"[,;–—\n.]")
_CLAUSE_CLOSE = re.compile(r"[,;–—\n]|\.(?=\s|$)")


@lru_cache(maxsize=2)
def _clause_marks(text: str) -> tuple[list[int], list[int]]:
    """Where clauses of `text` may open (after any of , ; – — newline or full stop) and close (at , ; – —
    newline or a full stop before a space), found once per article: searching the text before and after
    each trigger for each mark went over the whole text when a mark was missing (a one-line page)."""
    return [m.start() for m in _CLAUSE_OPEN.finditer(text)], [m.start() for m in _CLAUSE_CLOSE.finditer(text)]


def _next_in_paragraph(sentences: list[Sentence], sentence: Sentence, sites) -> Resolution | None:
    """The first resolved place of the sentence after `sentence`, if it is in the same paragraph."""
    after = next((s for s in sentences if s.start >= sentence.end), None)
    if after is None or after.paragraph != sentence.paragraph:
        return None
    return next((r for r in sites.between(after.start, after.end) if r.place is not None), None)


def _pick_place(places: list[Resolution], trigger_at: int) -> Resolution | None:
    places = [r for r in places if r.place is not None]  # an unresolved name cannot be put on the map
    if not places:
        return None
    # the most precise first: a town before a region, a region before a country ("near the border, in Thailand's
    # Surin province": the province, not the country nearer the trigger)
    specific = [r for r in places if _is_city(r.place)] or [r for r in places if r.place.kind != "country"]
    return min(specific or places, key=lambda r: abs(r.toponym.start - trigger_at))


def _actors(mentions: list[ActorMention], trigger_at: int) -> tuple[ActorMention | None, ActorMention | None]:
    if not mentions:
        return None, None
    before = [m for m in mentions if m.start < trigger_at and not m.actor.startswith("Civilians")]
    first = before[-1] if before else next((m for m in mentions if not m.actor.startswith("Civilians")), None)
    if first is None:  # only victims named: the perpetrator is unknown, the civilians are the target
        return None, mentions[0]
    second = next((m for m in mentions if m.actor != first.actor), None)
    return first, second


def _compatible(a: ExtractedEvent, b: ExtractedEvent) -> bool:
    if a.sub_event_type == b.sub_event_type == "Agreement" and a.event_date and b.event_date \
            and abs((a.event_date - b.event_date).days) <= 1:
        return True  # announced on Sunday, in force on Monday: one agreement
    if a.event_date != b.event_date or a.event_type != b.event_type:
        return False
    if (a.place.id if a.place else None) != (b.place.id if b.place else None):
        return False
    actors_a = {x for x in (a.actor1, a.actor2) if x}
    actors_b = {x for x in (b.actor1, b.actor2) if x}
    return actors_a <= actors_b or actors_b <= actors_a


def _merge(into: ExtractedEvent, other: ExtractedEvent) -> None:
    """Fold a repeated mention of the same event into the first one, keeping every piece of evidence."""
    if into.sub_event_type == "Agreement" and _is_city(other.place) and not _is_city(into.place):
        # the place where an agreement was concluded beats the region it covers, with its day
        into.place, into.geo_precision, into.event_date = other.place, other.geo_precision, other.event_date
    into.actor1 = into.actor1 or other.actor1
    if not into.actor2 and other.actor2 and other.actor2 != into.actor1:
        into.actor2 = other.actor2
    if other.actor1 and other.actor1 not in (into.actor1, into.actor2) and not into.actor2:
        into.actor2 = other.actor1
    for kind, count in other.losses.items():
        into.losses[kind] = max(into.losses.get(kind, 0), count)
    if other.fatalities and into.fatalities and other.claimed_by and other.claimed_by != into.claimed_by \
            and other.fatalities["best"] != into.fatalities["best"]:
        into.fatalities = merge_fatalities(into.fatalities, other.fatalities)  # two accounts: the lowest count (ACLED)
    elif other.fatalities and (not into.fatalities or other.fatalities["best"] > into.fatalities["best"]):
        into.fatalities = other.fatalities
    into.claimed_by = into.claimed_by or other.claimed_by
    into.contested = into.contested or other.contested
    if _PROTEST_FORCE.get(other.sub_event_type, -1) > _PROTEST_FORCE.get(into.sub_event_type, 99):
        # "Protests turned deadly ... Police opened fire on crowds": one protest, coded by the force used on it
        trace.note("events.type", other.text[:60], f"Protests / {other.sub_event_type}",
                   f"a later mention of the same protest tells force beyond '{into.sub_event_type}': the protest "
                   "is coded by the most force used on it (ACLED codebook)", other.start)
        into.sub_event_type = other.sub_event_type
    into.geo_precision = min(into.geo_precision, other.geo_precision)
    if into.sub_event_type == "Armed clash" and other.sub_event_type in _CAPTURES:
        into.sub_event_type = other.sub_event_type  # the day's fighting ended in a capture
    for name, spans in other.evidence.items():
        for span in spans:
            into.add_evidence(name, *span)


def extract_events(article: Article, resolutions: list[Resolution], ahead=None) -> list[ExtractedEvent]:
    """Events of one article, in order of first mention, one per (date, place, type, actors). `ahead`: the
    article's clause parses already started in worker processes (`parse_plan`, `triggers.started_parse_ahead`)."""
    whole = split_sentences(article.text, article.body_start)
    found = _extract_all(article, resolutions, whole, [c for s in whole for c in split_clauses(s)], ahead)
    if found or parse_left_out():  # (the sentence case is for the parser's sake: without it, nothing to redo)
        # the fitted gate against general news' false events (events/gate.py), then the article's scope (events/scope.py)
        return scope.apply(gate.apply(found, article.text), article.text)
    # nothing read: a title-cased headline ("Militants Kill Five Soldiers") is read again in sentence case
    # (only then, so that what the text as written gives is never lost to the lowering)
    lowered, whole = _in_sentence_case(article, resolutions, whole)
    if lowered is article:
        return found
    # (the parses started ahead were of the text as written: the lowered text's are made here)
    found = _extract_all(lowered, resolutions, whole, [c for s in whole for c in split_clauses(s)], None)
    for event in found:  # the text as written, not as lowered for reading
        event.text = article.text[event.start:event.end]
    return scope.apply(gate.apply(found, lowered.text), lowered.text)


def _in_sentence_case(article: Article, resolutions: list[Resolution], whole: list[Sentence]):
    """A title-cased headline read in sentence case (events/casing.py), names kept as written."""
    if not any(is_title_case(s.text) for s in whole):
        return article, whole
    keep = [(r.toponym.start, r.toponym.end) for r in resolutions]
    keep += [(m.start, m.end) for m in find_actors(article.text)]  # "Islamic State", "Gunmen": as written
    text = sentence_cased(article.text, whole, keep)
    if text == article.text:
        return article, whole
    article = replace(article, text=text)
    return article, [replace(s, text=text[s.start:s.end]) for s in whole]


def _extract_all(article: Article, resolutions: list[Resolution], whole: list[Sentence],
                 sentences: list[Sentence], ahead) -> list[ExtractedEvent]:
    if len(sentences) < PARSE_AHEAD_CLAUSES or parse_left_out():
        return _no_toll_of_peace(_extract_events(article, resolutions, whole, sentences))
    # a long article: the clauses whose parse the reading may ask for, parsed in batches (triggers.parse_ahead)
    with parse_ahead(ahead if ahead is not None else _to_parse(sentences)):
        return _no_toll_of_peace(_extract_events(article, resolutions, whole, sentences))


# the state's men as the ones who shoot or kill ("security forces shot dead", not "six police officers were killed")
_FORCE_KILLED = wordlists.pattern(r"\b(?:{{force_words}})\b[^.]{0,40}?(?<!were )(?<!was )(?<!been )\b(?:{{force_acts}})\b",
                                  re.IGNORECASE)
# the dead a crowd marches over: "against the killing of", "over the deaths of", "after police killed"
_TOLL_AS_CAUSE = wordlists.pattern(r"\b(?:{{toll_cause}})\b[^.]{0,80}\b(?:{{toll_words}})\b", re.IGNORECASE)


def _no_toll_of_peace(events: list[ExtractedEvent]) -> list[ExtractedEvent]:
    """A peaceful protest kills no one (ACLED codebook: demonstrators and the state use no violence): a toll read
    in its sentence is the cause the crowd protests ("after the deaths of eight women"), not the protest's own.
    A protest the authorities intervened in, with dead of its own, met lethal force: excessive force (ACLED
    codebook: "violence resulting in serious injuries or death")."""
    for event in events:
        if event.sub_event_type == "Peaceful protest" and event.fatalities and event.fatalities.get("best") \
                and _FORCE_KILLED.search(event.text) and not _TOLL_AS_CAUSE.search(event.text):
            # "Security forces shot dead fifty people as demonstrators protested": the state side of the protest
            # killed, in the sentence that tells it (not a cause the crowd marches over)
            if trace.active():
                shot = _FORCE_KILLED.search(event.text).group(0)
                why = wordlists.cited(wordlists.cited("the state's men shot or killed people in the protest's sentence "
                                                      "(not a cause it marches over)", "force_words", shot),
                                      "force_acts", shot[shot.find(" ") + 1:] if " " in shot else shot)
                trace.note("events.type", event.text[:60], "Protests / Protest with intervention", why, event.start)
            event.sub_event_type = "Protest with intervention"
        if event.sub_event_type == "Protest with intervention" and event.fatalities and event.fatalities.get("best"):
            trace.note("events.type", event.text[:60], "Protests / Excessive force against protesters",
                       f"an intervention with {event.fatalities['best']} dead is excessive force (ACLED codebook)",
                       event.start)
            event.sub_event_type = "Excessive force against protesters"
        if event.sub_event_type == "Peaceful protest" and event.fatalities and event.fatalities.get("best"):
            trace.note("events.numbers", event.text[:60], "fatalities dropped",
                       "a peaceful protest has no fatalities (ACLED): the dead it names are its cause", event.start)
            event.fatalities = None
    return events


def parse_plan(article: Article) -> list[str] | None:
    """The clauses `extract_events` parses in batches on a long article (None under PARSE_AHEAD_CLAUSES
    clauses: a news article's few parses are made as they are asked for)."""
    sentences = [c for s in split_sentences(article.text, article.body_start) for c in split_clauses(s)]
    return _to_parse(sentences) if len(sentences) >= PARSE_AHEAD_CLAUSES else None


def _to_parse(sentences: list[Sentence]) -> list[str]:
    return [s.text for s in sentences if _may_parse(s.text)]


# Looking for the clauses to parse ahead costs about 5 ms on a news article (the type rules and the lexicon
# read each clause once more), more than batching its two or three parses saves; from a few hundred
# clauses on, batching wins (a 100 KB article: 500 parses, 4.5 s alone, 3.6 s in batches).
PARSE_AHEAD_CLAUSES = 200


def _may_parse(clause: str) -> bool:
    """The lexicon's words (find_trigger) or a type rule's match (an event: its subject is parsed) are in it."""
    return might_trigger(clause) or classify(clause) is not None


def _extract_events(article: Article, resolutions: list[Resolution], whole: list[Sentence],
                    sentences: list[Sentence]) -> list[ExtractedEvent]:
    text = article.text
    whole_starts = [s.start for s in whole]
    sites = _ByStart([r for r in resolutions if r.toponym.role == "event"])
    all_places = _ByStart(resolutions)
    dateline = next((r for r in resolutions if r.toponym.role == "dateline" and r.place is not None), None)
    claims = _Claims(text, sentences)
    events = _Told()
    anchor: date | None = None
    anchor_from: DateMention | None = None  # the words that set the story's date, evidence for undated events
    last_site: Resolution | None = None
    regions_told: list[Resolution] = []

    for sentence in sentences:
        dates = find_dates(text, article.published, sentence.start, sentence.end, anchor)
        said_on = [d for d in dates if _SAID_ON.search(text[max(0, d.start - 30) : d.start])]
        said_dates = dates
        if said_on and len(dates) > 1:
            # "officials said on Monday that rockets hit X the previous day": Monday is when it was said;
            # the other dates of the sentence are counted from it, as from a day of publication, and date the
            # event ("stormed the village overnight, residents said on Monday": the night before Monday)
            dates = [d for d in find_dates(text, said_on[0].date, sentence.start, sentence.end, None)
                     if (d.start, d.end) != (said_on[0].start, said_on[0].end)]
        in_sentence = sites.between(sentence.start, sentence.end)
        losses, loss_spans = find_losses(text, sentence.start, sentence.end)
        fatalities = find_fatalities(text, sentence.start, sentence.end)
        def told(rule, match, sentence=sentence, in_sentence=in_sentence, dates=dates) -> bool:
            if rule.sub_event_type == "Agreement" and _venue(text, in_sentence, sentence.end):
                return False  # "the truce was announced in Washington": where it was concluded, merged below
            if _definite(sentence.text, (rule, match)):
                # "the strikes on Shushi": the place right after the noun says which told event it is
                at = sentence.start + match.end()
                named = [r for r in in_sentence if at <= r.toponym.start <= at + 40]
                return _refers_to_told_event(events, named, sentence, dates, None if named else rule)
            if rule.sub_event_type == "Disrupted weapons use" and sum(losses.values()) >= 2 and \
                    any(e.event_type == "Battles" and sentence.paragraph - e.paragraph <= 1 for e in events):
                return True  # "units shot down two helicopters and three drones": the battle's claimed losses
            return rule.weak and _refers_to_told_event(events, in_sentence, sentence, dates)

        def passed_over(rule, match, sentence=sentence, told=told) -> bool:
            return told(rule, match) or _unreal(rule, match, sentence)

        found = _typed(classify(sentence.text, skip=passed_over, at=sentence.start), sentence, told)
        if found is not None:  # a trial, a criminal arrest, a figurative battle: no ACLED event (taxonomy.py)
            parent = whole[bisect_right(whole_starts, sentence.start) - 1]
            place_named = any(r.place is not None for r in all_places.between(parent.start, parent.end))
            found = _in_context(found, text, parent, sentence, place_named, article.body_start)
            if found is None:  # the lexicon may read another event in it ("the detained man's wife set off on a march")
                found = _typed(None, sentence, told)
                found = found and _in_context(found, text, parent, sentence, place_named, article.body_start)
        if found is not None and found[0].sub_event_type == "Agreement" and said_on:
            # "the truce was announced on Sunday": announcing it is the event, not a report of it; the story's
            # own day (the anchor) stays as it was
            dates, kept_anchor = said_dates, (anchor, anchor_from)
        else:
            kept_anchor = None
        denial = is_contested(text, sentence.start, sentence.end)
        if denial and refers_back(denial, text) and events:
            _contest_previous(events, sentence, denial)
            denial = None
        contrary = _CONTRARY.search(sentence.text)
        if events and contrary and sentence.paragraph - events[-1].paragraph <= 1:
            # "Baku gave a different account, saying ...": the other side's version of the event just told
            _contest_previous(events, sentence, contrary, offset=sentence.start, any_claim=True)
            found = None
        if events and found is not None and _MEDIA_DESCRIPTION.match(sentence.text) \
                and sentence.paragraph - events[-1].paragraph <= 1:
            found = None  # "Videos showed ...": pictures of the event just told, not another event
        recalled = [d for d in said_dates if not recalled_by_cue(text, d)]  # "on the anniversary of March 3, 2020"
        if found is not None and recalled and all(
                long_past(d, article.published) and not _SPAN_START.search(text[max(0, d.start - 12) : d.start])
                for d in recalled):
            trace.note("events.drop", found[1].group(0), "background", f"dated only '{recalled[0].text}', long "
                       "before publication: the story recalls it", sentence.start + found[1].start())
            found = None
        year = _past_year(sentence.text, article.published, found[1].start()) if found is not None and not said_dates \
            else None
        if year is not None:
            trace.note("events.drop", found[1].group(0), "background", f"dated only by the year '{year.group(0)}', "
                       "before the year of publication: the story recalls it", sentence.start + found[1].start())
            found = None
        if found is None:
            _enrich_previous(events, sentence, losses, loss_spans, fatalities,
                             _claim_of(text, sentence) if fatalities else None)
            anchor = _advance_anchor(anchor, dates)
            anchor_from = next((d for d in reversed(dates) if d.date == anchor), anchor_from)
            last_site = _pick_place(in_sentence, sentence.start) or last_site
            continue
        rule, trigger = found
        trigger_at = sentence.start + trigger.start()
        gaps = _gapped(text, in_sentence, dates, trigger_at, sentence.end)
        if gaps:  # the gapped clauses' places and days are theirs, not the main clause's
            in_sentence = [r for r in in_sentence if all(r is not where for where, _ in gaps)]
            dates = [d for d in dates if all(d is not day for _, day in gaps)]
        chosen_date = _pick_date(article, dates, trigger_at)
        sentence_places = all_places.between(sentence.start, sentence.end)
        site = _parsed_site(trigger, sentence, in_sentence) or \
            _pick_site(rule.sub_event_type, text, in_sentence, sentence_places, trigger_at, regions_told,
                       dateline, sentence.end)
        site = site or last_site
        if site is None and regions_told and rule.event_type not in _LOCAL_TYPES:
            site = regions_told[-1]  # a war story with no town named: the region it is about
        # ... unless the sentence names where, only not a place the gazetteer knows ("the village of X")
        named_elsewhere = any(r.place is None and r.toponym.role == "event" for r in sentence_places)
        # (a headline above the dateline sums the story up: its event is the body's, told again, not one more at
        # the town the copy was filed from)
        from_dateline = site is None and dateline is not None and not _AT_THE_FRONT.search(sentence.text) \
            and not named_elsewhere and sentence.end > dateline.toponym.start
        if from_dateline:
            site = dateline  # a local story with no other place: it happens where it is filed
        if site is None and _AT_THE_FRONT.search(sentence.text):
            # "launched an attack in the southern direction of the front": the front is placed by the next sentence
            # of the same paragraph, if it names one ("... shelling villages in the X and Y areas")
            site = _next_in_paragraph(sentences, sentence, sites)
            if site is not None:
                trace.note("events.place", trigger.group(0), site.place.name, wordlists.cited(
                    "a front or sector with no place: the place the next sentence of the paragraph names",
                    "at_the_front", _AT_THE_FRONT.search(sentence.text).group(0)), site.toponym.start)
        # (the parse's speaker is asked only when a toll must be weighed against another's: parsing every
        # event sentence for its claimant halved the extraction's speed)
        claim = claims.of_sentence(sentence) or claims.of_paragraph(sentence.paragraph)
        actors = find_actors(text, sentence.start, sentence.end)
        if claim is not None:
            # ", the army said", "said the army", "according to police", "The army said militants attacked": the
            # report's source (claimed_by), not a side of the event, wherever the attribution stands
            source = [m for m in actors if claim.start <= m.start and m.end <= claim.end]
            actors = [m for m in actors if m not in source]
            for m in source:
                trace.note("events.actors", text[m.start:m.end], "not a side",
                           f"the report's source ('{claim.claimant}' is claimed_by), not a side of the event", m.start)
        sides = _sentence_actors(actors, trigger_at, sentence, text, rule.sub_event_type, trigger)
        if sides.first is None or sides.first.actor.startswith("Unidentified Armed Group"):
            sides = _blamed(text, sentence, sides)
        if trace.active():
            _note_choices(text, trigger, trigger_at, chosen_date, anchor, site, from_dateline, sides, claim)
        # "on Friday and Saturday", "the Tartar and Aghdam districts": one event per day and per place
        day_list = _coordinated(text, dates, chosen_date, _JOIN_DAYS) if chosen_date else [None]
        site_list = _without_enclosing(text, [r for r in _coordinated(text, in_sentence, site) if r.place is not None]) \
            if site in in_sentence else [site]
        for day in day_list:
            for where in site_list:
                event = _build(article, rule, trigger, trigger_at, sentence, day, where, anchor, anchor_from)
                if claim:  # (before the sides: a force named in the claim is its source, never a side)
                    event.claimed_by = claim.claimant
                    event.add_evidence("claimed_by", claim.start, claim.end)
                _fill_actors(event, actors, trigger_at, sentence, text, sides)
                _unarmed_side(event)
                _armed_target(event)
                _fill_numbers(event, losses, loss_spans, fatalities)
                if denial:
                    event.contested = True
                    for span in contest_spans(text, sentence.start, sentence.end):  # the claim and the contrary account
                        event.add_evidence("contested", *span)
                _refine_territory(event, text, trigger_at)
                events.add_or_merge(event)
        for where, day in gaps:
            # "X was handed over last week, and Aghdam, in the east, on November 20": the verb is left out
            event = _build(article, rule, trigger, trigger_at, sentence, day, where, anchor, anchor_from)
            _fill_actors(event, actors, trigger_at, sentence, text, sides)
            _refine_territory(event, text, trigger_at)
            events.add_or_merge(event)
        event_date = chosen_date.date if chosen_date else (anchor or article.published)
        anchor = event_date if chosen_date and chosen_date.kind != "anchored" else (anchor or event_date)
        if chosen_date and chosen_date.kind != "anchored":
            anchor_from = chosen_date
        if kept_anchor is not None:
            anchor, anchor_from = kept_anchor
        last_site = (site if not from_dateline else None) or last_site
        regions_told.extend(r for r in in_sentence if r.place is not None and r.place.kind == "region")
    _contest_by_denier(text, sentences, events.events)
    _claimed_attacks(text, sentences, events.events)
    return _in_a_country(_fold_undated_repeats(_fold_vague_mentions(events.events)))


# "Al-Shabaab claimed the attack", "the group claimed responsibility for Monday's bombing"
_CLAIMED_ATTACK = wordlists.pattern(r"\b(?:{{claim_verbs}})\s+(?:responsibility\s+(?:for\s+)?)?(?:the|this|that|an?|its|"
                                    r"\w+['’]s)?\s*(?:[\w-]+\s+){0,2}?(?:{{claimed_acts}})\b", re.IGNORECASE)
_ATTRIBUTED_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians")


def _claimed_attacks(text: str, sentences: list[Sentence], events: list[ExtractedEvent]) -> None:
    """A non-state armed group that claims the attack is its actor1 (ACLED attributes a claimed attack to the
    claimant) when the story's events name no attacker."""
    open_events = [e for e in events if e.event_type in _ATTRIBUTED_TYPES and not e.actor1]
    if not open_events:
        return
    for sentence in sentences:
        claim = _CLAIMED_ATTACK.search(text, sentence.start, sentence.end)
        if claim is None:
            continue
        group = next((m for m in reversed(find_actors(text, sentence.start, claim.start()))
                      if is_non_state_armed(m.actor)), None)
        if group is None:
            continue
        for event in open_events:
            named = localise(group, event.place.country_code if event.place else None)
            if named.actor == event.actor2:
                continue
            event.actor1 = named.actor
            event.add_evidence("actor1", group.start, group.end)
            trace.note("events.actors", text[group.start:group.end], f"actor1 {named.actor}",
                       "the armed group claimed the attack: ACLED attributes it to the claimant", group.start)
        return


# "The protests, which began in 2019, ...", "killed in 2016": a year alone (no day or month: find_dates
# reads none) before the year of publication dates the event the sentence recalls
# (not after "since": "the deadliest attack since 2019" compares; nor "the 2020 ceasefire": a name)
# ("in the summer of 1946", "during the winter of 1999": a season of the year says no more)
_YEAR_ALONE = re.compile(r"\b(?:in|during)\s+(?:(?:early|late|mid-?)\s*|the\s+(?:summer|spring|autumn|fall|winter)\s+of\s+)?"
                         r"(?P<year>(?:19|20)\d\d)\b"
                         r"(?![-/–]\d)", re.IGNORECASE)


# "the 1946 lynching", "the 2014 bombing", "the 1946 Moore's Ford lynching": a past year naming the trigger's own
# act (a name of up to three capitalised words may stand between)
_YEAR_OF_TRIGGER = re.compile(r"\b(?P<year>(?:19|20)\d\d)(?:'s|’s)?\s+(?:[A-Z][\w.-]*(?:'s|’s)?\s+){0,3}$")


# "in the 1980s", "during the early 1990s": a decade that ended before the year of publication
_DECADE = re.compile(r"\b(?:in|during)\s+the\s+(?:(?:early|late|mid-?)\s*)?(?P<year>(?:19|20)\d0)(?:'|’)?s\b", re.IGNORECASE)


def _past_year(sentence: str, published: date | None, trigger_at: int | None = None) -> re.Match | None:
    """The first year named alone in a sentence that has no other date, or the year just before the trigger's word
    (`trigger_at`, its offset in the sentence), when it is before the publication year."""
    if published is None:
        return None
    match = _YEAR_ALONE.search(sentence)
    if match is None:
        decade = _DECADE.search(sentence)
        if decade is not None and int(decade.group("year")) + 9 < published.year:
            return decade
    if match is None and trigger_at is not None:
        match = _YEAR_OF_TRIGGER.search(sentence, max(0, trigger_at - 48), trigger_at)
    return match if match and int(match.group("year")) < published.year else None


def _in_a_country(events: list[ExtractedEvent]) -> list[ExtractedEvent]:
    """ACLED codes an event at a location within one country. One placed at a continent or a region of several
    countries is dropped when the story places another event in a country (the same report told twice: "a
    soldier killed in the Middle East" and the blast at Manbij) or when it tells nothing but the word (no one
    acting, no toll: "the political instability Africa has faced"); otherwise its place is the wrong one ("EU" in "EU,
    Ukraine leaders meet as shelling kills a soldier") and the event stays, unplaced."""
    placed = any(e.place is not None and e.place.country_code for e in events)
    kept = []
    for event in events:
        if event.place is None or event.place.country_code:
            kept.append(event)
            continue
        where = f"placed at {event.place.name} ({event.place.kind}), in no one country"
        if placed or not (event.actor1 or event.fatalities):  # (a target alone, "civilians", tells no act)
            trace.note("events.drop", event.text[:60], f"{event.event_type} / {event.sub_event_type} dropped",
                       f"{where}, and " + ("the story places an event in a country: the same report told again"
                                           if placed else "no actor or toll told: a summary or a passing mention"),
                       event.start)
            continue
        trace.note("events.place", event.text[:60], "no place", f"{where}: ACLED codes events within a country",
                   event.start)
        event.place, event.geo_precision = None, 3
        event.evidence.pop("place", None)
        event.evidence.pop("geo_precision", None)
        kept.append(event)
    return kept


def _fold_vague_mentions(events: list[ExtractedEvent]) -> list[ExtractedEvent]:
    """One event told twice, once vaguely: "a soldier was killed by a bomb in Mali" (the country, no day told)
    and "a bomb exploded near Gao on Saturday" are one event (ACLED: one event per type, place and day). A
    mention placed only at a country (or nowhere) with no day of its own is folded into the one event of the
    same sub-type the story places at a town of that country; with two or more such events it names none of them."""
    kept = list(events)
    for vague in events:
        if "date" in vague.evidence or (vague.place is not None and vague.place.kind != "country"):
            continue
        towns = [e for e in kept if e is not vague and e.sub_event_type == vague.sub_event_type and _is_city(e.place)
                 and (vague.place is None or e.place.country_code == vague.place.country_code)]
        if len(towns) != 1:
            continue
        into = towns[0]  # (the sides are not compared: a lede's "killed by ISIS" and "a bomb hit US forces" are one blast)
        trace.note("events.merge", vague.text[:60], f"folded into the event at {into.place.name} on {into.event_date or 'an unknown date'}",
                   "a mention at the country (or at no place) with no day of its own, and the story's only "
                   f"{vague.sub_event_type} at a town of that country: the same event", vague.start)
        place, precision, day, time_precision = into.place, into.geo_precision, into.event_date, into.time_precision
        _merge(into, vague)
        into.place, into.geo_precision, into.event_date, into.time_precision = place, precision, day, time_precision
        kept.remove(vague)
    return kept


# a town and the district or neighbourhood of it the story names elsewhere ("New York City", "Brooklyn"): one place
SAME_PLACE_KM = 25.0


def _fold_undated_repeats(events: list[ExtractedEvent]) -> list[ExtractedEvent]:
    """One event told again with no day of its own: a lede's "the fatal police shooting of a man in X" (dated by
    default with the day of publication) and the body's "officers shot a man in Y on Wednesday", X and Y a town
    and a part of it, are one event (ACLED: one event per type, place and day). A mention with no day of its own
    is folded into the one dated event of the same sub-type placed within SAME_PLACE_KM of it; with two or more
    such events, or none, it stays."""
    kept = list(events)
    for undated in events:
        if _own_day(undated) or not _is_city(undated.place):
            continue
        dated = [e for e in kept if e is not undated and e.sub_event_type == undated.sub_event_type
                 and "date" in e.evidence and e.place is not None]
        # no day at all (the day of publication): the same event at a town within SAME_PLACE_KM; the story's day
        # carried from another sentence: the same event only inside the region the dated one is placed at
        # ("riots in Deir ez-Zor province on Monday" ... "in the town of Thiban, demonstrators drove ...")
        near = [e for e in dated if _is_city(e.place) and _km(e.place, undated.place) <= SAME_PLACE_KM] \
            if "date" not in undated.evidence else []
        inside = [e for e in dated if e.place.kind == "region" and e.place.country_code == undated.place.country_code
                  and _own_day(e) and _km(e.place, undated.place) <= REGION_KM]  # (cheapest tests first)
        if len(near) + len(inside) != 1:
            continue
        into = (near or inside)[0]
        trace.note("events.merge", undated.text[:60], f"folded into the event at {into.place.name} on {into.event_date or 'an unknown date'}",
                   f"the same sub-type told with no day of its own at {undated.place.name}, "
                   f"{_km(into.place, undated.place):.0f} km away: the same event told again", undated.start)
        place, precision, day, time_precision = into.place, into.geo_precision, into.event_date, into.time_precision
        if inside:  # the town the story names inside the region is the event's place (ACLED: the most precise)
            place, precision = undated.place, undated.geo_precision
        days = list(into.evidence.get("date", []))  # (the story's day the other mention carried is not evidence)
        _merge(into, undated)
        into.place, into.geo_precision, into.event_date, into.time_precision = place, precision, day, time_precision
        into.evidence["date"] = days
        if inside:
            into.evidence["place"] = list(undated.evidence.get("place", into.evidence.get("place", [])))
        kept.remove(undated)
    return kept


REGION_KM = 150.0  # a town this close to the point of a region of its country is taken to lie in it


def _own_day(event: ExtractedEvent) -> bool:
    """The event's sentence tells its day (not the story's day carried from another sentence, nor publication)."""
    return any(event.start <= start < event.end for start, _ in event.evidence.get("date", []))


def _km(a, b) -> float:
    from geopy.distance import great_circle

    return great_circle((a.lat, a.lon), (b.lat, b.lon)).km


def _in_context(found, text: str, whole: Sentence, clause: Sentence, place_named: bool = False, body_start: int = 0):
    """The trigger, unless its whole sentence says it is no ACLED event (data/event_context*.csv)."""
    why = out_of_context(found[0], text, whole.start, whole.end, place_named, body_start)
    if why is None:
        return found
    name, word, reason = why
    trace.note("events.drop", found[1].group(0), f"context rule '{name}'" + (f" ('{word}')" if word else ""),
               reason, clause.start + found[1].start())
    return None


def _one_sided(word: str) -> bool:
    """Is the Armed clash pattern's word an assault by one side ("attacked", "stormed", "ambushed", "raided"),
    whose target may make it an attack on civilians? (class one_sided_assault of data/event_word_classes.csv)"""
    word = word.lower()
    return any(word.startswith(stem) for stem in word_classes().get("one_sided_assault", ()))


def _typed(found, sentence: Sentence, told):
    """The sentence's trigger: the regular-expression rules of taxonomy.py first; the parsed lexicon
    (events/triggers.py) when they find nothing, or to correct a sub-type the lexicon knows better
    ("seized a vehicle" is looting, "attacked the village" an attack on civilians)."""
    if found is not None:
        rule, match = found
        # a clash, a battle, fighting is fighting whoever dies; only a word that tells one side struck ("attacked",
        # "stormed", "ambushed": class one_sided_assault of data/event_word_classes.csv) may be corrected, or a
        # fight whose side is a crowd (a row of the Riots type: "fans fought with police" is mob violence)
        generic = rule.sub_event_type != "Armed clash" or _one_sided(match.group(0))
        if rule.sub_event_type in replaceable() and not parse_left_out():
            parsed = find_trigger(sentence.text, sentence.start, only=frozenset({rule.sub_event_type}))
            if parsed is not None and (generic or parsed.row.event_type == "Riots"):
                trace.note("events.type", parsed.match.text, f"{parsed.row.event_type} / {parsed.row.sub_event_type}",
                           f"the parse corrects '{match.group(0)}' ({rule.sub_event_type}): {parsed.row.reason}",
                           sentence.start + parsed.match.start())
                return parsed.row, parsed.match
        trace.note("events.type", match.group(0), f"{rule.event_type} / {rule.sub_event_type}",
                   f"event_type_patterns.csv line {rule.line}: the pattern for {rule.sub_event_type}",
                   sentence.start + match.start())
        return found
    if parse_left_out():  # (clashmap.long_text) the lexicon's triggers are read only through the parse
        return None
    rows = candidate_rows(sentence.text)
    if not rows:
        return None
    if all(row.weak for row in rows) and told(rows[0], no_word()):
        # "two soldiers were killed" after the story's event: its toll; no parse needed to know that
        trace.note("events.drop", sentence.text[:40], "refers to the event told",
                   "only words that tell a toll, after an event of the story", sentence.start)
        return None
    parsed = find_trigger(sentence.text, sentence.start)
    if parsed is None:
        return None
    if told(parsed.row, parsed.match):
        trace.note("events.drop", parsed.match.text, "refers to the event told",
                   "a killing or blast told after an event of the story is that event's toll", sentence.start + parsed.match.start())
        return None
    trace.note("events.type", parsed.match.text, f"{parsed.row.event_type} / {parsed.row.sub_event_type}",
               f"{TRIGGERS_CSV.name} line {parsed.row.line}", sentence.start + parsed.match.start())
    return parsed.row, parsed.match


def _unreal(rule, match, sentence: Sentence) -> bool:
    """A type rule's word the parse says did not happen ("Teachers will march", "denied shelling X", "vow a new
    offensive"): passed over, so another word of the sentence ("as rockets kill 30") may still tell an event."""
    unreal = unreal_at(sentence.text, match.start(), match.end())
    if unreal is not None:
        trace.note("events.drop", match.group(0), f"{rule.event_type} / {rule.sub_event_type} dropped",
                   f"{unreal[0]}: {unreal[1]}", sentence.start + match.start())
    return unreal is not None


def _note_choices(text: str, trigger, trigger_at: int, day: DateMention | None, anchor: date | None,
                  site: Resolution | None, from_dateline: bool, sides, claim) -> None:
    """The trace of the date, place and actors chosen for the event of `trigger` (only when tracing)."""
    word = trigger.group(0)
    if day is not None:
        trace.note("events.date", word, str(day.date), f"'{day.text}' ({day.kind}), the date nearest the trigger "
                   "in its clause", day.start)
    else:
        trace.note("events.date", word, str(anchor) if anchor else "publication date",
                   "no date in the sentence: the story's last date" if anchor else "no date told: the day of publication",
                   trigger_at)
    if site is None:
        trace.note("events.place", word, "no place", "no resolved place in the sentence or the story so far", trigger_at)
    else:
        how = "the dateline: a local story names no other place" if from_dateline else \
            "the place named nearest the trigger (a town before a region, a region before a country), or the story's last place"
        if trace.active():
            how += _precision_why(text, site)
        trace.note("events.place", word, site.place.name if site.place else site.toponym.text, how, site.toponym.start)
    for name, mention in (("actor1", sides.first), ("actor2", sides.second)):
        if mention is not None:
            trace.note("events.actors", text[mention.start:mention.end], f"{name} {mention.actor}",
                       "actors.py's table: the side named before the trigger acts, the next one is acted upon"
                       if name == "actor1" else "actors.py's table: the other side the sentence names", mention.start)
    if claim is not None:
        trace.note("events.actors", claim.claimant, "claimed_by", "the source the sentence or paragraph cites", claim.start)


def _claim_of(text: str, sentence: Sentence):
    """The sentence's claimant: claims.py's reading, else the parse's speaker of "said" / "according to"."""
    claim = find_claim(text, sentence.start, sentence.end)
    if claim is not None:
        return claim
    said = speaker(sentence.text)
    if said is None:
        return None
    trace.note("events.actors", said[0], "claimant", "the subject of the sentence's verb of speech",
               sentence.start + said[1])
    return Claim(said[0], sentence.start + said[1], sentence.start + said[2])


def _parsed_site(trigger, sentence: Sentence, places: list[Resolution]) -> Resolution | None:
    """The place the parse attaches to the trigger ("killed a man in X", "exploded near X"), if one is resolved."""
    spans = getattr(trigger, "places", ())
    for r in places:
        if r.place is not None and any(sentence.start + a <= r.toponym.start < sentence.start + b for a, b in spans):
            trace.note("events.place", r.toponym.text, r.place.name,
                       f"the parse attaches it to '{trigger.group(0)}'", r.toponym.start)
            return r
    return None


class _ByStart:
    """Resolutions looked up by where they start: each sentence takes its own by bisection, not by a
    scan of the whole article's (a list of names made that quadratic)."""

    def __init__(self, resolutions: list[Resolution]) -> None:
        self._items = sorted(enumerate(resolutions), key=lambda pair: (pair[1].toponym.start, pair[0]))
        self._starts = [r.toponym.start for _, r in self._items]

    def between(self, lo: int, hi: int) -> list[Resolution]:
        """Those starting in [lo, hi), in the order they were given."""
        found = self._items[bisect_left(self._starts, lo) : bisect_left(self._starts, hi)]
        return [r for _, r in sorted(found, key=itemgetter(0))]


# characters between a named actor and its denial ("The RSF has denied", "RSF fighters denied"); further off, the
# actor is more often the one accused ("accused the SDF of failing to protect them, which the force denied")
DENIER_REACH = 16


def _contest_by_denier(text: str, sentences: list[Sentence], events: list[ExtractedEvent]) -> None:
    """'Yerevan denied firing on civilian areas': a side's denial contests the events that name it as actor1.
    'The rebels denied any losses': a side denying its losses contests the toll another side claims against it
    (the events that name it as actor2 with a claimed death toll)."""
    by_actor: dict[str | None, list[ExtractedEvent]] | None = None
    by_target: dict[str | None, list[ExtractedEvent]] = defaultdict(list)
    for sentence in sentences:
        denial = is_contested(text, sentence.start, sentence.end)
        if denial is None or denial.group(0).lower().startswith("despite"):
            continue
        side = context_actor(text, denial.start(), sentence.start)
        if side is None:  # "The RSF denied ...": a named actor just before the verb speaks
            named = find_actors(text, max(sentence.start, denial.start() - DENIER_REACH), denial.start())
            side = (named[-1].actor, None) if named and denial.start() - named[-1].end <= DENIER_REACH else None
        if side is None:
            continue
        if by_actor is None:  # the events of each side, listed once, not scanned again for every denial
            by_actor = defaultdict(list)
            for event in events:
                by_actor[event.actor1].append(event)
                by_target[event.actor2].append(event)
        losses = _denied_losses(text, denial.end(), sentence.end)
        for event in by_actor.get(side[0], ()) if not losses else ():  # (denying its losses is not denying an act)
            if event.event_type != "Strategic developments":
                event.contested = True
                event.add_evidence("contested", denial.start(), denial.end())
                trace.note("events.claims", denial.group(0), "contested",
                           f"{side[0]} denies it and is named as its actor1", denial.start())
        for event in by_target.get(side[0], ()) if losses else ():
            if event.fatalities and event.claimed_by and not event.contested:
                event.contested = True
                event.add_evidence("contested", denial.start(), losses.end())
                trace.note("events.claims", text[denial.start():losses.end()], "contested",
                           f"{side[0]}, the side the toll is claimed against, denies its losses", denial.start())


def _denied_losses(text: str, start: int, end: int) -> re.Match | None:
    """The losses a denial is about ("denied any losses", "rejected the toll"): a word of the `@loss` class of
    `data/event_word_classes.csv` within the next few words."""
    return _loss_words().search(text, start, min(end, start + 40))


@lru_cache(maxsize=1)
def _loss_words() -> re.Pattern:
    words = sorted(word_classes().get("loss", ()), key=len, reverse=True)
    forms = "|".join(re.escape(w[:-1]) + r"(?:y|ies)" if w.endswith("y") else re.escape(w) + r"(?:e?s)?" for w in words)
    return re.compile(rf"\b(?:{forms or '(?!)'})\b", re.IGNORECASE)


def _is_city(place) -> bool:
    return place is not None and place.kind not in ("region", "country")


def _definite(sentence: str, found) -> bool:
    """'the shelling', 'the protests': a definite noun phrase refers to what the story already told."""
    rule, match = found
    if rule.event_type == "Strategic developments" and rule.sub_event_type != "Agreement":
        return False
    return bool(_DEFINITE.search(sentence[max(0, match.start() - 30) : match.start()]))


_DEFINITE = re.compile(r"\b(?:the|these|those|this|that)\s+(?:\w+\s+)?$", re.IGNORECASE)


def _refers_to_told_event(events: _Told, in_sentence: list[Resolution], sentence: Sentence,
                          dates: list[DateMention] = (), rule=None) -> bool:
    """A generic word ("the attack") names an event already told at the same place, or the one just told,
    unless the sentence dates it to a day no told event has."""
    if not events:
        return False
    if any(d.kind in ("explicit", "weekday") and d.date not in events.days for d in dates):
        return False
    if rule is not None and rule.event_type in events.types and \
            (rule.event_type != "Strategic developments" or rule.sub_event_type in events.sub_types):
        return True  # "the protests", "the truce": the story's event of that kind
    places = {r.place.id for r in in_sentence if r.place is not None}
    if places:
        return any(place in events.places for place in places)
    return sentence.paragraph - events[-1].paragraph <= 1


def _contest_previous(events: _Told, sentence: Sentence, denial, offset: int = 0,
                      any_claim: bool = False) -> None:
    """'X dismissed the claim': the claim is the last claimed event told just before (in this paragraph
    or the one before: events are told in paragraph order, so the last claimed one is the only candidate)."""
    event = events[-1] if any_claim and events else events.last_claimed()
    if event is not None and sentence.paragraph - event.paragraph <= 1:
        event.contested = True
        event.add_evidence("contested", offset + denial.start(), offset + denial.end())


_CONTRARY = wordlists.pattern(r"\b(?:{{contrary_verbs}}) an? (?:{{contrary_words}}) (?:{{account_nouns}})"
                              r"|\bdisputed (?:this|that|the) account\b", re.IGNORECASE)
_MEDIA_DESCRIPTION = wordlists.pattern(r"\W*(?:\w+\s+){0,2}?(?:{{media_nouns}})\b[^.]{0,60}?\b(?:{{show_verbs}})\b",
                                       re.IGNORECASE)


_CONCLUDED_IN = wordlists.pattern(r"\b(?:{{venue_words}})\b[^.]{0,40}\b(?:in|at)\s+(?:the\s+)?$", re.IGNORECASE)


def _venue(text: str, places: list[Resolution], before: int) -> Resolution | None:
    """The city an agreement was concluded in ("talks in Moscow", "meetings in Washington"), if the text says."""
    return next((r for r in places if _is_city(r.place) and r.toponym.start < before
                 and _CONCLUDED_IN.search(text[max(0, r.toponym.start - 80) : r.toponym.start])), None)


def _pick_site(sub_event_type: str, text: str, places: list[Resolution], any_role: list[Resolution], trigger_at: int,
               regions_told: list[Resolution], dateline: Resolution | None = None,
               sentence_end: int = 0) -> Resolution | None:
    """The event site; an agreement is placed where it was concluded, else in the region it concerns."""
    places = [r for r in places if not _ACTOR_USE.match(text, r.toponym.end)]
    if sub_event_type == "Agreement":
        lo, hi = clause_bounds(text, trigger_at)
        # "in line with the understanding reached in Moscow": another agreement's venue, in another clause
        places = [r for r in places if lo <= r.toponym.start < hi
                  or not _CONCLUDED_IN.search(text[max(0, r.toponym.start - 80) : r.toponym.start])]
        # a venue after the trigger's clause counts ("..., after talks in Washington") unless it is another
        # agreement's ("in line with the understanding reached in Moscow")
        concluded = [r for r in any_role if _is_city(r.place)
                     and _CONCLUDED_IN.search(text[max(0, r.toponym.start - 80) : r.toponym.start])
                     and (r.toponym.start < hi
                          or not _OTHER_DEAL.search(text[max(0, r.toponym.start - 60) : r.toponym.start]))]
        if concluded:
            return concluded[0]
        if dateline is not None and _IN_THE_CAPITAL.search(text, trigger_at, sentence_end):
            return dateline  # "talks in the Russian capital" filed from that capital
        regions = [r for r in places if r.place is not None and r.place.kind == "region"]
        if regions or regions_told:
            return (regions or regions_told)[-1 if not regions else 0]
    return _pick_place(places, trigger_at)


_OTHER_DEAL = wordlists.pattern(r"\b(?:{{deal_nouns}})\s+(?:(?:it|they|both sides|the two sides)\s+)?(?:had\s+)?(?:{{deal_verbs}})"
                                r"\s+(?:in|at)\s+(?:the\s+)?$", re.IGNORECASE)
_IN_THE_CAPITAL = wordlists.pattern(r"\b(?:{{capital_talks}})\b[^.]{0,120}\bin the (?:\w+ )?capital\b", re.IGNORECASE)
# A capital or country named for its government ("Baku said", "Moscow's account") is an actor, not a site.
_ACTOR_USE = wordlists.pattern(r"(?:'s|’s)?\s+(?:{{actor_verbs}})\b")


def _coordinated(text: str, items: list, chosen, join: re.Pattern | None = None) -> list:
    """`chosen` and the items joined to it by "and" / commas ("Friday and Saturday", "Tartar and Aghdam")."""
    join = join or _JOIN
    spans = sorted(items, key=_start)
    if chosen not in spans:
        return [chosen]
    i = spans.index(chosen)
    group = [chosen]
    j = i
    while j + 1 < len(spans) and join.fullmatch(text[_end(spans[j]) : _start(spans[j + 1])]):
        group.append(spans[j + 1])
        j += 1
    j = i
    while j > 0 and join.fullmatch(text[_end(spans[j - 1]) : _start(spans[j])]):
        group.insert(0, spans[j - 1])
        j -= 1
    return group


def _without_enclosing(text: str, group: list[Resolution]) -> list[Resolution]:
    """"in Tumaco, Narino": a region or country written right after a town of it says where the town is; it is
    no second site of the event."""
    kept = []
    for before, r in zip([None, *group], group):
        if before is not None and before.place is not None and r.place.kind in ("region", "country") \
                and before.place.kind not in ("region", "country") and text[before.toponym.end : r.toponym.start].strip() == "," \
                and before.place.country_code == r.place.country_code \
                and (r.place.kind == "country" or before.place.admin1 == r.place.admin1):
            continue
        kept.append(r)
    return kept or group


_JOIN_DAYS = re.compile(r"\s*,?\s*(?:and|or)\s+(?:on\s+)?")
# "Tartar and Aghdam", "the town of Barda and villages in the Tartar district", "1,700 in Moscow and 750 in St Petersburg"
_JOIN = re.compile(r"\s*(?:,|and|or|,\s*and)\s*(?:on\s+|the\s+)?|"
                   r"\s*,?\s*(?:and|or)\s+(?:[\w,]+\s+){1,3}?(?:in|at|near|around|of)\s+(?:the\s+)?")


def _gapped(text: str, places: list[Resolution], dates: list[DateMention], trigger_at: int,
            end: int) -> list[tuple[Resolution, DateMention]]:
    """Verb-less clauses after the trigger that repeat the event for another place and day:
    ", and Aghdam, in the east, on November 20" (a place, an optional aside, a date, nothing else)."""
    found = []
    for where in places:
        if where.place is None or where.toponym.start < trigger_at:
            continue
        lead = text[max(trigger_at, where.toponym.start - 12) : where.toponym.start]
        if not _GAP_LEAD.search(lead):
            continue
        for day in dates:
            if day.start > where.toponym.end and _GAP_MIDDLE.fullmatch(text[where.toponym.end : day.start]) \
                    and _GAP_END.match(text, day.end) and day.end <= end:
                found.append((where, day))
                break
    return found


_GAP_LEAD = re.compile(r",\s+(?:and|while|but)\s+(?:then\s+)?(?:the\s+)?$")
_GAP_MIDDLE = re.compile(r"(?:\s+(?:district|region|province|town|city))?(?:,\s+[^,.;]{1,30},)?\s+(?:on\s+|in\s+)?")
_GAP_END = re.compile(r"\s*(?:[.;]|$)")


def _start(item) -> int:
    return item.toponym.start if isinstance(item, Resolution) else item.start


def _end(item) -> int:
    return item.toponym.end if isinstance(item, Resolution) else item.end


def _build(article: Article, rule, trigger, trigger_at: int, sentence: Sentence, day: DateMention | None,
           site: Resolution | None, anchor: date | None, anchor_from: DateMention | None = None) -> ExtractedEvent:
    """One event of the sentence, with the evidence span of each field it sets."""
    event_date = day.date if day else (anchor or article.published)
    event = ExtractedEvent(event_date, day.precision if day else 1, rule.event_type, rule.sub_event_type,
                           site.place if site else None, _geo_precision(article, site) if site else 3,
                           sentence.text, sentence.start, sentence.end, sentence.paragraph)
    event.from_lexicon = hasattr(rule, "line")  # the parsed lexicon's row, not a type rule: a signal of the gate
    event.add_evidence("event_type", trigger_at, sentence.start + trigger.end())
    event.add_evidence("sub_event_type", trigger_at, sentence.start + trigger.end())
    if day:
        event.add_evidence("date", day.start, day.end)
        event.add_evidence("time_precision", day.start, day.end)
    elif anchor_from is not None and anchor_from.date == event_date:
        event.add_evidence("date", anchor_from.start, anchor_from.end)  # the story's date, told earlier
    if site:
        event.add_evidence("place", site.toponym.start, site.toponym.end)
        event.add_evidence("geo_precision", site.toponym.start, site.toponym.end)
    return event


class _Claims:
    """Each sentence's attribution, and a paragraph's ("..." the ministry said; "..., officials said.") which covers
    its other sentences: copy attributes a paragraph once. The first claim of each paragraph, quotes first. Both
    read when first asked (a paragraph with no event is never read for its claims: a long list of names has none)."""

    def __init__(self, text: str, sentences: list[Sentence]) -> None:
        self.text = text
        self.by_paragraph: dict[int, list[Sentence]] = {}
        for sentence in sentences:
            self.by_paragraph.setdefault(sentence.paragraph, []).append(sentence)
        self._of_sentence: dict[tuple[int, int], Claim | None] = {}
        self._of_paragraph: dict[int, Claim | None] = {}

    def of_sentence(self, sentence: Sentence) -> Claim | None:
        span = (sentence.start, sentence.end)
        if span not in self._of_sentence:
            self._of_sentence[span] = find_claim(self.text, sentence.start, sentence.end)
        return self._of_sentence[span]

    def of_paragraph(self, paragraph: int) -> Claim | None:
        if paragraph not in self._of_paragraph:
            first = quoted = None
            for sentence in self.by_paragraph.get(paragraph, []):
                claim = self.of_sentence(sentence)
                if claim is None:
                    continue
                first = first or claim
                if quoted is None and ("”" in sentence.text or '"' in sentence.text):
                    quoted = claim
            self._of_paragraph[paragraph] = quoted or first
        return self._of_paragraph[paragraph]


def _advance_anchor(anchor: date | None, dates: list[DateMention]) -> date | None:
    explicit = [d for d in dates if d.kind in ("explicit", "weekday") and d.precision == 1]
    return explicit[-1].date if explicit else anchor


def _enrich_previous(events: list[ExtractedEvent], sentence: Sentence, losses, loss_spans, fatalities,
                     claim=None) -> None:
    """Numbers in a sentence with no event of its own belong to the event just before, in the same story beat."""
    if not events or not (losses or fatalities):
        return
    previous = events[-1]
    if sentence.paragraph - previous.paragraph > 1:
        return
    _fill_numbers(previous, losses, loss_spans, fatalities, claim.claimant if claim else None)


# "..., blaming the RSF", "blamed Islamic State fighters", "which it blamed on al-Shabaab": the group an
# account names as the perpetrator, when the sentence names none acting (not when the group denies it)
_BLAME = wordlists.pattern(r"\b(?:{{blame_verbs}})\s+(?:it\s+on\s+|the\s+attack\s+on\s+)?(?:the\s+)?", re.IGNORECASE)
_DENIED = wordlists.pattern(r"\b(?:{{deny_verbs}})\b", re.IGNORECASE)


def _blamed(text: str, sentence: Sentence, sides):
    """The sides with the blamed group as actor1, when the sentence blames a group the actor table names."""
    for match in _BLAME.finditer(text, sentence.start, sentence.end):
        named = next((m for m in find_actors(text, match.end(), sentence.end)
                      if m.start == match.end() and m.kind == "named" and m.actor != "Rebels"), None)
        if named is None or _DENIED.search(text, named.end, sentence.end):
            continue
        trace.note("events.actors", text[named.start:named.end], f"actor1 {named.actor}",
                   "the group the account blames, where the sentence names no side acting", named.start)
        second = sides.second if sides.second is None or sides.second.actor != named.actor else None
        return replace(sides, first=named, second=second)
    return sides


@dataclass(frozen=True)
class _SentenceActors:
    """What a sentence says of the sides of its trigger, read once for all the events the sentence makes
    (a list of fifty places is fifty events: reading the sentence again for each made lists quadratic)."""

    first: ActorMention | None
    second: ActorMention | None
    civilian: re.Match | None
    victims: bool  # `second` is the civilians the text names: their country is the event place's


def _sentence_actors(mentions: list[ActorMention], trigger_at: int, sentence: Sentence, text: str,
                     sub_event_type: str, trigger=None) -> _SentenceActors:
    first, second = _actors(mentions, trigger_at)
    if first is not None and first.start > trigger_at and sub_event_type in _ONE_SIDED \
            and not _BY_BEFORE.search(text or sentence.text, max(0, first.start - 8), first.start) \
            and not (text and _WHEN_BEFORE.search(text, max(0, first.start - 30), first.start)
                     and first.inter != 7):
        # "an IED exploded near a police van", "kidnapped five soldiers": no side named before the verb, so the
        # side named after it is the one struck (ACLED's actor2); who struck is the verb's subject or unknown
        trace.note("events.actors", first.actor, "actor2", "named after the trigger of a one-sided attack, with no "
                   "side before it: the side attacked", first.start)
        first, second = None, first
    if first is not None and first.start > trigger_at and sub_event_type in _FORCE_ON_PROTEST and trigger is not None:
        # "soldiers opened fire on protesters": no side of the tables before the verb, the parse's subject is the
        # force that intervened (the crowd is made actor1 once the type is final: _unarmed_side)
        subject = _subject_of(trigger, sentence, trigger_at, text)
        if subject and _people_head(sentence.text[subject[0]:subject[1]]):
            force = state_from_subject(text, sentence.start + subject[0], sentence.start + subject[1])
            if force is not None:
                first, second = force, first
    if text and sub_event_type == "Armed clash" and first is not None:
        first, second = _coordinated_sides(first, second, mentions, trigger_at, text)
    if text and sub_event_type == "Armed clash" and first is not None and second is not None \
            and first.start < trigger_at < second.start and _REPELLED.match(text, trigger_at):
        # "troops repelled a Russian assault": the side repelled attacked (ACLED's actor1 is the attacker)
        trace.note("events.actors", text[second.start:second.end], f"actor1 {second.actor}",
                   "the side whose attack was repelled attacked: it is actor1", second.start)
        first, second = second, first
    subject = None
    if first is None and trigger is not None:
        subject = _subject_of(trigger, sentence, trigger_at, text)
    if first is None and subject and not any(subject[0] <= m.start - sentence.start < subject[1] for m in mentions):
        # no side of the tables acts: the parse's subject of the verb, when it is a state force named without its
        # country ("soldiers shot dead a trader": the forces of the event's country) or an armed group (actors.py)
        at, to = sentence.start + subject[0], sentence.start + subject[1]
        first = (state_from_subject(text, at, to) if _people_head(text[at:to]) else None) or \
            actor_from_subject(text, at, to)
        if first is not None and second is not None and second.actor == first.actor:
            second = None
    victims = second is not None and second.actor == "Civilians"
    if text and sub_event_type in _CAPTURES and not any(m.start < trigger_at and not m.actor.startswith("Civilians") for m in mentions):
        # "despite Azerbaijani President Aliyev's announcement about capturing": the side speaking before the trigger
        side = context_actor(text, trigger_at, sentence.start)
        if side:
            at = context_span(text, sentence.start, trigger_at)
            first = ActorMention(side[0], at[0], at[1], side[1])
            second = next((m for m in mentions if m.actor != first.actor), None)
            victims = False
    if text and sub_event_type in _CAPTURES:
        first, second = _capture_sides(first, second, mentions, trigger_at, sentence, text, trigger)
    return _SentenceActors(first, second, _CIVILIAN.search(sentence.text), victims)


# "repelled an attack", "fought off an assault", "beat back an offensive": the object's side attacked
_REPELLED = wordlists.pattern(r"(?:{{repelled}})\b", re.IGNORECASE)

# "government forces and Houthi fighters exchanged fire": two sides joined by "and" before a clash
# ("the army and the paramilitary RSF": a word that qualifies the second side may stand before its name)
_AND_BETWEEN = wordlists.pattern(r"\s*,?\s*(?:and|&)\s+(?:the\s+)?(?:(?:{{side_qualifiers}})\s+)?", re.IGNORECASE)


def _coordinated_sides(first, second, mentions: list[ActorMention], trigger_at: int, text: str):
    """"A and B clashed": the side named first is actor1, as ACLED orders them, not the one nearest the verb."""
    before = [m for m in mentions if m.start < trigger_at and not m.actor.startswith("Civilians")]
    if len(before) >= 2 and before[-1] is first and before[-2].actor != first.actor \
            and _AND_BETWEEN.fullmatch(text, before[-2].end, first.start):
        trace.note("events.actors", text[before[-2].start:first.end], f"actor1 {before[-2].actor}",
                   "two sides joined by 'and' before a clash: the one named first is actor1", before[-2].start)
        return before[-2], first
    return first, second


def _subject_of(trigger, sentence: Sentence, trigger_at: int, text: str) -> tuple[int, int] | None:
    """The subject (offsets in the sentence) of the trigger's verb, from the trigger's parse or the sentence's.
    Every use of it reads an actor from text[subject] (`state_from_subject`, `actor_from_subject`), so the
    sentence is not parsed when no word of it could head such an actor (`actors.subject_may_be_actor`): the
    same actors, without the parse (a third of the 54 gold articles' parses were asked only for this)."""
    subject = getattr(trigger, "subject", None)
    if subject:
        return subject
    if not subject_may_be_actor(text[sentence.start:sentence.start + len(sentence.text)]):
        return None
    return parse_subject(sentence.text, trigger_at - sentence.start)


def _people_head(phrase: str) -> bool:
    """The phrase's last word is a noun for people (data/event_numbers_people.csv: "soldiers", "police"), not a
    weapon ("artillery", "drones" name no one who acts)."""
    from events.numbers import people_nouns

    words = phrase.split()
    nouns = people_nouns()
    return bool(words) and words[-1].strip(",.;:").lower() in nouns["singular"] + nouns["plural"]


_FROM_BEFORE = re.compile(r"\bfrom\s+(?:the\s+|its\s+|their\s+)?$", re.IGNORECASE)


def _capture_sides(first, second, mentions: list[ActorMention], trigger_at: int, sentence: Sentence, text: str,
                   trigger):
    """"Soldiers captured Gao from militants": the side a place is taken FROM lost it (actor2); who took it is
    the verb's subject, a state force when its noun is one ("soldiers", "troops") and no country is named."""
    loser = next((m for m in mentions if m.start > trigger_at
                  and _FROM_BEFORE.search(text, max(0, m.start - 12), m.start)), None)
    if loser is None:
        return first, second
    if first is not None and first.actor == loser.actor:
        first = None
    if first is None and trigger is not None:
        subject = _subject_of(trigger, sentence, trigger_at, text)
        if subject:
            at, end = sentence.start + subject[0], sentence.start + subject[1]
            first = state_from_subject(text, at, end) or actor_from_subject(text, at, end)
    trace.note("events.actors", text[loser.start:loser.end], f"actor2 {loser.actor}",
               "the side the place was taken from lost it", loser.start)
    return first, loser


def _fill_actors(event: ExtractedEvent, mentions: list[ActorMention], trigger_at: int, sentence: Sentence,
                 text: str = "", read: _SentenceActors | None = None) -> None:
    read = read or _sentence_actors(mentions, trigger_at, sentence, text, event.sub_event_type)
    first, second = read.first, read.second
    country = event.place.country_code if event.place else None  # "gunmen" -> "Unidentified Armed Group (Mali)"
    admin1 = event.place.admin1 if event.place else None
    first, second = localise(first, country, admin1), localise(second, country, admin1)
    if read.victims:
        country = event.place.country_code if event.place else None
        second = ActorMention(civilians_of(country), second.start, second.end, country)
    if first:
        event.actor1 = first.actor
        event.add_evidence("actor1", first.start, first.end)
    if second:
        event.actor2 = second.actor
        event.add_evidence("actor2", second.start, second.end)
    if not event.actor2 and text and event.event_type in ("Battles", "Explosions/Remote violence"):
        _state_victims(event, text, trigger_at, sentence, country)
    if not event.actor1 and event.event_type in CROWD_OF_TYPE and event.event_type != "Protests":
        # (a protest's sides are settled after its type is final: _unarmed_side)
        _crowd_as_actor1(event, trigger_at, "a riot's first actor is its crowd, named by the country it is in "
                         "(ACLED's codebook), when the sentence names no other")
        if event.sub_event_type == "Mob violence" and not event.actor2 and text \
                and _MUTUAL.search(text, sentence.start, sentence.end):
            event.actor2 = event.actor1
            trace.note("events.actors", event.actor2, "actor2", "groups fighting each other: rioters on both sides "
                       "(ACLED codes communal clashes with the rioters of each side)", trigger_at)
    civilian = read.civilian
    if civilian and event.event_type in ("Explosions/Remote violence", "Violence against civilians") and not event.actor2:
        country = event.place.country_code if event.place else None
        event.actor2 = civilians_of(country)
        event.add_evidence("actor2", sentence.start + civilian.start(), sentence.start + civilian.end())
    elif event.event_type == "Violence against civilians" and not event.actor2 and event.actor1 \
            and not event.actor1.startswith("Civilians"):
        # ("soldiers shot dead a trader"): violence against civilians has civilians for its target (ACLED)
        event.actor2 = civilians_of(event.place.country_code if event.place else None)
        for span in event.evidence.get("event_type", []):
            event.add_evidence("actor2", *span)


_WHEN_BEFORE = re.compile(r"\b(?:when|as)\s+(?:(?!\bwhen\b)[^,;])*$", re.IGNORECASE)


def _state_victims(event: ExtractedEvent, text: str, trigger_at: int, sentence: Sentence, country: str | None) -> None:
    """"Militants ambushed a patrol, killing four soldiers": state forces named after the trigger without their
    country are the side attacked (ACLED's actor2), the forces of the event's country."""
    from events.numbers import people_nouns

    nouns = people_nouns()  # people attacked, not the weapons a force fires ("artillery shells landed")
    people = frozenset(nouns["singular"] + nouns["plural"])
    found = state_force_in(text, trigger_at, sentence.end, people)
    when = None if found is not None else _WHEN_BEFORE.search(text, sentence.start, trigger_at)
    if when is not None:
        # "three soldiers were killed when militants attacked", "a soldier lost his leg when he stepped on a mine":
        # the forces told before "when" are what befell the side attacked in the clause of the trigger
        found = state_force_in(text, sentence.start, when.start(), people)
    found = localise(found, country)
    if found is None or found.template is not None or found.actor == event.actor1:
        return
    if any(s <= found.start and found.end <= e for s, e in event.evidence.get("claimed_by", ())):
        return  # "..., killing two traders, police spokesman X said": the police are the source, not the victims
    event.actor2 = found.actor
    event.add_evidence("actor2", found.start, found.end)
    trace.note("events.actors", text[found.start:found.end], f"actor2 {found.actor}",
               "a state force named after the trigger, with no side given: the side attacked, of the event's country",
               found.start)


# ACLED's inter codes 5 (rioters) and 6 (protesters): a crowd, no organised armed group
_CROWD_ACTOR = wordlists.pattern(r"^(?:{{crowd_actor_names}})(?: \(|$)")


def _crowd_as_actor1(event: ExtractedEvent, at: int, why: str) -> None:
    """The one rule for a demonstration's crowd: actor1 is 'Protesters (X)' of a protest, 'Rioters (X)' of a riot
    (events.actors.crowd_of), X the country of the event's place (used for riots and protests alike)."""
    event.actor1 = crowd_of(event.event_type, event.place.country_code if event.place else None)
    trace.note("events.actors", event.actor1, "actor1", why, at)


def _armed_target(event: ExtractedEvent) -> None:
    """An "attack" whose target is a state's military or police and whose attacker is no state force is no
    violence against civilians: ACLED codes armed men fighting state forces as Battles / Armed clash
    ("gunmen opened fire on a police post, killing two officers")."""
    if (event.event_type, event.sub_event_type) != ("Violence against civilians", "Attack") or not event.actor2:
        return
    if not _STATE_ACTOR.match(event.actor2) or event.actor2.startswith("Government") \
            or (event.actor1 and _STATE_ACTOR.match(event.actor1)):
        return
    event.event_type, event.sub_event_type = "Battles", "Armed clash"
    trace.note("events.type", event.actor2, "Battles / Armed clash", "the side attacked is a state force, not "
               "civilians: an armed attack on the military or police is a battle (ACLED codebook)", event.start)


def _unarmed_side(event: ExtractedEvent) -> None:
    """A "clash" with a crowd on one side is no battle: ACLED's Battles are between organised armed groups, and
    demonstrators who fight the police or another side riot (Riots / Violent demonstration, the crowd coded
    "Rioters (X)"). "Protesters clash with police", "police clashed with demonstrators", in any war or none."""
    crowd = [a for a in (event.actor1, event.actor2) if a and _CROWD_ACTOR.match(a)]
    if event.event_type == "Protests" and not crowd and event.place is not None and event.place.country_code:
        # ACLED's protest events are the protesters' (actor1): "police fired tear gas at students" is the students'
        # protest with intervention, the police actor2
        country = country_name(event.place.country_code)  # (the place's country has a name: a crowd can be named)
        if event.actor2 and event.actor2.startswith("Civilians"):  # "residents blocked the road to protest": the protesters
            event.actor2 = None
            event.evidence.pop("actor2", None)
        if country and event.actor1 and (not event.actor2 or _STATE_ACTOR.match(event.actor1)):
            # ("gunmen and riot police opened fire on a march"): the state force that acts on the crowd is actor2
            _force_as_actor2(event)
        if country and not event.actor1:
            _crowd_as_actor1(event, event.start, "a protest's actor1 is its protesters (ACLED), named by the country "
                             "of its place")
        return
    if not crowd and (event.event_type, event.sub_event_type) == ("Riots", "Violent demonstration") \
            and event.actor1 and _STATE_ACTOR.match(event.actor1) and event.place is not None \
            and country_name(event.place.country_code or ""):
        # ("shot dead by gendarmes when a crowd tried to storm a post"): a riot is its crowd's, the force actor2
        _force_as_actor2(event)
        _crowd_as_actor1(event, event.start, "a riot's first actor is its crowd (ACLED); the state force named as "
                         "acting is the other side")
        return
    if not crowd:
        return
    if event.event_type == "Battles" and event.sub_event_type == "Armed clash":
        event.event_type, event.sub_event_type = "Riots", "Violent demonstration"
        trace.note("events.type", crowd[0], "Riots / Violent demonstration",
                   "a clash with a crowd on one side: Battles are between organised armed groups, a crowd that fights "
                   "riots (ACLED codebook)", event.start)
    if event.event_type not in ("Riots", "Protests"):
        return
    # the crowd is actor1 ("police clashed with demonstrators", "police dispersed protesters"), and a crowd that
    # riots is 'Rioters (X)'
    if event.actor2 and _CROWD_ACTOR.match(event.actor2) and not _CROWD_ACTOR.match(event.actor1 or ""):
        event.actor1, event.actor2 = event.actor2, event.actor1
        ev = event.evidence
        ev["actor1"], ev["actor2"] = ev.pop("actor2", []), ev.pop("actor1", [])
        for key in ("actor1", "actor2"):
            if not ev[key]:
                del ev[key]
    if event.sub_event_type == "Violent demonstration":
        event.actor1, event.actor2 = _as_rioters(event.actor1), _as_rioters(event.actor2)
    trace.note("events.actors", event.actor1 or "", f"actor1 {event.actor1}, actor2 {event.actor2}",
               "the crowd is actor1 of a demonstration (ACLED), 'Rioters (X)' when it riots", event.start)


def _force_as_actor2(event: ExtractedEvent) -> None:
    """The side named as acting (a state force at a demonstration) becomes actor2, leaving actor1 to the crowd."""
    event.actor2 = event.actor1
    event.evidence["actor2"] = event.evidence.pop("actor1", [])
    event.actor1 = None


def _as_rioters(actor: str | None) -> str | None:
    return "Rioters" + actor[len("Protesters"):] if actor and actor.startswith("Protesters") else actor


def _fill_numbers(event: ExtractedEvent, losses, loss_spans, fatalities, claimant: str | None = None) -> None:
    for kind, count in losses.items():
        event.losses[kind] = max(event.losses.get(kind, 0), count)
    for span in loss_spans:
        event.add_evidence("losses", *span)
    if not fatalities:
        return
    if event.fatalities and claimant and claimant != event.claimed_by and fatalities.best != event.fatalities["best"]:
        # another side's account of the toll: ACLED keeps the lowest credible count, the claim as the high bound
        event.fatalities = merge_fatalities(event.fatalities, fatalities.as_dict())
        event.add_evidence("fatalities", fatalities.start, fatalities.end)
        trace.note("events.numbers", str(fatalities.best), f"best {event.fatalities['best']}, high {event.fatalities['high']}",
                   f"{claimant}'s figure differs from the count already told: the lowest count is kept (ACLED)",
                   fatalities.start)
    elif not event.fatalities or fatalities.best > event.fatalities["best"]:
        event.fatalities = fatalities.as_dict()
        event.add_evidence("fatalities", fatalities.start, fatalities.end)
        trace.note("events.numbers", str(fatalities.best), f"fatalities {fatalities.best}",
                   "a figure of people killed", fatalities.start)


def _refine_territory(event: ExtractedEvent, text: str, trigger_at: int) -> None:
    """A capture: who took it decides the sub-type. When the text only mentions an announcement of it
    ("despite X's announcement about capturing") and disputes it, the event is the announcement."""
    if event.sub_event_type != _SUB_ONLY_IF_CONTESTED:
        return
    if event.contested and _ANNOUNCED_ONLY.search(text[max(0, trigger_at - 40) : trigger_at]):
        event.event_type, event.sub_event_type = "Strategic developments", "Other"
    elif _abroad(event):
        # ACLED's codebook: a foreign state's forces taking a place are coded as a non-state actor overtaking it
        event.sub_event_type = "Non-state actor overtakes territory"
        trace.note("events.type", event.actor1, event.sub_event_type, "a state's forces took a place outside "
                   "their own country (ACLED: a foreign state actor acquiring control)", trigger_at)
    elif event.actor1 and not _STATE_ACTOR.match(event.actor1) and not event.actor1.startswith("Civilians") or \
            _FROM_GOVERNMENT.match(text, trigger_at, trigger_at + 120) or \
            (not event.actor1 and event.actor2 and _STATE_ACTOR.match(event.actor2)):  # taken from the state
        event.sub_event_type = "Non-state actor overtakes territory"


def _abroad(event: ExtractedEvent) -> bool:
    """Whether the event's actor1 is a state's forces and its place lies in another country."""
    home = state_country(event.actor1)
    return bool(home and event.place is not None and event.place.country_code and home != event.place.country_code)


# "recaptured the town of Saraqib from government forces": whoever took it was not the government
_FROM_GOVERNMENT = wordlists.pattern(r"[^.;]{0,80}?\bfrom (?:the )?(?:{{government_words}}) (?:{{force_nouns}})\b",
                                     re.IGNORECASE)
_ANNOUNCED_ONLY = wordlists.pattern(r"\b(?:{{hearsay_nouns}})\s+(?:about|of|that)\s+(?:\w+\s+)?$", re.IGNORECASE)


class _Told:
    """The events told so far, in order, with what the rules ask of all of them kept as counts and an index:
    a new event is merged into the first compatible one found through its (day, type, place), and "is there
    a told event on that day / of that type / at that place" is one look-up, not a pass over every event
    (an article of thousands of events made each of those quadratic)."""

    def __init__(self) -> None:
        self.events: list[ExtractedEvent] = []
        self._by_key: dict[tuple, list[int]] = defaultdict(list)
        self._agreements: dict[date, list[int]] = defaultdict(list)  # an agreement merges a day either side
        self.days: Counter = Counter()
        self.types: Counter = Counter()
        self.sub_types: Counter = Counter()
        self.places: Counter = Counter()
        self._claimed: list[int] = []  # positions of the events with a claimant

    def last_claimed(self) -> ExtractedEvent | None:
        return self.events[self._claimed[-1]] if self._claimed else None

    def __len__(self) -> int:
        return len(self.events)

    def __getitem__(self, i):
        return self.events[i]

    def __iter__(self):
        return iter(self.events)

    def __reversed__(self):
        return reversed(self.events)

    def add_or_merge(self, event: ExtractedEvent) -> None:
        candidates = set(self._by_key.get(_told_key(event), ()))
        if event.sub_event_type == "Agreement" and event.event_date:
            for day in _days_around(event.event_date):
                candidates.update(self._agreements.get(day, ()))
        for i in sorted(candidates):  # the first compatible one in the story's order, as a full scan finds
            existing = self.events[i]
            if _compatible(existing, event):
                self._count(i, -1)
                _merge(existing, event)  # may move an agreement to its venue's day and place
                self._count(i, +1)
                return
        self.events.append(event)
        self._count(len(self.events) - 1, +1)

    def _count(self, i: int, sign: int) -> None:
        event = self.events[i]
        place = event.place.id if event.place else None
        for counter, value in ((self.days, event.event_date), (self.types, event.event_type),
                               (self.sub_types, event.sub_event_type), (self.places, place)):
            counter[value] += sign
            if counter[value] <= 0:
                del counter[value]
        self.places.pop(None, None)  # a told event without a place is at no place
        key = _told_key(event)
        agreement = event.sub_event_type == "Agreement" and event.event_date
        if sign > 0:
            insort(self._by_key[key], i)
            if agreement:
                insort(self._agreements[event.event_date], i)
            if event.claimed_by:
                insort(self._claimed, i)
        else:
            self._by_key[key].remove(i)
            if agreement:
                self._agreements[event.event_date].remove(i)
            if event.claimed_by:
                self._claimed.remove(i)


def _told_key(event: ExtractedEvent) -> tuple:
    """What two compatible events share (see `_compatible`), agreements a day apart aside."""
    return event.event_date, event.event_type, event.place.id if event.place else None


def _days_around(day: date) -> list[date]:
    days = []
    for delta in (-1, 0, 1):
        try:
            days.append(day + timedelta(days=delta))
        except OverflowError:  # the first or last day a date can hold
            pass
    return days

