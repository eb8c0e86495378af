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
