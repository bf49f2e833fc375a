"""Canonical quantities and unit conversion."""

from __future__ import annotations

import pytest

from sensors.model import Rejection
from sensors.quantities import QUANTITIES, convert, quantity, units_for

CANONICAL = {
    "power": ("kW", "gauge"), "energy_import": ("kWh", "cumulative"),
    "energy_export": ("kWh", "cumulative"), "energy": ("kWh", "interval"),
    "pv_power": ("kW", "gauge"), "pv_energy": ("kWh", "cumulative"),
    "gas": ("m³", "cumulative"), "heat": ("GJ", "cumulative"), "water": ("m³", "cumulative"),
    "rainfall": ("mm", "interval"), "water_level": ("cm", "gauge"),
    "temperature": ("°C", "gauge"), "humidity": ("%", "gauge"), "pm25": ("µg/m³", "gauge"),
    "pm10": ("µg/m³", "gauge"), "no2": ("µg/m³", "gauge"), "co2": ("ppm", "gauge"),
}


def test_the_agreed_codes_units_and_kinds():
    assert {code: (q.unit, q.kind) for code, q in QUANTITIES.items()} == CANONICAL


@pytest.mark.parametrize("code", sorted(CANONICAL))
def test_each_quantity_is_described_and_bounded(code):
    q = quantity(code)
    assert q.code == code
    assert q.name_nl and q.name_en and q.name_nl != q.name_en
    assert q.min_value < q.max_value
    assert units_for(code)[0] == q.unit
    assert convert(12.5, q.unit, code) == 12.5


def test_power_may_be_negative_for_export_but_meter_readings_may_not():
    assert quantity("power").min_value < 0
    assert all(quantity(c).min_value == 0 for c, (_, kind) in CANONICAL.items()
               if kind == "cumulative")


@pytest.mark.parametrize(("value", "unit", "code", "expected"), [
    (230, "W", "power", 0.23),
    (1.5, "MW", "power", 1500),
    (-2.5, "kW", "power", -2.5),
    (4200, "W", "pv_power", 4.2),
    (123456, "Wh", "energy_import", 123.456),
    (1.2, "MWh", "energy_export", 1200),
    (12.5, "KWh", "energy", 12.5),
    (1234.567, "m3", "gas", 1234.567),
    (250, "l", "water", 0.25),
    (250, "L", "water", 0.25),
    (250, "dm3", "water", 0.25),
    (1500, "MJ", "heat", 1.5),
    (1000, "kWh", "heat", 3.6),
    (2e9, "J", "heat", 2),
    (3.5, "mm", "rainfall", 3.5),
    (1234, "mm", "water_level", 123.4),
    (-2.5, "m", "water_level", -250),
    (21.5, "C", "temperature", 21.5),
    (21.5, "Cel", "temperature", 21.5),
    (21.5, "degC", "temperature", 21.5),
    (294.65, "K", "temperature", 21.5),
    (212, "°F", "temperature", 100),
    (212, "F", "temperature", 100),
    (45, "%RH", "humidity", 45),
    (12.3, "ug/m3", "pm25", 12.3),
    (12.3, "ug/m³", "pm10", 12.3),
    (12.3, "\u00b5g/m3", "no2", 12.3),  # micro sign
    (12.3, "\u03bcg/m\u00b3", "no2", 12.3),  # Greek mu
    (0.04, "mg/m3", "no2", 40),
    (415, "ppm", "co2", 415),
    (415, " ppm ", "co2", 415),
])
def test_convert_to_the_canonical_unit(value, unit, code, expected):
    assert convert(value, unit, code) == pytest.approx(expected)


@pytest.mark.parametrize(("unit", "code", "code_expected"), [
    (None, "power", "missing_unit"),
    ("", "power", "missing_unit"),
    ("   ", "temperature", "missing_unit"),
    ("kWh", "power", "wrong_unit"),
    ("W", "energy_import", "wrong_unit"),
    ("mW", "power", "wrong_unit"),  # milliwatt is not megawatt: case matters
    ("mWh", "energy", "wrong_unit"),
    ("kg", "gas", "wrong_unit"),
    ("cm", "rainfall", "wrong_unit"),
    ("ppb", "no2", "wrong_unit"),
    ("%", "co2", "wrong_unit"),
])
def test_convert_rejects_missing_and_wrong_units(unit, code, code_expected):
    with pytest.raises(Rejection) as caught:
        convert(1.0, unit, code)
    assert caught.value.code == code_expected
    assert units_for(code)[0] in caught.value.message  # tells what would have been accepted


def test_wrong_unit_message_names_the_unit_truncated():
    with pytest.raises(Rejection) as caught:
        convert(1.0, "furlongs per fortnight " * 10, "power")
    assert "'furlongs per fortnight" in caught.value.message
    assert len(caught.value.message) < 150


def test_unknown_quantity_is_a_rejection():
    with pytest.raises(Rejection) as caught:
        convert(1.0, "kW", "horsepower")
    assert caught.value.code == "unknown_quantity"
    with pytest.raises(Rejection):
        units_for("horsepower")


@pytest.mark.parametrize(("code", "expected"), [
    ("power", ("kW", "W", "MW")),
    ("gas", ("m³", "l", "dm³")),
    ("temperature", ("°C", "K", "°F")),
    ("co2", ("ppm",)),
])
def test_units_for_lists_form_choices_canonical_first(code, expected):
    assert units_for(code) == expected


def test_every_offered_unit_converts():
    for code in QUANTITIES:
        for unit in units_for(code):
            assert isinstance(convert(1.0, unit, code), float)
