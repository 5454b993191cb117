"""The correction form's values and diffs (geo.web.correction_form), and how views show corrected/hidden records."""
from __future__ import annotations

import numpy as np
import pandas as pd

from geo.store import corrections, query
from geo.web import correction_form, mapview, markers
from geo.web.labels import display_table, escape_markdown, record_source_label
from geo.models import Article, Record
from geo.store.gpkg import records_frame


def _frame():
    art = Article(id="a1", source="a.txt", title="标题", date="2024-01-01", text="…")
    recs = [
        Record(id="r1", kind="project", article_id="a1", sentence="s1", name="甲项目", chain="锂电",
               amount_yi=35.0, amount_kind="investment", currency="CNY", precision="county",
               lon=111.0, lat=35.0, county_adcode="140802", county="盐湖区", city_adcode="140800", city="运城市",
               place_adcodes=["140802"]),
        Record(id="r2", kind="batch", article_id="a1", sentence="s2", precision="city", lon=112.5, lat=37.8,
               city_adcode="140100", city="太原市"),
        Record(id="r3", kind="stat", article_id="a1", sentence="s3", precision="province", lon=112.3, lat=37.7),
        Record(id="r4", kind="project", article_id="a1", sentence="s4"),
    ]
    return records_frame(recs, [art])


def test_form_values_name_the_place_the_form_can_show():
    rows = {r["id"]: r for r in _frame().to_dict("records")}
    assert correction_form.form_values(rows["r1"])["county_adcode"] == "140802"
    assert correction_form.form_values(rows["r2"])["county_adcode"] == "140100"  # city-level: the city
    assert correction_form.form_values(rows["r3"])["county_adcode"] == correction_form.KEEP_PLACE
    assert correction_form.form_values(rows["r4"])["county_adcode"] is None
    values = correction_form.form_values(rows["r1"])
    assert values["amount_yi"] == 35.0 and values["company"] is None and values["chain"] == "锂电"


def test_only_changed_fields_are_saved():
    base = {"name": "甲项目", "county_adcode": "140802", "amount_yi": 35.0, "chain": "锂电", "company": None}
    submitted = {"name": "甲项目", "county_adcode": "140821", "amount_yi": np.float64(35.0), "chain": "锂电",
                 "company": "", "stage": None}
    assert correction_form.changed_fields(base, submitted) == {"county_adcode": "140821"}
    assert correction_form.changed_fields({"county_adcode": correction_form.KEEP_PLACE},
                                   {"county_adcode": correction_form.KEEP_PLACE}) == {}
    assert correction_form.changed_fields(base, {"amount_yi": 36, "company": " 某公司 "}) == {"amount_yi": 36,
                                                                                  "company": "某公司"}


def test_two_forms_drawn_together_save_different_fields_and_both_survive(tmp_path):
    db = tmp_path / "p.gpkg"
    frame = _frame()
    row = frame.set_index("id").loc["r1"].to_dict()
    base = correction_form.form_values(row)  # both sessions drew the form from this
    a = correction_form.changed_fields(base, {**base, "county_adcode": "140821"})
    b = correction_form.changed_fields(base, {**base, "chain": "光伏"})
    corrections.save(db, "r1", "edit", a)
    corrections.save(db, "r1", "edit", b)
    out, orphans = corrections.apply(frame, corrections.load(db))
    got = out.set_index("id").loc["r1"]
    assert not orphans and got["county"] == "临猗县" and got["chain"] == "光伏"


def test_place_and_chain_choices():
    places = correction_form.place_choices()
    assert len(places) == 11 + 117
    assert places["140100"] == "太原市 (140100)" and places["140802"] == "盐湖区 · 运城市 (140802)"
    chains = correction_form.chain_choices(["锂电", "全新产业链", None, float("nan")])
    assert chains[-1] == "全新产业链" and chains.count("锂电") == 1


def test_views_drop_hidden_records_and_show_the_source(tmp_path):
    db = tmp_path / "p.gpkg"
    corrections.save(db, "r2", "hide")
    corrections.save(db, "r1", "edit", {"chain": "光伏"})
    corrections.save(db, None, "add", {"name": "手工项目", "county_adcode": "140105"}, article_id="a1")
    arts = pd.DataFrame({"article_id": ["a1"], "article": ["a.txt"], "article_title": ["标题"],
                         "article_date": ["2024-01-01"]})
    out, _ = corrections.apply(_frame(), corrections.load(db), arts)
    shown = query.visible(out)
    assert "r2" not in set(shown["id"]) and len(shown) == len(out) - 1
    sources = dict(zip(out["id"], display_table(out)["来源 Source"]))
    assert sources == {"r1": "已更正 corrected", "r2": "已更正 corrected · 已隐藏 hidden",
                       "r3": "机器 machine", "r4": "机器 machine",
                       next(i for i in out["id"] if i.startswith("manual-")): "手工 manual"}
    cols, tables = mapview.marker_rows(shown)
    popups = [markers.popup_html(cols, tables, i) for i in range(len(cols["lat"]))]
    assert any("记录来源 Record source: 已更正 corrected" in p for p in popups)
    assert any("记录来源 Record source: 手工 manual" in p for p in popups)


def test_record_source_label_without_a_corrections_column():
    assert record_source_label(None, False) == "机器 machine"
    assert record_source_label(float("nan"), np.bool_(True)) == "已更正 corrected"
    assert record_source_label("manual", True, pd.NA) == "手工 manual"


def test_escape_markdown_keeps_user_text_literal():
    text = "![x](http://evil.example/x.png) :red[big] $x$ <b>b</b> a_b*c*"
    escaped = escape_markdown(text)
    for raw in ("![", "](", ":red[", "$x$", "<b>", "*c*"):
        assert raw not in escaped
    assert "a\\_b" in escaped
    assert escaped.replace("\\", "") == text


def test_display_table_cells_are_strings_with_blanks_for_missing_values():
    frame = _frame()
    frame["name"] = frame["name"].astype("object")
    frame.loc[frame.index[0], "name"] = None
    frame.loc[frame.index[1], "company"] = np.nan
    table = display_table(frame.iloc[::-1])  # any index: the table's is 0..n-1
    assert list(table.index) == list(range(len(frame)))
    assert list(table.columns[:3]) == ["名称 Name", "地点 Place", "来源 Source"]
    assert (table.dtypes == object).all()
    assert all(isinstance(v, str) for v in table.to_numpy().ravel())
    assert table["名称 Name"].iloc[-1] == "" and table["企业 Company"].iloc[-2] == ""
    assert table["金额 Amount"].iloc[-1] == "35.00 亿元"
    assert display_table(frame.iloc[:0]).empty
