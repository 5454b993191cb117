"""Shared fixtures: small articles and records built in code (no files, fixed values), and a throwaway
PostgreSQL + PostGIS cluster for the PostGIS store tests."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from geo import pipeline
from geo.models import Article, Record
from pgcluster import PgCluster, PgClusterError

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session", autouse=True)
def no_writes_to_data(tmp_path_factory):
    """Point GEO_DB at a temporary store for the whole run, and fail if the tree's data/ store appears.

    app.py falls back to data/projects.gpkg (and builds it when missing) if GEO_DB is unset: an
    AppTest script thread still running after its test restored the environment once did that.
    """

    default = REPO / "data" / "projects.gpkg"
    existed = default.exists()
    previous = os.environ.get("GEO_DB")
    os.environ["GEO_DB"] = str(tmp_path_factory.mktemp("default-store") / "projects.gpkg")
    yield
    if previous is None:
        os.environ.pop("GEO_DB", None)
    else:
        os.environ["GEO_DB"] = previous
    assert existed or not default.exists(), f"the test run wrote {default}"


def make_article(i: int = 1, **kw) -> Article:
    values = dict(id=f"a{i:015d}", source=f"article_{i}.txt", title=f"标题{i}", date="2024-03-14",
                  text="晋中市太谷区签约项目，总投资20亿元。")
    values.update(kw)
    return Article(**values)


def make_record(i: int = 1, **kw) -> Record:
    values = dict(id=f"r{i:04d}", kind="project", article_id="a000000000000001",
                  sentence="晋中市太谷区签约项目，总投资20亿元。", name=f"项目{i}", company="某某科技有限公司",
                  amount_yi=20.0, amount_kind="investment", amount_text="20亿元", currency="CNY",
                  qualifier="exact", chain="新能源汽车", stage="signed", date="2024-03-14",
                  place_text="太谷区", precision="county", lon=112.55, lat=37.42,
                  county_adcode="140703", county="太谷区", city_adcode="140700", city="晋中市",
                  place_adcodes=["140703"])
    values.update(kw)
    return Record(**values)


@pytest.fixture
def sample():
    """Three records of one article: located project, unresolved project, city-level batch."""
    article = make_article()
    records = [
        make_record(1),
        make_record(2, place_text="某地", precision="unresolved", lon=None, lat=None, county_adcode=None,
                    county=None, city_adcode=None, city=None, place_adcodes=[], chain="氢能",
                    name="<script>alert(1)</script>项目"),
        make_record(3, kind="batch", project_count=15, amount_yi=346.8, amount_text="346.8亿元",
                    precision="city", lon=112.75, lat=37.69, county_adcode=None, county=None,
                    place_text="晋中市", place_adcodes=[], name=None, company=None, chain=None),
    ]
    return article, records


@pytest.fixture(scope="session")
def seeded(tmp_path_factory) -> Path:
    """A store built once from seeds/ for the whole run; tests that change it copy it first."""
    db = tmp_path_factory.mktemp("seeded") / "projects.gpkg"
    pipeline.build(REPO / "seeds", db)
    return db


@pytest.fixture(scope="session")
def taixin_counties() -> set[str]:
    """The 12 counties of 太忻一体化经济区 as the seed article 004 lists them (太原 6, 忻州 6)."""
    return {"140108", "140107", "140106", "140109", "140181", "140122",
            "140902", "140921", "140981", "140924", "140923", "140922"}


# -- PostgreSQL + PostGIS: one throwaway cluster for the run, a fresh database per test ----------

@pytest.fixture(scope="session")
def pg_cluster():
    """The run's PostgreSQL cluster (started on first use, stopped at the end); fails if PostgreSQL is missing."""
    try:
        cluster = PgCluster()
    except PgClusterError as exc:  # fail, never skip: the PostGIS store must be tested
        pytest.fail(str(exc), pytrace=False)
    yield cluster
    cluster.stop()


@pytest.fixture
def pg_url(pg_cluster) -> str:
    """A fresh PostGIS database for one test."""
    return pg_cluster.new_database()


@pytest.fixture(params=["gpkg", "postgis"])
def new_db(request, tmp_path):
    """A factory of empty stores of one backend: GeoPackage paths, or PostGIS database URLs.

    Tests taking it run once per backend, so both stores pass the same cases.
    """
    if request.param == "gpkg":
        names = iter(range(1, 1000))
        return lambda: tmp_path / f"store{next(names)}.gpkg"
    cluster = request.getfixturevalue("pg_cluster")
    return cluster.new_database
