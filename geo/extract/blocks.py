"""Field blocks: "项目名称：… 建设单位：… 总投资：… 建设地点：…" as one record per block.

Government round-ups and project tables list each project as labelled fields, one per line or
run together in one paragraph. Read sentence by sentence they fall apart into a name without an
amount and an amount without a name; read as a block they are one project: its name, its owner
(建设单位), its investment (总投资), its site (建设地点) and its content (建设内容, for the chain).
"""
from __future__ import annotations

import re
from typing import NamedTuple

from .amounts import find_amounts
from .names import Span, is_generic
from .origins import CompanySpan, find_companies
from .projects import DEICTIC_END, Draft
from .sentences import Sentence

# Field labels, longest first (计划总投资 before 总投资); each is followed by a colon.
_LABELS = {
    "name": ("项目名称", "项目名"),
    "company": ("建设单位", "项目单位", "实施单位", "投资单位", "投资主体", "投资方", "业主单位", "项目业主",
                "申报单位", "承办单位", "企业名称"),
    "investment": ("计划总投资", "项目总投资", "总投资额", "投资总额", "总投资", "计划投资", "投资规模", "投资金额",
                   "项目投资额", "投资额"),
    "site": ("建设地点", "项目地点", "建设地址", "项目选址", "项目位置", "选址", "地点"),
    "content": ("主要建设内容", "建设内容及规模", "建设规模及内容", "建设内容", "建设规模", "项目内容", "项目简介"),
    "other": ("建设性质", "建设期限", "建设年限", "建设周期", "开工时间", "投产时间", "项目进度", "进展情况",
              "所属行业", "所属产业", "产业类别", "联系人", "联系电话"),
}
_LABEL_OF = {word: field for field, words in _LABELS.items() for word in words}
_LABEL_RE = re.compile("(" + "|".join(sorted(_LABEL_OF, key=len, reverse=True)) + r")\s*[：:]")


class Block(NamedTuple):
    """One labelled block: its span in the text and each field's value span (absolute offsets)."""

    start: int
    end: int
    fields: dict[str, tuple[int, int]]


def merge_blocks(sentences: list[Sentence], text: str) -> tuple[list[Sentence], dict[int, Block]]:
    """The sentences with each block's sentences replaced by one sentence per block (blocks on one
    line included), and {sentence index: block}."""
    blocks = find_blocks(text)
    if not blocks:
        return sentences, {}
    out: list[Sentence] = []
    at: dict[int, Block] = {}
    k = 0  # the first block not yet emitted
    for s in sentences:
        if k < len(blocks) and blocks[k].start < s.end:
            while k < len(blocks) and blocks[k].start < s.end:
                b = blocks[k]
                at[len(out)] = b
                out.append(Sentence(b.start, b.end, text[b.start:b.end], s.paragraph))
                k += 1
            continue
        if at and s.start < blocks[k - 1].end:
            continue  # inside the block just emitted
        out.append(s)
    return out, at


def find_blocks(text: str) -> list[Block]:
    """Labelled blocks: each starts at a 项目名称 label and runs to the next one, or to the end of
    the last paragraph holding a label. A block needs a name and at least one other field."""
    if "：" not in text and ":" not in text:
        return []
    # A name label must start a field; later labels of a block may follow a value directly
    # (cleaning removes the spaces between "…项目 建设单位：").
    labels = [m for m in _LABEL_RE.finditer(text)
              if _LABEL_OF[m.group(1)] != "name" or _at_field_start(text, m.start())]
    starts = [i for i, m in enumerate(labels) if _LABEL_OF[m.group(1)] == "name"]
    blocks = []
    for k, i in enumerate(starts):
        stop = starts[k + 1] if k + 1 < len(starts) else len(labels)
        own = labels[i:stop]
        # Where the next block begins (its numbering included): blocks run together on one line too.
        limit = _block_start(text, labels[stop].start()) if stop < len(labels) else len(text)
        fields: dict[str, tuple[int, int]] = {}
        end = own[0].end()
        for j, m in enumerate(own):
            # A value runs to the next label or to the end of its line, whichever comes first.
            value_end = min(_line_end(text, m.end()), own[j + 1].start() if j + 1 < len(own) else limit)
            if text[end:m.start()].count("\n") > 1:
                break  # a blank line or a paragraph without labels ends the block
            fields.setdefault(_LABEL_OF[m.group(1)], (m.end(), value_end))
            end = value_end
        if len(fields) >= 2 and fields["name"][1] > fields["name"][0]:
            blocks.append(Block(_block_start(text, own[0].start()), end, fields))
    if not starts:
        blocks += _nameless_blocks(text, labels)
    return blocks


def _nameless_blocks(text: str, labels: list[re.Match]) -> list[Block]:
    """Blocks without a 项目名称 field, named by the project their paragraph names before them (…关于
    X项目开工建设的批复。现将该项目信息公示如下：建设地点：…；项目总投资：…): one block per run of
    labelled fields on one line that gives the investment and a site, content or owner. The block
    starts with the sentence naming the project."""
    out: list[Block] = []
    run: list[re.Match] = []
    for m in [*labels, None]:
        if m is not None and run and "\n" not in text[run[-1].end():m.start()]:
            run.append(m)
            continue
        fields = {_LABEL_OF[x.group(1)] for x in run}
        if "investment" in fields and fields & {"site", "content", "company"} and _at_field_start(text, run[0].start()):
            block = _named_before(text, run)
            if block is not None:
                out.append(block)
        run = [m] if m is not None else []
    return out


_NAMED_BEFORE = re.compile(r"[\u4e00-\u9fffA-Za-z0-9（）()·/]{4,40}?项目")
_NAME_LEAD = re.compile(r"^(?:关于|对于|对|将|把|为|是|的)")


def _named_before(text: str, run: list[re.Match]) -> Block | None:
    """The block of a run of fields, named by the last "…项目" phrase of its line before it (the
    whole run of name characters: 开采2号煤层项目 keeps its number)."""
    line_start = text.rfind("\n", 0, run[0].start()) + 1
    before = text[line_start:run[0].start()]
    names = [m for m in _NAMED_BEFORE.finditer(before)
             if not DEICTIC_END.search(m.group()) and not is_generic(m.group())]
    if not names:
        return None
    lead = _NAME_LEAD.match(names[-1].group())
    name = Span(names[-1].start() + (lead.end() if lead else 0), names[-1].end(), "")
    start = line_start + max(before.rfind(c, 0, name.start) for c in "。！？；;") + 1
    fields: dict[str, tuple[int, int]] = {"name": (line_start + name.start, line_start + name.end)}
    end = run[0].end()
    for j, m in enumerate(run):
        value_end = min(_line_end(text, m.end()), run[j + 1].start() if j + 1 < len(run) else len(text))
        fields.setdefault(_LABEL_OF[m.group(1)], (m.end(), value_end))
        end = value_end
    return Block(start, end, fields)


def _at_field_start(text: str, pos: int) -> bool:
    """A label starts a field at a line start, after punctuation (公示如下：项目名称：…) or spaces, or after numbering."""
    before = text[max(0, pos - 6):pos]
    return not before or bool(re.search(r"(?:^|[\n，,。；;：:、\s）)]|\d[.．、]|[一二三四五六七八九十]+、)\s*$", before))


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end < 0 else end


def _block_start(text: str, pos: int) -> int:
    """Where a block whose first label is at `pos` starts: before its numbering (1. / （一） / 一、)."""
    m = re.search(r"(?:\d{1,3}[.．、]|[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、)\s*$",
                  text[max(0, pos - 8):pos])
    return pos - len(m.group()) if m else pos


def _value(text: str, span: tuple[int, int], base: int) -> Span:
    """A field's value without surrounding spaces and punctuation, offsets relative to `base`."""
    raw = text[span[0]:span[1]]
    value = raw.strip(" \t　。；;，,")
    if len(value) > 2 and value[0] in "“\"「《" and value[-1] in "”\"」》":
        value = value[1:-1]  # 项目名称：“X项目”
    start = span[0] + raw.find(value) - base
    return Span(start, start + len(value), value)


def block_draft(block: Block, text: str) -> tuple[Draft, tuple[int, int] | None]:
    """The project draft of a block (offsets relative to block.start), and the span of its site
    field (absolute) if it has one."""
    base = block.start
    name = _value(text, block.fields["name"], base)
    company = None
    firm = _value(text, block.fields["company"], base) if "company" in block.fields else None
    if firm is not None and firm.text:
        found = find_companies(firm.text)
        company = CompanySpan(firm.start, firm.end, firm.text, found[0].known if found else None)
    amount = None
    if "investment" in block.fields or "content" in block.fields:
        # Without a 总投资 field, the content's own investment figure (建设内容：…项目总投资3.2亿元…).
        i_lo, i_hi = block.fields["investment"] if "investment" in block.fields else block.fields["content"]
        found = find_amounts(text[i_lo:i_hi])
        if "investment" not in block.fields:
            found = [a for a in found if a.kind == "investment"][:1]
        if found:
            a = found[0]
            amount = a._replace(start=a.start + i_lo - base, end=a.end + i_lo - base, kind="investment",
                                kind_word="总投资")
    draft = Draft("project", name.start, 0, amount, None, name, company)
    return draft, block.fields.get("site")
