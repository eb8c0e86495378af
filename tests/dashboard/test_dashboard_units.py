"""Pure parts of the dashboard: the map builder, highlighting, the URL form of filters, the timeline."""

from __future__ import annotations

import json
import re
from datetime import date

import folium
import pandas as pd
import pytest

from dashboard.filters import Filters, Selection, apply_filters, apply_place, apply_span
from dashboard.highlight import highlight
from dashboard.map_view import aggregate_places, build_map, place_from_tooltip, standalone_html
from dashboard.timeline import span_from_selection, timeline_chart


def make_events(n_events: int, n_places: int, *, actor: str = "Army") -> pd.DataFrame:
    rows = []
    for i in range(n_events):
        p = i % n_places
        rows.append({"event_id": i, "event_date": pd.Timestamp("2020-10-01") + pd.Timedelta(days=i % 40),
                     "time_precision": 1, "event_type": ["Battles", "Protests"][i % 2 if p else 0],
                     "sub_event_type": "Armed clash", "actor1": actor, "actor2": None, "place_id": 1000 + p,
                     "place": f"Town {p}", "country_code": "AZ", "lat": 40 + p * 0.01, "lon": 46 + p * 0.01,
                     "geo_precision": 1, "fatalities": None, "losses": {"tanks": 2} if i % 3 == 0 else {},
                     "claimed_by": "Ministry", "contested": i % 5 == 0, "n_sources": 1, "article_ids": [f"a{i}"],
                     "outlets": ["Wire"], "evidence": f"Fighting in Town {p}."})
    frame = pd.DataFrame(rows)
    frame["event_date"] = pd.to_datetime(frame["event_date"])
    return frame


def test_one_marker_per_place_with_dominant_type_and_count():
    places = aggregate_places(make_events(30, 3))
    assert len(places) == 3
    assert places["n"].sum() == 30
    town0 = places[places["place"] == "Town 0"].iloc[0]
    assert town0["dominant"] == "Battles" and town0["n"] == 10
    assert place_from_tooltip(town0["tooltip"], places) == 1000


def test_map_payload_grows_with_places_not_events():
    small = build_map(aggregate_places(make_events(200, 20))).get_root().render()
    large = build_map(aggregate_places(make_events(20_000, 20))).get_root().render()
    more_places = build_map(aggregate_places(make_events(2_000, 200))).get_root().render()
    assert len(large) < len(small) * 1.3
    assert len(more_places) > len(small) * 3


def test_article_text_in_popups_is_escaped():
    events = make_events(4, 1, actor='<script>alert(1)</script><img src=x onerror="alert(2)">')
    page = build_map(aggregate_places(events)).get_root().render()
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    # the popup's text travels as JSON with no markup characters; the browser escapes it when the popup opens
    # (test_dashboard_map_popups.py shows it in Chromium)
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in page


def test_dateline_layer_is_hidden_by_default_and_dashed():
    datelines = pd.DataFrame({"place_id": [5], "place": ["Baku"], "lat": [40.4], "lon": [49.9], "n_articles": [3]})
    m = build_map(aggregate_places(make_events(5, 1)), datelines)
    script = m.get_root().render()
    # the layers script lists each layer's variable with its name in the layer control
    layer = re.search(r'\[(place_layer_\w+), "Dateline cities"\]', script).group(1)
    assert f"{layer}.addTo" not in script and script.count(layer) >= 2
    assert '"Dateline cities"' in script and "cm-dateline" in script


def test_heatmap_mode_uses_one_weighted_point_per_place():
    page = build_map(aggregate_places(make_events(100, 4)), mode="heatmap").get_root().render()
    points = json.loads(re.search(r"L\.heatLayer\((\[.*?\]\]), ", page).group(1))
    assert len(points) == 4 and sum(p[2] for p in points) == 100
    assert "L.markerClusterGroup" not in page and "leaflet_heat" in page


def test_standalone_html_uses_cdn_even_when_serving_local_assets():
    from dashboard.offline_assets import use_cdn_assets, use_local_assets

    use_local_assets()
    try:
        m = build_map(aggregate_places(make_events(5, 2)))
        assert "/app/static/vendor/leaflet/leaflet.js" in m.get_root().render()
        page = standalone_html(build_map(aggregate_places(make_events(5, 2))))
    finally:
        use_cdn_assets()
    assert "/app/static/vendor" not in page
    assert "leaflet.js" in page and "<title>clashmap export</title>" in page


def test_highlight_escapes_everything_and_marks_offsets():
    text = "Clash in Shushi <script>alert(1)</script> near Baku."
    out = highlight(text, [(9, 15, "event", "Shusha (AZ)"), (47, 51, "mention", "")], [(0, len(text), "Battles")])
    assert "<script>" not in out.split("</style>", 1)[1]
    assert "&#60;script&#62;alert&#40;1&#41;&#60;&#47;script&#62;" in out  # the browser shows the characters
    assert '<mark class="cm-event" title="Shusha (AZ)">Shushi</mark>' in out
    assert 'class="cm-unresolved"' in out  # Baku has no place: shown as unresolved
    assert out.count('class="cm-evidence"') >= 3


def test_highlight_gives_markdown_no_syntax_and_no_line_breaks():
    """Streamlit reads the highlighted HTML as markdown: after a blank line an image in the text would load."""
    text = "First paragraph.\n\n![t](http://127.0.0.1:9/pixel.png) and [link](http://127.0.0.1:9/) $x$ :red[y]"
    div = highlight(text, [], []).split("</style>", 1)[1].strip()
    assert "\n" not in div  # one HTML block: markdown never resumes inside the article
    for syntax in ("![", "](", "$x$", ":red["):
        assert syntax not in div
    import html as html_module

    assert html_module.unescape(div.removeprefix('<div class="cm-article">').removesuffix("</div>")) == text


def test_md_shows_article_text_literally():
    from dashboard.safe_text import md

    assert md("![t](h/p.png)") == "&#33;&#91;t&#93;&#40;h&#47;p&#46;png&#41;"
    # bare URLs and addresses: GitHub-flavoured markdown would link them after decoding the references
    assert md("http://h https://h www.h a@b") == ("http\u2060&#58;&#47;&#47;h https\u2060&#58;&#47;&#47;h "
                                                  "www\u2060&#46;h a&#64;\u2060b")
    assert md("line\none  two") == "line one two" and md(None) == ""


def test_filters_and_selection_round_trip_through_the_url():
    f = Filters(start=date(2020, 11, 1), end=date(2020, 11, 9), type=["Battles"], actor="Army", country="AZ",
                place="Town 0", outlet="Wire", q="tanks", sub_type=["Armed clash"], contested="yes")
    assert Filters.from_query(f.to_query()) == f
    sel = Selection(span_start=date(2020, 11, 2), span_end=date(2020, 11, 5), place_id=1000, events=[3, 4])
    assert Selection.from_query(sel.to_query()) == sel
    assert Selection.from_query({"sel_place": "x", "sel_start": "nope"}) == Selection()


def test_filters_narrow_as_an_editor_expects():
    events = make_events(40, 4)
    assert set(apply_filters(events, Filters(contested="yes"))["contested"]) == {True}
    assert len(apply_filters(events, Filters(q="town 2"))) == 10
    assert len(apply_filters(events, Filters(sub_type=["Armed clash"], outlet="Wire"))) == 40
    assert set(apply_place(events, Selection(place_id=1001))["place"]) == {"Town 1"}
    spanned = apply_span(events, Selection(span_start=date(2020, 10, 1), span_end=date(2020, 10, 2)))
    assert set(spanned["event_date"].dt.day) == {1, 2}


def test_timeline_counts_per_day_and_reads_the_span():
    chart = timeline_chart(make_events(100, 5), span=(date(2020, 10, 3), date(2020, 10, 9))).to_dict()
    assert len(chart["datasets"][next(iter(chart["datasets"]))]) <= 80  # (day, type) rows, not events
    assert chart["params"][0]["value"]["x"][0] == 1601683200000
    state = {"selection": {"span": {"day": [1601683200000, 1602201600000]}}}
    assert span_from_selection(state) == (date(2020, 10, 3), date(2020, 10, 9))
    assert span_from_selection({"selection": {"span": {}}}) is None


@pytest.mark.parametrize("value", ["1", "true", "on"])
def test_offline_setting_points_folium_at_local_assets(monkeypatch, value):
    from dashboard.offline_assets import apply_setting, use_cdn_assets

    monkeypatch.setenv("CLASHMAP_OFFLINE_ASSETS", value)
    try:
        assert apply_setting()
        urls = [u for _, u in folium.Map.default_js + folium.plugins.MarkerCluster.default_js]
        assert urls and all(u.startswith("/app/static/vendor/") for u in urls)
    finally:
        use_cdn_assets()


def test_fetch_assets_fills_a_vendor_folder_from_python_packages(tmp_path):
    import sys

    from dash_fixture_articles import ROOT

    sys.path.insert(0, str(ROOT / "static"))
    from fetch_assets import fetch

    fetch(tmp_path)
    for relative in ("leaflet/leaflet.js", "leaflet/leaflet.css", "markercluster/leaflet.markercluster.js",
                     "heat/leaflet_heat.min.js", "leaflet/images/layers.png"):
        assert (tmp_path / relative).stat().st_size > 0, relative


def test_template_syntax_in_article_text_is_data_not_code():
    events = make_events(3, 1, actor="{{ 7*7 }} {% if x %}")
    page = build_map(aggregate_places(events)).get_root().render()
    assert "{{ 7*7 }} {% if x %}" in page


def test_the_server_skips_streamlits_full_collection_after_every_run():
    """`streamlit run` in the project (as `make run` and the browser tests start it) reads .streamlit/config.toml:
    Streamlit's default `runner.postScriptGC` runs gc.collect(2) after every script run, each 0.5 s progress poll
    included, which with spaCy and pandas loaded took the server from 0.05 to 1 s of CPU per 5 s while one editor's
    correction ran, and another visitor's page from 2-3 s to 24-34 s to load (load average 20, 2 cores)."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    shown = subprocess.run(
        [sys.executable, "-c", "from streamlit import config; config.get_config_options(force_reparse=True); "
                               "print(config.get_option('runner.postScriptGC'))"],
        cwd=root, capture_output=True, text=True, timeout=120, check=True).stdout.split()
    assert shown[-1:] == ["False"], shown


def test_the_feed_lists_the_latest_events_first_undated_last():
    """The feed takes its `limit` latest events without sorting the whole frame: newest day first, a later
    event id first within a day, undated events last (as `sort_values(..., ascending=False)` ordered them)."""
    from dashboard.feed import feed_items

    days = ["2024-05-02", None, "2024-05-03", "2024-05-02", "2024-04-30", None]
    events = pd.DataFrame({"event_id": [4, 9, 2, 7, 1, 3], "event_date": pd.to_datetime(days).astype("datetime64[s]"),
                           "event_type": "Battles", "place": "Harbour Town", "article_ids": [[]] * 6})
    assert [item["event_id"] for item in feed_items(events, {}, limit=6)] == [2, 7, 4, 1, 9, 3]
    assert [item["event_id"] for item in feed_items(events, {}, limit=2)] == [2, 7]
