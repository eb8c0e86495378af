"""Names found on copy the rules never saw (issue 12): names with connectors and their whole form, acronyms
that name places, phrases that hold a place name but name no place (data/not_places.csv), datelines whose
state or province constrains the town, and the name that opens the lede.

Each text is a short sentence written for these tests, read through the real index (data/gazetteer.sqlite)
and the real pipeline (reader -> find -> resolve -> roles).
"""

from __future__ import annotations

import pytest

from articles.reader import read_text
from clashmap import trace
from clashmap.errors import ConfigError
from geo.gazetteer import DEFAULT_INDEX, Gazetteer

pytestmark = pytest.mark.skipif(not DEFAULT_INDEX.exists(),
                                reason="data/gazetteer.sqlite not built (run `clashmap gazetteer build`)")


def places(pipeline, text: str) -> dict[str, tuple]:
    """Each name found -> (country, admin1, kind) of the place chosen, for an article of `text`."""
    reading = pipeline.read(read_text(text))
    return {r.toponym.text: (r.place.country_code, r.place.admin1, r.place.kind) if r.place else None
            for r in reading.mentions}


@pytest.mark.parametrize("text, name, country, kind", [
    # "do" and "the" sit inside names: the whole name, not its first words (Rio Grande, Congo-Brazzaville)
    ("Floods cut off towns across Rio Grande do Sul this week.", "Rio Grande do Sul", "BR", "region"),
    ("Aid reached the Democratic Republic of the Congo on Monday.", "Democratic Republic of the Congo", "CD",
     "country"),
    # an all-capital alias of data/aliases.csv is a place, where other acronyms are not
    ("Rebels in the east of the DRC seized a mining town.", "DRC", "CD", "country"),
])
def test_whole_names_and_place_acronyms_are_found(pipeline, text, name, country, kind):
    found = places(pipeline, text)
    assert name in found, f"{name!r} not among {found}"
    assert (found[name][0], found[name][2]) == (country, kind)


@pytest.mark.parametrize("text, phrase", [
    ("Health officers reported two cases of West Nile virus in the county.", "West Nile"),
    ("The clinic isolated a patient with suspected Ebola last week.", "Ebola"),
    ("A laboratory confirmed Marburg virus in a sample.", "Marburg"),
    ("Monkeys imported for research carried Reston virus, officials said.", "Reston"),
    ("The company paid US$ 40 million for the plant.", "US"),
    ("Real Madrid signed a new striker on Tuesday.", "Madrid"),
    ("Paris Hilton opened a shop on Friday.", "Paris"),
    ("A man drove a stolen Toyota Camry through the market on Friday.", "Toyota"),
])
def test_diseases_currencies_clubs_and_people_named_after_places_are_no_places(pipeline, text, phrase):
    found = places(pipeline, text)
    assert not any(phrase in name for name in found), found


def test_a_phrase_drops_only_its_own_words_and_the_trace_says_why(pipeline):
    text = "A man in Paris caught West Nile virus on a trip to Egypt."
    with trace.tracing() as t:
        found = places(pipeline, text)
    assert {"Paris", "Egypt"} <= set(found) and "West Nile" not in found
    dropped = [d for d in t.decisions if d.stage == "toponyms.not_places"]
    assert [(d.subject, d.outcome) for d in dropped] == [("West Nile", "dropped")]
    assert "disease" in dropped[0].reason
    kept = {d.subject for d in t.decisions if d.stage == "toponyms.find" and d.outcome == "kept"}
    assert {"Paris", "Egypt"} <= kept


def test_a_not_places_row_without_a_reason_is_refused_naming_file_and_line(tmp_path):
    from geo.toponyms import not_places

    bad = tmp_path / "not_places.csv"
    bad.write_text("phrase,reason,note\nEbola,disease,\nUS$,,\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"not_places\.csv: line 3: .*reason"):
        not_places(bad)


@pytest.mark.parametrize("text, town, region, admin1", [
    # the state constrains the town: not Paris, Texas, nor Columbia, South Carolina
    ("date 2024-05-02 PARIS, Mo. — A fire destroyed a barn south of town on Tuesday.", "PARIS", "Mo.", "MO"),
    ("COLUMBIA, Ky. -- The county fair opened with a parade.", "COLUMBIA", "Ky.", "KY"),
    # a local station's dateline: "CITY, St. (OUTLET) --"
    ("EDMONTON, Ky. (WBKO) -- A crash closed the highway for two hours.", "EDMONTON", "Ky.", "KY"),
    ("LONDON, Ont. -- Police closed the bridge after the storm.", "LONDON", "Ont.", "08"),
])
def test_the_dateline_region_constrains_its_town_and_counts_as_a_place(pipeline, text, town, region, admin1):
    reading = pipeline.read(read_text(text))
    assert reading.dateline is not None and reading.dateline.toponym.text == town
    assert reading.dateline.place.admin1 == admin1
    found = places(pipeline, text)
    assert found[region][1:] == (admin1, "region")


def test_the_name_that_opens_the_lede_is_found(pipeline):
    found = places(pipeline, "YEREVAN – Stepanakert, the largest city of the region, was shelled overnight.")
    assert found.get("YEREVAN", ("",))[0] == "AM"
    assert "Stepanakert" in found, found


def test_the_dateline_town_carries_the_area_it_lies_in():
    from geo.toponyms import dateline_toponyms

    text = "KINGSTON, Ont. -- Ferries stopped running."
    article = read_text(text)
    town, region = dateline_toponyms(text, article.dateline, article.dateline_start, Gazetteer())
    assert (town.text, town.role, town.within) == ("KINGSTON", "dateline", "CA.08")
    assert (region.text, region.role, text[region.start:region.end]) == ("Ont.", "mention", "Ont.")
    # a country after the comma constrains nothing more than the dateline country already does
    bare = read_text("BAKU, AZERBAIJAN — Talks resumed.")
    assert [t.within for t in dateline_toponyms(bare.text, bare.dateline, bare.dateline_start, Gazetteer())] == [""]


def test_the_word_lists_come_from_data_and_a_bad_row_is_refused(tmp_path):
    from geo.toponyms import ACTOR_WORDS, STOP_NAMES, word_lists

    assert {"monday", "president", "street"} <= STOP_NAMES and "army" in ACTOR_WORDS
    bad = tmp_path / "toponym_words.csv"
    bad.write_text("word,list,reason\nMonday,stop,calendar word\nArmy,armies,actor word\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"toponym_words\.csv: line 3: "):
        word_lists(bad)


def test_a_dropped_name_says_why(pipeline):
    with trace.tracing() as t:
        places(pipeline, "Officers of the Artsakh Defense Army met Gov. Perry in Aleppo.")
    reasons = {d.subject: (d.outcome, d.reason) for d in t.of("toponyms") if d.subject in ("Artsakh", "Perry")}
    assert reasons["Artsakh"][0] == "dropped" and "organisation" in reasons["Artsakh"][1]
    assert reasons["Perry"] == ("dropped", "after a title: a person")


def test_place_cues_come_from_data_and_a_bad_row_is_refused(tmp_path):
    from geo.toponyms import LOCATIVE_AFTER, LOCATIVE_BEFORE, cue_phrases

    assert LOCATIVE_BEFORE.search("shells fell on the outskirts of ") and LOCATIVE_AFTER.match(" air base", 0)
    assert "the town of" not in cue_phrases()["before"] and "town of" in cue_phrases()["before"]
    bad = tmp_path / "toponym_cues.csv"
    bad.write_text("phrase,position,reason\nnear,before,preposition\ndistrict,behind,kind of area\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"toponym_cues\.csv: line 3: "):
        cue_phrases(bad)


@pytest.mark.parametrize("text, name, admin1", [
    # a town's police or council is the town's own: it says where the story is (LGL annotates these; GWN
    # leaves them out of literal scoring), unlike an organisation merely named after a place
    ("Fairbanks police said on Monday that two cars were stolen near the airport in Alaska.", "Fairbanks", "AK"),
    ("Members of the Tulsa Council voted on Tuesday to close a road in Oklahoma.", "Tulsa", "OK"),
])
def test_a_towns_police_or_council_names_the_town(pipeline, text, name, admin1):
    found = places(pipeline, text)
    assert name in found, f"{name!r} not among {found}"
    assert found[name][:2] == ("US", admin1)


@pytest.mark.parametrize("text, name, country", [
    # a headline run into the body: the reader sees no dateline at the text's start, the finder sees one here
    ("Barn fire ruled an accident. FAIRBANKS -- Firefighters said Monday the blaze began in a heater.",
     "FAIRBANKS", "US"),
    ("Talks resume on the border. BEIRUT: Officials met for a third day on Monday.", "BEIRUT", "LB"),
])
def test_a_dateline_after_the_headline_is_a_place(pipeline, text, name, country):
    found = places(pipeline, text)
    assert name in found, f"{name!r} not among {found}"
    assert found[name][0] == country


@pytest.mark.parametrize("text, name, admin1", [
    # US copy gives a legislator's party and home after the name: the home is a place
    ("The bill stalled, said Sen. Jane Marlow, D-Ore., on Friday.", "Ore.", "OR"),
    ("State Rep. Tom Hale (R-Valdosta) filed the bill on Tuesday.", "Valdosta", "GA"),
])
def test_a_legislators_home_after_the_party_letter_is_a_place(pipeline, text, name, admin1):
    found = places(pipeline, text)
    assert name in found, f"{name!r} not among {found}"
    assert found[name][:2] == ("US", admin1)


@pytest.mark.parametrize("text, name", [
    # NER reads the county and the sheriff's name as one person; a name ending in County is a place
    ("Officers said Grundy County Sheriff Ron Pickett closed the highway.", "Grundy County"),
    ("A crash closed the road, said Marion County Sheriff Ed Gaines on Monday.", "Marion County"),
])
def test_a_county_before_an_officials_name_is_a_place(pipeline, text, name):
    found = places(pipeline, text)
    assert name in found, f"{name!r} not among {found}"
    assert found[name][0] == "US"


@pytest.mark.parametrize("text, name, country", [
    # a place glued to "-based" or "-born" is read without the suffix, and the longest name wins
    ("A Kilkenny-based charity said on Monday it would close two shelters.", "Kilkenny", "IE"),
    ("The Rock Hill-based cab company added ten cars this spring.", "Rock Hill", "US"),
])
def test_a_place_glued_to_based_is_a_place(pipeline, text, name, country):
    found = places(pipeline, text)
    assert name in found, f"{name!r} not among {found}"
    assert found[name][0] == country
