"""Reading the reviewed CSV tables under geo/data/: one reader, one kind of error."""
from __future__ import annotations

import csv
from pathlib import Path

from geo.errors import GazetteerError


def read_table(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) pairs of a UTF-8 CSV with at least `columns`; values stripped, None → "".

    A missing file or column raises GazetteerError naming the path; row checks are the caller's.
    """
    path = Path(path)
    try:
        with open(path, encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            missing = [c for c in columns if c not in (reader.fieldnames or ())]
            if missing:
                raise GazetteerError(f"{path}: missing column(s) {missing}, has {reader.fieldnames!r}")
            return [(line, {k: (v or "").strip() for k, v in row.items() if k is not None})
                    for line, row in enumerate(reader, start=2)]
    except OSError as exc:
        raise GazetteerError(f"cannot read table {path}: {exc}") from exc
