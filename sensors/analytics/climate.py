"""Heat, air quality and water figures of a park, from hourly or daily rollup series.

Series are indexed by UTC bucket starts (tz-aware). Days are Amsterdam calendar days labelled by
the UTC instant of their local midnight (see :func:`sensors.analytics.periods.resample`). The
thresholds are the ones of the alert rules in :mod:`sensors.alerts`, so a dashboard and an alert
never disagree about what counts as heat stress or a WHO exceedance.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd

from sensors.alerts import DEFAULT_RULES
from sensors.analytics.periods import resample
from sensors.rollups import RESET_FRACTION, RESET_MIN_PREVIOUS

_THRESHOLDS = {rule.code: rule.threshold for rule in DEFAULT_RULES}

# WHO Global Air Quality Guidelines (2021), µg/m³: 24-hour levels as in the alert rules, and the
# annual levels.
WHO_24H: dict[str, float] = {
    "pm25": _THRESHOLDS["who_pm25_24h"],
    "pm10": _THRESHOLDS["who_pm10_24h"],
    "no2": _THRESHOLDS["who_no2_24h"],
}
WHO_ANNUAL: dict[str, float] = {"pm25": 5.0, "pm10": 15.0, "no2": 10.0}
HEAT_WARNING_C: float = _THRESHOLDS["heat_stress_warning"]
HEAT_ALARM_C: float = _THRESHOLDS["heat_stress_alarm"]
AIR_QUANTITIES: tuple[str, ...] = tuple(WHO_24H)

# Means are sums divided by counts: round before comparing so that a mean meant to be exactly
# on a threshold (27.0 °C) is not lost to a floating-point hair below it.
_DECIMALS = 9


def _rounded(values: pd.Series) -> np.ndarray:
    return np.round(values.to_numpy(dtype=float), _DECIMALS)


def heat_stress_hours(hourly_mean_c: pd.Series, threshold: float = HEAT_WARNING_C) -> int:
    """How many hours have a mean temperature at or above *threshold* (°C); NaN never counts."""
    return int((_rounded(hourly_mean_c) >= threshold).sum())


def daily_means(hourly: pd.Series) -> pd.Series:
    """The mean of the hourly values per Amsterdam day (days without data are left out)."""
    return resample(hourly, "1d", how="mean").dropna()


def exceedance_days(daily_mean: pd.Series, guideline: float) -> int:
    """How many days have a mean strictly above *guideline*; NaN never counts."""
    return int((_rounded(daily_mean) > guideline).sum())


def period_mean(values: pd.Series) -> float | None:
    """The mean of *values* ignoring NaN, or ``None`` when there are none."""
    mean = values.mean()
    return None if pd.isna(mean) else float(mean)


@dataclass(frozen=True)
class HeatSummary:
    """Heat stress in a period: hours at/above the warning and alarm levels, and the maximum."""

    warning_hours: int
    alarm_hours: int
    max_c: float | None
    max_at: datetime | None
    warning_c: float = HEAT_WARNING_C
    alarm_c: float = HEAT_ALARM_C


def heat_summary(hourly_mean_c: pd.Series) -> HeatSummary:
    """Hours of heat stress (warning and alarm level) and the warmest hour of the series."""
    values = hourly_mean_c.dropna()
    if values.empty:
        return HeatSummary(0, 0, None, None)
    return HeatSummary(
        warning_hours=heat_stress_hours(values, HEAT_WARNING_C),
        alarm_hours=heat_stress_hours(values, HEAT_ALARM_C),
        max_c=float(values.max()), max_at=_timestamp(values.idxmax()),
    )


@dataclass(frozen=True)
class AirSummary:
    """One pollutant over a period against the WHO guidelines.

    ``annual_ratio`` is the period mean divided by the WHO annual level (above 1 = above it);
    it is only a true annual comparison when the period is a year.
    """

    quantity: str
    mean: float | None
    days: int
    exceedance_days: int
    max_daily_mean: float | None
    who_24h: float
    who_annual: float
    annual_ratio: float | None


def air_summary(quantity: str, hourly: pd.Series) -> AirSummary:
    """PM2.5, PM10 or NO2 (µg/m³, hourly means) against the WHO 24-hour and annual levels."""
    if quantity not in WHO_24H:
        raise ValueError(f"no WHO guideline for {quantity!r}; expected one of "
                         f"{', '.join(AIR_QUANTITIES)}")
    daily = daily_means(hourly)
    mean = period_mean(hourly)
    return AirSummary(
        quantity=quantity, mean=mean, days=len(daily),
        exceedance_days=exceedance_days(daily, WHO_24H[quantity]),
        max_daily_mean=None if daily.empty else float(daily.max()),
        who_24h=WHO_24H[quantity], who_annual=WHO_ANNUAL[quantity],
        annual_ratio=None if mean is None else mean / WHO_ANNUAL[quantity],
    )


def rainfall_per_day(rainfall_mm: pd.Series) -> pd.Series:
    """Rainfall (mm) summed per Amsterdam day; days without any data are left out."""
    return resample(rainfall_mm, "1d", how="sum").dropna()


@dataclass(frozen=True)
class LevelSummary:
    """The highest water level of a period against an optional limit (cm).

    ``margin_cm`` is limit - max (negative = above the limit); fields on the limit are ``None``
    without a limit, and ``max_cm``/``max_at`` are ``None`` without data.
    """

    max_cm: float | None
    max_at: datetime | None
    limit_cm: float | None
    above_limit: bool | None
    margin_cm: float | None


def max_level(level_cm: pd.Series, limit_cm: float | None = None) -> LevelSummary:
    """The maximum water level and when it was reached, compared with *limit_cm*."""
    values = level_cm.dropna()
    if values.empty:
        return LevelSummary(None, None, limit_cm, None, None)
    top = float(values.max())
    at = _timestamp(values.idxmax())
    if limit_cm is None:
        return LevelSummary(top, at, None, None, None)
    return LevelSummary(top, at, float(limit_cm), top > limit_cm, float(limit_cm) - top)


def register_deltas(register: pd.Series) -> pd.Series:
    """Use per reading of a cumulative meter: its increase over the reading before.

    The same rule as :func:`sensors.rollups.consumption_deltas`, vectorised: the first reading
    gives 0; after a reset (a fall to under 10 % of a previous value of at least 10) the new
    value is the use; any other fall counts as 0.
    """
    values = register.sort_index()
    previous = values.shift(1)
    delta = (values - previous).clip(lower=0.0)
    reset = (previous >= RESET_MIN_PREVIOUS) & (values < RESET_FRACTION * previous)
    delta = delta.mask(reset, values.clip(lower=0.0))
    return delta.where(previous.notna(), 0.0)


def water_use_per_day(consumption_m3: pd.Series) -> pd.Series:
    """Water use (m³) per Amsterdam day from per-bucket consumption of a cumulative meter.

    Pass rollup consumption (the meter deltas per bucket), or :func:`register_deltas` of raw
    register readings. Days without any data are left out.
    """
    return resample(consumption_m3, "1d", how="sum").dropna()


def _timestamp(value: object) -> datetime:
    return pd.Timestamp(value).to_pydatetime()
