"""Shared set-up for the roadmap tests: parks built up to each phase through the services, a
settable clock for the audit log, and readers of the stored snapshots."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import select

import themes
from roadmap.phases import PHASE_CODES
from tests.conftest import in_db
from webapp.models import Measure, MeasureStatusChange, Park, PhaseSnapshot, User
from webapp.security import create_api_token
from webapp.services import measures as measure_service
from webapp.services import roadmaps as roadmap_service
from webapp.services import themes as theme_service

API = "/api/v1"


def bearer(app, user) -> dict[str, str]:
    """An Authorization header with a fresh API token of *user*."""
    token = in_db(app, lambda s: create_api_token(s, s.get(User, user.id), "test"))
    return {"Authorization": f"Bearer {token}"}


def at(day: date, hour: int = 10) -> datetime:
    """A moment on *day* (UTC; 10:00 UTC lies on the same Amsterdam day)."""
    return datetime.combine(day, time(hour), tzinfo=UTC)


@dataclass
class Clock:
    """The time the audit log and the override service write, settable by a test."""

    now: datetime

    def set(self, day: date) -> None:
        self.now = at(day)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """Freeze the moments of audit rows and overrides; tests move the clock with .set(day)."""
    frozen = Clock(at(date(2025, 1, 1)))
    monkeypatch.setattr("webapp.audit.utcnow", lambda: frozen.now)
    monkeypatch.setattr("webapp.services.phase_overrides.utcnow", lambda: frozen.now)
    return frozen


BASELINE_INDICATORS = ("green_pct", "unpaved_pct", "tree_canopy_pct", "vacancy_pct",
                       "car_commute_pct", "material_reuse_pct", "shared_waste_pct")


def add_baseline(session_db, park: Park, values: int = 5) -> None:
    """A baseline year for all seven themes and a value for *values* distinct indicators:
    phase nulmeting."""
    theme_service.update_profiles(session_db, park, {
        code: {"baseline_level": 0, "baseline_year": 2024} for code in themes.THEME_CODES})
    for n in range(values):
        theme_service.add_indicator_value(session_db, park, {
            "indicator": BASELINE_INDICATORS[n], "value": 10 + n,
            "measured_on": date(2024, 6, 1)}, None)


def add_ambition(session_db, park: Park) -> None:
    """An ambition for all seven themes."""
    theme_service.update_profiles(session_db, park, {
        code: {"ambition_level": 3, "ambition_year": 2030} for code in themes.THEME_CODES})


def adopt_roadmap(session_db, park: Park, adopted_on: date = date(2025, 2, 1),
                  milestones: int = 1) -> None:
    """An adopted roadmap with *milestones* milestones."""
    roadmap_service.save_roadmap(session_db, park, {"vision": "Groen en bereikbaar",
                                                    "adopted_on": adopted_on})
    for n in range(milestones):
        roadmap_service.create_milestone(session_db, park, {
            "title": f"Mijlpaal {n + 1}", "due_on": date(2026, 6, 1)})


def add_measure(session_db, park: Park, status: str, theme: str = "energie", **fields) -> Measure:
    """A measure with *status* (its history goes idee -> ... through the service)."""
    measure = measure_service.create_measure(session_db, park, {
        "title": fields.pop("title", f"Maatregel {status}"), "themes": [theme],
        "status": "idee", **fields})
    for step in ("gepland", "in_uitvoering", "gerealiseerd"):
        if measure.status == status:
            break
        measure_service.change_status(session_db, measure, step)
    return measure


def start_measures(session_db, park: Park) -> None:
    """Two measures in progress and one realised: phase uitvoering (with the earlier steps)."""
    add_measure(session_db, park, "in_uitvoering")
    add_measure(session_db, park, "in_uitvoering")
    add_measure(session_db, park, themes.REALISED)


def _thresholds(level: int) -> dict[str, float]:
    """Per indicator the value that meets every indicator criterion up to *level*."""
    values: dict[str, float] = {}
    for crits in themes.CRITERIA.values():
        for crit in crits:
            if crit.kind != "indicator" or crit.level > level:
                continue
            ind = themes.indicator(crit.indicator)
            best = max if ind.direction == "higher" else min
            values[ind.code] = best(values.get(ind.code, crit.threshold), crit.threshold)
    return values


def make_mature(session_db, park: Park, level: int = 3) -> None:
    """Realise measures and record values so that every theme reaches *level*."""
    for code, crits in themes.CRITERIA.items():
        for crit in crits:
            if crit.level > level:
                continue
            if crit.kind == "measures":
                for n in range(crit.count):
                    add_measure(session_db, park, themes.REALISED, theme=code,
                                title=f"{code} {crit.level}.{n}")
            elif crit.kind == "catalogue":
                chosen = themes.catalogue_measure(crit.measure_codes[0])
                add_measure(session_db, park, themes.REALISED, theme=chosen.themes[0],
                            catalogue_code=chosen.code, title=chosen.name_nl)
    for code, value in _thresholds(level).items():
        theme_service.add_indicator_value(session_db, park, {
            "indicator": code, "value": value, "measured_on": date(2025, 6, 1)}, None)


def build_to(session_db, park: Park, phase: str) -> None:
    """Give *park* the data of *phase* (and of every phase before it)."""
    order = PHASE_CODES.index(phase)
    if order >= 1:
        add_baseline(session_db, park)
    if order >= 2:
        add_ambition(session_db, park)
        adopt_roadmap(session_db, park)
    if order >= 3:
        start_measures(session_db, park)
    if order >= 4:
        make_mature(session_db, park)


def snapshots(app, park_id: int | None = None) -> list[tuple]:
    """Every stored snapshot (of one park), as plain tuples ordered by park and day."""

    def read(session_db):
        stmt = select(PhaseSnapshot).order_by(PhaseSnapshot.park_id, PhaseSnapshot.day)
        if park_id is not None:
            stmt = stmt.where(PhaseSnapshot.park_id == park_id)
        return [(s.park_id, s.day, s.phase, s.computed_phase, s.overridden, s.on_its_way,
                 dict(s.theme_levels)) for s in session_db.scalars(stmt)]

    return in_db(app, read)


def set_status_time(session_db, measure: Measure, status: str, moment: datetime) -> None:
    """Date the history step to *status* of *measure* at *moment*."""
    change = session_db.scalar(select(MeasureStatusChange).where(
        MeasureStatusChange.measure_id == measure.id, MeasureStatusChange.to_status == status))
    change.changed_at = moment
