"""The device registry over the database: which device a topic or device id belongs to.

The ingest asks for every message, so lookups are served from an in-memory snapshot that
:meth:`DbRegistry.refresh` rebuilds (two queries) every few seconds. A native topic
``werklandschap/<park-slug>/<uid>/up`` names its park: a device publishing under another
park's slug is refused with :class:`WrongPark`, never stored.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, select
from sqlalchemy.orm import sessionmaker

from sensors.formats import topic_matches
from sensors.model import ChannelSpec, DeviceSpec, Rejection

from .sensor_sql import DEVICE, PARK, SENSOR, engine_of, utc

NATIVE_ROOT = "werklandschap"


class WrongPark(Rejection):
    """A device published under the native topic of a park it does not belong to."""

    def __init__(self, device: DeviceSpec, slug: str):
        super().__init__("wrong_park", f"device {device.uid!r} belongs to park "
                                       f"{device.park_slug!r}, not to {slug!r}")
        self.device = device


@dataclass(frozen=True)
class _Snapshot:
    by_topic: dict[str, DeviceSpec]
    by_uid: dict[str, DeviceSpec]
    patterns: list[tuple[str, DeviceSpec]]


def native_parts(topic: str) -> tuple[str, str] | None:
    """``(park_slug, uid)`` of a native topic ``werklandschap/<park-slug>/<uid>/up``."""
    parts = topic.split("/")
    if len(parts) == 4 and parts[0] == NATIVE_ROOT and parts[3] == "up":
        return parts[1], parts[2]
    return None


def is_pattern(topic: str) -> bool:
    """Whether *topic* is an MQTT topic filter with ``+`` or ``#`` wildcards."""
    return any(level in ("+", "#") for level in topic.split("/"))


def _specificity(topic: str) -> tuple[int, int, int]:
    levels = topic.split("/")
    return levels.count("#"), levels.count("+"), -len(levels)


class DbRegistry:
    """Implements sensors.model.DeviceRegistry from the device, sensor and park tables.

    Inactive devices are known too (``active=False``), so their messages become dead letters
    that say so; :meth:`topics` lists only active devices' topics.
    """

    def __init__(self, bind: Engine | sessionmaker):
        self._engine = engine_of(bind)
        self._snapshot: _Snapshot | None = None

    def refresh(self) -> None:
        """Reload every device and its sensors from the database."""
        with self._engine.connect() as conn:
            devices = load_devices(conn)
        self._snapshot = _build(devices)

    def lookup(self, topic: str) -> DeviceSpec | None:
        """The device publishing on *topic*: its registered topic, native topic, topic filters.

        Raises :class:`WrongPark` when a native topic other than the device's registered one
        names another park than the device's.
        """
        snapshot = self._current()
        device = snapshot.by_topic.get(topic)
        if device is not None:
            # The topic the device was registered with (it keeps working after a park rename).
            return device
        native = native_parts(topic)
        if native is not None:
            device = snapshot.by_uid.get(native[1])
        if device is None:
            device = next((d for pattern, d in snapshot.patterns
                           if topic_matches(pattern, topic)), None)
        if device is not None and native is not None and native[0] != device.park_slug:
            raise WrongPark(device, native[0])
        return device

    def by_uid(self, uid: str) -> DeviceSpec | None:
        """The device with this id (for HTTP ingest); a device added since the last refresh is
        read straight from the database."""
        device = self._current().by_uid.get(uid)
        if device is None:
            with self._engine.connect() as conn:
                device = next(iter(load_devices(conn, uid)), None)
        return device

    def topics(self) -> list[str]:
        """The topics and topic filters of active devices, for the ingest to subscribe."""
        snapshot = self._current()
        return sorted({d.topic for d in snapshot.by_uid.values() if d.active and d.topic})

    def devices(self) -> list[DeviceSpec]:
        """Every known device."""
        return list(self._current().by_uid.values())

    def _current(self) -> _Snapshot:
        if self._snapshot is None:
            self.refresh()
        assert self._snapshot is not None
        return self._snapshot


def _build(devices: list[DeviceSpec]) -> _Snapshot:
    by_topic: dict[str, DeviceSpec] = {}
    patterns: list[tuple[str, DeviceSpec]] = []
    for device in devices:
        if not device.topic:
            continue
        if is_pattern(device.topic):
            patterns.append((device.topic, device))
        else:
            by_topic[device.topic] = device
    patterns.sort(key=lambda item: (_specificity(item[0]), item[0]))
    return _Snapshot(by_topic, {d.uid: d for d in devices}, patterns)


def load_devices(conn: Connection, uid: str | None = None) -> list[DeviceSpec]:
    """Every device (or the one with *uid*) as a DeviceSpec with its channels."""
    query = (select(DEVICE.c.id, DEVICE.c.uid, DEVICE.c.park_id, PARK.c.slug,
                    DEVICE.c.payload_format, DEVICE.c.topic, DEVICE.c.commissioned_at,
                    DEVICE.c.interval_s, DEVICE.c.active)
             .join(PARK, PARK.c.id == DEVICE.c.park_id).order_by(DEVICE.c.id))
    sensors = select(SENSOR.c.device_id, SENSOR.c.id, SENSOR.c.field, SENSOR.c.quantity,
                     SENSOR.c.unit).order_by(SENSOR.c.id)
    if uid is not None:
        query = query.where(DEVICE.c.uid == uid)
        sensors = sensors.join(DEVICE, DEVICE.c.id == SENSOR.c.device_id).where(
            DEVICE.c.uid == uid)
    channels: dict[int, list[ChannelSpec]] = defaultdict(list)
    for device_id, sensor_id, field, quantity, unit in conn.execute(sensors):
        channels[device_id].append(ChannelSpec(sensor_id, field, quantity, unit))
    return [_spec(row, channels[row.id]) for row in conn.execute(query)]


def _spec(row, channels: list[ChannelSpec]) -> DeviceSpec:
    commissioned: datetime = utc(row.commissioned_at)
    return DeviceSpec(
        device_id=row.id, uid=row.uid, park_id=row.park_id, park_slug=row.slug,
        format=row.payload_format, topic=row.topic or "", channels=tuple(channels),
        commissioned_at=commissioned, interval_s=row.interval_s, active=row.active,
    )
