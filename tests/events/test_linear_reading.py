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
    assert work_16 <= 2.5 * work_8  # per event it was 4 times: twice the events, each on a sentence twice as long
