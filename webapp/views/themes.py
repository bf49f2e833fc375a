"""Theme compass per park, theme pages, the practice library and the coordinators' comparison."""

from __future__ import annotations

from flask import Blueprint, abort

bp = Blueprint("themes", __name__)


@bp.get("/parks/<slug>/themes")
def compass(slug: str):
    abort(404)
