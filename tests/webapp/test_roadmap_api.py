"""API v1 for roadmaps: the same scope as the page, the plan and milestones with the forms'
validation, and the stored phase history."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.conftest import count, in_db
from tests.webapp import roadmap_helpers as rh
from tests.webapp import theme_helpers as th
from webapp.models import Milestone, Park, ParkRoadmap, PhaseSnapshot
from webapp.services.phase_snapshots import take_snapshots

world = th.world
API = rh.API
SEES = {"manager": {"open_park"}, "member": {"open_park"}, "other_manager": {"closed_park"},
        "coordinator": {"open_park", "closed_park", "quiet_park"}}


@pytest.mark.parametrize("who", [*sorted(SEES), "anonymous"])
def test_roadmap_and_history_follow_the_page_scope(app, client, world, who):
    headers = {} if who == "anonymous" else rh.bearer(app, getattr(world, who))
    for name in ("open_park", "closed_park", "quiet_park"):
        park = getattr(world, name)
        for suffix in ("roadmap", "phase-history"):
            status = client.get(f"{API}/parks/{park.slug}/{suffix}", headers=headers)
            assert status.status_code == (200 if name in SEES.get(who, set()) else 404)


def test_the_roadmap_carries_phase_checks_milestones_and_plan(app, client, world):
    park = world.open_park
    in_db(app, lambda s: rh.build_to(s, s.get(Park, park.id), "uitvoering"))
    body = client.get(f"{API}/parks/{park.slug}/roadmap",
                      headers=rh.bearer(app, world.member)).get_json()
    assert body["roadmap"]["adopted_on"] == "2025-02-01"
    phase = body["phase"]
    assert (phase["phase"], phase["next_phase"], phase["on_its_way"]) == (
        "uitvoering", "werklandschap", True)
    assert {c["key"] for c in phase["missing"]} == {"themes_advanced", "themes_under_way"}
    assert all(c["met"] for c in phase["checks"] if c["phase"] != "werklandschap")
    assert phase["facts"]["measures_started"] == 3 and phase["override"] is None
    assert [m["title"] for m in body["milestones"]] == ["Mijlpaal 1"]
    assert body["plan"]["total"] == 3 and body["plan"]["unplanned"] == 3


def test_put_roadmap_replaces_the_plan(app, client, world):
    url = f"{API}/parks/{world.open_park.slug}/roadmap"
    headers = rh.bearer(app, world.manager)
    first = client.put(url, headers=headers, json={"vision": "Groen", "adopted_on": "2025-03-01",
                                                   "target_year": 2030})
    assert first.status_code == 200, first.get_data(as_text=True)
    assert first.get_json()["roadmap"]["target_year"] == 2030
    second = client.put(url, headers=headers, json={"vision": "Blauw"})
    assert second.get_json()["roadmap"] == {"vision": "Blauw", "adopted_on": None,
                                            "target_year": None, "notes": ""}
    assert count(app, ParkRoadmap) == 1


@pytest.mark.parametrize(("body", "field"), [
    ({"adopted_on": "2999-01-01"}, "adopted_on"),
    ({"adopted_on": "1 maart"}, "adopted_on"),
    ({"target_year": 2023}, "target_year"),
    ({"target_year": "veel"}, "target_year"),
    ({"vision": {"text": "a"}}, "vision"),
    ({"colour": "groen"}, "colour"),
])
def test_bad_roadmap_input_names_the_field(app, client, world, body, field):
    response = client.put(f"{API}/parks/{world.open_park.slug}/roadmap",
                          headers=rh.bearer(app, world.manager), json=body)
    assert response.status_code == 400
    assert field in response.get_json()["error"]["fields"]
    assert count(app, ParkRoadmap) == 0


@pytest.mark.parametrize("who", ["member", "other_manager"])
def test_non_editors_cannot_change_the_roadmap(app, client, world, who):
    headers = rh.bearer(app, getattr(world, who))
    slug = world.open_park.slug
    assert client.put(f"{API}/parks/{slug}/roadmap", headers=headers,
                      json={"vision": "x"}).status_code == 404
    assert client.post(f"{API}/parks/{slug}/roadmap/milestones", headers=headers,
                       json={"title": "x", "due_on": "2027-01-01"}).status_code == 404
    assert count(app, ParkRoadmap) + count(app, Milestone) == 0


def test_milestone_crud(app, client, world):
    headers = rh.bearer(app, world.manager)
    base = f"{API}/parks/{world.open_park.slug}/roadmap/milestones"
    created = client.post(base, headers=headers, json={
        "title": "Wadi's aangelegd", "due_on": "2027-06-30", "theme": "water"})
    assert created.status_code == 201, created.get_data(as_text=True)
    body = created.get_json()
    assert created.headers["Location"].endswith(f"{base}/{body['id']}")
    assert (body["theme"], body["phase"], body["done_on"]) == ("water", None, None)
    patched = client.patch(f"{base}/{body['id']}", headers=headers,
                           json={"done_on": "2025-05-01", "phase": "uitvoering"})
    assert patched.status_code == 200
    assert {k: patched.get_json()[k] for k in ("title", "due_on", "done_on", "theme", "phase")} \
        == {"title": "Wadi's aangelegd", "due_on": "2027-06-30", "done_on": "2025-05-01",
            "theme": "water", "phase": "uitvoering"}
    cleared = client.patch(f"{base}/{body['id']}", headers=headers, json={"theme": None})
    assert cleared.get_json()["theme"] is None
    assert client.delete(f"{base}/{body['id']}", headers=headers).status_code == 204
    assert client.delete(f"{base}/{body['id']}", headers=headers).status_code == 404
    assert count(app, Milestone) == 0


@pytest.mark.parametrize(("body", "field"), [
    ({"due_on": "2027-01-01"}, "title"),
    ({"title": "x"}, "due_on"),
    ({"title": "x", "due_on": "2027-02-30"}, "due_on"),
    ({"title": "x", "due_on": "2027-01-01", "done_on": "2999-01-01"}, "done_on"),
    ({"title": "x", "due_on": "2027-01-01", "theme": "ruimte"}, "theme"),
    ({"title": "x", "due_on": "2027-01-01", "phase": "klaar"}, "phase"),
    ({"title": "x", "due_on": "2027-01-01", "owner": "ik"}, "owner"),
])
def test_bad_milestones_are_refused(app, client, world, body, field):
    response = client.post(f"{API}/parks/{world.open_park.slug}/roadmap/milestones",
                           headers=rh.bearer(app, world.manager), json=body)
    assert response.status_code == 400
    assert list(response.get_json()["error"]["fields"]) == [field]
    assert count(app, Milestone) == 0


def test_a_bad_patch_changes_nothing(app, client, world):
    headers = rh.bearer(app, world.manager)
    base = f"{API}/parks/{world.open_park.slug}/roadmap/milestones"
    milestone_id = client.post(base, headers=headers, json={
        "title": "Eerst", "due_on": "2027-01-01"}).get_json()["id"]
    response = client.patch(f"{base}/{milestone_id}", headers=headers,
                            json={"title": "Later", "due_on": "nooit"})
    assert response.status_code == 400
    stored = in_db(app, lambda s: s.get(Milestone, milestone_id))
    assert (stored.title, stored.due_on) == ("Eerst", date(2027, 1, 1))


def test_a_milestone_of_another_park_is_not_found(app, client, world):
    closed = rh.bearer(app, world.other_manager)
    milestone_id = client.post(f"{API}/parks/{world.closed_park.slug}/roadmap/milestones",
                               headers=closed, json={"title": "x", "due_on": "2027-01-01"}
                               ).get_json()["id"]
    url = f"{API}/parks/{world.open_park.slug}/roadmap/milestones/{milestone_id}"
    coordinator = rh.bearer(app, world.coordinator)
    assert client.patch(url, headers=coordinator, json={"title": "y"}).status_code == 404
    assert client.delete(url, headers=coordinator).status_code == 404
    assert in_db(app, lambda s: s.scalar(select(Milestone.title))) == "x"


def test_phase_history_lists_the_stored_days(app, client, world):
    park = world.open_park

    def store(session_db):
        session_db.get(Park, park.id).created_at = rh.at(date(2025, 1, 1))
        take_snapshots(session_db, date(2025, 3, 1), [park.id])
        take_snapshots(session_db, date(2025, 3, 2), [park.id])

    in_db(app, store)
    headers = rh.bearer(app, world.manager)
    url = f"{API}/parks/{park.slug}/phase-history"
    items = client.get(url, headers=headers).get_json()["items"]
    assert [i["day"] for i in items] == ["2025-03-01", "2025-03-02"]
    assert items[0]["phase"] == "aangemeld" and items[0]["on_its_way"] is False
    assert len(items[0]["theme_levels"]) == 7
    one = client.get(f"{url}?from=2025-03-02&to=2025-03-02", headers=headers).get_json()
    assert [i["day"] for i in one["items"]] == ["2025-03-02"]
    assert client.get(f"{url}?from=maart", headers=headers).status_code == 400
    assert count(app, PhaseSnapshot) == 2
