"""geo.ingest.read on the real seed articles, on re-encoded copies and on bad input made in tmp_path."""
import hashlib
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.errors import IngestError, NotTextError
from geo.ingest.read import decode_bytes, ingest_path, ingest_text, read_article

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
CJK_SPACE_CJK = re.compile(r"[\u4e00-\u9fff][ \u3000][\u4e00-\u9fff]")


def seed(prefix: str) -> Path:
    (path,) = SEEDS.glob(prefix + "_*.txt")
    return path


@pytest.fixture(scope="module")
def articles():
    return {p.name[:3]: read_article(p) for p in sorted(SEEDS.glob("*.txt"))}


# ---------------------------------------------------------------- the seeds
def test_every_seed_is_clean(articles):
    assert len(articles) == 5
    for key, a in articles.items():
        paragraphs = a.text.split("\n")
        assert 5 <= len(paragraphs) <= 80, key
        assert all(p.strip() == p and p for p in paragraphs), key
        assert paragraphs[0] == a.title, key
        assert not re.search(r"</?[a-zA-Z][^>]*>", a.text), key
        assert not re.search(r"&(#\d+|[a-z]+);", a.text), key
        assert "cms-style" not in a.text and "<script" not in a.text.lower(), key
        assert not CJK_SPACE_CJK.search(a.text), key
        assert a.id == hashlib.sha256(a.text.encode()).hexdigest()[:16]


def test_seed_000_front_matter(articles):
    a = articles["000"]
    assert a.title == "山西_南下_广东揽500亿元重点项目，打造_广东研发＋山西制造_新模式"
    assert a.date == "2022-07-14"
    assert a.categories == ["金融", "新浪财经", "新浪财经－国內"]
    assert "总投资额达572.46亿元。" in a.text
    assert "正威集团、比亚迪、美的" in a.text  # stock-quote <span><a> removed without spaces
    assert "appendQr" not in a.text and "{" not in a.text  # <style> with &#123; entities dropped
    assert a.source == seed("000").name


def test_seed_001_title_from_first_line(articles):
    a = articles["001"]
    assert a.title == "晋中市以“政府+链主企业+产业园”招商模式赋能新兴产业集群发展"
    assert a.date is None and "no article date" in a.warnings  # "2月3日" has no year: not guessed
    assert a.text.split("\n")[1].startswith("“构筑百亿企业")


def test_seed_002_html_and_markdown(articles):
    a = articles["002"]
    assert (a.title, a.date, a.categories) == ("山西系统承接京津冀产业转移利好", "2022-05-18", ["emnews"])
    assert "创新产业承接机制路径" in a.text
    assert "http" not in a.text and "](" not in a.text and not a.text.startswith(">")
    lead = "面对京津冀、雄安新区等产业转移利好，山西做好了承接准备。"
    assert a.text.count(lead) == 1  # the blockquote copy of the lead is kept once
    assert any("repeated paragraph" in w for w in a.warnings)
    assert "返回东财滚动新闻" in a.text


def test_seed_003_pdf_lines_rejoined(articles):
    a = articles["003"]
    assert a.title == "打造开发区建设升级版"
    assert "“政府+园区+链主”招商、加强重点项目调度管理、持续充实" in a.text
    assert "积极开展产业链招商，广泛宣传" in a.text
    assert "推动相关企业来晋投资兴业" in a.text
    assert "\n长治高新区\n" in a.text and "\n项目建设加速度\n" in a.text  # headings stay lines
    assert "2024年第10期" in a.text and a.date is None  # an issue number is not a date


def test_seed_004_pdf_spaces_repaired(articles):
    a = articles["004"]
    assert "原平市、繁峙县、代县" in a.text
    assert "达产后年产值2000亿元" in a.text
    assert "扭住科技创新" in a.text and "\n体量巨大的南引擎\n" in a.text


def test_ids_are_stable_across_runs(articles):
    again = {p.name[:3]: read_article(p).id for p in sorted(SEEDS.glob("*.txt"))}
    assert again == {k: a.id for k, a in articles.items()}
    assert len(set(again.values())) == 5


# ---------------------------------------------------------------- encodings
@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-8-sig", "utf-16", "utf-8"])
def test_encodings_decode_identically(tmp_path, encoding):
    original = seed("001").read_text(encoding="utf-8")
    path = tmp_path / f"a_{encoding}.txt"
    path.write_bytes(original.encode(encoding))
    text, used = decode_bytes(path.read_bytes())
    assert text.lstrip("\ufeff") == original
    assert read_article(path).id == read_article(seed("001")).id
    assert used in {"gb18030", "utf-8-sig", "utf-16", "utf-8"}


def test_gbk_falls_back_to_gb18030():
    assert decode_bytes("山西省晋中市".encode("gbk")) == ("山西省晋中市", "gb18030")


# ---------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    "name, data, words",
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b" \n\t\r\n\xe3\x80\x80\n", "whitespace"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        ("truncated.txt", "山西省晋中市招商引资推介会".encode("gb18030")[:-1], "GB18030"),
        ("controls.txt", bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15]) * 50 + "山西".encode(), "control"),
        ("bad_bom.txt", b"\xff\xfe" + b"\x00\xd8", "utf-16"),
        ("markup_only.html", b"<script>var a = 1;</script><style>p{}</style>", "no text left"),
    ],
)
def test_bad_files_raise_not_text_naming_the_path(tmp_path, name, data, words):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(NotTextError) as err:
        read_article(path)
    assert str(path) in str(err.value)
    assert words.lower() in str(err.value).lower()


def test_big_file_is_refused_quickly(tmp_path):
    path = tmp_path / "big.txt"
    with path.open("wb") as f:
        f.write("山西省太原市。\n".encode() * (30 * 1024 * 1024 // 22 + 1))
    assert path.stat().st_size > 30 * 1024 * 1024
    with pytest.raises(IngestError, match="over the limit"):
        read_article(path)
    with pytest.raises(IngestError, match="over the limit of 10 bytes"):
        decode_bytes(b"x" * 11, max_bytes=10)


def test_missing_and_folder_paths_raise(tmp_path):
    with pytest.raises(IngestError, match="no such file"):
        ingest_path(tmp_path / "nope")
    with pytest.raises(IngestError, match=re.escape(str(tmp_path / "nope.txt"))):
        read_article(tmp_path / "nope.txt")
    with pytest.raises(IngestError, match="not a regular file"):
        read_article(tmp_path)


def test_broken_html_and_script():
    a = ingest_text("<p>未闭合<div>段落<span>山西", source="paste")
    assert a.text == "未闭合\n段落山西"
    assert ingest_text("<<<>>>", source="paste").text == "<<<>>>"
    a = ingest_text("标题\n<p>正文<script>alert(1)</script>内容。</p>", source="paste")
    assert "alert" not in a.text and "正文内容。" in a.text


def test_title_markup_is_cleaned():
    a = ingest_text("---\ntitle: '山西&amp;广东<script>x</script> 合作'\n---\n<p>正文。</p>", source="paste")
    assert a.title == "山西&广东合作" and a.text == "山西&广东合作\n正文。"


def test_ingest_text_arguments_win():
    a = ingest_text(
        "---\ntitle: 旧标题\ndate: 2020-01-01\n---\n正文，山西省。",
        source="https://example.com/x",
        title="新标题",
        date="2024年3月14日",
        url="https://example.com/x",
        categories=["a"],
    )
    assert (a.title, a.date, a.url, a.categories) == ("新标题", "2024-03-14", "https://example.com/x", ["a"])
    assert a.text == "新标题\n正文，山西省。"
    with pytest.raises(IngestError, match="'yesterday'"):
        ingest_text("正文。", source="paste", date="yesterday")


def test_dateline_and_long_first_line():
    a = ingest_text("山西日报 2024年3月14日\n太原市签约项目20个，总投资100亿元。", source="paste")
    assert (a.title, a.date, a.warnings) == ("山西日报2024年3月14日", "2024-03-14", [])
    a = ingest_text("太原市签约项目20个，总投资100亿元。", source="paste")
    assert a.title.startswith("太原市签约项目") and any("no title line" in w for w in a.warnings)


# ---------------------------------------------------------------- folders
def test_ingest_folder_keeps_going_and_reports_problems(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / ".hidden").mkdir()
    shutil.copy(seed("000"), tmp_path / "a.md")
    shutil.copy(seed("003"), tmp_path / "sub" / "b.txt")
    (tmp_path / "sub" / "c.html").write_bytes(seed("000").read_text(encoding="utf-8").encode("gb18030"))
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blob.htm").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")  # not an article suffix
    shutil.copy(seed("001"), tmp_path / ".hidden" / "d.txt")
    result = ingest_path(tmp_path)
    assert [a.source for a in result.articles] == ["a.md", "b.txt"]
    problems = {p.path.name: p.message for p in result.problems}
    assert set(problems) == {"blob.htm", "empty.txt", "c.html"}
    assert "duplicate of" in problems["c.html"] and "a.md" in problems["c.html"]
    assert "binary" in problems["blob.htm"] and "empty" in problems["empty.txt"]


def test_ingest_single_file():
    result = ingest_path(seed("002"))
    assert [a.title for a in result.articles] == ["山西系统承接京津冀产业转移利好"] and result.problems == []


# ---------------------------------------------------------------- arbitrary text
_PIECES = st.sampled_from(
    ["<script>", "</script>", "<p>", "</div>", "<!--", "-->", "<![", "&#123;", "&lt;", "---\n", "> ",
     "<span>", "\n", "\n\n", " ", "\u3000", "，", "。", "山西", "繁 峙县", "2024年3月14日", "[a](b)", "<", ">", "date: x\n", "title: ", "scr", "ipt"]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=300), st.lists(_PIECES, max_size=30).map("".join)))
def test_arbitrary_text_only_raises_not_text(text):
    try:
        a = ingest_text(text, source="fuzz")
    except NotTextError:
        return
    assert "<script" not in a.text.lower() and "<script" not in a.title.lower()
    assert a.text and len(a.id) == 16


def test_a_headline_glued_to_the_dateline_is_not_repeated_in_the_body():
    text = ("---\ntitle: 北岭光伏基地250MW项目开工\n---\n北岭光伏基地250MW项目开工\n时间：19-03-08 来源：某网\n"
            "北岭光伏基地250MW项目开工 3月4日，北岭光伏基地250MW项目开工建设。\n")
    a = ingest_text(text, source="paste")
    assert a.text.split("\n") == ["北岭光伏基地250MW项目开工", "时间：19-03-08来源：某网", "3月4日，北岭光伏基地250MW项目开工建设。"]
    # a first sentence that only begins with the title's words stays whole
    b = ingest_text("---\ntitle: 北岭光伏基地\n---\n北岭光伏基地项目开工建设。\n", source="paste")
    assert b.text.split("\n") == ["北岭光伏基地", "北岭光伏基地项目开工建设。"]
