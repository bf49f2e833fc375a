"""dsmr-reader's MQTT output: the JSON telegram and the per-field split topics."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from sensors.formats import decode, dsmr
from sensors.model import ChannelSpec, DeviceSpec, Reading, Rejection

NOW = datetime(2026, 11, 22, 9, 0, 4, tzinfo=UTC)
METER_TS = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
GAS_TS = datetime(2026, 11, 22, 8, 55, tzinfo=UTC)
CHANNELS = (
    ChannelSpec(30, "electricity_delivered_1", "energy_import", "kWh"),
    ChannelSpec(31, "electricity_returned_2", "energy_export", "kWh"),
    ChannelSpec(32, "electricity_currently_delivered", "power", "kW"),
    ChannelSpec(33, "extra_device_delivered", "gas", "m³"),
)


def device(topic: str = "dsmr/json") -> DeviceSpec:
    return DeviceSpec(device_id=3, uid="p1-bakkerij", park_id=3, park_slug="de-hoek",
                      format="dsmr", topic=topic, channels=CHANNELS,
                      commissioned_at=datetime(2026, 1, 1, tzinfo=UTC))


# The default dsmr-reader JSON mapping, values as the strings it sends.
TELEGRAM = {
    "id": 1843712,
    "timestamp": "2026-11-22T09:00:00Z",
    "electricity_delivered_1": "1234.567",
    "electricity_returned_1": "0.000",
    "electricity_delivered_2": "2345.678",
    "electricity_returned_2": "812.004",
    "electricity_currently_delivered": "0.456",
    "electricity_currently_returned": "0.000",
    "phase_currently_delivered_l1": "0.211",
    "phase_currently_delivered_l2": "0.105",
    "phase_currently_delivered_l3": "0.140",
    "extra_device_timestamp": "2026-11-22T09:55:00+01:00",
    "extra_device_delivered": "2345.678",
}


def body(**changes) -> bytes:
    return json.dumps({**TELEGRAM, **changes}).encode()


def test_json_telegram_becomes_readings_with_meter_and_gas_times():
    assert decode("dsmr/json", body(), device(), NOW) == [
        Reading(30, METER_TS, 1234.567),
        Reading(31, METER_TS, 812.004),
        Reading(32, METER_TS, 0.456),
        Reading(33, GAS_TS, 2345.678),
    ]


def test_numbers_are_accepted_as_well_as_strings():
    telegram = body(electricity_delivered_1=1234.567, electricity_currently_delivered=0.456)
    readings = decode("dsmr/json", telegram, device(), NOW)
    assert [r.value for r in readings[:3:2]] == [1234.567, 0.456]


def test_without_a_gas_meter_its_null_fields_are_no_values():
    readings = decode("dsmr/json", body(extra_device_timestamp=None, extra_device_delivered=None),
                      device(), NOW)
    assert [r.sensor_id for r in readings] == [30, 31, 32]


def test_without_timestamps_the_time_of_arrival_applies():
    telegram = {k: v for k, v in TELEGRAM.items() if not k.endswith("timestamp")}
    readings = decode("dsmr/json", json.dumps(telegram).encode(), device(), NOW)
    assert {r.ts for r in readings} == {NOW}


def test_timestamps_are_not_values():
    fields = [raw.field for raw in dsmr.parse("dsmr/json", body(), device(), NOW)]
    assert "timestamp" not in fields and "extra_device_timestamp" not in fields
    assert "id" in fields


@pytest.mark.parametrize(("changes", "code"), [
    ({"electricity_delivered_1": "1.234,567"}, "not_a_number"),
    ({"electricity_currently_delivered": "NaN"}, "non_finite"),
    ({"timestamp": "2026-11-22T10:00:00"}, "naive_timestamp"),
    ({"timestamp": "2026-11-22T09:06:00Z"}, "future_timestamp"),
    ({"extra_device_timestamp": "2025-12-31T23:00:00Z"}, "before_commissioning"),
    ({"electricity_currently_delivered": "75000"}, "out_of_range"),
])
def test_json_telegram_rejects(changes, code):
    with pytest.raises(Rejection) as caught:
        decode("dsmr/json", body(**changes), device(), NOW)
    assert caught.value.code == code


def test_a_telegram_without_any_mapped_field_is_rejected():
    telegram = {"id": 1, "timestamp": "2026-11-22T09:00:00Z", "electricity_returned_1": "0.000"}
    with pytest.raises(Rejection) as caught:
        decode("dsmr/json", json.dumps(telegram).encode(), device(), NOW)
    assert caught.value.code == "no_mapped_fields"
    assert "electricity_returned_1" in caught.value.message


@pytest.mark.parametrize(("topic", "payload", "expected"), [
    ("dsmr/reading/electricity_currently_delivered", b"0.456", Reading(32, NOW, 0.456)),
    ("dsmr/reading/electricity_delivered_1", b"1234.567\n", Reading(30, NOW, 1234.567)),
    ("dsmr/reading/extra_device_delivered", b"2345.678", Reading(33, NOW, 2345.678)),
])
def test_split_topic_value_is_stamped_on_arrival(topic, payload, expected):
    assert decode(topic, payload, device("dsmr/reading/#"), NOW) == [expected]


@pytest.mark.parametrize(("topic", "payload"), [
    ("dsmr/reading/timestamp", b"2026-11-22T09:00:00Z"),
    ("dsmr/reading/id", b"1843712"),
    ("dsmr/reading/phase_currently_delivered_l1", b"0.211"),
])
def test_split_topics_nobody_mapped_are_ignored(topic, payload):
    assert decode(topic, payload, device("dsmr/reading/#"), NOW) == []


@pytest.mark.parametrize(("topic", "payload", "code"), [
    ("dsmr/reading/electricity_currently_delivered", b"", "not_a_number"),
    ("dsmr/reading/electricity_currently_delivered", b"None", "not_a_number"),
    ("dsmr/reading/electricity_currently_delivered", b"\xff", "not_utf8"),
    ("dsmr/reading/electricity_delivered_1", b"-5", "out_of_range"),
    ("dsmr/reading/", b"0.456", "topic_needed"),
])
def test_split_topic_rejects(topic, payload, code):
    with pytest.raises(Rejection) as caught:
        decode(topic, payload, device("dsmr/reading/#"), NOW)
    assert caught.value.code == code


# Over HTTP a message has no topic of its own: the device's registered filter stands in.
@pytest.mark.parametrize("topic", ["dsmr/reading/#", "dsmr/reading/+", "dsmr/#", "", "#"])
def test_a_bare_value_without_a_field_in_its_topic_is_refused(topic):
    with pytest.raises(Rejection) as caught:
        decode(topic, b"0.456", device(topic), NOW)
    assert caught.value.code == "topic_needed"
    assert "dsmr/reading/<field>" in caught.value.message
