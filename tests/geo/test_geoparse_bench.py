"""The geoparsing bench's own rules (issue 12): halves by a fixed hash of the document id, as bench_ucdp
splits its corpus, and the stage that lost each missed gold name. Short documents written for these tests."""

from __future__ import annotations

from bench.geoparse_corpora import Doc, Gold, half_of
from bench.geoparse_resolve import NO_CANDIDATE, NO_RIGHT_CANDIDATE, NOT_FOUND, RESOLVER, Prepared, stage_table
from geo.gazetteer import PlaceRecord
from geo.resolve import Resolution
from geo.toponyms import Toponym


def test_halves_are_the_parity_of_the_ids_sha256_not_the_documents_order():
    # sha256("1") starts with 0x6b (odd), sha256("2") with 0xd4 (even), sha256("a.txt") with 0x4e (even)
    assert [half_of(i) for i in ("1", "2", "a.txt", "lgl-1")] == ["held-out", "tuning", "tuning", "held-out"]
    ids = [str(n) for n in range(200)]
    assert [half_of(i) for i in reversed(ids)] == [half_of(i) for i in ids][::-1]
    assert 60 < sum(half_of(i) == "tuning" for i in ids) < 140  # both halves get a share


def _place(name: str, lat: float, lon: float) -> PlaceRecord:
    return PlaceRecord(1, name, "US", "TX", "city", "PPL", lat, lon, 1000, "test")


def test_each_missed_gold_name_is_charged_to_the_stage_that_lost_it():
    text = "Paris and Tyler and Waco and Austin and Marfa met."
    at = {w: (text.index(w), text.index(w) + len(w)) for w in ("Paris", "Tyler", "Waco", "Austin", "Marfa")}
    gold = [Gold(*at[w], w, lat, lon) for w, lat, lon in [
        ("Paris", 33.66, -95.55), ("Tyler", 32.35, -95.30), ("Waco", 31.55, -97.15), ("Austin", 30.27, -97.74),
        ("Marfa", 30.31, -104.02)]]
    doc = Doc("t", text, gold)
    far = _place("Paris", 48.85, 2.35)  # a candidate more than 161 km from the gold point

    def res(word, place, candidates):
        return Resolution(Toponym(word, *at[word], "mention", "gazetteer"), place, None, "test", candidates)

    right_tyler = _place("Tyler", 32.35, -95.30)
    results = [res("Paris", far, [far, _place("Paris", 33.66, -95.55)]),  # right one offered: the resolver
               res("Tyler", right_tyler, [right_tyler]),                       # right
               res("Waco", None, []),                                          # no candidate: the gazetteer
               res("Austin", far, [far])]                                      # none near: the gazetteer
    # Marfa was never found: the toponym finder
    table = stage_table([Prepared(doc, text, [], [], None, None, [])], [results])
    assert table == {"right": 1, NOT_FOUND: 1, NO_CANDIDATE: 1, NO_RIGHT_CANDIDATE: 1, RESOLVER: 1}
