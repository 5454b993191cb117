"""Command line: `python -m geo build|export|link|evaluate` — a thin shell over the library."""
from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from geo.errors import GeoError
from geo.models import AMOUNT_KINDS, ORIGIN_REGIONS, RECORD_KINDS, STAGES
from geo.store.gpkg import DEFAULT_DB

DEFAULT_INPUT = Path("seeds")


def _progress_bar():
    """A tqdm-backed progress callback (shown on a terminal; silent in CI logs)."""
    from tqdm import tqdm

    bar = None

    def update(i: int, n: int, label: str) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=n, unit="article", file=sys.stderr, disable=n < 20 and not sys.stderr.isatty())
        bar.set_postfix_str(label[-30:])
        bar.update(1)
        if i == n:
            bar.close()

    return update


def _db(value: str) -> Path | str:
    """--db: a postgresql:// URL stays text (a Path would fold its `//`); anything else is a GeoPackage path."""
    return value if "://" in value else Path(value)


_DB_HELP = f"GeoPackage file (default: {DEFAULT_DB}) or postgresql://user@host/dbname"


def _positive_int(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of processes ≥ 1, got {value!r}")
    return int(value)


def cmd_build(args) -> int:
    from geo.cluster import default_workers
    from geo.pipeline import build

    workers = args.workers or default_workers()
    summary = build(args.input, args.db, progress=_progress_bar(), rebuild=args.rebuild, workers=workers,
                    force=args.force, scheduler=args.scheduler)
    print("\n".join(summary.lines()))
    return 0


def cmd_export(args) -> int:
    from geo.store.export import to_csv, to_geojson
    from geo.store.corrections import read_current
    from geo.extract.chains import chain_labels
    from geo.store.query import Filters, apply, visible

    filters = Filters(chains=args.chain or [], origins=args.origin or [], stages=args.stage or [],
                      kinds=args.kind or [], amount_kinds=args.amount_kind or [])
    gdf, orphans = read_current(args.db, filters)  # a database store filters in SQL already
    gdf = visible(gdf)
    for c in orphans:
        print(f"warning: correction {c.seq} ({c.action}) refers to record {c.record_id}, which no longer "
              f"exists", file=sys.stderr)
    known = set(chain_labels()) | set(gdf["chain"].dropna())
    for chain in filters.chains:
        if chain not in known:
            print(f"warning: chain {chain!r} is unknown (chains: {', '.join(sorted(known))})", file=sys.stderr)
    selected = apply(gdf, filters)
    if not len(selected):
        print("warning: no record matches the filters; the export is empty", file=sys.stderr)
    text = to_csv(selected) if args.format == "csv" else to_geojson(selected)
    if args.out:
        _write_output(Path(args.out), text)
        print(f"wrote {len(selected)} records to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text + "\n")
    return 0


def cmd_recover_corrections(args) -> int:
    from geo.store.corrections import recover

    result = recover(args.db)
    print(f"corrections log {result.log} rebuilt: {result.kept} correction(s) kept, {result.lost} lost; "
          f"the damaged log was copied to {result.backup}")
    return 0


def cmd_link(args) -> int:
    from geo.link import entities
    from geo.pipeline import relink

    if args.merge:
        entities.merge(args.db, args.merge[0], args.merge[1], author=args.author, note=args.note)
        print(f"saved: {args.merge[0]} and {args.merge[1]} are one project")
    elif args.split:
        entities.split(args.db, args.split, author=args.author, note=args.note)
        print(f"saved: {args.split} is a project of its own")
    summary = relink(args.db)
    print(f"linked {summary.project_records} project records into {summary.entities} projects "
          f"({summary.compared_pairs} candidate pairs compared, {summary.seconds:.2f} s)")
    return 0


def _write_output(out: Path, text: str) -> None:
    """Write an export file; a folder, a missing folder or a read-only one is a GeoError."""
    if out.is_dir():
        raise GeoError(f"--out {out} is a folder; name a file, e.g. {out / 'export.geojson'}")
    if not out.parent.is_dir():
        raise GeoError(f"cannot write {out}: folder {out.parent} does not exist")
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise GeoError(f"cannot write {out}: {exc.strerror or exc}") from exc


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m geo", description=__doc__)
    p.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="ingest articles, extract and locate records, write the store")
    b.add_argument("--input", type=Path, default=DEFAULT_INPUT, help="file or folder (default: seeds/)")
    b.add_argument("--db", type=_db, default=DEFAULT_DB, help=_DB_HELP)
    b.add_argument("--rebuild", action="store_true",
                   help="make the store from --input alone instead of adding to it (corrections are kept)")
    b.add_argument("--force", action="store_true",
                   help="let --rebuild empty the store when the input holds no articles")
    b.add_argument("--workers", type=_positive_int, default=0,
                   help="local worker processes for large inputs (default: one per core; see --scheduler)")
    b.add_argument("--scheduler", metavar="ADDRESS",
                   help="clean and extract on this Dask scheduler's workers, e.g. tcp://host:8786 "
                        "(default: a local Dask cluster of --workers processes when the input is large)")
    b.set_defaults(func=cmd_build)

    e = sub.add_parser("export", help="write the (filtered) records as GeoJSON or CSV")
    e.add_argument("--db", type=_db, default=DEFAULT_DB, help=_DB_HELP)
    e.add_argument("--out", type=Path, help="output file (default: stdout)")
    e.add_argument("--format", choices=["geojson", "csv"], default="geojson")
    e.add_argument("--chain", action="append", help="industry chain label, e.g. 氢能 (repeatable)")
    e.add_argument("--origin", action="append", choices=ORIGIN_REGIONS)
    e.add_argument("--stage", action="append", choices=STAGES)
    e.add_argument("--kind", action="append", choices=RECORD_KINDS)
    e.add_argument("--amount-kind", action="append", choices=AMOUNT_KINDS)
    e.set_defaults(func=cmd_export)

    r = sub.add_parser("recover-corrections",
                       help="rebuild a damaged corrections log from the rows it still holds (a copy is kept)")
    r.add_argument("--db", type=_db, default=DEFAULT_DB, help="the store whose corrections log to recover")
    r.set_defaults(func=cmd_recover_corrections)

    k = sub.add_parser("link", help="recompute which project records report one project (layer `projects`); "
                                    "merge or split by hand")
    k.add_argument("--db", type=_db, default=DEFAULT_DB, help=_DB_HELP)
    what = k.add_mutually_exclusive_group()
    what.add_argument("--merge", nargs=2, metavar="RECORD_ID", help="these two records report one project")
    what.add_argument("--split", metavar="RECORD_ID", help="this record is a project of its own")
    k.add_argument("--author")
    k.add_argument("--note")
    k.set_defaults(func=cmd_link)

    # `evaluate` is geo.evaluate's own command line; main() hands its arguments over unparsed.
    sub.add_parser("evaluate", add_help=False,
                   help="precision/recall against the hand annotation (see `python -m geo evaluate -h`)")
    return p


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["evaluate"]:
        from geo.evaluate import main as evaluate_main

        return evaluate_main(argv[1:])
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    if not args.verbose:
        # Dask logs each scheduler, nanny and worker start at INFO; it reads this when first imported
        # (a build on a cluster), and its worker processes inherit it.
        os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "error")
    try:
        return args.func(args)
    except GeoError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
