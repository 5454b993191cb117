"""Split cleaned article text into sentences and clauses, keeping character offsets."""
from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence ends at a full stop, !, ?, semicolon or line break. Closing quotes right after the
# terminator belong to the sentence they close, so "…提升。”刘勇说。" splits after the quote.
_SENT_END = re.compile(r"[。！？；!?;]+[”’」』\"')）]*|\n+")
_CLAUSE_SEP = re.compile(r"[，,：:；;。！？!?\n]")


@dataclass(frozen=True)
class Sentence:
    """One sentence: its text, start offset in the article text, and paragraph number."""

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
    pos = 0
    for m in _SENT_END.finditer(text):
        _append(out, text, pos, m.end() if not m.group().startswith("\n") else m.start(), paragraph)
        if "\n" in m.group():
            paragraph += 1
        pos = m.end()
    _append(out, text, pos, len(text), paragraph)
    return out


def _append(out: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(start, end, text[start:end], paragraph))


def clause_bounds(sentence: str, pos: int) -> tuple[int, int]:
    """Return (start, end) of the clause of `sentence` containing offset `pos`.

    Clauses are separated by commas, colons and sentence punctuation (not by 、, which joins
    list items that share one governing word).
    """
    start = 0
    for m in _CLAUSE_SEP.finditer(sentence, 0, max(pos, 0)):
        start = m.end()
    m = _CLAUSE_SEP.search(sentence, max(pos, 0))
    end = m.start() if m else len(sentence)
    return start, end
