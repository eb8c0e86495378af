"""Ingest speed on SQLite and PostgreSQL: the store alone, one ingest process, two at once.

The sample articles (data/articles) are read once through the real pipeline; "store only" then
times `store_reading` of those readings repeated under fresh article ids (so events merge as in a
growing newsroom store). "1 process" and "2 processes" time ingest processes (read, pipeline,
store: what `clashmap ingest` does per file; start-up and model loading happen before the clock
starts) over the sample articles copied 4 times with a distinct closing line, the two processes
ingesting the same files in opposite orders into one store, as two editors would. PostgreSQL is a throwaway local server with durable settings (fsync on), on the same disk.
Reference: the pipeline alone reads ~14 articles/s on one core (shared/STACK-NOTES.md).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "data" / "articles"
REPEATS = 10


def _readings():
    from articles.reader import read_file
    from clashmap.pipeline import Pipeline
    from store.db import open_store

    with tempfile.TemporaryDirectory() as scratch:
        pipeline = Pipeline(open_store(f"sqlite:///{Path(scratch) / 'read.sqlite'}"))
        files = sorted(ARTICLES.glob("*.txt"))
        started = time.perf_counter()
        readings = [pipeline.read(article) for path in files for article in read_file(path)]
        pipeline_rate = len(readings) / (time.perf_counter() - started)
    return readings, pipeline_rate


def _copies(readings, repeats: int):
    for round_ in range(repeats):
        for reading in readings:
            new_id = hashlib.sha1(f"{reading.article.id}/{round_}".encode()).hexdigest()
            yield dataclasses.replace(reading, article=dataclasses.replace(reading.article, id=new_id))


def _store_only(url: str, readings) -> float:
    from store.db import close_stores, open_store
    from store.ingest import store_reading

    sessions = open_store(url)
    batch = list(_copies(readings, REPEATS))
    started = time.perf_counter()
    for reading in batch:
        store_reading(sessions, reading)
    rate = len(batch) / (time.perf_counter() - started)
    close_stores()
    return rate


def _file_copies(folder: Path, copies: int) -> list[Path]:
    """The sample files `copies` times over, each copy a distinct article (its own closing line)."""
    folder.mkdir(parents=True)
    out = []
    for path in sorted(ARTICLES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for n in range(copies):
            copy = folder / f"{path.stem}-{n}.txt"
            copy.write_text(f"{text.rstrip()}\n\n(Benchmark copy {n}.)\n", encoding="utf-8")
            out.append(copy)
    return out


def _worker(url: str, list_file: str) -> None:
    """One ingest process: load everything, say "ready", wait for "go", ingest, print seconds and count."""
    from articles.reader import read_file, read_text
    from clashmap.pipeline import Pipeline
    from store.db import open_store
    from clashmap.loading import ingest_articles

    sessions = open_store(url)
    pipeline = Pipeline(sessions)
    pipeline.read(read_text("date 2020-10-10 BAKU, AZERBAIJAN – Warm-up text about Ganja.\n", "warm-up"))
    files = Path(list_file).read_text().split("\n")
    print("ready", flush=True)
    sys.stdin.readline()
    started = time.perf_counter()
    report = None
    for name in files:
        report = ingest_articles(read_file(name), sessions, pipeline, report)
    print(f"{time.perf_counter() - started} {len(report.added)}", flush=True)


def _ingest(url: str, file_lists: list[list[Path]], scratch: Path) -> float:
    """Seconds from "go" until every ingest process (one per list, started together) is done.

    Start-up (Python, spaCy, gazetteer) happens before "go", so it is not counted.
    """
    env = {**os.environ, "CLASHMAP_GEOCODER": "offline"}
    procs = []
    for n, files in enumerate(file_lists):
        listing = scratch / f"list-{n}.txt"
        listing.write_text("\n".join(map(str, files)))
        procs.append(subprocess.Popen([sys.executable, "-m", "bench.bench_hosting", "worker", url, str(listing)],
                                      cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True))
    for proc in procs:
        if proc.stdout.readline().strip() != "ready":
            raise RuntimeError(f"ingest worker failed on {url}: {proc.communicate()[1][-2000:]}")
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    seconds, added = 0.0, 0
    for proc in procs:
        out, err = proc.communicate()
        if proc.returncode != 0:
            raise RuntimeError(f"ingest worker failed on {url}: {err[-2000:]}")
        elapsed, count = out.split()
        seconds, added = max(seconds, float(elapsed)), added + int(count)
    if added != len({f for files in file_lists for f in files}):
        raise RuntimeError(f"{added} articles added for {len(file_lists[0])} files: lost or duplicated some")
    return seconds


def run() -> None:
    from store.pgcluster import PostgresUnavailable, ThrowawayPostgres

    readings, pipeline_rate = _readings()
    backends: dict[str, callable] = {}
    scratch = Path(tempfile.mkdtemp(prefix="clashmap-bench-"))
    counter = iter(range(1000))
    backends["SQLite (WAL)"] = lambda: f"sqlite:///{scratch / f'{next(counter)}.sqlite'}"
    server = None
    try:
        server = ThrowawayPostgres(durable=True)
        server.start()
        backends[f"PostgreSQL {server.bin.parent.name}"] = lambda: server.create_database(f"b{next(counter)}")
    except PostgresUnavailable as err:
        print(f"PostgreSQL skipped: {err}")
    files = _file_copies(scratch / "articles", copies=4)
    rows = []
    try:
        for name, new_url in backends.items():
            # best of 2 runs each, on a fresh store every time: other work on the machine only slows runs down
            store_rate = max(_store_only(new_url(), readings) for _ in range(2))
            one = min(_ingest(new_url(), [files], scratch) for _ in range(2))
            two = min(_ingest(new_url(), [files, list(reversed(files))], scratch) for _ in range(2))
            rows.append((name, store_rate, len(files) / one, len(files) / two))
    finally:
        if server:
            server.stop()
    print(f"{len(readings)} sample articles ({len(files)} files for the ingest runs); pipeline alone {pipeline_rate:.1f} articles/s in this process; "
          f"store-only figures over {len(readings) * REPEATS} stored readings")
    print("| database | store only (articles/s) | ingest, 1 process (articles/s) | "
          "ingest, 2 processes on the same files (distinct articles/s) |")
    print("|---|---|---|---|")
    for name, store_rate, one, two in rows:
        print(f"| {name} | {store_rate:.0f} | {one:.1f} | {two:.1f} |")
    print("Reference: ~14 articles/s for the full pipeline on one core (STACK-NOTES); two processes split the "
          "same files, so their figure counts each article once.")


if __name__ == "__main__":
    if sys.argv[1:2] == ["worker"]:
        _worker(sys.argv[2], sys.argv[3])
    else:
        run()
