"""Energy charts as plain figure dicts: what plotly.py's validation would make of them, with the
template a Figure carries, written out offline."""

from __future__ import annotations

import json
import re
from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from sensors.analytics.energy import BALANCE_COLUMNS, EnergySummary
from sensors.analytics.periods import Period
from webapp.charts import energy as charts
from webapp.charts import figure, figure_html, template

LABELS = {key: key.replace("_", " ") for key in (
    "import_kwh", "export_kwh", "pv_kwh", "consumption_kwh", "net_kw", "contracted",
    "collective_peak_kw", "sum_individual_peaks_kw", "contracted_kw")}


def series(period: Period, resolution: str) -> pd.DataFrame:
    index = period.buckets(resolution)
    rng = np.random.default_rng(len(index))
    frame = pd.DataFrame({c: rng.random(len(index)) for c in BALANCE_COLUMNS}, index=index)
    frame.iloc[::5] = np.nan  # no data there
    return frame


def summary(contracted: float | None) -> EnergySummary:
    return EnergySummary(meters=3, import_kwh=10.0, export_kwh=2.0, pv_kwh=4.0,
                         consumption_kwh=12.0, self_consumed_kwh=2.0, self_sufficiency=1 / 6,
                         self_consumption=0.5, collective_peak_kw=120.5, collective_peak_at=None,
                         sum_individual_peaks_kw=200.25, headroom_kw=79.75,
                         contracted_kw=contracted, peak_vs_contract=None)


def heat() -> pd.DataFrame:
    grid = pd.DataFrame(np.arange(7 * 24, dtype=float).reshape(7, 24), columns=range(24))
    grid.iloc[2, 3] = np.nan
    return grid


DST_DAY = Period("day", date(2026, 10, 25))
FIGURES = {
    "energy-dst-day": lambda: charts.energy_figure(series(DST_DAY, "15m"), "15m", LABELS, "nl"),
    "energy-week": lambda: charts.energy_figure(
        series(Period("week", date(2026, 6, 15)), "1h"), "1h", LABELS, "en", True),
    "energy-month-bars": lambda: charts.energy_figure(
        series(Period("month", date(2026, 6, 1)), "1d"), "1d", LABELS, "nl", True),
    "energy-year-bars": lambda: charts.energy_figure(
        series(Period("year", date(2026, 1, 1)), "1mo"), "1mo", LABELS, "en", True),
    "power": lambda: charts.power_figure(series(DST_DAY, "15m"), "15m", LABELS, "nl"),
    "power-contracted": lambda: charts.power_figure(series(DST_DAY, "1h"), "1h", LABELS, "nl",
                                                    250.0),
    "peaks": lambda: charts.peaks_figure(summary(None), LABELS),
    "peaks-contracted": lambda: charts.peaks_figure(summary(300.0), LABELS),
    "heatmap": lambda: charts.heatmap_figure(heat(), list("MTWTFSS"), "net <b>kW</b>"),
}


def plain(fig: dict) -> dict:
    """The JSON plotly.js gets."""
    return json.loads(pio.to_json(fig, validate=False))


@pytest.mark.parametrize("name", FIGURES)
def test_figure_dicts_are_what_validation_makes_of_them(name):
    fig = FIGURES[name]()
    assert plain(go.Figure(fig).to_plotly_json()) == plain(fig)
    assert fig["layout"]["template"] is template()


@pytest.mark.parametrize(("name", "keys"), [
    ("energy-dst-day", ["consumption_kwh", "pv_kwh", "import_kwh", "export_kwh"]),
    ("power", ["net_kw"]), ("power-contracted", ["net_kw", "contracted"]),
    ("peaks", ["peaks"]), ("heatmap", ["heatmap"])])
def test_traces_keep_their_keys(name, keys):
    assert [trace["meta"] for trace in FIGURES[name]()["data"]] == keys


def test_the_dst_day_shows_its_100_quarter_hours_and_gaps():
    trace = FIGURES["energy-dst-day"]()["data"][0]
    assert len(trace["x"]) == len(set(trace["x"])) == 100
    assert trace["y"][0] is None and trace["y"][1] is not None
    assert "02:15 CEST" in trace["x"] and "02:15 CET" in trace["x"]


@pytest.mark.parametrize(("name", "barmode"), [("energy-month-bars", "group"),
                                               ("energy-dst-day", None)])
def test_bars_are_grouped_and_lines_are_not(name, barmode):
    assert FIGURES[name]()["layout"].get("barmode") == barmode


def test_template_is_the_default_one_built_once():
    assert template() == pio.templates[pio.templates.default].to_plotly_json()
    assert template() is template()
    assert template("plotly_white") != template()
    fig = figure([{"type": "bar", "y": [1]}], {"height": 100}, "plotly_white")
    assert fig["layout"] == {"template": template("plotly_white"), "height": 100}


def test_figure_html_draws_into_its_div_offline():
    fig = FIGURES["power-contracted"]()
    html = charts.html(fig, "power", "b")
    assert 'id="power-chart-b"' in html and "cdn.plot.ly" not in html
    data = re.search(r'Plotly\.newPlot\(\s*"power-chart-b",\s*(\[.*?\]),\s*\{', html, re.S)
    assert json.loads(data.group(1)) == plain(fig)["data"]
    assert '"displayModeBar": false' in figure_html(fig, "x")
