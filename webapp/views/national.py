"""National progress toward the target: the coordinators' dashboard and the public page."""

from __future__ import annotations

from flask import Blueprint, abort

bp = Blueprint("national", __name__)


@bp.route("/progress")
def public():
    """Placeholder until the page lands."""
    abort(404)

@bp.route("/national")
def dashboard():
    """Placeholder until the page lands."""
    abort(404)
