"""The gazetteer tables: completeness, validation, and every point inside its polygon."""
import csv

import pytest

from geo.places import gazetteer as gzmod
from geo.errors import GazetteerError
from geo.places.gazetteer import DATA_DIR, load_gazetteer
from shapely.geometry import Point

from geo.places.spatial import assign_counties, load_cities

@pytest.fixture(scope="module")
def gz():
    return load_gazetteer()


def test_counts_and_adcodes(gz):
    assert len(gz.cities) == 11
    assert len(gz.counties) == 117
    assert all(code.startswith("14") and len(code) == 6 for code in gz.by_adcode)
    assert gz.by_adcode["140000"].kind == "province"


def test_counties_table_reviewed():
    rows = list(csv.DictReader(open(DATA_DIR / "counties.csv", encoding="utf-8")))
    assert len(rows) == 128
    for r in rows:
        stem = r["name"][:-1] if r["name"][-1] in "市县区" else r["name"]
        assert r["short_names"] == (stem if len(stem) >= 2 else ""), r
        assert r["short_use"] in (("safe", "cue") if r["short_names"] else ("",)), r
    cue = {r["short_names"] for r in rows if r["short_use"] == "cue"}
    for word in ("小店", "长子", "平顺", "和顺", "左权", "盐湖", "永和", "交口", "平定", "高平"):
        assert word in cue


def test_every_point_inside_its_own_polygon(gz):
    units = gz.counties + list(gz.zones.values())
    got = assign_counties([p.lon for p in units], [p.lat for p in units])
    for place, county, city in zip(units, got["county_adcode"], got["city_adcode"]):
        if place.kind == "county":
            assert county == place.adcode, place
        elif place.adcodes and place.adcodes[0] in gz.by_adcode and gz.by_adcode[place.adcodes[0]].kind == "city":
            assert city == place.adcodes[0], place  # zone known only at city level
        else:
            assert county == place.adcodes[0], place  # first host county
    cities = load_cities().set_index("adcode")
    for city in gz.cities:
        assert cities.loc[city.adcode].geometry.contains(Point(city.lon, city.lat)), city


def test_taixin_area_and_dayu(gz, taixin_counties):
    taixin = gz.zones["太忻一体化经济区"]
    assert set(taixin.adcodes) == taixin_counties and len(taixin.adcodes) == 12
    assert taixin.precision == "zone" and taixin.adcode == "140000"
    dayu = gz.zones["大盂产业新城"]
    assert dayu.adcode == "140122" and dayu.precision == "zone" and dayu.parent_zone == "太忻一体化经济区"


def test_zone_parents_and_generated_variants(gz):
    assert gz.zones["唐槐产业园区"].parent_zone == "山西转型综合改革示范区"
    for alias in ("综改区", "综改示范区", "山西综改示范区", "山西综改区", "转型综改示范区"):
        assert gz.lookup(alias)[0].place.full_name == "山西转型综合改革示范区"
    for variant in ("侯马经开区", "侯马市经济开发区", "侯马开发区", "介休经开区", "清徐县经开区"):
        places = {e.place.full_name for e in gz.lookup(variant)}
        assert len(places) == 1 and places.pop().endswith("开发区"), variant
    assert gz.lookup("开发区") == [] and gz.lookup("高新区") == [] and gz.lookup("产业园") == []
    assert gz.lookup("吕梁市开发区") == []  # a city's "开发区" is usually all of its zones


def test_old_names_resolve_to_successors(gz):
    expect = {"太谷县": "140703", "大同县": "140215", "大同南郊区": "140214", "大同城区": "140213",
              "大同矿区": "140214", "长治城区": "140403", "长治郊区": "140403", "长治县": "140404",
              "屯留县": "140405", "潞城市": "140406", "怀仁县": "140681"}
    for old, code in expect.items():
        (entry,) = gz.lookup(old)
        assert entry.via == "old_name" and entry.place.adcode == code, old


def test_bad_table_row_raises(tmp_path, monkeypatch):
    for name in ("counties.csv", "old_names.csv", "zones.csv", "towns.csv", "place_stopwords.csv"):
        (tmp_path / name).write_text((DATA_DIR / name).read_text(encoding="utf-8"), encoding="utf-8")
    zones = tmp_path / "zones.csv"
    zones.write_text(zones.read_text(encoding="utf-8").replace(",140121,140100,", ",149999,140100,"),
                     encoding="utf-8")
    monkeypatch.setattr(gzmod, "DATA_DIR", tmp_path)
    with pytest.raises(GazetteerError, match="149999"):
        gzmod.build_gazetteer()
    counties = tmp_path / "counties.csv"
    zones.write_text((DATA_DIR / "zones.csv").read_text(encoding="utf-8"), encoding="utf-8")
    counties.write_text(counties.read_text(encoding="utf-8").replace("140105,小店区", "14010X,小店区"),
                        encoding="utf-8")
    with pytest.raises(GazetteerError, match="14010X"):
        gzmod.build_gazetteer()
    counties.write_text((DATA_DIR / "counties.csv").read_text(encoding="utf-8"), encoding="utf-8")
    towns = tmp_path / "towns.csv"
    towns.write_text(towns.read_text(encoding="utf-8").replace("坞城街道,140105,", "坞城街道,140100,"), encoding="utf-8")
    with pytest.raises(GazetteerError, match="towns.csv"):
        gzmod.build_gazetteer()  # a town's county must be a county, not a city


def test_a_town_names_its_county_unless_its_name_is_shared():
    gz = gzmod.load_gazetteer()
    (entry,) = gz.lookup("兑镇镇")
    assert (entry.via, entry.place.adcode, entry.place.precision) == ("town", "141181", "county")
    assert not gz.lookup("城关镇")  # a town of that name in several counties: no entry
