"""Helpers for the device tests: register devices, add readings and rollups, read them back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from tests.conftest import in_db
from webapp.models import Alert, DeadLetter, Device, Park, Reading, Rollup, Sensor
from webapp.services import devices as device_service
from webapp.services.device_data import as_utc

COMMISSIONED = datetime(2025, 1, 1, tzinfo=UTC)
POWER = (("power", "power", "kW"),)

# The registration form as a browser posts it (one mapping row filled in, one blank).
VALID_FORM = {
    "name": "Hoofdmeter hal 3", "uid": "", "location": "Hal 3", "latitude": "",
    "longitude": "", "company_id": "None", "payload_format": "native", "topic": "",
    "interval_s": "300", "commissioned_at": "2025-01-01T00:00", "active": "y",
    "water_level_limit_cm": "",
    "sensors-0-field": "power", "sensors-0-quantity": "power", "sensors-0-unit": "kW",
    "sensors-0-name": "Vermogen",
    "sensors-1-field": "", "sensors-1-quantity": "", "sensors-1-unit": "", "sensors-1-name": "",
}


def register_device(app, park: Park, *, uid: str | None = None, fmt: str = "native",
                    topic: str | None = None, channels=POWER, company_id: int | None = None,
                    interval_s: int = 300, name: str = "Testapparaat",
                    commissioned_at: datetime = COMMISSIONED) -> tuple[str, str]:
    """Register a device through the service; returns (uid, secret)."""

    def work(session_db):
        data = {"name": name, "uid": uid, "payload_format": fmt, "topic": topic,
                "interval_s": interval_s, "commissioned_at": commissioned_at, "active": True,
                "company_id": company_id, "location": ""}
        inputs = [device_service.ChannelInput(*channel) for channel in channels]
        device, secret = device_service.create_device(
            session_db, session_db.get(Park, park.id), data, inputs)
        return device.uid, secret

    return in_db(app, work)


def device_row(app, uid: str) -> Device:
    """The device, freshly read (sensors loaded)."""

    def read(session_db):
        device = session_db.scalars(select(Device).where(Device.uid == uid)).one()
        list(device.sensors)
        return device

    return in_db(app, read)


def sensor_id(app, uid: str, field: str) -> int:
    return in_db(app, lambda s: s.scalar(
        select(Sensor.id).join(Device).where(Device.uid == uid, Sensor.field == field)))


def readings(app, uid: str) -> list[tuple[str, datetime, float]]:
    """(field, UTC ts, value) of every stored reading of the device, by time."""

    def read(session_db):
        rows = session_db.execute(
            select(Sensor.field, Reading.ts, Reading.value).join(Sensor)
            .join(Device).where(Device.uid == uid).order_by(Reading.ts, Sensor.field))
        return [(f, as_utc(ts), v) for f, ts, v in rows]

    return in_db(app, read)


def add_reading(app, uid: str, field: str, ts: datetime, value: float) -> None:
    """Store a reading directly (the sink's job in production) and mark the device seen."""
    sid = sensor_id(app, uid, field)

    def work(session_db):
        session_db.add(Reading(sensor_id=sid, ts=ts, value=value))
        device = session_db.scalars(select(Device).where(Device.uid == uid)).one()
        device.last_seen_at = ts

    in_db(app, work)


def add_rollups(app, uid: str, field: str, period: str, start: datetime, values: list[float],
                step: timedelta) -> None:
    """One rollup per value (count 1), *step* apart from *start*."""
    sid = sensor_id(app, uid, field)

    def work(session_db):
        for i, value in enumerate(values):
            moment = start + i * step
            session_db.add(Rollup(sensor_id=sid, period=period, start=moment, count=1,
                                  min=value, max=value, sum=value, first_ts=moment,
                                  last_ts=moment, consumption=None))

    in_db(app, work)


def add_dead_letter(app, uid: str, *, code: str = "invalid_json", reason: str = "bad",
                    payload: bytes = b"{", received_at: datetime | None = None) -> None:
    device = device_row(app, uid)
    in_db(app, lambda s: s.add(DeadLetter(
        device_id=device.id, park_id=device.park_id, topic=device.topic or "", payload=payload,
        payload_size=len(payload), reason_code=code, reason=reason,
        received_at=received_at or datetime.now(UTC))))


def add_alert(app, uid: str, *, rule: str = "co2_indoor", ended: bool = False,
              value: float = 1400.0, threshold: float = 1000.0) -> None:
    device = device_row(app, uid)
    now = datetime.now(UTC)
    in_db(app, lambda s: s.add(Alert(
        park_id=device.park_id, device_id=device.id, rule=rule, severity="warning",
        value=value, threshold=threshold, started_at=now - timedelta(hours=2),
        last_seen_at=now, ended_at=now if ended else None)))
