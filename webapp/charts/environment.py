"""Charts of the environment pages: rainfall, water levels, water use, temperature, air quality.

One figure per value key with one trace per sensor. Amounts (rainfall, water use) are bars;
levels, temperatures and concentrations are lines of the bucket mean, temperatures with a band
from the lowest to the highest reading. Reference lines: the WHO 24-hour guideline on air charts,
the 27 and 30 °C heat-stress levels on the temperature chart and each device's limit on the water
level chart. Times are Amsterdam wall-clock time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd
from plotly.graph_objects import Bar, Figure, Scatter

from .sensors import AMSTERDAM, empty_figure

HEIGHT = 340
GRID = "#e3e8e5"
COLOURS = ("#1f7a4d", "#2f6db5", "#d08a1e", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d")
BARS = frozenset({"rainfall", "water_use"})


@dataclass(frozen=True)
class ReferenceLine:
    """A horizontal line across the chart, e.g. a WHO guideline, with its label."""

    y: float
    label: str
    colour: str = "#c0392b"


@dataclass(frozen=True)
class ChartSpec:
    """What to draw: the value key, unit, one (sensor id, label) per trace and reference lines."""

    key: str
    unit: str
    traces: Sequence[tuple[int, str]]
    lines: Sequence[ReferenceLine] = field(default_factory=tuple)
    buckets: pd.DatetimeIndex | None = None


def wall_clock(starts: pd.Series) -> pd.Series:
    """UTC instants as naive Amsterdam wall-clock times (plotly.js ignores offsets)."""
    return pd.to_datetime(starts, utc=True).dt.tz_convert(AMSTERDAM).dt.tz_localize(None)


def _points(rows: pd.DataFrame, buckets: pd.DatetimeIndex | None) -> pd.DataFrame:
    """The sensor's rows by time; with *buckets*, missing buckets become gaps (NaN)."""
    rows = rows.set_index("start").sort_index()
    if buckets is not None:
        rows = rows.reindex(pd.DatetimeIndex(buckets, name="start"))
    return rows.reset_index()


def _band(fig: Figure, x, rows: pd.DataFrame, colour: str, label: str) -> None:
    fig.add_trace(Scatter(x=x, y=rows["max"], mode="lines", line={"width": 0},
                          showlegend=False, hoverinfo="skip", connectgaps=False))
    fig.add_trace(Scatter(x=x, y=rows["min"], mode="lines", line={"width": 0}, fill="tonexty",
                          fillcolor=_transparent(colour), name=f"{label} (min–max)",
                          showlegend=False, connectgaps=False,
                          hovertemplate="%{y:.1f}<extra>min</extra>"))


def _transparent(colour: str) -> str:
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},0.15)"


def _add_sensor(fig: Figure, spec: ChartSpec, rows: pd.DataFrame, sensor: tuple[int, str],
                colour: str) -> None:
    sensor_id, label = sensor
    rows = _points(rows, spec.buckets)
    x = wall_clock(rows["start"])
    if spec.key in BARS:
        fig.add_trace(Bar(x=x, y=rows["value"], name=label, meta=sensor_id,
                          marker={"color": colour}))
        return
    if spec.key == "temperature":
        _band(fig, x, rows, colour, label)
    fig.add_trace(Scatter(x=x, y=rows["value"], name=label, meta=sensor_id,
                          mode="lines+markers", marker={"size": 4}, connectgaps=False,
                          line={"color": colour}))


def environment_figure(spec: ChartSpec, series: pd.DataFrame, empty_message: str) -> Figure:
    """The figure of one value key from its series rows (see environment_data.SERIES_COLUMNS)."""
    if series.empty:
        return empty_figure(empty_message)
    fig = Figure()
    for n, sensor in enumerate(spec.traces):
        rows = series[series["sensor_id"] == sensor[0]]
        if not rows.empty:
            _add_sensor(fig, spec, rows, sensor, COLOURS[n % len(COLOURS)])
    for line in spec.lines:
        fig.add_hline(y=line.y, line_dash="dash", line_color=line.colour, line_width=1.5,
                      annotation_text=line.label, annotation_position="top left")
    fig.update_xaxes(gridcolor=GRID, linecolor=GRID)
    fig.update_yaxes(title_text=spec.unit, gridcolor=GRID, zerolinecolor=GRID,
                     rangemode="tozero" if spec.key in BARS else "normal")
    # A plain layout instead of a named template: copying plotly_white costs ~20 ms a chart.
    fig.update_layout(height=HEIGHT, margin={"l": 60, "r": 10, "t": 20, "b": 30},
                      legend={"orientation": "h", "y": -0.2}, barmode="group",
                      template="none", plot_bgcolor="white", paper_bgcolor="white",
                      font={"family": "system-ui, sans-serif", "size": 12},
                      hovermode="x unified")
    return fig
