"""extract_records end to end: kinds, places, ids, the invented corpus, and robustness."""
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.errors import GeoError
from geo.evaluate import evaluate, load_annotations
from geo.extract import extract_records, record_id
from geo.extract.sentences import clause_bounds, split_sentences
from geo.models import AMOUNT_KINDS, ORIGIN_REGIONS, PRECISIONS, QUALIFIERS, STAGES, Article

CORPUS = Path(__file__).parents[1] / "corpus"


def article(text, date="2023-05-10", title=""):
    return Article(id="test", source="test", title=title, date=date, text=text)


def records(text, **kw):
    return extract_records(article(text, **kw))


def only(text, **kw):
    recs = records(text, **kw)
    assert len(recs) == 1, [(r.kind, r.amount_text, r.name) for r in recs]
    return recs[0]


# ---------------------------------------------------------------- sentences
def test_sentences_keep_offsets_and_closing_quotes():
    text = "“项目年内投产。”负责人说。\n第二段；分句！"
    sents = split_sentences(text)
    assert [s.text for s in sents] == ["“项目年内投产。”", "负责人说。", "第二段；", "分句！"]
    assert all(text[s.start:s.end] == s.text for s in sents)
    assert [s.paragraph for s in sents] == [0, 0, 1, 1]


def test_clause_bounds():
    s = "总投资5亿元，年产值8亿元"
    assert s[slice(*clause_bounds(s, 9))] == "年产值8亿元"


# ---------------------------------------------------------------- kinds
def test_project_with_company_amount_and_place():
    r = only("5月8日，宁德时代在长治市潞州区投资30亿元建设动力电池生产基地。")
    assert (r.kind, r.amount_yi, r.amount_kind, r.company) == ("project", 30.0, "investment", "宁德时代")
    assert (r.origin_region, r.origin_place) == ("other", "宁德市")
    assert (r.county_adcode, r.precision, r.city_adcode) == ("140403", "county", "140400")
    assert r.chain == "锂电" and r.date == "2023-05-08"


def test_batch_with_count_is_not_a_project():
    r = only("朔州市本次集中签约项目18个，总投资96.3亿元。")
    assert (r.kind, r.project_count, r.amount_yi, r.stage) == ("batch", 18, 96.3, "signed")
    assert r.city_adcode == "140600" and r.precision == "city"


def test_count_after_amount():
    r = only("全面铺开总投资56亿元的9个光伏项目。")
    assert (r.kind, r.project_count) == ("batch", 9)


def test_three_rounds_map_to_stages():
    text = "“签约一批”项目6个，总投资12亿元；“开工一批”项目5个，总投资9亿元；“投产一批”项目4个，总投资7亿元。"
    recs = records(text)
    assert [(r.kind, r.project_count, r.stage) for r in recs] == [
        ("batch", 6, "signed"), ("batch", 5, "started"), ("batch", 4, "in_production")]


def test_output_of_a_project_is_not_investment():
    recs = records("山西某新材料有限公司年产5万吨碳纤维项目总投资20亿元，达产后年产值可达35亿元。")
    assert [(r.kind, r.amount_kind) for r in recs] == [("project", "investment"), ("project", "output")]
    assert recs[0].name == "年产5万吨碳纤维项目"


def test_region_wide_statistics_are_stat_records():
    r = only("今年前三季度，全省规上工业营业收入突破1.2万亿元。")
    assert (r.kind, r.amount_kind, r.qualifier) == ("stat", "revenue", "over")
    assert r.stage is None and r.origin_region is None


def test_project_without_amount_is_kept():
    r = only("阳泉经济技术开发区年产2万吨电子级多晶硅项目已经开工。")
    assert (r.kind, r.amount_yi, r.stage) == ("project", None, "started")
    assert r.zone == "阳泉经济技术开发区" and r.precision == "zone"


def test_same_project_named_twice_gives_one_record():
    text = "大同市年产3万吨镁合金项目开工。年产3万吨镁合金项目由深圳某集团投资建设，预计年底投产。"
    recs = [r for r in records(text) if r.kind == "project"]
    assert len(recs) == 1


# ---------------------------------------------------------------- places
def test_place_inside_company_name_is_not_the_site():
    r = only("山东临沂华兴集团在运城市盐湖区投资5亿元建设物流园。")
    assert r.county_adcode == "140802"
    assert r.origin_region == "other"


def test_venue_is_not_the_site():
    r = only("晋城市招商推介会在太原举办，会上共签约12个项目，总投资60亿元。")
    assert r.city_adcode == "140500"


def test_fallback_to_previous_sentence_of_the_paragraph():
    recs = records("临汾经济开发区召开项目推进会。会上，多家企业签约，总投资8亿元的年产1万吨项目落地。")
    assert recs[-1].zone == "临汾经济开发区"


def test_unresolved_record_is_kept():
    r = only("某企业计划投资3000万元扩建生产线。")
    assert (r.precision, r.lon, r.county_adcode) == ("unresolved", None, None)
    assert r.amount_yi == pytest.approx(0.3)


def test_we_city_refers_to_the_last_named_city():
    text = "晋城市召开大会。\n\n会议强调实干。\n\n今年我市共签约项目20个，总投资50亿元。"
    recs = records(text)
    assert recs[-1].city_adcode == "140500"


# ---------------------------------------------------------------- origins from context
def test_article_origin_applies_without_firm_evidence():
    text = "长治市代表团南下广东招商。\n在活动中，双方签约总投资10亿元的年产5000吨精密铸件项目。"
    r = records(text)[-1]
    assert r.origin_region == "guangdong"


def test_firm_evidence_beats_article_origin():
    text = "长治市代表团南下广东招商。\n浙江某某科技有限公司投资6亿元建设年产1万吨项目。"
    r = records(text)[-1]
    assert r.origin_region == "yangtze_delta"


# ---------------------------------------------------------------- ids and input
def test_ids_are_stable_and_documented():
    text = "朔州市签约项目18个，总投资96.3亿元。宁德时代投资30亿元。"
    a, b = records(text), records(text)
    assert [r.id for r in a] == [r.id for r in b]
    assert a[0].id == record_id("test", a[0].sentence_start, 0, a[0].kind)
    assert len({r.id for r in a}) == len(a)


def test_sentence_is_exact_substring():
    text = "前言。\n  临汾市总投资5亿元的年产1万吨项目开工。  \n"
    for r in records(text):
        assert text[r.sentence_start:r.sentence_start + len(r.sentence)] == r.sentence


def test_bad_input_is_a_clear_error():
    with pytest.raises(GeoError, match="Article"):
        extract_records("not an article")


def test_headline_figures_are_not_duplicated():
    text = "大同签约项目22个总投资186亿元\n大同市签约项目22个，总投资186亿元。"
    recs = extract_records(article(text, title="大同签约项目22个总投资186亿元"))
    assert len(recs) == 1


def test_a_headline_project_the_body_never_names_is_kept_once():
    title = "滨河区：青禾燃气有限公司智慧调度平台项目"
    text = title + "\n垣曲县：晋阳环保科技有限公司废弃铜渣综合利用项目\n平陆县：太行耐火材料有限公司年产10万吨研磨材料项目"
    names = [r.name for r in extract_records(article(text, title=title)) if r.kind == "project"]
    assert len(names) == 3 and sum("智慧调度平台" in n for n in names) == 1
    short = "鸿远玻纤项目开工\n鸿远玻纤年产10万吨玻璃纤维项目近日在滨河县开工。"
    names = [r.name for r in extract_records(article(short, title="鸿远玻纤项目开工")) if r.kind == "project"]
    assert len(names) == 1  # the headline's short form of the body's project


# ---------------------------------------------------------------- corpus
def test_corpus_reaches_minimum_precision_and_recall():
    report = evaluate(load_annotations(CORPUS / "annotations.yaml"), CORPUS)
    assert report.records.recall >= 0.9 and report.records.precision >= 0.9
    for name in ("kind", "amount", "amount_kind", "qualifier", "project_count", "origin_region"):
        s = report.fields[name]
        assert s.precision >= 0.9 and s.recall >= 0.9, name
    for name in ("place_adcode", "precision", "chain"):
        s = report.fields[name]
        assert s.precision >= 0.95 and s.recall >= 0.95, name
    assert report.fields["stage"].recall >= 0.85 and report.fields["stage"].precision >= 0.85
    assert report.fields["date"].recall >= 0.9 and report.fields["date"].precision >= 0.75


# ---------------------------------------------------------------- robustness
def _check(recs, text):
    for r in recs:
        assert r.kind in ("project", "batch", "stat")
        assert r.precision in PRECISIONS
        assert r.amount_kind is None or r.amount_kind in AMOUNT_KINDS
        assert r.stage is None or r.stage in STAGES
        assert r.origin_region is None or r.origin_region in ORIGIN_REGIONS
        assert r.qualifier is None or r.qualifier in QUALIFIERS
        assert r.amount_yi is None or r.amount_yi >= 0
        assert r.amount_max_yi is None or r.amount_max_yi >= 0
        assert r.sentence in text
        assert text[r.sentence_start:r.sentence_start + len(r.sentence)] == r.sentence


_PIECES = ["总投资", "亿元", "万元", "美元", "约", "超", "至", "个项目", "签约", "开工", "投产", "，", "。", "；", "\n",
           "太原市", "晋中", "综改示范区", "公司", "集团", "“", "”", "年产", "项目", "12", "3.5", "两", "月", "日",
           "2023年", "比亚迪", "广东", "在", "举行", "产值", "-", "余", "以上"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES), max_size=40), st.text(max_size=30))
def test_random_mixtures_never_raise(pieces, noise):
    text = "".join(pieces) + noise
    _check(records(text, date=None), text)


@settings(max_examples=20, deadline=None)
@given(st.integers(min_value=0, max_value=3000), st.integers(min_value=0, max_value=40), st.text(max_size=5))
def test_mutated_corpus_never_raises(pos, cut, insert):
    base = (CORPUS / "c01_datong.txt").read_text(encoding="utf-8")
    text = base[:pos] + insert + base[pos + cut:]
    _check(records(text), text)


# ---------------------------------------------------------------- chain from a known firm
def test_chain_falls_back_to_a_well_known_firms_industry():
    # No chain keyword in the sentence: the firm's own chain from companies.csv.
    recs = records("阳泉市与宁德时代签约，总投资30亿元的合作项目落户阳泉经济技术开发区。")
    assert [(r.chain, r.chain_keyword) for r in recs if r.amount_yi == 30] == [("锂电", "宁德时代")]
    # A keyword in the sentence still wins over the firm's chain.
    recs = records("比亚迪在朔州投资8亿元建设光伏组件项目。")
    assert recs[0].chain == "光伏"


# ---------------------------------------------------------------- general rules (invented sentences)
def test_firm_output_is_a_stat_but_a_facility_output_is_a_project():
    firm = only("宏远集团是市级龙头企业，2023年实现营业收入45.2亿元。")
    assert (firm.kind, firm.company, firm.amount_kind) == ("stat", "宏远集团", "revenue")
    assert firm.origin_region is None
    base = only("该基地累计生产电池组12万套，产值88亿元。")
    assert base.kind == "project"


def test_project_with_only_output_figures_gets_its_own_record():
    recs = records("长治市正在加快推进年产30万吨球墨铸管项目开工建设，建成后年产值可达18亿元。")
    kinds = sorted((r.kind, r.amount_kind or "") for r in recs)
    assert kinds == [("project", ""), ("project", "output")]
    named = next(r for r in recs if r.amount_yi is None)
    assert named.name.endswith("球墨铸管项目") and named.stage == "planned"


def test_list_of_capacity_projects_gives_one_record_each():
    recs = records("运城市加快推进园区内50万吨再生铝、20万吨铝型材、10万吨铝箔项目开工建设。")
    assert sorted(r.name for r in recs) == ["10万吨铝箔项目", "20万吨铝型材", "50万吨再生铝"]
    assert all(r.kind == "project" and r.amount_yi is None and r.stage == "planned" for r in recs)


def test_list_of_sectors_or_policies_is_not_projects():
    assert records("推进新能源、新材料等项目落地。") == []
    assert records("从财税奖励、土地奖励等方面支持项目建设。") == []


def test_phased_project_takes_its_most_advanced_reached_stage():
    r = only("浙江某光伏企业在阳泉建设的年产3GW电池片项目一期已投产，二期预计8月开工，项目总投资20亿元。")
    assert r.stage == "in_production"


def test_undated_article_takes_its_year_from_the_text():
    text = "2024年，朔州市招商成效明显。\n3月8日，朔州市签约项目12个，总投资45亿元。\n预计到2026年产值翻番。"
    r = only(text, date=None)
    assert r.date == "2024-03-08"


def test_event_reference_carries_the_date_across_paragraphs():
    text = ("5月16日，忻州市重点项目集中开工仪式在忻府区举行。\n此次开工项目15个，总投资33亿元；竣工项目4个，总投资6亿元。"
            "\n全市签约项目9个，总投资12亿元。")
    recs = records(text)
    assert [r.date for r in recs] == ["2023-05-16", "2023-05-16", None]


def test_since_period_is_the_date_of_cumulative_figures():
    r = only("截至2023年9月底，2021年以来全市签约项目共88个，签约投资额412亿元。", date=None)
    assert r.date == "2021-01-01"


def test_rank_word_and_comparison_are_not_sites():
    text = "榆次区大力发展装备制造。\n华强集团是晋中市级链主企业，2023年实现产值52亿元。"
    assert only(text).county_adcode == "140702"


def test_province_wide_subject_and_unnamed_firm():
    text = "阳泉经济技术开发区与一家企业签约。\n另据统计，2023年全省开发区营业收入突破2万亿元。\n某企业负责人介绍，公司计划投资3000万元扩建车间。"
    stat, proj = records(text)
    assert (stat.kind, stat.precision) == ("stat", "province")
    assert (proj.kind, proj.precision) == ("project", "unresolved")


# ---------------------------------------------------------------- rules added for unseen phrasing
def test_a_listed_set_of_firm_projects_gives_one_record_each():
    recs = records("随着华阳新材料、潞安碳纤维、宏达溶剂等项目的推进，长治高新区形成了产业集群。")
    assert [r.name for r in recs] == ["华阳新材料", "潞安碳纤维", "宏达溶剂"]
    assert {r.kind for r in recs} == {"project"} and {r.place_text for r in recs} == {"长治高新区"}


def test_a_list_of_sectors_or_policies_gives_no_projects():
    assert records("大同市加快推进文化旅游、教育培训、财税奖励等项目建设。") == []


def test_a_batch_named_by_its_chain_keeps_it_beside_other_chains():
    rec = only("引进上海申能、东风汽车等龙头企业，全面铺开总投资120亿元的9个氢能产业项目。")
    assert (rec.kind, rec.chain, rec.project_count) == ("batch", "氢能", 9)


def test_figures_of_the_project_just_named_share_its_chain():
    recs = records("运城市新签约年产10万吨电池材料项目，总投资30亿元。\n"
                   "王经理说，项目建成投产后，预计可实现年销售收入约50亿元。")
    assert [(r.amount_kind, r.chain, r.stage) for r in recs] == [
        ("investment", "锂电", "signed"), ("revenue", "锂电", "signed")]  # the figure shares its project's stage


def test_an_origin_cue_in_the_records_own_sentence_beats_the_articles():
    text = ("晋城市组团南下广东开展招商。\n"
            "晋城市还委派专员赴杭州驻点招商，目前已对接4个项目。")
    recs = records(text)
    assert [(r.kind, r.origin_region, r.origin_place) for r in recs] == [("batch", "yangtze_delta", "杭州市")]


def test_a_facility_with_its_capacity_is_a_project():
    rec = only("2023年，大同经开区全省首条年产5000台氢燃料电池发动机生产线正式下线。")
    assert (rec.kind, rec.name, rec.stage, rec.chain) == ("project", "年产5000台氢燃料电池发动机生产线",
                                                          "in_production", "氢能")


def test_a_named_project_with_a_capacity_needs_no_firm_or_stage():
    rec = only("高平经济技术开发区内的山西某某酒业3000吨白酒生产基地项目负责人说，审批只用了20天。")
    assert rec.kind == "project" and rec.name.endswith("3000吨白酒生产基地项目")
    # 山西 heads the firm's name; the zone named before it in the sentence is the site
    assert (rec.place_text, rec.precision) == ("高平经济技术开发区", "zone")


def test_a_packaged_round_of_projects_is_a_planned_batch():
    rec = only("编制招商项目册，包装推出新材料产业链项目26个。")
    assert (rec.kind, rec.project_count, rec.stage) == ("batch", 26, "planned")


def test_bulleted_paragraphs_share_the_date_of_the_paragraph_introducing_them():
    text = ("2024年上半年，阳泉市招商引资成效明显。\n"
            "——围绕新材料产业，确定重点招引项目21个，总投资86亿元。\n"
            "——围绕数字经济，签约项目9个，总投资32亿元。")
    assert [(r.project_count, r.date) for r in records(text, date=None)] == [(21, "2024-01-01"), (9, "2024-01-01")]


def test_what_a_project_will_yield_once_built_inherits_no_date():
    text = ("3月5日，朔州经开区签约年产3万吨碳纤维项目，总投资25亿元。\n"
            "项目建成后，预计可实现年产值40亿元。")
    recs = records(text)
    assert [(r.amount_kind, r.date) for r in recs] == [("investment", "2023-03-05"), ("output", None)]


def test_heldout_articles_keep_records_and_amounts():
    # a floor against regressions on text the rules were not written from (tests/heldout/README.md)
    folder = Path(__file__).parents[1] / "heldout"
    report = evaluate(load_annotations(folder / "annotations.yaml"), folder)
    assert report.records.recall >= 0.9 and report.records.precision >= 0.85
    for name in ("amount", "amount_kind", "qualifier"):
        assert report.fields[name].precision >= 0.95 and report.fields[name].recall >= 0.95, name


def test_a_ceremonys_venues_share_its_date_and_planned_dates_are_not_events():
    text = ("4月18日，忻州市重点项目集中开工仪式在忻州经济开发区主会场举行，原平市、定襄县设分会场。\n"
            "原平市分会场开工的年产5万吨铸件项目，总投资6亿元，计划今年10月投产。\n"
            "定襄县分会场开工的法兰锻造项目，总投资4亿元。")
    recs = records(text, date="2024-04-20")
    assert [(r.amount_yi, r.date) for r in recs if r.kind == "project"] == [(6.0, "2024-04-18"), (4.0, "2024-04-18")]
    # The round itself, known only by its ceremony, is one batch of that day.
    assert [(r.kind, r.stage, r.date) for r in recs if r.kind != "project"] == [("batch", "started", "2024-04-18")]


def test_a_site_borrowed_from_a_list_of_counties_is_their_city():
    text = ("朔州市重点项目签约仪式举行，平鲁区、山阴县、右玉县同步签约。\n"
            "此次共签约项目18个，总投资56亿元。")
    rec = only(text)
    assert (rec.kind, rec.precision, rec.city) == ("batch", "city", "朔州市")


@pytest.mark.parametrize("text", [
    "青禾食品有限公司“年产8万吨果蔬汁项目”签约落户，云岭建工集团作为该项目的建设主体，项目计划总投资约9亿元。",
    "青禾食品有限公司果蔬汁项目总投资9亿元，由云岭建工集团承建。",
    "青禾食品有限公司果蔬汁项目总投资9亿元，施工单位为云岭建工集团。",
])
def test_a_builder_is_not_the_investing_firm(text):
    rec = [r for r in records(text) if r.amount_yi == 9.0][0]
    assert rec.company == "青禾食品有限公司"


def test_a_builder_alone_stays_the_firm():
    rec = only("云岭建工集团承建的果蔬汁项目总投资9亿元。")
    assert rec.company == "云岭建工集团"


@pytest.mark.parametrize("text, name", [
    ("随著青禾冷链物流中心项目签约落地，当地物流短板补齐。", "青禾冷链物流中心项目"),  # 随著 = 随着
    ("签约仪式在滨河举行，标志著青禾冷链物流中心项目正式启动建设。", "青禾冷链物流中心项目"),
    ("青禾食品有限公司表示，公司现阶段正在进行二期果蔬汁项目的筹备。", "二期果蔬汁项目"),
    ("青禾食品有限公司表示，公司云岭果蔬汁加工项目一期已经建成。", "云岭果蔬汁加工项目一期"),
])
def test_a_name_starts_after_a_verb_or_the_word_company(text, name):
    assert name in [r.name for r in records(text) if r.kind == "project"]


def test_a_count_of_lines_is_not_a_name():
    recs = records("云岭果蔬汁加工基地项目位于滨河工业园，建设8条自动化生产线，年销售收入约12亿元。")
    assert all(not (r.name or "").startswith("8条") for r in recs)
    assert [r.name for r in recs if r.amount_yi == 12.0] == ["云岭果蔬汁加工基地项目"]


def test_the_amount_of_a_project_company_is_its_founders():
    text = ("青禾食品有限公司发布公告称，将在当地建设果蔬汁加工基地。"
            "青禾拟与当地平台共同出资成立项目公司，注册资金不低于5亿元，由项目公司建设果蔬汁加工基地。")
    rec = [r for r in records(text) if r.amount_yi == 5.0][0]
    assert rec.company == "青禾食品有限公司"


def test_the_firm_before_a_list_is_every_items_subject():
    recs = records("云岭建工集团承担青禾食品冷库、3座110千伏变电站和滨河污水处理工程三个项目的建设。")
    firms = {r.name: r.company for r in recs if r.kind == "project"}
    assert firms.get("滨河污水处理工程") == "云岭建工集团"


def test_the_figures_of_the_project_just_named_keep_its_firm():
    recs = records("青禾食品有限公司冷链物流中心项目在滨河工业园签约。该项目总投资约6亿元，占地120亩。")
    assert [r.company for r in recs if r.amount_yi == 6.0] == ["青禾食品有限公司"]


def test_the_project_just_named_takes_the_figure_of_the_next_paragraph():
    text = ("3月2日，滨河县青禾冷链物流中心项目举行开工仪式。\n该项目属省级重点工程。\n"
            "据悉，该项目新建冷库8座，总投资6.5亿元，年产值可达12亿元。")
    recs = [r for r in records(text) if r.kind == "project"]
    rec = [r for r in recs if r.amount_kind == "investment"]
    assert [(r.name, r.amount_yi) for r in rec] == [("滨河县青禾冷链物流中心项目", 6.5)]
    assert "开工仪式" in rec[0].sentence and "总投资6.5亿元" in rec[0].sentence
    assert len([r for r in recs if r.name]) == 1  # one project, not a named one and a nameless one


def test_the_whole_project_is_not_its_phase_nor_a_list_item():
    text = "青禾冷链物流中心项目分两期建设。第二期项目预计明年投产。该项目总投资60亿元。"
    rec = [r for r in records(text) if r.amount_yi == 60.0][0]
    assert rec.name != "第二期项目"
    listed = records("青禾冷链物流中心项目、滨河果蔬加工项目同日开工。该项目总投资6亿元。")
    assert all(r.amount_yi is None for r in listed if r.name)


def test_a_total_after_a_list_closed_by_deng_yipi_is_the_lists():
    recs = records("青禾冷链物流中心项目、滨河果蔬加工项目等一批重点项目集中开工，总投资30亿元。")
    assert [(r.kind, r.amount_yi) for r in recs if r.amount_yi] == [("batch", 30.0)]
    assert sorted(r.name for r in recs if r.kind == "project") == ["滨河果蔬加工项目", "青禾冷链物流中心项目"]


def test_a_name_starts_after_huanyou():
    recs = records("同日开工的还有滨河果蔬加工项目。")
    assert [r.name for r in recs if r.kind == "project"] == ["滨河果蔬加工项目"]


def test_a_list_sharing_one_xiangmu_keeps_a_long_last_item():
    recs = records("着力推进青禾集团天然气重卡制造、滨河环卫专用新能源汽车制造、晋阳电动汽车组件及稀金属超级电容组件生产项目建设。")
    assert [r.name for r in recs if r.kind == "project"] == [
        "青禾集团天然气重卡制造", "滨河环卫专用新能源汽车制造", "晋阳电动汽车组件及稀金属超级电容组件生产项目"]


def test_items_built_together_are_named_by_what_is_built():
    recs = records("按照协议，青禾集团与滨河集团合作建设3万辆/年氢燃料电池装载机研发制造项目，与晋阳交控在省内高速服务区"
                   "合作建设30座加氢综合能源站，与太行重工共同建设1万辆/年氢燃料电池起重机研发制造项目。")
    names = [r.name for r in recs if r.kind == "project"]
    assert "3万辆/年氢燃料电池装载机研发制造项目" in names and "1万辆/年氢燃料电池起重机研发制造项目" in names


def test_a_resort_town_opened_is_a_project():
    recs = records("今年8月25日，“龙隐山居”文旅小镇建成投运，游人络绎不绝。")
    assert [(r.name, r.stage) for r in recs if r.kind == "project"] == [("“龙隐山居”文旅小镇", "in_production")]


def test_a_workshop_piled_is_a_project_but_a_bare_production_workshop_is_not():
    recs = records("“10万吨酿醋车间(二期)已打桩完毕，只待春暖便可开挖。”负责人说，今年年底，生产车间就可建成投产。")
    assert [(r.name, r.stage) for r in recs if r.kind == "project"] == [("10万吨酿醋车间", "started")]


def test_a_first_phase_works_with_a_capacity_is_a_project():
    recs = records("今年9月，青禾氢能年产10万套燃料电池系统一期工程正式在大同投产。")
    assert [(r.name, r.stage) for r in recs if r.kind == "project"] == [("年产10万套燃料电池系统一期工程", "in_production")]


def test_a_project_opening_its_description_is_named():
    recs = records("青禾惠科项目是2022年赴粤港澳大湾区招商签约落地的重大项目，总投资90亿元，建筑面积52万平方米。")
    assert [(r.name, r.amount_yi) for r in recs if r.kind == "project"] == [("青禾惠科项目", 90.0)]


def test_works_tunnels_and_tech_cities_a_stage_reports_on_are_projects():
    recs = records("随着黄土坡隧道工程的奠基，全县重点项目集中开工。滨河智慧科技城奠基仪式隆重举行。")
    names = [r.name for r in recs if r.kind == "project"]
    assert "黄土坡隧道工程" in names and "滨河智慧科技城" in names


def test_a_claim_heading_a_staged_facility_is_not_its_name():
    recs = records("首家地市级智慧能源数据中心落户滨河。全国首条年产1万台甲醇重卡生产线投产。")
    assert [r.name for r in recs if r.kind == "project"] == ["智慧能源数据中心", "年产1万台甲醇重卡生产线"]


def test_a_logistics_park_built_takes_the_figure_before_it():
    recs = records("青禾公司投资10亿元建设冷链物流园，同时建设滨河果蔬加工厂。")
    assert [(r.name, r.amount_yi) for r in recs if r.kind == "project"] == [("冷链物流园", 10.0), ("滨河果蔬加工厂", None)]


def test_yiji_joining_two_names_is_in_neither():
    recs = records("总投资10亿元的青禾冷链项目，以及滨河果蔬加工项目均已投产。")
    assert [r.name for r in recs if r.kind == "project"] == ["青禾冷链项目", "滨河果蔬加工项目"]


def test_a_brand_and_its_trade_name_a_project_a_trade_alone_does_not():
    from geo.extract.names import trades_only
    assert trades_only(["仓储物流项目", "文旅康养项目", "现代农业项目"]) and not trades_only(["青禾冷链项目"])
    recs = records("签约项目中，青禾冷链项目投资10亿元，滨河果蔬加工、晋阳碳纤维等项目也顺利签约。")
    assert [(r.name, r.amount_yi) for r in recs if r.amount_yi] == [("青禾冷链项目", 10.0)]


def test_a_headquarters_named_twice_with_ji_is_one_name():
    recs = records("青禾食品亚太总部暨华北区域总部项目，总投资5亿元，落地滨河区；")
    assert [r.name for r in recs if r.amount_yi == 5.0] == ["青禾食品亚太总部暨华北区域总部项目"]


def test_a_name_with_a_bracketed_capacity_is_found_whole():
    recs = records("滨河果蔬加工基地(年产8万吨果蔬汁)项目规划占地约120亩，建设4条灌装线。")
    assert "滨河果蔬加工基地(年产8万吨果蔬汁)项目" in [r.name for r in recs]
    assert not any((r.name or "").startswith("年产") for r in recs)


def test_a_count_before_a_list_opening_leaves_the_first_items_amount_to_it():
    recs = records("在全县推进的重点项目18个中，代表性的包括：青禾冷链物流中心项目，总投资6亿元，落地滨河工业园；")
    rec = [r for r in recs if r.amount_yi == 6.0][0]
    assert (rec.kind, rec.name) == ("project", "青禾冷链物流中心项目")


def test_a_verb_before_the_first_site_capacity_item_is_not_in_its_name():
    recs = records("青禾公司已先后投资9亿元建设一期2万吨、二期4万吨果蔬汁生产线项目。")
    names = [r.name for r in recs if r.kind == "project"]
    assert not any((n or "").startswith("建设") for n in names), names


@pytest.mark.parametrize("text", [
    "青禾食品有限公司表示，将与园区一同把该项目打造成全省冷链“标杆”示范项目。",
    "到2027年，滨河物流港将成为年吞吐量300万吨的区域物流中心。",
])
def test_what_a_project_is_to_become_is_not_its_name(text):
    assert [r.name for r in records(text) if r.name] == []


def test_a_sentence_longer_than_any_real_one_is_read_in_pieces_without_loss():
    from geo.extract.sentences import MAX_SENTENCE_CHARS, split_sentences
    text = "太原市签约" + "、".join(f"甲乙{i}号新材料项目" for i in range(1500)) + "等1500个项目。"
    pieces = split_sentences(text)
    assert len(pieces) > 1 and all(len(p.text) <= MAX_SENTENCE_CHARS for p in pieces)
    assert "".join(p.text for p in pieces) == text and all(text[p.start:p.end] == p.text for p in pieces)
    recs = extract_records(Article(id="t", source="t", title="t", date="2023-05-01", text=text))
    assert sum(r.kind == "project" for r in recs) >= 1400  # the list's items, piece by piece


def test_the_park_just_named_takes_the_figure_of_a_sentence_about_it():
    # 该产业园计划投资… in the paragraph after a park project named without a figure: that project's amount.
    text = ("6月3日，某某新材料产业园项目在沁县经济技术开发区开工奠基。\n"
            "据悉，该产业园计划投资12亿元，占地约600亩。")
    projects = [r for r in records(text) if r.kind == "project"]
    assert [(p.name, p.amount_yi) for p in projects] == [("某某新材料产业园项目", 12.0)]
    assert not [r for r in records(text) if r.kind == "stat"]
    # A park that is not the one named (该产业园 after a plant project) keeps the figure apart.
    other = records("6月3日，某某冷轧钢板生产线项目在沁县开工。\n据悉，该产业园计划投资12亿元。")
    assert [(r.kind, r.name, r.amount_yi) for r in other if r.name] == [("project", "某某冷轧钢板生产线项目", None)]


def test_a_county_whose_officials_host_the_ceremony_is_the_site():
    # No place in the project's sentence or before it; the county's party secretary presides: that county.
    text = ("“我宣布，某某智能装备制造项目开工！”5月8日上午，某某集团年产2万台智能装备制造项目正式开工。"
            "市长出席开工仪式并讲话，灵石县委书记主持。")
    projects = [r for r in records(text) if r.kind == "project"]
    assert projects and {p.county_adcode for p in projects} == {"140729"}
    # Officials of two counties: neither is the site.
    two = records("某某集团年产2万台智能装备制造项目正式开工。灵石县委书记、介休市市长出席。")
    assert {r.county_adcode for r in two if r.kind == "project"} == {None}


def test_a_verb_and_its_object_is_not_a_project_name():
    text = "今年以来，该县千方百计谋项目、尽心尽责扶项目、一抓到底盯项目，及时跟进项目落地。"
    assert not [r for r in records(text) if r.kind == "project" and r.name]


def test_a_bare_xiangmu_total_after_the_one_project_named_is_its_figure():
    # …，建设某某矿区某某煤矿项目。…规模…。项目总投资…: the clause's verb is no part of the name, the total is the project's.
    text = ("记者从省发改委获悉，发改委同意实施产能置换，建设东山矿区西岭煤矿项目。西岭煤矿建设规模300万吨/年。"
            "项目总投资40.5亿元。")
    projects = [r for r in records(text) if r.kind == "project" and r.amount_kind in (None, "investment")]
    assert [(p.name, p.amount_yi) for p in projects] == [("东山矿区西岭煤矿项目", 40.5)]
    # After a round of projects, a bare 项目总投资 is the round's: it stays apart from the project named with it.
    batch = records("10月11日，随着某某隧道工程的奠基，28个重点项目集中开工。\n项目总投资30亿元，其中县级项目12个。")
    assert not [r for r in batch if r.kind == "project" and r.amount_yi == 30.0]


def test_what_a_deal_is_for_is_no_project():
    text = "为推进晋中大型煤炭基地建设，发改委同意实施产能置换，建设东山矿区西岭煤矿项目。"
    recs = [r for r in records(text) if r.kind == "project"]
    assert [r.name for r in recs] == ["东山矿区西岭煤矿项目"]
    assert recs[0].city_adcode is None  # 晋中 in the national coal base's name is no site


def test_a_hotel_reported_started_is_a_project():
    recs = records("记者还了解到，金鼎园林酒店于当日开工。")
    assert [r.name for r in recs if r.kind == "project"] == ["金鼎园林酒店"]


def test_a_project_headed_by_a_known_brand_takes_its_home_and_its_figures_share_it():
    text = "某某公司华能国风东山100MW风力发电项目开工。\n据悉，项目总投资8亿元。\n项目建成后，年产值可达2亿元。"
    recs = records(text)
    assert [(r.name, r.origin_region) for r in recs] == [("华能国风东山100MW风力发电项目", "jingjinji"), (None, "jingjinji")]


def test_counted_rounds_in_other_words():
    # 项目共有52个 is a count like 项目共52个; a class counted after its word with one member is a batch of one.
    recs = records("今天，某县集中开复工的项目共有52个，总投资达104亿元。")
    assert [(r.kind, r.project_count, r.amount_yi) for r in recs] == [("batch", 52, 104.0)]
    one = records("其中，乡村旅游项目1个，总投资17亿元；经济产业园区项目1个，总投资87亿元。")
    assert [(r.kind, r.project_count) for r in one] == [("batch", 1), ("batch", 1)]


def test_a_provincial_signing_held_in_the_capital_places_no_project():
    text = ("山西省对台招商项目对接会21日在太原举行。\n"
            "甲乙科技产业园、原平市经济开发区丙丁产业园标准化厂房、戊己矿泉水饮料等6个台资项目成功签约。")
    projects = {r.name: r.city_adcode for r in records(text) if r.kind == "project"}
    assert projects == {"甲乙科技产业园": None, "原平市经济开发区丙丁产业园标准化厂房": "140900", "戊己矿泉水饮料": None}
    # A city's own signing held at home still places its projects there.
    city = [r for r in records("大同市招商项目签约会21日在大同举行。\n甲乙科技产业园、丙丁矿泉水饮料等6个项目成功签约。")
            if r.kind == "project"]
    assert city and all(r.city_adcode == "140200" for r in city)


def test_a_project_company_being_set_up_is_a_project_whose_capital_is_no_investment():
    text = "新公司由两方发起成立，甲公司拟出资18亿元，乙基金拟出资12亿元，两方共出资30亿元。"
    recs = [r for r in records(text) if r.amount_yi == 30.0]
    assert [(r.kind, r.amount_kind) for r in recs] == [("project", "other")]


def test_a_project_placed_only_in_the_province_takes_the_place_stated_after_it():
    text = ("6月21日上午，山西电建安装的晋东发电公司2×100万千瓦项目举行双机投产仪式。\n"
            "该项目位于山西长治潞州区马厂镇，是外送电规划重点项目。")
    projects = [r for r in records(text) if r.kind == "project" and r.name]
    assert projects and projects[0].county_adcode == "140403"


def test_the_headline_printed_again_under_navigation_lines_is_no_second_report():
    title = "甲乙能源公司储能电站项目正式开工"
    text = (f"{title}\n\n当前位置：首页 > 储能 > 国内新闻\n\n{title}\n\n"
            "6月28日，甲乙能源公司200MW/400MWh共享储能电站举行开工仪式。市委副书记出席仪式。")
    recs = [r for r in records(text, title=title) if r.kind == "project"]
    assert [r.name for r in recs] == ["200MW/400MWh共享储能电站"]  # not also 储能电站项目 from the repeated headline
