"""SenML packs (RFC 8428): base fields, relative and absolute time, units."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta

import pytest

from sensors.formats import decode, senml
from sensors.model import ChannelSpec, DeviceSpec, Reading, Rejection

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
EPOCH = 1795338000  # NOW in epoch seconds
TOPIC = "werklandschap/de-hoek/klimaat-1/senml"
BN = "urn:dev:mac:0024befffe804ff1:"
DEVICE = DeviceSpec(
    device_id=40, uid="klimaat-1", park_id=3, park_slug="de-hoek", format="senml", topic=TOPIC,
    channels=(ChannelSpec(400, "temp", "temperature", "°C"),
              ChannelSpec(401, "hum", "humidity", "%"),
              ChannelSpec(402, f"{BN}co2", "co2", "ppm"),
              ChannelSpec(403, "energy", "energy_import", "kWh")),
    commissioned_at=datetime(2026, 1, 1, tzinfo=UTC),
)


def decoded(pack: list) -> list[Reading]:
    return decode(TOPIC, json.dumps(pack).encode(), DEVICE, NOW)


def rejection(pack) -> Rejection:
    with pytest.raises(Rejection) as caught:
        decoded(pack)
    return caught.value


def test_base_fields_resolve_names_times_units_and_values():
    pack = [
        {"bn": BN, "bt": EPOCH - 60, "bu": "Cel", "n": "temp", "v": 21.5},
        {"n": "temp", "t": 30, "v": 21.25},
        {"n": "hum", "u": "%RH", "v": 45},
        {"n": "co2", "u": "ppm", "v": 612},
        {"bv": 80000, "n": "energy", "u": "kWh", "v": 512.25},
    ]
    at = datetime.fromtimestamp(EPOCH - 60, UTC)
    assert decoded(pack) == [
        Reading(400, at, 21.5),
        Reading(400, at + timedelta(seconds=30), 21.25),
        Reading(401, at, 45.0),
        Reading(402, at, 612.0),  # matched by its full name bn + n
        Reading(403, at, 80512.25),
    ]


def test_full_name_is_tried_before_the_short_name():
    parsed = senml.parse(TOPIC, json.dumps([{"bn": BN, "n": "co2", "v": 1},
                                            {"bn": BN, "n": "temp", "v": 1}]).encode(),
                         DEVICE, NOW)
    assert [raw.field for raw in parsed] == [f"{BN}co2", "temp"]


def test_the_full_name_wins_when_both_names_are_registered():
    outdoor = ChannelSpec(404, f"{BN}temp", "temperature", "°C")
    device = dataclasses.replace(DEVICE, channels=(*DEVICE.channels, outdoor))
    pack = json.dumps([{"bn": BN, "n": "temp", "u": "Cel", "v": 4.5}]).encode()
    assert decode(TOPIC, pack, device, NOW) == [Reading(404, NOW, 4.5)]


@pytest.mark.parametrize(("record", "expected"), [
    ({"n": "temp", "u": "Cel", "v": 20}, NOW),  # no time: now
    ({"n": "temp", "u": "Cel", "v": 20, "t": -120}, NOW - timedelta(minutes=2)),
    ({"n": "temp", "u": "Cel", "v": 20, "t": 0}, NOW),
    ({"n": "temp", "u": "Cel", "v": 20, "t": EPOCH - 300}, NOW - timedelta(minutes=5)),
    ({"bt": -60, "n": "temp", "u": "Cel", "v": 20, "t": -60}, NOW - timedelta(minutes=2)),
])
def test_time_is_relative_below_2_to_the_28_and_absolute_above(record, expected):
    assert decoded([record])[0].ts == expected


def test_units_come_from_the_record_else_the_base_else_the_channel():
    pack = [{"bu": "K", "n": "temp", "v": 294.65}, {"n": "temp", "u": "Cel", "v": 20, "t": -1}]
    assert [r.value for r in decoded(pack)] == pytest.approx([21.5, 20])
    assert decoded([{"n": "hum", "v": 50}])[0].value == 50  # the channel's %


def test_a_sum_counts_as_the_value():
    assert decoded([{"n": "energy", "u": "Wh", "bs": 1000, "s": 500}])[0].value == 1.5


@pytest.mark.parametrize(("pack", "code"), [
    ({"n": "temp", "v": 20}, "bad_shape"),
    ([], "bad_shape"),
    ([21.5], "bad_shape"),
    ([{"u": "Cel", "v": 20}], "bad_shape"),
    ([{"n": "temp", "u": "Cel"}], "bad_shape"),
    ([{"n": 5, "v": 20}], "bad_shape"),
    ([{"n": "temp", "u": "Cel", "v": 20, "x_": 1}], "bad_shape"),
    ([{"n": "temp", "vs": "warm"}], "not_a_number"),
    ([{"n": "temp", "vb": True}], "not_a_number"),
    ([{"n": "temp", "vd": "aGVsbG8"}], "not_a_number"),
    ([{"n": "temp", "u": "Cel", "v": "20"}], "not_a_number"),
    ([{"n": "temp", "u": "Cel", "v": True}], "not_a_number"),
    ([{"n": "temp", "u": "Cel", "v": 20, "t": "now"}], "not_a_number"),
    ([{"n": "temp", "u": "Cel", "v": 20}, {"n": "pressure", "u": "Pa", "v": 101325}],
     "unmapped_field"),
    ([{"n": "temp", "u": "W", "v": 20}], "wrong_unit"),
    ([{"n": "hum", "u": "%RH", "v": 120}], "out_of_range"),
    ([{"n": "temp", "u": "Cel", "v": 20, "t": 600}], "future_timestamp"),
    ([{"n": "temp", "u": "Cel", "v": 20, "t": EPOCH - 400 * 86400}], "before_commissioning"),
    ([{"n": "temp", "u": "Cel", "v": 20, "t": -1e20}], "bad_timestamp"),
    ([{"n": "temp", "u": "Cel", "v": 20, "t": 1e20}], "bad_timestamp"),
    # integers too large for a float are a rejection, never an OverflowError
    ([{"n": "temp", "u": "Cel", "v": 10**400}], "non_finite"),
    ([{"n": "temp", "u": "Cel", "v": -(10**400)}], "non_finite"),
    ([{"n": "energy", "u": "Wh", "s": 10**400}], "non_finite"),
    ([{"n": "temp", "u": "Cel", "bv": 10**400, "v": 1}], "non_finite"),
    ([{"n": "temp", "u": "Cel", "v": 20, "t": 10**400}], "bad_timestamp"),
    ([{"n": "temp", "u": "Cel", "v": 20, "t": -(10**400)}], "bad_timestamp"),
    ([{"bt": 10**400, "n": "temp", "u": "Cel", "v": 20}], "bad_timestamp"),
    ([{"bt": 10**400, "n": "temp", "u": "Cel", "v": 20, "t": 1}], "bad_timestamp"),
    ([{"n": "temp", "u": "Cel", "v": 20}, {"n": "temp", "u": "Cel", "v": 21}],
     "duplicate_value"),
])
def test_decode_rejects(pack, code):
    assert rejection(pack).code == code


def test_a_string_value_names_the_record():
    assert "'temp'" in rejection([{"n": "temp", "vs": "warm"}]).message
