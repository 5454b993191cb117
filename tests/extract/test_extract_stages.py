"""Stage cues: signed / started / in_production / negotiating / planned."""
import pytest

from geo.extract.stages import find_stage


@pytest.mark.parametrize("sentence, stage", [
    ("双方现场签约年产5万吨项目", "signed"),
    ("与某公司签订投资协议", "signed"),
    ("项目正式落户园区", "signed"),
    ("项目举行奠基仪式", "started"),
    ("年产1万吨项目已动工", "started"),
    ("项目已于去年建成投产", "in_production"),
    ("首台整车下线", "in_production"),
    ("一期已投入运营", "in_production"),
    ("物流园一期工程完工", "in_production"),
    ("污水处理厂建成投用", "in_production"),
    ("厂房主体完工", "started"),
    ("物流园正式运营", "in_production"),
    ("总建筑规划16.8万平方米", None),
    ("规划建筑面积3万平方米", None),
    ("商业综合体开业", "in_production"),
    ("双方正在洽谈合作细节", "negotiating"),
    ("谋划储备一批项目", "planned"),
    ("拟建年产3万吨项目", "planned"),
    ("争取年内投产", "planned"),
    ("预计明年6月底开工", "planned"),
    ("召开座谈会", None),
])
def test_cues(sentence, stage):
    assert find_stage(sentence, len(sentence)) == stage


def test_batch_rounds():
    assert find_stage("“签约一批”项目8个", 8) == "signed"
    assert find_stage("“开工一批”项目8个", 8) == "started"
    assert find_stage("“投产一批”项目8个", 8) == "in_production"


def test_nearest_cue_before_the_anchor_wins():
    s = "去年签约的项目，今年已开工，总投资3亿元"
    assert find_stage(s, s.index("总投资")) == "started"


def test_cue_after_anchor_in_same_clause():
    s = "年产2万吨项目奠基"
    assert find_stage(s, 0) == "started"


def test_planned_investment_is_not_a_stage_cue():
    assert find_stage("计划投资5亿元", 6) is None
    assert find_stage("开工率达90%", 5) is None


def test_push_for_start_is_planned():
    s = "目前正在加快推进园区内年产8万吨铝箔项目开工建设"
    assert find_stage(s, len(s)) == "planned"
    s = "年产8万吨铝箔项目已开工建设"
    assert find_stage(s, len(s)) == "started"


def test_phases_take_the_most_advanced_reached_stage():
    s = "年产2GW组件项目一期已经投产，二期预计9月开工"
    assert find_stage(s, len(s)) == "in_production"
    s = "项目一期已签约，二期力争年底投产"
    assert find_stage(s, len(s)) == "signed"


@pytest.mark.parametrize("sentence", [
    "项目建成投产后，预计可实现年销售收入约60亿元",
    "该基地达产后年产值可达80亿元",
    "生产线投产以后将新增就业500人",
])
def test_what_a_stage_will_bring_is_no_stage(sentence):
    # "after it goes into production" states a consequence, not a stage reached
    assert find_stage(sentence, 0) is None


def test_a_conditional_cue_leaves_the_real_one_to_win():
    s = "该公司与开发区签约，拟投资12亿元建设电池隔膜项目，达产后年产值约25亿元"
    assert find_stage(s, s.index("25亿元")) == "signed"


def test_a_conditional_cue_still_shows_a_project_is_talked_about():
    from geo.extract.stages import mentions_stage

    s = "“年产8万吨碳纤维基地”是省重点项目，达产后年产值100亿元"
    assert find_stage(s, 0) is None and mentions_stage(s, 0, len(s))


def test_steps_listed_together_give_the_last_one_reached():
    s = "该项目当天完成洽谈、签约和备案"
    assert find_stage(s, 0) == "signed"
    s = "项目已完成签约、开工，年底投产"
    assert find_stage(s, 0) == "started"


def test_rounds_listed_together_stay_separate():
    s = "开工一批、签约一批项目共35个"
    assert find_stage(s, s.index("项目")) == "signed"  # the round named at the count, not the "last step"


def test_topping_out_is_under_construction_and_going_online_is_in_production():
    from geo.extract.stages import find_stage
    s = "老年福利中心项目主体结构已封顶。"
    assert find_stage(s, 0) == "started"
    s = "云计算中心第10万台服务器上线。"
    assert find_stage(s, 0) == "in_production"


def test_construction_work_under_way_means_started():
    from geo.extract import extract_records
    from geo.models import Article
    text = "滨河醋文化园项目目前已完成项目设计，正在做围挡和土方。滨河物流园项目已完成桩基，正进行钢结构安装。"
    recs = extract_records(Article(id="t", source="t", title="", date="2023-05-10", text=text))
    assert [(r.name, r.stage) for r in recs if r.kind == "project"] == [("滨河醋文化园项目", "started"),
                                                                         ("滨河物流园项目", "started")]


def test_a_project_site_at_work_is_started():
    from geo.extract import extract_records
    from geo.models import Article
    text = "在滨河冻干食品产业园一期项目工地，10余台机械设备开足马力，快速推进项目建设进度。"
    recs = extract_records(Article(id="t", source="t", title="", date="2023-05-10", text=text))
    assert [(r.name, r.stage) for r in recs if r.kind == "project"] == [("滨河冻干食品产业园一期项目", "started")]


def test_a_project_whose_civil_works_are_reported_is_one_under_construction():
    from geo.extract import extract_records
    from geo.models import Article
    text = ("河湾秸秆气化项目土建及安装工程已基本完成，预计明年3月可投产运行。"
            "北岭冷链仓储项目的主体工程正在加紧施工。"
            "某公司年产80万吨沥青混凝土建设项目签约。")
    recs = extract_records(Article(id="t", source="t", title="", date="2023-05-10", text=text))
    got = [(r.name, r.stage) for r in recs if r.kind == "project"]
    assert got[:2] == [("河湾秸秆气化项目", "started"), ("北岭冷链仓储项目", "started")]
    assert got[2][1] == "signed"  # 混凝土建设 holds no 土建 (civil works)
