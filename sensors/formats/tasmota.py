"""Tasmota telemetry, published on ``tele/<topic>/SENSOR``.

``{"Time": "2026-11-22T10:00:00", "ENERGY": {"Total": 123.456, "Power": 230, ...},
"BME280": {"Temperature": 21.3, "Humidity": 45.0}, "TempUnit": "C"}``. Fields are dotted paths
(``ENERGY.Power``, ``BME280.Temperature``; list items by index, ``ENERGY.Power.1``). Units come
from the channel, except that temperatures follow the payload's ``TempUnit`` (C or F).

The values are stamped with the message's own time, so that a message the broker delivers
again after a crash lands on the same (sensor, time) and is not stored twice. Tasmota's
``Time`` is the device's wall clock without an offset (unless SetOption52 adds one); it is read
as Europe/Amsterdam time, which is what a Dutch device shows with ``Timezone 99`` (Tasmota's
built-in Central European summer-time rules). In the hour that repeats when the clocks go back,
the first (summer-time) instance is taken (``fold=0``). An ``Epoch`` member (command
``Time 2``) is unambiguous and wins; ``Time`` as a number (``Time 3``) is epoch seconds. A
message without a time gets the time of arrival.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sensors.formats.base import RawValue, flatten, require_object, require_values
from sensors.model import DeviceSpec
from sensors.rollups import AMSTERDAM
from sensors.validate import load_json, parse_timestamp

# Top-level members that describe the message rather than measure something.
_META = ("Time", "Epoch", "TempUnit", "HumUnit", "PressureUnit", "SpeedUnit")
_TEMPERATURE_FIELDS = ("Temperature", "DewPoint")


def parse(topic: str, payload: bytes, device: DeviceSpec, now: datetime) -> list[RawValue]:
    """The sensor values of one SENSOR message, with TempUnit applied to temperatures."""
    message = require_object(load_json(payload), "the SENSOR message")
    temp_unit = message.get("TempUnit") if isinstance(message.get("TempUnit"), str) else None
    ts = _time(message)
    measured = {key: value for key, value in message.items() if key not in _META}
    values = [RawValue(field, value, _unit(field, temp_unit), ts)
              for field, value in flatten(measured)]
    return require_values(values, "the SENSOR message")


def _time(message: dict[str, Any]) -> datetime | None:
    """The message's time in UTC: Epoch, else Time as Amsterdam wall-clock time, else None."""
    if "Epoch" in message:
        return parse_timestamp(message["Epoch"], "Epoch")
    if "Time" in message:
        return parse_timestamp(message["Time"], "Time", local_zone=AMSTERDAM)
    return None


def _unit(field: str, temp_unit: str | None) -> str | None:
    segments = [s for s in field.split(".") if not s.isdigit()]
    is_temperature = segments and segments[-1].startswith(_TEMPERATURE_FIELDS)
    return temp_unit if is_temperature else None
