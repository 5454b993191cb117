"""Each text-cleaning step of geo.ingest.clean on small real-world shaped inputs."""
from geo.ingest import clean


# ---------------------------------------------------------------- front matter
def test_front_matter_after_blank_lines_with_rfc2822_date():
    text = "\n---\ntitle: '山西_南下_广东'\ncategories:\n - 金融\n - 新浪财经\ndate: Thu, 14 Jul 2022 08:05:46 GMT\n---\n\n正文。"
    warnings = []
    fm, body = clean.split_front_matter(text, warnings)
    assert fm.title == "山西_南下_广东"  # "_" stands for quotes in the source: kept
    assert fm.date == "2022-07-14"
    assert fm.categories == ["金融", "新浪财经"]
    assert body.strip() == "正文。"
    assert warnings == []


def test_front_matter_scalar_category_and_url_source():
    fm, _ = clean.split_front_matter(
        "---\ntitle: \"标题\"\ndate: 2022-05-18 18:16:07 +0800\ncategories: emnews\nsource: https://example.com/a\n---\n正文", []
    )
    assert (fm.date, fm.categories, fm.url) == ("2022-05-18", ["emnews"], "https://example.com/a")


def test_bad_yaml_is_a_warning_and_stays_text():
    warnings = []
    text = "---\ntitle: [unclosed\n---\n正文。"
    fm, body = clean.split_front_matter(text, warnings)
    assert fm is None and body == text
    assert "not valid YAML" in warnings[0]


def test_yaml_impossible_date_is_a_warning():
    warnings = []
    fm, _ = clean.split_front_matter("---\ndate: 2022-13-45\n---\n正文", warnings)
    assert fm is None and warnings


def test_yaml_that_is_not_a_mapping_is_text():
    warnings = []
    fm, body = clean.split_front_matter("---\n- a\n- b\n---\n正文", warnings)
    assert fm is None and "not a mapping" in warnings[0]


def test_no_front_matter():
    assert clean.split_front_matter("标题\n正文", []) == (None, "标题\n正文")


# ---------------------------------------------------------------- dates
def test_parse_date_formats():
    assert clean.parse_date("Thu, 14 Jul 2022 08:05:46 GMT") == "2022-07-14"
    assert clean.parse_date("2022-05-18 18:16:07 +0800") == "2022-05-18"
    assert clean.parse_date("2024年3月14日") == "2024-03-14"
    assert clean.parse_date("2022/5/8") == "2022-05-08"


def test_parse_date_converts_offsets_to_beijing_day():
    # 20:05 GMT is already the next morning in China, where the article was read.
    assert clean.parse_date("Thu, 14 Jul 2022 20:05:46 GMT") == "2022-07-15"
    assert clean.parse_date("2022-07-14T20:00:00Z") == "2022-07-15"


def test_parse_date_rejects_nonsense():
    for value in ("nonsense", "2022-02-30", "", None, 12, "Mon, 99 Foo 2022"):
        assert clean.parse_date(value) is None


# ---------------------------------------------------------------- HTML and Markdown
def test_inline_tags_inside_words_leave_no_space():
    html = '<p>加强重点领域产业承接、创<span id="s"><a href="http://x" class="keytip">新产业</a></span><span></span>承接机制</p>'
    assert clean.html_to_text(html).strip(clean.HARD_BREAK) == "加强重点领域产业承接、创新产业承接机制"


def test_html_drops_comments_script_style_head_and_unescapes():
    html = (
        "<head><title>T</title></head><!-- ad --><style>.a&#123;color:red&#125;</style>"
        "<p cms-style=\"font-L\">甲&amp;乙&#123;&nbsp;丙</p><script>alert(1)</script><div>丁</div>"
    )
    text = clean.html_to_text(html)
    assert "alert" not in text and "color" not in text and "T" not in text and "ad" not in text
    assert "甲&乙{\u00a0丙" in text and "丁" in text
    assert "cms-style" not in text


def test_unclosed_head_does_not_swallow_body():
    assert "正文" in clean.html_to_text("<html><head><meta charset=utf-8><body><p>正文</p>")


def test_broken_html_keeps_text():
    text = clean.html_to_text("<p>未闭合<div>段落<span>山西")
    assert text.replace(clean.HARD_BREAK, "\n").split() == ["未闭合", "段落山西"]
    assert clean.html_to_text("<<<>>>") == "<<<>>>"
    assert "正文" in clean.html_to_text("<![<p 正文")  # stdlib asserts on this without our override


def test_unknown_tags_in_prose_are_kept_as_text():
    assert clean.html_to_text("<p>x<y>z 和 a</y>b</p>").strip(clean.HARD_BREAK) == "x<y>z 和 a</y>b"


def test_looks_like_html():
    assert clean.looks_like_html("<p>正文</p>")
    assert clean.looks_like_html("甲&amp;乙")
    assert not clean.looks_like_html("增速<5%，a < b")


def test_strip_markdown():
    md = "> 引言段落\n[返回首页](//example.com/)｜![图](a.png)\n<http://finance.example.com/news/1.html>\n## 小标题"
    assert clean.strip_markdown(md) == "引言段落\n返回首页｜\n\n小标题"


def test_drop_script_remnants_is_repeated_until_clean():
    assert "<script" not in clean.drop_script_remnants("<scr<script>ipt>x").lower()


# ---------------------------------------------------------------- characters and PDF repair
def test_normalize_chars():
    assert clean.normalize_chars("总投资５７２．４６亿元，ＡＢｃ\r\n\u200b下一行") == "总投资572.46亿元，ABc\n下一行"


def test_repair_spaces_between_cjk_and_digits():
    assert clean.repair_spaces("繁 峙县、代县") == "繁峙县、代县"
    assert clean.repair_spaces("达产后年产值 2000 亿元, 并可带动") == "达产后年产值2000亿元,并可带动"
    assert clean.repair_spaces("\u3000\u3000晶科能源 \"年产56GW\"") == "晶科能源\"年产56GW\""
    # Latin words keep their spaces; runs of spaces shrink to one.
    assert clean.repair_spaces("DM-i 混动 and GW  power") == "DM-i 混动 and GW power"


def test_rejoin_across_blank_line_mid_clause():
    text = "提出实施招商、加强重\n\n点项目调度管理、持续充实培育产业链企业。\n\n2023年，省厅积极开展产业链招\n\n商，广泛宣传。"
    assert clean.rejoin_lines(text) == ["提出实施招商、加强重点项目调度管理、持续充实培育产业链企业。", "2023年，省厅积极开展产业链招商，广泛宣传。"]


def test_rejoin_a_figure_broken_at_its_decimal_point():
    text = "今年1—5月，规上钢铁深加工营收148.\n\n4亿元。同期营收达27.\n8亿元。\n\n2024.\n\n1.某某项目开工。"
    assert clean.rejoin_lines(text) == ["今年1—5月，规上钢铁深加工营收148.4亿元。同期营收达27.8亿元。", "2024.", "1.某某项目开工。"]


def test_rejoin_keeps_headings_and_sentence_ends():
    text = "长治高新区\n\n科学导报讯 春意盎然，生机勃勃。\n\n项目建设加速度\n\n转型发展最有力的支撑在开发区。"
    assert clean.rejoin_lines(text) == ["长治高新区", "科学导报讯春意盎然，生机勃勃。", "项目建设加速度", "转型发展最有力的支撑在开发区。"]


def test_rejoin_prose_not_followed_by_a_short_clause_stays_apart():
    text = "全面推动我省现代医药产业高质量发展\n\n科学导报讯 为夯实我省现代医药产业链基础，强化协同。"
    assert len(clean.rejoin_lines(text)) == 2


def test_rejoin_hard_wrapped_lines_but_not_title():
    text = "太原宝藏地\n推动新质生产力加快发展,要紧紧\n扭住科技创新这个牛鼻子。今年以\n来,位于我市的示范区和中北高新技术\n产业开发区,牢固树立理念。\n体量巨大的南引擎\n8月19日,全省开发区活动举行。"
    assert clean.rejoin_lines(text, keep_first=True) == [
        "太原宝藏地",
        "推动新质生产力加快发展,要紧紧扭住科技创新这个牛鼻子。今年以来,位于我市的示范区和中北高新技术产业开发区,牢固树立理念。",
        "体量巨大的南引擎",
        "8月19日,全省开发区活动举行。",
    ]


def test_rejoin_never_crosses_html_block_breaks():
    text = f"山西做好了承接准备（中国新闻网）{clean.HARD_BREAK}面对京津冀，山西做好准备。"
    assert len(clean.rejoin_lines(text)) == 2


def test_trailing_source_note_still_ends_sentence():
    assert clean.ends_sentence("集聚区策略。（中国新闻网）")
    assert not clean.ends_sentence("山西(太")


def test_rejoin_list_items_stay_apart():
    text = "主要任务包括以下几项，\n一、加强招商，\n——强化支撑，"
    assert len(clean.rejoin_lines(text)) == 3


def test_drop_repeated_paragraph_and_prefix():
    lead = "面对京津冀、雄安新区等产业转移利好，山西做好了承接准备。"
    warnings = []
    kept = clean.drop_repeated([lead + "（中国新闻网）", lead, "短句。", "短句。"], warnings)
    assert kept == [lead + "（中国新闻网）", "短句。", "短句。"]  # short lines may repeat legitimately
    assert len(warnings) == 1


# ---------------------------------------------------------------- title and date inference
def test_infer_title():
    assert clean.infer_title(["晋中市招商模式赋能新兴产业集群发展", "正文。"]) == "晋中市招商模式赋能新兴产业集群发展"
    assert clean.infer_title(["这是一个句子。", "正文。"]) is None
    assert clean.infer_title(["长" * 41]) is None
    assert clean.infer_title([]) is None


def test_infer_date_needs_a_full_date_near_the_top():
    assert clean.infer_date(["标题", "2024年3月14日 来源：山西日报"]) == "2024-03-14"
    assert clean.infer_date(["标题", "发布时间 2022-05-18 18:16"]) == "2022-05-18"
    assert clean.infer_date(["标题", "2024年第10期", "3月14日，笔者在工地看到"]) is None
    assert clean.infer_date(["标题", "2月3日,晋中市委举办推介会。"]) is None
    assert clean.infer_date(["a", "b", "c", "d", "e", "2024年3月14日"]) is None


def test_a_front_matter_date_without_a_day_is_said_so():
    from geo.ingest.clean import split_front_matter
    warnings = []
    fm, _ = split_front_matter("---\ntitle: 标题\ndate: '2020-09'\n---\n正文", warnings)
    assert fm.date is None and any("names no day" in w for w in warnings)


def test_a_figure_broken_by_a_hard_wrap_is_joined_without_a_space():
    text = "为进一步扩大产能，公司拟在山西省朔州市山阴县投资建\n设年产10万吨高性能锂电负极材料一体化项目，总投资8\n2176万元。"
    assert clean.rejoin_lines(text) == ["为进一步扩大产能，公司拟在山西省朔州市山阴县投资建设年产10万吨高性能锂电负极材料一体化项目，总投资82176万元。"]
