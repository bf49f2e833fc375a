"""Error responses: a page for people, `{"error": {...}}` JSON under /api/."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood.")),
    401: (_l("Log in first"), _l("You need to log in for this.")),
    403: (_l("Not allowed"), _l("Your account may not do this.")),
    404: (_l("Not found"), _l("This page does not exist, or you may not see it.")),
    405: (_l("Not allowed"), _l("This method is not allowed here.")),
    413: (_l("Too large"), _l("The upload is too large.")),
    415: (_l("Unsupported type"), _l("Send JSON with Content-Type application/json.")),
    429: (_l("Too many attempts"), _l("Too many attempts. Try again later.")),
    500: (_l("Something went wrong"), _l("An unexpected error occurred. Try again later.")),
}
CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
         405: "method_not_allowed", 413: "too_large", 415: "unsupported_media_type",
         429: "too_many_requests", 500: "internal_error"}


class ApiError(Exception):
    """Raised by API handlers: becomes `{"error": {"code", "message", "fields"}}`."""

    def __init__(self, status: int, message: str, *, code: str | None = None,
                 fields: dict | None = None):
        super().__init__(message)
        self.status, self.message, self.code, self.fields = status, message, code, fields


def wants_json() -> bool:
    """API requests get JSON errors."""
    return request.path.startswith("/api/")


def api_error(status: int, message: str | None = None, fields: dict | None = None,
              code: str | None = None):
    """A JSON error response in the API's shape."""
    body = {"code": code or CODES.get(status, "error"),
            "message": str(message or MESSAGES.get(status, MESSAGES[500])[1])}
    if fields:
        body["fields"] = fields
    return jsonify({"error": body}), status


def _handle(exc: HTTPException):
    status = exc.code or 500
    if isinstance(exc, CSRFError):
        message = _l("The form has expired or was not sent from this site. Please try again.")
        if wants_json():
            return api_error(400, str(message), code="csrf_failed")
        return render_template("errors/error.html", title=MESSAGES[400][0],
                               message=message), 400
    if wants_json():
        return api_error(status)
    title, message = MESSAGES.get(status, (exc.name, exc.description))
    return render_template("errors/error.html", title=title, message=message), status


def init_app(app: Flask) -> None:
    """Register the error handlers (500 included: Flask hands unexpected errors to it)."""
    app.register_error_handler(HTTPException, _handle)
    app.register_error_handler(
        ApiError, lambda e: api_error(e.status, e.message, e.fields, e.code)
    )
