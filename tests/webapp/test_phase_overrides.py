"""A coordinator's phase override: set with a reason and lifted, logged in the audit log and
kept as history, respected by the page, the API and today's snapshot; nobody else may set it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import count, in_db
from tests.webapp import roadmap_helpers as rh
from tests.webapp import theme_helpers as th
from webapp.models import AuditEntry, Park, PhaseOverride
from webapp.services import phase_overrides
from webapp.services.phases import override_history
from webapp.services.themes import today_amsterdam

world = th.world
API = rh.API


def override_url(park) -> str:
    return f"{API}/parks/{park.slug}/phase-override"


def audit_rows(app) -> list[tuple]:
    return in_db(app, lambda s: [(e.action, e.after, e.user_id) for e in s.scalars(
        select(AuditEntry).where(AuditEntry.entity == "phase_override")
        .order_by(AuditEntry.id))])


def test_override_set_and_lifted_through_the_api(app, client, world):
    park, coordinator = world.open_park, world.coordinator
    headers = rh.bearer(app, coordinator)
    response = client.put(override_url(park), headers=headers,
                          json={"phase": "uitvoering", "reason": "Loopt al jaren"})
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert (body["phase"], body["computed_phase"], body["overridden"], body["on_its_way"]) == (
        "uitvoering", "aangemeld", True, True)
    assert body["override"]["reason"] == "Loopt al jaren"
    assert body["override"]["created_by_id"] == coordinator.id
    snapshot = rh.snapshots(app, park.id)
    assert snapshot == [(park.id, today_amsterdam(), "uitvoering", "aangemeld", True, True,
                         snapshot[0][6])]

    lifted = client.delete(override_url(park), headers=headers)
    assert lifted.status_code == 200
    assert (lifted.get_json()["phase"], lifted.get_json()["overridden"]) == ("aangemeld", False)
    assert rh.snapshots(app, park.id)[0][2:6] == ("aangemeld", "aangemeld", False, False)
    assert client.delete(override_url(park), headers=headers).status_code == 404

    actions = audit_rows(app)
    assert [a for a, _, _ in actions] == ["create", "update"]
    assert actions[0][1]["phase"] == "uitvoering" and actions[0][2] == coordinator.id
    assert actions[1][1]["cleared_by_id"] == coordinator.id
    history = client.get(f"{API}/parks/{park.slug}/roadmap", headers=headers).get_json()
    assert [(o["phase"], o["active"]) for o in history["overrides"]] == [("uitvoering", False)]


def test_a_new_override_lifts_the_active_one(app, client, world):
    headers = rh.bearer(app, world.admin)
    for phase in ("nulmeting", "roadmap"):
        assert client.put(override_url(world.open_park), headers=headers, json={
            "phase": phase, "reason": f"Naar {phase}"}).status_code == 200
    rows = in_db(app, lambda s: [(o.phase, o.cleared_at is None) for o in s.scalars(
        select(PhaseOverride).order_by(PhaseOverride.id))])
    assert rows == [("nulmeting", False), ("roadmap", True)]


@pytest.mark.parametrize(("body", "field"), [
    ({"phase": "uitvoering", "reason": ""}, "reason"),
    ({"phase": "uitvoering", "reason": "   "}, "reason"),
    ({"phase": "uitvoering"}, "reason"),
    ({"phase": "klaar", "reason": "Waarom niet"}, "phase"),
    ({"reason": "Waarom niet"}, "phase"),
    ({"phase": "uitvoering", "reason": "x" * 2001}, "reason"),
    ({"phase": "uitvoering", "reason": "ok", "by": "mij"}, "by"),
])
def test_an_override_needs_a_phase_and_a_reason(app, client, world, body, field):
    response = client.put(override_url(world.open_park), headers=rh.bearer(app, world.admin),
                          json=body)
    assert response.status_code == 400
    assert field in response.get_json()["error"]["fields"]
    assert count(app, PhaseOverride) == 0


# Who may set an override of the open park: coordinators and admins; 403 for others who see
# it in full, 404 for those who do not.
API_STATUS = {"coordinator": 200, "admin": 200, "manager": 403, "member": 403,
              "other_manager": 404}


@pytest.mark.parametrize(("who", "status"), sorted(API_STATUS.items()))
def test_only_coordinators_override_through_the_api(app, client, world, who, status):
    headers = rh.bearer(app, getattr(world, who))
    response = client.put(override_url(world.open_park), headers=headers,
                          json={"phase": "roadmap", "reason": "Besloten"})
    assert response.status_code == status
    assert client.delete(override_url(world.open_park), headers=headers).status_code == status
    assert count(app, PhaseOverride) == (1 if status == 200 else 0)


def test_anonymous_callers_cannot_override(app, client, world):
    response = client.put(override_url(world.open_park), json={"phase": "roadmap",
                                                                "reason": "x"})
    assert response.status_code == 401


PAGE_STATUS = {"coordinator": 302, "admin": 302, "manager": 403, "member": 403,
               "other_manager": 404}


@pytest.mark.parametrize(("who", "status"), sorted(PAGE_STATUS.items()))
def test_only_coordinators_see_and_use_the_override_form(app, client, login, world, who,
                                                         status):
    login(getattr(world, who))
    slug = world.open_park.slug
    page = client.get(f"/parks/{slug}/roadmap")
    assert page.status_code == (404 if status == 404 else 200)
    assert (f"/parks/{slug}/roadmap/override" in page.get_data(as_text=True)) == (status == 302)
    response = client.post(f"/parks/{slug}/roadmap/override",
                           data={"phase": "roadmap", "reason": "Besloten"})
    assert response.status_code == status
    assert count(app, PhaseOverride) == (1 if status == 302 else 0)


def test_the_page_shows_the_override_and_the_rules_phase(app, client, login, world):
    th.english(client)
    login(world.coordinator)
    slug = world.open_park.slug
    response = client.post(f"/parks/{slug}/roadmap/override",
                           data={"phase": "werklandschap", "reason": "Voorbeeld <b>terrein</b>"})
    assert response.status_code == 302
    html = client.get(f"/parks/{slug}/roadmap").get_data(as_text=True)
    assert 'data-override="werklandschap"' in html
    assert "Voorbeeld &lt;b&gt;terrein&lt;/b&gt;" in html
    assert world.coordinator.name in html
    assert 'data-phase="werklandschap" aria-current="step"' in html
    assert "phase-computed" in html and "by the rule" in html
    assert client.post(f"/parks/{slug}/roadmap/override/clear").status_code == 302
    html = client.get(f"/parks/{slug}/roadmap").get_data(as_text=True)
    assert "data-override=" not in html and "data-override-id=" in html
    assert 'data-phase="aangemeld" aria-current="step"' in html


def test_the_override_form_names_the_missing_fields(app, client, login, world):
    th.english(client)
    login(world.coordinator)
    response = client.post(f"/parks/{world.open_park.slug}/roadmap/override",
                           data={"phase": "", "reason": " "})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Phase is required." in html and "Reason is required." in html
    assert count(app, PhaseOverride) == 0


def test_override_history_survives_on_the_park(app, world):
    def work(session_db):
        park = session_db.get(Park, world.open_park.id)
        phase_overrides.set_override(session_db, park, "roadmap", "Eerst", None)
        phase_overrides.clear_override(session_db, park, None)
        phase_overrides.set_override(session_db, park, "nulmeting", "Daarna", None)
        return [(o.reason, o.cleared_at is None) for o in override_history(session_db, park)]

    assert in_db(app, work) == [("Daarna", True), ("Eerst", False)]
