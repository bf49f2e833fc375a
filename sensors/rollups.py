"""Rollups of raw readings into 15-minute, hourly and daily buckets.

Buckets are half-open intervals ``[start, end)`` with UTC starts. Quarter-hours and hours are
aligned in UTC, which is the same as aligning them in Dutch local time because the Netherlands
only ever sits a whole number of hours from UTC. A day is an Amsterdam calendar day: it starts at
local midnight, so the day the clocks go forward has 23 hours and the day they go back has 25.

Raw readings stay the source of truth; rollups are derived and can be rebuilt at any time, either
from raw rows with :func:`compute` or from finer rollups with :func:`combine` (both give the same
numbers).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import groupby
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
PERIODS: tuple[str, ...] = ("15m", "1h", "1d")
_FIXED = {"15m": timedelta(minutes=15), "1h": timedelta(hours=1)}

# A cumulative meter whose value falls below this fraction of the previous value was reset or
# replaced: the new value is then the consumption since the reset, not a huge negative delta.
# Near zero such a ratio says nothing, so the previous value must be at least RESET_MIN_PREVIOUS.
RESET_FRACTION = 0.1
RESET_MIN_PREVIOUS = 10.0


def _check_period(period: str) -> None:
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}; expected one of {', '.join(PERIODS)}")


def _check_aware(ts: datetime) -> None:
    if ts.tzinfo is None or ts.utcoffset() is None:
        raise ValueError(f"timestamp {ts.isoformat()} has no time zone")


def bucket_start(ts: datetime, period: str) -> datetime:
    """The UTC start of the bucket of *period* that holds the aware timestamp *ts*."""
    _check_period(period)
    _check_aware(ts)
    if period == "1d":
        local_day = ts.astimezone(AMSTERDAM).date()
        midnight = datetime(local_day.year, local_day.month, local_day.day, tzinfo=AMSTERDAM)
        return midnight.astimezone(UTC)
    step = int(_FIXED[period].total_seconds())
    seconds = math.floor(ts.timestamp())
    return datetime.fromtimestamp(seconds - seconds % step, tz=UTC)


def bucket_end(start: datetime, period: str) -> datetime:
    """The UTC end (exclusive) of the bucket of *period* that starts at *start*."""
    _check_period(period)
    _check_aware(start)
    if period != "1d":
        return start.astimezone(UTC) + _FIXED[period]
    local_day = start.astimezone(AMSTERDAM).date() + timedelta(days=1)
    midnight = datetime(local_day.year, local_day.month, local_day.day, tzinfo=AMSTERDAM)
    return midnight.astimezone(UTC)


def buckets_between(start: datetime, end: datetime, period: str) -> list[datetime]:
    """UTC starts of every bucket of *period* overlapping ``[start, end)``, in order."""
    starts: list[datetime] = []
    current = bucket_start(start, period)
    while current < end:
        starts.append(current)
        current = bucket_end(current, period)
    return starts


@dataclass
class RollupRow:
    """Aggregates of one sensor's readings in one bucket.

    *consumption* is only set for cumulative meters: the sum of the deltas of the readings in the
    bucket (see :func:`consumption_deltas`); for gauges and interval quantities it is ``None``.
    """

    sensor_id: int
    period: str
    start: datetime
    count: int
    min: float
    max: float
    sum: float
    first_ts: datetime
    last_ts: datetime
    consumption: float | None = None

    @property
    def mean(self) -> float:
        """Average of the readings in the bucket."""
        return self.sum / self.count

    @property
    def end(self) -> datetime:
        """Exclusive end of the bucket."""
        return bucket_end(self.start, self.period)


def is_reset(prev: float, value: float) -> bool:
    """Whether a cumulative meter went from *prev* to *value* by a reset or replacement.

    The rule, shared with ingest validation: the reading falls to under 10 %
    (:data:`RESET_FRACTION`) of the one before, and the one before was at least 10 in the
    canonical unit (:data:`RESET_MIN_PREVIOUS`). Any other fall is not a reset; rollups count it
    as zero consumption (validation rejects it).
    """
    return prev >= RESET_MIN_PREVIOUS and value < RESET_FRACTION * prev


def _delta(prev: float, value: float) -> float:
    if is_reset(prev, value):
        return max(value, 0.0)
    return max(value - prev, 0.0)


def consumption_deltas(
    previous: tuple[datetime, float] | None, rows: Sequence[tuple[datetime, float]]
) -> list[float]:
    """Consumption per reading of a cumulative meter: its increase over the reading before.

    *rows* must be in time order; *previous* is the last reading before them, if any (without
    it the first row's delta is 0). After a reset (:func:`is_reset`) the new value itself is the
    delta. Deltas are never negative.
    """
    deltas: list[float] = []
    prev = previous[1] if previous is not None else None
    for _, value in rows:
        deltas.append(0.0 if prev is None else _delta(prev, value))
        prev = value
    return deltas


def _row(sensor_id: int, period: str, start: datetime, items: list[tuple[datetime, float]],
         deltas: list[float] | None) -> RollupRow:
    values = [value for _, value in items]
    return RollupRow(
        sensor_id=sensor_id, period=period, start=start, count=len(values),
        min=min(values), max=max(values), sum=math.fsum(values),
        first_ts=items[0][0], last_ts=items[-1][0],
        consumption=None if deltas is None else math.fsum(deltas),
    )


def compute(
    sensor_id: int,
    period: str,
    rows: Iterable[tuple[datetime, float]],
    cumulative: bool,
    previous: tuple[datetime, float] | None = None,
) -> list[RollupRow]:
    """Roll raw ``(ts, value)`` readings of one sensor up into buckets of *period*.

    Only buckets holding readings are returned, in time order. For a *cumulative* meter each
    bucket's consumption is the sum of the deltas of its readings; *previous* is the last reading
    before *rows* so the first delta can be computed too.
    """
    _check_period(period)
    ordered = sorted(rows, key=lambda row: row[0])
    deltas = consumption_deltas(previous, ordered) if cumulative else None
    indexed = list(enumerate(ordered))
    result: list[RollupRow] = []
    for start, group in groupby(indexed, key=lambda item: bucket_start(item[1][0], period)):
        members = list(group)
        items = [row for _, row in members]
        bucket_deltas = None if deltas is None else [deltas[i] for i, _ in members]
        result.append(_row(sensor_id, period, start, items, bucket_deltas))
    return result


def _merge(period: str, start: datetime, rows: list[RollupRow]) -> RollupRow:
    consumptions = [row.consumption for row in rows if row.consumption is not None]
    return RollupRow(
        sensor_id=rows[0].sensor_id, period=period, start=start,
        count=sum(row.count for row in rows),
        min=min(row.min for row in rows), max=max(row.max for row in rows),
        sum=math.fsum(row.sum for row in rows),
        first_ts=min(row.first_ts for row in rows), last_ts=max(row.last_ts for row in rows),
        consumption=math.fsum(consumptions) if consumptions else None,
    )


def combine(rows: Sequence[RollupRow], period: str) -> list[RollupRow]:
    """Build coarser rollups (e.g. 1h from 15m, 1d from 1h) from finer ones.

    Rows may hold several sensors; the result is grouped per sensor, then in time order. The
    numbers equal :func:`compute` on the raw readings (up to floating-point rounding of sums).
    """
    _check_period(period)
    for row in rows:
        if PERIODS.index(row.period) >= PERIODS.index(period):
            raise ValueError(f"cannot combine {row.period} rows into {period}: not finer")

    def key(row: RollupRow) -> tuple[int, datetime]:
        return row.sensor_id, bucket_start(row.start, period)

    return [
        _merge(period, start, list(group))
        for (_, start), group in groupby(sorted(rows, key=key), key=key)
    ]
