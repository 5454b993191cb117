"""Find Shanxi place mentions in Chinese text.

One Aho-Corasick automaton over every gazetteer surface form (built once) finds all candidates;
then plain rules decide which candidates are places:

1. Longest match first, non-overlapping. Stop phrases (place_stopwords.csv: 大同小异, 振兴县 …) are
   matched like names and win their span, so the name inside them is never reported.
2. Names marked `cue` (short forms that are also ordinary words: 平顺, 和顺, 小店 …) count only with a
   cue: their own city or 山西 right before (长治平顺), a place-type word right after (平顺经济开发区,
   高平城区, 左权境内), a plant's capacity right after (新荣33万千瓦), or as an item of an enumeration
   whose neighbour is a place (长治、平顺、黎城).
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
7. A county name followed by a zone word (侯马经济开发区, 翼城产业集聚区, 隰县现代农业产业示范区) that
   the zones table does not know is read as a zone hosted by that county (precision "zone", via
   "county_zone"): zones are named after their host county far more often than not.
5. A place name that starts an organisation name (太原重工股份有限公司, 晋中学院) is kept with
   via="company" and the organisation in `note`: an investor's origin, not a project site.
"""
from __future__ import annotations

import functools
import logging
import re
from dataclasses import replace
from typing import NamedTuple

import ahocorasick

from geo.places.gazetteer import PROVINCE_NAMES, NameEntry, load_gazetteer
from geo.models import Mention, Place

log = logging.getLogger("geo.places.mentions")

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
_ORG_MAX_LEN = 16  # an organisation name read after a place is at most this long
_ORG_RUN = re.compile(rf"[\u4e00-\u9fff（）()]{{1,{_ORG_MAX_LEN}}}")
_ORG_BREAK_RE = re.compile("|".join([*ORG_BREAK_WORDS, "[" + "".join(sorted(ORG_BREAKERS)) + "]"]))
_ORG_STRONG_RE = re.compile("|".join(sorted(ORG_STRONG, key=len, reverse=True)))
_ORG_ANY_RE = re.compile("|".join((*ORG_STRONG, *ORG_WEAK)))
_ORG_MAX_GAP = 10


# Zone words after a county name (rule 7), longest first, with up to six descriptive characters
# between (生态文化旅游示范区, 现代农业产业示范区) that are no function word or government body.
ZONE_WORDS = ("经济技术开发区", "高新技术产业开发区", "高新技术开发区", "经济开发区", "产业集聚区", "工业集聚区",
              "工业园区", "产业园区", "经开区", "高新区", "开发区", "集聚区", "示范区", "工业园", "产业园")
_ZONE_TAIL = re.compile(r"(?:(?![的在与和及等、是为将对由委会局厅政府镇乡村])[\u4e00-\u9fff]){0,6}?(?:"
                        + "|".join(ZONE_WORDS) + ")")


# Suffixes after which a transposed county stem is read as that county (rule 6), longest first.
TYPO_ZONE_SUFFIXES = ("经济技术开发区", "经济开发区", "经开区", "开发区", "高新区", "工业园区")
# Shanxi county stems whose reverse names a real county-level place elsewhere in China (cpca
# resources/adcodes.csv, national list, checked 2026-11): 平原县, 武宁县, 宁乡市, 子长市 …; a
# "typo" there is more likely that place.
TYPO_EXCLUDED_STEMS = frozenset(("乡宁", "保德", "原平", "宁武", "平顺", "怀仁", "长子", "阳城", "阳曲", "阳高"))


class _Reading(NamedTuple):
    """What a surface form means where it stands (fixed per form for most forms, see _automaton)."""

    status: str  # ok | pending | ctx | stop
    place: Place | None = None
    via: str = "full"
    entries: tuple[NameEntry, ...] = ()
    note: str = ""


# Selection order of statuses: a confirmed name (or a stop phrase) beats an unconfirmed one of equal length.
_RANK = {"stop": 0, "ok": 0, "pending": 1, "ctx": 1}


def _fixed_reading(entries: list[NameEntry]) -> _Reading | None:
    """The reading of a form that needs no context (one safe meaning, or a stop phrase), else None."""
    if len(entries) == 1 and entries[0].use == "safe":
        e = entries[0]
        return _Reading("ok", e.place, e.via, (e,), e.note)
    if any(e.use == "stop" for e in entries):
        return _Reading("stop")
    return None


_HEADLINE_LEAD = re.compile(r"[\s【\[（(“\"]*")  # what may stand before a headline's first word


def _resolve_named_elsewhere(text: str, chosen: list[tuple]) -> None:
    """Confirm a pending short form (平顺, 左权 …) whose county the same text names unambiguously
    elsewhere (平顺县), or that opens the text's first line and recurs below it (左权：… / …左权…): in an
    article about 平顺县 a bare 平顺 is that county, not the ordinary word."""
    if all(c.status != "pending" for _, _, _, c in chosen):
        return
    named = {c.place for _, _, _, c in chosen if c.status == "ok" and c.place is not None}
    # Where the headline's first word starts (None for text of one line: no headline to speak of).
    lead = _HEADLINE_LEAD.match(text).end() if "\n" in text else None
    for i, (start, end, surface, c) in enumerate(chosen):
        if c.status != "pending":
            continue
        e = next((e for e in c.entries if e.use == "cue" and e.place in named), None)
        note = "named in full elsewhere in the text"
        if e is None and lead is not None and text.startswith(surface, lead) and text.count(surface) >= 2:
            e, note = next(e for e in c.entries if e.use == "cue"), "in the headline and again below it"
        if e is not None:
            chosen[i] = (start, end, surface, c._replace(status="ok", place=e.place, via=e.via, note=note))


@functools.lru_cache(maxsize=1)
def _automaton() -> ahocorasick.Automaton:
    """Every surface form → (length, surface, fixed reading or None).

    ~97% of hits are forms with one safe meaning (or stop phrases): their reading is made here
    once, so only the context-dependent forms go through _classify per hit.
    """
    auto = ahocorasick.Automaton()
    for surface, entries in load_gazetteer().index.items():
        auto.add_word(surface, (len(surface), surface, _fixed_reading(entries)))
    auto.make_automaton()
    return auto


def _city_before(text: str, start: int, city_adcode: str | None, with_province: bool) -> bool:
    if city_adcode is None:
        return False
    forms = load_gazetteer().city_forms.get(city_adcode, ())
    if with_province:
        forms = (*forms, *PROVINCE_NAMES)
    return any(text.endswith(f, 0, start) for f in forms)


# A plant's capacity right after a short form names the plant by its site (新荣33万千瓦风电项目).
_CAPACITY_AFTER = re.compile(r"\d+(?:\.\d+)?(?:万千瓦|千瓦|兆瓦|MW|GW|万吨)")


def _cue_after(text: str, end: int) -> bool:
    return any(text.startswith(c, end) for c in CUE_AFTER) or (
        text[end:end + 1].isdigit() and _CAPACITY_AFTER.match(text, end) is not None)


def _bracketed(text: str, start: int, end: int) -> bool:
    """True for a name alone in brackets (新能源基地(新荣)): a place qualifying the words before it."""
    return text[start - 1:start] in ("(", "（") and text[end:end + 1] in (")", "）")


def _classify(text: str, start: int, end: int, surface: str) -> _Reading:
    """The reading of a context-dependent form (cue/city uses) at text[start:end]."""
    entries = load_gazetteer().index[surface]
    ok: list[NameEntry] = []
    for e in entries:
        if e.use == "safe":
            ok.append(e)
        elif e.use == "cue" and (_city_before(text, start, e.place.city_adcode, True) or _cue_after(text, end)
                                 or _bracketed(text, start, end)):
            ok.append(e)
        elif e.use == "city" and _city_before(text, start, e.place.city_adcode, False):
            ok.append(e)
    places = {e.place for e in ok}
    if len(places) == 1:
        return _Reading("ok", ok[0].place, ok[0].via, tuple(ok), ok[0].note)
    if len(places) > 1:
        return _Reading("ok", None, ok[0].via, tuple(ok), "ambiguous")
    if any(e.use == "cue" for e in entries):
        return _Reading("pending", entries=tuple(entries))
    return _Reading("ctx", entries=tuple(entries))


def _select(hits: list[tuple], n: int) -> list[tuple]:
    """Longest first, then confirmed before unconfirmed, then leftmost; no overlaps.

    `hits` are (-length, rank, start, end, surface, reading): sorted as plain tuples they come
    in that order ((length, start) is unique, so the sort never compares further). Returns
    (start, end, surface, reading) by start.
    """
    taken = bytearray(n)
    chosen = []
    for _, _, start, end, surface, reading in sorted(hits):
        if taken.find(1, start, end) >= 0:
            continue
        taken[start:end] = b"\x01" * (end - start)
        chosen.append((start, end, surface, reading))
    chosen.sort()  # chosen spans do not overlap: their starts differ
    return chosen


def _resolve_lists(text: str, chosen: list[tuple]) -> None:
    """Confirm pending/ctx candidates that are items of an enumeration next to a confirmed place."""
    changed = True
    while changed:
        changed = False
        for i, (start, end, surface, c) in enumerate(chosen):
            if c.status not in ("pending", "ctx"):
                continue
            for j in (i - 1, i + 1):
                if not 0 <= j < len(chosen):
                    continue
                nb_start, nb_end, nb_surface, nb = chosen[j]
                gap = text[nb_end:start] if j < i else text[end:nb_start]
                if nb.status != "ok" or nb.place is None or gap not in ENUM_SEPS:
                    continue
                if c.status == "pending" and nb.place.kind in ("city", "county"):
                    e = next(e for e in c.entries if e.use == "cue")
                    c = c._replace(status="ok", place=e.place, via=e.via, note="enumeration")
                elif c.status == "ctx" and j < i:
                    same_city = [e for e in c.entries if e.place.city_adcode == nb.place.city_adcode]
                    if len(same_city) != 1:
                        continue
                    c = c._replace(status="ok", place=same_city[0].place, via="context",
                                   note=f"city from enumeration after {nb_surface}")
                else:
                    continue
                chosen[i] = (start, end, surface, c)
                changed = True
                break


@functools.lru_cache(maxsize=1)
def _typo_table() -> tuple[dict[str, tuple[Place, str]], re.Pattern | None]:
    """Reversed county stems → (county, its suffix), and a regex finding (a superset of) them
    with a suffix: any first stem character, any second one, a suffix (see _typo_matches)."""
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
    firsts, seconds = ("".join(sorted({typo[k] for typo in table})) for k in (0, 1))
    return table, re.compile(f"[{firsts}][{seconds}](?:{'|'.join(TYPO_ZONE_SUFFIXES)}|县|市)")


def _typo_matches(text: str, table: dict, pattern: re.Pattern):
    """The matches of `(?:stem1|stem2|…)(?:suffix…)` over text (as re.finditer), for the stems in `table`.

    `pattern` has character classes in place of the stems: re scans for those at C speed,
    whereas an alternation of ~90 stems is tried branch by branch at every position. Its
    matches whose two characters are no stem are skipped (searching again one character on).
    """
    pos = 0
    while (m := pattern.search(text, pos)) is not None:
        if m.group()[:2] in table:
            yield m
            pos = m.end()
        else:
            pos = m.start() + 1


def _typo_mentions(text: str, taken: list[tuple]) -> list[Mention]:
    """Rule 6: transposed county stems before a county or zone suffix, outside the `taken` spans."""
    table, pattern = _typo_table()
    if pattern is None:
        return []
    index = load_gazetteer().index
    out = []
    for m in _typo_matches(text, table, pattern):
        start, end = m.span()
        typo, suffix = m.group()[:2], m.group()[2:]
        place, own_suffix = table[typo]
        if suffix in ("县", "市") and suffix != own_suffix:
            continue
        if any(s < end and start < e for s, e, _, _ in taken):
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


def _hosts(outer: Place, inner: Place) -> bool:
    """True when `inner` is a county hosting the zone or area `outer` (太忻经济区 and 杏花岭区)."""
    return outer.kind in ("zone", "area") and inner.kind == "county" and inner.adcode in outer.adcodes


def _merge(mentions: list[Mention], text: str) -> list[Mention]:
    """Rule 4: nesting mentions side by side merge; so does a place in brackets qualifying the one
    before it (太忻经济区(杏花岭区): the county hosting that part of the zone)."""
    out: list[Mention] = []
    for m in mentions:
        prev = out[-1] if out else None
        if (prev is not None and prev.place is not None and m.place is not None and prev.end + 1 == m.start
                and _bracketed(text, m.start, m.end) and (_nests(prev.place, m.place) or _hosts(prev.place, m.place))):
            out[-1] = replace(m, start=prev.start, end=m.end + 1, text=text[prev.start:m.end + 1],
                              note=(m.note + "; " if m.note else "") + f"{m.text} qualifying {prev.text}")
        elif (prev is not None and prev.end == m.start and prev.place is not None and m.place is not None
                and _nests(prev.place, m.place)):
            out[-1] = replace(m, start=prev.start, text=text[prev.start:m.end],
                              note=(m.note + "; " if m.note else "") + f"compound of {prev.text}+{m.text}")
        else:
            out.append(m)
    return out


def _county_zones(mentions: list[Mention], text: str) -> list[Mention]:
    """Rule 7: a county mention followed by a zone word becomes a zone of that county; a city
    mention followed right away by a development-zone word (阳泉高新区, 朔州经开区) that the zones
    table does not know becomes a zone of that city, host county unknown."""
    out = []
    for m in mentions:
        p = m.place
        tail = None
        if p is not None and m.via != "company":
            if p.kind == "county":
                tail = _ZONE_TAIL.match(text, m.end)
            elif p.kind == "city":
                tail = _CITY_ZONE_TAIL.match(text, m.end)
        if tail is None:
            out.append(m)
            continue
        name = text[m.start:tail.end()]
        zone = replace(p, full_name=name, kind="zone", precision="zone", adcodes=(p.adcode,))
        note = f"zone named after its {'host county' if p.kind == 'county' else 'city'} {p.full_name}"
        out.append(replace(m, end=tail.end(), text=name, place=zone, via="county_zone", note=note))
    return out


_CITY_ZONE_TAIL = re.compile("|".join(w for w in ZONE_WORDS if "开发区" in w or w in ("经开区", "高新区")))


def _org_end(text: str, end: int) -> int | None:
    """End of an organisation name that the place just before `end` starts, or None."""
    # Any name found below holds one of the endings within its run: most places have none in
    # reach, and one search rules them out.
    if not _ORG_ANY_RE.search(text, end, end + _ORG_MAX_LEN):
        return None
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
    hits = []
    for last, (n, surface, reading) in _automaton().iter(text):
        start = last + 1 - n
        if reading is None:
            reading = _classify(text, start, last + 1, surface)
        hits.append((-n, _RANK[reading.status], start, last + 1, surface, reading))
    chosen = _select(hits, len(text))
    _resolve_lists(text, chosen)
    _resolve_named_elsewhere(text, chosen)
    mentions = []
    for start, end, surface, c in chosen:
        if c.status != "ok":
            continue
        candidates = tuple(dict.fromkeys(e.place for e in c.entries)) if c.place is None else ()
        mentions.append(Mention(start, end, surface, c.place, candidates, c.via, c.note))
    typos = _typo_mentions(text, chosen)
    if typos:
        mentions = sorted(mentions + typos, key=lambda m: m.start)
    return _mark_organisations(_county_zones(_merge(mentions, text), text), text)
