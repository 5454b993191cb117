"""Project stage from the nearest stage cue: signed / started / in_production / negotiating / planned."""
from __future__ import annotations

import re

# Longest cues first so 建成投产 is one cue, not 投产 alone.
_CUES: dict[str, str] = {
    "签约一批": "signed", "开工一批": "started", "投产一批": "in_production",
    "建成投产": "in_production", "投入运营": "in_production", "投入使用": "in_production",
    "投入生产": "in_production", "竣工投产": "in_production", "试生产": "in_production",
    "投产": "in_production", "达产": "in_production", "竣工": "in_production", "投运": "in_production",
    "建成投用": "in_production", "投用": "in_production", "完工": "in_production",
    "正式运营": "in_production", "建成运营": "in_production", "开业": "in_production", "投入运行": "in_production",
    "并网": "in_production", "开车成功": "in_production", "试运行": "in_production", "点火": "in_production", "达效": "in_production", "下线": "in_production", "上线": "in_production",
    "通车": "in_production", "通水": "in_production", "通气": "in_production",  # a road, a water or gas work opened
    "签约": "signed", "签下": "signed", "签订": "signed", "签署": "signed", "落户": "signed",
    "落地": "signed", "入驻": "signed",
    "开工": "started", "开复工": "started", "复工": "started", "开竣工": "started", "奠基": "started", "开建": "started", "动工": "started", "施工": "started",
    "在建": "started", "建设中": "started", "进场": "started", "封顶": "started", "主体完工": "started",
    "土方": "started", "土建": "started", "打桩": "started", "桩基": "started", "钢结构": "started", "设备安装": "started", "围挡": "started", "工地": "started",
    "洽谈": "negotiating", "对接": "negotiating", "考察": "negotiating", "磋商": "negotiating",
    "谋划": "planned", "包装推出": "planned", "规划": "planned", "拟建": "planned", "拟": "planned", "计划": "planned",
    "将建设": "planned", "将建": "planned", "筹划": "planned", "可研": "planned", "前期": "planned",
}
_CUE_RE = re.compile("|".join(sorted(_CUES, key=len, reverse=True)))
# An aspiration or forecast turns a completion cue into a plan: 争取早投产, 预计年底投产.
_FUTURE = re.compile(r"(争取|力争|预计|将于|将|计划|拟|有望|尽早|早)[^，,。；;]{0,5}$")
# Rates and counts of a stage describe a batch, not a project's own stage; still a cue.
# 计划投资/拟投资 introduce an amount, not a stage; rates describe a batch.
_NOT_CUE = re.compile(r"(?<=凝)土建|开工率|投产率|达产率|计划(?:总)?投资|拟(?:总)?投资|规划面积|规划建筑|规划(?=约?\d)")
# "After it goes into production" (建成投产后, 达产后可实现…) states what a stage will bring,
# not that it was reached: such a cue is no cue.
_AFTER = re.compile(r"以?后")
_CLAUSE_END = re.compile(r"[，,；;。：:]")
# Pushing for a start in the same clause (加快推进A、B项目开工建设, 推动…开工) means not started yet.
_PUSH = re.compile(r"推进|推动|加快|促进|督促")
_PHASE = re.compile(r"[一二三四首]期")
# What may stand between two listed steps: a joiner, or a joiner and one short step that is no cue.
_LIST_GAP = re.compile(r"[、和及与并]|[、和及与并][\u4e00-\u9fff]{1,3}[、和及与并]")
_ADVANCE = ["negotiating", "signed", "started", "in_production"]


def mentions_stage(sentence: str, lo: int, hi: int) -> bool:
    """True if a stage cue lies in sentence[lo:hi], a conditional one (达产后) included: either
    way the sentence talks about a project moving through its stages."""
    return bool(_cues(sentence, lo, hi))


# The cues of the last sentence asked about: one sentence is asked about many times in a row (per
# draft, per range). One (sentence, cues) tuple, rebound atomically, so threads never mix them.
_last: tuple[str, list[re.Match]] = ("", [])


def _cues(sentence: str, lo: int, hi: int) -> list[re.Match]:
    """Stage cues in sentence[lo:hi], rates and planned amounts (开工率, 计划投资) left out."""
    global _last
    memo = _last
    if memo[0] != sentence:
        memo = (sentence, [m for m in _CUE_RE.finditer(sentence) if not _NOT_CUE.match(sentence, m.start())])
        _last = memo
    if lo <= 0 and hi >= len(sentence):
        return memo[1]
    return [m for m in memo[1] if lo <= m.start() and m.end() <= hi]


def find_stage(sentence: str, anchor: int, lo: int = 0, hi: int | None = None) -> str | None:
    """Stage cue governing the item at `anchor` in sentence[lo:hi]; None if there is none.

    Order: the nearest cue before the anchor in [lo, anchor]; else the nearest cue after it
    in the same clause (…项目奠基仪式举行); else the nearest cue anywhere in [lo, hi).
    Completion cues preceded by an aspiration word (力争/预计/将…投产) mean "planned", and so
    does 开工 pushed for in the same clause (加快推进…项目开工建设).
    """
    hi = len(sentence) if hi is None else hi
    cues = [m for m in _cues(sentence, lo, hi) if not _AFTER.match(sentence, m.end())]
    if not cues:
        return None
    if "期" in sentence and _PHASE.search(sentence, lo, hi):
        # 一期已投产，二期预计6月开工: a project in phases is at the stage of its most advanced
        # phase that has actually been reached (forecasts do not count).
        reached = [_cue_stage(sentence, m, lo) for m in cues]
        reached = [st for st in reached if st != "planned"]
        if reached:
            return max(reached, key=_ADVANCE.index)
    before = [m for m in cues if m.end() <= anchor]
    clause_end = _CLAUSE_END.search(sentence, anchor)
    limit = clause_end.start() if clause_end else hi
    after = [m for m in cues if anchor <= m.start() < limit]
    if before:
        best = before[-1]
    elif after:
        best = after[0]
    else:
        best = min(cues, key=lambda m: min(abs(m.start() - anchor), abs(m.end() - anchor)))
    listed = _listed_with(cues, best, sentence)
    # Rounds listed together (签约一批、开工一批) are three batches, not one batch's steps.
    if len(listed) > 1 and not any(m.group().endswith("一批") for m in listed):
        # 完成考察、签约和办证: steps listed together, the last reached is the stage.
        return max((_cue_stage(sentence, m, lo) for m in listed), key=_rank)
    stage = _CUES[best.group()]
    return _cue_stage(sentence, best, lo) if stage == "started" or stage == "in_production" else stage


def _rank(stage: str) -> int:
    return _ADVANCE.index(stage) if stage in _ADVANCE else -1


def _listed_with(cues: list[re.Match], cue: re.Match, sentence: str) -> list[re.Match]:
    """The cues enumerated together with `cue` (考察、签约和办证): neighbours joined only by
    、/和/及/与/并, with at most one other word (办证) in between."""
    i = cues.index(cue)
    lo = hi = i
    while lo > 0 and _LIST_GAP.fullmatch(sentence, cues[lo - 1].end(), cues[lo].start()):
        lo -= 1
    while hi + 1 < len(cues) and _LIST_GAP.fullmatch(sentence, cues[hi].end(), cues[hi + 1].start()):
        hi += 1
    return cues[lo:hi + 1]


def _cue_stage(sentence: str, cue: re.Match, lo: int) -> str:
    """Stage of one cue, turned into "planned" by an aspiration or push before it."""
    stage = _CUES[cue.group()]
    if stage != "started" and stage != "in_production":
        return stage
    if _FUTURE.search(sentence[max(lo, cue.start() - 8):cue.start()]):
        return "planned"
    if stage == "started":
        clause = max(sentence.rfind("，", 0, cue.start()), sentence.rfind(",", 0, cue.start()))
        if _PUSH.search(sentence, clause + 1, cue.start()):
            return "planned"  # 加快推进…项目开工建设: work is being pushed towards a start
    return stage
