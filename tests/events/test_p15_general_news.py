"""Brief P15 (issue 11, precision): general news that uses war's words holds no ACLED event, read through the real
pipeline. Each cause has its own short text (a subject that counts nothing, a commemoration or a rehearsal that
governs the act, a proposal of a truce, a story framed by its first sentence as a review, court news, sport or a
commemoration, a campaign rally, a fireworks blast, a robber armed with a knife), and beside each the war story
that must stay an event when the same words appear. The row-by-row set is tests/events/general_news.csv
(bench.bench_general_news); its no-event rows must give no event and its event rows their event's type."""

from __future__ import annotations

import pytest
from pipeline_fixtures import pipeline, read  # noqa: F401 (pytest fixtures)
from pipeline_fixtures import event_types as _types

from bench.bench_general_news import load_general
from bench.bench_world_reports import read_row

D = "date 2023-10-10 "


@pytest.mark.parametrize("text", [
    # a subject that counts nothing: the act did not happen
    D + "Bomb squads examined three parcels left at a bus depot in Millbrook on Monday. None of the devices went off.",
    # an anniversary or a remembrance recalls a past event, also through a relative clause (a rehearsal likewise:
    # general_news.csv's th-nato-drill)
    D + "Crowds laid flowers on Monday on the anniversary of the ambush that killed nine police officers in 2011.",
    D + "The town held a vigil on Monday to remember the 1971 massacre, in which soldiers killed 200 villagers.",
    # a proposal or a demand is not the truce or the offensive itself
    D + "Envoys said on Monday they had discussed a truce proposal with both sides in Geneva.",
    D + "Analysts said on Monday that a spring offensive could start once the ground dries.",
])
def test_an_act_that_did_not_happen_now_is_no_event(read, text):  # noqa: F811 (fixture)
    assert _types(read(text)) == []


@pytest.mark.parametrize("text", [
    # the story's first sentence frames it: a review, court news, sport, a commemoration
    D + "The new film follows a young medic through the siege of a mountain town. "
        "Militiamen shell the hospital and snipers kill two nurses in its most gripping scene. "
        "It opens in cinemas on Friday.",
    D + "A court in Millbrook on Monday sentenced a man to 25 years in prison for a bomb plot. "
        "Prosecutors said he and two accomplices had attacked a police station with rifles, killing an officer. "
        "His lawyer said he would appeal.",
    D + "City took the derby 3-1 at a packed stadium on Sunday. "
        "Their forwards bombarded the visitors' goal from the first minute and shot them to pieces after the break. "
        "The coach praised his side's attack.",
    D + "The country marked the anniversary of the civil war's end on Monday with a parade in the capital. "
        "Rebels and government troops fought for twelve years, killing tens of thousands. "
        "Veterans laid wreaths at the war memorial.",
    # a campaign's own rally; an election contest
    D + "Thousands attended the senator's campaign rally in Millbrook on Monday, where she attacked her rival's "
        "record on jobs.",
    # a fireworks blast is an accident; a robber with a knife is a criminal
    D + "A blast at a fireworks workshop on the edge of Millbrook killed three workers on Monday, officials said. "
        "The owner was detained. Firefighters searched the rubble.",
    D + "A man armed with a knife robbed a pharmacy in Millbrook on Monday and fled with cash, police said.",
    # a spent cartridge is no artillery fire (LGL tuning half: the 'none' rule dropped the verb, then 'shell' read)
    D + "Detectives found a single shell casing outside the pharmacy in Millbrook on Monday, police said.",
])
def test_general_news_framed_by_its_lead_is_no_event(read, text):  # noqa: F811 (fixture)
    assert _types(read(text)) == []


@pytest.mark.parametrize("text, kind", [
    # the same words in war news stay events
    (D + "A bomb exploded at a checkpoint near Kandahar on Monday, killing four soldiers, officials said.",
     "Explosions/Remote violence"),
    (D + "Militants attacked a police station in Peshawar on Monday, killing two officers. "
         "The attack came on the anniversary of a military operation in the area.", "Battles"),
    (D + "Gunmen killed six villagers in Zamfara state on Monday, police said. "
         "The governor said a memorial would be built for them.", "Violence against civilians"),
    (D + "Soldiers fought Islamic State fighters near Raqqa on Monday. The soldiers who were killed will be buried on "
         "Friday.", "Battles"),
    # 'film' as a verb in the lead is no review ("crews who came to film the damage")
    (D + "A shell hit the market in Kharkiv on Monday, wounding two camera crews who had come to film the ruins, "
         "officials said.", "Explosions/Remote violence"),
    # the header lines are no lead: an agency called "League Wire" frames nothing as sport
    ("source: League Wire\ntitle: Village shelled\n" + D + "Artillery shelled the village of Kupiansk on Monday, "
     "killing two residents, the regional governor said.", "Explosions/Remote violence"),
])
def test_war_news_with_the_same_words_stays_an_event(read, text, kind):  # noqa: F811 (fixture)
    assert kind in [t for t, _ in _types(read(text))]


ROWS = load_general()
# rows still read wrongly, with why (strict: a row that starts passing must leave this list)
KNOWN = {
    "us-council": "'Residents attacked the plan': a crowd noun before 'attacked' is a violent demonstration in the "
                  "regular-expression rule, whatever the object (an abstract object is not yet asked)",
    "ev-ht-gang": "'attacked the main prison ... freed inmates': no trigger of the lexicon reads a prison attack",
    "b2-warning-strike": "'a dispute over a ceasefire protocol': the regular-expression rule reads any 'ceasefire' as an "
                         "Agreement in a story that names an armed group",
    "b2-ww2-remains": "'fighters killed in the 1944 uprising': a past year in the act's own phrase does not yet make it "
                      "history (the context rules do not know the publication year)",
    # the third batch (written before clashmap read it; a check set until brief G17, fitted on since): rows
    # still read wrongly
    # with the article scope enforced (events/scope.py; each article's scope score is over its threshold)
    "b3-icc-hearing": "'accused of ordering attacks on villages in 2003 ... civilians were killed': a trial of an old "
                      "war read as an attack; a toll and a share of war sentences keep the article in scope",
    # the fourth batch (brief G17; a check set, written before clashmap read it; nothing fitted on it)
    "b4-crowd-crush": "'A crowd crush ... killed 16 children': a crowd that kills is mob violence in the lexicon; "
                      "a crush is a cause with no agent, but the crowd is read as one",
    "b4-training-crash": "'Three soldiers were killed when an army helicopter crashed during a night training "
                         "flight': soldiers killed read as a clash; a crash of an aircraft in training is an accident",
    "b4-peacekeepers": "'three peacekeepers killed in Lebanon and South Sudan over the past decade': a tribute "
                       "recalling deaths over years read as a clash",
    "b4-uxo-clearance": "'Unexploded bombs still kill or injure dozens of people a year': a yearly toll of old "
                        "bombs read as shelling",
    "b4-ev-ht-gang": "'Gang members killed 12 residents and burned houses': a gang read as a crowd (riot), not an "
                     "armed group attacking civilians",
}


def _param(row):
    marks = [pytest.mark.xfail(reason=KNOWN[row["id"]], strict=True)] if row["id"] in KNOWN else []
    return pytest.param(row, id=row["id"], marks=marks)


@pytest.mark.parametrize("row", [_param(r) for r in ROWS])
def test_general_news_row(pipeline, row):  # noqa: F811 (fixture)
    events = read_row(pipeline, row).events
    if not row["event_type"]:
        assert [(e.event_type, e.sub_event_type) for e in events] == [], row["note"]
    else:
        assert row["event_type"] in [e.event_type for e in events]


def test_a_missile_test_is_no_strike(read):  # noqa: F811 (fixture)
    text = D + ("The navy test-fired two cruise missiles from a submarine off the east coast on Monday, the defence "
                "ministry said. Both hit a target island, it said.")
    assert _types(read(text)) == []
    # a missile that strikes a port is an event, also when its debris falls into the sea
    strike = D + "Russian missiles struck the port of Odesa on Monday and debris fell into the sea, officials said."
    assert "Explosions/Remote violence" in [t for t, _ in _types(read(strike))]
