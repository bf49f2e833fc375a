"""The theme compass as a plotly radar: baseline, current level and ambition over seven themes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import plotly.graph_objects as go

from . import to_html

RADAR_DIV_ID = "theme-radar"
# Trace keys (in each trace's `meta`), so tests and scripts find a trace in any language.
TRACE_KEYS = ("baseline", "current", "ambition")
COLOURS = {"baseline": "#8a9a91", "current": "#1f7a4d", "ambition": "#d08a1e"}
DASHES = {"baseline": "dot", "current": "solid", "ambition": "dash"}


@dataclass(frozen=True)
class RadarSeries:
    """One trace: its key ("baseline", "current" or "ambition"), its label and one value per
    theme (None where not set, drawn as 0)."""

    key: str
    label: str
    values: Sequence[int | None]


def radar_figure(theme_names: Sequence[str], series: Sequence[RadarSeries],
                 title: str = "") -> go.Figure:
    """A radar over *theme_names* with one closed trace per series, levels 0..4."""
    fig = go.Figure()
    closed = [*theme_names, theme_names[0]]
    for item in series:
        values = [0 if v is None else v for v in item.values]
        fig.add_trace(go.Scatterpolar(
            r=[*values, values[0]], theta=closed, name=item.label, meta=item.key,
            mode="lines+markers", fill="toself" if item.key == "current" else "none",
            line={"color": COLOURS.get(item.key), "dash": DASHES.get(item.key, "solid")},
            opacity=0.9, hovertemplate="%{theta}: %{r}<extra>" + item.label + "</extra>",
        ))
    fig.update_layout(
        title={"text": title} if title else None,
        polar={"radialaxis": {"range": [0, 4], "tickvals": [0, 1, 2, 3, 4], "angle": 90},
               "angularaxis": {"direction": "clockwise"}},
        legend={"orientation": "h", "y": -0.1}, margin={"l": 60, "r": 60, "t": 40, "b": 40},
        height=460, paper_bgcolor="rgba(0,0,0,0)",
    )
    return fig


def radar_html(theme_names: Sequence[str], series: Sequence[RadarSeries],
               div_id: str = RADAR_DIV_ID) -> str:
    """The radar as an HTML fragment (plotly.js is included separately by the page)."""
    return to_html(radar_figure(theme_names, series), div_id)
