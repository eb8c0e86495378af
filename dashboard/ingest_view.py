"""The ingest page: paste text or upload files (txt, json, csv); per-record progress; a per-record report.

The reading runs in a worker process (`dashboard.ingest_worker`), never in the Streamlit server: one
editor's large upload must not stall other editors' pages. The page writes the uploads to a job folder,
starts the worker, polls its progress file (`st.fragment(run_every=...)`) and, when it ends, always shows
the report: added / unchanged / rejected with file, record and reason, also when the worker died
("ingest stopped: <reason>", plus what it stored before). Editors only: anyone else gets
`dashboard.auth.require_editor`'s message and login form. Editors also see the online geocoder's
failures of the run when Nominatim is in use.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import streamlit as st

from clashmap.settings import get_settings
from dashboard import auth, data
from dashboard.safe_text import md
from store.db import default_url

ROOT = Path(__file__).resolve().parent.parent
SUFFIXES = (".txt", ".json", ".jsonl", ".csv", ".md", "")
COLUMNS = ["file", "record", "title", "status", "reason"]
REJECTIONS_LISTED = 20  # rejected records also listed as text above the report table
JOB_PREFIX = "clashmap-ingest-"
STALE_JOB = 86_400  # seconds after which an abandoned job folder is removed
POLL = 0.5  # seconds between two looks at the worker's progress
_JOB_KEY = "ingest_job"


@dataclass
class IngestJob:
    """One ingest run: its folder (inputs, status.json, rows.jsonl, worker.log) and its worker process."""

    folder: Path
    proc: subprocess.Popen
    started: float = field(default_factory=time.monotonic)
    cancelled: bool = False  # the editor pressed "Stop ingest"

    def status(self) -> dict:
        try:
            return json.loads((self.folder / "status.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {"state": "starting", "done": 0, "total": 0, "current": ""}

    def running(self) -> bool:
        return self.proc.poll() is None

    def rows(self) -> pd.DataFrame:
        rows = []
        try:
            with open(self.folder / "rows.jsonl", encoding="utf-8") as lines:
                for line in lines:
                    try:
                        rows.append(json.loads(line))
                    except ValueError:  # the last line of a worker killed while writing it
                        continue
        except OSError:
            pass
        return pd.DataFrame(rows, columns=COLUMNS).fillna("")

    def stopped_reason(self) -> str | None:
        """None when the worker finished its run; else why it stopped (its own words, or how it died)."""
        status = self.status()
        if status.get("state") == "done" and self.proc.returncode == 0:
            return None
        if self.cancelled:
            return "stopped by the editor"
        if status.get("error"):
            return str(status["error"])
        code = self.proc.returncode
        if code is not None and code < 0:
            return f"the worker process was killed (signal {-code})"
        log = (self.folder / "worker.log")
        last = [line for line in log.read_text(errors="replace").splitlines() if line.strip()] if log.exists() else []
        return last[-1].replace(str(self.folder), "…") if last else f"the worker process exited with status {code}"

    def wait(self, timeout: float | None = None) -> None:
        self.proc.wait(timeout=timeout)

    def stop(self) -> None:
        if self.running():
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def cleanup(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _sweep_stale_jobs(older_than: float = STALE_JOB) -> None:
    """Remove job folders nobody came back for (the editor closed the tab): untouched for `older_than` seconds.

    A running worker rewrites its status file at least once per record, so its folder is never this old."""
    now = time.time()
    for folder in Path(tempfile.gettempdir()).glob(f"{JOB_PREFIX}*"):
        try:
            newest = max(p.stat().st_mtime for p in [folder, *folder.iterdir()])
        except (OSError, ValueError):
            continue
        if now - newest > older_than:
            shutil.rmtree(folder, ignore_errors=True)


def start_ingest(uploads: list[tuple[str, bytes]], pasted: str, url: str) -> IngestJob:
    """Write the items to a job folder and start the worker on them; unsupported file types are rejected here."""
    _sweep_stale_jobs()
    folder = Path(tempfile.mkdtemp(prefix=JOB_PREFIX))
    inputs = folder / "inputs"
    inputs.mkdir()
    rejected = []
    items: list[tuple[str, bytes]] = list(uploads)
    if pasted.strip():
        items.append(("pasted text.txt", pasted.encode("utf-8")))
    for index, (name, payload) in enumerate(items):
        base = Path(name).name or f"upload-{index + 1}"
        suffix = Path(base).suffix.lower()
        if suffix not in SUFFIXES:
            rejected.append({"file": name, "record": "", "title": "", "status": "rejected",
                             "reason": f"{name}: has an unsupported type {suffix!r} (use .txt, .json or .csv)"})
            continue
        slot = inputs / str(index)
        slot.mkdir()
        (slot / base).write_bytes(payload)
    with open(folder / "rows.jsonl", "w", encoding="utf-8") as rows:
        rows.writelines(json.dumps(r) + "\n" for r in rejected)
    env = dict(os.environ, CLASHMAP_DB=url,
               PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p))
    with open(folder / "worker.log", "wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "dashboard.ingest_worker", str(folder), str(os.getpid())],
                                cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    return IngestJob(folder, proc)


def ingest_uploads(uploads: list[tuple[str, bytes]], pasted: str, url: str, timeout: float | None = None
                   ) -> pd.DataFrame:
    """Ingest and wait: the report of a whole run (what the page shows at the end), one row per record."""
    job = start_ingest(uploads, pasted, url)
    try:
        job.wait(timeout)
        return job.rows()
    finally:
        job.stop()
        job.cleanup()


def geocoder_failures(status: dict) -> list[dict]:
    """The online geocoder's failures during a run; [] when the offline gazetteer is in use."""
    return list(status.get("geocoder_failures") or [])


def _geocoder_warning(failures: list[dict]) -> None:
    """Tells editors that place names were answered offline because Nominatim failed (outage, 429, timeout)."""
    if not failures or get_settings().geocoder != "nominatim":  # Nominatim no longer in use: nothing to retry
        return
    latest = failures[-1]
    # The error text quotes the place name (article text): it goes in the table below, never in markdown.
    st.warning(f"The online geocoder ({md(latest['service'])}) failed {len(failures)} time(s) during this ingest, "
               f"latest at {md(latest['time (UTC)'])} UTC. Those names were placed with the offline gazetteer and "
               "will be asked online again at a later ingest.")
    with st.expander("Failed requests"):
        st.dataframe(pd.DataFrame(list(reversed(failures))), hide_index=True, width="stretch")


def render() -> None:
    auth.require_editor()
    st.title("Ingest articles")
    job: IngestJob | None = st.session_state.get(_JOB_KEY)
    if job is not None and not job.running():
        _finish(job)
    _ingest_form()
    job = st.session_state.get(_JOB_KEY)
    if job is not None:
        _progress(job)
    last = st.session_state.get("ingest_report")
    if last is not None:
        _report(*last)


def _ingest_form() -> None:
    st.caption("Plain text may start with `source:`/`title:` lines and a `date YYYY-MM-DD CITY, COUNTRY –` line. "
               "JSON and CSV batches need a `text` field per record (optional: title, source, url, published).")
    running = st.session_state.get(_JOB_KEY) is not None
    with st.form("ingest", clear_on_submit=False):
        pasted = st.text_area("Paste an article", height=200)
        files = st.file_uploader("or upload files", type=["txt", "json", "jsonl", "csv"], accept_multiple_files=True)
        submitted = st.form_submit_button("Ingest", disabled=running)
    if not submitted or running:
        return
    uploads = [(f.name, f.getvalue()) for f in files or []]
    if not uploads and not pasted.strip():
        st.warning("Nothing to ingest: paste text or choose files.")
        return
    st.session_state.pop("ingest_report", None)
    st.session_state[_JOB_KEY] = start_ingest(uploads, pasted, default_url())
    st.rerun()  # draws the form disabled and the progress below it


@st.fragment(run_every=POLL)
def _progress(job: IngestJob) -> None:
    """Redrawn every POLL seconds from the worker's status file; the whole page reruns once it has ended."""
    if not job.running():
        st.rerun(scope="app")
    status = job.status()
    done, total = int(status.get("done") or 0), int(status.get("total") or 0)
    current = md(status.get("current") or "")
    if status.get("state") in ("starting", "reading"):
        text = f"Reading the files… {current}"
    else:
        text = f"{done:,}/{total:,} records" + (f" · {current}" if current else "")
    st.progress(done / total if total else 0.0, text=text)
    if st.button("Stop ingest", key="ingest_stop", help="Records stored so far stay stored; the rest are not read."):
        job.cancelled = True
        job.stop()  # the record being stored is one transaction: it is stored whole or not at all
        st.rerun(scope="app")
    st.caption(f"Running for {time.monotonic() - job.started:.0f} s in a worker process; other pages stay usable.")


def _finish(job: IngestJob) -> None:
    """The run has ended (finished or died): keep its report in the session, remove its folder."""
    report, stopped, status = job.rows(), job.stopped_reason(), job.status()
    job.cleanup()
    st.session_state.pop(_JOB_KEY, None)
    st.session_state["ingest_report"] = (report, stopped, geocoder_failures(status))
    data.refresh()


def _report(report: pd.DataFrame, stopped: str | None, failures: list[dict]) -> None:
    counts = report["status"].value_counts().to_dict()
    line = ", ".join(f"{counts.get(k, 0)} {k}" for k in ("added", "unchanged", "rejected"))
    if stopped:
        st.error(f"ingest stopped: {md(stopped)}")
        st.caption(f"Before it stopped: {line}. Everything listed as added is stored.")
    elif counts.get("rejected"):
        st.warning(line + ". The rejected records are listed with their reason; the others are stored.")
    else:
        st.success(line)
    rejected = report[report["status"] == "rejected"]
    for row in rejected.head(REJECTIONS_LISTED).itertuples(index=False):  # named at once, above the table
        st.caption(md(f"{row.file} {row.record}".strip() + f": {row.reason}"))
    if len(rejected) > REJECTIONS_LISTED:
        st.caption(f"… and {len(rejected) - REJECTIONS_LISTED} more rejected records in the table.")
    st.dataframe(report, hide_index=True, width="stretch")
    _geocoder_warning(failures)
