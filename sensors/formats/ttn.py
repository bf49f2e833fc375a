"""The Things Stack v3 uplinks, on ``v3/<app>@<tenant>/devices/<device>/up``.

Values come from ``uplink_message.decoded_payload`` (the application's payload formatter
output); nested objects become dotted paths such as ``battery.voltage``. The payload carries no
units, so each channel's registered unit applies. The time is ``uplink_message.received_at``
(RFC 3339, nanoseconds and Z), else the top-level ``received_at``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sensors.formats.base import RawValue, flatten, require_object, require_values, type_name
from sensors.model import DeviceSpec, Rejection
from sensors.validate import load_json, parse_timestamp


def parse(topic: str, payload: bytes, device: DeviceSpec, now: datetime) -> list[RawValue]:
    """The decoded-payload values of one uplink, stamped with the time TTS received it."""
    message = require_object(load_json(payload), "the uplink")
    if "uplink_message" not in message:
        raise Rejection("bad_shape", "not an uplink: the message has no 'uplink_message'")
    uplink = require_object(message["uplink_message"], "'uplink_message'")
    decoded = _decoded_payload(uplink)
    ts = _received_at(message, uplink)
    values = [RawValue(field, value, None, ts) for field, value in flatten(decoded)]
    return require_values(values, "the uplink's decoded_payload")


def _decoded_payload(uplink: dict[str, Any]) -> dict[str, Any]:
    decoded = uplink.get("decoded_payload")
    if decoded is None:
        raise Rejection("no_decoded_payload", "the uplink has no decoded_payload; set up a "
                                              "payload formatter for this device in TTS")
    if not isinstance(decoded, dict):
        raise Rejection("bad_shape", f"decoded_payload must be an object, not {type_name(decoded)}")
    if not decoded:
        raise Rejection("no_decoded_payload", "the uplink's decoded_payload is empty")
    return decoded


def _received_at(message: dict[str, Any], uplink: dict[str, Any]) -> datetime | None:
    if "received_at" in uplink:
        return parse_timestamp(uplink["received_at"], "uplink_message.received_at")
    if "received_at" in message:
        return parse_timestamp(message["received_at"], "received_at")
    return None
