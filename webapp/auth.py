"""Who is making the request: session login (flask-login) or API bearer token."""

from __future__ import annotations

from flask import Flask, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from . import db
from .audit import Actor, set_actor
from .extensions import login_manager
from .models import User
from .security import user_for_token


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Load the session's user; a changed session nonce (new password, logout-all) ends it."""
    raw_id, _, nonce = user_id.partition(":")
    if not raw_id.isdigit():
        return None
    user = db.session().get(User, int(raw_id))
    if user is None or not user.active or user.session_nonce != nonce:
        return None
    return user


def bearer_user() -> User | None:
    """The user of a valid `Authorization: Bearer` token on this request, if any."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    return user_for_token(db.session(), token.strip())


def client_address() -> str:
    """The client's address (set ProxyFix in front of a proxy to trust X-Forwarded-For)."""
    return (request.remote_addr or "unknown")[:64]


def _attribute_changes() -> None:
    user = current_user
    if getattr(user, "is_authenticated", False):
        set_actor(Actor(user.email, user.id))
    else:
        set_actor(Actor(f"anonymous@{client_address()}"))


def init_app(app: Flask) -> None:
    """Configure flask-login and attribute each request's changes in the audit log."""
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    app.before_request(_attribute_changes)


def find_user_by_email(email: str) -> User | None:
    """The account with this e-mail address (case-insensitive)."""
    return db.session().scalar(select(User).where(User.email == email.strip().lower()))
