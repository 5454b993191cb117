"""A filter change on a PostGIS store: answered in SQL (geo.web.view.SqlStoreView) against reading the store whole.

    .venv/bin/python benchmarks/bench_sql_view.py [--records 100000] [--copies 1] [--db postgresql://…]

Without --db a throwaway PostgreSQL cluster is started (as the tests do) and removed afterwards. The
store holds `--records` synthetic records (geo.synthetic, linked into projects) times `--copies`
(copies made in SQL: 100000 × 10 is a million records), and a few corrections. Prints, per path,
the wall time (best of --repeat) and the Python heap peak (tracemalloc, a separate run) of:
- opening the store state (pandas: read every record, apply the log; SQL: refresh the corrected
  records, read the widgets' options);
- one filter change as the app makes it: selection and summary, the table's first page, the county
  panel, the map (build_map, not rendered) and the charts;
each run on new database sessions (nothing computed for an earlier run is reused);
plus the heap (tracemalloc) and resident memory the opened view keeps between reruns.
"""
from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from pathlib import Path

from timing import timed  # benchmarks/timing.py (run as a script, this folder is on sys.path)

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

import sqlalchemy as sa  # noqa: E402

from geo.places import spatial  # noqa: E402
from geo.store import corrections  # noqa: E402
from geo.store.backend import open_store  # noqa: E402
from geo.store.gpkg import RECORD_COLUMNS  # noqa: E402
from geo.store.query import Filters  # noqa: E402
from geo.synthetic import synthetic_records  # noqa: E402
from geo.web import charts, mapview, view  # noqa: E402

FILTERS = Filters(chains=["氢能", "光伏"], date_from="2023-03-01", date_to="2023-10-31")


def fill(url: str, n: int, copies: int) -> None:
    """`n` synthetic records linked into projects, copied `copies` times in SQL, and four corrections."""
    counties = spatial.load_counties(simplified=True)
    records, articles = synthetic_records(n, counties, seed=5)
    store = open_store(url)
    store.write(articles, records)
    store.relink()
    if copies > 1:
        columns = [c for c in RECORD_COLUMNS if c != "id"]
        with store.engine.begin() as conn:
            conn.execute(sa.text(
                f"INSERT INTO records (geom, id, {', '.join(columns)}) SELECT geom, id || '-' || k, "
                f"{', '.join(columns)} FROM records, generate_series(2, :copies) AS k"), {"copies": copies})
            conn.execute(sa.text("INSERT INTO record_links (record_id, project_uid) SELECT record_id || '-' || k, "
                                 "project_uid || '-' || k FROM record_links, generate_series(2, :copies) AS k"),
                         {"copies": copies})
            conn.execute(sa.text("UPDATE store_state SET generation = generation + 1"))
            conn.execute(sa.text("ANALYZE"))
    first = [r.id for r in records[:4]]
    corrections.save(url, first[0], "edit", {"chain": "氢能", "amount_yi": 12.5})
    corrections.save(url, first[1], "hide")
    corrections.save(url, first[2], "edit", {"county_adcode": "140105"})
    corrections.save_link(url, "merge", first[0], first[3])


def filter_change(v, counties, cities, filters: Filters = FILTERS) -> None:
    """What the app computes when a filter changes (the map built but not rendered)."""
    sel = view.select(v, filters)
    v.table_page(sel, 1)
    v.county_metrics(sel, counties)
    records, parts = v.map_input(sel, mapview.COLUMNS, counties, cities, sel.level)
    mapview.build_map(records, counties=counties, cities=cities, level=sel.level, parts=parts, asset_base_url=None)
    charts.all_charts(v.chart_rows(sel))


def cold(url: str, fn):
    """`fn` run on new database sessions: nothing an earlier run left in the pooled ones (the SQL view's
    temporary tables of a filter state) is reused, so every run computes its filter state afresh."""
    def run():
        open_store(url).engine.dispose()
        return fn()
    return run


def heap_mb(fn) -> tuple[float, float, object]:
    """The Python heap peak of `fn()` and what its result still holds, in MB above the start, and the result."""
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    out = fn()
    held, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return (peak - base) / 1e6, (held - base) / 1e6, out


def _rss_mb() -> float:
    """This process's resident memory in MB (Linux /proc)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--records", type=int, default=100_000)
    p.add_argument("--copies", type=int, default=1)
    p.add_argument("--db", help="an empty PostGIS database URL (default: a throwaway cluster)")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--unfiltered", action="store_true", help="time the filter change to no filter at all")
    p.add_argument("--paths", default="sql,pandas", help="which views to time (pandas needs the store in memory)")
    args = p.parse_args()
    filters = Filters() if args.unfiltered else FILTERS
    cluster = None
    if args.db is None:
        from pgcluster import PgCluster

        cluster = PgCluster()
        args.db = cluster.new_database()
    try:
        start = time.perf_counter()
        fill(args.db, args.records, args.copies)
        log = corrections.load(args.db)
        counties, cities = spatial.load_counties(simplified=True), spatial.load_cities(simplified=True)
        sql_view = view.load_view(args.db, log, "sql", in_sql=True)
        print(f"{sql_view.total + sql_view.hidden_count} records ({args.records} × {args.copies}), "
              f"store filled in {time.perf_counter() - start:.0f} s; filter: {filters}")
        for label in args.paths.split(","):
            in_sql = label == "sql"
            opening = cold(args.db, lambda: view.load_view(args.db, log, label, in_sql=in_sql))
            opened = timed(opening, args.repeat)
            rss = _rss_mb()
            open_peak, held, v = heap_mb(opening)
            view.release_memory()
            rss = _rss_mb() - rss
            changing = cold(args.db, lambda: filter_change(v, counties, cities, filters))
            change = timed(changing, args.repeat)
            change_peak, _, _ = heap_mb(changing)
            print(f"{label:6s} open {opened:6.2f} s (heap peak {open_peak:6.1f} MB, held {held:6.1f} MB, RSS +{rss:5.0f} MB) · "
                  f"filter change {change:6.2f} s (heap peak {change_peak:6.1f} MB) · "
                  f"open + filter change {opened + change:6.2f} s", flush=True)
            del v
    finally:
        if cluster is not None:
            cluster.stop()


if __name__ == "__main__":
    main()
