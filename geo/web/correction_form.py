"""What the app's correction form shows and saves: a record's editable values and the fields changed.

The form saves only the fields the analyst changed, compared with the values the form showed when it
was drawn. Two people editing different fields of one record at the same time therefore both keep
their edit: neither save carries the other's field back at its old value (see geo.store.corrections for
the append-only log that stores them).
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from geo.web.labels import chain_order
from geo.models import is_missing

# The fields the form edits, in form order (all of them in geo.store.corrections.EDITABLE).
FORM_FIELDS = ("name", "company", "county_adcode", "chain", "amount_yi", "amount_kind", "stage",
               "origin_region", "origin_place")
# Place value of a record whose location no single adcode names (province-level, or a zone over
# several counties): shown as "keep", and never saved unless the analyst picks a place.
KEEP_PLACE = "_keep"


def plain(value):
    """A form value from a frame cell: None for NaN/NA/"", Python scalars for numpy ones, text stripped."""
    if is_missing(value):
        return None
    if hasattr(value, "item"):
        return plain(value.item())
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def form_values(row: Mapping) -> dict:
    """The current values of a record's FORM_FIELDS, as the correction form shows them.

    county_adcode is the county's code, a city-level record's city code, None for an unresolved
    record, and KEEP_PLACE for any other location (province-level, multi-county zone).
    """
    values = {f: plain(row.get(f)) for f in FORM_FIELDS}
    if values["county_adcode"] is None:
        precision = plain(row.get("precision"))
        if precision == "city" and plain(row.get("city_adcode")):
            values["county_adcode"] = plain(row.get("city_adcode"))
        elif precision not in (None, "unresolved"):
            values["county_adcode"] = KEEP_PLACE
    if values["amount_yi"] is not None:
        values["amount_yi"] = float(values["amount_yi"])
    return values


def changed_fields(base: Mapping, submitted: Mapping) -> dict:
    """The submitted fields that differ from `base` (what the form showed); KEEP_PLACE is never sent.

    Empty text counts as None; amounts equal within 1e-9 are unchanged.
    """
    out = {}
    for field in FORM_FIELDS:
        if field not in submitted:
            continue
        old, new = plain(base.get(field)), plain(submitted[field])
        if new == KEEP_PLACE or _same(old, new):
            continue
        out[field] = new
    return out


def _same(old, new) -> bool:
    if isinstance(old, (int, float)) and isinstance(new, (int, float)):
        return math.isclose(float(old), float(new), rel_tol=0, abs_tol=1e-9)
    return old == new


def place_choices(gazetteer=None) -> dict[str, str]:
    """adcode → label for the 11 cities and 117 counties, in adcode order (a city before its counties)."""
    if gazetteer is None:
        from geo.places.gazetteer import load_gazetteer

        gazetteer = load_gazetteer()
    places = sorted(gazetteer.cities + gazetteer.counties, key=lambda p: p.adcode)
    return {p.adcode: (f"{p.full_name} ({p.adcode})" if p.kind == "city" or not p.city
                       else f"{p.full_name} · {p.city} ({p.adcode})") for p in places}


def chain_choices(values: Iterable = ()) -> list[str]:
    """Known industry chains (geo/data/chains.csv order), then any other chain found in `values`."""
    known = list(chain_order())
    extra = sorted({v for v in (plain(x) for x in values) if v is not None and v not in known}, key=str)
    return known + [str(v) for v in extra]

