"""Payload formats: one parser per format, and :func:`decode` from raw payload to readings.

A parser only reads its format into :class:`RawValue` objects. :func:`decode` then does what is
common to all formats: map each field to a channel of the device, convert its unit to the
quantity's canonical one, check range and time, and stamp values that have no time with the
time of arrival. Any bad mapped value rejects the whole message, so nothing is half-stored.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sensors.formats import dsmr, native, senml, sensor_community, tasmota, ttn
from sensors.formats.base import RawValue
from sensors.model import ChannelSpec, DeviceSpec, Reading, Rejection
from sensors.quantities import convert, quantity
from sensors.validate import as_utc, check_range, check_time, shown, to_number

Parser = Callable[[str, bytes, DeviceSpec, datetime], list[RawValue]]

PARSERS: dict[str, Parser] = {
    "native": native.parse,
    "ttn": ttn.parse,
    "dsmr": dsmr.parse,
    "tasmota": tasmota.parse,
    "senml": senml.parse,
    "sensor_community": sensor_community.parse,
}

# Self-describing formats: a field the device was not registered with is an error. Devices in
# the other formats send many fields of which a park maps a few; those ignore the rest.
STRICT_FORMATS = frozenset({"native", "senml"})

__all__ = ["PARSERS", "STRICT_FORMATS", "RawValue", "decode", "topic_matches"]


def decode(topic: str, payload: bytes, device: DeviceSpec, now: datetime) -> list[Reading]:
    """Parse, map, convert and check one message; all its readings, or a Rejection."""
    parser = PARSERS.get(device.format)
    if parser is None:
        raise Rejection("unknown_format", f"device {device.uid!r} has unknown format "
                                          f"{device.format!r}")
    if not device.active:
        raise Rejection("device_inactive", f"device {device.uid!r} is deactivated")
    raw_values = parser(topic, payload, device, now)
    readings = [_reading(raw, channel, device, now)
                for raw, channel in _mapped(raw_values, device)]
    if raw_values and not readings:
        raise Rejection("no_mapped_fields", f"none of the fields is registered for device "
                                            f"{device.uid!r}: {_listed(raw_values)}")
    _check_unique(readings, device)
    return readings


def _listed(raw_values: list[RawValue], most: int = 8) -> str:
    """The distinct field names, each escaped and cut short (they are the device's text)."""
    names = sorted({raw.field for raw in raw_values})
    listed = ", ".join(shown(name, 40) for name in names[:most])
    return listed if len(names) <= most else f"{listed} and {len(names) - most} more"


def _mapped(raw_values: list[RawValue], device: DeviceSpec) -> list[tuple[RawValue, ChannelSpec]]:
    pairs = []
    for raw in raw_values:
        channel = device.channel(raw.field)
        if channel is not None:
            pairs.append((raw, channel))
        elif device.format in STRICT_FORMATS:
            raise Rejection("unmapped_field", f"field {shown(raw.field, 80)} is not registered for "
                                              f"device {device.uid!r}")
    return pairs


def _reading(raw: RawValue, channel: ChannelSpec, device: DeviceSpec, now: datetime) -> Reading:
    value = to_number(raw.value, raw.field)
    ts = as_utc(raw.ts or now)
    try:
        target = quantity(channel.quantity)
        canonical = convert(value, raw.unit or channel.unit, target.code)
        check_range(canonical, target)
        check_time(ts, device, now)
    except Rejection as exc:
        raise Rejection(exc.code, f"field {shown(raw.field, 80)}: {exc.message}") from None
    return Reading(channel.sensor_id, ts, canonical)


def _check_unique(readings: list[Reading], device: DeviceSpec) -> None:
    seen: set[tuple[int, datetime]] = set()
    for reading in readings:
        key = (reading.sensor_id, reading.ts)
        if key in seen:
            raise Rejection("duplicate_value", f"sensor {reading.sensor_id} of device "
                                               f"{device.uid!r} has two values for "
                                               f"{reading.ts.isoformat()}")
        seen.add(key)


def topic_matches(pattern: str, topic: str) -> bool:
    """Whether *topic* matches an MQTT subscription *pattern* with ``+`` and ``#`` wildcards.

    ``+`` matches exactly one level, ``#`` (last level only) the rest including none, so
    ``dsmr/#`` matches ``dsmr`` too. As in MQTT, wildcards at the first level never match a
    topic starting with ``$``.
    """
    levels, parts = pattern.split("/"), topic.split("/")
    if topic.startswith("$") and levels[0] in ("+", "#"):
        return False
    for index, level in enumerate(levels):
        if level == "#":
            return index == len(levels) - 1
        if index >= len(parts) or level not in ("+", parts[index]):
            return False
    return len(levels) == len(parts)
