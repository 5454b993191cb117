"""Find Shanxi place mentions in Chinese text.

One Aho-Corasick automaton over every gazetteer surface form (built once) finds all candidates;
then plain rules decide which candidates are places:

1. Longest match first, non-overlapping. Stop phrases (place_stopwords.csv: 大同小异, 振兴县 …) are
   matched like names and win their span, so the name inside them is never reported.
2. Names marked `cue` (short forms that are also ordinary words: 平顺, 和顺, 小店 …) count only with a
   cue: their own city or 山西 right before (长治平顺), a place-type word right after (平顺经济开发区,
   高平城区, 左权境内), or as an item of an enumeration whose neighbour is a place (长治、平顺、黎城).
3. Names marked `city` (城区, 矿区, 郊区: one name, several cities) count only with their city right
   before (阳泉市郊区, 晋城城区) or inside an enumeration continuing such a mention (阳泉市城区、矿区).
   Otherwise they are not reported at all: 城区/郊区 are also ordinary words.
4. Adjacent mentions that nest (山西省 + 太原市 + 小店区, 太原 + 中北高新区) merge into one mention of the
   most specific unit.
6. Transposed characters (水文县 for 文水县): a two-character stem that is no known name, followed by
   the county's own suffix (县/市, not 区: 店小区 is more often 酒店小区 than 小店区) or a zone suffix
   (经济开发区, 经开区…), whose reverse is a Shanxi county stem, resolves to that county (or to the
   zone so named) with via="typo". Stems whose reverse is a real place elsewhere in China (平原县,
   曲阳县, 宁乡市 …) never count.
5. A place name that starts an organisation name (太原重工股份有限公司, 晋中学院) is kept with
   via="company" and the organisation in `note`: an investor's origin, not a project site.
"""
from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass, replace

import ahocorasick

from geo.gazetteer import PROVINCE_NAMES, NameEntry, load_gazetteer
from geo.models import Mention, Place

log = logging.getLogger("geo.mentions")

# Place-type words that make a word-like short form a place when they follow it.
CUE_AFTER = ("经济技术开发区", "经济开发区", "经开区", "开发区", "高新区", "高新技术", "产业园", "工业园",
             "园区", "工业区", "产业区", "新区", "新城", "片区", "境内", "全境", "一带", "地区", "城区", "市区",
             "县城", "籍", "特色专业镇", "专业镇", "乡镇")
ENUM_SEPS = frozenset(("、", "和", "及", "与"))
# Organisation endings; a strong one anywhere in the run after the place makes it an organisation.
ORG_STRONG = ("股份有限公司", "有限责任公司", "有限公司", "集团", "公司", "股份", "控股", "实业", "银行",
              "大学", "学院", "研究院", "研究所", "医院", "商会", "协会")
# Weak endings (…科技, …能源) count only when the name ends right there (punctuation or text end).
ORG_WEAK = ("科技", "能源", "煤业", "矿业", "钢铁", "重工", "化工", "电力", "药业", "焦煤", "焦化", "制药",
            "新材料")
# Characters that cannot sit between a place and the end of an organisation name: function words and
# common verbs of news sentences (太原引进某公司, 落户晋中的某集团).
ORG_BREAKERS = frozenset("的在与和及同跟由为是将把被对向从到于等了签引落共年月日增再已赴去至往")
ORG_BREAK_WORDS = ("发挥", "推动", "支持", "依托", "围绕", "携手", "联合", "对接", "走访", "考察", "调研",
                   "组织", "举办", "召开", "打造", "建成", "拥有", "成立", "设立", "带动")
_ORG_RUN = re.compile(r"[\u4e00-\u9fff（）()]{1,16}")
_ORG_BREAK_RE = re.compile("|".join([*ORG_BREAK_WORDS, "[" + "".join(sorted(ORG_BREAKERS)) + "]"]))
_ORG_STRONG_RE = re.compile("|".join(sorted(ORG_STRONG, key=len, reverse=True)))
_ORG_MAX_GAP = 10


# Suffixes after which a transposed county stem is read as that county (rule 6), longest first.
TYPO_ZONE_SUFFIXES = ("经济技术开发区", "经济开发区", "经开区", "开发区", "高新区", "工业园区")
# Shanxi county stems whose reverse names a real county-level place elsewhere in China (cpca
# resources/adcodes.csv, national list, checked 2026-11): 平原县, 武宁县, 宁乡市, 子长市 …; a
# "typo" there is more likely that place.
TYPO_EXCLUDED_STEMS = frozenset(("乡宁", "保德", "原平", "宁武", "平顺", "怀仁", "长子", "阳城", "阳曲", "阳高"))


@dataclass
class _Cand:
    start: int
    end: int
    surface: str
    status: str  # ok | pending | ctx | stop
    place: Place | None = None
    via: str = "full"
    entries: tuple[NameEntry, ...] = ()
    note: str = ""


@functools.lru_cache(maxsize=1)
def _automaton() -> ahocorasick.Automaton:
    auto = ahocorasick.Automaton()
    for surface in load_gazetteer().index:
        auto.add_word(surface, surface)
    auto.make_automaton()
    return auto


def _city_before(text: str, start: int, city_adcode: str | None, with_province: bool) -> bool:
    if city_adcode is None:
        return False
    forms = load_gazetteer().city_forms.get(city_adcode, ())
    if with_province:
        forms = (*forms, *PROVINCE_NAMES)
    return any(text.endswith(f, 0, start) for f in forms)


def _cue_after(text: str, end: int) -> bool:
    return any(text.startswith(c, end) for c in CUE_AFTER)


def _classify(text: str, start: int, end: int, surface: str) -> _Cand | None:
    entries = load_gazetteer().index[surface]
    if len(entries) == 1 and entries[0].use == "safe":  # the common case, kept fast
        e = entries[0]
        return _Cand(start, end, surface, "ok", e.place, e.via, (e,), e.note)
    if any(e.use == "stop" for e in entries):
        return _Cand(start, end, surface, "stop")
    ok: list[NameEntry] = []
    for e in entries:
        if e.use == "safe":
            ok.append(e)
        elif e.use == "cue" and (_city_before(text, start, e.place.city_adcode, True) or _cue_after(text, end)):
            ok.append(e)
        elif e.use == "city" and _city_before(text, start, e.place.city_adcode, False):
            ok.append(e)
    places = {e.place for e in ok}
    if len(places) == 1:
        return _Cand(start, end, surface, "ok", ok[0].place, ok[0].via, tuple(ok), ok[0].note)
    if len(places) > 1:
        return _Cand(start, end, surface, "ok", None, ok[0].via, tuple(ok), "ambiguous")
    if any(e.use == "cue" for e in entries):
        return _Cand(start, end, surface, "pending", entries=tuple(entries))
    return _Cand(start, end, surface, "ctx", entries=tuple(entries))


def _select(cands: list[_Cand], n: int) -> list[_Cand]:
    """Longest first, then confirmed before unconfirmed, then leftmost; no overlaps."""
    rank = {"stop": 0, "ok": 0, "pending": 1, "ctx": 1}
    taken = bytearray(n)
    chosen = []
    for c in sorted(cands, key=lambda c: (c.start - c.end, rank[c.status], c.start)):
        if any(taken[c.start:c.end]):
            continue
        taken[c.start:c.end] = b"\x01" * (c.end - c.start)
        chosen.append(c)
    chosen.sort(key=lambda c: c.start)
    return chosen


def _resolve_lists(text: str, chosen: list[_Cand]) -> None:
    """Confirm pending/ctx candidates that are items of an enumeration next to a confirmed place."""
    changed = True
    while changed:
        changed = False
        for i, c in enumerate(chosen):
            if c.status not in ("pending", "ctx"):
                continue
            for j in (i - 1, i + 1):
                if not 0 <= j < len(chosen):
                    continue
                nb = chosen[j]
                gap = text[nb.end:c.start] if j < i else text[c.end:nb.start]
                if nb.status != "ok" or nb.place is None or gap not in ENUM_SEPS:
                    continue
                if c.status == "pending" and nb.place.kind in ("city", "county"):
                    e = next(e for e in c.entries if e.use == "cue")
                    c.status, c.place, c.via, c.note = "ok", e.place, e.via, "enumeration"
                    changed = True
                    break
                if c.status == "ctx" and j < i:
                    same_city = [e for e in c.entries if e.place.city_adcode == nb.place.city_adcode]
                    if len(same_city) == 1:
                        c.status, c.place, c.via = "ok", same_city[0].place, "context"
                        c.note = f"city from enumeration after {nb.surface}"
                        changed = True
                        break


@functools.lru_cache(maxsize=1)
def _typo_table() -> tuple[dict[str, tuple[Place, str]], re.Pattern | None]:
    """Reversed county stems → (county, its suffix), and one regex finding them with a suffix."""
    index = load_gazetteer().index
    table: dict[str, tuple[Place, str]] = {}
    for surface, entries in index.items():
        places = {e.place for e in entries if e.place is not None}
        if len(surface) != 3 or surface[-1] not in "县市区" or len(places) != 1:
            continue
        place = next(iter(places))
        stem, typo = surface[:2], surface[1::-1]
        if (place.kind != "county" or place.full_name != surface or stem in TYPO_EXCLUDED_STEMS
                or typo == stem or typo in index):
            continue
        table[typo] = (place, surface[-1])
    if not table:
        return table, None
    stems = "|".join(sorted(table))
    return table, re.compile(f"(?:{stems})(?:{'|'.join(TYPO_ZONE_SUFFIXES)}|县|市)")


def _typo_mentions(text: str, taken: list[tuple[int, int]]) -> list[Mention]:
    """Rule 6: transposed county stems before a county or zone suffix, outside `taken` spans."""
    table, pattern = _typo_table()
    if pattern is None:
        return []
    index = load_gazetteer().index
    out = []
    for m in pattern.finditer(text):
        start, end = m.span()
        typo, suffix = m.group()[:2], m.group()[2:]
        place, own_suffix = table[typo]
        if suffix in ("县", "市") and suffix != own_suffix:
            continue
        if any(s < end and start < e for s, e in taken):
            continue
        corrected = typo[::-1] + suffix
        zone = {e.place for e in index.get(corrected, ()) if e.place is not None}
        if len(zone) == 1:
            place = next(iter(zone))  # the zone of that name (文水经济开发区)
        out.append(Mention(start, end, m.group(), place, (), "typo",
                           f"transposed characters: {m.group()} read as {corrected}"))
    return out


def _nests(outer: Place, inner: Place) -> bool:
    if outer.kind == "province":
        return inner.kind != "province"
    if outer.kind == "city":
        return inner.city_adcode == outer.adcode and inner is not outer
    if outer.kind == "county":
        return inner.kind in ("zone", "area") and outer.adcode in inner.adcodes
    return False


def _merge(mentions: list[Mention], text: str) -> list[Mention]:
    out: list[Mention] = []
    for m in mentions:
        prev = out[-1] if out else None
        if (prev is not None and prev.end == m.start and prev.place is not None and m.place is not None
                and _nests(prev.place, m.place)):
            out[-1] = replace(m, start=prev.start, text=text[prev.start:m.end],
                              note=(m.note + "; " if m.note else "") + f"compound of {prev.text}+{m.text}")
        else:
            out.append(m)
    return out


def _org_end(text: str, end: int) -> int | None:
    """End of an organisation name that the place just before `end` starts, or None."""
    run = _ORG_RUN.match(text, end)
    if not run:
        return None
    s = run.group()
    brk = _ORG_BREAK_RE.search(s)
    cut = brk.start() if brk else len(s)
    s = s[:cut]
    best = None
    for hit in _ORG_STRONG_RE.finditer(s):
        if hit.start() > _ORG_MAX_GAP:
            break
        best = hit.end()  # the last ending wins: …集团有限公司 is one name
    if best is not None:
        return end + best
    at_boundary = run.end() == len(text) or not ("\u4e00" <= text[run.end()] <= "\u9fff")
    if cut == len(run.group()) and at_boundary and s.endswith(ORG_WEAK):
        return end + len(s)
    return None


def _mark_organisations(mentions: list[Mention], text: str) -> list[Mention]:
    out = []
    for m in mentions:
        # A zone name before a firm locates the firm in the zone: that is a site, not an origin.
        is_zone = m.place is not None and m.place.precision == "zone"
        org_end = _org_end(text, m.end) if m.place is not None and not is_zone else None
        if org_end is None:
            out.append(m)
        else:
            org = text[m.start:org_end]
            out.append(replace(m, via="company", note=f"inside organisation name {org!r}"))
    return out


def find_mentions(text: str) -> list[Mention]:
    """All Shanxi place mentions in `text`, non-overlapping, in text order.

    Ambiguous names that the context cannot settle are left out; a name shared by several units
    that does resolve to more than one (rare) is returned with place=None and `candidates`.
    """
    if not isinstance(text, str):
        raise TypeError(f"find_mentions expects str, got {type(text).__name__}: {text!r:.60}")
    cands = []
    for last, surface in _automaton().iter(text):
        start = last - len(surface) + 1
        c = _classify(text, start, last + 1, surface)
        if c is not None:
            cands.append(c)
    chosen = _select(cands, len(text))
    _resolve_lists(text, chosen)
    mentions = []
    for c in chosen:
        if c.status != "ok":
            continue
        candidates = tuple(dict.fromkeys(e.place for e in c.entries)) if c.place is None else ()
        mentions.append(Mention(c.start, c.end, c.surface, c.place, candidates, c.via, c.note))
    typos = _typo_mentions(text, [(c.start, c.end) for c in chosen])
    if typos:
        mentions = sorted(mentions + typos, key=lambda m: m.start)
    return _mark_organisations(_merge(mentions, text), text)
