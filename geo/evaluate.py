"""Precision and recall of geo.extract against a hand annotation (tests/annotations/seeds.yaml).

Matching: an extracted record matches an annotated one of the same article when the annotated
snippet (whitespace removed) lies inside the record's sentence (whitespace removed) and the
amounts agree (both absent, or equal within 1e-6 relative). Each record matches at most once;
candidates of the same kind are preferred. Annotated records marked `marginal` may match but do
not count against recall.

Per field f (over all annotated records with a non-null f, and all matched pairs):
  recall    = matched pairs with pred == gold / annotated records with gold f set
  precision = matched pairs with pred == gold / matched pairs with pred f set
Dates match when the extracted ISO date starts with the annotated (possibly reduced) date.
A null gold value is a label, not a gap: origin_region null means "Shanxi-internal or unknown",
so an extracted origin on such a record counts in precision's denominator (a false positive),
and pairs where both are null are not counted at all. Scoring origins only where the gold is
non-null would hide exactly the errors that put Shanxi firms on an inflow map.
Place mentions: multiset of (text, adcode) from geo.mentions vs the `places` lists.

Run: python -m geo.evaluate [--annotations FILE] [--articles DIR] [-v]
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import GeoError
from .extract import extract_records
from .extract.places import find_place_mentions
from .ingest import read_article
from .models import Record

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ANNOTATIONS = ROOT / "tests" / "annotations" / "seeds.yaml"
DEFAULT_ARTICLES = ROOT / "seeds"
FIELDS = ("kind", "amount", "amount_kind", "qualifier", "project_count", "place_adcode", "precision",
          "chain", "stage", "origin_region", "date")


@dataclass
class Score:
    """Counts for one field: true positives, predicted (non-null) and gold (non-null)."""

    tp: int = 0
    pred: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0


@dataclass
class Report:
    """Scores of one evaluation run, plus the unmatched records for inspection."""

    records: Score = field(default_factory=Score)
    fields: dict[str, Score] = field(default_factory=lambda: {f: Score() for f in FIELDS})
    places: Score = field(default_factory=Score)
    missed: list[tuple[str, dict]] = field(default_factory=list)
    spurious: list[Record] = field(default_factory=list)
    mismatches: list[tuple[str, str, object, object]] = field(default_factory=list)


def load_annotations(path: Path) -> list[dict]:
    """Read an annotation YAML file; raise GeoError quoting what is wrong with it."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise GeoError(f"cannot read annotations {str(path)!r}: {exc}") from exc
    if not isinstance(data, list) or not all(isinstance(a, dict) and "article" in a for a in data):
        raise GeoError(f"{str(path)!r}: expected a list of mappings with an 'article' key")
    return data


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def _same_amount(gold: dict, rec: Record) -> bool:
    g = gold.get("amount_yi")
    if g is None:
        return rec.amount_yi is None
    return rec.amount_yi is not None and abs(rec.amount_yi - float(g)) <= 1e-6 * max(1.0, abs(float(g)))


def match(gold_records: list[dict], records: list[Record]) -> list[tuple[dict, Record | None]]:
    """Pair each annotated record with at most one extracted record (see module docstring)."""
    used: set[int] = set()
    pairs = []
    squashed = [_squash(r.sentence) for r in records]
    for gold in gold_records:
        snippet = _squash(str(gold.get("snippet", "")))
        cands = [i for i, r in enumerate(records)
                 if i not in used and snippet and snippet in squashed[i] and _same_amount(gold, r)]
        cands.sort(key=lambda i: records[i].kind != gold.get("kind"))
        if cands:
            used.add(cands[0])
            pairs.append((gold, records[cands[0]]))
        else:
            pairs.append((gold, None))
    return pairs


def field_value(rec: Record, name: str):
    """The value of evaluation field `name` on an extracted record."""
    if name == "amount":
        return None if rec.amount_yi is None else (round(rec.amount_yi, 6), rec.currency)
    if name == "place_adcode":
        if rec.precision == "province":
            return "140000"
        if not rec.county_adcode and len({a[:4] for a in rec.place_adcodes or []}) > 1:
            return "140000"  # a zone spanning several cities: the annotation's 140000 + adcodes
        return rec.county_adcode or rec.city_adcode
    return getattr(rec, name)


def gold_value(gold: dict, name: str):
    """The value of evaluation field `name` on an annotated record."""
    if name == "amount":
        g = gold.get("amount_yi")
        return None if g is None else (round(float(g), 6), gold.get("currency") or "CNY")
    value = gold.get(name)
    return None if value is None else str(value) if name in ("place_adcode", "date") else value


def _equal(name: str, pred, gold) -> bool:
    if name == "date":
        return pred is not None and str(pred).startswith(str(gold))
    return pred == gold


def evaluate(annotations: list[dict], articles_dir: Path) -> Report:
    """Run the extractor on every annotated article and score it."""
    report = Report()
    for entry in annotations:
        path = Path(articles_dir) / entry["article"]
        article = read_article(path)
        records = extract_records(article)
        gold_records = entry.get("records") or []
        pairs = match(gold_records, records)
        matched_ids = {id(r) for _, r in pairs if r is not None}
        report.records.pred += len(records)
        for gold, rec in pairs:
            counts = not gold.get("marginal")
            report.records.gold += counts
            if rec is None:
                if counts:
                    report.missed.append((entry["article"], gold))
                continue
            report.records.tp += 1
            for name in FIELDS:
                score, g, p = report.fields[name], gold_value(gold, name), field_value(rec, name)
                score.gold += g is not None
                score.pred += p is not None
                if g is not None and _equal(name, p, g):
                    score.tp += 1
                elif g is not None or p is not None:
                    report.mismatches.append((entry["article"], name, g, p))
        for gold, rec in pairs:
            if rec is None and not gold.get("marginal"):
                for name in FIELDS:
                    report.fields[name].gold += gold_value(gold, name) is not None
        report.spurious += [r for r in records if id(r) not in matched_ids]
        _score_places(report.places, entry.get("places") or [], article.text)
    return report


def _score_places(score: Score, gold_places: list[dict], text: str) -> None:
    gold = Counter()
    for p in gold_places:
        gold[(_squash(str(p.get("text"))), str(p.get("adcode")))] += int(p.get("count") or 1)
    found = Counter()
    for m in find_place_mentions(text):
        if m.place is not None and m.via != "company":
            found[(_squash(m.text), m.place.adcode)] += 1
    score.tp += sum((gold & found).values())
    score.gold += sum(gold.values())
    score.pred += sum(found.values())


def format_report(report: Report, verbose: bool = False) -> str:
    """A plain-text table of the scores (and, verbose, the misses and mismatches)."""
    lines = [f"{'field':16} {'P':>6} {'R':>6}   tp/pred/gold"]

    def row(name: str, s: Score) -> str:
        return f"{name:16} {s.precision:6.2f} {s.recall:6.2f}   {s.tp}/{s.pred}/{s.gold}"

    lines.append(row("record found", report.records))
    lines += [row(name, s) for name, s in report.fields.items()]
    lines.append(row("place mentions", report.places))
    if verbose:
        lines.append("\nmissed:")
        lines += [f"  {a} {g.get('id', '')} {g.get('kind')} {g.get('snippet')!r} {g.get('amount_text')}"
                  for a, g in report.missed]
        lines.append("spurious:")
        lines += [f"  {r.kind} {r.amount_text} {r.sentence[:40]!r}" for r in report.spurious]
        lines.append("field mismatches (article, field, gold, extracted):")
        lines += [f"  {a} {f}: {g!r} vs {p!r}" for a, f, g, p in report.mismatches]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: print the evaluation table; exit 2 on unreadable input."""
    parser = argparse.ArgumentParser(prog="python -m geo.evaluate", description=__doc__.splitlines()[0])
    parser.add_argument("--annotations", type=Path, default=DEFAULT_ANNOTATIONS)
    parser.add_argument("--articles", type=Path, default=DEFAULT_ARTICLES)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    try:
        report = evaluate(load_annotations(args.annotations), args.articles)
    except GeoError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    sys.stdout.write(format_report(report, args.verbose) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
