"""The practice library and adoption: what is listed to whom, filters, pages, empty states, and
a copy linked to the original that the origin park sees."""

from __future__ import annotations

import re

import pytest

from tests.conftest import count
from tests.webapp import theme_helpers as th
from webapp.models import Experiment, Measure

world = th.world


def titles(html: str) -> list[str]:
    return re.findall(r'<h2><a href="/parks/[^"]+/measures/\d+">([^<]+)</a></h2>', html)


@pytest.fixture
def shelf(app, world):
    """Measures in each park: the closed and quiet parks' ones must stay out of sight."""
    th.add_measure(app, world.open_park, title="Wadi open", themes=["water"],
                   status="gerealiseerd", cost_eur=1000, funding_source="Potje X")
    experiment = th.add_measure(app, world.open_park, title="Batterij proef",
                                status="in_uitvoering")
    th.add_experiment(app, experiment)
    th.add_measure(app, world.closed_park, title="Geheime batterij")
    th.add_measure(app, world.quiet_park, title="Stille wadi", themes=["water"])
    return world


def test_library_needs_login(client):
    response = client.get("/library")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize(("who", "expected"), [
    ("member", {"Wadi open", "Batterij proef"}),
    ("manager", {"Wadi open", "Batterij proef"}),
    ("other_manager", {"Wadi open", "Batterij proef", "Geheime batterij"}),
    ("coordinator", {"Wadi open", "Batterij proef", "Geheime batterij", "Stille wadi"}),
])
def test_library_lists_only_measures_the_user_may_see(client, login, shelf, who, expected):
    login(getattr(shelf, who))
    assert set(titles(client.get("/library").get_data(as_text=True))) == expected


@pytest.mark.parametrize(("query", "expected"), [
    ("theme=water", {"Wadi open", "Stille wadi"}),
    ("status=in_uitvoering", {"Batterij proef"}),
    ("experiments=1", {"Batterij proef"}),
    ("q=WADI", {"Wadi open", "Stille wadi"}),
    ("q=Stil+Terrein", {"Stille wadi"}),  # the park's name is searched too
    ("province=Overijssel&theme=water", {"Wadi open", "Stille wadi"}),
    ("province=Zeeland", set()),
    ("theme=ruimte", {"Wadi open", "Batterij proef", "Geheime batterij", "Stille wadi"}),
])
def test_library_filters(client, login, shelf, query, expected):
    login(shelf.coordinator)
    assert set(titles(client.get(f"/library?{query}").get_data(as_text=True))) == expected


def test_library_empty_states(client, login, world):
    th.english(client)
    login(world.manager)
    assert "No park has shared a measure yet." in client.get("/library").get_data(as_text=True)
    html = client.get("/library?theme=water").get_data(as_text=True)
    assert "No measures match these filters." in html and "Clear the filters" in html


def test_library_pages(app, client, login, world):
    for i in range(23):
        th.add_measure(app, world.open_park, title=f"Maatregel {i:02d}")
    th.english(client)
    login(world.manager)
    first = client.get("/library?per_page=10").get_data(as_text=True)
    last = client.get("/library?per_page=10&page=3").get_data(as_text=True)
    assert len(titles(first)) == 10 and len(titles(last)) == 3
    assert "Page 1 of 3" in first
    assert 'rel="next"' in first and 'rel="next"' not in last
    assert not set(titles(first)) & set(titles(last))


def test_cost_in_the_library_only_for_full_viewers(client, login, shelf):
    login(shelf.other_manager)
    assert "Potje X" not in client.get("/library").get_data(as_text=True)
    client.post("/logout")
    login(shelf.member)
    assert "Potje X" in client.get("/library").get_data(as_text=True)


def test_adopt_button_only_for_measures_of_other_parks(client, login, shelf):
    login(shelf.manager)
    html = client.get("/library").get_data(as_text=True)
    assert "/adopt" not in html  # only the own park's measures are public to them
    client.post("/logout")
    login(shelf.other_manager)
    html = client.get("/library").get_data(as_text=True)
    assert html.count("/adopt") == 2  # the two open-park measures, not their own


def test_adoption_copies_into_the_users_park_and_links_back(app, client, login, world):
    origin = th.add_measure(app, world.open_park, title="Wadi open", themes=["water",
                                                                            "natuur"],
                            status="gerealiseerd", cost_eur=90000, funding_source="Potje",
                            evidence_links=["https://example.org/wadi"])
    th.add_experiment(app, origin, outcome="confirmed", results="Droog.", lessons="Meten.")
    login(world.other_manager)
    page = client.get(f"/measures/{origin}/adopt").get_data(as_text=True)
    assert world.closed_park.name in page
    response = client.post(f"/measures/{origin}/adopt",
                           data={"park_id": str(world.closed_park.id)})
    assert response.status_code == 302
    [copy_id] = th.measures_of(app, world.closed_park)
    copy = th.measure_state(app, copy_id)
    assert copy["adopted_from_id"] == origin
    assert (copy["title"], copy["themes"], copy["status"]) == ("Wadi open", ["water", "natuur"],
                                                               "idee")
    assert copy["cost_eur"] is None  # money stays with the origin park
    assert copy["evidence_links"] == ["https://example.org/wadi"]
    assert copy["experiment"]["hypothesis"] == th.VALID_EXPERIMENT["hypothesis"]
    assert copy["experiment"]["outcome"] is None and copy["experiment"]["results"] == ""
    assert copy["history"] == [(None, "idee", world.other_manager.id)]
    # The copy links to its origin; the origin lists the adoption by a non-public park
    # without naming it.
    copy_page = client.get(f"/parks/{world.closed_park.slug}/measures/{copy_id}").get_data(
        as_text=True)
    assert f"/parks/{world.open_park.slug}/measures/{origin}" in copy_page
    client.post("/logout")
    th.english(client)
    login(world.manager)
    origin_page = client.get(f"/parks/{world.open_park.slug}/measures/{origin}").get_data(
        as_text=True)
    assert world.closed_park.name not in origin_page
    assert "1 park that is not public" in origin_page


def test_origin_page_names_a_public_adopting_park(app, client, login, world, make_park,
                                                  make_user):
    origin = th.add_measure(app, world.open_park, title="Buurtbatterij")
    second = make_park(name="Tweede Terrein", public_fields=["measures"])
    adopter = make_user("park_manager", parks=[world.quiet_park, second])
    login(adopter)
    page = client.get(f"/measures/{origin}/adopt").get_data(as_text=True)
    assert world.quiet_park.name in page and "Tweede Terrein" in page  # a choice of parks
    client.post(f"/measures/{origin}/adopt", data={"park_id": str(second.id)})
    client.post("/logout")
    html = client.get(f"/parks/{world.open_park.slug}/measures/{origin}").get_data(
        as_text=True)
    adoptions = html.split('id="adoptions"', 1)[1]
    assert "Tweede Terrein" in adoptions


@pytest.mark.parametrize("target", ["open_park", "quiet_park", "other"])
def test_adoption_only_into_an_own_other_park(app, client, login, world, target):
    origin = th.add_measure(app, world.open_park)
    login(world.manager)
    park_id = "424242" if target == "other" else str(getattr(world, target).id)
    response = client.post(f"/measures/{origin}/adopt", data={"park_id": park_id})
    # The manager's only park is the origin's own: nothing to adopt into.
    assert response.status_code == 403
    assert count(app, Measure) == 1


def test_adoption_into_a_park_one_does_not_manage_is_refused(app, client, login, world):
    origin = th.add_measure(app, world.open_park)
    login(world.other_manager)
    response = client.post(f"/measures/{origin}/adopt",
                           data={"park_id": str(world.quiet_park.id)})
    assert response.status_code == 400
    assert count(app, Measure) == 1 and count(app, Experiment) == 0


def test_hidden_measures_cannot_be_adopted(app, client, login, world):
    hidden = th.add_measure(app, world.closed_park)
    login(world.admin)  # admins may adopt into any park, but the origin must be visible...
    client.post("/logout")
    login(world.manager)  # ...and to this manager it is not
    assert client.get(f"/measures/{hidden}/adopt").status_code == 404
    assert client.post(f"/measures/{hidden}/adopt",
                       data={"park_id": str(world.open_park.id)}).status_code == 404


def test_members_cannot_adopt(app, client, login, world):
    origin = th.add_measure(app, world.open_park)
    login(world.member)
    assert client.get(f"/measures/{origin}/adopt").status_code == 403
