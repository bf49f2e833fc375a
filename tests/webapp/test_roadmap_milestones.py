"""Milestones on the page: add, edit, mark done, remove; bad input refused whole and named; the
timeline chart; downloads as CSV and Excel."""

from __future__ import annotations

import io
import json
import re
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from tests.conftest import PASSWORD, count, csrf_token_from, in_db
from tests.webapp import theme_helpers as th
from webapp.models import AuditEntry, Milestone
from webapp.services.themes import today_amsterdam

world = th.world
VALID = {"title": "Collectief energiecontract", "description": "Eén groepscontract",
         "due_on": "2027-06-30", "done_on": "", "theme": "energie", "phase": ""}


def milestones(app) -> list[tuple]:
    return in_db(app, lambda s: [(m.title, m.due_on, m.done_on, m.theme, m.phase) for m in
                                 s.scalars(select(Milestone).order_by(Milestone.id))])


def add(client, park, **changes):
    return client.post(f"/parks/{park.slug}/roadmap/milestones/new", data={**VALID, **changes})


def test_add_edit_mark_done_and_remove(app, client, login, world):
    login(world.manager)
    park = world.open_park
    assert add(client, park).status_code == 302
    assert milestones(app) == [("Collectief energiecontract", date(2027, 6, 30), None,
                                "energie", None)]
    milestone_id = in_db(app, lambda s: s.scalar(select(Milestone.id)))
    base = f"/parks/{park.slug}/roadmap/milestones/{milestone_id}"
    response = client.post(f"{base}/edit", data={**VALID, "due_on": "31-12-2026", "theme": "",
                                                 "phase": "uitvoering"})
    assert response.status_code == 302
    assert milestones(app)[0][1:] == (date(2026, 12, 31), None, None, "uitvoering")
    assert client.post(f"{base}/done").status_code == 302
    assert milestones(app)[0][2] == today_amsterdam()
    assert client.post(f"{base}/delete").status_code == 302
    assert milestones(app) == []
    actions = in_db(app, lambda s: list(s.scalars(select(AuditEntry.action).where(
        AuditEntry.entity == "milestone").order_by(AuditEntry.id))))
    assert actions == ["create", "update", "update", "delete"]


def test_the_edit_form_shows_the_stored_values(app, client, login, world):
    login(world.manager)
    add(client, world.open_park, phase="roadmap")
    milestone_id = in_db(app, lambda s: s.scalar(select(Milestone.id)))
    html = client.get(f"/parks/{world.open_park.slug}/roadmap/milestones/{milestone_id}/edit"
                      ).get_data(as_text=True)
    assert 'value="2027-06-30"' in html
    assert re.search(r'<option selected value="energie">|<option value="energie" selected',
                     html)
    assert re.search(r'<option selected value="roadmap">|<option value="roadmap" selected', html)


TOMORROW = (today_amsterdam() + timedelta(days=1)).isoformat()
BAD_MILESTONE = [
    ({"title": ""}, "title", "Title is required."),
    ({"title": "x" * 201}, "title", "Title may be at most 200 characters."),
    ({"due_on": ""}, "due_on", "Due date is required."),
    ({"due_on": "30-02-2027"}, "due_on", "Due date: use a date like 2025-03-31."),
    ({"due_on": "volgende week"}, "due_on", "Due date: use a date like 2025-03-31."),
    ({"due_on": "2101-01-01"}, "due_on", "Due date must lie between 2000 and 2100."),
    ({"done_on": TOMORROW}, "done_on", "Done on cannot lie in the future."),
    ({"done_on": "2025-13-01"}, "done_on", "Done on: use a date like 2025-03-31."),
    ({"theme": "ruimte"}, "theme", "Theme: choose one of the options."),
    ({"phase": "klaar"}, "phase", "Phase: choose one of the options."),
]


@pytest.mark.parametrize(("changes", "field", "message"), BAD_MILESTONE)
def test_bad_milestones_are_refused_naming_the_field(app, client, login, world, changes, field,
                                                     message):
    th.english(client)
    login(world.manager)
    response = add(client, world.open_park, **changes)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'href="#{field}"' in html and f'id="{field}-error"' in html
    assert message in html
    assert count(app, Milestone) == 0


def test_a_milestone_of_another_park_is_not_found(app, client, login, world):
    login(world.other_manager)
    add(client, world.closed_park)
    milestone_id = in_db(app, lambda s: s.scalar(select(Milestone.id)))
    login(world.coordinator)
    for suffix in ("edit", "done", "delete"):
        url = f"/parks/{world.open_park.slug}/roadmap/milestones/{milestone_id}/{suffix}"
        response = client.post(url, data=VALID) if suffix != "edit" else client.get(url)
        assert response.status_code == 404, suffix
    assert count(app, Milestone) == 1


def _chart_data(html: str) -> list[dict]:
    match = re.search(r'Plotly\.newPlot\(\s*"milestone-timeline",\s*(\[.*?\]),\s*\{', html, re.S)
    assert match, "no timeline chart"
    return json.loads(match.group(1))


def test_the_timeline_shows_done_open_and_overdue(app, client, login, world):
    login(world.manager)
    park = world.open_park
    past = (today_amsterdam() - timedelta(days=30)).isoformat()
    add(client, park, title="Gehaald", due_on=past, done_on=past)
    add(client, park, title="Te laat", due_on=past)
    add(client, park, title="Straks")
    html = client.get(f"/parks/{park.slug}/roadmap").get_data(as_text=True)
    traces = {t["meta"]: t["y"] for t in _chart_data(html)}
    assert traces == {"done": ["Gehaald"], "overdue": ["Te laat"], "open": ["Straks"]}
    assert today_amsterdam().isoformat() in html  # the today line
    assert "cdn" not in html.lower()


def test_downloads_of_milestones_and_plan(app, client, login, world):
    login(world.manager)
    park = world.open_park
    add(client, park, title="=HYPERLINK(\"x\")")
    th.add_measure(app, park, title="Wadi", themes=["water"], status="gepland",
                   start_date=date(2026, 4, 1))
    csv_text = client.get(f"/parks/{park.slug}/roadmap/milestones.csv").get_data(as_text=True)
    assert csv_text.startswith("\ufeff") and '2027-06-30;"\'=HYPERLINK' in csv_text
    response = client.get(f"/parks/{park.slug}/roadmap/plan.xlsx")
    assert response.headers["Content-Disposition"].endswith(
        f'filename="maatregelenplan-{park.slug}.xlsx"')
    rows = list(load_workbook(io.BytesIO(response.data)).active.values)
    assert rows[1][0] == 2026 and rows[1][2] == "Wadi"
    assert client.get(f"/parks/{park.slug}/roadmap/plan.pdf").status_code == 404
    assert client.get(f"/parks/{park.slug}/roadmap/other.csv").status_code == 404


def test_every_roadmap_form_needs_the_csrf_token(app, csrf_app, client, world):
    page_token = csrf_token_from(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"email": world.coordinator.email, "password": PASSWORD,
                                "csrf_token": page_token})
    park = world.open_park
    assert add(client, park).status_code == 400  # no token
    token = csrf_token_from(client.get(f"/parks/{park.slug}/roadmap/milestones/new")
                            .get_data(as_text=True))
    assert add(client, park, csrf_token=token).status_code == 302
    milestone_id = in_db(app, lambda s: s.scalar(select(Milestone.id)))
    base = f"/parks/{park.slug}/roadmap"
    for url in (f"{base}/edit", f"{base}/override", f"{base}/override/clear", f"{base}/plan",
                f"{base}/milestones/{milestone_id}/edit", f"{base}/milestones/{milestone_id}/done",
                f"{base}/milestones/{milestone_id}/delete"):
        assert client.post(url, data={**VALID, "reason": "x"}).status_code == 400, url
    assert milestones(app)[0][2] is None and count(app, Milestone) == 1
