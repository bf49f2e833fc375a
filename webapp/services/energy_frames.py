"""A group of meters' rollups as the long per-meter frame sensors.analytics.energy works on.

One row per meter (device uid) and bucket: ``meter``, ``start`` (UTC), ``import_kwh``,
``export_kwh``, ``pv_kwh`` (NaN = no data). See energy_sql for which sensor feeds which column.
Also the small pieces the energy modules share: fetching rows, sums -> balance columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from sensors.analytics.energy import BALANCE_COLUMNS
from sensors.rollups import bucket_end, bucket_start

from ..models import Device
from . import energy_sql as sql

FRAME_COLUMNS: list[str] = ["meter", "start", "import_kwh", "export_kwh", "pv_kwh"]
_ROLE_COLUMNS = {"import": "import_kwh", "export": "export_kwh", "pv": "pv_kwh"}
# What the SQL sums give per bucket or meter; completed() adds consumption and net.
SUM_COLUMNS: list[str] = ["import_kwh", "export_kwh", "pv_kwh", "self_consumed_kwh"]


def completed(frame: pd.DataFrame) -> pd.DataFrame:
    """Sums of import, export, PV and self-consumed -> all BALANCE_COLUMNS."""
    frame = frame.astype(dict.fromkeys(SUM_COLUMNS, float))
    frame["consumption_kwh"] = frame["import_kwh"] + frame["pv_kwh"] - frame["export_kwh"]
    frame["net_kwh"] = frame["import_kwh"] - frame["export_kwh"]
    return frame[list(BALANCE_COLUMNS)]


def dialect(db: Session) -> str:
    """The database's dialect name ("sqlite", "postgresql")."""
    return db.get_bind().dialect.name


def totals_period(start: datetime, end: datetime) -> str:
    """1d rollups when the range is whole Amsterdam days, else quarter-hours."""
    aligned = all(bucket_start(moment.astimezone(UTC), "1d") == moment.astimezone(UTC)
                  for moment in (start, end))
    return "1d" if aligned else "15m"


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
