"""GeoJSON/CSV export: RFC 7946 shape, the property contract, null geometry for unresolved."""
import io
import json

import geopandas as gpd
import pandas as pd

from geo.store.export import EXPORT_PROPERTIES, to_csv, to_geojson
from geo.store.gpkg import read_records, records_frame, write_store

CONTRACT = {"id", "kind", "name", "company", "amount_yi", "amount_kind", "amount_text", "currency",
            "qualifier", "project_count", "chain", "origin_region", "origin_place", "stage", "date",
            "place_text", "precision", "county_adcode", "county", "city_adcode", "city", "article_id",
            "article", "article_title", "article_date", "sentence"}


def test_geojson_follows_rfc7946_and_the_contract(sample):
    article, records = sample
    doc = json.loads(to_geojson(records_frame(records, [article])))
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    assert CONTRACT <= set(EXPORT_PROPERTIES)
    by_id = {f["properties"]["id"]: f for f in doc["features"]}
    assert set(by_id) == {"r0001", "r0002", "r0003"}
    located = by_id["r0001"]
    assert located["geometry"] == {"type": "Point", "coordinates": [112.55, 37.42]}  # lon, lat
    assert set(located["properties"]) == set(EXPORT_PROPERTIES)
    assert by_id["r0002"]["geometry"] is None
    assert by_id["r0003"]["properties"]["project_count"] == 15
    assert by_id["r0001"]["properties"]["place_adcodes"] == ["140703"]


def test_geojson_reads_back_with_geopandas(tmp_path, sample):
    article, records = sample
    db = write_store(tmp_path / "s.gpkg", [article], records)
    out = tmp_path / "out.geojson"
    out.write_text(to_geojson(read_records(db)), encoding="utf-8")
    back = gpd.read_file(out)
    assert len(back) == 3 and back.crs.to_epsg() == 4326
    assert back.geometry.isna().sum() == 1
    assert "<script>" in back.loc[back["id"] == "r0002", "name"].iloc[0]  # data kept verbatim; escaping is the view's job


def test_empty_selection_is_a_valid_empty_collection(sample):
    article, records = sample
    empty = records_frame(records, [article]).iloc[0:0]
    assert json.loads(to_geojson(empty)) == {"type": "FeatureCollection", "features": []}
    assert to_csv(empty).lstrip("\ufeff").startswith("id,kind,")


def test_csv_has_contract_columns_and_coordinates(sample):
    article, records = sample
    frame = pd.read_csv(io.StringIO(to_csv(records_frame(records, [article])).lstrip("\ufeff")),
                        dtype={"county_adcode": str})
    assert CONTRACT <= set(frame.columns) and {"lon", "lat"} <= set(frame.columns)
    assert frame.loc[frame["id"] == "r0001", "county_adcode"].iloc[0] == "140703"
    assert pd.isna(frame.loc[frame["id"] == "r0002", "lon"].iloc[0])
