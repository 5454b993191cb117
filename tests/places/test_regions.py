"""Origin regions table and lookups."""
import pytest
import shapely

from geo.places import regions
from geo.errors import GazetteerError
from geo.places.spatial import load_counties, load_source_regions

EXPECTED = {
    "guangdong": ["粤港澳大湾区", "大湾区", "珠三角", "珠江三角洲", "广东", "广东省", "粤", "深圳", "广州市", "东莞"],
    "jingjinji": ["京津冀", "北京", "北京市", "京", "天津", "津", "河北", "冀", "雄安新区", "雄安", "保定"],
    "yangtze_delta": ["长三角", "长江三角洲", "上海", "沪", "江苏", "苏", "浙江", "浙", "安徽", "皖", "苏州",
                      "苏州市", "杭州", "合肥市", "江浙沪"],
    "other": ["山东", "山东省", "日照", "日照市", "河南", "四川", "成都", "内蒙古", "延边", "香港", "重庆"],
}


@pytest.mark.parametrize("region,names", EXPECTED.items())
def test_aliases_resolve_to_region(region, names):
    for name in names:
        origin = regions.lookup_origin(name)
        assert origin is not None, name
        assert origin.region == region, (name, origin)


def test_lookup_details():
    sz = regions.lookup_origin("深圳")
    assert (sz.name, sz.adcode, sz.level) == ("深圳市", "440300", "city")
    assert regions.lookup_origin("雄安").level == "area" and regions.lookup_origin("雄安").adcode is None
    assert regions.lookup_origin("大湾区").level == "region"
    assert regions.lookup_origin(" 苏州 ").name == "苏州市"
    assert regions.lookup_origin("火星") is None
    assert regions.lookup_origin("太原") is None  # Shanxi places are the gazetteer's job
    with pytest.raises(TypeError):
        regions.lookup_origin(None)


def test_every_origin_city_lies_in_its_province():
    src = load_source_regions()
    provinces = src[src["level"] == "province"].set_index("name")
    cities = src[src["level"] == "city"]
    assert len(cities) == 72
    for city in cities.itertuples():
        origin = regions.lookup_origin(city.name)
        short = regions.lookup_origin(city.name[:-1])
        assert origin == short and origin.region == city.region and origin.adcode == city.adcode
        assert provinces.loc[city.province, "geometry"].contains(shapely.Point(origin.lon, origin.lat)), city.name


def test_needs_context_rows():
    names = set(regions.origin_names())
    flagged = set(regions.context_names())
    assert {"粤", "京", "津", "冀", "沪", "苏", "浙", "皖", "日照", "中山"} <= flagged
    assert not names & flagged
    assert {"京津冀", "粤港澳大湾区", "深圳", "雄安新区", "山东"} <= names
    assert all(len(n) >= 2 for n in names)
    lengths = [len(n) for n in regions.origin_names()]
    assert lengths == sorted(lengths, reverse=True)  # longest first, for leftmost-longest matchers


def test_no_origin_name_is_a_shanxi_place():
    counties = load_counties()
    shanxi = set(counties["name"]) | set(counties["city"]) | {n[:-1] for n in counties["name"] if len(n) > 2}
    shanxi |= {c[:-1] for c in counties["city"]}
    assert not shanxi & set(regions.origin_names() + regions.context_names())


def test_region_anchor():
    lon, lat = regions.region_anchor("jingjinji")
    assert (lon, lat) == (regions.lookup_origin("北京").lon, regions.lookup_origin("北京").lat)
    assert regions.region_anchor("yangtze_delta") == (regions.lookup_origin("上海").lon,
                                                      regions.lookup_origin("上海").lat)
    glon, glat = regions.region_anchor("guangdong")
    gz, sz = regions.lookup_origin("广州"), regions.lookup_origin("深圳")
    assert glon == pytest.approx((gz.lon + sz.lon) / 2, abs=1e-5)
    assert glat == pytest.approx((gz.lat + sz.lat) / 2, abs=1e-5)
    assert set(regions.REGIONS) == {"guangdong", "jingjinji", "yangtze_delta"}
    with pytest.raises(ValueError, match="other"):
        regions.region_anchor("other")


def test_other_provinces_have_points():
    for name in ("河南", "四川", "新疆", "黑龙江", "海南", "台湾"):
        o = regions.lookup_origin(name)
        assert o.region == "other" and o.level == "province" and 73 < o.lon < 136


def test_malformed_table_raises(tmp_path):
    bad = tmp_path / "regions.csv"
    bad.write_text("alias,region,adcode,level,needs_context,name,province,lon,lat\n"
                   "深圳,guangdong,4403,city,0,深圳市,广东省,114.1,22.6\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match="'4403'"):
        regions.load_table(bad)
    bad.write_text("alias,region\n深圳,guangdong\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match=r"missing column\(s\)"):
        regions.load_table(bad)
    bad.write_text("alias,region,adcode,level,needs_context,name,province,lon,lat\n"
                   "深圳,mars,440300,city,0,深圳市,广东省,114.1,22.6\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match="'mars'"):
        regions.load_table(bad)
    with pytest.raises(GazetteerError, match="nowhere"):
        regions.load_table(tmp_path / "nowhere.csv")
