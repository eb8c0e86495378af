"""The dashboard's ingest, in a process of its own: `python -m dashboard.ingest_worker JOB_DIR`.

Reading articles is CPU work that holds Python's GIL (regexes, spaCy): run inside the Streamlit server it
would stall every other editor's page. The ingest page writes the uploads to `JOB_DIR/inputs/<n>/<name>`
and starts this module as a subprocess (niced); the page then only polls two files this worker writes:

- `JOB_DIR/status.json`: `{"state": "reading"|"running"|"done"|"failed", "done": n, "total": m,
  "current": "file", "error": "..."}`, replaced atomically at most every `STATUS_EVERY` seconds;
- `JOB_DIR/rows.jsonl`: one line per outcome, appended as it happens: `{"file", "record", "title", "status", "reason"}`
  with status added, unchanged or rejected. What was stored is listed even when the worker dies later.

Every file and every record is its own outcome: a file that cannot be read, or a record whose reading or
storing raises anything, becomes a rejected row naming the file, the record and the reason, and the batch
goes on. The worker stops by itself when the server that started it is gone.
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

STATUS_EVERY = 0.25  # seconds between status.json rewrites (a 100k-row batch must not rewrite it 100k times)


class Job:
    """The two files of a job, as the worker writes them."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.rows = open(folder / "rows.jsonl", "a", encoding="utf-8")  # noqa: SIM115 - open for the whole run
        self.status = {"state": "reading", "done": 0, "total": 0, "current": "", "error": ""}
        self._written = 0.0

    def row(self, file: str, record: str, status: str, reason: str = "", title: str = "") -> None:
        self.rows.write(json.dumps({"file": file, "record": record, "title": title, "status": status,
                                    "reason": reason}) + "\n")
        self.rows.flush()

    def update(self, force: bool = False, **values) -> None:
        self.status.update(values)
        now = time.monotonic()
        if force or now - self._written >= STATUS_EVERY:
            tmp = self.folder / "status.json.tmp"
            tmp.write_text(json.dumps(self.status), encoding="utf-8")
            os.replace(tmp, self.folder / "status.json")
            self._written = now


def _reason(err: BaseException, replacements: dict[str, str]) -> str:
    """One line for a rejection: clashmap's own message, else the exception's type and message."""
    from clashmap.errors import ClashmapError

    return _reason_text(str(err) if isinstance(err, ClashmapError) else f"{type(err).__name__}: {err}",
                        replacements)


def _reason_text(text: str, replacements: dict[str, str]) -> str:
    """One line of at most 500 characters, the server's paths replaced by the names the editor gave."""
    for old, new in replacements.items():
        text = text.replace(old, new)
    line = " ".join(text.split())
    return line[:500] + ("…" if len(line) > 500 else "")


def input_files(folder: Path) -> list[tuple[Path, str]]:
    """(path, name the editor gave it), in upload order: `inputs/<n>/<name>`."""
    inputs = folder / "inputs"
    slots = sorted((p for p in inputs.iterdir() if p.is_dir()), key=lambda p: int(p.name))
    return [(f, f.name) for slot in slots for f in sorted(slot.iterdir())]


def run(folder: Path, parent: int | None = None) -> None:
    from articles.reader import read_records
    from clashmap.errors import RecordError
    from clashmap.pipeline import Pipeline
    from store.db import open_store
    from clashmap.loading import ingest_articles
    from clashmap.long_text import long_text_note

    from datetime import datetime, timezone

    started = datetime.now(timezone.utc)
    job = Job(folder)
    files = input_files(folder)
    batches = []
    for path, name in files:  # reading first: the total number of records is known before the slow part
        job.update(current=name)
        try:  # every record its own outcome: a bad record is a rejection, the file's other records are read
            articles = list(read_records(path))
        except Exception as err:  # noqa: BLE001 - any failure to read one file rejects that file only
            job.row(name, "", "rejected", _reason(err, {str(path): name}))
            continue
        batches.append((path, name, articles))
    total = sum(len(articles) for _, _, articles in batches)
    job.update(force=True, state="running", total=total, current="loading the reading pipeline")
    sessions = open_store()
    pipeline = Pipeline(sessions) if total else None
    if pipeline is not None:
        pipeline.processes = 2  # a long text's pieces side by side (this process reads in its one thread)
    done = 0
    for path, name, articles in batches:
        for index, (label, article) in enumerate(articles):
            if parent is not None and os.getppid() != parent:
                job.update(force=True, state="failed", error="the dashboard server stopped")
                return
            record = f"#{index + 1}" if len(articles) > 1 or label != str(path) else ""
            if isinstance(article, RecordError):
                job.row(name, record, "rejected", _reason(article, {str(path): name}))
                done += 1
                job.update(done=done)
                continue
            title = article.title if isinstance(article.title, str) else ""
            job.update(current=f"{name} {record}".strip())
            try:
                article = replace(article, source=article.source.replace(str(path), name))
                report = ingest_articles([article], sessions, pipeline)
                if report.rejected:  # the store's checks or the reading refused this record: its reason
                    job.row(name, record, "rejected", _reason_text(report.rejected[0][1], {str(path): name}), title)
                else:
                    status = "added" if report.added else "unchanged"
                    # a text read in the long-text mode says so, and what it skipped (clashmap.long_text)
                    reason = (long_text_note(article) or "") if status == "added" else "already stored"
                    job.row(name, record, status, reason, title)
            except Exception as err:  # noqa: BLE001 - one record's failure is that record's rejection
                job.row(name, record, "rejected", _reason(err, {str(path): name}), title)
            done += 1
            job.update(done=done)
    job.update(force=True, state="done", done=done, current="", geocoder_failures=_geocoder_failures(started))


def _geocoder_failures(since) -> list[dict]:
    """The online geocoder's failures during this run (an outage, 429s): the page warns the editor."""
    from geo.online import recent_failures

    return [{"time (UTC)": f.at.strftime("%Y-%m-%d %H:%M:%S"), "service": f.service, "name": f.query,
             "error": f.error} for f in recent_failures(since=since)]


def main(argv: list[str]) -> int:
    folder = Path(argv[0])
    parent = int(argv[1]) if len(argv) > 1 else None
    try:
        os.nice(10)  # the server's own threads (other editors' pages) come first
    except OSError:
        pass
    try:
        run(folder, parent)
    except BaseException as err:  # the page shows "ingest stopped: <reason>" and what was stored until then
        status_file = folder / "status.json"
        status = json.loads(status_file.read_text()) if status_file.exists() else {}
        status.update(state="failed", error=_reason(err, {str(folder): "…"}))
        status_file.write_text(json.dumps(status), encoding="utf-8")
        if not isinstance(err, Exception):
            raise
        import traceback

        traceback.print_exc()  # to JOB_DIR/worker.log, for whoever runs the server
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
