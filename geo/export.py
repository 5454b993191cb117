"""Export a selection of records as RFC 7946 GeoJSON or CSV (the public property contract)."""
from __future__ import annotations

import json
import math

import pandas as pd

from geo.models import is_missing

# The public contract: every Feature has exactly these properties, in this order.
EXPORT_PROPERTIES = [
    "id", "kind", "name", "company", "amount_yi", "amount_max_yi", "amount_kind", "amount_text",
    "currency", "qualifier", "project_count", "chain", "chain_keyword", "origin_region",
    "origin_place", "stage", "date", "date_end", "place_text", "precision", "zone", "place_adcodes",
    "county_adcode", "county", "city_adcode", "city", "article_id", "article", "article_title",
    "article_date", "sentence", "sentence_original", "corrected", "record_source",
]
_COORD_DIGITS = 6  # ~0.1 m; RFC 7946 recommends no more precision than needed


# OWASP CSV injection: a cell starting with one of these is a formula to a spreadsheet.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _clean(value):
    """JSON-safe scalar: NaN/NA/±inf → None, numpy scalars → Python."""
    if is_missing(value):
        return None
    if hasattr(value, "item"):  # numpy / pandas scalar
        return _clean(value.item())
    if isinstance(value, float) and not math.isfinite(value):
        return None  # an old log may hold inf; RFC 8259 JSON has no Infinity
    return value


def neutralise_formula(value):
    """A text cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first) prefixed with `'`."""
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value


def _properties(row) -> dict:
    props = {}
    for name in EXPORT_PROPERTIES:
        value = _clean(row.get(name))
        if name == "place_adcodes":
            value = [a for a in (value or "").split("|") if a]
        elif name == "corrected":
            value = bool(value)
        elif name == "record_source" and value is None:
            value = "corrected" if row.get("corrected") else "machine"
        props[name] = value
    return props


def _geometry(geom) -> dict | None:
    if geom is None or geom.is_empty:
        return None
    return {"type": "Point",
            "coordinates": [round(geom.x, _COORD_DIGITS), round(geom.y, _COORD_DIGITS)]}


def to_feature_collection(gdf) -> dict:
    """A GeoJSON FeatureCollection dict; unresolved records get `"geometry": null`."""
    features = []
    geoms = gdf.geometry if len(gdf) else []
    for (_, row), geom in zip(gdf.iterrows(), geoms):
        features.append({"type": "Feature", "id": _clean(row.get("id")),
                         "geometry": _geometry(geom), "properties": _properties(row)})
    return {"type": "FeatureCollection", "features": features}


def to_geojson(gdf) -> str:
    """UTF-8 GeoJSON text (RFC 7946: WGS-84 lon/lat, no `crs` member) of the given records."""
    return json.dumps(to_feature_collection(gdf), ensure_ascii=False, indent=1, allow_nan=False)


def to_csv(gdf) -> str:
    """CSV text with the export properties plus lon/lat columns (UTF-8 with BOM for spreadsheet apps).

    Text cells starting with =, +, -, @, tab or CR get a leading `'` (OWASP CSV injection rule), so
    a pasted title `=HYPERLINK(…)` is shown, never run; non-finite numbers are written empty.
    """
    columns = [c for c in EXPORT_PROPERTIES if c in gdf.columns]
    frame = pd.DataFrame(gdf[columns]) if len(columns) else pd.DataFrame(columns=EXPORT_PROPERTIES)
    frame = frame.reindex(columns=EXPORT_PROPERTIES)
    for col in frame.columns:
        if pd.api.types.is_float_dtype(frame[col]):
            frame[col] = frame[col].where(frame[col].map(lambda v: is_missing(v) or math.isfinite(v)))
        elif not pd.api.types.is_numeric_dtype(frame[col]) and not pd.api.types.is_bool_dtype(frame[col]):
            frame[col] = frame[col].map(neutralise_formula)
    if len(gdf):
        frame["lon"] = [None if g is None or g.is_empty else round(g.x, _COORD_DIGITS) for g in gdf.geometry]
        frame["lat"] = [None if g is None or g.is_empty else round(g.y, _COORD_DIGITS) for g in gdf.geometry]
    else:
        frame["lon"], frame["lat"] = [], []
    return "\ufeff" + frame.to_csv(index=False)
