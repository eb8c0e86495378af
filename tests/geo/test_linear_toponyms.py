"""Finding place names costs in proportion to the text: entity look-ups by bisection, NER on bounded
stretches (never spaCy's 1,000,000-character limit, E088). Timing targets are in bench/bench_sizes.py."""

from __future__ import annotations

import random
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from geo.gazetteer import DEFAULT_INDEX
from geo.toponyms import MAX_SEGMENT_CHARS, Entity, EntityIndex, _inside, ner_segments

ROOT = Path(__file__).resolve().parents[2]
needs_index = pytest.mark.skipif(not DEFAULT_INDEX.exists(),
                                 reason="data/gazetteer.sqlite not built (run `clashmap gazetteer build`)")
NAMES = ["Lyon", "Kano", "Mosul", "Goma", "Cali", "Mandalay", "Aden", "Herat", "Bamako", "Homs", "Juba", "Gao"]


def test_the_entity_index_answers_as_a_scan_of_every_entity_does():
    # nested and overlapping entities too (spaCy's never overlap within a text, callers' may): the first
    # holding entity in the caller's order, with a label asked for, or None
    rng = random.Random(7)
    labels = ["GPE", "LOC", "ORG", "PERSON", "FAC"]
    entities = []
    for _ in range(400):
        start = rng.randrange(0, 2000)
        entities.append(Entity(start, start + rng.choice([1, 3, 8, 20, 60, 300]), rng.choice(labels)))
    index = EntityIndex(entities)
    for _ in range(3000):
        start = rng.randrange(0, 2100)
        end = start + rng.choice([1, 2, 5, 12, 40])
        wanted = set(rng.sample(labels, rng.choice([1, 2, 3])))
        assert index.inside(start, end, wanted) == _inside(entities, start, end, wanted)
    assert index.entities == entities


_FIND_IN_CHILD = textwrap.dedent("""
    import sys
    from geo.gazetteer import Gazetteer
    from geo.toponyms import Entity, find_toponyms
    names = {names!r}
    parts, entities, at = [], [], 0
    while at < {size}:
        name = names[len(parts) % len(names)]
        parts.append(name)
        entities.append(Entity(at, at + len(name), "GPE"))  # as NER reads a list of names: each a place
        at += len(name) + 2
    text = ", ".join(parts)
    found, _ = find_toponyms(text, 0, Gazetteer(), entities=entities)
    print(len(parts), len(found))
""")


@needs_index
def test_a_long_list_of_place_names_is_read_without_comparing_every_name_with_every_entity():
    """200 KB of names (25,000 names, as many NER entities): each name asks which entity holds it and
    whether another candidate overlaps it. Scanning all entities for each took minutes; with look-ups by
    position it takes a second or two. The child gets a generous minute."""
    code = _FIND_IN_CHILD.format(names=NAMES, size=200_000)
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    listed, found = map(int, done.stdout.split())
    assert listed > 20_000 and found == listed  # every name of the list is read as a place


@needs_index
def test_ner_reads_a_huge_list_in_bounded_stretches_that_cover_every_name():
    text = ", ".join(NAMES[i % len(NAMES)] for i in range(160_000))  # about 1.1 MB on one line, no full stop
    assert len(text) > 1_000_000  # above spaCy's max_length: one stretch would raise E088
    spans = ner_segments(text)
    longest = max(b - a for a, b in spans)
    assert longest < 1_000_000  # spaCy reads every stretch
    assert longest <= MAX_SEGMENT_CHARS
    assert all(a < b <= c for (a, b), (c, _) in zip(spans, spans[1:]))  # in order, never overlapping
    covered = 0
    for a, b in spans:
        covered += sum(1 for name in text[a:b].split(", ") if name.strip(", ") in NAMES)
    assert covered >= 160_000 - len(spans)  # at most one name per cut is split between two stretches


@needs_index
def test_news_copy_is_still_read_as_one_stretch_per_run_of_sentences():
    text = " ".join(f"Shelling hit {name} on Monday, officials in {name} said." for name in NAMES)
    assert len(text) < MAX_SEGMENT_CHARS
    assert ner_segments(text) == [(0, len(text))]


def _city_names(gazetteer, n: int) -> list[str]:
    rows = gazetteer.db.execute("SELECT name FROM place WHERE kind = 'city' AND population > 100000 "
                                "ORDER BY population DESC").fetchall()
    names, seen = [], set()
    for (name,) in rows:
        if name.isascii() and name.replace(" ", "").isalpha() and name.lower() not in seen:
            seen.add(name.lower())
            names.append(name)
    return names[:n]


@needs_index
def test_nearness_to_the_other_places_is_not_measured_against_every_place(monkeypatch):
    """A candidate near the article's other places gets a bonus. Measuring its distance to every other
    name's place, for every candidate of every name, made a list of distinct names cubic; a grid finds
    the few places around it. Counted: distance computations for 400 names of big cities, per candidate."""
    import geo.resolve as resolve
    from geo.gazetteer import Gazetteer
    from geo.geocoders import GazetteerGeocoder
    from geo.toponyms import Toponym

    gazetteer = Gazetteer()
    names = _city_names(gazetteer, 400)
    toponyms, at = [], 0
    for name in names:
        toponyms.append(Toponym(name, at, at + len(name), "event", "gazetteer"))
        at += len(name) + 2
    calls = []
    km = resolve.km_between
    monkeypatch.setattr(resolve, "km_between", lambda *a: calls.append(1) or km(*a))
    resolved = resolve.resolve_all(toponyms, GazetteerGeocoder(gazetteer))
    assert sum(r.place is not None for r in resolved) == len(names)  # every big city is placed
    candidates = sum(len(r.candidates) for r in resolved)
    # against every other name's place: about 400 per candidate; around it: a few
    assert len(calls) <= 10 * candidates


_LOOK_BACK_IN_CHILD = """
from geo.toponyms import _capitalised_elsewhere
text = "shelling near Lyon went on, " * 300_000  # 8.4 MB
starts = [i for i in range(0, len(text), 28 * 6)]
assert all(_capitalised_elsewhere(text, i + 14) for i in starts)  # "Lyon" after "near ": not a sentence opening
assert not _capitalised_elsewhere("It ended. Lyon was quiet.", 10)
print(len(starts))
"""


def test_whether_a_name_opens_a_sentence_is_seen_without_copying_the_text_before_it():
    """A weak gazetteer hit counts only when it does not open a sentence; finding the character before it
    copied all the text before it, per hit: 50,000 hits in 8 MB took minutes, the child gets half a minute."""
    done = subprocess.run([sys.executable, "-c", _LOOK_BACK_IN_CHILD], cwd=ROOT, capture_output=True, text=True,
                          timeout=30)
    assert done.returncode == 0 and int(done.stdout) == 50_000, done.stderr[-2000:]


@needs_index
def test_country_names_with_and_are_indexed_once_not_sorted_again_for_every_name(monkeypatch):
    """"Trinidad" in a story naming Trinidad and Tobago is that country: each name was checked against the
    article's country names sorted anew for it (names x countries); they are indexed once."""
    import builtins

    import geo.resolve as resolve
    from geo.gazetteer import Gazetteer
    from geo.geocoders import GazetteerGeocoder
    from geo.toponyms import Toponym

    gazetteer = Gazetteer()
    names = ["Trinidad and Tobago", "Trinidad", *_city_names(gazetteer, 200)]
    toponyms, at = [], 0
    for name in names:
        toponyms.append(Toponym(name, at, at + len(name), "event", "gazetteer"))
        at += len(name) + 2
    sorts = []
    monkeypatch.setattr(resolve, "sorted", lambda *a, **k: sorts.append(1) or builtins.sorted(*a, **k), raising=False)
    resolved = {r.toponym.text: r for r in resolve.resolve_all(toponyms, GazetteerGeocoder(gazetteer))}
    assert resolved["Trinidad"].place.country_code == "TT" and resolved["Trinidad"].place.kind == "country"
    assert len(sorts) < 20  # once per name before: over 200


@needs_index
def test_each_name_weighs_the_articles_evidence_without_copying_it(monkeypatch):
    """Each name is read in the light of the article's *other* names: the evidence per country and region
    less its own votes. Copying the article's whole evidence for each name (and summing it again for each
    candidate) made a list of distinct names quadratic; each name's view is now its own few votes."""
    import collections

    import geo.resolve as resolve
    from geo.gazetteer import Gazetteer
    from geo.geocoders import GazetteerGeocoder
    from geo.toponyms import Toponym

    gazetteer = Gazetteer()
    names = _city_names(gazetteer, 2000)
    toponyms, at = [], 0
    for name in names:
        toponyms.append(Toponym(name, at, at + len(name), "event", "gazetteer"))
        at += len(name) + 2
    copied = []
    subtract = collections.Counter.__sub__
    monkeypatch.setattr(collections.Counter, "__sub__", lambda a, b: copied.append(len(a)) or subtract(a, b))
    resolved = resolve.resolve_all(toponyms, GazetteerGeocoder(gazetteer))
    assert sum(r.place is not None for r in resolved) == len(names)
    assert sum(copied) <= 10 * len(names)  # a copy of every country and region per name: hundreds each
