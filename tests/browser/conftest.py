"""Shared fixtures for end-to-end tests in headless Chromium (Playwright's Python client).

- `browser` (session): Debian's /usr/bin/chromium; the test FAILS (never skips) if it is missing.
- `page`: a fresh page whose requests are recorded by `net_log`; at teardown any request to a
  non-localhost host, any failed request and any HTTP status >= 400 fails the test.
  Call `net_log.assert_clean()` in the test to fail there instead (console errors included).
- `save_screenshot(page, name)`: PNG under artifacts/screenshots/ (repo root, gitignored).
- `static_server(folder)`: serves a folder over http on 127.0.0.1:<free port>, returns its URL.
- `streamlit_app(script_path, env=None)`: `streamlit run` headless on 127.0.0.1:<free port>
  from the repo root (so .streamlit/config.toml applies), waits until it answers, returns its
  URL; stopped at teardown. Static files are served from the `static/` folder NEXT TO THE
  SCRIPT: for a script outside the repo, symlink <script dir>/static -> <repo>/static.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from apphelpers import run_streamlit

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOT_DIR = REPO / "artifacts" / "screenshots"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
# Schemes that never touch the network.
LOCAL_SCHEMES = {"data", "blob", "about", "file", "chrome", "chrome-extension", "devtools"}


def pytest_collection_modifyitems(items):
    """Everything under tests/browser/ is a browser test, marked or not."""
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.browser)


@dataclass
class NetLog:
    """Requests, failures and console errors seen by one browser context."""

    requests: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    reported: bool = False
    # Switched off just before pages close: closing aborts in-flight requests, which is no fault.
    recording: bool = True

    def on_request(self, request) -> None:
        if not self.recording:
            return
        self.requests.append(request.url)
        if not is_local_url(request.url):
            self.external.append(request.url)

    def on_failed(self, request) -> None:
        if not self.recording:
            return
        self.failed.append(f"{request.url} ({request.failure})")

    def on_response(self, response) -> None:
        if self.recording and response.status >= 400:
            self.failed.append(f"{response.url} (HTTP {response.status})")

    def on_console(self, message) -> None:
        if self.recording and message.type == "error":
            self.console_errors.append(f"{message.text} @ {message.location.get('url', '')}")

    def on_page_error(self, error) -> None:
        if not self.recording:
            return
        self.console_errors.append(f"uncaught: {error}")

    def watch(self, page) -> None:
        """Record console errors and uncaught exceptions of `page` (requests come from the context)."""
        page.on("console", self.on_console)
        page.on("pageerror", self.on_page_error)

    def problems(self, console: bool = True) -> list[str]:
        """Human-readable list of everything that breaks the offline rule."""
        found = [f"external request: {u}" for u in self.external]
        found += [f"failed request: {u}" for u in self.failed]
        if console:
            found += [f"console error: {e}" for e in self.console_errors]
        return found

    def assert_clean(self, console: bool = True) -> None:
        """Fail the test on any external/failed request (and console error unless console=False)."""
        found = self.problems(console)
        if found:
            self.reported = True
            pytest.fail("browser problems:\n  " + "\n  ".join(found[:30]), pytrace=False)


def is_local_url(url: str) -> bool:
    """True for URLs that stay on this machine (localhost hosts or network-free schemes)."""
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return (parts.hostname or "") in LOCAL_HOSTS


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium; fails (not skips) when it is not installed."""
    if not CHROMIUM.is_file():
        pytest.fail(
            f"{CHROMIUM} not found: install it with `apt-get install -y chromium fonts-wqy-microhei` "
            "(browser tests must run, they are never skipped)",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def net_log() -> NetLog:
    """The request/console recorder of the `page` fixture."""
    return NetLog()


@pytest.fixture
def context(browser, net_log):
    """A fresh browser context (1280x900, zh-CN) whose traffic goes into `net_log`."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN",
                              service_workers="block")
    ctx.on("request", net_log.on_request)
    ctx.on("requestfailed", net_log.on_failed)
    ctx.on("response", net_log.on_response)
    yield ctx
    net_log.recording = False
    ctx.close()
    if not net_log.reported:
        found = net_log.problems(console=False)
        if found:
            pytest.fail("browser problems:\n  " + "\n  ".join(found[:30]), pytrace=False)


@pytest.fixture
def page(context, net_log):
    """A page in `context`, with console errors recorded in `net_log`."""
    pg = context.new_page()
    net_log.watch(pg)
    yield pg
    net_log.recording = False
    pg.close()


@pytest.fixture
def save_screenshot():
    """Return save(page, name, full_page=False) -> Path under artifacts/screenshots/."""

    def save(page, name: str, full_page: bool = False) -> Path:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOT_DIR / (name if name.endswith(".png") else f"{name}.png")
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return save


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def do_GET(self):
        # Chromium asks every site for /favicon.ico; answer it so it does not count as a 404.
        if self.path == "/favicon.ico":
            self.send_response(204)
            self.end_headers()
            return
        super().do_GET()

    def log_message(self, format, *args):  # noqa: A002 - signature fixed by the base class
        pass


@pytest.fixture
def static_server():
    """Return serve(folder) -> "http://127.0.0.1:<port>"; servers stop at teardown."""
    servers = []

    def serve(folder: Path | str) -> str:
        folder = Path(folder)
        if not folder.is_dir():
            raise FileNotFoundError(f"cannot serve {folder}: not a folder")
        handler = functools.partial(_QuietHandler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def streamlit_app(tmp_path):
    """Return start(script_path, env=None, args=None, warm=False) -> URL of a headless streamlit on 127.0.0.1
    (`warm`: started by `python -m geo.web.serve`, as scripts/run_app.sh does).

    `env` entries are added to the current environment. The server runs with cwd = repo root
    (so .streamlit/config.toml applies) and is terminated at teardown; its output goes to
    <tmp_path>/streamlit-<port>.log and is shown if it fails to start.
    """
    with contextlib.ExitStack() as stack:
        def start(script_path: Path | str, env: dict[str, str] | None = None,
                  args: list[str] | None = None, warm: bool = False) -> str:
            return stack.enter_context(run_streamlit(script_path, env, tmp_path, args, warm))

        yield start
