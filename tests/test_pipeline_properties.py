"""Property-based test of the whole path ingest_text → extract_records → store → export (issue 11).

Articles are put together from real sentences and the hostile pieces the outside probe used: YAML
anchors and aliases, unclosed raw-text elements, huge and reversed amounts, impossible dates and
cells a spreadsheet would run as formulas. Whatever the mix, the pipeline either refuses the text
with an IngestError or carries it through to exports that are valid JSON and inert CSV.
"""
from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.errors import IngestError
from geo.store.export import to_csv, to_geojson
from geo.extract import extract_records
from geo.extract.amounts import MAX_YI
from geo.ingest.read import ingest_text
from geo.pipeline import locate
from geo.store.gpkg import read_records, write_store

FACTS = [
    "某公司在太原市小店区签约氢能项目，总投资30亿元。",
    "晋中市太谷区签约新材料项目，总投资4至2亿元。",
    "大同市平城区引进光伏项目，总投资超4至0亿元。",
    "长治市潞州区新开工项目12个，总投资100000000000000000000亿元。",
    "运城市盐湖区签约项目3个，总投资99999999999999999999999万亿元。",
    "忻州市原平市与深圳某集团签约，投资额约15.5亿元，预计2024年6月投产。",
]
HOSTILE = [
    "&a [*a, *a]", "*a", "<svg>", "<iframe src=x>", "<title>", "<script>", "<style>", "<svg/>",
    "=HYPERLINK(\"http://evil.example\",\"x\")", "+1+1", "-2", "@SUM(A1)", "\t", "\r",
    "2024-13-45", "9999-12-31T23:59:59-12:00", "1e400", "NaN", "Infinity", "</p>", "<p>", "\n\n",
]
FRONT_MATTER = st.one_of(
    st.just(""),
    st.builds(lambda t, d: f"---\ntitle: {t}\ndate: {d}\n---\n", st.sampled_from(HOSTILE + ["标题"]),
              st.sampled_from(["2024-03-14", "2024-13-45", "14 Jul 999999999999999999999 08:05", "*a"])),
    st.just("---\na: &a [x, x, x]\nb: &b [*a, *a, *a]\ntitle: *b\n---\n"),
)
PIECES = st.lists(st.one_of(st.sampled_from(FACTS), st.sampled_from(HOSTILE),
                            st.text(alphabet="太原市项目亿元万，。<>/=&*\n", max_size=12)),
                  min_size=1, max_size=10)


def _strict_json(text: str):
    def refuse(name):
        raise ValueError(f"{name} is not JSON")

    return json.loads(text, parse_constant=refuse)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(front=FRONT_MATTER, pieces=PIECES, title=st.one_of(st.none(), st.sampled_from(HOSTILE + ["标题"])))
def test_any_mix_is_refused_cleanly_or_exported_safely(front, pieces, title):
    text = front + "".join(pieces)
    try:
        article = ingest_text(text, "prop.md", title=title)
    except IngestError:
        return  # refused with a message: fine
    assert "Traceback" not in "".join(article.warnings)
    records = extract_records(article)
    for r in records:
        for value in (r.amount_yi, r.amount_max_yi):
            assert value is None or 0 <= value <= MAX_YI
        if r.amount_yi is not None and r.amount_max_yi is not None:
            assert r.amount_yi <= r.amount_max_yi
    locate(records)
    with tempfile.TemporaryDirectory() as tmp:
        db = write_store(Path(tmp) / "p.gpkg", [article], records)
        gdf = read_records(db)
    assert len(gdf) == len(records)
    features = _strict_json(to_geojson(gdf))["features"]
    assert len(features) == len(records)
    rows = list(csv.reader(io.StringIO(to_csv(gdf).lstrip("\ufeff"))))
    assert len(rows) == len(records) + 1
    assert not [cell for row in rows[1:] for cell in row if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]


@settings(max_examples=30, deadline=None)
@given(tag=st.sampled_from(["svg", "iframe", "title", "script", "style"]), lead=st.sampled_from(["某", "<p>某", ""]))
def test_an_unclosed_element_never_hides_the_next_paragraph(tag, lead):
    article = ingest_text(f"{lead}<{tag}>{FACTS[0]}\n{FACTS[1]}", "u.html", title="标题")
    assert any(f"<{tag}>" in w for w in article.warnings)
    assert any(r.amount_yi == 2.0 and r.amount_max_yi == 4.0 for r in extract_records(article))
