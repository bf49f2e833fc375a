"""A device's secret on the pages: post/redirect/get, shown once, never kept, honest about MQTT.

Registering and "new credentials" answer with a redirect, so a reload never registers a second
device or replaces the secret again; the credentials page shows the secret once. The session
cookie holds only a nonce, never the secret.
"""

from __future__ import annotations

import hashlib

import pytest

from tests.conftest import count, in_db
from tests.webapp.device_helpers import VALID_FORM, device_row, register_device
from webapp.models import Device, User
from webapp.security import create_api_token

CREDENTIALS = "/parks/hessenpoort/devices/{uid}/credentials"


@pytest.fixture
def park(make_park):
    return make_park(slug="hessenpoort", name="Hessenpoort")


@pytest.fixture
def manager(park, make_user, login):
    user = make_user("park_manager", parks=[park])
    login(user)
    return user


def secret_in(html: str) -> str:
    return html.split('<code class="secret">', 1)[1].split("<", 1)[0]


def session_cookie(app, client) -> str:
    """The decoded session cookie (what the browser holds), as text."""
    cookie = client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session"))
    serializer = app.session_interface.get_signing_serializer(app)
    return str(serializer.loads(cookie.value)) if cookie else ""


def assert_token(app, uid: str, secret: str) -> None:
    assert device_row(app, uid).token_hash == hashlib.sha256(secret.encode()).hexdigest()


def test_registration_redirects_and_shows_the_secret_once(app, client, park, manager):
    response = client.post("/parks/hessenpoort/devices/new", data={**VALID_FORM, "uid": "r-1"})
    assert response.status_code == 303
    assert response.headers["Location"] == CREDENTIALS.format(uid="r-1")
    assert response.headers["Cache-Control"] == "no-store"
    page = client.get(response.headers["Location"])
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    secret = secret_in(page.get_data(as_text=True))
    assert_token(app, "r-1", secret)
    again = client.get(response.headers["Location"], follow_redirects=True)
    assert again.request.path == "/parks/hessenpoort/devices/r-1"
    assert secret not in again.get_data(as_text=True)
    assert count(app, Device) == 1


def test_the_session_cookie_never_holds_the_secret(app, client, park, manager):
    client.post("/parks/hessenpoort/devices/new", data={**VALID_FORM, "uid": "r-2"})
    waiting = session_cookie(app, client)
    secret = secret_in(client.get(CREDENTIALS.format(uid="r-2")).get_data(as_text=True))
    assert secret not in waiting and "r-2" in waiting
    assert "r-2" not in session_cookie(app, client)  # forgotten once shown


def test_new_credentials_redirect_and_replace_the_token(app, client, park, manager):
    uid, old = register_device(app, park, uid="r-3")
    response = client.post(CREDENTIALS.format(uid=uid))
    assert response.status_code == 303
    secret = secret_in(client.get(response.headers["Location"]).get_data(as_text=True))
    assert secret != old
    assert_token(app, uid, secret)


def test_a_secret_replaced_meanwhile_is_not_shown(app, client, park, manager):
    uid, _old = register_device(app, park, uid="r-4")
    client.post(CREDENTIALS.format(uid=uid))
    token = in_db(app, lambda s: create_api_token(s, s.get(User, manager.id), "t"))
    api = client.post(f"/api/v1/devices/{uid}/credentials",
                      headers={"Authorization": f"Bearer {token}"})
    page = client.get(CREDENTIALS.format(uid=uid))
    assert page.status_code == 302
    assert_token(app, uid, api.get_json()["secret"])


def test_nothing_to_show_without_a_pending_secret(app, client, park, manager):
    uid, _secret = register_device(app, park, uid="r-5")
    response = client.get(CREDENTIALS.format(uid=uid), follow_redirects=True)
    assert response.request.path == f"/parks/hessenpoort/devices/{uid}"
    assert 'class="secret"' not in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["member", "other_manager", "anonymous"])
def test_credentials_page_is_for_editors_only(app, client, park, make_user, make_company,
                                              make_park, login, role):
    uid, _secret = register_device(app, park, uid="r-6")
    if role == "member":
        login(make_user("member", company=make_company(park)))
    elif role == "other_manager":
        login(make_user("park_manager", parks=[make_park()]))
    expected = 302 if role == "anonymous" else 404  # anonymous: to the login page
    assert client.get(CREDENTIALS.format(uid=uid)).status_code == expected


def test_credentials_page_says_when_mqtt_follows(app, client, park, manager):
    uid, _secret = register_device(app, park, uid="r-7")
    html = client.post(CREDENTIALS.format(uid=uid), follow_redirects=True).get_data(
        as_text=True)
    assert "werklandschap mqtt-credentials" in html and "SIGHUP" in html


def test_deactivation_says_the_broker_still_lets_it_connect(app, client, park, manager):
    uid, _secret = register_device(app, park, uid="r-8")
    html = client.post(f"/parks/hessenpoort/devices/{uid}/active", data={"active": "0"},
                       follow_redirects=True).get_data(as_text=True)
    assert "mqtt-credentials" in html
    assert device_row(app, uid).active is False
