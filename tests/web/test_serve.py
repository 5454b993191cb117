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


def test_warm_fills_the_view_cache_and_leaves_the_map_component_unimported(tmp_path):
    """The store is read into the shared cache; streamlit_folium is not imported (a component imported
    outside a script run is never registered, and its iframe would stay blank)."""
    from geo import pipeline

    db = tmp_path / "projects.gpkg"
    pipeline.build(REPO / "seeds", db)
    code = (f"import sys; from pathlib import Path; from geo.web import caches, serve\n"
            f"db = Path({str(db)!r}); serve.warm(db)\n"
            f"assert 'streamlit_folium' not in sys.modules\n"
            f"calls = []; real = caches.view.load_view\n"
            f"caches.view.load_view = lambda *a, **k: calls.append(a) or real(*a, **k)\n"
            f"v = caches.current_view(db)\n"
            f"assert calls == [] and v.total > 0, calls  # served from the cache warm() filled\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]


def test_warm_leaves_a_missing_store_alone(tmp_path):
    serve.warm(tmp_path / "none.gpkg")
    assert not (tmp_path / "none.gpkg").exists()
