"""The learned name tagger (geo/extract/tagger.py): fresh, used only where the rules find nothing,
and optional (extraction works without its model)."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

import geo.extract.tagger as tagger
from geo.extract import extract_records
from geo.models import Article

ROOT = Path(__file__).resolve().parents[2]
# Invented text: a named project with no amount, no firm and no shape the rules know. It paraphrases a sentence the
# tagger was trained on (dev5's 职工公寓项目): the tagger is weak on new shapes (README), so this checks the wiring —
# rules first, tagger only where they find nothing — not how far it generalises.
SENTENCE = "职工公寓项目整体设计正在完善，拟建于园区纬二路北侧，年底开工。"


def _article(text: str) -> Article:
    return Article(id="t", source="t", title="某县新闻", date="2024-05-01", text="某县新闻\n\n" + text)


def test_model_is_trained_on_the_current_annotations_and_features():
    from geo.evaluate import SETS

    meta = json.loads(tagger.TRAINED_ON.read_text(encoding="utf-8"))
    assert not any(s.startswith("realworld-test") and s != "realworld-test" for s in meta["sets"])  # blind sets stay out
    names_sets = meta.get("names_sets", [])
    files = [Path(SETS[name][0]) for name in meta["sets"]] + [
        ROOT / "tests" / "realworld" / name / "names.yaml" for name in names_sets]
    assert meta["fingerprint"] == tagger.fingerprint(files), "retrain: .venv/bin/python scripts/train_name_tagger.py"


def test_the_shipped_model_is_what_the_training_script_makes_now(tmp_path):
    """Training is deterministic: any change to the data, the features or the code that reads the articles
    (ingest, sentences, places) shows up as different bytes — the fingerprint alone covers only the first two."""
    out = tmp_path / "model.crfsuite"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "train_name_tagger.py"), "--out", str(out)],
                   check=True, capture_output=True, cwd=ROOT)
    assert out.read_bytes() == tagger.MODEL.read_bytes(), "retrain: .venv/bin/python scripts/train_name_tagger.py"


def test_tagger_names_a_project_the_rules_miss(monkeypatch):
    with_model = extract_records(_article(SENTENCE))
    assert [(r.kind, r.name, r.amount_yi) for r in with_model] == [("project", "职工公寓项目", None)]
    monkeypatch.setattr(tagger, "MODEL", ROOT / "no-such-model.crfsuite")
    assert not tagger.available()
    assert extract_records(_article(SENTENCE)) == []  # the rules alone: nothing (so the record above is the tagger's)


@pytest.mark.parametrize("text", [
    "某公司2023年实现营业收入12亿元，同比增长8%。",  # a sentence with a record: the tagger is not asked
    "天气晴好，市民纷纷走出家门踏青赏花。",  # no stage and no named thing: not asked
])
def test_tagger_adds_nothing_where_it_is_not_asked(text, monkeypatch):
    with_model = [(r.kind, r.name, r.amount_yi) for r in extract_records(_article(text))]
    monkeypatch.setattr(tagger, "MODEL", ROOT / "no-such-model.crfsuite")
    assert with_model == [(r.kind, r.name, r.amount_yi) for r in extract_records(_article(text))]


def test_spans_respect_the_probability_floor():
    spans = tagger.tag_names(SENTENCE, [False] * len(SENTENCE), [False] * len(SENTENCE), True)
    assert all(b - a >= tagger.MIN_LEN for a, b in spans)
    assert tagger.tag_names("", [], [], True) == []


def test_threads_tag_independently():
    """The app's sessions are threads: each gets its own CRFsuite tagger, so concurrent uploads agree
    with one-at-a-time extraction."""
    from concurrent.futures import ThreadPoolExecutor

    texts = [SENTENCE, "科创中心项目主体设计已完成，拟建于园区纬二路北侧，年底投入使用。", "天气晴好。"] * 8
    one_by_one = [tagger.tag_names(t, [False] * len(t), [False] * len(t), True) for t in texts]
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda t: tagger.tag_names(t, [False] * len(t), [False] * len(t), True), texts))
    assert together == one_by_one
