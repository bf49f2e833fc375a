"""A group of meters' rollups as the long per-meter frame sensors.analytics.energy works on.

One row per meter (device uid) and bucket: ``meter``, ``start`` (UTC), ``import_kwh``,
``export_kwh``, ``pv_kwh`` (NaN = no data). See energy_sql for which sensor feeds which column.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from sensors.rollups import bucket_end

from ..models import Device
from . import energy_sql as sql

FRAME_COLUMNS: list[str] = ["meter", "start", "import_kwh", "export_kwh", "pv_kwh"]
_ROLE_COLUMNS = {"import": "import_kwh", "export": "export_kwh", "pv": "pv_kwh"}


def utc_index(values) -> pd.DatetimeIndex:
    """Start times as the driver gives them (SQLite text, PostgreSQL datetimes) -> UTC index."""
    parsed = pd.to_datetime(pd.Series(values, dtype=object), utc=True, format="ISO8601")
    return pd.DatetimeIndex(parsed, name="start")


def fetch_rows(db: Session, stmt) -> list[tuple]:
    """All rows of a Core statement, without the ORM's per-row work."""
    return [tuple(row) for row in db.connection().execute(stmt)]


def _bucket_hours(starts: pd.DatetimeIndex, period: str) -> np.ndarray:
    """Length in hours of each bucket (days are 23 or 25 hours on the DST days)."""
    if period in sql.HOURS:
        return np.full(len(starts), sql.HOURS[period])
    lengths = {s: (bucket_end(s.to_pydatetime(), "1d") - s.to_pydatetime()).total_seconds()
               / 3600 for s in starts.unique()}
    return np.array([lengths[s] for s in starts], dtype=float)


def meter_frame(db: Session, meters: Sequence[Device], start: datetime, end: datetime,
                period: str = "15m") -> pd.DataFrame:
    """One row per meter and bucket of *period* (15m, 1h or 1d): FRAME_COLUMNS, NaN = no data."""
    found = sql.sources(meters)
    rows = fetch_rows(db, sql.rows_stmt(found, period, start, end)) if found else []
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype=float) for c in FRAME_COLUMNS}).astype(
            {"meter": object, "start": "datetime64[ns, UTC]"})
    raw = pd.DataFrame(rows, columns=["sensor_id", "start", "consumption", "sum", "count"])
    raw["start"] = utc_index(raw["start"])
    by_id = {s.sensor_id: s for s in found}
    methods = raw["sensor_id"].map(lambda i: by_id[i].method)
    mean_kwh = raw["sum"] / raw["count"] * _bucket_hours(pd.DatetimeIndex(raw["start"]), period)
    raw["value"] = np.select([methods == "consumption", methods == "sum"],
                             [raw["consumption"], raw["sum"]], mean_kwh)
    raw["meter"] = raw["sensor_id"].map(lambda i: by_id[i].meter)
    raw["role"] = raw["sensor_id"].map(lambda i: _ROLE_COLUMNS[by_id[i].role])
    wide = raw.groupby(["meter", "start", "role"])["value"].sum(min_count=1).unstack("role")
    wide = wide.reindex(columns=FRAME_COLUMNS[2:])
    return wide.reset_index()[FRAME_COLUMNS]


def quarter_frame(db: Session, meters: Sequence[Device], start: datetime,
                  end: datetime) -> pd.DataFrame:
    """The long quarter-hour frame the analytics expect, from the 15m rollups."""
    return meter_frame(db, meters, start, end, "15m")
