"""Measures and living-lab experiments of a park: list, log, edit, status history, adoption."""

from __future__ import annotations

from flask import Blueprint, abort

bp = Blueprint("measures", __name__)


@bp.get("/parks/<slug>/measures")
def index(slug: str):
    abort(404)
