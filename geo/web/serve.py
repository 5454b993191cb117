"""How the app is served: where its store is, and `python -m geo.web.serve`, a warm start.

`streamlit run app.py` reads nothing before the first browser session runs the script, and that
run pays the imports (~1.5 s), the store read and the first map before anything is drawn, while the
server sat idle as the browser loaded Streamlit's page. `python -m geo.web.serve [streamlit options]`
is the same `streamlit run app.py`, with a thread that, once the server is up, imports the first
screen's modules, reads the store and computes the unfiltered view (selection, map, first table
page, chart, projects) into geo.web.caches (shared by every session) while the browser loads
Streamlit's page, so the first session finds them ready.
streamlit_folium imported in that thread is registered by the app's first run
(caches.folium_component). The thread lets the server's own thread have the interpreter every
0.5 ms (not 5) while it works, so Streamlit's page is sent while it computes.
scripts/run_app.sh starts the app this way.
"""
from __future__ import annotations

import logging
import os
import sys
import threading
import time
from pathlib import Path

logger = logging.getLogger("geo.web.serve")

ROOT = Path(__file__).resolve().parents[2]  # the repository: app.py, data/, seeds/
WARM_SWITCH_INTERVAL_S = 0.0005  # while warming: the server thread waits at most this long for the GIL
RUNTIME_WAIT_S = 60  # how long the warm-up waits for Streamlit's runtime (st.cache_data needs it)


def store_location(root: Path = ROOT) -> Path | str:
    """The app's store: GEO_DB (a GeoPackage file or a postgresql:// URL), else <root>/data/projects.gpkg."""
    db = os.environ.get("GEO_DB", str(Path(root) / "data" / "projects.gpkg"))
    return db if "://" in db else Path(db)  # a URL stays a string (Path would fold its //)


def warm(db: Path | str) -> None:
    """Import what the first screen needs, read the store at `db` and compute its unfiltered view.

    A missing store is left alone (the first session builds it, or says why it cannot), and an
    unreadable one too: the first session reads it again and shows the error.
    """
    from geo.errors import GeoError
    from geo.store.backend import open_store
    from geo.web import caches  # pandas, geopandas and folium: most of the imports' time
    import streamlit_folium  # noqa: F401  (folium's plugins: registered by the first run)

    try:
        caches.load_boundaries()
        if not open_store(db).exists():
            return
        caches.first_screen(db)
    except GeoError as exc:
        logger.info("warm start skipped: %s", exc)


def _runtime_ready(timeout_s: float) -> bool:
    """Wait until Streamlit's runtime exists (True), or `timeout_s` (False)."""
    from streamlit.runtime import Runtime

    deadline = time.monotonic() + timeout_s
    while not Runtime.exists():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _warm_in_background(db: Path | str) -> None:
    """warm(db) once the server is up (its cache_data parts need the runtime), yielding the GIL often."""
    if not _runtime_ready(RUNTIME_WAIT_S):
        return
    interval = sys.getswitchinterval()
    sys.setswitchinterval(WARM_SWITCH_INTERVAL_S)
    try:
        warm(db)
    finally:
        sys.setswitchinterval(interval)


def main(argv: list[str] | None = None) -> None:
    """`streamlit run app.py [argv]`, with the caches warmed in a thread meanwhile."""
    from streamlit.web import cli

    threading.Thread(target=_warm_in_background, args=(store_location(),), name="warm-caches", daemon=True).start()
    sys.argv = ["streamlit", "run", str(ROOT / "app.py"), *(sys.argv[1:] if argv is None else argv)]
    cli.main()


if __name__ == "__main__":
    main()
