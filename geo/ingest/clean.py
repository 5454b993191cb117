"""Text-cleaning steps for ingest: front matter, HTML/Markdown to text, PDF repair, title/date.

Each step is a small function on plain strings so it can be tested alone; `geo.ingest.read`
chains them in the order the brief fixes (front matter -> HTML -> PDF repair -> title/date).
"""
from __future__ import annotations

import datetime as dt
import email.utils
import logging
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import yaml

log = logging.getLogger("geo.ingest.clean")

# China Standard Time has no DST; article dates are read as Beijing calendar days.
CST = dt.timezone(dt.timedelta(hours=8))

# ---------------------------------------------------------------- character classes
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# CJK punctuation and full-width forms, plus the curly quotes, dashes and dots Chinese text uses.
_CJK_PUNCT = "\u3001-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2018\u2019\u201c\u201d\u2014\u2026\u00b7\u2022"
_H = f"[{_CJK}{_CJK_PUNCT}]"
_WS = "[ \t\u3000\u00a0]+"
# ASCII punctuation that PDF text uses in place of full-width marks ("发展,要紧紧").
_AP = "[,.;:!?\"'()%]"

# Block tags end a paragraph for sure; line rejoining never crosses this mark.
HARD_BREAK = "\u2029"
SENTENCE_END = tuple("。！？；：”\"…!?;:」』")
CLAUSE_PUNCT = "，、,；;：:。！？!?"
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_FULLWIDTH_ALNUM = {
    **{0xFF10 + i: ord("0") + i for i in range(10)},
    **{0xFF21 + i: ord("A") + i for i in range(26)},
    **{0xFF41 + i: ord("a") + i for i in range(26)},
}


# Caps on front-matter fields: a title or URL longer than this is not metadata but an attack or an error.
MAX_FRONT_MATTER_CHARS = 20_000
MAX_TITLE_CHARS = 300
MAX_URL_CHARS = 2_000
MAX_CATEGORIES = 50
MAX_CATEGORY_CHARS = 100


@dataclass
class FrontMatter:
    """Metadata read from a leading YAML block; every field may be missing."""

    title: str | None = None
    date: str | None = None
    date_hint: str | None = None  # a date with no day ('2018', '2018-05')
    url: str | None = None
    categories: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- 1. front matter
_FM_RE = re.compile(r"\A\s*---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.S)
_URL_RE = re.compile(r"^(https?:)?//\S+$")


class _NoAliasLoader(yaml.SafeLoader):
    """SafeLoader that refuses anchors and aliases: a few hundred bytes of nested `*a` expand to gigabytes."""

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise yaml.composer.ComposerError(None, None, "anchors and aliases (&name, *name) are not allowed",
                                              event.start_mark)
        return super().compose_node(parent, index)


def load_yaml(text: str):
    """Parse YAML with `_NoAliasLoader` (safe types only, no anchors or aliases)."""
    return yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader subclass


def cap(value: str, limit: int, what: str, warnings: list[str]) -> str:
    """`value` cut to `limit` characters, with a warning naming `what` when it was longer."""
    if len(value) <= limit:
        return value
    warnings.append(f"{what} of {len(value)} characters cut to {limit}")
    return value[:limit]


def split_front_matter(text: str, warnings: list[str]) -> tuple[FrontMatter | None, str]:
    """Split a leading `---` YAML block from the body.

    Bad YAML, YAML with anchors/aliases, a block over MAX_FRONT_MATTER_CHARS, or YAML that
    is not a mapping, is recorded in `warnings` and the whole text is kept as body. Field
    values are capped in length (MAX_TITLE_CHARS, MAX_URL_CHARS, MAX_CATEGORIES …).
    """
    m = _FM_RE.match(text[:MAX_FRONT_MATTER_CHARS + 100])
    if not m:
        if _FM_RE.match(text[:MAX_FRONT_MATTER_CHARS * 50]):
            warnings.append(f"front matter longer than {MAX_FRONT_MATTER_CHARS} characters, kept as text")
        return None, text
    try:
        data = load_yaml(m.group(1))
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError) as exc:
        # ValueError/TypeError: PyYAML builds dates like 2022-13-45 and fails in datetime().
        warnings.append(f"front matter is not valid YAML, kept as text: {str(exc).splitlines()[0]}")
        return None, text
    if not isinstance(data, dict):
        warnings.append(f"front matter is not a mapping ({type(data).__name__}), kept as text")
        return None, text
    fm = FrontMatter()
    title = data.get("title")
    if title is not None and str(title).strip():
        fm.title = cap(str(title).strip(), MAX_TITLE_CHARS, "front matter title", warnings)
    if data.get("date") is not None:
        fm.date = parse_date(data["date"])
        partial = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?", str(data["date"]).strip())
        if fm.date is None and partial:
            year, month = int(partial.group(1)), int(partial.group(2) or 1)
            if 1900 <= year <= 2100 and 1 <= month <= 12:
                fm.date_hint = f"{year}" + (f"-{month:02d}" if partial.group(2) else "")
            warnings.append(f"front matter date {str(data['date']).strip()!r} names no day: the article date is "
                            "taken from the text if it gives one (its year resolves month-day dates)")
        elif fm.date is None:
            warnings.append(f"front matter date not understood: {repr(data['date'])[:80]}")
    for key in ("url", "link", "source_url", "permalink", "source"):
        value = data.get(key)
        if isinstance(value, str) and _URL_RE.match(value.strip()):
            if len(value.strip()) > MAX_URL_CHARS:
                warnings.append(f"front matter {key} of {len(value.strip())} characters ignored "
                                f"(limit {MAX_URL_CHARS})")
                continue
            fm.url = value.strip()
            break
    cats = data.get("categories", data.get("category"))
    if not isinstance(cats, (list, tuple)):
        cats = [] if cats is None else [cats]
    if len(cats) > MAX_CATEGORIES:
        warnings.append(f"front matter has {len(cats)} categories; the first {MAX_CATEGORIES} kept")
    fm.categories = [cap(str(c).strip(), MAX_CATEGORY_CHARS, "front matter category", warnings)
                     for c in cats[:MAX_CATEGORIES] if c is not None and str(c).strip()]
    return fm, text[m.end():]


# ---------------------------------------------------------------- dates
_ISO_RE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?)?"
)


def parse_date(value: object) -> str | None:
    """ISO `yyyy-mm-dd` from a YAML date/datetime or a date string, else None.

    Understands RFC 2822 ("Thu, 14 Jul 2022 08:05:46 GMT"), ISO-like strings with an
    optional time and offset ("2022-05-18 18:16:07 +0800") and "2024年3月14日".
    A time with an offset is converted to Beijing time before taking the day.
    """
    if isinstance(value, dt.datetime):
        return _day(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        return None
    s = value.strip()
    if not s:
        return None
    m = _ISO_RE.search(s)
    if m:
        return _iso_match_day(m)
    try:
        parsed = email.utils.parsedate_to_datetime(s[:200])
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return _day(parsed) if parsed else None


def _iso_match_day(m: re.Match) -> str | None:
    year, month, day, hh, mm, ss, tz = m.groups()
    try:
        when = dt.datetime(int(year), int(month), int(day), int(hh or 0), int(mm or 0), int(ss or 0))
    except (ValueError, OverflowError):
        return None
    if hh is not None and tz:
        if tz == "Z":
            offset = dt.timedelta(0)
        else:
            sign = -1 if tz[0] == "-" else 1
            digits = tz[1:].replace(":", "")
            offset = sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        if abs(offset) >= dt.timedelta(hours=24):
            return None
        when = when.replace(tzinfo=dt.timezone(offset))
    return _day(when)


def _day(when: dt.datetime) -> str | None:
    if not 1900 <= when.year <= 2100:
        return None
    if when.tzinfo is not None:
        try:
            when = when.astimezone(CST)
        except OverflowError:  # a year-9999 time whose offset pushes it past datetime.max
            return None
    return when.date().isoformat()


# ---------------------------------------------------------------- 2. Markdown and HTML
_AUTOLINK_RE = re.compile(r"<(?:https?|ftp|mailto):[^<>\s]*>|<www\.[^<>\s]*>", re.I)
_QUOTE_RE = re.compile(r"^[ \t]{0,3}(?:>[ \t]?)+", re.M)
_HEADING_RE = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+", re.M)
_IMAGE_RE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
_LINK_RE = re.compile(r"\[([^\]\n]*)\]\([^)\s]*(?:\s+\"[^\"\n]*\")?\)")


def strip_markdown(text: str) -> str:
    """Markdown links `[text](url)` -> text; images, `<http://…>` autolinks dropped; `>`/`#` markers dropped."""
    text = _AUTOLINK_RE.sub("", text)
    text = _QUOTE_RE.sub("", text)
    text = _HEADING_RE.sub("", text)
    text = _IMAGE_RE.sub("", text)
    return _LINK_RE.sub(r"\1", text)


_BLOCK_TAGS = frozenset(
    "address article aside blockquote body br caption center dd details dialog dir div dl dt "
    "fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr html legend li main "
    "menu nav ol p pre section summary table tbody td tfoot th thead tr ul".split()
)
_SKIP_TAGS = frozenset("script style head noscript template iframe svg object canvas title".split())
_INLINE_TAGS = frozenset(
    "a abbr acronym b bdi bdo big cite code data del dfn em font i img input ins kbd label mark "
    "meta link q rp rt ruby s samp small span strike strong sub sup time tt u var wbr base area "
    "audio video source track picture map col colgroup button select option textarea o:p".split()
)
_KNOWN_TAGS = _BLOCK_TAGS | _SKIP_TAGS | _INLINE_TAGS
_HTML_HINT_RE = re.compile(
    r"<!--|&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8});|</?(?:" + "|".join(sorted(_KNOWN_TAGS)) + r")\b",
    re.I,
)


def looks_like_html(text: str) -> bool:
    """True when the text holds a known HTML tag, a comment or an entity."""
    return _HTML_HINT_RE.search(text) is not None


class _TextExtractor(HTMLParser):
    """Collects text: block tags become line breaks, inline tags vanish without spaces."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _SKIP_TAGS:
            self.skip.append(tag)
        elif tag == "body" and self.skip and self.skip[-1] == "head":
            self.skip.pop()  # an unclosed <head> must not swallow the body
        elif tag in _BLOCK_TAGS:
            self.parts.append(HARD_BREAK)
        elif tag not in _KNOWN_TAGS and not self.skip:
            # "<" in prose ("x<y>z") is text, not a tag we know: keep it as written.
            self.parts.append(self.get_starttag_text() or "")

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        if tag in _SKIP_TAGS:
            return
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            if tag in self.skip:
                while self.skip and self.skip.pop() != tag:
                    pass
        elif tag in _BLOCK_TAGS:
            self.parts.append(HARD_BREAK)
        elif tag not in _KNOWN_TAGS and not self.skip:
            self.parts.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)

    def parse_marked_section(self, i: int, report: int = 1) -> int:
        # The stdlib raises AssertionError on junk like "<![<p"; skip any "<![…>" section
        # (Word's <![if …]>, CDATA) up to the next ">" instead.
        end = self.rawdata.find(">", i + 3)
        return -1 if end < 0 else end + 1


# Elements whose content is dropped. One left open would swallow the rest of the article, so an
# unclosed one ends at the next block boundary (a block tag or a line break) or the end of the text.
_RAW_TEXT_TAGS = tuple(sorted(_SKIP_TAGS - {"head"}))
_RAW_OPEN_RE = re.compile(r"<(" + "|".join(_RAW_TEXT_TAGS) + r")\b[^>]*(?<!/)>", re.I)
_BLOCK_BOUNDARY_RE = re.compile(r"\n|" + HARD_BREAK + r"|</?(?:" + "|".join(sorted(_BLOCK_TAGS)) + r")\b", re.I)
_ANY_TAG_RE = re.compile(r"<[^>]*>?")


def close_raw_text_elements(text: str, warnings: list[str] | None = None) -> str:
    """Close each unclosed <script>, <style>, <svg>, <iframe>, <title> … at the next block boundary.

    An element counts as unclosed when no `</tag` follows it anywhere. What such an element drops
    is reported in `warnings` when it holds any text.
    """
    lowered = text.lower()
    last_close = {tag: lowered.rfind(f"</{tag}") for tag in _RAW_TEXT_TAGS}
    out: list[str] = []
    pos = 0
    for m in _RAW_OPEN_RE.finditer(text):
        tag = m.group(1).lower()
        if m.start() < pos or last_close[tag] > m.end():
            continue  # inside an element already closed here, or closed later in the text
        boundary = _BLOCK_BOUNDARY_RE.search(text, m.end())
        end = boundary.start() if boundary else len(text)
        out += [text[pos:end], f"</{tag}>"]
        pos = end
        dropped = " ".join(_ANY_TAG_RE.sub(" ", text[m.end():end]).split())
        if dropped and warnings is not None:
            warnings.append(f"unclosed <{tag}> ended at the next block boundary; its {len(dropped)} characters "
                            f"were dropped: {dropped[:40]}{'…' if len(dropped) > 40 else ''}")
    return "".join(out) + text[pos:] if out else text


def html_to_text(text: str, warnings: list[str] | None = None) -> str:
    """Text content of an HTML fragment (tolerates broken HTML; entities unescaped).

    Drops comments, <script>, <style>, <head>; block tags become line breaks; inline
    tags vanish without inserting spaces because they often sit inside words. An unclosed
    <script>, <svg>, <title> … ends at the next block boundary (see close_raw_text_elements),
    and what it dropped is listed in `warnings`.
    """
    parser = _TextExtractor()
    parser.feed(close_raw_text_elements(text, warnings))
    parser.close()
    return "".join(parser.parts)


_SCRIPT_RE = re.compile(r"<\s*/?\s*script", re.I)


def drop_script_remnants(text: str) -> str:
    """Remove any `<script` left after parsing (e.g. inside an unknown tag kept as text)."""
    while True:
        new = _SCRIPT_RE.sub("", text)
        if new == text:
            return text
        text = new


# ---------------------------------------------------------------- 3. normalising and PDF repair
def normalize_chars(text: str) -> str:
    """Unify line ends, drop zero-width chars, full-width digits/letters -> ASCII.

    Full-width punctuation (，。：) is kept; only a full-width point between digits
    becomes "." so that "５７２．４６" reads as 572.46. NBSP becomes a space.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    text = text.translate(_ZERO_WIDTH).translate(_FULLWIDTH_ALNUM)
    # Mirrors double punctuation (",、", ",,", ",。"): a comma right before another mark is noise.
    text = re.sub(r"[,，](?=[,，、。；;：:])", "", text)
    return re.sub(r"(?<=\d)\uff0e(?=\d)", ".", text)


# Pinyin glosses that some mirrors put after characters (產(chǎn), 續(xù)建): letters with at
# least one tone mark, in brackets, right after a CJK character.
_PINYIN_GLOSS = re.compile(f"(?<=[{_CJK}])[(（][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*[)）]")


# The same without tone marks (投(tou)资, 煤(mei)(mei)矿): one pinyin syllable in brackets, dropped only from a
# text that has at least _TONELESS_LEAST of them (a glossing mirror), so a lone 手机(app) stays.
_SYLLABLE = (r"(?:[zcs]h|[bpmfdtnlgkhjqxrzcsyw])?"
             r"(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|van|ai|ei|ao|ou|an|en|er|in|ia|ie|iu|ua|uo|ui|un|"
             r"ue|ve|vn|a|o|e|i|u|v)")
_TONELESS_GLOSS = re.compile(f"(?<=[{_CJK}])[(（]{_SYLLABLE}[)）]")
_TONELESS_LEAST = 3


def drop_pinyin_glosses(text: str, least: int = _TONELESS_LEAST) -> tuple[str, int]:
    """Text without pinyin glosses after characters (產(chǎn) → 產, 投(tou)资 → 投资), and how many were dropped;
    glosses without tone marks only if the text has at least `least` of them."""
    text, n = _PINYIN_GLOSS.subn("", text)
    if len(_TONELESS_GLOSS.findall(text)) >= least:
        m = 1
        while m:  # (a doubled gloss, 煤(mei)(mei), needs two passes)
            text, m = _TONELESS_GLOSS.subn("", text)
            n += m
    return text, n


_JOIN_RULES = (
    re.compile(f"(?<={_H}){_WS}(?={_H}|\\d)"),  # 繁 峙县, 年产值 2000
    re.compile(f"(?<=\\d){_WS}(?={_H})"),  # 2000 亿元
    re.compile(f"(?<={_H}{_AP}){_WS}(?={_H}|\\d|\")"),  # 亿元, 并可
    re.compile(f"(?<={_H}){_WS}(?={_AP}{_H})"),  # 能源 "年产
)


def repair_spaces(line: str) -> str:
    """Remove spaces that PDF extraction put between CJK characters, CJK punctuation and digits."""
    line = line.strip(" \t\u3000")
    for rule in _JOIN_RULES:
        line = rule.sub("", line)
    return re.sub(_WS, " ", line)


def _first_clause(line: str) -> tuple[str, bool]:
    """Text before the first clause punctuation, and whether such punctuation exists."""
    for i, ch in enumerate(line):
        if ch in CLAUSE_PUNCT:
            return line[:i], True
    return line, False


_CJK_CHAR_RE = re.compile(f"[{_CJK}]")
_TRAILING_NOTE_RE = re.compile(r"\s*[（(][^（()）]{0,30}[）)]$")


def ends_sentence(line: str) -> bool:
    """True when the line ends a sentence, looking past a trailing note like "（中国新闻网）"."""
    line = _TRAILING_NOTE_RE.sub("", line) or line
    return line.endswith(SENTENCE_END) or line.endswith("——")


_LIST_ITEM_RE = re.compile(r"[一二三四五六七八九十]+、|\d{1,2}[.．、)](?!\d)")
# A labelled field (项目名称：…, 建设单位：…, 总投资：…) starts its own line in tables and blocks.
_FIELD_RE = re.compile(f"[{_CJK}]{{2,10}}[：:]")


_SPLIT_DECIMAL = re.compile(r"\d[.．]$")
_DECIMAL_TAIL = re.compile(r"\d+\s*(?:万|亿|千|百|%|％)")


def _continues(prev: str, nxt: str, blank_between: bool, wrap_width: float) -> bool:
    """Whether line `nxt` continues the sentence that line `prev` leaves unfinished."""
    if not prev or not nxt:
        return False
    if _SPLIT_DECIMAL.search(prev) and _DECIMAL_TAIL.match(nxt):
        return True  # a figure broken at its decimal point (营收达27.\n\n8亿元)
    if ends_sentence(prev):
        return False
    if nxt.startswith(("——", "-", "*", "•", "（", "(", "【", "[")) or _LIST_ITEM_RE.match(nxt) or _FIELD_RE.match(nxt):
        return False  # a list item, a labelled field or a note starts its own line
    ends_in_clause = prev[-1] in CLAUSE_PUNCT
    if not blank_between:
        # Hard-wrapped text: a full-width line runs on, a short one is a heading.
        return ends_in_clause or len(prev) >= 0.6 * wrap_width
    # Across a blank line only prose breaks mid-clause: the tail of the clause is short
    # ("加强重\n\n点项目调度管理、…"); a heading has no punctuation at all.
    if ends_in_clause:
        return True
    if not _CJK_CHAR_RE.match(prev[-1]) or not any(ch in CLAUSE_PUNCT for ch in prev):
        return False
    clause, punct = _first_clause(nxt)
    return punct and 0 < len(clause) <= 9


def _joiner(left: str, right: str) -> str:
    """"" or " ": what goes between two joined lines (same rules as repair_spaces)."""
    if (_SPLIT_DECIMAL.search(left) or left[-1:].isdigit()) and right[:1].isdigit():
        return ""  # a figure broken by the wrap (总投资8\n2176万元, 27.\n8亿元): Chinese puts no space inside it
    return "" if len(repair_spaces(left[-2:] + " " + right[:2])) < len(left[-2:]) + 1 + len(right[:2]) else " "


def rejoin_lines(text: str, keep_first: bool = False) -> list[str]:
    """Paragraphs of `text`: lines broken mid-sentence are joined, real breaks kept.

    A line continues into the next when it lacks sentence-final punctuation and is
    prose (see `_continues`); HARD_BREAK (from HTML block tags) always ends a paragraph.
    With `keep_first`, the first line (the title) is never joined.
    """
    blocks = [[repair_spaces(x) for x in block.split("\n")] for block in text.split(HARD_BREAK)]
    lengths = sorted(len(x) for block in blocks for x in block if x)
    if not lengths:
        return []
    wrap_width = lengths[(3 * len(lengths)) // 4]
    paragraphs: list[list[str]] = []  # parts, joined at the end: no quadratic string growth
    for block in blocks:
        prev = ""  # previous line in this block
        blank = False
        for line in block:
            if not line:
                blank = True
                continue
            joinable = prev and not (keep_first and len(paragraphs) == 1 and len(paragraphs[0]) == 1)
            if joinable and _continues(prev, line, blank, wrap_width):
                paragraphs[-1] += [_joiner(prev, line), line]
            else:
                paragraphs.append([line])
            prev, blank = line, False
    return ["".join(parts) for parts in paragraphs]


def drop_repeated(paragraphs: list[str], warnings: list[str]) -> list[str]:
    """Drop a paragraph (>= 20 chars) that repeats an earlier one or starts the one before it.

    News pages often repeat the lead as a quote and again as the first paragraph,
    sometimes with a source note appended; counting its facts twice would double totals.
    Short lines (bylines, "……") may repeat legitimately and are kept.
    """
    kept: list[str] = []
    seen: set[str] = set()
    for para in paragraphs:
        if len(para) >= 20 and (para in seen or (kept and kept[-1].startswith(para))):
            warnings.append(f"dropped repeated paragraph: {para[:30]}…")
            continue
        kept.append(para)
        seen.add(para)
    return kept


# ---------------------------------------------------------------- 4. title and date
_DATELINE_RES = (
    re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"),
    re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)"),
)


def clean_title(title: str) -> str:
    """A title as one plain line: markup and entities resolved, spaces repaired, no `<script`.

    `_` placeholders for quotes (common in scraped titles) are kept as they are.
    """
    title = normalize_chars(title)
    if looks_like_html(title):
        title = html_to_text(title).replace(HARD_BREAK, " ")
    return drop_script_remnants(repair_spaces(" ".join(title.split())))


# A title may end with a closing quote (…“冲锋号”) but not with a full stop.
_TITLE_STOPS = tuple("。！？；：!?;:…")


def infer_title(paragraphs: list[str]) -> str | None:
    """The first paragraph when it is a short line (<= 40 chars) not ending like a sentence.

    Only the first line is considered: a short line further down is a section heading.
    """
    if paragraphs and len(paragraphs[0]) <= 40 and not paragraphs[0].endswith(_TITLE_STOPS):
        return paragraphs[0]
    return None


def infer_date(paragraphs: list[str], lines: int = 5) -> str | None:
    """A full date (year, month, day) in the first `lines` paragraphs, else None.

    Never guesses from a bare year or a month-day without a year.
    """
    for para in paragraphs[:lines]:
        head = para[:200]
        for rx in _DATELINE_RES:
            for m in rx.finditer(head):
                try:
                    day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                except ValueError:
                    continue
                if 1900 <= day.year <= 2100:
                    return day.isoformat()
    return None
