"""Files and pasted text into clean `Article` objects.

`Article.id` is the first 16 hex chars of sha256 over the cleaned `Article.text` (title
line included), not the file name: the same article saved twice, or re-encoded, gets
the same id, and re-ingesting it is a no-op for the store.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from geo.ingest import clean, hanzi, tables
from geo.errors import IngestError, NotTextError
from geo.models import Article, SourceFile

log = logging.getLogger("geo.ingest.read")

# Bounds per article, so that one article is read, cleaned and extracted in seconds: a file or
# upload over MAX_BYTES is refused before decoding, cleaned text over MAX_TEXT_CHARS after cleaning.
MAX_BYTES = 5 * 1024 * 1024
MAX_TEXT_CHARS = 1_000_000
SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")


@dataclass
class Problem:
    """A file that was skipped or needs a look, and why."""

    path: Path
    message: str


@dataclass
class IngestResult:
    """Articles read from a file or folder, plus the problems met on the way."""

    articles: list[Article] = field(default_factory=list)  # read and cleaned in this run
    problems: list[Problem] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # ids of articles whose files were skipped unread
    files: list[SourceFile] = field(default_factory=list)  # every file that gave (or still gives) an article


# ---------------------------------------------------------------- decoding
def decode_bytes(data: bytes, max_bytes: int = MAX_BYTES) -> tuple[str, str]:
    """Decode file bytes; return (text, encoding name).

    Tries UTF-8 (BOM or not), UTF-16/32 with a BOM, then GB18030 (a superset of GBK
    and GB2312). Raises NotTextError for empty, whitespace-only, binary or undecodable
    data, and IngestError for data over `max_bytes`.
    """
    if len(data) > max_bytes:
        raise IngestError(f"input is {len(data)} bytes, over the limit of {max_bytes} bytes")
    if not data:
        raise NotTextError("input is empty")
    text, encoding = _decode(data)
    check_text(text)
    return text, encoding


def _decode(data: bytes) -> tuple[str, str]:
    boms = (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    )
    for bom, encoding in boms:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise NotTextError(f"starts with a {encoding} byte-order mark but is not valid {encoding}: {exc}") from exc
    utf16 = _bomless_utf16(data)
    if utf16:
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError:
            pass  # not UTF-16 after all: binary (below)
    if b"\x00" in data[:65536]:
        raise NotTextError(f"binary data (NUL byte at offset {data.index(0)}), not text")
    errors = []
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            errors.append(f"{encoding}: bad bytes {data[exc.start:exc.start + 4]!r} at offset {exc.start}")
    raise NotTextError("not text in UTF-8, UTF-16 or GB18030 (" + "; ".join(errors) + ")")


def _bomless_utf16(data: bytes) -> str | None:
    """"utf-16-le"/"utf-16-be" when NUL bytes sit only at odd/even offsets (ASCII in UTF-16), else None."""
    sample = data[:65536]
    if len(data) % 2 or b"\x00" not in sample:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd and not even:
        return "utf-16-le"
    if even and not odd:
        return "utf-16-be"
    return None


def check_text(text: str) -> None:
    """Raise NotTextError when decoded text is blank or looks binary.

    Binary: more than 5% control characters, or more than 30% U+FFFD replacement marks.
    """
    if not text.strip():
        raise NotTextError("input is empty or whitespace only")
    sample = text[:100_000]
    controls = sum(1 for ch in sample if ch not in _ALLOWED_CONTROLS and unicodedata.category(ch) == "Cc")
    if controls > 0.05 * len(sample):
        raise NotTextError(f"looks binary: {controls} control characters in the first {len(sample)} characters")
    if sample.count("\ufffd") > 0.3 * len(sample):
        raise NotTextError("looks binary: mostly U+FFFD replacement characters")


# ---------------------------------------------------------------- articles
def ingest_text(
    text: str,
    source: str,
    title: str | None = None,
    date: str | None = None,
    url: str | None = None,
    categories: list[str] | None = None,
) -> Article:
    """Clean decoded text (file body or pasted) into an Article.

    Explicit arguments win over front matter, which wins over values inferred from the
    text. Raises NotTextError if no text is left, IngestError for a bad `date`, for text
    over MAX_BYTES characters or cleaned text over MAX_TEXT_CHARS, and for text the cleaners
    cannot handle (never a bare ValueError). Recoverable oddities are listed in `Article.warnings`.
    """
    if len(text) > MAX_BYTES:
        raise IngestError(f"text of {len(text)} characters from {source!r} is over the limit of {MAX_BYTES}")
    check_text(text)
    try:
        return _ingest_text(text, source, title, date, url, categories)
    except (ValueError, OverflowError, RecursionError) as exc:
        raise IngestError(f"{source!r} cannot be cleaned ({type(exc).__name__}: {str(exc)[:200]})") from exc


def _ingest_text(text: str, source: str, title: str | None, date: str | None, url: str | None,
                 categories: list[str] | None) -> Article:
    warnings: list[str] = []
    # U+2029 marks HTML block ends inside the cleaner; a literal one in the input is a line break.
    text = clean.normalize_chars(text.replace(clean.HARD_BREAK, "\n"))
    fm, body = clean.split_front_matter(text, warnings)
    fm = fm or clean.FrontMatter()
    body = clean.strip_markdown(body)
    if clean.looks_like_html(body):
        body = clean.html_to_text(body, warnings)
    body = clean.normalize_chars(clean.drop_script_remnants(body))  # entities may add full-width digits
    body, glosses = clean.drop_pinyin_glosses(body)
    if glosses:
        warnings.append(f"{glosses} pinyin glosses after characters removed (產(chǎn) → 產)")
    body = tables.rewrite_tables(body)[0]  # before line joining runs a table's cells together

    title = clean.clean_title(title or "") or clean.clean_title(fm.title or "") or None
    if title is not None:
        title = clean.cap(title, clean.MAX_TITLE_CHARS, "title", warnings)
    paragraphs = clean.rejoin_lines(body, keep_first=title is None)
    paragraphs = clean.drop_repeated(paragraphs, warnings)
    title_in_text = True
    if title is None:
        title = clean.infer_title(paragraphs)
        if title is None and paragraphs:
            # The first paragraph already holds these words: do not repeat them as a title line.
            title, title_in_text = title_from_text(paragraphs[0]), False
            warnings.append("no title line; title taken from the start of the text")
    if title_in_text and paragraphs and paragraphs[0] == title:
        paragraphs = paragraphs[1:]
    if title_in_text and title:
        paragraphs = [_without_glued_title(p, title) for p in paragraphs[:3]] + paragraphs[3:]
    if not paragraphs and not title:
        raise NotTextError(f"no text left in {source!r} after removing markup")
    if not paragraphs:
        warnings.append("no body text, only a title")

    size = sum(map(len, paragraphs))
    if size > MAX_TEXT_CHARS:
        raise IngestError(f"{source!r} has {size:,} characters of text after cleaning, over the limit of "
                          f"{MAX_TEXT_CHARS:,} for one article; split it into smaller files")
    article_date = _explicit_date(date, source) or fm.date or clean.infer_date([title, *paragraphs])
    if article_date is None:
        warnings.append("no article date")
    body_text = "\n".join([title, *paragraphs] if title_in_text else paragraphs)
    body_text = clean.drop_script_remnants(body_text)  # joining lines may form "<script" anew
    simplified, converted = hanzi.to_simplified(body_text)
    original_text = None
    if converted:
        original_text, body_text = body_text, simplified
        title = hanzi.to_simplified(title)[0] if title else title
        warnings.append("traditional characters converted to simplified (OpenCC t2s); "
                        "records keep the sentence as printed")
    for w in warnings:
        log.debug("%s: %s", source, w)
    return Article(
        id=article_id(body_text),
        source=source,
        title=clean.drop_script_remnants(title),
        date=article_date,
        text=body_text,
        url=url or fm.url,
        categories=list(categories) if categories is not None else fm.categories,
        warnings=warnings,
        original_text=original_text,
        date_hint=fm.date_hint if article_date is None else None,
    )


# Where the sentence splitter (geo.extract.sentences) ends a sentence.
_SENTENCE_STOPS = "。！？；!?;"


# What a story's own text opens with after its headline: a dateline or a source line (3月4日，…; 本报讯…).
_DATELINE = re.compile(r"\s*(?:\d{4}年)?\d{1,2}月\d{1,2}日|\s*(?:本报讯|新华社|记者|近日|日前|文章来源|来源[:：])")


def _without_glued_title(paragraph: str, title: str) -> str:
    """`paragraph` without the headline a page glued to its dateline (X项目开工 3月4日，X项目开工建设…): the
    headline is the title line already; left in, it reads as one more sentence naming the project."""
    if len(title) >= 6 and paragraph.startswith(title) and _DATELINE.match(paragraph, len(title)):
        return paragraph[len(title):].lstrip()
    return paragraph


def title_from_text(paragraph: str, limit: int = 40) -> str:
    """A display title for text without one: its first sentence, without the final stop, cut to `limit`.

    It never contains a whole sentence of the paragraph (sentences end with a stop, or at the end of
    the paragraph, which the title stops short of), so the extractor, which skips the title's
    sentences, still reads every sentence of the paragraph once.
    """
    end = min([limit, len(paragraph) - 1] + [i for i in map(paragraph.find, _SENTENCE_STOPS) if i >= 0])
    title = paragraph[:max(end, 1)]
    return title if end < limit and paragraph[end] in _SENTENCE_STOPS else title + "…"


def _explicit_date(date: str | None, source: str) -> str | None:
    if date is None or not str(date).strip():
        return None
    parsed = clean.parse_date(date)
    if parsed is None:
        raise IngestError(f"date {date!r} given for {source!r} is not a date (use yyyy-mm-dd)")
    return parsed


def article_id(text: str) -> str:
    """Content id: first 16 hex chars of sha256 over the cleaned text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def read_article(path: Path, max_bytes: int = MAX_BYTES) -> Article:
    """Read and clean one file. Raises NotTextError / IngestError naming the path."""
    path = Path(path)
    return _article_from_bytes(path, _read_bytes(path, _stat(path).st_size, max_bytes), max_bytes)


def _read_bytes(path: Path, size: int, max_bytes: int) -> bytes:
    try:
        if not path.is_file():
            raise IngestError(f"{path}: not a regular file")
        if size > max_bytes:
            raise IngestError(f"{path}: {size} bytes, over the limit of {max_bytes} bytes")
        return path.read_bytes()
    except PermissionError as exc:
        raise IngestError(f"{path}: cannot read {_UNREADABLE}") from exc
    except OSError as exc:
        raise IngestError(f"{path}: cannot read ({exc.strerror or exc})") from exc


def _article_from_bytes(path: Path, data: bytes, max_bytes: int) -> Article:
    try:
        text, encoding = decode_bytes(data, max_bytes)
        article = ingest_text(text, source=path.name)
    except NotTextError as exc:
        raise NotTextError(f"{path}: {exc}") from exc
    except IngestError as exc:
        raise IngestError(f"{path}: {exc}") from exc
    log.debug("%s: read as %s, id %s", path, encoding, article.id)
    return article


def _stat(path: Path) -> os.stat_result:
    try:
        return path.stat()
    except PermissionError as exc:
        raise IngestError(f"{path}: cannot read {_UNREADABLE}") from exc
    except OSError as exc:
        raise IngestError(f"{path}: cannot read ({exc.strerror or exc})") from exc


@dataclass
class RawFile:
    """An input file's bytes, read and hashed but not yet decoded or cleaned (see `clean_raw`).

    It carries everything cleaning needs, so it can be cleaned in another process or on another
    machine (a Dask worker) that cannot see the file itself.
    """

    path: Path  # as given, for messages
    abspath: str  # what the store remembers, resolved where the file was read
    size: int
    mtime_ns: int
    sha1: str
    data: bytes = field(repr=False)


# Cleans a list of RawFile (with the byte limit): for each, (SourceFile, Article) or the IngestError met.
Cleaner = Callable[[list[RawFile], int], list["tuple[SourceFile, Article] | IngestError"]]


def read_file(path: Path, known: SourceFile | None = None,
              max_bytes: int = MAX_BYTES) -> tuple[SourceFile, Article | None]:
    """Read one file unless `known` shows it unchanged; returns (its SourceFile, the Article or None).

    The article is None when the file is skipped: same size and mtime as `known` (not even
    opened), or same bytes (sha1) as `known` (read but not decoded or cleaned).
    """
    raw = read_raw(path, known, max_bytes)
    return (raw, None) if isinstance(raw, SourceFile) else clean_raw(raw, max_bytes)


def read_raw(path: Path, known: SourceFile | None = None, max_bytes: int = MAX_BYTES) -> SourceFile | RawFile:
    """The first half of `read_file`: the file's SourceFile when `known` shows it unchanged, else its bytes."""
    path = Path(path)
    st = _stat(path)
    if known is not None and (known.size, known.mtime_ns) == (st.st_size, st.st_mtime_ns):
        return known
    data = _read_bytes(path, st.st_size, max_bytes)
    sha1 = hashlib.sha1(data).hexdigest()
    if known is not None and known.sha1 == sha1:
        return SourceFile(known.path, st.st_size, st.st_mtime_ns, sha1, known.article_id)
    return RawFile(path, str(path.absolute()), st.st_size, st.st_mtime_ns, sha1, data)


def clean_raw(raw: RawFile, max_bytes: int = MAX_BYTES) -> tuple[SourceFile, Article]:
    """The second half of `read_file`: decode and clean read bytes. Raises NotTextError / IngestError."""
    article = _article_from_bytes(raw.path, raw.data, max_bytes)
    return SourceFile(raw.abspath, raw.size, raw.mtime_ns, raw.sha1, article.id), article


def clean_files(raws: list[RawFile], max_bytes: int = MAX_BYTES) -> list[tuple[SourceFile, Article] | IngestError]:
    """`clean_raw` each file in this process, in order; a file that cannot be cleaned gives its IngestError."""
    out: list[tuple[SourceFile, Article] | IngestError] = []
    for raw in raws:
        try:
            out.append(clean_raw(raw, max_bytes))
        except IngestError as exc:
            out.append(exc)
    return out


def ingest_path(path: Path, max_bytes: int = MAX_BYTES, known: dict[str, SourceFile] | None = None,
                cleaner: Cleaner = clean_files) -> IngestResult:
    """Read a file, or every article file under a folder (recursive, sorted).

    Folder walks take .txt .md .markdown .html .htm files and skip hidden ones. A bad
    file or an unreadable sub-folder becomes a Problem and the rest go on; a repeated id is
    kept once, with a Problem naming the duplicate. A missing path raises IngestError, and so
    does a path under which nothing could be read although something was there.

    `known` (absolute path → SourceFile, from the store) lets unchanged files be skipped unread:
    their article ids go to `unchanged` instead of `articles` (see `read_file`). Files are read
    here, one by one; the files that need cleaning are then handed to `cleaner` all at once (the
    build may clean them on a Dask cluster), and the outcome is the same whoever cleans them.
    """
    path = Path(path)
    if not path.exists():
        raise IngestError(f"{path}: no such file or folder")
    result = IngestResult()
    files = article_files(path, result.problems) if path.is_dir() else [path]
    outcomes: list[SourceFile | RawFile | IngestError] = []
    for file in files:
        try:
            outcomes.append(read_raw(file, (known or {}).get(str(file.absolute())), max_bytes))
        except IngestError as exc:
            outcomes.append(exc)
    cleaned = iter(cleaner([o for o in outcomes if isinstance(o, RawFile)], max_bytes))
    seen: dict[str, Path] = {}
    for file, outcome in zip(files, outcomes):
        if isinstance(outcome, RawFile):
            outcome = next(cleaned)
        if isinstance(outcome, IngestError):
            log.warning("skipped %s", outcome)
            result.problems.append(Problem(file, str(outcome)))
            continue
        entry, article = (outcome, None) if isinstance(outcome, SourceFile) else outcome
        result.files.append(entry)
        if entry.article_id in seen:
            result.problems.append(Problem(file, f"duplicate of {seen[entry.article_id]} (same content, id "
                                                 f"{entry.article_id}); kept once"))
            continue
        seen[entry.article_id] = file
        if article is None:
            result.unchanged.append(entry.article_id)
        else:
            result.articles.append(article)
    if result.problems and not result.articles and not result.unchanged:
        shown = "; ".join(p.message for p in result.problems[:3])
        more = f" and {len(result.problems) - 3} more" if len(result.problems) > 3 else ""
        raise IngestError(f"{path}: nothing could be read ({shown}{more})")
    return result


_UNREADABLE = "(permission denied)"


def article_files(folder: Path, problems: list[Problem]) -> list[Path]:
    """Article files under `folder` (sorted, hidden ones skipped); unreadable sub-folders go to `problems`."""

    def unreadable(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else folder
        reason = "permission denied" if isinstance(exc, PermissionError) else (exc.strerror or str(exc)).lower()
        message = f"{where}: folder cannot be read ({reason})"
        log.warning("skipped %s", message)
        problems.append(Problem(where, message))

    if not os.access(folder, os.R_OK | os.X_OK):
        unreadable(PermissionError(13, "Permission denied", str(folder)))
        return []
    files = []
    for root, dirs, names in os.walk(folder, onerror=unreadable):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        # plain os.path here: a Path per name costs more than the stat at 10k files
        paths = (os.path.join(root, n) for n in names
                 if not n.startswith(".") and os.path.splitext(n)[1].lower() in SUFFIXES)
        files += [Path(p) for p in paths if os.path.isfile(p)]
    return sorted(files, key=lambda p: p.parts)  # the order of sorted(files), without Path.__lt__
