"""Read the stored readings of many sensors around the times a batch touches.

A batch usually touches the last few minutes of many sensors: the wanted ranges are merged into
a few time ranges, and each range is read with one query for all its sensors (plus one for the
readings just outside it) rather than one query per sensor or per reading.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Connection, select

from .sensor_sql import READING, SENSOR, chunks, merge_intervals, utc

# Wanted ranges closer than this are read as one range.
MERGE_GAP = timedelta(hours=1)

Point = tuple[datetime, float]


@dataclass
class Window:
    """The stored readings of one sensor in ``[low, high)``, and its nearest outside them.

    *before* is the last reading before *low* and *after* the first at or after *high*; both
    are only looked up for sensors that need neighbours (cumulative meters).
    """

    low: datetime
    high: datetime
    rows: list[Point] = field(default_factory=list)
    before: Point | None = None
    after: Point | None = None

    def covers(self, ts: datetime) -> bool:
        """Whether *ts* lies inside the window."""
        return self.low <= ts < self.high

    def has(self, ts: datetime) -> bool:
        """Whether a reading at exactly *ts* is in the window."""
        index = bisect_left(self.rows, (ts,))
        return index < len(self.rows) and self.rows[index][0] == ts

    def add(self, ts: datetime, value: float) -> None:
        """Add a reading, keeping time order."""
        insort(self.rows, (ts, value))

    def previous(self, ts: datetime) -> Point | None:
        """The last reading strictly before *ts*."""
        index = bisect_left(self.rows, (ts,))
        return self.rows[index - 1] if index else self.before

    def following(self, ts: datetime) -> Point | None:
        """The first reading strictly after *ts*."""
        index = bisect_right(self.rows, (ts, float("inf")))
        return self.rows[index] if index < len(self.rows) else self.after


Windows = dict[int, list[Window]]


def find_window(windows: Windows, sensor_id: int, ts: datetime) -> Window | None:
    """The window of *sensor_id* that covers *ts*, if any."""
    return next((w for w in windows.get(sensor_id, ()) if w.covers(ts)), None)


def fetch_windows(
    conn: Connection,
    intervals: list[tuple[int, datetime, datetime]],
    neighbours: Collection[int] = (),
) -> Windows:
    """Read the stored readings of each ``(sensor_id, start, end)`` interval into windows.

    Sensors in *neighbours* also get the readings just outside their window.
    """
    windows: Windows = defaultdict(list)
    neighbours = set(neighbours)
    for low, high, ids in merge_intervals(intervals, MERGE_GAP):
        for id_chunk in chunks(sorted(ids)):
            for sensor_id, window in _read_range(conn, id_chunk, low, high, neighbours).items():
                windows[sensor_id].append(window)
    return windows


def _read_range(
    conn: Connection, ids: list[int], low: datetime, high: datetime, neighbours: Collection[int]
) -> dict[int, Window]:
    windows = {sensor_id: Window(low, high) for sensor_id in ids}
    query = (select(READING.c.sensor_id, READING.c.ts, READING.c.value)
             .where(READING.c.sensor_id.in_(ids), READING.c.ts >= low, READING.c.ts < high)
             .order_by(READING.c.sensor_id, READING.c.ts))
    for sensor_id, ts, value in conn.execute(query):
        windows[sensor_id].rows.append((utc(ts), value))
    wanted = [sensor_id for sensor_id in ids if sensor_id in neighbours]
    if wanted:
        _read_edges(conn, wanted, windows)
    return windows


def _edge(column: str, before: bool, at: datetime):
    """A scalar subquery: *column* of the reading just before *at* (or at/after it)."""
    inner = READING.alias(f"edge_{column}_{'before' if before else 'after'}")
    condition = inner.c.ts < at if before else inner.c.ts >= at
    order = inner.c.ts.desc() if before else inner.c.ts.asc()
    return (select(inner.c[column]).where(inner.c.sensor_id == SENSOR.c.id, condition)
            .order_by(order).limit(1).scalar_subquery())


def _read_edges(conn: Connection, ids: list[int], windows: dict[int, Window]) -> None:
    low, high = windows[ids[0]].low, windows[ids[0]].high
    query = select(SENSOR.c.id, _edge("ts", True, low), _edge("value", True, low),
                   _edge("ts", False, high), _edge("value", False, high)
                   ).where(SENSOR.c.id.in_(ids))
    for sensor_id, b_ts, b_value, a_ts, a_value in conn.execute(query):
        window = windows[sensor_id]
        window.before = None if b_ts is None else (utc(b_ts), b_value)
        window.after = None if a_ts is None else (utc(a_ts), a_value)
