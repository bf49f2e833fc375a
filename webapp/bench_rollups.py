"""Rollups of cumulative registers read once per quarter-hour, written in bulk (for benches).

For every register the 15-minute rows and the hour and Amsterdam-day rows that are their exact
sums (the numbers :func:`sensors.rollups.combine` gives; the tests hold them to it). Rows go in
per register: COPY on PostgreSQL, one executemany of plain tuples on SQLite (times
pre-formatted the way SQLAlchemy stores them), Core inserts elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import pandas as pd
from sqlalchemy import Connection, insert

from sensors.rollups import AMSTERDAM

from .models import Rollup

INSERT_CHUNK = 20_000


def quarter_starts(first_day: date, end: datetime) -> pd.DatetimeIndex:
    """UTC starts of the quarter-hours from Amsterdam midnight of *first_day* up to *end*."""
    start = pd.Timestamp(datetime(first_day.year, first_day.month, first_day.day,
                                  tzinfo=AMSTERDAM)).tz_convert("UTC")
    return pd.date_range(start, pd.Timestamp(end).tz_convert("UTC"), freq="15min",
                         inclusive="left")


def bucket_keys(starts: pd.DatetimeIndex) -> dict[str, pd.DatetimeIndex]:
    """Per rollup period, the bucket start (UTC) of every quarter-hour."""
    local_midnight = starts.tz_convert(AMSTERDAM).normalize().tz_convert("UTC")
    return {"15m": starts, "1h": starts.floor("h"), "1d": local_midnight}


Bounds = dict[str, np.ndarray]


def bucket_bounds(keys: dict[str, pd.DatetimeIndex]) -> Bounds:
    """Per period, the index of the first quarter-hour of each bucket."""
    return {period: np.flatnonzero(np.r_[True, key.asi8[1:] != key.asi8[:-1]])
            for period, key in keys.items()}


def bucket_times(keys: dict[str, pd.DatetimeIndex], bounds: Bounds,
                 as_text: bool) -> dict[str, tuple[list, list, list]]:
    """Per period: bucket starts, first and last reading times (the same for every register).

    Each quarter-hour's reading is taken at its last second. *as_text* gives SQLAlchemy's
    SQLite storage format.
    """
    read_at = keys["15m"] + pd.Timedelta(seconds=899)
    out = {}
    for period, first in bounds.items():
        last = np.r_[first[1:], len(read_at)] - 1
        out[period] = tuple(_times(index, as_text) for index in (
            keys[period][first], read_at[first], read_at[last]))
    return out


def _times(index: pd.DatetimeIndex, as_text: bool) -> list:
    return index.strftime(SQLITE_TIME).tolist() if as_text else index.to_pydatetime().tolist()


def rollup_columns(bounds: Bounds, kwh: np.ndarray, opening: float) -> dict[str, dict]:
    """Numeric rollup columns per period of a cumulative register read once per quarter-hour.

    Each reading's delta over the one before is its quarter-hour's energy *kwh*; *opening* is
    the register's value before the first one.
    """
    values = opening + np.cumsum(kwh)
    return {period: {
        "count": np.diff(np.r_[first, len(kwh)]).tolist(),
        "min": np.minimum.reduceat(values, first).tolist(),
        "max": np.maximum.reduceat(values, first).tolist(),
        "sum": np.add.reduceat(values, first).tolist(),
        "consumption": np.add.reduceat(kwh, first).tolist()} for period, first in bounds.items()}


COLUMNS = ("sensor_id", "period", "start", "count", "min", "max", "sum", "first_ts", "last_ts",
           "consumption")
# SQLAlchemy's SQLite DateTime storage format (UTC wall clock), so raw inserts match its reads.
SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"


def rollup_tuples(sensor_id: int, period: str, cols: dict, times: tuple) -> list[tuple]:
    """Rows in COLUMNS order for one register and period."""
    starts, first, last = times
    n = len(starts)
    return list(zip([sensor_id] * n, [period] * n, starts, cols["count"], cols["min"],
                    cols["max"], cols["sum"], first, last, cols["consumption"], strict=True))


def _write(conn: Connection, rows: list[tuple]) -> None:
    """The fastest bulk path per dialect: COPY on PostgreSQL, executemany elsewhere."""
    names = ", ".join(COLUMNS)
    if conn.dialect.name == "postgresql":
        cursor = conn.connection.driver_connection.cursor()
        with cursor.copy(f"COPY rollup ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    if conn.dialect.name == "sqlite":
        marks = ", ".join("?" * len(COLUMNS))
        for offset in range(0, len(rows), INSERT_CHUNK):
            conn.exec_driver_sql(f"INSERT INTO rollup ({names}) VALUES ({marks})",
                                 rows[offset:offset + INSERT_CHUNK])
        return
    records = [dict(zip(COLUMNS, row, strict=True)) for row in rows]
    for offset in range(0, len(records), INSERT_CHUNK):
        conn.execute(insert(Rollup), records[offset:offset + INSERT_CHUNK])


def insert_rollups(conn: Connection, sensor_id: int, columns: dict[str, dict],
                   times: dict[str, tuple]) -> dict[str, int]:
    """Bulk-insert one register's rollups; rows written per period."""
    written = {}
    for period, cols in columns.items():
        rows = rollup_tuples(sensor_id, period, cols, times[period])
        _write(conn, rows)
        written[period] = len(rows)
    return written


@dataclass(frozen=True)
class Grid:
    """The quarter-hours of a range with their buckets, shared by every register."""

    starts: pd.DatetimeIndex
    bounds: Bounds
    times: dict[str, tuple]


def grid(first_day: date, end: datetime, as_text: bool) -> Grid:
    """The quarter-hours from Amsterdam midnight of *first_day* to *end* (see bucket_times)."""
    starts = quarter_starts(first_day, end)
    keys = bucket_keys(starts)
    bounds = bucket_bounds(keys)
    return Grid(starts, bounds, bucket_times(keys, bounds, as_text))


def write_register(conn: Connection, on: Grid, sensor_id: int, kwh: np.ndarray,
                   opening: float = 1000.0) -> dict[str, int]:
    """Write the 15m, 1h and 1d rollups of a cumulative register using *kwh* per quarter-hour."""
    return insert_rollups(conn, sensor_id, rollup_columns(on.bounds, kwh, opening), on.times)
