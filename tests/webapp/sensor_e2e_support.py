"""Helpers for the end-to-end sensor tests: publish over MQTT, read back what was stored.

The fixtures (a real mosquitto, the web app's ingest) are in tests/webapp/sensor_fixtures.py.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from sqlalchemy import func, select

from sensors.ingest import close_publisher, make_publisher, publish_all
from sensors.mosquitto import DeviceAccount, native_topic
from tests.conftest import count, in_db
from webapp.models import DeadLetter, Device, Park, Reading, Rollup, Sensor

_client_ids = itertools.count(1)


def publish(url: str, messages: Iterable[tuple[str, bytes | str]]) -> int:
    """Publish (topic, payload) pairs at QoS 1; how many the broker accepted."""
    publisher = make_publisher(url, f"e2e-publisher-{next(_client_ids)}")
    try:
        return publish_all(publisher, list(messages))
    finally:
        close_publisher(publisher)


def reading_count(app, uid: str) -> int:
    """How many readings the device has stored."""
    return count(app, Reading, Reading.sensor_id.in_(
        select(Sensor.id).join(Device).where(Device.uid == uid)))


def dead_letters(app) -> list[tuple[str, str, str | None, int | None]]:
    """(reason_code, topic, device uid, park id) of every dead letter, oldest first."""
    return in_db(app, lambda s: [tuple(row) for row in s.execute(
        select(DeadLetter.reason_code, DeadLetter.topic, Device.uid, DeadLetter.park_id)
        .outerjoin(Device, DeadLetter.device_id == Device.id).order_by(DeadLetter.id))])


def rollup_totals(app, sensor_id: int, period: str) -> tuple[int, float]:
    """(sum of counts, sum of sums) of a sensor's rollups of one period."""
    return in_db(app, lambda s: tuple(s.execute(
        select(func.sum(Rollup.count), func.sum(Rollup.sum))
        .where(Rollup.sensor_id == sensor_id, Rollup.period == period)).one()))


def device_accounts(app) -> list[DeviceAccount]:
    """Broker accounts of every registered device, as `mqtt-credentials` builds them."""

    def read(session_db) -> list[DeviceAccount]:
        rows = session_db.execute(select(Device.uid, Device.mqtt_password_hash, Device.topic,
                                         Park.slug).join(Park).order_by(Device.uid))
        return [DeviceAccount(uid, hashed, slug, _extra(topic, slug, uid))
                for uid, hashed, topic, slug in rows]

    return in_db(app, read)


def _extra(topic: str | None, slug: str, uid: str) -> tuple[str, ...]:
    return (topic,) if topic and topic != native_topic(slug, uid) else ()
