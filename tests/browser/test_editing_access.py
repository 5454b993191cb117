"""End-to-end: the editor password (wrong → refused, right → the edit is saved) and read-only mode.

Each test starts its own `streamlit run app.py` on a store built from seeds/ in tmp_path. The
read-only server listens on every interface (0.0.0.0) with browser.serverAddress set, so
Streamlit never looks up its external IP; the browser still talks to 127.0.0.1.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from apphelpers import MAP_FRAME, TIMEOUT_MS, settled

from geo import pipeline
from geo.store import corrections
from geo.web import access

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "晋-editor-2026"


@pytest.fixture()
def db(tmp_path) -> Path:
    path = tmp_path / "projects.gpkg"
    pipeline.build(REPO / "seeds", path)
    return path


def _open(page, url: str) -> None:
    page.goto(url)
    expect(page.frame_locator(MAP_FRAME).locator("path.geo-county")).to_have_count(117, timeout=TIMEOUT_MS)
    settled(page)


def _unlock(page, password: str) -> None:
    sidebar = page.get_by_test_id("stSidebar")
    if not sidebar.get_by_label("编辑密码 Editor password").is_visible():
        sidebar.get_by_text("编辑权限 Editing").click()
    sidebar.get_by_label("编辑密码 Editor password").fill(password)
    sidebar.get_by_role("button", name="解锁编辑 Unlock editing").click()
    settled(page)


def test_wrong_password_is_refused_the_right_one_saves_an_edit(db, streamlit_app, page, net_log,
                                                               save_screenshot):
    url = streamlit_app(REPO / "app.py", env={"GEO_DB": str(db), access.PASSWORD_ENV: PASSWORD})
    _open(page, url)
    save = page.get_by_role("button", name="保存 Save")
    expect(save).to_have_count(0)
    expect(page.get_by_role("button", name="添加文件 Add files")).to_have_count(0)

    _unlock(page, "not the password")
    expect(page.get_by_text("密码错误").first).to_be_visible(timeout=TIMEOUT_MS)
    expect(save).to_have_count(0)
    assert "password" not in page.url and PASSWORD not in page.url

    _unlock(page, PASSWORD)
    expect(save).to_have_count(1, timeout=TIMEOUT_MS)
    assert PASSWORD not in page.url
    save_screenshot(page, "access_unlocked", full_page=True)
    rid = page.get_by_text(re.compile(r"^id \S+ · 来源 Source")).inner_text().split()[1]
    form = page.get_by_test_id("stForm").filter(has=save)
    form.get_by_label("企业 Company").fill("密码解锁后的企业")
    page.keyboard.press("Tab")
    save.click()
    settled(page)
    (saved,) = corrections.load(db)
    assert saved.record_id == rid and saved.fields == {"company": "密码解锁后的企业"}
    net_log.assert_clean()


@pytest.mark.parametrize("width", [1600, 390])
def test_exposed_without_a_password_is_read_only(db, streamlit_app, page, net_log, save_screenshot, width):
    url = streamlit_app(REPO / "app.py", env={"GEO_DB": str(db)},
                        args=["--server.address", "0.0.0.0", "--browser.serverAddress", "127.0.0.1"])
    port = url.rsplit(":", 1)[1]
    page.set_viewport_size({"width": width, "height": 900})
    _open(page, f"http://127.0.0.1:{port}")
    sidebar = page.get_by_test_id("stSidebar")
    if width >= 1600:
        expect(sidebar.get_by_text(re.compile("只读 Read-only"))).to_be_visible(timeout=TIMEOUT_MS)
    for name in ("保存 Save", "添加文件 Add files", "重建数据库 Rebuild the store", "解锁编辑 Unlock editing"):
        expect(page.get_by_role("button", name=name)).to_have_count(0)
    expect(page.get_by_role("heading", name=re.compile(r"^记录 Records"))).to_be_visible()
    save_screenshot(page, f"access_read_only_{width}", full_page=True)
    assert corrections.load(db) == []
    net_log.assert_clean()
