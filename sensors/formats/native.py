"""The platform's own format, published on ``werklandschap/<park-slug>/<device-uid>/up``.

``{"ts": "2026-11-22T10:00:00+01:00", "seq": 17,
"values": [{"field": "power", "value": 12.5, "unit": "kW"}]}``. Every value carries its unit;
``seq`` is ignored. ``ts`` is required: a message stamped with its time of arrival would be
stored a second time, at a later time, when the broker redelivers it after a crash.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sensors.formats.base import RawValue, require_object, require_str, type_name
from sensors.model import DeviceSpec, Rejection
from sensors.validate import load_json, parse_timestamp, shown


def parse(topic: str, payload: bytes, device: DeviceSpec, now: datetime) -> list[RawValue]:
    """The values of one native message, each with its own unit."""
    message = require_object(load_json(payload), "the message")
    _check_seq(message)
    entries = _values(message)
    ts = _timestamp(message)
    return [_value(entry, index, ts) for index, entry in enumerate(entries)]


def _timestamp(message: dict[str, Any]) -> datetime:
    if message.get("ts") is None:
        raise Rejection("missing_timestamp", "the message has no 'ts'; say when the values were "
                                             "measured, e.g. \"ts\": \"2026-11-22T10:00:00+01:00\"")
    return parse_timestamp(message["ts"], "ts")


def _values(message: dict[str, Any]) -> list[Any]:
    if "values" not in message:
        raise Rejection("bad_shape", "the message has no 'values' array")
    values = message["values"]
    if not isinstance(values, list):
        raise Rejection("bad_shape", f"'values' must be an array, not {type_name(values)}")
    if not values:
        raise Rejection("bad_shape", "'values' is an empty array")
    return values


def _check_seq(message: dict[str, Any]) -> None:
    seq = message.get("seq", 0)
    if isinstance(seq, bool) or not isinstance(seq, int):
        raise Rejection("bad_shape", f"'seq' must be an integer, not {shown(seq)}")


def _value(entry: Any, index: int, ts: datetime) -> RawValue:
    what = f"values[{index}]"
    entry = require_object(entry, what)
    field = require_str(entry, "field", what)
    named = f"field {shown(field, 80)}"
    if "value" not in entry:
        raise Rejection("bad_shape", f"{what} ({named}) has no 'value'")
    unit = entry.get("unit")
    if unit is None or (isinstance(unit, str) and not unit.strip()):
        raise Rejection("missing_unit", f"{named} has no unit; every native value "
                                        "must say its unit, e.g. \"unit\": \"kW\"")
    if not isinstance(unit, str):
        raise Rejection("bad_shape", f"{named}: unit must be a string, not {shown(unit)}")
    return RawValue(field, entry["value"], unit, ts)
