"""ACLED's event types and sub-event types, and the words that signal each in news copy.

Rules are ordered: the first rule whose pattern matches a sentence decides its type, so the
specific (a captured town, a drone strike) comes before the generic (an attack).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ACLED_TYPES: dict[str, list[str]] = {
    "Battles": ["Armed clash", "Government regains territory", "Non-state actor overtakes territory"],
    "Explosions/Remote violence": ["Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade"],
    "Violence against civilians": ["Sexual violence", "Attack", "Abduction/forced disappearance"],
    "Protests": ["Peaceful protest", "Protest with intervention", "Excessive force against protesters"],
    "Riots": ["Violent demonstration", "Mob violence"],
    "Strategic developments": ["Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                               "Headquarters or base established", "Looting/property destruction",
                               "Non-violent transfer of territory", "Other"],
}


@dataclass(frozen=True)
class TypeRule:
    event_type: str
    sub_event_type: str
    pattern: re.Pattern


def _rule(event_type: str, sub: str, pattern: str) -> TypeRule:
    assert sub in ACLED_TYPES[event_type], (event_type, sub)
    return TypeRule(event_type, sub, re.compile(pattern, re.IGNORECASE))


CAPTURE = (r"\b(?:captur(?:ed|ing|e)|took (?:full )?control|taken control|tak(?:es|ing) control|seized|liberat(?:ed|ion|ing)|"
           r"retook|retaken|recaptur(?:ed|e)|raised (?:the|its|their) flags? over|fell to|overran|"
           r"entered the (?:town|city|village))\b")

TYPE_RULES: list[TypeRule] = [
    _rule("Explosions/Remote violence", "Chemical weapon", r"\b(?:chemical (?:weapon|attack)|sarin|chlorine gas|phosphorus)\b"),
    _rule("Explosions/Remote violence", "Suicide bomb", r"\bsuicide (?:bomb|attack|car bomb)\w*"),
    _rule("Explosions/Remote violence", "Remote explosive/landmine/IED",
          r"\b(?:landmines?|land mines?|IEDs?|roadside bombs?|improvised explosive|car bomb\w*|(?:stepped on|struck|hit) a mine)\b"),
    _rule("Riots", "Violent demonstration",
          r"\b(?:stormed (?:the )?(?:parliament|government (?:building|headquarters))|rioters?|riots?|"
          r"protesters? (?:stormed|smashed|set fire|clashed|threw))\b"),
    _rule("Protests", "Protest with intervention", r"\bprotest\w*\b.*\b(?:dispersed|detained|arrested|tear gas)\b"),
    _rule("Protests", "Peaceful protest", r"\b(?:protest(?:s|ed|ers)?|rall(?:y|ies|ied)|demonstrat(?:ion|ions|ors|ed)|march(?:ed)? through)\b"),
    _rule("Strategic developments", "Agreement",
          r"\b(?:cease-?fire|truce|peace (?:deal|agreement)|trilateral statement|signed an? (?:agreement|deal|statement))\b"),
    _rule("Strategic developments", "Non-violent transfer of territory",
          r"\b(?:handed over|handover|hand over|withdr[ae]w\w* (?:from|its|their)|returned to (?:Azerbaijani|Azerbaijan)'?s? control)\b"),
    _rule("Strategic developments", "Headquarters or base established",
          r"\b(?:peacekeepers? (?:deployed|arrived|took up)|deploy(?:ed|ment) of (?:Russian )?peacekeep\w+|set up (?:a )?base)\b"),
    _rule("Strategic developments", "Arrests", r"\b(?:arrested|detained)\b"),
    _rule("Battles", "Government regains territory", CAPTURE),
    _rule("Explosions/Remote violence", "Air/drone strike",
          r"\b(?:air ?strikes?|airstrikes?|drone strikes?|(?:drones?|UAVs?|Bayraktar\w*|warplanes?|jets?|aircraft|helicopters?) "
          r"(?:struck|hit|bombed|attacked|targeted|destroyed)|bomb(?:ed|ing|ings) (?:raids?|by (?:warplanes|aircraft|jets))|"
          r"air raids?|shot down)\b"),
    _rule("Explosions/Remote violence", "Shelling/artillery/missile attack",
          r"\b(?:shell(?:ed|ing|s)?|artillery (?:fire|strikes?|attacks?|barrage)|bombard\w*|missiles? (?:strikes?|attacks?|hit|struck)|"
          r"(?:missiles|rockets) (?:and \w+ )?strikes?|rocket (?:fire|attacks?|strikes?)|rockets? (?:hit|struck|landed|fell)|"
          r"cluster (?:munitions|bombs)|Smerch|Grad|Iskander|(?:fired|launched) (?:missiles|rockets)|hit by (?:rockets|missiles|shells)|"
          r"strikes? on the (?:city|town|village)|these strikes|heavy strikes)\b"),
    _rule("Violence against civilians", "Abduction/forced disappearance", r"\b(?:abduct\w*|kidnapp\w*|taken hostage)\b"),
    _rule("Violence against civilians", "Attack",
          r"\b(?:executed|execution of|beheaded|massacre\w*|shot dead (?:two|three|\d+)? ?civilians?)\b"),
    _rule("Battles", "Armed clash",
          r"\b(?:clash(?:es|ed)?|storm(?:ed|ing)|fighting|fought|battles?|combat|firefights?|skirmish\w*|repel(?:led)?|"
          r"repuls\w+|counter-?attack\w*|counter-?offensive|offensive|assaults?|attack(?:ed|s)? on|attacks? by|"
          r"ambush\w*|exchanged fire|gun ?battles?|hostilities)\b"),
]


def classify(sentence: str) -> tuple[TypeRule, re.Match] | None:
    """The first rule that matches the sentence, and where (the trigger is evidence)."""
    for rule in TYPE_RULES:
        match = rule.pattern.search(sentence)
        if match:
            return rule, match
    return None
