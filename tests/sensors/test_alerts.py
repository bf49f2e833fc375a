"""Alert rules, table-driven: just below, at and just above every threshold."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sensors.alerts import (
    DEFAULT_RULES,
    SILENT_CODE,
    AlertRule,
    effective_rules,
    evaluate,
    is_silent,
    silent_hit,
)

NOW = datetime(2026, 7, 1, 12, tzinfo=UTC)
EPS = 0.01


def rule(code: str) -> AlertRule:
    return next(r for r in DEFAULT_RULES if r.code == code)


def codes(hits) -> list[str]:
    return [hit.rule_code for hit in hits]


def test_default_rule_set():
    assert [r.code for r in DEFAULT_RULES] == [
        "who_pm25_24h", "who_pm10_24h", "who_no2_24h", "co2_indoor",
        "heat_stress_warning", "heat_stress_alarm", "water_level_high", SILENT_CODE,
    ]
    for r in DEFAULT_RULES:
        assert r.name_nl and r.name_en and r.source_nl and r.source_en
        assert r.window in ("instant", "1h_mean", "24h_mean")
        assert r.severity in ("warning", "alarm")


# (quantity, window, threshold, rule codes hit below / at / above)
THRESHOLDS = [
    ("pm25", "24h_mean", 15.0, [], [], ["who_pm25_24h"]),
    ("pm10", "24h_mean", 45.0, [], [], ["who_pm10_24h"]),
    ("no2", "24h_mean", 25.0, [], [], ["who_no2_24h"]),
    ("co2", "instant", 1000.0, [], [], ["co2_indoor"]),
    ("temperature", "1h_mean", 27.0, [], ["heat_stress_warning"], ["heat_stress_warning"]),
    ("temperature", "1h_mean", 30.0, ["heat_stress_warning"],
     ["heat_stress_warning", "heat_stress_alarm"], ["heat_stress_warning", "heat_stress_alarm"]),
]


@pytest.mark.parametrize(("quantity", "window", "threshold", "below", "at", "above"), THRESHOLDS)
def test_thresholds(quantity, window, threshold, below, at, above):
    for value, expected in [(threshold - EPS, below), (threshold, at), (threshold + EPS, above)]:
        hits = evaluate(quantity, {window: value}, DEFAULT_RULES)
        assert codes(hits) == expected, value
        for hit in hits:
            assert hit.value == value
            assert hit.threshold == rule(hit.rule_code).threshold
            assert hit.severity == rule(hit.rule_code).severity


@pytest.mark.parametrize(("quantity", "window", "value"), [
    ("pm25", "instant", 80.0),  # a short spike is not a 24-hour mean
    ("pm25", "1h_mean", 80.0),
    ("co2", "24h_mean", 2000.0),
    ("temperature", "instant", 35.0),
    ("temperature", "24h_mean", 35.0),
])
def test_only_the_rules_window_counts(quantity, window, value):
    assert evaluate(quantity, {window: value}, DEFAULT_RULES) == []


def test_missing_window_value_gives_nothing():
    assert evaluate("pm25", {"24h_mean": None, "instant": 99.0}, DEFAULT_RULES) == []
    assert evaluate("pm25", {}, DEFAULT_RULES) == []


def test_rules_only_fire_for_their_quantity():
    assert evaluate("pm10", {"24h_mean": 20.0}, DEFAULT_RULES) == []  # 20 > 15 but pm10
    assert evaluate("humidity", {"instant": 5000.0, "1h_mean": 5000.0, "24h_mean": 5000.0},
                    DEFAULT_RULES) == []


@pytest.mark.parametrize(("limit", "value", "expected"), [
    (None, 500.0, []),
    (60.0, 60.0 - EPS, []),
    (60.0, 60.0, []),
    (60.0, 60.0 + EPS, ["water_level_high"]),
])
def test_water_level_needs_a_device_limit(limit, value, expected):
    hits = evaluate("water_level", {"instant": value}, DEFAULT_RULES, device_limit=limit)
    assert codes(hits) == expected
    if hits:
        assert hits[0].threshold == limit
        assert hits[0].severity == "alarm"


def test_device_limit_does_not_move_fixed_thresholds():
    assert evaluate("pm25", {"24h_mean": 16.0}, DEFAULT_RULES, device_limit=50.0) != []


def test_park_level_water_limit_and_device_limit_wins():
    rules = effective_rules({"water_level_high": 40.0})
    assert codes(evaluate("water_level", {"instant": 45.0}, rules)) == ["water_level_high"]
    assert evaluate("water_level", {"instant": 45.0}, rules, device_limit=50.0) == []


@pytest.mark.parametrize(("code", "quantity", "window", "new", "value", "fires"), [
    ("who_pm25_24h", "pm25", "24h_mean", 25.0, 20.0, False),
    ("who_pm25_24h", "pm25", "24h_mean", 10.0, 12.0, True),
    ("co2_indoor", "co2", "instant", 800.0, 900.0, True),
    ("co2_indoor", "co2", "instant", 1200.0, 1100.0, False),
    ("heat_stress_alarm", "temperature", "1h_mean", 32.0, 31.0, False),
])
def test_override_changes_threshold(code, quantity, window, new, value, fires):
    rules = effective_rules({code: new})
    assert rule(code).threshold != new
    assert next(r for r in rules if r.code == code).threshold == new
    assert (code in codes(evaluate(quantity, {window: value}, rules))) is fires
    assert (code in codes(evaluate(quantity, {window: value}, DEFAULT_RULES))) is not fires


def test_none_override_disables_a_rule():
    rules = effective_rules({"who_no2_24h": None, "heat_stress_warning": None})
    assert "who_no2_24h" not in [r.code for r in rules]
    assert evaluate("no2", {"24h_mean": 99.0}, rules) == []
    assert codes(evaluate("temperature", {"1h_mean": 31.0}, rules)) == ["heat_stress_alarm"]
    assert len(rules) == len(DEFAULT_RULES) - 2


def test_no_overrides_keeps_defaults_and_unknown_code_is_refused():
    assert effective_rules({}) == list(DEFAULT_RULES)
    with pytest.raises(ValueError, match="pm_25"):
        effective_rules({"pm_25": 10.0})


def test_messages_name_value_and_limit_in_both_languages():
    [hit] = evaluate("pm25", {"24h_mean": 18.25}, DEFAULT_RULES)
    assert "18,25" in hit.message_nl and "15" in hit.message_nl and "µg/m³" in hit.message_nl
    assert "18.25" in hit.message_en and "limit 15 " in hit.message_en


@pytest.mark.parametrize(("quiet_s", "interval_s", "silent"), [
    (899, 300, False), (900, 300, False), (901, 300, True), (3 * 3600, 600, True), (0, 60, False),
])
def test_is_silent(quiet_s, interval_s, silent):
    assert is_silent(NOW - timedelta(seconds=quiet_s), interval_s, NOW) is silent
    assert is_silent(None, interval_s, NOW) is True


def test_silent_hit():
    assert silent_hit(NOW - timedelta(minutes=15), 300, NOW) is None
    hit = silent_hit(NOW - timedelta(minutes=47), 300, NOW)
    assert hit is not None
    assert (hit.rule_code, hit.value, hit.threshold) == (SILENT_CODE, 47.0, 15.0)
    assert "47 minuten" in hit.message_nl and "47 minutes" in hit.message_en


def test_silent_hit_follows_overrides():
    last = NOW - timedelta(minutes=47)
    assert silent_hit(last, 300, NOW, effective_rules({SILENT_CODE: 10.0})) is None
    assert silent_hit(last, 300, NOW, effective_rules({SILENT_CODE: None})) is None
    hit = silent_hit(last, 300, NOW, effective_rules({SILENT_CODE: 2.0}))
    assert hit is not None and hit.threshold == 10.0


def test_silent_rule_is_not_a_value_rule():
    assert evaluate("", {"instant": 100.0}, DEFAULT_RULES) == []
