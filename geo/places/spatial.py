"""Boundary layers of Shanxi (WGS-84) and point-in-county joins.

The GeoJSON files under boundaries/ are built by scripts/build_boundaries.py and committed.
Loaders are cached; they return a fresh copy on every call, so callers may mutate the result.
"""
from __future__ import annotations

import functools
import logging
import os
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio.errors

from geo.errors import BoundaryDataError

log = logging.getLogger("geo.places.spatial")

_DEFAULT_DIR = Path(__file__).resolve().parents[2] / "boundaries"
# Value at import time; the loaders re-read $GEO_BOUNDARIES_DIR on each call (see boundaries_dir).
BOUNDARIES_DIR = Path(os.environ.get("GEO_BOUNDARIES_DIR", _DEFAULT_DIR))

JOIN_COLUMNS = ["county_adcode", "county", "city_adcode", "city"]


def boundaries_dir() -> Path:
    """The folder read now: $GEO_BOUNDARIES_DIR if set, else repo-root/boundaries."""
    override = os.environ.get("GEO_BOUNDARIES_DIR")
    return Path(override) if override else _DEFAULT_DIR


@functools.lru_cache(maxsize=16)
def _read_layer(path: Path, required: tuple[str, ...]) -> gpd.GeoDataFrame:
    if not path.is_file():
        raise BoundaryDataError(f"boundary file not found: {path} (rebuild with scripts/build_boundaries.py)")
    try:
        gdf = gpd.read_file(path)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, ValueError) as exc:
        raise BoundaryDataError(f"cannot read boundary file {path}: {exc}") from exc
    missing = [c for c in required if c not in gdf.columns]
    if missing:
        raise BoundaryDataError(f"boundary file {path} lacks columns {missing}")
    if gdf.empty or gdf.geometry.isna().any():
        raise BoundaryDataError(f"boundary file {path} has no features or a feature without geometry")
    if gdf.crs is None:
        gdf = gdf.set_crs("EPSG:4326")
    elif not gdf.crs.equals("EPSG:4326"):
        raise BoundaryDataError(f"boundary file {path} is in {gdf.crs}, expected EPSG:4326")
    return gdf


def _load(name: str, required: tuple[str, ...]) -> gpd.GeoDataFrame:
    return _read_layer(boundaries_dir() / name, required).copy()


def load_counties(simplified: bool = False) -> gpd.GeoDataFrame:
    """The 117 county-level units: adcode, name, city_adcode, city, level, geometry (EPSG:4326)."""
    name = "shanxi_counties_simplified.geojson" if simplified else "shanxi_counties.geojson"
    return _load(name, ("adcode", "name", "city_adcode", "city"))


def load_cities(simplified: bool = False) -> gpd.GeoDataFrame:
    """The 11 prefecture-level cities: adcode, name, level, geometry (EPSG:4326)."""
    name = "shanxi_cities_simplified.geojson" if simplified else "shanxi_cities.geojson"
    return _load(name, ("adcode", "name"))


def load_province() -> gpd.GeoDataFrame:
    """The Shanxi outline as a one-row GeoDataFrame (adcode 140000)."""
    return _load("shanxi_province.geojson", ("adcode", "name"))


def load_source_regions() -> gpd.GeoDataFrame:
    """Origin provinces/cities of Guangdong, Jing-Jin-Ji and the Yangtze delta (+ 雄安新区 point)."""
    return _load("source_regions.geojson", ("adcode", "name", "level", "province", "region", "lon", "lat"))


def _points_frame(points, lat) -> gpd.GeoDataFrame:
    if isinstance(points, gpd.GeoDataFrame):
        if lat is not None:
            raise TypeError("pass either a GeoDataFrame or two sequences lon, lat, not both")
        gdf = points[[points.geometry.name]].copy()
        if gdf.crs is None:
            gdf = gdf.set_crs("EPSG:4326")
        elif not gdf.crs.equals("EPSG:4326"):
            gdf = gdf.to_crs("EPSG:4326")
        return gdf
    if lat is None:
        raise TypeError("assign_counties needs a GeoDataFrame of points or two sequences lon, lat")
    lon = np.asarray(points, dtype=float)
    lat = np.asarray(lat, dtype=float)
    if lon.shape != lat.shape or lon.ndim != 1:
        raise ValueError(f"lon and lat must be 1-D sequences of equal length, got {lon.shape} and {lat.shape}")
    return gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")


def assign_counties(points: gpd.GeoDataFrame | Sequence[float], lat: Sequence[float] | None = None,
                    simplified: bool = False) -> pd.DataFrame:
    """County and city of each point: county_adcode, county, city_adcode, city (None outside Shanxi).

    Call as assign_counties(gdf_of_points) or assign_counties(lons, lats). The result has one row
    per input row, in input order and with the input's index. A point on a shared border (or
    NaN) gets the county with the lowest adcode among those touching it (or None).
    """
    pts = _points_frame(points, lat)
    index = pts.index
    pts = pts.reset_index(drop=True)
    counties = load_counties(simplified)[["adcode", "name", "city_adcode", "city", "geometry"]]
    counties = counties.rename(columns={"adcode": "county_adcode", "name": "county"})
    joined = gpd.sjoin(pts, counties, how="left", predicate="intersects")
    # Border points match two counties; keep one deterministic answer per input row.
    joined = joined.sort_values("county_adcode", na_position="last", kind="stable")
    joined = joined[~joined.index.duplicated(keep="first")].sort_index()
    out = pd.DataFrame(joined[JOIN_COLUMNS]).astype(object)
    out = out.where(out.notna(), None)
    out.index = index
    n_out = int(out["county_adcode"].isna().sum())
    if n_out:
        log.debug("%d of %d points fall outside the Shanxi counties", n_out, len(out))
    return out


def county_points() -> pd.DataFrame:
    """Representative point (inside the polygon) of every county, city and the province.

    Columns: adcode, name, level (county/city/province), city_adcode, lon, lat; one row per adcode.
    Computed on the full-resolution layers, so the point lies inside the true outline. Cached;
    returns a copy.
    """
    return _county_points(boundaries_dir()).copy()


@functools.lru_cache(maxsize=4)
def _county_points(_dir: Path) -> pd.DataFrame:
    frames = []
    for gdf, level in ((load_counties(), "county"), (load_cities(), "city"), (load_province(), "province")):
        pts = gdf.geometry.representative_point()
        if level == "county":
            city_adcode = gdf["city_adcode"].to_numpy()
        else:
            city_adcode = gdf["adcode"].to_numpy() if level == "city" else None
        frames.append(pd.DataFrame({
            "adcode": gdf["adcode"].to_numpy(),
            "name": gdf["name"].to_numpy(),
            "level": level,
            "city_adcode": city_adcode,
            "lon": pts.x.round(6).to_numpy(),
            "lat": pts.y.round(6).to_numpy(),
        }))
    return pd.concat(frames, ignore_index=True)
