"""find_mentions on invented sentences: one test per rule, plus common words that must not match."""

import pytest

from geo.places.mentions import find_mentions


def codes(text):
    return [(m.text, m.place.adcode, m.via) for m in find_mentions(text)]


def adcodes(text):
    return [m.place.adcode for m in find_mentions(text) if m.via != "company"]


@pytest.mark.parametrize("text", [
    "双方合作建设灯塔工厂", "这里日照充足，适合种植", "欢迎各地客商投资兴业", "十大名贵花卉", "工地上热火朝天",
    "各项工作平顺推进", "性格和顺的人", "街角的小店生意兴隆", "他是家中长子", "两种方案大同小异",
    "实现长治久安", "群众交口称赞", "古县城遗址保护", "振兴县域经济", "推进现代县域治理", "相应县级部门",
    "领导莅临县里调研", "打造高平台", "依托原平台升级", "新闻喜报频传", "水平陆续提高", "用户更偏关注价格",
    "环保德企落户", "买了一杯永和豆浆", "城区道路改造", "在郊区建了仓库", "矿区复垦", "开发区", "高新区招商",
    "产业园建设", "五台设备同时运行", "青海盐湖提锂", "浙江长兴县企业", "左权将军纪念馆", "城乡宁静和谐", "古交通要道", "外交城市",
])
def test_common_words_are_not_places(text):
    assert [m for m in find_mentions(text) if m.place is not None] == [], text


def test_compound_names_give_one_mention_of_the_most_specific_unit():
    assert codes("项目落户山西省太原市小店区") == [("山西省太原市小店区", "140105", "full")]
    assert codes("晋中市太谷区新建工厂") == [("晋中市太谷区", "140703", "full")]
    assert codes("阳泉市郊区的光伏电站") == [("阳泉市郊区", "140311", "full")]
    assert codes("太原中北高新区新材料项目") == [("太原中北高新区", "140108", "alias")]


def test_shared_district_names_need_their_city():
    assert adcodes("晋城城区新建商业综合体") == ["140502"]
    assert adcodes("阳泉市城区、矿区、郊区分别召开会议") == ["140302", "140303", "140311"]
    assert adcodes("太原市郊区的蔬菜基地") == ["140100"]  # Taiyuan has no 郊区 district: suburbs
    assert adcodes("老城区改造提速") == []


def test_cue_words_make_word_like_short_forms_places():
    assert adcodes("平顺经济开发区引进一批项目") == ["140425"]
    assert adcodes("长治平顺的花椒") == ["140425"]
    assert adcodes("左权境内新建风电场") == ["140722"]
    assert adcodes("高平城区人口增长") == ["140581"]
    assert adcodes("和顺、左权、昔阳三县联合推介") == ["140723", "140722", "140724"]
    assert adcodes("平顺推进乡村振兴") == []
    assert adcodes("风光储一体化基地(平顺)200兆瓦项目") == ["140425"]  # alone in brackets: a site
    assert adcodes("山里人家(平顺农家乐)开业") == []  # not alone: a word of a name


def test_a_place_in_brackets_qualifies_the_place_before_it():
    ms = find_mentions("太忻经济区(阳曲县)新签约一批项目")
    assert [(m.text, m.place.adcode) for m in ms] == [("太忻经济区(阳曲县)", "140122")]
    ms = find_mentions("晋中市（榆次区）举行签约")
    assert [(m.text, m.place.adcode) for m in ms] == [("晋中市（榆次区）", "140702")]
    # A county that does not lie in the place before it qualifies nothing: two mentions.
    assert adcodes("大同市(阳曲县)") == ["140200", "140122"]


def test_safe_short_forms_and_old_names():
    assert adcodes("侯马和介休的铸造企业") == ["141081", "140781"]
    ms = find_mentions("原太谷县的果园")
    assert ms[0].place.adcode == "140703" and ms[0].via == "old_name" and "2019" in ms[0].note
    assert adcodes("大同县黄花产业") == ["140215"]


def test_zones_beat_the_county_inside_them():
    assert codes("清徐经济开发区签约三个项目") == [("清徐经济开发区", "140121", "full")]
    ms = find_mentions("介休经开区和兴县经开区")
    assert [m.place.full_name for m in ms] == ["介休经济技术开发区", "兴县经济技术开发区"]
    ms = find_mentions("大盂新城位于太忻经济区")
    assert [(m.place.adcode, m.place.precision) for m in ms] == [("140122", "zone"), ("140000", "zone")]


def test_place_names_inside_organisation_names():
    ms = find_mentions("太原太钢大明金属科技有限公司投资建设")
    assert [(m.text, m.via) for m in ms] == [("太原", "company")]
    assert "太原太钢大明金属科技有限公司" in ms[0].note
    ms = find_mentions("平遥牛肉集团与晋中学院合作")
    assert [m.via for m in ms] == ["company", "company"]
    # A verb or function word between the place and a firm ends the organisation span.
    assert [m.via for m in find_mentions("太原引进某某电子有限公司")] == ["short"]
    assert [m.via for m in find_mentions("落户晋中的某某集团")] == ["short"]
    assert [m.via for m in find_mentions("晋中市发挥龙头集团带动作用")] == ["full"]
    # A zone in front of a firm is where the firm is: a site, not an origin.
    assert [m.via for m in find_mentions("清徐经开区某某化工有限公司")] == ["alias"]


def test_spans_are_exact_and_non_overlapping():
    text = "忻州市忻府区、定襄县和原平市共同推进，运城盐湖区招商"
    ms = find_mentions(text)
    assert all(text[m.start:m.end] == m.text for m in ms)
    assert all(a.end <= b.start for a, b in zip(ms, ms[1:]))
    assert [m.place.adcode for m in ms] == ["140902", "140921", "140981", "140802"]


def test_bad_input():
    with pytest.raises(TypeError):
        find_mentions(None)
    assert find_mentions("") == []


@pytest.mark.parametrize("text, full_name", [
    ("新建工厂选址社榆县城东", "榆社县"),        # 榆社县 with its two characters swapped
    ("义孝市一家企业扩产", "孝义市"),            # county-level city: 市 is its own suffix
    ("项目落在交古市境内", "古交市"),
])
def test_transposed_county_stem_resolves_with_via_typo(text, full_name):
    found = [m for m in find_mentions(text) if m.via == "typo"]
    assert [m.place.full_name for m in found] == [full_name]
    assert "transposed" in found[0].note


def test_transposed_stem_before_a_zone_suffix():
    found = find_mentions("遥平经开区新引进两家企业")
    assert [(m.text, m.via) for m in found] == [("遥平经开区", "typo")]
    assert found[0].place.county == "平遥县"


@pytest.mark.parametrize("text", [
    "酒店小区物业升级",      # 店小 + 区 would reverse to 小店区: plain 区 never counts
    "园区、城区、社区和景区同步改造", "社榆市场",     # 榆社 is a 县: 市 is not its suffix
    "平原县客商来访",        # 平原县 (Shandong) is a real county, not a typo of 原平
    "水文监测站建成",        # the stem alone, without a suffix
])
def test_transposition_rule_leaves_ordinary_words(text):
    assert [m for m in find_mentions(text) if m.via == "typo"] == []


def test_a_city_named_zone_the_table_lacks_is_a_zone_of_that_city():
    (m,) = find_mentions("忻州高新区今年新签约项目12个")
    assert (m.text, m.place.precision, m.place.adcode, m.place.adcodes) == ("忻州高新区", "zone", "140900", ("140900",))
    assert [x.place.precision for x in find_mentions("太原市人民政府")] == ["city"]


def test_a_short_form_that_is_also_a_word_counts_where_the_text_names_its_county_in_full():
    found = [(m.text, m.place.full_name) for m in find_mentions("左权：招商引资成效显著\n3月2日，左权县举行签约仪式。")]
    assert found == [("左权", "左权县"), ("左权县", "左权县")]
    found = [(m.text, m.place.full_name) for m in find_mentions("平顺县举行签约仪式。平顺旅游项目落地。")]
    assert found == [("平顺县", "平顺县"), ("平顺", "平顺县")]
    # A headline opening on the short form that the text uses again: the county (county news: "左权：…").
    found = [(m.text, m.place.full_name) for m in find_mentions("【和顺】项目建设提速\n和顺全力推进招商引资。")]
    assert found == [("和顺", "和顺县"), ("和顺", "和顺县")]
    # Not when the county is not named, nor a word repeated inside a headline: the ordinary words stay words.
    assert find_mentions("社会和顺，平定安宁。") == []
    assert find_mentions("项目平顺推进\n各项工作平顺推进。") == []
