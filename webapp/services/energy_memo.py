"""Figures of whole calendar months, remembered in memory while the month's rollups stay the same.

The figures of a month that need its quarter-hours (peaks, self-consumed PV) are costly, and
past months hardly ever change. So they are computed once per month and kept, keyed by what
they are (*kind*), the exact set of sensors (consent changes the set, so a revoked meter is never
served from memory) and the month, and checked on every use against a fingerprint of the month's
day rollups (row count, reading count, sums), which changes whenever any reading of the month
is added, because the day rollups follow every quarter-hour. energy_digest (a group's month and
year figures) and energy_meters (per-meter totals) keep their months here.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from datetime import datetime, time

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sensors.analytics.periods import Period
from sensors.rollups import AMSTERDAM

from ..models import Device, Rollup
from . import energy_sql as sql

MAX_ENTRIES = 4096
_cache: OrderedDict[tuple, tuple[tuple, object]] = OrderedDict()
_lock = threading.Lock()


def clear() -> None:
    """Forget every remembered month (tests, or after rollups were rebuilt by hand)."""
    with _lock:
        _cache.clear()


def size() -> int:
    """How many month figures are remembered now."""
    with _lock:
        return len(_cache)


def sources_key(meters: Sequence[Device]) -> tuple:
    """The meters' exact sensor set (with the role and reading of each)."""
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


def remembered(key: tuple, fingerprint: tuple, compute: Callable[[], object]) -> object:
    """The value kept under *key* if its fingerprint still matches, else *compute()* (kept)."""
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


def months_of(period: Period) -> list[Period]:
    """The calendar months of a month or year (the month around any other period)."""
    return [Period("month", day) for day in period.days() if day.day == 1] or [
        Period.containing("month", period.start)]


def whole_months(start: datetime, end: datetime) -> list[Period] | None:
    """The calendar months making up [start, end), or None unless it is whole months."""
    first, last = start.astimezone(AMSTERDAM), end.astimezone(AMSTERDAM)
    if first >= last or any(t.time() != time(0) or t.day != 1 for t in (first, last)):
        return None
    months = [Period("month", first.date())]
    while months[-1].end < last.date():
        months.append(months[-1].next())
    return months


def per_month(db: Session, meters: Sequence[Device], months: Sequence[Period], prints: dict,
              kind: str, compute: Callable[[Period], object]) -> list:
    """*compute(month)* for each of *months* with data (in *prints*, see :func:`fingerprints`),
    remembered under *kind* and the meters' sensor set while the month's fingerprint holds."""
    key = sources_key(meters)
    return [remembered((kind, key, month.start), prints[month.start],
                       lambda m=month: compute(m))
            for month in months if month.start in prints]
