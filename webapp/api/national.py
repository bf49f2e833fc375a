"""API v1: national progress toward the target.

``GET /national/progress`` is public: aggregates over all parks, naming only parks with a
public profile (and not their phase). ``GET /national/report`` is the coordinators' report
with the phase of every living lab and ambassador park; anyone else gets a 404.
"""

from __future__ import annotations

from flask import current_app, jsonify

from .. import authz, db
from ..errors import ApiError
from ..services import national as national_service
from ..services.national_report import overview_dict
from .base import api_user, bp


def _overview(public: bool) -> dict:
    target = national_service.target_from_config(current_app.config)
    data = national_service.national_overview(db.session(), target, public=public)
    return overview_dict(data, public=public)


@bp.get("/national/progress")
def national_progress():
    """National progress: the public aggregates."""
    return jsonify(_overview(public=True))


@bp.get("/national/report")
def national_report():
    """The coordinators' progress report (404 for everyone else)."""
    if not authz.sees_everything(api_user()):
        raise ApiError(404, "Not found.", code="not_found")
    return jsonify(_overview(public=False))
