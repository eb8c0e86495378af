"""The resolver decides by context, on short texts written for these tests, through the real pipeline:
a region against the big city of its name ("former New York Gov.", "a Washington state farm"), the
story's country without a dateline (a story that names Canada three times), the outlet's country as a
weak prior; and its weights file loads, or fails in one line.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from articles.reader import read_text
from clashmap.errors import ConfigError
from geo.features import DEFAULT_WEIGHTS, FEATURES, load_weights, outlet_country
from geo.gazetteer import DEFAULT_INDEX

ROOT = Path(__file__).resolve().parents[2]
needs_index = pytest.mark.skipif(not DEFAULT_INDEX.exists(),
                                 reason="data/gazetteer.sqlite not built (run `clashmap gazetteer build`)")


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory):
    from clashmap.pipeline import Pipeline
    from store.db import open_store

    folder = tmp_path_factory.mktemp("resolver-context")
    return Pipeline(open_store(f"sqlite:///{folder}/store.sqlite"), corrections={})


def places(pipeline, text: str, url: str | None = None) -> dict[str, tuple[str, str | None, str]]:
    """name as written -> (place name, country code, kind) of its last mention."""
    reading = pipeline.read(read_text(text, url=url))
    return {m.toponym.text: (m.place.name, m.place.country_code, m.place.kind) for m in reading.mentions if m.place}


# --- region versus the big city of its name, decided by context ---------------------------------------

@needs_index
def test_quebec_in_canadian_copy_is_the_province(pipeline):
    got = places(pipeline, "Hydro-Quebec said demand rose in Quebec this winter. The utility sells power "
                           "to Ontario and New Brunswick, and Quebec will add two dams, Canada's minister said.")
    assert got["Quebec"][1:] == ("CA", "region")


@needs_index
def test_former_new_york_gov_is_the_state(pipeline):
    got = places(pipeline, "The bill was signed by former New York Gov. Andrew Cuomo before he left office.")
    assert got["New York"] == ("New York", "US", "region")


@needs_index
@pytest.mark.parametrize("text, name", [
    ("Meanwhile, New York's attorney general said he would look into the bonuses paid last year.", "New York"),
    ("The Washington attorney general filed the suit on Tuesday, his office said.", "Washington"),
    ("The Washington Supreme Court heard the case on Monday.", "Washington"),
])
def test_state_offices_after_the_name_are_the_state(pipeline, text, name):
    # a state's attorney general, guard and court (data/region_cues.csv): the state, not the city of its name
    assert places(pipeline, text)[name][1:] == ("US", "region")


@needs_index
def test_washington_state_farm_is_the_state(pipeline):
    got = places(pipeline, "Inspectors visited a Washington state farm where the outbreak began last month.")
    assert got["Washington"] == ("Washington", "US", "region")


@needs_index
def test_eastern_washington_is_the_state(pipeline):
    got = places(pipeline, "Snow fell across eastern Washington on Monday, closing two highways.")
    assert got["Washington"] == ("Washington", "US", "region")


@needs_index
def test_georgia_in_a_list_of_us_states_is_the_state(pipeline):
    got = places(pipeline, "Drought has hit farms in Alabama, Georgia, Tennessee and South Carolina this summer.")
    assert got["Georgia"] == ("Georgia", "US", "region")


@needs_index
def test_a_bare_big_city_name_stays_the_city(pipeline):
    """The region is a candidate again, not the default: "New York" alone is still the city."""
    got = places(pipeline, "Rents rose again in New York last year, the city's housing office said.")
    assert got["New York"][1:] == ("US", "city")


# --- the story's country without a dateline -----------------------------------------------------------

@needs_index
def test_a_story_naming_canada_three_times_reads_london_as_canadian(pipeline):
    got = places(pipeline, "Canada's police said three men were arrested in London and Edmonton. Canada will "
                           "also review a case in Enfield. Police in Canada said the suspects were freed on bail.")
    assert got["London"][1] == "CA"
    assert got["Edmonton"][1] == "CA"
    assert got["Enfield"][1] == "CA"


@needs_index
def test_tripoli_in_a_lebanese_report_is_lebanons(pipeline):
    got = places(pipeline, "A grenade exploded in Tripoli on Sunday, wounding two. Lebanon's army said it "
                           "arrested a suspect.")
    assert got["Tripoli"][1] == "LB"


@needs_index
def test_odessa_in_a_ukrainian_report_is_ukraines(pipeline):
    got = places(pipeline, "Shelling hit Odessa overnight, Ukrainian officials said. Ukraine's navy said drones "
                           "attacked the port.")
    assert got["Odessa"][1] == "UA"


@needs_index
def test_a_province_in_parentheses_places_its_district(pipeline):
    got = places(pipeline, "Gunmen killed two officers in Nad Ali (Helmand province) on Tuesday.")
    assert got["Nad Ali"][1] == "AF"


@needs_index
def test_the_outlets_country_tips_a_close_call(pipeline):
    text = "Flooding closed roads in Richmond on Tuesday, the city said."
    assert places(pipeline, text)["Richmond"][1] == "US"
    assert places(pipeline, text, url="https://www.cbc.ca/news/canada/flooding-1.234")["Richmond"][1] == "CA"


def test_outlet_country_from_the_url():
    assert outlet_country("https://www.bbc.co.uk/news/x") == "GB"
    assert outlet_country("https://www.cbc.ca/news") == "CA"
    assert outlet_country("https://apnews.com/article/x") is None
    assert outlet_country(None) is None


# --- the weights file ---------------------------------------------------------------------------------

def test_the_weights_file_loads_with_every_feature():
    data = json.loads(DEFAULT_WEIGHTS.read_text(encoding="utf-8"))
    assert set(data["weights"]) == set(FEATURES)
    assert load_weights() == tuple(float(data["weights"][f]) for f in FEATURES)


@pytest.mark.parametrize("content, problem", [
    (None, "not found"),
    ("{not json", "unreadable"),
    ('{"weights": {"log_pop": 1}}', "lacks weights for country"),
    ('{"weights": ' + json.dumps({f: "x" for f in FEATURES}) + "}", "finite numbers"),
])
def test_a_missing_or_corrupt_weights_file_is_one_line(tmp_path, content, problem):
    path = tmp_path / "weights.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_weights(path)
    assert str(path) in str(err.value) and problem in str(err.value) and "\n" not in str(err.value)


@needs_index
def test_the_cli_says_which_weights_file_is_broken(tmp_path):
    broken = tmp_path / "weights.json"
    broken.write_text("{not json", encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text("Shelling hit Odessa overnight.", encoding="utf-8")
    env = {"CLASHMAP_RESOLVER_WEIGHTS": str(broken), "CLASHMAP_DB": f"sqlite:///{tmp_path}/s.sqlite",
           "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-m", "clashmap", "extract", str(article)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode != 0
    assert "CLASHMAP_RESOLVER_WEIGHTS" in proc.stderr and "unreadable" in proc.stderr
    assert "Traceback" not in proc.stderr


@needs_index
@pytest.mark.parametrize("text, name", [
    ("Students from the Jordan middle school will play their first games on Saturday.", "Jordan"),
    ("The Lebanon City Council voted on Monday to repave two streets downtown.", "Lebanon"),
])
def test_a_towns_institution_after_a_countrys_name_is_the_town(pipeline, text, name):
    # data/town_cues.csv: a middle school or a city council belongs to a town of the name, not the country
    assert places(pipeline, text)[name][2] == "city"


@needs_index
def test_a_countrys_name_without_a_town_cue_stays_the_country(pipeline):
    got = places(pipeline, "Officials in Jordan said on Monday that the border crossing would reopen.")
    assert got["Jordan"][1:] == ("JO", "country")


def test_a_broken_town_cues_file_is_one_line(tmp_path, monkeypatch):
    import geo.resolve as resolve

    broken = tmp_path / "town_cues.csv"
    broken.write_text("cue,reason\ncity council,\n", encoding="utf-8")
    monkeypatch.setattr(resolve, "TOWN_CUES", broken)
    resolve._town_cue_pattern.cache_clear()
    try:
        with pytest.raises(ConfigError) as err:
            resolve._town_cue_pattern()
        assert str(broken) in str(err.value) and "line 2" in str(err.value) and "reason" in str(err.value)
    finally:
        resolve._town_cue_pattern.cache_clear()


def test_a_broken_region_cues_file_is_one_line(tmp_path, monkeypatch):
    import geo.resolve as resolve

    broken = tmp_path / "region_cues.csv"
    broken.write_text("side,cue,reason\nsideways,Gov.,no such side\n", encoding="utf-8")
    monkeypatch.setattr(resolve, "REGION_CUES", broken)
    resolve._cue_patterns.cache_clear()
    try:
        with pytest.raises(ConfigError) as err:
            resolve._cue_patterns()
        assert str(broken) in str(err.value) and "line 2" in str(err.value)
        monkeypatch.setattr(resolve, "REGION_CUES", tmp_path / "absent.csv")
        with pytest.raises(ConfigError, match="absent.csv: region cues unreadable"):
            resolve._cue_patterns()
    finally:
        resolve._cue_patterns.cache_clear()


# --- a list of names that a plural calls counties ------------------------------------------------------

@needs_index
def test_names_listed_before_counties_are_the_counties(pipeline):
    got = places(pipeline, "Volunteers from Camden and Charlton counties in Georgia and from Nassau and Baker "
                           "counties in Florida cleared the river banks on Saturday.")
    assert got["Camden"] == ("Camden County", "US", "region")
    assert got["Charlton"] == ("Charlton County", "US", "region")
    assert got["Baker"] == ("Baker County", "US", "region")


@needs_index
def test_one_county_list_lies_in_one_state(pipeline):
    # Harris County, Texas is far bigger, but only Georgia has both counties of the list
    reading = pipeline.read(read_text("She has worked in the clerk's offices of Muscogee and Harris counties "
                                      "for twenty years."))
    got = {m.toponym.text: (m.place.name, m.place.admin1) for m in reading.mentions if m.place}
    assert got["Harris"] == ("Harris County", "GA") and got["Muscogee"] == ("Muscogee County", "GA")


@needs_index
def test_a_state_before_counties_stays_the_state(pipeline):
    got = places(pipeline, "Boone County's jobless rate is near the middle of Indiana counties, the report said.")
    assert got["Indiana"] == ("Indiana", "US", "region")


def test_a_broken_county_cues_file_is_one_line(tmp_path, monkeypatch):
    import geo.resolve as resolve

    broken = tmp_path / "county_cues.csv"
    broken.write_text("plural,suffix,reason\ncounties,,no suffix\n", encoding="utf-8")
    monkeypatch.setattr(resolve, "COUNTY_CUES", broken)
    resolve._county_cues.cache_clear()
    try:
        with pytest.raises(ConfigError) as err:
            resolve._county_cues()
        assert str(broken) in str(err.value) and "line 2" in str(err.value)
    finally:
        resolve._county_cues.cache_clear()


# --- a small namesake in another state of the story's country --------------------------------------------

@needs_index
def test_a_small_namesake_in_another_state_yields_to_the_story_town(pipeline):
    # the gazetteer knows only Gratis, Ohio (a village of 900); the story's other names all lie in Georgia
    reading = pipeline.read(read_text(
        "Deputies dug up the backyard of a house in the rural Gratis community of Walton County, Georgia, on "
        "Tuesday and sent what they found to a laboratory in Atlanta, the sheriff said."))
    got = {m.toponym.text: m for m in reading.mentions if m.place}
    assert (got["Gratis"].place.country_code, got["Gratis"].place.admin1) == ("US", "GA")
    assert got["Gratis"].resolver == "story-area"  # approximate: the story's town, never an event site
    # a dateline's town stands on its own, wherever the story's other names lie
    reading = pipeline.read(read_text(
        "Gratis students win. ST. PARIS -- Pupils of a school here won a contest in Walton County, Georgia, and "
        "a prize in Atlanta on Tuesday, their teacher said."))
    got = {m.toponym.text.upper(): m for m in reading.mentions if m.place}
    assert got["ST. PARIS"].place.admin1 == "OH" and got["ST. PARIS"].resolver != "story-area"
