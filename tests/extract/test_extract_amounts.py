"""Amounts: value in 亿, currency, qualifier, kind of the governing word, and non-amounts."""
import pytest

from geo.extract.amounts import amount_kind, find_amounts, parse_number


def one(text):
    found = find_amounts(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("text, value, currency", [
    ("计划总投资36.5亿元建设冷链物流园", 36.5, "CNY"),
    ("引进外资4500万美元", 0.45, "USD"),
    ("获得贷款3000万欧元", 0.3, "EUR"),
    ("投资800万元改造生产线", 0.08, "CNY"),
    ("投资1,200万元", 0.12, "CNY"),
    ("总投资两亿元", 2.0, "CNY"),
    ("投资十二亿元新建厂房", 12.0, "CNY"),
    ("营收达1.5万亿元", 15000.0, "CNY"),
    ("安排资金500万元人民币", 0.05, "CNY"),
])
def test_values_and_currencies(text, value, currency):
    a = one(text)
    assert a.value_yi == pytest.approx(value)
    assert a.currency == currency


@pytest.mark.parametrize("text, qualifier", [
    ("总投资约18亿元", "about"),
    ("总投资近9亿元", "about"),
    ("投资5亿元左右", "about"),
    ("总投资超12亿元", "over"),
    ("投资超过3亿元", "over"),
    ("总投资逾7亿元", "over"),
    ("产值突破50亿元", "over"),
    ("投资8亿元以上", "at_least"),
    ("年产值可达12亿元", "at_most"),
    ("单个项目奖励最高500万元", "at_most"),
    ("投资20余亿元", "over"),
    ("可带来上亿元收入", "over"),
    ("投资不低于3000万元", "at_least"),
    ("投资不少于1亿元", "at_least"),
    ("补贴不超过200万元", "at_most"),
    ("总投资9.6亿元", "exact"),
])
def test_qualifiers(text, qualifier):
    assert one(text).qualifier == qualifier


def test_amount_text_keeps_the_qualifier():
    assert one("总投资约18亿元").text == "约18亿元"


@pytest.mark.parametrize("text, lo, hi", [
    ("给予30万元至80万元奖励", 0.003, 0.008),
    ("每户补助5万至10万元", 0.0005, 0.001),
    ("总投资3-5亿元", 3.0, 5.0),
])
def test_ranges(text, lo, hi):
    a = one(text)
    assert (a.value_yi, a.max_yi, a.qualifier) == (pytest.approx(lo), pytest.approx(hi), "range")


@pytest.mark.parametrize("text", [
    "打造千亿级产业集群", "培育百亿企业", "5户亿元产值企业", "签约17个项目", "年产8000吨",
    "连续12年入选", "到2027年", "每度电0.35元", "2x60万千瓦机组", "三个千亿元产值园区", "十亿级企业",
])
def test_non_amounts(text):
    assert find_amounts(text) == []


@pytest.mark.parametrize("text, kind", [
    ("项目总投资15亿元", "investment"),
    ("计划投资4亿元", "investment"),
    ("完成投资2.3亿元", "investment"),
    ("到位资金6亿元", "investment"),
    ("签约投资额88亿元", "investment"),
    ("签约金额120亿元", "contract"),
    ("冷库项目投资金额3.2亿元", "investment"),  # 投资金额 holds 资金, yet is an investment
    ("达产后年产值20亿元", "output"),
    ("工业增加值达9亿元", "output"),
    ("实现营业收入31亿元", "revenue"),
    ("年销售收入12亿元", "revenue"),
    ("上缴税金8000万元", "profit_tax"),
    ("利润和税收均达2亿元", "profit_tax"),
    ("拿到订单3000万美元", "orders"),
    ("总资产逾80亿元", "other"),
    ("设立专项资金1亿元", "other"),
    ("给予10万元至50万元创业资助", "other"),
    ("带来上亿元的营收", "revenue"),
    ("现金5亿元", "other"),
])
def test_kinds(text, kind):
    assert one(text).kind == kind


def test_each_amount_in_a_clause_gets_its_own_kind():
    found = find_amounts("项目总投资12亿元，预计年产值30亿元，年纳税1.5亿元")
    assert [a.kind for a in found] == ["investment", "output", "profit_tax"]


def test_kind_falls_back_to_earlier_clause():
    found = find_amounts("2021年实现产值80亿元，2022年突破120亿元")
    assert [a.kind for a in found] == ["output", "output"]


def test_amount_kind_without_words_is_other():
    assert amount_kind("共计5亿元", 2, 5) == ("other", None)


@pytest.mark.parametrize("s, v", [("572.46", 572.46), ("两", 2), ("十二", 12), ("三百五十", 350), ("x", None)])
def test_parse_number(s, v):
    assert parse_number(s) == v


def test_a_thousands_comma_does_not_end_the_clause():
    # the kind word after the amount (…万元的营收) is found whether or not the number has a comma
    assert [a.kind for a in find_amounts("可带来1,200万元的营收")] == ["revenue"]
    assert [a.kind for a in find_amounts("可带来1200万元的营收")] == ["revenue"]


@pytest.mark.parametrize("text, value", [("投资10亿多元的产业园", 10.0), ("总投资20多亿元", 20.0),
                                         ("投资5000万余元", 0.5), ("投资3000余万元", 0.3)])
def test_odd_amounts_before_or_after_the_unit_are_at_least_that(text, value):
    (a,) = find_amounts(text)
    assert (a.value_yi, a.qualifier, a.kind) == (value, "over", "investment")


@pytest.mark.parametrize("text, value, qualifier", [("共签约16个项目，投资263亿。", 263.0, "exact"),
                                                    ("总投资约12.5亿，建设期两年", 12.5, "about")])
def test_an_investment_written_without_yuan_is_yuan(text, value, qualifier):
    (a,) = find_amounts(text)
    assert (a.value_yi, a.qualifier, a.kind, a.currency) == (value, qualifier, "investment", "CNY")


def test_a_size_class_without_yuan_is_no_amount():
    assert find_amounts("打造投资100亿级产业集群") == []


def test_tens_of_yi_is_over_ten():
    (a,) = find_amounts("预计年产值将达到数十亿元")
    assert (a.text, a.value_yi, a.qualifier, a.kind) == ("数十亿元", 10.0, "over", "output")


def test_investment_a_project_is_to_bring_about_is_not_its_own():
    (a, b) = find_amounts("项目全部建成运营后，预计每年可带动投资35亿元，年产值达到40亿元。")
    assert (a.kind, b.kind) == ("other", "output")


@pytest.mark.parametrize("text,kind", [
    ("入园项目投资强度不低于300万元", "other"), ("亩均投资不低于200万元", "other"), ("给予投资补助500万元", "other"),
    ("预计年投资收益5亿元", "profit_tax"), ("项目总投资5亿元", "investment"),
])
def test_thresholds_subsidies_and_returns_of_investing_are_no_investment(text, kind):
    (a,) = find_amounts(text)
    assert a.kind == kind


def test_capital_paid_into_a_venture_being_set_up_is_no_investment():
    text = "新公司由两方发起成立，甲公司拟出资18亿元，乙基金拟出资12亿元，两方共出资30亿元。"
    assert {(a.value_yi, a.kind) for a in find_amounts(text)} == {(18.0, "other"), (12.0, "other"), (30.0, "other")}
    # 出资 building something, with no venture being set up, is left to the other words (here none).
    assert [a.kind_word for a in find_amounts("某某集团出资5亿元建设年产2万吨饲料项目。")] == [None]
