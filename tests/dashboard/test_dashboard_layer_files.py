"""The map's layers files (dashboard/layer_files.py) as an editor's deployment needs them: a private map's file is
not open to whoever learns its name, a second server process behind the same proxy serves a file the first one
wrote, and the map's frame fetches the file without a synchronous request."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from dash_server import run_streamlit
from test_dashboard_browser import settle

LAYERS_IN_FRAME = """() => performance.getEntriesByType('resource')
    .filter(e => e.name.includes('layers/'))
    .map(e => [e.name, e.initiatorType])"""


def _status(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as err:
        return err.code, b""


def _drawn_map(page, url: str):
    """The map's frame of `page` once it has drawn a marker or a cluster."""
    page.goto(url)
    settle(page, timeout=90_000)
    mapf = next(f for f in page.frames if "st_folium" in f.url)
    mapf.locator(".cm-cluster, path.cm-place").first.wait_for(state="attached", timeout=60_000)
    return mapf


@pytest.mark.browser
def test_a_second_server_process_serves_the_layers_file_the_first_one_wrote(chromium, streamlit_server, dash_db,
                                                                           tmp_path):
    """Two replicas of `clashmap serve` on one store behind a proxy: the map's frame may ask either for its layers.
    The frame fetches the file (no synchronous request, which browsers deprecate on the main thread) and its
    markers stay clickable."""
    context = chromium.new_context(viewport={"width": 1440, "height": 900})
    try:
        page = context.new_page()
        messages = []
        page.on("console", lambda m: messages.append(m.text))
        mapf = _drawn_map(page, streamlit_server + "/")
        layers = mapf.evaluate(LAYERS_IN_FRAME)
        assert len(layers) == 1, layers
        url, how = layers[0]
        assert how == "fetch", layers
        assert not [m for m in messages if "Synchronous XMLHttpRequest" in m], messages
        path = "/cm/" + url.split("/cm/", 1)[1]
        first, text = _status(streamlit_server + path)
        assert first == 200 and len(text) > 1000
        with run_streamlit(tmp_path, {"CLASHMAP_DB": dash_db}) as (other, _proc):
            assert _status(other + path) == (200, text)  # the other process has run no script: it read the folder
    finally:
        context.close()


@pytest.fixture()
def private_server(tmp_path, dash_db):
    """The dashboard with `viewing = "login"` and one viewer."""
    from dashboard import auth

    secrets_file = tmp_path / "secrets.toml"
    secrets_file.write_text('[clashmap]\nviewing = "login"\n[clashmap.users.desk]\nrole = "viewer"\n'
                            f"password = '{auth.hash_password('ink and maps')}'\n", encoding="utf-8")
    with run_streamlit(tmp_path, {"CLASHMAP_DB": dash_db}, secrets=secrets_file, start_timeout=90) as (base, _):
        yield base


@pytest.mark.browser
def test_a_private_maps_layers_file_needs_the_logged_in_sessions_grant(chromium, private_server):
    """With viewing by login, the map's data is not served to whoever has (or guesses) its file's name: only the
    URL a logged-in session's run made opens it, and only for its file."""
    context = chromium.new_context(viewport={"width": 1440, "height": 900})
    try:
        page = context.new_page()
        page.goto(private_server)
        page.get_by_role("textbox", name="User name").fill("desk")
        page.get_by_role("textbox", name="Password", exact=True).fill("ink and maps")
        page.get_by_role("button", name="Log in").click()
        page.frame_locator('iframe[title="streamlit_folium.st_folium"]').locator(
            ".cm-cluster, path.cm-place").first.wait_for(state="attached", timeout=90_000)
        mapf = next(f for f in page.frames if "st_folium" in f.url)
        layers = mapf.evaluate(LAYERS_IN_FRAME)
        assert len(layers) == 1, layers
        path = "/cm/" + layers[0][0].split("/cm/", 1)[1]
        digest = path.rsplit("/", 1)[1].removesuffix(".js")
        assert _status(private_server + path)[0] == 200  # the logged-in session's URL
    finally:
        context.close()
    # without a login: the file by its name alone, a made-up grant, another file's grant, an expired one
    assert _status(f"{private_server}/cm/layers/{digest}.js")[0] == 403
    expiry, signature = path.split("/")[3].split("-")
    forged = "0" * len(signature)
    assert _status(f"{private_server}/cm/private-layers/{expiry}-{forged}/{digest}.js")[0] == 403
    other = ("0" if digest[0] != "0" else "1") + digest[1:]
    assert _status(f"{private_server}/cm/private-layers/{expiry}-{signature}/{other}.js")[0] == 403
    assert _status(f"{private_server}/cm/private-layers/{int(expiry) - 86400}-{signature}/{digest}.js")[0] == 403


def test_the_layers_folder_keeps_the_latest_files_only(tmp_path, monkeypatch):
    from dashboard import layer_files

    monkeypatch.setenv("CLASHMAP_LAYERS_DIR", str(tmp_path / "layers"))
    digests = [layer_files.publish(f"var cm_{n} = {n};") for n in range(layer_files.KEEP + 5)]
    kept = sorted(p.name.removesuffix(".js") for p in (tmp_path / "layers").glob("*.js"))
    assert len(kept) == layer_files.KEEP
    assert digests[-1] in kept
    assert layer_files.text_of(digests[-1]) == f"var cm_{layer_files.KEEP + 4} = {layer_files.KEEP + 4};".encode()
    assert layer_files.text_of("../../etc/passwd") is None
