"""The Things Stack v3 uplinks: decoded_payload values with the channel's unit."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime

import pytest

from sensors.formats import decode, ttn
from sensors.model import ChannelSpec, DeviceSpec, Reading, Rejection

NOW = datetime(2026, 11, 22, 9, 0, 2, tzinfo=UTC)
TOPIC = "v3/werklandschap-de-hoek@ttn/devices/peilbuis-03/up"
DEVICE = DeviceSpec(
    device_id=12, uid="peilbuis-03", park_id=3, park_slug="de-hoek", format="ttn", topic=TOPIC,
    channels=(ChannelSpec(120, "water_level", "water_level", "mm"),
              ChannelSpec(121, "air.temperature", "temperature", "°C")),
    commissioned_at=datetime(2026, 3, 1, tzinfo=UTC),
)
UPLINK = {
    "end_device_ids": {
        "device_id": "peilbuis-03",
        "application_ids": {"application_id": "werklandschap-de-hoek"},
        "dev_eui": "70B3D57ED005A1B2",
        "join_eui": "0000000000000000",
        "dev_addr": "260B4C1D",
    },
    "correlation_ids": ["as:up:01JD3X8Q6V5B2TQ0R8WZ9M7K4C", "gs:uplink:01JD3X8Q5S0Y3N7RZQ2D6E1F8H"],
    "received_at": "2026-11-22T09:00:01.912345678Z",
    "uplink_message": {
        "session_key_id": "AZNn0vI1rBx8aYcX5V2bKQ==",
        "f_port": 2,
        "f_cnt": 1187,
        "frm_payload": "BNIBVQ4Q",
        "decoded_payload": {
            "water_level": 1234,
            "battery_voltage": 3.61,
            "status": "ok",
            "air": {"temperature": 8.5, "humidity": 91},
        },
        "rx_metadata": [{
            "gateway_ids": {"gateway_id": "kpn-zwolle-07", "eui": "B827EBFFFE61A2C3"},
            "time": "2026-11-22T09:00:01.801234Z",
            "timestamp": 3187456123,
            "rssi": -97,
            "channel_rssi": -97,
            "snr": 6.25,
            "uplink_token": "ChsKGQoNa3BuLXp3b2xsZS0wNxIIuCfr//5hosMQ",
            "received_at": "2026-11-22T09:00:01.840000Z",
        }],
        "settings": {
            "data_rate": {"lora": {"bandwidth": 125000, "spreading_factor": 9,
                                   "coding_rate": "4/5"}},
            "frequency": "867300000",
            "timestamp": 3187456123,
        },
        "received_at": "2026-11-22T09:00:01.887654321Z",
        "consumed_airtime": "0.185344s",
        "network_ids": {"net_id": "000013", "tenant_id": "ttn", "cluster_id": "eu1",
                        "cluster_address": "eu1.cloud.thethings.network"},
    },
}
RECEIVED = datetime(2026, 11, 22, 9, 0, 1, 887654, tzinfo=UTC)


def body(uplink: dict) -> bytes:
    return json.dumps(uplink).encode()


def changed(**uplink_message) -> dict:
    uplink = copy.deepcopy(UPLINK)
    for key, value in uplink_message.items():
        if value is None:
            uplink["uplink_message"].pop(key, None)
        else:
            uplink["uplink_message"][key] = value
    return uplink


def test_decoded_payload_becomes_canonical_readings():
    assert decode(TOPIC, body(UPLINK), DEVICE, NOW) == [
        Reading(120, RECEIVED, 123.4),  # water level in mm stored in cm
        Reading(121, RECEIVED, 8.5),
    ]


def test_nested_objects_become_dotted_fields_without_units():
    fields = {raw.field: (raw.value, raw.unit) for raw in ttn.parse(TOPIC, body(UPLINK), DEVICE,
                                                                      NOW)}
    assert fields == {"water_level": (1234, None), "battery_voltage": (3.61, None),
                      "status": ("ok", None), "air.temperature": (8.5, None),
                      "air.humidity": (91, None)}


def test_time_falls_back_to_top_level_received_at_then_to_arrival():
    without = changed(received_at=None)
    assert decode(TOPIC, body(without), DEVICE, NOW)[0].ts == datetime(
        2026, 11, 22, 9, 0, 1, 912345, tzinfo=UTC)
    del without["received_at"]
    assert decode(TOPIC, body(without), DEVICE, NOW)[0].ts == NOW


def test_unmapped_fields_are_ignored_and_null_is_no_value():
    uplink = changed(decoded_payload={"water_level": 1500, "air": {"temperature": None},
                                      "firmware": "1.4.2"})
    assert decode(TOPIC, body(uplink), DEVICE, NOW) == [Reading(120, RECEIVED, 150.0)]


@pytest.mark.parametrize(("uplink", "code"), [
    (changed(decoded_payload=None), "no_decoded_payload"),
    (changed(decoded_payload={}), "no_decoded_payload"),
    (changed(decoded_payload=[1234]), "bad_shape"),
    (changed(decoded_payload={"battery_voltage": 3.6}), "no_mapped_fields"),
    (changed(decoded_payload={"water_level": "high"}), "not_a_number"),
    (changed(decoded_payload={"water_level": 1234, "air": {"temperature": 900}}),
     "out_of_range"),
    (changed(received_at="2026-11-22T10:00:01"), "naive_timestamp"),
    (changed(received_at="2026-11-22T09:10:00Z"), "future_timestamp"),
    (changed(received_at="2026-02-28T23:59:59Z"), "before_commissioning"),
    ({k: v for k, v in UPLINK.items() if k != "uplink_message"}, "bad_shape"),
])
def test_decode_rejects(uplink, code):
    with pytest.raises(Rejection) as caught:
        decode(TOPIC, body(uplink), DEVICE, NOW)
    assert caught.value.code == code


def test_one_bad_mapped_value_rejects_the_whole_uplink():
    uplink = changed(decoded_payload={"water_level": 1234, "air": {"temperature": "n/a"}})
    with pytest.raises(Rejection) as caught:
        decode(TOPIC, body(uplink), DEVICE, NOW)
    assert "'air.temperature'" in caught.value.message
