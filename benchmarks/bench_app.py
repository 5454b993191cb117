"""App benchmark: `.venv/bin/python benchmarks/bench_app.py --records 10000 [--sessions 5]`.

Drives the real app.py on a fixed-seed synthetic store (real county boundaries) and prints figures,
then, as its LAST line, one JSON object: records, first_load_s, filter_change_s, payload_mb, rss_mb,
concurrent {...}. A benchmark, not a timed test: figures move with the machine and its load.

1. In process, with Streamlit's AppTest (server side only, no browser):
   - cold run: the first script run of the process (store read, caches empty);
   - first_load_s: median first run of a NEW session on the warm server (what a new user waits);
   - filter_change_s: median of >= 5 runs, each after changing the chain filter to all chains but
     one (most records stay selected); the same for "one chain only" is printed too;
     filter_change_cpu_s: the CPU seconds of those runs (median; steadier on a shared machine);
   - no-change rerun: median of reruns with nothing changed.
2. A real `streamlit run` server, driven over its websocket (/_stcore/stream) as the browser does:
   - payload_mb: bytes of every ForwardMsg of one session's first load (the map HTML, the table's
     Arrow bytes, widget options … all travel in these messages; media such as download files are
     fetched separately and only on click);
   - concurrent: K sessions at once, each a first load then 3 chain-filter changes; latency of each
     script run (p50 / p95 / max), wall time, the server's CPU seconds for all of them, the server's
     RSS after the runs and after the sessions closed (rss_mb = the peak).
`--app PATH` benchmarks another copy of app.py (e.g. an older commit unpacked with `git archive`);
its own geo/ package is used by the server part (the script's folder comes first on sys.path).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "browser"))

from apphelpers import run_streamlit  # noqa: E402
from geo import synthetic  # noqa: E402
from geo.places import spatial
from geo.store.gpkg import write_store  # noqa: E402

CHAIN_LABEL = "产业链 Industry chain"


def make_store(n: int, folder: Path) -> Path:
    """A store of `n` synthetic records (seed 7) over the real counties, written to `folder`."""
    counties = spatial.load_counties(simplified=True)
    records, articles = synthetic.synthetic_records(n, counties, seed=7)
    db = folder / "bench.gpkg"
    write_store(db, articles, records)
    return db


def _rss_mb(pid: int | None = None) -> float:
    """Resident set size in MB of `pid` (this process when None), from /proc."""
    status = Path(f"/proc/{pid or 'self'}/status").read_text()
    line = next(x for x in status.splitlines() if x.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


_CPU: list[float] = []  # CPU seconds of each timed run (this process, all threads): steadier than wall time


def _timed_run(at) -> float:
    t0, c0 = time.perf_counter(), time.process_time()
    at.run()
    elapsed = time.perf_counter() - t0
    _CPU.append(time.process_time() - c0)
    if at.exception:
        raise RuntimeError(f"app raised: {at.exception[0].value}")
    return elapsed


def apptest_figures(app: Path, db: Path, repeat: int) -> dict:
    """Server-side seconds per script run, measured with AppTest in this process."""
    from streamlit.testing.v1 import AppTest

    os.environ["GEO_DB"] = str(db)
    cold = _timed_run(first := AppTest.from_file(str(app), default_timeout=900))
    loads = [_timed_run(AppTest.from_file(str(app), default_timeout=900)) for _ in range(3)]
    at = first
    chains = at.multiselect(key="f_chains").options
    broad, narrow, broad_cpu = [], [], []
    for i in range(repeat):  # all chains but one (most records stay), then one chain only
        at.multiselect(key="f_chains").set_value([c for c in chains if c != chains[i % len(chains)]])
        broad.append(_timed_run(at))
        broad_cpu.append(_CPU[-1])
        at.multiselect(key="f_chains").set_value([chains[(i + 1) % len(chains)]])
        narrow.append(_timed_run(at))
    at.multiselect(key="f_chains").set_value([])
    _timed_run(at)
    reruns = [_timed_run(at) for _ in range(repeat)]
    return {"cold_run_s": cold, "first_load_s": statistics.median(loads),
            "filter_change_s": statistics.median(broad), "filter_changes_s": broad,
            "filter_change_cpu_s": statistics.median(broad_cpu),
            "narrow_change_s": statistics.median(narrow),
            "rerun_s": statistics.median(reruns), "rss_in_process_mb": _rss_mb(),
            "peak_rss_in_process_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


# --- a real server over its websocket -------------------------------------------------------


class Session:
    """One browser-like websocket session: sends reruns, counts the bytes of the answers."""

    def __init__(self, url: str, query: str = ""):
        self.ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
        self.query = query
        self.widgets: dict = {}  # label -> (id, formatted options) of multiselects seen
        self.ws = None

    async def connect(self) -> None:
        """Open the websocket with Streamlit's subprotocol."""
        import websockets

        self.ws = await websockets.connect(self.ws_url, subprotocols=["streamlit"], max_size=None,
                                           open_timeout=60, ping_interval=None)

    async def run(self, widget_states=None) -> tuple[float, int]:
        """(seconds, bytes) of one script run: rerun request → script_finished."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = BackMsg()
        msg.rerun_script.query_string = self.query
        if widget_states is not None:
            msg.rerun_script.widget_states.CopyFrom(widget_states)
        t0 = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        total = 0
        while True:
            data = await asyncio.wait_for(self.ws.recv(), timeout=900)
            total += len(data)
            fwd = ForwardMsg()
            fwd.ParseFromString(data)
            kind = fwd.WhichOneof("type")
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                el = fwd.delta.new_element
                if el.WhichOneof("type") == "multiselect":
                    self.widgets[el.multiselect.label] = (el.multiselect.id, list(el.multiselect.options))
            if kind == "script_finished":
                return time.perf_counter() - t0, total

    def chain_state(self, i: int):
        """WidgetStates choosing the i-th chain option in the chain multiselect."""
        from streamlit.proto.WidgetStates_pb2 import WidgetStates

        wid, options = self.widgets[CHAIN_LABEL]
        states = WidgetStates()
        ws = states.widgets.add()
        ws.id = wid
        ws.string_array_value.data[:] = [options[i % len(options)]]
        return states

    async def close(self) -> None:
        """Close the websocket."""
        await self.ws.close()


async def _one_user(url: str, k: int, changes: int) -> list[tuple[str, float]]:
    s = Session(url, query="")
    await s.connect()
    out = []
    sec, _ = await s.run()
    out.append(("load", sec))
    for j in range(changes):
        sec, _ = await s.run(s.chain_state(k + j + 1))
        out.append(("change", sec))
    await s.close()
    return out


def _cpu_s(pid: int) -> float:
    """CPU seconds (user + system) the process `pid` has used so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(q * (len(values) - 1))))]


async def server_figures(url: str, pid: int, sessions: int, changes: int) -> dict:
    """payload of one first load, then `sessions` users at once."""
    first = Session(url)
    await first.connect()
    cold_s, _ = await first.run()  # warms the server (store read); its bytes equal a later load's
    await first.close()
    probe = Session(url)
    await probe.connect()
    load_s, payload = await probe.run()
    change_s, change_bytes = await probe.run(probe.chain_state(1))
    await probe.close()
    rss_one = _rss_mb(pid)
    t0, cpu0 = time.perf_counter(), _cpu_s(pid)
    runs = await asyncio.gather(*(_one_user(url, k, changes) for k in range(sessions)))
    wall, cpu = time.perf_counter() - t0, _cpu_s(pid) - cpu0
    rss_after = _rss_mb(pid)
    await asyncio.sleep(3)
    rss_closed = _rss_mb(pid)
    flat = [sec for user in runs for _, sec in user]
    loads = [sec for user in runs for what, sec in user if what == "load"]
    return {"server_cold_load_s": cold_s, "server_load_s": load_s, "payload_bytes": payload,
            "server_change_s": change_s, "change_bytes": change_bytes, "rss_one_session_mb": rss_one,
            "concurrent": {"sessions": sessions, "runs": len(flat), "wall_s": round(wall, 2),
                           "p50_s": round(_pct(flat, 0.5), 3), "p95_s": round(_pct(flat, 0.95), 3),
                           "max_s": round(max(flat), 3), "load_p95_s": round(_pct(loads, 0.95), 3),
                           "server_cpu_s": round(cpu, 2),
                           "rss_after_mb": round(rss_after, 1), "rss_closed_mb": round(rss_closed, 1)}}


def main() -> None:
    """Build the store, measure, print figures and the JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--sessions", type=int, default=5, help="concurrent websocket sessions")
    parser.add_argument("--changes", type=int, default=3, help="filter changes per concurrent session")
    parser.add_argument("--repeat", type=int, default=5, help="filter changes timed with AppTest (>= 5)")
    parser.add_argument("--app", type=Path, default=REPO / "app.py", help="the app script to drive")
    parser.add_argument("--no-apptest", action="store_true", help="only the real-server figures")
    args = parser.parse_args()
    app = args.app.resolve()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        t0 = time.perf_counter()
        db = make_store(args.records, tmp)
        print(f"store: {args.records} synthetic records (seed 7) written in {time.perf_counter() - t0:.1f} s; "
              f"app: {app}")
        figures: dict = {}
        if not args.no_apptest:
            figures.update(apptest_figures(app, db, max(args.repeat, 5)))
            print(f"AppTest cold first run (store read): {figures['cold_run_s']:.2f} s")
            print(f"AppTest new session on a warm server: {figures['first_load_s']:.2f} s")
            print(f"AppTest filter change, all chains but one (median of {len(figures['filter_changes_s'])}): "
                  f"{figures['filter_change_s']:.3f} s  "
                  f"[{', '.join(f'{x:.2f}' for x in figures['filter_changes_s'])}]")
            print(f"AppTest filter change CPU (median): {figures['filter_change_cpu_s']:.3f} s")
            print(f"AppTest filter change, one chain only (median): {figures['narrow_change_s']:.3f} s")
            print(f"AppTest rerun, nothing changed (median): {figures['rerun_s']:.3f} s")
            print(f"AppTest process RSS: {figures['rss_in_process_mb']:.0f} MB "
                  f"(peak {figures['peak_rss_in_process_mb']:.0f} MB)")
        env = {"GEO_DB": str(db)}
        with run_streamlit(app, env, tmp) as url:
            pid = _server_pid(url)
            srv = asyncio.run(server_figures(url, pid, args.sessions, args.changes))
        c = srv["concurrent"]
        print(f"server: cold first load {srv['server_cold_load_s']:.2f} s; new session {srv['server_load_s']:.2f} s, "
              f"{srv['payload_bytes'] / 1e6:.2f} MB sent; filter change {srv['server_change_s']:.2f} s, "
              f"{srv['change_bytes'] / 1e6:.2f} MB sent; RSS {srv['rss_one_session_mb']:.0f} MB")
        print(f"{c['sessions']} concurrent sessions ({c['runs']} script runs): p50 {c['p50_s']:.2f} s, "
              f"p95 {c['p95_s']:.2f} s, max {c['max_s']:.2f} s, wall {c['wall_s']:.1f} s, server CPU {c['server_cpu_s']:.1f} s; RSS after "
              f"{c['rss_after_mb']:.0f} MB, after closing {c['rss_closed_mb']:.0f} MB")
        result = {
            "records": args.records,
            "first_load_s": round(figures.get("first_load_s", srv["server_load_s"]), 3),
            "filter_change_s": round(figures.get("filter_change_s", srv["server_change_s"]), 3),
            "filter_change_cpu_s": round(figures["filter_change_cpu_s"], 3) if figures else None,
            "payload_mb": round(srv["payload_bytes"] / 1e6, 3),
            "rss_mb": round(max(srv["rss_one_session_mb"], c["rss_after_mb"]), 1),
            "concurrent": c,
        }
        print(json.dumps(result, ensure_ascii=False))


def _server_pid(url: str) -> int:
    """pid of the streamlit process listening on `url`'s port (the child run_streamlit started)."""
    port = int(url.rsplit(":", 1)[1])
    inode = None
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            parts = line.split()
            if int(parts[1].rsplit(":", 1)[1], 16) == port and parts[3] == "0A":  # LISTEN
                inode = parts[9]
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            fds = list((proc / "fd").iterdir())
        except (PermissionError, FileNotFoundError):
            continue
        for fd in fds:
            try:
                if os.readlink(fd) == f"socket:[{inode}]":
                    return int(proc.name)
            except OSError:
                continue
    raise RuntimeError(f"no process listens on port {port}")


if __name__ == "__main__":
    main()
