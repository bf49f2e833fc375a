"""Tasmota SENSOR telemetry: dotted fields, TempUnit, Time read as Amsterdam time."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from sensors.formats import decode, tasmota
from sensors.model import ChannelSpec, DeviceSpec, Reading, Rejection

NOW = datetime(2026, 11, 22, 9, 0, 1, tzinfo=UTC)
TOPIC = "tele/kantine-koelkast/SENSOR"
DEVICE = DeviceSpec(
    device_id=21, uid="kantine-koelkast", park_id=3, park_slug="de-hoek", format="tasmota",
    topic=TOPIC,
    channels=(ChannelSpec(210, "ENERGY.Power", "power", "W"),
              ChannelSpec(211, "ENERGY.Total", "energy_import", "kWh"),
              ChannelSpec(212, "BME280.Temperature", "temperature", "°C"),
              ChannelSpec(213, "BME280.Humidity", "humidity", "%")),
    commissioned_at=datetime(2026, 1, 1, tzinfo=UTC),
)
SENSOR = {
    "Time": "2026-11-22T10:00:00",
    "ENERGY": {
        "TotalStartTime": "2025-04-02T13:12:47",
        "Total": 123.456,
        "Yesterday": 1.234,
        "Today": 0.512,
        "Period": 2,
        "Power": 230,
        "ApparentPower": 241,
        "ReactivePower": 72,
        "Factor": 0.95,
        "Voltage": 231,
        "Current": 1.043,
    },
    "BME280": {"Temperature": 21.3, "Humidity": 45.0, "DewPoint": 8.9, "Pressure": 1013.2},
    "PressureUnit": "hPa",
    "TempUnit": "C",
}


def body(**changes) -> bytes:
    return json.dumps({**SENSOR, **changes}).encode()


def test_sensor_message_becomes_canonical_readings_at_its_own_time():
    ts = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)  # 10:00 in Amsterdam (CET, UTC+1)
    assert decode(TOPIC, body(), DEVICE, NOW) == [
        Reading(211, ts, 123.456),  # in payload order
        Reading(210, ts, 0.23),  # 230 W
        Reading(212, ts, 21.3),
        Reading(213, ts, 45.0),
    ]


def test_a_redelivered_message_gets_the_same_time_so_it_is_not_stored_twice():
    later = NOW + timedelta(minutes=3)
    assert decode(TOPIC, body(), DEVICE, later) == decode(TOPIC, body(), DEVICE, NOW)


@pytest.mark.parametrize(("time", "expected"), [
    ("2026-11-22T10:00:00", datetime(2026, 11, 22, 9, 0, tzinfo=UTC)),  # CET
    ("2026-06-22T11:00:00", datetime(2026, 6, 22, 9, 0, tzinfo=UTC)),  # CEST
    ("2026-03-29T01:59:59", datetime(2026, 3, 29, 0, 59, 59, tzinfo=UTC)),
    ("2026-03-29T03:00:00", datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),
    # 02:30 never happens on the spring-forward night: read with the winter offset
    ("2026-03-29T02:30:00", datetime(2026, 3, 29, 1, 30, tzinfo=UTC)),
    # 02:30 happens twice on the autumn night: the first (summer time, fold=0) is taken
    ("2026-10-25T02:30:00", datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
    ("2026-10-25T03:00:00", datetime(2026, 10, 25, 2, 0, tzinfo=UTC)),
    # a device set to add its offset (SetOption52) says what it means
    ("2026-11-22T10:00:00+02:00", datetime(2026, 11, 22, 8, 0, tzinfo=UTC)),
    ("2026-11-22T09:00:00Z", datetime(2026, 11, 22, 9, 0, tzinfo=UTC)),
])
def test_time_is_read_as_amsterdam_local_time(time, expected):
    values = tasmota.parse(TOPIC, body(Time=time), DEVICE, NOW)
    assert {raw.ts for raw in values} == {expected}
    assert all(raw.ts.utcoffset() == timedelta(0) for raw in values)


@pytest.mark.parametrize("changes", [
    {"Time": 1795338000},  # command Time 3: epoch seconds only
    {"Time": "2026-11-22T10:00:00", "Epoch": 1795338000},  # Time 2: both
    {"Time": "2026-11-22T10:00:00.000"},  # Time 4: milliseconds
])
def test_the_other_time_formats_of_the_time_command_are_read(changes):
    values = tasmota.parse(TOPIC, body(**changes), DEVICE, NOW)
    assert {raw.ts for raw in values} == {datetime(2026, 11, 22, 9, 0, tzinfo=UTC)}
    assert "Epoch" not in {raw.field for raw in values}


def test_epoch_wins_over_the_ambiguous_local_time_of_the_autumn_night():
    second_0230 = int(datetime(2026, 10, 25, 1, 30, tzinfo=UTC).timestamp())  # 02:30 CET
    values = tasmota.parse(TOPIC, body(Time="2026-10-25T02:30:00", Epoch=second_0230),
                           DEVICE, NOW)
    assert {raw.ts for raw in values} == {datetime(2026, 10, 25, 1, 30, tzinfo=UTC)}


def test_without_a_time_the_time_of_arrival_applies():
    message = json.dumps({"ENERGY": {"Power": 230}}).encode()
    assert decode(TOPIC, message, DEVICE, NOW) == [Reading(210, NOW, 0.23)]


def test_fahrenheit_devices_are_converted_by_their_temp_unit():
    message = body(BME280={"Temperature": 70.3, "Humidity": 45.0}, TempUnit="F")
    values = {r.sensor_id: r.value for r in decode(TOPIC, message, DEVICE, NOW)}
    assert values[212] == pytest.approx(21.2778, abs=1e-4)


def test_temp_unit_applies_to_temperatures_only():
    units = {raw.field: raw.unit for raw in tasmota.parse(TOPIC, body(TempUnit="F"), DEVICE, NOW)}
    assert units["BME280.Temperature"] == "F"
    assert units["BME280.DewPoint"] == "F"
    assert units["BME280.Humidity"] is None
    assert units["ENERGY.Power"] is None
    assert "Time" not in units and "TempUnit" not in units


def test_multi_channel_values_are_indexed():
    channels = (ChannelSpec(220, "ENERGY.Power.1", "power", "W"),)
    device = DeviceSpec(22, "stekkerdoos", 3, "de-hoek", "tasmota", "tele/stekkerdoos/SENSOR",
                        channels, datetime(2026, 1, 1, tzinfo=UTC))
    message = json.dumps({"Time": "2026-11-22T10:00:00", "ENERGY": {"Power": [12, 1500]}})
    assert decode("tele/stekkerdoos/SENSOR", message.encode(), device, NOW) == [
        Reading(220, datetime(2026, 11, 22, 9, 0, tzinfo=UTC), 1.5)]


@pytest.mark.parametrize(("changes", "code"), [
    ({"ENERGY": {"Power": "230 W"}}, "not_a_number"),
    ({"ENERGY": {"Power": 230, "Total": -1}}, "out_of_range"),
    ({"ENERGY": {"Voltage": 231}, "BME280": {"Pressure": 1013}}, "no_mapped_fields"),
    ({"BME280": {"Temperature": 21.3}, "TempUnit": "X", "ENERGY": {}}, "wrong_unit"),
    ({"Time": "yesterday"}, "bad_timestamp"),
    ({"Time": True}, "bad_timestamp"),
    ({"Time": "2026-11-22T10:00:00", "Epoch": "soon"}, "bad_timestamp"),
    ({"Time": "0001-01-01T00:00:00"}, "bad_timestamp"),
    ({"Time": "9999-12-31T23:59:59+00:00"}, "future_timestamp"),
    ({"Time": "2026-11-22T10:05:02"}, "future_timestamp"),
    ({"Time": "1970-01-01T00:00:00"}, "before_commissioning"),  # clock not yet synchronised
])
def test_decode_rejects(changes, code):
    with pytest.raises(Rejection) as caught:
        decode(TOPIC, body(**changes), DEVICE, NOW)
    assert caught.value.code == code


def test_a_message_with_only_its_time_has_no_values():
    with pytest.raises(Rejection) as caught:
        decode(TOPIC, b'{"Time": "2026-11-22T10:00:00"}', DEVICE, NOW)
    assert caught.value.code == "no_values"
