"""Train the project-name tagger (geo/extract/tagger.py) on the tuned annotation sets.

    .venv/bin/python scripts/train_name_tagger.py [--out geo/data/name_tagger.crfsuite] [--folds 0]

Training data: every sentence of the tuned sets' articles (seeds, heldout, corpus, realworld dev–dev9,
linkage and test — never test2–test12, which stay blind), and of the names sets in NAMES_TRAIN
(articles from other provinces with every project name listed verbatim, NAMES_GUIDE.md; each set's
first run is kept before it joins); names-b and names-d stay held out, the yardstick of what the names sets teach
(`--names-sets` changes the choice, `--names-sets ""` trains on the Shanxi sets alone). A sentence holding an annotated project
whose name (simplified, quotes and a parenthesised remark aside) is written in it verbatim is labelled
with that name's characters (B/I, the rest O); a sentence holding an annotation whose name cannot be
found verbatim is left out (its labels would be wrong); all other sentences are negatives.
`--folds K` (K ≥ 2) first reports span precision/recall in K folds by article, then trains on all.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

import pycrfsuite
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.evaluate import SETS, _squash, load_annotations, read_article  # noqa: E402
from geo.extract.origins import companies_by_sentence  # noqa: E402
from geo.extract.places import find_place_mentions  # noqa: E402
from geo.extract.sentences import split_sentences  # noqa: E402
from geo.extract.stages import mentions_stage  # noqa: E402
from geo.extract.tagger import MIN_LEN, covered, features, fingerprint, label_spans  # noqa: E402

TUNED = ["seeds", "heldout", "corpus"] + [f"realworld-{s}" for s in
                                          ("dev", "dev2", "dev3", "dev4", "dev5", "dev6", "dev7", "dev8", "dev9",
                                           "linkage", "test")]
PARAMS = {"c1": 0.1, "c2": 0.01, "max_iterations": 150, "feature.possible_transitions": True,
          "feature.minfreq": 2}
_REMARK = re.compile(r"[（(][^）)]*[）)]")
_QUOTES = re.compile(r"[“”\"'《》「」]")


def _name_forms(name: str) -> list[str]:
    name = _squash(name)
    forms = [name, _REMARK.sub("", name), _QUOTES.sub("", _REMARK.sub("", name))]
    return [f for f in dict.fromkeys(forms) if len(f) >= MIN_LEN and "…" not in f and "*" not in f]


def _label(labels: list[str], a: int, b: int) -> None:
    labels[a] = "B"
    for k in range(a + 1, b):
        labels[k] = "I"


def article_examples(article, golds: list[dict], names: list[str] = ()) -> list[tuple[list[list[str]], list[str]]]:
    """(features, labels) of each usable sentence of one article: `golds` are annotation records
    (their snippets say which sentence holds which project), `names` verbatim names (names sets)."""
    text = article.text
    sentences = split_sentences(text)
    mentions = find_place_mentions(text)
    _, firms = companies_by_sentence(text, [(s.start, s.end) for s in sentences])
    projects = [g for g in golds if g.get("kind") == "project" and g.get("name")]
    snippets = [_squash(str(g.get("snippet") or "")) for g in golds]
    verbatim = [n for n in dict.fromkeys(_squash(n) for n in names) if len(n) >= MIN_LEN]
    out = []
    for i, s in enumerate(sentences):
        sq = _squash(s.text)
        labels = ["O"] * len(s.text)
        holds = [g for g, sn in zip(golds, snippets) if sn and sn in sq]
        unfound = False
        for n in verbatim:
            for m in re.finditer(re.escape(n), s.text):
                _label(labels, m.start(), m.end())
        for g in projects:
            forms = _name_forms(str(g["name"]))
            hit = False
            for form in forms:
                for m in re.finditer(re.escape(form), s.text):
                    _label(labels, m.start(), m.end())
                    hit = True
                if hit:
                    break
            if not hit and g in holds:
                unfound = True  # (labelling the closest piece instead added noise: blind records +4, none found)
        if unfound or any(g.get("marginal") for g in holds):
            continue
        in_place = covered(len(s.text), [(m.start - s.start, m.end - s.start) for m in mentions
                                         if m.end > s.start and m.start < s.end])
        in_firm = covered(len(s.text), [(c.start, c.end) for c in firms[i]])
        staged = mentions_stage(s.text, 0, len(s.text))
        out.append((features(s.text, in_place, in_firm, staged), labels))
    return out


NAMES_TRAIN = ("names-a", "names-c", "names-e", "names-f", "names-g", "names-h")  # names-b and names-d stay held out
NAMES_SETS = sorted(p for p in (ROOT / "tests" / "realworld").glob("names-*") if (p / "names.yaml").is_file())


def annotation_files(names_sets: list[Path]) -> list[Path]:
    """What the model learns from: the tuned sets' annotations, then the names sets' given
    (tests/realworld/NAMES_GUIDE.md: articles from other provinces, every project name verbatim)."""
    return [Path(SETS[name][0]) for name in TUNED] + [d / "names.yaml" for d in names_sets]


def corpus(names_sets: list[Path]) -> tuple[list[list[tuple[list[list[str]], list[str]]]], int]:
    """Examples grouped by article, and how many of the articles (the first ones) are the tuned sets'."""
    arts = []
    for name in TUNED:
        ann, folder = SETS[name]
        for entry in load_annotations(ann):
            art = read_article(Path(folder) / entry["article"])
            arts.append(article_examples(art, [g for g in entry.get("records") or []]))
    n_tuned = len(arts)
    for folder in names_sets:
        for entry in yaml.safe_load((folder / "names.yaml").read_text(encoding="utf-8")) or []:
            art = read_article(folder / entry["article"])
            arts.append(article_examples(art, [], [str(n) for n in entry.get("names") or []]))
    return arts, n_tuned


def train(examples, out: Path) -> None:
    trainer = pycrfsuite.Trainer(verbose=False)
    for x, y in examples:
        trainer.append(x, y)
    trainer.set_params(PARAMS)
    trainer.train(str(out))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "geo" / "data" / "name_tagger.crfsuite")
    ap.add_argument("--folds", type=int, default=0)
    ap.add_argument("--names-sets", default=",".join(NAMES_TRAIN),
                    help="comma-separated names sets to train on (default: %(default)s; the rest stay held out)")
    args = ap.parse_args()
    names_sets = [p for p in NAMES_SETS if p.name in args.names_sets.split(",")]
    arts, n_tuned = corpus(names_sets)
    n_sent = sum(len(a) for a in arts)
    n_names = sum(lab == "B" for a in arts for _, y in a for lab in y)
    print(f"{len(arts)} articles, {n_sent} sentences, {n_names} labelled names")
    if args.folds >= 2:
        # Folds over the tuned (Shanxi) articles only, the domain the tagger works in; the names sets'
        # articles, with --names, always train.
        order = list(range(n_tuned))
        random.Random(7).shuffle(order)
        extra = [ex for a in arts[n_tuned:] for ex in a]
        tp = pred = gold = 0
        for f in range(args.folds):
            test = [arts[i] for i in order[f::args.folds]]
            train_ex = [ex for i in order if i not in order[f::args.folds] for ex in arts[i]] + extra
            tmp = args.out.with_suffix(f".fold{f}")
            train(train_ex, tmp)
            tagger = pycrfsuite.Tagger()
            tagger.open(str(tmp))
            for a in test:
                for x, y in a:
                    p, g = set(label_spans(tagger.tag(x))), set(label_spans(y))
                    p = {s for s in p if s[1] - s[0] >= MIN_LEN}
                    tp += len(p & g)
                    pred += len(p)
                    gold += len(g)
            tagger.close()
            tmp.unlink()
        print(f"{args.folds}-fold by article over the tuned sets ({'with' if names_sets else 'without'} "
              f"the names sets in training): exact spans P {tp / max(pred, 1):.2f} R {tp / max(gold, 1):.2f} "
              f"({tp}/{pred}, {tp}/{gold})")
    train([ex for a in arts for ex in a], args.out)
    args.out.with_suffix(".json").write_text(json.dumps({
        "sets": TUNED, "names_sets": [d.name for d in names_sets], "articles": len(arts), "sentences": n_sent, "names": n_names,
        "params": PARAMS, "fingerprint": fingerprint(annotation_files(names_sets))}, indent=1) + "\n")
    print(f"model: {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
