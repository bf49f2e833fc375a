"""The sensor.community (luftdaten) firmware's HTTP push."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from sensors.formats import decode, sensor_community
from sensors.formats.base import RawValue
from sensors.model import ChannelSpec, DeviceSpec, Reading, Rejection

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
DEVICE = DeviceSpec(
    device_id=50, uid="esp8266-1234567", park_id=3, park_slug="de-hoek",
    format="sensor_community", topic="",
    channels=(ChannelSpec(500, "SDS_P1", "pm10", "µg/m³"),
              ChannelSpec(501, "SDS_P2", "pm25", "µg/m³"),
              ChannelSpec(502, "BME280_temperature", "temperature", "°C"),
              ChannelSpec(503, "BME280_humidity", "humidity", "%")),
    commissioned_at=datetime(2026, 1, 1, tzinfo=UTC),
)
PUSH = {
    "esp8266id": "1234567",
    "software_version": "NRZ-2020-133",
    "sensordatavalues": [
        {"value_type": "SDS_P1", "value": "12.30"},
        {"value_type": "SDS_P2", "value": "6.10"},
        {"value_type": "BME280_temperature", "value": "8.5"},
        {"value_type": "BME280_pressure", "value": "101226.97"},
        {"value_type": "BME280_humidity", "value": "71.43"},
        {"value_type": "samples", "value": "5032968"},
        {"value_type": "min_micro", "value": "28"},
        {"value_type": "max_micro", "value": "20047"},
        {"value_type": "interval", "value": "145000"},
        {"value_type": "signal", "value": "-62"},
    ],
}


def body(values: list | None = None) -> bytes:
    return json.dumps({**PUSH, "sensordatavalues": PUSH["sensordatavalues"]
                       if values is None else values}).encode()


def test_push_becomes_readings_stamped_on_arrival():
    assert decode("", body(), DEVICE, NOW) == [
        Reading(500, NOW, 12.3), Reading(501, NOW, 6.1), Reading(502, NOW, 8.5),
        Reading(503, NOW, 71.43)]


def test_every_value_type_is_a_field_without_unit_or_time():
    parsed = sensor_community.parse("", body(), DEVICE, NOW)
    assert len(parsed) == 10
    assert parsed[3] == RawValue("BME280_pressure", "101226.97", None, None)


@pytest.mark.parametrize(("values", "code"), [
    ([{"value_type": "SDS_P1", "value": "-"}], "not_a_number"),
    ([{"value_type": "SDS_P1", "value": "12.30"}, {"value_type": "SDS_P1", "value": "12.40"}],
     "duplicate_value"),
    ([{"value_type": "SDS_P1", "value": "9999"}], "out_of_range"),
    ([{"value_type": "signal", "value": "-62"}], "no_mapped_fields"),
    ([{"value_type": "SDS_P1"}], "bad_shape"),
    ([{"value": "12.30"}], "bad_shape"),
    (["SDS_P1"], "bad_shape"),
    ([], "bad_shape"),
])
def test_decode_rejects(values, code):
    with pytest.raises(Rejection) as caught:
        decode("", body(values), DEVICE, NOW)
    assert caught.value.code == code


def test_a_push_without_sensordatavalues_is_rejected():
    with pytest.raises(Rejection) as caught:
        decode("", b'{"esp8266id": "1234567"}', DEVICE, NOW)
    assert caught.value.code == "bad_shape"
