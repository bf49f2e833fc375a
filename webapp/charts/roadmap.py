"""A park's milestones as a plotly timeline: one row per milestone at its due date, done and
open (and overdue) milestones apart, and a line for today."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import plotly.graph_objects as go

from . import to_html

TIMELINE_DIV_ID = "milestone-timeline"
# Trace keys (in each trace's `meta`), so tests and scripts find a trace in any language.
STATES = ("done", "open", "overdue")
COLOURS = {"done": "#1f7a4d", "open": "#4a6fa5", "overdue": "#b3261e"}
SYMBOLS = {"done": "circle", "open": "circle-open", "overdue": "diamond-open"}
ROW_HEIGHT = 34


@dataclass(frozen=True)
class MilestonePoint:
    """One milestone as the chart draws it: a label, its due date and the day it was done."""

    label: str
    due_on: date
    done_on: date | None = None

    def state(self, today: date) -> str:
        """"done", "overdue" (open and past due) or "open"."""
        if self.done_on is not None:
            return "done"
        return "overdue" if self.due_on < today else "open"


def _trace(points: list[MilestonePoint], state: str, name: str, done_label: str) -> go.Scatter:
    hover = [f"{p.label}<br>{p.due_on.isoformat()}"
             + (f"<br>{done_label}: {p.done_on.isoformat()}" if p.done_on else "")
             for p in points]
    return go.Scatter(
        x=[p.due_on.isoformat() for p in points], y=[p.label for p in points], name=name,
        meta=state, mode="markers", hovertext=hover, hoverinfo="text",
        marker={"size": 14, "color": COLOURS[state], "symbol": SYMBOLS[state],
                "line": {"width": 2, "color": COLOURS[state]}})


def _unique(points: list[MilestonePoint]) -> list[MilestonePoint]:
    """Milestones with the same title get a number, so each keeps its own row."""
    seen: dict[str, int] = {}
    unique = []
    for p in points:
        seen[p.label] = seen.get(p.label, 0) + 1
        label = p.label if seen[p.label] == 1 else f"{p.label} ({seen[p.label]})"
        unique.append(MilestonePoint(label, p.due_on, p.done_on))
    return unique


def timeline_figure(points: Sequence[MilestonePoint], today: date, names: dict[str, str],
                    today_label: str, done_label: str) -> go.Figure:
    """The milestones by due date (the earliest on top); *names* label the three states."""
    ordered = _unique(sorted(points, key=lambda p: (p.due_on, p.label)))
    fig = go.Figure()
    for state in STATES:
        chosen = [p for p in ordered if p.state(today) == state]
        if chosen:
            fig.add_trace(_trace(chosen, state, names[state], done_label))
    fig.add_shape(type="line", x0=today.isoformat(), x1=today.isoformat(), y0=0, y1=1,
                  xref="x", yref="paper", line={"color": "#d08a1e", "width": 2, "dash": "dot"})
    fig.add_annotation(x=today.isoformat(), y=1, xref="x", yref="paper", text=today_label,
                       showarrow=False, yanchor="bottom", font={"color": "#8a5a10"})
    fig.update_yaxes(categoryorder="array", autorange="reversed",
                     categoryarray=list(dict.fromkeys(p.label for p in ordered)))
    fig.update_xaxes(type="date")
    fig.update_layout(height=max(220, 90 + ROW_HEIGHT * len(ordered)),
                      margin={"l": 10, "r": 10, "t": 30, "b": 30},
                      legend={"orientation": "h", "y": -0.12},
                      paper_bgcolor="rgba(0,0,0,0)", yaxis={"automargin": True})
    return fig


def timeline_html(points: Sequence[MilestonePoint], today: date, names: dict[str, str],
                  today_label: str, done_label: str, div_id: str = TIMELINE_DIV_ID) -> str:
    """The timeline as an HTML fragment (plotly.js is included separately by the page)."""
    return to_html(timeline_figure(points, today, names, today_label, done_label), div_id)
