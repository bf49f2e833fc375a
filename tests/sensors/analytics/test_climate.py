"""Heat stress, WHO air-quality comparisons and water figures against hand-computed cases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from sensors.alerts import DEFAULT_RULES
from sensors.analytics.climate import (
    HEAT_ALARM_C,
    HEAT_WARNING_C,
    WHO_24H,
    WHO_ANNUAL,
    air_summary,
    daily_means,
    exceedance_days,
    heat_stress_hours,
    heat_summary,
    max_level,
    period_mean,
    rainfall_per_day,
    register_deltas,
    water_use_per_day,
)

NAN = float("nan")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def hourly(first: datetime, values: list[float]) -> pd.Series:
    index = pd.DatetimeIndex([first + timedelta(hours=n) for n in range(len(values))],
                             name="start")
    return pd.Series(values, index=index, dtype=float)


def test_thresholds_are_the_alert_rules():
    rules = {rule.code: rule.threshold for rule in DEFAULT_RULES}
    assert (HEAT_WARNING_C, HEAT_ALARM_C) == (27.0, 30.0)
    assert rules["heat_stress_warning"] == HEAT_WARNING_C
    assert rules["heat_stress_alarm"] == HEAT_ALARM_C
    assert WHO_24H == {"pm25": 15.0, "pm10": 45.0, "no2": 25.0}
    assert WHO_24H["pm25"] == rules["who_pm25_24h"]
    assert WHO_ANNUAL == {"pm25": 5.0, "pm10": 15.0, "no2": 10.0}


@pytest.mark.parametrize(("values", "threshold", "hours"), [
    ([26.99, 27.0, 29.99, 30.0, NAN, 31.5], 27.0, 4),   # 27.0, 29.99, 30.0, 31.5
    ([26.99, 27.0, 29.99, 30.0, NAN, 31.5], 30.0, 2),   # 30.0, 31.5
    ([26.99], 27.0, 0),
    ([27.0], 27.0, 1),
    # (20.0 + 20.3 + 27.9 + 39.8) / 4 is 27.0 on paper, 26.999999999999996 in floating point
    ([(20.0 + 20.3 + 27.9 + 39.8) / 4], 27.0, 1),
    ([], 27.0, 0),
])
def test_heat_stress_hours(values, threshold, hours):
    assert heat_stress_hours(hourly(utc(2026, 7, 1), values), threshold) == hours


def test_heat_stress_hours_default_to_the_warning_level():
    assert heat_stress_hours(hourly(utc(2026, 7, 1), [26.5, 27.0, 28.0])) == 2


def test_heat_summary():
    series = hourly(utc(2026, 7, 1, 10), [25.0, 27.5, 31.0, 30.0, 26.0])
    summary = heat_summary(series)
    assert (summary.warning_hours, summary.alarm_hours) == (3, 2)   # 27.5, 31, 30 / 31, 30
    assert summary.max_c == 31.0
    assert summary.max_at == utc(2026, 7, 1, 12)
    assert heat_summary(hourly(utc(2026, 7, 1), [NAN])).max_c is None


def test_daily_means_use_amsterdam_days_on_the_dst_day():
    # 25 October 2026 has 25 local hours: 22:00 UTC on the 24th to 23:00 UTC on the 25th.
    # 24 hours at 10 and one at 35: (24 x 10 + 35) / 25 = 11.0
    day = hourly(utc(2026, 10, 24, 22), [10.0] * 24 + [35.0])
    # plus the first hour of the 26th (23:00 UTC), which is a day of its own
    series = pd.concat([day, hourly(utc(2026, 10, 25, 23), [4.0])])
    means = daily_means(series)
    assert list(means.index) == [utc(2026, 10, 24, 22), utc(2026, 10, 25, 23)]
    assert list(means) == [11.0, 4.0]


def test_daily_means_leave_out_days_without_data():
    series = pd.concat([hourly(utc(2026, 1, 1, 12), [NAN]), hourly(utc(2026, 1, 2, 12), [8.0])])
    assert list(daily_means(series)) == [8.0]


@pytest.mark.parametrize(("values", "guideline", "days"), [
    ([15.0, 15.01, 14.99, NAN, 30.0], 15.0, 2),   # strictly above: 15.01 and 30
    ([45.0, 45.0], 45.0, 0),
    ([15.000000000000002], 15.0, 0),              # a floating-point hair above is not above
    ([25.5], 25.0, 1),
    ([], 15.0, 0),
])
def test_exceedance_days(values, guideline, days):
    series = pd.Series(values, dtype=float)
    assert exceedance_days(series, guideline) == days


def test_air_summary_against_who():
    # day 1 (1 June local): 24 hours of 10 -> mean 10, below 15;
    # day 2: 24 hours of 20 -> mean 20, above 15. Period mean (240 + 480) / 48 = 15.
    series = hourly(utc(2026, 5, 31, 22), [10.0] * 24 + [20.0] * 24)
    summary = air_summary("pm25", series)
    assert summary.days == 2
    assert summary.exceedance_days == 1
    assert summary.max_daily_mean == 20.0
    assert summary.mean == 15.0
    assert summary.annual_ratio == 3.0        # 15 / 5
    assert (summary.who_24h, summary.who_annual) == (15.0, 5.0)


def test_air_summary_without_data_and_for_unknown_quantities():
    empty = air_summary("no2", hourly(utc(2026, 1, 1), []))
    assert (empty.mean, empty.days, empty.annual_ratio, empty.max_daily_mean) == (
        None, 0, None, None)
    with pytest.raises(ValueError, match="no WHO guideline for 'co2'"):
        air_summary("co2", hourly(utc(2026, 1, 1), [400.0]))


@pytest.mark.parametrize(("values", "mean"), [
    ([1.0, 2.0, NAN, 6.0], 3.0),
    ([NAN], None),
    ([], None),
])
def test_period_mean(values, mean):
    assert period_mean(pd.Series(values, dtype=float)) == mean


def test_rainfall_per_day_sums_local_days():
    # 21:00 and 22:00 UTC on 1 June are 23:00 on 1 June and 00:00 on 2 June in Amsterdam
    series = hourly(utc(2026, 6, 1, 21), [1.5, 2.0, 0.5])
    rain = rainfall_per_day(series)
    assert list(rain.index) == [utc(2026, 5, 31, 22), utc(2026, 6, 1, 22)]
    assert list(rain) == [1.5, 2.5]           # 1.5; 2.0 + 0.5


@pytest.mark.parametrize(("values", "limit", "expected"), [
    ([40.0, 55.0, 50.0], None, (55.0, 1, None, None, None)),
    ([40.0, 55.0, 50.0], 60.0, (55.0, 1, 60.0, False, 5.0)),     # margin 60 - 55
    ([40.0, 55.0, 62.5], 60.0, (62.5, 2, 60.0, True, -2.5)),
    ([60.0], 60.0, (60.0, 0, 60.0, False, 0.0)),                 # at the limit is not above
    ([NAN], 60.0, (None, None, 60.0, None, None)),
])
def test_max_level(values, limit, expected):
    first = utc(2026, 2, 1)
    level = max_level(hourly(first, values), limit)
    top, hour, limit_cm, above, margin = expected
    assert level.max_cm == top
    assert level.max_at == (None if hour is None else first + timedelta(hours=hour))
    assert (level.limit_cm, level.above_limit, level.margin_cm) == (limit_cm, above, margin)


def test_register_deltas_follow_the_rollup_rules():
    register = hourly(utc(2026, 3, 1), [100.0, 101.5, 101.5, 103.0, 2.0, 2.5, 2.4])
    # first 0; +1.5; 0; +1.5; reset (2 < 10 % of 103) -> 2; +0.5; small fall -> 0
    assert list(register_deltas(register)) == pytest.approx([0, 1.5, 0, 1.5, 2.0, 0.5, 0])


def test_water_use_per_day():
    # 23:00 UTC on 1 March is 00:00 on 2 March in Amsterdam (winter time)
    consumption = hourly(utc(2026, 3, 1, 21), [0.25, 0.5, 1.0, NAN])
    use = water_use_per_day(consumption)
    assert list(use.index) == [utc(2026, 2, 28, 23), utc(2026, 3, 1, 23)]
    assert list(use) == [0.75, 1.0]           # 0.25 + 0.5; 1.0 (+ missing)
    assert np.isclose(use.sum(), 1.75)
