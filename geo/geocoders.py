"""geopy adapters: the offline gazetteer is one more `Geocoder`, interchangeable with Nominatim.

    >>> geocoder = GazetteerGeocoder()                          # doctest: +SKIP
    >>> geocoder.geocode("Shushi").raw["country_code"]          # doctest: +SKIP
    'AZ'
"""

from __future__ import annotations

from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geo.gazetteer import Gazetteer, PlaceRecord

# Kind priors: when a name is shared, a country or a first-level region is what news copy
# usually means ("Georgia" in a Caucasus story is the country, not the US state or a town).
# A region's population here is the sum of its towns', so its weight is below one ("Washington" in copy
# is the capital more often than the state); tuned on the first halves of LGL and GeoWebNews.
KIND_WEIGHT = {"country": 1000.0, "continent": 1000.0, "ocean": 1000.0, "region": 0.25, "city": 1.0,
               "town": 1.0, "village": 1.0, "feature": 0.5}
# A capital is named in news copy more often than a namesake town of the same size.
CAPITAL_WEIGHT = 3.0


def prior(record: PlaceRecord) -> float:
    """Context-free plausibility of a candidate: population scaled by what kind of place it is."""
    weight = CAPITAL_WEIGHT if record.feature_code == "PPLC" else KIND_WEIGHT.get(record.kind, 1.0)
    return (record.population + 1) * weight


def record_address(record: PlaceRecord) -> str:
    return ", ".join(part for part in (record.name, record.country_code) if part)


def record_location(record: PlaceRecord) -> Location:
    # a shallow copy of the record's fields: dataclasses.asdict deep-copies every value, and was a tenth of
    # the resolver's time (every candidate of every name goes through here)
    return Location(record_address(record), (record.lat, record.lon), dict(vars(record)))


class GazetteerGeocoder(Geocoder):
    """Offline geocoding over the GeoNames-based index; `.raw` holds the gazetteer record."""

    provider = "gazetteer"

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        super().__init__()
        self.gazetteer = gazetteer or Gazetteer()

    @property
    def cache_version(self) -> str:
        """Cached answers are kept per index build: a rebuilt gazetteer (new curated places) answers anew."""
        return self.gazetteer.build

    def geocode(self, query: str, *, exactly_one: bool = True, country_codes: list[str] | str | None = None,
                limit: int = 100) -> Location | list[Location] | None:
        """Candidates for `query`, best prior first; `country_codes` keeps only those countries.

        The limit is generous: context may favour a village far down the population order ("Newport" has
        over twenty bigger namesakes than the one in County Tipperary)."""
        records = self.gazetteer.lookup(query)
        if country_codes:
            wanted = {c.upper() for c in ([country_codes] if isinstance(country_codes, str) else country_codes)}
            records = [r for r in records if r.country_code in wanted]
        records.sort(key=prior, reverse=True)
        locations = [record_location(r) for r in records[:limit]]
        if exactly_one:
            return locations[0] if locations else None
        return locations or None

    def reverse(self, query, *, exactly_one=True):  # pragma: no cover - not offered offline
        raise NotImplementedError("the offline gazetteer does not reverse-geocode")
