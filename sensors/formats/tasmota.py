"""Tasmota telemetry, published on ``tele/<topic>/SENSOR``.

``{"Time": "2026-11-22T10:00:00", "ENERGY": {"Total": 123.456, "Power": 230, ...},
"BME280": {"Temperature": 21.3, "Humidity": 45.0}, "TempUnit": "C"}``. Fields are dotted paths
(``ENERGY.Power``, ``BME280.Temperature``; list items by index, ``ENERGY.Power.1``). Units come
from the channel, except that temperatures follow the payload's ``TempUnit`` (C or F).

Tasmota's ``Time`` is the device's local clock without an offset, and the device is not ours to
reprogram, so values are stamped with the time of arrival instead.
"""

from __future__ import annotations

from datetime import datetime

from sensors.formats.base import RawValue, flatten, require_object, require_values
from sensors.model import DeviceSpec
from sensors.validate import load_json

# Top-level members that describe the message rather than measure something.
_META = ("Time", "TempUnit", "HumUnit", "PressureUnit", "SpeedUnit")
_TEMPERATURE_FIELDS = ("Temperature", "DewPoint")


def parse(topic: str, payload: bytes, device: DeviceSpec, now: datetime) -> list[RawValue]:
    """The sensor values of one SENSOR message, with TempUnit applied to temperatures."""
    message = require_object(load_json(payload), "the SENSOR message")
    temp_unit = message.get("TempUnit") if isinstance(message.get("TempUnit"), str) else None
    measured = {key: value for key, value in message.items() if key not in _META}
    values = [RawValue(field, value, _unit(field, temp_unit), None)
              for field, value in flatten(measured)]
    return require_values(values, "the SENSOR message")


def _unit(field: str, temp_unit: str | None) -> str | None:
    segments = [s for s in field.split(".") if not s.isdigit()]
    is_temperature = segments and segments[-1].startswith(_TEMPERATURE_FIELDS)
    return temp_unit if is_temperature else None
