"""Project tables rewritten as labelled lines, before cleaning joins lines and drops spaces.

Government pages publish project lists as tables: a header (序号 项目名称 建设单位 总投资（亿元）…)
and one row per project. Cleaned text keeps them in one of two shapes: a row per line with its
cells apart by spaces or tabs, or (HTML cells) each cell on a line of its own, the header's cells
first. Line joining and space repair would run the cells together, so each row is rewritten as
one labelled line ("项目名称：X；建设单位：Y；总投资：5.2亿元。"), the shape the extractor reads as a
field block; a unit in the money column's header goes onto its bare numbers. Columns the extractor
has no field for are kept at the end of the line, under 建设内容: nothing is dropped.
"""
from __future__ import annotations

import re

HARD_BREAK = "\u2029"  # clean.HARD_BREAK: an HTML block end
# Column headers a row's fields are named by, as the extractor's field labels.
_COLUMNS = {
    "项目名称": "项目名称", "项目": "项目名称", "建设项目": "项目名称",
    "建设单位": "建设单位", "项目单位": "项目单位", "实施单位": "实施单位", "业主单位": "业主单位",
    "投资主体": "投资主体", "企业名称": "企业名称",
    "总投资": "总投资", "计划总投资": "计划总投资", "项目总投资": "项目总投资", "总投资额": "总投资额",
    "投资额": "投资额", "投资总额": "投资总额",
    "建设地点": "建设地点", "项目地点": "项目地点", "建设地址": "建设地址", "所在地": "建设地点",
    "所在县区": "建设地点", "县（市、区）": "建设地点", "县(市、区)": "建设地点", "实施地点": "建设地点",
    "建设内容": "建设内容", "主要建设内容": "主要建设内容", "建设规模": "建设规模", "建设内容及规模": "建设内容及规模",
    "建设规模及内容": "建设规模及内容", "建设性质": "建设性质", "建设年限": "建设年限", "建设期限": "建设期限",
}
_INDEX = ("序号", "编号")
_CONTENT = ("建设内容", "主要建设内容", "建设规模", "建设内容及规模", "建设规模及内容")
_MONEY = ("总投资", "计划总投资", "项目总投资", "总投资额", "投资额", "投资总额")
_UNIT = re.compile(r"[（(]\s*(亿元|万元)\s*[)）]")
_LABEL_LIKE = re.compile(r"[^\d，,。；;：:]{2,24}")  # a header cell: short, no digits, no clause
_CELL_SEP = re.compile(r"[ \t\u3000]+")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_LINE = re.compile(r"[^\n" + HARD_BREAK + r"]+")


def _column(cell: str) -> tuple[str | None, str | None]:
    """(the field label a header cell names or None, the unit it gives bare numbers or None)."""
    unit = _UNIT.search(cell)
    label = _UNIT.sub("", cell).strip()
    return (label if label in _INDEX else _COLUMNS.get(label)), (unit.group(1) if unit else None)


def _header(cells: list[str]) -> list[tuple[str | None, str | None]] | None:
    """The columns of a project table's header, or None: three or more label-like cells, one the
    project's name and one more the extractor reads."""
    if len(cells) < 3 or not all(_LABEL_LIKE.fullmatch(c) for c in cells):
        return None
    cols = [_column(c) for c in cells]
    labels = [c[0] for c in cols]
    if "项目名称" not in labels or sum(x is not None and x not in _INDEX for x in labels) < 2:
        return None
    return cols


def _row_text(head: list[str], cols, cells: list[str]) -> str:
    """One row as a labelled line. The content columns and the columns without a field of their own
    (环境影响评价机构, 备注 …) go last, under 建设内容: kept, and read only for the row's chain."""
    fields, tail = [], []
    for name, (label, unit), value in zip(head, cols, cells):
        value = value.strip()
        if not value or label in _INDEX:
            continue
        if label is None or label in _CONTENT:
            tail.append(value if label in _CONTENT else f"{name}：{value}")
            continue
        if unit and label in _MONEY and _NUMBER.fullmatch(value):
            value += unit  # 5.2 under 总投资（亿元）
        fields.append(f"{label}：{value}")
    if tail:
        fields.append("建设内容：" + "；".join(tail))
    return "；".join(fields) + "。"


def rewrite_tables(body: str) -> tuple[str, int]:
    """`body` with each project table's rows as labelled lines, and the number of rows rewritten."""
    if "项目" not in body:
        return body, 0
    lines = [(m.start(), m.end(), m.group().strip()) for m in _LINE.finditer(body) if m.group().strip()]
    out, pos, rows, i = [], 0, 0, 0
    while i < len(lines):
        found = _one_line_table(lines, i) or _cell_per_line_table(lines, i)
        if found is None:
            i += 1
            continue
        used, texts = found
        out += [body[pos:lines[i][0]], "\n".join(texts)]
        pos, rows, i = lines[i + used - 1][1], rows + len(texts), i + used
    return ("".join(out) + body[pos:], rows) if rows else (body, 0)


def _one_line_table(lines, i: int) -> tuple[int, list[str]] | None:
    """(lines used, row texts) of a table whose header and rows are one line each, the cells apart by
    spaces or tabs; rows run while they have as many cells as the header."""
    head = _CELL_SEP.split(lines[i][2])
    cols = _header(head)
    if cols is None:
        return None
    texts, k = [], i + 1
    while k < len(lines):
        cells = _CELL_SEP.split(lines[k][2])
        if len(cells) != len(head):
            break
        texts.append(_row_text(head, cols, cells))
        k += 1
    return (k - i, texts) if texts else None


def _cell_per_line_table(lines, i: int) -> tuple[int, list[str]] | None:
    """(lines used, row texts) of a table whose cells stand on lines of their own: the header's cells
    first, 序号 the first of them; then each row's as many, its 序号 counting 1, 2, 3 …"""
    if lines[i][2] not in _INDEX:
        return None
    k = i + 1
    while k < len(lines) and k - i < 12 and _LABEL_LIKE.fullmatch(lines[k][2]):
        k += 1
    head = [x[2] for x in lines[i:k]]
    cols = _header(head)
    if cols is None:
        return None
    n, texts, number = len(head), [], 1
    while k < len(lines) and lines[k][2] == str(number):
        cells = [x[2] for x in lines[k:k + n]]  # the last row of a page cut short may lack its last cells
        texts.append(_row_text(head, cols, cells))
        k, number = k + len(cells), number + 1
    return (k - i, texts) if texts else None
