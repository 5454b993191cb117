"""Boundary layers in boundaries/ and the point-in-county join."""
import json

import geopandas as gpd
import numpy as np
import pytest
import shapely

from geo.places import spatial
from geo.errors import BoundaryDataError

UTM49 = "EPSG:32649"  # metric CRS covering Shanxi, for areas


def test_counties_cities_province_counts_and_codes():
    counties = spatial.load_counties()
    cities = spatial.load_cities()
    prov = spatial.load_province()
    assert len(counties) == 117 and len(cities) == 11 and len(prov) == 1
    assert prov["adcode"].iloc[0] == "140000" and prov["name"].iloc[0] == "山西省"
    for gdf in (counties, cities):
        assert gdf["adcode"].is_unique
        assert gdf["adcode"].str.fullmatch(r"14\d{4}").all()
        assert gdf.crs.equals("EPSG:4326")
        assert gdf.geometry.is_valid.all()
    assert set(counties["city_adcode"]) == set(cities["adcode"])
    assert (counties["adcode"].str[:4] == counties["city_adcode"].str[:4]).all()
    assert set(counties["level"]) == {"county"}
    # current names (post-2018 changes), not the cpca-era ones
    assert {"太谷区", "云冈区", "潞州区", "怀仁市"} <= set(counties["name"])


def test_loaders_return_copies():
    a = spatial.load_counties()
    a.loc[a.index[0], "name"] = "changed"
    assert spatial.load_counties()["name"].iloc[0] != "changed"


def test_every_representative_point_maps_back_to_its_county():
    pts = spatial.county_points()
    assert pts["adcode"].is_unique and len(pts) == 117 + 11 + 1
    counties = pts[pts["level"] == "county"]
    got = spatial.assign_counties(counties["lon"], counties["lat"])
    assert got["county_adcode"].tolist() == counties["adcode"].tolist()
    # city points fall in one of that city's counties
    cities = pts[pts["level"] == "city"]
    got = spatial.assign_counties(cities["lon"], cities["lat"])
    assert got["city_adcode"].tolist() == cities["adcode"].tolist()


def test_known_points():
    # Taiyuan, Yingze district around the city government; Datong old town; Beijing Tiananmen;
    # Zhengzhou (Henan, outside Shanxi); NaN.
    lon = [112.5492, 113.2990, 116.3975, 113.6254, float("nan")]
    lat = [37.8570, 40.0768, 39.9087, 34.7466, 37.0]
    got = spatial.assign_counties(lon, lat)
    assert got.loc[0, "city_adcode"] == "140100" and got.loc[0, "county"].endswith("区")
    assert got.loc[1, "city"] == "大同市"
    assert got.loc[2:, "county_adcode"].isna().all()
    assert got.loc[2, "county"] is None


def test_assign_accepts_geodataframe_and_keeps_index():
    gdf = gpd.GeoDataFrame(geometry=gpd.points_from_xy([112.5492, 116.3975], [37.857, 39.9087]),
                           crs="EPSG:4326", index=["a", "b"])
    got = spatial.assign_counties(gdf)
    assert list(got.index) == ["a", "b"]
    assert list(got.columns) == ["county_adcode", "county", "city_adcode", "city"]
    assert got.loc["a", "city"] == "太原市" and got.loc["b", "city"] is None


def test_assign_border_point_gets_exactly_one_county():
    counties = spatial.load_counties()
    a = counties.set_index("name").loc["迎泽区", "geometry"]
    b = counties.set_index("name").loc["小店区", "geometry"]
    shared = a.intersection(b)
    pt = shapely.line_interpolate_point(shapely.line_merge(shared) if shared.geom_type != "Point" else shared,
                                        0.5, normalized=True)
    got = spatial.assign_counties([pt.x], [pt.y])
    assert len(got) == 1 and got.loc[0, "county"] in ("迎泽区", "小店区")


def test_assign_rejects_bad_input():
    with pytest.raises(ValueError, match="equal length"):
        spatial.assign_counties([112.5, 112.6], [37.8])
    with pytest.raises(TypeError):
        spatial.assign_counties([112.5])


def test_simplified_layer_size_and_topology():
    path = spatial.boundaries_dir() / "shanxi_counties_simplified.geojson"
    assert path.stat().st_size <= 250_000
    simple = spatial.load_counties(simplified=True).to_crs(UTM49)
    assert len(simple) == 117 and simple.geometry.is_valid.all()
    union = shapely.union_all(simple.geometry.values)
    total = simple.area.sum()
    # Overlaps: the union would be smaller than the sum. Measured: ~1e-15 (float noise).
    assert abs(total - union.area) / union.area < 1e-9
    # Gaps: holes inside the union of all counties. Measured: none.
    parts = getattr(union, "geoms", [union])
    assert sum(len(p.interiors) for p in parts) == 0
    # Shape fidelity: simplified union vs the full-resolution outline. Measured: 0.21 %.
    prov = spatial.load_province().to_crs(UTM49).geometry.iloc[0]
    assert union.symmetric_difference(prov).area / prov.area < 0.005


def test_simplified_cities_share_county_edges():
    counties = spatial.load_counties(simplified=True)
    cities = spatial.load_cities(simplified=True)
    assert len(cities) == 11
    for row in cities.itertuples():
        parts = shapely.union_all(counties.loc[counties["city_adcode"] == row.adcode, "geometry"].values)
        assert parts.symmetric_difference(row.geometry).area < 1e-9


def test_full_cities_equal_union_of_counties():
    counties = spatial.load_counties().to_crs(UTM49)
    cities = spatial.load_cities().to_crs(UTM49)
    for row in cities.itertuples():
        parts = shapely.union_all(counties.loc[counties["city_adcode"] == row.adcode, "geometry"].values)
        assert parts.symmetric_difference(row.geometry).area / row.geometry.area < 1e-6


def test_files_are_rfc7946():
    doc = json.loads((spatial.boundaries_dir() / "shanxi_counties_simplified.geojson").read_text("utf-8"))
    assert "crs" not in doc
    ring = np.asarray(doc["features"][0]["geometry"]["coordinates"][0][0]
                      if doc["features"][0]["geometry"]["type"] == "MultiPolygon"
                      else doc["features"][0]["geometry"]["coordinates"][0])
    assert 110 < ring[:, 0].min() < 115 and 34 < ring[:, 1].min() < 41  # lon, lat order
    assert shapely.LinearRing(ring).is_ccw  # exterior rings counter-clockwise


def test_source_regions():
    regions = spatial.load_source_regions()
    assert set(regions["region"]) == {"guangdong", "jingjinji", "yangtze_delta"}
    provs = regions[regions["level"] == "province"]
    assert sorted(provs["name"]) == sorted(["广东省", "北京市", "天津市", "河北省", "上海市", "江苏省",
                                            "浙江省", "安徽省"])
    cities = regions[regions["level"] == "city"]
    assert len(cities) == 21 + 11 + 13 + 11 + 16 + 0  # GD, HE, JS, ZJ, AH prefecture-level cities
    for row in regions.itertuples():
        assert row.geometry.contains(shapely.Point(row.lon, row.lat)) or row.level == "area"
    xiongan = regions[regions["name"] == "雄安新区"].iloc[0]
    assert xiongan["level"] == "area" and xiongan["region"] == "jingjinji"
    baoding = regions[regions["name"] == "保定市"].geometry.iloc[0]
    assert baoding.contains(shapely.Point(xiongan["lon"], xiongan["lat"]))
    assert (spatial.boundaries_dir() / "source_regions.geojson").stat().st_size < 1_500_000


def test_missing_dir_raises_boundary_error(tmp_path, monkeypatch):
    monkeypatch.setenv("GEO_BOUNDARIES_DIR", str(tmp_path / "nowhere"))
    with pytest.raises(BoundaryDataError, match="nowhere"):
        spatial.load_counties()


def test_malformed_file_raises_boundary_error(tmp_path, monkeypatch):
    (tmp_path / "shanxi_province.geojson").write_text("{not json", encoding="utf-8")
    (tmp_path / "shanxi_cities.geojson").write_text(
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"x":1},'
        '"geometry":{"type":"Point","coordinates":[112,37]}}]}', encoding="utf-8")
    monkeypatch.setenv("GEO_BOUNDARIES_DIR", str(tmp_path))
    with pytest.raises(BoundaryDataError, match="shanxi_province.geojson"):
        spatial.load_province()
    with pytest.raises(BoundaryDataError, match="lacks columns"):
        spatial.load_cities()
