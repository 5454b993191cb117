"""The Shanxi gazetteer: reviewed CSV tables under geo/data/ turned into Place objects and a name index.

Tables (see geo/data/README.md): counties.csv (11 cities + 117 counties, short forms and whether each
name is safe alone), old_names.csv (renamed units → successors), zones.csv (development zones and named
areas), towns.csv (towns, townships and sub-districts by full name: each names its county),
place_stopwords.csv (phrases that contain a place name but are not places). City and county points
come from geo.places.spatial.county_points() (WGS-84 representative points inside the polygons).
"""
from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from geo.errors import GazetteerError
from geo.models import Place
from geo.places.tables import read_table

log = logging.getLogger("geo.places.gazetteer")

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
PROVINCE_ADCODE = "140000"
PROVINCE_NAMES = ("山西省", "山西")

USES = ("safe", "cue", "city")  # cue: needs a cue word or the city before it; city: needs the city
_ADCODE_RE = re.compile(r"^14\d{4}$")

# Interchangeable generic endings of zone names (brief: 经济技术开发区 ⇄ 经开区 ⇄ 经济开发区 ⇄ 开发区).
ZONE_SUFFIX_GROUPS = (
    ("经济技术开发区", "经济开发区", "经开区", "开发区"),
    ("高新技术产业开发区", "高新技术开发区", "高新区"),
    ("产业园区", "产业园", "园区"),
)


@dataclass(frozen=True)
class NameEntry:
    """One meaning of a surface form: the place, how the form names it, and when it may be used."""

    place: Place | None  # None for a stop phrase
    via: str  # full | short | old_name | alias | town | stop
    use: str  # safe | cue | city | stop
    note: str = ""


@dataclass
class ZoneInfo:
    """Zone attributes that geo.models.Place has no field for."""

    zone_kind: str
    level: str
    point_source: str
    source: str
    aliases: tuple[str, ...] = ()


@dataclass
class Gazetteer:
    """Places by adcode (province, cities, counties), zones by name, and the surface-form index."""

    by_adcode: dict[str, Place]
    zones: dict[str, Place]
    zone_info: dict[str, ZoneInfo]
    index: dict[str, list[NameEntry]] = field(default_factory=dict)
    city_forms: dict[str, tuple[str, ...]] = field(default_factory=dict)  # city adcode → its names

    def lookup(self, name: str) -> list[NameEntry]:
        """Every entry for an exact surface form (empty list when unknown)."""
        return list(self.index.get(name, ()))

    @property
    def cities(self) -> list[Place]:
        return [p for p in self.by_adcode.values() if p.kind == "city"]

    @property
    def counties(self) -> list[Place]:
        return [p for p in self.by_adcode.values() if p.kind == "county"]

    def _add(self, surface: str, entry: NameEntry) -> None:
        entries = self.index.setdefault(surface, [])
        if not any(e.place == entry.place and e.via == entry.via for e in entries):
            entries.append(entry)


def _read_csv(name: str, required: tuple[str, ...]) -> list[dict[str, str]]:
    return [row for _, row in read_table(DATA_DIR / name, required)]


def _check_adcode(code: str, table: str, row: dict) -> str:
    if not _ADCODE_RE.match(code):
        raise GazetteerError(f"{table}: bad adcode {code!r} in row {row}")
    return code


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split("|") if v.strip()]


def _points() -> dict[str, tuple[float, float]]:
    # Imported here so that reading the tables does not pull geopandas in for callers that only
    # validate data; the boundaries are needed for any Place anyway.
    from geo.places.spatial import county_points

    pts = county_points()
    out = {str(a): (float(x), float(y)) for a, x, y in zip(pts["adcode"], pts["lon"], pts["lat"])}
    out.update(_city_core_points())
    return out


def _city_core_points() -> dict[str, tuple[float, float]]:
    """A city's point in its urban core: centroid of its districts (…区), if inside them, else
    their representative point. The whole-city representative point can fall in a remote county
    (太原's lies in 古交), which misplaces every city-precision record."""
    from geo.places.spatial import load_counties

    counties = load_counties()
    districts = counties[counties["name"].str.endswith("区")]
    out = {}
    for city, group in districts.groupby("city_adcode"):
        core = group.geometry.union_all()
        pt = core.centroid if core.contains(core.centroid) else core.representative_point()
        out[str(city)] = (float(pt.x), float(pt.y))
    return out


def _admin_places(rows: list[dict], points: dict) -> dict[str, Place]:
    places: dict[str, Place] = {}
    if PROVINCE_ADCODE not in points:
        raise GazetteerError("boundaries give no point for the province 140000")
    lon, lat = points[PROVINCE_ADCODE]
    places[PROVINCE_ADCODE] = Place("山西省", "province", "province", PROVINCE_ADCODE, None, None, None,
                                    lon, lat, ())
    city_names = {r["adcode"]: r["name"] for r in rows if r["level"] == "city"}
    for row in rows:
        code = _check_adcode(row["adcode"], "counties.csv", row)
        city_code = _check_adcode(row["city_adcode"], "counties.csv", row)
        if code in places:
            raise GazetteerError(f"counties.csv: duplicate adcode {code!r}")
        if row["level"] not in ("city", "county"):
            raise GazetteerError(f"counties.csv: bad level {row['level']!r} in row {row}")
        if city_code not in city_names:
            raise GazetteerError(f"counties.csv: unknown city_adcode {city_code!r} in row {row}")
        for col in ("short_use", "full_use"):
            if row[col] and row[col] not in USES:
                raise GazetteerError(f"counties.csv: bad {col} {row[col]!r} in row {row}")
        if bool(row["short_names"]) != bool(row["short_use"]):
            raise GazetteerError(f"counties.csv: short_names and short_use must go together: {row}")
        if code not in points:
            raise GazetteerError(f"counties.csv: no boundary point for adcode {code!r} ({row['name']})")
        lon, lat = points[code]
        is_city = row["level"] == "city"
        places[code] = Place(
            full_name=row["name"], kind=row["level"], precision=row["level"], adcode=code,
            city_adcode=city_code, city=city_names[city_code], county=None if is_city else row["name"],
            lon=lon, lat=lat, adcodes=() if is_city else (code,))
    return places


def _zone_places(rows: list[dict], admin: dict[str, Place], points: dict):
    zones: dict[str, Place] = {}
    info: dict[str, ZoneInfo] = {}
    for row in rows:
        name = row["name"]
        if not name or name in zones:
            raise GazetteerError(f"zones.csv: empty or duplicate zone name {name!r}")
        hosts = [_check_adcode(a, "zones.csv", row) for a in _split(row["host_adcodes"])]
        if not hosts or any(h not in admin or h == PROVINCE_ADCODE for h in hosts):
            raise GazetteerError(f"zones.csv: unknown host adcode in {row['host_adcodes']!r} ({name})")
        cities = {admin[h].city_adcode for h in hosts}
        if row["city_adcode"] and len(cities) > 1:
            raise GazetteerError(f"zones.csv: {name} spans the cities {sorted(cities)}, so it has no single "
                                 f"city_adcode (got {row['city_adcode']!r})")
        city_code = row["city_adcode"] or (cities.pop() if len(cities) == 1 else "")
        if city_code and (city_code not in admin or admin[city_code].kind != "city"):
            raise GazetteerError(f"zones.csv: bad city_adcode {city_code!r} ({name})")
        if len(hosts) == 1:
            adcode = hosts[0]
        else:
            adcode = city_code if len({admin[h].city_adcode for h in hosts}) == 1 else PROVINCE_ADCODE
        if row["lon"] and row["lat"]:
            try:
                lon, lat = float(row["lon"]), float(row["lat"])
            except ValueError as exc:
                raise GazetteerError(f"zones.csv: bad lon/lat {row['lon']!r},{row['lat']!r} ({name})") from exc
        else:  # documented in point_source: representative point of the (first) host unit
            lon, lat = points[hosts[0]]
        single_county = len(hosts) == 1 and admin[hosts[0]].kind == "county"
        zones[name] = Place(
            full_name=name, kind="area" if row["kind"] == "economic_zone" else "zone", precision="zone",
            adcode=adcode, city_adcode=city_code or None,
            city=admin[city_code].full_name if city_code else None,
            county=admin[hosts[0]].full_name if single_county else None,
            lon=lon, lat=lat, adcodes=tuple(hosts), parent_zone=row["parent"] or None)
        info[name] = ZoneInfo(row["kind"], row["level"], row["point_source"], row["source"],
                              tuple(_split(row["aliases"])))
    for name, place in zones.items():
        if place.parent_zone and place.parent_zone not in zones:
            raise GazetteerError(f"zones.csv: parent {place.parent_zone!r} of {name!r} is not a zone")
    return zones, info


def _zone_variants(name: str, stems_for: dict[str, list[str]], city_stems: set[str]) -> set[str]:
    """Generic-suffix variants of a zone name: 侯马经济开发区 → 侯马经开区, 侯马市开发区 …

    A city has many zones, so "吕梁市开发区" / "太原园区" usually means all of them: bare 开发区 and
    园区 endings are not generated after a city name.
    """
    out = set()
    for group in ZONE_SUFFIX_GROUPS:
        for suffix in group:
            if name.endswith(suffix) and len(name) > len(suffix):
                stem = name[: -len(suffix)]
                for s in [stem, *stems_for.get(stem, [])]:
                    endings = [g for g in group if not (s in city_stems and g in ("开发区", "园区"))]
                    out.update(s + g for g in endings)
                break
    out.discard(name)
    return out


def _build_index(gz: Gazetteer, county_rows, old_rows, town_rows, stop_rows) -> None:
    prov = gz.by_adcode[PROVINCE_ADCODE]
    for form in PROVINCE_NAMES:
        gz._add(form, NameEntry(prov, "full" if form == "山西省" else "short", "safe"))
    stems_for: dict[str, list[str]] = {}
    for row in county_rows:
        place = gz.by_adcode[row["adcode"]]
        # The table's note explains the review decision; it is not carried into mentions.
        gz._add(row["name"], NameEntry(place, "full", row["full_use"] or "safe"))
        forms = [row["name"]]
        for short in _split(row["short_names"]):
            gz._add(short, NameEntry(place, "short", row["short_use"]))
            forms.append(short)
            stems_for.setdefault(short, []).append(row["name"])
        if place.kind == "city":
            gz.city_forms[place.adcode] = tuple(forms)
    for row in county_rows:
        # "<county>城区/县城" is the county's own town; listing it stops 高平城区 reading as 平城区.
        place = gz.by_adcode[row["adcode"]]
        if place.kind == "county":
            for base in [row["name"], *_split(row["short_names"])]:
                for town in ("城区", "县城"):
                    if base + town not in gz.index:
                        gz._add(base + town, NameEntry(place, "short", "safe", "the county's town"))
    for row in old_rows:
        code = _check_adcode(row["resolve_to"], "old_names.csv", row)
        succ = [_check_adcode(a, "old_names.csv", row) for a in _split(row["successor_adcodes"])]
        if code not in gz.by_adcode or any(s not in gz.by_adcode for s in succ) or code not in succ:
            raise GazetteerError(f"old_names.csv: unknown or inconsistent successor in row {row}")
        note = f"{row['old_name']} → {gz.by_adcode[code].full_name} ({row['year']}): {row['note']}"
        for form in _split(row["surface_forms"]):
            gz._add(form, NameEntry(gz.by_adcode[code], "old_name", "safe", note))
    city_stems = {f for forms in gz.city_forms.values() for f in forms}
    generated: dict[str, set[str]] = {}
    for name, place in gz.zones.items():
        gz._add(name, NameEntry(place, "full", "safe"))
        for alias in gz.zone_info[name].aliases:
            gz._add(alias, NameEntry(place, "alias", "safe"))
        for base in (name, *gz.zone_info[name].aliases):
            for variant in _zone_variants(base, stems_for, city_stems):
                generated.setdefault(variant, set()).add(name)
    for variant, names in generated.items():
        # A generated variant that two zones share, or that is already a name, is not added.
        if len(names) == 1 and variant not in gz.index:
            gz._add(variant, NameEntry(gz.zones[next(iter(names))], "alias", "safe", "generated variant"))
    for row in town_rows:
        # A town (兑镇镇, 坞城街道) places a project in its county; a name already known stays what it is.
        code = _check_adcode(row["county_adcode"], "towns.csv", row)
        if code not in gz.by_adcode or gz.by_adcode[code].kind != "county":
            raise GazetteerError(f"towns.csv: unknown county {code!r} in row {row}")
        if row["name"] not in gz.index:
            gz._add(row["name"], NameEntry(gz.by_adcode[code], "town", "safe", f"town of {gz.by_adcode[code].full_name}"))
    for row in stop_rows:
        phrase, blocks = row["phrase"], row["blocks"]
        if not phrase or blocks not in phrase or len(phrase) <= len(blocks):
            raise GazetteerError(f"place_stopwords.csv: phrase must contain blocks and be longer: {row}")
        if blocks not in gz.index:
            raise GazetteerError(f"place_stopwords.csv: {blocks!r} is not a gazetteer name: {row}")
        if phrase in gz.index:
            continue  # a real name wins over a stop phrase (e.g. an old name that looks like a word)
        gz._add(phrase, NameEntry(None, "stop", "stop", row["reason"]))


def build_gazetteer() -> Gazetteer:
    """Read and validate every table; raise GazetteerError quoting the first bad row."""
    county_rows = _read_csv("counties.csv", ("adcode", "name", "level", "city_adcode", "city",
                                             "short_names", "short_use", "full_use", "note"))
    old_rows = _read_csv("old_names.csv", ("old_name", "surface_forms", "city_adcode",
                                           "successor_adcodes", "resolve_to", "year", "note"))
    zone_rows = _read_csv("zones.csv", ("name", "aliases", "kind", "level", "host_adcodes", "city_adcode",
                                        "lon", "lat", "point_source", "parent", "source"))
    town_rows = _read_csv("towns.csv", ("name", "county_adcode", "code"))
    stop_rows = _read_csv("place_stopwords.csv", ("phrase", "blocks", "reason"))
    points = _points()
    admin = _admin_places(county_rows, points)
    zones, info = _zone_places(zone_rows, admin, points)
    gz = Gazetteer(by_adcode=admin, zones=zones, zone_info=info)
    _build_index(gz, county_rows, old_rows, town_rows, stop_rows)
    log.debug("gazetteer: %d admin units, %d zones, %d surface forms",
              len(admin), len(zones), len(gz.index))
    return gz


@functools.lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The validated gazetteer, built once per process (callers must not mutate it)."""
    return build_gazetteer()
