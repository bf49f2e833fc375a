"""Request guards that apply to every form and API write.

A NUL character is never meaningful in our text and PostgreSQL refuses to store it; rather than
fail deep inside a transaction (a 500), such a request is refused up front with a 400 that names
the problem. The HTTP ingest is left alone: a device's bad payload must become a dead letter.
"""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import gettext

from .errors import ApiError

WRITES = frozenset({"POST", "PUT", "PATCH"})
INGEST_PREFIX = "/api/v1/ingest/"


def has_nul() -> bool:
    """Whether the form fields or the JSON body of this request contain a NUL character."""
    if any("\x00" in value for value in request.form.values()):
        return True
    if request.is_json:
        return b"\\u0000" in request.get_data(cache=True).lower()
    return False


def refuse_nul_characters():
    """Answer 400 to a write that carries a NUL character (before_request hook)."""
    if request.method not in WRITES or request.path.startswith(INGEST_PREFIX) or not has_nul():
        return
    message = gettext("The input contains a NUL character (\\0), which is not allowed.")
    if request.path.startswith("/api/"):
        raise ApiError(400, message, code="invalid_character")
    return render_template("errors/error.html", title=gettext("Invalid input"),
                           message=message), 400


def init_app(app: Flask) -> None:
    app.before_request(refuse_nul_characters)
