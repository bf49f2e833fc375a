"""Demo roadmaps: every seeded park gets a plan and milestones, the backfilled history rises
believably over 2024-2026, and seeding twice adds nothing."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import func, select

from tests.conftest import in_db
from tests.webapp import roadmap_helpers as rh
from webapp.models import AuditEntry, Measure, Milestone, Park, ParkRoadmap, PhaseSnapshot
from webapp.services import seeding
from webapp.services.phase_replay import amsterdam_day
from webapp.services.roadmap_seeding import seed_roadmaps, timeline
from webapp.services.theme_seeding import seed_themes
from webapp.services.themes import today_amsterdam

MODELS = (ParkRoadmap, Milestone, PhaseSnapshot, AuditEntry)


def counts(session_db) -> dict[str, int]:
    return {m.__name__: session_db.scalar(select(func.count()).select_from(m)) for m in MODELS}


def seed(session_db) -> int:
    seeding.seed_parks(session_db)
    parks = list(session_db.scalars(select(Park)))
    seed_themes(session_db, parks)
    return seed_roadmaps(session_db, parks)


@pytest.fixture
def seeded(app) -> int:
    return in_db(app, seed)


def test_seeding_twice_adds_nothing(app, seeded):
    assert seeded == in_db(app, lambda s: s.scalar(select(func.count()).select_from(Park)))
    before, rows = in_db(app, counts), rh.snapshots(app)
    assert in_db(app, lambda s: seed_roadmaps(s, list(s.scalars(select(Park))))) == 0
    assert in_db(app, counts) == before
    assert rh.snapshots(app) == rows


def on_its_way(app) -> dict[date, int]:
    def read(session_db):
        rows = session_db.execute(select(PhaseSnapshot.day, PhaseSnapshot.on_its_way))
        total: Counter = Counter()
        for day, flag in rows:
            total[day] += int(flag)
        return dict(total)

    return in_db(app, read)


def test_the_history_rises_over_the_programme(app, seeded):
    line = on_its_way(app)
    assert min(line) < date(2024, 3, 1) and max(line) == today_amsterdam()
    samples = [line[date(2024, 6, 1)], line[date(2025, 6, 1)], line[date(2026, 6, 1)],
               line[today_amsterdam()]]
    assert samples == sorted(samples) and samples[0] < samples[2] and samples[-1] >= 10
    assert samples[-1] < seeded  # not every park is on its way
    days = sorted(line)
    assert len(days) == (days[-1] - days[0]).days + 1  # no gaps


def test_every_park_has_a_plan_milestones_and_planned_years(app, seeded):
    def check(session_db):
        for park in session_db.scalars(select(Park)):
            roadmap = session_db.scalar(select(ParkRoadmap).where(ParkRoadmap.park_id == park.id))
            assert roadmap.vision and roadmap.target_year in (2030, 2032), park.slug
            assert roadmap.adopted_on is None or roadmap.adopted_on < today_amsterdam()
            due = list(session_db.scalars(select(Milestone.due_on).where(
                Milestone.park_id == park.id)))
            assert len(due) >= 5
        unplanned_ideas = session_db.scalar(select(func.count()).select_from(Measure).where(
            Measure.status == "idee", Measure.start_date.is_(None),
            Measure.planned_year.is_(None)))
        assert unplanned_ideas == 0

    in_db(app, check)


def test_seeded_facts_carry_historical_dates(app, seeded):
    def check(session_db):
        created = session_db.scalars(select(AuditEntry.at).where(
            AuditEntry.entity == "park_roadmap", AuditEntry.action == "create"))
        years = Counter(moment.year for moment in created)
        assert set(years) <= {2024, 2025, 2026} and len(years) >= 2
        for park in session_db.scalars(select(Park)):
            line = timeline(park, random.Random(f"werklandschap-roadmap:{park.slug}"))
            assert amsterdam_day(park.created_at) == line.joined, park.slug

    in_db(app, check)
