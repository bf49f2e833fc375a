"""Text with a NUL character is refused with a 400 naming it, not a 500 from the database."""

from __future__ import annotations

from tests.conftest import count
from webapp.models import Company


def test_a_nul_character_in_a_form_is_refused_and_nothing_stored(app, client, login, make_park,
                                                                 make_user):
    park = make_park()
    login(make_user("admin"))
    response = client.post(f"/parks/{park.slug}/companies/new", data={"name": "Bad\x00name"})
    assert response.status_code == 400
    assert "NUL" in response.get_data(as_text=True)
    assert count(app, Company) == 0


def test_an_api_write_with_a_nul_character_gets_a_json_error(app, client, login, make_park,
                                                             make_user):
    park = make_park()
    login(make_user("admin"))
    response = client.post(f"/api/v1/parks/{park.slug}/companies",
                           data='{"name": "Bad\\u0000name"}', content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_character"
    assert count(app, Company) == 0


def test_ordinary_text_passes(app, client, login, make_park, make_user):
    park = make_park()
    login(make_user("admin"))
    response = client.post(f"/parks/{park.slug}/companies/new", data={"name": "Zuivel & Co"})
    assert response.status_code in (302, 303)
    assert count(app, Company) == 1
