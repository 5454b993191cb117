"""The command line under faults (issue 11 items 5, 8, 13, 14): unreadable input, unwritable or wrong
paths, killed builds, corrupt stores, empty inputs and unknown filters. Each gives one `error:` line
and exit code 2, or a warning, never a traceback.

Unreadable files are made with chmod. Root reads them anyway, so as root the command runs under
`capsh --drop=cap_dac_override,cap_dac_read_search` (Debian package libcap2-bin), which takes that
power away; the tests fail, not skip, when capsh is missing there.
"""
from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from geo.cli import main
from geo.store.gpkg import read_articles, read_records

REPO = Path(__file__).resolve().parents[1]
FACT = "太原市小店区签约氢能项目，总投资30亿元。"
SECOND = "晋中市太谷区签约新材料项目，总投资20亿元。"


def run_cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """`python -m geo ARGS` in a fresh process without the power to read or write others' files."""
    cmd = [sys.executable, "-m", "geo", *args]
    if os.geteuid() == 0:
        capsh = shutil.which("capsh") or "/sbin/capsh"
        if not Path(capsh).exists():
            pytest.fail("running as root: these tests need capsh (apt-get install libcap2-bin)")
        cmd = [capsh, "--drop=cap_dac_override,cap_dac_read_search", "--", "-c", shlex.join(cmd)]
    return subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=timeout)


def one_error_line(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    (line,) = [x for x in proc.stderr.splitlines() if x.startswith("error: ")]
    return line


@pytest.fixture
def locked(tmp_path):
    """A folder whose modes are restored afterwards, so tmp_path can be cleaned up."""
    touched: list[Path] = []

    def chmod(path: Path, mode: int) -> Path:
        touched.append(path)
        path.chmod(mode)
        return path

    yield chmod
    for path in reversed(touched):
        path.chmod(0o755)


# ---------------------------------------------------------------- 5. unreadable files and folders
def test_unreadable_file_and_sub_folder_are_each_reported(tmp_path, locked):
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "a.txt").write_text(f"甲\n{FACT}", encoding="utf-8")
    (src / "sub" / "b.txt").write_text(f"乙\n{SECOND}", encoding="utf-8")
    (src / "c.txt").write_text(f"丙\n{SECOND}", encoding="utf-8")
    locked(src / "sub", 0o000)
    locked(src / "c.txt", 0o000)
    proc = run_cli("build", "--input", str(src), "--db", str(tmp_path / "p.gpkg"))
    assert proc.returncode == 0, proc.stderr
    assert f"{src / 'sub'}: folder cannot be read (permission denied)" in proc.stdout
    assert f"{src / 'c.txt'}: cannot read (permission denied)" in proc.stdout
    assert "articles: 1 in store" in proc.stdout


def test_nothing_readable_is_an_error(tmp_path, locked):
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "sub" / "b.txt").write_text(f"乙\n{SECOND}", encoding="utf-8")
    (src / "c.txt").write_text(f"丙\n{SECOND}", encoding="utf-8")
    locked(src / "sub", 0o000)
    locked(src / "c.txt", 0o000)
    line = one_error_line(run_cli("build", "--input", str(src), "--db", str(tmp_path / "p.gpkg")))
    assert "nothing could be read" in line and "c.txt" in line and "sub" in line
    assert not (tmp_path / "p.gpkg").exists()
    locked(src, 0o000)
    line = one_error_line(run_cli("build", "--input", str(src), "--db", str(tmp_path / "p.gpkg")))
    assert f"{src}: folder cannot be read" in line


# ---------------------------------------------------------------- 8. unwritable or wrong paths
def test_build_into_a_read_only_folder(tmp_path, locked):
    ro = locked(tmp_path / "ro", 0o555) if (tmp_path / "ro").mkdir() is None else None
    line = one_error_line(run_cli("build", "--input", "seeds", "--db", str(ro / "p.gpkg")))
    assert "not writable" in line and str(ro) in line


def test_store_path_that_is_a_folder(tmp_path, capsys):
    folder = tmp_path / "store"
    folder.mkdir()
    for extra in ([], ["--rebuild"]):
        assert main(["build", "--input", "seeds", "--db", str(folder), *extra]) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: ") and "is a folder" in err and "Traceback" not in err
    assert main(["export", "--db", str(folder)]) == 2
    assert "is a folder" in capsys.readouterr().err


def test_export_into_a_folder_or_a_missing_folder(tmp_path, seeded, capsys):
    assert main(["export", "--db", str(seeded), "--out", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err
    assert main(["export", "--db", str(seeded), "--out", str(tmp_path / "no" / "x.geojson")]) == 2
    assert "does not exist" in capsys.readouterr().err


# ---------------------------------------------------------------- 13. killed builds
def test_temporary_files_of_a_killed_build_are_removed_by_the_next(tmp_path, seeded):
    db = tmp_path / "p.gpkg"
    shutil.copy(seeded, db)
    # What `kill -9` during write_store leaves: the half-written copy and its journal.
    leftovers = [tmp_path / ".p.gpkg.k1ll3d.tmp.gpkg", tmp_path / ".p.gpkg.k1ll3d.tmp.gpkg-journal"]
    for path in leftovers:
        path.write_bytes(b"\0" * 4096)
    other = tmp_path / ".q.gpkg.k1ll3d.tmp.gpkg"  # another store's: not ours to remove
    other.write_bytes(b"x")
    assert main(["build", "--input", "seeds", "--db", str(db)]) == 0
    assert not any(p.exists() for p in leftovers) and other.exists()
    assert len(read_records(db))


def _children(pid: int) -> list[int]:
    kids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                kids.append(int(entry.name))
    return kids


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _threads(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("Threads:")))


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def test_workers_die_with_a_killed_build(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    paragraphs = [p for a in read_articles_from(REPO / "seeds") for p in a.split("\n")]
    for i in range(3):  # each ~850k characters (under the cap), several seconds of work for a worker
        lines = [f"{i}-{j}、{paragraphs[j % len(paragraphs)]}" for j in range(8000)]
        (src / f"{i}.txt").write_text(f"文章{i}\n" + "\n".join(lines), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "geo", "build", "--input", str(src), "--db",
                             str(tmp_path / "p.gpkg"), "--workers", "2"], cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # The input is over LOCAL_CLUSTER_BYTES: the build starts a LocalCluster of 2 worker processes.
        # Wait until both run (their thread watching the parent has started) and have begun extracting.
        deadline = time.monotonic() + 60
        workers: list[int] = []
        while time.monotonic() < deadline and proc.poll() is None:
            workers = [pid for pid in _children(proc.pid) if b"spawn_main" in _cmdline(pid)]
            if len(workers) >= 2 and all(_threads(pid) >= 2 for pid in workers):
                break
            time.sleep(0.02)
        assert len(workers) >= 2, "the build never started its worker processes"
        time.sleep(0.2)
        assert all(map(_alive, workers)) and proc.poll() is None
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        # Dask workers exit when the pipe from their parent closes; without that they would run on to the
        # end of their batch (seconds).
        deadline = time.monotonic() + 1
        while any(map(_alive, workers)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(map(_alive, workers)), "worker processes outlived their killed parent"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def read_articles_from(folder: Path) -> list[str]:
    from geo.ingest.read import ingest_path

    return [a.text for a in ingest_path(folder).articles]


# ---------------------------------------------------------------- 14. messages that lead somewhere
def test_corrupt_store_message_names_a_command_that_works(tmp_path, capsys):
    db = tmp_path / "p.gpkg"
    db.write_bytes(b"\x00" * 4096)
    assert main(["export", "--db", str(db)]) == 2
    err = capsys.readouterr().err
    command = err.split("`")[1]
    assert command.startswith("python -m geo build --rebuild")
    argv = shlex.split(command)[3:]
    argv[argv.index("FOLDER")] = "seeds"
    assert main(argv) == 0
    assert main(["export", "--db", str(db), "--out", str(tmp_path / "x.geojson")]) == 0


def test_rebuild_from_an_empty_folder_needs_force(tmp_path, seeded, capsys):
    db = tmp_path / "p.gpkg"
    shutil.copy(seeded, db)
    empty = tmp_path / "empty"
    empty.mkdir()
    before = len(read_articles(db))
    assert main(["build", "--rebuild", "--input", str(empty), "--db", str(db)]) == 2
    assert "--force" in capsys.readouterr().err
    assert len(read_articles(db)) == before
    assert main(["build", "--rebuild", "--force", "--input", str(empty), "--db", str(db)]) == 0
    assert len(read_articles(db)) == 0


def test_export_with_an_unknown_chain_warns(tmp_path, seeded, capsys):
    out = tmp_path / "x.geojson"
    assert main(["export", "--db", str(seeded), "--chain", "不存在的链", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "chain '不存在的链' is unknown" in err and "氢能" in err
    assert "no record matches" in err
    assert json.loads(out.read_text(encoding="utf-8"))["features"] == []
    assert main(["export", "--db", str(seeded), "--chain", "氢能", "--out", str(out)]) == 0
    assert "warning" not in capsys.readouterr().err


@pytest.mark.parametrize("url, reason", [
    ("https://news.example.cn/a?q=<script>", "contains '<'"),
    ("https://news.example.cn/a?x=1>2", "contains '>'"),
    ("ftp://news.example.cn/a", "must start with http"),
])
def test_pasted_url_is_refused_with_the_right_reason(tmp_path, url, reason):
    from geo.web import uploads

    (result,) = uploads.add_pasted(tmp_path / "p.gpkg", FACT, url=url).results
    assert result.status == "rejected" and reason in result.message


def test_app_never_shows_tracebacks_to_users():
    import tomllib

    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] in (False, "none")
