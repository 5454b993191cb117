"""geo.web.caches: what the app shares between sessions, made the same as streamlit's own calls would."""
import pandas as pd
import pytest
import streamlit_folium
from streamlit import dataframe_util

from geo.places import spatial
from geo.synthetic import synthetic_frame
from geo.web import caches, mapview

COUNTIES = spatial.load_counties(simplified=True)
CITIES = spatial.load_cities(simplified=True)
# what streamlit_folium's passes rewrite anywhere in the script, article text included
ODD_TEXT = "alert(coords); drawnItems_draw_control_div_1 _popup_x"


def _map(records, **kw):
    m = mapview.build_map(records, counties=COUNTIES, cities=CITIES, asset_base_url="/app/static/vendor", **kw)
    m.get_root().render()
    return m


@pytest.fixture(scope="module")
def records():
    return synthetic_frame(800, COUNTIES, seed=3)


@pytest.mark.parametrize("options", [
    {}, {"level": "city"}, {"basemap": "amap", "selected_county": "140105"}, {"max_markers": 100},
    {"fit": "flows", "metric": "project_count"}])
def test_map_script_is_streamlit_folium_s_script(records, options):
    fast = caches.map_script(_map(records, **options))
    slow = streamlit_folium._get_map_string(_map(records, **options))
    assert fast == slow


def test_map_script_keeps_article_text_as_written(records):
    """streamlit_folium's passes deleted "alert(coords);" and renamed drawnItems_… in the data too."""
    odd = records.copy()
    odd["name"] = odd["name"].astype("object")
    odd.loc[odd.index[:5], "name"] = ODD_TEXT
    assert ODD_TEXT in caches.map_script(_map(odd))
    assert ODD_TEXT not in streamlit_folium._get_map_string(_map(odd))


def test_map_script_of_an_empty_map():
    empty = synthetic_frame(10, COUNTIES, seed=1).iloc[:0]
    assert caches.map_script(_map(empty)) == streamlit_folium._get_map_string(_map(empty))


def test_arrow_table_is_what_st_dataframe_sends():
    frame = pd.DataFrame({"名称 Name": ["a", None, "c"], "金额 Amount": ["1.00 亿元", "", "x"]})
    assert (dataframe_util.convert_arrow_table_to_arrow_bytes(caches.arrow_table(frame))
            == dataframe_util.convert_pandas_df_to_arrow_bytes(frame))
