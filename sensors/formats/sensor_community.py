"""The sensor.community (formerly luftdaten.info) firmware's push to a custom API over HTTP.

``{"esp8266id": "1234567", "software_version": "NRZ-2020-133", "sensordatavalues":
[{"value_type": "SDS_P1", "value": "12.30"}, {"value_type": "BME280_temperature",
"value": "8.5"}]}``. The field is the ``value_type``; values are strings; the payload has
neither units (the channel's unit applies) nor a time: the time of arrival applies, so the
same push posted twice is stored twice, at two times. It arrives by HTTP POST, so the topic is
usually empty.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sensors.formats.base import RawValue, require_object, require_str, type_name
from sensors.model import DeviceSpec, Rejection
from sensors.validate import load_json, shown


def parse(topic: str, payload: bytes, device: DeviceSpec, now: datetime) -> list[RawValue]:
    """One RawValue per entry of ``sensordatavalues``."""
    message = require_object(load_json(payload), "the message")
    entries = message.get("sensordatavalues")
    if not isinstance(entries, list):
        raise Rejection("bad_shape", "'sensordatavalues' must be an array, "
                                     f"not {type_name(entries)}")
    if not entries:
        raise Rejection("bad_shape", "'sensordatavalues' is an empty array")
    return [_entry(entry, index) for index, entry in enumerate(entries)]


def _entry(entry: Any, index: int) -> RawValue:
    what = f"sensordatavalues[{index}]"
    entry = require_object(entry, what)
    field = require_str(entry, "value_type", what)
    if "value" not in entry:
        raise Rejection("bad_shape", f"{what} ({shown(field, 80)}) has no 'value'")
    return RawValue(field, entry["value"], None, None)
