"""Project site from place mentions: most specific mention, not a venue, not inside a company name."""
from __future__ import annotations

import bisect
import functools
import logging
import re
from dataclasses import dataclass

from ..models import Mention, Record
from .sentences import Sentence

log = logging.getLogger("geo.extract")

_RANK = {"site": 0, "zone": 1, "county": 2, "city": 3, "province": 4}
# "在太原举办", "在XX开发区主会场举行": the mention is where an event happened, not a site.
_VENUE_AFTER = re.compile(r"[^，。,；;]{0,6}?(?:举行|举办|召开|开幕|落幕|进行)")


def find_place_mentions(text: str) -> list[Mention]:
    """Shanxi place mentions from geo.mentions (H2); empty list, with a warning, until it exists."""
    finder = _finder()
    return finder(text) if finder else []


@functools.cache
def _finder():
    try:
        from ..mentions import find_mentions
    except ImportError:
        log.warning("geo.mentions is missing: records get no place (precision 'unresolved')")
        return None
    return find_mentions


def is_venue(text: str, m: Mention) -> bool:
    """True when the mention is an event venue (在太原举办…)."""
    # "在" right before the mention (as re's 在$ would also accept "在\n"), checked without
    # rescanning the text from its start.
    before = text.endswith("在", 0, m.start) or text.endswith("在\n", 0, m.start)
    return before and bool(_VENUE_AFTER.match(text, m.end))


def usable(text: str, m: Mention) -> bool:
    """A mention that can be a project site: resolved, not in a company name, not a venue."""
    return m.place is not None and m.via != "company" and not is_venue(text, m)


def best_mention(text: str, mentions: list[Mention], lo: int, hi: int, venues: bool = False) -> Mention | None:
    """Most specific usable mention within text[lo:hi]; ties go to the last one before hi.

    With `venues=True` event venues count too (used only as a last resort in context).
    """
    best, best_key = None, None
    for m in mentions:
        if not (lo <= m.start and m.end <= hi):
            continue
        if usable(text, m) or (venues and m.place is not None and m.via != "company"):
            key = (_RANK.get(m.place.precision, 5), -m.start)
            if best_key is None or key < best_key:
                best, best_key = m, key
    return best


@dataclass
class PlaceContext:
    """Mentions of one article plus its sentences, for site look-ups with fallback."""

    text: str
    sentences: list[Sentence]
    mentions: list[Mention]

    def __post_init__(self) -> None:
        # Sorted by start (stable, so equal starts keep their order) for range look-ups.
        self._by_start = sorted(self.mentions, key=lambda m: m.start)
        self._starts = [m.start for m in self._by_start]

    def _best(self, lo: int, hi: int, venues: bool = False) -> Mention | None:
        """best_mention over the mentions starting in [lo, hi) only."""
        i, j = bisect.bisect_left(self._starts, lo), bisect.bisect_left(self._starts, hi)
        return best_mention(self.text, self._by_start[i:j], lo, hi, venues)

    def site(self, index: int, lo: int, hi: int, context: bool = True) -> tuple[Mention | None, str]:
        """Site for a record in sentence `index` anchored in [lo, hi) (absolute offsets).

        Order: the record's own segment, the whole sentence, earlier sentences of the same
        paragraph (nearest first), the two previous paragraphs, then the headline (first line).
        With `context=False` (statistics) only the sentence itself and 我市-style references count.
        Returns (mention, source) with source in segment/sentence/deictic/paragraph/context/title/none.
        """
        sent = self.sentences[index]
        m = self._best(lo, hi)
        if m:
            return m, "segment"
        m = self._best(sent.start, sent.end)
        if m:
            return m, "sentence"
        m = self._deictic(sent)
        if m:
            return m, "deictic"
        if not context:
            return None, "none"
        earlier = []
        for j in range(index - 1, -1, -1):
            if self.sentences[j].paragraph < sent.paragraph - 2:
                break  # paragraphs only grow along the text
            earlier.append(j)
        # Venues of earlier sentences are a last resort: an event held in a Shanxi zone usually
        # concerns projects there (…"三个一批"活动在XX示范区举行。XX项目…).
        for venues in (False, True):
            for j in earlier:
                prev = self.sentences[j]
                m = self._best(prev.start, prev.end, venues) or self._deictic(prev)
                if m:
                    return m, "paragraph" if prev.paragraph == sent.paragraph else "context"
        if self.sentences and index > 0:
            first = self.sentences[0]
            m = self._best(first.start, first.end)
            if m:
                return m, "title"
        return None, "none"

    def _deictic(self, sent: Sentence) -> Mention | None:
        """我市/该市/全市 → the nearest earlier city mention (我县… → county, 我省… → province)."""
        for pattern, kinds in _DEICTIC:
            if pattern.search(sent.text):
                for m in reversed(self.mentions):
                    if m.end <= sent.start and m.place is not None and m.via != "company" and m.place.kind in kinds:
                        return m
        return None


_DEICTIC = (
    (re.compile(r"[我该本全]市"), ("city",)),
    (re.compile(r"[我该本全]县"), ("county",)),
    (re.compile(r"[我该本]省"), ("province",)),
)


def apply_place(record: Record, mention: Mention | None) -> None:
    """Copy the place of `mention` onto the record; no mention leaves it 'unresolved'."""
    if mention is None or mention.place is None:
        record.precision = "unresolved"
        return
    p = mention.place
    record.place_text = mention.text
    record.precision = p.precision if p.precision in _RANK else "unresolved"
    record.lon, record.lat = p.lon, p.lat
    if p.county:
        record.county_adcode, record.county = p.adcode, p.county
    record.city_adcode, record.city = p.city_adcode, p.city
    record.zone = p.full_name if p.kind == "zone" else None
    record.place_adcodes = list(p.adcodes) or ([p.adcode] if p.county else [])
