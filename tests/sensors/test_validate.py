"""Validation rules: payload, numbers, timestamps, time window, range, cumulative meters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from sensors.model import DeviceSpec, Rejection
from sensors.quantities import quantity
from sensors.validate import (
    MAX_PAYLOAD_BYTES,
    check_cumulative,
    check_range,
    check_time,
    load_json,
    parse_timestamp,
    to_number,
)

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
COMMISSIONED = datetime(2026, 1, 1, tzinfo=UTC)


def device(commissioned_at: datetime = COMMISSIONED) -> DeviceSpec:
    return DeviceSpec(device_id=1, uid="meter-1", park_id=1, park_slug="de-hoek", format="native",
                      topic="werklandschap/de-hoek/meter-1/up", channels=(),
                      commissioned_at=commissioned_at)


def rejected(call, *args) -> Rejection:
    with pytest.raises(Rejection) as caught:
        call(*args)
    return caught.value


# --- load_json -------------------------------------------------------------------------------

@pytest.mark.parametrize(("payload", "code", "in_message"), [
    (b'{"v": NaN}', "non_finite", "NaN"),
    (b'{"v": Infinity}', "non_finite", "Infinity"),
    (b'{"v": -Infinity}', "non_finite", "-Infinity"),
    (b'{"v": 1e999}', "non_finite", "1e999"),
    (b'[{"a": [-1e999]}]', "non_finite", "-1e999"),
    (b'{"power": 1, "power": 2}', "duplicate_key", "'power'"),
    (b'{"values": [{"field": "a", "unit": "kW", "unit": "W"}]}', "duplicate_key", "'unit'"),
    (b'{"a": {"b": {"c": 1, "c": 1}}}', "duplicate_key", "'c'"),
    (b'{"a": 1,}', "invalid_json", "line 1"),
    (b"", "invalid_json", "invalid JSON"),
    (b"{'a': 1}", "invalid_json", "invalid JSON"),
    (b'{"a": "\xff"}', "not_utf8", "byte at 7"),
    (b'{"a": "caf\xe9"}', "not_utf8", "not UTF-8"),
    (b"[" * 100_000 + b"]" * 100_000, "too_large", "200000 bytes"),
    (b"[" * 30_000 + b"]" * 30_000, "invalid_json", "nested too deeply"),
    (b"1" * 5000, "invalid_json", "invalid JSON"),
])
def test_load_json_rejects(payload, code, in_message):
    rejection = rejected(load_json, payload)
    assert rejection.code == code
    assert in_message in rejection.message


def test_load_json_accepts_a_payload_of_exactly_the_limit():
    payload = b'{"a": "' + b"x" * (MAX_PAYLOAD_BYTES - 9) + b'"}'
    assert len(payload) == MAX_PAYLOAD_BYTES
    assert len(load_json(payload)["a"]) == MAX_PAYLOAD_BYTES - 9
    assert rejected(load_json, payload + b" ").code == "too_large"


def test_load_json_limit_is_configurable():
    assert rejected(load_json, b'{"a": 1}', 4).code == "too_large"


def test_load_json_keeps_equal_keys_in_different_objects_and_unicode():
    assert load_json('{"a": {"a": 1}, "b": [{"a": 2}, {"a": 3}], "t": "µg/m³"}'.encode()) == {
        "a": {"a": 1}, "b": [{"a": 2}, {"a": 3}], "t": "µg/m³"}


def test_load_json_message_truncates_a_long_duplicate_key():
    key = "k" * 500
    rejection = rejected(load_json, f'{{"{key}": 1, "{key}": 2}}'.encode())
    assert rejection.code == "duplicate_key"
    assert len(rejection.message) < 100


# --- to_number -------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "expected"), [
    (12, 12.0), (12.5, 12.5), (-3, -3.0), ("0.456", 0.456), (" 12 ", 12.0), ("-1.5e3", -1500.0),
    (".5", 0.5), ("+7", 7.0), (10**20, 1e20),
])
def test_to_number_accepts(value, expected):
    assert to_number(value, "power") == expected


@pytest.mark.parametrize(("value", "code"), [
    (True, "not_a_number"), (False, "not_a_number"), (None, "not_a_number"),
    ("abc", "not_a_number"), ("", "not_a_number"), ("  ", "not_a_number"),
    ("12,5", "not_a_number"), ("1_000", "not_a_number"), ("0x10", "not_a_number"),
    ("١٢", "not_a_number"), ([1], "not_a_number"), ({"v": 1}, "not_a_number"),
    (float("nan"), "non_finite"), (float("inf"), "non_finite"), ("NaN", "non_finite"),
    ("-Infinity", "non_finite"), ("inf", "non_finite"), ("1e999", "non_finite"),
    (10**400, "non_finite"),
])
def test_to_number_rejects(value, code):
    rejection = rejected(to_number, value, "electricity_delivered_1")
    assert rejection.code == code
    assert "'electricity_delivered_1'" in rejection.message


def test_to_number_message_names_the_value_truncated():
    rejection = rejected(to_number, "not a number " * 20, "power")
    assert "'not a number" in rejection.message
    assert len(rejection.message) < 100


# --- parse_timestamp -------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "expected"), [
    ("2026-11-22T10:00:00+01:00", datetime(2026, 11, 22, 9, 0, tzinfo=UTC)),
    ("2026-11-22T09:00:00Z", datetime(2026, 11, 22, 9, 0, tzinfo=UTC)),
    ("2026-06-22T11:00:00+02:00", datetime(2026, 6, 22, 9, 0, tzinfo=UTC)),
    ("2026-11-22T09:00:00.123456789Z", datetime(2026, 11, 22, 9, 0, 0, 123456, tzinfo=UTC)),
    (" 2026-11-22T09:00:00.5Z ", datetime(2026, 11, 22, 9, 0, 0, 500000, tzinfo=UTC)),
    (1795338000, datetime(2026, 11, 22, 9, 0, tzinfo=UTC)),
    (1795338000.25, datetime(2026, 11, 22, 9, 0, 0, 250000, tzinfo=UTC)),
])
def test_parse_timestamp_gives_aware_utc(value, expected):
    parsed = parse_timestamp(value)
    assert parsed == expected
    assert parsed.utcoffset() == timedelta(0)


@pytest.mark.parametrize(("value", "code"), [
    ("2026-11-22T10:00:00", "naive_timestamp"),
    ("2026-11-22", "naive_timestamp"),
    ("yesterday", "bad_timestamp"),
    ("", "bad_timestamp"),
    ("2026-13-01T00:00:00Z", "bad_timestamp"),
    (None, "bad_timestamp"),
    (True, "bad_timestamp"),
    ([2026, 11, 22], "bad_timestamp"),
    (1795338000000000, "bad_timestamp"),  # microseconds: far beyond year 9999
    (float("nan"), "bad_timestamp"),
    # too large for a float: no OverflowError may escape
    pytest.param(10**400, "bad_timestamp", id="10**400"),
    pytest.param(-(10**400), "bad_timestamp", id="-10**400"),
    ("0001-01-01T00:00:00+01:00", "bad_timestamp"),  # before year 1 in UTC
    ("9999-12-31T23:30:00-01:00", "bad_timestamp"),  # after year 9999 in UTC
])
def test_parse_timestamp_rejects(value, code):
    rejection = rejected(parse_timestamp, value, "received_at")
    assert rejection.code == code
    assert "'received_at'" in rejection.message


# --- check_time ------------------------------------------------------------------------------

@pytest.mark.parametrize("ts", [
    NOW, NOW + timedelta(minutes=5), NOW - timedelta(days=30), COMMISSIONED,
    (NOW + timedelta(minutes=5)).astimezone(timezone(timedelta(hours=1))),
])
def test_check_time_accepts(ts):
    assert check_time(ts, device(), NOW) is None


@pytest.mark.parametrize(("ts", "code"), [
    (NOW + timedelta(minutes=5, microseconds=1), "future_timestamp"),
    (NOW + timedelta(days=1), "future_timestamp"),
    (COMMISSIONED - timedelta(microseconds=1), "before_commissioning"),
    (datetime(2020, 1, 1, tzinfo=UTC), "before_commissioning"),
])
def test_check_time_rejects(ts, code):
    assert rejected(check_time, ts, device(), NOW).code == code


def test_check_time_reads_a_naive_commissioning_time_from_storage_as_utc():
    naive = device(commissioned_at=datetime(2026, 6, 1, 12, 0))
    check_time(datetime(2026, 6, 1, 12, 0, tzinfo=UTC), naive, NOW)
    assert rejected(check_time, datetime(2026, 6, 1, 11, 59, tzinfo=UTC), naive,
                    NOW).code == "before_commissioning"


# --- check_range -----------------------------------------------------------------------------

@pytest.mark.parametrize(("code", "value"), [
    ("humidity", 0), ("humidity", 100), ("power", -12.5), ("temperature", -20), ("co2", 415),
])
def test_check_range_accepts(code, value):
    assert check_range(value, quantity(code)) is None


@pytest.mark.parametrize(("code", "value"), [
    ("humidity", 100.1), ("humidity", -1), ("temperature", 500), ("gas", -0.001),
    ("pm25", 5000), ("rainfall", -1), ("co2", 1e6),
])
def test_check_range_rejects(code, value):
    rejection = rejected(check_range, value, quantity(code))
    assert rejection.code == "out_of_range"
    assert quantity(code).unit in rejection.message


# --- check_cumulative ------------------------------------------------------------------------

@pytest.mark.parametrize(("previous", "value", "expected"), [
    (None, 0.0, "ok"),
    (None, 1234.5, "ok"),
    (1234.5, 1234.5, "ok"),
    (1234.5, 1240.0, "ok"),
    (1234.5, 3.2, "reset"),  # new meter: below 10% of a previous reading of at least 10
    (10.0, 0.5, "reset"),
    (50_000.0, 0.0, "reset"),
])
def test_check_cumulative_classifies(previous, value, expected):
    assert check_cumulative(previous, value) == expected


@pytest.mark.parametrize(("previous", "value"), [
    (1234.5, 1234.4),  # a small step back is an error, not a reset
    (1234.5, 200.0),  # 16%: too much left for a new meter
    (1234.5, 123.45),  # exactly 10% is not below 10%
    (9.0, 0.1),  # near zero the ratio says nothing
])
def test_check_cumulative_rejects_backwards(previous, value):
    rejection = rejected(check_cumulative, previous, value)
    assert rejection.code == "meter_backwards"
    assert f"{value:g}" in rejection.message and f"{previous:g}" in rejection.message
