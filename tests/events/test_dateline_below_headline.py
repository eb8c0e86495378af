"""A pasted page: the headline, then the wire dateline opening the first paragraph. The dateline's town is where
the copy was filed (not one more event site), and the headline's event is the body's, told once."""

from __future__ import annotations

from tests.events.pipeline_fixtures import pipeline, read  # noqa: F401  (fixtures)

HEADLINE = "Rebels shell a market, killing four\n\n"


def test_the_dateline_town_under_a_headline_is_the_dateline_not_an_event_site(read):
    reading = read(HEADLINE + "MOPTI, Mali (Newsdesk) — Rebels fired mortar rounds into the market of Douentza "
                              "on Tuesday, killing four traders, the governor said.")
    assert [(r.toponym.text, r.toponym.role) for r in reading.mentions] == [("MOPTI", "dateline"), ("Mali", "mention"),
                                                                                ("Douentza", "event")]
    assert [e.place.name for e in reading.events] == ["Douentza"]


def test_a_story_naming_no_other_town_happens_at_the_dateline_once(read):
    reading = read(HEADLINE + "MOPTI, Mali (Newsdesk) — Rebels fired mortar rounds into the town's market on "
                              "Tuesday, killing four traders.")
    assert [(e.event_type, e.place.name, e.fatalities["best"]) for e in reading.events] == [
        ("Explosions/Remote violence", "Mopti", 4)]
