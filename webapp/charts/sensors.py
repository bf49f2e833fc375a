"""Charts of a device's rollups: one panel per unit, one trace per sensor.

Gauges (power, temperature, PM, ...) are drawn as the mean per period; cumulative meters as the
consumption per period, as bars. Times are shown in Amsterdam wall-clock time.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pandas as pd
from plotly.graph_objects import Bar, Figure, Scatter
from plotly.subplots import make_subplots

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# Columns the chart reads; rollup_frame() gives them all but "label", which the page adds.
COLUMNS = ("start", "label", "unit", "kind", "mean", "consumption")
PANEL_HEIGHT = 220


def _local(starts: pd.Series) -> pd.Series:
    """UTC times as naive Amsterdam wall-clock times (plotly.js would ignore an offset)."""
    return pd.to_datetime(starts, utc=True).dt.tz_convert(AMSTERDAM).dt.tz_localize(None)


def _trace(group: pd.DataFrame, label: str) -> Bar | Scatter:
    x = _local(group["start"])
    if (group["kind"] == "cumulative").all():
        return Bar(x=x, y=group["consumption"], name=label)
    return Scatter(x=x, y=group["mean"], name=label, mode="lines+markers",
                   marker={"size": 4}, connectgaps=False)


def empty_figure(message: str) -> Figure:
    """A figure that only says *message* (no data in the period)."""
    fig = Figure()
    fig.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper",
                       yref="paper")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.update_layout(height=PANEL_HEIGHT, margin={"l": 10, "r": 10, "t": 10, "b": 10})
    return fig


def device_chart(frame: pd.DataFrame, *, title: str = "", empty_message: str = "") -> Figure:
    """A figure of a device's rollups (see COLUMNS); one panel per unit, shared time axis."""
    missing = set(COLUMNS) - set(frame.columns)
    if missing:
        raise ValueError(f"frame lacks columns: {', '.join(sorted(missing))}")
    if frame.empty:
        return empty_figure(empty_message)
    units = list(dict.fromkeys(frame["unit"]))
    fig = make_subplots(rows=len(units), cols=1, shared_xaxes=True, vertical_spacing=0.06)
    for row, unit in enumerate(units, start=1):
        for label, group in frame[frame["unit"] == unit].groupby("label", sort=False):
            fig.add_trace(_trace(group.sort_values("start"), str(label)), row=row, col=1)
        fig.update_yaxes(title_text=unit, row=row, col=1)
    fig.update_layout(title_text=title or None, height=PANEL_HEIGHT * len(units) + 80,
                      margin={"l": 60, "r": 10, "t": 40 if title else 10, "b": 30},
                      legend={"orientation": "h", "y": -0.15}, barmode="group",
                      template="plotly_white")
    return fig
