"""Turn one sentence's amounts, project counts and project names into records.

Record kinds:
- project: one project or deal (a named project, a firm investing, "…项目"), with or without
  an amount; output/revenue stated for a project (该项目, 建成后, 该基地, 吉利晋中基地) is a
  project record with its own amount_kind.
- batch: an aggregate of several projects (N个项目 … 总投资X, 签约一批/开工一批/投产一批); any
  other amount in a sentence that states a project count also describes that aggregate.
- stat: an amount tied to no project or count: province/city statistics, targets such as
  营业收入将突破8400亿元, and a firm's own output/revenue/taxes/assets (XX集团2022年实现产值…,
  该集团总资产…), which describe the firm rather than a project (the stat keeps `company`). Kept so nothing is silently lost; never an investment total.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .amounts import Amount, find_amounts, parse_number, venture_set_up
from .chains import classify_chain
from .lexicon import run_start, starts_finditer
from .lists import (COUNTED_LIST, LIST_VERB, find_announced_list_items, find_counted_list_items, find_item_names,
                    find_joined_counted_items, find_led_list_items, find_list_names, find_opened_list_items,
                    find_staged_list_items, find_site_capacity_items, find_capacity_head_items,
                    find_paired_capacity_items,
                    find_sited_counted_items)
from .names import (CAPACITY, NAME_BREAK, NOT_IN_NAME, PLACE_PREFIX, QUOTES_AND_XIANGMU, Span, bare_trade,
                    is_generic, trades_only)
from .origins import CompanySpan
from .sentences import clause_bounds

_DEAL_KINDS = ("investment", "contract", "orders")
# The firms a list closes or a deal names, a batch (国药物流等10家大型物流企业, 引进了7家农特产品加工企业), not a
# target (引进100家以上…企业) nor a fair's exhibitors (吸引了160多家企业参展).
_FIRMS_COUNTED_RE = (r"(?:(?<=等)|(?<=引进了|签约了|对接了|入驻了|落户了))(?P<f>\d+|[一二两三四五六七八九十百]+)"
                     r"(?:多|余)?家(?!以上)[\u4e00-\u9fff]{0,12}?(?:企业|公司|客商)")
_COUNT = re.compile(
    r"(?P<n>\d+|[一二两三四五六七八九十百]+)(?:多|余)?(?:个|项|份|家(?!企业[^，,。；;]{0,12}?项目\d)|大(?=重点|重大))(?!一批)"
    r"(?:[\u4e00-\u9fff“”\"]{0,10}?|[\u4e00-\u9fff、]{10,24}?的[\u4e00-\u9fff]{0,8}?)"  # 11个前景好、潜力大的硅芯产业项目
    r"(?:项目|协议|合同|工程)"
    r"|(?:项目|合同|协议)(?:共有|共|数|共计|总数|有)?(?:将|预计将?)?(?:已?(?:签约|开工|投产|落地|竣工|开复工))?(?:达|为)?(?P<m>\d+|[一二两三四五六七八九十百]+)(?:多|余)?(?:个|项|份)(?!项目)"
    # "已开工108个，开工项目总投资…": a count of projects that reached a stage.
    r"|(?:已|共)(?:签约|开工|投产|达产|落地|入驻)(?P<k>\d+)个"
    # "A项目、B项目等共9个": a list of projects closed by its number.
    r"|(?<=项目)等共?(?P<j>\d+|[一二两三四五六七八九十百]+)(?:多|余)?个(?=[，,。；;]|$)"
    # "民生和社会事业类7项，具体为…": a class of projects counted without the word 项目.
    r"|(?<=类)(?P<c>\d+|[一二两三四五六七八九十百]+)(?:多|余)?[个项](?=[，,。；;：:]|$)"
    # "国药物流等10家大型物流企业", "引进了7家农特产品加工企业" (_FIRMS_COUNTED_RE above)
    r"|" + _FIRMS_COUNTED_RE
)
# A class's count followed by its total (乡村旅游项目1个，总投资17亿元): a line of a breakdown.
_CLASS_TOTAL = re.compile(r"[，,]?(?:计划)?总?投资")
_CAPITAL_WORDS = ("出资", "注册资本", "注册资金")
_FIRMS_COUNTED = re.compile(_FIRMS_COUNTED_RE)  # the same alternative alone: could_hold_records' pre-test
_COUNT_STARTS = re.compile(r"[\d一二两三四五六七八九十百项合协已共等]")  # first characters of _COUNT
# Pieces every _COUNT match holds (number + 个/项/份; 项目 + 共/数/达/为/number; 已签约 + digit):
# C-level searches rule out most sentences before the per-position scan. Two patterns, because
# re skips ahead fast only when all alternatives begin with a literal or the pattern with a class.
_COUNT_NUMBER = re.compile(r"[\d一二两三四五六七八九十百][多余]?[个项份家大]")
_STAGE_COUNT = r"已(?:签约|开工|投产|达产|落地|入驻)\d|共(?:签约|开工|投产|达产|落地|入驻)\d"
_COUNT_WORDS = re.compile(r"(?:项目|合同|协议)(?:已?(?:签约|开工|投产|落地|竣工|开复工))?[共数达为有\d一二两三四五六七八九十百]|" + _STAGE_COUNT)
_PROJECT_CUE = re.compile(r"项目|基地|工厂|生产线|厂房|投资建设|投资兴建|建设|新建|扩建|落户")
# A sentence about "the works" just named (工程临河依山而建…，计划投资80亿元): its figures are theirs.
_WORKS_SUBJECT = re.compile(r"(?:该|此|整个)?工程(?![师院])")
_QUOTED_NAME = re.compile(r"[“\"]([^”\"，,]{2,40})[”\"](?:项目)?")  # a quote holding a comma is a slogan
# A project named in book-title marks, as announcements do (拟投资3.6亿元在《某某垃圾焚烧发电项目》): not a document.
_BOOK_NAME = re.compile(r"《([^》《，,。；;]{4,40}?(?:项目|工程))》")
# A round held at a project's site (主会场设在X项目建设现场, 活动在Y工程现场举行): the site is a project.
_VENUE_NAME = re.compile(r"(?:设在|设于|在)([\u4e00-\u9fffA-Za-z0-9（）()·]{4,30}?(?:项目|工程))(?:建设|施工)?现场")
# 年产…项目, and a facility with its capacity (年产1万台甲醇重卡生产线): the facility is the project.
_CAPACITY_NAME = re.compile(r"年产[^，。；,;、]{1,40}?(?:项目|生产线|基地|工厂|工程)(?:项目)?")
_PLANT = "基地|工厂|产业园|物流园|科技园|创新园|生产线|园区"  # the kinds of facility built as a project
_BUILT_NAME = re.compile(r"(?:建设|新建|投建|打造|扩建|共建|兴建)([\u4e00-\u9fffA-Za-z0-9]{1,20}?(?:" + _PLANT
                         + r"|中心|实验室|研究院))")
# A facility whose building is pushed on (加快安泰精品钢深加工“零碳”产业园建设): the facility is the project.
_ADVANCED_NAME = re.compile(r"(?:加快|推进|推动|加速|抓好)(?:推进|实施)?([\u4e00-\u9fffA-Za-z0-9“”]{3,24}?"
                            r"(?:" + _PLANT + r"))(?:的)?(?:项目)?建设")
# A name the text classes as a project (将X作为…项目, X被列为/列入…重点项目): X is one.
_CLASSED_CUE = re.compile(r"作为|列为|列入")
_CLASSED_NAME = re.compile(r"(?:将|把)([\u4e00-\u9fffA-Za-z0-9“”（）()]{4,30}?)(?:作为|列为|列入)[^，,。；;]{0,16}?项目|"
                           r"([\u4e00-\u9fffA-Za-z0-9“”（）()]{4,30}?)(?:被列为|被列入|列入)[^，,。；;]{0,16}?项目")
# A product line opening its clause as the subject of its progress (X进展顺利): a project named without 项目.
_PROGRESS_SUBJECT = re.compile(r"(?:^|(?<=[，,；;。]))([\u4e00-\u9fffA-Za-z0-9]{5,20}?)(?:项目)?(?:建设)?"
                               r"(?:进展顺利|进展迅速|稳步推进|有序推进|加快推进|进展良好)")
_PARTNER_CUE = re.compile(r"(?:合作|共同|联合)(?:建设|新建|兴建|打造)")
_PARTNER_BUILT = re.compile(r"(?:合作|共同|联合)(?:建设|新建|兴建|打造)((?:\d+|[一二两三四五六七八九十]+)[座个家套]"
                            r"[\u4e00-\u9fffA-Za-z0-9]{2,16}?(?:站|基地|中心|工厂|电站|产业园))(?=[，,。；;、]|$)")


# Progress reported on what precedes it (A项目、B工程加快推进, C项目进展顺利): the works are under way.
_PROGRESS = re.compile(r"(?:正在)?(?:加快|有序|稳步|全面|全力)(?:推进|建设)|进展顺利|进展迅速|进展良好|进度较快")


def _vouched_ends(sentence: str) -> set[int]:
    """Ends of the names the text itself vouches for, so they need no stage cue: a facility whose building is
    pushed on (加快X产业园建设), one classed as a project (将X作为…项目), one partners build (合作建设30座…站),
    the "…项目/工程" names of a clause whose progress is reported (A项目、B工程加快推进)."""
    ends = {m.end(1) for m in _ADVANCED_NAME.finditer(sentence)} if "建设" in sentence else set()
    if "现场" in sentence:
        ends |= {m.end(1) for m in _VENUE_NAME.finditer(sentence)}
    if "《" in sentence:
        ends |= {m.end(1) for m in _BOOK_NAME.finditer(sentence)}
    for m in _PROGRESS.finditer(sentence):
        end = m.start() - (1 if sentence[m.start() - 1:m.start()] == "等" else 0)
        clause = max(sentence.rfind(c, 0, end) for c in "，,。；;：:") + 1
        ends |= {k for k in (*(k for k in range(clause, end) if sentence[k] == "、"), end)
                 if sentence.endswith(("项目", "工程", "期"), 0, k)}  # (北岭光伏组件稳步推进: a trade, no work named)
    if _CLASSED_CUE.search(sentence):
        ends |= {end for _, end in _classed(sentence)}
    if "建" in sentence and _PARTNER_CUE.search(sentence):
        ends |= {m.end(1) for m in _PARTNER_BUILT.finditer(sentence)}
    return ends


def _classed(sentence: str) -> list[tuple[int, int]]:
    """(start, end) of each name _CLASSED_NAME finds (either of its two forms)."""
    return [m.span(1) if m.group(1) is not None else m.span(2) for m in _CLASSED_NAME.finditer(sentence)]


_BUILT_END = re.compile("基地|工厂|园|生产线|中心|实验室|研究院")  # what _BUILT_NAME needs: a cheap pre-test
# A facility that a stage verb reports on (…乙二醇装置日前一次开车成功, …电站并网发电, …生产线建成投产):
# the facility is the project, named by the run of name characters before its head word.
_STAGED_FACILITY = re.compile(r"(?:生产线|装置|酒店|电站|能源站|加氢站|充电站|(?:分输|输气|配气|门|换电|储能|增压|压气|计量)站|工厂|机组|基地|产业园|创新园|科技园|物流园|中心|"
                              r"数据中心|算力中心|管道|管线|专用线|小镇|度假区|车间|研发中心|工程|大桥|科技城|(?<![道公铁线思出网马])路(?!线|径|桥)|(?<![大])桥(?!集团|公司|有限|股份))"
                              r"(?=[^，,。；;]{0,12}?(?:正式|顺利|成功|一次|全面)?"
                              r"(?:投产|开工|动工|建成|并网|竣工|开车|试生产|试运行|点火|下线|上线|投运|投入使用|投入运营|"
                              r"落地|落户|签约|奠基|落成|通车|通气|通水|封顶|打桩|施工现场|建设现场)"
                              r"|(?:项目)?(?:计划)?总?投资(?:约|达|为|近|超)?\d)")  # (…生产线投资约3亿元: its figure)
# Breaks after which a staged facility's name may hold nothing but its head (see find_project_names).
_HEAD_ONLY_BREAKS = ("公司", "和")
# A claim heading a facility a stage reports on (全省首条…, 首家地市级…): not part of its name.
_CLAIM_LEAD = re.compile(r".*?(?:首[条家个座台批套]|第一[条家个座台]|唯一)(?:[\u4e00-\u9fff]{0,3}级|的)?")
# A facility named only by what it is for (生产车间, 办公大楼): a part of a plant, no project's name.
_BARE_FUNCTION = frozenset(("生产", "加工", "包装", "办公", "综合", "主体", "联合", "配套"))
# An open "…项目" phrase. Tried at every position this lazy pattern is slow: _xiangmu_phrases
# gives the same matches from the positions of 项目.
_XIANGMU_NAME = re.compile(r"[\u4e00-\u9fffA-Za-z0-9（）()·/]{2,30}?项目(?:[一二三四]期)?")
_NAME_RUN = re.compile(r"(?:[\u4e00-\u9fffA-Za-z0-9（）()·“”/]|(?<=\d)[.×](?=\d))*")  # / of 20万吨/年, the decimal point of 年产1.2万吨, 2×35万千瓦
_PHASE = re.compile("[一二三四]期")
_ENUM_BEFORE = re.compile(r"(?:^|[，,；;：:。\s])(?:[一二三四五六七八九十]+是|[（(][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[.．、]|——)$")
_XIANGMU_NEXT = re.compile("(?:建设|新建)?项目")  # X物流园建设项目: the "…项目" phrase names it whole
_PLACE_END = re.compile(r"(?:[省市县区镇乡]|开发区|园区|新区)$")  # words ending a place (侯马经济开发区)
# A "…项目" phrase is a specific project only if it names a product, industry or facility.
_FACILITY = re.compile(
    r"基地|总部|产业园|园区|工厂|生产线|工程|中心|电站|机组|堆场|大通道|基础设施|厂|线|站|港|城|馆|仓|管网|园|"
    r"年产|万吨|吨|台|套|MW|GW|兆瓦|千瓦"
)
_CLAUSE_BREAK = re.compile(r"[，,；;：:。]")
_QUOTE_PROJECT = re.compile(r"项目|年产|工程|生产线")
# Plural nouns for "the projects of a round" (新开工项目, 签约项目…): an amount governed only by one
# of these describes an aggregate, not one project.
_AGGREGATE = re.compile(r"(?:新开工|开工|新签约|签约|投产|在建|续建|新建|重点|重大|招商引资|固投资?|固定资产投资|产业|基础|"
                        r"基础设施|民生|\d{4}年度?){1,2}项目")  # 新建产业项目: two class words
# "该项目 / 项目建成后…": a non-investment amount stated for the project at hand.
_BATCH_NAME = re.compile(r"(?:一批|一大批|一系列|多个|数个|若干)")  # a name that counts projects without a number
_THIS_LEAD = re.compile(r"[“\"]?(?:该|本|此|这个|这一)项目")  # a sentence about the project just named
_THIS_PROJECT = re.compile(r"该项目|本项目|该基地|该工厂|该生产线|项目(?:全部|全面|整体)?(?:建成|投产|达产|建设完成)|"
                           r"建成后|投产后|达产后|运营后|完成后|随着项目|(?:完成|建成|投产|达产)[^。；;]{0,8}?[，,]届时")
# A firm's facility (吉利晋中基地, 某公司太原工厂): figures stated for it belong to that project.
_FIRM_FACILITY = re.compile(r"[\u4e00-\u9fff]{0,6}?(?:基地|工厂|厂区|产业园|生产线|项目)")


@dataclass
class Draft:
    """A record before ids, places, dates and origins are filled in (offsets in the sentence)."""

    kind: str
    anchor: int
    lo: int
    amount: Amount | None = None
    count: int | None = None
    name: Span | None = None
    company: CompanySpan | None = None
    item: bool = False  # an item of an enumeration: place, firm and chain come from its own words


# What a sentence with a draft must hold: an amount's unit + currency (万元, 亿美元), 项目
# (open and 年产 names, lists, most counts), what a quoted name needs (年产/工程/生产线; see
# _QUOTE_PROJECT), 已签约 + digit (a stage count), a 建设…基地 name, or a count's number +
# 个/项/份 with the 协议/合同 it counts. Most sentences are ruled out by the first search.
_CURRENCY_AFTER = r"\s*(?:元|美元|欧元|港元|港币|日元|英镑|人民币)"
_ANY_ANCHOR_WORD = re.compile(rf"万{_CURRENCY_AFTER}|亿{_CURRENCY_AFTER}|项目|年产|工程|生产线|{_STAGE_COUNT}")
_FACILITY_HEAD = re.compile("装置|酒店|站|工厂|机组|基地|园|中心|管道|管线|专用线|小镇|度假区|车间|工程|桥|城|路")


def could_hold_records(sentence: str) -> bool:
    """False only if drafts_for_sentence(sentence, …) is sure to be empty (a cheap pre-test)."""
    return bool(_ANY_ANCHOR_WORD.search(sentence)
                or ("期" in sentence and _PHASE_SUBJECT.search(sentence))
                or (_BUILT_END.search(sentence) and (_BUILT_NAME.search(sentence) or _ADVANCED_NAME.search(sentence)))
                or (_FACILITY_HEAD.search(sentence) and _STAGED_FACILITY.search(sentence))
                or (("协议" in sentence or "合同" in sentence) and _COUNT_NUMBER.search(sentence))
                or ("家" in sentence and _FIRMS_COUNTED.search(sentence) is not None)
                or _described(sentence) is not None
                or ("建" in sentence and _PARTNER_BUILT.search(sentence) is not None)
                or (("进" in sentence or "稳步" in sentence) and _PROGRESS_SUBJECT.search(sentence) is not None)
                or ("、" in sentence and bool(find_capacity_head_items(sentence)))  # A600万吨、B120万吨矿井建设
                or ("在" in sentence and ("个" in sentence or "座" in sentence or "家" in sentence)
                    and ("、" in sentence or "和" in sentence or "及" in sentence)
                    and bool(find_sited_counted_items(sentence))))  # 在A县、B县建设2个电站


def find_counts(sentence: str) -> list[Span]:
    """Project counts: 28个重点项目, 项目39个, 项目100多项 (not 14个产业集群)."""
    out = []
    if not (_COUNT_NUMBER.search(sentence) or _COUNT_WORDS.search(sentence)):
        return out
    for m in starts_finditer(_COUNT, sentence, _COUNT_STARTS):
        n = parse_number(m.group("n") or m.group("m") or m.group("k") or m.group("j") or m.group("c") or m.group("f"))
        # One project is no batch, unless it is a round's (“开工一批”项目1个: the round had one) or a class's in a
        # breakdown (乡村旅游项目1个，总投资17亿元: counted after its word, as no single project is named).
        if n is not None and (n >= 2 or n == 1 and ("一批" in sentence[max(0, m.start() - 6):m.start()]
                                                    or m.group("m") is not None and m.group().startswith("项目")
                                                    and _CLASS_TOTAL.match(sentence, m.end()))):
            out.append(Span(m.start(), m.end(), m.group(), int(n)))
    found = _BREAKDOWN.search(sentence)
    head = found.start() if found else -1
    if found and (head == 0 or "项目" in sentence[:found.end()]):
        # 其中 after projects (重点项目51个，其中省级3个、市级11个; 项目总投资…，其中亿元以上36个): each
        # labelled count that follows is a part of that batch, a batch of its own.
        rest = found.end()
        for m in _SUB_COUNT.finditer(sentence[rest:]):
            n = parse_number(m.group(2))
            lo, hi = rest + m.start(1), rest + m.end()
            inside = [c for c in out if lo <= c.start and c.end <= hi]  # 产业类18个: the label stays
            if n is not None and n >= 2 and not any(c.start < hi and lo < c.end for c in out if c not in inside):
                out = [c for c in out if c not in inside] + [Span(lo, hi, sentence[lo:hi], int(n))]
    return sorted(out, key=lambda c: c.start)


# 其中…, 20个公共设施项目中，…, and 包括 right before a labelled count (16个项目，包括古城片区9个，…).
_BREAKDOWN = re.compile(r"其中|项目中[，,]?|包括(?=(?:(?!的)[\u4e00-\u9fff]){2,8}?(?:\d+|[一二两三四五六七八九十]+)个[，,、；;。])")
_PAIRABLE_COUNT = re.compile(r"项目|协议|合同|工程|^[已共等]|^(?:\d+|[一二两三四五六七八九十]+)[个项]$")
# A labelled count in a breakdown (省级3个、市级11个, 教育服务方面7个): a label of 2 to 8 characters
# (no date, no percentage) and a number of 个 that ends its clause.
_SUB_COUNT = re.compile(r"(?:^|(?<=[，,、；;：:]))\s*((?:(?!的)[\u4e00-\u9fff]){2,8}?)(\d+|[一二两三四五六七八九十]+)个(?=[，,、；;。]|$)")


# A work described where the sentence starts (百灵街西延工程西起泽州北路…, X项目位于Y…): its name.
_DESCRIBED = re.compile(r"\s*(?:(?:据悉|据了解|据介绍|其中|目前)[，,])?"
                        r"((?![该本此这])[\u4e00-\u9fffA-Za-z0-9（）()—\-]{4,30}?(?:工程|项目|医院|学校|产业园|生态园|物流园|科技园|创新园|基地|工厂)|"
                        r"(?![该本此这])[\u4e00-\u9fff]{2,3}(?:产业园|基地|工厂))"
                        r"(?=位于|坐落于|北起|南起|东起|西起|全长|总长|占地|建设内容|主要建设|总投资|总建筑|规划建筑|建筑面积)")
_DESCRIBED_CUE = re.compile(r"位于|坐落于|[北南东西]起|[全总]长|占地|建设内容|主要建设|总投资|总建筑|规划建筑|建筑面积")  # its cheap pre-test


_CLAUSE_WORDS = re.compile(r"出席|宣布|仪式|主持|参加|表示|要求|强调|指出|并|的|在")  # a clause, no name
# A stage verb right after a "…项目" phrase (向日葵产业一体化项目落户…): the phrase names a project.
_STAGE_NEXT = re.compile(r"(?:正式|顺利|成功|已)?(?:落户|落地|开工|签约|投产|竣工|开建|动工|建成|启动)|"
                         r"(?:正在)?(?:加快|有序|稳步|全面|全力)(?:推进|建设)|进展顺利|进度较快|"
                         r"(?:的)?(?:土建|主体|基础|厂房|钢结构|设备安装|桩基|土方)(?:工程|施工|建设|结构)?(?:及[\u4e00-\u9fff]{2,4}工程)?"
                         r"(?:已|正在|全面|基本|即将)")  # X项目土建及安装工程已基本完成: a project being built


DEICTIC_END = re.compile(r"(?:该|本|此|这个?|这一)项目$")  # "the project", never a name (blocks.py too)
_NUMBER_LEAD = re.compile(r"[（(]\d{1,2}[)）]")
_PREDICATE = re.compile(r"是[^，,。；;]*的$")  # (see find_project_names)
_GOAL_LEAD = re.compile(r"打造成|打造为|建设成为?|建成为|成为")
_COUNTED_UNITS = re.compile(r"[\d一二三四五六七八九十两]+[条座栋台套个]")
_CAMPAIGN = re.compile(r"(?:行动|攻坚|会战|活动|建设年|一批)$")


# An open "…项目" phrase opening its sentence as the subject of a description (太原惠科项目是…重大项目,
# 总投资90亿元): a name, like one a stage follows.
_SUBJECT_NEXT = re.compile(r"是|总投资|计划总投资|位于|占地")
# The names after a "…项目" phrase in a list of them (A项目、B工程、C项目加快推进): the stage after the last is theirs.
_NEXT_LISTED = re.compile(r"、[\u4e00-\u9fffA-Za-z0-9（）()·]{2,30}?(?:项目|工程)(?:[一二三四]期)?")


def _stage_after_list(sentence: str, end: int) -> bool:
    """True when the "…项目" phrase ending at `end` opens a 、-list of such phrases that a stage follows."""
    pos, listed = end, False
    while (m := _NEXT_LISTED.match(sentence, pos)) is not None:
        pos, listed = m.end(), True
    return listed and bool(_STAGE_NEXT.match(sentence, pos + (1 if sentence.startswith("等", pos) else 0)))


def _described(sentence: str) -> re.Match | None:
    """_DESCRIBED.match(sentence), after a cheap test for its cue words near the start."""
    return _DESCRIBED.match(sentence) if _DESCRIBED_CUE.search(sentence, 0, 50) else None


def find_project_names(sentence: str, listing: bool = False) -> list[Span]:
    """Project names: quoted names, 年产…项目, 建设…基地, and specific "…项目" phrases.

    With `listing` (the sentence enumerates projects: a counted list or find_item_names) any "…项目" phrase
    that is not generic is a name: the list itself says its items are projects.
    """
    # (start, end, open "…项目" phrase?) in the order of precedence of the patterns.
    candidates: list[tuple[int, int, bool]] = []
    # Substring tests first: most sentences need none of the patterns.
    if "“" in sentence or '"' in sentence:
        for m in _QUOTED_NAME.finditer(sentence):
            inner = m.group(1)
            if ((len(inner) <= 4 and inner.endswith("工程") and not m.group().endswith("项目")) or "、" in inner
                    or _CAMPAIGN.search(inner)):
                continue  # “头号工程”, “建一流工程、创一流质量”, “冬季行动”: a slogan or campaign, not a work
            if (_QUOTE_PROJECT.search(inner) and (inner.endswith("项目") or "项目" not in inner)
                    or sentence.startswith("项目", m.end()) or m.group().endswith("项目")):
                candidates.append((m.start(), m.end(), False))
    books = [(m.start(1), m.end(1), False) for m in _BOOK_NAME.finditer(sentence)] if "《" in sentence else []
    candidates += books
    if "现场" in sentence:
        for m in _VENUE_NAME.finditer(sentence):
            brk = NAME_BREAK.match(sentence, m.start(1), m.end(1) - 2)
            lo = brk.end() if brk and m.end(1) - brk.end() >= 6 else m.start(1)  # (…工业园项目: 工业园 is no break here)
            candidates.append((lo, m.end(1), False))
    if "年产" in sentence:
        candidates += [(m.start(), m.end(), False) for m in _CAPACITY_NAME.finditer(sentence)]
    if _BUILT_END.search(sentence):
        for m in _BUILT_NAME.finditer(sentence):
            brk = NAME_BREAK.match(sentence, m.start(1), m.end() - 2)  # 建设开发有限公司X产业园: after the firm
            candidates.append((brk.end() if brk else m.start(1), m.end(), False))
        for m in _ADVANCED_NAME.finditer(sentence):
            if sentence[max(0, m.start() - 1):m.start()] == "为":
                continue  # 为推进晋中大型煤炭基地建设，…: what the deal is for, not a project of its own
            brk = NAME_BREAK.match(sentence, m.start(1), m.end(1) - 2)
            candidates.append((brk.end() if brk else m.start(1), m.end(1), False))
    if _BUILT_END.search(sentence) or _FACILITY_HEAD.search(sentence):
        backwards = sentence[::-1]
        for m in _STAGED_FACILITY.finditer(sentence):
            run = lo = max(run_start(_NAME_RUN, backwards, m.start()), m.start() - 30)
            brk = NAME_BREAK.match(sentence, lo, m.start())
            lo = brk.end() if brk else lo
            if brk and brk.group().endswith(_HEAD_ONLY_BREAKS) and (
                    m.start() - lo < 2 or brk.group().endswith("公司") and sentence[lo:m.start()] in _BARE_FUNCTION):
                # 某公司研发中心主体已封顶, 某公司生产基地投产 (the firm's facility), 检测检验和研发中心 (two
                # heads joined): the name reaches back over the break, a firm before it included.
                prev = NAME_BREAK.match(sentence, run, brk.end() - (2 if brk.group().endswith("公司") else 1))
                if prev and prev.group().endswith("公司"):
                    prev = NAME_BREAK.match(sentence, run, prev.end() - 2)
                lo = prev.end() if prev else run
            if sentence.startswith("“", lo) and "”" not in sentence[lo:m.end()]:
                lo += 1  # a quoted remark opening on the name (“10万吨酿醋车间已打桩完毕…”)
            claim = _CLAIM_LEAD.match(sentence, lo, m.start())
            if claim and m.start() - claim.end() >= 2:
                lo = claim.end()  # 首家地市级智慧能源数据中心落户: the facility, without the claim
            if (m.start() - lo >= 2 and not _XIANGMU_NEXT.match(sentence, m.end())
                    and sentence[lo:m.start()] not in _BARE_FUNCTION and not is_generic(sentence[lo:m.start()])
                    and "会场" not in sentence[m.end():m.end() + 14]):  # (A工程4个分会场同步开工: venues)
                candidates.append((lo, m.end(), False))
    if "建" in sentence and _PARTNER_CUE.search(sentence):
        # 与中石油山西公司合作建设30座加氢综合能源站: what partners build together is a project, counted or not.
        candidates += [(m.start(1), m.end(1), False) for m in _PARTNER_BUILT.finditer(sentence)]
    if "进" in sentence or "稳步" in sentence:
        for m in _PROGRESS_SUBJECT.finditer(sentence):
            chain, keyword = classify_chain(m.group(1), "")
            if chain and keyword != m.group(1) and not is_generic(m.group(1)):
                candidates.append((m.start(1), m.end(1), False))  # 美锦氢燃料电池及商用车进展顺利，一期部分投产
    if "项目" in sentence and _CLASSED_CUE.search(sentence):
        for start, end in _classed(sentence):
            brk = NAME_BREAK.match(sentence, start, end - 2)
            lo = brk.end() if brk else start
            if end - lo >= 4 and not is_generic(sentence[lo:end]):
                candidates.append((lo, end, False))  # 将X作为“三个一批”项目全力推进, X被列为省级重点项目
    reporting = _REPORTING_FACILITY.match(sentence) if _REPORTING_VERB.search(sentence) else None
    if reporting:  # 去年，X电站发电…，实现产值…: the facility reports its output, so it is a project
        candidates.append((reporting.start(1), reporting.end(1), False))
    described = _described(sentence)
    if described:
        brk = NAME_BREAK.match(sentence, described.start(1), described.end(1) - 2)
        candidates.append((brk.end() if brk else described.start(1), described.end(1), False))
    if "项目" in sentence:
        for start, end in _xiangmu_phrases(sentence):
            brk = NAME_BREAK.match(sentence, start, end - 2)
            # A firm's own "…项目" (某某有限公司废弃铜渣综合利用项目) or an enumerated one (三是某某镁业项目):
            # the firm or the numbering vouches for the name.
            lo = brk.end() if brk else start
            vouched = (brk is not None and _SIGNED_BY.search(brk.group()) and end - lo >= 6
                       or end - lo >= 5 and bool(_ENUM_BEFORE.search(sentence, max(0, lo - 5), lo)))
            candidates.append((lo, end, not vouched))
    out: list[Span] = []
    for start, end, open_phrase in candidates:
        if sentence.startswith("以及", start) and end - start > 4:
            start += 2  # …，以及B项目: the joiner is no part of B's name (以及 inside a name stays)
        elif sentence.startswith("及", start) and sentence[max(0, start - 2):start] in ("项目", "工程") and end - start > 4:
            start += 1  # A项目及B项目: 及 after a name's 项目 joins two names
        verb = None
        for verb in _VERB_INSIDE.finditer(sentence, start, end):
            pass
        if verb is not None and end - verb.end() >= 4:
            start = verb.end()  # 清徐县集中开工乙光伏项目: the name is what the round starts
        if (_BUILD_LEAD.match(sentence, start) and end - start >= 8
                and (start == 0 or sentence[start - 1] in "，,；;：:")):
            start += 2  # …，建设霍东矿区中峪煤矿项目: the clause's verb, not the name (建设路 stays)
        if sentence.startswith("该", start) and end - start > 6 and not _THIS_PLACE.match(sentence, start):
            start += 1  # 该集成电路用300mm硅片产能升级项目: the project just named, by its name
        number = _NUMBER_LEAD.match(sentence, start, end)
        if number and end - number.end() >= 4:
            start = number.end()  # （2）乙新能源项目: the numbering is no part of the name
        if sentence.endswith("等项目", 0, end) and end - start > 5:
            end -= 3  # A、B、年产…电池等项目: the last item, not the class of them all
        if sentence[end:end + 1] in ("册", "库") or sentence[end:end + 1] == "》" and (start, end, False) not in books:
            continue  # 《…项目册》, 项目库: a list of projects, not one
        text = sentence[start:end]
        if text.count("(") + text.count("（") < text.count(")") + text.count("）"):
            continue  # X基地(年产…)项目 cut inside its brackets: the whole phrase is found as well
        if text.count("“") != text.count("”"):
            continue  # 牢固树立“抓项目…: a slogan cut open, not a name
        if "“" in text and _CAMPAIGN.search(QUOTES_AND_XIANGMU.sub("", text)):
            continue  # 翼城县“冬季行动”项目: a campaign
        if open_phrase and not listing and not (_FACILITY.search(text) or CAPACITY.search(text)
                                                or (len(text) >= 6 and (_STAGE_NEXT.match(sentence, end)
                                                                        or _stage_after_list(sentence, end))
                                                    and not _CLAUSE_WORDS.search(text))
                                                or (start == 0 and len(text) >= 5 and _SUBJECT_NEXT.match(sentence, end)
                                                    and not _CLAUSE_WORDS.search(text))
                                                or classify_chain(text, "")[0]):
            continue
        if is_generic(text) or any(s.start < end and start < s.end for s in out) or DEICTIC_END.search(text):
            continue  # (经批复同意该项目: "the project", not a name)
        if _ONE_OF.match(sentence, end):
            continue  # 国家重大物流枢纽项目、省级重点工程之一的X: a class X belongs to, not a project
        if _CLAUSE_LEAD.match(text):
            continue  # 这一新能源项目 (the project just named), 预计两年内完成全部配套项目 (a clause)
        clause = max(sentence.rfind(c, 0, start) for c in "，,。；;") + 1
        if open_phrase and start > clause and _PREDICATE.search(sentence[clause:start]) and any(
                s0 <= clause + 1 and e == clause + sentence[clause:start].index("是") and sentence.endswith("项目", 0, e)
                for s0, e, _ in candidates):
            continue  # A项目是山西省首个…的氢能利用项目: what A is, not another project
        if _GOAL_LEAD.search(sentence, clause, end):
            continue  # 将该项目打造成…示范项目, 成为…区域中心: what it is to become, not a name
        if _COUNTED_UNITS.match(text) and not text.endswith(("项目", "工程")) and not _PARTNER_CUE.search(
                sentence, clause, start):
            continue  # 建设8条自动化产线: how many lines a project builds, not its name
        if open_phrase and ((listing or sentence[start - 1:start] == "等" and "、" in sentence[max(0, start - 20):start])
                            and trades_only([PLACE_PREFIX.sub("", text)]) or bare_trade(text)):
            continue  # A、B等储能项目, 某市新能源项目签约60个, 此次新能源项目的签约: a trade, not a project
        out.append(Span(start, end, text))
    return sorted(out, key=lambda s: s.start)


def _xiangmu_phrases(sentence: str) -> list[tuple[int, int]]:
    """The spans of _XIANGMU_NAME.finditer(sentence), found from the positions of 项目.

    A match is the first 项目 at least two characters into a run of name characters (counted
    from the previous match's end), with at most 30 of them before it, plus 一期…四期 if present.
    """
    out: list[tuple[int, int]] = []
    done = 0  # end of the previous match
    backwards = sentence[::-1]  # for run_start: the run of name characters lies before 项目
    p = sentence.find("项目")
    while p >= 0:
        if p >= done + 2:
            lo = max(done, run_start(_NAME_RUN, backwards, p))
            if p >= lo + 2:
                done = p + 4 if _PHASE.match(sentence, p + 2) else p + 2
                out.append((max(lo, p - 30), done))
        p = sentence.find("项目", p + 2)
    return out


# A round of projects held as a ceremony (重点项目集中开复工仪式, 招商引资项目签约仪式).
_ROUND_EVENT = re.compile(r"(?:(?:重点|重大|招商引资|产业|转型)项目(?:集中)?|项目集中)(?:签约|开工|开复工|复工|开竣工|竣工|投产)"
                          r"(?:暨[^，,。；;]{0,24}?)?(?:仪式|活动)")


def _without_trade_runs(sentence: str, names: list[Span]) -> list[Span]:
    """`names` less every run of two or more joined by 、 alone that names only trades
    (文旅康养项目、仓储物流项目、现代农业项目: sectors, not projects)."""
    runs: list[list[Span]] = []
    for n in sorted(names, key=lambda n: n.start):
        if runs and sentence[runs[-1][-1].end:n.start] == "、":
            runs[-1].append(n)
        else:
            runs.append([n])
    return [n for run in runs
            if len(run) < 2 or not trades_only([x.text for x in run]) for n in run]


# A size class of projects (500万元以上项目已开工69个, 1-5亿元项目3个, 3个亿元以上项目): the amount
# labels the counted projects; it is no figure of theirs.
_CLASS_AFTER = re.compile(r"(?:及?以上|以下)?的?[\u4e00-\u9fff]{0,4}?项目[^，,。；;、]{0,6}?"
                          r"(?:\d+|[一二两三四五六七八九十百]+)[个项]")
_CLASS_BEFORE = re.compile(r"(?:\d+|[一二两三四五六七八九十百]+)个$")
_CLASS_NOUN = re.compile(r"(?:及?以上|以下)?的?[\u4e00-\u9fff]{0,4}?项目")


def _size_class(sentence: str, a: Amount) -> bool:
    """True when an amount with no word of its own (总投资, 产值 …) names a size class of counted projects."""
    if a.kind_word is not None or "项目" not in sentence[a.end:a.end + 12]:
        return False
    return bool(_CLASS_AFTER.match(sentence, a.end)
                or (_CLASS_BEFORE.search(sentence, max(0, a.start - 6), a.start) and _CLASS_NOUN.match(sentence, a.end)))


# A share of a total just given (其中自筹…, 其中银行贷款…): the words from 其中 to the amount, in one clause.
_FINANCING_PART = re.compile(r"其中[，,]?[^，,。；;]{0,8}$")


def _total_before(drafts: list[Draft]) -> Draft | None:
    """The last project draft of the sentence so far with an investment-like amount (the total a share is part of)."""
    return next((d for d in reversed(drafts) if d.kind == "project" and d.amount is not None
                 and d.amount.kind in _DEAL_KINDS), None)


_ANNUAL_PLAN = re.compile(r"年度?计划(?:完成)?投资额?[为达约]?$")
# A figure stated as a share of a total (计划投资10.91亿，占总投资15%): a part of it, no project's own.
_SHARE_AFTER = re.compile(r"[，,]?占(?:总投资|计划总投资|投资总额|总额)")


def drafts_for_sentence(sentence: str, companies: list[CompanySpan], has_stage) -> list[Draft]:
    """Drafts for one sentence; `has_stage(lo, hi)` says whether a stage cue lies in [lo, hi)."""
    companies = _investors(sentence, companies)
    amounts = [a for a in find_amounts(sentence) if not _size_class(sentence, a)]
    counts = find_counts(sentence)
    item_names = [n for n in find_item_names(sentence)
                  if not any(c.start < n.end and n.start < c.end for c in counts)]
    item_names = item_names if len(item_names) >= 2 else []
    project_list = bool(item_names) or ("等" in sentence and bool(COUNTED_LIST.search(sentence)))
    names = [n for n in find_project_names(sentence, project_list)
             if not any(c.start < n.end and n.start < c.end for c in counts)]
    if len(names) >= 2:
        names = _without_trade_runs(sentence, names)
    if item_names:
        # A list of whole items: each item is one name; names found inside an item give way.
        names = sorted(item_names + [n for n in names if not any(i.start < n.end and n.start < i.end
                                                                 for i in item_names)], key=lambda n: n.start)
    listing = "、" in sentence and ("项目" in sentence or "工程" in sentence) and not item_names
    drafts: list[Draft] = []
    event = _ROUND_EVENT.search(sentence) if not counts and ("仪式" in sentence or "活动" in sentence) else None
    if event and not any(a.kind in _DEAL_KINDS for a in amounts):
        # A round held without a count or total here (翼城县2025年重点项目集中开复工仪式): a batch of
        # its own, unless the article counts the round elsewhere (see extract.ceremony_batches).
        drafts.append(Draft("batch", event.start(), event.start(), None, None,
                            Span(event.start(), event.end(), event.group())))
    sited = find_sited_counted_items(sentence) if ("在" in sentence and "、" in sentence) or "分别" in sentence else []
    # 签约项目包括A中心和B项目; A园、B中心等集中开工 (found once, here, for the test below and the items further on)
    opened = (find_opened_list_items(sentence)
              if ("、" in sentence or "和" in sentence or "等" in sentence) and "项目" in sentence else [])
    staged_items = find_staged_list_items(sentence) if "、" in sentence else []
    headed = find_capacity_head_items(sentence) if "、" in sentence else []
    headed += find_paired_capacity_items(sentence) if "和" in sentence or "及" in sentence else []
    if not (amounts or counts or names or listing or sited or opened or staged_items or headed):
        return _with_phase(sentence, drafts)
    # A part of a breakdown (省级3个, 亿元以上36个) never takes an amount: the figures are the whole's.
    pairable = [c for c in counts if _PAIRABLE_COUNT.search(c.text)]
    used_counts: set[int] = set()
    used_names: set[int] = set()
    aggregate = False
    last_count: int | None = None
    prev_end = 0
    respective = _respectively(sentence, names, amounts)
    for name, a in respective:
        # A项目和B项目分别投资5亿元和3亿元: the figures go to the names in order.
        drafts.append(Draft("project", a.start, name.start, a, None, name, _nearest_company(companies, name.start)))
        used_names.add(name.start)
    if respective:
        amounts = [x for x in amounts if not any(x is a for _, a in respective)]
    for a in amounts:
        owner = _owner_after(sentence, a) if a.kind in _DEAL_KINDS else None
        if owner is not None and not any(owner.start <= c.start < owner.end for c in counts):
            # "总投资62.4亿元的莱卡氨纶纤维项目": the amount belongs to the name after 的, even in a
            # sentence about a round (包括产业类项目39个，主要有总投资…的A、总投资…的B).
            drafts.append(Draft("project", a.start, prev_end, a, None, owner, _nearest_company(companies, owner.start)))
            used_names.update(n.start for n in names if owner.start <= n.start < owner.end)
            prev_end = a.end
            continue
        after = _count_after(sentence, pairable, used_counts, a.end)
        count = (after if after is not None and sentence.startswith("的", a.end)
                 else _count_before(pairable, used_counts, prev_end, a.start) or after)
        if count is not None and count.end <= a.start and _opens_a_named_item(sentence, names, count.end, a.start):
            count = None  # 项目30个，代表性的包括：A项目，总投资X: the figure is A's
        if (count is None and a.kind in _DEAL_KINDS and len(item_names) >= 3
                and _BUILDS_ITEMS.fullmatch(sentence, a.end, item_names[0].start)):
            # 投资30亿元建设A项目、B项目及C项目: the figure is the listed projects' together (two items
            # paid for together are read as one project of two parts, as annotators do: A、B一体化)
            drafts.append(Draft("batch", a.start, prev_end, a, len(item_names)))
            prev_end = a.end
            continue
        name = _nearest(sentence, names, a.start, a.end)
        if name is not None and name.end <= a.start and project_list and _closes_list(sentence, name.end, a.start):
            name = None  # A项目、B项目等一批重点项目开工，总投资30亿元: the list's total, not B's
        if (name is not None and name.end <= a.start and len(item_names) >= 2 and name in item_names
                and _LIST_TOTAL.fullmatch(sentence, name.end, a.start)):
            name = None  # 签约A项目、B项目、C项目，总投资30亿元: the list's total (see _total_of_items)
        if name is not None and name.start > a.start and _THIS_LEAD.match(sentence):
            name = None  # 该项目总投资5亿元，为X项目入驻提供配套: the figure is the project just named's
        company = _nearest_company(companies, a.start)
        if count is None and name is not None and a.kind in _DEAL_KINDS and _BATCH_NAME.match(name.text):
            # 一批大型新能源项目在某市落地，总投资70亿元: a round without its number
            used_names.add(name.start)
            drafts.append(Draft("batch", a.start, prev_end, a, None, name))
            prev_end = a.end
            continue
        part_of = (_total_before(drafts) if a.kind == "other" and _FINANCING_PART.search(sentence, max(0, a.start - 14), a.start)
                   else None)
        if part_of is not None:
            # 项目总投资1.25亿美元，其中自筹6500万美元 / 银行贷款6亿元: a share of the project's total, the
            # project's record (its kind says it feeds no investment total), not a figure of its own.
            drafts.append(Draft("project", a.start, prev_end, a, None, part_of.name, part_of.company))
            prev_end = a.end
            continue
        if a.kind == "other" and company is None:
            name = None  # grants, funds and assets belong to a firm, not to a named programme
        if count is not None:
            used_counts.add(count.start)
            aggregate, last_count = True, count.value
            drafts.append(Draft("batch", a.start, prev_end, a, count.value, count))
        elif aggregate and not _own_name(names, prev_end, a.start):
            # Output/revenue of the same round shares its count; another investment figure in
            # the sentence is a different subset (新开工项目投资额…), so it gets none.
            inherited = last_count if a.kind not in _DEAL_KINDS else None
            drafts.append(Draft("batch", a.start, prev_end, a, inherited))
        elif name is None and company is None and a.kind in _DEAL_KINDS and _only_aggregate(sentence):
            drafts.append(Draft("batch", a.start, prev_end, a))
        elif a.kind_word in _CAPITAL_WORDS and venture_set_up(sentence):
            # The capital of a project company being set up (三方共出资55亿元, 注册资本为55亿元): the venture is
            # the project, its capital an amount that feeds no investment total.
            drafts.append(Draft("project", a.start, prev_end, a, None, name, company))
        elif (a.kind not in _DEAL_KINDS and name is None and company is not None
              and not _THIS_PROJECT.search(sentence) and not _is_facility(sentence, company)):
            # A firm's own output, revenue, taxes or assets (XX集团2022年实现产值…) describe the
            # firm, not a project: a stat that keeps the firm's name.
            drafts.append(Draft("stat", a.start, prev_end, a, None, None, company))
        elif ((name is None and company is None or name is not None and name.start in used_names)
              and (_ANNUAL_PLAN.search(sentence, max(0, a.start - 12), a.start) or _SHARE_AFTER.match(sentence, a.end))):
            # This year's planned spending (本年度计划完成投资50亿元) is a plan across projects, or
            # a part of the total just given to a project (X项目总投资5亿元，今年计划投资3.4亿元).
            drafts.append(Draft("stat", a.start, prev_end, a))
        elif (name is not None or company is not None
              or (a.kind in _DEAL_KINDS and (_PROJECT_CUE.search(sentence) or _WORKS_SUBJECT.match(sentence)))
              or (a.kind != "other" and _THIS_PROJECT.search(sentence))):
            if name is not None:
                used_names.add(name.start)
            drafts.append(Draft("project", a.start, prev_end, a, None, name, company))
        else:
            drafts.append(Draft("stat", a.start, prev_end, a))
        prev_end = a.end
    for c in counts:
        # Every count of projects is an aggregate (新建项目70个, 产业类项目39个, 14个项目集中签约),
        # with or without an amount.
        if c.start not in used_counts:
            # Its words run from the previous separator (开工225个项目: the cue before the count is its own).
            lo = max(sentence.rfind(sep, 0, c.start) for sep in "、，,；;：:") + 1
            drafts.append(Draft("batch", c.start, lo, None, c.value, c))
    left = [n for n in names if n.start not in used_names]
    unnamed = [d for d in drafts if d.kind == "project" and d.name is None]
    if len(left) == 1 and len(unnamed) == 1 and not _THIS_LEAD.match(sentence):
        # "…签约，项目总投资X，将建设Y基地": the one leftover name belongs to the one unnamed project.
        unnamed[0].name = left[0]
        used_names.add(left[0].start)
    # A name whose only figures are its expected output/profit (…项目开工建设，建成后利润可达X)
    # is a project of its own; those figures are its child records.
    deal_named = {d.name.start for d in drafts if d.name is not None and d.amount is not None
                  and d.amount.kind in _DEAL_KINDS} if names else set()
    described = _described(sentence) if names else None  # a work the sentence describes
    at_venue = "会场设" in sentence  # 分会场设立在X项目厂房内: the round is held at a project
    # (加快X产业园建设, 将X作为…项目, 合作建设…: names the text vouches for need no other stage)
    vouched = _vouched_ends(sentence) if names else set()
    # The stage test is the costly part: run it only when a name or a list is waiting for it.
    staged: bool | None = None
    for n in names:
        if n.start in deal_named:
            continue
        if ((n.start in used_names or not companies) and not _concrete(n.text) and not project_list
                and not _plain_project_name(n.text)
                and not (described and n.end == described.end(1)) and not at_venue and n.end not in vouched
                and not (len(n.text) >= 8 and _TOPIC_LEAD.fullmatch(sentence, clause_bounds(sentence, n.start)[0], n.start)
                         and _TOPIC_NEXT.match(sentence, n.end))):
            if staged is None:
                staged = has_stage(0, len(sentence))
            if not staged:
                continue
        company = _nearest_company(companies, n.start)
        drafts.append(Draft("project", n.start, n.start, None, None, n, company, item=n in item_names))
    items = find_list_names(sentence) if listing and LIST_VERB.search(sentence) else []
    if project_list and listing:
        counted = find_counted_list_items(sentence)
        items = counted + [i for i in items if not any(i.start < x.end and x.start < i.end for x in counted)]
    items += [i for i in opened if not any(i.start < x.end and x.start < i.end for x in items)]
    items += [i for i in staged_items if not any(i.start < x.end and x.start < i.end for x in items)]
    if staged_items:  # a name drafted across two of its items (B学校、C建设项目) gives way to them
        drafts = [d for d in drafts if not (d.name is not None and d.amount is None and "、" in d.name.text
                                            and staged_items[0].start <= d.name.start
                                            and d.name.end <= staged_items[-1].end)]
    parts = headed + [i for i in (find_site_capacity_items(sentence) if "、" in sentence else [])  # (a head: theirs)
                      if not any(i.start < x.end and x.start < i.end for x in headed)]
    items += [i for i in parts if not any(i.start < x.end and x.start < i.end for x in items)]
    if "、" in sentence or "和" in sentence or "及" in sentence:
        announced = find_announced_list_items(sentence)
        items += [i for i in announced if not any(i.start < x.end and x.start < i.end for x in items)]
        joined = sited + [j for j in find_joined_counted_items(sentence)  # (the sited form names each by its place)
                          if not any(j.start < x.end and x.start < j.end for x in sited)]
        items += [i for i in joined if not any(i.start < x.end and x.start < i.end for x in items)]
        if "为" in sentence:
            led = find_led_list_items(sentence)
            items += [i for i in led if not any(i.start < x.end and x.start < i.end for x in items)]
        if joined:
            for d in drafts:
                in_item = d.company is not None and any(j.start <= d.company.start < j.end for j in joined)
                if d.kind == "project" and d.name is None and (d.company is None or in_item) and d.amount is not None:
                    # 建设A、B、C三大中心，累计完成投资X: theirs together
                    d.kind, d.count, d.company = "batch", len(joined), None
    if items:
        named = [d for d in drafts if d.name is not None]
        for item in items:
            same = [d for d in named if item.end == d.name.end and d.name.start < item.end]
            for d in same:
                d.item = True  # a name already drafted is this item of the list
                lead = sentence[item.start:d.name.start]
                if lead and not _PLACE_END.search(lead) and not NAME_BREAK.match(lead) and not NOT_IN_NAME.search(lead):
                    d.name = item  # 隆基绿能年产15GW…: the item's firm is part of its name (a place heading it is not)
            inside = [d for d in named if item.start <= d.name.start and d.name.end < item.end and d.amount is None]
            for d in inside:
                d.name, d.item = item, True  # 某某光伏项目 inside the item 某某光伏项目定制厂房: the item
            if not same and not inside and not any(d.name.start < item.end and item.start < d.name.end for d in named):
                drafts.append(Draft("project", item.start, item.start, None, None, item,
                                    _nearest_company(companies, item.start), item=True))
    _total_of_items(sentence, drafts)
    return _with_phase(sentence, _joined_by_ji(sentence, _without_bare_project_names(sorted(drafts, key=lambda d: d.anchor))))


def _without_bare_project_names(drafts: list[Draft]) -> list[Draft]:
    """A "name" opening on a bare 项目 (项目立足新材料项目建设, 项目一期工程总投资…) is the project just
    reported on, not a new one: its figures stay (nameless, see extract_records), a bare mention goes."""
    out = []
    for d in drafts:
        if d.kind == "project" and d.name is not None and d.name.text.startswith("项目") and len(d.name.text) > 2:
            if d.amount is None:
                continue
            d.name = None
        out.append(d)
    return out


def _joined_by_ji(sentence: str, drafts: list[Draft]) -> list[Draft]:
    """"A项目暨B项目" is one project under two names (X产业园暨Y项目): one draft named by both."""
    if "暨" not in sentence:
        return drafts
    out: list[Draft] = []
    for d in drafts:
        prev = out[-1] if out else None
        if (prev is not None and prev.kind == d.kind == "project" and prev.name is not None and d.name is not None
                and prev.name.end < len(sentence) and sentence[prev.name.end] == "暨"
                and d.name.start in (prev.name.end, prev.name.end + 1) and not (prev.amount and d.amount)):
            prev.name = Span(prev.name.start, d.name.end, sentence[prev.name.start:d.name.end])
            prev.amount = prev.amount or d.amount
            prev.company = prev.company or d.company
            continue
        out.append(d)
    return out


_TOTAL_WORDS = ("总投资", "总投资额", "投资总额", "计划总投资")
# Between a list's last item and its total: a comma and the total's words (，计划总投资约).
_LIST_TOTAL = re.compile(r"[，,]\s*(?:项目)?(?:" + "|".join(_TOTAL_WORDS) + r")(?:约|达|为|共)?")


def _respectively(sentence: str, names: list[Span], amounts: list[Amount]) -> list[tuple[Span, Amount]]:
    """(name, amount) pairs of "A项目和B项目（总投资）分别为X、Y": as many names in the clause before 分别 as
    figures of one kind in the 40 characters after it, paired in order; [] otherwise."""
    at = sentence.find("分别")
    if at < 0 or len(amounts) < 2:
        return []
    before = [n for n in names if n.end <= at and not _CLAUSE_BREAK.search(sentence, n.start, at)]
    after = [a for a in amounts if at < a.start <= at + 40 and not _SENTENCE_BREAK.search(sentence, at, a.start)]
    if len(before) < 2 or len(after) != len(before) or len({a.kind for a in after}) != 1:
        return []
    return list(zip(before, after))


_SENTENCE_BREAK = re.compile(r"[。；;]")


def _closes_list(sentence: str, lo: int, hi: int) -> bool:
    """Whether a list's closing 等…项目 (等一批重点项目, 等3个项目) lies between `lo` and `hi`."""
    return "等" in sentence[lo:hi] and any(m.start() >= lo and m.end() <= hi for m in COUNTED_LIST.finditer(sentence, lo, hi))


# What lies between a list's last item and the total that closes it (…、C等，总投资80亿元): 等, a count, a comma.
_LIST_CLOSE = re.compile(r"等(?:\d+|[一二两三四五六七八九十]+)?[个项]?(?:项目)?[，,]?(?:项目)?(?:计划)?$")


def _total_of_items(sentence: str, drafts: list[Draft]) -> None:
    """A nameless total after the items of a list (分别是A、B、C，总投资31亿元) is their batch; so is a
    total the last item took across the list's closing 等 (包括A、B、C等，总投资80亿元)."""
    listed = [d for d in drafts if d.item and d.kind == "project" and d.name is not None]
    if len(listed) < 2:
        return
    ends = {d.name.end for d in listed}
    for d in drafts:  # a name right after the last item and its 、 is the list's next item (…、C项目等，总投资…)
        if d.kind == "project" and not d.item and d.name is not None and d.name.start - 1 in ends \
                and sentence[d.name.start - 1] == "、":
            d.item = True
            listed.append(d)
    last = max(d.name.end for d in listed)
    for d in listed:
        a = d.amount
        if (d.name.end == last and a is not None and a.kind == "investment" and a.kind_word in _TOTAL_WORDS
                and _LIST_CLOSE.search(sentence, d.name.end, max(d.name.end, a.start - len(a.kind_word)))):
            drafts.append(Draft("batch", a.start, a.start, a, len(listed)))
            d.amount = None
    for d in drafts:
        if (d.kind in ("stat", "project") and d.name is None and d.amount is not None and d.amount.start > last
                and d.amount.kind == "investment" and d.amount.kind_word in _TOTAL_WORDS):
            d.kind, d.count, d.company = "batch", len(listed), None


# A phase of the project just reported as the subject of its clause (7月16日，一期开工建设; 第四期项目
# 预计2025年建成投产; 其中一期建设8GW): a part of that project, reported as a project of its own.
PHASE_NAME = re.compile(r"第?[一二三四五六七八九]期(?:项目|工程)?")
_PHASE_SUBJECT = re.compile(r"(?:^|(?<=[，,；;]))(?:其中|项目|目前)?(" + PHASE_NAME.pattern + r")"
                            r"(?=[^，,。；;]{0,24}?(?:开工|动工|建成|投产|竣工|达产|交付|投运|并网|验收|建设|启动|"
                            r"计划|预计))")


def _with_phase(sentence: str, drafts: list[Draft]) -> list[Draft]:
    """`drafts`, plus a project for each phase that is its clause's subject when no draft is a project."""
    if "期" not in sentence or any(d.kind == "project" for d in drafts):
        return drafts
    phases = [Draft("project", m.start(1), m.start(1), None, None, Span(m.start(1), m.end(1), m.group(1)))
              for m in _PHASE_SUBJECT.finditer(sentence)]
    return sorted(drafts + phases, key=lambda d: d.anchor) if phases else drafts


_OWNER = re.compile(r"(?:建设|新建|投建|兴建|打造|实施)?的([^、，,。；;：:等（(“]{2,30}?)(?=[、，,。；;：:等（(]|$)")


# A stage or list verb inside a phrase taken for a name (…县集中开工乙项目): the name starts after it.
_BUILD_LEAD = re.compile(r"(?:建设|新建|扩建)(?![路街道银])")
_VERB_INSIDE = re.compile(r"(?:集中|正式|顺利|成功|先后|相继)?(?:开工|签约|签署|签订|投产|竣工|引进|落地|启动)(?:了|建设)?|"
                          r"拟(?:投建|建设|新建)|投建")
# A firm's own "…项目", or one a firm or government signs (X管委会和Y公司签署Z项目): a NAME_BREAK ending so.
_SIGNED_BY = re.compile(r"公司$|(?:公司|集团|管委会|政府)(?:签署|签订|签约)了?$")
# Between a figure and the list it pays for (投资30亿元，建设A、B…; 投资30亿元用于新建A、B…).
_BUILDS_ITEMS = re.compile(r"[，,]?(?:主要)?(?:用于|分别)?(?:建设|新建|打造|实施|投建|兴建|扩建)")
# A facility opening its sentence and reporting its year (去年，X抽水蓄能电站发电…，实现产值…).
_REPORTING_VERB = re.compile(r"发电|实现|上缴|产值|营收|销售收入")
_REPORTING_FACILITY = re.compile(r"(?:(?:去年|今年|上年|\d{4}年|目前|截至目前|上半年|前三季度|一季度)[^，,。；;]{0,8}[，,])?"
                                 r"([\u4e00-\u9fffA-Za-z0-9]{2,20}?(?:电站|工厂|生产线|基地|煤矿|矿井))"
                                 r"(?=(?:去年|今年|全年|累计|共)?(?:发电|实现|完成|上缴|年产值|产值|营收|销售))")
_THIS_PLACE = re.compile(r"该(?:县|市|区|镇|乡|村|园区?|开发区|公司|集团|企业|项目)")
_CLAUSE_LEAD = re.compile(r"这一|这个|这项")
_ONE_OF = re.compile(r"(?:、[^，,。；;、]{2,20}?)?之一")
_OWNER_STAGE = re.compile(r"(?:正式|顺利|成功|已经?|日前|近日|全面)?(?:建成|投产|开工|竣工|完工|落地|落户|签约|动工|开建|"
                          r"启动|投用|投运|运营|封顶)")


def _owner_after(sentence: str, a: Amount) -> Span | None:
    """The name right after an amount joined by 的 (总投资14亿元的5GW光伏组件制造项目), if it reads
    as a project name (not 的项目/的投资 …)."""
    m = _OWNER.match(sentence, a.end)
    if m is None:
        return None
    text = m.group(1)
    cut = text.find("项目")
    if 0 < cut < len(text) - 2:  # 的煤制烯烃项目在榆社县开工: the name ends at its 项目
        text = text[:cut + 2]
    stage = _OWNER_STAGE.search(text, 3)
    if cut < 0 and stage:  # 投资5亿元的降解材料生产线建成投产: the name ends before its stage
        text = text[:stage.start()]
    if is_generic(text) or NOT_IN_NAME.search(text) or len(text) < 3:
        return None
    if len(text) == len(m.group(1)):
        part = _NAME_PART.match(sentence, m.end(1))
        if part:  # 中联煤层气管道工程(盂县段): the bracket is part of the name (and says where it is)
            text += part.group()
    return Span(m.start(1), m.start(1) + len(text), text)


# A part or section in brackets closing a name: (盂县段), （一期）.
_NAME_PART = re.compile(r"[（(][\u4e00-\u9fff]{1,8}[)）](?=[、，,。；;：:等]|$)")


# What may stand before a project name that opens its sentence as the topic (据了解，X项目是…).
# A zone the name is cut from (长治高新区|X项目位于…) still leaves the name as the topic.
_TOPIC_LEAD = re.compile(r"[“\"]?(?:(?:据了解|据悉|据介绍|其中|目前|同时|此外|另外)[，,]?)?"
                         r"(?:[\u4e00-\u9fff]{1,8}?(?:开发区|经开区|高新区|示范区)|该(?:流域|县|市|区|镇|园区))?")



_TOPIC_NEXT = re.compile(r"是|作为|位于|坐落|由|于|总投资|计划|预计|建成|占地|规划|主要|将|已|正|目前|采用|共|分")


# Words of a class of projects or of the clause around one (省级重点工程项目, 募集资金投资项目, 精准招引…).
_CLASS_OR_CLAUSE = re.compile(r"重点|重大|募集|名单|招引|支撑|开创|依托|入列|管委会|确定|示范|之一|综合性|一体化|产业项目$|"
                              r"服务业|培训|教育|行业|领域|方面|政策")


def _plain_project_name(name: str) -> bool:
    """A long "…项目" name with nothing of a clause or a class of projects in it (市人民医院易址扩建项目,
    临县三交东铁路专用线项目): a project even when no stage or firm is named with it."""
    return (len(name) >= 8 and name.endswith("项目") and not NOT_IN_NAME.search(name)
            and not _CLASS_OR_CLAUSE.search(name) and not is_generic(name))


def _concrete(name: str) -> bool:
    """A "…项目" name stating a capacity (5000吨优质原酒生产基地项目): a project even when the
    sentence names no firm and no stage (…项目负责人说)."""
    return name.endswith("项目") and bool(CAPACITY.search(name))


def _is_facility(sentence: str, company: CompanySpan) -> bool:
    """True when the firm's name is followed by one of its facilities (吉利晋中基地)."""
    return company.end > company.start and bool(_FIRM_FACILITY.match(sentence, company.end))


_ITEM_COLON = re.compile(r"(?:包括|有|如|为|是)[：:]")


def _opens_a_named_item(sentence: str, names: list[Span], lo: int, hi: int) -> bool:
    """True when, between lo and hi, a list opens (包括：) and a name follows it."""
    m = _ITEM_COLON.search(sentence, lo, hi)
    return m is not None and any(m.end() <= n.start and n.end <= hi for n in names)


def _count_before(counts: list[Span], used: set[int], lo: int, hi: int) -> Span | None:
    for c in reversed(counts):
        if lo <= c.start and c.end <= hi and c.start not in used:
            return c
    return None


def _count_after(sentence: str, counts: list[Span], used: set[int], end: int) -> Span | None:
    """A count right after the amount (总投资X亿元的N个项目), or the count of what the amount's
    的 phrase names (总投资5.4亿元的农业类项目2个)."""
    reach = end + 2
    if sentence.startswith("的", end):
        stop = _CLAUSE_BREAK.search(sentence, end)
        reach = min(end + 12, stop.start() if stop else len(sentence))
    for c in counts:
        if end <= c.start <= reach and c.start not in used:
            return c
    return None


def _only_aggregate(sentence: str) -> bool:
    cues = list(_PROJECT_CUE.finditer(sentence))
    return bool(cues) and all(any(a.start() <= c.start() < a.end() for a in _AGGREGATE.finditer(sentence))
                              for c in cues)


def _own_name(names: list[Span], lo: int, hi: int) -> bool:
    return any(lo <= n.start and n.end <= hi for n in names)


def _nearest(sentence: str, spans: list[Span], start: int, end: int) -> Span | None:
    """Name in the amount's clause (before or after it), else the nearest one before it."""
    if not spans:
        return None  # most sentences
    opened = max(sentence.rfind("（", 0, start), sentence.rfind("(", 0, start))
    if opened > 0 and max(sentence.rfind("）", opened, start), sentence.rfind(")", opened, start)) < 0:
        # A项目（总投资12亿元）、B项目（…）: a figure in brackets is the name's right before them.
        owner = [s for s in spans if s.end == opened]
        if owner:
            return owner[0]
    def same_clause(s: Span) -> bool:
        lo, hi = min(s.end, start), max(s.start, end)
        return not _CLAUSE_BREAK.search(sentence, lo, hi)

    same = [s for s in spans if same_clause(s)]
    if same:
        return min(same, key=lambda s: abs(s.start - start))
    before = [s for s in spans if s.start <= start]
    return before[-1] if before else None


# A builder's role stated next to its name: 承建单位XX, XX作为该项目的建设主体, 由XX承建/总承包.
_BUILDER_BEFORE = re.compile(r"(?:承建|施工|总承包|总包|EPC|代建)(?:单位|方|商)?(?:为|是|[:：])?$")
_BUILDER_AFTER = re.compile(r"(?:作为(?:该|本|此)?(?:项目)?的?(?:建设主体|承建|施工|总承包|总包|EPC|代建)|"
                            r"(?:负责|参与)?(?:承建|施工|总承包|EPC|代建))")


def _investors(sentence: str, companies: list[CompanySpan]) -> list[CompanySpan]:
    """The firms of a sentence less its builders, when another firm is left to invest
    (XX公司项目签约，YY集团作为该项目的建设主体 → XX公司)."""
    if len(companies) < 2:
        return companies
    kept = [c for c in companies
            if not (c.end > c.start and (_BUILDER_BEFORE.search(sentence, max(0, c.start - 8), c.start)
                                         or _BUILDER_AFTER.match(sentence, c.end)))]
    return kept or companies


def _nearest_company(companies: list[CompanySpan], pos: int) -> CompanySpan | None:
    before = [c for c in companies if c.start <= pos]
    if before:
        return before[-1]
    return companies[0] if companies else None
