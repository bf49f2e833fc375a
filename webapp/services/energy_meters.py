"""Per meter: totals over a range, and the self-consumed PV of meters with both PV and export.

Self-consumed PV is clipped per meter and quarter-hour (issue #5), so for a meter with both PV
and export it comes from the quarter-hours at every resolution: per hour for a group's series
(:func:`quarter_self_consumed`) or per meter for its totals (:func:`meter_self_consumed`),
summed in SQL (energy_self_sql), whole calendar months remembered (energy_memo). Everything
else per meter comes from the day rollups when the range is whole Amsterdam days. Re-exported
by energy_data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from sensors.analytics.energy import BALANCE_COLUMNS, balance
from sensors.analytics.periods import Period, resample

from ..models import Device
from . import energy_memo as memo
from . import energy_self_sql as self_sql
from . import energy_sql as sql
from .energy_frames import (
    SUM_COLUMNS,
    completed,
    dialect,
    fetch_rows,
    meter_frame,
    totals_period,
    utc_index,
)

COLUMNS: list[str] = list(BALANCE_COLUMNS)


def mixed_meters(meters: Sequence[Device]) -> list[Device]:
    """Meters with both PV and export: only their self-consumed PV depends on the bucket size
    (per quarter-hour, export may exceed PV in part of an hour or a day)."""
    mixed = sql.mixed_devices(sql.sources(meters))
    return [m for m in meters if m.id in mixed]


def _self_rows(db: Session, meters: Sequence[Device], start: datetime, end: datetime,
               by: str) -> list[tuple]:
    stmts = self_sql.self_stmts(sql.sources(meters), start, end, by, dialect(db))
    return [row for stmt in stmts for row in fetch_rows(db, stmt)]


def quarter_self_consumed(db: Session, meters: Sequence[Device], start: datetime,
                          end: datetime) -> pd.Series:
    """Self-consumed PV per hour, clipped per meter and quarter-hour (the definition); only
    the :func:`mixed_meters` count (the others' self-consumed PV is all their PV)."""
    rows = _self_rows(db, meters, start, end, "start")
    if not rows:
        return pd.Series(dtype=float)
    starts, kwh = zip(*rows, strict=True)
    quarters = pd.Series(np.asarray(kwh, dtype=float), index=utc_index(starts))
    return resample(quarters.groupby(level=0).sum(), "1h")


def meter_self_consumed(db: Session, meters: Sequence[Device], start: datetime,
                        end: datetime) -> dict[str, float]:
    """Per :func:`mixed_meters` uid: self-consumed PV over [start, end), clipped per
    quarter-hour (summed in SQL; one row per meter comes back)."""
    uids = {m.id: m.uid for m in meters}
    found: dict[str, float] = {}
    for device, kwh in _self_rows(db, meters, start, end, "device"):
        found[uids[device]] = found.get(uids[device], 0.0) + float(kwh or 0.0)
    return found


def month_self_consumed(db: Session, meters: Sequence[Device], months: Sequence[Period],
                        prints: dict) -> dict[str, float]:
    """As :func:`meter_self_consumed` over whole calendar *months*, each remembered while its
    fingerprint (*prints*, energy_memo.fingerprints) holds."""
    if not mixed_meters(meters):
        return {}
    total: dict[str, float] = {}
    for found in memo.per_month(db, meters, months, prints, "meter_self", lambda m: (
            meter_self_consumed(db, meters, m.start_utc, m.end_utc))):
        for uid, kwh in found.items():
            total[uid] = total.get(uid, 0.0) + kwh
    return total


def _exact_self(db: Session, meters: Sequence[Device], start: datetime,
                end: datetime) -> dict[str, float]:
    months = memo.whole_months(start, end)
    if months is None:
        return meter_self_consumed(db, meters, start, end)
    return month_self_consumed(db, meters, months, memo.fingerprints(db, meters, start, end))


def meter_totals(db: Session, meters: Sequence[Device], start: datetime, end: datetime,
                 self_consumed: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Per meter uid (meters with data): sums of COLUMNS over [start, end).

    Whole days come from the day rollups, summed per meter in SQL (unless a power-only meter
    needs each day's length); the self-consumed PV of the :func:`mixed_meters` always from
    their quarter-hours (:func:`meter_self_consumed`; whole calendar months remembered, see
    :func:`month_self_consumed`), or from *self_consumed* (uid -> kWh) when the caller has it.
    """
    found = sql.sources(meters)
    period = totals_period(start, end)
    if found and period == "1d" and not sql.has_mean(found):
        frame = _sql_totals(db, meters, found, start, end)
    else:
        frame = _frame_totals(db, meters, start, end, period)
    mixed = [m.uid for m in mixed_meters(meters) if m.uid in frame.index]
    if period == "1d" and mixed:  # a day's clip is not the quarter-hours' clip
        exact = _exact_self(db, meters, start, end) if self_consumed is None \
            else self_consumed
        frame.loc[mixed, "self_consumed_kwh"] = [float(exact.get(uid, 0.0)) for uid in mixed]
    return frame


def _sql_totals(db: Session, meters: Sequence[Device], found: Sequence[sql.Source],
                start: datetime, end: datetime) -> pd.DataFrame:
    uids = {m.id: m.uid for m in meters}
    rows = [(uids[d], *rest) for d, *rest in fetch_rows(db, sql.meter_totals_stmt(found, start,
                                                                              end))]
    frame = pd.DataFrame(rows, columns=["meter", *SUM_COLUMNS]).set_index("meter")
    return completed(frame).sort_index()


def _frame_totals(db: Session, meters: Sequence[Device], start: datetime, end: datetime,
                  period: str) -> pd.DataFrame:
    frame = meter_frame(db, meters, start, end, period)
    parts = {uid: balance(group)[COLUMNS].sum() for uid, group in frame.groupby("meter")}
    if not parts:
        return pd.DataFrame(columns=COLUMNS, dtype=float).rename_axis("meter")
    return pd.DataFrame.from_dict(parts, orient="index")[COLUMNS].rename_axis("meter")
