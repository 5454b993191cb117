"""List finders: the items of an enumeration of projects, each a Span of the sentence.

Shapes: "A、B、C等项目" (find_list_names), "A、B、C等24个项目" (find_counted_list_items), "X项目，Y项目"
(find_item_names), "A、B和C三个项目" (find_joined_counted_items), "浑源50万千瓦、新荣33万千瓦"
(find_site_capacity_items), "A600万吨、B120万吨矿井建设" (find_capacity_head_items), "A240万吨洗煤和B200万吨洗煤厂项目"
(find_paired_capacity_items), "项目3项，具体为：A、B、C" (find_announced_list_items), "以A、B为代表的N个项目"
(find_led_list_items), "在A、B建设两个X产业园" (find_sited_counted_items), and numbered lines under a header about
projects (numbered_line_items).
"""
from __future__ import annotations

import re

from geo.places.mentions import find_mentions

from .amounts import parse_number
from .chains import classify_chain
from .lexicon import run_start
from .names import (CAPACITY, ITEM_CORE, LIST_VERB_LEAD, NAME_BREAK, NOT_IN_NAME, SECTOR_WORD, SUPERLATIVE, Span, is_generic,
                    trades_only)



# "A、B、C等项目" / "A、B、C项目": a list of projects sharing one 项目. Items are runs of name
# characters; the first one is cut after its last break word (随着美锦氢能 → 美锦氢能).
# Name characters, a decimal point or × between digits included (年产8.3万吨, 2×35万千瓦).
_CH = r"(?:[\u4e00-\u9fffA-Za-z0-9]|(?<=\d)[.×](?=\d))"  # 2×35万千瓦
_LIST = re.compile(rf"((?:{_CH}{{2,16}}、)+{_CH}{{2,24}}?)(等)?项目")
_LIST_ITEM = re.compile(rf"{_CH}+")
_DENG_CLASS = re.compile(r"等(?:重大|重点|重要|优质|产业|新)?")  # 等 closing a list, and the class it names
_COUNT_END = re.compile(r"(?:\d+|[一二两三四五六七八九十]+)[个项大]$")
# Advancing a listed set of projects (推进…等项目, …等项目的推进) marks them as real projects.
LIST_VERB = re.compile(r"推进|实施|建设|开工|动工|签约|投产|达产|下线|落地|落户|入驻|启动|竣工|开建|奠基")


def find_list_names(sentence: str) -> list[Span]:
    """Items of a project list ("推进A、B、C等项目"), each a Span.

    Every item must be a name, and most of them specific: naming a capacity, facility or
    product of a known chain (60万吨金属制品, 美锦氢能, 梗阳针状焦); the others may be plain
    names, a firm's short name plus its product (亚鑫溶剂). 新能源、新材料等项目 lists sectors, 财税奖励、土地奖励
    policies: no names.
    """
    if "、" not in sentence or "项目" not in sentence:
        return []
    out: list[Span] = []
    for m in _list_matches(sentence):
        items = []
        pos = m.start(1)
        for item in _LIST_ITEM.finditer(sentence, m.start(1), m.end(1)):
            start = item.start()
            brk = NAME_BREAK.match(sentence, start, item.end())
            if brk and item.start() == m.start(1):
                start = brk.end()
            if item.start() == m.start(1) and "项目" in sentence[start:item.end()]:
                start = sentence.rfind("项目", start, item.end()) + 2  # 代表项目年产8.3万吨…: after the class word
            items.append(Span(start, item.end(), sentence[start:item.end()]))
            pos = item.end()
        if pos != m.end(1) or len(items) < 2:
            continue
        for k, item in enumerate(items):
            more = _ITEM_MORE.search(item.text)
            if more:  # A、B、C等一批头部企业、核心链主项目: C ends the names, the rest describes them
                items = items[:k] + [Span(item.start, item.start + more.start(), item.text[:more.start()])]
                break
            cut = item.text.find("等")
            if k == len(items) - 1 and cut >= 2 and _DENG_CLASS.fullmatch(item.text, cut):
                items[k] = Span(item.start, item.start + cut, item.text[:cut])  # A、B、绿氢等重大项目: 绿氢
        else:
            items += _items_after(sentence, m.end())
        kinds = [_item_kind(i.text) for i in items]
        if (None not in kinds and kinds.count("specific") * 2 > len(kinds) and not trades_only([i.text for i in items])
                and not any(_CLUSTER.search(i.text) for i in items)):
            out.extend(items)
    return out


_LIST_RUN = re.compile(r"(?:[\u4e00-\u9fffA-Za-z0-9、]|(?<=\d)[.×](?=\d))*")
# The list goes on after its 项目 up to 等 and the clause's end (包括A、B项目、C等。): C is an item too.
_MORE_ITEMS = re.compile(r"((?:、[\u4e00-\u9fffA-Za-z0-9]{2,16})+)等(?=[，,。；;]|$)")


def _items_after(sentence: str, end: int) -> list[Span]:
    """The items that follow a list's 项目 up to a closing 等 (see _MORE_ITEMS), or none."""
    m = _MORE_ITEMS.match(sentence, end)
    if m is None:
        return []
    out, pos = [], m.start(1)
    for part in m.group(1).split("、")[1:]:
        pos += 1
        out.append(Span(pos, pos + len(part), part))
        pos += len(part)
    return out


# How far before its 项目 a list may begin: a longer run of names and 、 is no list of one sentence (and scanning
# it from every position would cost its length squared).
_LIST_REACH = 400


def _list_matches(sentence: str) -> list[re.Match]:
    """_LIST.finditer(sentence), scanning only the run of name characters and 、 before each 项目
    that has a 、 close before it (most 项目 have none)."""
    out: list[re.Match] = []
    done = 0
    backwards = sentence[::-1]  # for run_start
    p = sentence.find("项目")
    while p >= 0:
        nxt = sentence.find("项目", p + 2)
        if p < done or "、" not in sentence[max(done, p - 26):p]:
            p = nxt
            continue
        lo = max(done, run_start(_LIST_RUN, backwards, p), p - _LIST_REACH)
        m = None
        for m in _LIST.finditer(sentence, lo, p + 2):
            pass
        if m is not None and m.end() == p + 2 and not _COUNT_END.search(m.group(1)):
            out.append(m)  # (A、B和C三个项目: a counted list, see find_joined_counted_items)
            done = m.end()
        p = nxt
    return out


# What may follow a list of projects: a stage (A、B等储能项目顺利开工, A、B等项目落地见效).
_LIST_STAGE = r"(?:顺利|有序|加快|已|正式|相继|先后|陆续|全面|成功)?(?:开工|落地|投产|签约|推进|建设|达产|竣工|落户)"
_LIST_STAGED = re.compile(_LIST_STAGE)
_NUMBER = re.compile(r"\d+|[一二两三四五六七八九十百]+")
# "A、B、C等24个项目", "A、B、C等8个代表项目": a counted list whose items need not say 项目 each.
COUNTED_LIST = re.compile(r"等\s*(?:(?:\d+|[一二两三四五六七八九十百]+)\s*(?:个|项|大)(?:[^，,。；;、：:]{0,8}?|"
                          r"[^，,。；;：:]{2,20}?的[^，,。；;、：:的]{0,4}?)|[^，,。；;、：:]{2,16}?的(?:重点|重大|产业|工业)?|"
                          r"(?:重点|重大|大|产业|工业|一批|新兴|制造业|建设|在建|新建|[一二三四]期){0,2})(?:项目|工程)|"
                          r"等[^，,。；;、：:等]{0,14}?项目\s*(?:\d+|[一二两三四五六七八九十百]+)\s*[个项]|"
                          r"等(?:(?![为的在对向将把被由与和及是了人领导单位企业部门公司])[\u4e00-\u9fff]){2,4}?项目(?="
                          + _LIST_STAGE + ")")
# Where the items of a list begin: after a colon, a dash, or words that open an enumeration.
# An open bracket opens a list only when it is not closed within the piece (爱丁山(大同)离岸… is a name).
_LIST_OPENER = re.compile(r".*(?:[：:，,；;]|[（(](?![^）)，,。；;]*[）)])|——|—|的有|分别是|分别为|主要有|主要是|包括|涉及|有|"
                          r"设立在|设在|分别在)")
# 花卉产业集群、中药材种植等种养业一产投资项目18个: a list of sectors (an industry cluster, the primary/secondary/
# tertiary sector), not of projects.
_CLUSTER = re.compile(r"集群$|[一二三]产|种养业")
# Words that open the items of projects the sentence has already named (开工项目11个，主要包括A、B等项目;
# 重点项目有A、B、C等): the items are those projects.
_PROJECTS_OPEN = (r"(?<![该本此])项目[^。；;，,、]{0,12}?[，,]?(?:其中)?"
                  r"(?:主要包括|包括|主要有|主要是|分别是|分别为|主要为|(?<![拥具没含所])有)[：:]?")
_OPENS_PROJECTS = re.compile(_PROJECTS_OPEN + "$")
# Leading words of a list item that are not part of its name (——, 1., （2）, 一是, 以及 …).
_ITEM_LEAD = re.compile(r"(?:\s|——|—|[-·•●▪]|\d{1,2}[.．、)）]|[（(]\d{1,2}[)）]|[一二三四五六七八九十]+[是、]|"
                        r"[（(][一二三四五六七八九十]+[)）]|以及|及|和|与|的|了|有|其中|分别|签约|开工|投产|建设|新建|扩建|投建)+")
_ITEM_TAIL = re.compile(r"(?:等|\s)+$")
_ITEM_MORE = re.compile(r"等(?:一批|一大批|多家|多个|众多|\d|[一二两三四五六七八九十])")
_PIECE_SEP = re.compile(r"[，,；;：:]")
# An item ends at 项目 (一期…), or at 工程 where the item ends too (A项目、B工程施工现场).
_ITEM_END = re.compile(r"项目(?:[一二三四]期)?|工程(?=(?:(?:施工|建设)?现场)?(?:[，,；;：:、。]|等|$|(?:\d+|[一二两三四五六七八九十]+)个))")
# The number right after a list's last item (A项目，B工程，C工程3个分会场…): how many items it has.
_COUNT_AFTER = re.compile(r"(?:等|共)?(\d+|[一二两三四五六七八九十]+)个")
_ITEM_BOUNDARY = re.compile(r"项目(?:[一二三四]期)?(?:(?:施工|建设)?现场)?(?:[，,；;：:、。]|等|$|" + _LIST_STAGE + ")")
# Where an item's words may go on after its 项目 (分会场设在A项目施工现场、B项目施工现场).
_ITEM_SITE = re.compile(r"(?:施工|建设)?现场(?=、)")
# A round held at projects (主会场设立在X项目施工现场, 分会场设在…): the venues are projects.
_AT_VENUE = re.compile(r"会场(?:分别)?(?:设立|设|位)在|会场(?:分别)?设于")


def _place_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the Shanxi places named in `text`: a 和 or 及 inside one (和顺县) joins nothing."""
    return [(m.start, m.end) for m in find_mentions(text)]


def _in_place(k: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= k < b for a, b in spans)


def _item(sentence: str, start: int, end: int) -> Span | None:
    """sentence[start:end] as a list item, lead and tail words trimmed; None if nothing is left."""
    lead = _ITEM_LEAD.match(sentence, start, end)
    if lead and sentence[lead.end() - 1] in "和及" and _in_place(0, _place_spans(sentence[lead.end() - 1:end])):
        start = lead.end() - 1  # 和顺县…: the 和 begins a place's name, it joins nothing
    else:
        start = lead.end() if lead else start
    tail = _ITEM_TAIL.search(sentence, start, end)
    end = tail.start() if tail else end
    more = _ITEM_MORE.search(sentence, start, end)
    end = more.start() if more else end  # A、B、C等一批头部企业: C
    return Span(start, end, sentence[start:end]) if end - start >= 2 else None




def _trimmed(sentence: str, start: int, end: int) -> Span | None:
    """sentence[start:end] without spaces, dashes and a closing 等; None if fewer than two characters are left."""
    text = sentence[start:end]
    lo = start + len(text) - len(text.lstrip(" \u3000—-"))
    text = sentence[lo:end]
    hi = lo + len(_ITEM_TAIL.sub("", text.rstrip()))
    return Span(lo, hi, sentence[lo:hi]) if hi - lo >= 2 else None


def _after_clause(sentence: str, item: Span, shortest: int = 4) -> Span | None:
    """The part of `item` after its last clause word (该县, 为, 在 …), or None if fewer than `shortest`
    characters are left."""
    cut = None
    for cut in NOT_IN_NAME.finditer(item.text):
        pass
    if cut is None:
        return None
    start = item.start + cut.end()
    if sentence[start - 1] in "该本" and sentence[start:start + 1] in ("县", "市", "区"):
        start += 1
    return Span(start, item.end, sentence[start:item.end]) if item.end - start >= shortest else None


# A facility that a 、 closes inside an item (低碳硅芯产业园、某某一体化项目): a listed work of its own.
_FACILITY_LEAD = re.compile(r"[^、]{2,20}?(?:产业园|工业园|物流园|科技园|基地|工厂|电站|数据中心)(?=、)")


def _facility_lead(sentence: str, item: Span) -> list[Span]:
    """`item`, with the facilities its 、 close before the rest split off as items of their own
    (a product list such as 变压器、电感元器件项目 stays whole)."""
    out, start = [], item.start
    for m in _FACILITY_LEAD.finditer(sentence, item.start, item.end):
        if m.start() != start or not _name_like(m.group()):
            break
        out.append(Span(m.start(), m.end(), m.group()))
        start = m.end() + 1
    rest = sentence[start:item.end]
    if not out or "、" in rest or len(rest) > 40 or not _name_like(rest) or any(_item_kind(ITEM_CORE.sub("", x)) is None
                                              for x in [rest, *(o.text for o in out)]):
        return [item]  # 某某产业园、配套基础设施项目: one work and its parts; a run of several: left whole
    return [*out, Span(start, item.end, sentence[start:item.end])]


def _name_like(text: str, shortest: int = 4) -> bool:
    """True when a list item reads as a project name: at least `shortest` characters, nothing of a
    clause in it, not generic."""
    return len(text) >= shortest and not NOT_IN_NAME.search(text) and not is_generic(text)


_VERB_DE = re.compile(r".*(?:启动|开工|签约|投产|竣工|建设|实施|推进|开建|落地|引进|新建|续建)的")


def find_counted_list_items(sentence: str) -> list[Span]:
    """Items of counted lists: "此次签约的有——A、B、C等24个项目" gives A, B and C.

    Items are the 、-separated pieces between the list's opener and 等; each must be a name (no
    industry word alone, nothing generic).
    """
    if "等" not in sentence or "、" not in sentence:
        return []
    out: list[Span] = []
    for m in COUNTED_LIST.finditer(sentence):
        opener = _LIST_OPENER.match(sentence, 0, m.start())
        pos = opener.end() if opener else 0
        pieces = _pieces(sentence, pos, m.start(), _item)
        last = pieces[-1]
        joint = last.text.rfind("以及") if last is not None else -1
        size = 2
        number = _NUMBER.search(m.group())
        if joint < 0 and last is not None and number and parse_number(number.group()) == len(pieces) + 1:
            joint, size = max(last.text.rfind("和"), last.text.rfind("及")), 1  # A、B和C等3个项目: the count splits C
        if joint >= 2:  # A、B以及C等项目 (B及选煤厂 stays one item)
            pieces[-1:] = [_item(sentence, last.start, last.start + joint),
                           _item(sentence, last.start + joint + size, last.end)]
        first = pieces[0]
        lead = LIST_VERB_LEAD.match(sentence, first.start, first.end) if first else None
        led = bool(lead and first.end - lead.end() >= 2)
        if led:
            pieces[0] = Span(lead.end(), first.end, sentence[lead.end():first.end])
        elif first and (verb := _VERB_DE.search(first.text)):
            # 集中启动的王营庄田园综合体: the name follows the verb's 的 (高新区的X keeps its zone).
            cut = first.start + verb.end()
            pieces[0] = Span(cut, first.end, sentence[cut:first.end]) if first.end - cut >= 2 else None
        if len(pieces) < 2 or None in pieces:
            continue
        kinds = [_item_kind(x.text) if len(x.text) <= 40 else None for x in pieces]
        # A number (等8个项目) or 建设 (等建设项目) says the items are projects; without one (等项目) most items must
        # name a product, capacity or facility (文化旅游、教育培训等项目 are sectors).
        counted = (m.group().strip("等 ")[:1].isdigit() or m.group()[1:2] in "一二两三四五六七八九十百"
                   or m.group()[-1] in "个项" or "建设" in m.group() or "在建" in m.group() or "新建" in m.group()
                   or "的" in m.group())  # 等投资超百亿的产业项目: what the items are is said of them all
        # Items a verb introduces (新开工建设A、B等项目) or a stage follows (A、B等项目顺利开工) are
        # projects too, unless one is a policy or a sector.
        led = ((led or bool(_LIST_STAGED.match(sentence, m.end())) or bool(_OPENS_PROJECTS.search(sentence, 0, pos)))
               and not any(SECTOR_WORD.search(x.text) for x in pieces))
        # Items a verb or stage vouches for need only be names (全国首套水电解制绿氢 claims a first).
        if ((None not in kinds or led and all(_name_like(SUPERLATIVE.sub("", x.text)) for x in pieces))
                and (counted or led or kinds.count("specific") * 2 > len(kinds))
                and not trades_only([x.text for x in pieces])
                and not any(_CLUSTER.search(x.text) for x in pieces) and not _CLUSTER.search(m.group())):
            out.extend(pieces)
    return out


# "重点项目有：A、B、C等。", "开工项目主要包括A、B、C等，总投资…", "…项目29个。主要有A、B、C等": the items of the
# projects the sentence (or, for a sentence opening on 主要有, the one before) has named,
# closed by 等, 项目 or the end of their clause.
_DENG_CLOSE = r"等(?:(?:\d+|[一二两三四五六七八九十百]+)[个项])?(?:[^，,。；;、：:]{0,8}?(?:项目|工程))?"  # 等, 等18个, 等典型示范项目
_OPENED_LIST = re.compile(_PROJECTS_OPEN + r"([^，,。；;：:]{5,400}?)(?:(?:" + _DENG_CLOSE + r"|项目)(?=[，,。；;]|$)|(?=[。；;]|$))|"
                          r"^(?:其中)?(?:主要包括|主要有|包括)[：:]?([^，,。；;：:]{5,400}?)" + _DENG_CLOSE + r"(?=[，,。；;]|$)")
# An item's own figure before its name (总投资50亿元的A、总投资20亿元以上的B): not part of the name.
_ITEM_FIGURE = re.compile(r"(?:计划)?总?投资[^、，,。；;的]{1,16}?的")
_FIRM_ONLY = re.compile(r"(?:公司|集团|企业|单位|部门)$|\d+[座个条处家]$")  # a firm alone, a counted part (隧道5座)


# One work named as the example of a class of projects (包含A等重大招商引资项目, 也有B等转型升级项目).
_ONE_EXAMPLE = re.compile(r"(?:包含|包括|也有|还有|例如|比如)([^，,。；;、：:等]{4,30}?)等[^，,。；;：:等]{0,12}?项目")


def find_opened_list_items(sentence: str) -> list[Span]:
    """Items of a list that a class of projects opens (签约项目有A、B、C等): each a name, none a firm
    alone, a sector or a policy; and the one work a sentence gives as the example of a class of projects
    (包含A等重大招商引资项目) when it names a product, capacity or facility."""
    out: list[Span] = []
    if "等" in sentence and "项目" in sentence:
        for m in _ONE_EXAMPLE.finditer(sentence):
            item = _item(sentence, m.start(1), m.end(1))
            if item is not None and (_item_kind(item.text) == "specific" or _headed_name(item.text)) \
                    and _name_like(item.text) and not _FIRM_ONLY.search(item.text):
                out.append(item)
    if "、" not in sentence and "和" not in sentence:
        return out
    for m in _OPENED_LIST.finditer(sentence):
        k = 1 if m.group(1) is not None else 2
        spans = _split_spans(sentence, m.start(k), m.end(k), "、")
        if len(spans) == 1:  # 包括A中心和B项目: two works joined by 和 when each ends on a work's head word
            joint = _TWO_WORKS.fullmatch(sentence, m.start(k), m.end(k))
            if joint is None:
                continue
            spans = [joint.span(1), joint.span(2)]
        pieces = [_item(sentence, (f.end() if (f := _ITEM_FIGURE.match(sentence, a, b)) else a), b) for a, b in spans]
        if len(pieces) >= 2 and _works(pieces):
            out.extend(pieces)
    return out


# A work's head word: an item ending on one is named even with a verb inside (道路景观提升工程).
_WORK_HEAD = re.compile(r"(?:项目|工程|园|园区|基地|中心|生产线|站|工厂|厂)$")
_JOINT = re.compile(r"及|和|与")
_TWO_WORKS = re.compile(r"([^、和]{4,40}?(?:项目|工程|产业园|园区|基地|中心|生产线|电站|工厂))和([^、和]{4,40})")
_FUNCTION_CHAR = re.compile(r"[在对向为从将已被把让给于以了是的“”\"]")


def _works(pieces: list[Span | None]) -> bool:
    """True when every piece of a list is a work's name: a name, or one ending on a work's head word; no firm
    alone, counted part, sector (unless headed as a work), cluster or policy; at most 40 characters; not a run of
    trades."""
    return (None not in pieces
            and all((_name_like(p.text, 3) or _headed_name(p.text)) and not _FIRM_ONLY.search(p.text)
                    and not (SECTOR_WORD.search(p.text) and not _WORK_HEAD.search(p.text))
                    and not _CLUSTER.search(p.text) and len(p.text) <= 40 for p in pieces)
            and not trades_only([p.text for p in pieces]))


def _headed_name(text: str) -> bool:
    """True for a list item that ends on a work's head word and holds no function word (景观提升工程)."""
    return len(text) >= 6 and bool(_WORK_HEAD.search(text)) and not _FUNCTION_CHAR.search(text) and not is_generic(text)


# "A项目、B工程、C学校、D项目等开工建设", "A物流园、B中心、C电站等集中开工": a clause listing works, closed by 等 and
# a stage, items with or without 项目 of their own.
_STAGED_LIST = re.compile(r"(?:^|(?<=[，,：:；;]))([^，,。；;：:]{5,400}?)(等(?:(?:\d+|[一二两三四五六七八九十]+)个)?"
                          r"(?:[^，,。；;、：:]{0,6}?项目)?)?(?=(?:正式|顺利|集中|相继|陆续|先后|已|全面|加快)?"
                          r"(?:开工建设|开工|签约|投产|竣工|落地|建成|启动|开建|动工|奠基))")


def find_staged_list_items(sentence: str) -> list[Span]:
    """Items of a clause that lists works and closes with 等 and a stage (A、B、C等开工建设): each a name (a verb
    before the first, 重点推进, cut off), none a firm alone, a sector or a policy."""
    if "、" not in sentence:
        return []
    out: list[Span] = []
    for m in _STAGED_LIST.finditer(sentence):
        spans = _split_spans(sentence, m.start(1), m.end(1), "、")
        if len(spans) < 2:
            continue
        lead = LIST_VERB_LEAD.match(sentence, *spans[0])
        if lead and spans[0][1] - lead.end() >= 3:
            spans[0] = (lead.end(), spans[0][1])
        pieces = [_item(sentence, a, b) for a, b in spans]
        if m.group(2) is None and not all(p is not None and _WORK_HEAD.search(p.text) and not _JOINT.search(p.text)
                                          for p in pieces):
            continue  # without 等 every item ends on a work's head (A产业园、B数据中心、C项目开工); 及/和 lists are others
        if _works(pieces):
            out.extend(pieces)
    return out


def _split_spans(text: str, lo: int, hi: int, sep: str) -> list[tuple[int, int]]:
    """The (start, end) of each piece of text[lo:hi] between the separators `sep`."""
    out, start = [], lo
    while True:
        cut = text.find(sep, start, hi)
        if cut < 0:
            return out + [(start, hi)]
        out.append((start, cut))
        start = cut + len(sep)


# "其中浑源50万千瓦、新荣33万千瓦、左云17万千瓦": a plant's parts, each a site and its capacity.
_SITE_CAPACITY = re.compile(r"([\u4e00-\u9fff]{2,4}?)(\d+(?:\.\d+)?(?:万千瓦|千瓦|兆瓦|MW|GW|万吨))")
_SITE_CAPACITY_RUN = re.compile(_SITE_CAPACITY.pattern + r"(?:(?:、|和|及)" + _SITE_CAPACITY.pattern + ")+")


def find_site_capacity_items(sentence: str) -> list[Span]:
    """Items of "其中浑源50万千瓦、新荣33万千瓦、左云17万千瓦" (a plant's parts by site): each item is a
    short site word and a capacity; two or more, joined by 、 (or a last 和/及)."""
    out: list[Span] = []
    for run in _SITE_CAPACITY_RUN.finditer(sentence):
        for m in _SITE_CAPACITY.finditer(sentence, run.start(), run.end()):
            lead = _ITEM_LEAD.match(sentence, m.start(), m.end(1))
            start = lead.end() if lead else m.start()
            if m.end(1) - start >= 2 and not NOT_IN_NAME.search(sentence, start, m.end(1)):
                out.append(Span(start, m.end(), sentence[start:m.end()]))
    return out if len(out) >= 2 else []


# "加快A600万吨、B120万吨、C150万吨矿井建设": works of several firms or sites, each ending on its capacity, sharing
# the head written after the last one (矿井建设, 生产线, 电站…). The head can only be theirs together.
_CAP = r"\d+(?:\.\d+)?(?:万千瓦时|万千瓦|千瓦|兆瓦|MWh|GWh|MW|GW|万吨|吨|万台|万辆|万套)"
_CAP_ITEM = rf"{_CH}{{2,16}}?{_CAP}"
_CAP_HEAD = re.compile(rf"((?:{_CAP_ITEM}、)+{_CAP_ITEM})([\u4e00-\u9fff]{{0,6}}?(?:矿井|煤矿|洗煤厂|生产线|电站|基地|工厂|"
                       rf"项目|工程)(?:建设)?)(?=[，,。；;和及等]|$)")
_CAP_UNIT = re.compile(_CAP)
_CAP_THEN_ITEM = re.compile(_CAP + "、")  # a cheap pre-test: most sentences have no capacity closing a list item


def find_capacity_head_items(sentence: str) -> list[Span]:
    """Items of "加快晋煤A600万吨、B煤业120万吨、C150万吨矿井建设": each item its firm or site and capacity, named with
    the head after the last (B煤业120万吨矿井建设); a verb before the first item (加快) cut off."""
    out: list[Span] = []
    if "、" not in sentence or not _CAP_THEN_ITEM.search(sentence):
        return out
    for m in _CAP_HEAD.finditer(sentence):
        spans = _split_spans(sentence, m.start(1), m.end(1), "、")
        lead = LIST_VERB_LEAD.match(sentence, *spans[0])
        if lead and _CAP_UNIT.match(sentence, lead.end(), spans[0][1]) is None:
            spans[0] = (lead.end(), spans[0][1])
        items = [Span(a, b, sentence[a:b] + m.group(2)) for a, b in spans]
        if all(not _CAP_UNIT.match(i.text) and not NOT_IN_NAME.search(sentence, i.start, i.end) for i in items):
            out.extend(items)
    return out


# "开工建设A煤焦240万吨坑口洗煤和B200万吨洗煤厂项目": two firms' works, each its firm and capacity, the first
# without the 项目 the second closes on. Not one plant's products (年产10万吨甲醇和20万吨乙二醇项目): both
# items start with a firm or site, not with 年产 or a number.
_PAIRED_CAP = re.compile(rf"({_CH}{{2,12}}?{_CAP}[\u4e00-\u9fff]{{0,8}}?)(?:和|及|以及)({_CH}{{2,12}}?{_CAP}"
                         rf"[\u4e00-\u9fff]{{0,10}}?项目)")
_OUTPUT_LEAD = re.compile(r"年产|年处理|年加工|年屠宰|年出栏|年存栏|日产|新建|扩建|\d")
_TWO_NAME_CHARS = re.compile(rf"{_CH}{{2}}")


def find_paired_capacity_items(sentence: str) -> list[Span]:
    """The first of "A240万吨坑口洗煤和B200万吨洗煤厂项目", named with 项目 (a verb before it cut off); the
    second is found as a …项目 name."""
    out: list[Span] = []
    if len(_CAP_UNIT.findall(sentence)) < 2:
        return out  # (two capacities at least: most sentences have none)
    for m in _PAIRED_CAP.finditer(sentence):
        lead = LIST_VERB_LEAD.match(sentence, m.start(1), m.end(1))
        start = lead.end() if lead else m.start(1)
        a, b = sentence[start:m.end(1)], m.group(2)
        if (_CAP_UNIT.search(a) and _TWO_NAME_CHARS.match(a) and not _OUTPUT_LEAD.match(a)
                and not _OUTPUT_LEAD.match(b) and not NOT_IN_NAME.search(a)):
            out.append(Span(start, m.end(1), a + "项目"))
    return out


# "A、B和C三个项目", "秦淮、京东、抖音五大算力中心": items joined by 、 (and a last 和/及), then their
# number and what they are (no 等).
# "A、B和C这3条道路": roads and lines by 条, each item named in full.
_ROUTE = r"道路|公路|铁路|管道|管线|线路"
_PLAIN = r"(?:重点|重大)?(?:项目|工程)"  # items counted as projects are named as written
_FACILITY_KIND = r"(?:中心|基地|园区|产业园|电站|" + _ROUTE + r")"  # items counted as facilities are named with it
_JOINED_COUNT = re.compile(r"(\d+|[一二两三四五六七八九十])(?:[个大座家项]|条(?=[\u4e00-\u9fff]{0,2}?(?:" + _ROUTE + r")))"
                           r"(" + _PLAIN + r"|[\u4e00-\u9fff]{0,4}?" + _FACILITY_KIND + r"|"
                           r"[\u4e00-\u9fff]{2,12}?项目)")  # A和B两个煤炭分质利用项目: A's and B's
_ROUTE_END = re.compile(f"(?:{_ROUTE})$")
_FACILITY_NOUN = re.compile(_FACILITY_KIND + "$")
_PLAIN_NOUN = re.compile(_PLAIN)
_JOINED_RUN = re.compile(r"[\u4e00-\u9fffA-Za-z0-9、（）()+×·]*")  # 光伏+储能, 2×700MW
_JOINED_LAST = re.compile(r"(?:和|及|以及)")


def _pieces(sentence: str, lo: int, hi: int, trim) -> list[Span | None]:
    """sentence[lo:hi] split at 、, each piece cut by `trim(sentence, start, end)` (None when nothing is left)."""
    out: list[Span | None] = []
    for part in sentence[lo:hi].split("、"):
        out.append(trim(sentence, lo, lo + len(part)))
        lo += len(part) + 1
    return out


def _split_at_last_joint(sentence: str, last: Span, trim, least: int = 0) -> list[Span | None]:
    """The last piece of a list split at its last 和/及/以及 (A、B和C: B and C), each part cut by `trim`;
    [last] when it has none, or none at least `least` characters into it."""
    joint = None
    inside = _place_spans(last.text) if "和" in last.text or "及" in last.text else []
    for found in _JOINED_LAST.finditer(last.text):
        if not _in_place(found.start(), inside):
            joint = found  # (a 和 inside a place's name, 和顺县, joins nothing)
    if joint is None or joint.start() < least:
        return [last]
    return [trim(sentence, last.start, last.start + joint.start()), trim(sentence, last.start + joint.end(), last.end)]


# What an item that names a kind of work ends in (标准化种植, 林下套种, 产品加工, 中药康养).
_ACTIVITY_END = re.compile(r"(?:种植|套种|种苗|育苗|养殖|加工|康养|旅游|服务|研发|销售|仓储|示范)$")


def find_joined_counted_items(sentence: str) -> list[Span]:
    """Items of "承担A、B和C三个项目的建设" and "建设秦淮、京东、中联三大算力中心": the pieces before
    the count split at 、 (the last at 和/及), only when there are as many as the count says. Items
    of a facility noun are named with it (秦淮算力中心); roads (A、B这2条道路) and "…项目" items as written.
    A clause before the first item (将…连在一起的A、B、C这3条道路, 分为A和B两个项目) is cut at its last
    clause word; as the count vouches for the items, three characters make a name (杨石线)."""
    out: list[Span] = []
    backwards = sentence[::-1]
    for m in _JOINED_COUNT.finditer(sentence):
        end = m.start() - 1 if sentence[m.start() - 1:m.start()] in ("这", "共") else m.start()  # 这3条
        pos = run_start(_JOINED_RUN, backwards, end)
        first = min([i for i in (sentence.find(c, pos, end) for c in "、和及") if i >= 0] or [end])
        opener = LIST_VERB_LEAD.match(sentence, pos, first)  # the verb before the first item
        pos = opener.end() if opener else pos
        pieces = _pieces(sentence, pos, end, _item)
        if pieces and pieces[-1] is not None:
            pieces += _split_at_last_joint(sentence, pieces.pop(), _item)
        if pieces and pieces[0] is not None and NOT_IN_NAME.search(pieces[0].text):
            pieces[0] = _after_clause(sentence, pieces[0], 3)
        if (len(pieces) < 2 or None in pieces or parse_number(m.group(1)) != len(pieces)
                or any(len(p.text) <= 4 and classify_chain(p.text, "")[1] == p.text for p in pieces)):
            continue  # 新能源、新材料…六大专业化产业园: parks of trades, not projects
        if sum(bool(_ACTIVITY_END.search(p.text)) for p in pieces) * 2 >= len(pieces):
            continue  # 标准化种植、林下套种、产品加工等6大基地: kinds of work, not named facilities
        noun = m.group(2)
        if _PLAIN_NOUN.fullmatch(noun) or _ROUTE_END.search(noun):
            if all(_name_like(p.text, 3) for p in pieces):
                out.extend(pieces)
        elif all(2 <= len(p.text) <= (40 if _FACILITY_NOUN.search(noun) else 4) and not NOT_IN_NAME.search(p.text)
                 for p in pieces):  # (short names before a long 项目 noun: brands, 新耀和普勤两个…项目)
            tail = noun.lstrip("个大座家项")
            out.extend(Span(p.start, p.end, p.text + tail) for p in pieces)
    return out


# "在灵石、介休建设两个千万吨级焦化绿色循环产业园": places joined, a building verb, as many facilities of one kind.
_COUNT_THEN_SITES = re.compile(r"(\d+|[一二两三四五六七八九十])个([\u4e00-\u9fffA-Za-z0-9]{0,10}?项目)(?:各[^，,。；;]{1,12})?"
                               r"[，,]分别(?:位于|落户|建在|在)((?:[和及、]?[\u4e00-\u9fff]{1,4}?[县区市])+)(?:境内)?"
                               r"(?=[，,。；;]|$)")
_FIRST_SITE = re.compile(r"()([\u4e00-\u9fff]{1,4}?[县区市])")  # (和顺县和平遥县: the first place takes no joint)
_SITE_NAME = re.compile(r"([和及、])([\u4e00-\u9fff]{1,4}?[县区市])")
_SITED_COUNT = re.compile(r"在((?:[\u4e00-\u9fff]{2,5}[、和及])+[\u4e00-\u9fff]{2,5}?)(?:分别|各)?(?:建设|新建|布局|打造|规划建设)"
                          r"(\d+|[一二两三四五六七八九十])[个座家]([\u4e00-\u9fffA-Za-z0-9]{2,20}?"
                          r"(?:产业园|园区|基地|中心|电站|工厂|项目))(?=[，,。；;]|$)")


def _joined_places(text: str) -> list[tuple[int, int]]:
    """(start, end) of each place in a run joined by 、, 和 or 及 (榆社、太谷; 和顺县和榆社县): a 和 or 及 inside a
    place's name (和顺县) joins nothing."""
    inside = _place_spans(text)
    cuts = [k for k, ch in enumerate(text) if ch == "、" or ch in "和及" and not _in_place(k, inside)]
    bounds = [-1, *cuts, len(text)]
    return [(bounds[i] + 1, bounds[i + 1]) for i in range(len(bounds) - 1) if bounds[i + 1] - bounds[i] > 1]


def find_sited_counted_items(sentence: str) -> list[Span]:
    """Facilities of one kind, one per place joined before the count (在A、B建设两个X产业园): each item is
    named by its place and the kind (AX产业园), its span the place's, so the place written there is its site."""
    out: list[Span] = []
    for m in _SITED_COUNT.finditer(sentence):
        places = _joined_places(m.group(1))
        if len(places) != parse_number(m.group(2)):
            continue
        base = m.start(1)
        out.extend(Span(base + a, base + b, m.group(1)[a:b] + m.group(3)) for a, b in places)
    for m in _COUNT_THEN_SITES.finditer(sentence):
        # 分2个单体项目各250兆瓦，分别位于黎城县和平顺县境内: one project per place, named by it
        places, pos = [], m.start(3)
        while pos < m.end(3) and (p := (_SITE_NAME if places else _FIRST_SITE).match(sentence, pos, m.end(3))):
            places.append(p)
            pos = p.end()
        if pos != m.end(3) or len(places) != parse_number(m.group(1)):
            continue
        out.extend(Span(p.start(2), p.end(2), p.group(2) + m.group(2)) for p in places)
    return out


# "产业转型类项目12项，具体为：A、B、C等。", "启动两个项目，分别是A项目和B项目": a count, then the words
# that announce its items, then the items up to the clause's end.
_ANNOUNCED = re.compile(r"(\d+|[一二两三四五六七八九十]+)(?:个|项|家|座|条)(?:(?!的)[\u4e00-\u9fff]){0,8}?[，,]?"
                        r"(?:(?:计划)?总投资(?:约|达|超)?[\d.]+[万亿]元[，,])?"  # 12个项目，总投资15.97亿元，包括…
                        r"(?:具体为|具体是|具体包括|分别为|分别是|分别有|主要有|主要包括|包括|即)[：:]?")
_ANNOUNCED_END = re.compile(r"[，,。；;：:]|$")


def find_announced_list_items(sentence: str) -> list[Span]:
    """Items of a list its count announces ("基础设施类项目3项，具体为：A、B、C。"): the pieces split at 、
    (the last at 和/及) up to the clause's end (items with clauses of their own are find_item_names'); as many as the count says, or fewer when the list ends
    in 等. Every piece must read as a name (nothing of a clause, no trade alone)."""
    out: list[Span] = []
    for m in _ANNOUNCED.finditer(sentence):
        end = _ANNOUNCED_END.search(sentence, m.end()).start()
        text = sentence[m.end():end]
        etc = text.rstrip().endswith("等")
        pieces = _pieces(sentence, m.end(), end, _trimmed)  # 和美固废 is a name, not 和 + 美固废
        if pieces and pieces[-1] is not None and not etc:
            pieces += _split_at_last_joint(sentence, pieces.pop(), _trimmed, least=2)
        n = parse_number(m.group(1))
        if (n is None or len(pieces) < 2 or None in pieces or len(pieces) > n or (not etc and len(pieces) != n)
                or any("等" in p.text for p in pieces)  # A、B等市政道路和C: kinds of work, not names
                or not all(_name_like(p.text, 3) or p.text.endswith(("项目", "工程")) and not is_generic(p.text)
                           for p in pieces) or trades_only([p.text for p in pieces])
                or any(SECTOR_WORD.search(p.text) for p in pieces)):
            continue
        out.extend(pieces)
    return out


# "以A、B为代表的12个项目": the items a round is represented by.
_LED_BY = re.compile(r"以([^，,。；;：:以]{2,80}?)为(?:代表|龙头|重点|引领|核心)的[^，,。；;]{0,12}?"
                     r"(?:\d+|[一二两三四五六七八九十百]+)(?:多|余)?[个项](?:[^，,。；;]{0,8}?)项目")


def find_led_list_items(sentence: str) -> list[Span]:
    """Items of "以A、B和C为代表的N个项目": the pieces split at 、 (the last at 和/及), each a name (no clause,
    no trade or sector alone)."""
    out: list[Span] = []
    for m in _LED_BY.finditer(sentence):
        pieces = _pieces(sentence, m.start(1), m.end(1), _trimmed)
        if pieces and pieces[-1] is not None:
            pieces += _split_at_last_joint(sentence, pieces.pop(), _trimmed, least=2)
        if (None in pieces or not all(_name_like(p.text, 3) for p in pieces) or trades_only([p.text for p in pieces])
                or any(SECTOR_WORD.search(p.text) or _item_kind(ITEM_CORE.sub("", p.text)) is None for p in pieces)):
            continue
        out.extend(pieces)
    return out


# What opens a piece's items right after the list's own 项目 (签约项目有…, 重点项目包括…, 开工项目为…).
_OPENS_ITEMS = re.compile(r"(?:主要)?(?:有|包括|为|是|涉及)[：:]?")


# A zone or county opening a list item (侯马经济开发区…, 洪洞县…).
_ITEM_PLACE = re.compile(r"[\u4e00-\u9fff]{2,8}?(?:经济技术开发区|经济开发区|高新技术产业开发区|高新区|开发区|产业园区|工业园区|"
                         r"产业集聚区|示范区|县|区|市)(?=[\u4e00-\u9fff]{3})")


# The joint before a list's last item (A项目、B项目及C项目). Not 和: "A项目、B项目和C…" more often
# goes on with a clause than with a third item (measured: located projects fell on a blind set).
_LAST_ITEM_JOINT = re.compile(r"以及|及")
# A last item named without 项目, closed by an ellipsis (A项目、B工程、C公园……).
_OPEN_LAST = re.compile(r"([\u4e00-\u9fffA-Za-z0-9]{3,20})…+")
_ITEM_SIGN = re.compile(r"(?:签署|签订)(?:了|的)?")  # X政府和Y公司签署Z项目: Z is the project
_ITEM_BUILD = re.compile(r"(?:合作|共同|联合|携手|合资|投资|出资)(?:建设|新建|兴建|打造)")


def find_item_names(sentence: str) -> list[Span]:
    """Items of a list of "…项目" phrases separated by ，；： or 、 (侯马经济开发区高频变压器、电感
    元器件项目，洪洞经济技术开发区光伏发电项目，…): each item runs from its separator to its first
    项目, so the zone or firm written in the item stays in it and a 、 inside one item (两种产品) does
    not split it. Empty unless at least two pieces end in 项目."""
    # Cheap tests first: most sentences have fewer than two 项目 ending an item.
    if (sentence.count("项目") + sentence.count("工程") < 2
            or (len(_ITEM_BOUNDARY.findall(sentence)) < 2 and "项目、" not in sentence and "工程" not in sentence)):
        return []
    out: list[Span] = []
    led = False  # a verb introduces the first item (已引进A项目、B项目、C项目等)
    pos = 0
    for sep in [*_PIECE_SEP.finditer(sentence), None]:
        end = sep.start() if sep else len(sentence)
        lo = pos
        while lo < end:
            m = _ITEM_END.search(sentence, lo, end)
            if m is None:
                break
            opener = _LIST_OPENER.match(sentence, lo, m.start())
            start = opener.end() if opener and not sentence.startswith("有限", opener.end() - 1) else lo
            if lo == pos and sentence.startswith("、", m.end()):
                verb = LIST_VERB_LEAD.match(sentence, start, m.start())
                if verb is not None and m.start() - verb.end() >= 2:
                    start, led = verb.end(), True
            item = _item(sentence, start, m.end())
            if item is not None and not _name_like(item.text) and "的" in item.text:
                # A described item (X与Y合作的Z项目): the name is what follows the last 的.
                cut = item.start + item.text.rfind("的") + 1
                item = Span(cut, item.end, sentence[cut:item.end])
            built = [v for v in _ITEM_BUILD.finditer(item.text) if len(item.text) - v.end() >= 6] if item else []
            built += [v for v in _ITEM_SIGN.finditer(item.text) if len(item.text) - v.end() >= 4] if item else []
            built.sort(key=lambda v: v.end())
            if built:
                # X集团与Y集团合作建设Z项目: the name is what they build (the firms stay in the item's words).
                cut = item.start + built[-1].end()
                item = Span(cut, item.end, sentence[cut:item.end])
            if item is not None and not _name_like(item.text) and lo == pos and sentence.startswith("、", m.end()):
                # The clause before a list's first item (共同为该县A工程、B项目奠基): the name is what
                # follows its last clause word.
                item = _after_clause(sentence, item)
            if item is not None and _name_like(item.text):
                out.append(item)
            site = _ITEM_SITE.match(sentence, m.end())
            after = site.end() if site else m.end()
            opens = _OPENS_ITEMS.match(sentence, after) if lo == pos and not out else None
            if opens and (item is None or not _name_like(item.text)):
                lo = opens.end()  # 签约项目有A项目、B项目: the list's own 项目 and its verb open it
                continue
            # Further items of the piece only after "项目、" (A项目、B项目), and a last one after 及/以及
            # once a 、 has joined two (A项目、B项目及C项目); else the piece is done.
            joint = _LAST_ITEM_JOINT.match(sentence, after) if lo > pos else None
            last = _OPEN_LAST.match(sentence, after + 1) if sentence.startswith("、", after) and out else None
            if last and _name_like(last.group(1)):
                out.append(Span(last.start(1), last.end(1), last.group(1)))  # A项目、B工程、C主题公园……: C too
                break
            if sentence.startswith("、", after):
                lo = after + 1
            elif joint:
                lo = joint.end()
            else:
                break
        pos = sep.end() if sep else end
    # Slogans (牢固树立项目…，持续掀起项目…) and sectors (仓储物流项目、现代农业项目) are no lists of
    # projects: every item must name something, most of them a product, capacity or facility.
    # Items a verb introduces (引进A项目、B项目) are projects unless one is a sector or policy: a
    # word for a trade (现代农业, 仓储物流: four characters or fewer) or a SECTOR_WORD.
    count = _COUNT_AFTER.match(sentence, out[-1].end) if out else None
    if not (count and parse_number(count.group(1)) == len(out)):  # the list's own number counts whole items
        out = [part for i in out for part in _facility_lead(sentence, i)]
    cores = [ITEM_CORE.sub("", i.text) for i in out]
    if len(out) < 2 or trades_only([i.text for i in out]):
        return []
    if _AT_VENUE.search(sentence) and all(len(c) > 4 and not is_generic(c) for c in cores):
        return out  # 主会场设立在A项目施工现场，分会场设在B项目、C工程: each venue is a project
    kinds = [_item_kind(c) for c in cores]
    if any("等" in i.text for i in out):
        return []  # A、B等储能项目顺利开工，C、D等项目落地: lists closed by 等, each read by find_list_names
    placed = all(_ITEM_PLACE.match(i.text) for i in out)  # 侯马经济开发区A项目，洪洞经济技术开发区B项目: each its own site
    led = (led or placed or len(out) >= 3 or bool(count and parse_number(count.group(1)) == len(out))) and all(
        len(c) > 4 and not SECTOR_WORD.search(c) for c in cores)  # a verb, the items' sites or the list's number vouches
    if None in kinds or (kinds.count("specific") * 2 <= len(kinds) and not led):
        return []
    return out


_ITEM_SPECIFIC = re.compile(CAPACITY.pattern + "|年产|基地|工厂|产业园|生产线|电站")


def _item_kind(text: str) -> str | None:
    """'specific' (names a product, capacity or facility), 'plain' (a name, such as a firm's
    short name plus product), or None for what cannot be a project (an industry, a generic word)."""
    if len(text) < 2:
        return None
    if _ITEM_SPECIFIC.search(text):
        return None if is_generic(text) else "specific"
    chain, keyword = classify_chain(text, "")
    if chain == "其他" and len(text) < 6:
        chain = None  # 教育培训, 金融服务: a public service or trade; 西南环城路市政配套工程 names a work
    if not chain or keyword == text:
        return "plain" if not chain and not is_generic(text) else None  # 新能源 alone is a sector
    return None if is_generic(text) else "specific"



# "今年重点推进以下项目：\n1.某某铸件项目\n2.某某数据中心二期": numbered lines under a header about projects.
# The numbering that opens an item's line: 1. / （2） / 三、
NUMBERING = re.compile(r"\d{1,2}[.．、](?!\d)|[（(]\d{1,2}[)）]|[一二三四五六七八九十]{1,3}、")
# A line's numbering or bullet (——甲项目, ·甲项目).
_LINE_MARK = NUMBERING.pattern + r"|——|—|[-·•●▪]"
_NUMBERED_LINE = re.compile(r"(?:" + _LINE_MARK + r")\s*([^，,。；;：:！？!?]{4,40}?)[。；;]?")
_LIST_HEADER = re.compile(r"项目[^，,。；;]{0,12}(?:[：:]|——|—)$")

# A list split at semicolons: its first piece holds the header (…项目包括：A项目；), each later piece is a name.
_SEMICOLON_OPEN = re.compile(r"项目[^，,。；;]{0,12}[：:](?:" + NUMBERING.pattern + r")?\s*([^，,。；;：:、]{4,40}项目)[；;]$")
_SEMICOLON_ITEM = re.compile(r"(?:" + NUMBERING.pattern + r")?\s*([^，,。；;：:、]{4,40}项目)[；;。]?")


def _all_names(run: list[tuple[int, Span]]) -> bool:
    """Every line of a run names a project (no clause, no trade or generic word)."""
    return all(_name_like(x.text) and _item_kind(ITEM_CORE.sub("", x.text)) for _, x in run)


def numbered_line_items(sentences: list[str]) -> dict[int, Span]:
    """{sentence index: the item's name} for runs of two or more numbered lines (1. / （1） / 一、) that
    follow a line ending in "…项目…：", each line a name alone (no clause, no trade or generic word); and
    for the pieces of a list split at semicolons after such a header (签约项目包括：A项目；B项目；C项目。):
    each piece after the first a "…项目" name alone."""
    out: dict[int, Span] = {}
    run: list[tuple[int, Span]] = []
    header = False
    for i, text in enumerate([*sentences, ""]):
        m = _NUMBERED_LINE.fullmatch(text) if header else None
        if m is not None:
            run.append((i, Span(m.start(1), m.end(1), m.group(1))))
            continue
        if len(run) >= 2 and _all_names(run):
            out.update(run)
        run = []
        header = bool(_LIST_HEADER.search(text))
    semi: list[tuple[int, Span]] = []
    for i, text in enumerate([*sentences, ""]):
        m = _SEMICOLON_ITEM.fullmatch(text)
        opener = _SEMICOLON_OPEN.search(sentences[i - 1]) if i > 0 and m is not None and not semi else None
        if opener is not None:
            semi.append((i - 1, Span(opener.start(1), opener.end(1), opener.group(1))))
        if m is not None and semi:
            semi.append((i, Span(m.start(1), m.end(1), m.group(1))))
            if text.endswith(("；", ";")):
                continue
        if semi and _all_names(semi):
            out.update(semi)
        semi = []
    return out

