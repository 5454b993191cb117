"""ShanxiGeocoder: offline lookups, context, compounds, reverse, and the cached online fallback."""
import json
import os

import pytest
from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geopy.point import Point

from geo.errors import AmbiguousPlaceError
from geo.places.gazetteer import load_gazetteer
from geo.places.geocode import ShanxiGeocoder, online_fallback

@pytest.fixture(scope="module")
def g():
    return ShanxiGeocoder()


def test_all_units_resolve_from_full_and_short_names(g):
    gz = load_gazetteer()
    ambiguous = {"城区", "矿区", "郊区"}
    for place in gz.cities + gz.counties:
        if place.full_name in ambiguous:
            loc = g.geocode(place.full_name, context=place.city)
        else:
            loc = g.geocode(place.full_name)
        assert loc.raw["adcode"] == place.adcode, place.full_name
        assert loc.raw["via"] == "full"
        stem = place.full_name[:-1]
        if len(stem) >= 2 and place.full_name[-1] in "市县区":
            assert g.geocode(stem).raw["adcode"] == place.adcode, stem
        # compound with the city in front
        if place.kind == "county":
            assert g.geocode(place.city + place.full_name).raw["adcode"] == place.adcode


def test_users_six_places(g, taixin_counties):
    assert g.geocode("太原").raw["adcode"] == "140100"
    assert g.geocode("晋中").raw["adcode"] == "140700"
    assert g.geocode("吕梁").raw["adcode"] == "141100"
    assert g.geocode("侯马").raw["adcode"] == "141081"
    taixin = g.geocode("太忻一体化经济区")
    assert set(taixin.raw["adcodes"]) == taixin_counties and taixin.raw["precision"] == "zone"
    dayu = g.geocode("大盂产业新城")
    assert dayu.raw["adcode"] == "140122" and dayu.raw["precision"] == "zone"
    assert isinstance(dayu, Location) and 38 < dayu.latitude < 38.5 and 112 < dayu.longitude < 113


def test_raw_fields(g):
    raw = g.geocode("太谷").raw
    assert raw["adcode"] == "140703" and raw["city_adcode"] == "140700" and raw["precision"] == "county"
    assert raw["via"] == "short" and raw["kind"] == "county" and raw["adcodes"] == ["140703"]
    zone = g.geocode("清徐经开区").raw
    assert zone["via"] == "alias" and zone["zone_kind"] == "provincial_dz" and zone["point_source"]


def test_shared_names_need_context(g):
    assert g.geocode("城区", context="晋城市").raw["adcode"] == "140502"
    assert g.geocode("城区", context="阳泉市的重点项目").raw["adcode"] == "140302"
    assert g.geocode("郊区", context="阳泉").raw["adcode"] == "140311"
    with pytest.raises(AmbiguousPlaceError) as err:
        g.geocode("城区")
    assert {c.adcode for c in err.value.candidates} == {"140302", "140502"}
    assert {loc.raw["adcode"] for loc in g.geocode("城区", exactly_one=False)} == {"140302", "140502"}


def test_compounds_and_old_names(g):
    assert g.geocode("阳泉市郊区").raw["adcode"] == "140311"
    assert g.geocode("晋中市太谷区").raw["adcode"] == "140703"
    assert g.geocode("山西省太原市小店区").raw["adcode"] == "140105"
    assert g.geocode("太原中北高新区").raw["adcode"] == "140108"
    old = g.geocode("太谷县")
    assert old.raw["adcode"] == "140703" and old.raw["via"] == "old_name"
    assert g.geocode("大同县").raw["adcode"] == "140215"
    assert g.geocode("长治郊区").raw["adcode"] == "140403"


def test_unknown_and_bad_input(g):
    assert g.geocode("纽约") is None
    assert g.geocode("开发区") is None
    with pytest.raises(ValueError, match="empty"):
        g.geocode("  ")
    with pytest.raises(TypeError):
        g.geocode(None)


def test_reverse(g):
    loc = g.reverse("37.87, 112.55")  # geopy order: lat, lon (downtown Taiyuan)
    assert loc.raw["city_adcode"] == "140100" and loc.raw["precision"] == "county"
    assert g.reverse(Point(39.9, 116.4)) is None  # Beijing
    assert g.reverse_lonlat(112.55, 37.87).raw["adcode"] == loc.raw["adcode"]


class FakeGeocoder(Geocoder):
    """Stands in for Nominatim: counts calls, answers one name."""

    def __init__(self):
        super().__init__()
        self.calls = []

    def geocode(self, query, **kwargs):
        self.calls.append(query)
        if query == "平遥古城":
            return Location("平遥古城, 山西", Point(37.2014, 112.1790), {"addresstype": "tourism"})
        return None


def test_fallback_is_off_by_default(g):
    assert g.fallback is None and g.geocode("平遥古城") is None


def test_fallback_cache_and_rate_limiter(tmp_path):
    fake = FakeGeocoder()
    cache = tmp_path / "geocode.json"
    g = ShanxiGeocoder(fallback=fake, cache_path=cache, min_delay_seconds=0.0)
    assert type(g._limited).__name__ == "RateLimiter"
    loc = g.geocode("平遥古城")
    assert loc.raw["via"] == "online" and loc.raw["county"] == "平遥县" and loc.raw["precision"] == "site"
    assert g.geocode("不存在的地方") is None
    assert g.geocode("太谷").raw["via"] == "short"  # gazetteer first: never sent online
    assert fake.calls == ["平遥古城", "不存在的地方"]
    stored = json.loads(cache.read_text(encoding="utf-8"))
    assert stored["不存在的地方"] is None and stored["平遥古城"]["lat"] == pytest.approx(37.2014)
    g2 = ShanxiGeocoder(fallback=fake, cache_path=cache, min_delay_seconds=0.0)
    assert g2.geocode("平遥古城").raw["county"] == "平遥县" and len(fake.calls) == 2  # from the cache


def test_online_fallback_needs_user_agent():
    with pytest.raises(ValueError):
        online_fallback("")
    assert type(online_fallback("shanxi-geo-test")).__name__ == "Nominatim"


@pytest.mark.online
@pytest.mark.skipif(os.environ.get("GEO_ONLINE_TESTS") != "1", reason="set GEO_ONLINE_TESTS=1")
def test_nominatim_live(tmp_path):
    g = ShanxiGeocoder(fallback=online_fallback("shanxi-geo-test"), cache_path=tmp_path / "c.json")
    loc = g.geocode("平遥古城")
    assert loc is not None and loc.raw["city_adcode"] == "140700"
