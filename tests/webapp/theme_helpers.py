"""Shared set-up for the tests of the themes area: parks in every visibility, users, measures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import select

from tests.conftest import in_db
from webapp.models import Company, Measure, Park, User
from webapp.services import experiments as experiment_service
from webapp.services import measures as measure_service
from webapp.services import themes as theme_service

# A whole measure form as a browser posts it.
VALID_MEASURE = {
    "catalogue_code": "", "title": "Wadi langs de Hessenweg",
    "description": "Regenwater infiltreert",
    "themes": ["water", "natuur"], "status": "gepland", "start_date": "2025-03-01",
    "end_date": "2025-10-31", "cost_eur": "48500,50", "funding_source": "Waterschapssubsidie",
    "lead_company_id": "", "partners": "Waterschap Drents Overijsselse Delta",
    "expected_effect": "300 m³ berging", "measured_effect": "",
    "evidence_links": "https://example.org/wadi\nhttp://example.org/foto",
}
VALID_EXPERIMENT = {
    "hypothesis": "Een wadi houdt de straat droog bij 60 mm regen.",
    "indicator": "retention_m3_per_ha", "knowledge_partners": "Hogeschool Windesheim",
    "start_date": "2025-04-01", "end_date": "2026-04-01", "outcome": "", "results": "",
    "lessons": "",
}


@dataclass
class World:
    """Parks in every visibility and a user of every role."""

    open_park: Park        # public, publishes themes and measures
    closed_park: Park      # not public
    quiet_park: Park       # public, publishes neither themes nor measures
    company: Company       # member company on open_park
    other_company: Company  # on closed_park
    manager: User          # manages open_park
    other_manager: User    # manages closed_park
    member: User           # works at company (open_park)
    coordinator: User
    admin: User


@pytest.fixture
def world(make_park, make_user, make_company) -> World:
    open_park = make_park(name="Open Terrein", public_fields=["description", "themes",
                                                               "measures"])
    closed_park = make_park(name="Gesloten Terrein", is_public=False, public_fields=[])
    quiet_park = make_park(name="Stil Terrein", public_fields=["description"])
    company = make_company(open_park, name="Groen B.V.")
    other_company = make_company(closed_park, name="Grijs B.V.")
    return World(
        open_park, closed_park, quiet_park, company, other_company,
        manager=make_user("park_manager", parks=[open_park]),
        other_manager=make_user("park_manager", parks=[closed_park]),
        member=make_user("member", company=company),
        coordinator=make_user("coordinator"),
        admin=make_user("admin"),
    )


def add_measure(app, park: Park, **fields) -> int:
    """Log a measure on *park* through the service; returns its id."""
    data = {"title": "Zonnepanelen op de fietsenstalling", "themes": ["energie"],
            "status": "idee", **fields}

    def work(session_db):
        measure = measure_service.create_measure(session_db, session_db.get(Park, park.id),
                                                 data)
        return measure.id

    return in_db(app, work)


def add_experiment(app, measure_id: int, **fields) -> None:
    """Attach an experiment to a measure."""
    data = {**VALID_EXPERIMENT, "start_date": date(2025, 4, 1), "end_date": date(2026, 4, 1),
            **fields}
    in_db(app, lambda s: experiment_service.save_experiment(s, s.get(Measure, measure_id), data))


def add_value(app, park: Park, indicator: str, value: float, on: date | None = None) -> None:
    """Record an indicator value for *park*."""
    in_db(app, lambda s: theme_service.add_indicator_value(
        s, s.get(Park, park.id), {"indicator": indicator, "value": value,
                                  "measured_on": on or date(2025, 1, 1)}, None))


def measure_state(app, measure_id: int) -> dict:
    """A measure's columns, themes, history and experiment, read fresh."""

    def read(session_db):
        m = session_db.get(Measure, measure_id)
        return {"title": m.title, "status": m.status, "themes": m.themes,
                "cost_eur": m.cost_eur, "evidence_links": list(m.evidence_links),
                "lead_company_id": m.lead_company_id, "start_date": m.start_date,
                "end_date": m.end_date, "adopted_from_id": m.adopted_from_id,
                "park_id": m.park_id, "catalogue_code": m.catalogue_code,
                "history": [(c.from_status, c.to_status, c.changed_by_id)
                            for c in m.status_changes],
                "experiment": experiment_service.experiment_to_dict(m.experiment)}

    return in_db(app, read)


def measures_of(app, park: Park) -> list[int]:
    """Ids of the measures of *park*."""
    return in_db(app, lambda s: list(s.scalars(
        select(Measure.id).where(Measure.park_id == park.id).order_by(Measure.id))))


def english(client) -> None:
    """Switch the test client's interface to English (tests compare the English source text)."""
    assert client.post("/lang/en").status_code == 302
