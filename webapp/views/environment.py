"""Environment pages of a park: water, heat and air quality from its sensors."""

from __future__ import annotations

from flask import Blueprint, abort

bp = Blueprint("environment", __name__)


@bp.route("/parks/<slug>/environment")
def index(slug: str):
    """Placeholder until the page lands."""
    abort(404)
