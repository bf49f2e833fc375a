"""decode(): the rules every format shares, one rejection code per broken rule."""

from __future__ import annotations

import dataclasses
import json
import zoneinfo
from datetime import UTC, datetime, timedelta

import pytest

from sensors.formats import PARSERS, STRICT_FORMATS, decode, topic_matches
from sensors.model import FORMATS, ChannelSpec, DeviceSpec, Reading, Rejection

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
TOPIC = "werklandschap/de-hoek/gebouw-a/up"
DEVICE = DeviceSpec(
    device_id=7, uid="gebouw-a", park_id=3, park_slug="de-hoek", format="native", topic=TOPIC,
    channels=(ChannelSpec(70, "power", "power", "kW"),
              ChannelSpec(71, "gas", "gas", "m³"),
              ChannelSpec(72, "temp", "temperature", "°C")),
    commissioned_at=datetime(2026, 1, 1, tzinfo=UTC),
)
GOOD = '{"field": "power", "value": 12.5, "unit": "kW"}'


def native(*values: str, ts: str = "2026-11-22T10:00:00+01:00") -> bytes:
    return f'{{"ts": "{ts}", "values": [{", ".join(values)}]}}'.encode()


def test_every_format_has_a_parser():
    assert set(PARSERS) == set(FORMATS)
    assert {"native", "senml"} == STRICT_FORMATS


def test_a_good_message_decodes():
    assert decode(TOPIC, native(GOOD), DEVICE, NOW) == [Reading(70, NOW, 12.5)]


# One row per validation rule, end to end through decode. The good value travels along in each
# message, so every row also shows that one bad value rejects the whole message.
@pytest.mark.parametrize(("payload", "code"), [
    (native(GOOD, '{"field": "temp", "value": NaN, "unit": "Cel"}'), "non_finite"),
    (native(GOOD, '{"field": "temp", "value": Infinity, "unit": "Cel"}'), "non_finite"),
    (native(GOOD, '{"field": "temp", "value": -Infinity, "unit": "Cel"}'), "non_finite"),
    (native(GOOD, '{"field": "temp", "value": 1e999, "unit": "Cel"}'), "non_finite"),
    (native(GOOD, '{"field": "temp", "value": 1, "unit": "Cel", "unit": "K"}'), "duplicate_key"),
    (native(GOOD, '{"field": "temp", "value": "warm", "unit": "Cel"}'), "not_a_number"),
    (native(GOOD, '{"field": "temp", "value": true, "unit": "Cel"}'), "not_a_number"),
    (native(GOOD, '{"field": "temp", "value": null, "unit": "Cel"}'), "not_a_number"),
    (native(GOOD, '{"field": "co2", "value": 415, "unit": "ppm"}'), "unmapped_field"),
    (native(GOOD, '{"field": "temp", "value": 20}'), "missing_unit"),
    (native(GOOD, '{"field": "gas", "value": 1, "unit": "kWh"}'), "wrong_unit"),
    (native(GOOD, ts="2026-11-22T10:00:00"), "naive_timestamp"),
    (native(GOOD, ts="2026-11-22T09:05:00.000001Z"), "future_timestamp"),
    (native(GOOD, ts="2025-12-31T23:59:59Z"), "before_commissioning"),
    (native(GOOD, '{"field": "temp", "value": 250, "unit": "Cel"}'), "out_of_range"),
    (native(GOOD, '{"field": "gas", "value": -3, "unit": "m3"}'), "out_of_range"),
    (native(GOOD, GOOD), "duplicate_value"),
    (native(GOOD)[:-1], "invalid_json"),
    (native(GOOD) + b" " * 65536, "too_large"),
    (native(GOOD).replace(b"kW", b"k\xc3W"), "not_utf8"),
])
def test_each_rule_rejects_the_whole_message_with_its_code(payload, code):
    with pytest.raises(Rejection) as caught:
        decode(TOPIC, payload, DEVICE, NOW)
    assert caught.value.code == code
    assert caught.value.message


def test_exactly_five_minutes_ahead_is_accepted():
    readings = decode(TOPIC, native(GOOD, ts="2026-11-22T09:05:00Z"), DEVICE, NOW)
    assert readings[0].ts == NOW + timedelta(minutes=5)


def test_messages_name_the_field_and_value():
    with pytest.raises(Rejection) as caught:
        decode(TOPIC, native('{"field": "temp", "value": 250, "unit": "Cel"}'), DEVICE, NOW)
    assert "'temp'" in caught.value.message and "250" in caught.value.message


def test_readings_are_in_utc_even_when_now_has_another_offset():
    amsterdam_now = NOW.astimezone(zoneinfo.ZoneInfo("Europe/Amsterdam"))
    pushed = dataclasses.replace(DEVICE, format="sensor_community", topic="")
    payload = b'{"sensordatavalues": [{"value_type": "power", "value": "12.5"}]}'
    reading = decode("", payload, pushed, amsterdam_now)[0]  # stamped with the arrival time
    assert reading.ts == NOW and reading.ts.utcoffset() == timedelta(0)


@pytest.mark.parametrize("fmt", ["ttn", "tasmota", "dsmr", "sensor_community"])
@pytest.mark.parametrize("name", ["\u0000x", "\ud800", "x" * 5000])
def test_no_mapped_fields_names_odd_fields_escaped_and_short(fmt, name):
    fields = json.dumps({name: 1, "other\n": 2})
    payloads = {"ttn": f'{{"uplink_message": {{"decoded_payload": {fields}}}}}',
                "tasmota": fields, "dsmr": fields,
                "sensor_community": json.dumps({"sensordatavalues": [
                    {"value_type": name, "value": "1"}]})}
    device = dataclasses.replace(DEVICE, format=fmt)
    with pytest.raises(Rejection) as caught:
        decode(TOPIC, payloads[fmt].encode(), device, NOW)
    assert caught.value.code == "no_mapped_fields"
    reason = caught.value.message
    assert "\x00" not in reason and "\ud800" not in reason and "\n" not in reason
    assert len(reason) < 400


def test_unknown_format_and_inactive_device_are_rejected():
    with pytest.raises(Rejection) as caught:
        decode(TOPIC, native(GOOD), dataclasses.replace(DEVICE, format="modbus"), NOW)
    assert caught.value.code == "unknown_format"
    with pytest.raises(Rejection) as caught:
        decode(TOPIC, native(GOOD), dataclasses.replace(DEVICE, active=False), NOW)
    assert caught.value.code == "device_inactive"


def test_a_channel_with_an_unknown_quantity_is_a_rejection_not_a_crash():
    device = dataclasses.replace(DEVICE, channels=(ChannelSpec(70, "power", "horsepower", "hp"),))
    with pytest.raises(Rejection) as caught:
        decode(TOPIC, native(GOOD), device, NOW)
    assert caught.value.code == "unknown_quantity"


@pytest.mark.parametrize(("pattern", "topic", "expected"), [
    ("dsmr/json", "dsmr/json", True),
    ("dsmr/json", "dsmr/json/x", False),
    ("dsmr/reading/#", "dsmr/reading/electricity_delivered_1", True),
    ("dsmr/reading/#", "dsmr/reading", True),
    ("dsmr/reading/#", "dsmr/readings/x", False),
    ("v3/+/devices/+/up", "v3/park@ttn/devices/peilbuis-03/up", True),
    ("v3/+/devices/+/up", "v3/park@ttn/devices/peilbuis-03/join", False),
    ("v3/+/devices/+/up", "v3/park@ttn/devices/up", False),
    ("tele/+/SENSOR", "tele/kantine/SENSOR", True),
    ("tele/+/SENSOR", "tele/kantine/STATE", False),
    ("tele/+/SENSOR", "tele//SENSOR", True),
    ("#", "werklandschap/de-hoek/a/up", True),
    ("#", "$SYS/broker/uptime", False),
    ("+/broker/uptime", "$SYS/broker/uptime", False),
    ("$SYS/#", "$SYS/broker/uptime", True),
    ("a/#/b", "a/x/b", False),
    ("werklandschap/de-hoek/+/up", "werklandschap/de-hoek/gebouw-a/up", True),
    ("werklandschap/de-hoek/+/up", "werklandschap/andere/gebouw-a/up", False),
])
def test_topic_matches(pattern, topic, expected):
    assert topic_matches(pattern, topic) is expected
