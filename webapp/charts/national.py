"""Charts of the national pages: progress against the trajectory, phases, provinces, themes.

Figures are plain plotly dicts (the JSON plotly.js reads) written out without plotly.py's
validation: the national page is the busiest page of the platform and validating thousands
of points per request costs more than building them. The tests validate the dicts with
``plotly.graph_objects.Figure``. Every trace carries a key in ``meta`` so tests and scripts
find it in either language.

The province map is drawn from the coarse outlines in ``static/geo/nl-provinces.geojson`` as
filled shapes on plain axes. Plotly's geo maps would fetch a base map from cdn.plot.ly even
when given our GeoJSON (plotly.js issue #6767); this way the map works offline.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import plotly.io as pio
from plotly.colors import sample_colorscale

from . import CONFIG

GEOJSON = Path(__file__).resolve().parent.parent / "static" / "geo" / "nl-provinces.geojson"
PROGRESS_DIV, FUNNEL_DIV = "national-progress", "national-funnel"
MAP_DIV, PROVINCES_DIV, THEMES_DIV = "national-map", "national-provinces", "national-themes"
GREEN, ORANGE, GREY = "#1f7a4d", "#d08a1e", "#8a9a91"
PHASE_COLOURS = ("#c9d3cd", "#9fc7ad", "#5fa77a", "#2f7f50", "#154d2f")
# Light to dark green: more parks, darker.
SCALE = [[0.0, "#eef6f0"], [0.5, "#6fb88a"], [1.0, "#0f3d24"]]
# Pixels per degree of latitude against one of longitude at 52.2° N.
LAT_SCALE = 1 / math.cos(math.radians(52.2))
LAYOUT = {"margin": {"l": 50, "r": 20, "t": 20, "b": 40}, "paper_bgcolor": "rgba(0,0,0,0)",
          "plot_bgcolor": "#ffffff", "font": {"family": "system-ui, sans-serif", "size": 13},
          "legend": {"orientation": "h", "y": -0.15}}


@dataclass(frozen=True)
class ProgressLabels:
    """Translated names of the progress chart's traces and axis."""

    actual: str
    trajectory: str
    forecast: str
    band: str
    target: str
    parks: str


def html(fig: dict, div_id: str) -> str:
    """The figure as an HTML fragment (plotly.js is included once by the page)."""
    return pio.to_html(fig, full_html=False, include_plotlyjs=False, div_id=div_id,
                       config=CONFIG, validate=False)


def progress_figure(actual: Sequence[tuple[date, int]],
                    trajectory: Sequence[tuple[date, float]],
                    forecast: Sequence[tuple[date, float, float, float]],
                    target: tuple[date, int], labels: ProgressLabels) -> dict:
    """Parks on their way over time, the straight trajectory to the target, and the forecast
    with its uncertainty band (a filled area between the low and the high curve)."""
    traces = []
    if forecast:
        days = [row[0] for row in forecast]
        traces += [
            _line("band_high", labels.band, days, [row[3] for row in forecast], GREEN,
                  width=0, showlegend=False, hoverinfo="skip"),
            _line("band_low", labels.band, days, [row[2] for row in forecast], GREEN,
                  width=0, fill="tonexty", fillcolor="rgba(31,122,77,0.15)"),
            _line("forecast", labels.forecast, days, [row[1] for row in forecast], GREEN,
                  dash="dot"),
        ]
    traces += [
        _line("trajectory", labels.trajectory, [d for d, _ in trajectory],
              [round(v, 1) for _, v in trajectory], GREY, dash="dash"),
        _line("actual", labels.actual, [d for d, _ in actual], [v for _, v in actual], GREEN,
              width=3),
        {"type": "scatter", "mode": "markers", "meta": "target", "name": labels.target,
         "x": [target[0]], "y": [target[1]],
         "marker": {"symbol": "star", "size": 14, "color": ORANGE}},
    ]
    # The band may reach far above the target; the view stops a quarter above what matters.
    top = 1.25 * max([target[1], *(v for _, v in actual), *(row[1] for row in forecast)])
    layout = {**LAYOUT, "height": 420, "hovermode": "x unified",
              "yaxis": {"title": {"text": labels.parks}, "range": [0, round(top)],
                        "gridcolor": "#e5ebe7"},
              "xaxis": {"type": "date", "gridcolor": "#e5ebe7"}}
    return {"data": traces, "layout": layout}


def _line(key: str, name: str, x: list, y: list, colour: str, *, width: float = 2,
          dash: str = "solid", **extra) -> dict:
    return {"type": "scatter", "mode": "lines", "meta": key, "name": name, "x": x, "y": y,
            "line": {"color": colour, "width": width, "dash": dash}, **extra}


def funnel_figure(phases: Sequence[tuple[str, int]]) -> dict:
    """Parks per phase as a funnel, the first phase on top."""
    trace = {"type": "funnel", "meta": "funnel", "y": [name for name, _ in phases],
             "x": [n for _, n in phases], "textinfo": "value+percent total",
             "marker": {"color": list(PHASE_COLOURS[:len(phases)])},
             "hovertemplate": "%{y}: %{x}<extra></extra>"}
    return {"data": [trace], "layout": {**LAYOUT, "height": 340,
                                        "margin": {"l": 230, "r": 20, "t": 10, "b": 20}}}


def province_bar_figure(provinces: Sequence[str], phases: Sequence[tuple[str, Sequence[int]]],
                        axis_title: str) -> dict:
    """Parks per province stacked by phase; *provinces* in rank order, the first on top."""
    order = list(reversed(provinces))
    traces = [{"type": "bar", "orientation": "h", "meta": f"phase-{i}", "name": name,
               "y": order, "x": list(reversed(list(counts))),
               "marker": {"color": PHASE_COLOURS[i % len(PHASE_COLOURS)]},
               "hovertemplate": "%{y}: %{x}<extra>" + name + "</extra>"}
              for i, (name, counts) in enumerate(phases)]
    layout = {**LAYOUT, "barmode": "stack", "height": 500,
              "margin": {"l": 120, "r": 20, "t": 10, "b": 40},
              "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom",
                         "traceorder": "normal"},
              "xaxis": {"title": {"text": axis_title}, "gridcolor": "#e5ebe7"}}
    return {"data": traces, "layout": layout}


@cache
def province_shapes() -> dict[str, list[list[tuple[float, float]]]]:
    """Outer rings per province from the bundled GeoJSON."""
    doc = json.loads(GEOJSON.read_text(encoding="utf-8"))
    return {feature["properties"]["name"]: [[tuple(p) for p in polygon[0]]
                                            for polygon in feature["geometry"]["coordinates"]]
            for feature in doc["features"]}


def province_map_figure(values: Mapping[str, int], hover: Mapping[str, str],
                        scale_title: str) -> dict:
    """The provinces filled by *values* (a green scale), with the figure on each province."""
    top = max(values.values(), default=0) or 1
    traces, labels_x, labels_y, labels, inks = [], [], [], [], []
    for province, rings in province_shapes().items():
        value = values.get(province, 0)
        colour = sample_colorscale(SCALE, [value / top])[0]
        xs, ys = _rings_xy(rings)
        traces.append({"type": "scatter", "mode": "lines", "meta": f"province:{province}",
                       "name": province, "x": xs, "y": ys, "fill": "toself",
                       "fillcolor": colour, "line": {"color": "#ffffff", "width": 1},
                       "hoveron": "fills", "text": hover.get(province, province),
                       "hoverinfo": "text", "showlegend": False})
        cx, cy = _centre(rings[0])
        labels_x.append(cx)
        labels_y.append(cy)
        labels.append(str(value))
        inks.append("#ffffff" if value / top > 0.55 else "#10291b")
    traces.append({"type": "scatter", "mode": "text+markers", "meta": "labels",
                   "x": labels_x, "y": labels_y, "text": labels, "hoverinfo": "skip",
                   "showlegend": False, "textfont": {"size": 12, "color": inks},
                   "marker": {"size": 1, "opacity": 0, "color": [0, top],
                              "colorscale": SCALE, "cmin": 0, "cmax": top,
                              "showscale": True,
                              "colorbar": {"title": {"text": scale_title}, "len": 0.6}}})
    hidden = {"visible": False, "fixedrange": True}
    layout = {**LAYOUT, "height": 520, "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
              "xaxis": hidden, "plot_bgcolor": "rgba(0,0,0,0)",
              "yaxis": {**hidden, "scaleanchor": "x", "scaleratio": LAT_SCALE}}
    return {"data": traces, "layout": layout}


def _rings_xy(rings: list[list[tuple[float, float]]]) -> tuple[list, list]:
    xs: list = []
    ys: list = []
    for ring in rings:
        if xs:
            xs.append(None)
            ys.append(None)
        xs += [x for x, _ in ring]
        ys += [y for _, y in ring]
    return xs, ys


def _centre(ring: list[tuple[float, float]]) -> tuple[float, float]:
    points = ring[:-1] or ring
    return (round(sum(x for x, _ in points) / len(points), 3),
            round(sum(y for _, y in points) / len(points), 3))


def theme_heatmap_figure(theme_names: Sequence[str], level_names: Sequence[str],
                         counts: Sequence[Sequence[int]], parks_label: str) -> dict:
    """Themes (rows) against maturity levels (columns): the number of parks in each cell."""
    trace = {"type": "heatmap", "meta": "themes", "x": list(level_names),
             "y": list(theme_names), "z": [list(row) for row in counts],
             "text": [[str(n) for n in row] for row in counts], "texttemplate": "%{text}",
             "colorscale": SCALE, "colorbar": {"title": {"text": parks_label}},
             "hovertemplate": "%{y} · %{x}: %{z}<extra></extra>", "xgap": 2, "ygap": 2}
    layout = {**LAYOUT, "height": 380, "margin": {"l": 130, "r": 20, "t": 10, "b": 60},
              "yaxis": {"autorange": "reversed"}}
    return {"data": [trace], "layout": layout}
