"""clashmap follow: articles per minute from local feeds to stored events, duplicate detection precision and
recall on near-duplicate pairs, and the cost of a poll round of 100 unchanged feeds.

Everything is local (http.server threads on 127.0.0.1, one port per "host") and politeness is off
(`follow_host_gap` 0, robots.txt allows all), so the figures are clashmap's own cost: fetch, extract
(trafilatura, htmldate, py3langid), deduplicate and read (the pipeline) and store. The pages are the
project's sample articles (data/articles) wrapped in HTML with boilerplate. The near-duplicate pairs are
copies of those samples the benchmark edits as wire services and second outlets do (a credit line, a few
words changed, a paragraph dropped or moved); the negatives are every pair of distinct samples, several
on the same war and the same days.
"""

from __future__ import annotations

import os
import random
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"precision": 0.95, "recall": 0.90}
FEEDS = 100


class _Server:
    def __init__(self) -> None:
        self.routes: dict[str, tuple[bytes, str | None]] = {}
        self.hits = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802
                server.hits += 1
                body, etag = server.routes.get(self.path, (None, None))
                if body is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if etag and self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                if etag:
                    self.send_header("ETag", etag)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _samples() -> list:
    from articles.reader import iter_input_files, read_records

    out = []
    for path in iter_input_files([ROOT / "data" / "articles"]):
        for _, record in read_records(path):
            if not isinstance(record, Exception):
                out.append(record)
    return out


def _html(title: str, body: str) -> bytes:
    from html import escape

    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in body.split("\n") if p.strip())
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{escape(title)}</title></head><body>"
            "<header><nav><a href='/'>Home</a> <a href='/world'>World</a> <a href='/sport'>Sport</a></nav></header>"
            f"<main><article><h1>{escape(title)}</h1>{paragraphs}</article></main>"
            "<footer><p>Copyright the outlet. All rights reserved.</p></footer></body></html>").encode()


def _rss(links: list[str]) -> bytes:
    items = "".join(f"<item><title>story {i}</title><link>{link}</link></item>" for i, link in enumerate(links))
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>bench</title><link>http://bench.invalid/</link>'
            f"<description>bench</description>{items}</channel></rss>").encode()


def throughput(samples) -> dict:
    from sqlalchemy import func, select

    from store.sources import add_source
    from clashmap.follow import Follower
    from store.db import open_store
    from store.schema import Article, EventSource

    hosts = [_Server(), _Server()]
    with tempfile.TemporaryDirectory() as tmp:
        sessions = open_store(f"sqlite:///{Path(tmp) / 'follow.sqlite'}")
        for h, host in enumerate(hosts):
            host.routes["/robots.txt"] = (b"User-agent: *\nAllow: /\n", None)
            links = []
            for i, article in enumerate(samples[h::2]):
                path = f"/story/{i}"
                host.routes[path] = (_html(article.title or f"story {i}", article.body), None)
                links.append(host.url + path)
            host.routes["/rss.xml"] = (_rss(links), '"v1"')
            add_source(sessions, f"bench {h}", f"{host.url}/rss.xml")
        follower = Follower(sessions)
        from geo.toponyms import load_ner

        follower.pipeline  # noqa: B018: pipeline and spaCy loaded before the clock starts (a service loads them once)
        load_ner()
        follower.near  # noqa: B018
        started = time.perf_counter()
        report = follower.run_once()
        seconds = time.perf_counter() - started
        follower.close()
        with sessions() as session:
            articles = session.scalar(select(func.count()).select_from(Article))
            evidence = session.scalar(select(func.count()).select_from(EventSource))
        sessions.kw["bind"].dispose()
    for host in hosts:
        host.close()
    return {"pages": report.pages, "articles": articles, "event sources": evidence, "seconds": seconds,
            "outcomes": report.outcomes}


def worker_throughput(samples, workers: int = 2) -> dict | None:
    """Articles per minute through `clashmap worker` processes on a throwaway PostgreSQL server (None without one).

    The workers are started and ready (store migrated, pipeline loaded) before the clock starts; the clock
    runs from `clashmap follow --queue --once` deferring the polls until no job is left."""
    import subprocess
    import sys

    from sqlalchemy import func, select, text

    from store.db import close_stores, open_store
    from store.pgcluster import PostgresUnavailable, ThrowawayPostgres
    from store.schema import Article
    from store.sources import add_source

    server = ThrowawayPostgres()
    try:
        server.start()
    except PostgresUnavailable as err:
        print(f"workers: skipped, no PostgreSQL server here ({err})")
        return None
    hosts = [_Server(), _Server()]
    procs = []
    try:
        url = server.create_database("bench_workers")
        sessions = open_store(url)
        for h, host in enumerate(hosts):
            host.routes["/robots.txt"] = (b"User-agent: *\nAllow: /\n", None)
            links = []
            for i, article in enumerate(samples[h::2]):
                host.routes[f"/story/{i}"] = (_html(article.title or f"story {i}", article.body), None)
                links.append(f"{host.url}/story/{i}")
            host.routes["/rss.xml"] = (_rss(links), '"v1"')
            add_source(sessions, f"bench {h}", f"{host.url}/rss.xml")
        env = {**os.environ, "CLASHMAP_DB": url}
        run = [sys.executable, "-m", "clashmap"]
        procs = [subprocess.Popen([*run, "worker", "--quiet"], env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL) for _ in range(workers)]

        def count(sql: str) -> int:
            with sessions() as session:
                return session.scalar(text(sql))

        deadline = time.monotonic() + 600
        while count("SELECT count(*) FROM procrastinate_workers") < workers:
            if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
                print("workers: skipped, the workers did not start")
                return None
            time.sleep(0.2)
        started = time.perf_counter()
        subprocess.run([*run, "follow", "--queue", "--once", "--quiet"], env=env, check=True)
        while count("SELECT count(*) FROM procrastinate_jobs WHERE status IN ('todo', 'doing')"):
            if time.monotonic() > deadline:
                break
            time.sleep(0.1)
        seconds = time.perf_counter() - started
        with sessions() as session:
            articles = session.scalar(select(func.count()).select_from(Article))
        pages = count("SELECT count(*) FROM fetched_pages")
        return {"workers": workers, "articles": articles, "pages": pages, "seconds": seconds}
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(60)
        close_stores()
        for host in hosts:
            host.close()
        server.stop()


def _wire_copies(text: str, rng: random.Random) -> dict[str, str]:
    """Copies of `text` as other outlets run it; each is a near-duplicate that should be found."""
    paragraphs = [p for p in text.split("\n") if p.strip()]
    words = text.split()
    swapped = list(words)
    for _ in range(max(3, len(words) // 60)):  # a few words changed here and there
        i = rng.randrange(len(swapped))
        swapped[i] = rng.choice(["reportedly", "officials", "local", "the", "said", "on", "Monday", "several"])
    copies = {
        "credit line + words changed": "By staff and agencies.\n" + " ".join(swapped) + "\nAdditional reporting by wires.",
        "last paragraph dropped": "\n".join(paragraphs[:-1]) if len(paragraphs) > 2 else " ".join(words[:-15]),
        "paragraphs reordered, 'said' -> 'told reporters'":
            "\n".join(paragraphs[1:2] + paragraphs[:1] + paragraphs[2:]).replace(" said ", " told reporters "),
        "new first paragraph": "In a developing story, our correspondents in the region gathered the following. "
                               "Details may change as more information becomes available.\n" + text,
        # the hardest: a short version, the first half only, with words changed
        "first half only, words changed": " ".join(swapped[: len(swapped) // 2]),
    }
    return copies


def dedup_quality(samples) -> dict:
    from articles.dedup import NearDuplicates, signature

    rng = random.Random(14)
    index = NearDuplicates()
    for i, article in enumerate(samples):
        index.add(str(i), signature(article.body))
    tp = fn = fp = 0
    per_kind: dict[str, list[int]] = {}
    for i, article in enumerate(samples):
        for kind, copy in _wire_copies(article.body, rng).items():
            found = index.find(signature(copy))
            hit = found == str(i)
            per_kind.setdefault(kind, [0, 0])
            per_kind[kind][0] += hit
            per_kind[kind][1] += 1
            if hit:
                tp += 1
            else:
                fn += 1
                if found is not None:
                    fp += 1
    # negatives: every pair of distinct samples
    negatives = flagged = 0
    for i, article in enumerate(samples):
        others = set(index.lsh.query(signature(article.body))) - {str(i)}
        found = [k for k in others if index.sigs[k].jaccard(signature(article.body)) >= index.threshold]
        flagged += len(found)
        negatives += len(samples) - 1
    fp += flagged // 2  # each pair was queried from both ends
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {"precision": precision, "recall": recall, "positives": tp + fn, "negative pairs": negatives // 2,
            "false pairs": flagged // 2, "per kind": per_kind}


def poll_round() -> dict:
    from store.sources import add_source
    from clashmap.follow import Follower
    from store.db import open_store
    from store.schema import Source
    from sqlalchemy import update

    hosts = [_Server() for _ in range(4)]
    with tempfile.TemporaryDirectory() as tmp:
        sessions = open_store(f"sqlite:///{Path(tmp) / 'poll.sqlite'}")
        for n in range(FEEDS):
            host = hosts[n % len(hosts)]
            host.routes["/robots.txt"] = (b"User-agent: *\nAllow: /\n", None)
            host.routes[f"/feed/{n}.xml"] = (_rss([]), f'"feed-{n}"')
            add_source(sessions, f"feed {n}", f"{host.url}/feed/{n}.xml")
        follower = Follower(sessions)
        follower.run_once()  # the first round: 200s, validators stored
        with sessions.begin() as session:
            session.execute(update(Source).values(next_fetch=None))
        before = sum(h.hits for h in hosts)
        started = time.perf_counter()
        report = follower.run_once()
        seconds = time.perf_counter() - started
        requests = sum(h.hits for h in hosts) - before
        follower.close()
        sessions.kw["bind"].dispose()
    for host in hosts:
        host.close()
    return {"seconds": seconds, "not modified": report.not_modified, "requests": requests}


def run() -> None:
    saved = {k: os.environ.get(k) for k in ("CLASHMAP_FOLLOW_HOST_GAP", "CLASHMAP_USER_AGENT")}
    os.environ.update(CLASHMAP_FOLLOW_HOST_GAP="0", CLASHMAP_USER_AGENT="clashmap-bench")
    try:
        _run()
    finally:  # the other benchmarks of `python -m bench` see the environment as it was
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _run() -> None:
    samples = _samples()
    figures = throughput(samples)
    per_min = figures["articles"] / figures["seconds"] * 60
    print(f"throughput: {figures['pages']} pages -> {figures['articles']} articles, {figures['event sources']} "
          f"event reports in {figures['seconds']:.1f} s = {per_min:.0f} articles/min (politeness off, SQLite, "
          f"pipeline loaded first); outcomes {figures['outcomes']}")
    through = worker_throughput(samples)
    if through:
        print(f"workers: {through['pages']} pages -> {through['articles']} articles in {through['seconds']:.1f} s = "
              f"{through['articles'] / through['seconds'] * 60:.0f} articles/min through {through['workers']} "
              f"`clashmap worker` processes (PostgreSQL queue, politeness off, from deferral to an empty queue)")
    quality = dedup_quality(samples)
    print(f"near-duplicates: precision {quality['precision']:.3f} (target >= {TARGETS['precision']}), recall "
          f"{quality['recall']:.3f} (target >= {TARGETS['recall']}) on {quality['positives']} wire copies of "
          f"{len(samples)} samples and {quality['negative pairs']} pairs of distinct samples "
          f"({quality['false pairs']} flagged)")
    for kind, (hit, total) in quality["per kind"].items():
        print(f"  {kind:50s} {hit}/{total}")
    poll = poll_round()
    print(f"poll round of {FEEDS} unchanged feeds on 4 hosts: {poll['seconds']:.2f} s "
          f"({poll['seconds'] / FEEDS * 1000:.1f} ms a feed), {poll['requests']} requests, "
          f"{poll['not modified']} answered 304")


if __name__ == "__main__":
    run()
