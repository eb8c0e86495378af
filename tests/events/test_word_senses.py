"""Words of war used in another sense (issue 11, brief E7): an "offensive" remark, a product's "demonstration
phase", an incident "captured on video", a "three-run blast" are no events; the war senses beside them stay.
Short texts the project wrote, read through the real pipeline (data/event_senses.csv)."""

from __future__ import annotations

import pytest
from pipeline_fixtures import pipeline, read  # noqa: F401 (pytest fixtures)
from pipeline_fixtures import event_types as _types

from clashmap.errors import ConfigError
from clashmap.trace import tracing
from events import taxonomy


@pytest.mark.parametrize("body", [
    # the adjective: insulting, not a military offensive
    "A shop in Leeds withdrew a shirt with an offensive message on Friday after police received complaints.",
    # a noun modifying another noun: a showing of a machine, not a protest
    "The firm in Leeds began the demonstration phase of its wave power plant on Friday.",
    # recorded, not taken
    "Police said the fight on the tram in Leeds on Friday was captured on video by a passenger.",
    # sport: a home run, not a bomb, in a story that also tells of a fight on the pitch
    "It was a three-run blast in Leeds on Friday that won the series, and a brawl followed the home run.",
])
def test_a_war_word_in_another_sense_is_no_event(read, body):
    assert _types(read(f"date 2021-03-14 LONDON, UNITED KINGDOM – {body}")) == []


@pytest.mark.parametrize("body, expected", [
    ("Government troops launched an offensive on Gao on Saturday.", ("Battles", "Armed clash")),
    ("Rebels resumed their offensive near Gao on Saturday.", ("Battles", "Armed clash")),
    ("Teachers held a demonstration in Gao on Saturday.", ("Protests", "Peaceful protest")),
    ("The Malian army recaptured Gao on Saturday.", ("Battles", "Government regains territory")),
    ("A blast killed two soldiers near Gao on Saturday.", ("Explosions/Remote violence",
                                                          "Remote explosive/landmine/IED")),
])
def test_the_war_sense_stays_an_event(read, body, expected):
    assert _types(read(f"date 2021-03-14 BAMAKO, MALI – {body}")) == [expected]


def test_explain_names_the_sense_that_dropped_the_word(read):
    with tracing() as trace:
        read("date 2021-03-14 LONDON, UNITED KINGDOM – A shop in Leeds withdrew a shirt with an offensive message "
             "on Friday after police received complaints.")
    drops = [d for d in trace.decisions if d.stage == "events.drop" and d.subject.lower() == "offensive"]
    assert drops and "event_senses.csv" in drops[0].reason


def test_a_bad_senses_row_is_one_line_naming_the_file(tmp_path):
    bad = tmp_path / "senses.csv"
    bad.write_text("form,sense,words,reason\noffensive,colour,,a sense the loader does not know\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"senses\.csv: line 2"):
        taxonomy.word_senses(bad)


def test_a_person_who_shares_an_armed_groups_name_is_no_actor(read):
    # "Ben Wagner" is a man, not the Wagner Group: a story naming him is not a violent story, so "a blast" (fun)
    # is no explosion; the group named alone stays an actor
    from events.actors import article_actors

    text = "The concert in Leeds on Friday was a blast, said Ben Wagner, who played the drums."
    assert [m.actor for m in article_actors(text)] == []
    assert _types(read(f"date 2021-03-14 LONDON, UNITED KINGDOM – {text}")) == []
    assert [m.actor for m in article_actors("Meanwhile Wagner fighters took the town.")] == ["Wagner Group"]


@pytest.mark.parametrize("body", [
    "Leeds councillors will meet on Monday as protesting nurses continue to fill the town hall and demand more pay.",
    # the small model reads "as protesting" as a preposition and its complement here: the clause still has its own tense
    "Lawmakers in Leeds will convene rare Monday sessions as protesting school teachers continue to fill the town hall.",
])
def test_a_modal_of_the_main_clause_does_not_reach_a_clause_under_as(read, body):
    # the meeting is future; the protest, in the clause under "as", is happening
    assert _types(read(f"date 2021-03-14 LONDON, UNITED KINGDOM – {body}")) == [("Protests", "Peaceful protest")]


def test_a_protest_under_the_modal_itself_stays_no_event(read):
    assert _types(read("date 2021-03-14 LONDON, UNITED KINGDOM – Nurses in Leeds will protest on Monday.")) == []


def test_a_day_of_last_year_is_last_years_date_and_background(read):
    from datetime import date

    from events.dates import find_dates

    text = "The victim was shot dead by gunmen in Leeds on May 26 last year, police said."
    assert [d.date for d in find_dates(text, date(2021, 4, 5))] == [date(2020, 5, 26)]
    # told as a past killing in a story of the day: background, no event of the day
    assert _types(read(f"date 2021-04-05 LONDON, UNITED KINGDOM – {text}")) == []


def test_a_country_wide_mention_of_the_event_told_at_a_town_is_that_event(read):
    # the lede names only the country and no day; the next sentence places and dates the same blast
    reading = read("date 2021-03-14 LONDON, UNITED KINGDOM – A British soldier has been killed by a roadside bomb in "
                   "Mali, the ministry said. The soldier was on patrol near Gao on Saturday morning when a bomb "
                   "exploded under his vehicle.")
    got = [(e.sub_event_type, e.place.name if e.place else None, str(e.event_date)) for e in reading.events]
    assert got == [("Remote explosive/landmine/IED", "Gao", "2021-03-13")]


def test_two_blasts_at_two_towns_stay_two_events_beside_a_country_wide_mention(read):
    reading = read("date 2021-03-14 BAMAKO, MALI – Roadside bombs killed soldiers in Mali this week. A bomb exploded "
                   "near Gao on Saturday. Another bomb exploded near Timbuktu on Friday.")
    places = sorted(e.place.name for e in reading.events if e.place and e.place.kind not in ("country", "region"))
    assert places == ["Gao", "Timbuktu"]


@pytest.mark.parametrize("body, expected", [
    # a day years before the story: the arrest it recalls is background
    ("Police detained more than 200 lawyers and activists in Beijing on July 9, 2015, her husband among them.", []),
    # a day of the last weeks: the news
    ("Police detained 20 lawyers and activists in Beijing on March 30.", [("Strategic developments", "Arrests")]),
])
def test_a_day_long_before_publication_is_background(read, body, expected):
    assert _types(read(f"date 2018-04-05 BEIJING, CHINA – {body}")) == expected


@pytest.mark.parametrize("body, expected", [
    # a motion, a letter, a file handed over: no territory changes hands
    ("The motion against the prime minister was handed over to the Speaker by the opposition on Friday.", []),
    # a town named, or the word for territory: a transfer of territory
    ("The rebels handed over Kidal to the army on Friday.",
     [("Strategic developments", "Non-violent transfer of territory")]),
    ("The rebels handed over the district to the army on Friday.",
     [("Strategic developments", "Non-violent transfer of territory")]),
])
def test_a_handover_is_a_transfer_of_territory_only_of_territory(read, body, expected):
    assert _types(read(f"date 2021-03-14 BAMAKO, MALI – {body}")) == expected


def test_a_weekday_after_will_is_the_coming_one_and_not_the_events_day(read):
    from datetime import date

    # published on Thursday 18 March 2021: "will meet Friday" is the 19th, still to come; the protest is today's
    reading = read("date 2021-03-18 LONDON, UNITED KINGDOM – Leeds councillors will meet in rare Friday sessions as "
                   "protesting nurses continue to fill the town hall.")
    assert [(e.sub_event_type, e.event_date) for e in reading.events] == [("Peaceful protest", date(2021, 3, 18))]


@pytest.mark.parametrize("body", [
    "The minister said Mali faces other threats such as herder and farmer clashes and banditry.",
    "Officials in Gao warned of the risk of attacks on polling stations.",
])
def test_a_kind_of_violence_named_is_no_event(read, body):
    assert _types(read(f"date 2021-03-14 BAMAKO, MALI – {body}")) == []


def test_a_belief_about_who_killed_is_no_report_of_the_killing(read):
    reading = read("date 2021-03-14 LONDON, UNITED KINGDOM – Her sister said she believes the neighbour murdered "
                   "her in Leeds.")
    assert _types(reading) == []


@pytest.mark.parametrize("body", [
    "The party's campaign came under fire from critics in Leeds on Friday.",
    "The minister shot down the proposal at a meeting in Leeds on Friday.",
])
def test_criticism_and_a_rejected_idea_are_no_attack(read, body):
    assert _types(read(f"date 2021-03-18 LONDON, UNITED KINGDOM – {body}")) == []


@pytest.mark.parametrize("body, expected", [
    ("The patrol came under fire from militants near Gao on Friday.", "Explosions/Remote violence"),
    ("Soldiers shot down a drone near Gao on Friday.", "Strategic developments"),
])
def test_fire_from_fighters_and_a_drone_shot_down_stay_events(read, body, expected):
    assert [e.event_type for e in read(f"date 2021-03-18 BAMAKO, MALI – {body}").events] == [expected]
