"""Who may link a park to which association (the collective that later sees shared data)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from webapp import db
from webapp.models import Association, Park


def association_of(app, slug: str) -> str | None:
    with app.app_context():
        park = db.session().scalar(select(Park).where(Park.slug == slug))
        return park.association.name if park.association else None


@pytest.fixture
def parks(app, make_park):
    with app.app_context():
        session_db = db.session()
        theirs = Association(name="Vereniging Elders")
        session_db.add(theirs)
        session_db.commit()
        theirs_id = theirs.id
    own = make_park(name="Eigen terrein", association_id=None)
    other = make_park(name="Ander terrein", association_id=theirs_id)
    return own, other


def edit_data(park, association: str) -> dict:
    return {"name": park.name, "municipality": park.municipality, "province": park.province,
            "organisation_form": "ondernemersvereniging", "association": association,
            "is_public": "y"}


def test_manager_cannot_join_another_parks_association(app, client, make_user, login, parks):
    own, _other = parks
    login(make_user("park_manager", parks=[own]))
    response = client.post(f"/parks/{own.slug}/edit", data=edit_data(own, "Vereniging Elders"))
    assert response.status_code == 400
    assert 'id="association-error"' in response.get_data(as_text=True)
    assert association_of(app, own.slug) is None


@pytest.mark.parametrize("name", ["Nieuwe Vereniging", ""])
def test_manager_may_name_a_new_association_or_none(app, client, make_user, login, parks, name):
    own, _other = parks
    login(make_user("park_manager", parks=[own]))
    response = client.post(f"/parks/{own.slug}/edit", data=edit_data(own, name))
    assert response.status_code == 302
    assert association_of(app, own.slug) == (name or None)


def test_manager_may_link_a_second_park_to_their_own_association(app, client, make_park,
                                                                make_user, login, parks):
    _own, other = parks
    second = make_park(name="Tweede terrein")
    login(make_user("park_manager", parks=[other, second]))
    response = client.post(f"/parks/{second.slug}/edit",
                           data=edit_data(second, "Vereniging Elders"))
    assert response.status_code == 302
    assert association_of(app, second.slug) == "Vereniging Elders"


def test_coordinator_links_any_park_to_any_association(app, client, make_user, login, parks):
    own, _other = parks
    login(make_user("coordinator"))
    response = client.post(f"/parks/{own.slug}/edit", data=edit_data(own, "Vereniging Elders"))
    assert response.status_code == 302
    assert association_of(app, own.slug) == "Vereniging Elders"


def test_api_refuses_joining_another_association(app, client, make_user, login, parks):
    own, _other = parks
    login(make_user("park_manager", parks=[own]))
    response = client.patch(f"/api/v1/parks/{own.slug}", json={"association": "Vereniging Elders"})
    assert response.status_code == 403
    assert response.json["error"]["fields"] == {"association": "Not allowed."}
    assert association_of(app, own.slug) is None
    created = client.post("/api/v1/parks", json={
        "name": "Nieuw", "municipality": "Ede", "province": "Gelderland",
        "association": "Vereniging Elders"})
    assert created.status_code == 403
