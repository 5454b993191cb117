"""geo.evaluate: matching, field scores, and the command line."""
import pytest

from geo.errors import GeoError
from geo.evaluate import evaluate, format_report, format_summary, load_annotations, main, match
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


def test_pairs_are_taken_best_first_whatever_the_order_of_annotations():
    sentence = "签约甲氢能重卡制造项目、乙光伏组件项目，并与某公司合作建设30座加氢站"
    records = [rec(sentence, name="甲氢能重卡制造项目"), rec(sentence, name="乙光伏组件项目")]
    gold = [{"snippet": "建设30座加氢站", "name": "合作建设30座加氢站", "kind": "project"},
            {"snippet": "乙光伏组件项目", "name": "乙光伏组件项目", "kind": "project"},
            {"snippet": "甲氢能重卡制造项目", "name": "甲氢能重卡制造项目", "kind": "project"}]
    pairs = match(gold, records)
    assert [r and r.name for _, r in pairs] == [None, "乙光伏组件项目", "甲氢能重卡制造项目"]


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


def test_summary_counts_projects_located_batches_and_non_investment(tmp_path):
    (tmp_path / "a.txt").write_text(
        "---\ntitle: 测试\ndate: 2023-05-01\n---\n朔州市签约项目18个，总投资96.3亿元。\n"
        "山阴县某某科技年产5万吨碳纤维项目总投资5亿元。\n平鲁区某某光伏项目建成后年产值8亿元。\n", encoding="utf-8")
    ann = tmp_path / "ann.yaml"
    ann.write_text(
        "- article: a.txt\n  records:\n"
        "  - {kind: batch, snippet: 签约项目18个, amount_yi: 96.3, amount_kind: investment, place_adcode: '140600'}\n"
        "  - {kind: project, snippet: 年产5万吨碳纤维, amount_yi: 5, amount_kind: investment, place_adcode: '140600'}\n"
        "  - {kind: project, snippet: 某某光伏项目, amount_yi: 8, amount_kind: output, place_adcode: '140603'}\n",
        encoding="utf-8")
    report = evaluate(load_annotations(ann), tmp_path)
    s = report.summary
    assert (s.projects, s.projects_found, s.batches, s.batches_found) == (2, 2, 1, 1)
    # a city-level annotation accepts any place in that city
    assert s.projects_located == 2
    assert s.non_investment_as_investment == 0 and s.amount_kind_right == s.amounts == 3
    assert "found and located 2/2" in format_summary("x", report)


def test_named_sets_run_from_the_command_line(capsys):
    assert main(["--set", "corpus"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("[corpus] 4 articles") and "projects found" in out


def test_traditional_snippets_match_simplified_sentences():
    records = [rec("侯马经济开发区签约电子材料项目", None)]
    assert match([{"snippet": "侯馬經濟開發區簽約", "amount_yi": None}], records)[0][1] is records[0]


def test_a_sentences_records_go_to_the_annotations_bearing_their_names():
    sentence = "推进甲项目、乙煤制氢项目建设"
    records = [rec(sentence, name="乙煤制氢项目"), rec(sentence, name="甲项目")]
    gold = [{"snippet": "推进甲项目", "name": "甲项目", "kind": "project"},
            {"snippet": "乙煤制氢项目", "name": "乙煤制氢项目", "kind": "project"}]
    assert [r.name for _, r in match(gold, records)] == ["甲项目", "乙煤制氢项目"]


def test_a_project_reported_twice_matches_its_record_by_name():
    records = [rec("某某新材料项目开工仪式举行", name="某某新材料项目"), rec("另一句", name="别的项目")]
    gold = [{"snippet": "某某新材料项目位于开发区", "name": "太原市某某新材料项目", "kind": "project"},
            {"snippet": "没有的句子", "name": "某某新材料", "kind": "project"}]
    pairs = match(gold, records)
    assert pairs[0][1] is records[0] and pairs[1][1] is None  # a part of a name is not the name


def test_name_recall_on_a_names_set(tmp_path, capsys):
    from geo.evaluate import evaluate_names

    (tmp_path / "a.txt").write_text("---\ntitle: 某省项目开工\ndate: '2024-03-01'\nsource_url: https://x.cn/1\n---\n"
                                    "北岭县年产5万吨新材料项目、河湾物流园项目开工建设。某某会议召开。\n", encoding="utf-8")
    (tmp_path / "names.yaml").write_text("- article: a.txt\n  names:\n  - 北岭县年产5万吨新材料项目\n"
                                         "  - 河湾物流园项目\n  - 南山数据中心\n", encoding="utf-8")
    report = evaluate_names(tmp_path)
    assert (report.articles, report.names, report.found) == (1, 3, 2)
    assert report.missed == [("a.txt", "南山数据中心")] and report.projects_named == report.projects == 2
    assert main(["--names", str(tmp_path)]) == 0
    assert "names found 2/3 (67%)" in capsys.readouterr().out
