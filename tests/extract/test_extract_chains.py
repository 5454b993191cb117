"""Industry-chain labels from geo/data/chains.csv."""
import csv

import pytest

from geo.errors import GazetteerError
from geo.extract.chains import CHAINS_CSV, chain_labels, classify_chain, load_chains

EXPECTED = {"新能源汽车", "特钢材料", "铝镁", "风电装备", "光伏", "氢能", "锂电", "半导体", "现代医药", "煤化工",
            "新材料", "大数据", "装备制造", "文旅康养", "现代农业", "节能环保", "碳基新材料", "玻璃", "铸造",
            "电子信息", "食品", "新能源", "物流"}


def test_table_covers_the_key_chains():
    assert EXPECTED <= set(chain_labels())


def test_every_row_has_a_source():
    with open(CHAINS_CSV, encoding="utf-8") as f:
        assert all(row["source"] for row in csv.DictReader(f))


@pytest.mark.parametrize("name, sentence, chain, keyword", [
    ("年产2万吨磷酸铁锂正极材料项目", "", "锂电", "磷酸铁锂"),
    (None, "新建一条新能源汽车底盘生产线", "新能源汽车", "新能源汽车"),
    ("50MW分布式光伏电站", "", "光伏", "光伏"),
    (None, "建设加氢站和制氢工厂", "氢能", "加氢"),
    ("碳纤维复合材料项目", "", "碳基新材料", "碳纤维"),
    ("老陈醋灌装线", "", "食品", "老陈醋"),
    ("冷链物流园", "", "物流", "冷链"),
])
def test_classify(name, sentence, chain, keyword):
    assert classify_chain(name, sentence) == (chain, keyword)


def test_name_beats_sentence():
    assert classify_chain("年产10万吨镁合金项目", "当地光伏产业发展迅速")[0] == "铝镁"


def test_priority_beats_generic_word():
    # 新能源 is generic (priority 5); 风电 is specific.
    assert classify_chain(None, "新能源领域的风电整机项目")[0] == "风电装备"


def test_nothing_matches():
    assert classify_chain(None, "召开座谈会") == (None, None)


def test_bad_table_is_rejected(tmp_path):
    bad = tmp_path / "chains.csv"
    bad.write_text("chain,keyword,priority,source\n光伏,光伏,high,x\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match="high"):
        load_chains(bad)
    dup = tmp_path / "dup.csv"
    dup.write_text("chain,keyword,priority,source\n光伏,光伏,1,x\n锂电,光伏,1,x\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match="duplicate"):
        load_chains(dup)


@pytest.mark.parametrize("text, chain", [
    ("建设农产品加工园区", "食品"),
    ("某牛肉集团扩建肉制品生产线", "食品"),
    ("建设万亩小杂粮种植基地", "现代农业"),
    ("肉牛养殖项目", "现代农业"),
])
def test_processing_farm_produce_is_food_growing_it_is_farming(text, chain):
    assert classify_chain(None, text)[0] == chain


def test_methanol_vehicles_are_vehicles_not_coal_chemicals():
    assert classify_chain("年产2万台甲醇重卡生产线", "")[0] == "新能源汽车"
    assert classify_chain("年产60万吨甲醇项目", "")[0] == "煤化工"


def test_nameless_figures_later_in_a_paragraph_share_the_named_projects_chain():
    from geo.extract import extract_records
    from geo.models import Article
    text = "榆社县年产2万吨钠离子电池负极材料项目开工建设。项目建成后，年产值可达12亿元，利税1.5亿元。"
    recs = extract_records(Article(id="t", source="t", title="", date="2024-03-01", text=text))
    assert len(recs) >= 3 and {r.chain for r in recs} == {"锂电"}


@pytest.mark.parametrize("name, chain", [("马头山49.5MW风电场项目", "新能源"), ("龙芯信创产业园", "电子信息"),
                                         ("年产50万吨生物有机菌肥项目", "现代农业"), ("108国道改线工程", "其他"),
                                         ("新型高效风力发电、船用发电机结构件项目", "风电装备")])
def test_words_of_the_genre_name_their_chain(name, chain):
    assert classify_chain(name, "")[0] == chain


def test_solar_cells_are_photovoltaics_not_batteries():
    for text in ("年产16GW高效单晶电池智能工厂项目", "异质结电池片", "8GW Topcon电池"):
        assert classify_chain(text, "")[0] == "光伏"
    assert classify_chain("10GWh锂电池生产线", "")[0] == "锂电"


def test_public_works_that_fit_no_chain_are_other():
    for name in ("忻定大道", "安亭中学", "运城国际机场扩建工程", "潇河净水厂", "永和—隰县输气管道"):
        assert classify_chain(name, "")[0] == "其他", name
    assert classify_chain("某某煤矿光伏发电项目", "")[0] == "光伏"  # a chain word beats a public-works word


def test_a_technology_in_the_name_beats_the_land_it_reclaims():
    # 采煤沉陷区 says where a plant stands; 光伏 what it is.
    assert classify_chain("某某采煤沉陷区综合治理100兆瓦光伏项目", "")[0] == "光伏"
    assert classify_chain("某某采煤沉陷区综合治理项目", "")[0] == "节能环保"


def test_public_works_and_products_of_the_ninth_source():
    assert classify_chain("某某县职业高中建设项目", "")[0] == "其他"
    assert classify_chain("某某公司年产2万吨特种石墨项目", "")[0] == "新材料"
    assert classify_chain("某某铸业1万吨球铁管件项目", "")[0] == "铸造"
