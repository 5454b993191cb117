"""Cost of `build` on a store of N synthetic articles: full build, unchanged re-run, +10 articles.

Run: .venv/bin/python benchmarks/bench_build_incremental.py [--n 10000] [--sizes 1000,10000] [--workers 2]

For each size it writes N short synthetic article files (`geo.synthetic.article_text`: fixed seed, real Shanxi places, so every
article gives located records), then times with the library's own `geo.pipeline.build`:

- full build of the N articles into a new store;
- the same input again, unchanged (files skipped by size + mtime, then by content hash);
- 10 new article files added to the folder;
- the old path in the same run, for comparison: what `build` did before the per-file table
  (`old_add`: read every file, read the whole store back as objects, rewrite it whole), for the
  unchanged re-run and for +10 articles;
- `rebuild=True` over the same input (extracts everything again; the floor of a from-scratch build);
- the command line, `python -m geo build`, unchanged and +10 (adds interpreter start and imports, ~0.8 s);
- the relink's two parts on the final store: computing the linkage (`entities.compute_links`) and writing
  `record_links` + `projects` (`Store.write_links`: GDAL on a copy of the file renamed over it).

Times are wall-clock seconds of one call each; figures move a little with load.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo.ingest import read as ingest  # noqa: E402
from geo.link import entities
from geo.store import gpkg as store
from geo.synthetic import write_article_files  # noqa: E402
from geo.pipeline import build, process  # noqa: E402
from geo.store.backend import open_store  # noqa: E402

def old_add(input_path: Path, db: Path) -> None:
    """The previous build path: ingest every file, read the whole store back, rewrite it whole."""
    articles = ingest.ingest_path(input_path).articles
    old_articles, old_records = store.read_state(db)
    known = {a.id for a in old_articles}
    fresh = list({a.source: a for a in articles if a.id not in known}.values())
    replaced = {a.id for a in old_articles if a.source in {f.source for f in fresh}}
    records, _ = process(fresh)
    store.write_store(db, [a for a in old_articles if a.id not in replaced] + fresh,
                      [r for r in old_records if r.article_id not in replaced] + records)


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def cli_build(src: Path, db: Path, workers: int) -> None:
    subprocess.run([sys.executable, "-m", "geo", "build", "--input", str(src), "--db", str(db),
                    "--workers", str(workers)], cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def run(n: int, workers: int, work: Path) -> dict:
    src, db = work / f"in{n}", work / f"p{n}.gpkg"
    write_article_files(src, 0, n)
    fig = {"n": n}
    fig["full"] = timed(lambda: build(src, db, workers=workers))
    fig["store_mb"] = db.stat().st_size / 1e6
    fig["unchanged"] = timed(lambda: build(src, db, workers=workers))
    write_article_files(src, n, 10)
    fig["plus10"] = timed(lambda: build(src, db, workers=workers))
    # the old path on the same store: unchanged input, then 10 more articles
    fig["old_unchanged"] = timed(lambda: old_add(src, db))
    write_article_files(src, n + 10, 10)
    fig["old_plus10"] = timed(lambda: old_add(src, db))
    fig["rebuild"] = timed(lambda: build(src, db, rebuild=True, workers=workers))
    fig["cli_unchanged"] = timed(lambda: cli_build(src, db, workers))
    write_article_files(src, n + 20, 10)
    fig["cli_plus10"] = timed(lambda: cli_build(src, db, workers))
    gpkg = open_store(db)
    start = time.perf_counter()
    links, projects, _ = entities.compute_links(gpkg)
    fig["link"] = time.perf_counter() - start
    fig["write_links"] = min(timed(lambda: gpkg.write_links(links, projects)) for _ in range(3))
    return fig


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated article counts")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench_build_"))
    try:
        print(f"{'articles':>8} {'store MB':>8} {'full':>7} {'unchanged':>9} {'+10':>7} "
              f"{'old unchanged':>13} {'old +10':>8} {'rebuild':>8} {'CLI unchanged':>13} {'CLI +10':>8}   (seconds)")
        for n in (int(s) for s in args.sizes.split(",")):
            f = run(n, args.workers, work)
            print(f"{f['n']:>8} {f['store_mb']:>8.1f} {f['full']:>7.2f} {f['unchanged']:>9.2f} "
                  f"{f['plus10']:>7.2f} {f['old_unchanged']:>13.2f} {f['old_plus10']:>8.2f} "
                  f"{f['rebuild']:>8.2f} {f['cli_unchanged']:>13.2f} {f['cli_plus10']:>8.2f}", flush=True)
            print(f"{'':>8} relink of the final store: link {f['link']:.2f} s, write the two layers "
                  f"{f['write_links']:.2f} s", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
