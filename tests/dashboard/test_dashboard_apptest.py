"""The app's logic through `streamlit.testing.v1.AppTest` on a small real store (no browser)."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from dash_fixture_articles import ROOT


@pytest.fixture()
def app(dash_db, monkeypatch):
    monkeypatch.setenv("CLASHMAP_DB", dash_db)
    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=60)
    at.secrets["clashmap"] = {"viewing": "open"}  # an anonymous viewer, whatever the local secrets.toml says
    return at


def summary(at: AppTest) -> str:
    return next(m.value for m in at.markdown if "match the filters" in m.value)


def map_script(at: AppTest) -> str:
    maps = [el for el in at.get("component_instance") if "st_folium" in el.proto.component_name]
    assert len(maps) == 1
    args = json.loads(maps[0].proto.json_args)
    return args["script"] + (args.get("feature_group") or "")  # the places travel as the map's layers script


def test_app_runs_and_shows_every_stored_event(app):
    at = app.run()
    assert not at.exception
    assert summary(at).startswith("**4** events from **4** articles")
    assert len(at.dataframe[0].value) == 4
    script = map_script(at)
    assert "Shusha, Azerbaijan" in script and "Idlib, Syria" in script
    assert any("GeoNames" in c.value and "OpenStreetMap" in c.value for c in at.caption)


def test_event_type_filter_narrows_everything_and_lands_in_the_url(app):
    at = app.run()
    at.multiselect(key="f_type").set_value(["Battles"]).run()
    assert not at.exception
    assert summary(at).startswith("**1** events")
    assert set(at.dataframe[0].value["event_type"]) == {"Battles"}
    assert at.query_params["type"] == "Battles"
    assert "Idlib" not in map_script(at)


def test_date_range_filter(app):
    at = app.run()
    at.date_input(key="f_dates").set_value(("2020-10-01", "2020-10-31")).run()
    assert summary(at).startswith("**2** events")
    assert at.query_params["start"] == "2020-10-01"


def test_url_filters_and_place_selection_reproduce_the_view(app, dash_db):
    from store.db import open_store
    from store.queries import events_frame

    events = events_frame(open_store(dash_db))
    shusha = int(events.loc[events["place"] == "Shusha", "place_id"].iloc[0])
    app.query_params.update({"sel_place": str(shusha), "q": "forces"})
    at = app.run()
    assert not at.exception
    assert "**1** in the current selection" in summary(at) or summary(at).startswith("**1** events")
    assert list(at.dataframe[0].value["place"]) == ["Shusha"]
    assert at.query_params["sel_place"] == str(shusha)
    assert at.text_input(key="f_q").value == "forces"


def test_clear_selection_button(app, dash_db):
    app.query_params.update({"sel_start": "2020-10-01", "sel_end": "2020-10-31"})
    at = app.run()
    assert len(at.dataframe[0].value) == 2
    at.button(key="clear_all").click().run()
    assert len(at.dataframe[0].value) == 4
    assert "sel_start" not in at.query_params


def test_filters_survive_a_visit_to_another_page(app):
    at = app.run()
    at.multiselect(key="f_type").set_value(["Battles"]).run()
    at.switch_page("page_scripts/article.py").run()
    assert not at.exception
    at.switch_page("page_scripts/map.py").run()
    assert not at.exception, at.exception
    assert summary(at).startswith("**1** events")
    assert at.multiselect(key="f_type").value == ["Battles"]
