"""The maturity rule: cumulative levels, thresholds in both directions, and readable reasons."""

from __future__ import annotations

from pathlib import Path

import pytest

from themes.catalogue import THEME_CODES, catalogue_measure, indicator
from themes.docs import render_markdown
from themes.maturity import (
    CRITERIA,
    LEVELS,
    RealisedMeasure,
    assess,
    assess_all,
    criteria_for,
    level,
)


def own(*theme_codes: str, title: str = "eigen maatregel") -> RealisedMeasure:
    """A park's own measure, not from the catalogue."""
    return RealisedMeasure(themes=theme_codes, title=title)


def cat(code: str) -> RealisedMeasure:
    """A realised catalogue measure carrying the catalogue's themes."""
    return RealisedMeasure(themes=catalogue_measure(code).themes, catalogue_code=code)


def strictest(theme_code: str) -> dict[str, float]:
    """Indicator values exactly at the strictest threshold of each indicator criterion."""
    values: dict[str, float] = {}
    for crit in criteria_for(theme_code):
        if crit.kind == "indicator":
            pick = max if indicator(crit.indicator).direction == "higher" else min
            values[crit.indicator] = pick(values.get(crit.indicator, crit.threshold),
                                          crit.threshold)
    return values


def full_evidence(theme_code: str) -> tuple[list[RealisedMeasure], dict[str, float]]:
    """Evidence meeting every criterion of the theme, indicators exactly at their thresholds."""
    codes = {c for crit in criteria_for(theme_code) for c in crit.measure_codes}
    realised = [cat(code) for code in sorted(codes)]
    most = max((c.count for c in criteria_for(theme_code) if c.kind == "measures"), default=0)
    realised += [own(theme_code) for _ in range(most)]
    return realised, strictest(theme_code)


def reason(assessment, code):
    return next(r for r in assessment.reasons if r.criterion.code == code)


# --- levels and criteria as data -------------------------------------------------------------

def test_levels_run_from_not_started_to_leading():
    assert [lv.number for lv in LEVELS] == [0, 1, 2, 3, 4]
    assert all(lv.name_nl and lv.name_en and lv.description_nl and lv.description_en
               for lv in LEVELS)
    assert level(4).name_en == "Leading"
    with pytest.raises(KeyError):
        level(5)


def test_each_theme_has_criteria_on_every_level_of_mixed_kinds():
    for theme_code, crits in CRITERIA.items():
        assert {c.level for c in crits} == {1, 2, 3, 4}, theme_code
        assert [c.level for c in crits] == sorted(c.level for c in crits), theme_code
        assert len({c.kind for c in crits}) >= 2, theme_code
        assert all(c.theme == theme_code and c.text_nl and c.text_en for c in crits)


def test_criteria_cover_exactly_the_seven_themes_with_unique_codes():
    assert tuple(CRITERIA) == THEME_CODES
    codes = [c.code for crits in CRITERIA.values() for c in crits]
    assert len(codes) == len(set(codes))


def test_every_referenced_code_exists_and_fits():
    for crit in (c for crits in CRITERIA.values() for c in crits):
        if crit.kind == "measures":
            assert crit.count >= 1, crit.code
        elif crit.kind == "catalogue":
            assert crit.measure_codes, crit.code
            assert all(catalogue_measure(code) for code in crit.measure_codes), crit.code
        else:
            ind = indicator(crit.indicator)
            assert ind.theme == crit.theme, crit.code
            assert ind.accepts(crit.threshold), crit.code


def test_thresholds_of_one_indicator_get_stricter_with_each_level():
    for crit in (c for crits in CRITERIA.values() for c in crits if c.kind == "indicator"):
        sign = 1 if indicator(crit.indicator).direction == "higher" else -1
        later = [c for c in criteria_for(crit.theme)
                 if c.indicator == crit.indicator and c.level > crit.level]
        assert all(sign * (c.threshold - crit.threshold) > 0 for c in later), crit.code


@pytest.mark.parametrize(
    ("code", "threshold"),
    [("gezondheid.4.pm25_ugm3", 5), ("gezondheid.4.no2_ugm3", 10),
     ("water.4.retention_m3_per_ha", 600), ("natuur.4.tree_canopy_pct", 30)],
)
def test_sourced_thresholds(code, threshold):
    crit = next(c for crits in CRITERIA.values() for c in crits if c.code == code)
    assert crit.threshold == threshold
    assert crit.source


# --- the rule ---------------------------------------------------------------------------------

@pytest.mark.parametrize("theme_code", THEME_CODES)
def test_no_evidence_is_level_zero(theme_code):
    result = assess(theme_code, [], {})
    assert result.level == 0
    assert result.met == ()
    assert len(result.reasons) == len(CRITERIA[theme_code])


@pytest.mark.parametrize("theme_code", THEME_CODES)
def test_meeting_every_threshold_exactly_reaches_level_four(theme_code):
    result = assess(theme_code, *full_evidence(theme_code))
    assert result.level == 4
    assert result.missing == ()
    assert result.next_steps == ()


@pytest.mark.parametrize("theme_code", THEME_CODES)
def test_just_missing_an_indicator_threshold_drops_below_that_level(theme_code):
    realised, values = full_evidence(theme_code)
    for crit in (c for c in criteria_for(theme_code) if c.kind == "indicator"):
        step = 0.01 if indicator(crit.indicator).direction == "higher" else -0.01
        worse = {**values, crit.indicator: crit.threshold - step}
        assert assess(theme_code, realised, worse).level == crit.level - 1, crit.code


@pytest.mark.parametrize(
    ("theme_code", "realised", "values", "expected"),
    [
        # higher is better: exactly 40 kWp/ha is enough for level 2, a hair less is not
        ("energie", ["pv_roofs", "energy_monitoring"], {"pv_kwp_per_ha": 40}, 2),
        ("energie", ["pv_roofs", "energy_monitoring"], {"pv_kwp_per_ha": 39.99}, 1),
        # lower is better: exactly 10 µg/m³ PM2.5 is enough for level 2, a hair more is not
        ("gezondheid", ["walking_route"], {"pm25_ugm3": 10}, 2),
        ("gezondheid", ["walking_route"], {"pm25_ugm3": 10.01}, 1),
        ("gezondheid", ["walking_route"], {"pm25_ugm3": 4}, 2),
        # both level-2 water indicators must be met
        ("water", ["wadi"], {"unpaved_pct": 20, "retention_m3_per_ha": 200}, 2),
        ("water", ["wadi"], {"unpaved_pct": 20, "retention_m3_per_ha": 199}, 1),
        ("water", ["wadi"], {"unpaved_pct": 19.5, "retention_m3_per_ha": 900}, 1),
        # a count per 100 jobs, exactly at the threshold
        ("mobiliteit", ["shared_ebikes"], {"bike_parking_per_100_jobs": 20}, 2),
    ],
)
def test_thresholds_are_inclusive_in_the_indicators_direction(theme_code, realised, values,
                                                              expected):
    assert assess(theme_code, [cat(c) for c in realised], values).level == expected


@pytest.mark.parametrize(
    ("theme_code", "realised", "values", "expected", "met_above"),
    [
        # all of level 3 met, but no first step: still 0
        ("energie", ["energy_hub"],
         {"self_sufficiency_pct": 50, "peak_vs_grid_pct": 60, "pv_kwp_per_ha": 100}, 0, 3),
        ("natuur", ["green_corridor"],
         {"green_pct": 30, "native_species_count": 50}, 0, 3),
        # levels 3 and 4 met, level 2 (vacancy) unknown: stays at 1
        ("productiviteit", ["multi_tenant_building", "intensification", "park_management_biz"],
         {"jobs_per_ha": 80, "function_mix_count": 4}, 1, 4),
    ],
)
def test_levels_are_cumulative(theme_code, realised, values, expected, met_above):
    result = assess(theme_code, [cat(c) for c in realised], values)
    assert result.level == expected
    assert all(r.met for r in result.reasons if r.criterion.level == met_above)


@pytest.mark.parametrize(
    ("realised", "expected"),
    [
        ([own("mobiliteit")], 1),
        ([own("water", "mobiliteit")], 1),
        ([own("water")], 0),
        ([RealisedMeasure(themes=(), catalogue_code="bike_parking")], 1),
        ([RealisedMeasure(themes=(), catalogue_code="vervallen_code")], 0),
        ([RealisedMeasure(themes=(), title="zonder thema")], 0),
    ],
)
def test_own_and_catalogue_measures_count_toward_a_theme(realised, expected):
    assert assess("mobiliteit", realised, {}).level == expected


def test_own_measures_fill_a_count_criterion():
    realised = [own("circulariteit") for _ in range(2)] + [cat("shared_waste")]
    result = assess("circulariteit", realised, {"material_reuse_pct": 80,
                                                "company_exchanges_count": 2})
    counted = reason(result, "circulariteit.3.measures")
    assert counted.met
    assert counted.detail_nl == "3 gerealiseerde maatregelen (nodig: 3)"
    assert counted.detail_en == "3 realised measures (needed: 3)"


# --- reasons ----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("theme_code", "realised", "values", "code", "met", "nl", "en"),
    [
        ("energie", [], {"pv_kwp_per_ha": 35}, "energie.2.pv_kwp_per_ha", False,
         "Zonnevermogen 35 kWp/ha (nodig: ten minste 40 kWp/ha)",
         "Solar capacity 35 kWp/ha (needed: at least 40 kWp/ha)"),
        ("energie", [], {"peak_vs_grid_pct": 80.5}, "energie.3.peak_vs_grid_pct", False,
         "Piek t.o.v. netcapaciteit 80,5% (nodig: ten hoogste 80%)",
         "Peak vs grid capacity 80.5% (needed: at most 80%)"),
        ("energie", [], {}, "energie.3.self_sufficiency_pct", False,
         "Zelfvoorzienendheid: nog geen waarde ingevuld",
         "Self-sufficiency: no value entered yet"),
        ("gezondheid", [], {"pm25_ugm3": float("nan")}, "gezondheid.2.pm25_ugm3", False,
         "nog geen waarde ingevuld", "no value entered yet"),
        ("water", [], {}, "water.3.purification", False,
         "nog niet gerealiseerd: Wadi of Helofytenfilter",
         "not yet realised: Swale (wadi) or Reed-bed filter"),
        ("water", ["wadi"], {}, "water.3.purification", True,
         "gerealiseerd: Wadi", "realised: Swale (wadi)"),
        ("mobiliteit", [], {}, "mobiliteit.1.measures", False,
         "0 gerealiseerde maatregelen (nodig: 1)", "0 realised measures (needed: 1)"),
        ("mobiliteit", ["bike_parking"], {}, "mobiliteit.1.measures", True,
         "1 gerealiseerde maatregel (nodig: 1)", "1 realised measure (needed: 1)"),
        ("mobiliteit", [], {"shared_mobility_hub": 0}, "mobiliteit.4.shared_mobility_hub", False,
         "Deelmobiliteitshub nee (nodig: ja)", "Shared mobility hub no (needed: yes)"),
    ],
)
def test_reasons_name_the_evidence_and_what_is_missing(theme_code, realised, values, code, met,
                                                       nl, en):
    found = reason(assess(theme_code, [cat(c) for c in realised], values), code)
    assert found.met is met
    assert nl in found.detail_nl
    assert en in found.detail_en


def test_met_and_missing_split_the_reasons_and_next_steps_are_the_next_level():
    result = assess("water", [cat("wadi")], {"unpaved_pct": 25})
    assert result.level == 1
    assert set(result.met) | set(result.missing) == set(result.reasons)
    assert not set(result.met) & set(result.missing)
    assert [r.criterion.code for r in result.next_steps] == ["water.2.retention_m3_per_ha"]


def test_next_steps_at_level_zero_are_the_first_level():
    result = assess("natuur", [], {})
    assert [r.criterion.code for r in result.next_steps] == ["natuur.1.first_step"]
    assert result.level_info.name_nl == "Nog niet gestart"


def test_assess_all_gives_seven_themes_in_order_from_one_pass_of_measures():
    realised = (m for m in [cat("green_roof")])  # a generator can be read only once
    results = assess_all(realised, {})
    assert tuple(results) == THEME_CODES
    assert {code: r.level for code, r in results.items()} == {
        "productiviteit": 0, "mobiliteit": 0, "gezondheid": 0, "water": 1, "natuur": 1,
        "circulariteit": 0, "energie": 0,
    }


def test_unknown_theme_raises_key_error():
    with pytest.raises(KeyError):
        assess("ruimte", [], {})


def test_docs_page_matches_the_criteria():
    page = Path(__file__).resolve().parents[2] / "docs" / "maturity.md"
    assert page.read_text(encoding="utf-8") == render_markdown()
