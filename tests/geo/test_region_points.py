"""Where a first-level region without a GeoNames point of its own is placed (issue 12): the middle of its
towns' extent, so a lone island far off the coast (an Easter Island in a mainland region) or a region
astride the 180th meridian does not drag the point into the ocean. Towns here are made up for the test."""

from __future__ import annotations

from geo.distance import km_between
from geo.gazetteer_build import _midpoint


def _grid(lat0: float, lat1: float, lon0: float, lon1: float, n: int = 8) -> list[tuple[float, float, int]]:
    return [(lat0 + (lat1 - lat0) * i / (n - 1), lon0 + (lon1 - lon0) * j / (n - 1), 1000)
            for i in range(n) for j in range(n)]


def test_a_lone_island_far_offshore_does_not_move_the_region_into_the_ocean():
    mainland = _grid(-33.5, -32.0, -71.7, -70.5, 6)  # 36 towns along a coast
    lat, lon = _midpoint([*mainland, (-27.15, -109.43, 7000), (-27.1, -109.3, 100)])  # and two 3,700 km west
    assert km_between(lat, lon, -32.75, -71.1) < 50


def test_a_region_astride_the_180th_meridian_is_placed_on_it_not_on_the_far_side_of_the_earth():
    towns = [*_grid(64.0, 67.0, 172.0, 179.5, 6), *_grid(65.0, 66.5, -179.5, -170.0, 4)]
    lat, lon = _midpoint(towns)
    assert abs(lon) > 170 and 63 < lat < 68


def test_a_region_of_a_few_scattered_towns_is_placed_among_them():
    towns = [(10.0, 10.0, 1), (14.0, 20.0, 1), (18.0, 11.0, 1), (12.0, 30.0, 1)]
    lat, lon = _midpoint(towns)
    assert 10 <= lat <= 18 and 10 <= lon <= 30


def test_the_built_index_puts_us_states_at_geonames_admin1_points():
    """Every region of data/area_points.csv sits at its GeoNames point in the built index: Virginia at
    GeoNames' point (near Richmond), not the middle of its towns 151 km west of it."""
    import csv

    import pytest

    from geo.gazetteer import DEFAULT_INDEX, Gazetteer
    from geo.gazetteer_build import AREA_POINTS_FILE

    if not DEFAULT_INDEX.exists():
        pytest.skip("data/gazetteer.sqlite not built (run `clashmap gazetteer build`)")
    db = Gazetteer().db
    rows = [r for r in csv.DictReader(AREA_POINTS_FILE.open(encoding="utf-8")) if r["country_code"] == "US"]
    assert {r["admin1"] for r in rows} >= {"VA", "FL", "TX", "NY", "CA", "AK"}
    for r in rows:
        lat, lon = db.execute("SELECT lat, lon FROM place WHERE kind = 'region' AND feature_code = 'ADM1' AND "
                              "country_code = 'US' AND admin1 = ?", (r["admin1"],)).fetchone()
        assert km_between(lat, lon, float(r["lat"]), float(r["lon"])) < 1, r["name"]
