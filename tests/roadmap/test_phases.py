"""The phase rule: thresholds at every boundary, cumulativeness, and what is missing."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from roadmap.phases import (
    ON_ITS_WAY_FROM,
    PHASE_CODES,
    PHASES,
    REQUIREMENTS,
    ParkFacts,
    determine_phase,
    is_on_its_way,
    next_phase,
    phase,
    requirements_for,
)
from themes.catalogue import THEME_CODES

# Five themes advanced (level 3), the other two under way (level 2): just enough.
LEVELS_JUST_ENOUGH = {code: (3 if i < 5 else 2) for i, code in enumerate(THEME_CODES)}

# The least a park needs for each phase, on top of the phases before it.
MINIMUM: dict[str, dict[str, Any]] = {
    "aangemeld": {},
    "nulmeting": {"themes_with_baseline": 7, "indicator_values": 5},
    "roadmap": {"themes_with_ambition": 7, "roadmap_adopted": True, "milestones": 1},
    "uitvoering": {"measures_started": 3, "measures_realised": 1, "themes_with_realised": 1},
    "werklandschap": {"theme_levels": LEVELS_JUST_ENOUGH},
}


def facts_for(code: str, **changes: Any) -> ParkFacts:
    """Facts that just meet phase *code* and every phase before it, then *changes*."""
    fields: dict[str, Any] = {}
    for p in PHASES[: phase(code).order + 1]:
        fields.update(MINIMUM[p.code])
    return ParkFacts(**(fields | changes))


@pytest.mark.parametrize("code", PHASE_CODES)
def test_just_meeting_a_phase_reaches_it(code):
    assert determine_phase(facts_for(code)).phase == code


def _levels(advanced: int, under_way: int) -> dict[str, int]:
    """*advanced* themes at level 3, then *under_way* at level 2, the rest at level 1."""
    values = [3] * advanced + [2] * under_way
    return {c: (values[i] if i < len(values) else 1) for i, c in enumerate(THEME_CODES)}


# One step below each threshold: the park falls back to the phase before.
BELOW = [
    ("nulmeting", "baseline", {"themes_with_baseline": 6}),
    ("nulmeting", "indicator_values", {"indicator_values": 4}),
    ("roadmap", "ambition", {"themes_with_ambition": 6}),
    ("roadmap", "roadmap_adopted", {"roadmap_adopted": False}),
    ("roadmap", "milestones", {"milestones": 0}),
    ("uitvoering", "measures_started", {"measures_started": 2}),
    ("uitvoering", "measures_realised", {"measures_realised": 0}),
    ("werklandschap", "themes_advanced", {"theme_levels": _levels(4, 3)}),
    ("werklandschap", "themes_under_way", {"theme_levels": _levels(6, 0)}),
]


@pytest.mark.parametrize(("code", "key", "below"), BELOW)
def test_one_below_a_threshold_falls_back_to_the_phase_before(code, key, below):
    result = determine_phase(facts_for(code, **below))
    assert result.phase == PHASES[phase(code).order - 1].code
    assert [c.key for c in result.missing] == [key]


# Above the thresholds of a phase but short of the next: still that phase.
ABOVE = [
    ("nulmeting", {"indicator_values": 40}),
    ("roadmap", {"milestones": 12}),
    ("uitvoering", {"measures_started": 30, "measures_realised": 20,
                    "theme_levels": _levels(4, 3)}),
    ("werklandschap", {"theme_levels": dict.fromkeys(THEME_CODES, 4)}),
]


@pytest.mark.parametrize(("code", "more"), ABOVE)
def test_more_than_needed_stays_in_the_phase_until_the_next_is_met(code, more):
    assert determine_phase(facts_for(code, **more)).phase == code


# Every later phase met, one earlier phase not: the rule stops at the gap.
GAPS = [
    ("nulmeting", {"themes_with_baseline": 0, "indicator_values": 0}, "aangemeld"),
    ("nulmeting", {"themes_with_baseline": 3}, "aangemeld"),
    ("roadmap", {"roadmap_adopted": False}, "nulmeting"),
    ("roadmap", {"themes_with_ambition": 0}, "nulmeting"),
    ("uitvoering", {"measures_started": 0, "measures_realised": 0}, "roadmap"),
]


@pytest.mark.parametrize(("gap_phase", "gap", "expected"), GAPS)
def test_the_rule_is_cumulative(gap_phase, gap, expected):
    result = determine_phase(facts_for("werklandschap", **gap))
    assert result.phase == expected
    assert {c.phase for c in result.missing} == {gap_phase}


def test_meeting_uitvoering_without_a_baseline_stays_aangemeld():
    facts = ParkFacts(themes_with_ambition=7, roadmap_adopted=True, milestones=3,
                      measures_started=10, measures_realised=5, themes_with_realised=4)
    result = determine_phase(facts)
    assert result.phase == "aangemeld"
    assert {c.key for c in result.missing} == {"baseline", "indicator_values"}
    assert all(c.met for c in result.checks if c.phase in ("roadmap", "uitvoering"))


def test_a_new_park_is_registered_and_misses_the_baseline_checks():
    result = determine_phase(ParkFacts())
    assert result.phase == "aangemeld"
    assert [c.key for c in result.missing] == ["baseline", "indicator_values"]
    assert result.next_phase == phase("nulmeting")


def test_at_the_last_phase_nothing_is_missing():
    result = determine_phase(facts_for("werklandschap"))
    assert result.missing == ()
    assert result.next_phase is None
    assert all(c.met for c in result.checks)


def test_every_check_is_listed_in_phase_order():
    result = determine_phase(facts_for("roadmap"))
    assert [c.key for c in result.checks] == [r.key for r in REQUIREMENTS]
    orders = [phase(c.phase).order for c in result.checks]
    assert orders == sorted(orders)
    assert [c.met for c in result.checks] == [True] * 5 + [False] * 4


@pytest.mark.parametrize(
    ("facts", "key", "nl", "en"),
    [
        (ParkFacts(themes_with_baseline=5), "baseline",
         "basislijn voor 5 van 7 thema's (nodig: 7)", "baseline for 5 of 7 themes (needed: 7)"),
        (ParkFacts(indicator_values=3), "indicator_values",
         "indicatoren met een waarde: 3 (nodig: 5)", "indicators with a value: 3 (needed: 5)"),
        (ParkFacts(), "roadmap_adopted", "roadmap nog niet vastgesteld", "roadmap not adopted yet"),
        (ParkFacts(roadmap_adopted=True), "roadmap_adopted", "roadmap vastgesteld",
         "roadmap adopted"),
        (ParkFacts(measures_started=2), "measures_started",
         "maatregelen in uitvoering of gerealiseerd: 2 (nodig: 3)",
         "measures in progress or realised: 2 (needed: 3)"),
        (ParkFacts(theme_levels=_levels(4, 3)), "themes_advanced",
         "thema's op niveau 3 (gevorderd) of hoger: 4 van 7 (nodig: 5)",
         "themes at level 3 (advanced) or higher: 4 of 7 (needed: 5)"),
        (ParkFacts(theme_levels=_levels(4, 2)), "themes_under_way",
         "thema's op niveau 2 (op weg) of hoger: 6 van 7 (nodig: 7)",
         "themes at level 2 (under way) or higher: 6 of 7 (needed: 7)"),
    ],
)
def test_checks_say_what_is_met_or_missing_with_figures(facts, key, nl, en):
    check = next(c for c in determine_phase(facts).checks if c.key == key)
    assert (check.label_nl, check.label_en) == (nl, en)
    assert check.label("en") == en


@pytest.mark.parametrize(
    ("code", "on_its_way"),
    [("aangemeld", False), ("nulmeting", False), ("roadmap", True), ("uitvoering", True),
     ("werklandschap", True)],
)
def test_on_its_way_from_the_adopted_roadmap(code, on_its_way):
    assert is_on_its_way(code) is on_its_way
    assert determine_phase(facts_for(code)).on_its_way is on_its_way


def test_phases_are_ordered_and_named_in_both_languages():
    assert tuple(p.code for p in PHASES) == PHASE_CODES
    assert [p.order for p in PHASES] == list(range(5))
    assert ON_ITS_WAY_FROM in PHASE_CODES
    assert phase("roadmap").name_nl == "Ambitie en roadmap vastgesteld"
    assert phase("werklandschap").name("en") == "Work landscape of the future"
    assert all(p.description_nl and p.description_en for p in PHASES)


def test_lookups_refuse_unknown_codes():
    with pytest.raises(KeyError):
        phase("klaar")
    with pytest.raises(KeyError):
        is_on_its_way("klaar")
    with pytest.raises(KeyError):
        requirements_for("klaar")


def test_next_phase_and_requirements_per_phase():
    assert next_phase("aangemeld") == phase("nulmeting")
    assert next_phase("werklandschap") is None
    assert requirements_for("aangemeld") == ()
    assert sum(len(requirements_for(c)) for c in PHASE_CODES) == len(REQUIREMENTS)


@pytest.mark.parametrize(
    "bad",
    [{"indicator_values": -1}, {"milestones": -1}, {"measures_started": -2},
     {"themes_with_baseline": 8}, {"themes_with_ambition": -1}, {"themes_with_realised": 9},
     {"theme_levels": {"ruimte": 2}}, {"theme_levels": {"water": 5}},
     {"theme_levels": {"water": -1}}],
)
def test_impossible_facts_are_refused(bad):
    with pytest.raises(ValueError):
        ParkFacts(**bad)


def test_missing_themes_count_as_level_zero():
    facts = replace(facts_for("werklandschap"),
                    theme_levels={c: 4 for c in THEME_CODES[:6]})
    assert determine_phase(facts).phase == "uitvoering"
