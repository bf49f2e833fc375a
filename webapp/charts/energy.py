"""Energy charts: balance per bucket, grid power against contracted capacity, peaks, heat map.

Series come from webapp.services.energy_data (index: UTC bucket starts). The x axis shows
Amsterdam wall-clock labels as categories, so the day the clocks go back keeps its 100
quarter-hours apart (the repeated hour is marked CEST / CET) and the day they go forward shows
92. Labels (already translated) are passed in; each trace carries a stable key in ``meta``.
Figures are plain dicts (see webapp.charts.figure), written out without validation; the tests
check that plotly.py's validation leaves them as they are.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from datetime import date
from functools import cache
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from sensors.analytics.energy import HOURS_PER_BUCKET, EnergySummary
from sensors.analytics.periods import Period
from sensors.rollups import AMSTERDAM

from . import figure, figure_html

DIV_IDS = {"energy": "energy-chart", "power": "power-chart", "peaks": "peaks-chart",
           "heatmap": "heatmap-chart"}
COLOURS = {"consumption_kwh": "#1f6f43", "pv_kwh": "#d08a1e", "import_kwh": "#3b6ea8",
           "export_kwh": "#8a5fb0", "net_kw": "#b3261e", "contracted": "#59655f",
           "peak": "#b3261e"}
ENERGY_TRACES = ("consumption_kwh", "pv_kwh", "import_kwh", "export_kwh")
HEIGHT = 340


def x_labels(index: pd.DatetimeIndex, resolution: str, lang: str, with_date: bool) -> list[str]:
    """Amsterdam wall-clock labels; a repeated wall-clock time gets its zone (CEST / CET)."""
    local = pd.DatetimeIndex(index).tz_convert(AMSTERDAM)
    if resolution == "1mo":
        return [Period("month", date(t.year, t.month, 1)).label(lang) for t in local]
    if resolution == "1d":
        return [t.strftime("%Y-%m-%d") for t in local]
    shape = "%d-%m %H:%M" if with_date else "%H:%M"
    labels = [t.strftime(shape) for t in local]
    repeated = {label for label, n in Counter(labels).items() if n > 1}
    return [f"{label} {t.strftime('%Z')}" if label in repeated else label
            for label, t in zip(labels, local, strict=True)]


# A plain white look set directly, over plotly.py's default template (as a Figure would carry
# it). Figures are plain dicts (webapp.charts.figure): a park page draws six, and building them as
# validated Figure objects cost more than everything else on the page.
AXIS = {"gridcolor": "#e6ebe8", "zerolinecolor": "#c9d2cc", "linecolor": "#c9d2cc"}
BACKGROUND = {"plot_bgcolor": "#ffffff", "paper_bgcolor": "rgba(0,0,0,0)",
              "font": {"family": "system-ui, sans-serif", "color": "#1d2521"}}
HEATMAP_SCALE = "YlOrRd"


def _layout(y_title: str, barmode: str | None = None) -> dict[str, Any]:
    layout: dict[str, Any] = {
        "height": HEIGHT, "margin": {"l": 60, "r": 10, "t": 10, "b": 40},
        "legend": {"orientation": "h", "y": -0.2},
        "xaxis": {"type": "category", "nticks": 12, **AXIS},
        "yaxis": {"title": {"text": y_title}, **AXIS}, **BACKGROUND}
    if barmode:
        layout["barmode"] = barmode
    return layout


def _values(column: pd.Series) -> list[float | None]:
    return [None if pd.isna(v) else float(v) for v in column]


def energy_figure(series: pd.DataFrame, resolution: str, labels: Mapping[str, str],
                  lang: str, with_date: bool = False) -> dict[str, Any]:
    """Consumption, PV production, grid import and export per bucket (kWh)."""
    x = x_labels(pd.DatetimeIndex(series.index), resolution, lang, with_date)
    bars = resolution in ("1d", "1mo")
    data = []
    for key in ENERGY_TRACES:
        trace = {"type": "bar", "marker": {"color": COLOURS[key]}} if bars else {
            "type": "scatter", "mode": "lines", "line": {"color": COLOURS[key]},
            "connectgaps": False}
        data.append({**trace, "x": x, "y": _values(series[key]), "name": labels[key],
                     "meta": key})
    return figure(data, _layout("kWh", "group" if bars else None))


def power_figure(series: pd.DataFrame, resolution: str, labels: Mapping[str, str], lang: str,
                 contracted_kw: float | None = None, with_date: bool = False) -> dict[str, Any]:
    """Net grid import in kW per quarter-hour or hour, with the contracted capacity as a line."""
    hours = HOURS_PER_BUCKET[resolution]
    x = x_labels(pd.DatetimeIndex(series.index), resolution, lang, with_date)
    data = [{"type": "scatter", "x": x, "y": _values(series["net_kwh"] / hours),
             "name": labels["net_kw"], "meta": "net_kw", "mode": "lines",
             "line": {"color": COLOURS["net_kw"]}, "connectgaps": False}]
    if contracted_kw:
        data.append({"type": "scatter", "x": x, "y": [float(contracted_kw)] * len(x),
                     "meta": "contracted", "name": labels["contracted"], "mode": "lines",
                     "line": {"color": COLOURS["contracted"], "dash": "dash"}})
    return figure(data, _layout("kW"))


def peaks_figure(summary: EnergySummary, labels: Mapping[str, str]) -> dict[str, Any]:
    """The collective peak, the sum of individual peaks and the contracted capacity (kW)."""
    keys = ["collective_peak_kw", "sum_individual_peaks_kw"]
    values = [float(summary.collective_peak_kw), float(summary.sum_individual_peaks_kw)]
    if summary.contracted_kw:
        keys.append("contracted_kw")
        values.append(float(summary.contracted_kw))
    colours = [COLOURS["peak"], COLOURS["import_kwh"], COLOURS["contracted"]][:len(keys)]
    return figure([{"type": "bar", "x": [labels[k] for k in keys], "y": values,
                    "meta": "peaks", "customdata": keys, "marker": {"color": colours}}],
                  _layout("kW"))


@cache
def heatmap_scale() -> list[list]:
    """The heat map's colour scale as plotly.py writes it out (an explicit list of stops)."""
    return json.loads(json.dumps(go.Heatmap(colorscale=HEATMAP_SCALE).colorscale))


def heatmap_figure(grid: pd.DataFrame, weekdays: list[str], label: str) -> dict[str, Any]:
    """Mean net import (kW) per weekday (rows, Monday first) and hour of the day."""
    z = [[None if pd.isna(v) else float(v) for v in row] for row in grid.to_numpy()]
    trace = {"type": "heatmap", "z": z, "x": [f"{h:02d}:00" for h in grid.columns],
             "y": list(weekdays), "meta": "heatmap", "colorscale": heatmap_scale(),
             "colorbar": {"title": {"text": "kW"}},
             "hovertemplate": "%{y} %{x}: %{z:.1f} kW<extra>" + label + "</extra>"}
    return figure([trace], {"height": HEIGHT, "margin": {"l": 90, "r": 10, "t": 10, "b": 40},
                            "yaxis": {"autorange": "reversed"}, "xaxis": {"type": "category"},
                            **BACKGROUND})


def html(fig: dict[str, Any], chart: str, suffix: str = "") -> str:
    """The figure as an HTML fragment in the chart's div (see DIV_IDS)."""
    return figure_html(fig, DIV_IDS[chart] + (f"-{suffix}" if suffix else ""))
