"""Demo theme data: believable for every seeded park, the same on every run, and added once."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select

import themes
from tests.conftest import in_db
from webapp.models import (
    Experiment,
    IndicatorValue,
    Measure,
    MeasureStatusChange,
    Park,
    ThemeProfile,
)
from webapp.services import seeding
from webapp.services.theme_seeding import seed_themes
from webapp.services.themes import park_compass

MODELS = (Measure, MeasureStatusChange, Experiment, IndicatorValue, ThemeProfile)


def counts(session_db) -> dict[str, int]:
    return {m.__name__: session_db.scalar(select(func.count()).select_from(m)) for m in MODELS}


def fingerprint(session_db) -> list[tuple]:
    """What the seed produced, independent of row ids."""
    rows = session_db.execute(
        select(Park.slug, Measure.title, Measure.status, Measure.cost_eur,
               Measure.funding_source, Measure.start_date)
        .join(Park, Park.id == Measure.park_id).order_by(Park.slug, Measure.title))
    values = session_db.execute(
        select(Park.slug, IndicatorValue.indicator, IndicatorValue.value,
               IndicatorValue.measured_on).join(Park, Park.id == IndicatorValue.park_id)
        .order_by(Park.slug, IndicatorValue.indicator, IndicatorValue.measured_on))
    return [tuple(r) for r in rows] + [tuple(v) for v in values]


def seed(session_db) -> int:
    seeding.seed_parks(session_db)
    return seed_themes(session_db, list(session_db.scalars(select(Park))))


@pytest.fixture
def seeded(app):
    """The demo parks with their theme data; returns the number of measures added."""
    return in_db(app, seed)


def test_seeding_twice_adds_nothing(app, seeded):
    assert seeded > 100
    before = in_db(app, counts)
    assert in_db(app, lambda s: seed_themes(s, list(s.scalars(select(Park))))) == 0
    assert in_db(app, counts) == before


def test_seeding_is_deterministic(app, seeded):
    first = in_db(app, fingerprint)
    in_db(app, lambda s: [s.delete(p) for p in s.scalars(select(Park))])
    in_db(app, seed)
    assert in_db(app, fingerprint) == first


def test_every_park_has_a_profile_values_and_measures(app, seeded):
    def check(session_db):
        parks = list(session_db.scalars(select(Park)))
        for park in parks:
            profiles = session_db.scalars(select(ThemeProfile).where(
                ThemeProfile.park_id == park.id)).all()
            assert {p.theme for p in profiles} == set(themes.THEME_CODES), park.slug
            for p in profiles:
                assert 0 <= p.baseline_level <= 4 and p.ambition_level >= p.baseline_level
                assert 2027 <= p.ambition_year <= 2035
            assert session_db.scalar(select(func.count()).select_from(Measure).where(
                Measure.park_id == park.id)) >= 1, park.slug
        return len(parks)

    assert in_db(app, check) >= 40


def test_measures_are_a_believable_mix(app, seeded):
    def read(session_db):
        measures = list(session_db.scalars(select(Measure)))
        statuses = Counter(m.status for m in measures)
        funding = {m.funding_source for m in measures}
        own = sum(1 for m in measures if m.catalogue_code is None)
        adopted = [m for m in measures if m.adopted_from_id]
        experiments = list(session_db.scalars(select(Experiment)))
        return statuses, funding, own, adopted, experiments, measures

    statuses, funding, own, adopted, experiments, measures = in_db(app, read)
    assert set(statuses) == set(themes.MEASURE_STATUSES)
    assert statuses["gerealiseerd"] > statuses["gestopt"]
    assert {"SDE++", "BIZ-fonds", "Provinciale subsidie", "Eigen investering"} <= funding
    assert own >= 5
    assert len(adopted) >= 3
    assert len(experiments) >= 5
    closed = [e for e in experiments if e.outcome]
    assert closed and all(e.results and e.lessons for e in closed)
    assert all(e.hypothesis for e in experiments)


def test_history_matches_status_and_is_in_order(app, seeded):
    def read(session_db):
        for measure in session_db.scalars(select(Measure)):
            history = measure.status_changes
            assert history[0].from_status is None
            assert history[-1].to_status == measure.status, measure.title
            moments = [c.changed_at for c in history]
            assert moments == sorted(moments) and len(set(moments)) == len(moments)
            if measure.start_date and measure.end_date:
                assert measure.start_date <= measure.end_date

    in_db(app, read)


def test_showcase_park_reads_true_to_life(app, seeded):
    def read(session_db):
        park = session_db.scalar(select(Park).where(Park.slug == "hessenpoort"))
        return {s.theme.code: (s.baseline, s.current, s.ambition)
                for s in park_compass(session_db, park)}

    compass = in_db(app, read)
    assert compass["energie"][1] >= 2 and compass["water"][1] >= 2
    assert all(baseline <= current for baseline, current, _ in compass.values())
    assert sum(current for _, current, _ in compass.values()) >= 7
