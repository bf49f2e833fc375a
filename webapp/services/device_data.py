"""What a device has sent: status, latest value per sensor, and rollups as a DataFrame.

Pages read rollups, never ranges of raw readings; the only raw rows read are the newest one per
sensor (a primary-key lookup).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sensors.alerts import DEFAULT_RULES, SILENT_CODE
from sensors.quantities import QUANTITIES, Quantity

from ..models import Alert, Device, Park, Reading, Rollup, Sensor

PERIODS: tuple[str, ...] = ("15m", "1h", "1d")
# Longest range one request may ask for, per period (keeps answers small).
MAX_RANGE = {"15m": timedelta(days=31), "1h": timedelta(days=366), "1d": timedelta(days=3660)}
DEFAULT_RANGE = {"15m": timedelta(days=1), "1h": timedelta(days=7), "1d": timedelta(days=90)}
SILENT_INTERVALS = next(rule.threshold for rule in DEFAULT_RULES if rule.code == SILENT_CODE)
STATUSES = ("ok", "silent", "never", "inactive")
FRAME_COLUMNS = ["start", "sensor_id", "field", "quantity", "unit", "kind", "count", "min",
                 "max", "mean", "consumption"]


def as_utc(moment: datetime | None) -> datetime | None:
    """*moment* as an aware UTC datetime (SQLite hands back naive UTC values)."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def device_status(device: Device, now: datetime) -> str:
    """ok, silent (nothing for three reporting intervals), never (no data yet) or inactive."""
    if not device.active:
        return "inactive"
    last = as_utc(device.last_seen_at)
    if last is None:
        return "never"
    silent_after = timedelta(seconds=device.interval_s * SILENT_INTERVALS)
    return "silent" if now - last > silent_after else "ok"


@dataclass(frozen=True)
class DeviceRow:
    """A device in the park's list, with its status and number of open alerts."""

    device: Device
    status: str
    open_alerts: int


def open_alert_counts(db: Session, device_ids: list[int]) -> dict[int, int]:
    """Open alerts per device id, in one query."""
    if not device_ids:
        return {}
    rows = db.execute(select(Alert.device_id, func.count()).where(
        Alert.device_id.in_(device_ids), Alert.ended_at.is_(None)).group_by(Alert.device_id))
    return {device_id: total for device_id, total in rows}


def device_rows(db: Session, park: Park, now: datetime) -> list[DeviceRow]:
    """The park's devices by name, each with status and open alerts."""
    devices = list(db.scalars(select(Device).where(Device.park_id == park.id)
                              .order_by(Device.name, Device.id)))
    counts = open_alert_counts(db, [d.id for d in devices])
    return [DeviceRow(d, device_status(d, now), counts.get(d.id, 0)) for d in devices]


@dataclass(frozen=True)
class LatestValue:
    """The newest stored value of one sensor (value and ts None when it has none yet)."""

    sensor: Sensor
    ts: datetime | None
    value: float | None

    @property
    def quantity(self) -> Quantity | None:
        return QUANTITIES.get(self.sensor.quantity)


def latest_values(db: Session, device: Device) -> list[LatestValue]:
    """The newest reading of each of the device's sensors, in the canonical unit."""
    result = []
    for sensor in device.sensors:
        reading = db.scalar(select(Reading).where(Reading.sensor_id == sensor.id)
                            .order_by(Reading.ts.desc()).limit(1))
        if reading is None:
            result.append(LatestValue(sensor, None, None))
        else:
            result.append(LatestValue(sensor, as_utc(reading.ts), reading.value))
    return result


def last_reading_at(values: list[LatestValue]) -> datetime | None:
    """The newest timestamp among *values*."""
    return max((v.ts for v in values if v.ts is not None), default=None)


def rollups(db: Session, device: Device, period: str, start: datetime,
            end: datetime) -> list[tuple[Rollup, Sensor]]:
    """The device's rollups of *period* with start in [start, end), by sensor and time."""
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}")
    stmt = (select(Rollup, Sensor).join(Sensor, Rollup.sensor_id == Sensor.id)
            .where(Sensor.device_id == device.id, Rollup.period == period,
                   Rollup.start >= start.astimezone(UTC), Rollup.start < end.astimezone(UTC))
            .order_by(Sensor.id, Rollup.start))
    return [(rollup, sensor) for rollup, sensor in db.execute(stmt)]


def _frame_row(rollup: Rollup, sensor: Sensor) -> dict:
    quantity = QUANTITIES.get(sensor.quantity)
    return {
        "start": as_utc(rollup.start), "sensor_id": sensor.id, "field": sensor.field,
        "quantity": sensor.quantity, "unit": quantity.unit if quantity else "",
        "kind": quantity.kind if quantity else "gauge", "count": rollup.count,
        "min": rollup.min, "max": rollup.max, "mean": rollup.mean,
        "consumption": rollup.consumption,
    }


def rollup_frame(db: Session, device: Device, period: str, start: datetime,
                 end: datetime) -> pd.DataFrame:
    """The device's rollups as a DataFrame (FRAME_COLUMNS; ``start`` in UTC)."""
    rows = [_frame_row(rollup, sensor) for rollup, sensor in rollups(db, device, period, start,
                                                                    end)]
    frame = pd.DataFrame(rows, columns=FRAME_COLUMNS)
    frame["start"] = pd.to_datetime(frame["start"], utc=True)
    return frame


def time_range(period: str, start: datetime | None, end: datetime | None,
               now: datetime) -> tuple[datetime, datetime]:
    """The range to read: defaults per period ending now; refuses a range that is too long."""
    end = end or now
    start = start or end - DEFAULT_RANGE[period]
    if start >= end:
        raise ValueError("from must be before to")
    if end - start > MAX_RANGE[period]:
        raise ValueError(f"a range of at most {MAX_RANGE[period].days} days for {period}")
    return start, end
