"""GeoJSON layers for the folium map whose features carry their own style, CSS class and tooltip.

folium.GeoJson calls a Python style function per feature, writes the styles into a JS switch and
then re-parses the whole rendered script, geometry included, as a Jinja template: about 0.2 s per
map for the counties, cities, flows and origin regions, paid again for every filter state. A
`FeatureLayer` instead takes the FeatureCollection as JSON text (geometry written by GEOS,
`shapely.to_geojson`); each feature's `style` (Leaflet path options) and `className` are properties
the browser applies as they are, and its tooltip is a table of some of its properties, as
folium's GeoJsonTooltip drew it. The text is spliced in after Jinja (markers.render_raw_json), so
article text is never read as template syntax.
"""
from __future__ import annotations

import json

import numpy as np
import shapely
from branca.element import MacroElement
from folium.template import Template

from geo.web.markers import js_json, render_raw_json


class FeatureLayer(MacroElement):
    """A Leaflet GeoJSON layer from FeatureCollection JSON text (see module docstring).

    `tooltip`: (label, property) rows of the tooltip table (label None: the value alone); values are
    inserted as HTML, as folium's tooltip did, so article-derived ones must be escaped already.
    `highlight`: path options set while the pointer is over a feature (None: no highlight).
    `interactive`: False lets clicks through to the layers below.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJson(null, {
            interactive: {{ this.interactive|tojson }},
            style: function (feature) { return feature.properties.style; },
            onEachFeature: function (feature, layer) {
                var p = feature.properties;
                if (p.className) { layer.options.className = p.className; }
                {%- if this.tooltip %}
                layer.bindTooltip(function () {
                    return "<table>" + {{ this.tooltip|tojson }}.map(function (row) {
                        var value = p[row[1]] === null || p[row[1]] === undefined ? "" : p[row[1]];
                        return "<tr>" + (row[0] === null ? "" : "<th>" + row[0] + "</th>") + "<td>" + value + "</td></tr>";
                    }).join("") + "</table>";
                }, {sticky: true, className: "foliumtooltip"});
                {%- endif %}
                {%- if this.highlight %}
                layer.on({
                    mouseover: function (e) { e.target.setStyle({{ this.highlight|tojson }}); },
                    mouseout: function (e) { {{ this.get_name() }}.resetStyle(e.target); }
                });
                {%- endif %}
            }
        }).addTo({{ this._parent.get_name() }});
        {{ this.get_name() }}.addData({{ this.data_json }});
        {% endmacro %}
    """)

    def __init__(self, data_json: str, name: str = "features", tooltip: list[tuple[str | None, str]] | None = None,
                 highlight: dict | None = None, interactive: bool = True):
        super().__init__()
        self._name = "FeatureLayer"
        self.layer_label = name
        self.data_json = data_json
        self.tooltip = tooltip
        self.highlight = highlight
        self.interactive = interactive

    @property
    def data(self) -> dict:
        """The FeatureCollection as a dict (for inspection and tests)."""
        return json.loads(self.data_json)

    def render(self, **kwargs):
        """Render with the feature JSON kept out of folium's Jinja re-parse."""
        render_raw_json(self, "data_json", super().render, kwargs)


def geometry_json(geometries) -> list[str]:
    """GeoJSON text of each shapely geometry (GEOS writes it: ~2 ms for the 117 counties)."""
    return shapely.to_geojson(np.asarray(geometries, dtype=object)).tolist()


def feature_collection(geometries: list[str], properties: list[dict]) -> str:
    """FeatureCollection JSON text from per-feature geometry JSON and properties (safe inside a <script>)."""
    features = ",".join(f'{{"type":"Feature","geometry":{g},"properties":{js_json(p)}}}'
                        for g, p in zip(geometries, properties))
    return f'{{"type":"FeatureCollection","features":[{features}]}}'
