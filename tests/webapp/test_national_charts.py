"""The national charts are valid plotly figures, and the offline province map is complete."""

from __future__ import annotations

import json
from datetime import date

import plotly.graph_objects as go
import pytest

from roadmap.programme import PROVINCES
from webapp.charts import national as charts

LABELS = charts.ProgressLabels("Actual", "Trajectory", "Forecast", "Band", "Target", "Parks")
ACTUAL = [(date(2024, 1, 1), 0), (date(2025, 1, 1), 40), (date(2026, 1, 1), 120)]
TRAJECTORY = [(date(2024, 1, 1), 0.0), (date(2033, 12, 31), 1000.0)]
CURVE = [(date(2026, 1, 1), 120.0, 100.0, 150.0), (date(2030, 1, 1), 700.0, 400.0, 5000.0)]


def traces_by_key(fig: dict) -> dict[str, dict]:
    return {trace["meta"]: trace for trace in fig["data"]}


def test_progress_figure_draws_actual_trajectory_forecast_and_band():
    fig = charts.progress_figure(ACTUAL, TRAJECTORY, CURVE, (date(2033, 12, 31), 1000), LABELS)
    go.Figure(fig)  # raises on anything plotly.js would not understand
    traces = traces_by_key(fig)
    assert set(traces) == {"band_high", "band_low", "forecast", "trajectory", "actual", "target"}
    assert traces["actual"]["y"] == [0, 40, 120]
    assert traces["band_low"]["fill"] == "tonexty"  # filled up to the band's high edge
    assert traces["band_high"]["y"] == [150.0, 5000.0]
    # The view stops a quarter above the target or forecast, not at the band's far edge.
    assert fig["layout"]["yaxis"]["range"] == [0, 1250]


def test_progress_figure_without_forecast():
    fig = charts.progress_figure(ACTUAL, TRAJECTORY, [], (date(2033, 12, 31), 1000), LABELS)
    go.Figure(fig)
    assert set(traces_by_key(fig)) == {"trajectory", "actual", "target"}


def test_province_map_has_every_province_and_darker_green_for_more_parks():
    values = {province: n for n, province in enumerate(PROVINCES)}
    fig = charts.province_map_figure(values, {}, "On their way")
    go.Figure(fig)
    traces = traces_by_key(fig)
    assert {key.removeprefix("province:") for key in traces if key.startswith("province:")} \
        == set(PROVINCES)
    low = traces["province:" + PROVINCES[0]]["fillcolor"]
    high = traces["province:" + PROVINCES[-1]]["fillcolor"]
    assert _brightness(high) < _brightness(low)
    assert traces["labels"]["text"] == [str(values[p]) for p in charts.province_shapes()]


def _brightness(rgb: str) -> int:
    return sum(int(part) for part in rgb.removeprefix("rgb(").removesuffix(")").split(","))


def test_geojson_is_twelve_closed_provinces_inside_the_netherlands():
    doc = json.loads(charts.GEOJSON.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection"
    assert sorted(f["properties"]["name"] for f in doc["features"]) == sorted(PROVINCES)
    for feature in doc["features"]:
        for polygon in feature["geometry"]["coordinates"]:
            ring = polygon[0]
            assert ring[0] == ring[-1] and len(ring) >= 4
            assert all(3.2 < lon < 7.3 and 50.7 < lat < 53.6 for lon, lat in ring)


@pytest.mark.parametrize("counts", [[1, 2, 3, 4, 5], [0, 0, 0, 0, 0]])
def test_funnel_and_province_bars(counts):
    names = ["a", "b", "c", "d", "e"]
    funnel = charts.funnel_figure(list(zip(names, counts, strict=True)))
    go.Figure(funnel)
    assert funnel["data"][0]["x"] == counts
    bars = charts.province_bar_figure(["Utrecht", "Zeeland"], [("a", [3, 1]), ("b", [2, 0])],
                                      "Parks")
    go.Figure(bars)
    # The first province in rank order is drawn on top (plotly draws the last y on top).
    assert bars["data"][0]["y"] == ["Zeeland", "Utrecht"]
    assert bars["data"][0]["x"] == [1, 3]


def test_theme_heatmap():
    fig = charts.theme_heatmap_figure(["Energy", "Water"], ["0", "1", "2", "3", "4"],
                                      [(1, 2, 3, 4, 5), (5, 0, 0, 0, 0)], "Parks")
    go.Figure(fig)
    assert fig["data"][0]["z"] == [[1, 2, 3, 4, 5], [5, 0, 0, 0, 0]]
    assert fig["data"][0]["text"][1] == ["5", "0", "0", "0", "0"]


def test_html_fragment_uses_the_div_and_loads_nothing_itself():
    fragment = charts.html(charts.funnel_figure([("a", 1)]), "funnel-x")
    assert 'id="funnel-x"' in fragment
    assert "cdn.plot.ly" not in fragment and "<script src" not in fragment
