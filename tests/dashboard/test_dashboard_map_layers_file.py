"""The map's layers travel once, as a file the browser keeps (issue 13, speed): not in the component's arguments,
which Streamlit sends again on every run that draws the map (a new tab, the run that completes the page, a rerun)."""

from __future__ import annotations

import pytest

from test_dashboard_browser import MAP_FRAME, open_map_patiently, settle

pytestmark = pytest.mark.browser

# Only the layers script has this text (map_view.PlaceLayer's cluster icons): where it travels, the places travel.
LAYERS_MARK = b"clusterIcon"


def _watch_websocket(page) -> list[bytes]:
    received: list[bytes] = []

    def on_socket(ws):
        ws.on("framereceived", lambda payload: received.append(
            payload if isinstance(payload, bytes) else payload.encode("utf-8")))

    page.on("websocket", on_socket)
    return received


def _watch_network(context, page) -> dict[str, dict]:
    """url -> how the browser got it ({"cache": True} when from its own cache), for the layer files."""
    seen: dict[str, dict] = {}
    urls: dict[str, str] = {}
    cdp = context.new_cdp_session(page)

    def sent(e):
        if "/cm-layers/" in e["request"]["url"]:
            urls[e["requestId"]] = e["request"]["url"]
            seen.setdefault(e["request"]["url"], {"cache": False})

    def from_cache(e):
        if e["requestId"] in urls:
            seen[urls[e["requestId"]]]["cache"] = True

    def received(e):
        r = e["response"]
        if e["requestId"] in urls and (r.get("fromDiskCache") or r.get("fromPrefetchCache")):
            seen[urls[e["requestId"]]]["cache"] = True

    cdp.on("Network.requestWillBeSent", sent)
    cdp.on("Network.requestServedFromCache", from_cache)
    cdp.on("Network.responseReceived", received)
    cdp.send("Network.enable")
    return seen


def test_layers_come_as_a_file_once_and_a_second_tab_takes_them_from_the_browser_cache(chromium, streamlit_server):
    context = chromium.new_context(viewport={"width": 1500, "height": 1300})
    try:
        first = context.new_page()
        over_socket = _watch_websocket(first)
        first_net = _watch_network(context, first)
        frame = open_map_patiently(first, streamlit_server + "/?cluster=0")
        settle(first, timeout=60_000)
        assert frame.locator("path.cm-place").count() >= 1
        assert over_socket, "no websocket messages seen"
        assert not any(LAYERS_MARK in m for m in over_socket), "the layers script came over the websocket"
        assert first_net, "the map fetched no layers file"
        # The same browser, a second tab: the markers are drawn, and the layers file comes from the browser's cache.
        second = context.new_page()
        second_net = _watch_network(context, second)
        again = open_map_patiently(second, streamlit_server + "/?cluster=0")
        assert again.locator("path.cm-place").count() == frame.locator("path.cm-place").count()
        assert second_net and all(how["cache"] for how in second_net.values()), second_net
        # and a marker click still reaches the app (the layers drawn after the fetch get streamlit-folium's handler)
        again.locator("path.cm-place").first.dispatch_event("click")
        second.wait_for_function("() => location.search.includes('sel_place=')", timeout=60_000)
        assert second.frame_locator(MAP_FRAME).locator("path.cm-place").count() >= 1
    finally:
        context.close()
