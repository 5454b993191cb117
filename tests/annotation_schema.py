"""The annotation format shared by every hand-annotated set (seeds, held-out, real-world corpus).

Vocabularies and text helpers only; deliberately independent of the geo package, so that a blind
annotator can check an annotation without touching the extractor.
"""
from __future__ import annotations

import re

RECORD_KEYS = (
    "kind", "snippet", "name", "company", "amount_yi", "amount_max_yi", "currency",
    "amount_kind", "qualifier", "project_count", "place_adcode", "place_text", "precision",
    "chain", "stage", "origin_region", "origin_place", "date", "date_end",
)
OPTIONAL_KEYS = ("id", "amount_text", "place_adcodes", "parent", "partner", "marginal", "note", "entity")
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
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
ADCODE = re.compile(r"^14\d{4}$")
ENTITY = re.compile(r"^[a-z0-9][a-z0-9_-]*$")  # a real-world project across articles (linkage gold)
_NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?"
MONEY = re.compile(rf"^(上亿元|({_NUMBER})(?:余|多)?(万|亿)?(?:余|多)?(元人民币|元|美元)?)$")
_PINYIN_GLOSS = re.compile(r"\([a-zàáǎāèéěēìíǐīòóǒōùúǔūüǘǚǜ]+\)")  # 萬(wàn) on mirrored pages


_TRADITIONAL_UNITS = str.maketrans("億萬圓", "亿万元")  # amounts on traditional-character pages


def squeeze(text: str) -> str:
    """All whitespace removed: snippets are compared this way."""
    return re.sub(r"\s+", "", text)


def strip_tags(text: str) -> str:
    return re.sub(r"<[^>]*>", "", text)


def money_value(text: str) -> float:
    """The value in 亿 of a printed money expression (2.5亿元, 82176万元, 6000万美元, 上亿元)."""
    m = MONEY.match(_PINYIN_GLOSS.sub("", text).translate(_TRADITIONAL_UNITS))
    assert m, f"unparsable amount_text {text!r}"
    if m.group(1) == "上亿元":
        return 1.0
    value = float(m.group(2).replace(",", ""))
    return {"亿": value, "万": value / 10000, None: value / 1e8}[m.group(3)]


def check_record_schema(rec: dict, required: tuple[str, ...] = RECORD_KEYS) -> None:
    """Assert one record has the keys and vocabularies of the format."""
    missing = [k for k in required if k not in rec]
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
    if "entity" in rec:
        assert rec["kind"] == "project" and ENTITY.match(str(rec["entity"])), ("entity", rec["entity"])


def check_record_amount(rec: dict, haystack: str, near: int = 80) -> None:
    """Assert the amount fields agree with each other and the amount text lies near the snippet."""
    if rec["amount_yi"] is None:
        assert rec["amount_max_yi"] is None and rec["currency"] is None and rec["amount_kind"] is None
        assert "amount_text" not in rec
        return
    assert rec["amount_yi"] > 0 and rec["currency"] and rec["amount_kind"] and rec["qualifier"]
    text = rec["amount_text"]
    if rec["qualifier"] == "range":
        assert rec["amount_max_yi"] is not None and rec["amount_max_yi"] > rec["amount_yi"]
        low, high = re.split(r"至|-|－|—|~|～|到", text.translate(_TRADITIONAL_UNITS), maxsplit=1)
        unit = re.search(r"(万|亿)?(元人民币|元|美元)?$", high).group(0)
        low = low if re.search(r"[万亿元]", low) else low + unit
        assert abs(money_value(low) - rec["amount_yi"]) < 1e-9
        assert abs(money_value(high) - rec["amount_max_yi"]) < 1e-9
    else:
        assert rec["amount_max_yi"] is None
        assert abs(money_value(text) - rec["amount_yi"]) < 1e-9 * max(1, rec["amount_yi"])
    assert ("美元" in text) == (rec["currency"] == "USD")  # 美元 is the same in both scripts
    snippet_at = haystack.index(squeeze(rec["snippet"]))
    amount_at = [m.start() for m in re.finditer(re.escape(text), haystack)]
    assert any(abs(at - snippet_at) <= near for at in amount_at), "amount_text not near the snippet"
    if rec["kind"] == "stat":
        assert rec["amount_kind"] != "investment" or rec["stage"] == "planned" or rec.get("note"), \
            "investment amounts are projects or batches (targets: stage planned)"


def check_record_place(rec: dict) -> None:
    """Assert the place fields agree with the precision."""
    code, precision = rec["place_adcode"], rec["precision"]
    if precision == "unresolved":
        assert code is None
        return
    assert code is not None and ADCODE.match(str(code)), code
    code = str(code)
    extra = rec.get("place_adcodes")
    if precision == "province":
        assert code == "140000"
    elif precision == "city":
        assert code.endswith("00") and code != "140000"
    elif extra:  # a zone or area spanning two cities carries the province code plus its counties
        assert precision == "zone" and code == "140000"
        assert all(ADCODE.match(str(c)) and not str(c).endswith("00") for c in extra)
    elif precision == "zone":
        assert code != "140000"  # a zone of unknown host keeps its city code
    else:
        assert not code.endswith("00"), f"{precision} needs a county-level code, got {code}"
    assert rec["place_text"]
