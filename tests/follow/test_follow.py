"""clashmap follow against local outlets (tests/follow/newsroom.py), once on SQLite and once on PostgreSQL."""

from __future__ import annotations

import gzip
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

sys.path.insert(0, str(Path(__file__).parent))
from newsroom import AIRSTRIKE, SHELLING, build_newsroom  # noqa: E402

GAP = 0.05  # follow_host_gap for the tests; outlet a's robots.txt asks for 0.3 s
CRAWL_DELAY = 0.3


@pytest.fixture
def newsroom():
    outlets = build_newsroom()
    yield outlets
    for outlet in outlets.values():
        outlet.close()


@pytest.fixture
def follow_env(monkeypatch):
    monkeypatch.setenv("CLASHMAP_FOLLOW_HOST_GAP", str(GAP))
    monkeypatch.setenv("CLASHMAP_FOLLOW_MAX_FAILURES", "2")
    monkeypatch.setenv("CLASHMAP_FOLLOW_MIN_WORDS", "40")
    monkeypatch.setenv("CLASHMAP_USER_AGENT", "clashmap-test/1.0 (newsroom test)")


def _add_sources(sessions, rooms):
    from store.sources import add_source

    a, b, c = rooms["a"], rooms["b"], rooms["c"]
    add_source(sessions, "Outlet A", f"{a.url}/rss.xml", kind="feed", country="IQ", language="en",
               affiliation="independent")
    add_source(sessions, "Outlet B", f"{b.url}/atom.xml", kind="feed", affiliation="state media")
    add_source(sessions, "Outlet B sitemap", f"{b.url}/sitemap.xml", kind="sitemap")
    add_source(sessions, "Outlet D busy", f"{rooms['d'].url}/feed.xml")
    add_source(sessions, "Outlet D later", f"{rooms['d'].url}/later.xml")
    add_source(sessions, "Outlet C malformed", f"{c.url}/bad.xml")
    add_source(sessions, "Outlet C down", f"{c.url}/down.xml")


def _pages(sessions):
    from store.schema import FetchedPage

    with sessions() as session:
        return {p.url.split("/", 3)[3] + ("@" + p.url.split(":")[2].split("/")[0]): p
                for p in session.scalars(select(FetchedPage))}


def _by_path(sessions, outlet, path):
    from store.schema import FetchedPage

    with sessions() as session:
        return session.scalar(select(FetchedPage).where(FetchedPage.url == f"{outlet.url}{path}"))


def _source(sessions, name):
    from store.schema import Source

    with sessions() as session:
        return session.scalar(select(Source).where(Source.name == name))


def test_follow_reads_each_story_once_and_politely(sessions, newsroom, follow_env):
    from clashmap.follow import Follower
    from store.schema import Article, EventSource

    a, b, c = newsroom["a"], newsroom["b"], newsroom["c"]
    _add_sources(sessions, newsroom)
    follower = Follower(sessions)
    try:
        round1 = follower.run_once()
    finally:
        follower.close()

    # robots.txt read first, the disallowed page never asked for
    assert a.paths()[0] == "/robots.txt"
    assert not [p for p in a.paths() if p.startswith("/private/")]
    assert _by_path(sessions, a, "/private/report").status == "blocked"
    # the identifying user agent on every request
    assert {hit.headers.get("user-agent") for o in newsroom.values() for hit in o.hits} == \
        {"clashmap-test/1.0 (newsroom test)"}
    # one request at a time per host, and the gap (Crawl-delay on a, the setting elsewhere) observed by the server
    for outlet, least in ((a, CRAWL_DELAY), (b, GAP), (c, GAP), (newsroom["d"], GAP)):
        times = [hit.at for hit in outlet.hits]
        assert len(times) >= 2
        assert min(y - x for x, y in zip(times, times[1:])) >= least * 0.95, outlet.url

    # utm links and fragments are one page: /news/1 fetched once
    assert a.paths().count("/news/1") == 1
    with sessions() as session:
        articles = {row.url: row for row in session.scalars(select(Article))}
        events = session.scalar(select(func.count()).select_from(EventSource))
    # three stories read (the shelling, the air strike, the clashes behind a redirect), each once, from
    # whichever copy came first; the other copies (a near-duplicate wire copy, an exact copy behind an fbclid
    # link, a page with the same text) are linked to it, not read
    assert len(articles) == 3 and f"{a.url}/news/5" in articles  # the redirect's target
    assert events >= 2  # they went through the pipeline: events on the map
    for copies in (((a, "/news/1"), (b, "/story/a"), (b, "/story/c")), ((a, "/news/2"), (b, "/story/b"))):
        pages = [_by_path(sessions, outlet, path) for outlet, path in copies]
        assert sorted(p.status for p in pages) == ["article"] + ["duplicate"] * (len(pages) - 1)
        first = next(p for p in pages if p.status == "article")
        assert {p.article_id for p in pages} == {first.article_id} and first.article_id in {
            row.id for row in articles.values()}
        assert all(p.note for p in pages if p.status == "duplicate")
    notes = " ".join(_by_path(sessions, o, p).note or "" for o, p in ((a, "/news/1"), (b, "/story/a")))
    assert "near-duplicate" in notes
    shelling = _by_path(sessions, a, "/news/1")
    assert shelling.published == "2026-11-17T08:15:00+02:00"  # time and zone kept
    assert gzip.decompress(shelling.raw).decode().count("Artillery shelling hit") == 1  # the raw page, readable again
    clashes = _by_path(sessions, a, "/old/5")
    assert clashes.status == "article" and clashes.published == "2026-11-18T11:40:00-05:00"
    # no date on the page: the feed's date
    assert _by_path(sessions, a, "/news/2").published.startswith("2026-11-16T06:30:00")
    # teaser and the French page recorded and counted, not read
    assert _by_path(sessions, a, "/premium/3").status == "teaser"
    french = _by_path(sessions, a, "/fr/4")
    assert french.status == "language" and french.language == "fr" and "artillerie" in french.text
    outlet_a = _source(sessions, "Outlet A")
    outlet_b = _source(sessions, "Outlet B")
    assert outlet_a.articles + outlet_b.articles == 3 and outlet_a.duplicates + outlet_b.duplicates == 3
    assert outlet_a.new_articles == outlet_a.articles and (outlet_a.teasers, outlet_a.unread_language) == (1, 1)
    assert outlet_a.etag == '"rss-v1"' and outlet_a.last_status == "200"

    # errors: rescheduled after Retry-After (not waited for), malformed feed and 500 shown
    busy = _source(sessions, "Outlet D busy")
    assert busy.last_status == "429" and "120" in busy.last_error and busy.enabled
    assert (busy.next_fetch - busy.last_fetch).total_seconds() == pytest.approx(120, abs=1)  # Retry-After: 120
    # the other feed of that host is not asked meanwhile: rescheduled too, and the round did not wait for it
    assert newsroom["d"].paths().count("/later.xml") == 0 and round1.deferred >= 1
    later = _source(sessions, "Outlet D later")
    assert later.last_fetch is None and later.next_fetch is not None
    assert "malformed feed" in _source(sessions, "Outlet C malformed").last_error
    down = _source(sessions, "Outlet C down")
    assert down.failures == 1 and "HTTP 500" in down.last_error and down.enabled
    assert _by_path(sessions, a, "/broken/6").status == "queued"  # tried again later
    assert round1.outcomes["article"] == 3

    # second round, everything due again: the feed costs one 304, nothing is fetched or read again
    from store.schema import Source

    from store.sources import add_source

    with sessions.begin() as session:
        session.execute(update(Source).values(next_fetch=None))
    # and a page whose rel=canonical (a tracking link) is a's story read before
    add_source(sessions, "Outlet B page", f"{b.url}/story/c2", kind="page")
    before_a, before_b = len(a.hits), len(b.hits)
    follower = Follower(sessions)
    try:
        second = follower.run_once()
    finally:
        follower.close()
    rss_hits = [hit for hit in a.hits[before_a:] if hit.path == "/rss.xml"]
    assert [(h.headers.get("if-none-match"), h.status) for h in rss_hits] == [('"rss-v1"', 304)]
    assert [h.path for h in a.hits[before_a:] if h.path != "/robots.txt"] == ["/rss.xml"]
    assert second.not_modified == 1 and not second.outcomes.get("article")
    assert _source(sessions, "Outlet A").last_status == "304"
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Article)) == 3
    # the sitemap lists b's wire copy again: known, not fetched again
    assert [h.path for h in b.hits[before_b:] if h.path.startswith("/story/")] == ["/story/c2"]
    canonical = _by_path(sessions, b, "/story/c2")
    assert canonical.status == "duplicate" and "rel=canonical" in canonical.note
    assert canonical.article_id == next(p.article_id for p in (shelling, _by_path(sessions, b, "/story/a"))
                                        if p.status == "article")
    # a second failure in a row disables the failing source, and says so
    down = _source(sessions, "Outlet C down")
    assert not down.enabled and "disabled after 2 failures" in down.last_error


def test_sources_command_lines(store_url, monkeypatch, capsys):
    from clashmap.cli import main

    monkeypatch.setenv("CLASHMAP_DB", store_url)
    assert main(["sources", "add", "Wire", "https://wire.example/rss.xml", "--country", "gb"]) == 0
    assert main(["sources", "add", "Wire", "https://other.example/feed"]) == 1
    err = capsys.readouterr().err
    assert err.strip() == "clashmap: source 'Wire' already exists (remove it first, or choose another name)"
    for bad, problem in (("wire.example/rss", "must start with http:// or https://"),
                         ("http://", "has no host name"), ("http://host:port/x", "cannot be read")):
        assert main(["sources", "add", "Other", bad]) == 1
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1 and problem in err and "Traceback" not in err, err
    assert main(["sources", "list"]) == 0
    out = capsys.readouterr().out
    assert "Wire [feed] https://wire.example/rss.xml (GB) enabled" in out and "Other" not in out
    assert main(["sources", "remove", "Wire"]) == 0
    assert main(["sources", "remove", "Wire"]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_sources_add_and_follow_once_fill_the_map(sqlite_url, newsroom, tmp_path):
    """From the command line, as an editor would: add a feed, run one round, see its events stored."""
    import os
    import subprocess

    from store.db import open_store
    from store.schema import Event

    a = newsroom["a"]
    env = {**os.environ, "CLASHMAP_DB": sqlite_url, "CLASHMAP_FOLLOW_HOST_GAP": "0.01", "CLASHMAP_FOLLOW_MIN_WORDS": "40"}
    run = [sys.executable, "-m", "clashmap"]
    added = subprocess.run([*run, "sources", "add", "Outlet A", f"{a.url}/rss.xml", "--country", "IQ"], env=env,
                           capture_output=True, text=True, timeout=120)
    assert added.returncode == 0, added.stderr
    followed = subprocess.run([*run, "follow", "--once"], env=env, capture_output=True, text=True, timeout=300)
    assert followed.returncode == 0, followed.stderr
    assert "article 3" in followed.stdout and "teaser 1" in followed.stdout and "language 1" in followed.stdout
    listed = subprocess.run([*run, "sources", "list"], env=env, capture_output=True, text=True, timeout=120)
    assert "Outlet A [feed]" in listed.stdout and "new 3, articles 3" in listed.stdout
    with open_store(sqlite_url)() as session:
        assert session.scalar(select(func.count()).select_from(Event)) >= 2


def test_a_slow_page_is_cut_at_the_deadline(newsroom):
    """The deadline covers the whole request: a server trickling bytes cannot hold the follower longer."""
    import threading
    import time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from articles.fetch import Fetcher

    class Trickle(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            try:
                for _ in range(100):
                    self.wfile.write(b"x" * 10)
                    self.wfile.flush()
                    time.sleep(0.1)  # each read is quick; the whole answer takes 10 s
            except OSError:
                pass

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Trickle)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    fetcher = Fetcher(user_agent="clashmap-test", gap=0, deadline=1.0)
    try:
        started = time.monotonic()
        answer = fetcher.get(f"http://127.0.0.1:{server.server_address[1]}/slow")
        took = time.monotonic() - started
    finally:
        fetcher.close()
        server.shutdown()
        server.server_close()
    assert answer.status == 0 and "within 1 s" in answer.error
    assert took < 2.0


def test_feeds_with_no_items_are_fine_and_broken_ones_say_so():
    from articles.feeds import FeedError, feed_entries, sitemap_entries
    from newsroom import news_sitemap, rss

    # a quiet day: no items, no error, whether or not the server named the content type
    assert feed_entries(rss([]), "http://127.0.0.1/rss.xml") == []
    assert feed_entries(rss([]), "http://127.0.0.1/rss.xml", "application/rss+xml") == []
    assert sitemap_entries(news_sitemap([])) == []
    with pytest.raises(FeedError, match="malformed feed"):
        feed_entries(b"<rss><channel><item><title>unclosed", "http://127.0.0.1/bad.xml")
    with pytest.raises(FeedError, match="malformed sitemap"):
        sitemap_entries(b"<urlset><url><loc>http://x/</loc>")
    entries = feed_entries(rss([("A", "http://127.0.0.1/a", "Tue, 17 Nov 2026 09:00:00 GMT")]), "http://127.0.0.1/")
    assert [(e.url, e.published) for e in entries] == [("http://127.0.0.1/a", "2026-11-17T09:00:00+00:00")]


def test_retry_after_is_read_in_both_forms_and_capped():
    import email.utils
    import time

    from articles.fetch import Fetcher, Response, retry_after_seconds

    assert retry_after_seconds("120") == 120
    soon = email.utils.formatdate(time.time() + 300, usegmt=True)
    assert 295 <= retry_after_seconds(soon) <= 300
    assert retry_after_seconds("next week") is None
    fetcher = Fetcher(user_agent="clashmap-test", gap=1, retry_after_max=60)
    try:
        assert fetcher.pause_for(Response("http://x/", 429, retry_after=120)) == 60  # capped
        assert fetcher.pause_for(Response("http://x/", 503, retry_after=5)) == 5
        assert fetcher.pause_for(Response("http://x/", 429)) == 10  # no Retry-After: ten host gaps
    finally:
        fetcher.close()


def test_urls_are_normalised():
    from articles.dedup import normalize_url

    assert normalize_url("HTTP://News.Example:80/a?b=2&a=1&utm_source=x&fbclid=y#frag") == "http://news.example/a?a=1&b=2"
    assert normalize_url("https://news.example") == "https://news.example/"
    assert normalize_url("https://news.example:8443/a?id=3") == "https://news.example:8443/a?id=3"


def test_two_followers_at_once_fetch_and_read_each_page_once(sqlite_url, newsroom, follow_env):
    """An overlapping cron round: two processes' rounds at the same time share the pages, none is fetched twice."""
    import threading

    from clashmap.follow import Follower
    from store.db import open_store
    from store.schema import Article

    sessions = open_store(sqlite_url)
    _add_sources(sessions, newsroom)
    followers = [Follower(sessions), Follower(sessions)]
    errors = []

    def round_of(follower):
        try:
            follower.run_once()
        except Exception as err:  # noqa: BLE001: reported below
            errors.append(err)

    threads = [threading.Thread(target=round_of, args=(f,)) for f in followers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    for follower in followers:
        follower.close()
    assert not errors
    pages = [p for o in newsroom.values() for p in o.paths() if p.startswith(("/news/", "/story/", "/premium/", "/fr/"))]
    assert sorted(pages) == sorted(set(pages))  # each page fetched once across both processes
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Article)) == 3


def test_a_page_left_by_a_killed_follower_is_taken_again_after_its_lease(sqlite_url, follow_env):
    from store.sources import add_source
    from clashmap.follow import Follower
    from store.db import open_store
    from store.schema import FetchedPage

    sessions = open_store(sqlite_url)
    source = add_source(sessions, "Wire", "http://127.0.0.1:9/rss.xml")
    with sessions.begin() as session:
        session.add(FetchedPage(url="http://127.0.0.1:9/a", source_id=source.id, status="queued", attempts=0))
    with sessions() as session:
        page_id = session.scalar(select(FetchedPage.id))
    first, second = Follower(sessions), Follower(sessions)
    assert first._claim(page_id) and not second._claim(page_id)
    with sessions.begin() as session:  # the first process died; its lease ran out
        session.execute(update(FetchedPage).values(next_try=datetime.now(timezone.utc) - timedelta(seconds=1)))
    assert second._claim(page_id)
    first.close()
    second.close()
