"""News date conventions resolved against the publication date, never after it."""

from __future__ import annotations

from datetime import date

import pytest

from events.dates import find_dates

PUBLISHED = date(2020, 11, 9)  # a Monday


def _one(text: str, published: date = PUBLISHED, anchor: date | None = None):
    found = find_dates(text, published, anchor=anchor)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("text, day", [
    ("Troops stormed the town on Sunday.", date(2020, 11, 8)),
    ("The village was shelled on Monday morning.", date(2020, 11, 9)),  # the day itself counts
    ("Fighting broke out last Monday.", date(2020, 11, 2)),
    ("Officials said yesterday that the road was cut.", date(2020, 11, 8)),
    ("Clashes resumed on September 27th.", date(2020, 9, 27)),
    ("Rockets fell on 28 October.", date(2020, 10, 28)),
    ("The offensive began on February 20.", date(2020, 2, 20)),
    ("Heavy fighting two days ago.", date(2020, 11, 7)),
])
def test_days(text, day):
    assert _one(text).date == day


def test_a_date_without_a_year_far_ahead_is_last_year():
    assert _one("The offensive began on December 28.", published=date(2021, 1, 5)).date == date(2020, 12, 28)


def test_overnight_and_the_night_of():
    assert _one("Drones struck overnight.").date == date(2020, 11, 8)
    assert _one("Drones struck overnight.", anchor=date(2020, 11, 6)).date == date(2020, 11, 6)
    assert _one("Shelling on the night of Saturday to Sunday.").date == date(2020, 11, 7)


def test_a_day_earlier_and_the_previous_night_follow_the_story():
    assert _one("A day earlier, the bridge was hit.", anchor=date(2020, 11, 7)).date == date(2020, 11, 6)
    # the night before the day being told began on the day before it
    assert _one("The previous night, the bridge was hit.", anchor=date(2020, 11, 7)).date == date(2020, 11, 6)
    assert _one("Another missile hit the same night.", anchor=date(2020, 11, 5)).date == date(2020, 11, 5)


def test_a_day_later_and_the_next_morning_follow_the_story():
    assert _one("A day later, the bridge was hit.", anchor=date(2020, 11, 6)).date == date(2020, 11, 7)
    assert _one("The next morning drones hit the depot.", anchor=date(2020, 11, 6)).date == date(2020, 11, 7)
    assert _one("Two days later the convoy was ambushed.", anchor=date(2020, 11, 5)).date == date(2020, 11, 7)
    # later than nothing: without a day told before it, no day is guessed
    assert find_dates("A day later, the bridge was hit.", PUBLISHED) == []
    # and never after publication
    assert find_dates("A day later, the bridge was hit.", PUBLISHED, anchor=PUBLISHED) == []


def test_week_and_month_precision():
    week = _one("The base was shelled last week.")
    assert (week.date, week.precision) == (date(2020, 11, 2), 2)
    month = _one("The town was captured earlier this month.")
    assert (month.date, month.precision) == (date(2020, 11, 1), 3)
    july = _one("In July, warplanes bombed the base.")
    assert (july.date, july.precision) == (date(2020, 7, 1), 3)
    april = _one("The town had been held since early April.", published=date(2022, 9, 10))
    assert (april.date, april.precision) == (date(2022, 4, 1), 3)


def test_never_after_publication():
    for text in ("Talks will resume on Friday.", "Patrols begin on November 15.", "The vote is set for Tuesday."):
        for found in find_dates(text, PUBLISHED):
            assert found.date <= PUBLISHED
    assert find_dates("Joint patrols begin on November 15.", PUBLISHED) == []  # a plan, not last year's news


def test_a_date_inside_a_name_is_not_a_day():
    assert find_dates("Leaders of the June 5 Movement were arrested.", PUBLISHED) == []


def test_a_date_used_as_a_modifier_is_not_the_day():
    assert find_dates("Troops entered under the November 10 ceasefire statement.", PUBLISHED) == []
    assert [d.text for d in find_dates("Clashes on November 7 and the November 8 parade.", PUBLISHED)] == ["November 7"]
