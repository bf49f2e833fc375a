"""The platform's own format, published on ``werklandschap/<park-slug>/<device-uid>/up``.

``{"ts": "2026-11-22T10:00:00+01:00", "seq": 17,
"values": [{"field": "power", "value": 12.5, "unit": "kW"}]}``. Every value carries its unit;
``ts`` is optional (the time of arrival applies without it) and ``seq`` is ignored.
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
    ts = parse_timestamp(message["ts"], "ts") if "ts" in message else None
    return [_value(entry, index, ts) for index, entry in enumerate(_values(message))]


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


def _value(entry: Any, index: int, ts: datetime | None) -> RawValue:
    what = f"values[{index}]"
    entry = require_object(entry, what)
    field = require_str(entry, "field", what)
    if "value" not in entry:
        raise Rejection("bad_shape", f"{what} (field {field!r}) has no 'value'")
    unit = entry.get("unit")
    if unit is None or (isinstance(unit, str) and not unit.strip()):
        raise Rejection("missing_unit", f"field {field!r} has no unit; every native value "
                                        "must say its unit, e.g. \"unit\": \"kW\"")
    if not isinstance(unit, str):
        raise Rejection("bad_shape", f"field {field!r}: unit must be a string, not {shown(unit)}")
    return RawValue(field, entry["value"], unit, ts)
