"""Point folium maps at local copies of their JS/CSS so they work with no internet.

folium, its plugins and branca colormaps load Leaflet & co. from CDNs. `localize(m)` rewrites every
element's `default_js` / `default_css` to files under static/vendor/ (served by Streamlit at
/app/static/vendor when `server.enableStaticServing = true`) and raises `OfflineAssetError` for an
external URL with no local copy, so a new plugin cannot silently fall back to a CDN.
`render_html(m)` gives a standalone page, with assets linked from a base URL or inlined.
`light_frame(m, elements)` drops what folium.Map loads for elements the map does not hold.

`ASSETS` is the one table of CDN URL -> vendored file; scripts/vendor_assets.py re-fetches exactly
those files (plus the fonts/images their CSS references) from npm / PyPI.
"""

from __future__ import annotations

import base64
import logging
import mimetypes
import re
import struct
import zlib
from pathlib import Path

import branca.colormap
import folium
from branca.element import Element, Figure, MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

from geo.errors import GeoError

log = logging.getLogger("geo.web.offline")

VENDOR_DIR = Path(__file__).resolve().parents[2] / "static" / "vendor"
DEFAULT_BASE_URL = "/app/static/vendor"

# CDN URL (as emitted by folium 0.20 / branca 0.8) -> path under static/vendor/, spelled
# "<npm package>@<version>/<path inside the package>" so the vendoring script can re-fetch it.
# Where the npm package lacks the CDN's file name, the equivalent file is used (see static/vendor/README.md).
ASSETS: dict[str, str] = {
    # folium.Map
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js": "leaflet@1.9.3/dist/leaflet.js",
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css": "leaflet@1.9.3/dist/leaflet.css",
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery@3.7.1/dist/jquery.min.js",
    "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js":
        "bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js",
    "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/css/bootstrap.min.css":
        "bootstrap@5.2.2/dist/css/bootstrap.min.css",
    # light_frame: Bootstrap's base rules alone
    "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/css/bootstrap-reboot.min.css":
        "bootstrap@5.2.2/dist/css/bootstrap-reboot.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.js":
        "drmonty-leaflet-awesome-markers@2.0.2/js/leaflet.awesome-markers.js",
    "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.css":
        "drmonty-leaflet-awesome-markers@2.0.2/css/leaflet.awesome-markers.css",
    "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css":
        "glyphicons-only-bootstrap@1.0.1/css/bootstrap.min.css",
    "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@6.2.0/css/all.min.css":
        "@fortawesome/fontawesome-free@6.2.0/css/all.min.css",
    "https://cdn.jsdelivr.net/gh/python-visualization/folium/folium/templates/leaflet.awesome.rotate.min.css":
        "folium@0.20.0/folium/templates/leaflet.awesome.rotate.css",
    # MarkerCluster, FastMarkerCluster
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/leaflet.markercluster.js":
        "leaflet.markercluster@1.1.0/dist/leaflet.markercluster.js",
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.css":
        "leaflet.markercluster@1.1.0/dist/MarkerCluster.css",
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.Default.css":
        "leaflet.markercluster@1.1.0/dist/MarkerCluster.Default.css",
    # PolyLineTextPath, AntPath (flow direction cues)
    "https://cdn.jsdelivr.net/npm/leaflet-textpath@1.2.3/leaflet.textpath.min.js":
        "leaflet-textpath@1.2.3/leaflet.textpath.js",
    "https://cdn.jsdelivr.net/npm/leaflet-ant-path@1.1.2/dist/leaflet-ant-path.min.js":
        "leaflet-ant-path@1.1.2/dist/leaflet-ant-path.js",
    # MiniMap
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet-minimap/3.6.1/Control.MiniMap.js":
        "leaflet-minimap@3.6.1/dist/Control.MiniMap.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet-minimap/3.6.1/Control.MiniMap.css":
        "leaflet-minimap@3.6.1/dist/Control.MiniMap.min.css",
    # branca colormaps (LinearColormap, StepColormap) add this one in ColorMap.render()
    "https://cdnjs.cloudflare.com/ajax/libs/d3/3.5.5/d3.min.js": "d3@3.5.5/d3.min.js",
}

# folium.Map loads, for whatever element a map may hold: jQuery (folium.Popup and Map.keep_in_front use
# it), Bootstrap's JS (no folium template does), Leaflet.awesome-markers with glyphicons, Font Awesome and
# its rotation rules (folium.Icon), and Bootstrap's whole stylesheet, of which a map of Leaflet's own
# elements shows only the base rules (box sizing, body font and line height, links, tables, details).
LIGHT_JS = [("leaflet", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js")]
LIGHT_CSS = [("leaflet_css", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css"),
             ("bootstrap_reboot_css", "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/css/bootstrap-reboot.min.css")]

_EXTERNAL = re.compile(r"^(?:https?:)?//", re.IGNORECASE)
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
_INLINE_BASE = "geo-inline-vendor:"
_SCRIPT_TAG = re.compile(r'<script src="' + re.escape(_INLINE_BASE) + r'/([^"]+)"></script>')
_LINK_TAG = re.compile(r'<link rel="stylesheet" href="' + re.escape(_INLINE_BASE) + r'/([^"]+)"/>')
_EXTERNAL_TAG = re.compile(
    r"""<(?:script[^>]*\ssrc|link[^>]*\shref)\s*=\s*["']((?:https?:)?//[^"']+)""", re.IGNORECASE
)


class OfflineAssetError(GeoError, LookupError):
    """A map element needs an external URL that has no local copy in static/vendor/."""

    def __init__(self, url: str, element: str = ""):
        self.url = url
        where = f" (requested by {element})" if element else ""
        super().__init__(
            f"no local copy of {url!r}{where}: add it to geo.web.offline.ASSETS and run "
            "scripts/vendor_assets.py"
        )


def local_url(url: str, base_url: str = DEFAULT_BASE_URL, element: str = "") -> str:
    """Return the local URL for a CDN `url`; non-external URLs come back unchanged.

    Raises OfflineAssetError for an external URL missing from ASSETS.
    """
    if not _EXTERNAL.match(url):
        return url
    rel = ASSETS.get(url)
    if rel is None:
        raise OfflineAssetError(url, element)
    return f"{base_url.rstrip('/')}/{rel}"


def localize(m: folium.Map, base_url: str = DEFAULT_BASE_URL) -> folium.Map:
    """Rewrite the JS/CSS of `m` and every element below it to local copies; return `m`.

    Idempotent. Branca colormaps are swapped for a stand-in that loads d3 locally, because
    streamlit-folium adds hard-coded CDN d3 links for any ColorMap it finds in the tree.
    """
    _localize_element(m, base_url)
    _warn_if_no_max_zoom(m)
    return m


def light_frame(m: folium.Map, elements: tuple[type, ...]) -> bool:
    """Load only Leaflet and Bootstrap's base rules for `m` (LIGHT_JS, LIGHT_CSS); return whether it did.

    Done only when every element below `m` is exactly of a type in `elements` (whose templates use
    Leaflet alone, their own plugin files being kept) and `m` keeps no layer in front (jQuery): any
    other element leaves folium's whole list. Call it before `localize`.
    """
    todo = list(m._children.values())
    while todo:
        elem = todo.pop()
        if type(elem) not in elements:
            return False
        todo += list(getattr(elem, "_children", {}).values())
    if m.objects_to_stay_in_front:
        return False
    m.default_js, m.default_css = list(LIGHT_JS), list(LIGHT_CSS)
    return True


def _warn_if_no_max_zoom(m: folium.Map) -> None:
    # Leaflet takes maxZoom from tile layers; with tiles=None MarkerCluster throws
    # "Map has no maxZoom specified" and nothing clusters.
    has_tiles = any(isinstance(c, folium.TileLayer) for c in m._children.values())
    if isinstance(m, folium.Map) and not has_tiles and not {"maxZoom", "max_zoom"} & set(m.options):
        log.warning("map %s has no tile layer and no maxZoom: pass folium.Map(..., maxZoom=18) "
                    "or marker clusters will fail", m.get_name())


def _localize_element(elem: Element, base_url: str) -> None:
    name = type(elem).__name__
    # Keep the CDN originals so a second call with another base_url starts from them.
    cdn = getattr(elem, "_cdn_assets", None)
    if cdn is None:
        cdn = {attr: list(getattr(elem, attr, None) or []) for attr in ("default_js", "default_css")}
        if any(cdn.values()):
            elem._cdn_assets = cdn
    for attr, links in cdn.items():
        if links:
            # Instance attribute: never mutate the class-level lists shared by every map.
            setattr(elem, attr, [(key, local_url(url, base_url, name)) for key, url in links])
    children = getattr(elem, "_children", {})
    for key, child in list(children.items()):
        if isinstance(child, branca.colormap.ColorMap):
            stand_in = _LocalColormap(child, base_url)
            stand_in._parent = elem
            children[key] = stand_in
        elif isinstance(child, _LocalColormap):
            child.set_base_url(base_url)
        else:
            _localize_element(child, base_url)


class _LocalColormap(JSCSSMixin, MacroElement):
    """Draws a branca colormap legend with d3 from a local file (not a ColorMap to streamlit-folium)."""

    _template = Template(
        "{% macro script(this, kwargs) %}{{ this.colormap_script() }}{% endmacro %}"
    )

    def __init__(self, colormap: branca.colormap.ColorMap, base_url: str):
        super().__init__()
        self._name = "LocalColormap"
        self.colormap = colormap
        self.set_base_url(base_url)

    def set_base_url(self, base_url: str) -> None:
        """Point the d3 link at `base_url`, raising OfflineAssetError if branca's d3 is not vendored."""
        d3_url = self._prepare_colormap()
        self.default_js = [("d3", local_url(d3_url, base_url, "ColorMap"))]

    def _prepare_colormap(self) -> str:
        # ColorMap.render computes the colour domain/range and ticks the template needs, but
        # insists on a Figure root and adds its CDN d3 link there; use a throwaway Figure and
        # read the d3 URL back, so a branca upgrade that changes it is caught by local_url().
        scratch = Figure()
        scratch.add_child(self.colormap)
        self.colormap.render()
        self.colormap._parent = self._parent
        return scratch.header._children["d3"].url

    def colormap_script(self) -> str:
        """The colormap's own legend script, bound to this element's parent map."""
        self.colormap._parent = self._parent
        return self.colormap._template.module.script(self.colormap, {})

    def render(self, **kwargs) -> None:
        """Recompute the colormap (it may have changed since localize) and render it."""
        self._prepare_colormap()
        super().render(**kwargs)


def render_html(m: folium.Map, *, base_url: str = DEFAULT_BASE_URL, inline: bool = False) -> str:
    """Localize `m` and return a complete HTML page with no external script/style links.

    inline=False links assets under `base_url` (absolute path, URL, or a path relative to the
    HTML file). inline=True embeds every script, stylesheet, font and image (a self-contained
    page of a few MB that works from file://). Raises OfflineAssetError if any external
    <script src> or <link href> remains.
    """
    localize(m, _INLINE_BASE if inline else base_url)
    html = m.get_root().render()
    if inline:
        html = _SCRIPT_TAG.sub(lambda t: _inline_script(t.group(1)), html)
        html = _LINK_TAG.sub(lambda t: _inline_style(t.group(1)), html)
        if _INLINE_BASE in html:
            raise OfflineAssetError(_INLINE_BASE, "render_html: a link tag was not inlined")
        # Leave the map linked to base_url again, ready for st_folium.
        localize(m, base_url)
    leftover = _EXTERNAL_TAG.search(html)
    if leftover:
        raise OfflineAssetError(leftover.group(1), "render_html output")
    return html


def css_urls(css: str) -> list[str]:
    """Relative file references in a stylesheet's url(...) values (no data:, fragments or URLs)."""
    found = []
    for _, ref in _CSS_URL.findall(css):
        ref = ref.strip()
        if ref.startswith(("data:", "#")) or _EXTERNAL.match(ref):
            continue
        path = re.split(r"[?#]", ref, maxsplit=1)[0]
        if path and path not in found:
            found.append(path)
    return found


def vendored_path(rel: str) -> Path:
    """Absolute path of a vendored file; raises OfflineAssetError if it is not on disk."""
    path = VENDOR_DIR / rel
    if not path.is_file():
        raise OfflineAssetError(rel, f"missing file {path}")
    return path


def _inline_script(rel: str) -> str:
    code = vendored_path(rel).read_text(encoding="utf-8")
    # A literal "</script" inside the code would end the inline element early.
    return "<script>" + code.replace("</script", "<\\/script") + "</script>"


def _inline_style(rel: str) -> str:
    path = vendored_path(rel)
    css = path.read_text(encoding="utf-8")

    def to_data_uri(match: re.Match) -> str:
        ref = match.group(2).strip()
        if ref.startswith(("data:", "#")) or _EXTERNAL.match(ref):
            return match.group(0)
        target = vendored_path(str((path.parent / re.split(r"[?#]", ref)[0]).relative_to(VENDOR_DIR)))
        mime = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        data = base64.b64encode(target.read_bytes()).decode("ascii")
        return f'url("data:{mime};base64,{data}")'

    return "<style>" + _CSS_URL.sub(to_data_uri, css).replace("</style", "<\\/style") + "</style>"


def blank_tiles(color: str = "#f5f3ef", name: str = "空白底图 blank") -> folium.TileLayer:
    """A plain-colour tile layer from a data: URI: a light background that needs no network.

    Useful as the base of a folium MiniMap, whose plugin always wants a tile layer.
    """
    match = re.fullmatch(r"#([0-9a-fA-F]{6})", color)
    if not match:
        raise ValueError(f"color must look like '#rrggbb', got {color!r}")
    png = _one_pixel_png(bytes.fromhex(match.group(1)))
    uri = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    return folium.TileLayer(tiles=uri, attr=" ", name=name, max_zoom=18, overlay=False)


def _one_pixel_png(rgb: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1x1, 8-bit RGB
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00" + rgb)) + chunk(b"IEND", b""))
