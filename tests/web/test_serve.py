"""geo.web.serve: where the app's store is, and the warm start's cache filling."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from geo.web import serve

REPO = Path(__file__).resolve().parents[2]


def test_store_location_follows_geo_db(monkeypatch, tmp_path):
    monkeypatch.delenv("GEO_DB", raising=False)
    assert serve.store_location(tmp_path) == tmp_path / "data" / "projects.gpkg"
    monkeypatch.setenv("GEO_DB", str(tmp_path / "x.gpkg"))
    assert serve.store_location(tmp_path) == tmp_path / "x.gpkg"
    monkeypatch.setenv("GEO_DB", "postgresql://u@localhost//db")
    assert serve.store_location(tmp_path) == "postgresql://u@localhost//db"  # a URL is not folded into a Path


def test_warm_computes_the_first_screen_the_app_then_reuses(tmp_path):
    """The store is read and the unfiltered map built into the shared caches; the app's first run
    (streamlit_folium imported outside a script run, then registered by the app) builds no map."""
    from geo import pipeline

    db = tmp_path / "projects.gpkg"
    pipeline.build(REPO / "seeds", db)
    code = (f"import os; from pathlib import Path; from geo.web import caches, mapview, serve\n"
            f"db = Path({str(db)!r}); os.environ['GEO_DB'] = str(db); serve.warm(db)\n"
            f"calls = []; real_load, real_build = caches.view.load_view, mapview.build_map\n"
            f"caches.view.load_view = lambda *a, **k: calls.append('load') or real_load(*a, **k)\n"
            f"mapview.build_map = lambda *a, **k: calls.append('map') or real_build(*a, **k)\n"
            f"from streamlit.testing.v1 import AppTest\n"
            f"at = AppTest.from_file({str(REPO / 'app.py')!r}, default_timeout=300).run()\n"
            f"assert not at.exception, at.exception\n"
            f"assert at.metric[0].value != '0', at.metric[0].value\n"
            f"assert calls == [], calls  # served from the caches warm() filled\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]


def test_warm_leaves_a_missing_store_alone(tmp_path):
    serve.warm(tmp_path / "none.gpkg")
    assert not (tmp_path / "none.gpkg").exists()
