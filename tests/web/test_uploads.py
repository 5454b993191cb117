"""Uploads and pasted text through geo.web.uploads: every bad input of issue 5, duplicates, file names, rebuild."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from geo.store import corrections, gpkg as store
from geo.web import mapview, markers, uploads
from geo.errors import StoreError

REPO = Path(__file__).resolve().parents[2]
# A new article (not a seed): a 运城 project with an investor from 深圳 and an amount.
YUNCHENG = ("运城市盐湖区签约新能源电池项目\n"
            "2024年3月5日，深圳市比亚迪股份有限公司与运城市盐湖区签约，总投资35亿元建设新能源电池生产基地项目。")
DATONG = ("大同云州区签约光伏项目\n"
          "2024年5月10日，山西省大同市云州区与北京某科技公司签约，总投资12亿元建设光伏组件项目。")
NO_SHANXI = ("深圳人工智能大会召开\n"
             "2024年5月10日，深圳市南山区与广州某公司签约，总投资5亿元建设人工智能研发中心项目。")
# Raw tags are markup and are dropped by ingest; the entity-encoded ones become literal text that
# must reach every view escaped.
PAYLOAD_HTML = ("<p>晋城项目</p><script>alert(1)</script><img src=x onerror=alert(2)>"
                "<p>2024年5月10日，晋城市泽州县与上海某公司签约，总投资8亿元建设"
                "&lt;img src=x onerror=alert(3)&gt;芯片项目。</p>")


@pytest.fixture()
def db(seeded, tmp_path) -> Path:
    path = tmp_path / "store" / "projects.gpkg"
    path.parent.mkdir()
    path.write_bytes(seeded.read_bytes())
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file() and ".lock" not in p.name}


def test_new_article_is_added_located_and_counted(db):
    before = store.read_records(db)
    report = uploads.add_uploads(db, [("yuncheng.txt", YUNCHENG.encode("utf-8"))])
    (result,) = report.results
    assert result.status == "added" and result.records >= 1 and result.unresolved == 0, result
    after = store.read_records(db)
    mine = after[after["article_id"] == result.article_id]
    assert len(after) == len(before) + len(mine)
    project = mine[mine["amount_yi"] == 35].iloc[0]
    assert project["county"] == "盐湖区" and project["origin_region"] == "guangdong"
    assert "35亿元" in project["sentence"]


def test_same_text_twice_is_a_duplicate_by_content_hash(db):
    first = uploads.add_uploads(db, [("a.txt", YUNCHENG.encode())]).results[0]
    digest = _digest(db)
    # Same text under another name, re-encoded as GB18030 with a BOM-less UTF-8 twin in the same batch.
    again = uploads.add_uploads(db, [("b.txt", YUNCHENG.encode("gb18030")), ("c.txt", YUNCHENG.encode())])
    assert [r.status for r in again.results] == ["duplicate", "duplicate"]
    assert all(r.article_id == first.article_id for r in again.results)
    assert "already in the store as 'a.txt'" in again.results[0].message
    assert _digest(db) == digest  # nothing was written
    twice = uploads.add_uploads(db, [("x.txt", DATONG.encode()), ("y.txt", DATONG.encode())]).results
    assert [r.status for r in twice] == ["added", "duplicate"] and "in this upload" in twice[1].message


@pytest.mark.parametrize("name, data, reason", [
    ("empty.txt", b"", "empty file"),
    ("blank.txt", b" \n\t\n", "empty or whitespace"),
    ("image.png.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
    ("tags-only.html", b"<html><body><script>alert(1)</script></body></html>", "no text left"),
])
def test_bad_files_are_rejected_with_a_reason_and_change_nothing(db, name, data, reason):
    digest, before = _digest(db), store.read_records(db)
    report = uploads.add_uploads(db, [(name, data)])
    (result,) = report.results
    assert result.status == "rejected" and reason in result.message, result
    assert report.summary is None and _digest(db) == digest
    assert store.read_records(db).equals(before)


def test_fifty_megabytes_is_rejected_before_decoding(db, tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:  # 50 MB generated here, not kept in the repo
        chunk = ("山西太原项目签约。" * 1000).encode()
        while fh.tell() < 50 * 2**20:
            fh.write(chunk)
    digest = _digest(db)
    (result,) = uploads.add_uploads(db, [("big.txt", big.read_bytes())]).results
    assert result.status == "rejected"
    assert result.message == f"too large: {big.stat().st_size / 2**20:.1f} MB > 5 MB limit"
    assert _digest(db) == digest


def test_gb18030_text_is_decoded_and_added(db):
    (result,) = uploads.add_uploads(db, [("gbk.txt", DATONG.encode("gb18030"))]).results
    assert result.status == "added" and result.records >= 1 and result.unresolved == 0
    arts = store.read_articles(db)
    assert "大同市云州区" in arts.loc[arts["article_id"] == result.article_id, "text"].iloc[0]


def test_broken_html_is_added_without_a_crash(db):
    broken = ("<html><body><div><p>朔州项目<p>2024年6月1日，朔州市怀仁市与天津某公司签约，总投资6亿元建设"
              "陶瓷项目<b><i></div></span><table><tr><td>未闭合").encode()
    (result,) = uploads.add_uploads(db, [("broken.html", broken)]).results
    assert result.status == "added" and result.records >= 1, result


def test_text_without_a_shanxi_place_is_kept_and_flagged(db):
    (result,) = uploads.add_uploads(db, [("shenzhen.txt", NO_SHANXI.encode())]).results
    assert result.status == "no_place" and "no Shanxi place found" in result.message
    recs = store.read_records(db)
    mine = recs[recs["article_id"] == result.article_id]
    assert len(mine) == result.records >= 1 and (mine["precision"] == "unresolved").all()
    assert result.stored


def test_script_payloads_are_inert_stored_text_and_escaped_on_the_map(db):
    (result,) = uploads.add_uploads(db, [("payload.html", PAYLOAD_HTML.encode())]).results
    assert result.status == "added", result
    arts = store.read_articles(db)
    text = arts.loc[arts["article_id"] == result.article_id, "text"].iloc[0]
    assert "<script" not in text and "alert(1)" not in text  # markup dropped at ingest
    current, _ = corrections.read_current(db)
    mine = current[current["article_id"] == result.article_id]
    assert mine["sentence"].str.contains("<img src=x onerror=alert(3)>", regex=False).any()  # kept verbatim
    cols, tables = mapview.marker_rows(mine)
    popups = [markers.popup_html(cols, tables, i) for i in range(len(cols["lat"]))]
    assert any("&lt;img src=x onerror=alert(3)&gt;" in p for p in popups)
    assert not any("<img" in p for p in popups)
    html = mapview.build_map(mine, asset_base_url=None).get_root().render()
    assert "<img src=x onerror" not in html and "onerror=alert(3)>" not in html


@pytest.mark.parametrize("name, label", [
    ("../../etc/passwd", "passwd"),
    ("C:\\x\\..\\evil.txt", "evil.txt"),
    ("/abs/path/a\x00b\x1b[31m.txt", "ab[31m.txt"),
    ("..", "upload"),
    ("", "upload"),
    ("新闻\u202e.txt", "新闻.txt"),  # a right-to-left override is a format character: dropped
])
def test_file_names_are_labels_only(name, label):
    assert uploads.safe_label(name) == label


def test_hostile_file_names_never_become_paths(db, tmp_path, monkeypatch):
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)  # a relative path would land here
    before = _files_under(tmp_path)
    report = uploads.add_uploads(db, [("../../etc/passwd", YUNCHENG.encode()),
                                      ("C:\\x\\..\\evil.txt", DATONG.encode())])
    assert [r.label for r in report.results] == ["passwd", "evil.txt"]
    assert [r.status for r in report.results] == ["added", "added"]
    created = _files_under(tmp_path) - before
    assert created <= {db.with_name(f".{db.name}.lock")}, created
    assert not list(work.iterdir())
    assert set(store.read_articles(db)["article"]) >= {"passwd", "evil.txt"}


def test_a_reused_name_never_replaces_an_earlier_upload(db):
    first = uploads.add_uploads(db, [("news.txt", YUNCHENG.encode())]).results[0]
    second = uploads.add_uploads(db, [("news.txt", DATONG.encode())]).results[0]
    assert second.status == "added" and second.label == f"news~{second.article_id[:8]}.txt"
    ids = set(store.read_articles(db)["article_id"])
    assert {first.article_id, second.article_id} <= ids


def test_pasted_text_with_title_date_and_url(db):
    (result,) = uploads.add_pasted(db, YUNCHENG.split("\n", 1)[1], title="运城签约", date="2024-03-05",
                                   url="https://example.org/news/1").results
    assert result.status == "added" and result.label == "1"
    arts = store.read_articles(db).set_index("article_id")
    assert arts.loc[result.article_id, "article_title"] == "运城签约"
    assert arts.loc[result.article_id, "article_date"] == "2024-03-05"
    assert arts.loc[result.article_id, "url"] == "https://example.org/news/1"


@pytest.mark.parametrize("kwargs, reason", [
    ({"text": "   "}, "no text pasted"),
    ({"text": YUNCHENG, "date": "next week"}, "is not a date"),
    ({"text": YUNCHENG, "url": "javascript:alert(1)"}, "must start with http"),
])
def test_bad_pasted_input_is_rejected(db, kwargs, reason):
    digest = _digest(db)
    (result,) = uploads.add_pasted(db, **kwargs).results
    assert result.status == "rejected" and reason in result.message
    assert _digest(db) == digest


def test_an_unreadable_store_raises_and_is_left_alone(db):
    db.write_bytes(b"not a geopackage" * 64)
    with pytest.raises(StoreError):
        uploads.add_uploads(db, [("a.txt", YUNCHENG.encode())])
    assert db.read_bytes() == b"not a geopackage" * 64


def test_rebuild_keeps_uploads_and_corrections(db):
    added = uploads.add_uploads(db, [("yuncheng.txt", YUNCHENG.encode())]).results[0]
    recs = store.read_records(db)
    rid = recs.loc[(recs["article_id"] == added.article_id) & (recs["amount_yi"] == 35), "id"].iloc[0]
    corrections.save(db, rid, "edit", {"county_adcode": "140821"})  # 临猗县
    report = uploads.rebuild_store(db, REPO / "seeds")
    assert report.moved_aside is None and report.stored_articles == len(os.listdir(REPO / "seeds")) + 1
    current, orphans = corrections.read_current(db)
    assert not orphans
    row = current.set_index("id").loc[rid]
    assert row["county"] == "临猗县" and row["record_source"] == "corrected"


def test_rebuild_moves_an_unreadable_store_aside_and_rebuilds_from_seeds(db):
    db.write_bytes(b"\x00garbage" * 100)
    report = uploads.rebuild_store(db, REPO / "seeds")
    assert report.moved_aside is not None and report.moved_aside.read_bytes() == b"\x00garbage" * 100
    assert report.stored_articles == 0 and report.summary.articles == len(os.listdir(REPO / "seeds"))
    assert len(store.read_records(db)) > 0
