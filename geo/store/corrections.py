"""Analysts' corrections: an append-only, timestamped log applied on top of extraction output.

The log lives in its own SQLite file beside a GeoPackage store (`projects.gpkg` →
`projects.corrections.sqlite`), or in the `corrections` table of a PostGIS store, so rebuilding or
re-extracting the store never touches it. Every save appends a row inside a transaction; nothing
is updated in place, so two people saving at the same moment both keep their edit (on the same
field the later one wins, and both stay in the history). A correction whose record
no longer exists after a rebuild is reported as an orphan, never dropped silently.

Actions: `edit` (set some fields of a record), `hide` (mark it wrong: hidden from views and exports,
kept in the store), `unhide`, and `add` (a record typed in by hand for an article).
Project linkage decisions (`merge` two records' projects, `split` a record out of its project) go to
the table `entity_links` of the same file, or of the PostGIS database (`save_link` / `load_links`);
geo.link.entities replays them in log order after every linkage, so they survive rebuilds like the other
actions.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import math
import shutil
import sqlite3
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.errors import CorrectionsLogError, GeoError, StoreError
from geo.models import AMOUNT_KINDS, ORIGIN_REGIONS, RECORD_KINDS, STAGES
from geo.store.gpkg import points
from geo.store.backend import is_postgres, open_store

logger = logging.getLogger("geo.store.corrections")

_BUSY_SECONDS = 30.0
ACTIONS = ("edit", "hide", "unhide", "add")
# Fields an analyst may set; `county_adcode` moves the record to that county (its point and names
# follow from the gazetteer), the rest are stored as given.
EDITABLE = ("name", "company", "chain", "amount_yi", "amount_kind", "currency", "stage",
            "origin_region", "origin_place", "county_adcode", "kind", "project_count", "date")
_CHOICES = {"amount_kind": AMOUNT_KINDS, "stage": STAGES, "origin_region": ORIGIN_REGIONS,
            "kind": RECORD_KINDS}
_TEXT_FIELDS = ("name", "company", "chain", "currency", "origin_place", "county_adcode")
MAX_TEXT_CHARS = 500  # one field of a correction; notes may be longer
MAX_NOTE_CHARS = 5_000
MAX_AMOUNT_YI = 1_000_000.0  # 100万亿, as geo.extract.amounts.MAX_YI
MAX_PROJECT_COUNT = 100_000
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
CREATE TABLE IF NOT EXISTS entity_links (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    action TEXT NOT NULL CHECK (action IN ('merge', 'split')),
    record_id TEXT NOT NULL,
    other_id TEXT,
    author TEXT,
    note TEXT,
    created_at TEXT NOT NULL
);
"""
LINK_ACTIONS = ("merge", "split")


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


def recovery_hint(path: Path) -> str:
    """What to tell the user about a damaged log `path` of store `db`."""
    db = path.with_name(path.name.replace(".corrections.sqlite", ".gpkg"))
    return (f"nothing was written to it; recover what it still holds with `python -m geo recover-corrections "
            f"--db {db}` (a copy of the damaged log is kept beside it)")


def _check_intact(conn: sqlite3.Connection, path: Path) -> None:
    """Raise StoreError when `PRAGMA quick_check` finds the log damaged."""
    try:
        problems = [row[0] for row in conn.execute("PRAGMA quick_check(5)").fetchall()]
    except sqlite3.DatabaseError as exc:
        problems = [str(exc)]
    if problems != ["ok"]:
        first = " ".join(problems[0].replace("*** in database main ***", "").split())[:120]
        raise CorrectionsLogError(f"corrections log {path} is damaged ({first}); {recovery_hint(path)}")


def _connect(path: Path) -> sqlite3.Connection:
    """Open the log, creating it if needed; waits for other writers instead of failing.

    The log is checked with `PRAGMA quick_check` first: a damaged log raises StoreError (with the
    way to recover it) before anything is read from or written to it.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + _BUSY_SECONDS
    while True:
        try:
            conn = sqlite3.connect(path, timeout=_BUSY_SECONDS, isolation_level=None)
            try:
                _check_intact(conn, path)
                # Switching to WAL needs a moment of exclusive access and does not wait for it,
                # so a second process creating the log at the same time may see "locked": retry.
                if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    conn.execute("PRAGMA journal_mode=WAL")
                conn.executescript(_SCHEMA)
            except (sqlite3.Error, StoreError):
                conn.close()
                raise
            return conn
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc) or time.monotonic() > deadline:
                raise StoreError(f"corrections log {path} cannot be opened ({exc})") from exc
            time.sleep(0.05)
        except sqlite3.DatabaseError as exc:
            raise CorrectionsLogError(f"corrections log {path} is unreadable ({exc}); {recovery_hint(path)}") from exc


def _amount(value) -> float:
    """A finite, non-negative amount in 亿 up to MAX_AMOUNT_YI (numbers or numeric text; never a bool)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise CorrectionError(f"amount_yi must be a number, not {value!r}")
    try:
        number = float(value)
    except (ValueError, OverflowError) as exc:
        raise CorrectionError(f"amount_yi must be a number, not {str(value)[:40]!r}") from exc
    if not math.isfinite(number) or not 0 <= number <= MAX_AMOUNT_YI:
        raise CorrectionError(f"amount_yi must be a number from 0 to {MAX_AMOUNT_YI:g} (亿), not {str(value)[:40]!r}")
    return number


def _count(value) -> int:
    """A whole number of projects from 1 to MAX_PROJECT_COUNT (an int or digits; never a bool)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 10:
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_PROJECT_COUNT:
        raise CorrectionError(f"project_count must be a whole number from 1 to {MAX_PROJECT_COUNT}, "
                              f"not {str(value)[:40]!r}")
    return value


def _date(value) -> str:
    """An ISO yyyy-mm-dd date between 1900 and 2100."""
    if isinstance(value, dt.date):
        value = value.isoformat()[:10]
    try:
        day = dt.date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        day = None
    if day is None or not 1900 <= day.year <= 2100:
        raise CorrectionError(f"date must be a real day as yyyy-mm-dd (1900–2100), not {str(value)[:40]!r}")
    return day.isoformat()


def _text(key: str, value, limit: int = MAX_TEXT_CHARS) -> str:
    if not isinstance(value, str):
        raise CorrectionError(f"{key} must be text, not {type(value).__name__} {str(value)[:40]!r}")
    if len(value) > limit:
        raise CorrectionError(f"{key} is {len(value)} characters long; at most {limit} are allowed")
    return value


def _validate(fields: dict) -> dict:
    """The fields of a correction checked and normalised; CorrectionError quotes the first bad value."""
    if not isinstance(fields, dict):
        raise CorrectionError(f"fields must be a mapping of field → value, not {type(fields).__name__}")
    clean = {}
    for key, value in fields.items():
        if key not in EDITABLE:
            raise CorrectionError(f"field {key!r} cannot be corrected; editable: {', '.join(EDITABLE)}")
        if value == "":
            value = None
        if value is None:
            clean[key] = None
            continue
        if key in _CHOICES and (not isinstance(value, str) or value not in _CHOICES[key]):
            raise CorrectionError(f"{key} must be one of {_CHOICES[key]}, not {str(value)[:40]!r}")
        if key in _TEXT_FIELDS:
            value = _text(key, value)
        elif key == "amount_yi":
            value = _amount(value)
        elif key == "project_count":
            value = _count(value)
        elif key == "date":
            value = _date(value)
        if key == "county_adcode":
            from geo.places.gazetteer import load_gazetteer

            if value not in load_gazetteer().by_adcode:
                raise CorrectionError(f"unknown Shanxi adcode {value!r}")
        clean[key] = value
    return clean


def save(db: Path, record_id: str | None, action: str, fields: dict | None = None, *,
         article_id: str | None = None, author: str | None = None, note: str | None = None) -> Correction:
    """Append one correction in its own transaction and return it (with a new id for `add`)."""
    if action not in ACTIONS:
        raise CorrectionError(f"action must be one of {ACTIONS}, not {action!r}")
    fields = _validate({} if fields is None else fields)
    for key, value, limit in (("record_id", record_id, 100), ("article_id", article_id, 100),
                              ("author", author, MAX_TEXT_CHARS), ("note", note, MAX_NOTE_CHARS)):
        if value is not None:
            _text(key, value, limit)
    if action == "add":
        if not article_id:
            raise CorrectionError("a hand-added record needs the article it comes from")
        record_id = f"manual-{uuid.uuid4().hex[:12]}"
    elif not record_id:
        raise CorrectionError(f"{action} needs a record id")
    created = datetime.now(timezone.utc).isoformat(timespec="microseconds")
    row = dict(record_id=record_id, article_id=article_id, action=action,
               fields=json.dumps(fields, ensure_ascii=False, allow_nan=False), author=author, note=note,
               created_at=created)
    seq = open_store(db).append_correction(row)
    logger.info("saved %s of %s", action, record_id)
    return Correction(seq, record_id, article_id, action, fields, author, note, created)


def append_sqlite(path: Path, row: dict) -> int:
    """Append one correction to the SQLite log at `path` in its own transaction; returns its seq."""
    conn = _connect(path)
    try:
        conn.execute("BEGIN IMMEDIATE")
        cur = conn.execute(
            "INSERT INTO corrections (record_id, article_id, action, fields, author, note, created_at) "
            "VALUES (:record_id, :article_id, :action, :fields, :author, :note, :created_at)", row)
        conn.execute("COMMIT")
        return cur.lastrowid
    finally:
        conn.close()


def load(db: Path) -> list[Correction]:
    """Every correction of a store, oldest first (empty when there is no log yet)."""
    rows = open_store(db).correction_rows()
    return [Correction(r[0], r[1], r[2], r[3], json.loads(r[4]), r[5], r[6], r[7]) for r in rows]


def load_sqlite(path: Path) -> list[tuple]:
    """The rows of the SQLite log at `path`, by seq."""
    return _read_log(path, "SELECT seq, record_id, article_id, action, fields, author, note, created_at "
                           "FROM corrections ORDER BY seq")


def _read_log(path: Path, query: str) -> list[tuple]:
    """The rows `query` selects from the SQLite log at `path`; a damaged log is a CorrectionsLogError."""
    conn = _connect(path)
    try:
        return conn.execute(query).fetchall()
    except sqlite3.DatabaseError as exc:
        raise CorrectionsLogError(f"corrections log {path} cannot be read ({exc}); {recovery_hint(path)}") from exc
    finally:
        conn.close()


@dataclass(frozen=True)
class LinkCorrection:
    """One row of `entity_links`: merge the projects of `record_id` and `other_id`, or split `record_id` out."""

    seq: int
    action: str
    record_id: str
    other_id: str | None
    author: str | None
    note: str | None
    created_at: str


def save_link(db: Path, action: str, record_id: str, other_id: str | None = None, *,
              author: str | None = None, note: str | None = None) -> LinkCorrection:
    """Append one linkage decision (`merge` needs `other_id`) in its own transaction and return it."""
    if action not in LINK_ACTIONS:
        raise CorrectionError(f"linkage action must be one of {LINK_ACTIONS}, not {action!r}")
    if action == "merge" and (not other_id or other_id == record_id):
        raise CorrectionError("merge needs two different record ids")
    for key, value, limit in (("record_id", record_id, 100), ("other_id", other_id, 100),
                              ("author", author, MAX_TEXT_CHARS), ("note", note, MAX_NOTE_CHARS)):
        if value is not None:
            _text(key, value, limit)
    if not record_id:
        raise CorrectionError(f"{action} needs a record id")
    other_id = other_id if action == "merge" else None
    created = datetime.now(timezone.utc).isoformat(timespec="microseconds")
    row = dict(action=action, record_id=record_id, other_id=other_id, author=author, note=note, created_at=created)
    seq = open_store(db).append_link(row)
    logger.info("saved %s of %s", action, record_id)
    return LinkCorrection(seq, action, record_id, other_id, author, note, created)


def append_link_sqlite(path: Path, row: dict) -> int:
    """Append one linkage decision to `entity_links` of the SQLite log at `path`; returns its seq."""
    conn = _connect(path)
    try:
        conn.execute("BEGIN IMMEDIATE")
        cur = conn.execute("INSERT INTO entity_links (action, record_id, other_id, author, note, created_at) "
                           "VALUES (:action, :record_id, :other_id, :author, :note, :created_at)", row)
        conn.execute("COMMIT")
        return cur.lastrowid
    finally:
        conn.close()


def load_links(db) -> list[LinkCorrection]:
    """Every linkage decision of a store (a path, a URL or a Store), oldest first (none without a log)."""
    return [LinkCorrection(*r) for r in open_store(db).link_rows()]


def load_links_sqlite(path: Path) -> list[tuple]:
    """The rows of `entity_links` of the SQLite log at `path`, by seq."""
    return _read_log(path, "SELECT seq, action, record_id, other_id, author, note, created_at "
                           "FROM entity_links ORDER BY seq")


@dataclass
class Recovery:
    """What `recover` did: rows kept and lost, and where the damaged log was copied first."""

    log: Path
    backup: Path
    kept: int
    lost: int


_COLUMNS = "seq, record_id, article_id, action, fields, author, note, created_at"


def recover(db: Path) -> Recovery:
    """Rebuild a damaged corrections log from the rows it still holds, after copying it aside.

    The damaged log (and its -wal/-shm files) is first copied to `<log>.damaged-<UTC time>`;
    rows are then read one by one by sequence number, so a damaged page loses only its own rows.
    The new log is written beside the old one and renamed over it. Run on an intact log it keeps
    every row (and still makes the copy).
    """
    if is_postgres(db):
        raise StoreError("the corrections of a PostgreSQL store are a table in its database, which the "
                         "server keeps intact; there is no log file to recover")
    path = corrections_path(db)
    if not path.exists():
        raise StoreError(f"no corrections log at {path}")
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    backup = path.with_name(f"{path.name}.damaged-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        src = Path(f"{path}{suffix}")
        if src.exists():
            shutil.copy2(src, f"{backup}{suffix}")
    rows, lost = _salvage(path)
    link_rows = _salvage_links(path)
    fresh = path.with_name(f".{path.name}.recovering")
    fresh.unlink(missing_ok=True)
    conn = sqlite3.connect(fresh, isolation_level=None)
    try:
        conn.executescript(_SCHEMA)
        conn.execute("BEGIN")
        conn.executemany(f"INSERT INTO corrections ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        conn.executemany(f"INSERT INTO entity_links ({_LINK_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)", link_rows)
        conn.execute("COMMIT")
    finally:
        conn.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    fresh.replace(path)
    logger.warning("corrections log %s rebuilt: %d row(s) kept, %d lost; damaged copy at %s",
                   path, len(rows), lost, backup)
    return Recovery(path, backup, len(rows), lost)


def _salvage(path: Path) -> tuple[list[tuple], int]:
    """The readable rows of a (possibly damaged) log, and how many sequence numbers could not be read."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        try:
            top = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'corrections'").fetchone()
            top = top[0] if top else 0
        except sqlite3.DatabaseError:
            top = 0
        try:
            return conn.execute(f"SELECT {_COLUMNS} FROM corrections ORDER BY seq").fetchall(), 0
        except sqlite3.DatabaseError:
            pass
        rows, lost = [], 0
        for seq in range(1, max(top, 0) + 1):
            try:
                row = conn.execute(f"SELECT {_COLUMNS} FROM corrections WHERE seq = ?", (seq,)).fetchone()
            except sqlite3.DatabaseError:
                lost += 1
                continue
            if row is not None and _row_is_sound(row):
                rows.append(row)
            elif row is not None:
                lost += 1
        return rows, lost
    finally:
        conn.close()


_LINK_COLUMNS = "seq, action, record_id, other_id, author, note, created_at"


def _salvage_links(path: Path) -> list[tuple]:
    """The readable rows of `entity_links` (none from a log older than the table, or where it is damaged)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = conn.execute(f"SELECT {_LINK_COLUMNS} FROM entity_links ORDER BY seq").fetchall()
    except sqlite3.DatabaseError:
        return []
    finally:
        conn.close()
    return [r for r in rows if r[1] in LINK_ACTIONS and isinstance(r[2], str)]


def _row_is_sound(row: tuple) -> bool:
    """A salvaged row whose action and fields still parse (a damaged page may garble a row)."""
    if row[3] not in ACTIONS or not isinstance(row[1], str) or not isinstance(row[4], str):
        return False
    try:
        return isinstance(json.loads(row[4]), dict)
    except ValueError:
        return False


def _relocate(row: dict, adcode: str) -> None:
    """Move a record to a county/city chosen by hand: point and names from the gazetteer."""
    from geo.places.gazetteer import load_gazetteer

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


def _native(column: pd.Series) -> list:
    """A column's values as DataFrame.to_dict("records") gives them (pandas' NA as None)."""
    values = column.tolist()
    if column.dtype == object or isinstance(column.dtype, pd.api.extensions.ExtensionDtype):
        return [None if v is pd.NA else v for v in values]
    return values


def apply(records: gpd.GeoDataFrame, corrections: list[Correction],
          articles: pd.DataFrame | None = None) -> tuple[gpd.GeoDataFrame, list[Correction]]:
    """Records with corrections applied, plus the orphans (corrections whose record is gone).

    Adds columns `hidden` (bool) and `record_source` ("machine", "corrected" or "manual"); `corrected` is
    True for every record a correction touched. Hidden records stay in the frame: views drop them.
    """
    columns = [c for c in records.columns if c != "geometry"] + ["hidden", "record_source"]
    data = {c: _native(records[c]) for c in columns[:-2]}
    data["hidden"] = [False] * len(records)
    data["record_source"] = ["corrected" if c else "machine" for c in data.get("corrected", [None] * len(records))]
    at = {rid: i for i, rid in enumerate(data["id"])}  # a repeated id: its last row, as a dict of rows kept
    rows = {}  # the rows a correction touches, as dicts (most records are untouched: no dict for them)

    def row_of(rid):
        if rid not in rows and rid in at:
            rows[rid] = {c: data[c][at[rid]] for c in columns}
        return rows.get(rid)

    article_info = {} if articles is None else articles.set_index("article_id").to_dict("index")
    orphans, added = [], []
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
            if row_of(c.record_id) is None:
                added.append(c.record_id)
            rows[c.record_id] = row
            _apply_fields(row, c.fields)
            row["corrected"] = True
            continue
        row = row_of(c.record_id)
        if row is None:
            orphans.append(c)
            continue
        if c.action in ("hide", "unhide"):
            row["hidden"] = c.action == "hide"
        _apply_fields(row, c.fields)
        row["corrected"] = True
        if row["record_source"] == "machine":
            row["record_source"] = "corrected"
    keep = range(len(records)) if len(at) == len(records) else sorted(at.values())
    table = [[data[c][i] for i in keep] for c in columns]
    for rid in rows.keys() & at.keys():  # the corrected rows, written over their place
        i = keep.index(at[rid]) if isinstance(keep, list) else at[rid]
        for col, values in zip(columns, table):
            values[i] = rows[rid].get(col)
    for rid in added:
        for col, values in zip(columns, table):
            values.append(rows[rid].get(col))
    # Built as the rows' tuples, so pandas infers every column's dtype as it did from the rows' dicts.
    frame = pd.DataFrame(list(zip(*table)), columns=columns)
    out = gpd.GeoDataFrame(frame, geometry=points(frame["lon"], frame["lat"]), crs="EPSG:4326")
    if len(out):
        out = out.sort_values("id", kind="stable").reset_index(drop=True)
    if orphans:
        logger.warning("%d correction(s) refer to records that no longer exist", len(orphans))
    return out, orphans


def read_current(db: Path, filters=None) -> tuple[gpd.GeoDataFrame, list[Correction]]:
    """The store's records as analysts should see them: corrections applied, hidden ones flagged.

    With `filters` (geo.store.query.Filters) a database store reads only the records that may pass them
    and those a correction touches; apply `geo.store.query.apply` to the result as without.
    """
    store = open_store(db)
    log = load(db)
    records = store.read_records(filters, keep={c.record_id for c in log})
    return apply(records, log, store.read_articles())
