"""Reading cost grows with the text, not its square: the sentence splitter, long "sentences" with no
full stop, and sentences that make many events. Counts of work done on n and 2n characters, not
timings (the timing targets are in `make bench`, bench/bench_sizes.py)."""

from __future__ import annotations

from pipeline_fixtures import pipeline, read  # noqa: F401 (pytest fixtures)

import re

import events.extract as extract
import events.sentences as sentences
from events.sentences import MAX_SENTENCE_CHARS, split_sentences

PROSE = ("Gen. Okafor said troops had retaken the bridge on Monday. Residents of the old town said "
         "shelling resumed at dawn! Was the road open? Officials said it was, approx. at noon. ")


class CountingPattern:
    """A real compiled pattern that counts the characters each search is given to look at."""

    def __init__(self, pattern: re.Pattern) -> None:
        self.pattern, self.chars, self.calls = pattern, 0, 0

    def search(self, string, pos=0, endpos=None):
        end = len(string) if endpos is None else min(endpos, len(string))
        self.chars += max(0, end - pos)
        self.calls += 1
        return self.pattern.search(string, pos, end)


def _abbreviation_work(monkeypatch, text: str) -> tuple[int, int]:
    counter = CountingPattern(sentences._ABBREVIATIONS)
    monkeypatch.setattr(sentences, "_ABBREVIATIONS", counter)
    found = split_sentences(text)
    monkeypatch.undo()
    return counter.chars, len(found)


def test_one_long_line_is_split_in_work_proportional_to_its_length(monkeypatch):
    # a scraped page as one line: each sentence end is checked for an abbreviation before it, and
    # that check must look at the words before the stop, not at the whole line up to it
    line = PROSE * 400  # about 56 KB, 1,600 sentence ends
    work_n, sentences_n = _abbreviation_work(monkeypatch, line)
    work_2n, sentences_2n = _abbreviation_work(monkeypatch, line * 2)
    assert sentences_2n == 2 * sentences_n
    assert work_2n <= 2.2 * work_n  # quadratic: 4 times the work for twice the text
    assert work_n <= 20 * len(line) / len(PROSE) * 4  # a few characters per sentence end, whatever the line


def test_abbreviations_still_do_not_end_sentences():
    got = [s.text for s in split_sentences(PROSE * 3)]
    assert got[:4] == ["Gen. Okafor said troops had retaken the bridge on Monday.",
                       "Residents of the old town said shelling resumed at dawn!", "Was the road open?",
                       "Officials said it was, approx. at noon."]
    assert len(got) == 12


def test_a_line_without_any_sentence_end_is_read_in_bounded_pieces():
    words = ("shelling hit the market near the old bridge and residents fled to the villages in the hills "
             "while officials said the road was closed ") * 600  # about 70 KB, no full stop at all
    found = split_sentences(words)
    assert len(found) > 50
    assert max(len(s.text) for s in found) <= MAX_SENTENCE_CHARS
    # nothing is lost or cut inside a word: the pieces are the text's words in order
    assert " ".join(s.text for s in found).split() == words.split()
    assert all(words[s.start : s.end] == s.text for s in found)


def test_a_sentence_of_many_places_reads_its_actors_once(read, monkeypatch):
    """One sentence naming many towns makes one event per town; the sentence's actors and victims are read
    once for them all, not once per event (which made a pasted list quadratic)."""
    towns = ["Lyon", "Marseille", "Toulouse", "Nice", "Nantes", "Strasbourg", "Montpellier", "Bordeaux",
             "Lille", "Rennes", "Reims", "Toulon", "Grenoble", "Dijon", "Angers", "Brest"]

    def civilian_work(names: list[str]) -> tuple[int, int]:
        counter = CountingPattern(extract._CIVILIAN)
        monkeypatch.setattr(extract, "_CIVILIAN", counter)
        reading = read("date 2024-03-04 PARIS, FRANCE – The rebels shelled " + ", ".join(names[:-1])
                       + f" and {names[-1]} on Monday, hitting homes of civilians.")
        monkeypatch.undo()
        places = {e.place.name for e in reading.events if e.place}
        assert len(places) == len(names)
        assert all(e.actor1 == "Rebels" for e in reading.events)
        assert all((e.actor2 or "").startswith("Civilians") for e in reading.events)
        return counter.chars, len(reading.events)

    work_8, events_8 = civilian_work(towns[:8])
    work_16, events_16 = civilian_work(towns)
    assert events_16 == 2 * events_8
    assert work_16 <= 2 * work_8  # read once per sentence: under 2 times; once per event it was near 3 times


# --- a long story of many distinct events, built without the gazetteer: each sentence names its own town ---

def _story(n: int, resolution_type=None, tail: str = ""):
    from articles.reader import read_text
    from geo.gazetteer import PlaceRecord
    from geo.resolve import Resolution
    from geo.toponyms import Toponym

    make = resolution_type or Resolution
    text = "date 2024-03-04 LYON, FRANCE – " + " ".join(
        f"Shelling hit Vexor{chr(97 + i % 26)}{chr(97 + i // 26 % 26)}{chr(97 + i // 676)} on Monday." for i in range(n)) + tail
    article = read_text(text, source="test")
    resolutions = []
    for i, found in enumerate(re.finditer(r"Vexor\w+", text)):
        place = PlaceRecord(i + 1, found.group(0), "FR", None, "city", "PPL", 45.0 + i / 1000, 4.0, 1000, "test")
        resolutions.append(make(Toponym(found.group(0), found.start(), found.end(), "event", "gazetteer"),
                                place, 1.0, "gazetteer+context", [place]))
    return article, resolutions


def test_each_new_event_is_compared_only_with_told_events_it_could_be(monkeypatch):
    """A new event merges into a told one of the same day, type and place (or an agreement a day apart);
    comparing it with every told event made an article of thousands of events quadratic."""
    calls = []
    compatible = extract._compatible
    monkeypatch.setattr(extract, "_compatible", lambda a, b: calls.append(1) or compatible(a, b))

    def comparisons(n: int) -> int:
        calls.clear()
        article, resolutions = _story(n)
        found = extract.extract_events(article, resolutions)
        assert len(found) == n and len({e.place.id for e in found}) == n  # one event per town
        return len(calls)

    small, large = comparisons(150), comparisons(300)
    assert large <= 2 * small + 10  # with a scan of all told events: 11,175 against 44,850


def test_each_sentence_takes_its_places_without_going_over_all_of_them():
    from geo.resolve import Resolution

    class CountingResolution(Resolution):
        """A resolution that counts how often its toponym is looked at."""

        reads = 0

        @property
        def toponym(self):
            CountingResolution.reads += 1
            return self.__dict__["_toponym"]

        @toponym.setter
        def toponym(self, value):
            self.__dict__["_toponym"] = value

    def reads(n: int) -> int:
        article, resolutions = _story(n, CountingResolution)
        CountingResolution.reads = 0
        assert len(extract.extract_events(article, resolutions)) == n
        return CountingResolution.reads

    small, large = reads(150), reads(300)
    assert large <= 2.2 * small  # each sentence scanning every place: 4 times the reads for twice the story


_CLAUSES_IN_CHILD = """
from events.extract import clause_bounds
text = "fighting went on near the bridge, officials said " * 80_000  # 4 MB on one line: no dash, no newline
for at in range(0, len(text), 100):
    lo, hi = clause_bounds(text, at)
    assert lo <= at <= hi
print("ok")
"""


def test_clause_bounds_on_a_long_line_do_not_search_the_whole_text_each_time():
    """Each trigger's clause was found by searching the text before and after it for every mark; a mark
    missing from a one-line page (no dash, no newline) made each search run to the text's end. 40,000
    look-ups in 4 MB took minutes; the child gets a generous half minute."""
    import subprocess
    import sys
    from pathlib import Path

    done = subprocess.run([sys.executable, "-c", _CLAUSES_IN_CHILD], cwd=Path(__file__).resolve().parents[2],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]


def test_clause_bounds_are_the_stretch_between_marks():
    text = "On Monday, shelling hit the bridge – the army said; residents fled. Later it was quiet\nand calm"
    assert text[slice(*extract.clause_bounds(text, text.index("shelling")))] == " shelling hit the bridge "
    assert text[slice(*extract.clause_bounds(text, text.index("residents")))] == " residents fled"
    assert text[slice(*extract.clause_bounds(text, text.index("Later")))] == " Later it was quiet"
    assert text[slice(*extract.clause_bounds(text, text.index("calm")))] == "and calm"
    assert extract.clause_bounds("", 0) == (0, 0)


def test_a_denial_finds_the_claim_it_answers_without_going_back_over_every_event(monkeypatch):
    """'Officials dismissed the claim' contests the last claimed event just told; walking back over every
    unclaimed event of a long one-paragraph story for each denial made it quadratic."""
    from events.model import ExtractedEvent

    class CountingEvent(ExtractedEvent):
        """An event that counts how often its claimant is looked at."""

        reads = 0

        @property
        def claimed_by(self):
            CountingEvent.reads += 1
            return self.__dict__["_claimed_by"]

        @claimed_by.setter
        def claimed_by(self, value):
            self.__dict__["_claimed_by"] = value

    monkeypatch.setattr(extract, "ExtractedEvent", CountingEvent)

    def reads(n: int) -> int:
        article, resolutions = _story(n, tail=" Officials dismissed the claim." * n)
        CountingEvent.reads = 0
        found = extract.extract_events(article, resolutions)
        assert len(found) == n and not any(e.contested for e in found)  # no claim told: nothing to contest
        return CountingEvent.reads

    small, large = reads(100), reads(200)
    assert large <= 2.2 * small  # walking back over all events for each denial: 4 times


def test_a_sides_denials_find_its_events_without_going_over_every_event_each_time(monkeypatch):
    """'Damascus denied it' contests the events that name that side as actor1: the events of each side are
    listed once, not scanned again for every denial of a long story."""
    from events.model import ExtractedEvent

    class CountingEvent(ExtractedEvent):
        """An event that counts how often its first actor is looked at."""

        reads = 0

        @property
        def actor1(self):
            CountingEvent.reads += 1
            return self.__dict__["_actor1"]

        @actor1.setter
        def actor1(self, value):
            self.__dict__["_actor1"] = value

    monkeypatch.setattr(extract, "ExtractedEvent", CountingEvent)

    def reads(n: int) -> int:
        article, resolutions = _story(n, tail=" Damascus denied the report." * n)
        CountingEvent.reads = 0
        found = extract.extract_events(article, resolutions)
        assert len(found) == n and not any(e.contested for e in found)  # no event of that side was told
        return CountingEvent.reads

    small, large = reads(100), reads(200)
    assert large <= 2.2 * small  # every event looked at for every denial: 4 times
