"""The map's layers as files: the big part of the map component's `feature_group` argument, served over HTTP.

The layers script (markers, popups' data, weekly counts: ~0.9 MB at 2,000 places) went through the websocket as a
component argument on every script run that draws the map: the map-first run, the whole-page run after it, every
pan or zoom (the map fragment's rerun) and every filter change. `clashmap serve` (dashboard/serve_app.py) serves each
layers text at `/cm/layers/<digest>.js`, named by its content, so the component's argument is a few hundred bytes
that load the file (`map_component.layers_loader`), the browser keeps it (`data/cache_headers.csv`) and the same
layers are never sent twice to a browser. A server without the route (`streamlit run dashboard/app.py`, AppTest)
sends the text itself, as before.

Where they live: a folder every server process of the deployment reads (`CLASHMAP_LAYERS_DIR`, default beside a
SQLite store), so replicas behind one proxy serve each other's files; the latest KEEP files used, at most MAX_BYTES.

Who may fetch one: with open viewing anyone (the map itself is open). With viewing by login the plain route answers
403, and a session that passed the login is given `/cm/private-layers/<grant>/<digest>.js`: the grant is an HMAC of
the digest and an expiry (12-24 h ahead) under a key kept in the folder, so a URL opens one file, for a day at
most, and only a logged-in session's run makes one. Streamlit's password login lives in the websocket session
(no cookie the route could read), hence a signed URL rather than a session check.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import tempfile
import time
from pathlib import Path

ROUTE = "/cm/layers/{digest}.js"
PRIVATE_ROUTE = "/cm/private-layers/{grant}/{digest}.js"
KEEP = 64  # layers files kept in the folder: the latest published or used
MAX_BYTES = 256 * 1024 * 1024  # and at most this many bytes of them
GRANT_SECONDS = 12 * 3600  # a grant is the same URL for this long (the browser's cache holds), valid up to twice it
_DIGEST = re.compile(r"[0-9a-f]{24}")
_KEY_FILE = ".grant-key"
_SERVED = {"on": False}
_KEYS: dict[Path, bytes] = {}


def serve() -> None:
    """Called by dashboard/serve_app.py, which mounts `routes()`: script runs may send loaders from now on."""
    _SERVED["on"] = True


def served() -> bool:
    return _SERVED["on"]


def digest_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def folder() -> Path:
    """`CLASHMAP_LAYERS_DIR`, else `<store>.layers` beside a SQLite store, else data/layers."""
    from sqlalchemy.engine import make_url

    from clashmap.settings import get_settings
    from store.db import DATA_DIR, default_url

    chosen = get_settings().layers_dir
    if chosen:
        return Path(chosen)
    url = make_url(default_url())
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        store = Path(url.database)
        return store.with_name(store.name + ".layers")
    return DATA_DIR / "layers"


def publish(text: str, digest: str | None = None) -> str:
    """Keep `text` in the folder for any server process to serve; the digest. Written once (a temporary file
    renamed into place: a reader never sees half a file), touched when used again, the oldest dropped."""
    digest = digest or digest_of(text)
    where = folder()
    path = where / f"{digest}.js"
    try:
        os.utime(path)
        return digest
    except FileNotFoundError:
        pass
    where.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=where, prefix=".part-")
    with os.fdopen(handle, "wb") as out:
        out.write(text.encode("utf-8"))
    os.replace(temporary, path)
    _prune(where)
    return digest


def _prune(where: Path) -> None:
    files = []
    for path in where.glob("*.js"):
        try:
            info = path.stat()
        except FileNotFoundError:  # another process pruned it
            continue
        files.append((info.st_mtime, info.st_size, path))
    files.sort(reverse=True)
    total = 0
    for count, (_, size, path) in enumerate(files):
        total += size
        if count >= KEEP or (count and total > MAX_BYTES):
            path.unlink(missing_ok=True)


def text_of(digest: str) -> bytes | None:
    if not _DIGEST.fullmatch(digest):
        return None
    try:
        return (folder() / f"{digest}.js").read_bytes()
    except FileNotFoundError:
        return None


def _key(where: Path) -> bytes:
    """The folder's grant key, made by the first process that needs it (every replica reads the same)."""
    found = _KEYS.get(where)
    if found is None:
        path = where / _KEY_FILE
        where.mkdir(parents=True, exist_ok=True)
        try:
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            found = b""
            deadline = time.monotonic() + 5
            while len(found) < 32 and time.monotonic() < deadline:  # another process is writing it
                found = path.read_bytes()
        else:
            found = secrets.token_bytes(32)
            with os.fdopen(handle, "wb") as out:
                out.write(found)
        if len(found) < 32:
            raise OSError(f"{path}: a layers grant key of fewer than 32 bytes")
        _KEYS[where] = found
    return found


def grant(digest: str, now: float | None = None) -> str:
    """A URL part that opens the file `digest` until the end of the next 12-hour window."""
    now = time.time() if now is None else now
    expiry = (int(now // GRANT_SECONDS) + 2) * GRANT_SECONDS
    return f"{expiry}-{_signature(digest, expiry)}"


def _signature(digest: str, expiry: int) -> str:
    return hmac.new(_key(folder()), f"{digest}:{expiry}".encode(), hashlib.sha256).hexdigest()[:32]


def grant_opens(given: str, digest: str, now: float | None = None) -> bool:
    now = time.time() if now is None else now
    expiry, _, signature = given.partition("-")
    if not expiry.isdigit() or not now < int(expiry) <= now + 2 * GRANT_SECONDS:
        return False
    return hmac.compare_digest(signature, _signature(digest, int(expiry)))


def path_for(digest: str) -> str:
    """The URL path this run's browser fetches the file `digest` by: open, or signed when viewing needs a login."""
    from dashboard import auth

    if auth.viewing_is_open():
        return ROUTE.format(digest=digest)
    return PRIVATE_ROUTE.format(grant=grant(digest), digest=digest)


def routes() -> list:
    """The Starlette routes serving the files: 404 for one not held, 403 without the right to see the map."""
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import PlainTextResponse, Response
    from starlette.routing import Route

    from dashboard import auth

    async def answer(digest: str) -> Response:
        text = await run_in_threadpool(text_of, digest)
        if text is None:
            return PlainTextResponse("no such layers", status_code=404)
        return Response(text, media_type="text/javascript; charset=utf-8")

    async def open_layers(request) -> Response:
        if not auth.viewing_is_open():
            return PlainTextResponse("this map needs a login", status_code=403)
        return await answer(request.path_params["digest"])

    async def private_layers(request) -> Response:
        digest = request.path_params["digest"]
        if not (_DIGEST.fullmatch(digest) and grant_opens(request.path_params["grant"], digest)):
            return PlainTextResponse("this map needs a login", status_code=403)
        return await answer(digest)

    return [Route(ROUTE, open_layers, methods=["GET"]), Route(PRIVATE_ROUTE, private_layers, methods=["GET"])]
