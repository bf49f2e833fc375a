"""The native format: werklandschap/<park>/<device>/up with a unit on every value."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from sensors.formats import decode, native
from sensors.formats.base import RawValue
from sensors.model import ChannelSpec, DeviceSpec, Reading, Rejection

NOW = datetime(2026, 11, 22, 9, 0, 30, tzinfo=UTC)
TOPIC = "werklandschap/de-hoek/gebouw-a/up"
DEVICE = DeviceSpec(
    device_id=7, uid="gebouw-a", park_id=3, park_slug="de-hoek", format="native", topic=TOPIC,
    channels=(ChannelSpec(70, "power", "power", "kW"),
              ChannelSpec(71, "import", "energy_import", "kWh"),
              ChannelSpec(72, "temp", "temperature", "°C")),
    commissioned_at=datetime(2026, 1, 1, tzinfo=UTC),
)
MESSAGE = {
    "ts": "2026-11-22T10:00:00+01:00",
    "seq": 4711,
    "values": [
        {"field": "power", "value": 12500, "unit": "W"},
        {"field": "import", "value": 84512.25, "unit": "kWh"},
        {"field": "temp", "value": "8.5", "unit": "Cel"},
    ],
}


def body(**changes) -> bytes:
    return json.dumps({**MESSAGE, **changes}).encode()


def test_parse_reads_field_value_unit_and_time():
    assert native.parse(TOPIC, body(), DEVICE, NOW) == [
        RawValue("power", 12500, "W", datetime(2026, 11, 22, 9, 0, tzinfo=UTC)),
        RawValue("import", 84512.25, "kWh", datetime(2026, 11, 22, 9, 0, tzinfo=UTC)),
        RawValue("temp", "8.5", "Cel", datetime(2026, 11, 22, 9, 0, tzinfo=UTC)),
    ]


def test_decode_converts_to_canonical_units():
    ts = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
    assert decode(TOPIC, body(), DEVICE, NOW) == [
        Reading(70, ts, 12.5), Reading(71, ts, 84512.25), Reading(72, ts, 8.5)]


def test_the_payload_unit_wins_over_the_registered_one():
    message = body(values=[{"field": "power", "value": 0.5, "unit": "MW"}])
    assert decode(TOPIC, message, DEVICE, NOW)[0].value == 500


@pytest.mark.parametrize("message", [
    {"values": MESSAGE["values"][:1]},
    {"ts": None, "values": MESSAGE["values"][:1]},
])
def test_ts_is_required_so_a_redelivery_gets_the_same_time(message):
    with pytest.raises(Rejection) as caught:
        decode(TOPIC, json.dumps(message).encode(), DEVICE, NOW)
    assert caught.value.code == "missing_timestamp"
    assert "'ts'" in caught.value.message


@pytest.mark.parametrize(("changes", "code"), [
    ({"values": [{"field": "power", "value": 1}]}, "missing_unit"),
    ({"values": [{"field": "power", "value": 1, "unit": None}]}, "missing_unit"),
    ({"values": [{"field": "power", "value": 1, "unit": ""}]}, "missing_unit"),
    ({"values": [{"field": "power", "value": 1, "unit": 1000}]}, "bad_shape"),
    ({"values": []}, "bad_shape"),
    ({"values": {"power": 1}}, "bad_shape"),
    ({"values": [12.5]}, "bad_shape"),
    ({"values": [{"value": 1, "unit": "kW"}]}, "bad_shape"),
    ({"values": [{"field": "", "value": 1, "unit": "kW"}]}, "bad_shape"),
    ({"values": [{"field": "power", "unit": "kW"}]}, "bad_shape"),
    ({"seq": "4711"}, "bad_shape"),
    ({"seq": True}, "bad_shape"),
    ({"ts": "2026-11-22T10:00:00"}, "naive_timestamp"),
    ({"ts": "soon"}, "bad_timestamp"),
    ({"ts": 10**400}, "bad_timestamp"),
    ({"ts": "0001-01-01T00:00:00+01:00"}, "bad_timestamp"),
])
def test_parse_rejects(changes, code):
    with pytest.raises(Rejection) as caught:
        native.parse(TOPIC, body(**changes), DEVICE, NOW)
    assert caught.value.code == code


@pytest.mark.parametrize("payload", [b"[]", b'"power"', b"12.5", b"null"])
def test_a_message_must_be_an_object(payload):
    with pytest.raises(Rejection) as caught:
        native.parse(TOPIC, payload, DEVICE, NOW)
    assert caught.value.code == "bad_shape"


def test_missing_values_member_is_named():
    with pytest.raises(Rejection) as caught:
        native.parse(TOPIC, json.dumps({"ts": MESSAGE["ts"]}).encode(), DEVICE, NOW)
    assert caught.value.code == "bad_shape"
    assert "'values'" in caught.value.message


def test_missing_unit_names_the_field():
    with pytest.raises(Rejection) as caught:
        decode(TOPIC, body(values=[{"field": "temp", "value": 1}]), DEVICE, NOW)
    assert caught.value.code == "missing_unit"
    assert "'temp'" in caught.value.message
