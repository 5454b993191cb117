"""GeoPackage against PostGIS on the same records: full write, +10 articles, full read, a filtered read.

    .venv/bin/python benchmarks/bench_store_backends.py [--articles 10000] [--db postgresql://…]

Without --db a throwaway PostgreSQL cluster is started (as the tests do) and removed afterwards.
Synthetic articles (geo.synthetic) are extracted once; only the store calls are timed. Prints one
line per step and backend, in seconds (best of --repeat).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from timing import timed  # benchmarks/timing.py (run as a script, this folder is on sys.path)

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from geo import pipeline  # noqa: E402
from geo.ingest.read import ingest_path  # noqa: E402
from geo.store.query import Filters  # noqa: E402
from geo.store.backend import open_store  # noqa: E402
from geo.synthetic import write_article_files  # noqa: E402



def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--articles", type=int, default=10_000)
    p.add_argument("--db", help="an empty PostGIS database URL (default: a throwaway cluster)")
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()
    cluster = None
    if args.db is None:
        from pgcluster import PgCluster

        cluster = PgCluster()
        args.db = cluster.new_database()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp) / "in"
            write_article_files(src, 0, args.articles + 10)
            articles = ingest_path(src).articles
            base, extra = articles[:args.articles], articles[args.articles:]
            records, _ = pipeline.process(base)
            extra_records, _ = pipeline.process(extra)
            print(f"{len(base)} articles, {len(records)} records (+{len(extra)} articles, {len(extra_records)} records)")
            for label, db in (("gpkg", Path(tmp) / "p.gpkg"), ("postgis", args.db)):
                store = open_store(db)
                write = timed(lambda: store.write(base, records), args.repeat)
                update = timed(lambda: store.update({a.id for a in extra}, extra, extra_records), args.repeat)
                read = timed(store.read_records, args.repeat)
                print(f"{label:8s} full write {write:6.2f} s · +10 articles {update:6.2f} s · "
                      f"read all {read:6.2f} s")
            store = open_store(args.db)
            sql = timed(lambda: store.read_records(Filters(chains=["氢能"])), args.repeat)
            print(f"postgis  one chain read in SQL {sql:6.2f} s (the app reads all and filters in pandas)")
    finally:
        if cluster:
            cluster.stop()


if __name__ == "__main__":
    main()
