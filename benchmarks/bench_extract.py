"""Throughput of the whole extraction (ingest + extract + locate) beside cpca.transform on the same text.

Run: .venv/bin/python benchmarks/bench_extract.py [--mb 1.0]

Both run in one process (builds on several processes, with Dask: benchmarks/bench_build.py).
Needs the `build` extra for cpca (pip install -e '.[build]').

The corpus is every article under seeds/ and tests/corpus/, repeated until it reaches the requested size
(repetition does not help either side: neither caches per text). cpca only finds places; we also find
amounts, dates, chains, stages, origins and build records, so the comparison is generous to cpca.
"""
from __future__ import annotations

import argparse
import tracemalloc
from pathlib import Path

from timing import timed  # benchmarks/timing.py (run as a script, this folder is on sys.path)

ROOT = Path(__file__).resolve().parents[1]


def corpus(target_chars: int):
    from geo.ingest.read import ingest_path

    base = []
    for folder in (ROOT / "seeds", ROOT / "tests" / "corpus"):
        if folder.exists():
            base.extend(ingest_path(folder).articles)
    if not base:
        raise SystemExit("no articles found under seeds/ or tests/corpus/")
    articles, size, i = [], 0, 0
    while size < target_chars:
        articles.append(base[i % len(base)])
        size += len(base[i % len(base)].text)
        i += 1
    return articles, size



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, default=1.0, help="corpus size in millions of characters")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import cpca

    from geo.extract import extract_records
    from geo.places.mentions import find_mentions
    from geo.pipeline import process

    articles, chars = corpus(int(args.mb * 1_000_000))
    texts = [a.text for a in articles]
    lines = [line for t in texts for line in t.splitlines() if line.strip()]
    # warm up caches (gazetteer, automata, boundaries) so we time steady state, as in a long build
    process(articles[:1])
    cpca.transform(lines[:10])

    t_ours = timed(lambda: process(articles), args.repeat)
    t_extract = timed(lambda: [extract_records(a) for a in articles], args.repeat)
    t_mentions = timed(lambda: [find_mentions(t) for t in texts], args.repeat)
    t_cpca = timed(lambda: cpca.transform(lines), args.repeat)

    tracemalloc.start()
    records, _ = process(articles)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    print(f"corpus: {len(articles)} articles, {chars:,} characters, {len(lines):,} lines (best of {args.repeat})")
    print(f"{'what':50} {'seconds':>8} {'chars/s':>12}")
    for name, t in [("ours: extract + locate (records), 1 process", t_ours),
                    ("ours: extract only", t_extract),
                    ("ours: place mentions only (find_mentions)", t_mentions),
                    ("cpca.transform (places only)", t_cpca)]:
        print(f"{name:50} {t:8.3f} {chars / t:12,.0f}")
    print(f"records produced: {len(records):,}; peak Python memory during process(): {peak / 1e6:.1f} MB")
    print(f"ours vs cpca (full extraction / cpca places): {t_cpca / t_ours:.2f}x")


if __name__ == "__main__":
    main()
