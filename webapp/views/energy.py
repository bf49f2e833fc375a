"""Energy pages: own meters, what each company shares, and the park energy dashboard."""

from __future__ import annotations

from flask import Blueprint, abort

bp = Blueprint("energy", __name__)


@bp.route("/parks/<slug>/energy")
def park_energy(slug: str):
    """Placeholder until the page lands."""
    abort(404)

@bp.route("/energy")
def company():
    """Placeholder until the page lands."""
    abort(404)
