"""Online geocoding with Nominatim, polite and cached, with the offline gazetteer as the safety net.

    >>> geocoder = nominatim_with_fallback(Gazetteer(), open_store())     # doctest: +SKIP
    >>> geocoder.geocode("Shushi", exactly_one=False)[0].raw["source"]    # doctest: +SKIP
    'nominatim'

Configuration (environment, or the same keys in `.streamlit/secrets.toml` exported by the app):
- `CLASHMAP_NOMINATIM_URL` — base URL of the service (default the public OpenStreetMap instance; a
  newsroom can run its own);
- `CLASHMAP_USER_AGENT` — identifies the deployment, as the Nominatim usage policy asks (default
  `clashmap/<version> (<CLASHMAP_DEPLOYMENT or host name>)`);
- `CLASHMAP_NOMINATIM_TIMEOUT` (seconds, default 5), `CLASHMAP_NOMINATIM_MISS_DAYS` (how long a
  "not found" is remembered, default 30), `CLASHMAP_NOMINATIM_BACKOFF` (seconds the service is left
  alone after a failure, default 60).

Requests go through geopy's `RateLimiter` (at least one second apart, one limiter per service in the
process). Every answer, a "not found" included, is kept in the store's geocode cache; a failure is
not an answer: it is logged, recorded for the dashboard (`recent_failures()`), answered from the
gazetteer, and never cached, so the query goes to Nominatim again once the service is back.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

from geopy.adapters import RequestsAdapter, URLLibAdapter
from geopy.exc import GeocoderServiceError, GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from clashmap.settings import get_settings
from geo.cache import CachedGeocoder
from geo.gazetteer import Gazetteer
from geo.geocoders import GazetteerGeocoder

log = logging.getLogger(__name__)

PUBLIC_URL = "https://nominatim.openstreetmap.org"
MIN_DELAY_SECONDS = 1.0  # the public instance's policy: at most one request per second

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

    @classmethod
    def from_env(cls) -> NominatimSettings:
        s = get_settings()
        return cls(url=s.nominatim_url or PUBLIC_URL, user_agent=s.user_agent or default_user_agent(),
                   timeout=s.nominatim_timeout, miss_ttl=timedelta(days=s.nominatim_miss_days),
                   backoff=s.nominatim_backoff)


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


def _record_failure(service: str, query: str, err: BaseException) -> GeocoderFailure:
    failure = GeocoderFailure(datetime.now(timezone.utc), service, query, f"{type(err).__name__}: {err}")
    with _failures_lock:
        _failures.append(failure)
    log.warning("geocoder %s failed for %r (%s); answering from the offline gazetteer", service, query,
                failure.error)
    return failure


def nominatim_record(raw: dict) -> dict:
    """A Nominatim search result in the gazetteer's record shape (what geo.resolve reads).

    Ids are negative and far below the curated places' (-1 ... -99999), so they never meet a
    GeoNames id: -(10^12 * osm type + osm id), which needs a 64-bit column (migration 0002).
    """
    address = raw.get("address") or {}
    addresstype = raw.get("addresstype") or raw.get("type") or ""
    kind, feature = _KINDS.get(addresstype, _KINDS.get(raw.get("type", ""), ("place", None)))
    osm_type = _OSM_TYPES.get(str(raw.get("osm_type", "")), 0)
    osm_id = int(raw.get("osm_id") or raw.get("place_id") or 0)
    admin1 = address.get("ISO3166-2-lvl4")
    population = str((raw.get("extratags") or {}).get("population") or "0").replace(",", "").split(".")[0]
    name = raw.get("name") or str(raw.get("display_name", "")).split(",")[0]
    return {"id": -(10**12 * osm_type + osm_id), "name": name[:200],
            "country_code": (address.get("country_code") or "").upper() or None,
            "admin1": admin1 if admin1 and len(admin1) <= 20 else None, "kind": kind, "feature_code": feature,
            "lat": float(raw["lat"]), "lon": float(raw["lon"]),
            "population": int(population) if population.isdigit() else 0, "source": "nominatim"}


def _adapter_without_retries(proxies, ssl_context):
    """geopy's requests adapter retries a timed-out read twice by itself; one try, then the fallback.

    Falls back to geopy's urllib adapter when `requests` is not installed.
    """
    try:
        return RequestsAdapter(proxies=proxies, ssl_context=ssl_context, max_retries=0)
    except ImportError:
        return URLLibAdapter(proxies=proxies, ssl_context=ssl_context)


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
        self.nominatim = Nominatim(domain=f"{parts.netloc}{parts.path.rstrip('/')}", scheme=parts.scheme,
                                   user_agent=self.settings.user_agent or default_user_agent(),
                                   timeout=self.settings.timeout, adapter_factory=_adapter_without_retries)
        min_delay = self.settings.min_delay
        if parts.netloc == urlsplit(PUBLIC_URL).netloc:
            min_delay = max(min_delay, MIN_DELAY_SECONDS)
        self.limited = RateLimiter(self.nominatim.geocode, min_delay_seconds=min_delay, max_retries=0,
                                   swallow_exceptions=False)

    def geocode(self, query: str, *, exactly_one: bool = True, country_codes: list[str] | str | None = None,
                limit: int = 10) -> Location | list[Location] | None:
        found = self.limited(query, exactly_one=False, limit=limit, addressdetails=True, extratags=True,
                             country_codes=country_codes) or []
        locations = []
        for loc in found:
            try:
                record = nominatim_record(loc.raw)
            except (KeyError, TypeError, ValueError) as err:
                raise GeocoderServiceError(f"unexpected answer from {self.service}: {err}") from err
            locations.append(Location(loc.address, (record["lat"], record["lon"]), record))
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
    key = (settings.url, settings.user_agent, settings.timeout, settings.min_delay)
    with _geocoders_lock:
        if key not in _geocoders:
            _geocoders[key] = NominatimGeocoder(settings)
        return _geocoders[key]


def nominatim_with_fallback(gazetteer: Gazetteer | None, sessions, settings: NominatimSettings | None = None
                            ) -> OnlineWithFallback:
    """The geocoder `CLASHMAP_GEOCODER=nominatim` selects (see clashmap.pipeline.make_geocoder)."""
    settings = settings or NominatimSettings.from_env()
    nominatim = shared_nominatim(settings)
    gate = _Gate(nominatim, settings.backoff)
    online = CachedGeocoder(gate, sessions, provider="nominatim", miss_ttl=settings.miss_ttl)
    offline = CachedGeocoder(GazetteerGeocoder(gazetteer or Gazetteer()), sessions, provider="gazetteer")
    return OnlineWithFallback(online, offline, service=nominatim.service)
