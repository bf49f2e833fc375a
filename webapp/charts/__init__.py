"""Plotly figures for the pages: pandas DataFrames in, HTML fragments out.

plotly.js itself is served by the app from the installed plotly package (see `PLOTLY_JS` and the
`main.plotly_js` route), so charts work offline with no CDN. Pages that show a chart include
`templates/macros/charts.html` -> `plotly_script()` once.
"""

from __future__ import annotations

from pathlib import Path

import plotly
from plotly.graph_objects import Figure

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"

# Offline, no plotly logo, no "edit in chart studio" link; responsive to the container.
CONFIG = {"displaylogo": False, "responsive": True, "displayModeBar": False}


def to_html(fig: Figure, div_id: str) -> str:
    """An HTML fragment drawing *fig* into a div with id *div_id* (plotly.js loaded separately)."""
    return fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id, config=CONFIG)
