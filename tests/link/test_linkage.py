"""geo.link.linkage on invented project records (names, firms and figures made up for the tests)."""
from __future__ import annotations

import pandas as pd
import pytest

from geo.link import linkage
from geo.link.linkage import Override, capacities, link, normalise_firm, normalise_name, phase_of

# Invented places: 原平市 140981 in 忻州 1409, 代县 140923, 小店区 140105 in 太原 1401.
_BASE = dict(kind="project", company=None, amount_yi=None, amount_kind="investment", currency="CNY",
             chain=None, stage=None, date=None, article_date=None, precision="county", county_adcode="140981",
             city_adcode="140900", zone=None, place_adcodes="140981")


def rec(id, article, name, **kw) -> dict:
    row = dict(_BASE, id=id, article_id=article, name=name)
    row.update(kw)
    if row["precision"] == "city":
        row.update(county_adcode=None, place_adcodes="")
    return row


def frame(*rows) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


def groups(result: linkage.Linkage) -> set[frozenset]:
    by_uid = {}
    for rid, uid in result.uids.items():
        by_uid.setdefault(uid, set()).add(rid)
    return {frozenset(v) for v in by_uid.values()}


def test_normalised_name_drops_phase_capacity_places_and_suffix():
    assert normalise_name("忻州市原平市“鸿远玻纤”年产30万吨高性能玻璃纤维智造项目") == "鸿远玻纤高性能玻璃纤维智造"
    assert normalise_name("鸿远玻纤项目") == "鸿远玻纤"
    assert normalise_name("山西鸿远玻纤有限公司年产30万吨高性能玻璃纤维智造项目") == "鸿远玻纤高性能玻璃纤维智造"
    assert normalise_name("小店区云岭锂电池（二期）建设工程") == "云岭锂电池"
    assert phase_of("云岭锂电池（二期）建设工程") == 2
    assert phase_of("云岭锂电池首期工程") == 1
    assert phase_of("云岭锂电池工程") is None
    assert capacities("年产30万吨玻纤") == {(300000.0, "吨")}
    assert capacities("200MW光伏电站") == {(200.0, "MW")}


def test_a_stray_leading_company_word_is_not_part_of_the_name():
    # "公司表示，公司山西16GW…项目一期…", "该集成电路用…项目"
    assert normalise_name("公司山西鸿远玻纤智造项目") == normalise_name("鸿远玻纤智造项目") == "鸿远玻纤智造"
    assert normalise_name("该鸿远玻纤智造项目") == "鸿远玻纤智造"


def test_normalised_firm_drops_legal_suffix_and_province_but_keeps_city():
    assert normalise_firm("山东鸿远玻璃纤维股份有限公司") == "鸿远玻璃纤维"
    assert normalise_firm("鸿远玻璃纤维（山西）有限公司") == "鸿远玻璃纤维"
    assert normalise_firm("太原云岭重工集团有限公司") == "太原云岭重工"


def test_three_reports_of_one_project_are_one_entity():
    result = link(frame(
        rec("a1", "art-2022", "鸿远玻纤年产30万吨高性能玻璃纤维智造项目", company="鸿远玻璃纤维有限公司",
            amount_yi=35.0, stage="signed", date="2022-05-10", chain="新材料"),
        rec("b1", "art-2023", "鸿远玻纤项目", amount_yi=35.3, stage="started", date="2023-03-01",
            chain="新材料"),
        rec("c1", "art-2024", "原平市鸿远玻纤年产30万吨高性能玻璃纤维智造项目", amount_yi=35.3,
            stage="in_production", date="2024-06-01", precision="city"),
    ))
    assert groups(result) == {frozenset({"a1", "b1", "c1"})}
    assert result.uids["a1"] == linkage.project_uid("a1")  # the earliest member names the entity


def test_records_of_one_article_are_never_merged():
    result = link(frame(
        rec("a1", "art-1", "鸿远玻纤智造项目", amount_yi=5.0),
        rec("a2", "art-1", "鸿远玻纤智造项目", amount_yi=5.0),
    ))
    assert len(groups(result)) == 2


def test_same_firm_elsewhere_or_other_phase_or_other_amount_stays_apart():
    result = link(frame(
        rec("a1", "art-1", "鸿远玻纤智造一期项目", company="鸿远玻纤", amount_yi=20.0),
        rec("b1", "art-2", "鸿远玻纤智造二期项目", company="鸿远玻纤", amount_yi=20.0),  # other phase
        rec("c1", "art-3", "鸿远玻纤智造项目", company="鸿远玻纤", amount_yi=20.0,
            county_adcode="140923", place_adcodes="140923"),  # other county
        rec("d1", "art-4", "鸿远玻纤风电叶片项目", company="鸿远玻纤", amount_yi=3.0),  # other works
    ))
    assert all(len(g) == 1 for g in groups(result))


def test_different_firms_with_a_similar_name_stay_apart():
    result = link(frame(
        rec("a1", "art-1", "年产10万吨氢氧化锂项目", company="云岭锂业有限公司", amount_yi=12.0),
        rec("b1", "art-2", "年产10万吨氢氧化锂项目", company="北辰新能源科技有限公司", amount_yi=12.0),
    ))
    assert len(groups(result)) == 2


def test_a_chain_of_links_never_joins_two_counties():
    # A city-level report matches both county reports; they must not end in one entity.
    result = link(frame(
        rec("a1", "art-1", "鸿远玻纤智造项目", amount_yi=8.0),
        rec("b1", "art-2", "鸿远玻纤智造项目", amount_yi=8.0, county_adcode="140923", place_adcodes="140923"),
        rec("c1", "art-3", "鸿远玻纤智造项目", amount_yi=8.0, precision="city"),
    ))
    assert frozenset({"a1", "b1"}) not in groups(result)
    assert not any({"a1", "b1"} <= g for g in groups(result))


def test_batches_and_stats_get_no_uid():
    result = link(frame(
        rec("a1", "art-1", "鸿远玻纤智造项目", amount_yi=8.0),
        rec("x1", "art-2", "签约一批", kind="batch", amount_yi=100.0),
        rec("s1", "art-3", "全县工业产值", kind="stat", amount_kind="output", amount_yi=60.0),
    ))
    assert set(result.uids) == {"a1"}


def test_stages_out_of_date_order_stay_apart():
    result = link(frame(
        rec("a1", "art-1", "鸿远玻纤智造项目", stage="in_production", date="2021-01-05"),
        rec("b1", "art-2", "鸿远玻纤智造项目", stage="signed", date="2023-06-01"),
    ))
    assert len(groups(result)) == 2


def test_overrides_merge_and_split_in_log_order():
    rows = frame(
        rec("a1", "art-1", "鸿远玻纤智造项目", amount_yi=8.0, date="2022-01-01"),
        rec("b1", "art-2", "鸿远玻纤项目", amount_yi=8.0, date="2023-01-01"),
        rec("c1", "art-3", "北辰储能电站项目", amount_yi=2.0),
    )
    assert groups(link(rows)) == {frozenset({"a1", "b1"}), frozenset({"c1"})}
    split = link(rows, [Override("split", "b1")])
    assert groups(split) == {frozenset({"a1"}), frozenset({"b1"}), frozenset({"c1"})}
    merged = link(rows, [Override("split", "b1"), Override("merge", "c1", "b1")])
    assert groups(merged) == {frozenset({"a1"}), frozenset({"b1", "c1"})}
    unknown = link(rows, [Override("merge", "gone", "a1"), Override("split", "gone")])
    assert groups(unknown) == groups(link(rows))


def test_missing_column_is_a_clear_error():
    with pytest.raises(ValueError, match="county_adcode"):
        link(frame(rec("a1", "art-1", "x")).drop(columns=["county_adcode"]))


def test_a_phase_beside_an_unphased_report_stays_apart_but_one_phase_joins():
    # a named phase is an entity of its own, apart from the whole project (LINKAGE_GUIDE.md)
    rows = frame(
        rec("a1", "art-1", "鸿远玻纤智造项目", company="鸿远玻纤", amount_yi=20.0),
        rec("b1", "art-2", "鸿远玻纤智造二期项目", company="鸿远玻纤", amount_yi=20.0),
        rec("c1", "art-3", "鸿远玻纤智造一期项目", company="鸿远玻纤", amount_yi=20.0),
        rec("d1", "art-4", "鸿远玻纤智造项目（一期）", company="鸿远玻纤", amount_yi=20.0),
    )
    assert groups(link(rows)) == {frozenset({"a1"}), frozenset({"b1"}), frozenset({"c1", "d1"})}


def test_a_long_name_written_alike_joins_a_city_level_report_without_amounts():
    rows = frame(
        rec("a1", "art-1", "鸿远年产30万吨高性能玻璃纤维智造项目", stage="signed", date="2022-05-10"),
        rec("b1", "art-2", "鸿远年产30万吨高性能玻璃纤维智造项目", stage="started", date="2023-03-01",
            precision="city", chain="新材料"),
        rec("c1", "art-3", "光伏发电项目", stage="signed", date="2022-05-10"),  # short and generic
        rec("d1", "art-4", "光伏发电项目", stage="started", date="2023-03-01", precision="city"),
    )
    assert groups(link(rows)) == {frozenset({"a1", "b1"}), frozenset({"c1"}), frozenset({"d1"})}


def test_one_sentences_investment_output_and_taxes_are_one_project():
    # "鸿远玻纤智造项目总投资20亿元，达产后年产值35亿元、利税4亿元": one record per amount, one project.
    rows = frame(
        rec("a1", "art-1", "鸿远玻纤智造项目", amount_yi=20.0, sentence_start=40),
        rec("a2", "art-1", None, amount_yi=35.0, amount_kind="output", sentence_start=40),
        rec("a3", "art-1", None, amount_yi=4.0, amount_kind="profit_tax", sentence_start=40),
        rec("a4", "art-1", None, amount_yi=6.0, amount_kind="output", sentence_start=90),  # another sentence
    )
    assert groups(link(rows)) == {frozenset({"a1", "a2", "a3"}), frozenset({"a4"})}


def test_a_sentence_with_two_figures_of_one_kind_or_two_names_is_not_grouped():
    # "一期建设6GWh生产线，二期建设4GWh生产线…一期年产值30亿元，二期年产值20亿元"
    rows = frame(
        rec("a1", "art-1", "6GWh电芯生产线", amount_yi=None, sentence_start=10),
        rec("a2", "art-1", "4GWh电芯生产线", amount_yi=None, sentence_start=10),
        rec("a3", "art-1", None, amount_yi=30.0, amount_kind="output", sentence_start=70),
        rec("a4", "art-1", None, amount_yi=20.0, amount_kind="output", sentence_start=70),
    )
    assert groups(link(rows)) == {frozenset({"a1"}), frozenset({"a2"}), frozenset({"a3"}), frozenset({"a4"})}


def test_nameless_reports_of_a_short_firm_or_a_large_equal_investment_are_compared():
    rows = frame(
        # a firm of two characters once its suffix is gone has no 3-character shingle
        rec("a1", "art-1", None, company="中来股份", amount_yi=56.0, zone="示范区X", precision="zone"),
        rec("b1", "art-2", None, company="中来股份", amount_yi=56.0, zone="示范区X", precision="zone"),
        # nameless, firmless: 560亿 equal in one county is one project; 3亿 equal is chance
        rec("c1", "art-3", None, amount_yi=560.0, chain="光伏"),
        rec("d1", "art-4", None, amount_yi=560.0, chain="光伏"),
        rec("e1", "art-5", None, amount_yi=3.0, chain="光伏"),
        rec("f1", "art-6", None, amount_yi=3.0, chain="光伏"),
    )
    assert groups(link(rows)) == {frozenset({"a1", "b1"}), frozenset({"c1", "d1"}), frozenset({"e1"}),
                                  frozenset({"f1"})}


def test_large_investments_rounded_differently_are_compared():
    # nameless, firmless reports of one county: 39.94亿 and 40亿 are one project; 3亿 twice is chance
    rows = frame(
        rec("a1", "art-1", None, amount_yi=39.94, chain="锂电"),
        rec("b1", "art-2", None, amount_yi=40.0, chain="锂电"),
        rec("c1", "art-3", None, amount_yi=52.0, chain="锂电"),  # 30 % more: another project
    )
    assert groups(link(rows)) == {frozenset({"a1", "b1"}), frozenset({"c1"})}


def test_a_phase_written_right_after_the_quoted_name_is_the_records_phase():
    assert linkage.phase_in_context("“鸿远玻纤智造项目”", "鸿远“鸿远玻纤智造项目”一期工程顺利投产") == 1
    assert linkage.phase_in_context("鸿远玻纤智造项目", "鸿远玻纤智造项目（二期）开工") == 2
    assert linkage.phase_in_context("鸿远玻纤智造项目", "鸿远玻纤智造项目开工，一期年产10万吨") is None
    assert linkage.phase_in_context("鸿远玻纤智造二期项目", None) == 2
    # or written before it in its clause, not in the clause or list item before
    assert linkage.phase_in_context("6GWh电芯生产线", "项目分阶段实施，首期工程将建设6GWh电芯生产线") == 1
    assert linkage.phase_in_context("北辰储能项目", "鸿远玻纤二期项目、北辰储能项目开工") is None
    # so the first phase's production and the second phase's signing stay two projects
    rows = frame(
        rec("a1", "art-1", "“鸿远玻纤智造项目”", company="鸿远玻纤", sentence="“鸿远玻纤智造项目”一期工程投产"),
        rec("b1", "art-2", "“鸿远玻纤智造项目”", company="鸿远玻纤", sentence="“鸿远玻纤智造项目”二期工程签约"),
    )
    assert len(groups(link(rows))) == 2


def test_an_articles_nameless_figures_join_the_one_project_it_names():
    # art-1: "鸿远玻纤智造项目总投资56亿元…" … "全部达产后，预计年产值150亿元" … "鸿远玻纤项目…"
    rows = frame(
        rec("a1", "art-1", "鸿远玻纤智造项目", company="鸿远玻纤", amount_yi=56.0, sentence_start=10),
        rec("a2", "art-1", None, amount_yi=150.0, amount_kind="output", sentence_start=300),
        rec("a3", "art-1", "鸿远玻纤项目", company="鸿远玻纤", amount_yi=None, amount_kind=None,
            sentence_start=500),
        # art-2 names two projects: its nameless figure belongs to neither for sure
        rec("b1", "art-2", "鸿远玻纤智造项目", amount_yi=None, amount_kind=None, sentence_start=10),
        rec("b2", "art-2", "北辰储能电站项目", amount_yi=None, amount_kind=None, sentence_start=100),
        rec("b3", "art-2", None, amount_yi=30.0, amount_kind="output", sentence_start=200),
        # art-3 names a phase: its nameless total is not the phase's
        rec("c1", "art-3", "北辰储能电站一期项目", amount_yi=4.0, sentence_start=10),
        rec("c2", "art-3", None, amount_yi=12.0, sentence_start=90),
    )
    found = groups(link(rows))
    assert {"a1", "a2", "a3"} <= next(g for g in found if "a1" in g)
    assert {"b3"} in found and not any({"c1", "c2"} <= g for g in found)


def test_a_run_of_nameless_figures_is_one_project_but_not_across_a_named_one():
    # "项目总投资30亿元，分两期建设，一期…" then "项目投产后年销售收入104亿元、纳税3.4亿元": one project;
    # a nameless figure after another project's name, or a second investment, stays apart
    rows = frame(
        rec("a1", "art-1", "一期4GW项目", amount_yi=18.0, sentence_start=100),
        rec("a2", "art-1", None, amount_yi=30.0, sentence_start=100),
        rec("a3", "art-1", None, amount_yi=104.0, amount_kind="revenue", sentence_start=180),
        rec("a4", "art-1", None, amount_yi=3.4, amount_kind="profit_tax", sentence_start=180),
        rec("a5", "art-1", "北辰储能电站项目", amount_yi=None, amount_kind=None, sentence_start=260),
        rec("a6", "art-1", None, amount_yi=9.0, amount_kind="output", sentence_start=320),
        rec("a7", "art-1", None, amount_yi=5.0, sentence_start=400),
        rec("a8", "art-1", None, amount_yi=2.0, sentence_start=480),  # a second nameless investment
    )
    found = groups(link(rows))
    assert frozenset({"a2", "a3", "a4"}) in found
    assert not any({"a4", "a6"} <= g or {"a7", "a8"} <= g or "a1" in g and len(g) > 1 for g in found)


def test_a_figures_phase_is_read_before_it_in_its_clause():
    sentence = "据估算，该项目一期投产后年产值可达约30亿元，二期投产后年产值预计约为20亿元。"
    assert linkage.phase_in_context(None, sentence, "约30亿元") == 1
    assert linkage.phase_in_context(None, sentence, "约为20亿元") == 2
    assert linkage.phase_in_context(None, "项目总投资25亿元，分两期建设", "25亿元") is None


def test_an_articles_records_of_one_phase_are_one_project():
    # "首期工程将建设6GWh电芯生产线…二期工程将建设4GWh电芯生产线…该项目一期投产后年产值约30亿元，二期…20亿元"
    s3 = "该项目一期投产后年产值约30亿元，二期投产后年产值约20亿元"
    rows = frame(
        rec("a1", "art-1", "6GWh电芯生产线", amount_yi=None, amount_kind=None, sentence_start=10,
            sentence="项目分阶段实施，首期工程将建设6GWh电芯生产线"),
        rec("a2", "art-1", "4GWh电芯生产线", amount_yi=None, amount_kind=None, sentence_start=60,
            sentence="二期工程将建设4GWh电芯生产线"),
        rec("a3", "art-1", None, amount_yi=30.0, amount_kind="output", sentence_start=120, sentence=s3,
            amount_text="约30亿元"),
        rec("a4", "art-1", None, amount_yi=20.0, amount_kind="output", sentence_start=120, sentence=s3,
            amount_text="约20亿元"),
        # two investments of one phase (a total and what is spent, or two projects) stay apart
        rec("b1", "art-2", "鸿远一期项目", amount_yi=18.0, sentence_start=10),
        rec("b2", "art-2", "鸿远一期项目", amount_yi=12.0, sentence_start=90),
    )
    found = groups(link(rows))
    assert {frozenset({"a1", "a3"}), frozenset({"a2", "a4"}), frozenset({"b1"}), frozenset({"b2"})} == found


def test_the_amount_spent_so_far_is_not_a_second_investment():
    s1 = "鸿远玻纤三期项目总投资20亿元，已经完成投资16亿元，投产后可实现产值60亿元"
    assert linkage.spent_so_far(s1, "16亿元") and not linkage.spent_so_far(s1, "20亿元")
    rows = frame(
        rec("a1", "art-1", None, company="鸿远玻纤", amount_yi=20.0, sentence_start=5, sentence=s1, amount_text="20亿元"),
        rec("a2", "art-1", None, company="鸿远玻纤", amount_yi=16.0, sentence_start=5, sentence=s1, amount_text="16亿元"),
        rec("a3", "art-1", None, company="鸿远玻纤", amount_yi=60.0, amount_kind="output", sentence_start=5,
            sentence=s1, amount_text="60亿元"),
    )
    assert groups(link(rows)) == {frozenset({"a1", "a2", "a3"})}


def test_two_capacities_of_one_unit_are_two_projects():
    # 年产12万吨 (a third phase) and 年产30万吨 (a later plan) of one firm's product in one county
    rows = frame(
        rec("a1", "art-1", "鸿远年产12万吨负极材料一体化项目", company="鸿远锂电"),
        rec("b1", "art-2", "鸿远年产30万吨负极材料一体化项目", company="鸿远锂电"),
        rec("c1", "art-3", "鸿远年产30万吨负极材料一体化项目", company="鸿远锂电"),
    )
    assert groups(link(rows)) == {frozenset({"a1"}), frozenset({"b1", "c1"})}


def test_two_capacities_are_not_joined_through_a_report_without_one():
    # a firm's nameless report links to both plants; the plants themselves must stay apart
    rows = frame(
        rec("a1", "art-1", "鸿远年产12万吨负极材料一体化项目", company="鸿远锂电"),
        rec("b1", "art-2", "鸿远年产30万吨负极材料一体化项目", company="鸿远锂电"),
        rec("c1", "art-3", "鸿远负极材料一体化项目", company="鸿远锂电"),
    )
    found = groups(link(rows))
    assert not any({"a1", "b1"} <= g for g in found)


def test_a_record_named_only_by_its_phase_takes_the_articles_project_name():
    # art-1: "鸿远玻纤智造项目总投资56亿元…全部达产后年产值150亿元…7月16日，一期开工建设"
    rows = frame(
        rec("a1", "art-1", "鸿远玻纤智造项目", amount_yi=56.0, sentence_start=10),
        rec("a2", "art-1", None, amount_yi=150.0, amount_kind="output", sentence_start=300),
        rec("a3", "art-1", "一期", amount_yi=None, amount_kind=None, stage="started", sentence_start=500),
        rec("b1", "art-2", "鸿远玻纤智造项目一期", amount_yi=None, amount_kind=None, stage="in_production"),
        # art-3 names two projects: its "一期" refers to neither for sure
        rec("c1", "art-3", "北辰储能电站项目", amount_yi=None, amount_kind=None, sentence_start=10),
        rec("c2", "art-3", "鸿远玻纤智造项目", amount_yi=None, amount_kind=None, sentence_start=90),
        rec("c3", "art-3", "一期", amount_yi=None, amount_kind=None, sentence_start=200),
    )
    found = groups(link(rows))
    # the phase joins the phase, the whole project's nameless output joins the whole project
    assert frozenset({"a3", "b1"}) in found and {"a1", "a2"} <= next(g for g in found if "a1" in g)
    assert frozenset({"c3"}) in found


def test_a_record_named_only_by_a_capacity_takes_the_name_of_the_articles_record_of_that_capacity():
    # art-1: "鸿远负极材料年产30万吨项目一期首批已投产…山西30万吨项目全部建成后…"; "北辰储能电站项目" beside it
    rows = frame(
        rec("a1", "art-1", "鸿远负极材料年产30万吨项目一期", amount_yi=None, amount_kind=None, sentence_start=10),
        rec("a2", "art-1", "山西30万吨项目", amount_yi=None, amount_kind=None, sentence_start=300),
        rec("a3", "art-1", "北辰储能电站项目", amount_yi=None, amount_kind=None, sentence_start=500),
        rec("b1", "art-2", "鸿远负极材料年产30万吨项目", amount_yi=None, amount_kind=None),
    )
    assert normalise_name("山西30万吨项目") == ""
    assert groups(link(rows)) == {frozenset({"a1"}), frozenset({"a2", "b1"}), frozenset({"a3"})}


def test_two_reports_of_one_project_in_one_article_join_through_another_article():
    # art-1 names the project twice ("鸿远钠电材料项目" … "鸿远集团钠电材料项目"); art-2 reports it again
    rows = frame(
        rec("a1", "art-1", "鸿远钠电材料项目", company="鸿远新材料有限公司", amount_yi=None, amount_kind=None,
            sentence_start=10),
        rec("a2", "art-1", "鸿远集团钠电材料项目", company="鸿远集团", amount_yi=None, amount_kind=None,
            sentence_start=500),
        rec("b1", "art-2", "鸿远集团钠电材料项目", company="鸿远集团", amount_yi=11.0),
        # a list of one firm's projects: a nameless report of the firm links to each item, the items stay apart
        rec("c1", "art-3", "北辰储能电站项目", company="北辰", amount_yi=None, amount_kind=None, sentence_start=10),
        rec("c2", "art-3", "北辰氢能装备项目", company="北辰", amount_yi=None, amount_kind=None, sentence_start=60),
        rec("d1", "art-4", None, company="北辰", amount_yi=None, amount_kind=None),
    )
    found = groups(link(rows))
    assert frozenset({"a1", "a2", "b1"}) in found
    assert not any({"c1", "c2"} <= g for g in found)


def test_one_capacity_rule_for_pairs_and_groups():
    # a unit both sides give, with no figure in common: two plants, whatever else they share
    assert linkage.capacity_conflict({(16.0, "GW"), (100.0, "吨")}, {(8.0, "GW"), (100.0, "吨")})
    assert not linkage.capacity_conflict({(16.0, "GW")}, {(16.0, "GW"), (8.0, "GW")})
    assert not linkage.capacity_conflict({(16.0, "GW")}, {(100.0, "吨")})
    rows = frame(
        rec("a1", "art-1", "鸿远年产16GW电池及100吨银浆项目", company="鸿远光伏"),
        rec("b1", "art-2", "鸿远年产8GW电池及100吨银浆项目", company="鸿远光伏"),
    )
    assert groups(link(rows)) == {frozenset({"a1"}), frozenset({"b1"})}


def test_a_figure_of_the_project_named_after_a_line_joins_the_project():
    # "鸿远玻纤基地项目总投资50亿元，计划建设两条年产10万吨玻纤池窑生产线，项目达产后年产值30亿元": the extractor
    # names the output after the line; its clause speaks of 项目, the base named before it
    s1 = "鸿远玻纤基地项目总投资50亿元，计划建设两条年产10万吨玻纤池窑生产线，项目达产后年产值30亿元。"
    # a list's total after its items ("包括A、B，项目总投资7亿元") and a 项目 named only after the figure stay apart
    s2 = "本次签约项目包括年产1亿只肉鸡生产线、年产5万吨熟食加工厂，项目总投资约7亿元，两年内完成全部配套项目建设。"
    rows = frame(
        rec("a1", "art-1", "鸿远玻纤基地项目", company="鸿远", amount_yi=50.0, sentence_start=0, sentence=s1,
            amount_text="50亿元"),
        rec("a2", "art-1", "年产10万吨玻纤池窑生产线", company="鸿远", amount_yi=30.0, amount_kind="output",
            sentence_start=0, sentence=s1, amount_text="30亿元"),
        rec("b1", "art-2", "年产5万吨熟食加工厂", amount_yi=7.0, sentence_start=0, sentence=s2, amount_text="7亿元"),
        rec("b2", "art-2", "两年内完成全部配套项目", amount_yi=None, amount_kind=None, sentence_start=0, sentence=s2),
    )
    assert linkage.of_the_project(s1, "30亿元") == s1.index("30亿元")
    assert linkage.of_the_project(s1, "50亿元") is None
    assert groups(link(rows)) == {frozenset({"a1", "a2"}), frozenset({"b1"}), frozenset({"b2"})}


def test_an_item_of_a_reprinted_list_joins_the_item_at_its_rank():
    # two articles print one list; its first two items link, the third is named two ways (净水厂 / 供水工程)
    s1 = "北辰集团承担鸿远项目定制厂房、2座110KV变电站和清河净水厂三个项目的建设。"
    s2 = "网站转载：承担鸿远项目定制厂房、2座110KV变电站和清河供水工程三个项目的建设。"
    s3 = "北辰集团承担鸿远项目定制厂房和清河供水工程的设计。"  # a list of two items is no such evidence
    kw = dict(amount_yi=None, amount_kind=None, sentence_start=0)
    first = [rec(f"a{i}", "art-1", name, sentence=s1, **kw)
             for i, name in enumerate(("鸿远项目定制厂房", "2座110KV变电站", "清河净水厂"))]
    second = [rec(f"b{i}", "art-2", name, sentence=s2, **kw)
              for i, name in enumerate(("鸿远项目定制厂房", "2座110KV变电站", "清河供水工程"))]
    third = [rec(f"c{i}", "art-3", name, sentence=s3, **kw) for i, name in enumerate(("鸿远项目定制厂房", "清河净水厂"))]
    norms = linkage._norms(frame(first[2], second[2]).assign(article_date=None, amount_text=None)[linkage.COLUMNS])
    assert linkage.LIST_SCORE <= linkage.score(*norms) < linkage.LINK_SCORE  # alone: not a link
    assert groups(link(frame(*first, *second))) == {frozenset({"a0", "b0"}), frozenset({"a1", "b1"}),
                                                    frozenset({"a2", "b2"})}
    assert groups(link(frame(*second, *third))) == {frozenset({"b0", "c0"}), frozenset({"b1"}), frozenset({"b2"}),
                                                    frozenset({"c1"})}


def test_an_equal_large_figure_off_the_round_grid_weighs_more():
    # nameless, firmless reports in one city, chains read differently: 91亿 twice is rarer by chance than 90亿 twice
    assert linkage._unround(91.0) and linkage._unround(39.94) and not linkage._unround(55.0)
    city = dict(name=None, precision="city", city_adcode="140100")
    rows = frame(
        rec("a1", "art-1", **dict(city, precision="county", county_adcode="140108", place_adcodes="140108"),
            amount_yi=91.0, chain="半导体"),
        rec("b1", "art-2", **city, amount_yi=91.0, chain="新材料"),
        rec("c1", "art-3", name=None, amount_yi=90.0, chain="半导体"),  # another city: 原平市
        rec("d1", "art-4", name=None, precision="city", amount_yi=90.0, chain="新材料"),
    )
    assert groups(link(rows)) == {frozenset({"a1", "b1"}), frozenset({"c1"}), frozenset({"d1"})}
