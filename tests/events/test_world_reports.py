"""Brief E14 (issue 11): short event reports from many wars (tests/events/world_reports.csv, written for this
project, each with the coding ACLED would give it), read through the real pipeline with no dateline. A row passes
when one event has its type and sub-type, its date (+-1 day), a place within 50 km and, where the row gives them,
its actors and fatalities (bench/bench_world_reports.py). The rows that still fail are listed with their cause in
tests/events/world_reports_failures.csv and expected to fail (strict: a row that starts passing must leave the list).
Batch 2 (tests/events/world_reports_2.csv, brief B15) was written blind by another hand and committed before clashmap
was run on it; its failing rows are in world_reports_2_failures.csv, by the same rule. Batch 3
(tests/events/world_reports_3.csv, brief T16) was written blind the same way (first measured 15/65); its failing
rows are in world_reports_3_failures.csv. Batch 4 (tests/events/world_reports_4.csv, brief P17) was written blind the same
way, protests and riots from 45 countries and six reports that are no event (first measured 26/53); its failing rows
are in world_reports_4_failures.csv. Batch 5 (tests/events/world_reports_5.csv, brief T18) was written blind the same way,
no protests: attacks on civilians, explosions, battles, strategic developments from 40 countries and six reports that
are no event (first measured 31/64); its failing rows are in world_reports_5_failures.csv."""

from __future__ import annotations

import pytest
from pipeline_fixtures import pipeline  # noqa: F401 (pytest fixture)

from bench.bench_world_reports import BATCHES, load_known_failures, load_rows, read_row, verdict

ROWS = load_rows()
KNOWN = load_known_failures()
ROWS_2 = load_rows(BATCHES["2"][0])
KNOWN_2 = load_known_failures(BATCHES["2"][1])
ROWS_3 = load_rows(BATCHES["3"][0])
KNOWN_3 = load_known_failures(BATCHES["3"][1])
ROWS_4 = load_rows(BATCHES["4"][0])
KNOWN_4 = load_known_failures(BATCHES["4"][1])
ROWS_5 = load_rows(BATCHES["5"][0])
KNOWN_5 = load_known_failures(BATCHES["5"][1])


def _param(row: dict, known: dict[str, str] = KNOWN):
    marks = [pytest.mark.xfail(reason=known[row["id"]], strict=True)] if row["id"] in known else []
    return pytest.param(row, id=row["id"], marks=marks)


@pytest.mark.parametrize("row", [_param(r) for r in ROWS])
def test_world_report_is_coded_as_acled_would(pipeline, row):  # noqa: F811 (fixture)
    wrong = verdict(read_row(pipeline, row), row)
    assert wrong == [], f"{row['id']} ({row['sub_event_type']}): {'; '.join(wrong)}"


@pytest.mark.parametrize("row", [_param(r, KNOWN_2) for r in ROWS_2])
def test_second_batch_report_is_coded_as_acled_would(pipeline, row):  # noqa: F811 (fixture)
    wrong = verdict(read_row(pipeline, row), row)
    assert wrong == [], f"{row['id']} ({row['sub_event_type']}): {'; '.join(wrong)}"


@pytest.mark.parametrize("row", [_param(r, KNOWN_3) for r in ROWS_3])
def test_third_batch_report_is_coded_as_acled_would(pipeline, row):  # noqa: F811 (fixture)
    wrong = verdict(read_row(pipeline, row), row)
    assert wrong == [], f"{row['id']} ({row['sub_event_type']}): {'; '.join(wrong)}"


@pytest.mark.parametrize("row", [_param(r, KNOWN_4) for r in ROWS_4])
def test_fourth_batch_protest_or_riot_is_coded_as_acled_would(pipeline, row):  # noqa: F811 (fixture)
    """A protest or riot has its type, sub-type, date, place, actors and toll; a protest called for, a strike
    threatened or a march banned gives no event at all."""
    wrong = verdict(read_row(pipeline, row), row)
    assert wrong == [], f"{row['id']} ({row['sub_event_type'] or 'no event'}): {'; '.join(wrong)}"


@pytest.mark.parametrize("row", [_param(r, KNOWN_5) for r in ROWS_5])
def test_fifth_batch_report_is_coded_as_acled_would(pipeline, row):  # noqa: F811 (fixture)
    """An attack, explosion, battle or strategic development has its type, sub-type, date, place, actors and toll;
    a threat, a call, a court ruling, an anniversary, a plan or a denial gives no event at all."""
    wrong = verdict(read_row(pipeline, row), row)
    assert wrong == [], f"{row['id']} ({row['sub_event_type'] or 'no event'}): {'; '.join(wrong)}"


def test_the_fifth_batch_is_violence_and_developments_from_many_countries():
    assert not {r["id"] for r in ROWS + ROWS_2 + ROWS_3 + ROWS_4} & {r["id"] for r in ROWS_5}
    kinds = [r["event_type"] for r in ROWS_5]
    assert "Protests" not in kinds and kinds.count("") >= 5
    assert {"Battles", "Explosions/Remote violence", "Violence against civilians", "Strategic developments"} <= set(kinds)
    assert len({r["country"] for r in ROWS_5}) >= 35
    assert set(KNOWN_5) <= {r["id"] for r in ROWS_5} and all(c.strip() for c in KNOWN_5.values())


def test_the_fourth_batch_is_protests_and_riots_from_many_countries():
    assert not {r["id"] for r in ROWS + ROWS_2 + ROWS_3} & {r["id"] for r in ROWS_4}
    kinds = [r["event_type"] for r in ROWS_4]
    assert set(kinds) == {"Protests", "Riots", ""} and kinds.count("") >= 5
    assert len({r["country"] for r in ROWS_4}) >= 35
    assert set(KNOWN_4) <= {r["id"] for r in ROWS_4} and all(c.strip() for c in KNOWN_4.values())


def test_the_third_batch_is_new_ground():
    """Batch 3 is weighted to battles, protests, riots and attacks on civilians, from countries batches 1-2 have
    few of, and shares no row id with them."""
    assert not {r["id"] for r in ROWS + ROWS_2} & {r["id"] for r in ROWS_3}
    kinds = [r["event_type"] for r in ROWS_3]
    assert sum(k in ("Battles", "Protests", "Riots", "Violence against civilians") for k in kinds) == len(kinds)
    assert len({r["country"] for r in ROWS_3}) >= 40
    assert set(KNOWN_3) <= {r["id"] for r in ROWS_3} and all(c.strip() for c in KNOWN_3.values())


def test_the_second_batch_is_new_ground():
    """Batch 2 favours what batch 1 has least of: battles, protests, riots and attacks on civilians, from
    countries batch 1 has few of, and shares no row id with it."""
    assert not {r["id"] for r in ROWS} & {r["id"] for r in ROWS_2}
    kinds = [r["event_type"] for r in ROWS_2]
    assert sum(k in ("Battles", "Protests", "Riots", "Violence against civilians") for k in kinds) >= 0.8 * len(kinds)
    assert len({r["country"] for r in ROWS_2}) >= 40
    assert set(KNOWN_2) <= {r["id"] for r in ROWS_2} and all(c.strip() for c in KNOWN_2.values())


def test_the_set_covers_every_acled_type_and_many_countries():
    assert {r["event_type"] for r in ROWS} == {"Battles", "Explosions/Remote violence", "Violence against civilians",
                                               "Protests", "Riots", "Strategic developments"}
    assert len({r["country"] for r in ROWS}) >= 20


def test_every_known_failure_names_a_row_and_a_cause():
    ids = {r["id"] for r in ROWS}
    assert set(KNOWN) <= ids
    assert all(cause.strip() for cause in KNOWN.values())
