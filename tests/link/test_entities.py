"""Project entities in the store: linkage at build time, the projects layer, export, counting once,
and analysts' merges and splits. Every article here is invented for the tests.

The store tests run on both backends (`new_db`: a GeoPackage file, a fresh PostGIS database)."""
from __future__ import annotations

import json

import pytest

from geo.link import entities
from geo.store import corrections, export, query
from geo.models import Article
from geo.pipeline import add_articles, relink
from geo.store.backend import open_store

# Invented: one project (鸿远玻纤, 原平市) reported three times, and an unrelated project in 代县.
ARTICLES = [
    ("2022-05-12", "原平市签约鸿远玻纤智造项目",
     "5月10日，原平市举行招商引资签约仪式，鸿远玻璃纤维有限公司投资建设的年产30万吨高性能玻璃纤维智造项目成功签约，"
     "总投资35亿元。"),
    ("2023-03-02", "原平市重点项目集中开工",
     "3月1日，原平市鸿远玻纤项目开工建设，该项目总投资35.3亿元，建成后将新增就业岗位800个。"),
    ("2024-06-03", "鸿远玻纤项目投产",
     "6月1日，位于原平经济技术开发区的鸿远玻纤年产30万吨高性能玻璃纤维智造项目正式投产，项目总投资35.3亿元。"),
    ("2023-08-20", "代县北辰储能电站开工",
     "8月18日，代县北辰储能电站项目开工，项目总投资6亿元。"),
]


def articles(items=ARTICLES) -> list[Article]:
    return [Article(id=f"invented-{d}", source=f"invented-{d}.txt", title=t, date=d, text=x) for d, t, x in items]


@pytest.fixture
def store(new_db):
    db = new_db()
    add_articles(db, articles())
    return db


def read_records(db):
    return open_store(db).read_records()


def _projects(db):
    return read_records(db).query("kind == 'project'")


def test_three_reports_are_one_entity_with_history(store):
    recs = _projects(store)
    assert len(recs) == 4
    assert recs["project_uid"].notna().all()
    assert recs["project_uid"].nunique() == 2
    layer = entities.read_projects(store)
    assert len(layer) == 2
    glass = layer[layer["member_count"] == 3].iloc[0]
    assert glass["current_stage"] == "in_production"
    assert glass["first_date"] == "2022-05-10" and glass["last_date"] == "2024-06-01"
    assert glass["amount_yi"] == pytest.approx(35.3)  # the latest report's figure, not 35 + 35.3 + 35.3
    assert glass["stages"] == "2022-05-10 signed; 2023-03-01 started; 2024-06-01 in_production"
    assert glass["county_adcode"] == "140981" and glass.geometry is not None
    assert (glass["signed_date"], glass["started_date"], glass["production_date"]) == (
        "2022-05-10", "2023-03-01", "2024-06-01")


def test_totals_count_the_project_once(store):
    recs = read_records(store)
    totals = query.summary(recs)
    assert totals["records"] == len(recs)
    assert totals["projects"] == 2
    assert totals["investment_yi"] == pytest.approx(35.3 + 6.0)
    counties = recs[["county_adcode", "county"]].dropna().drop_duplicates() \
        .rename(columns={"county_adcode": "adcode", "county": "name"})
    metrics = query.county_metrics(recs, counties).set_index("adcode")
    assert metrics.loc["140981", "investment_yi"] == pytest.approx(35.3)
    assert metrics.loc["140981", "project_count"] == 1
    # a selection holding only the earliest report still counts the project, with that report's figure
    early = recs[recs["date"] == "2022-05-10"]
    assert query.summary(early)["investment_yi"] == pytest.approx(35.0)
    # without linkage the same store would have counted it three times
    assert query.summary(recs.drop(columns="project_uid"))["investment_yi"] == pytest.approx(35 + 35.3 * 2 + 6)


def test_export_carries_project_uid(store):
    recs = read_records(store)
    features = json.loads(export.to_geojson(recs))["features"]
    uids = {f["properties"]["id"]: f["properties"]["project_uid"] for f in features}
    assert set(uids.values()) == set(recs["project_uid"].dropna())
    assert "project_uid" in export.to_csv(recs).splitlines()[0]


def test_incremental_build_relinks_the_whole_store(new_db):
    db = new_db()
    add_articles(db, articles(ARTICLES[:1]))
    first_uid = _projects(db)["project_uid"].iloc[0]
    add_articles(db, articles(ARTICLES[1:]))
    recs = _projects(db)
    glass = recs[recs["project_uid"] == first_uid]
    assert len(glass) == 3  # the later reports joined the entity of the first, which kept its id


def test_merge_and_split_survive_a_rebuild(store):
    recs = _projects(store)
    started = recs[recs["date"] == "2023-03-01"]["id"].iloc[0]
    storage = recs[recs["name"].str.contains("储能", na=False)]["id"].iloc[0]
    entities.split(store, started, author="analyst")
    assert _projects(store)["project_uid"].nunique() == 2  # the layers change only when relinked
    relink(store)
    recs = _projects(store)
    assert recs["project_uid"].nunique() == 3
    entities.merge(store, started, storage, note="invented: same site")
    relink(store)
    recs = _projects(store)
    assert recs.set_index("id").loc[started, "project_uid"] == recs.set_index("id").loc[storage, "project_uid"]
    assert recs["project_uid"].nunique() == 2
    add_articles(store, articles(), rebuild=True)  # made anew from the articles: the log is replayed
    again = _projects(store).set_index("id")
    assert again.loc[started, "project_uid"] == again.loc[storage, "project_uid"]
    assert [c.action for c in corrections.load_links(store)] == ["split", "merge"]


def test_linkage_corrections_are_checked(store):
    batch_free = _projects(store)["id"].iloc[0]
    with pytest.raises(corrections.CorrectionError, match="no record"):
        entities.split(store, "no-such-record")
    with pytest.raises(corrections.CorrectionError, match="two different"):
        corrections.save_link(store, "merge", batch_free, batch_free)
    with pytest.raises(corrections.CorrectionError, match="must be one of"):
        corrections.save_link(store, "join", batch_free)


def test_cli_link_merge_split_and_errors(store, new_db, capsys):
    from geo.cli import main

    recs = _projects(store)
    started = recs[recs["date"] == "2023-03-01"]["id"].iloc[0]
    storage = recs[recs["name"].str.contains("储能", na=False)]["id"].iloc[0]
    assert main(["link", "--db", str(store)]) == 0
    assert "linked 4 project records into 2 projects" in capsys.readouterr().out
    assert main(["link", "--db", str(store), "--split", started, "--author", "analyst"]) == 0
    assert "into 3 projects" in capsys.readouterr().out
    assert main(["link", "--db", str(store), "--split", "nope"]) == 2
    assert "no record 'nope'" in capsys.readouterr().err
    assert main(["link", "--db", str(store), "--merge", started, storage]) == 0
    assert "into 2 projects" in capsys.readouterr().out
    linked = _projects(store).set_index("id")["project_uid"]
    assert linked[started] == linked[storage]
    assert main(["link", "--db", str(new_db())]) == 2
    assert "no store" in capsys.readouterr().err


def test_recovering_the_log_keeps_linkage_decisions(tmp_path):
    db = tmp_path / "projects.gpkg"
    corrections.save_link(db, "merge", "rec-a", "rec-b", author="analyst")
    corrections.save_link(db, "split", "rec-c")
    result = corrections.recover(db)
    assert result.kept == 0
    assert [(c.action, c.record_id, c.other_id) for c in corrections.load_links(db)] == [
        ("merge", "rec-a", "rec-b"), ("split", "rec-c", None)]


def test_hidden_records_leave_their_project_when_relinked(store):
    recs = _projects(store)
    started = recs[recs["date"] == "2023-03-01"]["id"].iloc[0]
    corrections.save(store, started, "hide", note="invented: wrong record")
    relink(store)
    recs = _projects(store).set_index("id")
    assert recs.loc[started, "project_uid"] is None
    assert entities.read_projects(store)["member_count"].sort_values().tolist() == [1, 2]


def test_city_totals_flows_and_charts_count_the_project_once(store):
    from geo.web import charts, mapview

    recs = read_records(store)
    recs.loc[recs["kind"] == "project", "origin_region"] = "guangdong"  # invented origin, for the flows
    cities = recs[["city_adcode", "city"]].dropna().drop_duplicates() \
        .rename(columns={"city_adcode": "adcode", "city": "name"})
    totals = query.city_totals(recs, cities).set_index("adcode")
    assert totals.loc["140900", "investment_yi"] == pytest.approx(35.3 + 6.0)
    assert totals.loc["140900", "project_count"] == 2
    assert mapview.flow_table(recs)["amount_yi"].sum() == pytest.approx(35.3 + 6.0)
    assert charts.chain_totals(recs)["amount_yi"].sum() == pytest.approx(35.3 + 6.0)
    assert query.count_once(recs.drop(columns="project_uid")) is not None  # no uid column: unchanged


def test_a_build_killed_before_relinking_is_relinked_by_the_next_build(store):
    assert not entities.links_stale(store)
    # What a build killed between writing the records and relinking leaves: records without links.
    extra = articles([("2024-09-01", "鸿远玻纤二号线（虚构）", "9月1日，原平市鸿远玻纤项目二号生产线投产，项目总投资35.3亿元。")])
    from geo.pipeline import process

    records, _ = process(extra)
    open_store(store).update(set(), extra, records)
    assert entities.links_stale(store)
    add_articles(store, [])  # nothing new: the next build still relinks the store
    assert not entities.links_stale(store)
    assert _projects(store)["project_uid"].notna().all()


def test_both_backends_keep_the_same_linkage(pg_url, tmp_path):
    gpkg = tmp_path / "projects.gpkg"
    for db in (gpkg, pg_url):
        add_articles(db, articles())
        started = _projects(db).query("date == '2023-03-01'")["id"].iloc[0]
        entities.split(db, started, note="invented")
        relink(db)
    assert read_records(pg_url).to_json() == read_records(gpkg).to_json()  # every column, project_uid too
    assert entities.read_projects(pg_url).to_json() == entities.read_projects(gpkg).to_json()
    assert [(c.action, c.record_id) for c in corrections.load_links(pg_url)] == [("split", started)]
