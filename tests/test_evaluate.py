"""geo.evaluate: matching, field scores, and the command line."""
import pytest

from geo.errors import GeoError
from geo.evaluate import evaluate, format_report, load_annotations, main, match
from geo.models import Record


def rec(sentence, amount=None, kind="project", **kw):
    return Record(id="x", kind=kind, article_id="a", sentence=sentence, amount_yi=amount, **kw)


def test_match_needs_snippet_and_amount():
    records = [rec("甲地 总投资5亿元的项目开工", 5.0), rec("乙地签约项目3个，总投资9亿元", 9.0, "batch")]
    gold = [{"snippet": "总投资5亿元", "amount_yi": 5, "kind": "project"},
            {"snippet": "签约项目3个", "amount_yi": 8, "kind": "batch"}]
    pairs = match(gold, records)
    assert pairs[0][1] is records[0] and pairs[1][1] is None


def test_each_record_matches_once():
    records = [rec("总投资5亿元，预计年产值5亿元", 5.0)]
    gold = [{"snippet": "总投资5亿元", "amount_yi": 5}, {"snippet": "年产值5亿元", "amount_yi": 5}]
    assert [r is not None for _, r in match(gold, records)] == [True, False]


def test_evaluate_on_a_tiny_corpus(tmp_path):
    (tmp_path / "a.txt").write_text("---\ntitle: 测试\ndate: 2023-05-01\n---\n朔州市签约项目18个，总投资96.3亿元。\n",
                                    encoding="utf-8")
    ann = tmp_path / "ann.yaml"
    ann.write_text("- article: a.txt\n  records:\n  - {kind: batch, snippet: 签约项目18个, amount_yi: 96.3,"
                   " currency: CNY, amount_kind: investment, project_count: 18, place_adcode: '140600',"
                   " precision: city, stage: signed}\n  places:\n  - {text: 朔州市, adcode: '140600', count: 1}\n",
                   encoding="utf-8")
    report = evaluate(load_annotations(ann), tmp_path)
    assert (report.records.tp, report.records.gold) == (1, 1)
    assert report.fields["project_count"].recall == 1.0
    assert report.fields["place_adcode"].recall == 1.0
    assert report.places.recall == 1.0
    assert "record found" in format_report(report, verbose=True)
    assert main(["--annotations", str(ann), "--articles", str(tmp_path)]) == 0


def test_bad_annotation_file(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("just: a mapping\n", encoding="utf-8")
    with pytest.raises(GeoError, match="bad.yaml"):
        load_annotations(bad)
    assert main(["--annotations", str(bad)]) == 2
    assert "error" in capsys.readouterr().err
