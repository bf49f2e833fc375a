"""Environment report tables for download: every chart's series and the figures per sensor.

Times go out twice: in Amsterdam time (what the page shows; CSV carries the offset, so the two
02:00 hours of the day the clocks go back stay apart) and in UTC. The download itself, with
formula neutralising, is :func:`webapp.exports.table_response`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pandas as pd
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from sensors.rollups import AMSTERDAM

from .environment_reports import EnvironmentReport

DECIMALS = 6
STAT_LABELS = {
    "total_mm": _l("Total"), "wettest_day_mm": _l("Wettest day"),
    "wettest_day": _l("Date of the wettest day"), "max_cm": _l("Highest level"),
    "max_at": _l("Highest level at"), "limit_cm": _l("Limit"),
    "above_limit": _l("Above the limit"), "margin_cm": _l("Margin below the limit"),
    "min_cm": _l("Lowest level"), "mean_cm": _l("Mean level"), "total_m3": _l("Total use"),
    "days": _l("Days with data"), "per_day_m3": _l("Mean use per day"),
    "warning_hours": _l("Hours at or above 27 °C"), "alarm_hours": _l("Hours at or above 30 °C"),
    "hours": _l("Hours with data"), "mean_c": _l("Mean temperature"),
    "min_c": _l("Lowest reading"), "max_c": _l("Highest reading"),
    "max_hourly_mean_c": _l("Warmest hour (mean)"), "max_hourly_mean_at": _l("Warmest hour at"),
    "warning_c": _l("Heat-stress warning level"), "alarm_c": _l("Heat-stress alarm level"),
    "mean": _l("Mean of the daily means"), "exceedance_days": _l("Days above the WHO 24-hour "
                                                                  "guideline"),
    "max_daily_mean": _l("Highest daily mean"), "who_24h": _l("WHO 24-hour guideline"),
    "who_annual": _l("WHO annual guideline"), "annual_ratio": _l("Mean / WHO annual guideline"),
}


def cell(value):
    """A figure as a table cell: rounded floats, Amsterdam times, dates as they are."""
    if isinstance(value, float):
        return None if value != value else round(value, DECIMALS)
    if isinstance(value, datetime):
        return value.astimezone(AMSTERDAM)
    return value


def _local(moment: pd.Timestamp) -> datetime:
    return moment.to_pydatetime().astimezone(AMSTERDAM)


def series_table(report: EnvironmentReport, key: str) -> tuple[list[str], Iterator[list]]:
    """Headers and rows of one chart's data: one row per sensor and bucket."""
    headers = [_("Start (Amsterdam time)"), _("Start (UTC)"), _("Device"), _("Location"),
               _("Sensor"), _("Unit"), _("Value"), _("Minimum"), _("Maximum"), _("Readings")]
    sensors = {s.id: s for s in report.sensors_for(key)}
    rows = report.series_for(key).sort_values(["sensor_id", "start"])

    def table() -> Iterator[list]:
        for row in rows.itertuples(index=False):
            sensor = sensors[row.sensor_id]
            yield [_local(row.start), row.start.to_pydatetime().astimezone(UTC),
                   sensor.device_name, sensor.location, sensor.name or sensor.field,
                   sensor.unit, cell(row.value), cell(row.min), cell(row.max), int(row.count)]

    return headers, table()


def summary_table(report: EnvironmentReport) -> tuple[list[str], Iterator[list]]:
    """Headers and rows of the figures: one row per sensor and figure, with the previous one."""
    headers = [_("Device"), _("Location"), _("Sensor"), _("Quantity"), _("Figure"),
               _("Value"), _("Previous period")]

    def table() -> Iterator[list]:
        for summary in report.summaries:
            sensor = summary.sensor
            previous = summary.previous or {}
            for name, value in summary.stats.items():
                yield [sensor.device_name, sensor.location, sensor.name or sensor.field,
                       sensor.key, str(STAT_LABELS.get(name, name)), cell(value),
                       cell(previous.get(name))]

    return headers, table()


def json_value(value):
    """A figure as JSON: ISO text for times (UTC) and dates, rounded floats."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return cell(value)
