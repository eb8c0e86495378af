"""Many machines: `clashmap follow --queue` defers the work, `clashmap worker` processes do it (PostgreSQL only).

The queue is procrastinate's (its schema is applied by store migration 0006). Two tasks:

- `clashmap.poll_source(source_id)`: poll one due source (conditional GET, the feed or sitemap read as
  in `clashmap follow`); each new link becomes a queued page (one `fetched_pages` row per normalised URL,
  whoever found it first) and a `read_page` job;
- `clashmap.read_page(page_id)`: fetch one page and read it through the ingest path.

Each job carries a queueing lock (`source:ID`, `page:ID`): one waiting job per source or page, however
often the scheduler looks. Each job also carries the lock of its host (`host:http://name:port`), so the
jobs of one host run one after the other across every worker: one connection per host, as in a single
`clashmap follow`. A page is taken by its job (status fetching) and ends in one final status; the text
is checked against every stored article under the store's reading lock, so a story is read once however
many workers run. Due times stay in the store (a 429's Retry-After, the backoff after failures, the poll
interval): `clashmap follow --queue` defers what is due, each round.

A worker killed mid-job (kill -9, a machine lost) stops sending heartbeats; after `worker_stalled_after`
seconds any other worker gives its running jobs back to the queue (procrastinate's stalled jobs,
`retry_job`), and the page, still "fetching", is fetched and read by the next worker.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
from datetime import timedelta

import procrastinate
from procrastinate import exceptions as queue_errors
from procrastinate.tasks import configure_task
from sqlalchemy import or_, select, update

from articles.fetch import host_of
from clashmap.errors import ConfigError
from clashmap.follow import DONE, Follower, RoundReport, Task, _aware, _due_page, _now
from clashmap.settings import get_settings
from store.db import run_transaction
from store.schema import FetchedPage, Source

log = logging.getLogger(__name__)
QUEUE = "clashmap-follow"
POLL_SOURCE = "clashmap.poll_source"
READ_PAGE = "clashmap.read_page"

# the tasks are declared on a connector-less app; `queue_app(url)` gives the same tasks a real connector
app = procrastinate.App(connector=procrastinate.PsycopgConnector())


def _conninfo(url: str) -> str:
    """The libpq address of a SQLAlchemy PostgreSQL URL (driver name dropped, password kept)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


def require_postgres(url: str, command: str) -> None:
    if not url.startswith("postgresql"):
        raise ConfigError(f"{command} needs a PostgreSQL store (CLASHMAP_DB is {url.split(':', 1)[0]}): "
                          f"on SQLite one `clashmap follow` process does all the work")


def queue_app(url: str) -> procrastinate.App:
    return app.with_connector(procrastinate.PsycopgConnector(conninfo=_conninfo(url)))


def _defer(queue: procrastinate.App, task: str, key: str, url: str, **kwargs) -> bool:
    """Defer one job unless one is already waiting for the same source or page; True when deferred."""
    try:
        # through this app's own job manager (the task objects belong to the connector-less `app`)
        configure_task(name=task, job_manager=queue.job_manager, queue=QUEUE, queueing_lock=key,
                       lock=f"host:{host_of(url)}").defer(**kwargs)
        return True
    except queue_errors.AlreadyEnqueued:
        return False


class QueueFollower(Follower):
    """The Follower of one worker process: one job = one source polled or one page read."""

    def __init__(self, sessions, queue: procrastinate.App) -> None:
        super().__init__(sessions)
        self.queue = queue

    def _claim(self, page_id: int) -> bool:
        """Take the page for this job: a due queued page, or one left "fetching" by a worker killed meanwhile
        (its job is the one running now: the host lock lets no other job of that page run at the same time)."""
        now = _now()
        lease = now + timedelta(seconds=max(120.0, self.settings.follow_deadline * 4))

        def work(session) -> bool:
            return session.execute(update(FetchedPage).where(FetchedPage.id == page_id).where(
                or_(_due_page(now), FetchedPage.status == "fetching")).values(status="fetching", next_try=lease)
            ).rowcount == 1

        return run_transaction(self.sessions, work)

    def _queue(self, source_id: int, links, report: RoundReport, polled: bool = False) -> list[Task]:
        for task in super()._queue(source_id, links, report, polled=polled):
            _defer(self.queue, READ_PAGE, f"page:{task.page_id}", task.url, page_id=task.page_id)
        return []  # read by the jobs, on whichever worker is free

    def poll(self, source_id: int) -> RoundReport:
        report = RoundReport()
        now = _now()
        with self.sessions() as session:
            src = session.get(Source, source_id)
        if src is None or not src.enabled or (src.next_fetch is not None and _aware(src.next_fetch) > now):
            return report  # removed, disabled, or polled meanwhile by an earlier job
        if src.kind == "page":
            self._queue(src.id, [(src.url, None, None)], report, polled=True)
        else:
            self._run([Task("source", src.url, source_id=src.id)], report)
        return report

    def read(self, page_id: int) -> RoundReport:
        report = RoundReport()
        with self.sessions() as session:
            row = session.get(FetchedPage, page_id)
        if row is None or row.status in DONE or row.status in ("failed", "blocked"):
            return report
        self._run([Task("page", row.url, source_id=row.source_id, page_id=row.id)], report)
        return report


_follower: QueueFollower | None = None


def _worker_follower(context) -> QueueFollower:
    global _follower
    if _follower is None:
        from store.db import open_store

        _follower = QueueFollower(open_store(), context.app)
    return _follower


@app.task(name=POLL_SOURCE, queue=QUEUE, pass_context=True)
def poll_source(context, source_id: int) -> None:
    follower = _worker_follower(context)
    log.info("worker %s: polling source %s", os.getpid(), source_id)
    report = follower.poll(source_id)
    log.info("worker %s: source %s: %s", os.getpid(), source_id, report.summary())


@app.task(name=READ_PAGE, queue=QUEUE, pass_context=True)
def read_page(context, page_id: int) -> None:
    follower = _worker_follower(context)
    with follower.sessions() as session:
        url = session.scalar(select(FetchedPage.url).where(FetchedPage.id == page_id))
    log.info("worker %s: reading page %s %s", os.getpid(), page_id, url)
    report = follower.read(page_id)
    log.info("worker %s: page %s: %s", os.getpid(), page_id, ", ".join(report.outcomes) or "nothing to do")


# the scheduler: `clashmap follow --queue` ---------------------------------------------------------------
def queue_round(sessions, queue: procrastinate.App) -> tuple[int, int]:
    """Defer a job for every due source and every due page (not one already waiting); (sources, pages) deferred."""
    now = _now()
    with sessions() as session:
        sources = session.execute(select(Source.id, Source.url).where(Source.enabled.is_(True)).where(
            or_(Source.next_fetch.is_(None), Source.next_fetch <= now)).order_by(Source.id)).all()
        pages = session.execute(select(FetchedPage.id, FetchedPage.url).where(_due_page(now))
                                .order_by(FetchedPage.id)).all()
    polled = sum(_defer(queue, POLL_SOURCE, f"source:{sid}", url, source_id=sid) for sid, url in sources)
    read = sum(_defer(queue, READ_PAGE, f"page:{pid}", url, page_id=pid) for pid, url in pages)
    return polled, read


def follow_queue(sessions, url: str, *, once: bool = False, quiet: bool = False) -> int:
    require_postgres(url, "clashmap follow --queue")
    queue = queue_app(url)
    follower = Follower(sessions)  # only for its view of the next due time
    try:
        with queue.open():
            while True:
                polled, read = queue_round(sessions, queue)
                if not quiet:
                    print(f"follow --queue: deferred {polled} source polls and {read} page reads for the workers",
                          flush=True)
                if once:
                    return 0
                time.sleep(min(max(follower.seconds_to_next_due(), 1.0), 60.0))
    finally:
        follower.close()


# the worker: `clashmap worker` ---------------------------------------------------------------------------
async def _give_back_stalled(queue: procrastinate.App, every: float, stalled_after: float) -> None:
    """Every `every` seconds: the running jobs of workers silent for `stalled_after` seconds go back to the queue."""
    while True:
        await asyncio.sleep(every)
        try:
            for job in await queue.job_manager.get_stalled_jobs(seconds_since_heartbeat=stalled_after):
                try:
                    await queue.job_manager.retry_job(job)
                    log.warning("worker %s: job %s (%s %s) of a silent worker given back to the queue",
                                os.getpid(), job.id, job.task_name, job.task_kwargs)
                except queue_errors.ConnectorException:
                    pass  # another worker gave it back first
        except queue_errors.ConnectorException as err:
            log.warning("worker %s: could not look for stalled jobs: %s", os.getpid(), err)


def work(url: str) -> int:
    """Run jobs, one at a time, until SIGINT/SIGTERM (a running job is finished first); status 0.

    One job at a time per process (its Follower keeps the per-host gaps of one fetcher): run more
    processes, on this machine or others, for more at once."""
    require_postgres(url, "clashmap worker")
    settings = get_settings()
    from store.db import open_store

    global _follower
    queue = queue_app(url)
    # the store migrated (procrastinate's schema included) and the pipeline and spaCy loaded before the
    # first job: a worker that shows up in the queue is ready to read
    _follower = QueueFollower(open_store(url), queue)
    _follower.pipeline  # noqa: B018
    from geo.toponyms import load_ner

    load_ner()

    async def main() -> None:
        async with queue.open_async():
            rescuer = asyncio.create_task(_give_back_stalled(queue, settings.worker_heartbeat,
                                                             settings.worker_stalled_after))
            try:
                await queue.run_worker_async(
                    queues=[QUEUE], concurrency=1, name=f"{socket.gethostname()}-{os.getpid()}",
                    update_heartbeat_interval=settings.worker_heartbeat,
                    stalled_worker_timeout=settings.worker_stalled_after, install_signal_handlers=True,
                    delete_jobs="successful")  # the outcome is in fetched_pages; failed jobs stay, to be looked at
            finally:
                rescuer.cancel()

    asyncio.run(main())
    return 0
