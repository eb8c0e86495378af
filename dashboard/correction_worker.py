"""A saved correction, applied in a process of its own: `python -m dashboard.correction_worker JOB_DIR`.

Saving a correction reads again every stored article that mentions the name (spaCy, regexes: CPU work holding
Python's GIL). Inside the Streamlit server that would stall every other editor's and viewer's page for as long
as it runs, so the article view writes `JOB_DIR/request.json` (`{"surface", "place_id", "editor"}`; place_id
null for "not a place") and starts this module, niced, as the ingest page starts `dashboard.ingest_worker`. The
page then only polls `JOB_DIR/status.json`: `{"state": "running"|"done"|"failed", "changed": n, "error": "..."}`.
The correction itself is `store.corrections.save_correction`, the same as `clashmap correct`.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def _write_status(folder: Path, **status) -> None:
    tmp = folder / "status.json.tmp"
    tmp.write_text(json.dumps(status), encoding="utf-8")
    os.replace(tmp, folder / "status.json")


def run(folder: Path) -> int:
    from clashmap.errors import ClashmapError
    from clashmap.pipeline import Pipeline
    from geo.gazetteer import Gazetteer
    from store.corrections import save_correction
    from store.db import open_store

    request = json.loads((folder / "request.json").read_text(encoding="utf-8"))
    _write_status(folder, state="running", changed=0, error="", pid=os.getpid())
    gazetteer = Gazetteer()
    place = None
    if request.get("place_id") is not None:
        place = gazetteer.get(int(request["place_id"]))
        if place is None:
            raise ClashmapError(f"place id {request['place_id']} is not in the gazetteer")
    sessions = open_store()
    pipeline = Pipeline(sessions, gazetteer=gazetteer)
    changed = save_correction(sessions, request["surface"], place, editor=request["editor"], read=pipeline.read)
    _write_status(folder, state="done", changed=changed, error="", pid=os.getpid())
    return 0


def main(argv: list[str]) -> int:
    folder = Path(argv[0])
    try:
        os.nice(10)  # the server's own threads (everyone's pages) come first
    except OSError:
        pass
    try:
        return run(folder)
    except Exception as err:  # noqa: BLE001 - the page shows the reason in one line
        from dashboard.ingest_worker import _reason

        _write_status(folder, state="failed", changed=0, error=_reason(err, {str(folder): "…"}), pid=os.getpid())
        import traceback

        traceback.print_exc()  # to JOB_DIR/worker.log, for whoever runs the server
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
