"""Articles added by analysts (uploaded files or pasted text), and rebuilding the store in place.

An upload's file name is only a label: path components and control characters are stripped and
nothing is ever opened or written under it. Each file gets one verdict: added, added but with no
Shanxi place (records kept as unresolved), duplicate (its content hash is already stored) or
rejected (the reason from geo.ingest.read: empty, binary, too large, no text left). A rejected file
leaves the store untouched.

Labels become the article's `source`. The pipeline treats a known source with new content as a
new version that replaces the old one, which is right for a folder of files but would let a
second "news.txt" uploaded next week wipe out last week's: so a label already in the store (or
twice in one upload) gets the content id appended instead.
"""
from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

from geo import pipeline
from geo.ingest import read as ingest
from geo.errors import IngestError, NotTextError, StoreError
from geo.places.mentions import find_mentions
from geo.models import Article, Record
from geo.store.backend import is_postgres, open_store

logger = logging.getLogger("geo.web.uploads")

MAX_UPLOAD_BYTES = ingest.MAX_BYTES  # the app's server.maxUploadSize is the same 5 MB
MAX_LABEL_CHARS = 120
STATUSES = ("added", "no_place", "duplicate", "rejected")
_URL_RE = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)


@dataclass
class FileResult:
    """The verdict on one uploaded file or pasted text."""

    label: str
    status: str  # one of STATUSES
    message: str
    article_id: str | None = None
    records: int = 0
    unresolved: int = 0

    @property
    def stored(self) -> bool:
        """True when the article is in the store now (added, no_place or duplicate)."""
        return self.status != "rejected"


@dataclass
class UploadReport:
    """Per-file results of one upload, plus the pipeline's summary when anything was processed."""

    results: list[FileResult] = field(default_factory=list)
    summary: pipeline.BuildSummary | None = None

    def counts(self) -> dict[str, int]:
        """Number of files per status."""
        return {s: sum(r.status == s for r in self.results) for s in STATUSES}


@dataclass
class RebuildReport:
    """What `rebuild_store` did: the build summary and, for an unreadable store, where it was moved."""

    summary: pipeline.BuildSummary
    stored_articles: int  # articles re-read from the old store (0 when it was missing or unreadable)
    moved_aside: Path | None = None


def safe_label(name: str | None, fallback: str = "upload") -> str:
    """A display label from an untrusted file name: last path component, no control characters.

    "../../etc/passwd" → "passwd", "C:\\x\\..\\evil.txt" → "evil.txt"; "", "." and ".." → fallback.
    """
    text = "".join(ch for ch in str(name or "") if not unicodedata.category(ch).startswith("C"))
    text = PurePosixPath(text.replace("\\", "/")).name.strip()
    if text in ("", ".", ".."):
        return fallback
    return text[:MAX_LABEL_CHARS]


def _too_large(size: int, max_bytes: int) -> str:
    return f"too large: {size / 2**20:.1f} MB > {max_bytes / 2**20:g} MB limit"


def _unique_label(label: str, article_id: str, taken: set[str]) -> str:
    if label not in taken:
        return label
    stem, dot, suffix = label.rpartition(".")
    return f"{stem}~{article_id[:8]}.{suffix}" if dot and stem else f"{label}~{article_id[:8]}"


def _stored_articles(db: Path | str) -> dict[str, str]:
    """article_id → source of the articles already stored (empty for a store not built yet)."""
    target = open_store(db)
    if not target.exists():
        return {}
    arts = target.read_articles()
    return dict(zip(arts["article_id"].astype(str), arts["article"].astype(str)))


def add_uploads(db: Path, files: list[tuple[str, bytes]], max_bytes: int = MAX_UPLOAD_BYTES,
                progress: pipeline.Progress | None = None) -> UploadReport:
    """Ingest, extract and locate uploaded files (name, bytes) and add them to the store.

    Raises StoreError when the existing store cannot be read (nothing is written then).
    """
    candidates: list[tuple[str, Article | FileResult]] = []
    for name, data in files:
        label = safe_label(name)
        try:
            if len(data) > max_bytes:
                raise IngestError(_too_large(len(data), max_bytes))
            if not data:
                raise NotTextError("empty file (0 bytes)")
            text, encoding = ingest.decode_bytes(data, max_bytes)
            article = ingest.ingest_text(text, source=label)
            logger.debug("%s: decoded as %s, id %s", label, encoding, article.id)
            candidates.append((label, article))
        except IngestError as exc:
            candidates.append((label, FileResult(label, "rejected", str(exc))))
    return _add(db, candidates, progress)


def add_pasted(db: Path, text: str, title: str | None = None, date: str | None = None,
               url: str | None = None, max_bytes: int = MAX_UPLOAD_BYTES,
               progress: pipeline.Progress | None = None) -> UploadReport:
    """Add pasted article text (title, yyyy-mm-dd date and http(s) source URL optional)."""
    url = (url or "").strip() or None
    label = safe_label(url or title, fallback="pasted text")
    try:
        if url is not None:
            check_url(url)
        size = len((text or "").encode("utf-8"))
        if size > max_bytes:
            raise IngestError(_too_large(size, max_bytes))
        if not (text or "").strip():
            raise NotTextError("no text pasted")
        article = ingest.ingest_text(text, source=label, title=(title or "").strip() or None,
                                     date=(date or "").strip() or None, url=url)
        candidate: Article | FileResult = article
    except IngestError as exc:
        candidate = FileResult(label, "rejected", str(exc))
    return _add(db, [(label, candidate)], progress)


_URL_BAD_CHARS = re.compile(r"[\s<>\"']")


def check_url(url: str) -> None:
    """Raise IngestError with the right reason unless `url` is an http(s) URL without spaces, <, >, quotes."""
    if not re.match(r"^https?://", url, re.IGNORECASE):
        raise IngestError(f"source URL {url[:80]!r} must start with http:// or https://")
    bad = _URL_BAD_CHARS.search(url)
    if bad:
        raise IngestError(f"source URL {url[:80]!r} contains {bad.group()!r}, which a URL cannot hold as it "
                          f"is: copy the address from the browser's address bar (it encodes < as %3C, > as %3E, "
                          f"spaces as %20)")
    if not _URL_RE.match(url):
        raise IngestError(f"source URL {url[:80]!r} is not a valid http(s) URL")


def _add(db: Path, candidates: list[tuple[str, Article | FileResult]],
         progress: pipeline.Progress | None) -> UploadReport:
    stored = _stored_articles(db) if any(isinstance(c, Article) for _, c in candidates) else {}
    taken = set(stored.values())
    seen: dict[str, str] = {}  # article id → label, within this upload
    report = UploadReport()
    fresh: list[Article] = []
    for label, item in candidates:
        if isinstance(item, FileResult):
            report.results.append(item)
        elif item.id in stored:
            report.results.append(FileResult(label, "duplicate", f"already in the store as {stored[item.id]!r} "
                                             f"(same content, id {item.id})", article_id=item.id))
        elif item.id in seen:
            report.results.append(FileResult(label, "duplicate", f"same content as {seen[item.id]!r} in this "
                                             f"upload (id {item.id})", article_id=item.id))
        else:
            item.source = _unique_label(label, item.id, taken)
            taken.add(item.source)
            seen[item.id] = item.source
            fresh.append(item)
            report.results.append(FileResult(item.source, "added", "", article_id=item.id))
    if fresh:
        report.summary = pipeline.add_articles(db, fresh, progress)
        _describe(fresh, report.summary.new_records, report)
    for r in report.results:
        logger.info("upload %s: %s %s", r.label, r.status, r.message)
    return report


def _describe(fresh: list[Article], records: list[Record], report: UploadReport) -> None:
    """Fill records / unresolved counts and the no-Shanxi-place verdict of the added articles."""
    texts = {a.id: a.text for a in fresh}
    for r in report.results:
        if r.status != "added":
            continue
        mine = [rec for rec in records if rec.article_id == r.article_id]
        r.records = len(mine)
        r.unresolved = sum(rec.precision == "unresolved" for rec in mine)
        located = r.records - r.unresolved
        if located == 0 and not any(m.place for m in find_mentions(texts[r.article_id])):
            r.status = "no_place"
            r.message = f"no Shanxi place found — {r.records} record(s) kept as unresolved"
        else:
            r.message = f"{r.records} record(s), {r.unresolved} unresolved"


def rebuild_store(db: Path, seeds: Path, progress: pipeline.Progress | None = None) -> RebuildReport:
    """Re-extract every stored article plus the seed files into a fresh store; corrections are kept.

    Stored texts (uploads included) are re-processed from the store itself, so nothing an analyst
    added is lost; a seed file whose content changed replaces its stored version. An unreadable
    store is moved aside to `<name>.unreadable-<UTC time>` (never deleted) and the store is rebuilt
    from the seeds alone.
    """
    target = open_store(db)
    moved = None
    stored = 0
    if target.exists():
        try:
            target.read_records()  # both layers must read, not just the articles
            stored = len(target.read_articles())
        except StoreError as exc:
            if is_postgres(db):  # a database is never moved aside: the error says what to do
                raise
            db = Path(db)
            stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
            moved = db.with_name(f"{db.name}.unreadable-{stamp}")
            db.replace(moved)
            logger.warning("store %s is unreadable (%s); moved aside to %s", db, exc, moved)
    summary = pipeline.build(Path(seeds), db, progress, reextract=True)
    return RebuildReport(summary, stored, moved)
