"""Rollups checked against an independent pandas computation, on random and edge-case data."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from sensors import rollups
from sensors.rollups import (
    PERIODS,
    RollupRow,
    bucket_end,
    bucket_start,
    buckets_between,
    combine,
    compute,
    consumption_deltas,
    is_reset,
)

AMS = "Europe/Amsterdam"
SPRING = datetime(2026, 3, 28, 12, tzinfo=UTC)  # the night of 2026-03-29 has 23 hours
AUTUMN = datetime(2026, 10, 24, 12, tzinfo=UTC)  # the night of 2026-10-25 has 25 hours


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --- the independent reference: pandas groupby on bucket starts -------------------------------

def pandas_rollup(rows, period, cumulative, previous=None) -> pd.DataFrame:
    """Rollups computed with pandas, without touching sensors.rollups."""
    df = pd.DataFrame(rows, columns=["ts", "value"])
    df["ts"] = pd.to_datetime(df["ts"], utc=True)
    df = df.sort_values("ts", kind="stable").reset_index(drop=True)
    if period == "1d":
        key = df["ts"].dt.tz_convert(AMS).dt.normalize().dt.tz_convert("UTC")
    else:
        key = df["ts"].dt.floor({"15m": "15min", "1h": "1h"}[period])
    df["start"] = key
    if cumulative:
        prev = df["value"].shift(1)
        if previous is not None:
            prev.iloc[0] = previous[1]
        reset = (prev >= 10) & (df["value"] < 0.1 * prev)
        delta = (df["value"] - prev).where(~reset, df["value"])
        df["delta"] = delta.clip(lower=0).fillna(0.0)
    else:
        df["delta"] = float("nan")
    return df.groupby("start").agg(
        count=("value", "size"), min=("value", "min"), max=("value", "max"),
        sum=("value", "sum"), mean=("value", "mean"), first_ts=("ts", "min"),
        last_ts=("ts", "max"), consumption=("delta", "sum"),
    ).reset_index()


def assert_matches_pandas(result: list[RollupRow], expected: pd.DataFrame, cumulative: bool):
    assert len(result) == len(expected)
    for row, (_, exp) in zip(result, expected.iterrows(), strict=True):
        assert row.start == exp["start"].to_pydatetime()
        assert row.start.utcoffset() == timedelta(0)
        assert row.count == exp["count"]
        assert (row.min, row.max) == (exp["min"], exp["max"])
        assert row.sum == pytest.approx(exp["sum"])
        assert row.mean == pytest.approx(exp["mean"])
        assert row.first_ts == exp["first_ts"].to_pydatetime()
        assert row.last_ts == exp["last_ts"].to_pydatetime()
        if cumulative:
            assert row.consumption == pytest.approx(exp["consumption"], abs=1e-9)
        else:
            assert row.consumption is None


def random_gauge(seed: int, start: datetime, hours: int, n: int) -> list[tuple[datetime, float]]:
    rng = random.Random(seed)
    seconds = rng.sample(range(hours * 3600), n)
    return [(start + timedelta(seconds=s), rng.uniform(-10, 40)) for s in seconds]


def random_meter(seed: int, start: datetime, hours: int, n: int) -> list[tuple[datetime, float]]:
    """A meter that mostly rises, sometimes glitches down a little, and is reset once."""
    rng = random.Random(seed)
    times = sorted(rng.sample(range(hours * 3600), n))
    total, rows = 5000.0, []
    for i, s in enumerate(times):
        if i == n // 2:
            total = rng.uniform(0, 3)  # meter replaced
        elif rng.random() < 0.05:
            total -= rng.uniform(0, 0.5)  # a small glitch downwards: no consumption
        else:
            total += rng.uniform(0, 2)
        rows.append((start + timedelta(seconds=s), total))
    rng.shuffle(rows)  # compute() must sort
    return rows


DATASETS = [
    pytest.param(SPRING, id="spring-dst"),
    pytest.param(AUTUMN, id="autumn-dst"),
    pytest.param(utc(2026, 6, 30, 20), id="summer-month-end"),
    pytest.param(utc(2026, 12, 31, 18), id="new-year"),
]


@pytest.mark.parametrize("period", PERIODS)
@pytest.mark.parametrize("start", DATASETS)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_compute_gauge_matches_pandas(seed, start, period):
    rows = random_gauge(seed, start, hours=72, n=400)
    result = compute(7, period, rows, cumulative=False)
    assert_matches_pandas(result, pandas_rollup(rows, period, False), cumulative=False)
    assert {row.sensor_id for row in result} == {7}
    assert {row.period for row in result} == {period}


@pytest.mark.parametrize("period", PERIODS)
@pytest.mark.parametrize("start", DATASETS)
@pytest.mark.parametrize("seed", [4, 5])
@pytest.mark.parametrize("previous", [None, (utc(2020, 1, 1), 4990.0)])
def test_compute_meter_matches_pandas(seed, start, period, previous):
    rows = random_meter(seed, start, hours=72, n=300)
    result = compute(3, period, rows, cumulative=True, previous=previous)
    assert_matches_pandas(result, pandas_rollup(rows, period, True, previous), cumulative=True)


def quarter_hourly_day(local_day: str) -> list[tuple[datetime, float]]:
    """One reading per 15 minutes over one Amsterdam calendar day."""
    stamps = pd.date_range(local_day, periods=200, freq="15min", tz=AMS)
    stamps = stamps[stamps.normalize() == stamps[0]]
    return [(ts.to_pydatetime().astimezone(UTC), float(i)) for i, ts in enumerate(stamps)]


@pytest.mark.parametrize(("day", "hours"), [
    ("2026-03-29", 23), ("2026-10-25", 25), ("2026-06-15", 24),
])
def test_dst_days_have_their_real_length(day, hours):
    rows = quarter_hourly_day(day)
    [daily] = compute(1, "1d", rows, cumulative=False)
    assert daily.count == hours * 4
    assert daily.end - daily.start == timedelta(hours=hours)
    assert len(compute(1, "1h", rows, cumulative=False)) == hours
    assert_matches_pandas([daily], pandas_rollup(rows, "1d", False), cumulative=False)


@pytest.mark.parametrize(("ts", "period", "start"), [
    (utc(2026, 3, 29, 10, 14, 59), "15m", utc(2026, 3, 29, 10, 0)),
    (utc(2026, 3, 29, 10, 15), "15m", utc(2026, 3, 29, 10, 15)),
    (utc(2026, 3, 29, 10, 59, 59, 999999), "1h", utc(2026, 3, 29, 10)),
    # 00:30 UTC on 25 October is 02:30 summer time: still the 25th in Amsterdam
    (utc(2026, 10, 25, 0, 30), "1d", utc(2026, 10, 24, 22)),
    (utc(2026, 10, 25, 22, 59), "1d", utc(2026, 10, 24, 22)),
    (utc(2026, 10, 25, 23, 0), "1d", utc(2026, 10, 25, 23)),
    (utc(2026, 3, 28, 23, 0), "1d", utc(2026, 3, 28, 23)),
    (utc(2026, 3, 29, 21, 59), "1d", utc(2026, 3, 28, 23)),
    (utc(2026, 3, 29, 22, 0), "1d", utc(2026, 3, 29, 22)),
    (datetime.fromisoformat("2026-01-01T00:10:00+01:00"), "1d", utc(2025, 12, 31, 23)),
])
def test_bucket_start(ts, period, start):
    assert bucket_start(ts, period) == start
    assert bucket_start(ts, period).tzinfo == UTC
    assert bucket_start(ts, period) <= ts < bucket_end(start, period)


def test_buckets_between_cover_the_range_without_gaps():
    days = buckets_between(utc(2026, 3, 27, 12), utc(2026, 3, 31), "1d")
    assert days == [utc(2026, 3, 26, 23), utc(2026, 3, 27, 23), utc(2026, 3, 28, 23),
                    utc(2026, 3, 29, 22), utc(2026, 3, 30, 22)]
    quarters = buckets_between(utc(2026, 1, 1, 0, 20), utc(2026, 1, 1, 1, 15), "15m")
    assert quarters == [utc(2026, 1, 1, 0, 15), utc(2026, 1, 1, 0, 30),
                        utc(2026, 1, 1, 0, 45), utc(2026, 1, 1, 1, 0)]
    assert buckets_between(utc(2026, 1, 1, 1), utc(2026, 1, 1, 1), "1h") == []


@pytest.mark.parametrize("bad", [
    lambda: bucket_start(datetime(2026, 1, 1), "1h"),
    lambda: bucket_start(utc(2026, 1, 1), "1w"),
    lambda: compute(1, "5m", [], cumulative=False),
])
def test_bad_input_is_refused(bad):
    with pytest.raises(ValueError):
        bad()


@pytest.mark.parametrize(("prev", "value", "reset"), [
    (1000.0, 99.9, True), (1000.0, 100.0, False), (1000.0, 999.0, False),
    (1000.0, 0.0, True), (0.0, 0.0, False), (5.0, 6.0, False),
    (10.0, 0.99, True), (9.99, 0.5, False),  # near zero a ratio says nothing
])
def test_is_reset(prev, value, reset):
    assert is_reset(prev, value) is reset
    assert (rollups.RESET_FRACTION, rollups.RESET_MIN_PREVIOUS) == (0.1, 10.0)


@pytest.mark.parametrize(("previous", "values", "deltas"), [
    (None, [], []),
    (None, [10.0], [0.0]),
    ((utc(2026, 1, 1), 8.0), [10.0], [2.0]),
    (None, [10.0, 12.5, 12.5, 13.0], [0.0, 2.5, 0.0, 0.5]),
    (None, [1000.0, 1004.0, 3.0, 5.0], [0.0, 4.0, 3.0, 2.0]),  # reset counts the new value
    (None, [1000.0, 999.0, 1001.0], [0.0, 0.0, 2.0]),  # glitch down is never negative
    (None, [8.0, 0.5, 1.5], [0.0, 0.0, 1.0]),  # too close to zero to call it a reset
])
def test_consumption_deltas(previous, values, deltas):
    stamps = [utc(2026, 1, 1, 1) + timedelta(minutes=5 * i) for i in range(len(values))]
    assert consumption_deltas(previous, list(zip(stamps, values, strict=True))) == deltas


def test_single_reading_and_empty():
    assert compute(1, "1h", [], cumulative=True) == []
    [row] = compute(1, "1h", [(utc(2026, 5, 1, 8, 20), 42.0)], cumulative=True)
    assert (row.count, row.min, row.max, row.sum, row.mean) == (1, 42.0, 42.0, 42.0, 42.0)
    assert row.first_ts == row.last_ts == utc(2026, 5, 1, 8, 20)
    assert row.consumption == 0.0
    [row] = compute(1, "1h", [(utc(2026, 5, 1, 8, 20), 42.0)], True, (utc(2026, 5, 1, 7), 40.0))
    assert row.consumption == 2.0


def test_meter_reset_inside_a_bucket():
    rows = [(utc(2026, 5, 1, 8, m), v) for m, v in [(0, 900.0), (5, 910.0), (10, 2.0), (14, 4.0)]]
    [row] = compute(1, "15m", rows, cumulative=True)
    assert row.consumption == pytest.approx(10.0 + 2.0 + 2.0)


def assert_rows_equal(left: list[RollupRow], right: list[RollupRow]):
    assert len(left) == len(right)
    for a, b in zip(left, right, strict=True):
        for name in ("sensor_id", "period", "start", "count"):
            assert getattr(a, name) == getattr(b, name)
        assert (a.min, a.max, a.first_ts, a.last_ts) == (b.min, b.max, b.first_ts, b.last_ts)
        assert a.sum == pytest.approx(b.sum)
        assert a.mean == pytest.approx(b.mean)
        if b.consumption is None:
            assert a.consumption is None
        else:
            assert a.consumption == pytest.approx(b.consumption, abs=1e-9)


@pytest.mark.parametrize("cumulative", [False, True])
@pytest.mark.parametrize("start", DATASETS)
@pytest.mark.parametrize(("finer", "coarser"), [("15m", "1h"), ("1h", "1d"), ("15m", "1d")])
def test_combine_equals_compute_from_raw(start, cumulative, finer, coarser):
    make = random_meter if cumulative else random_gauge
    rows = make(11, start, hours=80, n=500)
    previous = (utc(2000, 1, 1), 4999.0) if cumulative else None
    fine = compute(9, finer, rows, cumulative, previous)
    assert_rows_equal(combine(fine, coarser), compute(9, coarser, rows, cumulative, previous))


def test_combine_keeps_sensors_apart_and_refuses_coarser_input():
    a = compute(1, "15m", random_gauge(1, SPRING, 30, 50), cumulative=False)
    b = compute(2, "15m", random_gauge(2, SPRING, 30, 50), cumulative=False)
    combined = combine(b + a, "1h")
    assert [row.sensor_id for row in combined] == sorted(row.sensor_id for row in combined)
    assert sum(row.count for row in combined if row.sensor_id == 1) == 50
    assert sum(row.count for row in combined if row.sensor_id == 2) == 50
    with pytest.raises(ValueError):
        combine(compute(1, "1d", random_gauge(1, SPRING, 30, 5), cumulative=False), "1h")
    with pytest.raises(ValueError):
        combine(a, "15m")
