"""Investment origin regions: names and aliases → region key, unit and a WGS-84 point.

The table geo/data/regions.csv (built by scripts/build_regions.py, then reviewed) has one row per
surface form. Region keys are "guangdong" (Guangdong / the Greater Bay Area), "jingjinji"
(Beijing, Tianjin, Hebei) and "yangtze_delta" (Shanghai, Jiangsu, Zhejiang, Anhui); every other
Chinese province and prefecture-level unit is "other". Rows flagged needs_context (one-character
abbreviations such as 粤 or 京, and city names that are everyday words such as 日照) resolve through
`lookup_origin` but are left out of `origin_names`, so a text matcher uses them only in fixed phrases.
"""
from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from pathlib import Path

from geo.errors import GazetteerError
from geo.places.tables import read_table

log = logging.getLogger("geo.places.regions")

REGIONS_CSV = Path(__file__).resolve().parents[1] / "data" / "regions.csv"
REGIONS = {
    "guangdong": ("粤港澳大湾区", "Guangdong (Greater Bay Area)"),
    "jingjinji": ("京津冀", "Beijing–Tianjin–Hebei"),
    "yangtze_delta": ("长三角", "Yangtze River Delta"),
}
LEVELS = ("region", "province", "city", "area")
_COLUMNS = ("alias", "region", "adcode", "level", "needs_context", "name", "province", "lon", "lat")


@dataclass(frozen=True)
class Origin:
    """Where an investor comes from. `name` is the canonical full name (深圳市, 粤港澳大湾区)."""

    region: str  # guangdong | jingjinji | yangtze_delta | other
    name: str
    adcode: str | None  # None for region-level names and 雄安新区
    level: str  # region | province | city | area
    lon: float
    lat: float


@dataclass(frozen=True)
class _Row:
    origin: Origin
    needs_context: bool


def _parse(row: dict, line: int, path: Path) -> tuple[str, _Row]:
    where = f"{path}:{line}"
    region = row["region"]
    if region not in REGIONS and region != "other":
        raise GazetteerError(f"{where}: unknown region {region!r}")
    if row["level"] not in LEVELS:
        raise GazetteerError(f"{where}: unknown level {row['level']!r}")
    adcode = row["adcode"] or None
    if adcode is not None and not (len(adcode) == 6 and adcode.isdigit()):
        raise GazetteerError(f"{where}: bad adcode {adcode!r}")
    if row["needs_context"] not in ("0", "1"):
        raise GazetteerError(f"{where}: needs_context must be 0 or 1, got {row['needs_context']!r}")
    try:
        lon, lat = float(row["lon"]), float(row["lat"])
    except ValueError as exc:
        raise GazetteerError(f"{where}: bad coordinates {row['lon']!r}, {row['lat']!r}") from exc
    if not (73 <= lon <= 136 and 3 <= lat <= 54):
        raise GazetteerError(f"{where}: point ({lon}, {lat}) is outside China")
    alias = row["alias"].strip()
    if not alias:
        raise GazetteerError(f"{where}: empty alias")
    origin = Origin(region=region, name=row["name"], adcode=adcode, level=row["level"], lon=lon, lat=lat)
    return alias, _Row(origin, row["needs_context"] == "1")


def load_table(path: Path = REGIONS_CSV) -> dict[str, _Row]:
    """Read and check a regions table; alias → row. Raises GazetteerError naming the bad line."""
    table: dict[str, _Row] = {}
    for line, raw in read_table(path, _COLUMNS):
        alias, row = _parse(raw, line, path)
        if alias in table:
            raise GazetteerError(f"{path}:{line}: duplicate alias {alias!r}")
        table[alias] = row
    return table


@functools.lru_cache(maxsize=1)
def _table() -> dict[str, _Row]:
    return load_table()


def lookup_origin(name: str) -> Origin | None:
    """The origin for a full name, short name or alias (深圳, 深圳市, 大湾区, 粤, 日照); None if unknown."""
    if not isinstance(name, str):
        raise TypeError(f"lookup_origin needs a str, got {type(name).__name__}: {name!r}")
    row = _table().get(name.strip())
    return row.origin if row else None


def origin_names() -> list[str]:
    """Every surface form safe for a plain text matcher (needs_context rows excluded), longest first."""
    names = [alias for alias, row in _table().items() if not row.needs_context]
    return sorted(names, key=lambda s: (-len(s), s))


def context_names() -> list[str]:
    """Surface forms that only count inside fixed phrases (粤, 京, 日照 …)."""
    return sorted(alias for alias, row in _table().items() if row.needs_context)


def region_anchor(region: str) -> tuple[float, float]:
    """(lon, lat) to draw flows from: guangdong = midpoint of 广州/深圳, jingjinji = 北京, yangtze_delta = 上海.

    The points are the representative points of those units in boundaries/source_regions.geojson,
    stored on the region-level rows of regions.csv. "other" has no anchor (use each origin's point).
    """
    if region not in REGIONS:
        raise ValueError(f"no anchor for region {region!r}; expected one of {sorted(REGIONS)}")
    row = _table()[REGIONS[region][0]]
    return row.origin.lon, row.origin.lat
