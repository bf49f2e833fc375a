"""Logging in and out: passwords, sessions, redirects and throttling."""

from __future__ import annotations

from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select, update

from tests.conftest import PASSWORD, in_db
from webapp.models import LoginFailure, User
from webapp.models.base import utcnow

WRONG = "not the password at all"


def post_login(client, email, password, **kwargs):
    return client.post("/login", data={"email": email, "password": password}, **kwargs)


def is_logged_in(client) -> bool:
    """Whether the client's session belongs to a user (a login-only page answers 200)."""
    return client.get("/parks/new").status_code == 200


@pytest.fixture
def manager(make_user):
    return make_user("park_manager")


def test_login_with_right_password_redirects_to_park_list(client, manager):
    response = post_login(client, manager.email, PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/parks/"
    assert is_logged_in(client)


def test_email_is_matched_case_insensitively(client, manager):
    assert post_login(client, manager.email.upper(), PASSWORD).status_code == 302


@pytest.mark.parametrize("who", ["known", "unknown"])
def test_wrong_credentials_get_401_and_the_same_message(client, manager, who):
    client.post("/lang/en")
    email = manager.email if who == "known" else "nobody@example.nl"
    response = post_login(client, email, WRONG)
    assert response.status_code == 401
    assert "E-mail address or password is incorrect." in response.get_data(as_text=True)
    assert not is_logged_in(client)


def test_empty_login_form_is_400(client):
    assert post_login(client, "", "").status_code == 400


def test_session_is_renewed_at_login(client, manager):
    with client.session_transaction() as before:
        before["planted"] = "by an attacker"
    post_login(client, manager.email, PASSWORD)
    with client.session_transaction() as after:
        assert "planted" not in after
        assert after.get("_user_id", "").startswith(f"{manager.id}:")


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/parks/", "/parks/"),
        ("/parks/export.csv?q=zwolle", "/parks/export.csv?q=zwolle"),
        ("//evil.example", "/parks/"),
        ("https://evil.example/", "/parks/"),
        ("/\\evil", "/parks/"),
        ("/\t/evil.example", "/parks/"),
        ("javascript:alert(1)", "/parks/"),
    ],
)
def test_next_only_leads_to_local_paths(client, manager, target, expected):
    response = client.post("/login", query_string={"next": target},
                           data={"email": manager.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_logout_needs_post(client, manager, login):
    login(manager)
    assert client.get("/logout").status_code == 405
    assert is_logged_in(client)
    response = client.post("/logout")
    assert response.status_code == 302
    assert not is_logged_in(client)


def test_account_is_throttled_after_too_many_failures(app, client, manager):
    app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] = 3
    for _ in range(3):
        assert post_login(client, manager.email, WRONG).status_code == 401
    response = post_login(client, manager.email, PASSWORD)
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert not is_logged_in(client)


def test_account_throttle_holds_from_another_address(app, client, manager):
    app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] = 2
    for _ in range(2):
        post_login(client, manager.email, WRONG)
    response = post_login(client, manager.email, PASSWORD,
                          environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert response.status_code == 429


def test_retry_after_is_the_configured_window(app, client, manager):
    app.config.update(LOGIN_MAX_FAILURES_PER_ACCOUNT=1, LOGIN_WINDOW_SECONDS=3600)
    post_login(client, manager.email, WRONG)
    assert post_login(client, manager.email, PASSWORD).headers["Retry-After"] == "3600"


def test_address_is_throttled_after_failures_on_many_accounts(app, client, manager):
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 3
    for n in range(3):
        assert post_login(client, f"guess{n}@example.nl", WRONG).status_code == 401
    assert post_login(client, manager.email, PASSWORD).status_code == 429
    other_address = {"REMOTE_ADDR": "192.0.2.8"}
    assert post_login(client, manager.email, PASSWORD,
                      environ_base=other_address).status_code == 302


def test_throttle_ends_when_failures_leave_the_window(app, client, manager):
    app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] = 2
    for _ in range(2):
        post_login(client, manager.email, WRONG)
    assert post_login(client, manager.email, PASSWORD).status_code == 429
    past = utcnow() - timedelta(seconds=app.config["LOGIN_WINDOW_SECONDS"] + 1)
    in_db(app, lambda s: s.execute(update(LoginFailure).values(at=past)))
    assert post_login(client, manager.email, PASSWORD).status_code == 302


def test_successful_login_clears_the_accounts_failures(app, client, manager):
    post_login(client, manager.email, WRONG)
    post_login(client, manager.email, PASSWORD)
    count = in_db(app, lambda s: s.scalar(
        select(func.count()).select_from(LoginFailure).where(LoginFailure.email == manager.email)
    ))
    assert count == 0


def test_password_is_stored_as_argon2id(app, manager):
    stored = in_db(app, lambda s: s.get(User, manager.id).password_hash)
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_hash_with_old_cost_settings_is_upgraded_at_login(app, client, manager):
    old_hash = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1).hash(PASSWORD)

    def set_old_hash(session_db):
        session_db.get(User, manager.id).password_hash = old_hash

    in_db(app, set_old_hash)
    assert post_login(client, manager.email, PASSWORD).status_code == 302
    new_hash = in_db(app, lambda s: s.get(User, manager.id).password_hash)
    assert new_hash != old_hash
    assert new_hash.startswith("$argon2id$v=19$m=1024,t=1,p=1$")
    client.post("/logout")
    assert post_login(client, manager.email, PASSWORD).status_code == 302


def test_inactive_user_cannot_log_in(app, client, manager):
    def deactivate(session_db):
        session_db.get(User, manager.id).active = False

    in_db(app, deactivate)
    assert post_login(client, manager.email, PASSWORD).status_code == 401
    assert not is_logged_in(client)


def test_deactivating_a_user_ends_their_session(app, client, manager, login):
    login(manager)

    def deactivate(session_db):
        session_db.get(User, manager.id).active = False

    in_db(app, deactivate)
    assert not is_logged_in(client)


def test_changed_session_nonce_ends_the_session(app, client, manager, login):
    login(manager)
    assert is_logged_in(client)

    def new_nonce(session_db):
        session_db.get(User, manager.id).session_nonce = "rotated-nonce"

    in_db(app, new_nonce)
    response = client.get("/parks/new")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_session_cookie_is_httponly_and_samesite_lax(client, manager):
    response = post_login(client, manager.email, PASSWORD)
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_unknown_account_is_checked_against_a_dummy_hash(app, client, monkeypatch):
    """Timing must not tell which e-mail addresses have an account: a hash is verified anyway."""
    verified = []
    real_verify = PasswordHasher.verify

    def spy(self, hash_, password):
        verified.append(hash_)
        return real_verify(self, hash_, password)

    monkeypatch.setattr(PasswordHasher, "verify", spy)
    assert "werklandschap.dummy_hash" not in app.extensions
    response = client.post("/login", data={"email": "nobody@example.nl", "password": "x" * 12})
    assert response.status_code == 401
    dummy = app.extensions["werklandschap.dummy_hash"]
    assert dummy.startswith("$argon2id$")
    assert verified == [dummy]  # verified, not only made


@pytest.mark.parametrize("path", ["/", "/login", "/parks/", "/api/v1/parks", "/parks/nope"])
def test_pages_refuse_framing_and_sniffing(client, path):
    headers = client.get(path).headers
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Content-Security-Policy"] == "frame-ancestors 'none'"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
