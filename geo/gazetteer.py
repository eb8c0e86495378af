"""Read access to the gazetteer index built by `geo.gazetteer_build`."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

from clashmap.errors import ConfigError
from clashmap.settings import get_settings
from geo.names import normalize_name

DEFAULT_INDEX = Path(__file__).resolve().parent.parent / "data" / "gazetteer.sqlite"


# the longest values a place keeps: the store's `places` columns are sized by these (store.schema.Place),
# and answers from outside (geo.online) are checked against them before they are kept
NAME_MAX = 200
ADMIN1_MAX = 20
KIND_MAX = 20


@dataclass(frozen=True)
class PlaceRecord:
    """One gazetteer entry; `id` is the GeoNames id (negative for curated places)."""

    id: int
    name: str
    country_code: str | None
    admin1: str | None
    kind: str
    feature_code: str | None
    lat: float
    lon: float
    population: int
    source: str

    def to_dict(self) -> dict:
        return asdict(self)


class GazetteerMissing(ConfigError):
    """The index file has not been built yet (or CLASHMAP_GAZETTEER names a file that is not there)."""


class Gazetteer:
    """Name and id lookups over the on-disk index; opening it costs milliseconds.

    >>> gaz = Gazetteer()                       # doctest: +SKIP
    >>> [p.country_code for p in gaz.lookup("Shushi")]   # doctest: +SKIP
    ['AZ']
    """

    def __init__(self, path: str | Path | None = None) -> None:
        configured = get_settings().gazetteer
        self.path = Path(path or configured or DEFAULT_INDEX)
        if not self.path.is_file():
            where = " (set by CLASHMAP_GAZETTEER)" if not path and configured else ""
            raise GazetteerMissing(f"{self.path}{where}: no gazetteer index there; "
                                   f"build it with `clashmap gazetteer build` or fix CLASHMAP_GAZETTEER")
        self._local = threading.local()
        self._demonyms: dict[str, str] | None = None
        self._has_key: dict[str | tuple[str, str], bool] = {}

    @property
    def db(self) -> sqlite3.Connection:
        """One read-only connection per thread (Streamlit serves sessions from several threads)."""
        conn = getattr(self._local, "db", None)
        if conn is None:
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            self._local.db = conn
        return conn

    @property
    def build(self) -> str:
        """Identity of this index build (changes on every rebuild; file size and time for older indexes)."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'build'").fetchone()
        if row:
            return row[0]
        stat = self.path.stat()
        return f"{stat.st_size:x}{int(stat.st_mtime):x}"[-10:]

    def lookup(self, name: str) -> list[PlaceRecord]:
        """Every place called `name` (main or alternate name), most populous first."""
        return self.lookup_key(normalize_name(name))

    def lookup_key(self, key: str) -> list[PlaceRecord]:
        rows = self.db.execute(
            "SELECT p.* FROM alias a JOIN place p ON p.id = a.place_id WHERE a.key = ? "
            "ORDER BY p.population DESC", (key,)).fetchall()
        return [PlaceRecord(*row) for row in rows]

    def has_key(self, key: str) -> bool:
        """Whether any place has this normalised name (memoised: text scanning asks it for every word run)."""
        known = self._has_key.get(key)
        if known is None:
            known = self.db.execute("SELECT 1 FROM alias WHERE key = ? LIMIT 1", (key,)).fetchone() is not None
            if len(self._has_key) < 200_000:
                self._has_key[key] = known
        return known

    def has_main_key(self, key: str) -> bool:
        """Whether some place's main name (not only an alternate one) has this normalised form."""
        memo = self._has_key.get(("main", key))
        if memo is None:
            memo = self.db.execute("SELECT 1 FROM alias WHERE key = ? AND is_main = 1 LIMIT 1",
                                   (key,)).fetchone() is not None
            self._has_key[("main", key)] = memo
        return memo

    def get(self, place_id: int) -> PlaceRecord | None:
        row = self.db.execute("SELECT * FROM place WHERE id = ?", (place_id,)).fetchone()
        return PlaceRecord(*row) if row else None

    def demonyms(self) -> dict[str, str]:
        """Normalised demonym -> country code ('azerbaijani' -> 'AZ')."""
        if self._demonyms is None:
            self._demonyms = dict(self.db.execute("SELECT key, country_code FROM demonym"))
        return self._demonyms

    def country(self, code: str) -> PlaceRecord | None:
        row = self.db.execute("SELECT * FROM place WHERE kind = 'country' AND country_code = ?", (code,)).fetchone()
        return PlaceRecord(*row) if row else None
