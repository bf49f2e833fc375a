"""SenML packs in JSON (RFC 8428): an array of records with base and regular fields.

``[{"bn": "urn:dev:ow:10e2073a01080063:", "bt": 1.79e9, "bu": "Cel", "n": "temp", "v": 21.3},
{"n": "hum", "u": "%RH", "v": 45}]``. Base fields (``bn``, ``bt``, ``bu``, ``bv``, ``bs``) hold
until a later record replaces them. A record's field is its full name (``bn`` + ``n``) when a
channel has that name, else its ``n``. Its time is ``bt`` + ``t``: below 2**28 that is seconds
relative to now (so a missing time means now, and a pack redelivered later lands at a later
time), from 2**28 on it is epoch seconds. Its unit is ``u``, else ``bu``, else the channel's
unit. Only numeric values (``v``, or a sum ``s``) are measurements; a record carrying ``vs``,
``vb`` or ``vd`` is rejected. Numbers too large for a float are rejected, never an error.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sensors.formats.base import RawValue, require_object, type_name
from sensors.model import DeviceSpec, Rejection
from sensors.validate import as_utc, load_json, parse_timestamp, shown

RELATIVE_TIME_LIMIT = 2**28
_BASE = {"bn": "", "bt": 0.0, "bu": None, "bv": 0.0, "bs": 0.0}
_STRINGS = ("bn", "bu", "n", "u")
_NUMBERS = ("bt", "bv", "bs", "v", "s", "t", "ut", "bver")
_KNOWN = {*_STRINGS, *_NUMBERS, "vs", "vb", "vd"}


def parse(topic: str, payload: bytes, device: DeviceSpec, now: datetime) -> list[RawValue]:
    """The resolved numeric records of one SenML pack."""
    pack = load_json(payload)
    if not isinstance(pack, list):
        raise Rejection("bad_shape", f"a SenML pack must be an array, not {type_name(pack)}")
    if not pack:
        raise Rejection("bad_shape", "the SenML pack is an empty array")
    base = dict(_BASE)
    return [_record(record, index, base, device, now) for index, record in enumerate(pack)]


def _record(record: Any, index: int, base: dict[str, Any], device: DeviceSpec,
            now: datetime) -> RawValue:
    what = f"record {index}"
    record = _checked(require_object(record, what), what)
    base.update({key: record[key] for key in _BASE if key in record})
    name = _name(record, base)
    if not name:
        raise Rejection("bad_shape", f"{what} has no name (neither 'bn' nor 'n')")
    return RawValue(_field(name, record.get("n", ""), device), _value(record, name, base),
                    record.get("u", base["bu"]), _time(record, base, now))


def _checked(record: dict[str, Any], what: str) -> dict[str, Any]:
    for key, value in record.items():
        if key not in _KNOWN and key.endswith("_"):
            raise Rejection("bad_shape", f"{what}: must-understand field {shown(key, 80)} is not "
                                         "supported")
        if key in _STRINGS and not isinstance(value, str):
            raise Rejection("bad_shape", f"{what}: {key!r} must be a string, not {shown(value)}")
        if key in _NUMBERS and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise Rejection("not_a_number", f"{what}: {key!r} must be a number, "
                                            f"not {shown(value)}")
    return record


def _sum(base: float, value: float, code: str, what: str) -> float:
    """*base* + *value*; an integer too large for a float is Rejection(*code*), not an error."""
    try:
        return base + value
    except OverflowError:
        raise Rejection(code, f"{what}: {shown(base)} + {shown(value)} is too large") from None


def _field(name: str, short: str, device: DeviceSpec) -> str:
    if device.channel(name) is None and short and device.channel(short) is not None:
        return short
    return name


def _value(record: dict[str, Any], name: str, base: dict[str, Any]) -> float:
    named = f"field {shown(name, 80)}"
    for key in ("vs", "vb", "vd"):
        if key in record:
            raise Rejection("not_a_number", f"{named}: {key!r} value "
                                            f"{shown(record[key])} is not numeric")
    for key in ("v", "s"):
        if key in record:
            return _sum(base[f"b{key}"], record[key], "non_finite", f"{named}: value")
    raise Rejection("bad_shape", f"{named} has no value ('v' or 's')")


def _time(record: dict[str, Any], base: dict[str, Any], now: datetime) -> datetime:
    named = f"field {shown(_name(record, base), 80)}"
    seconds = _sum(base["bt"], record.get("t", 0), "bad_timestamp", f"{named}: time")
    if seconds >= RELATIVE_TIME_LIMIT:
        return parse_timestamp(seconds, f"{_name(record, base)}.t")
    try:
        return as_utc(now) + timedelta(seconds=seconds)
    except (OverflowError, ValueError):
        raise Rejection("bad_timestamp", f"{named}: relative time "
                                         f"{shown(seconds)} s is out of range") from None


def _name(record: dict[str, Any], base: dict[str, Any]) -> str:
    return base["bn"] + record.get("n", "")
