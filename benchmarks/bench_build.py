"""A full build of N synthetic articles: one process against Dask (a LocalCluster, and an existing cluster).

Run: .venv/bin/python benchmarks/bench_build.py [--sizes 1000,3000,10000] [--workers 2]

For each size it writes N short synthetic article files (`geo.synthetic.article_text`, fixed seed, one
file each) and runs `python -m geo build --rebuild` on them, each in a fresh process:

- one process: `--workers 1` (ingest, extract, locate and write in the build's process);
- LocalCluster: `--workers W` (the build starts a LocalCluster of W processes, cleans and extracts
  there, and closes it: start-up included; at every size, although the command line itself keeps
  inputs under `LOCAL_CLUSTER_BYTES` in one process);
- existing cluster: `--scheduler` on a LocalCluster of W workers this script started and warmed up
  beforehand (what a build on a running cluster costs: no start-up).

Printed: wall-clock seconds (interpreter start and imports included), records per second, CPU
seconds of every process working for the build (what the work costs whatever else runs on the
machine), and the peak of the summed RSS of those processes (the build, the Dask workers and, for a
LocalCluster, its resource tracker), sampled every 20 ms. Then, in this process, the parts of a
one-process build (read files / clean and extract / locate and write), the LocalCluster's start-up and
the same clean and extract on it once warm, which give the break-even input size and the estimate for
larger clusters printed at the end.
All runs write the same records (checked). Figures move with the machine's load.
"""
from __future__ import annotations

import argparse
import importlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo import cluster  # noqa: E402
from geo.ingest import read as ingest
from geo.store import gpkg as store
from geo.pipeline import locate  # noqa: E402
from geo.synthetic import write_article_files  # noqa: E402


def tree_rss(procs: list[psutil.Process]) -> int:
    """Summed RSS of these processes and all their descendants (bytes); vanished ones count 0."""
    seen, total = set(), 0
    for proc in procs:
        try:
            family = [proc, *proc.children(recursive=True)]
        except psutil.NoSuchProcess:
            continue
        for p in family:
            if p.pid in seen:
                continue
            seen.add(p.pid)
            try:
                total += p.memory_info().rss
            except psutil.NoSuchProcess:
                pass
    return total


# `python -m geo` with LOCAL_CLUSTER_BYTES = 0, so that --workers W starts a LocalCluster at every size
# (the command line keeps inputs under LOCAL_CLUSTER_BYTES in one process).
_FORCED = ("import sys, geo.cluster; geo.cluster.LOCAL_CLUSTER_BYTES = 0; from geo.cli import main; "
           "sys.exit(main(sys.argv[1:]))")


def cli_build(src: Path, db: Path, args: list[str], also: list[psutil.Process] = ()) -> tuple[float, int, float, int]:
    """Run the build command; returns (seconds, records, CPU seconds, peak summed RSS in bytes).

    CPU seconds are the build's and its reaped children's (LocalCluster workers), from wait4, plus
    what `also` (processes outside its tree working for it: an existing cluster's workers) used meanwhile.
    """
    cpu_before = sum(sum(p.cpu_times()[:2]) for p in also)
    out_file = db.with_suffix(".out")
    start = time.perf_counter()
    with open(out_file, "w") as out:
        proc = subprocess.Popen([sys.executable, "-c", _FORCED, "build", "--rebuild", "--input", str(src), "--db",
                                 str(db), *args], cwd=ROOT, stdout=out, stderr=subprocess.DEVNULL)
    watched = [psutil.Process(proc.pid), *also]
    peak = 0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        peak = max(peak, tree_rss(watched))
        time.sleep(0.02)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime + sum(sum(p.cpu_times()[:2]) for p in also) - cpu_before
    text = out_file.read_text()
    if proc.returncode:
        raise SystemExit(f"build failed ({proc.returncode}):\n{text}")
    records = int(re.search(r"^records: (\d+)", text, re.M).group(1))
    ran_on = re.search(r"^cleaned and extracted in: (.*)$", text, re.M).group(1)
    expect_cluster = "--workers" in args and args[args.index("--workers") + 1] != "1" or "--scheduler" in args
    assert ran_on.startswith("Dask cluster") == expect_cluster, ran_on
    return seconds, records, cpu, peak


def parts(src: Path, db: Path) -> dict:
    """Seconds of each part of a one-process build, timed in this process (imports and tables warm)."""
    fig = {}
    t = time.perf_counter()
    files = ingest.article_files(src, [])
    raws = [ingest.read_raw(f) for f in files]
    fig["read"] = time.perf_counter() - t
    t = time.perf_counter()
    outcomes = cluster.clean_and_extract(raws, ingest.MAX_BYTES)
    fig["clean_extract"] = time.perf_counter() - t
    t = time.perf_counter()
    records = [r for o in outcomes for r in o[2]]
    locate(records)
    store.write_store(db, [o[1] for o in outcomes], records)
    fig["locate_write"] = time.perf_counter() - t
    fig["bytes"] = sum(len(r.data) for r in raws)
    return fig


def task_cpu(raws: list[ingest.RawFile]) -> float:
    """CPU seconds of the calling thread alone to clean and extract `raws` (other threads and processes
    excluded, so load on the machine barely moves it)."""
    start = time.thread_time()
    cluster.clean_and_extract(raws, ingest.MAX_BYTES)
    return time.thread_time() - start


def on_cluster(workers: int, raws: list[ingest.RawFile]) -> tuple[float, float, float]:
    """(seconds to start a LocalCluster as a build does and warm every worker up, seconds to clean and
    extract `raws` on it once warm, results back in this process, `task_cpu` of 2,000 of them on a worker)."""
    from distributed import Client, LocalCluster

    start = time.perf_counter()
    with LocalCluster(**cluster.local_cluster_options(workers)) as local, Client(local) as client:
        raw = ingest.RawFile(Path("warm.txt"), "/warm.txt", 0, 0, "", "太原市签约项目，总投资1亿元。".encode())
        client.gather([client.submit(cluster.clean_and_extract, [raw], ingest.MAX_BYTES, pure=False, workers=[w])
                       for w in client.scheduler_info()["workers"]])
        started = time.perf_counter() - start
        start = time.perf_counter()
        cluster.run(client, raws, ingest.MAX_BYTES)
        seconds = time.perf_counter() - start
        return started, seconds, client.submit(task_cpu, raws[:2000], pure=False).result()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,3000,10000", help="comma-separated article counts")
    ap.add_argument("--workers", type=int, default=2, help="Dask worker processes")
    args = ap.parse_args()
    from distributed import Client, LocalCluster

    w = args.workers
    work = Path(tempfile.mkdtemp(prefix="bench_build_dask_"))
    try:
        with LocalCluster(**cluster.local_cluster_options(w)) as existing, Client(existing) as client:
            client.run(importlib.import_module, "geo.cluster")  # warm: imports done, as on a running cluster
            workers = [psutil.Process(pid) for pid in client.run(os.getpid).values()]
            head = f"{'s':>5} {'records/s':>9} {'CPU s':>6} {'peak MB':>7}"
            print(f"{'articles':>8} {'input MB':>8} | {'1 process':>31} | {f'LocalCluster({w})':>31} | "
                  f"{f'existing cluster ({w})':>31} | speed-up local / existing")
            print(f"{'':>8} {'':>8} | {head} | {head} | {head} |")
            for n in (int(s) for s in args.sizes.split(",")):
                src = work / f"in{n}"
                write_article_files(src, 0, n)
                mb = sum(f.stat().st_size for f in src.iterdir()) / 1e6
                one = cli_build(src, work / f"one{n}.gpkg", ["--workers", "1"])
                local = cli_build(src, work / f"local{n}.gpkg", ["--workers", str(w)])
                remote = cli_build(src, work / f"remote{n}.gpkg", ["--scheduler", existing.scheduler_address],
                                   also=workers)
                same = (store.read_records(work / f"one{n}.gpkg").to_json()
                        == store.read_records(work / f"local{n}.gpkg").to_json()
                        == store.read_records(work / f"remote{n}.gpkg").to_json())
                cells = " | ".join(f"{s:5.1f} {r / s:9.0f} {c:6.1f} {p / 1e6:7.0f}" for s, r, c, p in (one, local, remote))
                print(f"{n:>8} {mb:8.1f} | {cells} | {one[0] / local[0]:.2f}x / {one[0] / remote[0]:.2f}x"
                      f"{'' if same else '  RECORDS DIFFER'}", flush=True)
        n = int(args.sizes.split(",")[-1])
        fig = parts(work / f"in{n}", work / "parts.gpkg")
        raws = [ingest.read_raw(f) for f in ingest.article_files(work / f"in{n}", [])]
        start, on_w, worker_cpu = on_cluster(w, raws)
        here_cpu = task_cpu(raws[:2000])
        serial = fig["read"] + fig["locate_write"]
        rate, rate_w = fig["bytes"] / fig["clean_extract"], fig["bytes"] / on_w
        print(f"\n{n} articles in this process: read files {fig['read']:.2f} s, clean + extract "
              f"{fig['clean_extract']:.2f} s ({rate / 1e6:.2f} MB/s), locate + write {fig['locate_write']:.2f} s")
        print(f"the same clean + extract on a warm LocalCluster({w}): {on_w:.2f} s ({rate_w / 1e6:.2f} MB/s, results "
              f"back here); starting it and warming its workers up: {start:.1f} s")
        print(f"CPU of the task's own thread for 2,000 files: here {here_cpu:.2f} s, in a Dask worker "
              f"{worker_cpu:.2f} s ({100 * (worker_cpu / here_cpu - 1):+.0f} %)")
        if rate_w > rate:
            print(f"break-even input for a LocalCluster({w}) ≈ {start / (1 / rate - 1 / rate_w) / 1e6:.1f} MB "
                  f"(LOCAL_CLUSTER_BYTES = {cluster.LOCAL_CLUSTER_BYTES / 1e6:.1f} MB)")
        else:
            print(f"no break-even now: {w} workers were no faster than one process (other load on the cores?)")
        ratio = worker_cpu / here_cpu
        print(f"estimate on an existing cluster of k workers with free cores (read, locate and write here; "
              f"clean + extract shared, at {ratio:.2f}× the CPU per file measured above; transfer ignored):")
        for k in (1, 2, 4, 8, 16, 32):
            t = serial + fig["clean_extract"] * ratio / k
            print(f"  {k:>2} workers: {t:6.1f} s for {n} articles, {(serial + fig['clean_extract']) / t:5.1f}x "
                  f"of one process")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
