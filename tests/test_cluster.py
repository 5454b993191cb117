"""Builds on a real Dask cluster (geo/cluster.py): the same store as one process, small inputs stay local,
bad scheduler addresses are clear errors.

One LocalCluster (2 worker processes) serves the module; builds reach it by its address, as
`build --scheduler` does.
"""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from distributed import LocalCluster

from geo import cluster
from geo.cli import main
from geo.errors import ClusterError
from geo.pipeline import build
from geo.store.gpkg import read_articles, read_records

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def scheduler():
    with LocalCluster(**cluster.local_cluster_options(2)) as local:
        yield local.scheduler_address


@pytest.fixture
def corpus(tmp_path) -> Path:
    """The seeds, every real-world page, and files that ingest warns about or refuses."""
    folder = tmp_path / "in"
    shutil.copytree(REPO / "seeds", folder)
    for page in sorted((REPO / "tests" / "realworld").glob("*/*")):
        if page.suffix in (".txt", ".md"):
            shutil.copy(page, folder / f"{page.parent.name}_{page.name}")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (folder / "gbk.txt").write_bytes("晋城市签约光伏项目，总投资8亿元。".encode("gb18030"))
    (folder / "copy.txt").write_bytes((REPO / "seeds" / "000_2c7220527f8011eb.txt").read_bytes())
    return folder


def _same_build(a, b) -> None:
    """Two builds' stores and summaries hold the same articles, records (every field) and warnings."""
    ra, rb = read_records(a.db), read_records(b.db)
    assert len(ra) > 1000 or len(ra) == len(rb)
    assert ra.to_json() == rb.to_json()
    assert read_articles(a.db).to_json() == read_articles(b.db).to_json()
    assert a.warnings == b.warnings
    assert (a.articles, a.added, a.skipped, a.replaced) == (b.articles, b.added, b.skipped, b.replaced)


def test_cluster_build_equals_one_process_build(scheduler, corpus, tmp_path):
    local = build(corpus, tmp_path / "local.gpkg")
    seen = []
    remote = build(corpus, tmp_path / "remote.gpkg", scheduler=scheduler,
                   progress=lambda i, n, name: seen.append((i, n, name)))
    assert local.ran_on == "this process"
    assert remote.ran_on == f"Dask cluster {scheduler} (2 workers)"
    assert local.articles > 130 and sum(local.records_by_kind.values()) > 900
    _same_build(local, remote)
    assert any("empty" in w for w in remote.warnings) and any("binary" in w for w in remote.warnings)
    assert any("duplicate of" in w for w in remote.warnings) and any("traditional" in w for w in remote.warnings)
    files = [f for f in corpus.iterdir()]
    assert [i for i, _, _ in seen] == list(range(1, len(files) + 1))
    assert {n for _, n, _ in seen} == {len(files)} and {name for *_, name in seen} == {f.name for f in files}


def test_incremental_cluster_build_equals_one_process_build(scheduler, corpus, tmp_path):
    build(corpus, tmp_path / "local.gpkg")
    build(corpus, tmp_path / "remote.gpkg", scheduler=scheduler)
    # The files ingest refused are read again each time, as in one process
    _same_build(build(corpus, tmp_path / "local.gpkg"), build(corpus, tmp_path / "remote.gpkg", scheduler=scheduler))
    (corpus / "000_2c7220527f8011eb.txt").write_text("太原市小店区签约氢能项目，总投资30亿元。", encoding="utf-8")
    (corpus / "new.txt").write_text("晋中市太谷区签约新材料项目，总投资20亿元。", encoding="utf-8")
    local = build(corpus, tmp_path / "local.gpkg")
    remote = build(corpus, tmp_path / "remote.gpkg", scheduler=scheduler)
    assert (remote.added, remote.replaced) == (2, 1) and remote.ran_on.startswith("Dask cluster")
    _same_build(local, remote)


def test_a_small_input_starts_no_cluster(tmp_path, capsys):
    assert main(["build", "--db", str(tmp_path / "p.gpkg"), "--workers", "2"]) == 0
    assert "cleaned and extracted in: this process" in capsys.readouterr().out
    assert sum((REPO / "seeds" / f).stat().st_size for f in (REPO / "seeds").iterdir()) < cluster.LOCAL_CLUSTER_BYTES


def test_nothing_to_clean_needs_no_scheduler(scheduler, tmp_path):
    assert build(REPO / "seeds", tmp_path / "p.gpkg", scheduler=scheduler).ran_on.startswith("Dask cluster")
    again = build(REPO / "seeds", tmp_path / "p.gpkg", scheduler=scheduler)
    assert (again.added, again.skipped, again.ran_on) == (0, 5, "this process")


def test_a_large_input_starts_a_local_cluster(tmp_path, capsys):
    # The command line with LOCAL_CLUSTER_BYTES lowered so that the seeds count as a large input.
    forced = ("import sys, geo.cluster; geo.cluster.LOCAL_CLUSTER_BYTES = 1; from geo.cli import main; "
              "sys.exit(main(sys.argv[1:]))")
    proc = subprocess.run([sys.executable, "-c", forced, "build", "--db", str(tmp_path / "p.gpkg"), "--workers", "2"],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "cleaned and extracted in: Dask cluster tcp://127.0.0.1:" in proc.stdout and "(2 workers)" in proc.stdout
    assert "distributed" not in proc.stderr and "Traceback" not in proc.stderr  # Dask's own logs stay quiet
    single = build(REPO / "seeds", tmp_path / "single.gpkg")
    assert read_records(tmp_path / "p.gpkg").to_json() == read_records(single.db).to_json()
    # --workers 1 never starts one
    assert main(["build", "--db", str(tmp_path / "q.gpkg"), "--workers", "1"]) == 0
    assert "cleaned and extracted in: this process" in capsys.readouterr().out


def _silent_server() -> tuple[socket.socket, str]:
    """A TCP server that is not a Dask scheduler: it answers every connection with an HTTP error."""
    server = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n")

    threading.Thread(target=serve, daemon=True).start()
    return server, f"tcp://127.0.0.1:{server.getsockname()[1]}"


@pytest.mark.parametrize("address, message", [
    ("localhost", "cannot reach a Dask scheduler at 'localhost'"),
    ("http://127.0.0.1:8786", "cannot reach a Dask scheduler at 'http://127.0.0.1:8786'"),
    ("not a Dask server", "does not answer like a Dask scheduler"),
])
def test_bad_scheduler_is_a_clear_error(address, message, tmp_path, capsys):
    server = None
    if address == "not a Dask server":
        server, address = _silent_server()
    try:
        assert main(["build", "--db", str(tmp_path / "p.gpkg"), "--scheduler", address]) == 2
    finally:
        if server is not None:
            server.close()
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and "Traceback" not in err
    assert not (tmp_path / "p.gpkg").exists()


def test_a_scheduler_without_workers_is_a_clear_error(tmp_path, capsys):
    with LocalCluster(**{**cluster.local_cluster_options(1), "n_workers": 0}) as empty:
        assert main(["build", "--db", str(tmp_path / "p.gpkg"), "--scheduler", empty.scheduler_address]) == 2
    assert f"error: the Dask scheduler at {empty.scheduler_address} has no workers" in capsys.readouterr().err


def test_unreachable_scheduler_from_the_command_line(tmp_path):
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]  # free once closed: nothing listens there
    proc = subprocess.run([sys.executable, "-m", "geo", "build", "--db", str(tmp_path / "p.gpkg"),
                           "--scheduler", f"tcp://127.0.0.1:{port}"], cwd=REPO, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"error: cannot reach a Dask scheduler at 'tcp://127.0.0.1:{port}'")
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_a_bad_scheduler_is_a_clear_error_inside_a_running_event_loop():
    """The app's server (and some test tools) call a build from code that runs an event loop."""
    import asyncio

    errors = []

    async def probe():
        try:
            cluster._check_scheduler("tcp://127.0.0.1:1")
        except ClusterError as exc:
            errors.append(exc)

    # A thread of its own, so that no loop another test left behind in this one is in the way.
    worker = threading.Thread(target=asyncio.run, args=(probe(),))
    worker.start()
    worker.join(60)
    assert len(errors) == 1 and "cannot reach a Dask scheduler" in str(errors[0])
