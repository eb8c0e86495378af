"""The map's layers as files: the big part of the map component's `feature_group` argument, served over HTTP.

The layers script (markers, popups' data, weekly counts: ~0.9 MB at 2,000 places) went through the websocket as a
component argument on every script run that draws the map: the map-first run, the whole-page run after it, every
pan or zoom (the map fragment's rerun) and every filter change. `clashmap serve` (dashboard/serve_app.py) serves each
layers text at `/cm/layers/<digest>.js`, named by its content, so the component's argument is a few hundred bytes
that load the file (`map_component.layers_loader`), the browser keeps it (`data/cache_headers.csv`) and the same
layers are never sent twice to a browser. A server without the route (`streamlit run dashboard/app.py`, AppTest)
sends the text itself, as before.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

ROUTE = "/cm/layers/{digest}.js"
KEEP = 64  # layers texts held for the browser to fetch: the latest published or used
_FILES: OrderedDict[str, str] = OrderedDict()
_LOCK = threading.Lock()
_SERVED = {"on": False}


def serve() -> None:
    """Called by dashboard/serve_app.py, which mounts `route()`: script runs may send loaders from now on."""
    _SERVED["on"] = True


def served() -> bool:
    return _SERVED["on"]


def digest_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def publish(text: str, digest: str | None = None) -> str:
    """Hold `text` for the browser (the most recently used KEEP texts are held); its URL path."""
    digest = digest or digest_of(text)
    with _LOCK:
        _FILES[digest] = text
        _FILES.move_to_end(digest)
        while len(_FILES) > KEEP:
            _FILES.popitem(last=False)
    return ROUTE.format(digest=digest)


def text_of(digest: str) -> str | None:
    with _LOCK:
        return _FILES.get(digest)


def route():
    """The Starlette route serving the held texts (404 for one not held)."""
    from starlette.responses import PlainTextResponse, Response
    from starlette.routing import Route

    async def layers(request) -> Response:
        text = text_of(request.path_params["digest"])
        if text is None:
            return PlainTextResponse("no such layers", status_code=404)
        return Response(text, media_type="text/javascript; charset=utf-8")

    return Route(ROUTE, layers, methods=["GET"])
