"""Split cleaned article text into sentences and clauses, keeping character offsets."""
from __future__ import annotations

import re
from typing import NamedTuple

# A sentence ends at a full stop, !, ?, semicolon or line break. Closing quotes right after the
# terminator belong to the sentence they close, so "…提升。”刘勇说。" splits after the quote.
# One match of _CHUNK is a sentence body plus its terminator (or line breaks, or nothing at the end).
_CHUNK = re.compile(r"[^。！？；!?;\n]*(?:(?P<t>[。！？；!?;]+[”’」』\"')）]*)|(?P<nl>\n+))?")
# Clause separators (not 、, which joins list items sharing one governing word); amounts.py uses them too.
CLAUSE_SEP = re.compile(r"[，,：:；;。！？!?\n]")


class Sentence(NamedTuple):
    """One sentence: its text, start offset in the article text, and paragraph number.

    A NamedTuple (immutable, attribute access) because articles have thousands of sentences and
    a tuple is several times cheaper to build than a frozen dataclass.
    """

    start: int
    end: int
    text: str
    paragraph: int


def split_sentences(text: str) -> list[Sentence]:
    """Split text into non-empty sentences; `text[s.start:s.end] == s.text` always holds.

    Leading/trailing whitespace is trimmed from each sentence (offsets adjusted). A blank line
    or a single line break both start a new paragraph, because cleaned articles put one
    paragraph per line.
    """
    out: list[Sentence] = []
    paragraph = 0
    for m in _CHUNK.finditer(text):
        start, end = m.span()
        nl = m.start("nl")
        if nl >= 0:
            end = nl  # line breaks are not part of the sentence
        piece = text[start:end]
        body = piece.strip()
        if body:
            start += len(piece) - len(piece.lstrip())
            out.extend(_bounded(Sentence(start, start + len(body), body, paragraph)))
        if nl >= 0:
            paragraph += 1
    return out


# No sentence of a real article runs this long; a longer run (a list of thousands of items, junk without
# punctuation) is cut at the last 、 or comma before the limit, so the list readers' cost stays bounded
# (they compare the items of one sentence with each other). Nothing is dropped: every piece is read.
MAX_SENTENCE_CHARS = 2_000
_SOFT_BREAK = re.compile(r"[、，,：:]")


def _bounded(s: Sentence) -> list[Sentence]:
    """`s`, or its pieces of at most MAX_SENTENCE_CHARS characters (cut after a 、 or comma when one
    lies in the last quarter of a piece), offsets kept."""
    if len(s.text) <= MAX_SENTENCE_CHARS:
        return [s]
    out, pos = [], 0
    while pos < len(s.text):
        end = min(pos + MAX_SENTENCE_CHARS, len(s.text))
        if end < len(s.text):
            cut = max((m.end() for m in _SOFT_BREAK.finditer(s.text, end - MAX_SENTENCE_CHARS // 4, end)), default=end)
            end = cut
        out.append(Sentence(s.start + pos, s.start + end, s.text[pos:end], s.paragraph))
        pos = end
    return out


# A sentence that only names a project (a heading "1.X项目", or "X项目。" opening a paragraph)
# and the sentence after it that describes "该项目/项目" (its amount, firm, site) are one fact.
_NAME_ONLY = re.compile(r"^(?:[（(]?[0-9一二三四五六七八九十]{1,3}[)）.、．]\s*|——)?(?![^。]*(?:亿|万元))"
                        r"[^，,：:。；;]{4,40}项目[。]?$")
_REFERS_BACK = re.compile(r"^(?:该|此|这个|这一)?项目(?:[由总计预规占建主位投是于在将已共]|一期|分)")


def join_references(sentences: list[Sentence], text: str) -> list[Sentence]:
    """Sentences with each project-name sentence joined to the next one when that one refers back
    to it (…项目。该项目总投资…), in the same paragraph or right after a heading line."""
    out: list[Sentence] = []
    for s in sentences:
        prev = out[-1] if out else None
        if (prev is not None and _REFERS_BACK.match(s.text) and _NAME_ONLY.match(prev.text)
                and (prev.paragraph == s.paragraph
                     or (prev.paragraph == s.paragraph - 1 and (len(out) < 2 or out[-2].paragraph != prev.paragraph)))):
            out[-1] = Sentence(prev.start, s.end, text[prev.start:s.end], s.paragraph)
            continue
        out.append(s)
    return out


def clause_bounds(sentence: str, pos: int) -> tuple[int, int]:
    """Return (start, end) of the clause of `sentence` containing offset `pos`.

    Clauses are separated by commas, colons and sentence punctuation (not by 、, which joins
    list items that share one governing word).
    """
    start = 0
    for m in CLAUSE_SEP.finditer(sentence, 0, max(pos, 0)):
        start = m.end()
    m = CLAUSE_SEP.search(sentence, max(pos, 0))
    end = m.start() if m else len(sentence)
    return start, end
