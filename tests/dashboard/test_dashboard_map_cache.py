"""The map's layers are cached once for every session (dashboard.data.map_layers): a new tab reuses them, but
never after the store changed, and never across filters."""

from __future__ import annotations

import json
import re
import time

import pytest
from sqlalchemy import update
from streamlit.testing.v1 import AppTest

from dash_fixture_articles import ROOT


@pytest.fixture()
def small_store(tmp_path, monkeypatch) -> str:
    from store.synth import synthesize

    url = f"sqlite:///{tmp_path / 'cache.sqlite'}"
    synthesize(url, n_events=40, n_places=4)
    monkeypatch.setenv("CLASHMAP_DB", url)
    return url


def new_tab() -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=60)
    at.secrets["clashmap"] = {"viewing": "open"}
    return at


def places_on_map(at: AppTest) -> set[str]:
    maps = [el for el in at.get("component_instance") if "st_folium" in el.proto.component_name]
    assert len(maps) == 1
    args = json.loads(maps[0].proto.json_args)
    script = args["script"] + (args.get("feature_group") or "")  # the places travel as the map's layers script
    # a marker's tooltip names its place ("Synthtown 3, <country>"); the dateline layer's "Dateline: Synthtown 3"
    # (where reports were filed) does not count
    return {name for name in (f"Synthtown {i}" for i in range(10))
            if re.search(rf"(?<!Dateline: ){name}(?!\d)", script)}


def test_a_new_tab_sees_an_event_moved_after_the_map_was_cached(small_store):
    from store.db import bump_revision, open_store
    from store.schema import Event

    first = new_tab().run()
    assert not first.exception
    assert places_on_map(first) == {"Synthtown 0", "Synthtown 1", "Synthtown 2", "Synthtown 3"}
    # What a correction does: every event of one place now points at another; only the revision moves.
    sessions = open_store(small_store)
    with sessions() as session, session.begin():
        session.execute(update(Event).where(Event.place_id == 9_000_000_003).values(place_id=9_000_000_002))
        bump_revision(session)
    second = new_tab().run()
    assert not second.exception
    assert places_on_map(second) == {"Synthtown 0", "Synthtown 1", "Synthtown 2"}
    assert places_on_map(first.run()) == {"Synthtown 0", "Synthtown 1", "Synthtown 2"}


def test_a_filter_in_one_tab_does_not_change_the_map_of_another(small_store):
    one, other = new_tab().run(), new_tab().run()
    everything = places_on_map(one)
    one.multiselect(key="f_type").set_value(["Riots"]).run()
    narrowed = places_on_map(one)
    assert narrowed < everything
    assert places_on_map(other.run()) == everything
    other.multiselect(key="f_type").set_value(["Riots"]).run()
    assert places_on_map(other) == narrowed


def test_facets_of_a_given_store_state_stay_those_of_that_state(small_store):
    """`data.facets(url, token)` without the frame: the filter choices of the state `token` names, not of the
    store now (a caller pairing them with that state's events would offer places no longer there, or miss new ones)."""
    from dashboard import data
    from store.db import bump_revision, open_store
    from store.schema import Event

    data.refresh()
    token = data._token(small_store)
    before = data.events(small_store)
    assert "Synthtown 3" in data.facets(small_store, token)["place"]
    sessions = open_store(small_store)
    with sessions() as session, session.begin():
        session.execute(update(Event).where(Event.place_id == 9_000_000_003).values(place_id=9_000_000_002))
        bump_revision(session)
    assert data._token(small_store) != token
    assert data.events(small_store) is not before
    assert "Synthtown 3" not in data.facets(small_store)["place"]  # the store now
    assert "Synthtown 3" in data.facets(small_store, token)["place"]  # the state asked for
    data.refresh()


def test_the_server_reads_another_process_s_ingest_before_a_tab_asks(small_store):
    """`dashboard.data.watch`: after an ingest by another process, the server brings its events frame up to date
    by itself, so the next tab gets the new event without reading the store (at 100k events, ~1 s it waited)."""
    from datetime import date, datetime, timezone

    from dashboard import data
    from store.db import bump_revision, open_store
    from store.schema import Article, Event, EventSource

    data.refresh()
    try:
        first = new_tab().run()  # the server shows this store: its first run starts the watcher (every 1 s)
        assert not first.exception
        assert "Watched report" not in set(data.events(small_store)["actor1"])
        sessions = open_store(small_store)  # what an ingest writes: an article, its event at a known place
        with sessions() as session, session.begin():
            session.add(Article(id="watched-1", source_path="w.txt", outlet="Wire", title="Watched",
                                text="A watched report.", ingested_at=datetime.now(timezone.utc)))
            session.flush()
            event = Event(key="watched-1", event_date=date.today(), event_type="Battles", sub_event_type="Armed clash",
                          actor1="Watched report", place_id=9_000_000_001, losses={}, contested=False)
            session.add(event)
            session.flush()
            session.add(EventSource(event_id=event.id, article_id="watched-1", text="A watched report.", start=0,
                                    end=17))
            bump_revision(session)
        deadline = time.monotonic() + 20
        while "Watched report" not in set(data._LATEST[small_store].frame["actor1"]):
            assert time.monotonic() < deadline, "the server never read the ingest by itself"
            time.sleep(0.05)
        frame = data._LATEST[small_store].frame
        # the tab's own look gets that very frame (no read of its own), with its facets already made
        assert data.events(small_store) is frame
        assert "Watched report" in data.facets(small_store, data.token_of(frame), frame)["actor"]
        # and the map a tab without filters draws first (map_page.prepare_default_view), under the page's own key

        def not_made():
            raise LookupError

        view = repr((data.token_of(frame), {}, None, None, ()))
        key = repr((view, "markers", True, "events", []))
        layers = None
        while layers is None:
            try:
                layers = data.map_script(small_store, key, not_made)
            except LookupError:
                assert time.monotonic() < deadline, "the default view's map was never made ahead"
                time.sleep(0.05)
        assert "Watched report" in layers
        # then the rest of that page: its feed (newest first) starts with the new event
        parts = data.view_parts(small_store, repr((view, None)))
        while "table" not in parts:
            assert time.monotonic() < deadline, "the default view's feed and table were never made ahead"
            time.sleep(0.05)
        assert parts["feed"][0]["article_id"] == "watched-1"
        tab = new_tab().run()
        assert not tab.exception
        maps = [el for el in tab.get("component_instance") if "st_folium" in el.proto.component_name]
        assert json.loads(maps[0].proto.json_args)["feature_group"] == layers
    finally:
        data.refresh()  # stops the watcher
