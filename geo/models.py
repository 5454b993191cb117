"""Record dataclasses shared by every stage of the pipeline."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

PRECISIONS = ("site", "zone", "county", "city", "province", "unresolved")
AMOUNT_KINDS = ("investment", "output", "revenue", "profit_tax", "contract", "orders", "other")


def is_missing(value) -> bool:
    """True for the empty cell of a records frame: None, NaN, pandas' NA or NaT."""
    return (value is None or value is pd.NA or value is pd.NaT
            or (isinstance(value, float) and math.isnan(value)))


RECORD_KINDS = ("project", "batch", "stat")
STAGES = ("signed", "started", "in_production", "negotiating", "planned")
ORIGIN_REGIONS = ("guangdong", "jingjinji", "yangtze_delta", "other")
QUALIFIERS = ("exact", "about", "over", "at_least", "at_most", "range")


@dataclass(frozen=True)
class Place:
    """One gazetteer unit: a city, county, development zone or multi-county area in Shanxi.

    Coordinates are WGS-84. `adcode` is county-level where the unit lies in one county,
    else the city's (or the province's) code; `adcodes` lists every county it covers.
    """

    full_name: str
    kind: str  # province | city | county | zone | area
    precision: str  # province | city | county | zone
    adcode: str
    city_adcode: str | None
    city: str | None
    county: str | None
    lon: float
    lat: float
    adcodes: tuple[str, ...] = ()
    parent_zone: str | None = None

    def raw(self) -> dict:
        """The dict carried by geopy's Location.raw."""
        return {
            "name": self.full_name,
            "kind": self.kind,
            "precision": self.precision,
            "adcode": self.adcode,
            "city_adcode": self.city_adcode,
            "city": self.city,
            "county": self.county,
            "adcodes": list(self.adcodes),
            "lon": self.lon,
            "lat": self.lat,
        }


@dataclass(frozen=True)
class Mention:
    """A place name found in text: character span, the matched surface form, and what it means.

    `place` is None when the name is ambiguous (see `candidates`) or unknown.
    `via` says how it was resolved: full | short | old_name | alias | context | typo.
    """

    start: int
    end: int
    text: str
    place: Place | None
    candidates: tuple[Place, ...] = ()
    via: str = "full"
    note: str = ""


@dataclass(frozen=True)
class SourceFile:
    """What a build remembers of one input file, so the next build can skip it when unchanged.

    `path` is absolute; `sha1` is over the raw bytes; `article_id` is the article the file gave.
    """

    path: str
    size: int
    mtime_ns: int
    sha1: str
    article_id: str


@dataclass
class Article:
    """One cleaned source article. `id` is a content hash of `text`, stable across re-ingests."""

    id: str
    source: str  # file name, or URL/title for pasted text
    title: str
    date: str | None  # ISO yyyy-mm-dd
    text: str
    url: str | None = None
    categories: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # The text as printed when it was converted from traditional characters (same length as
    # `text`, so record offsets hold in both); None for simplified articles.
    original_text: str | None = None
    # A publication date known only to the year or month ('2018' or '2018-05', front matter) when
    # `date` is None: the year that month-day dates in the text (5月29日) belong to.
    date_hint: str | None = None


@dataclass
class Record:
    """One extracted fact: a project, a batch (an aggregate of several projects) or a stat.

    A stat is a figure that is not one project's: a region's output, a sector's revenue, a target.
    It is kept so no amount in an article is silently lost, and it never feeds investment totals.

    Every record keeps the article it came from and the exact sentence.
    `amount_yi` is in units of 1e8 of `currency`. Only amount_kind == "investment"
    may feed investment totals, and batches are never summed with projects.
    """

    id: str
    kind: str  # project | batch | stat
    article_id: str
    sentence: str
    name: str | None = None
    company: str | None = None
    amount_yi: float | None = None
    amount_max_yi: float | None = None
    amount_kind: str | None = None
    amount_text: str | None = None
    currency: str | None = None
    qualifier: str | None = None
    project_count: int | None = None
    chain: str | None = None
    chain_keyword: str | None = None
    origin_region: str | None = None
    origin_place: str | None = None
    stage: str | None = None
    date: str | None = None
    date_end: str | None = None
    place_text: str | None = None
    precision: str = "unresolved"
    lon: float | None = None
    lat: float | None = None
    county_adcode: str | None = None
    county: str | None = None
    city_adcode: str | None = None
    city: str | None = None
    zone: str | None = None
    place_adcodes: list[str] = field(default_factory=list)
    sentence_start: int | None = None
    corrected: bool = False
    # The sentence as printed, when the article was converted from traditional characters.
    sentence_original: str | None = None
