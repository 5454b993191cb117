"""Project site from place mentions: most specific mention, not a venue, not inside a company name."""
from __future__ import annotations

import bisect
import functools
import logging
import re
from dataclasses import dataclass, replace

from geo.places.gazetteer import load_gazetteer
from geo.places.mentions import find_mentions
from geo.models import Mention, Place, Record
from .sentences import Sentence

log = logging.getLogger("geo.extract")

PRECISION_RANK = {"site": 0, "zone": 1, "county": 2, "city": 3, "province": 4}  # most specific first
# Events held at the project's own site, and events held wherever suits (see is_venue).
_ON_SITE = re.compile(r"开工|奠基|动工|开建|投产|竣工|落成")
_OFF_SITE = re.compile(r"签约|推介|招商|洽谈|博览|论坛|对接|发布")
# "在太原举办", "在XX开发区主会场举行": the mention is where an event happened, not a site.
_VENUE_AFTER = re.compile(r"[^，。,；;]{0,6}?(?:举行|举办|召开|开幕|落幕|进行)")


def find_place_mentions(text: str) -> list[Mention]:
    """Shanxi place mentions (geo.places.mentions)."""
    return find_mentions(text)


def is_venue(text: str, m: Mention) -> bool:
    """True when the mention is an event venue (在太原举办…)."""
    # "在" right before the mention (as re's 在$ would also accept "在\n"), checked without
    # rescanning the text from its start.
    if text.startswith("主会场", m.end) and text[m.start - 1:m.start] in ("与", "同", "和", "跟"):
        return True  # 与太原主会场同步举行: the province's main venue, not the projects' site
    before = text.endswith("在", 0, m.start) or text.endswith("在\n", 0, m.start)
    if not (before and _VENUE_AFTER.match(text, m.end)):
        return False
    # A groundbreaking or start of production held somewhere happens at the site (…开工奠基仪式
    # 在忻州市举行); a signing or promotion is held wherever suits (…签约仪式在太原举行).
    lead = text[max(0, m.start - 40):m.start]
    lead = lead[max(lead.rfind("。"), lead.rfind("\n")) + 1:]
    return not (_ON_SITE.search(lead) and not _OFF_SITE.search(lead))


_RANK_AFTER = re.compile(r"级|首[条家个座台批套]|第一|唯一|最大|最长|最高")
_RANK_FIRST = frozenset("级首第唯最")  # first characters of _RANK_AFTER: most mentions need no regex


def is_rank(text: str, m: Mention) -> bool:
    """True when the mention names an administrative rank (晋中市级"链主"企业, 太原市级重点项目) or
    a first or largest of its kind (打造长治市首条锂电材料生产线: the city is a yardstick, not a site)."""
    return text[m.end:m.end + 1] in _RANK_FIRST and _RANK_AFTER.match(text, m.end) is not None


_LINK_BEFORE = re.compile(r"(?:连接|连通|通往|直通|直达|[东西南北]至)$")
_LINK_AFTER = re.compile(r"(?:连在一起|连为一体|相连|连通|互联互通)")
_LINK_LINE = re.compile(r"(?:市|县|区)?(?:联络线|连接线)")  # 高速公路太原联络线: the line to 太原


def is_link(text: str, m: Mention) -> bool:
    """True when the mention is where a road or line leads (连接太原, 与太原连在一起, 东至X, 太原联络线): an
    end of the work, not its site."""
    before = text[max(0, m.start - 2):m.start]
    if _LINK_BEFORE.search(before) or _LINK_LINE.match(text, m.end):
        return True
    return text[m.start - 1:m.start] in ("与", "和", "同") and _LINK_AFTER.match(text, m.end) is not None


def usable(text: str, m: Mention) -> bool:
    """A mention that can be a project site: resolved, not in a company name, not a venue,
    not a rank (晋中市级…: the level of an award or list, not where the firm is), not a link's end."""
    return (m.place is not None and m.via != "company" and not is_venue(text, m) and not is_rank(text, m)
            and not is_link(text, m))


def best_mention(text: str, mentions: list[Mention], lo: int, hi: int, venues: bool = False) -> Mention | None:
    """Most specific usable mention within text[lo:hi]; ties go to the last one before hi.

    With `venues=True` event venues count too (used only as a last resort in context).
    """
    best, best_key = None, None
    for m in mentions:
        if not (lo <= m.start and m.end <= hi):
            continue
        if usable(text, m) or (venues and m.place is not None and m.via != "company"):
            key = (PRECISION_RANK.get(m.place.precision, 5), -m.start)
            if best_key is None or key < best_key:
                best, best_key = m, key
    return _zone_narrowed_by_county(text, best, mentions, hi)


def _zone_narrowed_by_county(text: str, zone: Mention | None, mentions: list[Mention], hi: int) -> Mention | None:
    """A zone written with a county or town of its city right after it (临汾经济开发区洪洞县甘亭镇, 晋城经济技术
    开发区巴公镇) lies there: the zone keeps its name, the county is the one written, also where the zone's
    table host is another (a zone's later extension, a park in a neighbouring county)."""
    if zone is None or zone.place is None or zone.place.precision != "zone":
        return zone
    for m in mentions:
        if (zone.end <= m.start <= zone.end + 1 and m.end <= hi and m.place is not None
                and m.place.precision == "county" and m.via != "company" and usable(text, m)
                and m.place.city_adcode == zone.place.city_adcode and m.place.adcode != zone.place.adcode):
            p = m.place
            return replace(zone, place=replace(zone.place, adcode=p.adcode, adcodes=(p.adcode,), county=p.county),
                           note=(zone.note + "; " if zone.note else "") + f"narrowed to {p.adcode} by {m.text}")
    return zone


@dataclass
class PlaceContext:
    """Mentions of one article plus its sentences, for site look-ups with fallback."""

    text: str
    sentences: list[Sentence]
    mentions: list[Mention]

    def __post_init__(self) -> None:
        # Sorted by start (stable, so equal starts keep their order) for range look-ups.
        self._by_start = sorted(self.mentions, key=lambda m: m.start)
        self._starts = [m.start for m in self._by_start]
        # Sentence index -> absolute spans of its list items: their places never serve as
        # context for other sentences (set by the extractor as it goes).
        self.item_spans: dict[int, tuple] = {}

    def mentions_in(self, lo: int, hi: int) -> list[Mention]:
        """The mentions starting in [lo, hi), by start."""
        return self._by_start[bisect.bisect_left(self._starts, lo):bisect.bisect_left(self._starts, hi)]

    def _best(self, lo: int, hi: int, venues: bool = False, exclude: tuple = ()) -> Mention | None:
        """best_mention over the mentions starting in [lo, hi) only, none inside an `exclude` span."""
        found = self.mentions_in(lo, hi)
        if exclude:
            found = [m for m in found if not any(a <= m.start < b for a, b in exclude)]
        return best_mention(self.text, found, lo, hi, venues)

    def _firm_county(self, lo: int, hi: int, exclude: tuple) -> Mention | None:
        """The first county heading a local firm's name (孝义市鹏飞集团) in [lo, hi), none inside an `exclude` span."""
        for m in self.mentions_in(lo, hi):
            if (m.via == "company" and m.place is not None and m.place.precision == "county"
                    and not any(a <= m.start < b for a, b in exclude)):
                return m
        return None

    def _common_city(self, m: Mention, sent: Sentence) -> Mention | None:
        """For a site borrowed from another sentence: when that sentence names several counties
        of one city (平鲁区、山阴县、怀仁市、右玉县设分会场), none of them is this record's site;
        the city, if named there, is. None when that does not apply."""
        if m.place.precision != "county":
            return None
        here = [x for x in self.mentions_in(sent.start, sent.end) if usable(self.text, x)]
        counties = {x.place.adcode for x in here if x.place.precision == "county"}
        if len(counties) < 2:
            return None
        cities = [x for x in here if x.place.precision == "city" and x.place.adcode[:4] == m.place.adcode[:4]]
        same_city = all(c[:4] == m.place.adcode[:4] for c in counties)
        return cities[-1] if cities and same_city else None

    def listed_counties(self, m: Mention, sent: Sentence) -> Mention | None:
        """For a batch whose site is one county of a list of counties closed by 等 (广灵县、兴县、岚县等18个
        贫困县): the batch is theirs together, so its site is their one city if they share one, else
        the province. None when `m` is no such county."""
        if m.place is None or m.place.precision != "county" or "等" not in sent.text:
            return None
        here = [x for x in self.mentions_in(sent.start, sent.end) if x.place is not None]
        run = [m]
        for x in reversed([x for x in here if x.end <= m.start]):  # the counties before it, joined by 、
            if self.text[x.end:run[0].start] != "、" or x.place.precision != "county":
                break
            run.insert(0, x)
        after = self.text[m.end:m.end + 1]
        if len(run) < 2 or after not in ("等", "、"):
            return None
        return _common_place(m, run)

    @staticmethod
    def items_counties(m: Mention, sites: list[Mention]) -> Mention | None:
        """For a batch whose site is the county of one of the projects its sentence lists before it
        (小店区的A、清徐县的B等3个项目): when those projects lie in two or more counties, the batch is
        theirs together — their one city, else the province. None otherwise."""
        if m.place is None or m.place.precision != "county":
            return None
        run = [x for x in sites if x.place.precision == "county"]
        if len({x.place.adcode for x in run}) < 2 or m.place.adcode not in {x.place.adcode for x in run}:
            return None
        return _common_place(m, run)

    def finer_in_context(self, index: int, city: str) -> Mention | None:
        """A county or zone of `city` named in sentence `index` (or by a 该区/我县 reference) or in the
        earlier sentences of its paragraph and the paragraph before, else in the headline; None if
        there is none. For a project whose place is a city only (华电大同热电储能工程 in a paragraph
        about 云冈区)."""
        sent = self.sentences[index]
        if not self.fallback_allowed(index):
            return None

        def finer(m: Mention | None) -> bool:
            return (m is not None and m.place is not None and m.place.precision in ("county", "zone")
                    and m.place.city_adcode == city and len(m.place.adcodes) <= 1)

        m = self._deictic(sent)
        if finer(m):
            return m
        # A county or zone of the city later in the same sentence (太原惠科…项目在太原市阳曲县…投产),
        # not inside another item of a list.
        m = self._best(sent.start, sent.end, exclude=self.item_spans.get(index, ()))
        if finer(m):
            return m
        for j in range(index - 1, -1, -1):
            prev = self.sentences[j]
            if prev.paragraph < sent.paragraph - 1:
                break
            m = self._best(prev.start, prev.end, False, self.item_spans.get(j, ())) or self._deictic(prev, whole_province=False)
            if m is not None:
                return m if finer(m) and not self._common_city(m, prev) else None
        if index > 0 and self.sentences and self.sentences[0].paragraph == 0:
            # The headline's county or zone (山西长治高新区全方位推动高质量发展): the article's subject.
            m = self._headline_best()
            if finer(m):
                return m
        return self.officials_county(sent, city)

    def officials_county(self, sent: Sentence, city: str | None = None) -> Mention | None:
        """The one county of `city` whose officials or government take part in the event of `sent`'s
        paragraph (…项目正式开工。市长出席…，孝义市委书记主持): the ceremony is held where the project is.
        Any city's county when `city` is None. None when none, or officials of several counties, are named there."""
        para = [s for s in self.sentences if s.paragraph == sent.paragraph]
        found = {m.place.adcode: m for s in para for m in self.mentions_in(s.start, s.end)
                 if m.place is not None and m.place.precision == "county" and city in (None, m.place.city_adcode)
                 and _OFFICIAL_AFTER.match(self.text, m.end)}
        return found.popitem()[1] if len(found) == 1 else None

    def _headline_best(self) -> Mention | None:
        first = self.sentences[0]
        return self._best(first.start, first.end)

    def site(self, index: int, lo: int, hi: int, context: bool = True,
             exclude: tuple = (), project: bool = False) -> tuple[Mention | None, str]:
        """_site(…), and for a project placed only in a city, the county or zone of that city the
        text is about there (finer_in_context): 大同 inside 华电大同热电储能工程, 晋城市 as the signing
        party say less than that; a batch or stat of the city stays the city's. A project placed nowhere takes the
        one county whose officials take part in its event (officials_county)."""
        m, source = self._site(index, lo, hi, context, exclude, project)
        if project and m is not None and m.place.precision == "city":
            m = self.finer_in_context(index, m.place.city_adcode) or m
        elif project and m is None and context and self.fallback_allowed(index):
            m = self.officials_county(self.sentences[index])
            source = "officials" if m is not None else source
        return m, source

    def _site(self, index: int, lo: int, hi: int, context: bool, exclude: tuple,
              project: bool) -> tuple[Mention | None, str]:
        """Site for a record in sentence `index` anchored in [lo, hi) (absolute offsets).

        Order: the record's own segment (unless it names only the province), the whole sentence, a
        county heading a local firm's name (孝义市鹏飞集团), earlier sentences of the same paragraph
        (nearest first), the two previous paragraphs, then the headline (first line); a sentence
        about an unnamed firm (某企业) stops at its own paragraph, else stays unresolved.
        With `context=False` (statistics) only the sentence itself and 我市-style references count.
        `exclude` holds the spans of the other items of a list in the sentence: their places are
        theirs, never this record's. With `project`, an earlier sentence's or the headline's 山西 is
        passed over for a finer place further back.
        Returns (mention, source) with source in segment/sentence/deictic/firm/paragraph/context/title/later/none.
        """
        sent = self.sentences[index]
        own = self._best(lo, hi, exclude=exclude)
        if own and own.place.precision != "province":
            return own, "segment"
        # A county heading a local firm in the record's own words (…以及盂县坤宁煤业120万吨矿井工程) says more
        # than a place or 全市 elsewhere in the sentence.
        m = self._firm_county(lo, hi, exclude)
        if m:
            return m, "firm"
        # 山西 alone in the segment (often the head of a firm's name) yields to a county or zone
        # elsewhere in the sentence (汾阳杏花村经济开发区内的山西…酒庄…项目).
        m = self._best(sent.start, sent.end, exclude=exclude)
        if m and m.place.precision != "province":
            return m, "segment" if m is own else "sentence"
        # The province alone in the sentence (山西尚太锂电…, 加快山西新材料产业集群…) says least of
        # all: a 该县 here or a place the text was about before says more, if there is one.
        province = (m, "segment" if m is own else "sentence") if m else None
        m = self._deictic(sent)
        if m and project and m.place.precision == "province":
            # 我省首个…, 为全省…: for a project the province is the weakest site, as above.
            province = province or (m, "deictic")
        elif m:
            return m, "deictic"
        if not context:
            return province or (None, "none")
        # A local firm named after its county (孝义市鹏飞集团, 沁水县某公司) with no other place in
        # the sentence builds there, rather than wherever the paragraphs before were about.
        m = self._firm_county(sent.start, sent.end, exclude)
        if m:
            return m, "firm"
        same_paragraph_only = not self.fallback_allowed(index)
        earlier = []
        for j in range(index - 1, -1, -1):
            if self.sentences[j].paragraph < sent.paragraph - (0 if same_paragraph_only else 2):
                break  # paragraphs only grow along the text
            earlier.append(j)
        # Venues of earlier sentences are a last resort: an event held in a Shanxi zone usually
        # concerns projects there (…"三个一批"活动在XX示范区举行。XX项目…).
        for venues in (False, True):
            for j in earlier:
                prev = self.sentences[j]
                m = self._best(prev.start, prev.end, venues, self.item_spans.get(j, ()))
                if (venues and m is not None and _PROVINCIAL_EVENT.search(self.text, prev.start, m.start)
                        and _OFF_SITE.search(self.text, prev.start, m.start)):
                    m = None  # 山西省…项目对接会在太原举行: the province's signing, held in its capital, places no project
                m = (m and (self._common_city(m, prev) or self.listed_counties(m, prev))) or m or self._deictic(
                    prev, whole_province=False)
                if m:
                    found = (m, "paragraph" if prev.paragraph == sent.paragraph else "context")
                    if project and m.place.precision == "province":
                        # For a project the province is the weakest site: look further back first
                        # (a region's figure, a stat, may well be the province's).
                        province = province or found
                        continue
                    return found
        if self.sentences and index > 0 and not same_paragraph_only:
            m = self._headline_best()
            if m and not (project and m.place.precision == "province"):
                return m, "title"
            province = province or ((m, "title") if m else None)
        if project and not same_paragraph_only and (province is None or province[0].place.precision == "province"):
            # Announcements state the site after the deal (三、投资标的 … 工程位于山阴县西北…); a report the
            # project's place after its event (…项目举行投产仪式。该项目位于山西长治潞州区…): finer than 山西.
            for later in self.sentences[index + 1:]:
                if later.paragraph > sent.paragraph + 3:
                    break
                if "位于" in later.text:
                    m = self._best(later.start + later.text.index("位于"), later.end)
                    if m:
                        return m, "later"
        return province or (None, "none")

    def _deictic(self, sent: Sentence, whole_province: bool = True) -> Mention | None:
        """我市/该市/全市 → the nearest earlier city mention (我县… → county, 我省/全省… → province;
        the province needs no earlier mention: these articles are all about Shanxi). With
        `whole_province=False` (earlier sentences) 全省 is skipped: there it often names an
        event (全省开发区…活动在XX举行) whose venue says more about the projects."""
        for pattern, kinds, char in _DEICTIC:
            found = char in sent.text and pattern.search(sent.text)
            if found and (whole_province or "全省" not in found.group()):
                for m in reversed(self.mentions):
                    if (m.end <= sent.start and m.place is not None and m.place.kind in kinds
                            and usable(self.text, m)):
                        return m
                if kinds == ("province",):
                    word = found.group().lstrip("，,：:；")
                    return _province_mention(sent.start + found.end() - len(word), word)
        return None

    def fallback_allowed(self, index: int) -> bool:
        """False for a sentence about an unnamed firm (某企业…, 一家公司…): an indefinite subject
        is new to the text, so places of earlier paragraphs or the headline say nothing about it."""
        return not _INDEFINITE.search(self.sentences[index].text)


_PROVINCIAL_EVENT = re.compile(r"山西省|全省|省委|省政府")
# A county's officials or government right after its name: 孝义市委书记, 平遥县县长, 清徐县委副书记, 榆次区人民政府.
_OFFICIAL_AFTER = re.compile(r"[县区市]?(?:委(?:常委|副?书记)|[县区市]长|(?:人民)?政府)")

_DEICTIC = (
    (re.compile(r"[我该本全]市"), ("city",), "市"),
    (re.compile(r"[我该本全]县"), ("county",), "县"),
    (re.compile(r"[我该本]区(?!域|别|位)"), ("county", "zone"), "区"),
    # 全省 as the subject of a clause (2023年全省开发区营收…) is province-wide; 占全省95%,
    # 是全省重大项目 compare with or rank in the province and say nothing of the site.
    (re.compile(r"[我该本]省|(?:^|[，,：:；])(?:\d{4}年|今年|去年|上半年|前三季度|一季度)?全省"), ("province",), "省"),
)
_INDEFINITE = re.compile(r"(?:某|一家|有家)[\u4e00-\u9fff]{0,6}?(?:企业|公司|集团|厂)")


@functools.cache
def _shanxi() -> Mention | None:
    """The province's own mention (for 全省/我省 with no earlier 山西 in the text)."""
    found = find_mentions("山西省")
    return found[0] if found and found[0].place is not None and found[0].place.kind == "province" else None


def _province_mention(start: int, text: str) -> Mention | None:
    shanxi = _shanxi()
    if shanxi is None:
        return None
    return Mention(start, start + len(text), text, shanxi.place, via="context")


def only_county(mentions: list[Mention]) -> Mention | None:
    """A mention of the one county an article names (a firm's home county heading its name, 孝义鹏飞集团,
    included), else None."""
    counties = {m.place.adcode: m for m in mentions if m.place is not None and m.place.kind == "county"}
    return next(iter(counties.values())) if len(counties) == 1 else None


def home_city(mentions: list[Mention]) -> str | None:
    """The city an article is about: the city named most often (a county or zone counting for its
    city); None when there is no city or a tie."""
    counts: dict[str, int] = {}
    for m in mentions:
        if m.place is not None and m.via != "company" and m.place.city_adcode:
            counts[m.place.city_adcode] = counts.get(m.place.city_adcode, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


_OWN_CITY = re.compile(r"[我本]市")


# A city's own district named bare (郊区职业高中 in a 阳泉 article): not after a word that makes
# it an ordinary noun (城市郊区, 近郊区) nor before 的.
_BARE_DISTRICT = re.compile(r"(?<![城市近远老新和])(城区|矿区|郊区)(?!的|域|外|内|居民|人口)")


@functools.cache
def _CITIES_WITH_BARE_DISTRICTS() -> frozenset[str]:  # noqa: N802 - a constant, computed once
    return frozenset(e.place.city_adcode for w in ("城区", "矿区", "郊区")
                     for e in load_gazetteer().index.get(w, ()) if e.place is not None)


# A zone named only by its kind (高新区的立讯…, 在经开区): the article's own city's zone of that kind,
# looked up as city short name + word (长治 + 高新区). Only after a separator or a preposition, so
# 全市开发区 (all of them), plain 开发区 and longer names (屯留开发区, found by the mention finder) stay out.
_BARE_ZONE = re.compile(r"(?:^|(?<=[，,、。；;：:（(“\s在于的和与及括有是为至到入户驻]))(高新区|经开区|经济技术开发区|高新技术产业开发区|开发区)")


def headline_county(title: str, mentions: list[Mention], home: str | None) -> Place | None:
    """The county or zone a headline is about: the one county or zone of the article's city named in it
    (平遥县招商…, 平遥经开区：…), None when it names none or several."""
    if not title or home is None:
        return None
    named = {m.place for m in mentions if m.end <= len(title) and m.place is not None and m.via != "company"
             and m.place.city_adcode == home and m.place.kind in ("county", "zone")}
    return named.pop() if len(named) == 1 else None


_ZONE_WORD_FORMS = {"高新区": ("高新区", "高新技术产业开发区"), "高新技术产业开发区": ("高新技术产业开发区", "高新区"),
                    "经开区": ("经开区", "经济技术开发区", "经济开发区", "开发区")}
_ZONE_WORD_FORMS["经济技术开发区"] = _ZONE_WORD_FORMS["开发区"] = _ZONE_WORD_FORMS["经开区"]


@functools.lru_cache(maxsize=256)  # the gazetteer does not change: look each county's short forms up once
def _county_zone(place: Place, word: str) -> Place | None:
    """The zone a bare zone word names in an article about one county or zone (`place`): that zone
    if its name ends in a form of the word; the county's own zone of that kind (屯留 + 经开区), else the
    county itself: in an article about one county a bare 经开区 is that county's (each county has had one
    since the 2019 reform). None for a zone of another kind (a 高新区 in an article about an 经开区)."""
    forms = _ZONE_WORD_FORMS.get(word, (word,))
    if place.kind == "zone":
        return place if place.full_name.endswith(forms) else None
    gazetteer = load_gazetteer()
    shorts = [place.full_name] + [s for s, es in gazetteer.index.items() if len(s) >= 2 and any(
        e.place == place and e.via == "short" for e in es)]
    for short in shorts:
        for form in forms:
            zones = {e.place for e in gazetteer.index.get(short + form, ()) if e.place is not None and e.place.kind == "zone"}
            if len(zones) == 1:
                return zones.pop()
    return place


def home_districts(text: str, mentions: list[Mention], home: str | None, county: Place | None = None) -> list[Mention]:
    """Mentions of 城区/矿区/郊区 standing alone, read as the article's own city's district when
    that city has one of that name (the mention finder leaves them out: they are common words), and
    of bare zone words (高新区, 经开区) read as the article's city's zone of that kind, or, when the
    headline is about one county or zone of it (`county`), as that county's zone or that zone."""
    if home is None:
        return []
    gazetteer = load_gazetteer()
    taken = [(m.start, m.end) for m in mentions]
    out = []
    if home in _CITIES_WITH_BARE_DISTRICTS() and any(w in text for w in ("城区", "矿区", "郊区")):
        for hit in _BARE_DISTRICT.finditer(text):
            if any(a < hit.end() and hit.start() < b for a, b in taken):
                continue
            places = [e.place for e in gazetteer.index.get(hit.group(1), ())
                      if e.place is not None and e.place.city_adcode == home]
            if len(places) == 1:
                out.append(Mention(hit.start(), hit.end(), hit.group(1), places[0], (), "context",
                                   f"district of the article's city {home}"))
    city = gazetteer.by_adcode.get(home) if "区" in text else None
    for hit in _BARE_ZONE.finditer(text) if city is not None else ():
        if any(a < hit.end() and hit.start() < b for a, b in taken):
            continue
        place = _county_zone(county, hit.group(1)) if county is not None else None
        if place is not None:
            out.append(Mention(hit.start(), hit.end(), hit.group(1), place, (), "context",
                               f"zone of the headline's {county.kind} {county.full_name}"))
            continue
        if hit.group(1) == "开发区":
            continue  # a city has several: plain 开发区 names one only in an article about one county or zone
        word = _short_city(home) + hit.group(1)
        places = {e.place for e in gazetteer.index.get(word, ()) if e.place is not None and e.place.kind == "zone"}
        if not places:  # a zone the table lacks, named in full elsewhere in the text (阳泉高新区)
            places = {m.place for m in mentions if m.text == word and m.place is not None and m.place.kind == "zone"}
        if len(places) == 1:
            out.append(Mention(hit.start(), hit.end(), hit.group(1), places.pop(), (), "context",
                               f"zone of the article's city {home}"))
    return sorted(out, key=lambda m: m.start)


def narrow_zone(mention: Mention | None, sentence_mentions: list[Mention], home: str | None,
                sentence: str, text: str = "") -> Mention | None:
    """A zone spanning several cities (综改示范区) narrowed to the part in one city: the city a
    place of the same sentence names, else the article's own city when the sentence says 我市
    (位于我市的综改示范区) or the article names its part of the zone (综改示范区太原片区,
    太忻一体化经济区(太原区));
    unchanged otherwise."""
    if mention is None or mention.place is None or mention.place.kind not in ("zone", "area"):
        return mention
    p = mention.place
    cities = {a[:4] + "00" for a in p.adcodes}
    if len(cities) < 2:
        return mention
    named = [m.place.city_adcode for m in sentence_mentions
             if m is not mention and m.place is not None and m.via != "company" and m.place.city_adcode in cities]
    city = named[-1] if named else home if home in cities and _OWN_CITY.search(sentence) else None
    if city is None and home in cities and text:
        short = _short_city(home)
        # The article names its part (综改示范区太原片区, 太忻一体化经济区(太原区)).
        parts = (short + "片区", f"({short}区)", f"（{short}区）")
        city = home if any(w in text for w in parts) else None
    if city is None:
        return mention
    hosts = tuple(a for a in p.adcodes if a.startswith(city[:4]))
    ref = next((m.place for m in sentence_mentions if m.place is not None and m.place.adcode == city), None)
    by_adcode = load_gazetteer().by_adcode
    one = by_adcode.get(hosts[0]) if len(hosts) == 1 else None  # the zone's one host county in that city
    narrowed = replace(p, adcodes=hosts, city_adcode=city,
                       city=ref.city if ref else p.city or by_adcode[city].full_name,
                       adcode=hosts[0] if len(hosts) == 1 else city,
                       county=one.full_name if one is not None else None)
    return replace(mention, place=narrowed, note=(mention.note + "; " if mention.note else "") + f"narrowed to {city}")


def _short_city(adcode: str) -> str:
    """A city's name without 市 (阳泉市 → 阳泉), as it heads its zones and parts (阳泉高新区, 太原片区)."""
    return load_gazetteer().by_adcode[adcode].full_name.removesuffix("市")


_PLACE_FIELDS = ("place_text", "precision", "lon", "lat", "county_adcode", "county", "city_adcode", "city",
                 "zone", "place_adcodes")


def copy_place(dst: Record, src: Record) -> None:
    """Give `dst` the place `src` has (every field apply_place sets), lists copied."""
    for name in _PLACE_FIELDS:
        value = getattr(src, name)
        setattr(dst, name, list(value) if isinstance(value, list) else value)


def apply_place(record: Record, mention: Mention | None) -> None:
    """Copy the place of `mention` onto the record; no mention leaves it 'unresolved'."""
    if mention is None or mention.place is None:
        record.precision = "unresolved"
        return
    p = mention.place
    record.place_text = mention.text
    record.precision = p.precision if p.precision in PRECISION_RANK else "unresolved"
    record.lon, record.lat = p.lon, p.lat
    if p.county:
        record.county_adcode, record.county = p.adcode, p.county
    record.city_adcode, record.city = p.city_adcode, p.city
    record.zone = p.full_name if p.kind == "zone" else None
    record.place_adcodes = list(p.adcodes) or ([p.adcode] if p.county else [])


def _common_place(m: Mention, run: list[Mention]) -> Mention | None:
    """The one city of the places in `run`, at `m`'s position; the province if they lie in several."""
    if len({x.place.city_adcode for x in run}) == 1 and m.place.city:
        found = find_mentions(m.place.city)  # the counties' one city (大同市阳高县、天镇县…等)
        if found and found[0].place is not None and found[0].place.precision == "city":
            return Mention(m.start, m.end, m.text, found[0].place, via="context")
    return _province_mention(m.start, m.text)


def common_place(sites: list[Mention]) -> Mention | None:
    """The one city of `sites` (counties, zones, cities), at the first one's position; the province if
    they lie in several cities; None if none is known."""
    sites = [x for x in sites if x.place is not None and x.place.city_adcode]
    if not sites:
        return None
    return _common_place(sites[0], sites)
