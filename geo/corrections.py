"""Analysts' corrections: an append-only, timestamped log applied on top of extraction output.

The log lives in its own SQLite file beside the store (`projects.gpkg` → `projects.corrections.sqlite`),
so rebuilding or re-extracting the store never touches it. Every save appends a row inside a
transaction; nothing is updated in place, so two people saving at the same moment both keep their
edit (on the same field the later one wins, and both stay in the history). A correction whose record
no longer exists after a rebuild is reported as an orphan, never dropped silently.

Actions: `edit` (set some fields of a record), `hide` (mark it wrong: hidden from views and exports,
kept in the store), `unhide`, and `add` (a record typed in by hand for an article).
"""
from __future__ import annotations

import json
import logging
import sqlite3
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.errors import GeoError, StoreError
from geo.models import AMOUNT_KINDS, ORIGIN_REGIONS, RECORD_KINDS, STAGES
from geo.store import points, read_articles, read_records

logger = logging.getLogger("geo.corrections")

_BUSY_SECONDS = 30.0
ACTIONS = ("edit", "hide", "unhide", "add")
# Fields an analyst may set; `county_adcode` moves the record to that county (its point and names
# follow from the gazetteer), the rest are stored as given.
EDITABLE = ("name", "company", "chain", "amount_yi", "amount_kind", "currency", "stage",
            "origin_region", "origin_place", "county_adcode", "kind", "project_count", "date")
_CHOICES = {"amount_kind": AMOUNT_KINDS, "stage": STAGES, "origin_region": ORIGIN_REGIONS,
            "kind": RECORD_KINDS}
_SCHEMA = """
CREATE TABLE IF NOT EXISTS corrections (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    record_id TEXT NOT NULL,
    article_id TEXT,
    action TEXT NOT NULL CHECK (action IN ('edit', 'hide', 'unhide', 'add')),
    fields TEXT NOT NULL DEFAULT '{}',
    author TEXT,
    note TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS corrections_record ON corrections (record_id);
"""


class CorrectionError(GeoError, ValueError):
    """A correction names an unknown field or an invalid value."""


@dataclass(frozen=True)
class Correction:
    """One row of the log."""

    seq: int
    record_id: str
    article_id: str | None
    action: str
    fields: dict
    author: str | None
    note: str | None
    created_at: str


def corrections_path(db: Path) -> Path:
    """The log file that belongs to a store: same folder, `<stem>.corrections.sqlite`."""
    db = Path(db)
    return db.with_name(f"{db.stem}.corrections.sqlite")


def _connect(path: Path) -> sqlite3.Connection:
    """Open the log, creating it if needed; waits for other writers instead of failing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + _BUSY_SECONDS
    while True:
        try:
            conn = sqlite3.connect(path, timeout=_BUSY_SECONDS, isolation_level=None)
            try:
                # Switching to WAL needs a moment of exclusive access and does not wait for it,
                # so a second process creating the log at the same time may see "locked": retry.
                if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    conn.execute("PRAGMA journal_mode=WAL")
                conn.executescript(_SCHEMA)
            except sqlite3.Error:
                conn.close()
                raise
            return conn
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc) or time.monotonic() > deadline:
                raise StoreError(f"corrections log {path} cannot be opened ({exc})") from exc
            time.sleep(0.05)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"corrections log {path} is unreadable ({exc}); move it aside to start a "
                             f"new one") from exc


def _validate(fields: dict) -> dict:
    clean = {}
    for key, value in fields.items():
        if key not in EDITABLE:
            raise CorrectionError(f"field {key!r} cannot be corrected; editable: {', '.join(EDITABLE)}")
        if value == "":
            value = None
        if key in _CHOICES and value is not None and value not in _CHOICES[key]:
            raise CorrectionError(f"{key} must be one of {_CHOICES[key]}, not {value!r}")
        if key == "amount_yi" and value is not None:
            try:
                value = float(value)
            except (TypeError, ValueError) as exc:
                raise CorrectionError(f"amount_yi must be a number, not {value!r}") from exc
            if value < 0:
                raise CorrectionError(f"amount_yi must not be negative, not {value!r}")
        if key == "county_adcode" and value is not None:
            from geo.gazetteer import load_gazetteer

            if str(value) not in load_gazetteer().by_adcode:
                raise CorrectionError(f"unknown Shanxi adcode {value!r}")
            value = str(value)
        clean[key] = value
    return clean


def save(db: Path, record_id: str | None, action: str, fields: dict | None = None, *,
         article_id: str | None = None, author: str | None = None, note: str | None = None) -> Correction:
    """Append one correction in its own transaction and return it (with a new id for `add`)."""
    if action not in ACTIONS:
        raise CorrectionError(f"action must be one of {ACTIONS}, not {action!r}")
    fields = _validate(fields or {})
    if action == "add":
        if not article_id:
            raise CorrectionError("a hand-added record needs the article it comes from")
        record_id = f"manual-{uuid.uuid4().hex[:12]}"
    elif not record_id:
        raise CorrectionError(f"{action} needs a record id")
    created = datetime.now(timezone.utc).isoformat(timespec="microseconds")
    conn = _connect(corrections_path(db))
    try:
        conn.execute("BEGIN IMMEDIATE")
        cur = conn.execute(
            "INSERT INTO corrections (record_id, article_id, action, fields, author, note, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (record_id, article_id, action, json.dumps(fields, ensure_ascii=False), author, note, created))
        conn.execute("COMMIT")
        seq = cur.lastrowid
    finally:
        conn.close()
    logger.info("saved %s of %s", action, record_id)
    return Correction(seq, record_id, article_id, action, fields, author, note, created)


def load(db: Path) -> list[Correction]:
    """Every correction of a store, oldest first (empty when there is no log yet)."""
    path = corrections_path(db)
    if not path.exists():
        return []
    conn = _connect(path)
    try:
        rows = conn.execute("SELECT seq, record_id, article_id, action, fields, author, note, created_at "
                            "FROM corrections ORDER BY seq").fetchall()
    finally:
        conn.close()
    return [Correction(r[0], r[1], r[2], r[3], json.loads(r[4]), r[5], r[6], r[7]) for r in rows]


def _relocate(row: dict, adcode: str) -> None:
    """Move a record to a county/city chosen by hand: point and names from the gazetteer."""
    from geo.gazetteer import load_gazetteer

    place = load_gazetteer().by_adcode[adcode]
    row.update(place_text=place.full_name, lon=place.lon, lat=place.lat, precision=place.precision,
               city_adcode=place.city_adcode if place.kind != "city" else place.adcode,
               city=place.city if place.kind != "city" else place.full_name, zone=None,
               county_adcode=place.adcode if place.kind == "county" else None,
               county=place.full_name if place.kind == "county" else None,
               place_adcodes=place.adcode if place.kind == "county" else "")


def _apply_fields(row: dict, fields: dict) -> None:
    for key, value in fields.items():
        if key == "county_adcode":
            if value is None:
                row.update(county_adcode=None, county=None, lon=None, lat=None, precision="unresolved")
            else:
                _relocate(row, value)
        else:
            row[key] = value


def apply(records: gpd.GeoDataFrame, corrections: list[Correction],
          articles: pd.DataFrame | None = None) -> tuple[gpd.GeoDataFrame, list[Correction]]:
    """Records with corrections applied, plus the orphans (corrections whose record is gone).

    Adds columns `hidden` (bool) and `record_source` ("machine", "corrected" or "manual"); `corrected` is
    True for every record a correction touched. Hidden records stay in the frame: views drop them.
    """
    rows = {r["id"]: r for r in records.drop(columns="geometry").to_dict("records")}
    for row in rows.values():
        row.setdefault("hidden", False)
        row["record_source"] = "corrected" if row.get("corrected") else "machine"
    article_info = {} if articles is None else articles.set_index("article_id").to_dict("index")
    orphans = []
    for c in corrections:
        if c.action == "add":
            info = article_info.get(c.article_id)
            if info is None and articles is not None:
                orphans.append(c)
                continue
            row = {col: None for col in records.columns if col != "geometry"}
            row.update(id=c.record_id, kind="project", article_id=c.article_id, precision="unresolved",
                       sentence=c.note or "", place_adcodes="", hidden=False, record_source="manual")
            if info:
                row.update(article=info.get("article"), article_title=info.get("article_title"),
                           article_date=info.get("article_date"))
            rows[c.record_id] = row
            _apply_fields(row, c.fields)
            row["corrected"] = True
            continue
        row = rows.get(c.record_id)
        if row is None:
            orphans.append(c)
            continue
        if c.action in ("hide", "unhide"):
            row["hidden"] = c.action == "hide"
        _apply_fields(row, c.fields)
        row["corrected"] = True
        if row["record_source"] == "machine":
            row["record_source"] = "corrected"
    columns = [c for c in records.columns if c != "geometry"] + ["hidden", "record_source"]
    frame = pd.DataFrame(list(rows.values()), columns=columns)
    out = gpd.GeoDataFrame(frame, geometry=points(frame["lon"], frame["lat"]), crs="EPSG:4326")
    if len(out):
        out = out.sort_values("id", kind="stable").reset_index(drop=True)
    if orphans:
        logger.warning("%d correction(s) refer to records that no longer exist", len(orphans))
    return out, orphans


def read_current(db: Path) -> tuple[gpd.GeoDataFrame, list[Correction]]:
    """The store's records as analysts should see them: corrections applied, hidden ones flagged."""
    records = read_records(db)
    return apply(records, load(db), read_articles(db))
