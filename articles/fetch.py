"""Polite HTTP for `clashmap follow`: robots.txt, a gap between requests to one host, conditional GET,
one deadline per request, Retry-After read (never slept on here: the caller reschedules).

One `Fetcher` serves one process. Requests run one at a time, so a host never gets two connections
from it; `ready_at(url)` says when the host may be asked next (the larger of the `follow_host_gap`
setting and the host's robots.txt Crawl-delay after the previous request, or the end of a Retry-After),
so the caller can ask another host meanwhile. Redirects are not followed here: a 3xx comes back with its
`location`, and the caller asks for it as a new request (robots.txt and the gap apply to it too).
"""

from __future__ import annotations

import email.utils
import socket
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from protego import Protego


def default_user_agent() -> str:
    from clashmap import __version__
    from clashmap.settings import get_settings

    settings = get_settings()
    if settings.user_agent:
        return settings.user_agent
    return f"clashmap/{__version__} (news follower; {settings.deployment or socket.gethostname()})"


@dataclass
class Response:
    url: str
    status: int = 0  # 0: no answer (timeout, refused, too large); `error` says why
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    retry_after: float | None = None  # seconds, from a 429/503's Retry-After (uncapped)

    @property
    def location(self) -> str | None:
        where = self.headers.get("location")
        return urljoin(self.url, where) if where else None


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


ROBOTS_TTL = 86_400.0  # seconds a robots.txt is trusted by a long-running follower (RFC 9309: at most a day)
ROBOTS_RETRY = 600.0  # seconds a host whose robots.txt could not be read is left alone


@dataclass
class _Host:
    robots: Protego | None = None
    robots_until: float = 0.0  # monotonic time the robots.txt read is good until
    next_ok: float = 0.0  # monotonic time of the next allowed request
    last_request: float = 0.0  # monotonic time the previous request ended
    blocked_until: float = 0.0  # a Retry-After


def host_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{(parts.netloc or '').lower()}"


class Fetcher:
    def __init__(self, *, user_agent: str | None = None, gap: float | None = None, deadline: float | None = None,
                 max_bytes: int | None = None, retry_after_max: float | None = None) -> None:
        from clashmap.settings import get_settings

        settings = get_settings()
        self.user_agent = user_agent or default_user_agent()
        self.gap = settings.follow_host_gap if gap is None else gap
        self.deadline = settings.follow_deadline if deadline is None else deadline
        self.max_bytes = settings.follow_max_page_bytes if max_bytes is None else max_bytes
        self.retry_after_max = settings.follow_retry_after_max if retry_after_max is None else retry_after_max
        self.hosts: dict[str, _Host] = {}
        self.session = requests.Session()
        self.session.headers["User-Agent"] = self.user_agent
        self.requests_made = 0

    def close(self) -> None:
        self.session.close()

    # politeness ------------------------------------------------------------------------------------
    def _host(self, url: str) -> _Host:
        return self.hosts.setdefault(host_of(url), _Host())

    def _delay(self, host: _Host) -> float:
        crawl = host.robots.crawl_delay(self.user_agent) if host.robots is not None else None
        return max(self.gap, float(crawl or 0))

    def ready_at(self, url: str) -> float:
        """Monotonic time from which `url`'s host may be asked (robots.txt first if not read yet)."""
        host = self._host(url)
        return max(host.next_ok, host.blocked_until)

    def blocked_until(self, url: str) -> float:
        return self._host(url).blocked_until

    def needs_robots(self, url: str) -> bool:
        return self._host(url).robots_until <= time.monotonic()

    def load_robots(self, url: str) -> None:
        """Ask the host for robots.txt (one request, under the gap). No file (4xx) allows everything;
        a server error or no answer disallows the host for this run (RFC 9309)."""
        host = self._host(url)
        answer = self._get(urljoin(host_of(url) + "/", "/robots.txt"), {})
        host.robots_until = time.monotonic() + ROBOTS_TTL
        if answer.status == 200:
            host.robots = Protego.parse(answer.body.decode("utf-8", errors="replace"))
        elif 400 <= answer.status < 500:
            host.robots = None
        else:
            host.robots = Protego.parse("User-agent: *\nDisallow: /")
            host.robots_until = time.monotonic() + ROBOTS_RETRY
        host.next_ok = max(host.next_ok, host.last_request + self._delay(host))  # the Crawl-delay from now on

    def allowed(self, url: str) -> bool:
        host = self._host(url)
        return host.robots is None or host.robots.can_fetch(url, self.user_agent)

    # requests --------------------------------------------------------------------------------------
    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Response:
        """One GET (conditional when validators are given); robots.txt must have been checked by the caller."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._get(url, headers)

    def _get(self, url: str, headers: dict[str, str]) -> Response:
        host = self._host(url)
        wait = host.next_ok - time.monotonic()
        if wait > 0:  # the caller asks only ready hosts; this only guards against a caller's mistake
            time.sleep(wait)
        started = time.monotonic()
        ends = started + self.deadline
        self.requests_made += 1
        answer = Response(url=url)
        try:
            # the read timeout bounds one stalled read; the loop below bounds the whole request
            with self.session.get(url, headers=headers, stream=True, allow_redirects=False,
                                  timeout=(self.deadline, max(0.1, self.deadline / 4))) as resp:
                answer.status = resp.status_code
                answer.headers = {k.lower(): v for k, v in resp.headers.items()}
                chunks, size, whole = [], 0, True
                while True:
                    # read1: whatever has arrived (up to 64 KiB), so a server trickling bytes is checked
                    # against the deadline after every read, not after 64 KiB
                    chunk = resp.raw.read1(65536, decode_content=True)
                    if not chunk:
                        break
                    size += len(chunk)
                    if size > self.max_bytes:
                        answer.status, answer.error = 0, f"larger than {self.max_bytes} bytes (follow_max_page_bytes)"
                        whole = False
                        break
                    if time.monotonic() > ends:
                        answer.status, answer.error = 0, f"no complete answer within {self.deadline:g} s"
                        whole = False
                        break
                    chunks.append(chunk)
                if whole:
                    answer.body = b"".join(chunks)
        except (requests.Timeout, urllib3.exceptions.TimeoutError):
            answer.status, answer.error = 0, f"no answer within {self.deadline:g} s"
        except (requests.RequestException, urllib3.exceptions.HTTPError) as err:
            reason = str(err).splitlines()[0] if str(err) else type(err).__name__
            answer.status, answer.error = 0, f"request failed ({reason[:200]})"
        finally:
            host.last_request = time.monotonic()
            host.next_ok = host.last_request + self._delay(host)
        if answer.status in (429, 503):
            asked = retry_after_seconds(answer.headers.get("retry-after"))
            answer.retry_after = asked
            pause = min(asked if asked is not None else self._delay(host) * 10, self.retry_after_max)
            host.blocked_until = max(host.blocked_until, time.monotonic() + pause)
        return answer

    def pause_for(self, answer: Response) -> float:
        """Seconds to leave a source alone after a 429/503: Retry-After capped by follow_retry_after_max."""
        asked = answer.retry_after if answer.retry_after is not None else self.gap * 10
        return min(asked, self.retry_after_max)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)
