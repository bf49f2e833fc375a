"""CSRF protection: every state-changing form post needs the token its page rendered."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD, count, csrf_token_from, park_state
from webapp.models import Company, Park

PARK_FORM = {"name": "Hessenpoort", "slug": "", "municipality": "Zwolle",
             "province": "Overijssel", "ibis_rin": "", "gross_ha": "", "net_ha": "",
             "companies_count": "", "jobs": "", "latitude": "", "longitude": "",
             "organisation_form": "geen", "programme_role": "deelnemer", "association": "",
             "description": "", "is_public": "y", "public_fields": ["description"]}


def token(client, url: str) -> str:
    return csrf_token_from(client.get(url).get_data(as_text=True))


def logged_in(client) -> bool:
    return client.get("/parks/new").status_code == 200


def html_lang(client) -> str:
    html = client.get("/").get_data(as_text=True)
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


@pytest.fixture
def coordinator(csrf_app, make_user):
    return make_user("coordinator")


@pytest.fixture
def logged_in_client(csrf_app, client, coordinator):
    """The client, logged in as a coordinator through the real (CSRF-checked) login form."""
    response = client.post("/login", data={"email": coordinator.email, "password": PASSWORD,
                                           "csrf_token": token(client, "/login")})
    assert response.status_code == 302
    return client


def test_login_without_token_is_refused(client, coordinator):
    response = client.post("/login", data={"email": coordinator.email, "password": PASSWORD})
    assert response.status_code == 400
    assert not logged_in(client)


def test_login_with_token_works(logged_in_client):
    assert logged_in(logged_in_client)


def test_token_from_another_session_is_refused(app, client, coordinator):
    foreign = token(app.test_client(), "/login")
    response = client.post("/login", data={"email": coordinator.email, "password": PASSWORD,
                                           "csrf_token": foreign})
    assert response.status_code == 400
    assert not logged_in(client)


def test_park_create_needs_token(app, logged_in_client):
    client = logged_in_client
    assert client.post("/parks/new", data=PARK_FORM).status_code == 400
    assert count(app, Park) == 0
    data = {**PARK_FORM, "csrf_token": token(client, "/parks/new")}
    assert client.post("/parks/new", data=data).status_code == 302
    assert count(app, Park) == 1


def test_park_edit_needs_token(app, logged_in_client, make_park):
    client, park = logged_in_client, make_park(name="Oude Naam")
    before = park_state(app, park.id)
    url = f"/parks/{park.slug}/edit"
    assert client.post(url, data={**PARK_FORM, "name": "Nieuw"}).status_code == 400
    assert park_state(app, park.id) == before
    data = {**PARK_FORM, "name": "Nieuw", "csrf_token": token(client, url)}
    assert client.post(url, data=data).status_code == 302
    assert park_state(app, park.id)["name"] == "Nieuw"


def test_company_form_needs_token(app, logged_in_client, make_park):
    client, park = logged_in_client, make_park()
    url = f"/parks/{park.slug}/companies/new"
    assert client.post(url, data={"name": "Acme BV"}).status_code == 400
    assert count(app, Company) == 0
    data = {"name": "Acme BV", "csrf_token": token(client, url)}
    assert client.post(url, data=data).status_code == 302
    assert count(app, Company) == 1


def test_language_switch_needs_token(client, csrf_app):
    assert client.post("/lang/en").status_code == 400
    assert html_lang(client) == "nl"
    assert client.post("/lang/en", data={"csrf_token": token(client, "/")}).status_code == 302
    assert html_lang(client) == "en"


def test_logout_needs_token(logged_in_client):
    client = logged_in_client
    assert client.post("/logout").status_code == 400
    assert logged_in(client)
    assert client.post("/logout", data={"csrf_token": token(client, "/")}).status_code == 302
    assert not logged_in(client)


CSRF_REFUSED = "Het formulier is verlopen of kwam niet van deze site."


def test_every_post_route_outside_the_api_needs_the_token(app, logged_in_client, make_park,
                                                          make_company):
    """A route added later cannot forget the token: every POST page is walked from the URL map.

    The API has its own rule (bearer tokens, or the X-CSRFToken header for sessions): test_api.py.
    """
    park = make_park()
    values = {"slug": park.slug, "company_id": make_company(park).id, "code": "en",
              "measure_id": 1, "uid": "any-device", "milestone_id": 1,
              "association_id": 1, "seat_id": 1}
    routes = [rule for rule in app.url_map.iter_rules()
              if "POST" in rule.methods and not rule.rule.startswith("/api/")]
    assert len(routes) >= 20
    for rule in routes:
        _domain, url = rule.build(values, append_unknown=False)
        response = logged_in_client.post(url, data={"name": "Zonder token"})
        assert response.status_code == 400, url
        assert CSRF_REFUSED in response.get_data(as_text=True), url
    assert count(app, Company) == 1
    assert logged_in(logged_in_client)
