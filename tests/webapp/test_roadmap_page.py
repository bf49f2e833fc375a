"""The park roadmap page: who sees it, the phase path with its checks, the plan form, the empty
states, the milestone timeline and the measures per theme and year."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from tests.conftest import count, in_db
from tests.webapp import roadmap_helpers as rh
from tests.webapp import theme_helpers as th
from webapp.models import Measure, Park, ParkRoadmap
from webapp.services import roadmaps as roadmap_service

world = th.world
PARKS = ("open_park", "closed_park", "quiet_park")
# Who sees which park's roadmap: those who see the park in full.
SEES = {"anonymous": set(), "manager": {"open_park"}, "member": {"open_park"},
        "other_manager": {"closed_park"}, "coordinator": set(PARKS), "admin": set(PARKS)}
EDITS = {"manager": {"open_park"}, "member": set(), "other_manager": {"closed_park"},
         "coordinator": set(PARKS), "admin": set(PARKS)}


def page(client, park) -> str:
    response = client.get(f"/parks/{park.slug}/roadmap")
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


@pytest.mark.parametrize("who", sorted(SEES))
def test_the_roadmap_is_for_full_viewers_only(client, login, world, who):
    if who != "anonymous":
        login(getattr(world, who))
    for name in PARKS:
        park = getattr(world, name)
        for suffix in ("roadmap", "roadmap/milestones.csv", "roadmap/plan.xlsx"):
            status = client.get(f"/parks/{park.slug}/{suffix}").status_code
            assert status == (200 if name in SEES[who] else 404), (who, name, suffix)


@pytest.mark.parametrize("who", sorted(EDITS))
def test_only_editors_reach_the_forms(client, login, world, who):
    login(getattr(world, who))
    for name in PARKS:
        park = getattr(world, name)
        for suffix in ("roadmap/edit", "roadmap/milestones/new"):
            status = client.get(f"/parks/{park.slug}/{suffix}").status_code
            assert status == (200 if name in EDITS[who] else 404), (who, name, suffix)
        assert client.post(f"/parks/{park.slug}/roadmap/plan", data={}).status_code == (
            400 if name in EDITS[who] else 404)


def test_an_empty_roadmap_says_what_is_missing(client, login, world):
    th.english(client)
    login(world.manager)
    html = page(client, world.open_park)
    assert 'class="subnav"' in html and 'aria-current="page">Roadmap</a>' in html
    assert "This park has no roadmap yet." in html
    assert "No milestones yet." in html and "No measures in the plan yet." in html
    assert 'data-phase="aangemeld" aria-current="step"' in html
    assert re.search(r'class="missing" data-check="baseline"[^>]*>.*0 of 7 themes', html)
    assert "milestone-timeline" not in html


def test_the_phase_path_shows_met_and_missing_checks(app, client, login, world):
    in_db(app, lambda s: rh.build_to(s, s.get(Park, world.open_park.id), "roadmap"))
    th.english(client)
    login(world.member)
    html = page(client, world.open_park)
    assert 'data-phase="roadmap" aria-current="step"' in html
    for key in ("baseline", "indicator_values", "ambition", "roadmap_adopted", "milestones"):
        assert f'class="met" data-check="{key}"' in html, key
    assert 'class="missing" data-check="measures_started"' in html
    assert "Missing for the next phase (In progress)" in html
    assert "On its way" in html
    # A member sees the page but no edit controls.
    assert "/roadmap/edit" not in html and "/roadmap/plan" not in html


def test_the_plan_form_saves_and_shows_the_roadmap(app, client, login, world):
    th.english(client)
    login(world.manager)
    slug = world.open_park.slug
    response = client.post(f"/parks/{slug}/roadmap/edit", data={
        "vision": "Een groen terrein", "adopted_on": "01-03-2025", "target_year": "2030",
        "notes": ""})
    assert response.status_code == 302
    stored = in_db(app, lambda s: roadmap_service.get_roadmap(s, s.get(Park,
                                                                         world.open_park.id)))
    assert (stored.vision, stored.adopted_on, stored.target_year) == (
        "Een groen terrein", date(2025, 3, 1), 2030)
    html = page(client, world.open_park)
    assert "Een groen terrein" in html and "March 1, 2025" in html


BAD_ROADMAP = [
    ({"adopted_on": "gisteren"}, "adopted_on", "Adopted on: use a date like 2025-03-31."),
    ({"adopted_on": "2999-01-01"}, "adopted_on", "Adopted on cannot lie in the future."),
    ({"adopted_on": "1899-01-01"}, "adopted_on", "Adopted on must lie between 2000 and 2100."),
    ({"target_year": "2020"}, "target_year", "Target year must be at least 2024."),
    ({"target_year": "2030,5"}, "target_year", "Target year must be a whole number."),
    ({"vision": "x" * 5001}, "vision", "Vision may be at most 5000 characters."),
]


@pytest.mark.parametrize(("changes", "field", "message"), BAD_ROADMAP)
def test_bad_plan_input_is_refused_naming_the_field(app, client, login, world, changes, field,
                                                    message):
    th.english(client)
    login(world.manager)
    response = client.post(f"/parks/{world.open_park.slug}/roadmap/edit",
                           data={"vision": "", "adopted_on": "", "target_year": "",
                                 "notes": "", **changes})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="{field}-error"' in html and message in html
    assert count(app, ParkRoadmap) == 0


def test_the_measure_plan_counts_per_theme_and_year(app, client, login, world):
    park = world.open_park

    def build(session_db):
        db_park = session_db.get(Park, park.id)
        rh.add_measure(session_db, db_park, "gepland", theme="water", title="Wadi",
                       start_date=date(2026, 4, 1))
        rh.add_measure(session_db, db_park, "idee", theme="water", title="Groen dak")
        rh.add_measure(session_db, db_park, "idee", theme="energie", title="Batterij")
        stopped = rh.add_measure(session_db, db_park, "gepland", theme="energie",
                                 title="Gestopt project", start_date=date(2026, 1, 1))
        stopped.status = "gestopt"
        return list(session_db.scalars(select(Measure.id).order_by(Measure.id)))

    ids = in_db(app, build)
    login(world.manager)
    response = client.post(f"/parks/{park.slug}/roadmap/plan",
                           data={"measure_id": str(ids[1]), "planned_year": "2027"})
    assert response.status_code == 302
    plan = in_db(app, lambda s: roadmap_service.measure_plan(s, s.get(Park, park.id)))
    assert plan.years == [2026, 2027] and plan.total == 3 and plan.unplanned == 1
    assert [m.title for m in plan.cell("water", 2026)] == ["Wadi"]
    assert [m.title for m in plan.cell("water", 2027)] == ["Groen dak"]
    assert [m.title for m in plan.cell("energie", None)] == ["Batterij"]
    html = page(client, park)
    row = re.search(r'<tr data-theme="water">(.*?)</tr>', html, re.S).group(1)
    assert f"/measures/{ids[0]}" in row and f"/measures/{ids[1]}" in row
    assert "Gestopt project" not in html


@pytest.mark.parametrize(("data", "field"), [
    ({"measure_id": "", "planned_year": "2027"}, "measure_id"),
    ({"measure_id": "OTHER", "planned_year": "2027"}, "measure_id"),
    ({"measure_id": "OWN", "planned_year": "1999"}, "planned_year"),
    ({"measure_id": "OWN", "planned_year": "volgend jaar"}, "planned_year"),
])
def test_bad_plan_years_are_refused(app, client, login, world, data, field):
    own = th.add_measure(app, world.open_park, title="Eigen")
    other = th.add_measure(app, world.closed_park, title="Vreemd")
    data = {**data, "measure_id": {"OWN": str(own), "OTHER": str(other)}.get(
        data["measure_id"], data["measure_id"])}
    login(world.manager)
    response = client.post(f"/parks/{world.open_park.slug}/roadmap/plan", data=data)
    assert response.status_code == 400
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    planned = in_db(app, lambda s: [s.get(Measure, i).planned_year for i in (own, other)])
    assert planned == [None, None]


def test_element_ids_are_unique_so_labels_find_their_fields(app, client, login, world):
    in_db(app, lambda s: rh.build_to(s, s.get(Park, world.open_park.id), "uitvoering"))
    login(world.coordinator)
    html = page(client, world.open_park)
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    for target in re.findall(r'<label for="([^"]+)"', html):
        assert target in ids, target
