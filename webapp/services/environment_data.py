"""Water, heat and air-quality data of a park, read from rollups only (never raw readings).

A request names a :class:`Window`: an Amsterdam calendar period (day, week, month, year) or a
from/to range, and a resolution (15m, 1h, 1d or 1mo). Quarter-hours, hours and days come straight
from the 15m, 1h and 1d rollups; months are summed from day rollups. Every sensor of any device of
the park counts (environment data are park data, not consent-gated).

Each chart has a *value key*: rainfall, water_level and water_use (water), temperature (heat),
pm25, pm10 and no2 (air). A bucket's value is the sum for rainfall, the meter consumption for
water use and the mean (with min and max) for the gauges.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from sensors.analytics.periods import KINDS, RESOLUTIONS, Period, bucket_labels
from sensors.quantities import QUANTITIES

from ..models import Device, Park, Rollup, Sensor
from .energy_sql import raw_start

DOMAINS: tuple[str, ...] = ("water", "heat", "air")
VALUES: dict[str, tuple[str, ...]] = {
    "water": ("rainfall", "water_level", "water_use"),
    "heat": ("temperature",),
    "air": ("pm25", "pm10", "no2"),
}
QUANTITY_OF: dict[str, str] = {"rainfall": "rainfall", "water_level": "water_level",
                               "water_use": "water", "temperature": "temperature",
                               "pm25": "pm25", "pm10": "pm10", "no2": "no2"}
KEY_OF: dict[str, str] = {quantity: key for key, quantity in QUANTITY_OF.items()}
# How a bucket's value is made: summed readings, summed meter deltas, or the mean of readings.
STATISTIC: dict[str, str] = {"rainfall": "sum", "water_use": "consumption"}
# The rollup period each resolution is read from.
SOURCE_PERIOD: dict[str, str] = {"15m": "15m", "1h": "1h", "1d": "1d", "1mo": "1d"}
# Chart resolution per domain and period kind (hourly heat, daily air means).
DEFAULT_RESOLUTION: dict[str, dict[str, str]] = {
    "water": {"day": "15m", "week": "1h", "month": "1d", "year": "1mo"},
    "heat": {"day": "1h", "week": "1h", "month": "1d", "year": "1d"},
    "air": {"day": "1h", "week": "1d", "month": "1d", "year": "1d"},
}
# Longest from/to range per resolution; quarter-hours only for (at most) one day.
MAX_SPAN: dict[str, timedelta] = {"15m": timedelta(hours=25), "1h": timedelta(days=367),
                                  "1d": timedelta(days=3660), "1mo": timedelta(days=3660)}
# Years a period may start in (as the energy API and device forms).
FIRST_YEAR, LAST_YEAR = 1970, 2100
SERIES_COLUMNS = ["key", "sensor_id", "start", "value", "min", "max", "count"]
ROLLUP_COLUMNS = ["sensor_id", "start", "count", "min", "max", "sum", "consumption"]


class WindowError(ValueError):
    """A window that cannot be read; *field* names the offending request parameter."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


class PeriodOutOfRange(WindowError):
    """A period outside the years FIRST_YEAR..LAST_YEAR."""


@dataclass(frozen=True)
class Window:
    """What to read: UTC range [start, end), resolution, and the calendar period if any."""

    start: datetime
    end: datetime
    resolution: str
    period: Period | None = None

    def previous(self) -> Window | None:
        """The previous period at the same resolution (None for a from/to range)."""
        if self.period is None:
            return None
        before = self.period.previous()
        return Window(before.start_utc, before.end_utc, self.resolution, before)

    def buckets(self) -> pd.DatetimeIndex | None:
        """Every bucket start of a calendar period (None for a from/to range)."""
        return None if self.period is None else self.period.buckets(self.resolution)

    @property
    def days(self) -> float:
        """The window's length in days."""
        return (self.end - self.start) / timedelta(days=1)


def allowed_resolutions(kind: str) -> tuple[str, ...]:
    """Resolutions a period of *kind* may be shown in: 15m only for a day, 1mo not within one."""
    allowed = Period.containing(kind, date(2026, 1, 5)).allowed_resolutions
    return tuple(r for r in allowed if r != "15m" or kind == "day")


def period_window(domain: str, period: Period, resolution: str | None = None) -> Window:
    """The window of a calendar period, at *resolution* or the domain's default for it."""
    resolution = resolution or DEFAULT_RESOLUTION[domain][period.kind]
    allowed = allowed_resolutions(period.kind)
    if resolution not in allowed:
        raise WindowError("resolution", f"resolution {resolution!r} does not fit a "
                          f"{period.kind}; use one of {', '.join(allowed)}")
    return Window(period.start_utc, period.end_utc, resolution, period)


def range_window(start: datetime, end: datetime, resolution: str | None = None) -> Window:
    """A from/to window; the default resolution depends on its length."""
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    if start >= end:
        raise WindowError("from", "from must be before to")
    if resolution is None:
        span = end - start
        resolution = "1h" if span <= timedelta(days=2) else "1d" if span <= timedelta(
            days=92) else "1mo"
    if end - start > MAX_SPAN[resolution]:
        limit = MAX_SPAN[resolution]
        size = f"{int(limit.total_seconds() // 3600)} hours" if limit < timedelta(
            days=2) else f"{limit.days} days"
        raise WindowError("to", f"a range of at most {size} at resolution {resolution}")
    return Window(start, end, resolution)


def parse_period(kind: str | None, at: str | None, today: date) -> Period:
    """The period of *kind* named by *at* (a period key or any date in it); default today's.

    WindowError for field "at" when *at* names no period, and PeriodOutOfRange when the period
    starts outside FIRST_YEAR..LAST_YEAR (its UTC bounds would not fit a datetime near the ends).
    """
    kind = (kind or "week").strip()
    if kind not in KINDS:
        raise WindowError("period", f"period must be one of {', '.join(KINDS)}")
    text = (at or "").strip()
    if not text:
        return Period.containing(kind, today)
    period = _named_period(kind, text)
    if not FIRST_YEAR <= period.start.year <= LAST_YEAR:
        raise PeriodOutOfRange("at", f"the {kind} must lie between {FIRST_YEAR} and "
                                     f"{LAST_YEAR}")
    return period


def _named_period(kind: str, text: str) -> Period:
    try:
        return Period.parse(kind, text)
    except ValueError as exc:
        try:
            return Period.containing(kind, date.fromisoformat(text))
        except (ValueError, OverflowError):
            raise WindowError("at", str(exc)) from None


def check_resolution(text: str | None) -> str | None:
    """*text* if it is a known resolution, None when empty; WindowError otherwise."""
    text = (text or "").strip()
    if not text:
        return None
    if text not in RESOLUTIONS:
        raise WindowError("resolution", f"resolution must be one of {', '.join(RESOLUTIONS)}")
    return text


@dataclass(frozen=True)
class EnvSensor:
    """A sensor of the park that feeds one value key, with its device's name and place."""

    id: int
    key: str
    quantity: str
    unit: str
    field: str
    name: str
    device_uid: str
    device_name: str
    location: str
    company_id: int | None
    limit_cm: float | None

    @property
    def label(self) -> str:
        """Device name, location and sensor name as one line."""
        parts = [self.device_name, self.location, self.name or self.field]
        return " · ".join(p for p in parts if p)


def park_sensors(db: Session, park: Park, keys: tuple[str, ...]) -> list[EnvSensor]:
    """The park's sensors feeding *keys*, by key order, device name and sensor id."""
    quantities = [QUANTITY_OF[key] for key in keys]
    rows = db.execute(select(Sensor, Device).join(Device, Sensor.device_id == Device.id)
                      .where(Device.park_id == park.id, Sensor.quantity.in_(quantities))
                      .order_by(Device.name, Device.id, Sensor.id))
    sensors = [_env_sensor(sensor, device) for sensor, device in rows]
    return sorted(sensors, key=lambda s: keys.index(s.key))


def _env_sensor(sensor: Sensor, device: Device) -> EnvSensor:
    key = KEY_OF[sensor.quantity]
    return EnvSensor(
        id=sensor.id, key=key, quantity=sensor.quantity, unit=QUANTITIES[sensor.quantity].unit,
        field=sensor.field, name=sensor.name or "", device_uid=device.uid,
        device_name=device.name, location=device.location or "", company_id=device.company_id,
        limit_cm=device.water_level_limit_cm if key == "water_level" else None)


def read_rollups(db: Session, sensor_ids: list[int], period: str, start: datetime,
                 end: datetime) -> pd.DataFrame:
    """Rollups of *period* of the sensors with start in [start, end) (ROLLUP_COLUMNS)."""
    if not sensor_ids:
        return _typed(pd.DataFrame(columns=ROLLUP_COLUMNS))
    table = Rollup.__table__.c  # Core columns: a year of hours without ORM row overhead
    stmt = (select(table.sensor_id, raw_start(table.start), table.count, table.min, table.max,
                   table.sum, table.consumption)
            .where(table.sensor_id.in_(sensor_ids), table.period == period,
                   table.start >= start.astimezone(UTC), table.start < end.astimezone(UTC))
            .order_by(table.sensor_id, table.start))
    # Plain tuples: pandas probes Row objects for mapping keys, which is slow.
    rows = [tuple(row) for row in db.connection().execute(stmt)]
    return _typed(pd.DataFrame(rows, columns=ROLLUP_COLUMNS))


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    # SQLite hands back UTC text, PostgreSQL aware datetimes: both end up in UTC.
    frame["start"] = pd.to_datetime(frame["start"].astype(object), utc=True, format="ISO8601")
    for column in ("count", "min", "max", "sum", "consumption"):
        frame[column] = pd.to_numeric(frame[column]).astype(float)
    frame["sensor_id"] = frame["sensor_id"].astype(int)
    return frame


def to_resolution(rollups: pd.DataFrame, resolution: str) -> pd.DataFrame:
    """Rollups read for *resolution* in its buckets: day rollups summed into months for 1mo."""
    if resolution != "1mo" or rollups.empty:
        return rollups
    labels = bucket_labels(pd.DatetimeIndex(rollups["start"]), "1mo")
    grouped = rollups.assign(start=labels).groupby(["sensor_id", "start"], sort=True)
    return grouped.agg(count=("count", "sum"), min=("min", "min"), max=("max", "max"),
                       sum=("sum", "sum"),
                       consumption=("consumption", lambda s: s.sum(min_count=1))).reset_index()


def series_frame(rollups: pd.DataFrame, sensors: Mapping[int, EnvSensor]) -> pd.DataFrame:
    """Bucketed rollups as chart series (SERIES_COLUMNS): one value per sensor and bucket."""
    if rollups.empty:
        return pd.DataFrame(columns=SERIES_COLUMNS).astype({"start": "datetime64[ns, UTC]"})
    keys = rollups["sensor_id"].map({sid: sensor.key for sid, sensor in sensors.items()})
    statistic = keys.map(STATISTIC).fillna("mean")
    gauge = statistic == "mean"
    means = rollups["sum"] / rollups["count"].where(rollups["count"] > 0)
    totals = rollups["sum"].where(statistic == "sum", rollups["consumption"])
    frame = pd.DataFrame({"key": keys, "sensor_id": rollups["sensor_id"],
                          "start": rollups["start"], "value": means.where(gauge, totals),
                          "min": rollups["min"].where(gauge), "max": rollups["max"].where(gauge),
                          "count": rollups["count"]})
    return frame.reset_index(drop=True)


def read_series(db: Session, sensors: list[EnvSensor],
                window: Window) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The window's chart series at its resolution, and the series of the rollups read for it.

    The two are the same frame except for 1mo, whose months are summed from day rollups.
    """
    by_id = {s.id: s for s in sensors}
    raw = read_rollups(db, list(by_id), SOURCE_PERIOD[window.resolution], window.start,
                       window.end)
    source = series_frame(raw, by_id)
    if window.resolution != "1mo":
        return source, source
    return series_frame(to_resolution(raw, window.resolution), by_id), source


def sensor_values(series: pd.DataFrame, sensor_id: int, column: str = "value") -> pd.Series:
    """One sensor's *column* from a series frame, indexed by UTC bucket start."""
    rows = series[series["sensor_id"] == sensor_id]
    return pd.Series(rows[column].to_numpy(dtype=float),
                     index=pd.DatetimeIndex(rows["start"], name="start"), name=column)
