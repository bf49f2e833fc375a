"""One call per environment page or API answer: series, per-sensor figures, previous period.

Figures per sensor and value key (all from rollups):

- rainfall: total mm of the window, wettest day (from day rollups);
- water_level: highest level and when, against the device's ``water_level_limit_cm``, lowest
  and mean level;
- water_use: total m³ and the mean use per day with data (from day rollups);
- temperature: hours whose mean is at or above 27 °C and 30 °C (from hour rollups, the numbers
  of the alert rules), mean of the hourly means, lowest and highest reading;
- pm25, pm10, no2: mean of the daily means, days with a mean strictly above the WHO 24-hour
  guideline, the highest daily mean, and the mean against the WHO annual guideline.

For a calendar period the same figures of the previous period come along for comparison.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from sqlalchemy.orm import Session

from sensors.analytics import climate
from sensors.analytics.periods import local_date

from ..models import Park
from .environment_data import (
    SOURCE_PERIOD,
    VALUES,
    EnvSensor,
    Window,
    park_sensors,
    read_rollups,
    read_series,
    sensor_values,
    series_frame,
)

Stats = dict[str, float | int | bool | datetime | date | None]
# The figures compared with the previous period, per value key.
COMPARED: dict[str, tuple[str, ...]] = {
    "rainfall": ("total_mm",), "water_level": ("max_cm",), "water_use": ("total_m3",),
    "temperature": ("warning_hours", "alarm_hours", "mean_c"),
    "pm25": ("mean", "exceedance_days"), "pm10": ("mean", "exceedance_days"),
    "no2": ("mean", "exceedance_days"),
}


@dataclass(frozen=True)
class SensorSummary:
    """The figures of one sensor in the window, and the compared ones of the previous period."""

    sensor: EnvSensor
    stats: Stats
    previous: Stats | None


@dataclass(frozen=True)
class EnvironmentReport:
    """Everything an environment page or API answer shows for one domain and window."""

    domain: str
    keys: tuple[str, ...]
    window: Window
    sensors: tuple[EnvSensor, ...]
    series: pd.DataFrame
    summaries: tuple[SensorSummary, ...]

    @property
    def has_data(self) -> bool:
        """Whether any sensor has any data in the window."""
        return not self.series.empty

    def sensors_for(self, key: str) -> list[EnvSensor]:
        """The sensors feeding *key*."""
        return [s for s in self.sensors if s.key == key]

    def series_for(self, key: str) -> pd.DataFrame:
        """The series rows of *key*."""
        return self.series[self.series["key"] == key]

    def summaries_for(self, key: str) -> list[SensorSummary]:
        """The per-sensor figures of *key*."""
        return [s for s in self.summaries if s.sensor.key == key]


def build_report(db: Session, park: Park, domain: str, window: Window,
                 keys: tuple[str, ...] | None = None) -> EnvironmentReport:
    """The report of *domain* (water, heat or air) for *park* over *window*."""
    keys = keys or VALUES[domain]
    sensors = park_sensors(db, park, keys)
    series, source = read_series(db, sensors, window)
    stats = sensor_stats(db, sensors, window, source)
    before = window.previous()
    previous = sensor_stats(db, sensors, before, read_series(db, sensors, before)[1]) \
        if before is not None and sensors else None
    summaries = tuple(
        SensorSummary(s, stats[s.id], _compared(s.key, previous[s.id]) if previous else None)
        for s in sensors)
    return EnvironmentReport(domain, keys, window, tuple(sensors), series, summaries)


def _compared(key: str, stats: Stats) -> Stats:
    return {name: stats.get(name) for name in COMPARED[key]}


def sensor_stats(db: Session, sensors: list[EnvSensor], window: Window,
                 source: pd.DataFrame) -> dict[int, Stats]:
    """The figures of every sensor over *window*, given the series of the rollups read for it.

    *source* holds the rollups the window's resolution is read from (day rollups for 1mo),
    unbucketed; totals and extremes are the same either way.
    """
    daily = _finer(db, sensors, window, source, "1d",
                   {"rainfall", "water_use", "pm25", "pm10", "no2"})
    hourly = _finer(db, sensors, window, source, "1h", {"temperature"})
    return {s.id: _stats(s, source, daily, hourly) for s in sensors}


def _finer(db: Session, sensors: list[EnvSensor], window: Window, source: pd.DataFrame,
           resolution: str, keys: set[str]) -> pd.DataFrame:
    """Series of *resolution* rollups of the sensors with *keys* (*source* when it is that)."""
    if SOURCE_PERIOD[window.resolution] == resolution:
        return source
    wanted = [s for s in sensors if s.key in keys]
    raw = read_rollups(db, [s.id for s in wanted], resolution, window.start, window.end)
    return series_frame(raw, {s.id: s for s in wanted})


def _stats(sensor: EnvSensor, series: pd.DataFrame, daily: pd.DataFrame,
           hourly: pd.DataFrame) -> Stats:
    if sensor.key == "rainfall":
        return rainfall_stats(sensor_values(series, sensor.id), sensor_values(daily, sensor.id))
    if sensor.key == "water_level":
        return level_stats(series, sensor)
    if sensor.key == "water_use":
        return use_stats(sensor_values(series, sensor.id), sensor_values(daily, sensor.id))
    if sensor.key == "temperature":
        return temperature_stats(series, hourly, sensor.id)
    return air_stats(sensor.quantity, sensor_values(daily, sensor.id))


def _total(values: pd.Series) -> float | None:
    values = values.dropna()
    return None if values.empty else float(values.sum())


def _max_day(daily: pd.Series) -> tuple[float | None, date | None]:
    values = daily.dropna()
    if values.empty:
        return None, None
    return float(values.max()), local_date(values.idxmax().to_pydatetime())


def rainfall_stats(values: pd.Series, daily: pd.Series) -> Stats:
    """Total rainfall (mm) of the window and its wettest day."""
    wettest_mm, wettest_day = _max_day(daily)
    return {"total_mm": _total(values), "wettest_day_mm": wettest_mm,
            "wettest_day": wettest_day}


def use_stats(values: pd.Series, daily: pd.Series) -> Stats:
    """Total water use (m³) and the mean use per day with data."""
    days = daily.dropna()
    return {"total_m3": _total(values), "days": len(days),
            "per_day_m3": None if days.empty else float(days.mean())}


def _weighted_mean(series: pd.DataFrame, sensor_id: int) -> float | None:
    rows = series[(series["sensor_id"] == sensor_id) & series["value"].notna()]
    if rows.empty or rows["count"].sum() <= 0:
        return None
    return float((rows["value"] * rows["count"]).sum() / rows["count"].sum())


def _extreme(series: pd.DataFrame, sensor_id: int, column: str) -> float | None:
    values = sensor_values(series, sensor_id, column).dropna()
    if values.empty:
        return None
    return float(values.min() if column == "min" else values.max())


def level_stats(series: pd.DataFrame, sensor: EnvSensor) -> Stats:
    """Highest water level (cm) against the device's limit, lowest and mean level."""
    top = climate.max_level(sensor_values(series, sensor.id, "max"), sensor.limit_cm)
    return {"max_cm": top.max_cm, "max_at": top.max_at, "limit_cm": top.limit_cm,
            "above_limit": top.above_limit, "margin_cm": top.margin_cm,
            "min_cm": _extreme(series, sensor.id, "min"),
            "mean_cm": _weighted_mean(series, sensor.id)}


def temperature_stats(series: pd.DataFrame, hourly: pd.DataFrame, sensor_id: int) -> Stats:
    """Heat-stress hours (hourly mean at or above 27 and 30 °C) and the temperature range."""
    means = sensor_values(hourly, sensor_id).dropna()
    heat = climate.heat_summary(means)
    return {"warning_hours": heat.warning_hours, "alarm_hours": heat.alarm_hours,
            "hours": len(means), "mean_c": climate.period_mean(means),
            "min_c": _extreme(series, sensor_id, "min"),
            "max_c": _extreme(series, sensor_id, "max"),
            "max_hourly_mean_c": heat.max_c, "max_hourly_mean_at": heat.max_at,
            "warning_c": heat.warning_c, "alarm_c": heat.alarm_c}


def air_stats(quantity: str, daily_means: pd.Series) -> Stats:
    """Mean of the daily means and WHO exceedance days of PM2.5, PM10 or NO2."""
    air = climate.air_summary(quantity, daily_means.dropna())
    return {"mean": air.mean, "days": air.days, "exceedance_days": air.exceedance_days,
            "max_daily_mean": air.max_daily_mean, "who_24h": air.who_24h,
            "who_annual": air.who_annual, "annual_ratio": air.annual_ratio}
