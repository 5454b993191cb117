"""Narrow exceptions of the library; the CLI and app turn them into messages at the edge."""


class GeoError(Exception):
    """Base class for every error this package raises on purpose."""


class IngestError(GeoError):
    """An input file or folder cannot be read as an article."""


class NotTextError(IngestError):
    """The file is binary, empty, or in no encoding we can decode."""


class GazetteerError(GeoError, ValueError):
    """A reference table is malformed (bad adcode, missing column, duplicate key)."""


class AmbiguousPlaceError(GeoError, LookupError):
    """A place name matches several units and the context does not decide between them."""

    def __init__(self, name: str, candidates: list):
        self.name = name
        self.candidates = candidates
        names = ", ".join(f"{c.full_name} ({c.adcode})" for c in candidates)
        super().__init__(f"{name!r} is ambiguous without context: {names}")


class BoundaryDataError(GeoError):
    """The boundary files in boundaries/ are missing or malformed."""


class StoreError(GeoError):
    """The GeoPackage store is missing, corrupt or of an unexpected layout."""


class CorrectionsLogError(StoreError):
    """The analysts' corrections log is damaged or unreadable (recover it with `recover-corrections`)."""


class ClusterError(GeoError):
    """The Dask scheduler given for a build cannot be reached, has no workers, or lost them mid-build."""
