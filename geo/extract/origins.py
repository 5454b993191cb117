"""Investor origin of a record: company-name prefix, known-firm headquarters, article context.

Regions are guangdong / jingjinji / yangtze_delta / other. A Shanxi firm or a Shanxi prefix is
not an external origin: origin is None (the same as "unknown"), so maps of inflows never show
Shanxi investing in itself.
"""
from __future__ import annotations

import bisect
import functools
import logging
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from geo.places import regions
from geo.places.gazetteer import load_gazetteer
from geo.errors import GazetteerError
from geo.places.tables import read_table
from .chains import chain_labels
from .lexicon import Lexicon, anchored_finditer

log = logging.getLogger("geo.extract")

COMPANIES_CSV = Path(__file__).resolve().parent.parent / "data" / "companies.csv"
_COLUMNS = ("name", "aliases", "hq_city", "hq_province", "region", "strict", "source", "chain")
_REGIONS = ("guangdong", "jingjinji", "yangtze_delta", "other", "shanxi")
_SHANXI_PREFIXES = ("山西", "晋")

# A company name: a run of name characters ending in a legal/organisational suffix.
_COMPANY_RE = re.compile(
    r"[\u4e00-\u9fffA-Za-z0-9（）()]{2,30}?"
    r"(?:(?:控股)?(?:集团)?(?:股份有限公司|有限责任公司|有限公司|股份公司|公司)|(?:控股)?集团|控股)"
)
# Words that cannot be inside a company name: a name starts after the last of them.
_NAME_BREAK = re.compile(
    r".*(开发区|经开区|高新区|示范区|产业园|园区|工业园|厂区|基地|新城|专业镇|引进|推动|走进|依托|随[着著]|"
    r"例如|包括|其中|组织|带领|举办|举行|召开|主办|承办|签约|签署|签订|考察|调研|会见|参观|走访|前往|来到|携手|"
    # adverbs and verbs that open a clause (目前公司…, 打通XX集团…), a parent's 子公司 before the name
    r"目前|眼下|当前|如今|同时|现阶段|此外|另外|通过|提升|扩大|推进|加快|加速|打通|助力|帮助|成立|设立|组建|子公司|"
    r"\d+[年月日号]|[在与和及由是的对向为从将已被把让给于以了等、])"
)
_ZONE_FIRM = re.compile(r"(?:建设|开发|投资|运营|管理|发展|实业)+(?:集团)?(?:有限责任公司|有限公司|股份有限公司)$")
# Words for a firm's role, not its name (项目公司, 合资公司): no firm of their own.
_ROLE_FIRMS = frozenset(("项目公司", "合资公司", "平台公司", "母公司", "子公司", "分公司", "该公司", "本公司",
                         "该集团", "本集团", "新公司"))
_ROLE_LEAD = re.compile(r"^(?:全资|控股|参股|其)")
# Firms named by place + trade word without a legal suffix (惠州宁德新能源, 浙江蓝能…能源).
_TRADE = r"(?:新能源|能源|科技|电池|材料|汽车|电子|电器|实业|控股|制药|药业|化工|钢铁|重工|机械|光电|智能)"
# Strict aliases (short or common words such as 美的, 360) need a company-like neighbour.
_STRICT_AFTER = re.compile(r"(集团|公司|股份|控股|汽车|电器|等|、|，|,|在|投资|与|和|落户|项目)")


@dataclass(frozen=True)
class Company:
    """A well-known firm and where it is headquartered."""

    name: str
    aliases: tuple[str, ...]
    hq_city: str
    hq_province: str
    region: str
    strict: bool
    chain: str | None = None  # the firm's dominant industry chain, for records naming no keyword


@dataclass(frozen=True)
class CompanySpan:
    """A company name found in text, with the known firm it matches (if any)."""

    start: int
    end: int
    text: str
    known: Company | None = None


@functools.cache
def load_companies(path: Path = COMPANIES_CSV) -> tuple[Company, ...]:
    """Read and validate companies.csv; raise GazetteerError quoting a bad row."""
    out = []
    for line, row in read_table(path, _COLUMNS):
        if row["region"] not in _REGIONS or not row["name"] or not row["hq_city"]:
            raise GazetteerError(f"{path}:{line}: bad row {row!r}")
        if not row["source"]:
            raise GazetteerError(f"{path}:{line}: row {row['name']!r} has no source")
        chain = row["chain"] or None
        if chain is not None and chain not in chain_labels():
            raise GazetteerError(f"{path}:{line}: row {row['name']!r} has unknown chain {chain!r}")
        aliases = tuple(a for a in row["aliases"].split("|") if a)
        out.append(Company(row["name"], aliases, row["hq_city"], row["hq_province"], row["region"],
                           row["strict"] == "1", chain))
    return tuple(out)


@functools.cache
def _alias_index() -> tuple[tuple[str, Company], ...]:
    pairs = [(alias, c) for c in load_companies() for alias in (c.name, *c.aliases)]
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


@functools.cache
def _alias_lexicon() -> Lexicon:
    return Lexicon(alias for alias, _ in _alias_index())


@functools.cache
def _name_lexicon() -> Lexicon:
    return Lexicon(_regions()[1])


# Tails of the firm patterns "<origin place><tail>", tried where a place name starts:
# 广东XX新能源, "广州一家环保企业" / "一家天津企业" (an unnamed firm whose origin is stated), 粤港企业.
_FIRM_TAILS = (
    re.compile(rf"[\u4e00-\u9fff]{{2,8}}?{_TRADE}"),
    re.compile(r"(?:的)?(?:一家|某|多家|几家|部分)[\u4e00-\u9fff]{0,8}?(?:企业|客商)"),
    re.compile(r"(?:企业|客商)"),
)
_SHANXI_FIRM = re.compile(rf"(?:山西|晋(?![城中]市))[\u4e00-\u9fff]{{2,8}}?{_TRADE}")


@functools.cache
def _unnamed_firm_re() -> re.Pattern | None:
    names = _regions()[1]
    if not names:
        return None
    alt = "|".join(re.escape(n) for n in names)
    return re.compile(rf"(?:一家|某)(?:{alt})(?:企业|公司)")


# Every _FIRM_TAILS match ends in a trade word or 企业/客商 that starts at most 11 characters after
# the place name: only the text just before those words needs the name automaton.
# (A flat alternation of words, so re can skip ahead by first character.)
_TAIL_END = re.compile(_TRADE[3:-1] + "|企业|客商")
_TAIL_REACH = 11


def _names_before_tails(text: str, tail_end: re.Pattern = _TAIL_END,
                        reach: int = _TAIL_REACH) -> list[tuple[int, int, tuple[int, ...]]]:
    """The name lexicon's occurrences in text that a _FIRM_TAILS match could follow.

    A superset of those (every occurrence within reach before a tail word), so
    Lexicon.prefixed gives the same matches as with all occurrences, at a fraction of the cost.
    Other tails: `tail_end` finds the words that end their matches, which start at most
    `reach` characters after the name.
    """
    names = _name_lexicon()
    back = reach + max(names.lengths, default=0)
    windows: list[list[int]] = []
    for m in tail_end.finditer(text):
        lo, hi = max(0, m.start() - back), m.end()
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = hi
        else:
            windows.append([lo, hi])
    out = []
    for lo, hi in windows:
        out.extend(names.occurrences(text, lo, hi))
    return out


_SUFFIX_WORD = re.compile(r"公司|集团|控股")
_RUN_BREAK = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9（）()]")
_SUFFIX_REACH = 40


def _suffixed_names(text: str) -> list[re.Match]:
    """_COMPANY_RE.finditer(text), scanning only runs of name characters holding a suffix word
    (every match ends with 公司/集团/控股, at most 40 characters after its start)."""
    return anchored_finditer(_COMPANY_RE, text, _SUFFIX_WORD, _RUN_BREAK, _SUFFIX_REACH, ends_at_anchor=True)


def find_companies(text: str) -> list[CompanySpan]:
    """Company names in text: suffixed names (…有限公司, …集团) and well-known firms.

    Spans do not overlap; a suffixed name that contains a known firm carries that firm.
    """
    return _companies_and_aliases(text)[0]


def _companies_and_aliases(text: str) -> tuple[list[CompanySpan], list[tuple[int, int, tuple[int, ...]]]]:
    """find_companies(text), and the alias lexicon's occurrences in text it was built from."""
    spans: list[CompanySpan] = []
    for m in _suffixed_names(text):
        start = m.start()
        brk = _NAME_BREAK.match(text, start, m.end() - 2)
        if brk and _ZONE_FIRM.match(text, brk.end(), m.end()) and text[brk.end() - 1] in "园区城":
            # 翟店工业园建设开发有限公司: a zone's own developer keeps the zone in its name.
            brk = _NAME_BREAK.match(text, start, brk.start(1))
        if brk:
            start = brk.end()
        if m.end() - start >= 3 and _ROLE_LEAD.sub("", text[start:m.end()]) not in _ROLE_FIRMS:
            spans.append(CompanySpan(start, m.end(), text[start:m.end()]))
    unnamed = _unnamed_firm_re()
    if unnamed is not None:
        names = _name_lexicon()
        occ = _names_before_tails(text)
        starts = names.by_start(occ)
        found = [names.prefixed(text, tail, starts=starts) for tail in _FIRM_TAILS] if occ else [[], [], []]
        if "一家" in text or "某" in text:
            found.append([(*m.span(), "") for m in unnamed.finditer(text)])
        for hits in found:
            for s, e, _ in hits:
                if not any(x.start < e and s < x.end for x in spans):
                    spans.append(CompanySpan(s, e, text[s:e]))
    for m in _SHANXI_FIRM.finditer(text):
        if not any(s.start < m.end() and m.start() < s.end for s in spans):
            spans.append(CompanySpan(m.start(), m.end(), m.group()))
    index = _alias_index()
    occurrences = _alias_lexicon().occurrences(text)
    out = []
    spans = _join_branches(sorted(spans, key=lambda s: s.start), text)
    for span in spans:
        # The known firm is the highest-priority alias inside the span (Lexicon.first_in(span.text)).
        inside = [idx[0] for s, e, idx in occurrences if span.start <= s and e <= span.end]
        known = index[min(inside)][1] if inside else None
        out.append(CompanySpan(span.start, span.end, span.text, known))
    # Longest alias first, each alias's occurrences left to right, as a scan alias by alias would.
    hits = sorted((i, start, end) for start, end, idx in occurrences for i in idx)
    consumed: dict[int, int] = {}
    for i, hit_start, hit_end in hits:
        if hit_start < consumed.get(i, 0):
            continue  # overlaps the previous occurrence of the same alias (re.finditer skips it)
        consumed[i] = hit_end
        company = index[i][1]
        if any(s.start <= hit_start < s.end for s in out):
            continue
        if company.strict and not _strict_ok(text, hit_start, hit_end):
            continue
        start = _origin_prefix_start(text, hit_start)
        out.append(CompanySpan(start, hit_end, text[start:hit_end], company))
    return sorted(out, key=lambda s: s.start), occurrences


def _join_branches(spans: list[CompanySpan], text: str) -> list[CompanySpan]:
    """A branch right after its parent (…露天煤业股份有限公司 + 山西分公司) is one firm: the parent's."""
    out: list[CompanySpan] = []
    for span in spans:
        if out and out[-1].end == span.start and span.text.endswith(("分公司", "子公司")):
            prev = out.pop()
            span = CompanySpan(prev.start, span.end, text[prev.start:span.end])
        out.append(span)
    return out


def companies_by_sentence(text: str, bounds: list[tuple[int, int]]) -> tuple[list[CompanySpan], Sequence[list[CompanySpan]]]:
    """find_companies(text) and, for each (start, end) in `bounds`, find_companies(text[start:end])
    — computed from one pass over text; each sentence's list is built on first access.

    A company span rarely crosses a sentence boundary (punctuation, white space), so a
    sentence's companies are the text's companies inside it, shifted. Sentences where that may
    not hold are searched on their own: a span of the text crosses one of their ends (…。）广州…),
    or an alias ends the sentence (strict aliases are accepted at the end of a string).
    """
    whole, alias_occurrences = _companies_and_aliases(text)
    return whole, _SentenceCompanies(text, bounds, whole, {end for _, end, _ in alias_occurrences})


class _SentenceCompanies(Sequence):
    """The per-sentence lists of companies_by_sentence, built lazily: most sentences hold no
    figure and are never asked for."""

    def __init__(self, text: str, bounds: list[tuple[int, int]], whole: list[CompanySpan], alias_ends: set[int]):
        self._text, self._bounds, self._whole, self._alias_ends = text, bounds, whole, alias_ends
        self._starts = [c.start for c in whole]
        self._reach: list[int] = []  # furthest end of the spans up to each index
        furthest = -1
        for c in whole:
            furthest = max(furthest, c.end)
            self._reach.append(furthest)
        self._done: dict[int, list[CompanySpan]] = {}

    def __len__(self) -> int:
        return len(self._bounds)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[k] for k in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if index not in self._done:
            self._done[index] = self._build(*self._bounds[index])
        return self._done[index]

    def _build(self, lo: int, hi: int) -> list[CompanySpan]:
        starts, reach = self._starts, self._reach
        i, j = bisect.bisect_left(starts, lo), bisect.bisect_left(starts, hi)
        crossing = (i > 0 and reach[i - 1] > lo) or (j > i and reach[j - 1] > hi)
        if crossing or hi in self._alias_ends:
            return find_companies(self._text[lo:hi])
        return [CompanySpan(c.start - lo, c.end - lo, c.text, c.known) for c in self._whole[i:j]]


def _origin_prefix_start(text: str, start: int) -> int:
    """Extend a known firm's span back over an origin place right before it (上海 + 申能)."""
    hit = _name_lexicon().longest_ending_at(text, start)
    return start - len(hit) if hit else start


def _strict_ok(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start else ""
    after_ok = bool(_STRICT_AFTER.match(text, end)) or end == len(text)
    before_ok = not before or not _is_cjk(before) or before in "、与和及引进由"
    return after_ok and before_ok


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def company_origin(company: CompanySpan) -> tuple[str | None, str | None]:
    """(origin_region, origin_place) from a company's name prefix, else its known headquarters.

    The most specific prefix wins (山东日照… → 日照市). Shanxi firms give (None, None), unless the
    name is a known group's from elsewhere after 山西 (山西中来… → the group's headquarters).
    """
    name = _INDEFINITE_PREFIX.sub("", company.text)
    if name.startswith(_SHANXI_PREFIXES):
        known = company.known
        if known is not None and known.region != "shanxi":
            # 山西中来光能…, 山西旭阳…: the Shanxi subsidiary of a group from elsewhere; the
            # money comes from the group's headquarters.
            return known.region, known.hq_city
        return None, None
    origin = _prefix_origin(name)
    if origin:
        known = company.known
        if known and known.region != "shanxi" and origin[1] == known.hq_province:
            return known.region, known.hq_city  # 江苏天合光能: the firm's HQ city is more specific
        return origin
    if company.known:
        if company.known.region == "shanxi":
            return None, None
        return company.known.region, company.known.hq_city
    return None, None


def name_origin(name: str) -> tuple[str | None, str | None]:
    """(origin_region, origin_place) of a project named after a place outside Shanxi (深圳紫辰星…项目)
    or after a known firm from elsewhere (百度云计算中心扩容项目, 山西中来年产16GW…项目, 临汾运达…项目: the
    brand heads the name, after Shanxi place words), else (None, None)."""
    origin = _prefix_origin(name)
    if origin:
        return origin
    known = _brand_heading(name)
    if known is not None and known.region != "shanxi":
        return known.region, known.hq_city
    return None, None


def _brand_heading(name: str) -> Company | None:
    """The known firm whose name or alias (two characters or more) starts `name`, or starts it once
    a Shanxi word heading it is set aside (山西, 临汾市, 临汾); None if none does."""
    words, lengths = _shanxi_head_words()
    heads = sorted({0} | {n for n in lengths if name[:n] in words})
    brands, lexicon = _brands()
    for pos in heads:
        brand = lexicon.longest_starting_at(name, pos)
        if brand is not None:
            return brands[brand]
    return None


@functools.cache
def _brands() -> tuple[dict[str, Company], Lexicon]:
    """{brand: firm} for the known firms' names and aliases and their brands (运达股份 → 运达), two
    characters or more, and a Lexicon of them (the longest one starting a name wins)."""
    brands = {alias: c for alias, c in _alias_index() if len(alias) >= 2}
    brands.update({_BRAND_TAIL.sub("", alias): c for alias, c in list(brands.items())
                   if len(_BRAND_TAIL.sub("", alias)) >= 2 and _BRAND_TAIL.sub("", alias) not in brands})
    return brands, Lexicon(brands)


_BRAND_TAIL = re.compile(r"(?:股份|集团|控股|科技|能源)$")


def _prefix_origin(name: str) -> tuple[str, str] | None:
    lookup = _regions()[0]
    best = None
    pos = 0
    # Walk successive prefixes: 山东 then 日照 in 山东日照兴业集团.
    while True:
        hit = _name_lexicon().longest_starting_at(name, pos)
        if not hit:
            break
        origin = lookup(hit)
        if origin is not None:
            best = (origin.region, origin.name)
        pos += len(hit)
    return best


@functools.cache
def _shanxi_head_words() -> tuple[frozenset[str], tuple[int, ...]]:
    """Words that may head a project name before its brand — 山西, 山西省, 晋 and Shanxi's city and county
    names, whole and without 市/县/区 (临汾市, 临汾, 孝义) — and their lengths."""
    gazetteer = load_gazetteer()
    names = {p.full_name for p in (*gazetteer.cities, *gazetteer.counties)}
    words = frozenset(names | {n[:-1] for n in names if len(n) >= 3} | {"山西省", "山西", "晋"})
    return words, tuple(sorted({len(w) for w in words}))


_INDEFINITE_PREFIX = re.compile(r"^(?:一家|某)")
_CUE_VERBS = r"(?:南下|北上|东进|西进|赴|到|前往|走进|奔赴|走进)"
_ABBREV = {"粤": "guangdong", "京": "jingjinji", "津": "jingjinji", "冀": "jingjinji",
           "沪": "yangtze_delta", "浙": "yangtze_delta", "苏": "yangtze_delta", "皖": "yangtze_delta",
           "台": "other", "港": "other", "澳": "other"}
# 粤企, 浙商, 台资 (Taiwan-funded), 港商; 晋粤两地. 京/津 stand alone too often (京津冀, 北京) to take 资.
_ABBREV_RE = re.compile(r"([粤京津冀沪浙苏皖台澳]|(?<!香)港)(?:企|商)(?!品|务|业|场|标|城|圈|铺|报)|([台澳]|(?<!香)港)资|"
                        r"晋([粤京津冀沪浙苏皖])(?:两地|合作|双方)")


_CUE_TAIL = re.compile(r"(?:企业|客商|商会)")
# A promotion aimed at a region's investors (珠三角招商引资推介会, 长三角地区经贸洽谈会): the projects it yields are theirs.
_EVENT_TAIL = re.compile(r"(?:地区)?(?:专场)?(?:招商引资|招商|投资|经贸|产业)?(?:项目)?(?:推介会|对接会|洽谈会|招商会|恳谈会|推介活动)")
_EVENT_TAIL_END = re.compile(r"推介会|对接会|洽谈会|招商会|恳谈会|推介活动")
# A word every cue holds (a verb, 承接, a venue verb, a tail word, an abbreviation): text with
# none of them, most sentences, needs no further search.
_ANY_CUE = re.compile(rf"{_CUE_VERBS}|承接|举行|举办|召开|{_CUE_TAIL.pattern}|{_EVENT_TAIL_END.pattern}|{_ABBREV_RE.pattern}")


@functools.cache
def _cue_patterns() -> tuple[re.Pattern, ...] | None:
    """Cue regexes that start with a fixed word, so the long name alternation is cheap."""
    names = _regions()[1]
    if not names:
        return None
    alt = "|".join(re.escape(n) for n in names)
    return (
        re.compile(rf"{_CUE_VERBS}({alt})"),
        re.compile(rf"承接({alt})[^，。,；]{{0,8}}产业转移"),
        re.compile(rf"在({alt})(?:举行|举办|召开)"),
    )


def article_origin(text: str) -> tuple[str | None, str | None]:
    """Origin the article as a whole points to, from cue phrases; (None, None) if unclear.

    Cues: a trip (南下广东, 赴长三角), a transfer (承接京津冀产业转移), an event venue
    (在广州举行), a promotion for a region's investors (珠三角招商引资推介会), firm/people abbreviations (粤企,
    浙商, 晋粤两地). One region must have
    most of the cues (more than all others together).
    """
    lookup = _regions()[0]
    patterns = _cue_patterns()
    if patterns is None or not _ANY_CUE.search(text):
        return None, None
    votes: Counter = Counter()
    places: dict[str, Counter] = {}
    hits = [m.group(1) for pat in patterns for m in pat.finditer(text)]
    occurrences = _names_before_tails(text, _CUE_TAIL, 0)  # only names right before the tail words
    hits += [name for _, _, name in _name_lexicon().prefixed(text, _CUE_TAIL, occurrences=occurrences)]
    if _EVENT_TAIL_END.search(text):
        occurrences = _names_before_tails(text, _EVENT_TAIL_END, 16)
        hits += [name for _, _, name in _name_lexicon().prefixed(text, _EVENT_TAIL, occurrences=occurrences)]
    for name in hits:
        origin = lookup(name)
        if origin is not None:
            votes[origin.region] += 1
            places.setdefault(origin.region, Counter())[origin.name] += 1
    for m in _ABBREV_RE.finditer(text):
        votes[_ABBREV[m.group(1) or m.group(2) or m.group(3)]] += 1
    if not votes:
        return None, None
    region, n = votes.most_common(1)[0]
    if n <= sum(votes.values()) - n:
        return None, None
    place = places[region].most_common(1)[0][0] if region in places else None
    return region, place


@functools.cache
def _regions():
    """(lookup, origin names longest first) from geo.places.regions."""
    names = tuple(sorted((n for n in regions.origin_names() if len(n) >= 2), key=len, reverse=True))
    return regions.lookup_origin, names
