"""`clashmap worker` processes on the test PostgreSQL server share the follow work (clashmap/worker.py).

Two real worker processes, the local outlets of newsroom.py, procrastinate's queue in the test database
(migration 0006). One page is held open by its server until the test has killed (-9) the worker reading
it; the other worker must take the job over and read it, and every story must be read exactly once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

sys.path.insert(0, str(Path(__file__).parent))
from newsroom import MARKET, Route, article_page, build_newsroom  # noqa: E402

RUN = [sys.executable, "-m", "clashmap"]
ARTICLE_PATHS = ("/news/", "/story/", "/premium/", "/fr/")


def _env(url: str) -> dict[str, str]:
    return {**os.environ, "CLASHMAP_DB": url, "CLASHMAP_FOLLOW_HOST_GAP": "0.05", "CLASHMAP_FOLLOW_MAX_FAILURES": "2",
            "CLASHMAP_FOLLOW_MIN_WORDS": "40", "CLASHMAP_USER_AGENT": "clashmap-test/1.0 (worker test)",
            "CLASHMAP_WORKER_HEARTBEAT": "0.5", "CLASHMAP_WORKER_STALLED_AFTER": "3"}


def _wait_for(condition, timeout: float, what: str, workers=()):
    ends = time.monotonic() + timeout
    while time.monotonic() < ends:
        value = condition()
        if value:
            return value
        for proc, log in workers:
            if proc.poll() is not None and proc.returncode not in (-signal.SIGKILL,):
                pytest.fail(f"a worker exited ({proc.returncode}) while waiting for {what}: {log.read_text()[-2000:]}")
        time.sleep(0.2)
    logs = "\n".join(log.read_text()[-1500:] for _, log in workers)
    pytest.fail(f"timed out waiting for {what}\n{logs}")


def test_worker_on_sqlite_says_in_one_line_that_it_needs_postgresql(sqlite_url):
    done = subprocess.run([*RUN, "worker"], env=_env(sqlite_url), capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "needs a PostgreSQL store" in done.stderr and "Traceback" not in done.stderr
    queued = subprocess.run([*RUN, "follow", "--queue", "--once"], env=_env(sqlite_url), capture_output=True,
                            text=True, timeout=120)
    assert queued.returncode == 1 and "needs a PostgreSQL store" in queued.stderr


@pytest.mark.postgres
def test_two_workers_read_each_article_once_and_finish_the_job_of_a_killed_one(postgres_url, tmp_path):
    from store.db import open_store
    from store.schema import Article, FetchedPage
    from store.sources import add_source

    outlets = build_newsroom()
    a, b = outlets["a"], outlets["b"]
    release = threading.Event()
    b.routes["/story/slow"] = Route(article_page("Market reopens", MARKET), hold=release)
    workers = []
    try:
        sessions = open_store(postgres_url)
        add_source(sessions, "Outlet A", f"{a.url}/rss.xml")
        add_source(sessions, "Outlet B", f"{b.url}/atom.xml")
        add_source(sessions, "Outlet B sitemap", f"{b.url}/sitemap.xml", kind="sitemap")
        add_source(sessions, "Outlet B slow page", f"{b.url}/story/slow", kind="page")
        add_source(sessions, "Outlet D busy", f"{outlets['d'].url}/feed.xml")
        env = _env(postgres_url)

        queued = subprocess.run([*RUN, "follow", "--queue", "--once"], env=env, capture_output=True, text=True,
                                timeout=120)
        assert queued.returncode == 0, queued.stderr
        assert "deferred 5 source polls" in queued.stdout
        for n in range(2):
            log = tmp_path / f"worker{n}.log"
            with open(log, "w") as out:
                proc = subprocess.Popen([*RUN, "worker"], env=env, stdout=out, stderr=subprocess.STDOUT)
            workers.append((proc, log))

        # the slow page is being fetched (its server holds the answer): kill -9 the worker fetching it
        _wait_for(lambda: "/story/slow" in b.paths(), 240, "the slow page to be asked for", workers)
        holder = _wait_for(lambda: next((w for w in workers if "/story/slow" in w[1].read_text()), None), 30,
                           "the worker log naming the slow page", workers)
        holder[0].send_signal(signal.SIGKILL)
        holder[0].wait(30)
        release.set()
        survivor = next(w for w in workers if w is not holder)

        def settled():
            with sessions() as session:
                open_jobs = session.scalar(text("SELECT count(*) FROM procrastinate_jobs WHERE status IN ('todo', 'doing') "
                                                "AND (scheduled_at IS NULL OR scheduled_at <= now())"))
                slow = session.scalar(select(FetchedPage.status).where(FetchedPage.url == f"{b.url}/story/slow"))
            return open_jobs == 0 and slow == "article"

        _wait_for(settled, 240, "the other worker to finish the killed worker's job and every other job", [survivor])

        # the killed worker's job was given back and run again: the slow page asked for twice, read once
        assert b.paths().count("/story/slow") == 2
        assert "given back to the queue" in survivor[1].read_text()
        # every other article page fetched once across both workers
        pages = [p for o in outlets.values() for p in o.paths() if p.startswith(ARTICLE_PATHS) and p != "/story/slow"]
        assert pages and sorted(pages) == sorted(set(pages))
        with sessions() as session:
            articles = session.scalars(select(Article.url)).all()
            statuses = dict(session.execute(select(FetchedPage.url, FetchedPage.status)).all())
            failed_jobs = session.scalar(text("SELECT count(*) FROM procrastinate_jobs WHERE status = 'failed'"))
        # four stories, each read once: shelling, air strike, clashes (behind a redirect), and the slow page's
        assert sorted(articles) == sorted(set(articles)) and len(articles) == 4
        assert f"{b.url}/story/slow" in articles
        assert statuses[f"{a.url}/private/report"] == "blocked" and statuses[f"{a.url}/premium/3"] == "teaser"
        assert sorted(statuses[u] for u in (f"{a.url}/news/1", f"{b.url}/story/a", f"{b.url}/story/c")) == \
            ["article", "duplicate", "duplicate"]
        assert failed_jobs == 0
    finally:
        release.set()
        for proc, _ in workers:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(30)
                except subprocess.TimeoutExpired:
                    proc.kill()
        for outlet in outlets.values():
            outlet.close()


@pytest.mark.postgres
def test_follow_queue_defers_one_waiting_job_per_source_however_often_it_runs(postgres_url):
    from clashmap.worker import queue_app, queue_round
    from store.db import open_store
    from store.sources import add_source

    sessions = open_store(postgres_url)
    add_source(sessions, "Wire one", "http://127.0.0.1:9/one.xml")
    add_source(sessions, "Wire two", "http://localhost:9/two.xml")
    queue = queue_app(postgres_url)
    with queue.open():
        assert queue_round(sessions, queue) == (2, 0)
        assert queue_round(sessions, queue) == (0, 0)  # already waiting: not deferred again
    with sessions() as session:
        jobs = session.execute(text("SELECT task_name, queueing_lock, lock FROM procrastinate_jobs ORDER BY id")).all()
    assert [tuple(j) for j in jobs] == [("clashmap.poll_source", "source:1", "host:http://127.0.0.1:9"),
                                        ("clashmap.poll_source", "source:2", "host:http://localhost:9")]
