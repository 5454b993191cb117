"""Structures of real round-ups, each on invented text unlike the seeds: counted and comma lists,
per-item places and firms, field blocks, event scope, traditional characters, duplicates, and
locations the map can show (province, zones)."""
from geo.extract import extract_records
from geo.extract.blocks import find_blocks
from geo.ingest.hanzi import to_simplified
from geo.ingest.read import ingest_text
from geo.places.mentions import find_mentions
from geo.pipeline import locate


def run(text, title="标题"):
    records = extract_records(ingest_text(f"---\ntitle: {title}\ndate: 2023-06-02\n---\n{text}", "t.txt"))
    locate(records)
    return records


def projects(records):
    return [r for r in records if r.kind == "project"]


# ---------------------------------------------------------------- enumerated lists
def test_counted_list_items_are_projects_and_the_total_is_the_batch():
    recs = run("6月1日，运城市招商引资项目集中签约。此次集中签约的有——海螺水泥熟料生产线、美锦氢能重卡、"
               "稷山县红枣饮料加工等24个项目，总投资350.73亿元。")
    items = projects(recs)
    assert [r.name for r in items] == ["海螺水泥熟料生产线", "美锦氢能重卡", "稷山县红枣饮料加工"]
    assert all(r.amount_yi is None and r.stage == "signed" and r.date == "2023-06-01" for r in items)
    assert [r.chain for r in items][1:] == ["氢能", "食品"]  # each from its own words
    assert items[2].county == "稷山县" and items[0].city == "运城市" and items[0].county is None
    (batch,) = [r for r in recs if r.kind == "batch"]
    assert (batch.project_count, batch.amount_yi) == (24, 350.73)


def test_counted_list_at_a_sub_venue_takes_the_city_not_the_main_venue():
    recs = run("阳泉市“三个一批”活动与太原主会场同步举行。中电建抽水蓄能电站、华润风电、"
               "某某镁合金轮毂等8个代表项目在我市分会场进行集中签约。")
    items = projects(recs)
    assert len(items) == 3 and {r.city for r in items} == {"阳泉市"}
    assert {r.stage for r in items} == {"signed"}
    assert [r.chain for r in items][1:] == ["风电装备", "铝镁"]


def test_comma_list_items_keep_their_own_zone_and_firm():
    recs = run("集中签约仪式上，侯马经济开发区高频变压器、电感元器件项目，洪洞经济技术开发区100万千瓦光伏发电项目，"
               "翼城产业集聚区精品钢基地项目，隰县现代农业产业示范区果蔬包装项目等14个项目分两批进行了现场签约。")
    items = projects(recs)
    assert [r.county for r in items] == ["侯马市", "洪洞县", "翼城县", "隰县"]
    assert all(r.precision == "zone" and r.company is None for r in items)
    assert [r.chain for r in items][1:] == ["光伏", "特钢材料", "现代农业"]
    assert [r.project_count for r in recs if r.kind == "batch"] == [14]


def test_county_named_zone_unknown_to_the_table_is_that_county():
    (m,) = find_mentions("浮山产业集聚区")
    assert (m.place.kind, m.place.adcode, m.via) == ("zone", "141027", "county_zone")
    assert find_mentions("平遥县委召开会议")[0].text == "平遥县"  # a government body is no zone


def test_clause_lists_of_policy_words_are_no_projects():
    recs = run("将坚持“项目为王”，实行“一个项目、一名领导、一个专班”推进机制，确保开工项目早建成。")
    assert projects(recs) == []


def test_a_size_class_labels_counted_projects_and_is_no_amount_of_theirs():
    recs = run("截至9月底，某县1000万元以上项目已开工45个，3000万元以上项目已开工21个。"
               "全镇两类项目分布为：2-4亿元项目6个，4亿元以下项目9个。")
    batches = [r for r in recs if r.kind == "batch"]
    assert [(r.project_count, r.amount_yi) for r in batches] == [(45, None), (21, None), (6, None), (9, None)]
    assert not [r for r in recs if r.amount_yi is not None]


def test_counts_after_baokuo_are_parts_of_the_batch_before():
    recs = run("全年安排市级重点项目30个，包括产业类18个，民生类8个，基础设施4个。")
    assert [r.project_count for r in recs if r.kind == "batch"] == [30, 18, 8, 4]
    (whole, *parts) = [r for r in recs if r.kind == "batch"]
    assert all(r.amount_yi is None for r in parts)


def test_a_list_closed_by_its_number_and_a_count_to_come_are_batches():
    recs = run("某区另有光伏支架项目、中药饮片项目、冷链仓储项目等共7个，将于下月签约。")
    assert [(r.kind, r.project_count) for r in recs if r.kind == "batch"] == [("batch", 7)]
    recs = run("到6月底，全县在建项目将达85个。")
    assert [(r.kind, r.project_count) for r in recs] == [("batch", 85)]
    assert [r for r in run("引进企业等共9个。") if r.kind == "batch"] == []  # firms, not projects


def test_joined_items_counted_as_roads_or_projects_are_named_as_written():
    recs = run("把新区与老城连起来的滨河路、迎宾东路、学府路这3条道路总投资约12亿元，年内通车。"
               "环城绿道分为东环线和北环线两个项目，均已开工。")
    assert [r.name for r in projects(recs)] == ["滨河路", "迎宾东路", "学府路", "东环线", "北环线"]
    # The count must agree with the items: two roads are no "3条道路".
    recs = run("把新区与老城连起来的滨河路、迎宾东路这3条道路总投资约12亿元。")
    assert [r.name for r in projects(recs)] == []


def test_a_list_its_count_announces_gives_one_project_per_item():
    recs = run("5月8日，某县重点项目集中开工。今天开工项目共9项，其中：工业类项目4项，具体为：和顺达精密铸件、"
               "云岭数据中心、东湖康养小镇、金盾物流园等。公共服务类3项，具体为：县第二人民医院、北关棚户区改造、"
               "污水处理厂提标改造工程。")
    names = [r.name for r in projects(recs)]
    assert names == ["和顺达精密铸件", "云岭数据中心", "东湖康养小镇", "金盾物流园",
                     "县第二人民医院", "北关棚户区改造", "污水处理厂提标改造工程"]
    assert all(r.stage == "started" and r.amount_yi is None for r in projects(recs))
    assert [r.project_count for r in recs if r.kind == "batch"] == [9, 4, 3]


def test_an_announced_list_may_name_its_noun_and_end_at_a_comma():
    recs = run("铁路沿线布设三个装车点集运站，分别是白水集运站、某县北集运站、林家集运站，总投资31亿元，年内建成。")
    assert [r.name for r in projects(recs)] == ["白水集运站", "某县北集运站", "林家集运站"]
    (batch,) = [r for r in recs if r.kind == "batch"]  # the total after the items is theirs together
    assert (batch.project_count, batch.amount_yi) == (3, 31.0)


def test_an_announced_list_must_hold_as_many_items_as_its_count():
    # three named, the count says four and no 等 closes the list: not a list of projects
    assert not projects(run("某县基础设施类项目4项，具体为：北环路、南环路、滨河路。"))
    # a list of trades is no list of projects
    assert not projects(run("某县签约项目3个，分别是新能源、新材料、现代农业。"))
    # kinds of work (…等市政道路和…), and a count whose noun is a clause (工程的完成), announce no names
    assert not projects(run("11个配套工程的完成，包括东大街、北中路等市政道路和工业管廊、输电线路等，为项目投产创造了条件。"))


def test_a_firms_own_project_phrase_is_a_name_without_a_trade_word():
    recs = run("盐湖区：运城市某某燃气有限公司智慧调度平台项目\n垣曲县：山西某某环保科技有限公司废弃铜渣综合利用项目")
    assert [(r.name, r.county) for r in projects(recs)] == [("智慧调度平台项目", "盐湖区"), ("废弃铜渣综合利用项目", "垣曲县")]
    # without the firm the phrase names no trade, product or facility: no project
    assert not projects(run("会议要求，推动综合利用项目。"))


def test_a_comma_list_closed_by_its_own_number_is_a_list_of_projects(monkeypatch):
    recs = run("仪式后，某县北关桥改造项目，文庙修缮保护工程，南山矿区生态修复治理工程3个分会场同步开工。")
    assert [r.name for r in projects(recs)] == ["某县北关桥改造项目", "文庙修缮保护工程", "南山矿区生态修复治理工程"]
    # the number disagrees: the rules do not vouch, plain items alone are not a list of projects (the learned
    # tagger, tests/extract/test_tagger.py, may still name one of them: it is taken away here)
    import geo.extract.tagger as tagger
    monkeypatch.setattr(tagger, "MODEL", tagger.MODEL.with_name("no-such-model.crfsuite"))
    assert not projects(run("仪式后，北关桥改造项目，文庙修缮保护工程4个分会场同步开工。"))


def test_items_joined_and_counted_may_hold_plus_and_times_signs():
    recs = run("现场签约某某2×35万千瓦热电联产项目、某某20万千瓦光伏+储能项目、某某年产5万吨(一期)负极材料3个项目。")
    assert [r.name for r in projects(recs)][-1] == "某某年产5万吨(一期)负极材料"
    assert len(projects(recs)) == 3


def test_a_list_of_construction_projects_needs_no_number_and_splits_at_yiji():
    recs = run("一季度在某某股份设备购置项目、东山煤矿及选煤厂以及某县某某煤业90万吨/年矿井工程等建设项目的带动下，投资增长。")
    assert [r.name for r in projects(recs)] == ["某某股份设备购置项目", "东山煤矿及选煤厂", "某县某某煤业90万吨/年矿井工程"]


def test_a_park_breaking_ground_is_named_without_the_campaign_before_it():
    recs = run("图为领导为“开工一批”项目某某信息产业创新园培土奠基。")
    assert [r.name for r in projects(recs)] == ["某某信息产业创新园"]


def test_the_agreements_project_is_no_name_and_yiji_does_not_cut_one():
    from geo.extract.names import NAME_BREAK, is_generic
    assert is_generic("协议项下项目")
    text = "并由项目公司建设硅片拉晶以及切磨抛生产基地"
    assert NAME_BREAK.match(text).group() == "并由项目公司"  # not at 以 of 以及


def test_a_counted_list_splits_its_last_item_at_he_when_the_count_says_so():
    recs = run("会上重点推介某某博物馆群、果蔬流通集散中心、装备制造产业园和年产2万吨碳纤维生产基地等4个项目。")
    assert [r.name for r in projects(recs)] == ["某某博物馆群", "果蔬流通集散中心", "装备制造产业园", "年产2万吨碳纤维生产基地"]


def test_a_project_opening_a_later_clause_as_its_topic_is_a_project():
    recs = run("东河是重要的水源涵养区，该流域某某村段综合治理工程项目是该市的重大民生项目。")
    assert [r.name for r in projects(recs)] == ["某某村段综合治理工程项目"]


def test_a_figure_in_brackets_belongs_to_the_name_before_them():
    recs = run("此次开工的项目包括某某科技园项目（总投资12亿元）、某某光伏电站项目（总投资8亿元）和某某医院项目（总投资3亿元）。")
    assert [(r.name, r.amount_yi) for r in projects(recs)] == [
        ("某某科技园项目", 12.0), ("某某光伏电站项目", 8.0), ("某某医院项目", 3.0)]


def test_enumerated_items_and_names_after_jianshe_de_are_named():
    recs = run("一是某某焦化公司焦炉煤气制氢项目，总投资6亿元；三是某某镁业项目，总投资2亿元。"
               "其中，投资最大的是某某集团投资50亿元建设的煤制烯烃项目。")
    assert [(r.name, r.amount_yi) for r in projects(recs)] == [
        ("焦炉煤气制氢项目", 6.0), ("某某镁业项目", 2.0), ("煤制烯烃项目", 50.0)]


def test_numbered_lines_under_a_header_about_projects_are_projects():
    recs = run("今年重点推进以下项目：\n1.某某年产10万吨铸件项目\n2.某某数据中心二期\n3.某某冷链物流园\n会议要求：\n"
               "1.加快审批\n2.强化服务")
    assert [r.name for r in projects(recs)][1:] == ["某某数据中心二期", "某某冷链物流园"]


def test_a_name_after_an_amount_ends_at_its_xiangmu():
    recs = run("某某集團投資50億元建設的煤製烯烴項目在榆社縣開工。")
    assert [(r.name, r.amount_yi, r.county) for r in projects(recs)] == [("煤制烯烃项目", 50.0, "榆社县")]
    assert not projects(run("以上均为外省投资项目。"))


def test_every_item_of_a_dash_list_takes_the_stage_of_its_header():
    recs = run("本次签约项目包括：\n——某某集团年产20万吨乙二醇项目，总投资30亿元；\n——某某公司氢能重卡生产基地项目，"
               "总投资12亿元；\n——某某冷链物流园项目，总投资5亿元。")
    assert [r.stage for r in projects(recs)] == ["signed"] * 3
    assert projects(run("朔州市集中开工项目18个，其中某某风电项目总投资8亿元。"))[0].name == "某某风电项目"


def test_a_zones_byname_heading_a_firm_is_its_brand_not_the_site():
    recs = run("晋城市山西农谷某某新能源有限公司的“高平市1×15MW生物质热电联产项目”获得省级专项资金支持，项目总投资1.8亿元。")
    assert {(r.county, r.precision) for r in projects(recs)} == {("高平市", "county")}


def test_a_project_named_after_the_province_in_a_one_city_article_is_that_citys():
    recs = run("4月10日，山西某某大学临汾学院新校区建设项目签约。临汾市把新校区建设作为优化城市布局的好事来办。")
    assert [(r.city, r.precision) for r in projects(recs)] == [("临汾市", "city")]
    # two cities named: no city of its own
    recs = run("4月10日，山西某某大学新校区建设项目签约。临汾市、运城市相关部门参加。")
    assert [r.city for r in projects(recs)] == [None]


def test_a_project_only_the_headline_names_is_kept_once():
    recs = run("管道全长60公里，日输气能力100万立方米，惠及沿线群众。", title="某某天然气永和—隰县输气管道顺利投产")
    assert [r.name for r in projects(recs)] == ["隰县输气管道"]  # the run of name characters stops at —
    # named in the body too: the body's record only
    recs = run("7月1日，某某年屠宰100万头生猪项目开工仪式在清徐县举行。", title="某某年屠宰100万头生猪项目开工")
    assert [r.name for r in projects(recs)] == ["某某年屠宰100万头生猪项目"]
    assert recs[0].sentence.startswith("7月1日")


def test_a_batch_of_counties_listed_with_deng_is_not_the_last_countys():
    recs = run("5月8日，广灵县、兴县、岚县等18个贫困县与48家企业达成合作项目49项，总投资85亿元。签约项目49个。")
    assert {(r.precision, r.county) for r in recs if r.kind == "batch"} == {("province", None)}
    assert [r.project_count for r in recs if r.kind == "batch"] == [49, 49]  # projects, not the 48 firms
    recs = run("5月8日，大同市阳高县、天镇县、广灵县等5个县与企业达成合作项目12项，总投资8亿元。")
    assert {(r.precision, r.city) for r in recs if r.kind == "batch"} == {("city", "大同市")}


def test_lists_of_sectors_by_cluster_or_by_primary_secondary_sector_are_no_projects():
    recs = run("其中，花卉产业集群、中药材种植、百万头生猪养殖等种养业一产投资项目18个，"
               "脱水蔬菜加工、小杂粮加工等二产投资项目29个。")
    assert not projects(recs)
    assert [r.project_count for r in recs if r.kind == "batch"] == [18, 29]


def test_a_phase_as_its_clauses_subject_is_a_part_of_the_project_just_named():
    recs = run("4月2日，河曲县年产20万吨镁合金压铸件项目正式签约。\n6月18日，一期开工建设，第二期项目预计明年投产。")
    assert [(r.name, r.county, r.chain, r.stage) for r in projects(recs)] == [
        ("年产20万吨镁合金压铸件项目", "河曲县", "铝镁", "signed"), ("一期", "河曲县", "铝镁", "started"),
        ("第二期项目", "河曲县", "铝镁", "planned")]
    # Phases that are no clause's subject (分两期建设, 一期工程要抓紧推进) are no projects of their own.
    assert projects(run("该项目分两期建设。会议要求，抓紧一期工程扫尾。")) == []


def test_a_count_described_at_length_still_counts_the_items_before_it():
    recs = run("北岭制药扩能改造、南山汽车服务产业园等26个影响力大、带动能力强的项目集中开工，总投资63.2亿元。")
    assert [(r.name, r.stage, r.amount_yi) for r in projects(recs)] == [
        ("北岭制药扩能改造", "started", None), ("南山汽车服务产业园", "started", None)]
    (batch,) = [r for r in recs if r.kind == "batch"]
    assert (batch.project_count, batch.amount_yi) == (26, 63.2)


def test_items_that_a_counted_class_of_projects_opens_are_projects():
    recs = run("今年清徐县新开工项目中，基础设施项目11个，主要包括北岭至南山高铁、河湾地铁2号线(二期)、"
               "东山至西坡高速公路等项目。")
    assert [r.name for r in projects(recs)] == ["北岭至南山高铁", "河湾地铁2号线(二期)", "东山至西坡高速公路"]
    assert {r.county for r in projects(recs)} == {"清徐县"}


def test_a_list_a_class_of_projects_opens_may_close_with_deng_alone():
    recs = run("2023年，榆次区重点推进项目有：河湾物流园、北岭文旅城、南山商贸综合体等。"
               "我市今年开工项目主要有北岭新城、南站枢纽、东湖公园等，总投资300亿元。")
    assert [r.name for r in projects(recs)] == ["河湾物流园", "北岭文旅城", "南山商贸综合体", "北岭新城", "南站枢纽", "东湖公园"]
    assert [r.amount_yi for r in recs if r.kind == "batch"] == [300.0]
    # Firms, sectors and a project's own parts are no list of projects.
    assert not projects(run("签约项目有北岭建投集团、南山路桥集团等企业。签约项目主要涉及新能源、新材料、现代农业等领域。"
                            "该项目新建铁路专用线7公里，主要工程有隧道5座、大桥3座、货运车站1座等。"))


def test_an_item_keeps_the_zone_heading_it_and_the_firm_heading_it():
    recs = run("临汾市重点项目主要包括侯马经济开发区高频变压器项目、洪洞县焦化升级改造项目、霍州市铝镁合金产业园等项目。")
    assert [(r.name, r.county) for r in projects(recs)] == [
        ("高频变压器项目", "侯马市"), ("洪洞县焦化升级改造项目", "洪洞县"), ("霍州市铝镁合金产业园", "霍州市")]
    recs = run("孝义市开工项目主要有河湾集团焦化项目、北岭电力2×35万千瓦热电项目、南山绿能年产15GW高效电池等项目。")
    assert [(r.name, r.county) for r in projects(recs)] == [
        ("河湾集团焦化项目", "孝义市"), ("北岭电力2×35万千瓦热电项目", "孝义市"), ("南山绿能年产15GW高效电池", "孝义市")]


def test_a_total_after_the_closing_deng_of_a_list_is_the_batch_not_the_last_item():
    recs = run("介休市签约项目包括河湾集团氢能项目、北岭煤化工项目、南山焦化项目等，总投资80亿元。")
    assert [(r.name, r.amount_yi) for r in projects(recs)] == [
        ("河湾集团氢能项目", None), ("北岭煤化工项目", None), ("南山焦化项目", None)]
    assert [(r.project_count, r.amount_yi) for r in recs if r.kind == "batch"] == [(3, 80.0)]


def test_the_stage_or_progress_after_a_list_of_named_works_is_each_ones():
    recs = run("太原市北岭遗址提升项目、南山冰雪世界项目开工建设。")
    assert [(r.name, r.stage) for r in projects(recs)] == [("太原市北岭遗址提升项目", "started"), ("南山冰雪世界项目", "started")]
    recs = run("阳曲县河湾文化街区项目、东山湿地修复项目加快推进。北岭光伏组件稳步推进。")
    assert [(r.name, r.county) for r in projects(recs)] == [("阳曲县河湾文化街区项目", "阳曲县"), ("东山湿地修复项目", "阳曲县")]


def test_a_road_or_water_work_opened_is_in_production():
    recs = run("北岭至南山一级公路改建工程正式通车。河湾引水工程正式通水，受水区域1.4万平方公里。")
    assert [(r.name, r.stage) for r in projects(recs)] == [
        ("北岭至南山一级公路改建工程", "in_production"), ("河湾引水工程", "in_production")]


def test_a_name_after_its_amount_starts_after_the_money():
    recs = run("总投资124亿元河湾新能源125万吨煤基路线新材料项目在北岭县开工。")
    assert [(r.name, r.amount_yi) for r in projects(recs)] == [("河湾新能源125万吨煤基路线新材料项目", 124.0)]


def test_items_a_description_classes_as_projects_are_projects():
    recs = run("太原市北岭炼化、南山太阳能、河湾抽蓄电站等投资超百亿的产业项目为经济发展注入强劲动能。"
               "本次集中开工项目质量高，包括河湾新材料科技产业园建设、北岭站改扩建工程新城段、1668新时代广场等大项目。")
    assert [r.name for r in projects(recs)] == ["太原市北岭炼化", "南山太阳能", "河湾抽蓄电站", "河湾新材料科技产业园建设",
                                               "北岭站改扩建工程新城段", "1668新时代广场"]
    recs = run("阳曲县涉及战略性新兴产业项目3项，包括北岭疫苗生产基地、南山医疗基因检测总部和药物研发中心、"
               "河湾光电内窥镜产业基地项目，总投资24.21亿元。")
    assert [r.name for r in projects(recs)] == ["北岭疫苗生产基地", "南山医疗基因检测总部和药物研发中心", "河湾光电内窥镜产业基地项目"]
    assert [(r.project_count, r.amount_yi) for r in recs if r.kind == "batch"] == [(3, 24.21)]


def test_a_round_or_a_season_of_projects_is_no_project():
    recs = run("太原市第三季度重点项目集中开工。这次秋季集中开工项目有很多亮点。")
    assert not projects(recs)


def test_an_average_over_a_batch_is_no_investment():
    recs = run("这次集中开工项目中，单体项目平均总投资额达8.32亿元。项目平均投资规模2.4亿元。")
    assert [(r.kind, r.amount_kind) for r in recs] == [("stat", "other"), ("stat", "other")]


def test_a_sentence_opening_on_zhuyaoyou_lists_the_projects_just_counted():
    recs = run("太原市先进制造业项目23个，总投资186.4亿元。主要有总投资50亿元的北岭网络5G创新生产中心、"
               "总投资20亿元以上的南山产业基地项目、河湾航空创新中心、东湖智能科创园等；服务业项目16个。")
    assert [(r.name, r.amount_yi) for r in projects(recs)] == [
        ("北岭网络5G创新生产中心", 50.0), ("南山产业基地项目", 20.0), ("河湾航空创新中心", None), ("东湖智能科创园", None)]
    # Without the closing 等 a sentence opening on 分别是 lists by commas: 、 stays inside an item.
    recs = run("永济市开工项目3个。分别是总投资0.3亿元的北岭高铁引道绿化、亮化建设项目，总投资0.7亿元的高标准农田建设项目。")
    assert [(r.name, r.amount_yi) for r in projects(recs)][-1] == ("高标准农田建设项目", 0.7)


def test_works_sharing_one_xiangmu_that_start_together_are_each_a_project():
    recs = run("副市长宣布吕梁经开区智算中心、绿电离网制绿氢项目启动。")
    assert [(r.name, r.county) for r in projects(recs)] == [("智算中心", "离石区"), ("绿电离网制绿氢项目", "离石区")]


def test_counts_per_sector_without_a_chain_word_are_batches_not_a_crash():
    # A real sentence (a 2023 Liaoning round-up) that raised TypeError: the last count's class has no chain word.
    recs = run("包括装备制造项目205个、冶金新材料项目154个、精细化工项目72个、高新技术项目141个、商贸轻工等项目433个；")
    assert [r.project_count for r in recs if r.kind == "batch"] == [205, 154, 72, 141, 433]


def test_a_list_closing_on_a_count_or_a_class_of_projects_lists_the_projects_just_counted():
    recs = run("太原市产业项目132个。其中包括北岭光电信息科学与技术实验室、南山智能创新中心、河湾卫星应用等典型示范项目。"
               "开工项目包括东西线道路景观提升工程、华绿食用菌工厂化、翔悦日用品填充剂等18个；"
               "竣工项目包括华博高性能玻纤过滤材料、汇鑫建材5800吨水泥生产线等10个。")
    assert [(r.name, r.stage) for r in projects(recs)] == [
        ("北岭光电信息科学与技术实验室", None), ("南山智能创新中心", None), ("河湾卫星应用", None),
        ("东西线道路景观提升工程", "started"), ("华绿食用菌工厂化", "started"), ("翔悦日用品填充剂", "started"),
        ("华博高性能玻纤过滤材料", "in_production"), ("汇鑫建材5800吨水泥生产线", "in_production")]


def test_two_works_a_project_class_opens_joined_by_he_are_two_projects():
    recs = run("阳曲县此次签约项目包括北岭智能产业联创中心和南山片区综合开发运营项目。签约项目包括研发和生产基地。")
    assert [r.name for r in projects(recs)] == ["北岭智能产业联创中心", "南山片区综合开发运营"]


def test_a_project_whose_site_holds_the_round_or_a_title_in_book_marks_is_a_project():
    recs = run("活动以现场加视频的方式召开，主会场设在大同市北岭智能国际工业园项目建设现场，各县设分会场。"
               "重点项目集中开工活动在南山中学迁建工程现场举行。")
    assert [r.name for r in projects(recs)] == ["大同市北岭智能国际工业园项目", "南山中学迁建工程"]
    recs = run("公司拟投资3.60亿元在《河湾垃圾焚烧炉排炉技改工程项目》；拟投资7.64亿元在《太原市生活垃圾焚烧发电项目》。"
               "依据《太原市重点项目建设管理办法》。")
    assert [(r.name, r.amount_yi) for r in projects(recs)] == [
        ("河湾垃圾焚烧炉排炉技改工程项目", 3.6), ("太原市生活垃圾焚烧发电项目", 7.64)]


def test_what_a_project_yields_once_completed_jieshi_is_the_projects():
    recs = run("晋城市北岭铸造创新产业园一期投产。全部工程预计于2021年完成，届时园区将形成企业100多家，年产值120亿元。"
               "届时全市将实现地区生产总值2000亿元。")
    assert [(r.kind, r.amount_yi, r.amount_kind) for r in recs if r.amount_yi] == [
        ("project", 120.0, "output"), ("stat", 2000.0, "other")]


def test_a_clause_listing_works_closed_by_deng_and_a_stage_gives_each_work():
    recs = run("太原市经开区公立学校建设项目、北岭教育综合提升工程、南山新区第二学校、河湾中小学建设项目等开工建设。")
    assert [(r.name, r.stage) for r in projects(recs)] == [
        ("太原市经开区公立学校建设项目", "started"), ("北岭教育综合提升工程", "started"),
        ("南山新区第二学校", "started"), ("河湾中小学建设项目", "started")]
    for text in ("阳曲县北岭物流园、南山数据中心、河湾光伏电站等集中开工。", "阳曲县北岭物流园、南山数据中心、河湾光伏电站集中开工。"):
        assert [(r.name, r.county) for r in projects(run(text))] == [
            ("阳曲县北岭物流园", "阳曲县"), ("南山数据中心", "阳曲县"), ("河湾光伏电站", "阳曲县")]
    # Sectors and firms closed by 等 and a stage are no works.
    assert not projects(run("文化旅游、教育培训、现代服务业等集中签约。太原市北岭建投集团、南山路桥集团等签约。"))


def test_the_one_work_given_as_the_example_of_a_class_of_projects_is_a_project():
    recs = run("太原市此次开工项目中，包含北岭超大型液晶显示模组等重大招商引资项目，也有南山集团等本地企业项目。")
    assert [r.name for r in projects(recs)] == ["北岭超大型液晶显示模组"]


def test_places_joined_before_a_count_split_at_he_only_between_places():
    from geo.extract.lists import find_sited_counted_items

    for text, names in (("晋中市将在和顺县和榆社县分别建设2个光伏电站", ["和顺县光伏电站", "榆社县光伏电站"]),
                        ("在榆社县、和顺县建设2个光伏电站", ["榆社县光伏电站", "和顺县光伏电站"]),
                        ("在榆社和太谷建设两个光伏产业园", ["榆社光伏产业园", "太谷光伏产业园"])):
        assert [x.text for x in find_sited_counted_items(text)] == names
    recs = run("晋中市将在榆社县、和顺县建设2个光伏电站项目。")
    assert [(r.name, r.county) for r in projects(recs)] == [("榆社县光伏电站项目", "榆社县"), ("和顺县光伏电站项目", "和顺县")]
    recs = run("晋中市将在和顺县和榆社县分别建设2个光伏电站。")  # no 项目 in the sentence
    assert [(r.name, r.county) for r in projects(recs)] == [("和顺县光伏电站", "和顺县"), ("榆社县光伏电站", "榆社县")]


# ---------------------------------------------------------------- field blocks
def test_field_blocks_one_record_each_lines_or_inline():
    recs = run("2023年6月1日，大同市举行重点项目集中签约。\n"
               "1.项目名称：年产10万吨碳纤维项目\n建设单位：北京某某新材料有限公司\n总投资：12.5亿元\n"
               "建设地点：大同市云冈区\n建设内容：新建碳纤维生产线\n"
               "2.项目名称：食用菌深加工项目 建设单位：浙江某某食品有限公司 总投资：8000万元 建设地点：广灵县\n")
    items = projects(recs)
    assert [(r.name, r.amount_yi, r.county) for r in items] == [
        ("年产10万吨碳纤维项目", 12.5, "云冈区"), ("食用菌深加工项目", 0.8, "广灵县")]
    assert [r.company for r in items] == ["北京某某新材料有限公司", "浙江某某食品有限公司"]
    assert [r.origin_region for r in items] == ["jingjinji", "yangtze_delta"]
    assert {r.stage for r in items} == {"signed"} and {r.date for r in items} == {"2023-06-01"}
    assert [r.amount_kind for r in items] == ["investment", "investment"]


def test_a_block_announced_after_a_colon_is_one_record():
    recs = run("现将项目信息公示如下：项目名称：某某煤业有限公司矿井改扩建项目；建设地点：山西省临汾市洪洞县；"
               "项目总投资：48468.12万元；建设工期：24个月。")
    (rec,) = projects(recs)
    assert (rec.name, rec.county, round(rec.amount_yi, 6)) == ("某某煤业有限公司矿井改扩建项目", "洪洞县", 4.846812)


def test_a_block_needs_a_name_and_another_field():
    assert find_blocks("项目名称：只有名字的一行\n下一段文字。") == []


# ---------------------------------------------------------------- event scope
def test_signing_held_outside_shanxi_is_sited_at_the_shanxi_party():
    recs = run("6月1日，晋城市在广州举行招商推介会，阳城县与深圳某某科技有限公司签约锂电池正极材料项目，"
               "总投资15亿元。")
    (rec,) = projects(recs)
    assert rec.county == "阳城县" and rec.origin_region == "guangdong" and rec.stage == "signed"


_FILL = "\n当天天气晴好。\n现场气氛热烈。\n多家媒体进行了报道。\n"


def test_a_project_placed_at_a_city_takes_the_one_county_the_article_names():
    (rec,) = projects(run("吕梁市年产5万吨碳纤维项目正式签约，总投资12亿元。" + _FILL + "据悉，孝义市为该项目预留了土地。"))
    assert (rec.county, rec.city, rec.precision) == ("孝义市", "吕梁市", "county")
    # A firm's home county heading its name counts; a project placed nowhere takes it too.
    (rec,) = projects(run("年产5万吨碳纤维项目正式签约，总投资12亿元。" + _FILL + "项目由孝义华宇集团投资建设。"))
    assert (rec.county, rec.city) == ("孝义市", "吕梁市")
    # Two counties named: the article is about neither alone.
    (rec,) = projects(run("吕梁市年产5万吨碳纤维项目正式签约，总投资12亿元。" + _FILL + "孝义市、汾阳市负责人参加了会议。"))
    assert (rec.county, rec.city, rec.precision) == (None, "吕梁市", "city")
    # A county of another city leaves the city alone.
    (rec,) = projects(run("吕梁市年产5万吨碳纤维项目正式签约，总投资12亿元。" + _FILL + "沁源县客商参加了会议。"))
    assert (rec.county, rec.city) == (None, "吕梁市")


# ---------------------------------------------------------------- traditional characters
def test_traditional_page_is_converted_and_keeps_the_printed_sentence():
    art = ingest_text("臨汾市項目集中簽約\n侯馬經濟開發區年產5萬噸電子材料項目，總投資12億元，日前正式簽約。", "big5.txt")
    assert any("OpenCC" in w for w in art.warnings) and "侯马经济开发区" in art.text
    (rec,) = [r for r in extract_records(art) if r.kind == "project"]
    assert rec.county_adcode == "141081" and rec.amount_yi == 12 and rec.stage == "signed"
    assert "侯馬" in rec.sentence_original and "侯马" in rec.sentence
    assert len(art.original_text) == len(art.text)


def test_simplified_text_is_left_alone():
    text = "山西太原於2023年签约"  # one variant character is no traditional page
    assert to_simplified(text) == (text, False)


# ---------------------------------------------------------------- duplicates and locations
def test_same_name_and_amount_in_one_sentence_is_one_record():
    recs = run("太原市某某科技年产5万吨石墨烯项目总投资8亿元，年产5万吨石墨烯项目总投资8亿元已开工。")
    assert len([r for r in recs if r.amount_yi == 8]) == 1


def test_province_level_record_has_no_city_or_county():
    (rec,) = run("山西省与某某集团签约储能电池项目，总投资30亿元。")
    assert rec.precision == "province" and rec.city is None and rec.county is None


def test_zone_spanning_cities_is_narrowed_by_the_article_city():
    recs = run("太原市2023年6月签约一批项目。位于我市的综改示范区签约某某半导体项目，总投资20亿元。")
    (rec,) = projects(recs)
    assert rec.city_adcode == "140100" and rec.county is None
    assert set(rec.place_adcodes) <= {"140105", "140106", "140107", "140108", "140109", "140110", "140121",
                                      "140122", "140123", "140181"}


def test_amounts_joined_by_de_belong_to_the_named_project_not_the_round():
    recs = run("6月1日，忻州市集中开工项目20个，其中产业类项目12个，主要有总投资14亿元的5GW高效光伏组件制造项目、"
               "总投资3.3亿元的职业高中建设项目等。")
    assert [(r.name, r.amount_yi) for r in projects(recs)] == [
        ("5GW高效光伏组件制造项目", 14), ("职业高中建设项目", 3.3)]
    assert sorted(r.project_count for r in recs if r.kind == "batch") == [12, 20]


def test_counted_items_without_a_number_need_a_verb_or_specific_items():
    recs = run("该县新开工建设年产160万吨焦化、永鑫铁路专用线、沁河流域综合治理等项目。")
    assert [r.name for r in projects(recs)] == ["年产160万吨焦化", "永鑫铁路专用线", "沁河流域综合治理"]
    assert run("大同市从财税奖励、人才培训等方面支持项目建设。") == []


def test_pinyin_glosses_and_doubled_commas_of_mirrors_are_removed():
    art = ingest_text("標題\n年產(chǎn)70萬噸項目,、續(xù)建項目10個,,已開工。", "m.txt")
    assert "(chǎn)" not in art.text and ",、" not in art.text and ",," not in art.text
    assert any("pinyin" in w for w in art.warnings)


def test_toneless_pinyin_glosses_of_a_glossing_mirror_are_removed_a_lone_bracket_stays():
    art = ingest_text("標題\n现将项(xiang)目信息公示如下:建设地点:兴县;项目总投(tou)资:18588.56万元;煤(mei)(mei)矿。", "m.txt")
    assert "项目总投资:18588.56万元" in art.text and "煤矿" in art.text
    assert "手机(app)" in ingest_text("標題\n某公司手机(app)项目签约。", "m.txt").text


def test_a_groundbreaking_venue_is_the_site_a_signing_venue_is_not():
    (started,) = projects(run("8月27日，某某集团10GW光伏电池生产基地项目开工奠基仪式在忻州市举行。"))
    assert started.city == "忻州市"
    (signed,) = projects(run("8月27日，阳城县与某某集团签约锂电池正极材料项目签约仪式在太原市举行。"))
    assert signed.county == "阳城县"


def test_a_zone_before_a_firm_name_locates_the_firm():
    recs = run("集中签约仪式上，翼城产业集聚区精品钢基地项目，浮山产业集聚区临汾染化集团迁建项目等2个项目签约。")
    assert [r.county for r in projects(recs)] == ["翼城县", "浮山县"]


def test_bare_district_of_the_article_city():
    recs = run("阳泉市2021年一季度项目集中开工。社会民生类项目主要有郊区职业高中建设项目，总投资3.3亿元。阳泉市加快发展。")
    (rec,) = projects(recs)
    assert rec.county == "郊区" and rec.county_adcode == "140311"
    assert projects(run("太原市城市郊区的农业园项目总投资2亿元。")) and \
        projects(run("太原市城市郊区的农业园项目总投资2亿元。"))[0].county is None


def test_a_main_venue_that_holds_the_projects_is_their_site():
    recs = run("4月26日，运城市重点项目集中开工，盐湖区主会场开工的黄河农机农资物流园项目总投资5亿元。")
    assert projects(recs)[0].county == "盐湖区"


def test_field_blocks_run_together_on_one_line_stay_apart():
    recs = run("6月1日，晋城市重点项目集中开工。\n1.项目名称：年产5万吨铝合金项目 建设单位：某某铝业有限公司 总投资：1亿元 "
               "2.项目名称：储能电池项目 建设单位：某某电池有限公司 总投资：2亿元")
    assert [(r.name, r.company, r.amount_yi) for r in projects(recs)] == [
        ("年产5万吨铝合金项目", "某某铝业有限公司", 1), ("储能电池项目", "某某电池有限公司", 2)]


def test_a_described_first_item_keeps_its_firm_to_itself():
    recs = run("重点签约项目有：山西潞安集团与中电建合作的300MW光伏发电项目、屯留区年产5万吨饲料加工项目、"
               "襄垣县煤层气综合利用项目。")
    items = projects(recs)
    assert [r.name for r in items] == ["300MW光伏发电项目", "屯留区年产5万吨饲料加工项目", "襄垣县煤层气综合利用项目"]
    assert [r.company for r in items] == ["山西潞安集团", None, None]
    assert [r.county for r in items][1:] == ["屯留区", "襄垣县"]


def test_a_firm_before_the_list_is_every_items():
    recs = run("晋中市与比亚迪汽车工业有限公司签订了新能源汽车零部件产业园项目、动力电池项目。")
    assert [r.company for r in projects(recs)] == ["比亚迪汽车工业有限公司"] * 2


# ---------------------------------------------------------------- numbered items and headings
def test_a_numbered_heading_names_the_project_its_next_sentence_describes():
    recs = run("1.芮城县风电装备制造产业园项目。该项目由明阳智能投资建设，总投资15亿元。\n"
               "（二）平陆县年产30万吨饲料项目\n项目由山西大象农牧集团投资建设，总投资3.5亿元，预计年产值12亿元。")
    items = projects(recs)
    assert [(r.name, r.amount_yi, r.amount_kind) for r in items] == [
        ("芮城县风电装备制造产业园项目", 15.0, "investment"),
        ("年产30万吨饲料项目", 3.5, "investment"), ("年产30万吨饲料项目", 12.0, "output")]
    assert [r.county for r in items] == ["芮城县", "平陆县", "平陆县"]
    assert items[0].company == "明阳智能" and items[1].company == "山西大象农牧集团"


def test_a_name_sentence_is_not_joined_to_an_unrelated_one():
    recs = run("太原市小店区氢能产业园项目。某物流公司总投资5亿元建设智慧物流园。")
    (rec,) = [r for r in recs if r.amount_yi == 5.0]
    assert "氢能" not in rec.sentence and rec.name != "太原市小店区氢能产业园项目"


# ---------------------------------------------------------------- facilities and local firms
def test_a_facility_a_stage_verb_reports_on_is_a_project():
    recs = run("阳泉经济技术开发区举行推进会。\n孝义市鹏飞集团年产60万吨焦炉煤气制乙二醇装置日前一次开车成功。\n"
               "总投资20亿元的华阳集团钠离子电池正极材料生产线在盂县建成投产。")
    items = projects(recs)
    assert [r.name for r in items] == ["孝义市鹏飞集团年产60万吨焦炉煤气制乙二醇装置", "华阳集团钠离子电池正极材料生产线"]
    assert [r.stage for r in items] == ["in_production", "in_production"]
    # a local firm named after its county builds there, not where the paragraph before was about
    assert [r.county for r in items] == ["孝义市", "盂县"]


def test_a_firms_facility_a_stage_reports_on_is_named_with_the_firm():
    recs = run("园区企业加快建设。河湾公司检测检验和研发中心主体建设已提前封顶。"
               "山西北岭科技有限公司生产基地正式投产。")
    assert [r.name for r in projects(recs)] == ["河湾公司检测检验和研发中心", "山西北岭科技有限公司生产基地"]
    # a facility after a clause (…合作的研发中心) is still cut at the clause
    assert not projects(run("甲公司和乙公司合作的研发中心落户。"))


def test_a_works_whose_building_site_is_visited_is_a_project_under_way():
    recs = run("4月12日下午，在河湾县北岭古镇景区“百院”工程施工现场，工人们正在忙碌。")
    assert [(r.name, r.stage) for r in projects(recs)] == [("河湾县北岭古镇景区“百院”工程", "started")]


def test_a_facility_without_a_stage_verb_is_no_project():
    assert not projects(run("该集团拥有多条生产线和一座电站，员工三千人。"))


def test_counted_list_with_a_described_count_and_bare_zone_words():
    recs = run("长治市举行推介会。其中，包括高新区的立讯电子信息产业园二期、屯留开发区的年产20万吨燃料乙醇等"
               "投资额10亿元以上项目10个；从产业类别看，包括总投资5.4亿元的农业类项目2个，总投资125.13亿元的工业类项目28个。")
    items = projects(recs)
    assert [r.name for r in items] == ["立讯电子信息产业园二期", "年产20万吨燃料乙醇"]  # their places are their sites
    assert [r.county_adcode for r in items] == ["140403", "140405"]  # 高新区 of the article's city: 长治高新区
    batches = [(r.project_count, r.amount_yi) for r in recs if r.kind == "batch"]
    assert batches == [(10, 10.0), (2, 5.4), (28, 125.13)]  # each amount with the count its 的 phrase names
    assert {r.city_adcode for r in recs if r.kind == "batch"} == {"140400"}  # not an item's zone


def test_items_a_verb_introduces_are_projects_even_without_a_product_word():
    recs = run("今年以来，怀仁市围绕陶瓷产业补链延链，已引进日用陶瓷智能生产线项目、陶瓷新材料研发中心项目、"
               "高端卫浴洁具项目等，产业集群初具规模。")
    assert [r.name for r in projects(recs)] == ["日用陶瓷智能生产线项目", "陶瓷新材料研发中心项目", "高端卫浴洁具项目"]
    assert {r.county for r in projects(recs)} == {"怀仁市"}
    # Sectors a verb introduces stay sectors: no records.
    assert not projects(run("该县已引进职业技能培训项目、社区养老服务业项目、中小学课后教育项目等。"))


def test_a_city_in_a_project_name_gives_way_to_the_district_the_text_is_about():
    recs = run("忻府区今年以来狠抓项目建设。\n华电忻州热电联产扩建工程总投资18亿元，目前该区正全力推进项目前期工作。")
    (rec,) = projects(recs)
    assert rec.county == "忻府区" and rec.amount_yi == 18
    # A batch of the city stays the city's.
    recs = run("忻府区今年以来狠抓项目建设。\n忻州市签约项目20个，总投资80亿元。")
    assert [(r.kind, r.city, r.county) for r in recs] == [("batch", "忻州市", None)]


def test_shanxi_inside_a_name_or_phrase_gives_way_to_the_county_the_text_is_about():
    recs = run("近日，位于昔阳县经济技术开发区的负极材料基地传来喜讯。\n"
               "山西尚泰锂电负极材料一体化项目建成投产，对加快山西新材料产业集群发展具有重要意义。")
    (rec,) = projects(recs)
    assert rec.county == "昔阳县"
    # With nothing finer anywhere, the province stays the site.
    (rec,) = projects(run("尚泰锂电负极材料一体化项目在山西建成投产。"))
    assert rec.precision == "province" and rec.city is None


def test_a_city_as_a_yardstick_is_no_site():
    recs = run("长治高新区新能源产业加速集聚。\n投资20亿元的磷酸铁锂正极材料项目正式签约，将打造长治市首条锂电材料生产线。")
    rec = next(r for r in projects(recs) if r.amount_yi == 20)
    assert rec.zone is not None and "长治高新" in rec.zone


def test_facilities_listed_before_a_kind_of_projects_are_projects():
    recs = run("太原片区今年签约落地一批项目。胶原蛋白新材料产业园、航空科技再制造中心、碳化硅材料产业基地等重点产业项目取得重大进展。")
    assert [r.name for r in projects(recs)] == ["胶原蛋白新材料产业园", "航空科技再制造中心", "碳化硅材料产业基地"]


def test_the_total_of_counted_projects_in_the_next_clause_is_the_batch_amount():
    recs = run("今年，孝义市拟实施重点项目63个，其中省级5个、市级12个；项目总投资412亿元，本年度计划完成投资66亿元。")
    assert [(r.kind, r.project_count, r.amount_yi, r.amount_kind) for r in recs] == [
        ("batch", 63, 412, "investment"), ("batch", 5, None, None), ("batch", 12, None, None),
        ("stat", None, 66, "investment")]
    assert not projects(recs)  # nothing here feeds project totals


def test_a_list_of_trades_is_no_list_of_projects():
    recs = run("当天签约项目15个。另有文旅康养项目、仓储物流项目、现代农业项目、数字经济项目等共9个项目签约。")
    assert not projects(recs)
    # Named items next to a trade stay projects.
    recs = run("当天签约了文旅康养项目、年产5万吨再生铝项目、智能仓储物流园项目。")
    assert "年产5万吨再生铝项目" in [r.name for r in projects(recs)]


def test_the_list_of_a_round_takes_the_rounds_date_from_an_earlier_paragraph():
    recs = run("3月13日，芮城县举行重点工程第二批集中开工仪式。\n"
               "集中开工的15个项目，有总投资2.6亿元的标准化厂房建设项目，总投资5000万元的特种耗浆生产线建设项目。")
    assert [(r.amount_yi, r.date) for r in projects(recs)] == [(2.6, "2023-03-13"), (0.5, "2023-03-13")]


def test_bare_zone_words_take_the_city_zone_named_in_the_headline():
    recs = run("人工智算方面，云计算中心扩容项目建成投产，助力高新区加速打造人工智算产业新高地。",
               title="忻州高新区全链条推动项目落地")
    (rec,) = projects(recs)
    assert rec.precision == "zone" and rec.city_adcode == "140900"


def test_a_zone_spanning_cities_narrows_to_the_part_the_article_names():
    recs = run("截至目前，示范区共有132个项目签约落地。\n山西综改示范区精心谋划，胶原蛋白产业园、航空科技再制造中心等重点产业项目取得重大进展。",
               title="山西综改示范区太原片区132个项目签约落地")
    assert {(r.precision, r.city_adcode) for r in projects(recs)} == {("zone", "140100")}


def test_a_city_level_project_takes_the_zone_the_headline_is_about():
    recs = run("亮点工作\n2021年，被表彰为产业转型升级示范园区。\n▲产业生态基地\n"
               "在新能源产业发展上，投资20亿元的氢能产业基地项目开工建设，将打造长治首条氢能重卡生产线。",
               title="山西长治高新区全方位推动高质量发展")
    (rec,) = projects(recs)
    assert rec.precision == "zone" and rec.county_adcode == "140403"


def test_signed_items_lose_the_verb_and_keep_both_halves_of_their_name():
    recs = run("推介会上，孝义市与内蒙古某露天煤业股份有限公司山西分公司签约200兆瓦风力发电项目；"
               "与杭州某环保科技有限公司签约20000吨染料及染料中间体项目。")
    names = {r.name: r for r in projects(recs)}
    assert set(names) == {"200兆瓦风力发电项目", "20000吨染料及染料中间体项目"}
    assert names["200兆瓦风力发电项目"].origin_region == "other"  # the branch's parent is from 内蒙古
    assert names["20000吨染料及染料中间体项目"].origin_region == "yangtze_delta"


def test_a_named_projects_later_figures_share_its_site():
    recs = run("朔州新春见闻。\n3月5日，位于平鲁经济技术开发区的某硅能公司车间内一派忙碌。与此同时，总投资80亿元的二期光伏全产业链项目正加紧建设。"
               "预计二期全部投产后，年产值可达100亿元，年创税收超20亿元。")
    assert {(r.amount_yi, r.county_adcode, r.chain) for r in projects(recs)} == {
        (80, "140603", "光伏"), (100, "140603", "光伏"), (20, "140603", "光伏")}


def test_a_quoted_word_inside_a_project_name_keeps_the_name_whole():
    recs = run("介休经济技术开发区及安泰集团赴河北邯郸市，围绕安泰集团精品钢深加工“零碳”产业园项目开展招商。")
    assert [r.name for r in projects(recs)] == ["安泰集团精品钢深加工“零碳”产业园项目"]


def test_a_breakdown_after_qizhong_gives_sub_batches():
    recs = run("今年，孝义市拟实施重点项目63个，其中省级5个、市级12个。")
    assert [(r.kind, r.project_count) for r in recs] == [("batch", 63), ("batch", 5), ("batch", 12)]
    assert not [r for r in run("全年接待游客300万人次，其中外地游客12个团。") if r.kind == "batch"]


def test_works_counted_and_then_described_each_in_its_paragraph():
    recs = run("9月25日，体育中心、滨河东路连通道路、应急医院三项重点工程开工仪式举行。\n"
               "体育中心及周边景观工程位于主城区公园内，是城市又一地标。\n"
               "滨河东路西延工程西起泽州北路，东至一级路，建成后将缓解交通拥堵。")
    assert [(r.kind, r.project_count) for r in recs if r.kind == "batch"] == [("batch", 3)]
    assert {"体育中心及周边景观工程", "滨河东路西延工程"} <= {r.name for r in projects(recs)}


def test_a_list_of_ten_major_works_gives_its_items_and_the_batch():
    recs = run("当天，集中启动的河畔田园综合体、实验中学等十大重点工程，总投资24亿元。")
    assert [r.name for r in projects(recs)] == ["河畔田园综合体", "实验中学"]
    assert [(r.project_count, r.amount_yi) for r in recs if r.kind == "batch"] == [(10, 24)]


def test_a_project_passes_over_an_earlier_shanxi_for_the_zone_further_back():
    recs = run("近日，位于昔阳县经济技术开发区的负极材料一体化项目三期正式投产。\n"
               "该项目的投产，对加快山西新材料产业集群发展具有重要意义。\n"
               "公司负责人介绍，此次投产的三期项目总投资20亿元。")
    rec = next(r for r in projects(recs) if r.amount_yi == 20)
    assert rec.county_adcode == "140724"
    # A stat keeps the province the text just named.
    recs = run("太原市举行推介会。\n预计到2025年，山西10条重点产业链规模效应初步显现。\n营业收入将突破8400亿元。")
    assert [r.precision for r in recs if r.kind == "stat"] == ["province"]


def test_a_hospital_described_where_its_sentence_starts_is_a_project():
    recs = run("应急定点医院位于金匠工业园区顺安路与茶元路交叉口，是提升医疗救治能力的民生工程。")
    assert [r.name for r in projects(recs)] == ["应急定点医院"]


def test_rounds_with_the_same_count_are_separate_batches_with_their_own_stage():
    recs = run("本次活动，全省共签约233个项目、开工225个项目、投产225个项目。")
    assert [(r.project_count, r.stage) for r in recs] == [(233, "signed"), (225, "started"), (225, "in_production")]


def test_a_programme_of_five_major_works_is_no_batch():
    assert not run("深入实施数字基建、数字场景创新、数字产品制造、数字赋能、数字治理提升“五大工程”。")


def test_a_breakdown_after_projects_zhong_and_parts_take_no_amount():
    recs = run("20个公共设施项目中，教育服务方面7个，医疗卫生方面5个，其他方面8个。")
    assert [r.project_count for r in recs] == [20, 7, 5, 8]
    recs = run("项目总投资347亿元，其中亿元以上36个，本年度计划完成投资50亿元。")
    assert [(r.kind, r.project_count, r.amount_yi) for r in recs if r.kind == "batch"] == [("batch", 36, None)]


def test_an_announcement_takes_the_site_it_states_after_the_deal():
    recs = run("二、投资主体情况\n本次投资由新能源公司出资人民币82176万元进行投资，不构成关联交易。\n"
               "三、投资标的的基本情况\n风电场四期（99.5MW）工程位于山阴县西北18km处的下喇叭乡境内。")
    rec = next(r for r in projects(recs) if r.amount_yi)
    assert rec.county == "山阴县" and abs(rec.amount_yi - 8.2176) < 1e-9


def test_a_project_phrase_followed_by_a_stage_verb_is_a_project_and_a_clause_is_not():
    recs = run("左云县通过招商引资，葵花籽产业一体化项目落户乡村振兴产业园。")
    assert [r.name for r in projects(recs)] == ["葵花籽产业一体化项目"]
    assert not projects(run("市委书记出席开工仪式并宣布项目开工。"))


def test_a_project_that_hosts_a_venue_is_a_project():
    recs = run("临汾市分会场设立在临汾经济开发区甘亭工业园智能制造产业园（一期）项目机加工5号厂房内。")
    (rec,) = projects(recs)
    assert rec.name == "智能制造产业园（一期）项目" and rec.precision == "zone"


def test_venues_at_projects_are_projects_even_works_with_a_year_in_the_name():
    recs = run("4月8日，吉县举行重点项目集中开工仪式。主会场设立在吉县人民医院门诊楼建设项目施工现场，"
               "两个分会场分别设立在吉县年产2万吨苹果醋项目施工现场、吉县2023年城乡供水管网工程施工现场。")
    names = [r.name for r in projects(recs)]
    assert names == ["吉县人民医院门诊楼建设项目", "吉县年产2万吨苹果醋项目", "吉县2023年城乡供水管网工程"]
    assert {r.county for r in projects(recs)} == {"吉县"} and {r.stage for r in projects(recs)} == {"started"}


def test_items_a_visit_or_a_report_names_are_projects():
    recs = run("5月9日，平顺县召开招商引资推进会。会议听取中药材饮片加工项目、高山蔬菜冷链仓储项目情况汇报。")
    assert [r.name for r in projects(recs)] == ["中药材饮片加工项目", "高山蔬菜冷链仓储项目"]
    recs = run("调研组一行为该县污水处理厂提标改造工程、城南供热站建设项目奠基，并一同前往"
               "某某年产3万吨铝型材项目、S218改线项目等项目建设现场实地观摩。")
    assert [r.name for r in projects(recs)] == ["污水处理厂提标改造工程", "城南供热站建设项目",
                                                "某某年产3万吨铝型材项目", "S218改线项目"]


def test_a_round_named_in_quotes_and_a_slogan_cut_open_are_no_projects():
    assert not projects(run("市长宣布全市第二次“开工一批”代表项目正式开工。"))
    assert not projects(run("今年以来，该县牢固树立“抓项目就是抓发展”的理念，推进项目建设。"))


def test_a_capacity_written_per_year_stays_in_the_name_and_the_firm_does_not():
    recs = run("企业代表介绍了某某新材料有限公司30万吨/年高纯石英砂生产线扩建项目情况。")
    assert [r.name for r in projects(recs)] == ["30万吨/年高纯石英砂生产线扩建项目"]


def test_a_list_a_stage_follows_names_projects_and_its_trade_is_no_project():
    recs = run("2025年，某市新能源项目签约60个，华能新能源、某某电气等储能项目顺利开工，"
               "某某智驾、某某智算中心等项目落地见效。")
    assert [r.name for r in projects(recs)] == ["华能新能源", "某某电气", "某某智驾", "某某智算中心"]
    assert not projects(run("随后，张某、李某等领导为项目开工奠基。"))


def test_items_a_summary_covers_are_cut_from_its_verb():
    recs = run("本次签约项目涵盖了山药精深加工、富硒小米深加工、果蔬原浆加工等项目。")
    assert [r.name for r in projects(recs)] == ["山药精深加工", "富硒小米深加工", "果蔬原浆加工"]


def test_an_announcement_block_with_a_quoted_name_and_an_investment_amount_field():
    recs = run("重要内容提示：\n项目名称：“某某（平遥）精密铸件产业园项目”。\n"
               "投资金额：项目的总投资金额约为 8 亿元人民币（暂定金额），资金来源为公司自有资金。")
    (rec,) = projects(recs)
    assert rec.name == "某某（平遥）精密铸件产业园项目" and rec.amount_yi == 8.0 and rec.county == "平遥县"


def test_a_bracket_inside_an_item_is_part_of_its_name():
    recs = run("此次集中签约的有——某某方圆“智慧物流港”、某某(大同)离岸设计中心、年产5万吨某某新材料等12个项目，"
               "总投资50亿元，预计项目全部达产后，年可实现销售收入约80亿元。")
    assert [r.name for r in projects(recs)] == ["某某方圆“智慧物流港”", "某某(大同)离岸设计中心", "年产5万吨某某新材料"]
    recs = run("5月8日，某某(山西)数字流量产业园项目在小店区签约。")
    assert [r.name for r in projects(recs)] == ["某某(山西)数字流量产业园项目"]


def test_a_place_a_road_leads_to_is_no_site():
    recs = run("忻州市今年安排道路工程7个。将忻州与太原连在一起的忻阳大道总投资约12亿元；"
               "某某国道改线工程全长70公里，总投资约9.5亿元，预计今年下半年开工。")
    assert {r.city for r in recs if r.amount_yi} == {"忻州市"}


def test_one_project_named_with_and_without_its_county_is_one_record_placed_in_the_county():
    recs = run("4月6日，全市重点项目集中开工暨盐湖区某某冷链物流园建设项目开工仪式举行。"
               "主会场开工的某某冷链物流园建设项目总投资5亿元，分两期进行，今年计划投资2.4亿元。")
    (rec,) = projects(recs)
    assert (rec.name, rec.amount_yi, rec.county) == ("某某冷链物流园建设项目", 5.0, "盐湖区")
    assert [(r.kind, r.amount_yi) for r in recs if r.kind == "stat"] == [("stat", 2.4)]


def test_slogans_in_quotes_are_no_works():
    assert not projects(run("今年以来，该区坚持把项目建设作为“头号工程”，一切围绕项目转。"))
    assert not projects(run("要求各项目单位按照“建一流工程、创一流质量、树一流品牌”的要求推进项目建设。"))


def test_a_trade_and_xiangmu_alone_is_no_project():
    assert not projects(run("此次新能源项目的成功签约，对于该县做大做强新兴产业具有重要意义。"))
    assert [r.name for r in projects(run("某某集团新能源项目在娄烦县签约。"))] == ["某某集团新能源项目"]


def test_a_project_named_again_with_its_amount_keeps_the_amount_and_its_phases_take_its_site():
    recs = run("近日，应县在经济技术开发区北区举行某某新能源开发有限公司5GWh储能电池生产线项目开工仪式。\n"
               "某某新能源成立于2019年，是国家高新技术企业。\n"
               "据悉，5GWh储能电池生产线项目总投资12亿元，规划占地面积150亩。\n"
               "根据规划，项目分两期投入，第一期建设3GWh电芯生产线，第二期建设2GWh电芯生产线。")
    named = [r for r in projects(recs) if r.name == "5GWh储能电池生产线项目"]
    assert [r.amount_yi for r in named] == [12.0] and named[0].company
    phases = [r for r in projects(recs) if "电芯" in (r.name or "")]
    assert len(phases) == 2 and {r.county for r in phases} == {"应县"}


def test_a_project_named_after_its_city_takes_the_county_its_sentence_names():
    recs = run("1月16日，太原某某20万吨铜箔（一期）项目在太原市阳曲县大盂产业新城投产。")
    (rec,) = projects(recs)
    assert rec.county == "阳曲县"


def test_items_joined_by_he_and_counted_are_projects():
    recs = run("某某建设集团承担某某光伏项目定制厂房、2座110KV变电站和园区供水工程三个项目的建设。")
    assert [r.name for r in projects(recs)] == ["某某光伏项目定制厂房", "2座110KV变电站", "园区供水工程"]
    assert not projects(run("会上，张某和李某两个人分别发言。"))


def test_a_round_known_only_by_its_ceremony_is_a_batch_once():
    recs = run("某县举行2025年一季度重点项目集中开复工仪式\n"
               "3月15日，某县2025年重点项目集中开复工仪式在翼城县某某园区举行。今年该县共谋划项目112个，总投资320亿元。")
    ceremonies = [r for r in recs if r.kind == "batch" and r.project_count is None and r.amount_yi is None]
    assert len(ceremonies) == 1 and ceremonies[0].stage == "started" and ceremonies[0].sentence.startswith("3月15日")
    recs = run("4月1日，某县举行招商引资项目签约仪式。此次共签约项目12个，总投资50亿元。")
    assert [(r.kind, r.project_count) for r in recs] == [("batch", 12)]
    assert not projects(run("此次活动是该县“冬季行动”项目建设成果的一次集中展示。"))


def test_items_a_number_and_a_facility_noun_follow_are_named_with_it_and_their_total_is_a_batch():
    recs = run("大同市先后引进并建设某甲、某乙、某丙三大算力中心，累计完成投资300亿元。")
    assert [r.name for r in projects(recs)] == ["某甲算力中心", "某乙算力中心", "某丙算力中心"]
    assert [(r.kind, r.project_count, r.amount_yi) for r in recs if r.kind == "batch"] == [("batch", 3, 300.0)]
    recs = run("介休市绵山镇成功签约某某固废综合利用示范基地和某某中药材产业园建设两个项目，总投资达5.13亿元。")
    assert [r.name for r in projects(recs)] == ["某某固废综合利用示范基地", "某某中药材产业园建设"]
    assert not projects(run("综改示范区重点打造新能源、新材料、电子信息三大专业化产业园。"))


def test_a_list_a_stage_vouches_for_may_claim_a_first():
    recs = run("在市委市政府的支持下，某某焦炉煤气制高纯氢、全国首套水电解制绿氢、加氢综合能源岛等项目相继投产。")
    assert [r.name for r in projects(recs)] == ["某某焦炉煤气制高纯氢", "全国首套水电解制绿氢", "加氢综合能源岛"]
    assert {r.stage for r in projects(recs)} == {"in_production"}


def test_a_station_put_into_use_is_a_project_and_this_projects_amount_is_not_a_tenants():
    (rec,) = projects(run("2022年，孝义市某某加氢综合能源站投入使用。"))
    assert rec.name == "孝义市某某加氢综合能源站" and rec.county == "孝义市" and rec.stage == "in_production"
    recs = run("某某标准化厂房项目在榆次区开工。该项目总投资5亿元，主要为年产10万吨负极材料项目入驻提供配套设施。")
    # the figure is the project just named's (该项目), never the tenant's
    assert [(r.name, r.amount_yi) for r in projects(recs) if r.amount_yi] == [("某某标准化厂房项目", 5.0)]


def test_a_zone_across_cities_narrowed_to_the_part_the_article_names():
    recs = run("太原市政府相关负责人介绍，截至目前，太忻一体化经济区(太原区)项目共计602项。某某新材料、某某半导体、某某奥特莱斯等一批头部企业"
               "项目在太忻一体化经济区落地、投产。")
    items = projects(recs)
    assert [r.name for r in items] == ["某某新材料", "某某半导体", "某某奥特莱斯"]
    assert {r.city for r in items} == {"太原市"}


def test_a_county_holding_an_event_is_no_part_of_the_firm_after_it():
    recs = run("9月26日上午，浮山县举办山西某某固废综合利用有限公司新产品发布会暨项目签约仪式，"
               "120万吨/年铁尾矿资源化整体利用项目在该县落地。\n"
               "此次签约的铁尾矿资源化整体利用项目总投资1.98亿元。")
    assert {r.county for r in projects(recs)} == {"浮山县"}


def test_a_plants_parts_by_site_are_projects_in_their_counties():
    recs = run("大同某某100万千瓦风力发电项目总投资约40.9亿元，其中浑源50万千瓦、新荣33万千瓦、左云17万千瓦。")
    parts = [r for r in projects(recs) if r.amount_yi is None]
    assert [(r.name, r.county) for r in parts] == [("浑源50万千瓦", "浑源县"), ("新荣33万千瓦", "新荣区"),
                                                   ("左云17万千瓦", "左云县")]
    (rec,) = projects(run("001标段：新荣33万千瓦风电项目。"))
    assert rec.county == "新荣区"


def test_a_planned_second_phase_list_and_a_topic_name_are_projects():
    recs = run("“我们还同步谋划了某某天鹅堡度假酒店、某某天街商业街区、某某雪乡民宿等二期项目的建设。")
    assert [r.name for r in projects(recs)] == ["某某天鹅堡度假酒店", "某某天街商业街区", "某某雪乡民宿"]
    recs = run("据了解，青银二广高速公路太原联络线项目是全省高速网的关键联络线。")
    assert [r.name for r in projects(recs)] == ["青银二广高速公路太原联络线项目"]
    recs = run("平鲁经济技术开发区与某某硅能科技有限公司在太原成功签订单晶硅项目合作协议。")
    assert [r.name for r in projects(recs)] == ["单晶硅项目"]


def test_a_round_of_one_project_is_a_batch():
    recs = run("其中山阴县“签约一批”项目3个，总投资13.3亿元；“开工一批”项目1个；“投产一批”项目3个。")
    assert [(r.kind, r.project_count, r.stage) for r in recs] == [
        ("batch", 3, "signed"), ("batch", 1, "started"), ("batch", 3, "in_production")]
    assert not [r for r in run("今年新签约项目1个。") if r.kind == "batch"]


def test_firms_and_contracts_counted_are_batches():
    recs = run("长治市潞城区与某某等18家企业签订了入园协议。")
    assert [(r.kind, r.project_count) for r in recs] == [("batch", 18)]
    recs = run("果品交易会上签约果品采购合同9个，金额3亿元。")
    assert [(r.kind, r.project_count, r.amount_yi) for r in recs] == [("batch", 9, 3.0)]
    assert not run("全区5家企业参加了培训。")


def test_a_zone_across_cities_narrowed_to_its_one_host_county_there():
    recs = run("初冬时节，位于示范区晋中开发区潇河产业园的某某氢能源项目正式开工。")
    (rec,) = [r for r in projects(recs) if r.name == "某某氢能源项目"]
    assert (rec.county_adcode, rec.city_adcode, rec.precision) == ("140702", "140700", "zone")


def test_a_total_after_the_parts_of_a_batch_is_the_wholes():
    recs = run("本次集中开工总计48个项目。其中：20个县级项目，28个乡镇项目。项目总投资71.73亿元，转型项目33个。")
    batches = {r.project_count: r.amount_yi for r in recs if r.kind == "batch"}
    assert batches[48] == 71.73 and batches[28] is None and batches[20] is None
    assert not [r for r in recs if r.kind == "project" and r.amount_yi == 71.73]


def test_a_figure_stated_as_a_share_of_a_total_is_no_project():
    recs = run("项目总投资71.73亿元，其中：计划投资10.91亿，占总投资15%。")
    assert [(r.kind, r.amount_yi) for r in recs if r.amount_yi == 10.91] == [("stat", 10.91)]


def test_a_counted_list_of_kinds_of_work_is_no_list_of_projects():
    recs = run("下一步，要建设优良种子种苗、标准化种植、仿野生种植、林下套种、产品加工、中药康养等6大基地。")
    assert not projects(recs)
    named = run("先后引进并建设秦淮、京东、中联三大算力中心，累计完成投资70亿元。")
    assert [r.name for r in projects(named)] == ["秦淮算力中心", "京东算力中心", "中联算力中心"]


def test_a_park_a_comma_closes_inside_a_list_item_is_an_item_of_its_own():
    recs = run("近年来，朔州营商环境持续优化，甲乙丙低碳产业园、丁戊煤基烯烃新材料及下游深加工一体化项目、庚辛壬铬基合金低碳项目等一批重大项目纷至沓来。")
    assert [r.name for r in projects(recs)] == ["甲乙丙低碳产业园", "丁戊煤基烯烃新材料及下游深加工一体化项目",
                                                 "庚辛壬铬基合金低碳项目"]


def test_a_list_goes_on_after_its_xiangmu_up_to_deng():
    recs = run("此次开工的12个重点项目包括甲乙储能系统生产、丙丁隔热材料生产、智能烧烤机器人项目、沙棘果加工等。")
    assert [r.name for r in projects(recs)][-1] == "沙棘果加工"


def test_an_announced_list_may_follow_the_batchs_total():
    recs = run("此次开工的12个重点项目，总投资15.97亿元，包括甲乙储能系统生产、丙丁隔热材料生产、智能烧烤机器人、沙棘果加工等。")
    assert [(r.kind, r.amount_yi) for r in recs if r.kind == "batch"] == [("batch", 15.97)]
    assert [r.name for r in projects(recs)] == ["甲乙储能系统生产", "丙丁隔热材料生产", "智能烧烤机器人", "沙棘果加工"]
    assert all(r.amount_yi is None for r in projects(recs))


def test_a_park_firms_build_together_is_a_project():
    recs = run("开发区引进甲铝业公司、乙新材料公司与丙铝镁公司共建铝基新材料科技数据产业园。")
    assert "铝基新材料科技数据产业园" in [r.name for r in projects(recs)]


def test_a_long_plain_xiangmu_name_is_a_project_without_a_stage():
    recs = run("甲乙县人民医院易址扩建项目\n该院位于城区东部。")
    assert [r.name for r in projects(recs)] == ["甲乙县人民医院易址扩建项目"]
    # A class of projects, or a name inside a clause, is none.
    assert not projects(run("近日，省政府办公厅发布《关于印发2020年省级重点工程项目名单的通知》。"))
    assert not projects(run("高新区精准招引数字经济产业项目。"))


def test_figures_of_the_project_once_built_are_the_projects():
    recs = run("甲乙电子智能制造生产基地一期项目开工。项目全部建成达效后，年产值可达50亿元。")
    assert [(r.kind, r.amount_yi, r.amount_kind) for r in recs if r.amount_yi] == [("project", 50.0, "output")]


def test_a_section_in_brackets_closing_a_name_is_part_of_it_and_places_it():
    recs = run("阳泉市基础设施类项目11个，主要有总投资3.4亿元的甲乙煤层气管道工程(盂县段)、总投资3.3亿元的郊区职业高中建设项目等。")
    assert [(r.name, r.county) for r in projects(recs)] == [("甲乙煤层气管道工程(盂县段)", "盂县"),
                                                             ("郊区职业高中建设项目", "郊区")]


def test_rounds_counted_by_class_or_without_a_number_are_batches():
    recs = run("其中产业类6项，总投资规模8.25亿元；基础设施类3项，总投资规模1.53亿元。")
    assert [(r.kind, r.project_count, r.amount_yi) for r in recs] == [("batch", 6, 8.25), ("batch", 3, 1.53)]
    recs = run("此次集中开工的项目有5项，总投资3亿元。")
    assert [(r.kind, r.project_count, r.amount_yi) for r in recs] == [("batch", 5, 3.0)]
    recs = run("一批大型新能源项目在临汾市落地，总投资70亿元。")
    assert [(r.kind, r.amount_yi) for r in recs] == [("batch", 70.0)]
    for text in ("宁武县举行2020年项目集中开工、投产仪式，总投资62.6亿元。", "今年以来，新建产业项目完成投资2.8亿元。",
                 "启动区新开工基础项目完成投资89.57亿元。"):
        assert [r.kind for r in run(text)] == ["batch"], text


def test_counts_with_a_long_description_or_a_stage_are_batches():
    recs = run("先后有11个市场前景好、发展潜力大、创新能力强的硅芯产业项目成功入园，总投资达537亿元。")
    assert [(r.kind, r.project_count, r.amount_yi) for r in recs] == [("batch", 11, 537.0)]
    recs = run("全市签约项目已开工12个，总投资30亿元。")
    assert [(r.kind, r.project_count, r.amount_yi, r.stage) for r in recs] == [("batch", 12, 30.0, "started")]


def test_a_headline_project_of_an_article_about_one_county_is_in_that_county():
    recs = run("5月31日，原平市年产5万吨某某材料项目在原平经济技术开发区开工奠基。\n据悉，该项目计划投资3亿元。",
               title="甲乙精细化工科技产业园落地原平")
    (head,) = [r for r in projects(recs) if r.name == "甲乙精细化工科技产业园"]
    assert (head.county, head.precision) == ("原平市", "county")


def test_projects_of_a_sentence_about_the_project_just_named_are_its_firms():
    recs = run("襄汾县还与深圳市甲乙新能源有限公司签订储能产业园建设项目协议。该储能产业园暨光伏发电储能项目总投资25亿元，"
               "其中储能产业园项目位于襄汾经济技术开发区，拟投资5亿元。")
    assert {r.origin_region for r in projects(recs)} == {"guangdong"}


def test_fields_without_a_name_label_take_the_project_their_paragraph_names():
    recs = run("山西甲乙煤业有限责任公司增加开采2号煤层项目开工建设的批复已下达。现将该项目信息公示如下：建设地点：山西省吕梁市"
               "孝义市兑镇镇；建设规模：矿井设计生产能力0.90mt/a；项目总投资：99089.89万元；建设工期：29个月。")
    (rec,) = projects(recs)
    assert (rec.name, rec.amount_yi, rec.county) == ("山西甲乙煤业有限责任公司增加开采2号煤层项目", 9.908989, "孝义市")
    assert "建设地点" in rec.sentence and "开采2号煤层" in rec.sentence
    # "The project" is no name.
    recs = run("经批复同意该项目开工建设。现将该项目信息公示如下：建设地点：孝义市兑镇镇；项目总投资：99089.89万元。")
    assert [r.name for r in projects(recs)] == [None]


def test_a_total_after_a_list_of_items_is_the_lists_not_the_last_items():
    recs = run("此次太原市签约甲新材料项目、乙新能源项目、丙数据中心项目，总投资30亿元。")
    assert [(r.kind, r.amount_yi) for r in recs if r.amount_yi] == [("batch", 30.0)]
    assert len(projects(recs)) == 3
    # The count after the last item is the batch's; the item before it stays an item.
    recs = run("太原市签约的甲新材料项目、乙新能源项目、丙数据中心项目3个项目总投资30亿元。")
    assert [r.name for r in projects(recs)] == ["甲新材料项目", "乙新能源项目", "丙数据中心项目"]
    assert [(r.project_count, r.amount_yi) for r in recs if r.kind == "batch"] == [(3, 30.0)]


def test_a_decimal_inside_a_name_is_part_of_it():
    recs = run("与会领导观摩“投产一批”代表项目年产8.3万吨陶瓷纤维、年产6万吨高端耐火材料项目。")
    assert [r.name for r in projects(recs)] == ["年产8.3万吨陶瓷纤维", "年产6万吨高端耐火材料项目"]


def test_the_projects_a_round_is_represented_by_are_its_items():
    recs = run("以甲乙科技、丙丁能源为代表的12个项目集中开工，总投资30亿元。")
    assert [r.name for r in projects(recs)] == ["甲乙科技", "丙丁能源"]
    assert [(r.kind, r.project_count, r.amount_yi) for r in recs if r.kind == "batch"] == [("batch", 12, 30.0)]
    assert not projects(run("以新能源、新材料为重点的12个项目集中开工。"))  # sectors


def test_the_total_of_these_projects_is_the_batch_just_counted():
    recs = run("该县今年实施重点项目12个。上述项目计划总投资35亿元。")
    assert [(r.kind, r.project_count, r.amount_yi) for r in recs] == [("batch", 12, 35.0)]
    recs = run("此次集中签约项目12个。\n项目总投资30亿元，涵盖新能源、新材料等领域。")  # the next paragraph's opening
    assert [(r.kind, r.project_count, r.amount_yi) for r in recs] == [("batch", 12, 30.0)]
    recs = run("太原市集中签约12个项目。这批项目总投资30亿元。")
    assert [(r.kind, r.project_count, r.amount_yi) for r in recs] == [("batch", 12, 30.0)]
    recs = run("此次集中签约项目12个，涵盖新能源、新材料等领域。总投资30亿元，预计年产值50亿元。")
    assert [(r.kind, r.project_count, r.amount_yi) for r in recs if r.amount_kind == "investment"] == [("batch", 12, 30.0)]


def test_figures_given_respectively_go_to_the_names_in_order():
    for text in ("太原市甲新材料项目和乙光伏项目分别投资5亿元和3亿元。", "太原市甲新材料项目、乙光伏项目总投资分别为5亿元、3亿元。"):
        assert [(r.name.replace("太原市", ""), r.amount_yi) for r in projects(run(text))] == [
            ("甲新材料项目", 5.0), ("乙光伏项目", 3.0)], text


def test_a_list_opened_by_its_own_xiangmu_and_a_verb_keeps_every_item():
    recs = run("签约项目有甲公司新材料项目、乙公司新能源项目、丙公司数据中心项目。")
    assert [r.name for r in projects(recs)] == ["甲公司新材料项目", "乙公司新能源项目", "丙公司数据中心项目"]


def test_a_list_split_at_semicolons_after_its_header_gives_every_item():
    recs = run("太原市今年重点推进的项目有：甲新材料项目；乙新能源项目；丙数据中心项目。")
    assert [r.name for r in projects(recs)] == ["甲新材料项目", "乙新能源项目", "丙数据中心项目"]
    assert {r.city for r in projects(recs)} == {"太原市"}


def test_dash_lines_under_a_header_and_bracketed_numbers_give_clean_items():
    recs = run("此次签约的项目有——\n——甲新材料项目\n——乙新能源项目\n——丙数据中心项目")
    assert [r.name for r in projects(recs)] == ["甲新材料项目", "乙新能源项目", "丙数据中心项目"]
    recs = run("太原市开工项目：（1）甲新材料项目；（2）乙新能源项目；（3）丙数据中心项目。")
    assert [r.name for r in projects(recs)] == ["甲新材料项目", "乙新能源项目", "丙数据中心项目"]


def test_items_each_opening_with_their_own_zone_keep_it_even_when_a_stage_closes_the_list():
    recs = run("侯马经济开发区高频变压器、电感元器件项目，洪洞经济技术开发区光伏发电项目签约。")
    assert [(r.name, r.county) for r in projects(recs)] == [
        ("侯马经济开发区高频变压器、电感元器件项目", "侯马市"), ("洪洞经济技术开发区光伏发电项目", "洪洞县")]


def test_a_place_heading_only_the_first_item_is_the_whole_lists():
    recs = run("清徐县甲新材料项目、乙新能源项目两个项目开工。")
    assert {(r.kind, r.county) for r in recs} == {("project", "清徐县"), ("batch", "清徐县")}


def test_a_name_after_an_industrial_park_starts_after_its_whole_name():
    recs = run("平遥工业园区甲乙新材料项目开工。")
    assert [(r.name, r.county) for r in projects(recs)] == [("甲乙新材料项目", "平遥县")]


def test_the_last_item_after_ji_is_an_item_of_its_own_and_borrows_no_neighbours_place():
    recs = run("此次开工的项目有清徐县甲精细化工项目、阳曲县乙新材料项目以及娄烦县丙文旅康养项目。")
    assert [(r.name, r.county) for r in projects(recs)] == [
        ("清徐县甲精细化工项目", "清徐县"), ("阳曲县乙新材料项目", "阳曲县"), ("娄烦县丙文旅康养项目", "娄烦县")]
    recs = run("小店区甲光伏组件项目、乙锂电池隔膜项目及阳曲县丙氢能重卡项目集中开工。")
    assert [(r.name, r.county) for r in projects(recs)] == [
        ("小店区甲光伏组件项目", "小店区"), ("乙锂电池隔膜项目", None), ("阳曲县丙氢能重卡项目", "阳曲县")]


def test_ji_after_a_names_xiangmu_is_no_part_of_the_next_name():
    recs = run("会上签约甲新能源汽车零部件项目、乙储能电池项目及丙光伏组件项目，总投资50亿元。")
    assert not any(r.name.startswith("及") for r in projects(recs))
    assert [r.name for r in projects(run("甲集团焦化项目及配套煤矿工程总投资30亿元。"))] == ["甲集团焦化项目及配套煤矿工程"]


def test_a_name_after_an_amount_and_de_ends_before_its_stage():
    recs = projects(run("乙公司投资5亿元的甲生物降解材料生产线建成投产。"))
    assert [(r.name, r.amount_yi, r.stage) for r in recs] == [("甲生物降解材料生产线", 5.0, "in_production")]
    recs = projects(run("总投资3亿元的甲物流园一期工程完工。"))
    assert [(r.name, r.stage) for r in recs] == [("甲物流园一期工程", "in_production")]


def test_a_round_verb_inside_a_phrase_is_no_part_of_the_name_after_it():
    recs = run("清徐县集中开工乙光伏项目等重点项目8个，总投资30亿元。")
    assert [(r.kind, r.name, r.county) for r in recs if r.kind == "project"] == [("project", "乙光伏项目", "清徐县")]


def test_a_project_a_government_and_a_firm_sign_is_named_by_what_they_sign():
    recs = projects(run("平鲁区人民政府和杭州甲绝缘材料有限公司签署管道生产制造项目。"))
    assert [(r.name, r.county, r.stage) for r in recs] == [("管道生产制造项目", "平鲁区", "signed")]


def test_a_park_of_jincheng_or_jinzhong_city_is_no_shanxi_firm_and_keeps_its_city():
    recs = projects(run("晋城市甲乙光电产业园二期开工。"))
    assert [(r.city, r.precision) for r in recs] == [("晋城市", "city")]


def test_the_city_a_link_road_leads_to_is_not_its_site():
    recs = projects(run("晋中市青银二广高速公路太原联络线项目开工。"))
    assert [r.city for r in recs] == ["晋中市"]


def test_a_figure_paying_for_three_listed_projects_is_their_batch():
    for text in ("甲公司投资30亿元建设年产5GW光伏组件项目、10GWh储能电池项目及年产500台氢能装备制造项目。",
                 "甲公司投资30亿元，建设年产5GW光伏组件项目、10GWh储能电池项目、年产500台氢能装备制造项目。"):
        recs = run(text)
        assert [(r.kind, r.amount_yi, r.project_count) for r in recs if r.kind == "batch"] == [("batch", 30.0, 3)], text
        assert [(r.name, r.amount_yi) for r in projects(recs)] == [
            ("年产5GW光伏组件项目", None), ("10GWh储能电池项目", None), ("年产500台氢能装备制造项目", None)], text


def test_a_sentence_about_the_works_just_named_gives_their_figure_to_a_project():
    recs = run("甲抽水蓄能电站二期项目正式启动。工程临河依山而建，计划投资80亿元，装机容量140万千瓦。")
    assert [(r.kind, r.amount_yi) for r in recs if r.amount_yi is not None] == [("project", 80.0)]


def test_a_works_described_after_a_lead_word_is_a_project_and_a_planned_size_is_no_stage():
    recs = projects(run("据悉，甲邮件处理中心工程总建筑规划16.8万平方米，总投资7.5亿元。"))
    assert [(r.name, r.amount_yi, r.stage) for r in recs] == [("甲邮件处理中心工程", 7.5, None)]


def test_a_centre_a_stage_reports_on_is_a_project_and_the_classes_it_is_one_of_are_not():
    recs = projects(run("12月29日，国家重大物流枢纽项目、山西省省级重点工程之一的太原甲邮件处理中心主体结构封顶。"))
    assert [(r.name, r.stage) for r in recs] == [("太原甲邮件处理中心", "started")]


def test_a_facility_reporting_its_year_is_a_project_with_its_output():
    recs = run("去年，甲抽水蓄能电站发电7.6亿千瓦时，实现产值5.13亿元，上缴税收9500万元。")
    assert [(r.kind, r.name, r.amount_yi) for r in recs] == [("project", "甲抽水蓄能电站", 5.13),
                                                           ("project", "甲抽水蓄能电站", 0.95)]
    assert all(r.amount_kind != "investment" for r in recs)
    assert {r.kind for r in run("去年，甲公司实现产值5.13亿元，上缴税收9500万元。")} == {"stat"}


def test_a_park_with_a_short_name_described_by_its_site_is_a_project():
    recs = projects(run("甲乙产业园位于浮山双新产业园区，为产业转移项目提供服务。"))
    assert [(r.name, r.county) for r in recs] == [("甲乙产业园", "浮山县")]
    assert projects(run("该产业园位于浮山双新产业园区，为产业转移项目提供服务。")) == []


def test_several_core_projects_name_no_project():
    assert projects(run("2025年，该公司多个核心项目落地见效。")) == []


def test_a_list_of_trades_closed_by_deng_zhongda_xiangmu_gives_no_broken_item():
    recs = run("目前，吕梁正在大力推进氢能发展战略，围绕工业废气制氢、非常规天然气制氢、煤制氢、绿氢等重大项目布局。")
    assert not any("等" in (r.name or "") for r in recs)
    recs = projects(run("该县推进甲乙光伏、丙丁储能、戊己氢能等重点项目建设。"))
    assert [r.name for r in recs] == ["甲乙光伏", "丙丁储能", "戊己氢能"]


def test_this_project_and_a_quoted_slogan_are_no_names():
    recs = projects(run("8月3日，该县与甲乙新能源有限公司签约“30MW生物质热电联产项目”，这一新能源项目将为全县建设增添新动能。"))
    assert [r.name for r in recs] == ["“30MW生物质热电联产项目”"]
    assert projects(run("贯彻落实“实施全产业链培育工程，推行‘链长制’”的重大决策部署，甲公司项目开工。")) == []


def test_gai_before_a_long_name_and_a_planned_build_verb_are_no_part_of_it():
    recs = projects(run("该集成电路用300mm硅片产能升级项目将在太原实施。"))
    assert [r.name for r in recs] == ["集成电路用300mm硅片产能升级项目"]
    recs = projects(run("协议约定：公司拟在山西省古交市投资建设，第一期拟投建年产20万吨工业硅及年产1万吨高纯多晶硅项目。"))
    assert [(r.name, r.county) for r in recs] == [("年产20万吨工业硅及年产1万吨高纯多晶硅项目", "古交市")]


def test_the_late_figures_of_an_article_about_one_project_are_sited_where_it_is():
    recs = run("初冬时节，位于晋中开发区的河湾能源氢燃料电池项目施工现场热火朝天。\n"
               "河湾能源氢燃料电池项目是全省集动力系统及整车为一体的氢能源利用项目。\n"
               "氢能是清洁能源。\n工人在调试设备。\n有关负责人表示，项目将在晋中构建整车产业链。\n"
               "一期达产后，预计实现销售收入27亿元，创税1.5亿元。", title="河湾能源氢燃料电池项目")
    items = projects(recs)
    # what the project is (…为一体的氢能源利用项目) is no second project
    assert [r.name for r in items if r.name] == ["河湾能源氢燃料电池项目"]
    figures = [r for r in items if r.name is None]
    assert [r.amount_yi for r in figures] == [27.0, 1.5]
    # the figures, four paragraphs on, are the project's: at its zone's county, not at the city
    assert {r.county for r in items} == {"榆次区"}


def test_three_named_works_make_a_list_and_an_ellipsis_closes_its_last_item():
    recs = run("一入河湾，映入眼帘的是一个个火热的施工现场——城市会客厅项目、北河湾生态系统提质工程、"
               "古城墙旅游项目、骏马主题公园……河湾县文旅项目建设正酣。")
    names = [r.name for r in projects(recs)]
    assert names[:4] == ["城市会客厅项目", "北河湾生态系统提质工程", "古城墙旅游项目", "骏马主题公园"]
    # three trades are still no list of projects
    assert not projects(run("加快现代农业项目、仓储物流项目、文化旅游项目建设。"))


def test_brands_joined_before_a_counted_kind_of_project_are_named_with_it():
    recs = run("河湾和北岭两个煤炭分质分阶利用项目具备了投产条件。")
    assert [r.name for r in projects(recs)] == ["河湾煤炭分质分阶利用项目", "北岭煤炭分质分阶利用项目"]
    assert [(r.kind, r.project_count) for r in recs if r.kind == "batch"] == [("batch", 2)]
    # long items before such a noun are clauses, not brands
    assert not projects(run("加快推进产业转型升级和生态环境保护两个重点领域项目。"))


def test_a_round_that_launches_its_items_does_not_name_them_with_its_verb():
    recs = run("本次活动集中启动智算中心、绿电离网制绿氢两个项目。")
    assert [r.name for r in projects(recs)] == ["智算中心", "绿电离网制绿氢"]


def test_a_facility_whose_building_is_pushed_on_is_a_project():
    recs = run("加快河湾精品钢深加工“零碳”产业园建设，在全省率先挂牌。加快推进北岭综合物流园建设。加快产业园区建设。")
    assert [r.name for r in projects(recs)] == ["河湾精品钢深加工“零碳”产业园", "北岭综合物流园"]


def test_facilities_of_one_kind_built_one_per_place_are_each_at_their_place():
    recs = run("在灵石、介休建设两个千万吨级焦化绿色循环产业园。在太原、大同和晋城分别建设三个算力中心。")
    items = projects(recs)
    assert [r.name for r in items] == ["灵石千万吨级焦化绿色循环产业园", "介休千万吨级焦化绿色循环产业园",
                                       "太原算力中心", "大同算力中心", "晋城算力中心"]
    assert [r.county or r.city for r in items] == ["灵石县", "介休市", "太原市", "大同市", "晋城市"]
    # as many places as the count says, or none of it
    assert not projects(run("在灵石、介休建设三个产业园。"))


def test_bare_figures_right_after_the_sentence_naming_a_project_are_its_own():
    recs = run("2月15日，河湾电子信息产业园项目工地一派繁忙。\n"
               "河湾电子信息产业园项目是今年的省级重点工程。基础投资10亿元，占地约280亩。")
    assert [(r.name, r.amount_yi) for r in projects(recs)] == [("河湾电子信息产业园项目", 10.0)]
    assert not [r for r in recs if r.kind == "stat"]
    # not when another sentence stands between them
    recs = run("河湾电子信息产业园项目是今年的省级重点工程。全县经济平稳。总投资10亿元，占地约280亩。")
    assert [(r.name, r.amount_yi) for r in projects(recs) if r.name] == [("河湾电子信息产业园项目", None)]


def test_a_facility_whose_investment_follows_it_is_a_project_with_its_figures():
    recs = run("项目总投资13亿元，其中河湾光伏电站维保机器人生产线投资约3亿元，年产值约5亿元，年税收约2000万元。")
    named = [(r.name, r.amount_yi, r.amount_kind) for r in projects(recs) if r.name]
    assert named == [("河湾光伏电站维保机器人生产线", 3.0, "investment"), ("河湾光伏电站维保机器人生产线", 5.0, "output"),
                     ("河湾光伏电站维保机器人生产线", 0.2, "profit_tax")]


def test_figures_of_the_park_just_named_as_a_project_are_its_own():
    recs = run("河湾县签约“长三角”精细化工科技产业园项目。产业园3—5年内预计实现年产值约80亿元，实现利税5亿元/年以上。")
    figures = [(r.kind, r.amount_yi) for r in recs if r.amount_yi is not None]
    assert figures == [("project", 80.0), ("project", 5.0)]
    # a development zone's output is the zone's statistics
    recs = run("河湾经济开发区举行推进会。园区全年实现产值80亿元。")
    assert [(r.kind, r.amount_yi) for r in recs if r.amount_yi is not None] == [("stat", 80.0)]


def test_a_project_named_in_short_later_keeps_the_site_given_with_its_full_name():
    recs = run("1月16日，河湾惠达20万吨电子铜箔(一期)项目在太原市阳曲县大盂产业新城投产。\n"
               "惠达集团总部位于深圳市。\n河湾惠达项目是太原市赴大湾区招商签约的重大项目，总投资90亿元。")
    assert {r.county for r in projects(recs)} == {"阳曲县"}


def test_a_listed_signing_names_what_is_signed_and_keeps_the_parties_for_its_site():
    recs = run("会上，平鲁区人民政府和杭州某某绝缘材料有限公司签署管道生产制造项目、"
               "河湾经济技术开发区管委会和北京某某医疗设备有限公司签署智能洗肺机生产项目。")
    items = projects(recs)
    assert [r.name for r in items] == ["管道生产制造项目", "智能洗肺机生产项目"]
    assert items[0].county == "平鲁区"


def test_a_county_heading_the_firm_in_an_items_own_words_is_its_site_before_the_citys_words():
    recs = run("一季度在华阳新能工器具购置项目、西山煤矿及选煤厂以及盂县坤宁煤业120万吨/年现代化矿井工程等建设项目的带动下，"
               "采矿业投资增长13.3%，高于全市投资2.5个百分点。", title="一季度阳泉市采矿业投资增长")
    works = [r for r in projects(recs) if r.name and "矿井" in r.name]
    assert [r.county for r in works] == ["盂县"]


def test_a_park_a_sentence_opens_by_describing_is_a_project():
    recs = run("河湾经济开发区低碳生态园位于开发区核心区域，规划面积3平方公里。")
    assert [r.name for r in projects(recs)] == ["低碳生态园"]


def test_a_name_the_text_classes_as_a_project_is_one():
    recs = run("该县将七彩太行旅游度假区作为“三个一批”项目全力推进。河湾冷链物流园被列为省级重点项目。将招商引资作为一号项目。")
    assert [r.name for r in projects(recs)] == ["七彩太行旅游度假区", "河湾冷链物流园"]


def test_a_centre_whose_servers_go_online_is_a_project_in_production():
    recs = run("2018年，河湾云计算(阳泉)中心第10万台服务器上线，成为国内首个单体规模突破10万台的数据中心。")
    assert [(r.name, r.stage) for r in projects(recs)] == [("河湾云计算(阳泉)中心", "in_production")]


def test_a_named_road_or_bridge_a_stage_reports_on_is_a_project_a_class_of_roads_is_not():
    recs = run("完成了总体规划模型的制作，凤城路和凤城桥相继开工建设。全市道路开工建设。")
    assert [(r.name, r.stage) for r in projects(recs)] == [("凤城路", "started"), ("凤城桥", "started")]


def test_what_partners_build_together_is_a_project_even_when_counted():
    recs = run("按照协议，河湾集团与北岭交控在高速服务区合作建设30座加氢综合能源站。该集团建设8条自动化产线。")
    assert [r.name for r in projects(recs)] == ["30座加氢综合能源站"]


def test_a_product_line_whose_progress_is_reported_with_a_stage_is_a_project():
    recs = run("河湾氢燃料电池及商用车进展顺利，一期部分投产。各项工作进展顺利，已完成验收。北岭光伏组件稳步推进。")
    assert [(r.name, r.stage) for r in projects(recs)] == [("河湾氢燃料电池及商用车", "in_production")]


def test_a_laboratory_or_institute_built_together_is_a_project():
    recs = run("同时，河湾集团与北岭交通大学签约，将共建燃料电池汽车制造技术联合实验室。")
    assert [(r.name, r.stage) for r in projects(recs)] == [("燃料电池汽车制造技术联合实验室", "signed")]


def test_two_names_joined_by_ji_are_one_project():
    recs = run("6月2日，北岭区年产8万吨可降解塑料项目暨“中原”新材料科技园项目在河湾经济技术开发区开工奠基。"
               "签约仪式暨项目推介会上，南山风电项目和北坡光伏项目签约。")
    assert [r.name for r in projects(recs)] == ["年产8万吨可降解塑料项目暨“中原”新材料科技园项目", "南山风电项目", "北坡光伏项目"]


def test_a_place_written_before_a_name_with_de_is_its_site_not_part_of_its_name():
    recs = run("其中，包括小店区的立讯电子信息产业园二期、清徐县的年产20万吨燃料乙醇项目等3个项目签约。")
    assert [(r.name, r.county) for r in projects(recs)] == [("立讯电子信息产业园二期", "小店区"),
                                                            ("年产20万吨燃料乙醇项目", "清徐县")]


def test_a_batch_after_projects_in_several_counties_is_their_city_or_the_province():
    cases = {
        "侯马经济开发区年产5万吨玻璃项目，洪洞县年产3万吨钢管项目，翼城县10万千瓦风电项目等3个项目签约。": ("141000", "city"),
        "其中，包括小店区的立讯电子信息产业园二期、清徐县的年产20万吨燃料乙醇项目等3个项目签约。": ("140100", "city"),
        "太原市小店区年产5万吨玻璃项目，大同市云冈区年产3万吨钢管项目等2个项目签约。": (None, "province"),
        "清徐县年产5万吨玻璃项目、年产3万吨钢管项目等2个项目签约。": ("140100", "county"),  # one county: its batch
    }
    for text, (city, precision) in cases.items():
        batch = [r for r in run(text) if r.kind == "batch"]
        assert [(r.city_adcode, r.precision) for r in batch] == [(city, precision)], text


def test_counted_projects_sited_one_per_place_by_fenbie_weiyu():
    recs = run("该基地规模为400兆瓦，分2个单体项目各200兆瓦，分别位于和顺县和平遥县境内，总投资30亿元。")
    assert [(r.name, r.county_adcode) for r in projects(recs)] == [("和顺县单体项目", "140723"), ("平遥县单体项目", "140728")]
    assert [(r.kind, r.amount_yi, r.city_adcode, r.precision) for r in recs if r.kind == "batch"] == [
        ("batch", 30.0, "140700", "city")]  # both counties' city, not one of them
    recs = run("建设3个光伏项目，分别位于和顺县、平遥县和祁县。")  # the batch before its items: still their city
    assert [r.county_adcode for r in projects(recs)] == ["140723", "140728", "140727"]
    assert [(r.city_adcode, r.precision) for r in recs if r.kind == "batch"] == [("140700", "city")]
    assert [r.name for r in projects(run("共2个项目，分别位于北岭和南山。"))] == []  # no county, city or district words


def test_a_name_opening_on_a_bare_xiangmu_is_the_project_reported_on():
    recs = run("河湾科创PBAT一体化项目正式开工。项目立足新材料项目建设，加速可降解塑料产业发展。项目一期工程总投资4亿元。")
    assert [(r.name, r.amount_yi) for r in projects(recs)] == [("河湾科创PBAT一体化项目", None), (None, 4.0)]


def test_a_county_written_right_after_a_zone_places_the_project_there():
    # The zone's table host is 尧都区; the text writes the part of it in 洪洞县 (a later extension).
    (rec,) = projects(run("位于临汾经济开发区洪洞县甘亭镇的年产5万吨锂电材料项目开工。"))
    assert (rec.zone, rec.county) == ("临汾经济开发区", "洪洞县")
    # A town of another county of the zone's city does the same (巴公镇 lies in 泽州县).
    (rec,) = projects(run("晋城经济技术开发区巴公镇年产5万吨锂电材料项目开工。"))
    assert (rec.zone, rec.county) == ("晋城经济技术开发区", "泽州县")
    # Without one, the zone's host.
    (rec,) = projects(run("临汾经济开发区年产5万吨锂电材料项目开工。"))
    assert (rec.zone, rec.county) == ("临汾经济开发区", "尧都区")


def test_a_bare_zone_word_in_an_article_about_one_county_is_that_countys_zone():
    body = "3月2日，晋中市平遥县举行项目签约仪式。在经开区签约的年产3万吨纸制品项目总投资5亿元。"
    (rec,) = projects(run(body, title="平遥县：招商引资项目集中签约"))
    assert (rec.zone, rec.county) == ("平遥经济技术开发区", "平遥县")
    # Plain 开发区 too, and a county whose zone the table lacks still places the project in that county.
    body = "3月2日，晋中市和顺县举行项目签约仪式。在开发区签约的年产3万吨纸制品项目总投资5亿元。"
    (rec,) = projects(run(body, title="和顺县：招商引资项目集中签约"))
    assert (rec.county, rec.precision) == ("和顺县", "county")
    # A headline about one zone: the bare word of its kind is that zone, not the city's zone of that kind.
    body = "3月2日，晋中市平遥县举行项目签约仪式。在经开区签约的年产3万吨纸制品项目总投资5亿元。"
    (rec,) = projects(run(body, title="平遥经开区：招商引资项目集中签约"))
    assert (rec.zone, rec.county) == ("平遥经济技术开发区", "平遥县")
    # A headline about the city keeps the city's zone of that kind; plain 开发区 names none there.
    body = "3月2日，晋中市举行项目签约仪式。在经开区签约的年产3万吨纸制品项目总投资5亿元。"
    (rec,) = projects(run(body, title="晋中市：招商引资项目集中签约"))
    assert rec.zone == "晋中开发区"
    body = "3月2日，晋中市举行项目签约仪式。在开发区签约的年产3万吨纸制品项目总投资5亿元。"
    (rec,) = projects(run(body, title="晋中市：招商引资项目集中签约"))
    assert (rec.zone, rec.precision) == (None, "city")


def test_a_figure_with_no_subject_after_a_named_project_is_that_projects():
    recs = run("五台县西河抽水蓄能电站二期项目日前开工。工程临河依山而建，厂房隐藏在山体之中；计划投资60亿元，装机容量为120万千瓦。"
               "年产值可达5亿元。")
    assert [(r.kind, r.amount_yi, r.amount_kind, r.county) for r in recs if r.amount_yi] == [
        ("project", 60.0, "investment", "五台县"), ("project", 5.0, "output", "五台县")]
    # A figure with a scope of its own stays a statistic.
    recs = run("五台县西河抽水蓄能电站二期项目日前开工。全县计划投资60亿元。")
    assert [(r.kind, r.amount_yi) for r in recs if r.amount_yi] == [("stat", 60.0)]


def test_firms_counted_at_a_deal_are_a_batch():
    recs = run("中北高新区引进国药物流、京东物流等10家大型物流企业。")
    assert [(r.kind, r.project_count) for r in recs] == [("batch", 10)]
    recs = run("此次招商活动，霍州市对接了8家深圳企业。")
    assert [(r.kind, r.project_count, r.county) for r in recs] == [("batch", 8, "霍州市")]
    # Not a target, not the firms at a fair.
    assert run("力争五年引进100家以上京津冀知名企业。") == []
    assert run("展销会吸引了160多家企业参展。") == []


def test_a_share_of_a_projects_total_is_no_second_investment():
    recs = run("太行某某县城供热项目总投资1.25亿美元，其中自筹6500万美元，拟引资600万美元。")
    assert [(r.kind, r.amount_yi, r.amount_kind) for r in recs] == [
        ("project", 1.25, "investment"), ("project", 0.65, "other"), ("project", 0.06, "investment")]
    recs = run("晋城某某光伏电站项目总投资10亿元，其中银行贷款6亿元。")
    assert [(r.kind, r.amount_yi, r.amount_kind) for r in recs] == [("project", 10.0, "investment"), ("project", 6.0, "other")]
    # Only investment feeds the totals: the share is not summed.
    assert sum(r.amount_yi for r in recs if r.amount_kind == "investment") == 10.0


def test_our_province_in_a_projects_sentence_yields_to_the_county_just_named():
    (rec,) = projects(run("3月2日，太谷举行项目签约仪式。我省首个某某新材料公司年产5万吨电池材料项目正式签约。"))
    assert (rec.county, rec.precision) == ("太谷区", "county")
    # With no finer place anywhere, the province.
    (rec,) = projects(run("我省首个某某新材料公司年产5万吨电池材料项目正式签约。"))
    assert rec.precision == "province"


def test_this_rounds_figures_take_the_rounds_date_not_a_years_look_back():
    recs = run("2月22日，我市与全省同步举行开发区第一次“三个一批”活动。\n\n"
               "不负春光争朝夕，项目建设抢开局。\n\n"
               "2022年，我市滚动开展“三个一批”活动，全年累计实施项目2135个。\n\n"
               "此次“三个一批”活动，新签约项目26个，总投资92.63亿元。")
    this_round = [r for r in recs if r.project_count == 26]
    assert [(r.kind, r.date) for r in this_round] == [("batch", "2023-02-22")]
    year = [r for r in recs if r.project_count == 2135]
    assert [r.date[:4] for r in year] == ["2022"]


def test_this_days_project_takes_the_days_date_not_a_year_in_its_sentence():
    recs = run("3月18日，晋中市举行项目集中开工仪式。\n\n当天开工的聚义富康500万吨焦化项目是2023年省、市重点项目，总投资99.8亿元。",
               title="晋中项目集中开工")
    (rec,) = projects(recs)
    assert rec.date == "2023-03-18"
    # A year that is the sentence's own period stays (2022年全年…), and 其中 alone points at no single day.
    recs = run("3月18日，晋中市举行项目集中开工仪式。\n\n2022年全市累计实施项目120个，总投资300亿元。")
    assert [r.date[:4] for r in recs if r.project_count == 120] == ["2022"]


def test_a_front_matter_date_with_no_day_still_dates_month_day_events():
    art = ingest_text("---\ntitle: 大同经开区24个项目集中签约\ndate: '2018-05'\n---\n"
                      "5月29日上午，大同经济技术开发区招商引资24个项目集中签约。", "t.txt")
    assert (art.date, art.date_hint) == (None, "2018-05")
    recs = extract_records(art)
    assert [(r.kind, r.date) for r in recs] == [("batch", "2018-05-29")]


def test_an_articles_one_event_dates_the_projects_listed_further_down():
    recs = run("5月29日上午，大同经济技术开发区招商引资24个项目集中签约。\n\n"
               "签约项目包括：华宇方圆新物流生态圈项目、大同国际航空旅游城项目等。")
    assert {r.date for r in recs if r.kind in ("project", "batch")} == {"2023-05-29"}
    # Two events in the article: no guess.
    recs = run("5月29日上午，大同经济技术开发区招商引资24个项目集中签约。\n\n6月3日，另有5个项目集中开工。\n\n"
               "签约项目包括：华宇方圆新物流生态圈项目、大同国际航空旅游城项目等。")
    assert [r.date for r in recs if r.name == "大同国际航空旅游城项目"] == [None]


def test_capacities_sharing_the_head_after_the_last_are_each_a_project():
    # Firms' mines listed by capacity, the head (矿井建设) written once after the last: each item is named with it.
    recs = run("在煤炭方面，加快甲乙煤业300万吨、丙丁矿业90万吨、戊己煤矿120万吨矿井建设，推动转型。")
    assert sorted(r.name for r in recs if r.kind == "project") == [
        "丙丁矿业90万吨矿井建设", "戊己煤矿120万吨矿井建设", "甲乙煤业300万吨矿井建设"]
    # A plant's parts by site (no head after the last) stay as they were: parts, not works named with a head.
    assert not [r for r in run("其中浑源50万千瓦、新荣33万千瓦、左云17万千瓦。") if r.name and r.name.endswith("建设")]


def test_the_first_of_two_firms_capacity_works_takes_the_second_ones_xiangmu():
    recs = run("今年开工建设甲乙煤焦180万吨坑口洗煤和丙丁150万吨洗煤厂项目。")
    assert sorted(r.name for r in recs if r.kind == "project") == ["丙丁150万吨洗煤厂项目", "甲乙煤焦180万吨坑口洗煤项目"]
    # One plant's two products: one project, not two.
    one = run("某某公司今年开工建设年产10万吨甲醇和20万吨乙二醇项目。")
    assert [r.name for r in one if r.kind == "project"] == ["年产10万吨甲醇和20万吨乙二醇项目"]


def test_a_gas_offtake_station_reported_built_is_a_project():
    recs = run("全面推进煤层气开发，东山分输站建成投运。")
    assert [r.name for r in recs if r.kind == "project"] == ["东山分输站"]
