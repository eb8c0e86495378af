"""The geocoder cache's rows in the store (store.geocache.SqlAnswers), written and read through the table: a hit,
a miss (kept as JSON null) and a later answer for a known query read back as written, on SQLite and PostgreSQL."""

from __future__ import annotations

from store.geocache import SqlAnswers

GAO = [{"address": "Gao, ML", "lat": 16.27, "lon": -0.04, "raw": {"id": 2457161, "name": "Gao"}}]
KIDAL = [{"address": "Kidal, ML", "lat": 18.44, "lon": 1.41, "raw": {"id": 2455290, "name": "Kidal"}}]


def test_answers_are_read_back_as_written(sessions):
    answers = SqlAnswers(sessions)
    answers.put_many("gazetteer", [("gao", "", GAO), ("nowhere town", "", None), ("kidal", '{"country": "ML"}', KIDAL)])
    got = {a.query: a for a in answers.get_many("gazetteer", ["gao", "nowhere town", "kidal", "bama"])}
    assert set(got) == {"gao", "nowhere town"}  # get_many reads plain queries only; "bama" was never asked
    assert got["gao"].result == GAO and got["nowhere town"].result is None
    assert got["gao"].fetched_at is not None
    assert answers.get("gazetteer", "kidal", '{"country": "ML"}').result == KIDAL
    assert answers.get_many("nominatim", ["gao"]) == []  # another provider's answers stay apart


def test_a_new_answer_replaces_the_old_one(sessions):
    answers = SqlAnswers(sessions)
    answers.put_many("gazetteer", [("gao", "", None), ("kidal", "", KIDAL)])
    answers.put_many("gazetteer", [("gao", "", GAO), ("kidal", "", None), ("gao", "", GAO)])
    got = {a.query: a.result for a in answers.get_many("gazetteer", ["gao", "kidal"])}
    assert got == {"gao": GAO, "kidal": None}
