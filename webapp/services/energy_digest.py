"""Peaks and hourly balances of whole months, remembered while their rollups stay the same.

The collective quarter-hour peak of a month or a year needs every quarter-hour rollup of every
meter in it (a park-year of 50 meters is millions of rows), and past months hardly ever change.
So the month and year views ask this module per calendar month: it computes a month's peaks and
hourly balance once and keeps them in memory, keyed by the exact set of sensors (consent changes
the set, so a revoked meter is never served from the cache) and checked on every use against a
fingerprint of the month's day rollups (row count, reading count, sums), which changes whenever
any reading of the month is added, because the day rollups follow every quarter-hour.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from datetime import datetime

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sensors.analytics.periods import Period

from ..models import Device, Rollup
from . import energy_data
from . import energy_sql as sql

MAX_ENTRIES = 4096
Peaks = tuple[float, datetime | None, dict[str, float]]
_cache: OrderedDict[tuple, tuple[tuple, object]] = OrderedDict()
_lock = threading.Lock()


def clear() -> None:
    """Forget every remembered month (tests, or after rollups were rebuilt by hand)."""
    with _lock:
        _cache.clear()


def _sources_key(meters: Sequence[Device]) -> tuple:
    return tuple(sorted((s.sensor_id, s.meter, s.role, s.method)
                        for s in sql.sources(meters)))


def fingerprints(db: Session, meters: Sequence[Device], start: datetime,
                 end: datetime) -> dict:
    """Per month start (local date): a fingerprint of the meters' day rollups in [start, end)."""
    found = sql.sources(meters)
    if not found:
        return {}
    stmt = sql.in_range(select(sql.raw_start(Rollup.start), func.count(), func.sum(Rollup.count),
                               func.sum(Rollup.sum), func.sum(func.coalesce(Rollup.consumption,
                                                                            0.0)))
                        .group_by(Rollup.start), found, "1d", start, end)
    rows = [tuple(r) for r in db.connection().execute(stmt)]
    prints: dict = {}
    for moment, *values in rows:
        month = Period.containing("month", pd.Timestamp(moment, tz="UTC").to_pydatetime()
                                  if isinstance(moment, str) else moment).start
        prints.setdefault(month, []).append(tuple(round(float(v or 0), 6) for v in values))
    return {month: tuple(sorted(days)) for month, days in prints.items()}


def _remembered(key: tuple, fingerprint: tuple, compute: Callable[[], object]) -> object:
    with _lock:
        hit = _cache.get(key)
        if hit is not None and hit[0] == fingerprint:
            _cache.move_to_end(key)
            return hit[1]
    value = compute()
    with _lock:
        _cache[key] = (fingerprint, value)
        while len(_cache) > MAX_ENTRIES:
            _cache.popitem(last=False)
    return value


def _month_peaks(db: Session, meters: Sequence[Device], month: Period) -> Peaks:
    peak, at = energy_data.collective_peak(db, meters, month.start_utc, month.end_utc)
    return peak, at, energy_data.meter_peaks(db, meters, month.start_utc, month.end_utc)


def _months(period: Period) -> list[Period]:
    return [Period("month", day) for day in period.days() if day.day == 1] or [
        Period.containing("month", period.start)]


def peaks(db: Session, meters: Sequence[Device], period: Period,
          prints: dict | None = None) -> Peaks:
    """Collective peak (kW, when) and each meter's peak over a month or year, month by month."""
    prints = fingerprints(db, meters, period.start_utc, period.end_utc) if prints is None \
        else prints
    key = _sources_key(meters)
    peak, at, per_meter = 0.0, None, {}
    for month in _months(period):
        if month.start not in prints:
            continue  # no data in the month
        month_peak, month_at, month_meters = _remembered(
            ("peaks", key, month.start), prints[month.start],
            lambda m=month: _month_peaks(db, meters, m))
        if month_peak > peak:  # ties go to the earlier month
            peak, at = month_peak, month_at
        for uid, kw in month_meters.items():
            per_meter[uid] = max(kw, per_meter.get(uid, kw))
    return peak, at, per_meter


def hourly(db: Session, meters: Sequence[Device], period: Period,
           prints: dict | None = None) -> pd.DataFrame:
    """The meters' hourly balance over a month or year, month by month."""
    prints = fingerprints(db, meters, period.start_utc, period.end_utc) if prints is None \
        else prints
    key = _sources_key(meters)
    parts = [_remembered(("hourly", key, month.start), prints[month.start],
                         lambda m=month: energy_data.hourly(db, meters, m.start_utc, m.end_utc))
             for month in _months(period) if month.start in prints]
    parts = [part for part in parts if not part.empty]
    return pd.concat(parts) if parts else energy_data.empty_series()


def mixed_self_consumed(db: Session, meters: Sequence[Device], period: Period,
                        prints: dict | None = None) -> pd.Series:
    """Hourly self-consumed PV of the meters with both PV and export, month by month."""
    mixed = energy_data.mixed_meters(meters)
    if not mixed:
        return pd.Series(dtype=float)
    prints = fingerprints(db, meters, period.start_utc, period.end_utc) if prints is None \
        else prints
    key = _sources_key(mixed)
    parts = [_remembered(("self", key, month.start), prints[month.start],
                         lambda m=month: energy_data.quarter_self_consumed(
                             db, mixed, m.start_utc, m.end_utc))
             for month in _months(period) if month.start in prints]
    parts = [part for part in parts if not part.empty]
    return pd.concat(parts) if parts else pd.Series(dtype=float)
