"""A group of meters' month and year figures, month by month, remembered (energy_memo).

The collective quarter-hour peak of a month or a year needs every quarter-hour rollup of every
meter in it (a park-year of 50 meters is millions of rows), and past months hardly ever change.
So the month and year views ask this module per calendar month for the peaks, the self-consumed
PV, the days and the hours; energy_memo keeps each month while its day rollups stay the same.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

import pandas as pd
from sqlalchemy.orm import Session

from sensors.analytics.periods import Period

from ..models import Device
from . import energy_data, energy_meters
from . import energy_memo as memo
from .energy_memo import clear as clear  # re-exported
from .energy_memo import fingerprints as fingerprints  # re-exported
from .energy_memo import size as size  # re-exported

Peaks = tuple[float, datetime | None, dict[str, float]]


def _prints(db: Session, meters: Sequence[Device], period: Period, prints: dict | None) -> dict:
    return fingerprints(db, meters, period.start_utc, period.end_utc) if prints is None \
        else prints


def _per_month(db: Session, meters: Sequence[Device], period: Period, prints: dict | None,
               kind: str, compute: Callable[[Period], object]) -> list:
    """*compute(month)* for each month of *period* with data, remembered (energy_memo)."""
    return memo.per_month(db, meters, memo.months_of(period), _prints(db, meters, period, prints),
                          kind, compute)


def collective_peak(db: Session, meters: Sequence[Device], period: Period,
                    prints: dict | None = None) -> tuple[float, datetime | None]:
    """The collective quarter-hour peak (kW, when) over a month or year, month by month."""
    found = _per_month(db, meters, period, prints, "collective", lambda m: energy_data.
                       collective_peak(db, meters, m.start_utc, m.end_utc))
    peak, at = 0.0, None
    for month_peak, month_at in found:
        if month_peak > peak:  # ties go to the earlier month
            peak, at = month_peak, month_at
    return peak, at


def meter_peaks(db: Session, meters: Sequence[Device], period: Period,
                prints: dict | None = None) -> dict[str, float]:
    """Each meter's highest quarter-hour import (uid -> kW) over a month or year."""
    per_meter: dict[str, float] = {}
    for found in _per_month(db, meters, period, prints, "meter_peaks", lambda m: energy_data.
                            meter_peaks(db, meters, m.start_utc, m.end_utc)):
        for uid, kw in found.items():
            per_meter[uid] = max(kw, per_meter.get(uid, kw))
    return per_meter


def peaks(db: Session, meters: Sequence[Device], period: Period,
          prints: dict | None = None) -> Peaks:
    """Collective peak (kW, when) and each meter's peak over a month or year, month by month."""
    prints = _prints(db, meters, period, prints)
    return (*collective_peak(db, meters, period, prints),
            meter_peaks(db, meters, period, prints))


def mixed_self_consumed(db: Session, meters: Sequence[Device], period: Period,
                        prints: dict | None = None) -> pd.Series:
    """Hourly self-consumed PV of the meters with both PV and export, month by month."""
    mixed = energy_data.mixed_meters(meters)
    if not mixed:
        return pd.Series(dtype=float)
    parts = [part for part in _per_month(
        db, meters, period, prints, "self", lambda m: energy_data.quarter_self_consumed(
            db, mixed, m.start_utc, m.end_utc)) if not part.empty]
    return pd.concat(parts) if parts else pd.Series(dtype=float)


def meter_self_consumed(db: Session, meters: Sequence[Device], period: Period,
                        prints: dict | None = None) -> dict[str, float]:
    """Per meter with both PV and export (uid): self-consumed PV over a month or year."""
    return energy_meters.month_self_consumed(db, meters, memo.months_of(period),
                                             _prints(db, meters, period, prints))


def daily(db: Session, meters: Sequence[Device], period: Period,
          prints: dict | None = None) -> pd.DataFrame:
    """The meters' balance per Amsterdam day over a month or year, month by month (the day
    rollups themselves are what the fingerprint sums, so a remembered month is the same
    as a fresh one)."""
    prints = _prints(db, meters, period, prints)

    def month_days(month: Period) -> pd.DataFrame:
        mixed = mixed_self_consumed(db, meters, month, prints)
        return energy_data.series(db, meters, month.start_utc, month.end_utc, "1d", mixed)

    parts = [part for part in _per_month(db, meters, period, prints, "daily", month_days)
             if not part.empty]
    return pd.concat(parts) if parts else energy_data.empty_series()


def hourly(db: Session, meters: Sequence[Device], period: Period,
           prints: dict | None = None) -> pd.DataFrame:
    """The meters' hourly balance over a month or year, month by month."""
    prints = _prints(db, meters, period, prints)

    def month_hours(month: Period) -> pd.DataFrame:
        mixed = mixed_self_consumed(db, meters, month, prints)
        return energy_data.hourly(db, meters, month.start_utc, month.end_utc, mixed)

    parts = [part for part in _per_month(db, meters, period, prints, "hourly", month_hours)
             if not part.empty]
    return pd.concat(parts) if parts else energy_data.empty_series()
