"""Offline geocoder for Shanxi place names, on geopy's Geocoder interface.

`ShanxiGeocoder().geocode("太谷")` answers from the gazetteer (geo/places/gazetteer.py) without the network.
Points are WGS-84; Location.raw carries adcode, name, city_adcode, precision, adcodes, kind and via.
An online geocoder may be given as `fallback` (never by default): names the gazetteer does not know are
then sent to it through geopy's RateLimiter, and answers (including "not found") are cached on disk.
"""
from __future__ import annotations

import json
import logging
import os
import re
from pathlib import Path

from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geopy.point import Point

from geo.errors import AmbiguousPlaceError
from geo.places.gazetteer import PROVINCE_NAMES, Gazetteer, NameEntry, load_gazetteer
from geo.places.mentions import find_mentions
from geo.models import Place

log = logging.getLogger("geo.places.geocode")

DEFAULT_CACHE = Path(os.path.expanduser("~/.cache/shanxi-geo/geocode.json"))
_SPACE_RE = re.compile(r"\s+")
# Provider place types → our precision names (Nominatim's addresstype/type vocabulary).
_PROVIDER_PRECISION = {"state": "province", "province": "province", "city": "city", "town": "county",
                       "county": "county", "district": "county", "city_district": "county",
                       "municipality": "county"}


def _display(place: Place, gz: Gazetteer) -> str:
    parts = ["山西省"]
    if place.kind != "province":
        if place.city:
            parts.append(place.city)
        if place.county:
            parts.append(place.county)
        if place.kind in ("zone", "area") or place.kind == "county" and not place.county:
            parts.append(place.full_name)
        elif place.kind == "city" and place.city != place.full_name:
            parts.append(place.full_name)
    return "".join(dict.fromkeys(parts))


def to_location(place: Place, via: str = "full", gz: Gazetteer | None = None) -> Location:
    """A geopy Location for a gazetteer Place; raw = Place.raw() + via (+ zone attributes)."""
    gz = gz or load_gazetteer()
    raw = place.raw()
    raw["via"] = via
    info = gz.zone_info.get(place.full_name) if place.precision == "zone" else None
    if info is not None:
        raw.update(zone_kind=info.zone_kind, level=info.level, point_source=info.point_source,
                   parent_zone=place.parent_zone)
    return Location(_display(place, gz), Point(place.lat, place.lon), raw)


class ShanxiGeocoder(Geocoder):
    """Gazetteer geocoder for Shanxi; optional rate-limited, cached online fallback."""

    def __init__(self, fallback: Geocoder | None = None, *, cache_path: str | os.PathLike | None = None,
                 min_delay_seconds: float = 1.0, fallback_gcj02: bool = False):
        super().__init__()
        self.gazetteer = load_gazetteer()
        self.fallback = fallback
        self.fallback_gcj02 = fallback_gcj02  # True for providers that answer in GCJ-02 (Amap, Tencent)
        self.cache_path = Path(cache_path) if cache_path is not None else DEFAULT_CACHE
        self._limited = (RateLimiter(fallback.geocode, min_delay_seconds=min_delay_seconds)
                         if fallback is not None else None)
        self._cache: dict | None = None

    # ---- forward ---------------------------------------------------------------------------------
    def geocode(self, query: str, exactly_one: bool = True, context: str | None = None):
        """Location for a Shanxi name (full, short, old, zone alias or compound like 阳泉市郊区).

        `context` (a text, or a city/county name) picks among units that share a name (城区, 郊区).
        Several candidates left with exactly_one → AmbiguousPlaceError; unknown → None
        (or the fallback's answer when a fallback was given).
        """
        if not isinstance(query, str):
            raise TypeError(f"query must be a str, got {type(query).__name__}: {query!r}")
        q = _SPACE_RE.sub("", query)
        if not q:
            raise ValueError(f"empty place name: {query!r}")
        found = self._candidates(q)
        if len(found) > 1 and context:
            found = self._narrow(found, context)
        if not found:
            return self._fallback(q, exactly_one)
        locations = [to_location(p, via, self.gazetteer) for p, via in found]
        if not exactly_one:
            return locations
        if len(found) > 1:
            raise AmbiguousPlaceError(q, [p for p, _ in found])
        return locations[0]

    def _candidates(self, q: str) -> list[tuple[Place, str]]:
        gz = self.gazetteer
        entries = [e for e in gz.lookup(q) if e.place is not None]
        if entries:
            return _unique(entries)
        rest, city = _strip_prefixes(q, gz)
        if city is not None and rest:
            inside = [e for e in gz.lookup(rest) if e.place is not None and e.place.city_adcode == city.adcode]
            if inside:
                return _unique(inside)
        if city is not None and not rest:
            return [(city, "full")]
        ms = find_mentions(q)
        if len(ms) == 1 and ms[0].start == 0 and ms[0].end == len(q) and ms[0].place is not None:
            return [(ms[0].place, ms[0].via)]
        return []

    def _narrow(self, found: list[tuple[Place, str]], context: str) -> list[tuple[Place, str]]:
        gz = self.gazetteer
        places = [e.place for e in gz.lookup(_SPACE_RE.sub("", context)) if e.place is not None]
        places += [m.place for m in find_mentions(context) if m.place is not None]
        cities = {p.adcode if p.kind == "city" else p.city_adcode for p in places}
        narrowed = [(p, via) for p, via in found if p.city_adcode in cities]
        return narrowed or found

    # ---- reverse ---------------------------------------------------------------------------------
    def reverse(self, query, exactly_one: bool = True):
        """County Location for a point given the geopy way: Point, "lat, lon" or (lat, lon).

        Note the order: geopy's reverse takes latitude first; use `reverse_lonlat` for (lon, lat).
        Outside Shanxi → None.
        """
        point = Point(query)
        return self.reverse_lonlat(point.longitude, point.latitude, exactly_one)

    def reverse_lonlat(self, lon: float, lat: float, exactly_one: bool = True):
        """County Location containing (lon, lat) WGS-84, or None outside Shanxi."""
        from geo.places.spatial import assign_counties

        row = assign_counties([float(lon)], [float(lat)]).iloc[0]
        code = row["county_adcode"]
        if not isinstance(code, str) or code not in self.gazetteer.by_adcode:
            return None
        place = self.gazetteer.by_adcode[code]
        loc = Location(_display(place, self.gazetteer), Point(lat, lon), {**place.raw(), "via": "reverse"})
        return loc if exactly_one else [loc]

    # ---- online fallback -------------------------------------------------------------------------
    def _load_cache(self) -> dict:
        if self._cache is None:
            try:
                self._cache = json.loads(self.cache_path.read_text(encoding="utf-8"))
            except FileNotFoundError:
                self._cache = {}
            except (OSError, ValueError) as exc:
                log.warning("geocode cache %s unreadable (%s); starting empty", self.cache_path, exc)
                self._cache = {}
        return self._cache

    def _save_cache(self) -> None:
        self.cache_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.cache_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self._cache, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(self.cache_path)

    def _fallback(self, q: str, exactly_one: bool):
        if self._limited is None:
            return None
        cache = self._load_cache()
        if q not in cache:
            loc = self._limited(q)
            cache[q] = None if loc is None else {"address": loc.address, "lat": loc.latitude,
                                                 "lon": loc.longitude, "raw": loc.raw}
            self._save_cache()
        hit = cache[q]
        if hit is None:
            return None
        loc = self._from_provider(hit)
        return loc if exactly_one else [loc]

    def _from_provider(self, hit: dict) -> Location:
        lon, lat = float(hit["lon"]), float(hit["lat"])
        if self.fallback_gcj02:
            from geo.places.coords import gcj02_to_wgs84

            lon, lat = (float(v) for v in gcj02_to_wgs84(lon, lat))
        provider_raw = hit.get("raw") or {}
        kind = provider_raw.get("addresstype") or provider_raw.get("type") or ""
        raw = {"name": hit["address"], "kind": "online", "precision": _PROVIDER_PRECISION.get(kind, "site"),
               "adcode": None, "city_adcode": None, "city": None, "county": None, "adcodes": [],
               "lon": lon, "lat": lat, "via": "online", "provider_raw": provider_raw}
        located = self.reverse_lonlat(lon, lat)
        if located is not None:  # inside Shanxi: attach the county that contains the point
            raw.update({k: located.raw[k] for k in ("adcode", "city_adcode", "city", "county")})
            raw["adcodes"] = [located.raw["adcode"]]
        return Location(hit["address"], Point(lat, lon), raw)


def _unique(entries: list[NameEntry]) -> list[tuple[Place, str]]:
    seen: dict[Place, str] = {}
    for e in entries:
        seen.setdefault(e.place, e.via)
    return list(seen.items())


def _strip_prefixes(q: str, gz: Gazetteer) -> tuple[str, Place | None]:
    """Remove a leading 山西(省) and city name: 山西省太原市小店区 → ("小店区", 太原市)."""
    for p in PROVINCE_NAMES:
        if q.startswith(p) and len(q) > len(p):
            q = q[len(p):]
            break
    best = None
    for code, forms in gz.city_forms.items():
        for f in forms:
            if q.startswith(f) and (best is None or len(f) > len(best[1])):
                best = (code, f)
    if best is None:
        return q, None
    return q[len(best[1]):], gz.by_adcode[best[0]]


def online_fallback(user_agent: str) -> Geocoder:
    """A Nominatim geocoder to pass as ShanxiGeocoder(fallback=...); needs a real user agent."""
    from geopy.geocoders import Nominatim

    if not user_agent or not user_agent.strip():
        raise ValueError(f"Nominatim needs an identifying user_agent, got {user_agent!r}")
    return Nominatim(user_agent=user_agent)
