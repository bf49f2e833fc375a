"""Energy figures of a group of meters from rollups (never raw readings).

Two shapes:

- :func:`meter_frame` / :func:`quarter_frame`: the long per-meter frame that
  sensors.analytics.energy works on (meter, start, import_kwh, export_kwh, pv_kwh);
- :func:`series`, :func:`summary`, :func:`stress_hours`, :func:`heatmap`: the group's figures with
  the heavy aggregation done in SQL (see energy_sql), so a park-year stays quick.

Per-meter totals and the self-consumed PV of meters with both PV and export (clipped per
quarter-hour, see energy_self_sql) live in energy_meters and are re-exported here.

Quarter-hours and hours come from the 15m and 1h rollups, days from the 1d rollups (Amsterdam
days) and months from those days. Who may see which meters is not decided here: callers pass
the meters they may show (energy_sharing).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from sensors.analytics.energy import (
    BALANCE_COLUMNS,
    EnergySummary,
    balance,
    load_heatmap,
    stress_hours_from_balance,
)
from sensors.analytics.periods import resample

from ..models import Device
from . import energy_self_sql as self_sql
from . import energy_sql as sql
from .energy_frames import FRAME_COLUMNS as FRAME_COLUMNS  # re-exported: the long frame
from .energy_frames import (
    SUM_COLUMNS,
    completed,
    dialect,
    fetch_rows,
    meter_frame,
    totals_period,
    utc_index,
)
from .energy_frames import quarter_frame as quarter_frame
from .energy_meters import meter_self_consumed as meter_self_consumed  # re-exported
from .energy_meters import meter_totals as meter_totals  # re-exported
from .energy_meters import mixed_meters, quarter_self_consumed

RESOLUTIONS: tuple[str, ...] = ("15m", "1h", "1d", "1mo")
SERIES_COLUMNS: list[str] = list(BALANCE_COLUMNS)


def empty_series() -> pd.DataFrame:
    """A series frame without rows (index ``start`` UTC, SERIES_COLUMNS)."""
    index = pd.DatetimeIndex([], tz="UTC", name="start")
    return pd.DataFrame({c: pd.Series(dtype=float) for c in SERIES_COLUMNS}, index=index)


def _collective(db: Session, meters: Sequence[Device], start: datetime, end: datetime,
                period: str) -> pd.DataFrame:
    """Sums per bucket; for hours and days without the mixed meters' self-consumed PV (the
    callers add it from the quarter-hours)."""
    found = sql.sources(meters)
    stmts = [sql.sums_stmt(found, period, start, end)] if found else []
    if found and period == "15m":
        stmts += [self_sql.as_sums(stmt) for stmt in self_sql.self_stmts(
            found, start, end, "start", dialect(db))]
    rows = [row for stmt in stmts for row in fetch_rows(db, stmt)]
    if not rows:
        return empty_series()
    frame = pd.DataFrame(rows, columns=["start", *SUM_COLUMNS])
    frame.index = utc_index(frame.pop("start"))
    if len(stmts) > 1:
        frame = frame.groupby(level=0).sum()
    return completed(frame.sort_index())


def _daily(db: Session, meters: Sequence[Device], start: datetime,
           end: datetime) -> pd.DataFrame:
    """Per Amsterdam day, without the self-consumed PV of the :func:`mixed_meters`; in SQL
    unless a power-only meter needs each day's length."""
    if not sql.has_mean(sql.sources(meters)):
        return _collective(db, meters, start, end, "1d")
    frame = meter_frame(db, meters, start, end, "1d")
    mixed = frame["meter"].isin([m.uid for m in mixed_meters(meters)])
    parts = [balance(frame[~mixed]), balance(frame[mixed]).assign(self_consumed_kwh=0.0)]
    parts = [part for part in parts if not part.empty]
    if not parts:
        return empty_series()
    return pd.concat(parts).groupby(level=0).sum(min_count=1)[SERIES_COLUMNS]


def _bucketed(db: Session, meters: Sequence[Device], start: datetime, end: datetime,
              base: str) -> pd.DataFrame:
    if not meters:
        return empty_series()
    return _collective(db, meters, start, end, "1h") if base == "1h" else _daily(
        db, meters, start, end)


def _coarse(db: Session, meters: Sequence[Device], start: datetime, end: datetime, base: str,
            mixed_self: pd.Series | None) -> pd.DataFrame:
    """Hours or days; the mixed meters' self-consumed PV comes from their quarter-hours."""
    frame = _bucketed(db, meters, start, end, base)
    mixed = mixed_meters(meters)
    if not mixed or frame.empty:
        return frame
    hours = quarter_self_consumed(db, mixed, start, end) if mixed_self is None else mixed_self
    if not hours.empty:
        exact = resample(hours, base).reindex(frame.index).fillna(0.0)
        frame["self_consumed_kwh"] = frame["self_consumed_kwh"] + exact
    return frame


def series(db: Session, meters: Sequence[Device], start: datetime, end: datetime,
           resolution: str, mixed_self: pd.Series | None = None) -> pd.DataFrame:
    """The meters' balance summed per bucket of *resolution*; only buckets with data.

    Index ``start`` (UTC; days and months at Amsterdam midnights), columns SERIES_COLUMNS.
    Self-consumed PV is clipped per meter and quarter-hour at every resolution; *mixed_self*
    may give it (per hour) for the :func:`mixed_meters` when the caller has it already.
    """
    if resolution not in RESOLUTIONS:
        raise ValueError(f"unknown resolution {resolution!r}")
    if not meters:
        return empty_series()
    if resolution == "15m":
        return _collective(db, meters, start, end, resolution)
    frame = _coarse(db, meters, start, end, "1h" if resolution == "1h" else "1d", mixed_self)
    if frame.empty or resolution in ("1h", "1d"):
        return frame
    return resample(frame, "1mo")


def meter_peaks(db: Session, meters: Sequence[Device], start: datetime,
                end: datetime) -> dict[str, float]:
    """Each meter's highest quarter-hour import in kW (uid -> kW; meters without import left
    out)."""
    stmt = sql.meter_peak_stmt(sql.sources(meters), start, end) if meters else None
    if stmt is None:
        return {}
    uids = {m.id: m.uid for m in meters}
    return {uids[d]: float(kwh) / sql.HOURS["15m"] for d, kwh in fetch_rows(db, stmt)
            if kwh is not None}


def collective_peak(db: Session, meters: Sequence[Device], start: datetime,
                    end: datetime) -> tuple[float, datetime | None]:
    """The highest summed net import of one quarter-hour, in kW, and when (0, None if none)."""
    found = [s for s in sql.sources(meters) if s.role in ("import", "export")]
    if not found or not any(s.role == "import" for s in found):
        return 0.0, None
    rows = fetch_rows(db, sql.collective_peak_stmt(found, start, end))
    if not rows or rows[0][1] is None or rows[0][1] <= 0:
        return 0.0, None
    moment, net = rows[0]
    return float(net) / sql.HOURS["15m"], utc_index([moment])[0].to_pydatetime()


def peak_of(quarters: pd.DataFrame) -> tuple[float, datetime | None]:
    """The collective peak (kW, when) of a quarter-hour :func:`series` (0, None if none)."""
    net = quarters["net_kwh"].dropna()
    if net.empty or net.max() <= 0:
        return 0.0, None
    moment = net.idxmax()
    return float(net.loc[moment]) / sql.HOURS["15m"], moment.to_pydatetime()


def meters_with_data(db: Session, meters: Sequence[Device], start: datetime,
                     end: datetime) -> int:
    """How many of *meters* have any energy rollup in the range."""
    found = sql.sources(meters)
    if not found:
        return 0
    stmt = sql.devices_with_data_stmt(found, totals_period(start, end), start, end)
    devices = {s.sensor_id: s.device_id for s in found}
    return len({devices[sensor_id] for (sensor_id,) in fetch_rows(db, stmt)})


def _ratio(numerator: float, denominator: float | None) -> float | None:
    if denominator is None or denominator == 0 or np.isnan(denominator):
        return None
    return float(numerator / denominator)


def summary_from(totals: pd.Series, peak: tuple[float, datetime | None],
                 individual: dict[str, float], meters: int,
                 contracted_kw: float | None) -> EnergySummary:
    """An EnergySummary from totals (SERIES_COLUMNS), the collective and individual peaks."""
    value = {c: float(totals.get(c, 0.0)) if pd.notna(totals.get(c)) else 0.0
             for c in SERIES_COLUMNS}
    individual_sum = float(sum(individual.values()))
    contracted = None if contracted_kw is None else float(contracted_kw)
    return EnergySummary(
        meters=meters, import_kwh=value["import_kwh"], export_kwh=value["export_kwh"],
        pv_kwh=value["pv_kwh"], consumption_kwh=value["consumption_kwh"],
        self_consumed_kwh=value["self_consumed_kwh"],
        self_sufficiency=_ratio(value["self_consumed_kwh"], value["consumption_kwh"]),
        self_consumption=_ratio(value["self_consumed_kwh"], value["pv_kwh"]),
        collective_peak_kw=peak[0], collective_peak_at=peak[1],
        sum_individual_peaks_kw=individual_sum, headroom_kw=individual_sum - peak[0],
        contracted_kw=contracted,
        peak_vs_contract=_ratio(peak[0], contracted) if contracted and contracted > 0 else None)


def summary(db: Session, meters: Sequence[Device], start: datetime, end: datetime,
            contracted_kw: float | None = None,
            series_frame: pd.DataFrame | None = None) -> EnergySummary:
    """Totals, ratios and peaks of the meters over [start, end), aggregated in SQL.

    Pass *series_frame* (a :func:`series` of the same range) to total it instead of reading
    the day rollups again.
    """
    if series_frame is None:
        period = totals_period(start, end)
        series_frame = series(db, meters, start, end, "1d" if period == "1d" else "15m")
    return summary_from(series_frame.sum(), collective_peak(db, meters, start, end),
                        meter_peaks(db, meters, start, end),
                        meters_with_data(db, meters, start, end), contracted_kw)


def hourly(db: Session, meters: Sequence[Device], start: datetime, end: datetime,
           mixed_self: pd.Series | None = None) -> pd.DataFrame:
    """The meters' balance per hour (from the 1h rollups; *mixed_self* as for :func:`series`)."""
    return series(db, meters, start, end, "1h", mixed_self)


def stress_hours(db: Session, meters: Sequence[Device], start: datetime, end: datetime,
                 top: int = 10, hourly_frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """The *top* hours of highest collective net import: start, net_kw, import_kw, rank."""
    frame = hourly(db, meters, start, end) if hourly_frame is None else hourly_frame
    return stress_hours_from_balance(frame, top, "1h")


def heatmap(db: Session, meters: Sequence[Device], start: datetime, end: datetime,
            hourly_frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Mean net kW per Amsterdam weekday (0 = Monday) and hour (0-23), 7 x 24."""
    frame = hourly(db, meters, start, end) if hourly_frame is None else hourly_frame
    return load_heatmap(frame, "1h")
