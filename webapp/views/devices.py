"""Devices of a park: register, edit, credentials, latest values, charts, dead letters, alerts."""

from __future__ import annotations

from flask import Blueprint, abort

bp = Blueprint("devices", __name__)


@bp.get("/parks/<slug>/devices")
def index(slug: str):
    abort(404)
