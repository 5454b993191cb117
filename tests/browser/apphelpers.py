"""Helpers shared by the app's browser tests: waiting for Streamlit runs and reading the map iframe.

The st_folium iframe is replaced on every script run, so never hold a Frame object across a
rerun: go through `map_frame(page)`, a FrameLocator that finds the current iframe each time.
"""
import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from playwright.sync_api import expect

REPO = Path(__file__).resolve().parents[2]
STREAMLIT_START_TIMEOUT_S = 60
MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"
TIMEOUT_MS = 30_000
# Markers drawn right now: singles plus the sizes of the clusters (all of Shanxi is in view).
MARKER_TOTAL_JS = """() => {
  let n = document.querySelectorAll('path.geo-marker').length;
  document.querySelectorAll('.marker-cluster span').forEach(s => { n += parseInt(s.textContent, 10); });
  return n;
}"""


def map_frame(page):
    """The current map iframe (re-resolved on every use)."""
    return page.frame_locator(MAP_FRAME)


def settled(page) -> None:
    """Wait for the script run to end: no "Running" widget, no stale element, one map iframe."""
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=TIMEOUT_MS)
    expect(page.locator("[data-stale='true']")).to_have_count(0, timeout=TIMEOUT_MS)
    expect(page.locator(MAP_FRAME)).to_have_count(1, timeout=TIMEOUT_MS)
    expect(map_frame(page).locator("path.geo-county")).to_have_count(117, timeout=TIMEOUT_MS)


def marker_total(page) -> int:
    """Project markers on the map now (cluster icons appear after the first zoom animation)."""
    page.wait_for_timeout(800)
    return map_frame(page).locator("body").evaluate(MARKER_TOTAL_JS)


def click_first_marker(page):
    """Open the popup of the first single project marker; returns the popup locator.

    Waits for the script run to settle first: during a rerun the old and the new map iframe
    are both on the page for a moment, and the click would hit either (seen once on CI)."""
    settled(page)
    frame = map_frame(page)
    frame.locator("path.geo-marker").first.dispatch_event("click", timeout=TIMEOUT_MS)
    return frame.locator(".leaflet-popup-content")


@contextlib.contextmanager
def run_streamlit(script_path: Path | str, env: dict[str, str] | None, log_dir: Path,
                  args: list[str] | None = None, warm: bool = False):
    """`streamlit run` a script headless on a free 127.0.0.1 port; yields its URL, stops it after.

    `args` are appended to the command line (a repeated option overrides the default above it).
    `warm`: start it as scripts/run_app.sh does, `python -m geo.web.serve` (the script must be app.py).

    The server runs with cwd = repo root (so .streamlit/config.toml applies); its output goes to
    <log_dir>/streamlit-<port>.log, shown when it fails to start.
    """
    script = Path(script_path).resolve()
    if not script.is_file():
        raise FileNotFoundError(f"streamlit script not found: {script}")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log_path = Path(log_dir) / f"streamlit-{port}.log"
    if warm and script != REPO / "app.py":
        raise ValueError(f"geo.web.serve starts app.py only, not {script}")
    start = [sys.executable, "-m", "geo.web.serve"] if warm else [sys.executable, "-m", "streamlit", "run", str(script)]
    cmd = [*start, "--server.address", "127.0.0.1",
           "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none", *(args or [])]
    with open(log_path, "wb") as log_file:
        proc = subprocess.Popen(cmd, cwd=REPO, env={**os.environ, **(env or {})}, stdout=log_file,
                                stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, proc, log_path)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_until_up(url: str, proc: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + STREAMLIT_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}:\n{log_path.read_text()[-3000:]}")
        with contextlib.suppress(urllib.error.URLError, ConnectionError, TimeoutError):
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        time.sleep(0.2)
    raise RuntimeError(f"streamlit did not answer within {STREAMLIT_START_TIMEOUT_S}s:\n"
                       f"{log_path.read_text()[-3000:]}")
