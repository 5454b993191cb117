"""Checks on the blind annotation of the real-article corpus (tests/realworld/, GUIDE.md there).

Reads only the YAML and the article files, never the extractor, so the blind annotators can run it.
Covers the dev and test halves, the second dev set and any folder under incoming/ still being annotated.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
import yaml

from annotation_schema import (ADCODE, DATE, check_record_amount, check_record_place, check_record_schema,
                               squeeze, strip_tags)

HERE = Path(__file__).resolve().parent / "realworld"
SETS = [p for p in [*(HERE / name for name in ("dev", "dev2", "dev3", "linkage", "test", "test2", "test3", "test4", "test5", "dev4", "test6", "dev5", "test7",
                                                     "dev6", "test8", "dev7", "test9", "dev8", "test10", "dev9", "test11", "dev10", "test12",
                                                     "dev11", "test13", "dev12", "dev13", "test14", "dev14", "test15", "dev15", "test16")),
                   *sorted((HERE / "incoming").glob("*"))]
        if (p / "annotations.yaml").exists()]
COUNTIES = Path(__file__).resolve().parent.parent / "geo" / "data" / "counties.csv"
KNOWN_CODES = {row["adcode"] for row in csv.DictReader(COUNTIES.open(encoding="utf-8"))} | {"140000"}
STRUCTURES = {"prose", "enum_list", "dash_list", "zone_items", "field_block", "numbered", "announcement",
              "remote_venue", "sub_venue", "batch_only"}
FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)


def _load(folder: Path) -> list[dict]:
    return yaml.safe_load((folder / "annotations.yaml").read_text(encoding="utf-8")) or []


def _split(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    m = FRONT.match(text)
    assert m, f"{path.name}: no front matter"
    return yaml.safe_load(m.group(1)), text[m.end():]


ENTRIES = [(folder, entry) for folder in SETS for entry in _load(folder)]
RECORDS = [(folder, entry["article"], i, rec) for folder, entry in ENTRIES
           for i, rec in enumerate(entry.get("records") or [])]


def _ids(items):
    return [f"{item[0].name}/{item[1]}#{item[2]}" for item in items]


@pytest.mark.parametrize("folder", SETS, ids=[p.name for p in SETS])
def test_every_article_is_annotated_once(folder):
    names = [e["article"] for e in _load(folder)]
    assert len(names) == len(set(names))
    assert sorted(names) == sorted(p.name for p in folder.glob("*.txt"))


@pytest.mark.parametrize("folder,entry", ENTRIES, ids=[f"{f.name}/{e['article']}" for f, e in ENTRIES])
def test_front_matter(folder, entry):
    front, body = _split(folder / entry["article"])
    assert front.get("title") and body.strip()
    assert DATE.match(str(front.get("date"))), front.get("date")
    assert "2018" <= str(front["date"])[:4] <= "2026"
    assert str(front.get("source_url", "")).startswith(("http://", "https://"))
    assert front.get("city") and front.get("script") in ("simplified", "traditional")
    assert set(front.get("structures") or []) <= STRUCTURES and front.get("structures")
    assert isinstance(front.get("partial"), bool)
    assert entry.get("records"), "every article has at least one record"


@pytest.mark.parametrize("folder,name,i,rec", RECORDS, ids=_ids(RECORDS))
def test_record(folder, name, i, rec):
    check_record_schema(rec)
    _, body = _split(folder / name)
    haystack = squeeze(strip_tags(body))
    snippet = squeeze(str(rec["snippet"]))
    assert 6 <= len(snippet) <= 30, (len(snippet), snippet)
    assert not re.search(r"[。！？；!?;]", snippet), "a snippet lies inside one sentence"
    assert haystack.count(snippet) == 1, f"{snippet!r} must occur exactly once in the body"
    check_record_amount(rec, haystack, near=120)
    check_record_place(rec)
    for code in [rec["place_adcode"], *(rec.get("place_adcodes") or [])]:
        assert code is None or (ADCODE.match(str(code)) and str(code) in KNOWN_CODES), code


def test_urls_are_unique_across_sets():
    urls = [_split(folder / e["article"])[0]["source_url"] for folder, e in ENTRIES]
    assert len(urls) == len(set(urls))


# ---------------------------------------------------------------- names sets (NAMES_GUIDE.md)
NAMES_SETS = sorted(p for p in HERE.glob("names-*") if (p / "names.yaml").exists())
SHANXI_CITIES = ("山西", "太原", "大同", "朔州", "忻州", "阳泉", "吕梁", "晋中", "长治", "晋城", "临汾", "运城")


@pytest.mark.parametrize("folder", NAMES_SETS, ids=[p.name for p in NAMES_SETS])
def test_a_names_set_lists_verbatim_names_of_every_article_and_no_shanxi_page(folder):
    entries = yaml.safe_load((folder / "names.yaml").read_text(encoding="utf-8"))
    articles = [e["article"] for e in entries]
    assert sorted(articles) == sorted(p.name for p in folder.glob("*.txt")) and len(articles) == len(set(articles))
    urls = []
    for entry in entries:
        front, body = _split(folder / entry["article"])
        urls.append(front["source_url"])
        assert DATE.match(str(front.get("date"))) and "2018" <= str(front["date"])[:4] <= "2026"
        assert not any(c in str(front.get("title")) for c in SHANXI_CITIES), entry["article"]
        assert entry.get("names"), entry["article"]
        missing = [n for n in entry["names"] if str(n) not in body]
        assert not missing, (entry["article"], missing)
    assert len(urls) == len(set(urls))
