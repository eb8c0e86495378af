"""The day a source spoke dates the event it tells as a day of publication would: "overnight, residents said on
Monday" is the night before that Monday. A short text the project wrote, read through the real pipeline."""

from __future__ import annotations

import datetime

from pipeline_fixtures import pipeline, read  # noqa: F401 (pytest fixtures)


def test_overnight_told_on_a_day_is_the_night_before_it(read):
    reading = read("date 2024-08-21 MAIDUGURI, NIGERIA – Gunmen stormed the village of Mafa overnight, killing 23 "
                   "farmers, residents said on Monday.")
    assert [e.event_date for e in reading.events] == [datetime.date(2024, 8, 18)]
