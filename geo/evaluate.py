"""Precision and recall of geo.extract against a hand annotation (named sets, see SETS).

Matching: an extracted record matches an annotated one of the same article when the annotated
snippet (whitespace removed) lies inside the record's sentence (whitespace removed) and the
amounts agree (both absent, or equal within 1e-6 relative). Each record matches at most once;
candidates of the same kind are preferred, then the one whose name is closest to the annotated name
(rapidfuzz ratio; before 2026-12-07 the first in text order, which let one annotated project of a
sentence take the record bearing another's name); the pairs are taken best first over the article
(since 2026-12-07 late: before, annotations in their order each took their best remaining record, so
an earlier annotation without its own record could take a later one's). An annotated
project left unmatched then matches an unused extracted project of the same article bearing its name
(the same characters, quotes and a leading place name aside) with the same amount: an article reporting one
project twice yields one record, from either report. Annotated records marked `marginal` may match but do
not count against recall.

Per field f (over all annotated records with a non-null f, and all matched pairs):
  recall    = matched pairs with pred == gold / annotated records with gold f set
  precision = matched pairs with pred == gold / matched pairs with pred f set
Dates match when the extracted ISO date starts with the annotated (possibly reduced) date.
A null gold value is a label, not a gap: origin_region null means "Shanxi-internal or unknown",
so an extracted origin on such a record counts in precision's denominator (a false positive),
and pairs where both are null are not counted at all. Scoring origins only where the gold is
non-null would hide exactly the errors that put Shanxi firms on an inflow map.
Place mentions: multiset of (text, adcode) from geo.places.mentions vs the `places` lists.
Snippets and sentences are compared in simplified characters (OpenCC t2s), so an annotation of a
traditional-character page matches records whatever script the extractor worked in.

The summary (what the map needs) counts, over non-marginal annotated records:
- projects found: annotated projects matched by an extracted *project*; located: its place is
  right (the same adcode; for a city-level annotation any place in that city; for a zone spanning
  cities, the province code or one of its hosts);
- batches found: annotated batches matched by an extracted *batch*;
- amount kind right, over matched records with an amount;
- non-investment counted as investment: extracted projects with amount_kind investment whose
  annotated twin (matched, or the same amount in the same article) is not investment.

Linkage (`--linkage FOLDER`: articles and an annotations.yaml whose project records carry `entity:`,
tests/realworld/LINKAGE_GUIDE.md): the folder's articles are extracted and located as a build does,
the project records linked (geo.link.linkage), extracted records matched to annotated ones as above, and
over the annotated projects matched by an extracted project (with an entity), every pair of them is
scored: precision = pairs predicted same entity that are the same gold entity / pairs predicted same;
recall = pairs of one gold entity predicted same / pairs of one gold entity. Also reported: gold
entities (over all annotated projects) and predicted entities (over all extracted projects), and both
over the matched records alone.

Names (`--names FOLDER`: articles from other provinces and a names.yaml listing every project name verbatim,
tests/realworld/NAMES_GUIDE.md; no places, amounts or kinds): an annotated name is found when an extracted
project's name (4 characters or more) lies inside it or contains it, both whitespace-free and simplified (a firm
or place heading the annotated name may be missing from the record's: 某某有限公司X项目 / X项目). Reported: names
found / annotated (distinct spellings, so one project written two ways counts twice), and extracted projects
whose name matches an annotated one / all extracted projects. A yardstick for finding, not for locating.

Run: python -m geo evaluate [--set NAME ...] [--annotations FILE --articles DIR] [--linkage FOLDER]
     [--names FOLDER] [-v]
"""
from __future__ import annotations

import argparse
import functools
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from rapidfuzz import fuzz

from geo.ingest.clean import drop_pinyin_glosses
from geo.errors import GeoError
from geo.extract import extract_records
from geo.extract.names import PLACE_PREFIX
from geo.extract.places import find_place_mentions
from geo.ingest.read import read_article
from geo.models import Record

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ANNOTATIONS = ROOT / "tests" / "annotations" / "seeds.yaml"
DEFAULT_ARTICLES = ROOT / "seeds"
# Named sets: (annotation file, article folder). realworld-*: real pages annotated blind
# (tests/realworld/README.md). Rules may be tuned on dev, dev2, dev3, linkage and, since its last blind run was
# kept (last_blind_run_test.txt, 2026-12-06), test, and dev4…dev15 after their first runs; never on test2…test16.
REALWORLD = ("dev", "dev2", "dev3", "dev4", "dev5", "dev6", "dev7", "dev8", "dev9", "dev10", "dev11", "dev12", "dev13",
             "dev14", "dev15", "linkage", "test",
             "test2", "test3", "test4", "test5", "test6", "test7", "test8", "test9", "test10", "test11", "test12",
             "test13", "test14", "test15", "test16")
SETS = {
    "seeds": (DEFAULT_ANNOTATIONS, DEFAULT_ARTICLES),
    "heldout": (ROOT / "tests" / "heldout" / "annotations.yaml", ROOT / "tests" / "heldout"),
    "corpus": (ROOT / "tests" / "corpus" / "annotations.yaml", ROOT / "tests" / "corpus"),
    **{f"realworld-{name}": (ROOT / "tests" / "realworld" / name / "annotations.yaml", ROOT / "tests" / "realworld" / name)
       for name in REALWORLD},
}
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
class Summary:
    """The map-level figures of one run (see the module docstring)."""

    projects: int = 0
    projects_found: int = 0
    projects_located: int = 0
    batches: int = 0
    batches_found: int = 0
    amounts: int = 0
    amount_kind_right: int = 0
    non_investment_as_investment: int = 0
    articles: int = 0


@dataclass
class Report:
    """Scores of one evaluation run, plus the unmatched records for inspection."""

    records: Score = field(default_factory=Score)
    fields: dict[str, Score] = field(default_factory=lambda: {f: Score() for f in FIELDS})
    places: Score = field(default_factory=Score)
    summary: Summary = field(default_factory=Summary)
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


@functools.lru_cache(maxsize=1)
def _t2s():
    import opencc  # noqa: PLC0415 - only the evaluation needs it at import time

    return opencc.OpenCC("t2s")


def _squash(text: str) -> str:
    """Whitespace and pinyin glosses removed (as ingest does; toneless ones even where ingest keeps a few, on
    both sides of a comparison alike), in simplified characters."""
    return _t2s().convert(drop_pinyin_glosses(re.sub(r"\s+", "", text or ""), least=1)[0])


def _same_amount(gold: dict, rec: Record) -> bool:
    g = gold.get("amount_yi")
    if g is None:
        return rec.amount_yi is None
    return rec.amount_yi is not None and abs(rec.amount_yi - float(g)) <= 1e-6 * max(1.0, abs(float(g)))


def match(gold_records: list[dict], records: list[Record]) -> list[tuple[dict, Record | None]]:
    """Pair each annotated record with at most one extracted record (see module docstring)."""
    used: set[int] = set()
    found: dict[int, Record] = {}
    squashed = [_squash(r.sentence) for r in records]
    names = [_squash(r.name or "") for r in records]
    gold_names = [_squash(str(gold.get("name") or "")) for gold in gold_records]
    # Of a sentence's records, each annotation takes one of its kind, then the closest name: the
    # pairs are taken best first over the whole article, so the order of annotations does not decide.
    pairs = []
    for k, gold in enumerate(gold_records):
        snippet = _squash(str(gold.get("snippet", "")))
        if not snippet:
            continue
        for i, r in enumerate(records):
            if snippet in squashed[i] and _same_amount(gold, r):
                pairs.append((r.kind != gold.get("kind"), -fuzz.ratio(gold_names[k], names[i]), k, i))
    for _, _, k, i in sorted(pairs):
        if k not in found and i not in used:
            used.add(i)
            found[k] = records[i]
    for k, gold in enumerate(gold_records):
        # A project the article reports twice is extracted once, from one of its sentences: an
        # annotation whose snippet is the other report matches the record bearing its name.
        name = gold_names[k]
        if k in found or gold.get("kind") != "project" or len(name) < 4:
            continue
        cands = [i for i, r in enumerate(records) if i not in used and r.kind == "project"
                 and _same_name(name, names[i]) and _same_amount(gold, r)]
        if cands:
            used.add(cands[0])
            found[k] = records[cands[0]]
    return [(gold, found.get(k)) for k, gold in enumerate(gold_records)]


def _same_name(gold: str, name: str) -> bool:
    """The same name, quotes and a leading place aside (“X”项目 / 某某区X项目 / X项目)."""
    if not gold or len(name) < 4:
        return False
    gold, name = _QUOTES.sub("", gold), _QUOTES.sub("", name)
    return gold == name or len(name) >= 6 and PLACE_PREFIX.sub("", gold) == name or \
        len(gold) >= 6 and PLACE_PREFIX.sub("", name) == gold


_QUOTES = re.compile(r"[“”\"'《》「」]")


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
        report.summary.articles += 1
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
        _summarise(report.summary, pairs, [r for r in records if id(r) not in matched_ids])
        _score_places(report.places, entry.get("places") or [], article.text)
    return report


def located(gold: dict, rec: Record) -> bool:
    """True when the record's place is the annotated one (module docstring: 'located')."""
    g, p = gold_value(gold, "place_adcode"), field_value(rec, "place_adcode")
    if g is None or p is None:
        return g is None and p is None
    if p == g:
        return True
    if g.endswith("00") and g != "140000":
        return p[:4] == g[:4]  # the annotation knows only the city: any place in it is right
    hosts = {str(c) for c in gold.get("place_adcodes") or []}
    return g == "140000" and p in hosts


def _summarise(summary: Summary, pairs: list[tuple[dict, Record | None]], spurious: list[Record]) -> None:
    non_investment = set()
    for gold, rec in pairs:
        if gold.get("amount_kind") and gold["amount_kind"] != "investment":
            non_investment.add(round(float(gold["amount_yi"]), 6))
            if rec is not None and rec.kind == "project" and rec.amount_kind == "investment":
                summary.non_investment_as_investment += 1
        if gold.get("marginal"):
            continue
        if gold.get("kind") == "project":
            summary.projects += 1
            if rec is not None and rec.kind == "project":
                summary.projects_found += 1
                summary.projects_located += located(gold, rec)
        elif gold.get("kind") == "batch":
            summary.batches += 1
            summary.batches_found += rec is not None and rec.kind == "batch"
        if rec is not None and gold.get("amount_yi") is not None:
            summary.amounts += 1
            summary.amount_kind_right += rec.amount_kind == gold.get("amount_kind")
    for rec in spurious:
        if (rec.kind == "project" and rec.amount_kind == "investment" and rec.amount_yi is not None
                and round(rec.amount_yi, 6) in non_investment):
            summary.non_investment_as_investment += 1


def format_summary(name: str, report: Report) -> str:
    """One block of map-level figures for a set (see the module docstring)."""
    s, f = report.summary, report.fields

    def share(a: int, b: int) -> str:
        return f"{a}/{b} ({a / b:.0%})" if b else "0/0"

    def pr(field_name: str) -> str:
        score = f[field_name]
        return f"{score.precision:.2f}/{score.recall:.2f}"

    return "\n".join([
        f"[{name}] {s.articles} articles",
        f"  projects found {share(s.projects_found, s.projects)}, found and located "
        f"{share(s.projects_located, s.projects)}",
        f"  batches found {share(s.batches_found, s.batches)}",
        f"  amount kind right {share(s.amount_kind_right, s.amounts)}; "
        f"non-investment counted as investment: {s.non_investment_as_investment}",
        f"  P/R: records {report.records.precision:.2f}/{report.records.recall:.2f}, chain {pr('chain')}, "
        f"stage {pr('stage')}, origin {pr('origin_region')}, date {pr('date')}, place {pr('place_adcode')}",
    ])


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


@dataclass
class LinkageReport:
    """Pairwise "same entity" scores over matched project records, and entity counts."""

    articles: int = 0
    gold_projects: int = 0
    matched: int = 0
    tp: int = 0
    predicted_pairs: int = 0
    gold_pairs: int = 0
    gold_entities: int = 0
    predicted_entities: int = 0
    matched_gold_entities: int = 0  # over the matched records only
    matched_predicted_entities: int = 0
    wrong_links: list[tuple[str, str]] = field(default_factory=list)  # (gold entity, gold entity) joined
    missed_links: list[tuple[str, str]] = field(default_factory=list)  # (entity, article pair) not joined

    @property
    def precision(self) -> float:
        return self.tp / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold_pairs if self.gold_pairs else 1.0


def evaluate_linkage(folder: Path) -> LinkageReport:
    """Extract, locate and link the articles of a linkage gold folder and score the links (docstring)."""
    from geo.link.linkage import link  # noqa: PLC0415 - only this evaluation needs the linkage
    from geo.pipeline import process  # noqa: PLC0415
    from geo.store.gpkg import records_frame  # noqa: PLC0415

    folder = Path(folder)
    annotations = load_annotations(folder / "annotations.yaml")
    report = LinkageReport(articles=len(annotations))
    articles = [read_article(folder / entry["article"]) for entry in annotations]
    records, _ = process(articles)
    uids = link(records_frame(records, articles)).uids
    by_article: dict[str, list[Record]] = {}
    for rec in records:
        by_article.setdefault(rec.article_id, []).append(rec)
    gold_entities, pairs = set(), []  # pairs: (gold entity, predicted uid, article)
    for entry, article in zip(annotations, articles):
        gold_records = entry.get("records") or []
        for gold, rec in match(gold_records, by_article.get(article.id, [])):
            if gold.get("kind") != "project" or not gold.get("entity"):
                continue
            gold_entities.add(str(gold["entity"]))
            report.gold_projects += 1
            if rec is not None and rec.kind == "project" and rec.id in uids:
                pairs.append((str(gold["entity"]), uids[rec.id], entry["article"]))
    report.matched = len(pairs)
    report.gold_entities = len(gold_entities)
    report.predicted_entities = len(set(uids.values()))
    report.matched_gold_entities = len({g for g, _, _ in pairs})
    report.matched_predicted_entities = len({p for _, p, _ in pairs})
    for i, (g1, p1, a1) in enumerate(pairs):
        for g2, p2, a2 in pairs[i + 1:]:
            report.gold_pairs += g1 == g2
            report.predicted_pairs += p1 == p2
            report.tp += g1 == g2 and p1 == p2
            if p1 == p2 and g1 != g2:
                report.wrong_links.append((g1, g2))
            elif g1 == g2 and p1 != p2:
                report.missed_links.append((g1, f"{a1} / {a2}"))
    return report


def format_linkage(name: str, report: LinkageReport, verbose: bool = False) -> str:
    """The linkage figures of one folder (and, verbose, the wrong and missed links)."""
    lines = [
        f"[linkage {name}] {report.articles} articles; annotated projects {report.gold_projects}, "
        f"matched by an extracted project {report.matched}",
        f"  same-entity pairs: precision {report.precision:.2f} ({report.tp}/{report.predicted_pairs}), "
        f"recall {report.recall:.2f} ({report.tp}/{report.gold_pairs})",
        f"  entities: gold {report.gold_entities}, predicted {report.predicted_entities} "
        f"(over the matched records: gold {report.matched_gold_entities}, "
        f"predicted {report.matched_predicted_entities})",
    ]
    if verbose:
        lines += [f"  wrongly joined: {a} + {b}" for a, b in report.wrong_links]
        lines += [f"  not joined: {a} ({where})" for a, where in report.missed_links]
    return "\n".join(lines)


@dataclass
class NamesReport:
    """Name recall on a names set (module docstring: 'Names')."""

    articles: int = 0
    names: int = 0
    found: int = 0
    projects: int = 0
    projects_named: int = 0
    missed: list[tuple[str, str]] = field(default_factory=list)  # (article, annotated name)
    unnamed: list[tuple[str, str]] = field(default_factory=list)  # (article, extracted name matching none)


def _name_match(gold: str, name: str) -> bool:
    return len(name) >= 4 and (name in gold or gold in name)


def evaluate_names(folder: Path) -> NamesReport:
    """Extract the articles of a names set and count the annotated names the project records find."""
    folder = Path(folder)
    report = NamesReport()
    for entry in load_annotations(folder / "names.yaml"):
        report.articles += 1
        names = [_squash(str(n)) for n in entry.get("names") or []]
        projects = [r for r in extract_records(read_article(folder / entry["article"])) if r.kind == "project"]
        found = [_squash(r.name or "") for r in projects]
        for raw, gold in zip(entry.get("names") or [], names):
            report.names += 1
            if any(_name_match(gold, x) for x in found):
                report.found += 1
            else:
                report.missed.append((entry["article"], str(raw)))
        for rec, x in zip(projects, found):
            report.projects += 1
            if any(_name_match(gold, x) for gold in names):
                report.projects_named += 1
            else:
                report.unnamed.append((entry["article"], rec.name or "(no name)"))
    return report


def format_names(name: str, report: NamesReport, verbose: bool = False) -> str:
    """The name figures of one names set (and, verbose, the missed names and the unmatched records)."""
    share = report.found / report.names if report.names else 1.0
    lines = [f"[names {name}] {report.articles} articles: names found {report.found}/{report.names} ({share:.0%}); "
             f"extracted projects named as annotated {report.projects_named}/{report.projects}"]
    if verbose:
        lines += [f"  missed: {a}: {n}" for a, n in report.missed]
        lines += [f"  not annotated: {a}: {n}" for a, n in report.unnamed]
    return "\n".join(lines)


def _print(make) -> int:
    """Write what `make()` returns and exit 0, or one `error:` line and exit 2 when the input cannot be read."""
    try:
        text = make()
    except (GeoError, OSError) as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    sys.stdout.write(text + "\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: print the evaluation table; exit 2 on unreadable input."""
    parser = argparse.ArgumentParser(prog="python -m geo.evaluate", description=__doc__.splitlines()[0])
    parser.add_argument("--set", dest="sets", action="append", choices=[*SETS, "all"],
                        help="a named set (repeatable; 'all' for every set); default seeds")
    parser.add_argument("--annotations", type=Path, help="an annotation file (with --articles)")
    parser.add_argument("--articles", type=Path)
    parser.add_argument("--linkage", type=Path, metavar="FOLDER",
                        help="score project linkage on a folder of articles + annotations.yaml with entity slugs")
    parser.add_argument("--names", type=Path, metavar="FOLDER", action="append",
                        help="name recall on a names set (articles + names.yaml, tests/realworld/NAMES_GUIDE.md)")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    if args.names:
        return _print(lambda: "\n".join(format_names(str(f), evaluate_names(f), args.verbose) for f in args.names))
    if args.linkage is not None:
        return _print(lambda: format_linkage(str(args.linkage), evaluate_linkage(args.linkage), args.verbose))
    if args.annotations is not None:
        runs = [(str(args.annotations), args.annotations, args.articles or args.annotations.parent)]
    else:
        names = args.sets or ["seeds"]
        names = list(SETS) if "all" in names else list(dict.fromkeys(names))
        runs = [(name, *SETS[name]) for name in names]
    out = []
    try:
        for name, annotation_file, articles in runs:
            report = evaluate(load_annotations(annotation_file), articles)
            out += [format_summary(name, report), format_report(report, args.verbose), ""]
    except GeoError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    sys.stdout.write("\n".join(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
