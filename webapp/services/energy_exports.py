"""Energy chart data as tables for download (CSV / XLSX through webapp.exports.table_response).

Each table is exactly what its chart shows, so a download never holds more than the page. Times
go out in Amsterdam time (what the page shows; CSV carries the offset so the two 02:00 hours of
the day the clocks go back stay apart) and, for quarter-hours and hours, in UTC as well.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime

import pandas as pd
from flask_babel import gettext as _

from sensors.analytics.energy import HOURS_PER_BUCKET, EnergySummary
from sensors.rollups import AMSTERDAM

from ..models import Device
from .energy_views import COMPARED, EnergyView

DECIMALS = 4
Table = tuple[list[str], Iterator[list]]


def cell(value):
    """A figure as a table cell: rounded floats (None for NaN), Amsterdam times."""
    if value is None:
        return None
    if isinstance(value, float):
        return None if value != value else round(value, DECIMALS)
    if isinstance(value, datetime):
        return value.astimezone(AMSTERDAM)
    return value


def figure_labels(own: bool = False) -> dict[str, str]:
    """Names of the energy figures, in the user's language (*own*: one company's meters)."""
    labels = {
        "consumption_kwh": _("Consumption (kWh)"), "pv_kwh": _("PV production (kWh)"),
        "import_kwh": _("Grid import (kWh)"), "export_kwh": _("Grid export (kWh)"),
        "self_consumed_kwh": _("Self-consumed PV (kWh)"), "net_kwh": _("Net import (kWh)"),
        "self_sufficiency": _("Self-sufficiency"), "self_consumption": _("Self-consumption"),
        "collective_peak_kw": _("Collective peak (kW)"),
        "sum_individual_peaks_kw": _("Sum of individual peaks (kW)"),
        "headroom_kw": _("Headroom (kW)"), "contracted_kw": _("Contracted capacity (kW)"),
        "peak_vs_contract": _("Peak / contracted capacity"), "net_kw": _("Net import (kW)"),
        "import_kw": _("Grid import (kW)"), "contracted": _("Contracted capacity (kW)"),
        "peak_kw": _("Highest quarter-hour import (kW)"),
    }
    if own:
        labels["collective_peak_kw"] = _("Peak (kW)")
    return labels


def _start_cells(start: pd.Timestamp, resolution: str) -> list:
    local = start.to_pydatetime().astimezone(AMSTERDAM)
    if resolution == "1mo":
        return [date(local.year, local.month, 1)]
    if resolution == "1d":
        return [local.date()]
    return [local, start.to_pydatetime().astimezone(UTC)]


def _start_headers(resolution: str) -> list[str]:
    if resolution == "1mo":
        return [_("Month")]
    if resolution == "1d":
        return [_("Date")]
    return [_("Start (Amsterdam time)"), _("Start (UTC)")]


def energy_table(view: EnergyView) -> Table:
    """The balance per bucket: consumption, PV, import, export, self-consumed, net (kWh)."""
    labels = figure_labels()
    columns = ["consumption_kwh", "pv_kwh", "import_kwh", "export_kwh", "self_consumed_kwh",
               "net_kwh"]
    headers = _start_headers(view.resolution) + [labels[c] for c in columns]

    def rows() -> Iterator[list]:
        for start, row in view.series.iterrows():
            yield _start_cells(start, view.resolution) + [cell(row[c]) for c in columns]

    return headers, rows()


def power_table(view: EnergyView) -> Table:
    """Net and gross grid import in kW per quarter-hour or hour."""
    labels = figure_labels()
    hours = HOURS_PER_BUCKET[view.resolution]
    headers = _start_headers(view.resolution) + [labels["net_kw"], labels["import_kw"]]

    def rows() -> Iterator[list]:
        for start, row in view.series.iterrows():
            yield _start_cells(start, view.resolution) + [
                cell(row["net_kwh"] / hours), cell(row["import_kwh"] / hours)]

    return headers, rows()


def _summary_value(summary: EnergySummary, key: str):
    return cell(getattr(summary, key))


def summary_table(view: EnergyView) -> Table:
    """The period's figures next to the previous period's, with the relative change."""
    labels = figure_labels()
    headers = [_("Figure"), _("This period"), _("Previous period"), _("Change")]
    keys = [*COMPARED, "contracted_kw", "peak_vs_contract"]

    def rows() -> Iterator[list]:
        changes = {c.key: c.change for c in view.comparisons()}
        for key in keys:
            yield [labels[key], _summary_value(view.summary, key),
                   _summary_value(view.previous, key), cell(changes.get(key))]
        yield [_("Collective peak at"), cell(view.summary.collective_peak_at),
               cell(view.previous.collective_peak_at), None]

    return headers, rows()


def stress_table(stress: pd.DataFrame) -> Table:
    """The hours of highest collective net import."""
    labels = figure_labels()
    headers = [_("Rank"), _("Hour (Amsterdam time)"), _("Start (UTC)"), labels["net_kw"],
               labels["import_kw"]]

    def rows() -> Iterator[list]:
        for row in stress.itertuples(index=False):
            moment = row.start.to_pydatetime()
            yield [int(row.rank), moment.astimezone(AMSTERDAM), moment.astimezone(UTC),
                   cell(float(row.net_kw)), cell(float(row.import_kw))]

    return headers, rows()


def heatmap_table(grid: pd.DataFrame, weekdays: Sequence[str]) -> Table:
    """Mean net import (kW) per weekday (rows) and hour of the day (columns)."""
    headers = [_("Weekday")] + [f"{hour:02d}:00" for hour in grid.columns]

    def rows() -> Iterator[list]:
        for name, values in zip(weekdays, grid.to_numpy(), strict=True):
            yield [name] + [cell(float(v)) for v in values]

    return headers, rows()


def meters_table(meters: Sequence[Device], totals: pd.DataFrame, peaks: dict[str, float],
                 extra: dict[str, str] | None = None, company: bool = False) -> Table:
    """Per meter: totals and highest quarter-hour import; *extra* adds e.g. the share level."""
    labels = figure_labels()
    columns = ["consumption_kwh", "pv_kwh", "import_kwh", "export_kwh"]
    headers = ([_("Company")] if company else []) + [_("Meter"), _("Device id")] + (
        [_("Shared")] if extra is not None else []) + [labels[c] for c in columns] + [
        labels["peak_kw"]]

    def rows() -> Iterator[list]:
        for meter in meters:
            known = meter.uid in totals.index
            head = ([meter.company.name if meter.company else ""] if company else []) + [
                meter.name, meter.uid] + ([extra.get(meter.uid, "")] if extra is not None
                                          else [])
            yield head + [cell(float(totals.at[meter.uid, c])) if known else None
                          for c in columns] + [cell(peaks.get(meter.uid))]

    return headers, rows()
