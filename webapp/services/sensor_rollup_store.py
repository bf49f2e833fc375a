"""Keep the 15-minute, hourly and daily rollups up to date for the readings a batch stored.

Readings are only ever added (never changed or removed while their rollups are kept), so every
rollup follows its raw rows exactly by adding what changed: a new reading adds itself (count,
sum, min, max, time span) to its quarter-hour, hour and day. For a meter it also adds its
consumption delta, and when it lands before a stored reading it changes that reading's delta:
the difference goes to the later reading's buckets. The changes are summed per bucket and
written with one upsert per period that adds them in SQL, so no rollup row is read back.

:func:`rebuild_rollups` recomputes a time range from the raw rows the slow, obvious way (quarter
hours with :func:`sensors.rollups.compute`, hours and days with :func:`~sensors.rollups.combine`),
to repair rollups after data was changed by hand. The pandas tests hold both ways to the same
numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Connection, Engine, case, delete, select
from sqlalchemy.orm import sessionmaker

from sensors.model import Reading
from sensors.rollups import PERIODS, RollupRow, bucket_end, bucket_start, combine, compute
from sensors.rollups import consumption_deltas as deltas

from .sensor_checks import SensorMeta, is_cumulative
from .sensor_sql import ROLLUP, SENSOR, engine_of, insert_for, write_transaction
from .sensor_windows import Point, Window, Windows, fetch_windows

ROLLUP_KEY = ("sensor_id", "period", "start")
Key = tuple[int, str, datetime]


def update_rollups(
    conn: Connection, new: list[Reading], meta: dict[int, SensorMeta], screened: Windows
) -> None:
    """Add the *new* (just inserted) readings to the rollups of every period.

    *screened* holds each meter's readings around its new ones, before and after them (see
    sensor_checks.screen_cumulative), from which the consumption deltas follow.
    """
    quarters: list[RollupRow] = []
    meters: set[int] = set()
    for reading in new:
        if meta[reading.sensor_id].cumulative:
            meters.add(reading.sensor_id)
        else:
            quarters.append(_part(reading.sensor_id, reading.ts, reading.value, 1, None))
    new_keys = {(reading.sensor_id, reading.ts) for reading in new if reading.sensor_id in meters}
    for sensor_id in sorted(meters):
        for window in screened.get(sensor_id, ()):
            quarters.extend(_meter_parts(sensor_id, window, new_keys))
    for period in PERIODS:  # quarters, then hours from them, then days from the hours
        quarters = _summed(quarters, period)
        add_parts(conn, quarters)


def _part(sensor_id: int, ts: datetime, value: float, count: int,
          consumption: float | None) -> RollupRow:
    """A change of one quarter-hour: *count* readings added (0: only consumption changed)."""
    return RollupRow(sensor_id, "15m", bucket_start(ts, "15m"), count, value, value,
                     value * count, ts, ts, consumption)


def _meter_parts(sensor_id: int, window: Window, new_keys: set) -> list[RollupRow]:
    """Changes from the new readings in one meter's window, walked in time order.

    A new reading adds its delta over the reading before it; the first stored reading after
    a run of new ones gets the difference between its delta over the run's last reading and
    the delta it had over the stored reading before the run.
    """
    points = ([window.before] if window.before else []) + window.rows + (
        [window.after] if window.after else [])
    parts: list[RollupRow] = []
    last: Point | None = None
    last_stored: Point | None = None
    for point in points:
        if (sensor_id, point[0]) in new_keys:
            parts.append(_part(sensor_id, *point, 1, _delta(last, point)))
        else:
            if last is not last_stored:
                change = _delta(last, point) - _delta(last_stored, point)
                parts.append(_part(sensor_id, *point, 0, change))
            last_stored = point
        last = point
    return parts


def _delta(previous: Point | None, point: Point) -> float:
    return deltas(previous, [point])[0]


def _summed(parts: Iterable[RollupRow], period: str) -> list[RollupRow]:
    """The parts added up per bucket of *period*."""
    sums: dict[Key, RollupRow] = {}
    for part in parts:
        start = bucket_start(part.start, period)
        key = (part.sensor_id, period, start)
        total = sums.get(key)
        sums[key] = _plus(total, part) if total else RollupRow(
            part.sensor_id, period, start, part.count, part.min, part.max, part.sum,
            part.first_ts, part.last_ts, part.consumption)
    return list(sums.values())


def _plus(total: RollupRow, part: RollupRow) -> RollupRow:
    consumption = total.consumption
    if part.consumption is not None:
        consumption = (consumption or 0.0) + part.consumption
    return RollupRow(
        total.sensor_id, total.period, total.start, total.count + part.count,
        min(total.min, part.min), max(total.max, part.max), total.sum + part.sum,
        min(total.first_ts, part.first_ts), max(total.last_ts, part.last_ts), consumption)


def add_parts(conn: Connection, parts: list[RollupRow]) -> None:
    """Insert each part as a new rollup row, or add it to the stored row of its bucket."""
    if not parts:
        return
    stmt = insert_for(conn, ROLLUP)
    new, old = stmt.excluded, ROLLUP.c
    stmt = stmt.on_conflict_do_update(index_elements=list(ROLLUP_KEY), set_={
        "count": old.count + new.count,
        "sum": old.sum + new.sum,
        "min": case((new.min < old.min, new.min), else_=old.min),
        "max": case((new.max > old.max, new.max), else_=old.max),
        "first_ts": case((new.first_ts < old.first_ts, new.first_ts), else_=old.first_ts),
        "last_ts": case((new.last_ts > old.last_ts, new.last_ts), else_=old.last_ts),
        "consumption": case((new.consumption.is_(None), old.consumption),
                            else_=case((old.consumption.is_(None), 0.0), else_=old.consumption)
                            + new.consumption),
    })
    conn.execute(stmt, [_values(part) for part in parts])


def _values(row: RollupRow) -> dict:
    return {"sensor_id": row.sensor_id, "period": row.period, "start": row.start,
            "count": row.count, "min": row.min, "max": row.max, "sum": row.sum,
            "first_ts": row.first_ts, "last_ts": row.last_ts, "consumption": row.consumption}


def rebuild_rollups(
    bind: Engine | sessionmaker, sensor_id: int, start: datetime, end: datetime
) -> int:
    """Recompute a sensor's rollups of every period from its raw rows, for whole days.

    The days holding ``[start, end)`` are rebuilt: their rollups are deleted and written anew
    from the raw readings. Returns how many rollup rows were written.
    """
    low, high = bucket_start(start, "1d"), bucket_end(bucket_start(end, "1d"), "1d")
    with write_transaction(engine_of(bind)) as conn:
        quantity = conn.scalar(select(SENSOR.c.quantity).where(SENSOR.c.id == sensor_id))
        cumulative = quantity is not None and is_cumulative(quantity)
        window = fetch_windows(conn, [(sensor_id, low, high)], {sensor_id})[sensor_id][0]
        quarters = compute(sensor_id, "15m", window.rows, cumulative, window.before)
        hours = combine(quarters, "1h")
        rows = [*quarters, *hours, *combine(hours, "1d")]
        conn.execute(delete(ROLLUP).where(ROLLUP.c.sensor_id == sensor_id,
                                          ROLLUP.c.start >= low, ROLLUP.c.start < high))
        if rows:
            conn.execute(ROLLUP.insert(), [_values(row) for row in rows])
        return len(rows)
