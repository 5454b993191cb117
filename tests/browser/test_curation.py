"""End-to-end curation in headless Chromium: add an article, correct it, rebuild, export; bad input; faults.

One `streamlit run app.py` serves the first three tests (a store built from seeds/ in a temporary
folder); the corrupt-store test starts its own. Expected values come from the library reading the
same store, never typed in.
"""
from __future__ import annotations

import contextlib
import json
import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from apphelpers import MAP_FRAME, run_streamlit, TIMEOUT_MS, click_first_marker, marker_total, settled

from geo import pipeline
from geo.store import corrections, gpkg as store
from geo.places.gazetteer import load_gazetteer

REPO = Path(__file__).resolve().parents[2]
# A new article (no seed mentions it): a 运城 project, an investor from 深圳, an amount.
NEW_NAME = "锂电池隔膜生产基地"
NEW_ARTICLE = ("运城市盐湖区签约锂电池隔膜项目\n"
               f"2024年3月5日，深圳市星源材质科技股份有限公司与运城市盐湖区签约，总投资42亿元建设{NEW_NAME}项目。")
PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(2)>"
PAYLOAD_ARTICLE = ("<p>晋城泽州签约芯片项目</p><script>alert(1)</script><img src=x onerror=alert(2)>"
                   "<p>2024年5月10日，晋城市泽州县与上海某公司签约，总投资8亿元建设"
                   "&lt;img src=x onerror=alert(3)&gt;芯片封装项目。</p>")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """(url, db) of one app on a store built from seeds/ for the tests of this module."""
    folder = tmp_path_factory.mktemp("curation")
    db = folder / "projects.gpkg"
    pipeline.build(REPO / "seeds", db)
    with run_streamlit(REPO / "app.py", {"GEO_DB": str(db)}, folder) as url:
        yield url, db


@pytest.fixture()
def dialogs(page) -> list[str]:
    """Every JS dialog (alert/confirm) the page opens; a test asserts it stays empty."""
    seen: list[str] = []

    def on_dialog(dialog):
        seen.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return seen


# --- helpers --------------------------------------------------------------------------------

def _open(page, url: str) -> None:
    page.goto(url)
    expect(page.frame_locator(MAP_FRAME).locator("path.geo-county")).to_have_count(117, timeout=TIMEOUT_MS)
    settled(page)




def _table_rows(page) -> list[list[str]]:
    """Cells of the records table's rows in view (the grid keeps an accessible copy in the DOM)."""
    return page.get_by_test_id("stDataFrame").first.locator("table").first.evaluate(
        "t => [...t.querySelectorAll('tbody tr')].map(r => [...r.querySelectorAll('td')].map(d => d.textContent))")


def _wait_for_row(page, *cells: str) -> list[str]:
    """The first table row holding every one of `cells` (polls: the grid redraws after the run ends)."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    rows: list[list[str]] = []
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):  # the grid may be swapped out mid-read
            rows = _table_rows(page)
            for row in rows:
                if all(c in row for c in cells):
                    return row
        time.sleep(0.3)
    pytest.fail(f"no table row with {cells}; rows in view: {rows}")


def _total(page) -> int:
    caption = page.get_by_text(re.compile(r"共 \d+ 条 total")).inner_text()
    return int(re.search(r"共 (\d+) 条", caption).group(1))


def _expect_total(page, n: int) -> None:
    expect(page.get_by_text(re.compile(rf"共 {n} 条 total"))).to_be_visible(timeout=TIMEOUT_MS)


def _search(page, text: str) -> None:
    box = page.get_by_label(re.compile(r"^搜索 Search"))
    box.fill(text)
    box.press("Enter")
    settled(page)


def _upload(page, files: list[tuple[str, bytes]]) -> None:
    expander = page.get_by_test_id("stSidebar").get_by_text("添加文章 Add articles")
    if not page.get_by_role("button", name="添加文件 Add files").is_visible():
        expander.click()
    page.locator("input[type=file]").set_input_files(
        [{"name": name, "mimeType": "text/plain", "buffer": data} for name, data in files])
    for name, _ in files:
        expect(page.get_by_role("button", name=f"Remove {name}")).to_be_visible(timeout=TIMEOUT_MS)
    page.get_by_role("button", name="添加文件 Add files").click()
    settled(page)


def _pick(page, container, label: str, typed: str, option: str | re.Pattern) -> None:
    """Choose an option of the selectbox labelled `label` inside `container` by typing."""
    box = container.get_by_test_id("stSelectbox").filter(has_text=label).locator("input")
    box.click()
    page.keyboard.type(typed)  # the open list re-renders the box, so type at the focus
    page.get_by_role("option", name=option).first.click()


def _edit_form(page):
    return page.get_by_test_id("stForm").filter(has=page.get_by_role("button", name="保存 Save"))


def _choose_record(page, name: str, record_id: str) -> None:
    box = page.get_by_label(re.compile(r"^查找记录 Find a record"))  # the picker lists a search's matches
    box.fill(record_id)
    box.press("Enter")
    settled(page)
    _pick(page, page, "记录 Record", name, re.compile(re.escape(record_id)))
    settled(page)
    expect(page.get_by_text(f"id {record_id} · 来源 Source")).to_be_visible(timeout=TIMEOUT_MS)
    settled(page)
    expect(_edit_form(page)).to_have_count(1, timeout=TIMEOUT_MS)




def _download_geojson(page, tmp_path: Path) -> dict:
    with page.expect_download() as info:
        page.get_by_role("button", name="下载 GeoJSON Download GeoJSON").click()
    path = tmp_path / "download.geojson"
    info.value.save_as(path)
    return json.loads(path.read_text(encoding="utf-8"))


# --- tests ----------------------------------------------------------------------------------

def test_upload_correct_rebuild_and_export(served, page, net_log, dialogs, save_screenshot, tmp_path):
    url, db = served
    _open(page, url)
    before = _total(page)

    # (a) a new article: its project shows in the table and as a marker on the map.
    _upload(page, [("运城-新闻.txt", NEW_ARTICLE.encode("utf-8"))])
    expect(page.get_by_text(re.compile(r"运城-新闻\.txt: 已添加 added — 1 record"))).to_be_visible(timeout=TIMEOUT_MS)
    current, _ = corrections.read_current(db)
    rec = current[current["name"] == NEW_NAME].iloc[0]
    assert rec["county"] == "盐湖区" and rec["origin_region"] == "guangdong" and rec["amount_yi"] == 42
    _expect_total(page, before + 1)
    _search(page, NEW_NAME)
    row = _wait_for_row(page, NEW_NAME, "机器 machine")
    assert rec["place_text"] in row and "42.00 亿元" in row
    assert marker_total(page) == 1
    page.locator(MAP_FRAME).evaluate("e => e.scrollIntoView({block: 'end'})")
    save_screenshot(page, "curation_uploaded_map")
    popup = click_first_marker(page)
    expect(popup).to_contain_text(NEW_NAME, timeout=TIMEOUT_MS)
    expect(popup).to_contain_text("记录来源 Record source: 机器 machine")
    save_screenshot(page, "curation_uploaded_popup")

    # (b) correct its county: the table shows the new place and "corrected".
    target = next(p for p in load_gazetteer().counties if p.full_name == "临猗县")
    grid = page.get_by_test_id("stDataFrame").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 52)  # the row marker of the only row: picks it for editing
    expect(page.get_by_text(f"id {rec['id']} · 来源 Source")).to_be_visible(timeout=TIMEOUT_MS)
    settled(page)
    _pick(page, _edit_form(page), "县区/地市 County or city", target.full_name, re.compile(target.adcode))
    page.get_by_role("button", name="保存 Save").click()
    settled(page)
    _wait_for_row(page, NEW_NAME, target.full_name, "已更正 corrected")
    save_screenshot(page, "curation_corrected", full_page=True)

    # (c) rebuild: every article is extracted again; the correction is still applied.
    stamp = db.stat().st_ino, db.stat().st_mtime_ns
    page.get_by_test_id("stSidebar").get_by_text("重建 Rebuild").click()
    button = page.get_by_role("button", name="重建数据库 Rebuild the store")
    expect(button).to_be_enabled(timeout=TIMEOUT_MS)
    settled(page)  # a click that lands while a script run is still finishing can be dropped (CI, 2 cores)
    button.click()
    expect(page.get_by_text(re.compile("已重建 Rebuilt"))).to_be_visible(timeout=TIMEOUT_MS)
    settled(page)
    assert (db.stat().st_ino, db.stat().st_mtime_ns) != stamp
    _wait_for_row(page, NEW_NAME, target.full_name, "已更正 corrected")

    # (d) the exported GeoJSON carries the correction and the flag.
    data = _download_geojson(page, tmp_path)
    (feature,) = [f for f in data["features"] if f["properties"]["name"] == NEW_NAME]
    props = feature["properties"]
    assert props["corrected"] is True and props["record_source"] == "corrected"
    assert props["county_adcode"] == target.adcode and props["county"] == target.full_name
    assert feature["geometry"]["coordinates"] == [round(target.lon, 6), round(target.lat, 6)]

    # Marked wrong: gone from table, map and export; kept, and listed greyed with "show hidden".
    page.get_by_role("button", name="标记错误并隐藏 Hide (mark wrong)").click()
    expect(page.get_by_role("heading", name=re.compile(r"^记录 Records"))).to_have_text("记录 Records (0)",
                                                                                      timeout=TIMEOUT_MS)
    settled(page)
    assert marker_total(page) == 0
    assert _download_geojson(page, tmp_path)["features"] == []
    page.get_by_text("显示已隐藏 show hidden").click()
    _wait_for_row(page, NEW_NAME, "已更正 corrected · 已隐藏 hidden")
    assert corrections.read_current(db)[0].set_index("id").loc[rec["id"], "hidden"]
    assert dialogs == []
    net_log.assert_clean()


def test_two_sessions_save_different_fields_of_one_record_at_once(served, browser, page, net_log, dialogs):
    url, db = served
    current, _ = corrections.read_current(db)
    named = current[(current["kind"] == "project") & current["name"].notna() & ~current["hidden"]
                    & current["company"].notna() & current["amount_yi"].notna()]
    rec = named.iloc[0]
    other_ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    other_ctx.on("request", net_log.on_request)
    other_ctx.on("requestfailed", net_log.on_failed)
    other_ctx.on("response", net_log.on_response)
    try:
        other = other_ctx.new_page()
        net_log.watch(other)
        sessions = (page, other)
        for pg in sessions:
            _open(pg, url)
            _choose_record(pg, rec["name"], rec["id"])
            expect(_edit_form(pg).get_by_label("企业 Company")).to_have_value(rec["company"], timeout=TIMEOUT_MS)
        company, amount = "并发测试公司甲", rec["amount_yi"] + 7
        _edit_form(page).get_by_label("企业 Company").fill(company)
        _edit_form(other).get_by_label("金额 Amount (亿 1e8)").fill(f"{amount:.4f}")
        for pg in sessions:
            pg.keyboard.press("Tab")  # commit the typed value to the form (nothing is sent before Save)
        # Both forms were drawn from the same values; press Save in both without waiting in between.
        page.get_by_role("button", name="保存 Save").click(no_wait_after=True)
        other.get_by_role("button", name="保存 Save").click(no_wait_after=True)
        for pg in sessions:
            settled(pg)
        after, _ = corrections.read_current(db)
        got = after.set_index("id").loc[rec["id"]]
        assert got["company"] == company and got["amount_yi"] == pytest.approx(amount)
        for pg in sessions:  # after a reload each session shows both edits
            _open(pg, url)
            _choose_record(pg, rec["name"], rec["id"])
            expect(_edit_form(pg).get_by_label("企业 Company")).to_have_value(company, timeout=TIMEOUT_MS)
            expect(_edit_form(pg).get_by_label("金额 Amount (亿 1e8)")).to_have_value(f"{amount:.4f}")
    finally:
        net_log.recording = False
        other_ctx.close()
    assert dialogs == []


def test_bad_uploads_show_messages_and_change_nothing_else(served, page, net_log, dialogs, save_screenshot):
    url, db = served
    _open(page, url)
    before = corrections.read_current(db)[0]
    total = _total(page)
    _upload(page, [("empty.txt", b""), ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))),
                   ("payload.html", PAYLOAD.encode()), ("chip.html", PAYLOAD_ARTICLE.encode())])
    for text in (r"empty\.txt: 已拒绝 rejected — empty file", r"image\.txt: 已拒绝 rejected — binary",
                 r"payload\.html: 已拒绝 rejected — no text left", r"chip\.html: 已添加 added"):
        expect(page.get_by_text(re.compile(text))).to_be_visible(timeout=TIMEOUT_MS)
    page.get_by_text(re.compile(r"chip\.html: 已添加 added")).scroll_into_view_if_needed()
    save_screenshot(page, "curation_bad_uploads")
    after = corrections.read_current(db)[0]
    added = after[~after["id"].isin(before["id"])]
    assert len(added) >= 1 and set(added["article"]) == {"chip.html"}
    # Nothing else changed, but project links: an upload relinks the whole store (geo.link.entities), with the
    # corrections saved by earlier tests of this module applied, so project_uid may move.
    ignored = ["geometry", "project_uid"]
    kept = after[after["id"].isin(before["id"])].drop(columns=ignored).reset_index(drop=True)
    assert kept.equals(before.drop(columns=ignored).reset_index(drop=True))
    _expect_total(page, total + len(added))

    # The literal payload of the added article: shown as text in the table and the popup, never run.
    _search(page, "芯片封装")
    _wait_for_row(page, "晋城市泽州县")
    popup = click_first_marker(page)
    expect(popup).to_contain_text("<img src=x onerror=alert(3)>", timeout=TIMEOUT_MS)
    assert popup.locator("img").count() == 0
    rid = added.loc[added["sentence"].str.contains("onerror=alert(3)", regex=False), "id"].iloc[0]
    _choose_record(page, rid, rid)
    expect(page.get_by_text(re.compile(r"原句 Sentence: .*<img src=x onerror=alert\(3\)>"))).to_be_visible()
    assert page.locator("img[src=x]").count() == 0

    # Over the 5 MB upload limit: Streamlit refuses the file, our message or its own shows, no store change.
    digest = db.stat().st_mtime_ns
    page.locator("input[type=file]").set_input_files(
        [{"name": "huge.txt", "mimeType": "text/plain", "buffer": b"a" * (6 * 2**20)}])
    expect(page.get_by_text("File must be 5.0MB or smaller.")).to_be_visible(timeout=TIMEOUT_MS)
    page.get_by_test_id("stSidebar").get_by_text("添加文章 Add articles").scroll_into_view_if_needed()
    save_screenshot(page, "curation_too_large")
    page.get_by_role("button", name="添加文件 Add files").click()
    expect(page.get_by_text(re.compile("no file chosen"))).to_be_visible(timeout=TIMEOUT_MS)
    settled(page)
    assert db.stat().st_mtime_ns == digest
    assert dialogs == []
    net_log.assert_clean()


def test_corrupt_store_shows_a_message_and_rebuilds(tmp_path, streamlit_app, page, net_log, dialogs,
                                                   save_screenshot):
    db = tmp_path / "projects.gpkg"
    db.write_bytes(b"this is not a GeoPackage\n" * 200)
    url = streamlit_app(REPO / "app.py", env={"GEO_DB": str(db)})
    page.goto(url)
    expect(page.get_by_text(re.compile("数据库无法读取 The store cannot be read"))).to_be_visible(timeout=TIMEOUT_MS)
    button = page.get_by_role("button", name="重建数据库 Rebuild the store").last
    expect(button).to_be_visible()
    assert "Traceback" not in page.content()
    save_screenshot(page, "curation_corrupt_store")
    button.click()
    expect(page.frame_locator(MAP_FRAME).locator("path.geo-county")).to_have_count(117, timeout=TIMEOUT_MS)
    settled(page)
    assert "Traceback" not in page.content()
    _expect_total(page, len(store.read_records(db)))
    moved = list(tmp_path.glob("projects.gpkg.unreadable-*"))
    assert len(moved) == 1 and moved[0].read_bytes() == b"this is not a GeoPackage\n" * 200
    assert dialogs == []
    net_log.assert_clean()
