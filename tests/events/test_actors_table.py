"""The actor table in ACLED's naming conventions: named groups with aliases, state forces generated for
every country, the actors a report names only by kind taking the story's country, ACLED's inter codes."""

from __future__ import annotations

import pytest

from clashmap.errors import ConfigError
from events.actors import find_actors, inter_code, load_table, localise, read_forms


def _named(text: str) -> list[tuple[str, int | None]]:
    return [(m.actor, m.inter) for m in find_actors(text)]


@pytest.mark.parametrize("text, actor, inter", [
    ("Al-Shabaab fighters stormed a police post near Mogadishu.", "Al Shabaab", 2),
    ("JNIM claimed the ambush on the convoy.", "JNIM: Group for Support of Islam and Muslims", 2),
    ("ISWAP overran a base in Borno.", "Islamic State (West Africa) - Lake Chad Faction", 2),
    ("The Rapid Support Forces shelled the market.", "Rapid Support Forces", 2),
    ("M23 rebels advanced on the town.", "M23: March 23 Movement", 2),
    ("Gunmen of the Jalisco New Generation Cartel opened fire.", "CJNG: Jalisco New Generation Cartel", 3),
    ("The Arakan Army seized a camp.", "AA: Arakan Army", 2),
    ("Wagner mercenaries were seen in the town.", "Wagner Group", 8),
])
def test_armed_groups_outside_the_old_list_are_named(text, actor, inter):
    assert _named(text)[0] == (actor, inter)


@pytest.mark.parametrize("text, actor", [
    ("Malian soldiers patrolled the road.", "Military Forces of Mali"),
    ("Nigeria's army said it had repelled the attack.", "Military Forces of Nigeria"),
    ("The army of Burkina Faso retook the village.", "Military Forces of Burkina Faso"),
    ("South Sudanese troops crossed the river.", "Military Forces of South Sudan"),
    ("Kenyan police fired tear gas.", "Police Forces of Kenya"),
    ("Kyiv's forces advanced.", "Military Forces of Ukraine"),
    ("The Sudanese Armed Forces bombed the bridge.", "Military Forces of Sudan"),
    ("US-led forces bombed the bridge.", "Military Forces of the United States"),
    ("The Saudi-led coalition struck the port.", "Military Forces of Saudi Arabia"),
    ("A Russian missile struck the tower.", "Military Forces of Russia"),
    ("Azerbaijani shells landed in the yard.", "Military Forces of Azerbaijan"),
])
def test_state_forces_of_any_country(text, actor):
    assert _named(text)[0] == (actor, 1)


def test_a_weapon_alone_names_nobody():
    assert _named("The strikes went on all night.") == []


def test_a_named_group_beats_the_state_form_it_contains():
    assert _named("The Syrian Democratic Forces said.") == [("SDF: Syrian Democratic Forces", 2)]


@pytest.mark.parametrize("text, country, actor, inter", [
    ("Gunmen stormed the village.", "NG", "Unidentified Armed Group (Nigeria)", 3),
    ("Protesters gathered outside parliament.", "KE", "Protesters (Kenya)", 6),
    ("Rioters set fire to cars.", "FR", "Rioters (France)", 5),
    ("Soldiers shot a young man at the market.", "SD", "Civilians (Sudan)", 7),
    ("Islamic State claimed the bombing.", "IQ", "Islamic State (Iraq)", 2),
    ("Security forces fired on the crowd.", "ML", "Military Forces of Mali", 1),
])
def test_actors_named_by_kind_take_the_story_country(text, country, actor, inter):
    mention = next(m for m in find_actors(text) if m.template)
    named = localise(mention, country)
    assert (named.actor, named.inter, named.country_code) == (actor, inter, country)
    assert inter_code(named.actor) == inter


def test_inter_codes_of_generated_and_named_actors():
    assert inter_code("Military Forces of Chad") == 1
    assert inter_code("Police Forces of Chad") == 1
    assert inter_code("Civilians (Chad)") == 7
    assert inter_code("Taliban") == 2
    assert inter_code("Someone Else") is None


def test_every_named_actor_has_an_inter_code_and_a_note():
    for row in load_table().rows:
        assert row.inter in range(1, 9), row.actor
        assert row.note, row.actor


def test_a_bad_form_row_names_the_file_and_line(tmp_path):
    forms = tmp_path / "actor_forms.csv"
    forms.write_text("template,inter,bare,words,qualifiers,note\nSoldiers,1,,troops,,no placeholder\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"actor_forms\.csv: line 2: a template with \{country\}"):
        read_forms(forms)


def test_the_export_codes_every_actor_the_table_names_alike():
    """store/export.py reads ACLED's inter codes from data/acled_codes.csv: each actor and template of the actor
    tables must be there with the same code, or the export leaves inter1/inter2 empty."""
    from store.export import load_codes

    codes = load_codes()
    table = load_table()
    for row in table.rows:
        name = row.actor.replace("({country})", "(Chad)")
        assert codes.inter_code(name) == row.inter, row.actor
    for form in table.forms:
        assert codes.inter_code(form.template.replace("{country}", "Chad")) == form.inter, form.template


def test_a_place_ending_in_a_country_name_is_not_that_country():
    assert [m.actor for m in find_actors("New Jersey police arrested him.")] == ["Police Forces"]
