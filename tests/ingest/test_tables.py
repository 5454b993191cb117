"""Project tables (one row per line, or one cell per line from HTML) become labelled lines, and each
row one project record; on invented tables."""
from geo.extract import extract_records
from geo.ingest.read import ingest_text
from geo.ingest.tables import rewrite_tables
from geo.pipeline import locate


def projects(text: str):
    records = extract_records(ingest_text(f"---\ntitle: 标题\ndate: 2024-03-02\n---\n{text}", "t.txt"))
    locate(records)
    return [r for r in records if r.kind == "project"]


def test_rows_on_one_line_each_are_one_project_each_with_the_headers_unit():
    recs = projects("附表：重点项目表\n序号 项目名称 建设单位 建设地点 总投资（亿元）\n"
                    "1 某某年产10万吨铸件项目 山西某某铸业有限公司 介休市 5.2\n"
                    "2 某某数据中心二期 某某云计算有限公司 阳泉市 12\n")
    assert [(r.name, r.company, r.amount_yi, r.county or r.city) for r in recs] == [
        ("某某年产10万吨铸件项目", "山西某某铸业有限公司", 5.2, "介休市"),
        ("某某数据中心二期", "某某云计算有限公司", 12.0, "阳泉市")]


def test_html_cells_one_per_line_are_read_by_their_header_and_nothing_is_dropped():
    html = ("<p>拟审批的建设项目</p><table><tr><td>序号</td><td>项目名称</td><td>建设地点</td><td>环评机构</td>"
            "<td>总投资（万元）</td></tr><tr><td>1</td><td>某某风电项目</td><td>灵石县两渡镇</td><td>某某咨询公司</td>"
            "<td>32036</td></tr><tr><td>2</td><td>某某光伏项目</td><td>寿阳县</td><td>某某环评公司</td><td>900</td></tr>"
            "</table>")
    recs = projects(html)
    assert [(r.name, r.amount_yi, r.county) for r in recs] == [("某某风电项目", 3.2036, "灵石县"),
                                                              ("某某光伏项目", 0.09, "寿阳县")]
    assert "某某咨询公司" in recs[0].sentence  # a column without a field is kept in the row


def test_text_that_is_no_project_table_is_left_alone():
    text = "序号 姓名 职务\n1 张三 主任\n会议要求 加快 推进 项目"
    assert rewrite_tables(text) == (text, 0)
