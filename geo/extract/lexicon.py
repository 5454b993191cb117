"""Fast matching helpers: word lists found in one Aho-Corasick pass, anchored regex scans.

Regexes such as `(?:深圳|上海|…)TAIL` over hundreds of names cost Python's `re` one branch test
per name and position, and rebuilding them per call was the extractor's main cost. A Lexicon
finds every occurrence of every word at once; `prefixed` then reproduces the regex's own result
(leftmost match, earlier alternatives first, non-overlapping) by trying the tail only where a
word starts.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

import ahocorasick


class Lexicon:
    """Words in priority order (index 0 first), searchable in one pass over a text."""

    def __init__(self, words: Iterable[str]):
        self.words: tuple[str, ...] = tuple(words)
        self.lengths: tuple[int, ...] = tuple(sorted({len(w) for w in self.words if w}, reverse=True))
        self._set = frozenset(self.words)
        ids: dict[str, list[int]] = {}
        for i, w in enumerate(self.words):
            if w:
                ids.setdefault(w, []).append(i)
        self._auto = ahocorasick.Automaton()
        for w, idx in ids.items():
            self._auto.add_word(w, (len(w), tuple(idx)))
        self._empty = not ids
        if not self._empty:
            self._auto.make_automaton()

    def occurrences(self, text: str, lo: int = 0, hi: int | None = None) -> list[tuple[int, int, tuple[int, ...]]]:
        """Every (start, end, word indices) occurrence inside text[lo:hi], overlapping ones
        included, by end; offsets are in text."""
        if self._empty or not text:
            return []
        hi = len(text) if hi is None else hi
        return [(end + 1 - n, end + 1, idx) for end, (n, idx) in self._auto.iter(text, lo, hi)]

    def by_start(self, occurrences) -> list[tuple[int, list[int]]]:
        """(start, sorted word indices) for each start among `occurrences`, by start: the input
        of `prefixed`, computed once for several tails."""
        starts: dict[int, list[int]] = {}
        for start, _, idx in occurrences:
            starts.setdefault(start, []).extend(idx)
        return [(start, sorted(starts[start])) for start in sorted(starts)]

    def first_starts(self, text: str) -> dict[int, int]:
        """{word index: start of its first occurrence} for every word occurring in text."""
        first: dict[int, int] = {}
        if self._empty or not text:
            return first
        # Occurrences come by end; for one word (one length) that is also by start.
        for end, (n, idx) in self._auto.iter(text):
            for i in idx:
                if i not in first:
                    first[i] = end + 1 - n
        return first

    def first_in(self, text: str) -> int | None:
        """Index of the highest-priority word occurring anywhere in text, or None."""
        best = None
        for _, _, idx in self.occurrences(text):
            if best is None or idx[0] < best:
                best = idx[0]
        return best

    def longest_ending_at(self, text: str, end: int) -> str | None:
        """The longest word w with text[end - len(w):end] == w."""
        for n in self.lengths:
            if n <= end and text[end - n:end] in self._set:
                return text[end - n:end]
        return None

    def longest_starting_at(self, text: str, start: int) -> str | None:
        """The longest word w with text[start:start + len(w)] == w."""
        for n in self.lengths:
            piece = text[start:start + n]
            if len(piece) == n and piece in self._set:
                return piece
        return None

    def prefixed(self, text: str, tail: re.Pattern, occurrences=None, starts=None) -> list[tuple[int, int, str]]:
        """(start, end, word) of each match of the regex `(?:w0|w1|…)TAIL` over text, as
        re.finditer would give them (word is the alternative that matched).

        `occurrences` may pass this lexicon's occurrences(text), or `starts` their by_start(),
        computed once for several tails.
        """
        if starts is None:
            starts = self.by_start(self.occurrences(text) if occurrences is None else occurrences)
        out, pos = [], 0
        for start, indices in starts:
            if start < pos:
                continue
            for i in indices:
                m = tail.match(text, start + len(self.words[i]))
                if m:
                    out.append((start, m.end(), self.words[i]))
                    pos = m.end()
                    break
        return out


def run_start(run: re.Pattern, backwards: str, pos: int) -> int:
    """Start of the run of `run` characters (one character class with *) that ends at `pos` of a
    text, given backwards = text[::-1].

    re only scans forwards: the run is matched in the reversed text from backwards[n - pos],
    which is text[pos - 1].
    """
    n = len(backwards)
    return pos - (run.match(backwards, n - pos).end() - (n - pos))


def anchored_finditer(pattern: re.Pattern, text: str, anchor: re.Pattern, run_break: re.Pattern,
                      reach: int, ends_at_anchor: bool = False) -> list[re.Match]:
    """pattern.finditer(text), scanning only near the words a match must contain.

    Preconditions (the caller's pattern must meet them): every match lies inside one run of
    characters that `run_break` does not match, contains a match of `anchor`, and starts at
    most `reach` characters before that anchor's start; the pattern has no look-arounds or
    anchors. Each run holding an anchor is then scanned from `reach` characters before its
    first anchor, and the rest of the text is skipped, with the same matches as a full scan.
    With `ends_at_anchor` (every match ends where an anchor ends: …公司) the scan of a run also
    stops at its last anchor; a lazy pattern scanned past it is slow and finds nothing.
    """
    out: list[re.Match] = []
    done = 0
    for word in anchor.finditer(text):
        if word.start() < done:
            continue
        lo = max(done, word.start() - reach)
        breaks = [b.end() for b in run_break.finditer(text, lo, word.start())]
        if breaks:
            lo = breaks[-1]
        stop = run_break.search(text, word.end())
        done = stop.start() if stop else len(text)
        last = done
        if ends_at_anchor:
            last = word.end()
            for later in anchor.finditer(text, last, done):
                last = later.end()
        out.extend(pattern.finditer(text, lo, last))
    return out


def starts_finditer(pattern: re.Pattern, text: str, starts: re.Pattern, pos: int = 0,
                    last: int | None = None) -> list[re.Match]:
    """pattern.finditer(text, pos), trying a match only where `starts` (one character class) matches.

    Python's `re` scans fast for a pattern that begins with a plain character class, but not
    for one that begins with a group or an alternation of classes (amounts, dates, counts).
    Precondition: every match of `pattern` is non-empty and begins with a character that
    `starts` matches. Then trying pattern.match at those positions, left to right and skipping
    positions inside the previous match, gives exactly finditer's matches (look-behinds still
    see the text before each position).
    """
    out: list[re.Match] = []
    done = pos
    match = pattern.match
    for s in starts.finditer(text, pos, len(text) if last is None else last):
        p = s.start()
        if p < done:
            continue
        m = match(text, p)
        if m:
            out.append(m)
            done = m.end()
    return out
