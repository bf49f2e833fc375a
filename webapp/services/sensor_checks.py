"""Checks a batch's readings pass in the database before they are stored.

The parsers validate each message on its own; some rules need what is stored already: the
sensor must still exist, a reading must not fall before the raw-data retention, and a cumulative
meter must not run backwards against its stored neighbours in time.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select

from sensors.model import DeadLetter, Reading, Rejection
from sensors.quantities import QUANTITIES
from sensors.validate import check_cumulative

from .sensor_sql import DEVICE, SENSOR, chunks, utc
from .sensor_windows import Windows, find_window


def is_cumulative(quantity_code: str) -> bool:
    """Whether a quantity is a meter register that only rises."""
    quantity = QUANTITIES.get(quantity_code)
    return quantity is not None and quantity.kind == "cumulative"


@dataclass(frozen=True)
class SensorMeta:
    """What storing needs to know about one sensor and its device."""

    sensor_id: int
    device_id: int
    park_id: int
    quantity: str
    topic: str
    water_level_limit_cm: float | None

    @property
    def cumulative(self) -> bool:
        """Whether the sensor is a meter register that only rises."""
        return is_cumulative(self.quantity)


def load_meta(
    conn: Connection, sensor_ids: Iterable[int], lock: bool = True
) -> dict[int, SensorMeta]:
    """The sensors (with their devices) among *sensor_ids* that exist.

    With *lock*, PostgreSQL locks the sensor rows (FOR NO KEY UPDATE) until the transaction
    ends, so two workers storing for one sensor take turns and rollups never miss rows.
    """
    result: dict[int, SensorMeta] = {}
    for id_chunk in chunks(sorted(set(sensor_ids))):
        query = (select(SENSOR.c.id, SENSOR.c.device_id, DEVICE.c.park_id, SENSOR.c.quantity,
                        DEVICE.c.topic, DEVICE.c.water_level_limit_cm)
                 .join(DEVICE, DEVICE.c.id == SENSOR.c.device_id)
                 .where(SENSOR.c.id.in_(id_chunk)).order_by(SENSOR.c.id))
        if lock:
            query = query.with_for_update(key_share=True, of=SENSOR)
        for row in conn.execute(query):
            result[row.id] = SensorMeta(row.id, row.device_id, row.park_id, row.quantity,
                                        row.topic or "", row.water_level_limit_cm)
    return result


def unique_readings(readings: Iterable[Reading]) -> list[Reading]:
    """Readings in UTC, the first of each (sensor, ts) in arrival order only."""
    seen: dict[tuple[int, datetime], Reading] = {}
    for reading in readings:
        ts = utc(reading.ts)
        seen.setdefault((reading.sensor_id, ts), Reading(reading.sensor_id, ts, reading.value))
    return list(seen.values())


def reading_dead_letter(
    reading: Reading, meta: SensorMeta | None, code: str, reason: str, now: datetime
) -> DeadLetter:
    """A dead letter for one reading refused at storage, its payload the reading as JSON."""
    payload = json.dumps({"sensor_id": reading.sensor_id, "ts": reading.ts.isoformat(),
                          "value": reading.value}).encode()
    return DeadLetter(
        topic=meta.topic if meta else "", payload=payload, reason_code=code, reason=reason,
        received_at=now, device_id=meta.device_id if meta else None,
        park_id=meta.park_id if meta else None,
    )


def screen_cumulative(
    readings: list[Reading], windows: Windows
) -> tuple[list[Reading], list[tuple[Reading, Rejection]]]:
    """Split meter readings into acceptable ones and those running backwards in time.

    Each reading is checked against the stored (or already accepted) reading before it and the
    one after it. A reading whose time is already stored is left to the insert to skip.
    Accepted readings are added to *windows*.
    """
    accepted: list[Reading] = []
    refused: list[tuple[Reading, Rejection]] = []
    for reading in sorted(readings, key=lambda r: (r.sensor_id, r.ts)):
        window = find_window(windows, reading.sensor_id, reading.ts)
        if window is None or window.has(reading.ts):
            accepted.append(reading)
            continue
        try:
            _check_neighbours(reading, window.previous(reading.ts), window.following(reading.ts))
        except Rejection as rejection:
            refused.append((reading, rejection))
            continue
        window.add(reading.ts, reading.value)
        accepted.append(reading)
    return accepted, refused


def _check_neighbours(reading: Reading, before, after) -> None:
    check_cumulative(None if before is None else before[1], reading.value)
    if after is not None:
        try:
            check_cumulative(reading.value, after[1])
        except Rejection:
            raise Rejection("meter_backwards", f"meter reading {reading.value:g} at "
                                               f"{reading.ts.isoformat()} is higher than the "
                                               f"later reading {after[1]:g} at "
                                               f"{after[0].isoformat()}") from None


def by_sensor(readings: Iterable[Reading]) -> dict[int, list[Reading]]:
    """Readings grouped per sensor."""
    groups: dict[int, list[Reading]] = defaultdict(list)
    for reading in readings:
        groups[reading.sensor_id].append(reading)
    return groups
