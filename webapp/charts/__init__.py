"""Plotly figures for the pages: pandas DataFrames in, HTML fragments out.

plotly.js itself is served by the app from the installed plotly package (see `PLOTLY_JS` and the
`main.plotly_js` route), so charts work offline with no CDN. Pages that show a chart include
`templates/macros/charts.html` -> `plotly_script()` once.

Two ways to draw: a ``plotly.graph_objects.Figure`` through :func:`to_html`, or, where a page
draws many charts, a plain figure dict (the JSON plotly.js reads) built with :func:`figure` and
written by :func:`figure_html` without plotly.py's validation. Applying a template by name to a
Figure costs tens of milliseconds per chart; :func:`template` converts each template to a plain
dict once per process, and :func:`figure` puts it in the layout as a Figure would.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import plotly
import plotly.io as pio
from plotly.graph_objects import Figure

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"

# Offline, no plotly logo, no "edit in chart studio" link; responsive to the container.
CONFIG = {"displaylogo": False, "responsive": True, "displayModeBar": False}


def to_html(fig: Figure, div_id: str) -> str:
    """An HTML fragment drawing *fig* into a div with id *div_id* (plotly.js loaded separately)."""
    return fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id, config=CONFIG)


def template(name: str | None = None) -> dict[str, Any]:
    """Plotly template *name* (default: plotly.py's default template, which a Figure applies
    when given none) as a plain dict, built once per process. Shared: never modify it."""
    return _template(name or pio.templates.default)


@cache
def _template(name: str) -> dict[str, Any]:
    return pio.templates[name].to_plotly_json()


def figure(data: list[dict[str, Any]], layout: dict[str, Any],
           template_name: str | None = None) -> dict[str, Any]:
    """A plain figure dict with the template a Figure would carry (see :func:`template`).

    *data* and *layout* must already be what plotly.py's validation would make of them
    (explicit colour scales, lists): nothing is checked here.
    """
    return {"data": data, "layout": {"template": template(template_name), **layout}}


def figure_html(fig: dict[str, Any], div_id: str) -> str:
    """An HTML fragment drawing the figure dict *fig* (see :func:`figure`), unvalidated."""
    return pio.to_html(fig, full_html=False, include_plotlyjs=False, div_id=div_id,
                       config=CONFIG, validate=False)
