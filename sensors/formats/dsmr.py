"""dsmr-reader's MQTT output for Dutch smart meters (P1 port).

Two layouts, told apart by the payload:

* a JSON telegram on ``dsmr/json``: ``{"id": 1, "timestamp": "2026-11-22T09:00:00Z",
  "electricity_delivered_1": "1234.567", ..., "extra_device_timestamp": "...",
  "extra_device_delivered": "2345.678"}``. Values are often strings. The meter's
  ``timestamp`` stamps the values; the gas meter's ``extra_device_*`` values carry their own
  ``extra_device_timestamp`` (a gas reading is taken less often than the electricity one).
* one topic per field, ``dsmr/reading/<field>``, whose payload is the bare value (``0.456``).
  The field is the last topic segment and the time of arrival stamps it. dsmr-reader sends a
  dozen such topics per telegram, so a field no channel maps is ignored quietly here, instead
  of filling the dead-letter queue with every ``id`` and ``timestamp`` message. A bare value
  whose topic names no field (posted over HTTP, where the device's registered filter such as
  ``dsmr/reading/#`` stands in for the topic) is Rejection("topic_needed").
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sensors.formats.base import RawValue, flatten, require_object, require_values
from sensors.model import DeviceSpec, Rejection
from sensors.validate import MAX_PAYLOAD_BYTES, load_json, load_text, parse_timestamp, shown

_TIMESTAMPS = ("timestamp", "extra_device_timestamp")
_EXTRA_DEVICE = "extra_device_"


def parse(topic: str, payload: bytes, device: DeviceSpec, now: datetime) -> list[RawValue]:
    """Values from a dsmr-reader JSON telegram or from one split-topic value."""
    if payload.lstrip().startswith(b"{"):
        return _telegram(require_object(load_json(payload), "the telegram"))
    return _split_topic(topic, payload, device)


def _telegram(telegram: dict[str, Any]) -> list[RawValue]:
    meter_ts = _timestamp(telegram, "timestamp")
    gas_ts = _timestamp(telegram, "extra_device_timestamp") or meter_ts
    values = [
        RawValue(field, value, None, gas_ts if field.startswith(_EXTRA_DEVICE) else meter_ts)
        for field, value in flatten(telegram) if field not in _TIMESTAMPS
    ]
    return require_values(values, "the telegram")


def _timestamp(telegram: dict[str, Any], key: str) -> datetime | None:
    value = telegram.get(key)
    return None if value is None else parse_timestamp(value, key)


def _split_topic(topic: str, payload: bytes, device: DeviceSpec) -> list[RawValue]:
    text = load_text(payload, MAX_PAYLOAD_BYTES).strip()
    levels = topic.split("/")
    field = levels[-1]
    if not field or {"+", "#"} & set(levels):
        raise Rejection("topic_needed", f"topic {shown(topic, 80)} does not name a field; a bare "
                                        "value needs a topic such as dsmr/reading/<field> (over "
                                        "HTTP, post the JSON telegram instead)")
    if device.channel(field) is None:
        return []
    return [RawValue(field, text, None, None)]
