"""Helpers for the sensor store tests: devices with sensors, readings, table contents."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select

from sensors.model import Batch, Reading
from tests.conftest import in_db
from webapp import db
from webapp.models import Device, Park, Sensor
from webapp.services.sensor_sql import READING, utc

T0 = datetime(2026, 10, 23, tzinfo=UTC)
COMMISSIONED = datetime(2026, 1, 1, tzinfo=UTC)
_uids = itertools.count(1)


@dataclass(frozen=True)
class DeviceIds:
    """A created device: its id, uid, park and sensor ids per field."""

    id: int
    uid: str
    park_id: int
    sensors: dict[str, int]

    def sensor(self, field: str | None = None) -> int:
        """The id of the sensor for *field* (the only one when *field* is None)."""
        if field is None:
            (only,) = self.sensors.values()
            return only
        return self.sensors[field]


def app_engine(app) -> Engine:
    """The test app's engine, used directly as the ingest worker would."""
    return app.extensions[db.EXTENSION_KEY].kw["bind"]


def add_device(app, park: Park, channels: dict[str, str] | None = None, **fields) -> DeviceIds:
    """Create a device on *park* with one sensor per ``field: quantity`` of *channels*."""
    channels = channels or {"temperature": "temperature"}
    uid = fields.pop("uid", f"dev-{next(_uids)}")

    def create(session) -> DeviceIds:
        device = Device(park_id=park.id, uid=uid, name=uid,
                        commissioned_at=fields.pop("commissioned_at", COMMISSIONED), **fields)
        device.sensors = [Sensor(field=name, quantity=quantity, unit="")
                          for name, quantity in channels.items()]
        session.add(device)
        session.flush()
        return DeviceIds(device.id, uid, park.id, {s.field: s.id for s in device.sensors})

    return in_db(app, create)


def readings(sensor_id: int, *points: tuple[float, float], start: datetime = T0) -> list[Reading]:
    """Readings at ``start + minutes`` with values: readings(s, (0, 1.5), (5, 2.0))."""
    return [Reading(sensor_id, start + timedelta(minutes=minutes), value)
            for minutes, value in points]


def batch(*groups: list[Reading]) -> Batch:
    """A batch of the given reading lists."""
    return Batch(readings=[reading for group in groups for reading in group])


def stored(engine: Engine, sensor_id: int) -> list[tuple[datetime, float]]:
    """The stored readings of a sensor, in time order, timestamps in UTC."""
    with engine.connect() as conn:
        rows = conn.execute(select(READING.c.ts, READING.c.value).where(
            READING.c.sensor_id == sensor_id).order_by(READING.c.ts)).all()
    return [(utc(ts), value) for ts, value in rows]


def table_rows(engine: Engine, table, *where) -> list:
    """All rows of a Core table (matching *where*)."""
    with engine.connect() as conn:
        return conn.execute(select(table).where(*where)).all()
