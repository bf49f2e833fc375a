"""A park's roadmap: phases, milestones, planned measures and the phase override."""

from __future__ import annotations

from flask import Blueprint, abort

bp = Blueprint("roadmaps", __name__)


@bp.route("/parks/<slug>/roadmap")
def show(slug: str):
    """Placeholder until the page lands."""
    abort(404)
