"""Two sides joined by "and" before a clash: the one named first is actor1, as ACLED orders them; a town and the region
written after it ("Tumaco, Narino") are one site, two towns in a list two. Short texts the project wrote, read through
the real pipeline."""

from __future__ import annotations

from pipeline_fixtures import pipeline, read  # noqa: F401 (pytest fixtures)


def test_the_side_named_first_is_actor1(read):
    reading = read("date 2024-01-16 ADEN, YEMEN – In Taiz, government forces and Houthi fighters exchanged fire on "
                   "Sunday, leaving two soldiers dead.")
    assert [(e.event_type, e.actor1, e.actor2) for e in reading.events] == [
        ("Battles", "Military Forces of Yemen", "Houthis (Ansar Allah)")]


def test_a_town_and_its_region_are_one_site(read):
    reading = read("date 2025-03-03 BOGOTA, COLOMBIA – Unidentified gunmen shot dead a social leader in Tumaco, "
                   "Narino, on Saturday.")
    assert [e.place.name for e in reading.events] == ["Tumaco"]


def test_two_towns_in_a_list_are_two_sites(read):
    reading = read("date 2025-03-03 BOGOTA, COLOMBIA – Rebels attacked police posts in Tumaco and Suarez on Saturday.")
    assert sorted(e.place.name for e in reading.events) == ["Suárez", "Tumaco"]


def test_a_foreign_state_taking_a_place_overtakes_territory(read):
    reading = read("date 2024-05-26 KYIV, UKRAINE – Russia's defence ministry said its forces had captured the village "
                   "of Arkhanhelske in the Donetsk region on Saturday.")
    assert [(e.sub_event_type, e.actor1) for e in reading.events] == [
        ("Non-state actor overtakes territory", "Military Forces of Russia")]


def test_a_state_retaking_its_own_place_regains_territory(read):
    reading = read("date 2022-09-11 KYIV, UKRAINE – Ukrainian forces recaptured the city of Izium on Saturday.")
    assert [(e.sub_event_type, e.actor1) for e in reading.events] == [
        ("Government regains territory", "Military Forces of Ukraine")]
