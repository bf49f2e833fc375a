"""What the energy pages draw and offer for download: chart blocks and their tables.

The views decide who may see which meters; this module turns an EnergyView into chart HTML
(plotly, served offline) and into the table behind each chart, by the same key, so a download
holds exactly what its chart shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from flask_babel import get_locale
from flask_babel import gettext as _

from sensors.rollups import AMSTERDAM

from ..charts import energy as charts
from ..models import Device
from . import energy_exports as exports
from .energy_views import EnergyView

# Charts per page kind; "power" only exists for quarter-hours and hours.
COMPANY_CHARTS: tuple[str, ...] = ("energy", "power", "summary")
PARK_CHARTS: tuple[str, ...] = ("energy", "power", "peaks", "summary", "stress", "heatmap")


@dataclass(frozen=True)
class ChartBlock:
    """One chart (or table) on a page: key for its download, title, HTML ('' = table only)."""

    key: str
    title: str
    html: str


def lang() -> str:
    """The page language ("nl" or "en")."""
    return str(get_locale() or "nl")


def local_time(moment) -> str:
    """A UTC moment as Amsterdam time with its zone, e.g. 2026-10-25 02:00 CET ('–' if none);
    the zone tells the two 02:00 hours of the day the clocks go back apart."""
    if moment is None:
        return "–"
    stamp = pd.Timestamp(moment)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp
    return stamp.tz_convert(AMSTERDAM).strftime("%Y-%m-%d %H:%M %Z")


def weekday_names() -> list[str]:
    """Monday .. Sunday in the user's language."""
    return [_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"),
            _("Saturday"), _("Sunday")]


def has_power(view: EnergyView) -> bool:
    """Power (kW) is drawn for quarter-hours and hours only."""
    return view.resolution in ("15m", "1h")


def available(view: EnergyView, keys: Sequence[str]) -> list[str]:
    """The chart keys of *keys* this view can show."""
    return [k for k in keys if k != "power" or has_power(view)]


def _titles() -> dict[str, str]:
    return {"energy": _("Consumption, production, import and export"),
            "power": _("Grid power"), "peaks": _("Peaks and headroom"),
            "summary": _("Figures compared with the previous period"),
            "stress": _("Hours of highest grid stress"),
            "heatmap": _("Mean net import per weekday and hour")}


def _html(view: EnergyView, key: str, contracted_kw: float | None, suffix: str) -> str:
    labels = exports.figure_labels()
    with_date = view.period.kind != "day"
    if key == "energy":
        fig = charts.energy_figure(view.series, view.resolution, labels, lang(), with_date)
    elif key == "power":
        fig = charts.power_figure(view.series, view.resolution, labels, lang(),
                                  contracted_kw, with_date)
    elif key == "peaks":
        fig = charts.peaks_figure(view.summary, labels)
    elif key == "heatmap" and view.heatmap is not None:
        fig = charts.heatmap_figure(view.heatmap, weekday_names(), labels["net_kw"])
    else:
        return ""
    return charts.html(fig, key, suffix)


def chart_blocks(view: EnergyView, keys: Sequence[str], contracted_kw: float | None = None,
                 suffix: str = "") -> list[ChartBlock]:
    """The page's chart blocks for *keys* (tables such as "summary" have no HTML)."""
    titles = _titles()
    return [ChartBlock(key, titles[key], _html(view, key, contracted_kw, suffix))
            for key in available(view, keys)]


def table(view: EnergyView, key: str) -> exports.Table | None:
    """The download behind chart *key* (None when the view has no such chart)."""
    if key == "energy":
        return exports.energy_table(view)
    if key == "power" and has_power(view):
        return exports.power_table(view)
    if key in ("summary", "peaks"):
        return exports.summary_table(view)
    if key == "stress" and view.stress is not None:
        return exports.stress_table(view.stress)
    if key == "heatmap" and view.heatmap is not None:
        return exports.heatmap_table(view.heatmap, weekday_names())
    return None


def meter_rows(meters: Sequence[Device], totals: pd.DataFrame,
               peaks: dict[str, float]) -> list[dict]:
    """Per meter, for the page tables: the device, its totals (or None) and its peak."""
    rows = []
    for meter in meters:
        known = meter.uid in totals.index
        rows.append({"meter": meter, "peak_kw": peaks.get(meter.uid),
                     **{c: float(totals.at[meter.uid, c]) if known else None
                        for c in ("consumption_kwh", "pv_kwh", "import_kwh", "export_kwh")}})
    return rows
