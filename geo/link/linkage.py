"""Record linkage: project records of different articles that describe one real-world project.

One project is reported many times (signed at a fair, started in a 三个一批 round, in production a year
later, again by the city, the province and the trade press), with its amount rounded (35亿 / 35.3亿)
and its name shortened (泰山玻纤年产60万吨…项目 / 泰山玻纤项目). `link` gives every project record a
`project_uid` shared by the records of one project. Batches and stats are never linked.

The rule (thresholds are module constants, documented in the README):
1. **Normalise** the name (NFKC; quotes and brackets dropped; the phase 一期/二期… and capacity figures
   年产60万吨, 100MW taken out as attributes; legal forms 有限公司… inside it, Shanxi place names at
   the start and 建设/项目/工程 at the end stripped) and the firm (legal suffixes 有限公司/集团…, bracketed places, a leading province name).
   A phase written right after the name in its sentence (“…项目”一期工程投产), or before the name or a
   nameless figure in its clause (首期工程将建设6GWh…; 一期投产后年产值约30亿元), is the record's phase.
   A record named only by its phase or a capacity ("一期", "山西16GW项目") takes the name (and, lacking
   one, the firm) of the project of its article it refers to: the one named record sharing its capacity,
   or, without a capacity, the article's one named project (`_borrow_names`).
2. **One sentence, one project**: records of one sentence (one per amount: investment, output,
   taxes) are grouped first when the sentence names at most one project, firm, phase and place and
   holds no two figures of one kind (`sentence_groups`); a figure whose clause opens with 项目 ("…计划建设四条
   年产15万吨…生产线，项目达产后年产值36亿元") is the project's the sentence names before it (…项目 / …工程), not
   the nearer line's, and groups with it (`_project_figures`). **One article, one project**: an article's
   nameless figures ("该项目总投资…", "全部达产后年产值…") join the one project it names (its named
   phases set aside: projects of their own), or, when it names several, each other when no named record stands between them; an article's records of
   one phase (its name, its figures) are one project (`article_groups`).
3. **Block**: two records are compared only when they share a 3-character shingle of the normalised
   name or firm, the first two characters of the name (an abbreviation keeps them), the whole firm
   (short firms: 中来, 华为) or an investment of at least `DISTINCT_AMOUNT` (20亿); a nameless record
   with such an investment also meets every record whose investment is within `AMOUNT_BIN` (2 %) of
   its own (39.94亿 / 40亿); shingles held
   by more than `MAX_BLOCK` records are too common to say anything and are skipped. Their places must
   be compatible: the same county (or overlapping counties of a zone), a city-level record and a
   record inside that city, or one side without any place. Records of one article are never
   compared: list items are distinct projects.
4. **Score** each candidate pair with points from rapidfuzz string scores and the other fields:
   name (ratio ≥ 90: +3, or +2 for names under 6 characters such as 光伏发电, and +1 more when
   identical and at least 8 characters; one inside the other, partial_ratio ≥ 90, or one an abbreviation of the
   other's firm-and-name — its characters in order within twice its length, 泰山玻纤 in
   泰山玻璃纤维…: +2; ≥ 70: +1; < 50: −2); firm (both known: ≥ 90: +2, ≥ 75: +1; one known and written
   inside the other's name: +1); investment amount (within 2 %: +2, within 15 %: +1, 15–50 % apart:
   −1, further: −3; equal within 0.5 % and at least 20亿: +1 more, +1.5 when both are off the round grid of plans, `ROUND_AMOUNT`
   5亿: 91亿, 39.94亿); capacity figures (shared: +1, both given and disjoint: −2); place (same county
   or zone: +1; no place on a side: −1); chain (equal: +0.5, different: −0.5); stages out of date
   order (a signing dated more than 60 days after a start or production: −3). A pair scoring at
   least `LINK_SCORE` (3) is a link. Different phases, a phase and no phase (the whole project: an
   entity of its own, as the linkage gold set's guide says), capacities of one unit that share no
   figure (年产12万吨 / 年产30万吨: `capacity_conflict`, the one rule for pairs and groups), and two known firms scoring below 50 are never linked. An investment
   figure written after 已完成投资 / 累计投资 is the money spent so far: never compared as an investment.
5. **Cluster** greedily, best pair first: two clusters join only if they name the same phase or none,
   their capacities do not conflict, their counties overlap (or one side has none), they lie in one
   city, and each article they share names one project on both sides (every name of one side alike
   the other's, firms alike, at most one figure of each kind: a project named twice in one article).
   So a chain of links never puts two counties or two items of one list into one project. Last, a pair
   scoring at least `LIST_SCORE` (1) but below `LINK_SCORE` joins when its records stand at one rank of two
   lists of at least `LIST_ITEMS` (3) named projects whose other items are already linked item for item: one
   list reprinted, an item named two ways (潇河净水厂 / 潇河供水工程) (`_reprinted`).
6. **Analyst overrides** (merge / split, from the corrections log) are replayed in log order on top.

`project_uid` = "p-" + the first 12 hex digits of the SHA-1 of the earliest member's record id
(earliest by date, then id), so an entity keeps its id when later reports join it.
"""
from __future__ import annotations

import functools
import hashlib
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd
from rapidfuzz import fuzz

from geo.models import is_missing

LINK_SCORE = 3.0  # a candidate pair scoring at least this is one project
DISTINCT_NAME = 8  # normalised names this long and identical earn one more point
SPECIFIC_NAME = 6  # shorter normalised names (光伏发电, 泰山玻纤) earn 2 points, not 3, for matching
MAX_BLOCK = 300  # a shingle shared by more records than this is too common to block on
SHINGLE = 3  # characters per blocking shingle
ORDER_SLACK_DAYS = 60  # a signing may be reported this long after the start without contradiction
STAGE_RANK = {"negotiating": 0, "planned": 0, "signed": 0, "started": 1, "in_production": 2}
# Columns `link` reads; others are ignored.
COLUMNS = ["id", "kind", "article_id", "name", "company", "amount_yi", "amount_kind", "currency", "chain",
           "stage", "date", "article_date", "precision", "county_adcode", "city_adcode", "zone", "place_adcodes",
           "sentence_start", "sentence", "amount_text"]
# absent: no article dates, no same-sentence groups, no phase or money spent read from the sentence
_OPTIONAL = ("article_date", "sentence_start", "sentence", "amount_text")
DISTINCT_AMOUNT = 20.0  # 亿元: two equal investments this large in one place are rarely two projects
ROUND_AMOUNT = 5.0  # 亿元: plans are often round (30亿, 50亿, 100亿); an equal figure off this grid is rarer still
SAME_FIRM = 90  # rapidfuzz ratio (or partial ratio) from which two firms or names of one article agree
PROJECT_FIGURES = (None, "investment", "spent", "output", "revenue", "profit_tax")  # a project's own figures
AMOUNT_BIN = 0.02  # large investments within 2 % of each other are compared (rounded reports)
LIST_SCORE = 1.0  # an item of a reprinted list scoring this with the item at its rank joins it (`_reprinted`)
LIST_ITEMS = 3  # a list of this many named projects, all but one already linked item for item, is reprinted

_QUOTES = re.compile(r"[“”‘’\"'《》「」『』〈〉【】<>·•、，,。：:；;！!？?\s]")
_PHASE = re.compile(r"[(（]?(首|[一二三四五六七八九十]+|\d+)期[)）]?")
_PHASE_AFTER = re.compile(r"^[”’\"'》」』)）]*[(（]?(首|[一二三四五六七八九十]+|\d+)期")  # "…项目”一期工程投产"
_CLAUSE = re.compile(r"[,，、;；。:：!！?？]")  # clause and list-item boundaries
_OF_PROJECT = re.compile(r"(?:该|此|整个|全部)?项目(?![一二三四五六七八九十首\d]期)")  # 项目达产后…, not 项目一期…
_SPENT = re.compile(r"(?:已经?|累计|共)(?:完成|实际)?(?:投资|投入)|完成(?:固定资产)?投资")  # money spent so far
_CN_DIGITS = {"首": 1, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_UNITS = ("万千瓦时|千瓦时|万千瓦|千瓦|兆瓦|吉瓦|GWh|MWh|GW|MW|KW|kW|平方米|平米|立方米|万吨|吨|件|台套|台|套|辆|片|"
          "只|条|头|羽|亩|公里|千伏|kV|颗|张|支|株|盒|瓶|袋|箱")
_CAPACITY = re.compile(rf"(?:年产能?|年处理|年加工|年生产|日产|年出栏|年存栏|装机容量?|总装机)?"
                       rf"(\d+(?:\.\d+)?)\s*([万千百亿]?)\s*({_UNITS})(?:/年)?")
_TAIL = re.compile(r"(?:建设|新建|扩建|改扩建|技改|升级改造|改造)?(?:项目|工程|基地)$")
_HEAD = re.compile(r"^(?:山西省?|在|新建|建设|投资|(?:该|本)?公司|该)")  # 公司山西16GW…, 该集成电路…项目
_FIRM_SUFFIX = re.compile(r"(?:股份有限公司|有限责任公司|集团有限公司|集团股份|有限公司|股份公司|集团公司|集团|公司|"
                          r"股份|控股|科技|实业)$")
_LEGAL = re.compile(r"股份有限公司|有限责任公司|有限公司|集团公司")  # inside a name: 鸿远有限公司年产…项目
_BRACKETED = re.compile(r"[(（][^)）]{0,12}[)）]")
_PROVINCES = ("北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江", "安徽",
              "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆", "四川", "贵州",
              "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆", "香港", "澳门", "中国")


@dataclass
class Norm:
    """What linkage compares of one project record."""

    index: int
    id: str
    article_id: str
    name: str  # normalised
    raw_name: str
    label: str  # the normalised firm before the name when the name does not contain it
    firm: str  # normalised
    phase: int | None
    capacity: frozenset
    amount: float | None  # CNY investment in 亿, else None
    chain: str | None
    rank: int | None
    date: str | None
    counties: frozenset
    city: str | None
    zone: str | None
    sentence: int | None = None  # where the record's sentence starts in its article
    measure: str | None = None  # the amount's kind (investment, output, revenue…) when it has one
    of_project: int | None = None  # where its figure stands when the figure's clause opens with 项目 (项目达产后…)
    named_at: int | None = None  # where its name stands in its sentence


@functools.cache
def _place_prefixes() -> dict[str, tuple[str, ...]]:
    """Shanxi place names (full and safe short forms, zones) by first character, longest first."""
    from geo.places.gazetteer import load_gazetteer  # noqa: PLC0415 - the gazetteer is loaded once, on first use

    gz = load_gazetteer()
    names = {form for form, entries in gz.index.items()
             if len(form) >= 2 and any(e.place is not None and e.use in ("safe", "city") for e in entries)}
    names |= set(gz.zones)
    by_first: dict[str, list[str]] = defaultdict(list)
    for name in sorted(names, key=len, reverse=True):
        by_first[name[0]].append(name)
    return {ch: tuple(v) for ch, v in by_first.items()}


def _strip_places(text: str) -> str:
    prefixes = _place_prefixes()
    for _ in range(4):
        for prefix in prefixes.get(text[:1], ()):
            if text.startswith(prefix) and len(text) > len(prefix):
                text = text[len(prefix):]
                break
        else:
            break
    return text


def _text(value) -> str:
    return "" if is_missing(value) else unicodedata.normalize("NFKC", str(value))


def phase_of(name: str) -> int | None:
    """The phase a project name states (一期 → 1, 二期 → 2, 首期 → 1), else None."""
    m = _PHASE.search(_text(name))
    if not m:
        return None
    token = m.group(1)
    if token.isdigit():
        return int(token)
    if len(token) == 1:
        return _CN_DIGITS.get(token)
    return 10 + _CN_DIGITS.get(token[-1], 0) if token.startswith("十") else None


def phase_in_context(name, sentence, amount_text=None) -> int | None:
    """The phase of a record: stated in its name, else written right after the name in its sentence
    (晶科“年产56GW…项目”一期工程投产 → 1) or before it in its clause (首期工程将建设6GWh…生产线 → 1); for a
    nameless figure, written before the figure in its clause (一期投产后年产值约30亿元，二期…20亿元 → 1, 2)."""
    phase = phase_of(name)
    name, sentence, figure = _text(name), _text(sentence), _text(amount_text)
    if phase is not None:
        return phase
    anchor = name or figure
    if not anchor or anchor not in sentence:
        return None
    at = sentence.index(anchor)
    m = _PHASE_AFTER.match(sentence[at + len(anchor):]) if name else None
    if m:
        return phase_of(m.group(0))
    return phase_of(_CLAUSE.split(sentence[:at])[-1])


def _clause_before(sentence, amount_text) -> str | None:
    """The words of a figure's clause before it ("…，已经完成投资16亿元" → "已经完成投资"), None when not found."""
    sentence, figure = _text(sentence), _text(amount_text)
    if not figure or figure not in sentence:
        return None
    return _CLAUSE.split(sentence[:sentence.index(figure)])[-1]


def spent_so_far(sentence, amount_text) -> bool:
    """True when an investment figure is what has been spent so far, written after 已完成投资 / 累计完成投资 /
    已投资 in its clause ("项目总投资20亿元，已经完成投资16亿元"): progress, not a second project's investment."""
    return bool(_SPENT.search(_clause_before(sentence, amount_text) or ""))


def of_the_project(sentence, amount_text) -> int | None:
    """Where a figure stands in its sentence when its clause opens with 项目 / 该项目 ("…生产线，项目达产后年产值
    36亿元"): the figure is the project's the sentence named before it, not that of a line or plant named
    closer to it. None otherwise."""
    clause = _clause_before(sentence, amount_text)
    return _text(sentence).index(_text(amount_text)) if clause and _OF_PROJECT.match(clause) else None


def capacities(name: str) -> frozenset:
    """Capacity figures of a name as (value in base units, unit) pairs: 年产60万吨 → (600000, '吨')."""
    out = set()
    for value, scale, unit in _CAPACITY.findall(_text(name)):
        factor = {"万": 1e4, "千": 1e3, "百": 1e2, "亿": 1e8}.get(scale, 1)
        if unit.startswith("万") and len(unit) > 1:
            factor, unit = factor * 1e4, unit[1:]
        out.add((round(float(value) * factor, 3), unit))
    return frozenset(out)


def normalise_name(name) -> str:
    """A project name with quotes, phase, capacity figures, leading places and 项目/工程 removed."""
    return _normalise_name(_text(name))


@functools.lru_cache(maxsize=65536)
def _normalise_name(name: str) -> str:
    text = name
    text = _PHASE.sub("", text)
    text = _CAPACITY.sub("", text)
    text = _LEGAL.sub("", _QUOTES.sub("", text))
    text = re.sub(r"[()（）]", "", text)
    for _ in range(3):
        before = text
        text = _HEAD.sub("", _strip_places(text))
        text = _TAIL.sub("", text)
        if text == before:
            break
    return text


def normalise_firm(company) -> str:
    """A company name without legal suffixes, bracketed places and a leading province (山西/山东/中国…).

    Shanxi city names stay: 太原重工 and 大同重工 are different firms.
    """
    return _normalise_firm(_text(company))


@functools.lru_cache(maxsize=65536)
def _normalise_firm(company: str) -> str:
    text = _QUOTES.sub("", _BRACKETED.sub("", company))
    for _ in range(4):
        before = text
        text = _FIRM_SUFFIX.sub("", text)
        for province in _PROVINCES:
            if text.startswith(province) and len(text) > len(province) + 1:
                text = text[len(province):].lstrip("省市")
        if text == before:
            break
    return text


def _norms(frame: pd.DataFrame) -> list[Norm]:
    out = []
    for i, row in enumerate(frame.itertuples(index=False)):
        if row.kind != "project":
            continue
        spent = row.amount_kind == "investment" and spent_so_far(row.sentence, row.amount_text)
        invest = (row.amount_kind == "investment" and not is_missing(row.amount_yi) and not spent
                  and (is_missing(row.currency) or row.currency == "CNY") and float(row.amount_yi) > 0)
        own = _text(row.place_adcodes)
        counties = frozenset([row.county_adcode] if not is_missing(row.county_adcode)
                             else [a for a in own.split("|") if a and not a.endswith("00")]
                             if row.precision in ("site", "zone", "county") else [])
        city = None if is_missing(row.city_adcode) or row.precision == "province" else str(row.city_adcode)
        date = row.date if not is_missing(row.date) else row.article_date
        out.append(Norm(
            index=i, id=str(row.id), article_id=str(row.article_id), name=normalise_name(row.name),
            raw_name=_text(row.name), label=_label(normalise_name(row.name), normalise_firm(row.company)),
            firm=normalise_firm(row.company), phase=phase_in_context(row.name, row.sentence, row.amount_text),
            capacity=capacities(row.name), amount=float(row.amount_yi) if invest else None,
            chain=None if is_missing(row.chain) or row.chain == "其他" else str(row.chain),
            rank=STAGE_RANK.get(row.stage) if not is_missing(row.stage) else None,
            date=None if is_missing(date) else _pad(str(date)),
            counties=counties, city=city, zone=None if is_missing(row.zone) else str(row.zone),
            sentence=None if is_missing(row.sentence_start) else int(row.sentence_start),
            measure=None if is_missing(row.amount_yi) or is_missing(row.amount_kind)
            else "spent" if spent else str(row.amount_kind),
            of_project=None if is_missing(row.amount_yi) else of_the_project(row.sentence, row.amount_text),
            named_at=_text(row.sentence).find(_text(row.name)) if _text(row.name) else None))
    return _borrow_names(_project_figures(out))


_PROJECT_NAME = re.compile(r"(?:项目|工程)[”’\"'》」』)）]*$")  # a name the sentence gives as a project's


def _project_figures(norms: list[Norm]) -> list[Norm]:
    """A figure whose clause opens with 项目 ("X基地项目…计划建设四条年产15万吨…生产线…，项目达产后年产值36亿元")
    but which the extractor gave a nearer name that is no project's (the line) takes the name, firm and
    capacity of the one project its sentence names before it (…项目 / …工程), so the two group."""
    by_sentence: dict[tuple[str, int], list[Norm]] = defaultdict(list)
    for n in norms:
        if n.sentence is not None:
            by_sentence[(n.article_id, n.sentence)].append(n)
    for ns in by_sentence.values():
        projects = [m for m in ns if _PROJECT_NAME.search(m.raw_name)]
        if len({m.raw_name for m in projects}) != 1:
            continue
        ref = projects[0]
        for n in ns:
            if (n.of_project is not None and n.raw_name and not _PROJECT_NAME.search(n.raw_name)
                    and n.phase == ref.phase and ref.named_at is not None and 0 <= ref.named_at < n.of_project
                    and not (n.firm and ref.firm and _firm_ratio(n.firm, ref.firm) < SAME_FIRM)):
                n.name, n.raw_name, n.label, n.capacity = ref.name, ref.raw_name, ref.label, ref.capacity
                n.firm, n.named_at = n.firm or ref.firm, ref.named_at
    return norms


def _borrow_names(norms: list[Norm]) -> list[Norm]:
    """Records named only by a phase or a capacity ("一期", "山西16GW项目") take the name of the project of
    their article they refer to: the one named record sharing their capacity, or, with no capacity, the
    article's one named project. Their own phase and capacity stay; an empty firm takes that record's."""
    by_article: dict[str, list[Norm]] = defaultdict(list)
    for n in norms:
        by_article[n.article_id].append(n)
    for article in by_article.values():
        named = [n for n in article if n.name]
        for n in article:
            if n.name or not n.raw_name or (n.phase is None and not n.capacity):
                continue
            refs = [m for m in named if (m.capacity & n.capacity if n.capacity else True)
                    and not (m.firm and n.firm and _firm_ratio(m.firm, n.firm) < SAME_FIRM)]
            if len({m.name for m in refs}) != 1 or len({m.firm for m in refs} - {""}) > 1:
                continue
            n.name = refs[0].name
            n.firm = n.firm or next((m.firm for m in refs if m.firm), "")
            n.label = _label(n.name, n.firm)
    return norms


def sentence_groups(norms: list[Norm]) -> list[list[int]]:
    """Records of one sentence that are one project, grouped before any pair across articles is scored.

    The extractor writes one record per amount, so "X项目总投资10亿元，达产后年产值20亿元、利税2亿元" gives
    three records of one project. They are grouped when the sentence holds at most one figure of each
    kind and at most one distinct name (as written: 6GWh… and 4GWh… differ), firm, phase and place; a
    sentence with two names (a list) or two figures of one kind (two projects, or a project and its
    phase: 一期…年产值30亿元，二期…20亿元) is left alone. Two sentences naming one project are not
    grouped here: a name repeated in one article is as often the whole project and its first phase (tried
    on the linkage gold set: precision fell, recall did not rise); `article_groups` joins them only
    with the article's nameless figures.
    """
    by_sentence: dict[tuple[str, int], list[int]] = defaultdict(list)
    for pos, n in enumerate(norms):
        if n.sentence is not None:
            by_sentence[(n.article_id, n.sentence)].append(pos)
    groups = []
    for members in by_sentence.values():
        if _one_sentence_project([norms[p] for p in members]):
            groups.append(members)
            continue
        # else the project a figure's clause refers to (项目达产后…) and its figures, when they are one
        named = {norms[p].raw_name for p in members
                 if norms[p].of_project is not None and _PROJECT_NAME.search(norms[p].raw_name)}
        own = [p for p in members if norms[p].raw_name in named]
        if len(named) == 1 and _one_sentence_project([norms[p] for p in own]):
            groups.append(own)
    return groups


def _one_sentence_project(ns: list[Norm]) -> bool:
    """Records of one sentence that are one project: one name, firm, phase and place, one figure of each kind."""
    return (len(ns) > 1 and len({n.raw_name for n in ns} - {""}) <= 1 and len({n.firm for n in ns} - {""}) <= 1
            and len({n.phase for n in ns} - {None}) <= 1 and _one_figure_each(ns)
            and len({n.counties for n in ns} - {frozenset()}) <= 1)


def _nameless(n: Norm) -> bool:
    return not n.name and not n.capacity and n.phase is None and n.measure in PROJECT_FIGURES


def _one_figure_each(ns: list[Norm]) -> bool:
    measures = [n.measure for n in ns if n.measure]
    return len(measures) == len(set(measures))


def _same_works(a: Norm, b: Norm) -> bool:
    """Two named records of one article that name one project: firms and names alike, capacities shared."""
    if a.capacity and b.capacity and not a.capacity & b.capacity:
        return False
    if a.firm and b.firm and _firm_ratio(a.firm, b.firm) < SAME_FIRM:
        return False
    if a.name and b.name:
        return (fuzz.ratio(a.name, b.name) >= SAME_FIRM or fuzz.partial_ratio(a.name, b.name) >= SAME_FIRM
                or _abbreviated(a, b))
    return bool(a.capacity & b.capacity)


def article_groups(norms: list[Norm], units: list[list[int]]) -> list[list[int]]:
    """Records of one article that are one project although no sentence names it twice.

    `units` are the sentence groups and the other records, one list each. A unit is nameless when its
    records have no name, capacity or phase and only a project's own figures ("该项目总投资…", "全部达产后
    年产值…"). When the article's named units without a phase all name one project (firms and names alike:
    one inside the other, or an abbreviation; a nameless unit's firm theirs) and they and the nameless
    units hold at most one figure of each kind, they are one project; its named phases ("一期开工") stay
    projects of their own, and a figure of a phase carries that phase (`phase_in_context`) (an article without a nameless figure is
    left to the other rules: joining its named records alone cost precision on the linkage gold set,
    +2 right pairs for +2 wrong ones). Otherwise each run of nameless units not
    separated by a named one is one project when it holds one figure of each kind and at most one firm:
    "项目总投资30亿元…" then "项目投产后年销售收入104亿元、纳税3.4亿元". Two nameless investments (a total and a
    phase, a total and the amount spent) or figures on both sides of another project stay apart. And the
    records of one phase are one project when they hold one figure of each kind, one firm and names
    alike: "首期工程将建设6GWh…生产线" and "该项目一期投产后年产值可达约30亿元，二期…20亿元"'s 30亿元.
    """
    by_article: dict[str, list[list[int]]] = defaultdict(list)
    for unit in units:
        by_article[norms[unit[0]].article_id].append(unit)
    out = []
    for article_units in by_article.values():
        if len(article_units) < 2:
            continue
        article_units.sort(key=lambda u: norms[u[0]].sentence or 0)
        out += _phase_groups(norms, article_units)
        nameless = [all(_nameless(norms[p]) for p in u) for u in article_units]
        if not any(nameless):
            continue
        named = [u for u, bare in zip(article_units, nameless) if not bare]
        bare_units = [u for u, bare in zip(article_units, nameless) if bare]
        whole = [u for u in named if all(norms[p].phase is None for p in u)]  # phases are their own projects
        if whole and _one_project(norms, whole, bare_units):
            out.append([p for u in whole + bare_units for p in u])
            continue
        run: list[list[int]] = []
        for unit, bare in [*zip(article_units, nameless), ([], False)]:
            if bare:
                run.append(unit)
                continue
            if len(run) > 1 and _one_project(norms, [], run):
                out.append([p for u in run for p in u])
            run = []
    return out


def _phase_groups(norms: list[Norm], units: list[list[int]]) -> list[list[int]]:
    """An article's units of one phase that are one project: one figure of each kind, one firm, names alike."""
    by_phase: dict[int, list[list[int]]] = defaultdict(list)
    for unit in units:
        phases = {norms[p].phase for p in unit}
        if len(phases) == 1 and None not in phases:
            by_phase[phases.pop()].append(unit)
    out = []
    for phased in by_phase.values():
        ns = [norms[p] for u in phased for p in u]
        if (len(phased) > 1 and len({n.firm for n in ns} - {""}) <= 1 and _one_figure_each(ns)
                and all(_same_works(a, b) for i, a in enumerate(ns) for b in ns[i + 1:] if a.name and b.name)):
            out.append([p for u in phased for p in u])
    return out


def _one_project(norms: list[Norm], named: list[list[int]], nameless: list[list[int]]) -> bool:
    """True when an article's named and nameless units can be one project (article_groups)."""
    ns = [norms[p] for u in named for p in u]
    bare = [norms[p] for u in nameless for p in u]
    firms = {n.firm for n in bare} - {""}
    return (len(firms) <= 1 and _one_figure_each(ns + bare) and all(n.phase is None for n in ns)
            and all(_same_works(a, b) for i, a in enumerate(ns) for b in ns[i + 1:])
            and all(_firm_ratio(a.firm, f) >= SAME_FIRM for a in ns for f in firms))


def _firm_ratio(a: str, b: str) -> float:
    return max(fuzz.ratio(a, b), fuzz.partial_ratio(a, b) if min(len(a), len(b)) >= 2 else 0)


def _label(name: str, firm: str) -> str:
    return name if not firm or firm in name else firm + name


def abbreviates(short: str, long: str) -> bool:
    """True when `short` (≥ 4 characters) is written inside `long` as an abbreviation: its characters in
    order within a stretch at most twice its length (泰山玻纤 in 泰山玻璃纤维高性能…)."""
    if len(short) < 4 or len(long) < len(short):
        return False
    best = None
    for start, ch in enumerate(long):
        if ch != short[0]:
            continue
        pos = start
        for want in short[1:]:
            pos = long.find(want, pos + 1)
            if pos < 0:
                break
        else:
            span = pos - start + 1
            best = span if best is None else min(best, span)
    return best is not None and best <= 2 * len(short)


def _pad(date: str) -> str:
    date = date[:10]
    return date + "-01-01" if len(date) == 4 else date + "-01" if len(date) == 7 else date


def _shingles(text: str) -> set[str]:
    if not text:
        return set()
    if len(text) <= SHINGLE:
        return {text}
    return {text[i:i + SHINGLE] for i in range(len(text) - SHINGLE + 1)}


def place_compatible(a: Norm, b: Norm) -> bool:
    """Same county (or overlapping zone counties), a city and a place inside it, or a side without place."""
    if a.counties and b.counties:
        return bool(a.counties & b.counties)
    if a.city and b.city:
        return a.city == b.city
    return True


def candidate_pairs(norms: list[Norm]) -> set[tuple[int, int]]:
    """Pairs (positions in `norms`) sharing a shingle of name or firm, from different articles, placed alike."""
    blocks: dict[str, list[int]] = defaultdict(list)
    bins: dict[int, list[int]] = defaultdict(list)
    for pos, n in enumerate(norms):
        keys = _shingles(n.name) | _shingles(n.firm) | {n.name[:2]} - {""}
        if len(n.firm) >= 2:
            keys.add("firm:" + n.firm)  # a short firm (中来, 华为) has no 3-character shingle
        if n.amount is not None and n.amount >= DISTINCT_AMOUNT:
            keys.add(f"amount:{n.amount:.2f}")  # two reports of one large investment
            bins[math.floor(math.log(n.amount) / math.log1p(AMOUNT_BIN))].append(pos)
        for key in keys:
            blocks[key].append(pos)
    pairs, seen = set(), set()
    # a nameless report of a large investment, rounded or not (39.94亿 / 40亿), meets every record whose
    # amount is within AMOUNT_BIN of its own (two named records need a shared name or firm)
    for step, members in bins.items():
        near = members + bins.get(step - 1, []) + bins.get(step + 1, [])
        for p in members:
            if _nameless(norms[p]) and len(near) <= MAX_BLOCK:
                pairs |= {(min(p, q), max(p, q)) for q in near
                          if norms[q].article_id != norms[p].article_id and place_compatible(norms[p], norms[q])}
    for members in blocks.values():
        if len(members) < 2 or len(members) > MAX_BLOCK:
            continue
        for i, p in enumerate(members):
            a = norms[p]
            for q in members[i + 1:]:
                pair = (p, q) if p < q else (q, p)
                if pair in seen:
                    continue
                seen.add(pair)
                b = norms[q]
                if a.article_id != b.article_id and place_compatible(a, b):
                    pairs.add(pair)
    return pairs


def _abbreviated(a: Norm, b: Norm) -> bool:
    """One side's name is an abbreviation of the other's firm-and-name label (鸿远玻纤 / 鸿远玻璃纤维 + …)."""
    short, long = (a, b) if len(a.name) <= len(b.name) else (b, a)
    return abbreviates(short.name, long.label) or abbreviates(short.name, long.name)


def capacity_conflict(a: Iterable[tuple], b: Iterable[tuple]) -> bool:
    """True when two capacity sets ((value, unit) pairs of a record or a whole group) give one unit with
    no figure in common: 年产12万吨 here, 年产30万吨 there are two plants or phases of one product. The one
    rule for a pair of records (`score`) and for two groups joined through records without capacity."""
    a, b = set(a), set(b)
    return any(not {c for c in a if c[1] == unit} & {c for c in b if c[1] == unit}
               for unit in {u for _, u in a} & {u for _, u in b})


def _days(a: str, b: str) -> int:
    return (pd.Timestamp(a) - pd.Timestamp(b)).days


def score(a: Norm, b: Norm) -> float:
    """Points for "same project" (module docstring, step 4); -inf when phases or known firms differ."""
    if a.phase != b.phase:
        return float("-inf")  # two phases, or a phase and the whole project: two entities
    if capacity_conflict(a.capacity, b.capacity):
        return float("-inf")  # 年产12万吨 and 年产30万吨 of one product: two plants or phases
    points = 0.0
    if a.name and b.name:
        ratio = fuzz.ratio(a.name, b.name)
        partial = fuzz.partial_ratio(a.name, b.name) if min(len(a.name), len(b.name)) >= 3 else ratio
        if ratio >= 90:
            points += 3 if min(len(a.name), len(b.name)) >= SPECIFIC_NAME else 2
            points += a.name == b.name and len(a.name) >= DISTINCT_NAME  # a long name written alike: +1
        elif partial >= 90 or _abbreviated(a, b):
            points += 2
        elif max(ratio, partial) >= 70:
            points += 1
        elif max(ratio, partial) < 50:
            points -= 2
    if a.firm and b.firm:
        firm = _firm_ratio(a.firm, b.firm)
        if firm < 50:
            return float("-inf")  # two named firms that differ: two projects, whatever else agrees
        points += 2 if firm >= 90 else 1 if firm >= 75 else 0
    elif a.firm or b.firm:
        firm, other = (a.firm, b.raw_name) if a.firm else (b.firm, a.raw_name)
        if len(firm) >= 2 and fuzz.partial_ratio(firm, other) >= 90:
            points += 1
    if a.amount is not None and b.amount is not None:
        gap = abs(a.amount - b.amount) / max(a.amount, b.amount)
        points += 2 if gap <= 0.02 else 1 if gap <= 0.15 else -1 if gap <= 0.5 else -3
        if gap <= 0.005 and min(a.amount, b.amount) >= DISTINCT_AMOUNT:  # 560亿 and 560亿: rare by chance
            points += 1.5 if _unround(a.amount) and _unround(b.amount) else 1  # 91亿 and 91亿: rarer still
    if a.capacity and b.capacity:
        points += 1 if a.capacity & b.capacity else -2
    if a.counties and b.counties or (a.zone and a.zone == b.zone):
        points += 1
    elif not (a.city or a.counties) or not (b.city or b.counties):
        points -= 1
    if a.chain and b.chain:
        points += 0.5 if a.chain == b.chain else -0.5  # chains are read from each sentence: often noisy
    if a.rank is not None and b.rank is not None and a.date and b.date and a.rank != b.rank:
        early, late = (a, b) if a.rank < b.rank else (b, a)
        if _days(early.date, late.date) > ORDER_SLACK_DAYS:
            points -= 3
    return points


def _unround(amount: float) -> bool:
    """True when an amount is off the round grid of plans (91亿, 39.94亿; not 30亿, 55亿, 100亿)."""
    return abs(amount / ROUND_AMOUNT - round(amount / ROUND_AMOUNT)) > 1e-6


@dataclass
class _Cluster:
    members: list[int]
    reports: dict[str, list[Norm]]  # its records by article
    phases: set[int]
    counties: frozenset
    cities: set[str]
    capacity: set = field(default_factory=set)  # (value, unit) of its members

    @classmethod
    def of(cls, n: Norm, pos: int) -> _Cluster:
        return cls([pos], {n.article_id: [n]}, {n.phase} - {None}, n.counties, {n.city} - {None}, set(n.capacity))

    def can_join(self, other: _Cluster) -> bool:
        if self.phases != other.phases or capacity_conflict(self.capacity, other.capacity):
            return False  # 年产12万吨 here, 年产30万吨 there, joined through a record with no capacity
        if self.counties and other.counties and not self.counties & other.counties:
            return False
        if len(self.cities | other.cities) > 1:
            return False
        return all(_one_article_project(self.reports[a], other.reports[a])
                   for a in self.reports.keys() & other.reports.keys())

    def absorb(self, other: _Cluster) -> None:
        self.members += other.members
        for article, reports in other.reports.items():
            self.reports.setdefault(article, []).extend(reports)
        self.phases |= other.phases
        self.counties = (self.counties & other.counties if self.counties and other.counties
                         else self.counties or other.counties)
        self.cities |= other.cities
        self.capacity |= other.capacity


def _one_article_project(mine: list[Norm], theirs: list[Norm]) -> bool:
    """True when two groups' records of one article can be one project: each side names it (a nameless
    side is a list item's figure), every name of one side is the other's (alike, one inside the other or
    an abbreviation; firms alike; capacities shared) and the two hold at most one figure of each kind.
    Records of one article are otherwise never joined through other articles: list items are distinct."""
    named = [n for n in mine if n.name], [n for n in theirs if n.name]
    return (all(named) and _one_figure_each(mine + theirs)
            and all(_same_works(a, b) for a in named[0] for b in named[1]))


@dataclass
class Override:
    """An analyst's decision from the corrections log: merge two records' entities, or split one out."""

    action: str  # merge | split
    record_id: str
    other_id: str | None = None


@dataclass
class Linkage:
    """The result: record id → project_uid for every project record, and the scored links."""

    uids: dict[str, str] = field(default_factory=dict)
    links: list[tuple[str, str, float]] = field(default_factory=list)  # accepted pairs, best first
    compared: int = 0  # candidate pairs scored


def link(frame: pd.DataFrame, overrides: Iterable[Override] = ()) -> Linkage:
    """Link the project records of `frame` (a records frame; COLUMNS are read) into entities."""
    missing = [c for c in COLUMNS if c not in frame.columns and c not in _OPTIONAL]
    if missing:
        raise ValueError(f"records frame lacks column(s) {missing}")
    frame = frame.assign(**{c: None for c in _OPTIONAL if c not in frame.columns})
    norms = _norms(frame[COLUMNS])
    pairs = candidate_pairs(norms)
    scored, near = [], []
    for p, q in pairs:
        s = score(norms[p], norms[q])
        if s >= LINK_SCORE:
            scored.append((s, p, q))
        elif s >= LIST_SCORE:
            near.append((s, p, q))
    scored.sort(key=lambda t: (-t[0], norms[t[1]].id, norms[t[2]].id))
    near.sort(key=lambda t: (-t[0], norms[t[1]].id, norms[t[2]].id))
    owner = list(range(len(norms)))
    clusters = {pos: _Cluster.of(n, pos) for pos, n in enumerate(norms)}
    links = []
    sentences = sentence_groups(norms)
    grouped = {p for g in sentences for p in g}
    units = sentences + [[p] for p in range(len(norms)) if p not in grouped]
    for members in sentences + article_groups(norms, units):
        root = owner[members[0]]
        for m in members[1:]:
            if owner[m] != root:
                other = owner[m]
                for x in clusters[other].members:
                    owner[x] = root
                clusters[root].absorb(clusters.pop(other))
                links.append((norms[members[0]].id, norms[m].id, LINK_SCORE))
    items = list_items(norms)
    for s, p, q in scored + near:  # near pairs after every link: a list's other items are linked by then
        a, b = owner[p], owner[q]
        if a == b or (s < LINK_SCORE and not _reprinted(items, owner, p, q)) or not clusters[a].can_join(clusters[b]):
            continue
        if len(clusters[a].members) < len(clusters[b].members):
            a, b = b, a
        for m in clusters[b].members:
            owner[m] = a
        clusters[a].absorb(clusters.pop(b))
        links.append((norms[p].id, norms[q].id, s))
    groups = {root: [norms[m].id for m in c.members] for root, c in clusters.items()}
    groups = _replay(groups, {n.id: owner[pos] for pos, n in enumerate(norms)}, overrides)
    dates = {n.id: n.date or "9999" for n in norms}
    uids = {}
    for members in groups.values():
        uid = project_uid(min(members, key=lambda r: (dates.get(r, "9999"), r)))
        uids.update(dict.fromkeys(members, uid))
    return Linkage(uids=uids, links=links, compared=len(pairs))


def list_items(norms: list[Norm]) -> dict[int, list[list[int]]]:
    """For each record whose name its sentence holds, that sentence's items: its records by name (one list
    per distinct name, in the order the sentence names them)."""
    by_sentence: dict[tuple[str, int], dict[str, list[int]]] = defaultdict(dict)
    for pos, n in enumerate(norms):
        if n.sentence is not None and n.raw_name and n.named_at is not None and n.named_at >= 0:
            by_sentence[(n.article_id, n.sentence)].setdefault(n.raw_name, []).append(pos)
    out = {}
    for names in by_sentence.values():
        ordered = sorted(names.values(), key=lambda ps: norms[ps[0]].named_at)
        for positions in ordered:
            out.update(dict.fromkeys(positions, ordered))
    return out


def _reprinted(items: dict[int, list[list[int]]], owner: list[int], p: int, q: int) -> bool:
    """True when p and q stand at one rank of two lists of LIST_ITEMS or more projects whose other items are
    already linked item for item (one list reprinted: "承担A、B和C三个项目" / "承担A、B和C′三个项目")."""
    la, lb = items.get(p), items.get(q)
    if la is None or lb is None or len(la) != len(lb) or len(la) < LIST_ITEMS:
        return False
    rank = next(i for i, ps in enumerate(la) if p in ps)
    return (q in lb[rank] and all(owner[x[0]] == owner[y[0]] for i, (x, y) in enumerate(zip(la, lb)) if i != rank))


def _replay(groups: dict, owner: dict, overrides: Iterable[Override]) -> dict:
    """Apply analysts' merges and splits in log order; records unknown to this frame are skipped."""
    groups = {k: list(v) for k, v in groups.items()}
    fresh = max(groups, default=0) + 1
    for o in overrides:
        if o.record_id not in owner or (o.action == "merge" and o.other_id not in owner):
            continue
        if o.action == "split":
            root = owner[o.record_id]
            if len(groups[root]) > 1:
                groups[root].remove(o.record_id)
                groups[fresh] = [o.record_id]
                owner[o.record_id] = fresh
                fresh += 1
        elif o.action == "merge":
            a, b = owner[o.record_id], owner[o.other_id]
            if a != b:
                for r in groups[b]:
                    owner[r] = a
                groups[a] += groups.pop(b)
    return groups


def project_uid(record_id: str) -> str:
    """The stable id of an entity whose earliest member is `record_id`."""
    return "p-" + hashlib.sha1(record_id.encode("utf-8")).hexdigest()[:12]
