"""The whole pipeline in one call: ingest → extract → locate (spatial join) → store."""
from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from geo import cluster
from geo.ingest import read as ingest
from geo.link import entities
from geo.places import spatial
from geo.errors import IngestError
from geo.extract import extract_records
from geo.models import Article, Record, SourceFile
from geo.store.backend import Store, open_store

logger = logging.getLogger("geo.pipeline")

Progress = Callable[[int, int, str], None]

# Precisions whose point stands for one county: the spatial join may name that county.
# City- and province-level points are representative points only and must not be smeared
# onto whatever county happens to contain them.
_COUNTY_PRECISIONS = {"site", "zone", "county"}


@dataclass
class BuildSummary:
    """What a build did, for the CLI's closing lines and the app's status message."""

    db: str  # the GeoPackage path, or the database URL without its password
    articles: int = 0  # in the store after the build
    added: int = 0  # processed in this build (new or changed)
    skipped: int = 0  # already in the store with the same content
    replaced: int = 0  # older versions of a changed article
    records_by_kind: dict = field(default_factory=dict)
    unresolved: int = 0
    unresolved_places: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    new_records: list[Record] = field(default_factory=list, repr=False)  # extracted in this build
    ran_on: str = "this process"  # or the Dask cluster that cleaned and extracted the input

    def lines(self) -> list[str]:
        kinds = ", ".join(f"{n} {k}" for k, n in sorted(self.records_by_kind.items())) or "none"
        out = [f"store: {self.db}",
               f"articles: {self.articles} in store ({self.added} processed, {self.skipped} unchanged "
               f"and skipped, {self.replaced} replaced)",
               f"records: {sum(self.records_by_kind.values())} ({kinds})",
               f"unresolved records (kept, no location): {self.unresolved}",
               f"cleaned and extracted in: {self.ran_on}",
               f"warnings: {len(self.warnings)}"]
        out += [f"  - {w}" for w in self.warnings]
        return out


def locate(records: list[Record]) -> list[str]:
    """Fill county/city fields from each record's point with a spatial join; returns warnings.

    The extractor already set the place it resolved; the join checks it against the polygons
    and fills what the gazetteer left open (the city of a zone point, say).
    """
    located = [r for r in records if r.lon is not None and r.lat is not None]
    if not located:
        return []
    # Many records share a gazetteer point (a county's or zone's): join each point once.
    points = sorted({(r.lon, r.lat) for r in located})
    joined = spatial.assign_counties([p[0] for p in points], [p[1] for p in points])
    hits = dict(zip(points, joined[["county_adcode", "county", "city_adcode", "city"]].to_dict("records")))
    warnings = []
    for rec in located:
        hit = hits[(rec.lon, rec.lat)]
        county_adcode = hit["county_adcode"]
        if not isinstance(county_adcode, str):
            warnings.append(f"record {rec.id}: point ({rec.lon:.4f}, {rec.lat:.4f}) of "
                            f"{rec.place_text!r} lies outside Shanxi")
            continue
        if rec.precision == "province":
            continue  # the province's representative point lies in some city, which says nothing
        # A multi-city zone's point is only a representative point: it names no city.
        if rec.city_adcode is None and len({a[:4] for a in rec.place_adcodes}) <= 1:
            rec.city_adcode, rec.city = hit["city_adcode"], hit["city"]
        if rec.precision in _COUNTY_PRECISIONS and len(rec.place_adcodes) <= 1:
            if rec.county_adcode is None:
                rec.county_adcode, rec.county = county_adcode, hit["county"]
            elif rec.county_adcode != county_adcode:
                warnings.append(f"record {rec.id}: {rec.place_text!r} is said to be in "
                                f"{rec.county} ({rec.county_adcode}) but its point falls in "
                                f"{hit['county']} ({county_adcode})")
    return warnings


# Records already extracted elsewhere (on a Dask cluster), by the identity of their Article object:
# two files may hold the same text (same article id) with different dates, so the id alone will not do.
Extracted = dict[int, tuple[Article, list[Record]]]


def process(articles: list[Article], progress: Progress | None = None,
            extracted: Extracted | None = None) -> tuple[list[Record], list[str]]:
    """Extract and locate the records of the given articles; returns (records, warnings).

    Articles found in `extracted` keep the records extracted there; the others are extracted
    here, with `progress(i, n, source)` for each. Records come back in article order either way.
    """
    extracted = extracted or {}

    def done(article: Article) -> list[Record] | None:
        hit = extracted.get(id(article))
        return hit[1] if hit is not None and hit[0] is article else None

    todo = [a for a in articles if done(a) is None]
    fresh = {}
    for i, article in enumerate(todo, start=1):
        if progress:
            progress(i, len(todo), article.source)
        fresh[id(article)] = extract_records(article)
    records: list[Record] = []
    warnings: list[str] = []
    for article in articles:
        found = done(article)
        records.extend(found if found is not None else fresh[id(article)])
        warnings.extend(f"{article.source}: {w}" for w in article.warnings)
    warnings.extend(locate(records))
    return records, warnings


def add_articles(db_path: Path | str, articles: list[Article], progress: Progress | None = None,
                 rebuild: bool = False, reextract: bool = False) -> BuildSummary:
    """Add articles to a store (created if missing); only new or changed articles are processed.

    An article whose content id is already stored is skipped. One with the same source name but new
    content replaces the old version and its records. With `rebuild`, the store is made from these
    articles alone; with `reextract`, every stored article is processed again too (read under the
    lock, so an upload finishing meanwhile is not lost). Corrections live in their own log and
    survive either way. Extraction runs in this process (`build` is the one that may use a cluster).
    `db_path` is a GeoPackage file or a postgresql:// URL (see `geo.store.backend`).
    """
    store = open_store(db_path)
    with store.lock():  # serialises read-modify-write cycles (app uploads, CLI builds) across processes
        store.remove_temp_files()  # what a killed build left: no other write runs while we hold the lock
        return _add_locked(store, articles, progress, rebuild, reextract)


def _add_locked(store: Store, articles: list[Article], progress: Progress | None, rebuild: bool,
                reextract: bool, files: list[SourceFile] = (), known: dict[str, SourceFile] | None = None,
                extracted: Extracted | None = None) -> BuildSummary:
    """`add_articles` under the store lock. `files` are the input files read (or skipped) this run.

    An existing store with every current column is updated in place of a rewrite: only the new
    articles' rows are written (`store_update`). A rebuild, a re-extraction, a missing store or
    one from an older schema is written whole.
    """
    if rebuild or reextract or not store.exists() or not store.can_update():
        return _rewrite(store, articles, progress, rebuild, reextract, files, extracted)
    stored = store.stored_articles()
    incoming = {a.source: a for a in articles if a.id not in stored}
    fresh = list(incoming.values())
    replaced = {aid for aid, source in stored.items() if source in incoming}
    records, warnings = process(fresh, progress, extracted)
    changed_files = [f for f in files if (known or {}).get(f.path) != f]
    if fresh or replaced or changed_files:
        store.update(replaced, fresh, records, changed_files)
    if replaced or any(r.kind == "project" for r in records) or store.links_stale():
        store.relink()  # a new report may join a project of any stored article
    counts = store.counts()
    summary = BuildSummary(db=store.name, articles=counts.articles, added=len(fresh),
                           skipped=len(articles) - len(fresh), replaced=len(replaced),
                           records_by_kind=counts.records_by_kind, unresolved=counts.unresolved,
                           unresolved_places=counts.unresolved_places, warnings=warnings)
    summary.new_records = records
    return summary


def _rewrite(store: Store, articles: list[Article], progress: Progress | None, rebuild: bool,
             reextract: bool, files: list[SourceFile], extracted: Extracted | None) -> BuildSummary:
    """Read the whole store (unless `rebuild`), add the articles and write every row again."""
    old_articles, old_records = ([], []) if rebuild or not store.exists() else store.read_state()
    if reextract:
        stored_ids = {a.id for a in old_articles}
        articles = old_articles + [a for a in articles if a.id not in stored_ids]
        old_articles, old_records = [], []
    known_ids = {a.id for a in old_articles}
    incoming = {a.source: a for a in articles if a.id not in known_ids}
    fresh = list(incoming.values())
    replaced = {a.id for a in old_articles if a.source in incoming}
    kept_articles = [a for a in old_articles if a.id not in replaced]
    kept_records = [r for r in old_records if r.article_id not in replaced]
    records, warnings = process(fresh, progress, extracted)
    all_articles = kept_articles + fresh
    all_records = kept_records + records
    store.write(all_articles, all_records, files=files)
    store.relink()
    summary = BuildSummary(db=store.name, articles=len(all_articles), added=len(fresh),
                           skipped=len(articles) - len(fresh), replaced=len(replaced))
    summary.records_by_kind = dict(Counter(r.kind for r in all_records))
    unresolved = [r for r in all_records if r.precision == "unresolved"]
    summary.unresolved = len(unresolved)
    summary.unresolved_places = sorted({r.place_text for r in unresolved if r.place_text})
    summary.warnings = warnings
    summary.new_records = records
    return summary


@dataclass
class _Cleaner:
    """`build`'s cleaner for `ingest.ingest_path`: on a Dask cluster when `cluster.wanted`, else here.

    On a cluster, workers extract the records too; they are kept in `extracted` for `process`.
    """

    scheduler: str | None
    workers: int
    progress: Progress | None
    extracted: Extracted = field(default_factory=dict)
    ran_on: str = "this process"

    def __call__(self, raws: list[ingest.RawFile], max_bytes: int) -> list[tuple[SourceFile, Article] | IngestError]:
        if not cluster.wanted(self.scheduler, self.workers, sum(len(r.data) for r in raws)):
            return ingest.clean_files(raws, max_bytes)
        with cluster.client_for(self.scheduler, self.workers) as client:
            self.ran_on = cluster.describe(client)
            outcomes = cluster.run(client, raws, max_bytes, self.progress)
        cleaned: list[tuple[SourceFile, Article] | IngestError] = []
        for outcome in outcomes:
            if isinstance(outcome, IngestError):
                cleaned.append(outcome)
                continue
            entry, article, records = outcome
            self.extracted[id(article)] = (article, records)
            cleaned.append((entry, article))
        return cleaned


def build(input_path: Path, db_path: Path | str, progress: Progress | None = None,
          rebuild: bool = False, reextract: bool = False, workers: int = 1, force: bool = False,
          scheduler: str | None = None) -> BuildSummary:
    """Ingest every article under `input_path` and add it to the store (see `add_articles`).

    Input files the store remembers with the same size and mtime are not opened, and those with
    the same bytes (sha1) are not cleaned: their articles count as skipped. The files left are
    cleaned and extracted on the Dask scheduler at `scheduler`, or, without one, on a LocalCluster
    of `workers` processes when they hold at least `cluster.LOCAL_CLUSTER_BYTES`, else in this
    process; the store gets the same records either way. A `rebuild` from an input with no articles
    would empty an existing store: it raises IngestError unless `force` is given.
    """
    store = open_store(db_path)
    with store.lock():
        store.remove_temp_files()  # what a killed build left: no other write runs while we hold the lock
        incremental = not (rebuild or reextract) and store.can_update()
        known = store.known_files() if incremental else {}
        cleaner = _Cleaner(scheduler, workers, progress)
        result = ingest.ingest_path(Path(input_path), known=known, cleaner=cleaner)
        if rebuild and not result.articles and not force and store.exists():
            raise IngestError(f"{input_path}: no articles found; --rebuild would empty the store {store.name} "
                              f"(add --force to do that)")
        summary = _add_locked(store, result.articles, progress, rebuild, reextract,
                              files=result.files, known=known, extracted=cleaner.extracted)
    summary.skipped += len(result.unchanged)
    summary.warnings = [f"{p.path}: {p.message}" for p in result.problems] + summary.warnings
    summary.ran_on = cleaner.ran_on
    return summary


def relink(db_path: Path | str) -> entities.RelinkSummary | None:
    """Recompute the project linkage of a whole store (geo.link.entities.relink_store) under the store lock."""
    store = open_store(db_path)
    with store.lock():
        store.remove_temp_files()
        return store.relink()
