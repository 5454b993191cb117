"""Money amounts in Chinese text: value in units of 1e8 (亿), currency, qualifier, and kind.

Only amounts with a 万/亿 multiplier and a currency word count: bare 元 figures are prices or
per-unit rates (每度电0.3元), and figures without a number (亿元产值, 千亿级) are not amounts.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from .lexicon import Lexicon, run_start
from .sentences import CLAUSE_SEP

_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
# 千万/百万 before 万 so the longest multiplier wins.
_MULT = {"万亿": 1e4, "千亿": 1e3, "百亿": 1e2, "亿": 1.0, "千万": 0.1, "百万": 0.01, "万": 1e-4}
_CURRENCY = {"美元": "USD", "欧元": "EUR", "港元": "HKD", "港币": "HKD", "日元": "JPY", "英镑": "GBP",
             "元人民币": "CNY", "元": "CNY", "人民币": "CNY"}

_NUM = r"(?:\d+(?:,\d{3})*(?:\.\d+)?|[一二两三四五六七八九十][零一二两三四五六七八九十百千]*)"
_UNIT = r"(?:万亿|千亿|百亿|亿|千万|百万|万)"
_CUR = r"(?:元人民币|美元|欧元|港元|港币|日元|英镑|元|人民币)"
_SUFFIX_Q = r"(?:以上|以下|以内|左右|上下)?"
_AMOUNT = re.compile(
    rf"(?P<n1>{_NUM})\s*(?P<more1>余|多)?\s*(?P<u1>{_UNIT})?\s*(?P<c1>{_CUR})?"
    rf"\s*(?P<sep>至|到|-|—|–|~|～)\s*(?P<n2>{_NUM})\s*(?P<u2>{_UNIT})\s*(?P<c2>{_CUR})"
    rf"|(?P<n>{_NUM}|上)\s*(?P<more>余|多)?\s*(?P<u>{_UNIT})\s*(?P<more2>余|多)?\s*(?P<c>{_CUR})(?P<sq>{_SUFFIX_Q})"
)
# Every match lies in one run of _AMOUNT_CHARS and holds a unit right before a currency (亿元,
# 万 美元): only the runs around such a pair are scanned.
_AMOUNT_CHARS = re.compile(r"[\d\s,.零一二两三四五六七八九十百千万亿余多上元人民币美欧港日英镑至到\-—–~～以下内左右]")
_AMOUNT_RUN = re.compile(_AMOUNT_CHARS.pattern + "*")
_UNIT_CURRENCY = re.compile(r"[万亿]\s*[余多]?\s*" + _CUR)  # 10亿元, 10亿多元 (ten-odd)
_DECIMAL = re.compile(r"\d+(?:\.\d+)?")
_LATIN_OR_DOT = re.compile(r"[A-Za-z.]")
_PREFIX_Q = [
    ("about", ("大约", "约合", "约", "近", "接近", "将近")),
    ("over", ("超过", "超出", "超", "逾", "突破", "多于", "高于", "过")),
    ("at_least", ("不低于", "不少于", "至少", "最少")),
    # 可达/最高: "up to", a ceiling (the hand annotation's reading).
    ("at_most", ("不超过", "不高于", "不多于", "至多", "最多", "可达到", "可达", "最高")),
]
_QUALIFIER_OF = {w: q for q, ws in _PREFIX_Q for w in ws}
# A qualifier word ending the text before a number (达/为/共… may follow it). search() finds the
# leftmost such word, so 不超过 (at_most) wins over the 超过 inside it.
_PREFIX_Q_RE = re.compile(
    "(" + "|".join(re.escape(w) for _, ws in _PREFIX_Q for w in ws) + r")(?:达到|达|为|计|共|总计)?\s*$")
# 以上 is inclusive in Chinese statistical usage (500亿元以上 = at least 500): at_least.
_SUFFIX = {"以上": "at_least", "左右": "about", "上下": "about", "以下": "at_most", "以内": "at_most"}

# Words that govern an amount, by kind. At equal distance the longest word wins, so 签约投资额
# beats 投资额 and 专项资金 beats 资金.
KIND_WORDS: dict[str, tuple[str, ...]] = {
    # 签约投资额 is the planned investment of signed projects, the same quantity as
    # "签约项目N个，总投资X": investment. 签约额/签约金额/合同额 are deal values: contract.
    # 投资金额 holds 资金 (other): listed whole so it is read as investment.
    "investment": ("总投资额", "总投资", "投资总额", "投资额", "投资金额", "计划投资", "完成投资", "引进投资",
                   "到位资金", "签约投资额", "固定资产投资", "投资", "投入", "拟引资", "计划引资", "引资额"),
    "contract": ("签约额", "签约金额", "签约总额", "合同额", "合同金额", "成交额", "交易额"),
    "output": ("年产值", "产值", "工业增加值", "增加值", "产出"),
    "revenue": ("营收", "营业收入", "销售收入", "销售额", "主营业务收入", "收入", "销售"),
    "profit_tax": ("利税", "利润", "税金", "税收", "纳税", "上缴税金", "投资收益", "投资回报"),
    "orders": ("订单", "订货"),
    "other": ("总资产", "资产", "资助", "专项资金", "资金", "补贴", "奖励", "融资", "贷款", "授信",
              "基金", "市值", "注册资本", "注册资金", "资本",
              # a project's own share of its total (其中自筹6500万美元): a part, not a second investment
              "自筹", "自筹资金", "自有资金",
              # investment a project is to bring about, not its own (预计每年可带动投资35亿元)
              "带动投资", "拉动投资", "撬动投资", "带动社会投资",
              # a threshold per unit of land or a subsidy for investing, not an investment
              "投资强度", "亩均投资", "投资补助", "投资奖励", "投资补贴",
              # an average over a batch's projects (单体项目平均总投资额达8.32亿元), no project's own
              "平均总投资额", "平均总投资", "平均投资额", "平均投资规模", "平均投资"),
}
_KIND_RE = re.compile("|".join(sorted({w for ws in KIND_WORDS.values() for w in ws}, key=len, reverse=True)))
_WORD_KIND = {w: k for k, ws in KIND_WORDS.items() for w in ws}
_KIND_LEXICON = Lexicon(_KIND_RE.pattern.split("|"))


# 100万亿 (1e14) of a currency, several times China's GDP: any figure above it is a typo or junk.
MAX_YI = 1_000_000.0


class Amount(NamedTuple):
    """A money amount found in a sentence (offsets relative to the string searched).

    A NamedTuple (immutable, attribute access) because it is built for every amount of every
    sentence, several times cheaper than a frozen dataclass.
    """

    start: int
    end: int
    text: str
    value_yi: float
    max_yi: float | None
    currency: str
    qualifier: str
    kind: str = "other"
    kind_word: str | None = None


def parse_number(s: str) -> float | None:
    """Parse '572.46', '1,200' or a Chinese numeral ('两', '十二', '三百五十') to a float."""
    s = s.replace(",", "")
    if _DECIMAL.fullmatch(s):
        return float(s)
    total, current = 0, 0
    for ch in s:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (current or 1) * _CN_UNITS[ch]
            current = 0
        else:
            return None
    return float(total + current)


def find_amounts(text: str) -> list[Amount]:
    """All money amounts in `text`, each with qualifier and the kind of its governing word."""
    out: list[Amount] = []
    if "万" not in text and "亿" not in text:
        return out  # every amount has a 万/亿 multiplier
    matches = _amount_matches(text)
    # The governing words of all amounts come from one pass over the text.
    words = _KIND_LEXICON.occurrences(text) if matches else []
    for m in matches:
        amount = _range_amount(text, m, words) if m.group("n1") else _single_amount(text, m, words)
        if amount is not None:
            out.append(amount)
    if "投资" in text:
        out = _with_bare_investments(text, out)
    if "出资" in text and venture_set_up(text):
        out = [a._replace(kind="other", kind_word="出资") if "出资" in text[max(0, a.start - 5):a.start] else a
               for a in out]
    return out


# Capital paid into a joint venture being set up (由三方发起成立——A拟出资28亿元…，三方共出资55亿元): a share of
# its registered capital, not an investment in a project. 出资 elsewhere (出资5亿元建设…) stays as it was read.
_VENTURE = re.compile(r"发起成立|发起设立|共同成立|共同设立|合资成立|合资设立|合资公司|注册资本|注册资金|持股|股权比例|股比")


def venture_set_up(text: str) -> bool:
    """Whether `text` is about a joint venture or project company being set up (its capital, its shares)."""
    return _VENTURE.search(text) is not None


# Headline style without 元 right after an investment word (共签约16个项目，投资263亿): yuan implied.
_BARE_INVESTMENT = re.compile(r"(?:总投资|投资总额|投资额|投资)(?:约|达|超|近|共|逾)?"
                              r"(?P<n>\d+(?:\.\d+)?)(?P<more>多|余)?(?P<u>亿|万)(?![元美欧港日英人民币级\u4e00-\u9fff\d])")


def _with_bare_investments(text: str, found: list[Amount]) -> list[Amount]:
    """`found` plus the yuan amounts written without 元 after an investment word, in text order."""
    extra = []
    for m in _BARE_INVESTMENT.finditer(text):
        if any(a.start < m.end() and m.start("n") < a.end for a in found):
            continue
        start, prefix_q = _prefix_qualifier(text, m.start("n"))
        qualifier = prefix_q or ("over" if m.group("more") else "exact")
        value = round(float(m.group("n")) * _MULT[m.group("u")], 10)
        extra.append(Amount(start, m.end(), text[start:m.end()], value, None, "CNY", qualifier, "investment", "投资"))
    return sorted(found + extra, key=lambda a: a.start) if extra else found


def _amount_matches(text: str) -> list[re.Match]:
    """_AMOUNT.finditer(text), scanning only the runs of amount characters that hold a unit +
    currency pair."""
    out: list[re.Match] = []
    backwards = text[::-1]  # for run_start: a run begins before its unit
    done = 0
    for pair in _UNIT_CURRENCY.finditer(text):
        unit = pair.start()
        if unit < done:
            continue  # in the run just scanned
        start = run_start(_AMOUNT_RUN, backwards, unit)
        done = _AMOUNT_RUN.match(text, unit).end()
        out.extend(_AMOUNT.finditer(text, start, done))
    return out


def _currency(code: str | None) -> str:
    return _CURRENCY.get(code or "元", "CNY")


def _followed_by_grade(text: str, end: int) -> bool:
    # 千亿级 / 百亿元级: a size class, not an amount.
    return text[end:end + 1] == "级"


def _range_amount(text: str, m: re.Match, words) -> Amount | None:
    lo, hi = parse_number(m.group("n1")), parse_number(m.group("n2"))
    if lo is None or hi is None or _followed_by_grade(text, m.end()):
        return None
    unit2 = _MULT[m.group("u2")]
    unit1 = _MULT[m.group("u1")] if m.group("u1") else unit2
    start, _ = _prefix_qualifier(text, m.start())
    # A range written high to low (4至2亿元) is the same range; one beyond MAX_YI is no amount.
    lo_yi, hi_yi = sorted((round(lo * unit1, 10), round(hi * unit2, 10)))
    if hi_yi > MAX_YI:
        return None
    kind, word = amount_kind(text, start, m.end(), words)
    return Amount(start, m.end(), text[start:m.end()], lo_yi, hi_yi, _currency(m.group("c2")), "range", kind, word)


def _single_amount(text: str, m: re.Match, words) -> Amount | None:
    raw = m.group("n")
    if raw == "上":  # 上亿元: "upwards of one hundred million"
        value, qualifier = 1.0, "over"
    else:
        value, qualifier = parse_number(raw), "exact"
        if value is None:
            return None
        # A Chinese numeral glued to a preceding CJK numeral run (五百亿级, 三个千亿) is handled
        # by the pattern's first character; digits glued to letters (2x100万千瓦) are not amounts.
        if m.start() > 0 and _LATIN_OR_DOT.match(text, m.start() - 1):
            return None
    if _followed_by_grade(text, m.end()):
        return None
    end = m.end()
    if m.group("more") or m.group("more2"):
        qualifier = "over"
    if m.group("sq"):
        qualifier = _SUFFIX[m.group("sq")]
    start, prefix_q = _prefix_qualifier(text, m.start())
    if prefix_q:
        qualifier = prefix_q
    if raw[:1] in "十百千" and text[m.start() - 1:m.start()] in ("数", "几") and m.start() > 0:
        start, qualifier = m.start() - 1, "over"  # 数十亿元, 几百万元: tens, hundreds of — over ten, a hundred
    value_yi = round(value * _MULT[m.group("u")], 10)
    if value_yi > MAX_YI:
        return None
    kind, word = amount_kind(text, start, end, words)
    return Amount(start, end, text[start:end], value_yi, None, _currency(m.group("c")), qualifier, kind, word)


def _prefix_qualifier(text: str, start: int) -> tuple[int, str | None]:
    """Extend `start` over a qualifier word right before the number (allowing 达/为/共 between).

    The word starting furthest left wins, so 不超过 is at_most, not the 超过 inside it.
    """
    window = text[max(0, start - 6):start]
    m = _PREFIX_Q_RE.search(window)
    if m is None:
        return start, None
    return start - (len(window) - m.start()), _QUALIFIER_OF[m.group(1)]


def amount_kind(text: str, start: int, end: int, words=None) -> tuple[str, str | None]:
    """Kind of the amount at text[start:end], from the nearest governing word.

    Order: nearest word before it in the same clause; else a word right after it
    (…亿元的营收, …万元创业启动资助); else the nearest word in earlier clauses of the same text;
    else "other". `words` may pass _KIND_LEXICON.occurrences(text), found once for all amounts.
    """
    if words is None:
        words = _KIND_LEXICON.occurrences(text)
    # The nearest word before the amount is also the nearest one in its clause, unless a clause
    # separator lies between them (words hold no separators): then the clause has none.
    best, best_end = _nearest_before(words, start)
    if best and not CLAUSE_SEP.search(text, best_end, start):
        return _WORD_KIND[best], best
    clause_end = CLAUSE_SEP.search(text, end)  # from the end: a number may hold a comma (1,200万元)
    after = _KIND_RE.search(text, end, min(clause_end.start() if clause_end else len(text), end + 10))
    if after:
        return _WORD_KIND[after.group()], after.group()
    if best:
        return _WORD_KIND[best], best
    return "other", None


def _nearest_before(words, hi: int) -> tuple[str | None, int]:
    """(word, end) of the governing-word occurrence among `words` (by end) that ends last at or
    before `hi`; at equal ends the longest (签约投资额 beats 投资额), so nested words compete fairly."""
    best, best_end = None, -1
    for _, end, idx in words:
        if end > hi:
            break
        word = _KIND_LEXICON.words[idx[0]]
        if end > best_end or (end == best_end and len(word) > len(best)):
            best, best_end = word, end
    return best, best_end
