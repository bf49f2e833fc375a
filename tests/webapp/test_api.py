"""API v1: what each caller sees and may change, tokens, validation errors and CSRF."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from tests.conftest import PASSWORD, csrf_token_from, in_db
from webapp import db
from webapp.models import ApiToken, AuditEntry, Company, Park, User
from webapp.models.base import utcnow

DROP = object()
VALID_PARK = {"name": "Nieuw Terrein", "municipality": "Deventer", "province": "Overijssel"}


@pytest.fixture
def token_for(runner):
    """Authorization headers with a fresh bearer token from `werklandschap create-token`."""

    def make(user: User) -> dict[str, str]:
        result = runner.invoke(["create-token", user.email])
        assert result.exit_code == 0, result.output
        return {"Authorization": f"Bearer {result.stdout.strip()}"}

    return make


@pytest.fixture
def manager(make_park, make_user, token_for):
    """A park manager of one park, with token headers: (user, park, headers)."""
    park = make_park(name="Eigen Terrein", jobs=120, is_public=False, public_fields=[])
    user = make_user("park_manager", parks=[park])
    return user, park, token_for(user)


def get_park(app, slug: str) -> Park | None:
    with app.app_context():
        return db.session().scalar(select(Park).where(Park.slug == slug))


def error_of(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    return error


# --- reading ---------------------------------------------------------------------------------

def test_anonymous_list_has_public_parks_with_public_fields_only(client, make_park):
    make_park(name="Open", jobs=555, gross_ha=Decimal("12.5"), public_fields=["gross_ha"])
    make_park(name="Gepubliceerde banen", jobs=777, public_fields=["jobs"])
    make_park(name="Geheim", is_public=False, jobs=999)
    body = client.get("/api/v1/parks").get_json()
    by_name = {item["name"]: item for item in body["items"]}
    assert set(by_name) == {"Open", "Gepubliceerde banen"}
    assert "jobs" not in by_name["Open"]
    assert by_name["Open"]["gross_ha"] == 12.5
    assert by_name["Gepubliceerde banen"]["jobs"] == 777
    for item in body["items"]:
        assert "is_public" not in item and "public_fields" not in item


def test_coordinator_list_has_every_park_in_full(client, make_park, make_user, token_for):
    make_park(name="Geheim", is_public=False, jobs=999, public_fields=[])
    headers = token_for(make_user("coordinator"))
    [item] = client.get("/api/v1/parks", headers=headers).get_json()["items"]
    assert (item["name"], item["jobs"], item["is_public"], item["public_fields"]) == (
        "Geheim", 999, False, [])


def test_list_is_paginated(client, make_park):
    for n in range(5):
        make_park(name=f"Terrein {n}")
    first = client.get("/api/v1/parks?per_page=2").get_json()
    assert {k: first[k] for k in ("page", "per_page", "total", "pages")} == {
        "page": 1, "per_page": 2, "total": 5, "pages": 3}
    assert [p["name"] for p in first["items"]] == ["Terrein 0", "Terrein 1"]
    last = client.get("/api/v1/parks?per_page=2&page=3").get_json()
    assert [p["name"] for p in last["items"]] == ["Terrein 4"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("province=Utrecht", {"Leidsche Rijn"}),
        ("q=haven", {"Havengebied"}),
        ("q=ZWOLLE", {"Havengebied", "Hessenpoort"}),
        ("programme_role=living_lab", {"Hessenpoort"}),
        ("organisation_form=biz", {"Leidsche Rijn"}),
        ("province=Overijssel&programme_role=deelnemer", {"Havengebied"}),
    ],
)
def test_list_filters(client, make_park, query, expected):
    make_park(name="Havengebied", municipality="Zwolle")
    make_park(name="Hessenpoort", municipality="Zwolle", programme_role="living_lab")
    make_park(name="Leidsche Rijn", municipality="Utrecht", province="Utrecht",
              organisation_form="biz")
    items = client.get(f"/api/v1/parks?{query}").get_json()["items"]
    assert {p["name"] for p in items} == expected


def test_private_park_is_404_for_anonymous(client, make_park):
    park = make_park(is_public=False)
    error_of(client.get(f"/api/v1/parks/{park.slug}"), 404, "not_found")


def test_location_is_left_out_unless_published(client, make_park):
    hidden = make_park(latitude=52.5, longitude=6.1, public_fields=["description"])
    shown = make_park(latitude=52.5, longitude=6.1, public_fields=["location"])
    body = client.get(f"/api/v1/parks/{hidden.slug}").get_json()
    assert "latitude" not in body and "longitude" not in body
    body = client.get(f"/api/v1/parks/{shown.slug}").get_json()
    assert (body["latitude"], body["longitude"]) == (52.5, 6.1)


def test_public_park_detail_hides_private_fields(client, make_park):
    park = make_park(jobs=555, public_fields=["description"], description="Hallo")
    body = client.get(f"/api/v1/parks/{park.slug}").get_json()
    assert (body["slug"], body["description"]) == (park.slug, "Hallo")
    assert "jobs" not in body and "is_public" not in body


# --- tokens ----------------------------------------------------------------------------------

def test_invalid_token_is_401(client):
    response = client.get("/api/v1/parks", headers={"Authorization": "Bearer wl_not-a-token"})
    error_of(response, 401, "invalid_token")


def test_non_bearer_authorization_is_401(client):
    response = client.get("/api/v1/parks", headers={"Authorization": "Basic dXNlcjpwdw=="})
    error_of(response, 401, "invalid_token")


def test_token_is_stored_hashed(app, manager):
    user, _park, headers = manager
    token = headers["Authorization"].removeprefix("Bearer ")
    with app.app_context():
        [stored] = db.session().scalars(select(ApiToken).where(ApiToken.user_id == user.id))
    assert stored.token_hash != token
    assert len(stored.token_hash) == 64
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()


@pytest.mark.parametrize("change", ["revoke the token", "deactivate the user"])
def test_revoked_token_or_inactive_user_is_401(app, client, manager, change):
    user, park, headers = manager
    assert client.get(f"/api/v1/parks/{park.slug}", headers=headers).status_code == 200

    def apply(session_db):
        if change == "revoke the token":
            session_db.execute(update(ApiToken).where(ApiToken.user_id == user.id)
                               .values(revoked_at=utcnow()))
        else:
            session_db.get(User, user.id).active = False

    in_db(app, apply)
    error_of(client.get(f"/api/v1/parks/{park.slug}", headers=headers), 401, "invalid_token")


def test_token_sees_own_private_park(client, manager):
    _user, park, headers = manager
    assert client.get(f"/api/v1/parks/{park.slug}").status_code == 404
    body = client.get(f"/api/v1/parks/{park.slug}", headers=headers).get_json()
    assert body["jobs"] == 120


# --- creating parks --------------------------------------------------------------------------

def test_park_manager_creates_park_and_manages_it(app, client, manager):
    user, _park, headers = manager
    response = client.post("/api/v1/parks", json={**VALID_PARK, "gross_ha": 12.5,
                                                  "latitude": 52.25, "longitude": 6.2},
                           headers=headers)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert response.headers["Location"].endswith(f"/api/v1/parks/{body['slug']}")
    assert body["slug"] == "nieuw-terrein"
    assert (body["gross_ha"], body["latitude"], body["longitude"]) == (12.5, 52.25, 6.2)
    assert isinstance(body["latitude"], float)
    with app.app_context():
        stored = db.session().get(User, user.id)
        assert "nieuw-terrein" in [p.slug for p in stored.parks]


def test_new_park_gets_default_public_fields(client, manager):
    _user, _park, headers = manager
    body = client.post("/api/v1/parks", json=VALID_PARK, headers=headers).get_json()
    assert body["is_public"] is True
    assert "jobs" not in body["public_fields"] and "description" in body["public_fields"]


def test_anonymous_cannot_create_park(app, client):
    error_of(client.post("/api/v1/parks", json=VALID_PARK), 401, "unauthorized")
    assert get_park(app, "nieuw-terrein") is None


def test_member_cannot_create_park(client, make_park, make_company, make_user, token_for):
    member = make_user("member", company=make_company(make_park()))
    response = client.post("/api/v1/parks", json=VALID_PARK, headers=token_for(member))
    error_of(response, 403, "forbidden")


@pytest.mark.parametrize(
    ("changes", "bad_fields"),
    [
        ({"name": DROP}, {"name"}),
        ({"name": ""}, {"name"}),
        ({"province": "Atlantis"}, {"province"}),
        ({"province": DROP}, {"province"}),
        ({"province": ""}, {"province"}),
        ({"gross_ha": 5, "net_ha": 9}, {"net_ha"}),
        ({"gross_ha": "veel"}, {"gross_ha"}),
        ({"jobs": 12.5}, {"jobs"}),
        ({"latitude": 40.0, "longitude": 6.0}, {"latitude"}),
        ({"latitude": 52.0}, {"longitude"}),
        ({"slug": "Geen Slug!"}, {"slug"}),
        ({"organisation_form": "stichting"}, {"organisation_form"}),
        ({"public_fields": ["password"]}, {"public_fields"}),
        ({"foo": 1}, {"foo"}),
        ({"name": {"a": 1}}, {"name"}),
        ({"public_fields": [1, 2]}, {"public_fields"}),
        ({"name": "", "province": "Atlantis", "gross_ha": 5, "net_ha": 9},
         {"name", "province", "net_ha"}),
    ],
)
def test_create_validation_errors_name_each_field(app, client, manager, changes, bad_fields):
    _user, _park, headers = manager
    data = {k: v for k, v in {**VALID_PARK, **changes}.items() if v is not DROP}
    response = client.post("/api/v1/parks", json=data, headers=headers)
    error = error_of(response, 400, "validation_error")
    assert set(error["fields"]) == bad_fields
    assert all(isinstance(m, str) and m for m in error["fields"].values())
    assert get_park(app, "nieuw-terrein") is None


def test_non_json_body_is_415(client, manager):
    _user, _park, headers = manager
    response = client.post("/api/v1/parks", data="name=X", headers=headers,
                           content_type="application/x-www-form-urlencoded")
    error_of(response, 415, "unsupported_media_type")


def test_json_that_is_not_an_object_is_400(client, manager):
    _user, _park, headers = manager
    response = client.post("/api/v1/parks", json=["name"], headers=headers)
    error_of(response, 400, "invalid_json")


def test_duplicate_slug_is_409(client, manager):
    _user, park, headers = manager
    response = client.post("/api/v1/parks", json={**VALID_PARK, "slug": park.slug},
                           headers=headers)
    error = error_of(response, 409, "conflict")
    assert set(error["fields"]) == {"slug"}


def test_park_manager_cannot_claim_a_programme_role(app, client, manager):
    _user, _park, headers = manager
    response = client.post("/api/v1/parks", json={**VALID_PARK, "programme_role": "living_lab"},
                           headers=headers)
    error_of(response, 403, "forbidden")
    assert get_park(app, "nieuw-terrein") is None


# --- changing parks --------------------------------------------------------------------------

def test_patch_changes_only_given_fields(app, client, manager):
    _user, park, headers = manager
    response = client.patch(f"/api/v1/parks/{park.slug}", json={"jobs": 130}, headers=headers)
    assert response.status_code == 200, response.get_json()
    stored = get_park(app, park.slug)
    assert stored.jobs == 130
    assert (stored.name, stored.municipality, stored.province) == (
        park.name, park.municipality, park.province)
    assert (stored.is_public, stored.public_fields) == (False, [])


def test_patch_keeps_public_flags_set_to_true(app, client, make_park, make_user, token_for):
    park = make_park(is_public=True, public_fields=["jobs", "location"], latitude=52.534,
                     longitude=6.147, gross_ha=Decimal("300.00"))
    headers = token_for(make_user("park_manager", parks=[park]))
    response = client.patch(f"/api/v1/parks/{park.slug}", json={"description": "Nieuw"},
                            headers=headers)
    assert response.status_code == 200, response.get_json()
    stored = get_park(app, park.slug)
    assert (stored.description, stored.is_public, stored.public_fields) == (
        "Nieuw", True, ["jobs", "location"])
    assert (stored.latitude, stored.longitude, stored.gross_ha) == (
        52.534, 6.147, Decimal("300.00"))


def test_patch_null_clears_ibis_rin(app, client, make_park, make_user, token_for):
    park = make_park(ibis_rin="0193-12")
    headers = token_for(make_user("park_manager", parks=[park]))
    response = client.patch(f"/api/v1/parks/{park.slug}", json={"ibis_rin": None},
                            headers=headers)
    assert response.status_code == 200
    assert response.get_json()["ibis_rin"] is None
    assert get_park(app, park.slug).ibis_rin is None


def test_patch_validation_error_changes_nothing(app, client, manager):
    _user, park, headers = manager
    response = client.patch(f"/api/v1/parks/{park.slug}",
                            json={"jobs": 1, "gross_ha": 5, "net_ha": 9}, headers=headers)
    assert set(error_of(response, 400, "validation_error")["fields"]) == {"net_ha"}
    assert get_park(app, park.slug).jobs == 120


def test_patch_to_a_taken_slug_is_409(client, make_park, manager):
    _user, park, headers = manager
    other = make_park()
    response = client.patch(f"/api/v1/parks/{park.slug}", json={"slug": other.slug},
                            headers=headers)
    error_of(response, 409, "conflict")


def test_park_manager_patching_another_park_gets_404(app, client, make_park, manager):
    _user, _park, headers = manager
    other = make_park(jobs=5)
    response = client.patch(f"/api/v1/parks/{other.slug}", json={"jobs": 6}, headers=headers)
    error_of(response, 404, "not_found")
    assert get_park(app, other.slug).jobs == 5


def test_park_manager_setting_programme_role_gets_403(app, client, manager):
    _user, park, headers = manager
    response = client.patch(f"/api/v1/parks/{park.slug}",
                            json={"programme_role": "ambassadeursterrein"}, headers=headers)
    error = error_of(response, 403, "forbidden")
    assert set(error["fields"]) == {"programme_role"}
    assert get_park(app, park.slug).programme_role == "deelnemer"


def test_coordinator_sets_programme_role(app, client, make_park, make_user, token_for):
    park = make_park()
    headers = token_for(make_user("coordinator"))
    response = client.patch(f"/api/v1/parks/{park.slug}",
                            json={"programme_role": "living_lab"}, headers=headers)
    assert response.status_code == 200
    assert get_park(app, park.slug).programme_role == "living_lab"


def test_member_patching_own_park_gets_404(app, client, make_park, make_company, make_user,
                                           token_for):
    park = make_park(jobs=5)
    member = make_user("member", company=make_company(park))
    response = client.patch(f"/api/v1/parks/{park.slug}", json={"jobs": 6},
                            headers=token_for(member))
    error_of(response, 404, "not_found")
    assert get_park(app, park.slug).jobs == 5


def test_anonymous_patch_is_401(client, make_park):
    park = make_park()
    error_of(client.patch(f"/api/v1/parks/{park.slug}", json={"jobs": 1}), 401, "unauthorized")


def test_api_change_is_audited_as_the_token_user(app, client, manager):
    user, park, headers = manager
    client.patch(f"/api/v1/parks/{park.slug}", json={"jobs": 130}, headers=headers)
    with app.app_context():
        [entry] = db.session().scalars(select(AuditEntry).where(
            AuditEntry.entity == "park", AuditEntry.action == "update"))
    assert (entry.user_id, entry.actor, entry.entity_id) == (user.id, user.email, park.id)
    assert (entry.before, entry.after) == ({"jobs": 120}, {"jobs": 130})


# --- companies -------------------------------------------------------------------------------

def test_company_list_needs_login(client, make_park):
    park = make_park()
    error_of(client.get(f"/api/v1/parks/{park.slug}/companies"), 401, "unauthorized")


def test_company_list_of_own_park(client, make_company, manager):
    _user, park, headers = manager
    make_company(park, name="Bakkerij Jansen", kvk_number="12345678")
    body = client.get(f"/api/v1/parks/{park.slug}/companies", headers=headers).get_json()
    assert [(c["name"], c["kvk_number"], c["park"]) for c in body["items"]] == [
        ("Bakkerij Jansen", "12345678", park.slug)]


def test_member_lists_companies_of_own_park(client, make_park, make_company, make_user,
                                            token_for):
    park = make_park(is_public=False)
    member = make_user("member", company=make_company(park, name="Eigen BV"))
    body = client.get(f"/api/v1/parks/{park.slug}/companies",
                      headers=token_for(member)).get_json()
    assert [c["name"] for c in body["items"]] == ["Eigen BV"]


def test_company_list_of_other_park_is_404(client, make_park, make_company, manager):
    _user, _park, headers = manager
    other = make_park()
    make_company(other)
    response = client.get(f"/api/v1/parks/{other.slug}/companies", headers=headers)
    error_of(response, 404, "not_found")


def test_create_company(app, client, manager):
    _user, park, headers = manager
    response = client.post(f"/api/v1/parks/{park.slug}/companies",
                           json={"name": "Smederij", "kvk_number": "87654321",
                                 "sector": "metaal"}, headers=headers)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert response.headers["Location"].endswith(f"/api/v1/companies/{body['id']}")
    with app.app_context():
        company = db.session().get(Company, body["id"])
        assert (company.park_id, company.name, company.kvk_number) == (
            park.id, "Smederij", "87654321")


@pytest.mark.parametrize(
    ("data", "bad_fields"),
    [
        ({"name": "Smederij", "kvk_number": "123"}, {"kvk_number"}),
        ({"name": ""}, {"name"}),
        ({"sector": "metaal"}, {"name"}),
        ({"name": "Smederij", "park_id": 1}, {"park_id"}),
    ],
)
def test_create_company_validation(app, client, manager, data, bad_fields):
    _user, park, headers = manager
    response = client.post(f"/api/v1/parks/{park.slug}/companies", json=data, headers=headers)
    assert set(error_of(response, 400, "validation_error")["fields"]) == bad_fields
    with app.app_context():
        assert db.session().scalars(select(Company)).all() == []


def test_duplicate_company_name_is_409(client, make_company, manager):
    _user, park, headers = manager
    make_company(park, name="Smederij")
    response = client.post(f"/api/v1/parks/{park.slug}/companies", json={"name": "smederij"},
                           headers=headers)
    assert set(error_of(response, 409, "conflict")["fields"]) == {"name"}


def test_get_and_patch_company(app, client, make_company, manager):
    _user, park, headers = manager
    company = make_company(park, name="Smederij", kvk_number="12345678", sector="metaal")
    url = f"/api/v1/companies/{company.id}"
    assert client.get(url, headers=headers).get_json()["name"] == "Smederij"
    response = client.patch(url, json={"sector": "bouw"}, headers=headers)
    assert response.status_code == 200, response.get_json()
    with app.app_context():
        stored = db.session().get(Company, company.id)
        assert (stored.name, stored.kvk_number, stored.sector) == ("Smederij", "12345678", "bouw")


def test_patch_company_to_taken_name_is_409(client, make_company, manager):
    _user, park, headers = manager
    make_company(park, name="Smederij")
    company = make_company(park, name="Bakkerij")
    response = client.patch(f"/api/v1/companies/{company.id}", json={"name": "SMEDERIJ"},
                            headers=headers)
    error_of(response, 409, "conflict")


def test_companies_of_other_parks_are_404(app, client, make_park, make_company, manager):
    _user, _park, headers = manager
    other = make_park()
    company = make_company(other, name="Vreemd")
    url = f"/api/v1/companies/{company.id}"
    error_of(client.get(url, headers=headers), 404, "not_found")
    error_of(client.patch(url, json={"name": "Gekaapt"}, headers=headers), 404, "not_found")
    error_of(client.post(f"/api/v1/parks/{other.slug}/companies", json={"name": "Nieuw"},
                         headers=headers), 404, "not_found")
    with app.app_context():
        assert db.session().get(Company, company.id).name == "Vreemd"


def test_member_cannot_patch_own_company(client, make_park, make_company, make_user,
                                         token_for):
    company = make_company(make_park())
    member = make_user("member", company=company)
    response = client.patch(f"/api/v1/companies/{company.id}", json={"sector": "x"},
                            headers=token_for(member))
    error_of(response, 404, "not_found")


# --- CSRF ------------------------------------------------------------------------------------

def session_login(client, user) -> str:
    """Log in through the form with its CSRF token; return a CSRF token for the new session."""
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": user.email, "password": PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 302
    return csrf_token_from(client.get("/").get_data(as_text=True))



def test_session_write_without_csrf_header_is_refused(csrf_app, client, make_park, make_user):
    park = make_park(jobs=5)
    session_login(client, make_user("park_manager", parks=[park]))
    response = client.patch(f"/api/v1/parks/{park.slug}", json={"jobs": 6})
    error_of(response, 400, "csrf_failed")
    assert get_park(csrf_app, park.slug).jobs == 5


def test_session_write_with_csrf_header_works(csrf_app, client, make_park, make_user):
    park = make_park(jobs=5)
    token = session_login(client, make_user("park_manager", parks=[park]))
    response = client.patch(f"/api/v1/parks/{park.slug}", json={"jobs": 6},
                            headers={"X-CSRFToken": token})
    assert response.status_code == 200, response.get_json()
    assert get_park(csrf_app, park.slug).jobs == 6


def test_session_read_needs_no_csrf_header(csrf_app, client, make_park, make_user):
    park = make_park(is_public=False, jobs=5)
    session_login(client, make_user("park_manager", parks=[park]))
    assert client.get(f"/api/v1/parks/{park.slug}").get_json()["jobs"] == 5


def test_token_write_needs_no_csrf_header(csrf_app, client, manager):
    _user, park, headers = manager
    response = client.patch(f"/api/v1/parks/{park.slug}", json={"jobs": 6}, headers=headers)
    assert response.status_code == 200, response.get_json()


def test_new_park_may_be_created_private(client, manager):
    _user, _park, headers = manager
    response = client.post("/api/v1/parks", json={**VALID_PARK, "is_public": False,
                                                  "public_fields": []}, headers=headers)
    assert (response.get_json()["is_public"], response.get_json()["public_fields"]) == (False, [])


def test_token_use_is_recorded_on_a_read(app, client, runner, make_user):
    from webapp.models import ApiToken

    user = make_user("coordinator")
    token = runner.invoke(["create-token", user.email]).output.strip()
    response = client.get("/api/v1/parks", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    with app.app_context():
        stored = db.session().scalar(select(ApiToken).where(ApiToken.user_id == user.id))
        assert stored.last_used_at is not None
