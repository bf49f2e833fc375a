"""Who sees and changes what in the themes area: managers edit only their parks, members read
their park, the public sees only what a park publishes, the comparison is for coordinators."""

from __future__ import annotations

import pytest

import themes
from tests.conftest import count
from tests.webapp import theme_helpers as th
from webapp.models import Measure

world = th.world

PARKS = ("open_park", "closed_park", "quiet_park")
# (who, park) -> may see the compass / measures (the quiet park publishes neither).
SEES = {
    "anonymous": {"open_park"},
    "manager": {"open_park"},
    "member": {"open_park"},
    "other_manager": {"open_park", "closed_park"},
    "coordinator": set(PARKS),
    "admin": set(PARKS),
}


def as_user(login, world, who: str) -> None:
    if who != "anonymous":
        login(getattr(world, who))


@pytest.mark.parametrize("who", sorted(SEES))
@pytest.mark.parametrize("section", ["themes", "measures", "measures.csv"])
def test_sections_are_visible_to_exactly_the_right_users(client, login, world, who, section):
    as_user(login, world, who)
    for name in PARKS:
        park = getattr(world, name)
        status = client.get(f"/parks/{park.slug}/{section}").status_code
        assert status == (200 if name in SEES[who] else 404), (who, name, section)


@pytest.mark.parametrize("who", sorted(SEES))
def test_measure_pages_follow_the_park(app, client, login, world, who):
    ids = {name: th.add_measure(app, getattr(world, name)) for name in PARKS}
    as_user(login, world, who)
    for name, measure_id in ids.items():
        park = getattr(world, name)
        status = client.get(f"/parks/{park.slug}/measures/{measure_id}").status_code
        assert status == (200 if name in SEES[who] else 404), (who, name)


EDITORS = {"manager": {"open_park"}, "other_manager": {"closed_park"},
           "coordinator": set(PARKS), "admin": set(PARKS), "member": set()}


@pytest.mark.parametrize("who", sorted(EDITORS))
def test_only_editors_reach_the_edit_forms(app, client, login, world, who):
    ids = {name: th.add_measure(app, getattr(world, name)) for name in PARKS}
    login(getattr(world, who))
    for name, measure_id in ids.items():
        slug = getattr(world, name).slug
        for url in (f"/parks/{slug}/measures/new", f"/parks/{slug}/themes/edit",
                    f"/parks/{slug}/measures/{measure_id}/edit",
                    f"/parks/{slug}/measures/{measure_id}/status",
                    f"/parks/{slug}/measures/{measure_id}/experiment"):
            status = client.get(url).status_code
            assert status == (200 if name in EDITORS[who] else 404), (who, url)


def test_manager_cannot_write_into_another_park(app, client, login, world):
    measure_id = th.add_measure(app, world.closed_park, title="Geheim plan")
    login(world.manager)
    slug = world.closed_park.slug
    posts = {
        f"/parks/{slug}/measures/new": th.VALID_MEASURE,
        f"/parks/{slug}/measures/{measure_id}/edit": {**th.VALID_MEASURE, "title": "Gekaapt"},
        f"/parks/{slug}/measures/{measure_id}/status": {"status": "gestopt"},
        f"/parks/{slug}/measures/{measure_id}/experiment": th.VALID_EXPERIMENT,
        f"/parks/{slug}/themes/edit": {"energie_baseline_level": "4"},
        f"/parks/{slug}/themes/energie/values": {"indicator": "pv_kwp_per_ha", "value": "9"},
    }
    for url, data in posts.items():
        assert client.post(url, data=data).status_code == 404, url
    state = th.measure_state(app, measure_id)
    assert (state["title"], state["status"], state["experiment"]) == ("Geheim plan", "idee",
                                                                      None)
    assert count(app, Measure) == 1


def test_anonymous_is_sent_to_login_for_edit_forms(client, world):
    response = client.get(f"/parks/{world.open_park.slug}/measures/new")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize(("who", "shows_cost"), [
    ("anonymous", False), ("other_manager", False), ("member", True), ("manager", True),
    ("coordinator", True)])
def test_cost_funding_and_lead_company_only_in_full(app, client, login, world, who,
                                                    shows_cost):
    measure_id = th.add_measure(app, world.open_park, cost_eur=48500,
                                funding_source="Geheime Subsidiepot",
                                lead_company_id=world.company.id)
    as_user(login, world, who)
    slug = world.open_park.slug
    pages = [client.get(f"/parks/{slug}/measures/{measure_id}").get_data(as_text=True),
             client.get(f"/parks/{slug}/measures").get_data(as_text=True),
             client.get(f"/parks/{slug}/measures.csv").get_data(as_text=True)]
    for text in pages:
        assert ("Geheime Subsidiepot" in text) == shows_cost
    assert ("Groen B.V." in pages[0]) == shows_cost


def test_comparison_is_for_coordinators_and_admins(client, login, world):
    assert client.get("/themes/compare").status_code == 302  # log in first
    for who, status in (("manager", 403), ("member", 403), ("other_manager", 403),
                        ("coordinator", 200), ("admin", 200)):
        with client.session_transaction() as session:
            session.clear()
        login(getattr(world, who))
        assert client.get("/themes/compare").status_code == status, who
        assert client.get("/themes/compare.csv").status_code == status, who


def test_public_overview_of_the_themes_needs_no_login(client):
    html = client.get("/themes").get_data(as_text=True)
    for theme in themes.THEMES:
        assert f'id="{theme.code}"' in html and theme.name_nl in html
