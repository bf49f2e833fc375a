"""A device's field mapping: which sensor each row keeps, and changes that would lose history.

A row names its sensor by id (the edit form's hidden input, the API's optional "id"), so renaming
a field keeps the sensor with its readings, rollups and alerts. Rows without an id match a sensor
by field name. A sensor with stored readings or rollups is never removed or given another
quantity unless the caller says so explicitly (see channel_problems).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from ..models import Device, Reading, Rollup, Sensor

UNKNOWN_SENSOR = "unknown_sensor"
REMOVES_HISTORY = "removes_history"
QUANTITY_CHANGES = "quantity_changes"
# A field name the forms never accept (no control characters), held during a swap of names.
_PARKED = "\x01parked-{}"


@dataclass(frozen=True)
class ChannelInput:
    """One row of a device's field mapping: the field as sent, its quantity and unit.

    *sensor_id* names the existing sensor the row is for (a rename keeps it); None for a new
    row or one matched by field name.
    """

    field: str
    quantity: str
    unit: str
    name: str = ""
    sensor_id: int | None = None


@dataclass(frozen=True)
class ChannelProblem:
    """Why a mapping cannot be saved as given.

    *kind* is UNKNOWN_SENSOR (a row names no sensor of this device), REMOVES_HISTORY (a sensor
    with stored readings would be removed) or QUANTITY_CHANGES (such a sensor would measure
    another quantity). *row* is the index in the given channels (None for a removal); *field*
    and *quantity* are the sensor's stored values (the row's field for an unknown sensor).
    """

    kind: str
    field: str
    row: int | None = None
    quantity: str = ""


class ChannelError(ValueError):
    """A mapping change refused by channel_problems (raised when a caller skipped the check)."""

    def __init__(self, problems: list[ChannelProblem]):
        super().__init__("; ".join(f"{p.kind}: {p.field}" for p in problems))
        self.problems = problems


def channels_from(rows: list[dict[str, Any]]) -> list[ChannelInput]:
    """The filled-in rows of a mapping table as ChannelInput values (blank rows dropped)."""
    return [ChannelInput(row["field"].strip(), row["quantity"], row["unit"],
                         (row.get("name") or "").strip(), row.get("sensor_id"))
            for row in rows if (row.get("field") or "").strip()]


def match_channels(device: Device | None, channels: list[ChannelInput]
                   ) -> tuple[list[Sensor | None], list[ChannelProblem]]:
    """Per channel the existing sensor it keeps (None: a new sensor), and unknown sensor ids."""
    sensors = list(device.sensors) if device is not None else []
    by_id = {s.id: s for s in sensors if s.id is not None}
    claimed = {c.sensor_id for c in channels if c.sensor_id in by_id}
    by_field = {s.field: s for s in sensors if s.id not in claimed}
    matched: list[Sensor | None] = []
    problems: list[ChannelProblem] = []
    for row, channel in enumerate(channels):
        if channel.sensor_id is None:
            sensor = by_field.pop(channel.field, None)
        else:
            sensor = by_id.pop(channel.sensor_id, None)
            if sensor is None:
                problems.append(ChannelProblem(UNKNOWN_SENSOR, channel.field, row))
        matched.append(sensor)
    return matched, problems


def sensors_with_history(db: Session, sensor_ids: Collection[int]) -> set[int]:
    """Those of *sensor_ids* that have stored readings or rollups."""
    if not sensor_ids:
        return set()
    has_readings = exists().where(Reading.sensor_id == Sensor.id)
    has_rollups = exists().where(Rollup.sensor_id == Sensor.id)
    return set(db.scalars(select(Sensor.id).where(Sensor.id.in_(list(sensor_ids)),
                                                  or_(has_readings, has_rollups))))


def channel_problems(db: Session, device: Device | None, channels: list[ChannelInput],
                     removable: Collection[str] = ()) -> list[ChannelProblem]:
    """What stops *channels* from becoming *device*'s mapping (empty: it may be saved).

    A sensor with history may only be removed when its field is in *removable*; its quantity
    never changes. Call this before changing anything (it queries the database).
    """
    matched, problems = match_channels(device, channels)
    if device is None:
        return problems
    history = sensors_with_history(db, [s.id for s in device.sensors if s.id is not None])
    kept = {id(s) for s in matched if s is not None}
    problems += [ChannelProblem(REMOVES_HISTORY, s.field, None, s.quantity)
                 for s in device.sensors
                 if id(s) not in kept and s.id in history and s.field not in removable]
    problems += [ChannelProblem(QUANTITY_CHANGES, s.field, row, s.quantity)
                 for row, (channel, s) in enumerate(zip(channels, matched, strict=True))
                 if s is not None and s.id in history and channel.quantity != s.quantity]
    return problems


def set_channels(device: Device, channels: list[ChannelInput],
                 db: Session | None = None) -> None:
    """Make the device's sensors match *channels*; a kept sensor keeps its readings.

    Does not check history (see channel_problems). With *db*, removals are flushed first and
    swapped field names are parked, so the unique (device, field) constraint holds throughout.
    """
    matched, problems = match_channels(device, channels)
    if problems:
        raise ChannelError(problems)
    kept = {id(s) for s in matched if s is not None}
    removed = [s for s in device.sensors if id(s) not in kept]
    for sensor in removed:
        device.sensors.remove(sensor)
    if db is not None and removed:
        db.flush()
    if db is not None and _names_collide(matched, channels):
        _park_names(db, matched, channels)
    for channel, sensor in zip(channels, matched, strict=True):
        if sensor is None:
            sensor = Sensor(field=channel.field)
            device.sensors.append(sensor)
        sensor.field, sensor.quantity = channel.field, channel.quantity
        sensor.unit, sensor.name = channel.unit, channel.name


def _names_collide(matched: list[Sensor | None], channels: list[ChannelInput]) -> bool:
    """Whether a renamed sensor takes the current name of another kept sensor (a swap)."""
    current = {s.field: s for s in matched if s is not None}
    return any(s is not None and s.field != c.field and current.get(c.field) not in (None, s)
               for s, c in zip(matched, channels, strict=True))


def _park_names(db: Session, matched: list[Sensor | None], channels: list[ChannelInput]) -> None:
    for sensor, channel in zip(matched, channels, strict=True):
        if sensor is not None and sensor.field != channel.field:
            sensor.field = _PARKED.format(sensor.id)
    db.flush()
