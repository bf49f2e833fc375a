"""The API blueprint, its authentication and request helpers."""

from __future__ import annotations

from flask import Blueprint, current_app, g, request
from flask_login import current_user
from flask_wtf.csrf import validate_csrf
from wtforms import ValidationError

from ..audit import Actor, set_actor
from ..auth import bearer_user
from ..errors import ApiError

bp = Blueprint("api", __name__, url_prefix="/api/v1")

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


@bp.before_request
def authenticate() -> None:
    """Bearer token or session; session writes must carry the CSRF token (X-CSRFToken)."""
    if request.headers.get("Authorization"):
        user = bearer_user()
        if user is None:
            raise ApiError(401, "Invalid or revoked token.", code="invalid_token")
        g.api_user = user
    else:
        g.api_user = current_user
        csrf_on = current_app.config.get("WTF_CSRF_ENABLED", True)
        if csrf_on and request.method in UNSAFE_METHODS and current_user.is_authenticated:
            try:
                validate_csrf(request.headers.get("X-CSRFToken", ""))
            except ValidationError as exc:
                raise ApiError(400, "Missing or invalid X-CSRFToken header.",
                               code="csrf_failed") from exc
    if getattr(g.api_user, "is_authenticated", False):
        set_actor(Actor(g.api_user.email, g.api_user.id))


def api_user():
    """The user of this API request (may be anonymous)."""
    return g.api_user


def require_login() -> None:
    """401 for anonymous callers."""
    if not getattr(g.api_user, "is_authenticated", False):
        raise ApiError(401, "Log in or send a bearer token.", code="unauthorized")


def json_body() -> dict:
    """The request's JSON object, or a 415/400 error."""
    if not request.is_json:
        raise ApiError(415, "Send JSON with Content-Type application/json.",
                       code="unsupported_media_type")
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(400, "The body must be a JSON object.", code="invalid_json")
    return data
