"""`clashmap follow`: keep the store current from its sources, politely and without reading anything twice.

One round (`--once`, e.g. from cron) polls every due source (conditional GET with the stored ETag and
Last-Modified), queues the links of new feed and sitemap entries as pages (`fetched_pages`, status
queued), then fetches the queued pages and reads the new articles through the ingest path
(`clashmap.loading.ingest_one`), so their events appear on the map. Without `--once` the rounds go on,
the process idling until the next source or page is due.

Politeness (articles/fetch.py): robots.txt obeyed, one request at a time (so one connection per host),
`follow_host_gap` seconds or the Crawl-delay between two requests to a host, while other hosts are
asked meanwhile. A 429/503 is not waited for: the source (or page) is rescheduled after its Retry-After,
capped by `follow_retry_after_max`, and the rest of the round goes on. Other failures back off
(the poll interval doubled per failure in a row) and after `follow_max_failures` the source is disabled,
which `clashmap sources list` and the dashboard's Sources page show.

Each page ends as one status (store.schema.FetchedPage): article, duplicate (same normalised URL or
rel=canonical, same text, or a near-duplicate wire copy: linked to the first copy's article), teaser
(fewer than `follow_min_words` words: a paywall stub), language (not a language clashmap reads yet:
stored with its text, counted), rejected, blocked (robots.txt) or failed.

With PostgreSQL the same work can be spread over machines: `clashmap follow --queue` defers it as jobs and
`clashmap worker` processes run them (clashmap/worker.py, which reuses this Follower one job at a time).
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from urllib.parse import urljoin

from sqlalchemy import or_, select, text, update

from articles.dedup import NearDuplicates, content_hash, from_bytes, normalize_url, signature, to_bytes
from articles.feeds import FeedError, feed_entries, sitemap_entries
from articles.fetch import Fetcher, Response, host_of
from articles.pages import READ_LANGUAGES, compress, read_page
from clashmap.settings import get_settings
from store.db import run_transaction
from store.schema import Article, FetchedPage, Source

log = logging.getLogger(__name__)
REDIRECT = (301, 302, 303, 307, 308)
MAX_HOPS = 5
MAX_CHILD_SITEMAPS = 50  # child sitemaps followed per sitemap index and poll (one level: an index in a child is not)
READ_LOCK = 0x666F6C6C  # any fixed number: the PostgreSQL advisory lock serialising the storing of read pages
DONE = ("article", "duplicate", "teaser", "language", "rejected")  # a page in one of these was read once


def _due_page(now: datetime):
    """Pages to fetch: queued and due, or taken by a process whose lease ran out (killed mid-fetch)."""
    return or_((FetchedPage.status == "queued") & (FetchedPage.next_try.is_(None) | (FetchedPage.next_try <= now)),
               (FetchedPage.status == "fetching") & (FetchedPage.next_try <= now))


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _aware(when: datetime | None) -> datetime | None:
    # SQLite gives back naive datetimes; everything clashmap stores is UTC
    return when.replace(tzinfo=timezone.utc) if when is not None and when.tzinfo is None else when


@dataclass
class Task:
    kind: str  # "source" | "page"
    url: str
    source_id: int | None = None
    page_id: int | None = None
    hops: int = 0
    child: bool = False  # a child sitemap of the source's sitemap index: no validators of its own, not counted


@dataclass
class RoundReport:
    polled: int = 0
    not_modified: int = 0
    pages: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    deferred: int = 0
    errors: list[str] = field(default_factory=list)

    def note(self, status: str) -> None:
        self.outcomes[status] = self.outcomes.get(status, 0) + 1

    def summary(self) -> str:
        counts = ", ".join(f"{k} {v}" for k, v in sorted(self.outcomes.items())) or "no pages read"
        line = (f"follow: polled {self.polled} sources ({self.not_modified} unchanged), fetched {self.pages} pages: "
                f"{counts}; {self.deferred} left for later")
        return line + (f"; {len(self.errors)} errors: " + "; ".join(self.errors[:5]) if self.errors else "")


class Follower:
    def __init__(self, sessions, fetcher: Fetcher | None = None) -> None:
        self.sessions = sessions
        self.settings = get_settings()
        self.fetcher = fetcher or Fetcher()
        self._pipeline = None
        self._near: NearDuplicates | None = None
        self._near_checked = _now()

    def close(self) -> None:
        self.fetcher.close()

    # the round ------------------------------------------------------------------------------------
    def run_once(self) -> RoundReport:
        report = RoundReport()
        now = _now()
        with self.sessions() as session:
            sources = session.scalars(select(Source).where(Source.enabled.is_(True)).where(
                or_(Source.next_fetch.is_(None), Source.next_fetch <= now)).order_by(Source.id)).all()
            pages = session.scalars(select(FetchedPage).where(_due_page(now)).order_by(FetchedPage.id)).all()
        pending: list[Task] = []
        for src in sources:
            if src.kind == "page":
                pending.extend(self._queue(src.id, [(src.url, None, None)], report, polled=True))
            else:
                pending.append(Task("source", src.url, source_id=src.id))
        pending.extend(Task("page", p.url, source_id=p.source_id, page_id=p.id) for p in pages)
        self._run(pending, report)
        return report

    def _run(self, pending: list[Task], report: RoundReport) -> None:
        fetcher = self.fetcher
        while pending:
            clock = time.monotonic()
            # the first task whose host may be asked now, else the one whose host is free soonest
            index = min(range(len(pending)), key=lambda i: (max(fetcher.ready_at(pending[i].url), clock), i))
            task = pending[index]
            if fetcher.blocked_until(task.url) > clock:  # a Retry-After: rescheduled, not waited for
                pending.pop(index)
                self._defer(task, fetcher.blocked_until(task.url) - clock, report)
                continue
            wait = fetcher.ready_at(task.url) - clock
            if wait > 0:
                time.sleep(wait)  # the host gap; every other host is busier still
                continue
            if fetcher.needs_robots(task.url):
                fetcher.load_robots(task.url)
                continue
            pending.pop(index)
            try:
                more = self._poll(task, report) if task.kind == "source" else self._page(task, report)
            except Exception as err:  # noqa: BLE001: one source's or page's failure is recorded, the round goes on
                if isinstance(err, (KeyboardInterrupt, SystemExit)):
                    raise
                from clashmap.errors import StoreError
                if isinstance(err, StoreError):
                    raise
                log.exception("follow: %s", task.url)
                problem = f"{type(err).__name__}: {' '.join(str(err).split())}"[:300]
                report.errors.append(f"{task.url}: {problem}")
                if task.kind == "page":  # recorded, not tried again and again
                    self._update_page(task.page_id, lambda p: (setattr(p, "status", "failed"),
                                                               setattr(p, "note", f"could not be read: {problem}")))
                else:
                    self._source_failed(task.source_id, "error", f"{task.url}: {problem}", report)
                more = []
            pending.extend(more)

    def _defer(self, task: Task, seconds: float, report: RoundReport) -> None:
        report.deferred += 1
        when = _now() + timedelta(seconds=seconds)
        if task.kind == "source":
            self._update_source(task.source_id, lambda s: setattr(s, "next_fetch", when))
        else:
            self._update_page(task.page_id, lambda p: setattr(p, "next_try", when))

    def _claim(self, page_id: int) -> bool:
        """Take a due page for this process (status fetching, for a lease): False when another process has it.

        Two `clashmap follow` processes on one store (an overlapping cron round) never fetch one page twice;
        a process killed meanwhile leaves a lease that runs out, and the page is due again."""
        now = _now()
        lease = now + timedelta(seconds=max(120.0, self.settings.follow_deadline * 4))

        def work(session) -> bool:
            return session.execute(update(FetchedPage).where(FetchedPage.id == page_id).where(_due_page(now))
                                   .values(status="fetching", next_try=lease)).rowcount == 1

        return run_transaction(self.sessions, work)

    # sources --------------------------------------------------------------------------------------
    def _update_source(self, source_id: int | None, change) -> None:
        if source_id is None:
            return

        def work(session):
            row = session.get(Source, source_id)
            if row is not None:
                change(row)

        run_transaction(self.sessions, work)

    def _source_failed(self, source_id: int, status: str, problem: str, report: RoundReport) -> None:
        settings = self.settings
        now = _now()

        def change(row: Source) -> None:
            row.failures += 1
            row.last_fetch, row.last_status, row.new_articles = now, status, 0
            row.last_error = problem[:500]
            row.next_fetch = now + timedelta(seconds=min(settings.follow_interval * 2 ** (row.failures - 1), 86_400))
            if row.failures >= settings.follow_max_failures:
                row.enabled = False
                row.last_error = (f"{problem} (disabled after {row.failures} failures in a row; "
                                  f"`clashmap sources enable {row.name}` tries again)")[:500]

        self._update_source(source_id, change)
        report.errors.append(problem)

    def _poll(self, task: Task, report: RoundReport) -> list[Task]:
        with self.sessions() as session:
            src = session.get(Source, task.source_id)
        if src is None or not src.enabled:
            return []
        if task.hops == 0 and not task.child:
            report.polled += 1
        if not self.fetcher.allowed(task.url):
            self._source_failed(src.id, "robots", f"{src.name}: robots.txt of {host_of(task.url)} disallows "
                                                  f"{task.url}", report)
            return []
        first = task.hops == 0 and not task.child
        answer = self.fetcher.get(task.url, etag=src.etag if first else None,
                                  last_modified=src.last_modified if first else None)
        now = _now()
        if answer.status in REDIRECT and answer.location:
            if task.hops >= MAX_HOPS:
                self._source_failed(src.id, str(answer.status), f"{src.name}: more than {MAX_HOPS} redirects", report)
                return []
            return [Task("source", answer.location, source_id=src.id, hops=task.hops + 1, child=task.child)]
        if answer.status == 304:
            report.not_modified += 1

            def unchanged(row: Source) -> None:
                row.last_fetch, row.last_status, row.failures, row.last_error, row.new_articles = now, "304", 0, None, 0
                row.next_fetch = now + timedelta(seconds=self.settings.follow_interval)

            self._update_source(src.id, unchanged)
            return []
        if answer.status in (429, 503):
            pause = self.fetcher.pause_for(answer)

            def later(row: Source) -> None:
                row.last_fetch, row.last_status = now, str(answer.status)
                row.last_error = (f"HTTP {answer.status}: asked to wait "
                                  f"{'%g s' % answer.retry_after if answer.retry_after is not None else '(no Retry-After)'}"
                                  f"; next try in {pause:g} s")
                row.next_fetch = now + timedelta(seconds=pause)

            self._update_source(src.id, later)
            report.errors.append(f"{src.name}: HTTP {answer.status}, rescheduled in {pause:g} s")
            return []
        if answer.status != 200 and task.child:  # one broken child sitemap: noted, the source goes on
            report.errors.append(f"{src.name}: {answer.error or f'HTTP {answer.status}'} from child sitemap {task.url}")
            return []
        if answer.status != 200:
            why = answer.error or f"HTTP {answer.status}"
            self._source_failed(src.id, str(answer.status or "error"), f"{src.name}: {why} from {task.url}", report)
            return []
        try:
            entries = sitemap_entries(answer.body) if src.kind == "sitemap" else feed_entries(
                answer.body, task.url, answer.headers.get("content-type"))
        except FeedError as err:
            if task.child:
                report.errors.append(f"{src.name}: {err} at child sitemap {task.url}")
            else:
                self._source_failed(src.id, "200", f"{src.name}: {err} at {task.url}", report)
            return []
        children = [Task("source", urljoin(task.url, e.url), source_id=src.id, child=True)
                    for e in entries if e.sitemap and not task.child][:MAX_CHILD_SITEMAPS]
        entries = [e for e in entries if not e.sitemap]
        if task.child:
            return self._queue(src.id, [(urljoin(task.url, e.url), e.title, e.published) for e in entries], report)

        def fetched(row: Source) -> None:
            row.last_fetch, row.last_status, row.failures, row.last_error, row.new_articles = now, "200", 0, None, 0
            row.etag = (answer.headers.get("etag") or "")[:300] or None
            row.last_modified = (answer.headers.get("last-modified") or "")[:100] or None
            row.next_fetch = now + timedelta(seconds=self.settings.follow_interval)

        self._update_source(src.id, fetched)
        return self._queue(src.id, [(urljoin(task.url, e.url), e.title, e.published) for e in entries],
                           report) + children

    def _queue(self, source_id: int, links, report: RoundReport, polled: bool = False) -> list[Task]:
        """New links as queued pages (one row per normalised URL, whoever found it first); their tasks."""
        links = [(normalize_url(url), title, published) for url, title, published in links
                 if url.lower().startswith(("http://", "https://"))]
        now = _now()

        def work(session) -> list[tuple[int, str]]:
            added = []
            for url, title, published in links:
                known = session.scalar(select(FetchedPage.id).where(
                    or_(FetchedPage.url == url, FetchedPage.canonical == url)).limit(1))
                if known is not None or any(url == u for _, u in added):
                    continue
                row = FetchedPage(url=url[:1000], source_id=source_id, status="queued", title=(title or "")[:500] or None,
                                  published=(published or "")[:40] or None, attempts=0, fetched_at=now)
                session.add(row)
                session.flush()
                added.append((row.id, row.url))
            if polled:
                src = session.get(Source, source_id)
                src.last_fetch, src.last_status, src.new_articles = now, "queued" if added else "known", 0
                src.next_fetch = now + timedelta(seconds=self.settings.follow_interval)
            return added

        if polled:
            report.polled += 1
        return [Task("page", url, source_id=source_id, page_id=page_id)
                for page_id, url in run_transaction(self.sessions, work)]

    # pages ----------------------------------------------------------------------------------------
    def _update_page(self, page_id: int | None, change) -> None:
        def work(session):
            row = session.get(FetchedPage, page_id)
            if row is not None:
                change(row)

        run_transaction(self.sessions, work)

    def _page(self, task: Task, report: RoundReport) -> list[Task]:
        with self.sessions() as session:
            row = session.get(FetchedPage, task.page_id)
            src = session.get(Source, row.source_id) if row is not None and row.source_id else None
        if row is None or (task.hops == 0 and not self._claim(row.id)):
            return []  # taken or read meanwhile by another process
        if not self.fetcher.allowed(task.url):
            self._finish(row, src, "blocked", report, note="robots.txt disallows it: not fetched")
            return []
        answer = self.fetcher.get(task.url)
        report.pages += 1
        if answer.status in REDIRECT and answer.location:
            target = normalize_url(answer.location)
            with self.sessions() as session:
                known = session.scalar(select(FetchedPage).where(FetchedPage.id != row.id).where(
                    or_(FetchedPage.url == target, FetchedPage.canonical == target)).limit(1))
            if known is not None and known.status in DONE:
                self._finish(row, src, "duplicate", report, article_id=known.article_id, canonical=target,
                             note=f"redirects to {target}, read before")
                return []
            if task.hops >= MAX_HOPS:
                self._finish(row, src, "failed", report, note=f"more than {MAX_HOPS} redirects")
                return []
            return [Task("page", answer.location, source_id=task.source_id, page_id=row.id, hops=task.hops + 1)]
        if answer.status in (429, 503):
            pause = self.fetcher.pause_for(answer)
            when = _now() + timedelta(seconds=pause)

            def later(page: FetchedPage) -> None:
                page.status, page.next_try, page.note = "queued", when, f"HTTP {answer.status}: next try in {pause:g} s"

            self._update_page(row.id, later)
            report.deferred += 1
            return []
        if answer.status != 200:
            problem = answer.error or f"HTTP {answer.status}"
            gone = answer.status in (404, 410)
            attempts = row.attempts + 1

            if gone or attempts >= self.settings.follow_max_failures:
                self._finish(row, src, "failed", report, note=f"{problem} (after {attempts} tries)" if not gone
                             else problem)
            else:
                when = _now() + timedelta(seconds=min(self.settings.follow_interval * 2 ** (attempts - 1), 86_400))

                def again(page: FetchedPage) -> None:
                    page.status, page.attempts, page.next_try = "queued", attempts, when
                    page.note = f"{problem}; try {attempts}"

                self._update_page(row.id, again)
                report.errors.append(f"{task.url}: {problem}")
            return []
        return self._read(row, src, answer, report)

    def _read(self, row: FetchedPage, src: Source | None, answer: Response, report: RoundReport) -> list[Task]:
        page = read_page(answer.body, answer.url)
        raw = compress(answer.body)
        canonical = normalize_url(urljoin(answer.url, page.canonical)) if page.canonical else normalize_url(answer.url)
        published = page.published or row.published
        common = dict(raw=raw, canonical=canonical[:1000], published=(published or "")[:40] or None,
                      title=(page.title or row.title or "")[:500] or None, language=page.language)
        if canonical != row.url:
            with self.sessions() as session:
                known = session.scalar(select(FetchedPage).where(FetchedPage.id != row.id).where(
                    FetchedPage.status.in_(DONE)).where(
                    or_(FetchedPage.url == canonical, FetchedPage.canonical == canonical)).limit(1))
            if known is not None:
                self._finish(row, src, "duplicate", report, article_id=known.article_id,
                             note=f"the same page as {known.url} (rel=canonical)", **common)
                return []
        if page.words < self.settings.follow_min_words:
            self._finish(row, src, "teaser", report, text=page.text,
                         note=f"{page.words} words: a teaser or paywall stub, not read", **common)
            return []
        if page.language not in READ_LANGUAGES:
            self._finish(row, src, "language", report, text=page.text,
                         note=f"language {page.language!r}: stored, not read (clashmap reads "
                              f"{', '.join(READ_LANGUAGES)})", **common)
            return []
        digest, sig = content_hash(page.text), signature(page.text)
        if self._earlier_copy(row, src, digest, sig, report, common):
            return []
        article, reading, reason = self._read_article(page, row, src, published, canonical)
        if reading is None:
            self._finish(row, src, "rejected", report, content_hash=digest, text=page.text, note=reason, **common)
            return []
        # the reading (the slow part) ran outside the lock, so workers read in parallel; the check for an
        # earlier copy and the storing are one step across processes: two followers storing two copies of one
        # story at the same moment would otherwise both store it
        with self._reading():
            if self._earlier_copy(row, src, digest, sig, report, common):
                return []
            from clashmap.loading import store_one

            outcome, reason = store_one(reading, self.sessions, canonical)
            if outcome == "rejected":
                self._finish(row, src, "rejected", report, content_hash=digest, text=page.text, note=reason, **common)
                return []
            self._finish(row, src, "article" if outcome == "added" else "duplicate", report,
                         article_id=article.id, content_hash=digest, minhash=to_bytes(sig), **common)
            if outcome == "added":
                self.near.add(article.id, sig)
            return []

    def _earlier_copy(self, row: FetchedPage, src: Source | None, digest: str, sig, report: RoundReport,
                      common: dict) -> bool:
        """An article with the same text, or a near-duplicate of one (a wire copy), was read before: noted."""
        with self.sessions() as session:
            same = session.get(Article, digest)
        if same is not None:
            self._finish(row, src, "duplicate", report, article_id=digest, content_hash=digest,
                         note="the same text as an article read before", **common)
            return True
        near = self._refreshed_near().find(sig)
        if near is not None:
            self._finish(row, src, "duplicate", report, article_id=near, content_hash=digest,
                         note="a near-duplicate (wire copy) of an article read before", **common)
            return True
        return False

    def _read_article(self, page, row: FetchedPage, src: Source | None, published: str | None, url: str):
        """(article, reading, None), or (None, None, why it is rejected); nothing is stored."""
        from articles.reader import read_text
        from clashmap.errors import RecordError
        from clashmap.loading import read_one

        day = None
        if published:
            try:
                day = date.fromisoformat(published[:10])
            except ValueError:
                day = None
        try:
            article = read_text(page.text, url, outlet=src.name if src else None,
                                title=(page.title or row.title or None), url=url, published=day)
        except RecordError as err:
            return None, None, str(err)
        reading, reason = read_one(article, self.sessions, self.pipeline, url)
        return article, reading, reason

    def _finish(self, row: FetchedPage, src: Source | None, status: str, report: RoundReport, **values) -> None:
        now = _now()
        counter = {"article": "articles", "duplicate": "duplicates", "teaser": "teasers",
                   "language": "unread_language"}.get(status)

        def work(session) -> None:
            page = session.get(FetchedPage, row.id)
            if page is None:
                return
            page.status, page.fetched_at, page.next_try = status, now, None
            for key, value in values.items():
                setattr(page, key, value)
            source = session.get(Source, src.id) if src is not None else None
            if source is not None and counter:
                setattr(source, counter, getattr(source, counter) + 1)
                if status == "article":
                    source.new_articles += 1

        run_transaction(self.sessions, work)
        report.note(status)

    # lazily made: the pipeline loads spaCy, the index reads every stored signature ----------------
    @property
    def pipeline(self):
        if self._pipeline is None:
            from clashmap.pipeline import Pipeline

            self._pipeline = Pipeline(self.sessions)
        return self._pipeline

    @property
    def near(self) -> NearDuplicates:
        return self._near if self._near is not None else self._refreshed_near()

    def _refreshed_near(self) -> NearDuplicates:
        """The index with every article read so far, by any process (the new ones since the last look)."""
        if self._near is None:
            self._near, since = NearDuplicates(), None
        else:
            since = self._near_checked - timedelta(minutes=10)  # margin for clocks of other machines
        self._near_checked = _now()
        query = select(FetchedPage.article_id, FetchedPage.minhash).where(FetchedPage.status == "article").where(
            FetchedPage.minhash.is_not(None))
        if since is not None:
            query = query.where(FetchedPage.fetched_at >= since)
        with self.sessions() as session:
            for article_id, raw in session.execute(query):
                if article_id:
                    self._near.add(article_id, from_bytes(raw))
        return self._near

    @contextlib.contextmanager
    def _reading(self):
        """Hold the store's follow lock (the second check for an earlier copy and the storing of a reading): a
        PostgreSQL advisory lock, or a lock file beside the SQLite file."""
        engine = self.sessions.kw["bind"]
        if engine.dialect.name == "postgresql":
            with engine.connect() as conn:
                conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": READ_LOCK})
                conn.commit()
                try:
                    yield
                finally:
                    conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": READ_LOCK})
                    conn.commit()
            return
        database = engine.url.database
        if not database or database == ":memory:" or database.startswith("file:"):
            yield
            return
        with open(f"{database}-follow-lock", "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def seconds_to_next_due(self) -> float:
        from sqlalchemy import func

        with self.sessions() as session:
            times = [session.scalar(select(func.min(Source.next_fetch)).where(Source.enabled.is_(True))),
                     session.scalar(select(func.min(FetchedPage.next_try)).where(
                         FetchedPage.status.in_(("queued", "fetching"))))]
        times = [_aware(t) for t in times if t is not None]
        if not times:
            return 60.0
        return max(0.0, (min(times) - _now()).total_seconds())


def follow(sessions, *, once: bool = False, quiet: bool = False) -> int:
    """Rounds until interrupted (or one with `once`); status 0 (problems are per source and shown)."""
    follower = Follower(sessions)
    try:
        while True:
            report = follower.run_once()
            if not quiet:
                print(report.summary(), flush=True)
            if once:
                return 0
            time.sleep(min(max(follower.seconds_to_next_due(), 1.0), 60.0))
    finally:
        follower.close()
