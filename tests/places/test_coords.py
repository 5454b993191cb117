"""GCJ-02 ⇄ WGS-84 conversion against published vectors, round trips and magnitudes."""
import math

import numpy as np
import pytest
import shapely

from geo.places.coords import (
    gcj02_to_wgs84,
    geometry_gcj02_to_wgs84,
    geometry_wgs84_to_gcj02,
    out_of_china,
    wgs84_to_gcj02,
)

# (wgs_lon, wgs_lat, gcj_lon, gcj_lat)
# Shanghai, Shenzhen, Beijing: googollee/eviltransform, python/test.py (TESTS).
# Tiananmen: wandergis/coordtransform README, wgs84togcj02(116.404, 39.915).
REFERENCE = [
    (121.5272106, 31.1774276, 121.531541859215, 31.17530398364597),
    (113.912316, 22.543847, 113.9171764808363, 22.540796131694766),
    (116.377817, 39.911954, 116.38404722455657, 39.91334545536069),
    (116.404, 39.915, 116.41024449916938, 39.91640428150164),
]


def haversine_m(lon1, lat1, lon2, lat2):
    """Great-circle distance in metres (vectorized)."""
    lon1, lat1, lon2, lat2 = map(np.radians, (lon1, lat1, lon2, lat2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371008.8 * np.arcsin(np.sqrt(a))


def china_points(n=20000, seed=7):
    rng = np.random.default_rng(seed)
    return rng.uniform(73.5, 135.0, n), rng.uniform(18.2, 53.5, n)


@pytest.mark.parametrize("wlon,wlat,glon,glat", REFERENCE)
def test_forward_matches_published_vectors(wlon, wlat, glon, glat):
    lon, lat = wgs84_to_gcj02(wlon, wlat)
    assert lon == pytest.approx(glon, abs=1e-9)
    assert lat == pytest.approx(glat, abs=1e-9)


@pytest.mark.parametrize("wlon,wlat,glon,glat", REFERENCE)
def test_inverse_recovers_published_wgs84(wlon, wlat, glon, glat):
    lon, lat = gcj02_to_wgs84(glon, glat)
    assert haversine_m(lon, lat, wlon, wlat) < 0.01


def test_round_trip_under_one_metre_across_china():
    lon, lat = china_points()
    back = gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat))
    err = haversine_m(lon, lat, *back)
    assert err.max() < 0.01  # far inside the 1 m requirement
    # and the other direction: a GCJ point mapped to WGS-84 must map back onto itself
    fwd = wgs84_to_gcj02(*gcj02_to_wgs84(lon, lat))
    assert haversine_m(lon, lat, *fwd).max() < 0.01


def test_inverse_beats_one_step_approximation():
    lon, lat = china_points(2000, seed=3)
    glon, glat = wgs84_to_gcj02(lon, lat)
    # the common approximation: wgs ≈ gcj - offset(gcj)
    slon, slat = wgs84_to_gcj02(glon, glat)
    naive_err = haversine_m(lon, lat, 2 * glon - slon, 2 * glat - slat)
    exact_err = haversine_m(lon, lat, *gcj02_to_wgs84(glon, glat))
    assert naive_err.max() > 0.5  # the approximation is off by metres somewhere
    assert exact_err.max() < 0.01


def test_offset_magnitude_in_shanxi():
    rng = np.random.default_rng(11)
    lon, lat = rng.uniform(110.3, 114.5, 2000), rng.uniform(34.6, 40.7, 2000)
    shift = haversine_m(lon, lat, *wgs84_to_gcj02(lon, lat))
    assert shift.min() > 250 and shift.max() < 700
    assert 300 < np.median(shift) < 600


def test_out_of_china_is_not_shifted():
    assert out_of_china(2.35, 48.85)
    assert not out_of_china(112.55, 37.87)
    assert wgs84_to_gcj02(2.35, 48.85) == (2.35, 48.85)
    assert gcj02_to_wgs84(-74.0, 40.7) == (-74.0, 40.7)
    flags = out_of_china(np.array([2.35, 112.55]), np.array([48.85, 37.87]))
    assert flags.tolist() == [True, False]


def test_vectorized_equals_scalar():
    lon, lat = china_points(200, seed=5)
    vlon, vlat = wgs84_to_gcj02(lon, lat)
    ilon, ilat = gcj02_to_wgs84(lon, lat)
    for i in range(len(lon)):
        assert wgs84_to_gcj02(float(lon[i]), float(lat[i])) == (vlon[i], vlat[i])
        # the inverse stops once every element is within 1e-9°, so batch and scalar may differ below that
        s = gcj02_to_wgs84(float(lon[i]), float(lat[i]))
        assert s[0] == pytest.approx(ilon[i], abs=1e-9) and s[1] == pytest.approx(ilat[i], abs=1e-9)


def test_scalar_in_gives_floats_out():
    lon, lat = gcj02_to_wgs84(112.55, 37.87)
    assert type(lon) is float and type(lat) is float


def test_nan_propagates_without_hanging():
    lon, lat = gcj02_to_wgs84(np.array([math.nan, 112.5]), np.array([37.0, 37.0]))
    assert math.isnan(lon[0]) and not math.isnan(lon[1])


def test_geometry_transform_matches_points_and_round_trips():
    poly = shapely.Polygon([(112.0, 37.0), (113.0, 37.0), (113.0, 38.0), (112.0, 37.0)])
    wgs = geometry_gcj02_to_wgs84(poly)
    xy = np.asarray(poly.exterior.coords)
    expect = np.column_stack(gcj02_to_wgs84(xy[:, 0], xy[:, 1]))
    assert np.allclose(np.asarray(wgs.exterior.coords), expect, atol=1e-12)
    back = geometry_wgs84_to_gcj02(wgs)
    assert np.allclose(np.asarray(back.exterior.coords), xy, atol=1e-9)
    # arrays of geometries are converted in one call
    arr = geometry_gcj02_to_wgs84(np.array([poly, shapely.Point(112.5, 37.5)]))
    assert arr[1].x == pytest.approx(gcj02_to_wgs84(112.5, 37.5)[0])
