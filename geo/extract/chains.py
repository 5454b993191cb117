"""Industry-chain label for a record from keywords in geo/data/chains.csv."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from geo.errors import GazetteerError
from geo.places.tables import read_table
from .lexicon import Lexicon

CHAINS_CSV = Path(__file__).resolve().parent.parent / "data" / "chains.csv"
_COLUMNS = ("chain", "keyword", "priority", "source")


@dataclass(frozen=True)
class ChainKeyword:
    """One keyword row: the chain it signals and its priority (1 = most specific)."""

    chain: str
    keyword: str
    priority: int


@functools.cache
def load_chains(path: Path = CHAINS_CSV) -> tuple[ChainKeyword, ...]:
    """Read and validate the chain keyword table; raise GazetteerError quoting a bad row."""
    rows, seen = [], set()
    for line, row in read_table(path, _COLUMNS):
        chain, keyword = row["chain"], row["keyword"]
        if not chain or not keyword:
            raise GazetteerError(f"{path}:{line}: empty chain or keyword in {row!r}")
        if keyword in seen:
            raise GazetteerError(f"{path}:{line}: duplicate keyword {keyword!r}")
        try:
            priority = int(row["priority"])
        except ValueError:
            raise GazetteerError(f"{path}:{line}: priority {row['priority']!r} is not an integer") from None
        seen.add(keyword)
        rows.append(ChainKeyword(chain, keyword, priority))
    return tuple(rows)


def chain_labels() -> list[str]:
    """All chain labels in the table, in first-seen order."""
    return list(dict.fromkeys(k.chain for k in load_chains()))


def classify_chain(name: str | None, sentence: str) -> tuple[str | None, str | None]:
    """Return (chain, keyword) for a record: a keyword in the project name beats one elsewhere.

    Within the text searched, the lowest priority number wins; ties go to the longer keyword
    (新能源汽车 over 汽车), then to the earlier position. (None, None) when nothing matches.
    """
    for text in (name, sentence):
        if text:
            hit = _best(text)
            if hit:
                return hit.chain, hit.keyword
    return None, None


@functools.cache
def _lexicon() -> Lexicon:
    return Lexicon(k.keyword for k in load_chains())


def _first_hits(text: str) -> list[tuple[int, ChainKeyword]]:
    """(first position, keyword row) of every table keyword occurring in text, in table order."""
    first = _lexicon().first_starts(text)
    rows = load_chains()
    return [(first[i], rows[i]) for i in sorted(first)]


def distinct_chains(text: str) -> set[str]:
    """Chains whose best keyword occurs in text, ignoring keywords nested in a longer match."""
    hits = _first_hits(text)
    spans = [(p, p + len(k.keyword), k.chain) for p, k in hits]
    return {c for s, e, c in spans if not any(s2 <= s and e <= e2 and (s2, e2) != (s, e) for s2, e2, _ in spans)}


def _best(text: str) -> ChainKeyword | None:
    first = _lexicon().first_starts(text)
    if not first:
        return None
    ranks = _ranks()
    # Unique minimum: two keywords with equal priority, length and position would be equal.
    return load_chains()[min(first, key=lambda i: (ranks[i], first[i]))]


@functools.cache
def _ranks() -> tuple[tuple[int, int], ...]:
    """(priority, -length) of each keyword row, by row: lower wins in classify_chain."""
    return tuple((k.priority, -len(k.keyword)) for k in load_chains())
