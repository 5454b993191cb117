"""Name primitives shared by the project finders and the list finders.

A Span (a piece of a sentence), the patterns that cut a name (break words, clause words) and the
tests of what a name is worth: generic (重点项目), a trade (新能源项目), a capacity (5000吨).
"""
from __future__ import annotations

import re
from typing import NamedTuple

from .chains import classify_chain


class Span(NamedTuple):
    """A piece of a sentence: offsets relative to the sentence, the text, and a number if any.

    A NamedTuple (immutable, attribute access), like amounts.Amount: cheap to build.
    """

    start: int
    end: int
    text: str
    value: int | None = None


# A capacity in a name (5000吨优质原酒生产基地项目) makes it a concrete project on its own.
CAPACITY = re.compile(r"\d+(?:\.\d+)?[万千]?(?:吨|台|辆|套|件|GW|MW|兆瓦|千瓦)")
# Words after which a name begins (随着美锦氢能 → 美锦氢能): clause words, verbs, dates, zones.
NAME_BREAK = re.compile(
    r".*(?:[在与和由是的对向为从将已被把让给于了等、]|以(?!及)|随[着著]|进行|围绕|聚焦|推动|引进|实施|开展|包装|推出|加强|"
    r"推进|加快|结合|标志[着著]|举行|举办|召开|日前|包括|纳入|帮扶|实现|促进|支持|服务|组织|抓实|"
    r"签约|签署|签订|还有|另有|也有|主要有|前往|观摩|参观|考察|听取|承担|公司|就(?!业)|(?<!总部|基地)暨|”项目|该(?:流域|县|市|区|镇)|其中|"
    r"\d+[年月日号]|\d[亿万]+(?:美元|元)(?:用于|建设|新建|扩建|投建|兴建|打造|实施)?|开发区|经开区|高新区|示范区|园区内|工业园区?|新城|专业镇)"
)
QUOTES_AND_XIANGMU = re.compile(r"[“”\"项目]")
# A leading place (水文县…, 晋中市…) does not make a name specific.
PLACE_PREFIX = re.compile(r"^[\u4e00-\u9fff]{1,5}?[省市县区]")
_GENERIC = re.compile(
    r"本次|此次|这次|本批|集中|今年|全年|季度|年度|春季|夏季|秋季|冬季|上半年|下半年|时期|十四五|很多|众多|重点|重大|招商引资|招商|产业|建设|新开工|开工|新签约|签约|投产|新|相关|各类|一批|三个|优质|好|大|核心|骨干|龙头|"
    r"这一|该|此|其他|示范|转型|标志性|引领性|入库|储备|在建|续建|固投资|固定资产投资|之一|个|批|多|若干|"
    r"引进|实施|这些|上|下|中|前期|省|市|县|区|级|全|共|计划|PPP|公司|企业|落地|落户|洽谈|对接|推进|"
    # Digits as single-character alternatives (not a class): when every alternative starts with
    # a literal, re skips positions that cannot match, several times faster in is_generic.
    r"推动|谋划|规划|纳入|活动|第|次|代表|预计|全部|所有|协议下|外省|省外|市外|外资|内资|投资|0|1|2|3|4|5|6|7|8|9|一|二|三|四|五|六|七|八|九|十"
)
_KIND_OF_PROJECT = re.compile(r"[型类]项目$")  # 龙头骨干型项目, 农业类项目: a kind, not a project
SUPERLATIVE = re.compile(r"首[条家个座台批套]|第一[条家个座台]|唯一")  # 打造长治首条…生产线: a claim


# A verb taking 项目 as its object (千方百计谋项目、尽心尽责扶项目, 及时跟进项目): a way of working, not a name.
_VERB_OBJECT = re.compile(r"(?:[谋扶盯抓跑争]|跟进|紧盯|狠抓|服务|保障)项目$")


def is_generic(name: str) -> bool:
    """True for a name that names no project: only generic words (重点产业项目), an amount, a kind, a claim or
    a verb and its object (跟进项目)."""
    if ("亿元" in name or "万元" in name or _KIND_OF_PROJECT.search(name) or SUPERLATIVE.search(name)
            or _VERB_OBJECT.search(name)):
        return True
    core = PLACE_PREFIX.sub("", QUOTES_AND_XIANGMU.sub("", name))
    return len(_GENERIC.sub("", core)) < 2


# What is left of a "…项目" item once 项目 is dropped (仓储物流项目 → 仓储物流: a sector).
ITEM_CORE = re.compile(r"(?:产业)?项目(?:[一二三四]期)?$")
# The verb before the first item of a list (该县新开工建设A、B等项目): the item starts after it.
LIST_VERB_LEAD = re.compile(r".*(?:建设|新建|开工|启动|复工|实施|推进|推动|推介|推出|加快|随[着著]|围绕|聚焦|签约|引进|落地|包括|"
                            r"听取|观摩|察看|查看|考察|调研|走访|参观|前往|来到|深入|涵盖|包含|囊括|承担|负责|打造|谋划|规划|储备|有(?!限)|是)(?:了|的)?")
# What a list item (a name) never holds: function words, verbs of a clause, quotes, digits of a date.
NOT_IN_NAME = re.compile(r"[在对向为从将已被把让给于以了是的“”\"「」]|坚持|实行|确保|结合|落实|抓紧|抓实|推动|推进|加快|"
                         r"实施|开展|促进|支持|服务|实现|提升|缩短|而且|不仅|围绕|聚焦|一批|一大批|\d+[月日]|(?<!\d)\d{1,3}年|\d年\d|"
                         r"[由该这其说]|举行|举办|召开|标志|建立|日前|近日|目前|表示|介绍|看到|壮大")


_DEICTIC_LEAD = re.compile(r"^(?:此次|本次|这次|这些|这批|该|此|各|多个)")
_TRADES = frozenset(("新能源", "新材料", "储能", "光伏", "风电", "氢能", "锂电", "文旅", "康养", "文旅康养", "物流",
                     "大数据", "数字经济", "现代农业", "农业", "半导体", "信创", "医药", "现代医药", "节能环保", "环保",
                     "煤化工", "装备制造", "电子信息", "新能源汽车", "特钢材料", "铝镁", "食品", "铸造", "玻璃",
                     "仓储物流", "保障房", "民生", "社会事业", "乡村振兴", "城建", "交通", "水利"))


# Words of a sector or a policy, not of a work (培训项目, 养老服务业项目, 招商政策): a list of them names no projects.
SECTOR_WORD = re.compile(r"奖励|补贴|培训|教育|政策|方面|领域|服务业|行业|产业$")
_FACILITY_END = re.compile(r"(?:园|园区|基地|中心|生产线|站|工厂|厂|馆|学校|医院)$")


def names_a_sector(name: str) -> bool:
    """True for a sector's project (职业技能培训项目, 社区养老服务业项目), not a work's (职业教育园区)."""
    core = ITEM_CORE.sub("", name)
    return bool(SECTOR_WORD.search(core)) and not _FACILITY_END.search(core)


def bare_trade(text: str) -> bool:
    """True for a trade's word and 项目 alone (新能源项目, 此次储能项目); a product (单晶硅项目) is no trade."""
    core = _DEICTIC_LEAD.sub("", ITEM_CORE.sub("", text))
    lead = LIST_VERB_LEAD.match(core)  # 另有文旅康养项目
    return (core[lead.end():] if lead else core) in _TRADES


def trades_only(items: list[str]) -> bool:
    """True when every item, less its 项目, is a trade's short name (文旅康养、仓储物流、新能源、现代农业、
    数字经济): four characters at most, each of a known chain. Such a list names sectors, not projects.
    A verb before the first (另有, 引进) is not part of it."""
    cores = [ITEM_CORE.sub("", i) for i in items]
    if cores:
        lead = LIST_VERB_LEAD.match(cores[0])
        cores = [cores[0][lead.end():] if lead else cores[0], *cores[1:]]
    return all(len(c) <= 4 and _is_trade(c) for c in cores)


# Words that qualify a trade without naming anything (仓储物流, 现代农业, 光伏发电).
_TRADE_QUALIFIERS = frozenset(("现代", "仓储", "特色", "生态", "绿色", "智慧", "高端", "新型", "发电", "生物", "精细",
                               "设施", "乡村", "休闲", "文化", "循环", "综合", "产业"))


def _is_trade(core: str) -> bool:
    """A trade's short name: a chain keyword, alone or with a qualifier or a second trade (文旅康养), not
    a brand's trade (青禾冷链, 美锦氢能: a firm's project)."""
    chain, keyword = classify_chain(core, "")
    if chain is None:
        return False
    rest = core.replace(keyword, "", 1) if keyword else core
    return not rest or rest in _TRADE_QUALIFIERS or classify_chain(rest, "")[0] is not None
