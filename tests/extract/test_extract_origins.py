"""Investor origin: company-name prefix, known-firm headquarters, article context."""
import pytest

from geo.errors import GazetteerError
from geo.extract.origins import article_origin, company_origin, find_companies, load_companies


def origins(text):
    return [(c.text, company_origin(c)) for c in find_companies(text)]


@pytest.mark.parametrize("text, company, origin", [
    ("河南洛阳恒信集团投资建设的项目", "河南洛阳恒信集团", ("other", "洛阳市")),
    ("上海华谊新材料有限公司在园区投资", "上海华谊新材料有限公司", ("yangtze_delta", "上海市")),
    ("与东莞宏远电子等企业对接", "东莞宏远电子", ("guangdong", "东莞市")),
    ("比亚迪在当地投资建设基地", "比亚迪", ("guangdong", "深圳市")),
    ("引进宁德时代等龙头企业", "宁德时代", ("other", "宁德市")),
    ("格力等知名企业", "格力", ("guangdong", "珠海市")),
    ("与360集团签约", "360集团", ("jingjinji", "北京市")),
    ("浙江吉利控股集团投资", "浙江吉利控股集团", ("yangtze_delta", "杭州市")),
    ("与天津一家物流企业签约", "天津一家物流企业", ("jingjinji", "天津市")),
])
def test_company_origins(text, company, origin):
    assert (company, origin) in origins(text)


@pytest.mark.parametrize("text", [
    "山西建投集团承建该项目", "山西华翔股份有限公司扩产", "太钢集团投资", "大运汽车新建生产线",
])
def test_shanxi_firms_are_not_external_origins(text):
    found = origins(text)
    assert found and all(o == (None, None) for _, o in found)


def test_strict_aliases_need_a_company_context():
    # 美的 inside an ordinary adjective phrase is not the firm Midea.
    assert origins("一个完美的结局") == []
    assert ("美的集团", ("guangdong", "佛山市")) in origins("美的集团投资")


def test_company_name_starts_after_a_place_or_verb():
    names = [c.text for c in find_companies("在运城经济技术开发区华晋精密铸造有限公司车间内")]
    assert names == ["华晋精密铸造有限公司"]
    assert [c.text for c in find_companies("走进平遥古城文旅集团有限公司")] == ["平遥古城文旅集团有限公司"]



@pytest.mark.parametrize("text, names", [
    ("眼下公司暂无扩产安排，目前公司没有新的产能计划", []),  # an adverb before 公司 is no firm
    ("同时公司正在筹备二期", []),
    ("为提升公司市场份额，加快推进公司转型", []),
    ("拟成立项目公司（下称“项目公司”）负责建设", []),  # a role, not a name
    ("通过全资子公司青禾食品科技有限公司实施", ["青禾食品科技有限公司"]),  # the parent's 子公司 is not the name
    ("打通云岭物流集团的配送网络", ["云岭物流集团"]),  # a verb before the firm
    ("滨河工业园建设开发有限公司负责园区配套", ["滨河工业园建设开发有限公司"]),  # a zone's developer
    ("落户滨河工业园的青禾食品有限公司", ["青禾食品有限公司"]),
])
def test_clause_words_and_roles_are_not_firm_names(text, names):
    assert [c.text for c in find_companies(text)] == names


@pytest.mark.parametrize("text, region", [
    ("晋城市代表团南下深圳开展招商", "guangdong"),
    ("山西积极承接京津冀产业转移", "jingjinji"),
    ("长治市赴长三角招商", "yangtze_delta"),
    ("推介会在杭州举行", "yangtze_delta"),
    ("多家粤企表示看好当地发展", "guangdong"),
])
def test_article_origin_cues(text, region):
    assert article_origin(text)[0] == region


def test_article_origin_unclear_when_regions_compete():
    assert article_origin("赴北京招商，又赴上海招商") == (None, None)
    assert article_origin("全市项目建设有序推进") == (None, None)


def test_companies_table_is_sourced_and_valid():
    rows = load_companies()
    assert len(rows) >= 40
    assert {r.region for r in rows} <= {"guangdong", "jingjinji", "yangtze_delta", "other", "shanxi"}


@pytest.mark.parametrize("row, bad_value", [("某公司,,某市,某省,mars,0,x,", "mars"),  # unknown region
                                            ("某公司,,某市,某省,other,0,x,造火箭", "造火箭")])  # unknown chain
def test_bad_companies_table(tmp_path, row, bad_value):
    bad = tmp_path / "companies.csv"
    bad.write_text(f"name,aliases,hq_city,hq_province,region,strict,source,chain\n{row}\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match=bad_value):
        load_companies(bad)
    chains = {r.name: r.chain for r in load_companies()}
    assert chains["宁德时代"] == "锂电" and chains["晶科能源"] == "光伏"


def test_the_shanxi_subsidiary_of_a_group_from_elsewhere_brings_the_groups_money():
    from geo.extract import extract_records
    from geo.models import Article
    text = "山西中来光能电池科技有限公司年产16GW高效单晶智能电池工厂项目在太原开工。"
    (rec,) = [r for r in extract_records(Article(id="t", source="t", title="", date="2023-05-01", text=text))
              if r.kind == "project"]
    assert (rec.origin_region, rec.origin_place) == ("yangtze_delta", "苏州市")
    text = "山西美锦能源股份有限公司氢能重卡项目在清徐开工。"  # a Shanxi group: no inflow
    (rec,) = [r for r in extract_records(Article(id="t", source="t", title="", date="2023-05-01", text=text))
              if r.kind == "project"]
    assert rec.origin_region is None


def test_a_project_named_after_its_investors_home_takes_that_origin():
    from geo.extract import extract_records
    from geo.models import Article
    text = ("这两个项目分别是：浙江运达风电设备制造全产业链(襄汾)基地项目、深圳紫辰星襄汾储能产业园项目。"
            "襄汾县还与深圳市青禾新能源有限公司签订储能产业园建设项目协议。该项目总投资25亿元。")
    recs = extract_records(Article(id="t", source="t", title="", date="2023-05-10", text=text))
    origins = [(r.origin_region, r.amount_yi) for r in recs if r.kind == "project"]
    assert origins == [("yangtze_delta", None), ("guangdong", None), ("guangdong", 25.0)]


def test_taiwan_and_hong_kong_funded_projects_point_outside_the_three_regions():
    assert article_origin("山西省对台招商政策宣讲暨台商项目对接会举行，6个台资项目在会上成功签约。")[0] == "other"
    assert article_origin("港资企业在太原签约。")[0] == "other"
    # A newspaper's name is no cue.
    assert article_origin("来源：香港商报网。某项目在太原签约。") == (None, None)


def test_a_project_named_after_a_known_firm_from_elsewhere_takes_its_home():
    from geo.extract.origins import name_origin
    assert name_origin("百度云计算中心扩容项目") == ("jingjinji", "北京市")
    assert name_origin("山西中来年产16GW高效单晶智能电池工厂项目")[0] == "yangtze_delta"
    assert name_origin("临汾运达风力发电设备制造全产业链项目")[0] == "yangtze_delta"  # 运达股份's brand
    assert name_origin("太原煤气化项目") == (None, None)


@pytest.mark.parametrize("text, origin", [
    ("京能集团与当地签约10万千瓦储能电站项目", ("jingjinji", "北京市")),
    ("中国大唐投资建设光伏电站", ("jingjinji", "北京市")),
    ("引进阳光电源等企业", ("yangtze_delta", "合肥市")),
    ("与碧桂园签约", ("guangdong", "佛山市")),
    ("中联重科投资建设智能制造基地", ("other", "长沙市")),
])
def test_well_known_groups_added_in_stop_29(text, origin):
    assert origin in [o for _, o in origins(text)]


def test_a_shanxi_group_named_in_short_gives_no_origin():
    found = origins("华阳集团投资建设钠离子电池项目")
    assert found and all(o == (None, None) for _, o in found)


@pytest.mark.parametrize("text, region", [
    ("作为长治市珠三角招商引资推介会的重要成果，某公司项目投产", "guangdong"),
    ("在长三角地区经贸洽谈会上，12个项目签约", "yangtze_delta"),
    ("太原市招商推介会上签约", None),  # a Shanxi city's own promotion says nothing of the investors
])
def test_a_promotion_for_a_regions_investors_is_an_origin_cue(text, region):
    assert article_origin(text)[0] == region
