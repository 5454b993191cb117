"""How the app is served: where its store is, and `python -m geo.web.serve`, a warm start.

`streamlit run app.py` reads nothing before the first browser session runs the script, and that
run pays the imports (~1.5 s) and the store read before the map can be drawn, while the server sat
idle as the browser loaded Streamlit's page. `python -m geo.web.serve [streamlit options]` is the
same `streamlit run app.py`, with a thread that meanwhile imports the first screen's modules and
reads the store into geo.web.caches (shared by every session), so the first session finds them ready.
Not streamlit_folium: a component imported outside a script run is never registered (its iframe
stays blank), so app.py's first run imports it.
scripts/run_app.sh starts the app this way.
"""
from __future__ import annotations

import logging
import os
import sys
import threading
from pathlib import Path

logger = logging.getLogger("geo.web.serve")

ROOT = Path(__file__).resolve().parents[2]  # the repository: app.py, data/, seeds/


def store_location(root: Path = ROOT) -> Path | str:
    """The app's store: GEO_DB (a GeoPackage file or a postgresql:// URL), else <root>/data/projects.gpkg."""
    db = os.environ.get("GEO_DB", str(Path(root) / "data" / "projects.gpkg"))
    return db if "://" in db else Path(db)  # a URL stays a string (Path would fold its //)


def warm(db: Path | str) -> None:
    """Import what the first screen needs and read the store at `db` into the app's caches.

    A missing store is left alone (the first session builds it, or says why it cannot), and an
    unreadable one too: the first session reads it again and shows the error.
    """
    from geo.errors import GeoError
    from geo.store.backend import open_store
    from geo.web import caches  # pandas, geopandas and folium: most of the imports' time


    try:
        if open_store(db).exists():
            caches.current_view(db)
        caches.load_boundaries()
    except GeoError as exc:
        logger.info("warm start skipped: %s", exc)


def main(argv: list[str] | None = None) -> None:
    """`streamlit run app.py [argv]`, with the caches warmed in a thread meanwhile."""
    from streamlit.web import cli

    threading.Thread(target=warm, args=(store_location(),), name="warm-caches", daemon=True).start()
    sys.argv = ["streamlit", "run", str(ROOT / "app.py"), *(sys.argv[1:] if argv is None else argv)]
    cli.main()


if __name__ == "__main__":
    main()
