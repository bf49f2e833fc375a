"""Interface language: Dutch by default, English on request, kept for the whole visit."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD


def html_lang(client, url: str = "/") -> str:
    html = client.get(url).get_data(as_text=True)
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


def test_default_language_is_dutch(client):
    assert html_lang(client) == "nl"


def test_browser_language_does_not_override_the_default(client):
    html = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="nl">' in html


def test_switch_to_english_holds_across_pages(client):
    assert client.post("/lang/en").status_code == 302
    assert html_lang(client) == "en"
    assert html_lang(client, "/parks/") == "en"
    assert html_lang(client, "/login") == "en"


def test_switch_back_to_dutch(client):
    assert client.post("/lang/en").status_code == 302
    assert html_lang(client) == "en"
    assert client.post("/lang/nl").status_code == 302
    assert html_lang(client) == "nl"


def test_english_shows_english_text(client):
    client.post("/lang/en")
    assert "Business parks" in client.get("/parks/").get_data(as_text=True)


@pytest.mark.parametrize("code", ["de", "xx", "EN", "en-GB"])
def test_unknown_language_code_is_ignored(client, code):
    client.post("/lang/en")
    assert client.post(f"/lang/{code}").status_code == 302
    assert html_lang(client) == "en"


def test_unknown_language_does_not_leave_the_default(client):
    assert client.post("/lang/fr").status_code == 302
    assert html_lang(client) == "nl"


def test_language_survives_login_and_logout(client, make_user):
    user = make_user("park_manager")
    client.post("/lang/en")
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert html_lang(client) == "en"
    client.post("/logout")
    assert html_lang(client) == "en"


@pytest.mark.parametrize(
    ("target", "location"),
    [("/parks/?q=zwolle", "/parks/?q=zwolle"), ("//evil.example/", "/"),
     ("https://evil.example/", "/"), (None, "/")],
)
def test_switch_returns_to_the_local_page_only(client, target, location):
    data = {"next": target} if target else {}
    response = client.post("/lang/en", data=data)
    assert response.headers["Location"] == location
