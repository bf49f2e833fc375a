"""Helpers for the environment and sensor-indicator tests: devices and hand-made rollups."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from tests.conftest import in_db
from tests.webapp.sensor_support import DeviceIds, add_device
from webapp.models import Device, Park, Rollup

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
STEPS = {"15m": timedelta(minutes=15), "1h": timedelta(hours=1)}


def local(year: int, month: int, day: int, hour: int = 0) -> datetime:
    """An Amsterdam wall-clock time as an aware UTC datetime."""
    return datetime(year, month, day, hour, tzinfo=AMSTERDAM).astimezone(UTC)


def env_device(app, park: Park, channels: dict[str, str], *, name: str | None = None,
               **fields) -> DeviceIds:
    """A device on *park* with one sensor per ``field: quantity``, named *name*."""
    ids = add_device(app, park, channels, **fields)
    if name is not None:
        in_db(app, lambda s: setattr(s.get(Device, ids.id), "name", name))
    return ids


def rollup(sensor_id: int, period: str, start: datetime, *, mean: float | None = None,
           total: float | None = None, count: int = 4, low: float | None = None,
           high: float | None = None, consumption: float | None = None) -> Rollup:
    """One rollup row: a gauge by *mean* (sum = mean x count) or an amount by *total*."""
    amount = total if total is not None else (mean or 0.0) * count
    centre = mean if mean is not None else (total or 0.0)
    return Rollup(sensor_id=sensor_id, period=period, start=start, count=count,
                  min=centre if low is None else low, max=centre if high is None else high,
                  sum=amount, first_ts=start, last_ts=start, consumption=consumption)


def add_rows(app, rows: Sequence[Rollup]) -> None:
    """Store rollup rows."""
    in_db(app, lambda s: s.add_all(list(rows)))


def steady(sensor_id: int, period: str, start: datetime, n: int, **values) -> list[Rollup]:
    """*n* rollups of *period* from *start*, each with the same *values* (see rollup())."""
    return [rollup(sensor_id, period, start + i * STEPS[period], **values) for i in range(n)]


def days(sensor_id: int, first: datetime, means: Sequence[float], **values) -> list[Rollup]:
    """Day rollups (Amsterdam days) starting on the local day of *first*, one per mean."""
    day = first.astimezone(AMSTERDAM).date()
    rows = []
    for i, mean in enumerate(means):
        current = day + timedelta(days=i)
        start = local(current.year, current.month, current.day)
        rows.append(rollup(sensor_id, "1d", start, mean=mean, **values))
    return rows
