"""A park's phase from its stored data: every phase is reachable, the checks say what is met and
what is missing, and the maturity levels are the theme compass's own."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

import themes
from roadmap.phases import PHASE_CODES
from tests.conftest import in_db
from tests.webapp import roadmap_helpers as rh
from webapp.models import IndicatorValue, Park
from webapp.services import phases as phase_service
from webapp.services.measures import change_status
from webapp.services.themes import park_assessments, update_profiles


def phase_of(app, park: Park) -> phase_service.ParkPhase:
    return in_db(app, lambda s: phase_service.current_phase(s, s.get(Park, park.id)))


@pytest.mark.parametrize("phase", PHASE_CODES)
def test_each_phase_is_reached_from_the_data(app, make_park, phase):
    park = make_park()
    in_db(app, lambda s: rh.build_to(s, s.get(Park, park.id), phase))
    result = phase_of(app, park)
    assert (result.phase, result.computed_phase, result.overridden) == (phase, phase, False)
    order = PHASE_CODES.index(phase)
    for check in result.result.checks:
        if PHASE_CODES.index(check.phase) <= order:
            assert check.met, check
    assert all(not c.met for c in result.result.missing)
    following = PHASE_CODES[order + 1] if order + 1 < len(PHASE_CODES) else None
    assert {c.phase for c in result.result.missing} == ({following} if following else set())


def test_an_empty_park_is_registered_and_lacks_the_baseline(app, make_park):
    result = phase_of(app, make_park())
    assert result.phase == "aangemeld" and not result.on_its_way
    assert {c.key for c in result.result.missing} == {"baseline", "indicator_values"}
    facts = result.facts
    assert (facts.themes_with_baseline, facts.indicator_values, facts.milestones) == (0, 0, 0)


def test_missing_checks_carry_the_parks_figures(app, make_park):
    park = make_park()

    def six_themes(session_db):
        db_park = session_db.get(Park, park.id)
        rh.add_baseline(session_db, db_park, values=3)
        update_profiles(session_db, db_park, {"energie": {"baseline_year": None}})

    in_db(app, six_themes)
    result = phase_of(app, park)
    labels = {c.key: c.label_en for c in result.result.missing}
    assert labels == {"baseline": "baseline for 6 of 7 themes (needed: 7)",
                      "indicator_values": "indicators with a value: 3 (needed: 5)"}


def test_the_rule_is_cumulative(app, make_park):
    """Running measures do not count while the roadmap is missing."""
    park = make_park()

    def build(session_db):
        db_park = session_db.get(Park, park.id)
        rh.add_baseline(session_db, db_park)
        rh.start_measures(session_db, db_park)

    in_db(app, build)
    result = phase_of(app, park)
    assert result.phase == "nulmeting"
    assert {c.key for c in result.result.checks if c.met} >= {
        "measures_started", "measures_realised"}
    assert {c.key for c in result.result.missing} == {"ambition", "roadmap_adopted",
                                                      "milestones"}


def test_an_adoption_counts_from_its_date(app, make_park):
    park = make_park()

    def build(session_db):
        db_park = session_db.get(Park, park.id)
        rh.add_baseline(session_db, db_park)
        rh.add_ambition(session_db, db_park)
        rh.adopt_roadmap(session_db, db_park, adopted_on=date(2025, 3, 1))

    in_db(app, build)
    before = in_db(app, lambda s: phase_service.facts_for(s, [park.id], date(2025, 2, 28)))
    on_the_day = in_db(app, lambda s: phase_service.facts_for(s, [park.id], date(2025, 3, 1)))
    assert not before[park.id].roadmap_adopted and on_the_day[park.id].roadmap_adopted


def test_stopped_and_idea_measures_do_not_count_as_started(app, make_park):
    park = make_park()

    def build(session_db):
        db_park = session_db.get(Park, park.id)
        rh.add_measure(session_db, db_park, "idee")
        stopped = rh.add_measure(session_db, db_park, "gepland")
        change_status(session_db, stopped, "gestopt")
        rh.add_measure(session_db, db_park, "in_uitvoering")

    in_db(app, build)
    facts = phase_of(app, park).facts
    assert (facts.measures_started, facts.measures_realised) == (1, 0)


def test_theme_levels_are_the_compass_levels(app, make_park):
    park = make_park()
    in_db(app, lambda s: rh.make_mature(s, s.get(Park, park.id), level=2))
    facts = phase_of(app, park).facts
    compass = in_db(app, lambda s: park_assessments(s, s.get(Park, park.id)))
    assert dict(facts.theme_levels) == {code: a.level for code, a in compass.items()}
    assert set(facts.theme_levels.values()) == {2}
    assert facts.themes_with_realised == len(themes.THEME_CODES)


def test_bulk_facts_equal_one_park_facts(app, make_park):
    parks = [make_park() for _ in range(3)]
    in_db(app, lambda s: rh.build_to(s, s.get(Park, parks[1].id), "uitvoering"))
    bulk = in_db(app, lambda s: phase_service.current_phases(s))
    for park in parks:
        single = phase_of(app, park)
        assert (bulk[park.id].facts, bulk[park.id].phase) == (single.facts, single.phase)


def _add_values(session_db, park: Park, rows) -> None:
    for n, (code, source) in enumerate(rows):
        session_db.add(IndicatorValue(park_id=park.id, indicator=code, value=10.0 + n,
                                      source=source, is_measured=source == "sensor",
                                      measured_on=date(2025, 1, 1) + timedelta(days=n)))


@pytest.mark.parametrize(("rows", "distinct", "phase"), [
    ([("pm25_ugm3", "sensor")] * 6, 1, "aangemeld"),             # six daily sensor rows
    ([("green_pct", "manual")] * 5, 1, "aangemeld"),             # one indicator, five entries
    ([("green_pct", "manual"), ("green_pct", "sensor"), ("pm25_ugm3", "sensor"),
      ("no2_ugm3", "sensor"), ("unpaved_pct", "manual"), ("unpaved_pct", "manual")],
     4, "aangemeld"),
    ([("green_pct", "manual"), ("pm25_ugm3", "sensor"), ("no2_ugm3", "sensor"),
      ("unpaved_pct", "manual"), ("heat_stress_hours", "sensor")], 5, "nulmeting"),
])
def test_facts_count_distinct_indicators_with_a_value(app, make_park, rows, distinct, phase):
    park = make_park()

    def build(session_db):
        db_park = session_db.get(Park, park.id)
        rh.add_baseline(session_db, db_park, values=0)
        _add_values(session_db, db_park, rows)

    in_db(app, build)
    result = phase_of(app, park)
    assert (result.facts.indicator_values, result.phase) == (distinct, phase)
    facts = in_db(app, lambda s: phase_service.facts_for(s, [park.id])[park.id])
    assert facts.indicator_values == distinct
