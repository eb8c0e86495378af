"""Online geocoding with Nominatim, polite and cached, with the offline gazetteer as the safety net.

    >>> geocoder = nominatim_with_fallback(Gazetteer(), SqlAnswers(open_store()))     # doctest: +SKIP
    >>> geocoder.geocode("Shushi", exactly_one=False)[0].raw["source"]    # doctest: +SKIP
    'nominatim'

Configuration (environment, or the same keys in `.streamlit/secrets.toml` exported by the app):
- `CLASHMAP_NOMINATIM_URL` — base URL of the service (default the public OpenStreetMap instance; a
  newsroom can run its own);
- `CLASHMAP_USER_AGENT` — identifies the deployment, as the Nominatim usage policy asks (default
  `clashmap/<version> (<CLASHMAP_DEPLOYMENT or host name>)`);
- `CLASHMAP_NOMINATIM_TIMEOUT` (seconds per read, default 5), `CLASHMAP_NOMINATIM_DEADLINE` (seconds
  for a whole request, default 15: a server that trickles its answer is cut off there),
  `CLASHMAP_NOMINATIM_MISS_DAYS` (how long a "not found" is remembered, default 30),
  `CLASHMAP_NOMINATIM_HIT_DAYS` (how long a found place is trusted before it is asked again, default
  180), `CLASHMAP_NOMINATIM_BACKOFF` (seconds the service is left alone after a failure, default 60).

Requests go through geopy's `RateLimiter` (at least one second apart, one limiter per service in the
process). Answers are not trusted: every item is validated (`NominatimPlace`) into a record the store
can hold (`NominatimRecord`: finite coordinates in range, an id that fits a signed 64-bit column, a
two-letter country code, names within the columns); an invalid item is dropped and logged, and an
answer with no valid item (or not a JSON list at all) is a failure. Every valid answer, a "not found"
included, is kept in the store's geocode cache; a failure is not an answer: it is logged, recorded for
the dashboard (`recent_failures()`), answered from the gazetteer, and never cached, so the query goes
to Nominatim again once the service is back. A found place older than the hit age is asked again;
when that fails, the old answer is still used.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import socket
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Literal
from urllib.parse import urlsplit

import requests
from geopy.adapters import AdapterHTTPError, RequestsAdapter
from geopy.exc import GeocoderParseError, GeocoderServiceError, GeocoderTimedOut, GeocoderUnavailable, GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim
from geopy.geocoders.base import Geocoder
from geopy.location import Location
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from urllib3.exceptions import HTTPError as Urllib3Error
from urllib3.exceptions import ReadTimeoutError

from clashmap.settings import get_settings
from geo.cache import AnswerStore, CachedGeocoder
from geo.gazetteer import ADMIN1_MAX, KIND_MAX, NAME_MAX, Gazetteer
from geo.geocoders import GazetteerGeocoder

log = logging.getLogger(__name__)

PUBLIC_URL = "https://nominatim.openstreetmap.org"
MIN_DELAY_SECONDS = 1.0  # the public instance's policy: at most one request per second
MAX_ANSWER_BYTES = 2_000_000  # a search answer (10 places with address and extratags) is a few KB
MAX_ITEMS = 50  # clashmap asks for 10; more is not an answer to read

# Nominatim's addresstype / type -> the gazetteer's kind and the nearest GeoNames feature code
_KINDS = {
    "country": ("country", "PCLI"),
    "state": ("region", "ADM1"), "province": ("region", "ADM1"), "region": ("region", "ADM1"),
    "state_district": ("region", "ADM2"), "county": ("region", "ADM2"), "district": ("region", "ADM2"),
    "city": ("city", "PPL"), "town": ("town", "PPL"), "village": ("village", "PPL"),
    "hamlet": ("village", "PPL"), "suburb": ("city", "PPLX"), "municipality": ("city", "PPLA3"),
}
_OSM_TYPES = {"node": 1, "way": 2, "relation": 3, "N": 1, "W": 2, "R": 3}


@dataclass(frozen=True)
class GeocoderFailure:
    """One failed request, for the log and for the editors' warning in the dashboard."""

    at: datetime
    service: str
    query: str
    error: str


@dataclass
class NominatimSettings:
    """Where and how to ask; `from_env()` reads the `CLASHMAP_*` variables."""

    url: str = PUBLIC_URL
    user_agent: str = ""
    timeout: float = 5.0
    min_delay: float = MIN_DELAY_SECONDS
    miss_ttl: timedelta = timedelta(days=30)
    backoff: float = 60.0
    deadline: float = 15.0
    hit_ttl: timedelta = timedelta(days=180)

    @classmethod
    def from_env(cls) -> NominatimSettings:
        s = get_settings()
        return cls(url=s.nominatim_url or PUBLIC_URL, user_agent=s.user_agent or default_user_agent(),
                   timeout=s.nominatim_timeout, miss_ttl=timedelta(days=s.nominatim_miss_days),
                   backoff=s.nominatim_backoff, deadline=s.nominatim_deadline,
                   hit_ttl=timedelta(days=s.nominatim_hit_days))


def default_user_agent() -> str:
    from clashmap import __version__

    deployment = get_settings().deployment or socket.gethostname()
    return f"clashmap/{__version__} ({deployment})"


_failures: deque[GeocoderFailure] = deque(maxlen=50)
_failures_lock = threading.Lock()


def recent_failures(since: datetime | None = None) -> list[GeocoderFailure]:
    """Failures of the online geocoder in this process, newest last (the dashboard shows them)."""
    with _failures_lock:
        return [f for f in _failures if since is None or f.at >= since]


def _record_failure(service: str, query: str, err: BaseException,
                    fallback: str = "the offline gazetteer") -> GeocoderFailure:
    failure = GeocoderFailure(datetime.now(timezone.utc), service, query, f"{type(err).__name__}: {err}")
    with _failures_lock:
        _failures.append(failure)
    log.warning("geocoder %s failed for %r (%s); answering from %s", service, query, failure.error, fallback)
    return failure


_OSM_ID_LIMIT = 10**12  # ids below it keep node, way and relation apart in one id (see NominatimRecord)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _no_control_characters(value: Any) -> Any:
    if isinstance(value, str) and _CONTROL.search(value):
        raise ValueError("contains control characters")
    return value


class NominatimRecord(BaseModel):
    """A Nominatim place as the gazetteer's record, checked against what the store's `places` columns hold.

    Ids are -(10^12 * osm type + osm id): negative and far below the curated places' (-1 ... -99999),
    so they never meet a GeoNames id, and inside a signed 64-bit column (migration 0002).
    Also checks records read back from the geocode cache (an older clashmap cached without checking).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: int = Field(ge=-(4 * _OSM_ID_LIMIT), le=-_OSM_ID_LIMIT)
    name: str = Field(min_length=1, max_length=NAME_MAX)
    country_code: str | None = Field(None, pattern=r"^[A-Z]{2}$")
    admin1: str | None = Field(None, max_length=ADMIN1_MAX)
    kind: str = Field(min_length=1, max_length=KIND_MAX)
    feature_code: str | None = Field(None, max_length=10)
    lat: float = Field(ge=-90, le=90, allow_inf_nan=False)
    lon: float = Field(ge=-180, le=180, allow_inf_nan=False)
    population: int = Field(ge=0, lt=2**31)  # places.population is a 32-bit integer
    source: Literal["nominatim"]

    _clean = field_validator("name", "admin1")(_no_control_characters)


class _Address(BaseModel):
    model_config = ConfigDict(extra="ignore")

    country_code: str | None = Field(None, pattern=r"^[A-Za-z]{2}$")
    iso3166_2_lvl4: str | None = Field(None, alias="ISO3166-2-lvl4", max_length=100)


class NominatimPlace(BaseModel):
    """One item of a Nominatim search answer (format=json), as far as clashmap reads it.

    Lenient where Nominatim is (coordinates come as strings), strict where the store is: finite
    coordinates in range, an OSM id below 10^12, a two-letter country code, bounded strings.
    """

    model_config = ConfigDict(extra="ignore")

    osm_type: Literal["node", "way", "relation", "N", "W", "R"]
    osm_id: int = Field(ge=1, lt=_OSM_ID_LIMIT)
    lat: float = Field(ge=-90, le=90, allow_inf_nan=False)
    lon: float = Field(ge=-180, le=180, allow_inf_nan=False)
    name: str | None = Field(None, max_length=300)
    display_name: str = Field("", max_length=2000)
    type: str = Field("", max_length=64)
    addresstype: str = Field("", max_length=64)
    address: _Address | None = None
    extratags: dict[str, Any] | None = None

    _clean = field_validator("name", "display_name")(_no_control_characters)

    def record(self) -> dict:
        """The gazetteer-shaped record (what geo.resolve reads), validated by NominatimRecord."""
        kind, feature = _KINDS.get(self.addresstype or self.type, _KINDS.get(self.type, ("place", None)))
        address = self.address or _Address()
        admin1 = address.iso3166_2_lvl4
        name = (self.name or self.display_name.split(",")[0]).strip()
        record = NominatimRecord(
            id=-(_OSM_ID_LIMIT * _OSM_TYPES[self.osm_type] + self.osm_id), name=name[:NAME_MAX],
            country_code=address.country_code.upper() if address.country_code else None,
            admin1=admin1 if admin1 and len(admin1) <= ADMIN1_MAX else None,
            kind=kind, feature_code=feature, lat=self.lat, lon=self.lon,
            population=_population((self.extratags or {}).get("population")), source="nominatim")
        return record.model_dump()


def _population(tag: Any) -> int:
    """OSM's free-text population tag ("41,000", "4064.0") as a count the store's column holds, else 0."""
    digits = str(tag or "0").replace(",", "").split(".")[0].strip()
    if not (digits.isascii() and digits.isdigit() and len(digits) <= 10):
        return 0
    return int(digits) if int(digits) < 2**31 else 0


def nominatim_record(raw: Any) -> dict:
    """A Nominatim search result in the gazetteer's record shape; `ValueError` (a pydantic
    ValidationError) when the item is not a place the store can hold."""
    return NominatimPlace.model_validate(raw).record()


def valid_cached_answers(answers: list) -> bool:
    """Whether answers read back from the geocode cache are sound (an older clashmap cached unchecked)."""
    try:
        for answer in answers:
            record = NominatimRecord.model_validate(answer["raw"])
            if (answer["lat"], answer["lon"]) != (record.lat, record.lon) or not isinstance(answer["address"], str):
                return False
    except (ValidationError, TypeError, KeyError):
        return False
    return True


def _problem(err: ValidationError) -> str:
    first = err.errors()[0]
    where = ".".join(str(part) for part in first.get("loc", ())) or "item"
    return f"{where}: {first['msg']}"


class _DeadlineAdapter(RequestsAdapter):
    """geopy's requests adapter with one try per request, a deadline for the whole request and a size cap.

    geopy's timeout is per read: a server that sends one byte every few seconds never trips it. Here
    the request runs in a daemon thread that streams the body and stops once `deadline` seconds are
    past; the caller waits for it at most that long and then gets `GeocoderTimedOut`, like a timeout
    (the thread ends at its next read). A body larger than `max_bytes` is a bad answer, and a body
    that is not JSON (or nested too deep to parse) is a `GeocoderParseError`.
    """

    def __init__(self, *, proxies, ssl_context, deadline: float, max_bytes: int = MAX_ANSWER_BYTES) -> None:
        super().__init__(proxies=proxies, ssl_context=ssl_context, max_retries=0)
        self.deadline = deadline
        self.max_bytes = max_bytes

    def get_json(self, url, *, timeout, headers):
        body = self._fetch(url, timeout=timeout, headers=headers)
        try:
            return json.loads(body)
        except (ValueError, RecursionError) as err:  # RecursionError: "[[[[...": nested beyond the parser
            raise GeocoderParseError(f"the answer is not JSON ({type(err).__name__}: {str(err)[:100]})") from None

    def get_text(self, url, *, timeout, headers):
        return self._fetch(url, timeout=timeout, headers=headers).decode("utf-8", errors="replace")

    def _fetch(self, url: str, *, timeout: float, headers: dict) -> bytes:
        ends = time.monotonic() + self.deadline
        outcome: dict[str, Any] = {}
        done = threading.Event()

        def work() -> None:
            try:
                outcome["body"] = self._download(url, timeout, headers, ends)
            except BaseException as err:  # handed to the caller below
                outcome["error"] = err
            finally:
                done.set()

        threading.Thread(target=work, name="nominatim-request", daemon=True).start()
        if not done.wait(max(0.0, ends - time.monotonic())):
            raise GeocoderTimedOut(f"no complete answer within the {self.deadline:g} s deadline")
        err = outcome.get("error")
        if err is None:
            return outcome["body"]
        if isinstance(err, (GeopyError, AdapterHTTPError)):  # geopy turns the latter into 429/5xx errors
            raise err
        # anything else a hostile server provokes in the HTTP stack is a failed request, not a crash
        raise GeocoderServiceError(f"the request failed: {type(err).__name__}: {str(err)[:200]}") from err

    def _download(self, url: str, timeout: float, headers: dict, ends: float) -> bytes:
        try:
            resp = self.session.get(url, timeout=min(timeout, self.deadline), headers=headers, stream=True)
        except requests.Timeout:
            raise GeocoderTimedOut("Service timed out") from None
        except requests.ConnectionError as err:
            raise GeocoderUnavailable(str(err)) from None
        except requests.RequestException as err:
            raise GeocoderServiceError(str(err)) from None
        with resp:
            chunks, size = [], 0
            while True:
                if time.monotonic() > ends:
                    raise GeocoderTimedOut(f"no complete answer within the {self.deadline:g} s deadline")
                try:
                    chunk = resp.raw.read1(65536, decode_content=True)
                except ReadTimeoutError:
                    raise GeocoderTimedOut("Service timed out") from None
                except (Urllib3Error, OSError) as err:
                    raise GeocoderServiceError(f"reading the answer failed: {err}") from None
                if not chunk:
                    break
                size += len(chunk)
                if size > self.max_bytes:
                    raise GeocoderServiceError(f"answer larger than {self.max_bytes:,} bytes")
                chunks.append(chunk)
        body = b"".join(chunks)
        if resp.status_code >= 400:
            raise AdapterHTTPError(f"Non-successful status code {resp.status_code}", status_code=resp.status_code,
                                   headers=resp.headers, text=body.decode("utf-8", errors="replace"))
        return body


def read_answer(answer: Any, *, query: str = "", service: str = "Nominatim") -> list[Location]:
    """The places of a Nominatim search answer (parsed JSON), each `.raw` a checked gazetteer record.

    An answer that is not a list, or a non-empty list without one usable place, raises
    `GeocoderParseError` (a failure: answered offline, not cached); an unusable item among good ones
    is dropped and logged; `[]` is "not found".
    """
    if not isinstance(answer, list):
        shape = {dict: "an object", str: "a string", bool: "a boolean", int: "a number", float: "a number",
                 type(None): "null"}.get(type(answer), type(answer).__name__)
        raise GeocoderParseError(f"the answer is {shape}, not a list of places")
    locations, problems = [], []
    for index, item in enumerate(answer[:MAX_ITEMS]):
        try:
            place = NominatimPlace.model_validate(item)
            record = place.record()
        except ValidationError as err:
            problems.append(f"item {index}: {_problem(err)}")
            log.warning("geocoder %s: dropped item %d of the answer for %r (%s)", service, index, query,
                        _problem(err))
            continue
        locations.append(Location(place.display_name or record["name"], (record["lat"], record["lon"]), record))
    if answer and not locations:
        raise GeocoderParseError(f"no usable place in the answer ({len(answer)} items; {problems[0]})")
    return locations


class _CheckedNominatim(Nominatim):
    """geopy's Nominatim that hands on the parsed JSON as it is, for `read_answer` to check.

    geopy's own parsing turns a bare object into a list of one and crashes with ValueError on
    coordinates out of range.
    """

    def _parse_json(self, places, exactly_one):
        return places


class NominatimGeocoder(Geocoder):
    """geopy's Nominatim behind a RateLimiter; `.raw` of each answer is a gazetteer-shaped record.

    Errors are raised (GeocoderServiceError and subclasses: timeouts, 429, 5xx, unreachable), never
    turned into "not found": the caller decides what a failure means.
    """

    provider = "nominatim"

    def __init__(self, settings: NominatimSettings | None = None) -> None:
        super().__init__()
        self.settings = settings or NominatimSettings.from_env()
        parts = urlsplit(self.settings.url if "://" in self.settings.url else f"https://{self.settings.url}")
        self.service = f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"
        adapter = functools.partial(_DeadlineAdapter, deadline=self.settings.deadline)
        self.nominatim = _CheckedNominatim(domain=f"{parts.netloc}{parts.path.rstrip('/')}", scheme=parts.scheme,
                                           user_agent=self.settings.user_agent or default_user_agent(),
                                           timeout=self.settings.timeout, adapter_factory=adapter)
        min_delay = self.settings.min_delay
        if parts.netloc == urlsplit(PUBLIC_URL).netloc:
            min_delay = max(min_delay, MIN_DELAY_SECONDS)
        self.limited = RateLimiter(self.nominatim.geocode, min_delay_seconds=min_delay, max_retries=0,
                                   swallow_exceptions=False)

    def geocode(self, query: str, *, exactly_one: bool = True, country_codes: list[str] | str | None = None,
                limit: int = 10) -> Location | list[Location] | None:
        answer = self.limited(query, exactly_one=False, limit=limit, addressdetails=True, extratags=True,
                              country_codes=country_codes)
        locations = read_answer(answer, query=query, service=self.service)
        if exactly_one:
            return locations[0] if locations else None
        return locations or None

    def reverse(self, query, *, exactly_one=True):  # pragma: no cover - clashmap never reverse-geocodes
        raise NotImplementedError


class _Resting(GeocoderServiceError):
    """Raised instead of a request while the service rests after a failure."""


class _Gate:
    """Lets requests through to Nominatim unless it failed less than `backoff` seconds ago.

    So an outage costs one timeout, not one per place name of a batch; cached answers still come
    from the cache meanwhile, because the cache sits in front of the gate.
    """

    provider = "nominatim"

    def __init__(self, geocoder: NominatimGeocoder, backoff: float) -> None:
        self.geocoder = geocoder
        self.backoff = backoff
        self.resting_until = 0.0

    def geocode(self, query: str, **params):
        if time.monotonic() < self.resting_until:
            raise _Resting(f"{self.geocoder.service} failed recently; not asked again for up to {self.backoff:g} s")
        try:
            return self.geocoder.geocode(query, **params)
        except GeopyError:
            self.resting_until = time.monotonic() + self.backoff
            raise


class OnlineWithFallback:
    """Nominatim (cached) first; the gazetteer (cached) when Nominatim fails or rests after a failure.

    Same `geocode()` as `CachedGeocoder`, so the pipeline uses it unchanged. `failures` lists this
    geocoder's failed requests (`recent_failures()` has the whole process's).
    """

    def __init__(self, online: CachedGeocoder, offline: CachedGeocoder, *, service: str) -> None:
        self.online = online
        self.offline = offline
        self.service = service
        self.failures: list[GeocoderFailure] = []

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Group the cache writes of both geocoders (see CachedGeocoder.batch), when they offer it."""
        with getattr(self.online, "batch", nullcontext)(), getattr(self.offline, "batch", nullcontext)():
            yield

    def geocode(self, query: str, *, exactly_one: bool = True, **params):
        try:
            return self.online.geocode(query, exactly_one=exactly_one, **params)
        except _Resting:
            pass
        except GeopyError as err:  # timeouts, 429, 5xx, unreachable host, unparseable answer
            self.failures.append(_record_failure(self.service, query, err))
        return self.offline.geocode(query, exactly_one=exactly_one, **params)


_geocoders: dict[tuple, NominatimGeocoder] = {}
_geocoders_lock = threading.Lock()


def shared_nominatim(settings: NominatimSettings) -> NominatimGeocoder:
    """One NominatimGeocoder (so one rate limiter) per service and settings in the process."""
    key = (settings.url, settings.user_agent, settings.timeout, settings.min_delay, settings.deadline)
    with _geocoders_lock:
        if key not in _geocoders:
            _geocoders[key] = NominatimGeocoder(settings)
        return _geocoders[key]


def nominatim_with_fallback(gazetteer: Gazetteer | None, answers: AnswerStore,
                            settings: NominatimSettings | None = None) -> OnlineWithFallback:
    """The geocoder `CLASHMAP_GEOCODER=nominatim` selects (see clashmap.pipeline.make_geocoder)."""
    settings = settings or NominatimSettings.from_env()
    nominatim = shared_nominatim(settings)
    gate = _Gate(nominatim, settings.backoff)
    online = CachedGeocoder(gate, answers, provider="nominatim", miss_ttl=settings.miss_ttl,
                            hit_ttl=settings.hit_ttl, valid=valid_cached_answers, refresh_errors=(GeopyError,))
    offline = CachedGeocoder(GazetteerGeocoder(gazetteer or Gazetteer()), answers, provider="gazetteer")
    both = OnlineWithFallback(online, offline, service=nominatim.service)

    def refresh_failed(query: str, err: BaseException) -> None:  # an old answer was used instead
        if not isinstance(err, _Resting):
            both.failures.append(_record_failure(nominatim.service, query, err, fallback="the previous answer"))

    online.on_refresh_failure = refresh_failed
    return both
