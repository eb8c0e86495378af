"""ACLED event types from news wording, and the contexts in which a trigger names no event."""

from __future__ import annotations

import pytest

from events.taxonomy import ACLED_TYPES, TYPE_RULES, classify


def _type(sentence: str):
    found = classify(sentence)
    return (found[0].event_type, found[0].sub_event_type) if found else None


@pytest.mark.parametrize("sentence, expected", [
    ("Government troops stormed the village at dawn.", ("Battles", "Armed clash")),
    ("Heavy clashes broke out near the bridge.", ("Battles", "Armed clash")),
    ("The defenders repelled attacks on the northern flank.", ("Battles", "Armed clash")),
    ("The ministry announced the capture of the town.", ("Battles", "Government regains territory")),
    ("Army units took control of the railway station.", ("Battles", "Government regains territory")),
    ("Soldiers raised the flag over the town hall.", ("Battles", "Government regains territory")),
    ("Artillery shelling hit the market.", ("Explosions/Remote violence", "Shelling/artillery/missile attack")),
    ("A missile struck a residential block.", ("Explosions/Remote violence", "Shelling/artillery/missile attack")),
    ("Rockets fired from across the river hit the depot.", ("Explosions/Remote violence", "Shelling/artillery/missile attack")),
    ("Drones struck a convoy on the road.", ("Explosions/Remote violence", "Air/drone strike")),
    ("An air strike destroyed the bridge.", ("Explosions/Remote violence", "Air/drone strike")),
    ("Their car hit an anti-tank mine.", ("Explosions/Remote violence", "Remote explosive/landmine/IED")),
    ("A bomb hidden in a van exploded at the gate.", ("Explosions/Remote violence", "Remote explosive/landmine/IED")),
    ("Gunmen opened fire on the minibus.", ("Violence against civilians", "Attack")),
    ("Five aid workers were kidnapped on the road.", ("Violence against civilians", "Abduction/forced disappearance")),
    ("Thousands rallied in the main square.", ("Protests", "Peaceful protest")),
    ("Police used water cannon to disperse the protesters.", ("Protests", "Protest with intervention")),
    ("Soldiers fired live rounds at demonstrators.", ("Protests", "Excessive force against protesters")),
    ("Protesters broke into the parliament building.", ("Riots", "Violent demonstration")),
    ("Youths burned tyres on the highway.", ("Riots", "Violent demonstration")),
    ("The two sides agreed to a ceasefire from noon.", ("Strategic developments", "Agreement")),
    ("Peacekeepers deployed along the corridor.", ("Strategic developments", "Headquarters or base established")),
    ("The district was handed over to the army.", ("Strategic developments", "Non-violent transfer of territory")),
    ("Air defences shot down a drone.", ("Strategic developments", "Disrupted weapons use")),
    ("Police arrested the former minister.", ("Strategic developments", "Arrests")),
    ("Residents set fire to their own houses before leaving.",
     ("Strategic developments", "Looting/property destruction")),
])
def test_news_wording(sentence, expected):
    assert _type(sentence) == expected


@pytest.mark.parametrize("sentence", [
    "Mediators tried to stop the fighting.",                      # fighting someone wants to end
    "Thousands have fled the fighting in the north.",             # fleeing it is no battle report
    "The town has been shelled repeatedly since the summer.",     # habitual, no single event
    "The commander said his troops would storm the town.",        # a threat, not an event
    "A spokesman for the National Front for Liberation spoke.",   # a name, not a liberation
    "Videos showed riot police carrying people to buses.",        # riot police are not a riot
    "They demanded that the army hand over maps of the minefields.",
])
def test_contexts_that_name_no_event(sentence):
    assert _type(sentence) is None


def test_a_truce_reported_broken_is_not_an_agreement():
    assert _type("The truce was broken within hours as clashes resumed.") == ("Battles", "Armed clash")


def test_every_rule_is_an_acled_pair():
    for rule in TYPE_RULES:
        assert rule.sub_event_type in ACLED_TYPES[rule.event_type]
    assert sum(len(v) for v in ACLED_TYPES.values()) == 25


def test_an_earlier_truce_referred_to_is_not_a_new_agreement():
    assert _type("The previous truce, agreed in Moscow on October 10th, unravelled almost at once.") is None


def test_artillery_fire_in_support_of_an_assault_is_a_battle():
    assert _type("Azerbaijani forces opened artillery fire and launched an attack on the southern front.") == (
        "Battles", "Armed clash")
    assert _type("Azerbaijani artillery fire hit the town.") == (
        "Explosions/Remote violence", "Shelling/artillery/missile attack")


def test_drones_with_artillery_or_missiles_are_shelling():
    assert _type("Its artillery and drones had struck enemy positions overnight.") == (
        "Explosions/Remote violence", "Shelling/artillery/missile attack")
    assert _type("Drones struck a convoy.") == ("Explosions/Remote violence", "Air/drone strike")


def test_a_withdrawal_from_positions_is_not_a_handover():
    assert _type("Officials said the army had only withdrawn from some positions.") is None
    assert _type("Russian troops withdrew from Kherson on Friday.") == (
        "Strategic developments", "Non-violent transfer of territory")
    assert _type("Several families said they had relatives fighting in Karabakh.") is None
