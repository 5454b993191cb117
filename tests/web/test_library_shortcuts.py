"""The two process-wide shortcuts the app takes into library internals (geo/web/caches.py, geo/web/markers.py)
give exactly what the libraries give: a Streamlit or branca upgrade that changes that fails here."""
from __future__ import annotations

import json

import branca.element
import jinja2
from streamlit.components.v1 import custom_component

from geo.web import caches, markers


def test_component_arguments_encode_as_json_dumps_does():
    big = "var map = L.map('x');\n" + "“山西”<script>\\u2028" * 20_000  # over the size kept between runs
    cases = [{}, {"a": 1, "b": [1.5, None, True], "c": {"d": "太原"}}, {"script": big, "height": 600, "key": "m"},
             [1, 2], "text", {"x": float("1e300")}]
    for obj in cases:
        assert caches._ComponentJson.dumps(obj) == json.dumps(obj)
    args = {"script": big, "n": 1}
    assert caches._ComponentJson.dumps(args) == caches._ComponentJson.dumps(args) == json.dumps(args)  # kept text
    assert caches._ComponentJson.dumps({"script": big + "!"}) == json.dumps({"script": big + "!"})  # a new map
    assert caches._ComponentJson.dumps(args, sort_keys=True) == json.dumps(args, sort_keys=True)
    assert custom_component.json is caches._ComponentJson


def test_element_scripts_render_as_jinja_renders_them():
    sources = ["L.marker([37.8, 112.5]).addTo(map);", "var a = 1;\n", "x\n\n", "", "{{ x }} and {{ y }}",
               "a {% if x %}b{% endif %}", "a\r\nb", "{# note #}c", "var s = '}} %}';"]
    for source in sources:
        ours = markers._element_template(source)
        assert ours.render(x="1", y="太原") == jinja2.Template(source).render(x="1", y="太原"), source
    assert branca.element.Template is markers._element_template
