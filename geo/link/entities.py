"""Project entities: the linked reports of one project, its stage history, and the store's `projects` layer.

geo.link.linkage gives each project record its `project_uid` (the analysts' merges and splits from the
corrections log replayed on top). `entities` turns the linked records into one `Entity` per project:
- stage history: (date, stage, record id, article) of every member that states a stage, by date;
- current stage: the furthest stage reached (signed/negotiating/planned < started < in_production);
- amounts: every member's CNY investment figure is kept; the one **used for totals is the latest
  report's** (by date, then record id), never the sum of the reports;
- geometry: the point of the finest-located member (site > zone > county > city > province).

`relink_store` recomputes the whole store's linkage (after a build, an incremental update or an
analyst's `merge`/`split`, which only append to the corrections log) and writes the attribute table
`record_links` (record id → project_uid) and the point layer `projects` (one row per entity). The
computation (`compute_links`) reads the store through the `Store` interface only, so it is the same for
both backends; each store writes the two tables its own way: into the GeoPackage (`gpkg_write_links`,
on a copy renamed over it) or into PostgreSQL in one transaction (geo.store.postgis).
"""
from __future__ import annotations

import logging
import shutil
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from geo.link import linkage
from geo.store import corrections
from geo.errors import StoreError
from geo.models import is_missing
from geo.store.gpkg import check_store, points, replacing
from geo.store.backend import Store, open_store

logger = logging.getLogger("geo.link.entities")

_PRECISION_RANK = {"site": 0, "zone": 1, "county": 2, "city": 3, "province": 4, "unresolved": 5}
_STAGE_ORDER = {"negotiating": 0, "planned": 0, "signed": 1, "started": 2, "in_production": 3}
PROJECT_COLUMNS = ["project_uid", "name", "company", "current_stage", "stages", "signed_date", "started_date",
                   "production_date", "first_date", "last_date",
                   "amount_yi", "amount_record_id", "amounts", "member_count", "article_count", "record_ids",
                   "chain", "precision", "county_adcode", "county", "city_adcode", "city"]


@dataclass
class StageEvent:
    """One report of a project's stage."""

    date: str | None
    stage: str
    record_id: str
    article_id: str


@dataclass
class Entity:
    """One real-world project and the records that report it."""

    uid: str
    name: str | None
    company: str | None
    record_ids: list[str]
    articles: list[str]
    stages: list[StageEvent] = field(default_factory=list)
    current_stage: str | None = None
    first_date: str | None = None
    last_date: str | None = None
    amounts: list[tuple[str | None, float, str]] = field(default_factory=list)  # (date, 亿元, record id)
    amount_yi: float | None = None  # the latest report's figure: the one totals use
    amount_record_id: str | None = None
    located_id: str | None = None  # the finest-located member, whose point the entity takes

    def first_of(self, stage: str) -> str | None:
        """The earliest dated report of `stage` (None when no dated report states it)."""
        return min((s.date for s in self.stages if s.stage == stage and s.date), default=None)


def overrides_of(db: Path | str | Store) -> list[linkage.Override]:
    """The analysts' merges and splits of a store (a path, a URL or a Store), oldest first."""
    return [linkage.Override(c.action, c.record_id, c.other_id) for c in corrections.load_links(db)]


def _when(row) -> str | None:
    for key in ("date", "article_date"):
        value = row.get(key)
        if not is_missing(value) and value:
            return str(value)[:10]
    return None


def entities(frame: pd.DataFrame) -> list[Entity]:
    """One Entity per project_uid of a records frame that has a `project_uid` column (module docstring)."""
    linked = frame[frame["project_uid"].notna()] if "project_uid" in frame else frame.iloc[:0]
    columns = [c for c in ("id", "project_uid", "article_id", "name", "company", "stage", "date", "article_date",
                           "amount_yi", "amount_kind", "currency", "precision") if c in linked]
    groups: dict[str, list[dict]] = {}
    for row in pd.DataFrame(linked[columns]).to_dict("records"):  # one pass: groupby per entity is slow
        groups.setdefault(row["project_uid"], []).append(row)
    out = []
    for uid in sorted(groups):
        rows = sorted(groups[uid], key=lambda r: (_when(r) or "9999", str(r["id"])))
        names = [str(r["name"]) for r in rows if not is_missing(r.get("name"))]
        firms = [str(r["company"]) for r in rows if not is_missing(r.get("company"))]
        ent = Entity(uid=str(uid), name=max(names, key=len) if names else None,
                     company=max(firms, key=len) if firms else None, record_ids=[str(r["id"]) for r in rows],
                     articles=list(dict.fromkeys(str(r["article_id"]) for r in rows)))
        dates = [d for d in (_when(r) for r in rows) if d]
        ent.first_date, ent.last_date = (min(dates), max(dates)) if dates else (None, None)
        ent.stages = [StageEvent(_when(r), str(r["stage"]), str(r["id"]), str(r["article_id"]))
                      for r in rows if not is_missing(r.get("stage")) and r.get("stage")]
        if ent.stages:
            ent.current_stage = max(ent.stages, key=lambda s: (_STAGE_ORDER.get(s.stage, 0), s.date or "")).stage
        ent.amounts = [(_when(r), float(r["amount_yi"]), str(r["id"])) for r in rows
                       if r.get("amount_kind") == "investment" and not is_missing(r.get("amount_yi"))
                       and (is_missing(r.get("currency")) or r.get("currency") == "CNY")]
        if ent.amounts:
            latest = max(ent.amounts, key=lambda a: (a[0] or "", a[2]))
            ent.amount_yi, ent.amount_record_id = latest[1], latest[2]
        finest = min(reversed(rows), key=lambda r: _PRECISION_RANK.get(r.get("precision"), 5))  # latest of the finest
        ent.located_id = str(finest["id"])
        out.append(ent)
    return out


def projects_frame(frame: pd.DataFrame) -> gpd.GeoDataFrame:
    """The `projects` layer: one row per entity (PROJECT_COLUMNS), at its finest member's point."""
    place_columns = ["id", "chain", "precision", "county_adcode", "county", "city_adcode", "city", "lon", "lat"]
    by_id = {r["id"]: r for r in pd.DataFrame(frame[[c for c in place_columns if c in frame]]).to_dict("records")}
    rows, lons, lats = [], [], []
    for ent in entities(frame):
        at = by_id[ent.located_id]
        rows.append({
            "project_uid": ent.uid, "name": ent.name, "company": ent.company, "current_stage": ent.current_stage,
            "stages": "; ".join(f"{s.date or '?'} {s.stage}" for s in ent.stages),
            **{f"{key}_date": ent.first_of(stage) for key, stage in (("signed", "signed"), ("started", "started"),
                                                                     ("production", "in_production"))},
            "first_date": ent.first_date, "last_date": ent.last_date, "amount_yi": ent.amount_yi,
            "amount_record_id": ent.amount_record_id,
            "amounts": "; ".join(f"{d or '?'} {a:g}" for d, a, _ in ent.amounts),
            "member_count": len(ent.record_ids), "article_count": len(ent.articles),
            "record_ids": "|".join(ent.record_ids),
            **{k: None if is_missing(at.get(k)) else at.get(k)
               for k in ("chain", "precision", "county_adcode", "county", "city_adcode", "city")},
        })
        lons.append(at.get("lon"))
        lats.append(at.get("lat"))
    out = pd.DataFrame(rows, columns=PROJECT_COLUMNS)
    out["amount_yi"] = pd.to_numeric(out["amount_yi"], errors="coerce").astype("float64")
    for col in ("member_count", "article_count"):
        out[col] = out[col].astype("int64")
    return gpd.GeoDataFrame(out, geometry=points(lons, lats), crs="EPSG:4326")


@dataclass
class RelinkSummary:
    """What `relink_store` did and how long it took."""

    records: int
    project_records: int
    entities: int
    compared_pairs: int
    seconds: float


def compute_links(store: Store) -> tuple[pd.DataFrame, gpd.GeoDataFrame, RelinkSummary]:
    """The linkage of every record of `store`: the `record_links` frame, the `projects` layer and a summary.

    Records are read as analysts see them (corrections applied, hidden ones left out); merges and
    splits from the log are replayed. Writes nothing.
    """
    started = time.perf_counter()
    log = corrections.load(store)
    if log:  # the records as analysts see them: corrections applied, hidden ones flagged
        current, _ = corrections.apply(store.read_records().drop(columns=["project_uid"], errors="ignore"), log,
                                       store.read_articles())
    else:  # no correction: only the columns linkage reads (read_records costs ~1 s at 10k)
        current = store.link_columns()
    visible = current[~current["hidden"].astype(bool)].copy() if "hidden" in current else current.copy()
    result = linkage.link(visible, overrides_of(store))
    visible["project_uid"] = visible["id"].map(result.uids).astype("object")
    visible.loc[visible["project_uid"].isna(), "project_uid"] = None
    # Every project record gets a row (hidden ones with no uid), so `links_stale` can tell a complete table.
    project_ids = sorted(current.loc[current["kind"] == "project", "id"])
    links = pd.DataFrame({"record_id": project_ids, "project_uid": [result.uids.get(i) for i in project_ids]},
                         columns=["record_id", "project_uid"])
    projects = projects_frame(visible)
    summary = RelinkSummary(records=len(current), project_records=len(result.uids), entities=len(projects),
                            compared_pairs=result.compared, seconds=round(time.perf_counter() - started, 3))
    return links, projects, summary


def relink_store(db: Path | str | Store) -> RelinkSummary:
    """Recompute the linkage of every record in the store (a path, a URL or a Store) and write
    `record_links` and `projects`.

    A GeoPackage gets the layers on a copy renamed over it, a PostGIS store in one transaction, so a
    killed run leaves the old linkage. Raises StoreError when the store cannot be read or written.
    """
    started = time.perf_counter()
    store = open_store(db)
    links, projects, summary = compute_links(store)
    store.write_links(links, projects)
    summary.seconds = round(time.perf_counter() - started, 3)
    logger.info("linked %d project records into %d projects (%d pairs compared) in %.2f s",
                summary.project_records, summary.entities, summary.compared_pairs, summary.seconds)
    return summary


READ_COLUMNS = [c for c in linkage.COLUMNS if c != "article_date"] + ["county", "city", "lon", "lat"]


def typed_link_columns(rows) -> pd.DataFrame:
    """The frame of `link_columns` rows (READ_COLUMNS then article_date), with numbers as floats."""
    frame = pd.DataFrame(rows, columns=[*READ_COLUMNS, "article_date"], dtype=object)
    for col in ("amount_yi", "lon", "lat"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64")
    return frame


def gpkg_link_columns(db: Path) -> pd.DataFrame:
    """The records' columns that linkage and the projects layer read, with each article's date."""
    check_store(db)
    names = ", ".join(f'r."{c}"' for c in READ_COLUMNS)
    try:
        with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
            rows = conn.execute(f"SELECT {names}, a.article_date FROM records r "
                                f"LEFT JOIN articles a ON a.article_id = r.article_id").fetchall()
    except sqlite3.Error as exc:
        raise StoreError(f"cannot read the records of {db}: {exc}") from exc
    return typed_link_columns(rows)


def links_stale(db: Path | str | Store) -> bool:
    """True when the store's `record_links` does not cover exactly its project records.

    That is a store from before linkage, or one whose build was killed between writing the records and
    relinking them: the next build relinks it.
    """
    return open_store(db).links_stale()


def gpkg_links_stale(db: Path) -> bool:
    """`links_stale` of a GeoPackage file."""
    query = ("SELECT EXISTS (SELECT 1 FROM records WHERE kind = 'project' AND id NOT IN "
             "(SELECT record_id FROM record_links)) OR EXISTS (SELECT 1 FROM record_links WHERE record_id "
             "NOT LIKE 'manual-%' AND record_id NOT IN (SELECT id FROM records))")
    try:
        with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
            return bool(conn.execute(query).fetchone()[0])
    except sqlite3.OperationalError:  # no record_links table
        return True


def empty_projects() -> gpd.GeoDataFrame:
    """A `projects` layer with no row (PROJECT_COLUMNS and a geometry)."""
    return gpd.GeoDataFrame(pd.DataFrame(columns=PROJECT_COLUMNS), geometry=[], crs="EPSG:4326")


def read_projects(db: Path | str | Store) -> gpd.GeoDataFrame:
    """The store's `projects` layer (empty, with PROJECT_COLUMNS, for a store written before linkage)."""
    return open_store(db).read_projects()


def gpkg_read_projects(db: Path) -> gpd.GeoDataFrame:
    """`read_projects` of a GeoPackage file."""
    db = Path(db)
    check_store(db)
    if "projects" not in {name for name, _ in pyogrio.list_layers(db)}:
        return empty_projects()
    return pyogrio.read_dataframe(db, layer="projects")


def gpkg_write_links(db: Path, links: pd.DataFrame, projects: gpd.GeoDataFrame) -> None:
    """Write (replace) the `record_links` table and `projects` layer of a GeoPackage, atomically."""
    with replacing(db, f"the project layers of {db}") as tmp:
        shutil.copyfile(db, tmp)
        pyogrio.write_dataframe(links, tmp, layer="record_links", driver="GPKG")
        pyogrio.write_dataframe(projects, tmp, layer="projects", driver="GPKG", geometry_type="Point",
                                promote_to_multi=False)
        with closing(sqlite3.connect(tmp)) as conn:  # a plain file: nothing of the copy's journal left
            conn.execute("PRAGMA journal_mode=DELETE")


def merge(db: Path, record_id: str, other_id: str, *, author: str | None = None,
          note: str | None = None) -> corrections.LinkCorrection:
    """Record in the corrections log that two project records report one project.

    The store's layers change at the next `relink_store` (geo.pipeline.relink runs it under the lock).
    """
    _check_projects(db, record_id, other_id)
    return corrections.save_link(db, "merge", record_id, other_id, author=author, note=note)


def split(db: Path, record_id: str, *, author: str | None = None,
          note: str | None = None) -> corrections.LinkCorrection:
    """Record in the corrections log that a project record is a project of its own (see `merge`)."""
    _check_projects(db, record_id)
    return corrections.save_link(db, "split", record_id, author=author, note=note)


def _check_projects(db: Path, *record_ids: str) -> None:
    current, _ = corrections.read_current(db)
    kinds = dict(zip(current["id"], current["kind"]))
    for rid in record_ids:
        if rid not in kinds:
            raise corrections.CorrectionError(f"no record {rid!r} in {db}")
        if kinds[rid] != "project":
            raise corrections.CorrectionError(f"record {rid!r} is a {kinds[rid]}, not a project: "
                                              f"only projects are linked")
