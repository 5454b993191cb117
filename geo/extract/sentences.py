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
            out.append(Sentence(start, start + len(body), body, paragraph))
        if nl >= 0:
            paragraph += 1
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
