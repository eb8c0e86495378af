"""NER runs only where it can change what is found, and the batched worker path agrees with the single one."""

from __future__ import annotations

import pytest

from geo.gazetteer import DEFAULT_INDEX
from geo.toponyms import ner_entities, ner_segments, ner_stream

needs_index = pytest.mark.skipif(not DEFAULT_INDEX.exists(),
                                 reason="data/gazetteer.sqlite not built (run `clashmap gazetteer build`)")

TEXTS = [
    "He said the talks would go on. Shelling hit Stepanakert overnight. It was quiet by noon.",
    "Baku was quiet. The ministry said nothing more. Officials in Yerevan denied the claim.",
    "nothing capitalised here at all",
]


@needs_index
def test_sentences_naming_nothing_are_left_out():
    text = TEXTS[0]
    spans = ner_segments(text)
    assert [text[a:b] for a, b in spans] == ["Shelling hit Stepanakert overnight."]
    assert ner_segments(TEXTS[2]) == []
    # a sentence opening with a known place name is kept: only NER can vouch for it there
    assert text_of(TEXTS[1], ner_segments(TEXTS[1]))[0].startswith("Baku was quiet.")


@needs_index
def test_long_sentences_are_read_only_around_their_names():
    text = ("Residents who had fled the fighting late last week were slowly coming back to their homes "
            "on the edge of Stepanakert after days of quiet and the reopening of the road.")
    assert text_of(text, ner_segments(text, window=4)) == ["on the edge of Stepanakert after days of quiet"]
    # capitalised words that are only stop names or demonyms give NER nothing to decide
    assert ner_segments("Officials said on Monday that the Armenian side had agreed.") == []


def text_of(text, spans):
    return [text[a:b] for a, b in spans]


@needs_index
def test_worker_processes_give_the_same_entities_as_one_call():
    single = [ner_entities(t) for t in TEXTS]
    assert list(ner_stream(TEXTS, n_process=2, batch_size=1)) == single
    assert list(ner_stream(TEXTS, n_process=1)) == single
    assert any(TEXTS[0][e.start:e.end] == "Stepanakert" for e in single[0])


def test_cached_answers_are_kept_per_gazetteer_build(tmp_path):
    """A rebuilt index (new curated places) must not be hidden behind an older build's cached misses."""
    import sqlite3

    from store.geocache import cached_geocoder
    from geo.gazetteer import Gazetteer
    from geo.gazetteer_build import SCHEMA
    from geo.geocoders import GazetteerGeocoder
    from store.db import open_store

    def index(path, with_place: bool):
        db = sqlite3.connect(path)
        db.executescript(SCHEMA)
        db.execute("INSERT INTO meta VALUES ('build', ?)", ("b2" if with_place else "b1",))
        if with_place:
            db.execute("INSERT INTO place VALUES (-1, 'Kabajib', 'SY', NULL, 'village', NULL, 35.1, 39.65, 0, 'curated')")
            db.execute("INSERT INTO alias VALUES ('kabajib', -1, 1)")
        db.commit()
        db.close()

    sessions = open_store(f"sqlite:///{tmp_path}/store.sqlite")
    index(tmp_path / "old.sqlite", False)
    old = cached_geocoder(GazetteerGeocoder(Gazetteer(tmp_path / "old.sqlite")), sessions, provider="gazetteer")
    assert old.geocode("Kabajib") is None  # the miss is cached for that build
    index(tmp_path / "new.sqlite", True)
    new = cached_geocoder(GazetteerGeocoder(Gazetteer(tmp_path / "new.sqlite")), sessions, provider="gazetteer")
    assert new.geocode("Kabajib").raw["country_code"] == "SY"


@needs_index
def test_a_long_text_read_in_pieces_by_the_workers_gives_the_same_entities(monkeypatch):
    """One long article in `clashmap extract`: its NER stretches go to the two workers in pieces, and the
    pieces' entities come back joined, in order, each text's own (a text naming nothing among them)."""
    import geo.toponyms as toponyms

    long_text = " ".join(TEXTS[:2] * 3)
    texts = [TEXTS[0], long_text, TEXTS[2], TEXTS[1]]
    single = [ner_entities(t) for t in texts]
    assert len(ner_segments(long_text)) > 2
    monkeypatch.setattr(toponyms, "NER_PIECE", 2)  # the long text: several pieces
    with toponyms.spacy_workers(2) as pool:
        assert list(ner_stream(texts, pool=pool, batch_size=2)) == single
    assert sum(long_text[e.start:e.end] == "Stepanakert" for e in single[1]) == 3
