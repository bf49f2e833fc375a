"""Tasmota SENSOR telemetry: dotted fields, TempUnit, stamped on arrival."""

from __future__ import annotations

import json
from datetime import UTC, datetime

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


def test_sensor_message_becomes_canonical_readings_stamped_on_arrival():
    assert decode(TOPIC, body(), DEVICE, NOW) == [
        Reading(211, NOW, 123.456),  # in payload order
        Reading(210, NOW, 0.23),  # 230 W
        Reading(212, NOW, 21.3),
        Reading(213, NOW, 45.0),
    ]


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
        Reading(220, NOW, 1.5)]


@pytest.mark.parametrize(("changes", "code"), [
    ({"ENERGY": {"Power": "230 W"}}, "not_a_number"),
    ({"ENERGY": {"Power": 230, "Total": -1}}, "out_of_range"),
    ({"ENERGY": {"Voltage": 231}, "BME280": {"Pressure": 1013}}, "no_mapped_fields"),
    ({"BME280": {"Temperature": 21.3}, "TempUnit": "X", "ENERGY": {}}, "wrong_unit"),
])
def test_decode_rejects(changes, code):
    with pytest.raises(Rejection) as caught:
        decode(TOPIC, body(**changes), DEVICE, NOW)
    assert caught.value.code == code


def test_a_message_with_only_its_time_has_no_values():
    with pytest.raises(Rejection) as caught:
        decode(TOPIC, b'{"Time": "2026-11-22T10:00:00"}', DEVICE, NOW)
    assert caught.value.code == "no_values"
