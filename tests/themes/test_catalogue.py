"""The catalogue: seven themes in order, indicators and standard measures that hold together."""

from __future__ import annotations

import subprocess
import sys

import pytest

import themes
from themes.catalogue import (
    INDICATORS,
    MEASURE_STATUSES,
    MEASURES,
    STATUS_LABELS,
    THEME_CODES,
    THEMES,
    catalogue_measure,
    indicator,
    indicators_for,
    measures_for,
    status_label,
    theme,
)
from themes.formatting import format_number, join_or

EXPECTED_CODES = (
    "productiviteit", "mobiliteit", "gezondheid", "water", "natuur", "circulariteit", "energie",
)


def test_seven_themes_in_the_visions_order():
    assert THEME_CODES == EXPECTED_CODES
    assert themes.THEME_CODES == EXPECTED_CODES
    assert tuple(t.code for t in THEMES) == EXPECTED_CODES


def test_theme_texts_in_both_languages():
    for item in THEMES:
        assert all([item.name_nl, item.name_en, item.summary_nl, item.summary_en]), item.code
        assert 3 <= len(item.ambitions_nl) == len(item.ambitions_en) <= 5, item.code
        assert all(a.strip() for a in item.ambitions_nl + item.ambitions_en), item.code


def test_at_least_forty_measures_with_unique_codes():
    codes = [m.code for m in MEASURES]
    assert len(codes) >= 40
    assert len(codes) == len(set(codes))


def test_every_theme_is_served_by_at_least_four_measures():
    for code in EXPECTED_CODES:
        served = measures_for(code)
        assert len(served) >= 4, code
        assert all(code in m.themes for m in served), code
        assert sum(m.primary_theme == code for m in MEASURES) >= 4, code


def test_measures_for_lists_primary_measures_first():
    served = measures_for("water")
    primary = [m.primary_theme == "water" for m in served]
    assert primary == sorted(primary, reverse=True)
    assert catalogue_measure("green_roof") in served  # serves water, but not primarily


def test_measure_themes_exist_and_do_not_repeat():
    for m in MEASURES:
        assert m.themes, m.code
        assert set(m.themes) <= set(THEME_CODES), m.code
        assert len(set(m.themes)) == len(m.themes), m.code


@pytest.mark.parametrize(
    "items",
    [MEASURES, INDICATORS],
    ids=["measures", "indicators"],
)
def test_names_and_descriptions_in_both_languages(items):
    for item in items:
        texts = (item.name_nl, item.name_en, item.description_nl, item.description_en)
        assert all(t.strip() for t in texts), item.code


REQUIRED_INDICATORS = [
        ("pv_kwp_per_ha", "energie", "higher"),
        ("self_sufficiency_pct", "energie", "higher"),
        ("peak_vs_grid_pct", "energie", "lower"),
        ("unpaved_pct", "water", "higher"),
        ("retention_m3_per_ha", "water", "higher"),
        ("rainwater_reuse_pct", "water", "higher"),
        ("green_pct", "natuur", "higher"),
        ("native_species_count", "natuur", "higher"),
        ("heat_stress_hours", "gezondheid", "lower"),
        ("pm25_ugm3", "gezondheid", "lower"),
        ("no2_ugm3", "gezondheid", "lower"),
        ("bike_parking_per_100_jobs", "mobiliteit", "higher"),
        ("chargers_count", "mobiliteit", "higher"),
        ("shared_mobility_hub", "mobiliteit", "higher"),
        ("material_reuse_pct", "circulariteit", "higher"),
        ("company_exchanges_count", "circulariteit", "higher"),
        ("jobs_per_ha", "productiviteit", "higher"),
        ("vacancy_pct", "productiviteit", "lower"),
        ("function_mix_count", "productiviteit", "higher"),
    ]


def test_required_indicators_exist_with_theme_and_direction():
    for code, theme_code, direction in REQUIRED_INDICATORS:
        found = indicator(code)
        assert (found.theme, found.direction) == (theme_code, direction), code
        assert found in indicators_for(theme_code), code


def test_indicator_codes_unique_and_at_least_three_per_theme():
    assert len({i.code for i in INDICATORS}) == len(INDICATORS)
    assert all(len(indicators_for(code)) >= 3 for code in THEME_CODES)
    assert all(i.direction in ("higher", "lower") and i.min_value == 0 for i in INDICATORS)


def test_percentages_stop_at_100_except_a_peak_above_contract():
    percentages = [i for i in INDICATORS if i.unit == "%"]
    assert len(percentages) >= 8
    for item in percentages:
        expected = None if item.code == "peak_vs_grid_pct" else 100
        assert item.max_value == expected, item.code


@pytest.mark.parametrize(
    ("code", "quantity", "who_value"),
    [("pm25_ugm3", "pm25", "5 µg/m³"), ("no2_ugm3", "no2", "10 µg/m³")],
)
def test_air_quality_indicators_come_from_sensors(code, quantity, who_value):
    found = indicator(code)
    assert found.sensor_quantity == quantity
    assert found.unit == "µg/m³"
    assert f"WHO-advieswaarde 2021: {who_value}" in found.description_nl


def test_sensor_fed_indicators_name_the_sensor_quantities():
    fed = {i.code: i.sensor_quantity for i in INDICATORS if i.sensor_quantity}
    assert fed == {
        "heat_stress_hours": "temperature",
        "pm25_ugm3": "pm25",
        "no2_ugm3": "no2",
        "peak_vs_grid_pct": "power",
    }


@pytest.mark.parametrize(
    ("code", "value", "accepted"),
    [("unpaved_pct", 100, True), ("unpaved_pct", 100.1, False), ("unpaved_pct", -1, False),
     ("shared_mobility_hub", 1, True), ("shared_mobility_hub", 2, False),
     ("jobs_per_ha", 10_000, True)],
)
def test_indicator_accepts_values_within_bounds(code, value, accepted):
    assert indicator(code).accepts(value) is accepted


@pytest.mark.parametrize(
    "lookup", [theme, indicator, catalogue_measure, indicators_for, measures_for],
)
def test_unknown_codes_raise_key_error(lookup):
    with pytest.raises(KeyError):
        lookup("bestaat_niet")


def test_statuses_have_labels_in_both_languages():
    assert MEASURE_STATUSES == ("idee", "gepland", "in_uitvoering", "gerealiseerd", "gestopt")
    assert set(STATUS_LABELS) == set(MEASURE_STATUSES)
    assert STATUS_LABELS["in_uitvoering"] == ("In uitvoering", "In progress")
    assert status_label("gestopt", "en") == "Stopped"


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [(1234.5, "nl", "1.234,5"), (1234.5, "en", "1,234.5"), (40.0, "nl", "40"),
     (0.25, "nl", "0,25"), (12, "en", "12")],
)
def test_numbers_follow_the_language(value, lang, expected):
    assert format_number(value, lang) == expected


@pytest.mark.parametrize(
    ("items", "lang", "expected"),
    [(["Wadi"], "nl", "Wadi"), (["A", "B"], "nl", "A of B"), (["A", "B", "C"], "en", "A, B or C")],
)
def test_alternatives_read_naturally(items, lang, expected):
    assert join_or(items, lang) == expected


def test_the_package_imports_no_web_framework():
    code = ("import sys, themes, themes.maturity; "
            "print(sorted({'flask', 'webapp'} & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
