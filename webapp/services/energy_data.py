"""Energy figures of a group of meters from rollups (never raw readings).

Two shapes:

- :func:`meter_frame` / :func:`quarter_frame`: the long per-meter frame that
  sensors.analytics.energy works on (meter, start, import_kwh, export_kwh, pv_kwh);
- :func:`series`, :func:`summary`, :func:`stress_hours`, :func:`heatmap`: the group's figures with
  the heavy aggregation done in SQL (see energy_sql), so a park-year stays quick.

Quarter-hours and hours come from the 15m and 1h rollups, days from the 1d rollups (Amsterdam
days) and months from those days. Who may see which meters is not decided here: callers pass
the meters they may show (energy_sharing).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

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
from sensors.rollups import bucket_start

from ..models import Device
from . import energy_sql as sql
from .energy_frames import FRAME_COLUMNS as FRAME_COLUMNS  # re-exported: the long frame
from .energy_frames import fetch_rows, meter_frame, utc_index
from .energy_frames import quarter_frame as quarter_frame

RESOLUTIONS: tuple[str, ...] = ("15m", "1h", "1d", "1mo")
SERIES_COLUMNS: list[str] = list(BALANCE_COLUMNS)


def empty_series() -> pd.DataFrame:
    """A series frame without rows (index ``start`` UTC, SERIES_COLUMNS)."""
    index = pd.DatetimeIndex([], tz="UTC", name="start")
    return pd.DataFrame({c: pd.Series(dtype=float) for c in SERIES_COLUMNS}, index=index)


_SUM_COLUMNS = ["import_kwh", "export_kwh", "pv_kwh", "self_consumed_kwh"]


def _completed(frame: pd.DataFrame) -> pd.DataFrame:
    """Sums of import, export, PV and self-consumed -> all SERIES_COLUMNS."""
    frame = frame.astype(dict.fromkeys(_SUM_COLUMNS, float))
    frame["consumption_kwh"] = frame["import_kwh"] + frame["pv_kwh"] - frame["export_kwh"]
    frame["net_kwh"] = frame["import_kwh"] - frame["export_kwh"]
    return frame[SERIES_COLUMNS]


def _collective(db: Session, meters: Sequence[Device], start: datetime, end: datetime,
                period: str) -> pd.DataFrame:
    found = sql.sources(meters)
    stmts = sql.collective_stmts(found, period, start, end) if found else []
    rows = [row for stmt in stmts for row in fetch_rows(db, stmt)]
    if not rows:
        return empty_series()
    frame = pd.DataFrame(rows, columns=["start", *_SUM_COLUMNS])
    frame.index = utc_index(frame.pop("start"))
    if len(stmts) > 1:
        frame = frame.groupby(level=0).sum()
    return _completed(frame.sort_index())


def _daily(db: Session, meters: Sequence[Device], start: datetime,
           end: datetime) -> pd.DataFrame:
    """Per Amsterdam day; in SQL unless a power-only meter needs each day's length."""
    if not sql.has_mean(sql.sources(meters)):
        return _collective(db, meters, start, end, "1d")
    return balance(meter_frame(db, meters, start, end, "1d"))


def mixed_meters(meters: Sequence[Device]) -> list[Device]:
    """Meters with both PV and export: only their self-consumed PV depends on the bucket size
    (per quarter-hour, export may exceed PV in part of an hour or a day)."""
    roles: dict[int, set[str]] = {}
    for source in sql.sources(meters):
        roles.setdefault(source.device_id, set()).add(source.role)
    return [m for m in meters if {"pv", "export"} <= roles.get(m.id, set())]


def quarter_self_consumed(db: Session, meters: Sequence[Device], start: datetime,
                          end: datetime) -> pd.Series:
    """Self-consumed PV per hour, clipped per meter and quarter-hour (the definition)."""
    quarters = _collective(db, meters, start, end, "15m")["self_consumed_kwh"]
    return resample(quarters, "1h") if not quarters.empty else quarters


def _bucketed(db: Session, meters: Sequence[Device], start: datetime, end: datetime,
              base: str) -> pd.DataFrame:
    if not meters:
        return empty_series()
    return _collective(db, meters, start, end, "1h") if base == "1h" else _daily(
        db, meters, start, end)


def _coarse(db: Session, meters: Sequence[Device], start: datetime, end: datetime, base: str,
            mixed_self: pd.Series | None) -> pd.DataFrame:
    """Hours or days; the mixed meters' self-consumed PV comes from their quarter-hours."""
    mixed = mixed_meters(meters)
    plain = [m for m in meters if m not in mixed]
    parts = [_bucketed(db, plain, start, end, base)]
    if mixed:
        frame = _bucketed(db, mixed, start, end, base)
        hours = quarter_self_consumed(db, mixed, start, end) if mixed_self is None \
            else mixed_self
        exact = resample(hours, base) if not hours.empty else hours
        frame["self_consumed_kwh"] = exact.reindex(frame.index).fillna(0.0)
        parts.append(frame)
    parts = [part for part in parts if not part.empty]
    if not parts:
        return empty_series()
    return pd.concat(parts).groupby(level=0).sum(min_count=1)[SERIES_COLUMNS]


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


def meter_totals(db: Session, meters: Sequence[Device], start: datetime,
                 end: datetime) -> pd.DataFrame:
    """Per meter uid (meters with data): sums of SERIES_COLUMNS over [start, end).

    Whole days come from the day rollups, summed per meter in SQL.
    """
    found = sql.sources(meters)
    period = _totals_period(start, end)
    if found and period == "1d" and not sql.has_mean(found):
        uids = {m.id: m.uid for m in meters}
        rows = [(uids[d], *rest) for d, *rest in fetch_rows(db, sql.meter_totals_stmt(found, start,
                                                                                  end))]
        frame = pd.DataFrame(rows, columns=["meter", *_SUM_COLUMNS]).set_index("meter")
        for mixed in mixed_meters(meters):  # self-consumed PV per quarter-hour, as defined
            if mixed.uid in frame.index:
                frame.loc[mixed.uid, "self_consumed_kwh"] = float(
                    quarter_self_consumed(db, [mixed], start, end).sum())
        return _completed(frame).sort_index()
    frame = meter_frame(db, meters, start, end, period)
    parts = {uid: balance(group)[SERIES_COLUMNS].sum() for uid, group in frame.groupby("meter")}
    if not parts:
        return pd.DataFrame(columns=SERIES_COLUMNS, dtype=float).rename_axis("meter")
    return pd.DataFrame.from_dict(parts, orient="index")[SERIES_COLUMNS].rename_axis("meter")


def _totals_period(start: datetime, end: datetime) -> str:
    """1d rollups when the range is whole Amsterdam days, else quarter-hours."""
    aligned = all(bucket_start(moment.astimezone(UTC), "1d") == moment.astimezone(UTC)
                  for moment in (start, end))
    return "1d" if aligned else "15m"


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
    stmt = sql.devices_with_data_stmt(found, _totals_period(start, end), start, end)
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
        period = _totals_period(start, end)
        series_frame = series(db, meters, start, end, "1d" if period == "1d" else "15m")
    return summary_from(series_frame.sum(), collective_peak(db, meters, start, end),
                        meter_peaks(db, meters, start, end),
                        meters_with_data(db, meters, start, end), contracted_kw)


def hourly(db: Session, meters: Sequence[Device], start: datetime, end: datetime) -> pd.DataFrame:
    """The meters' balance per hour (from the 1h rollups)."""
    return series(db, meters, start, end, "1h")


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
