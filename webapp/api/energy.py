"""API v1: energy — the park aggregate, a company's and a meter's own figures, share levels.

The rules are the pages' (webapp.services.energy_sharing): consent is read at request time, an
aggregate of fewer than 3 companies is withheld (no series, no figures), a company's own meters
are seen only by its users and by coordinators and admins; anyone else gets 404.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import pandas as pd
from flask import jsonify, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from sensors.analytics.energy import EnergySummary
from sensors.rollups import AMSTERDAM

from .. import authz, db
from ..errors import ApiError
from ..models import SHARE_LEVELS, Device, MeterShareChange
from ..services import energy_data, energy_sharing
from ..services.energy_views import energy_view
from .base import api_user, bp, json_body, require_login
from .energy_json import (
    change_json,
    meters_json,
    range_json,
    series_json,
    stress_json,
    summary_json,
)
from .energy_params import EnergyRange, energy_range, invalid

HISTORY_LIMIT = 500
NOTE_MAX = 2000


def _range() -> EnergyRange:
    return energy_range(request.args, datetime.now(AMSTERDAM).date())


def _capacity(value) -> float | None:
    return None if value is None else float(value)


def _figures(meters: Sequence[Device], rng: EnergyRange, contracted_kw: float | None,
             stress: bool = False):
    """Series, summary, previous period's summary (None for from/to) and stress hours."""
    session_db = db.session()
    if rng.period is not None:
        view = energy_view(session_db, meters, rng.period, contracted_kw, rng.resolution,
                           with_stress=stress)
        return view.series, view.summary, view.previous, view.stress
    frame = energy_data.series(session_db, meters, rng.start, rng.end, rng.resolution)
    summary = energy_data.summary(session_db, meters, rng.start, rng.end, contracted_kw,
                                  series_frame=frame)
    hours = (energy_data.stress_hours(session_db, meters, rng.start, rng.end)
             if stress else None)
    return frame, summary, None, hours


def _figures_json(series: pd.DataFrame, summary: EnergySummary | None,
                  previous: EnergySummary | None) -> dict:
    return {"series": series_json(series), "summary": summary_json(summary),
            "previous": summary_json(previous)}


@bp.get("/parks/<slug>/energy")
def park_energy(slug: str):
    """The park aggregate of the consenting meters for the caller's audience."""
    session_db = db.session()
    park = authz.park_for_view(session_db, api_user(), slug)
    audience = energy_sharing.audience(session_db, api_user(), park)
    if audience is None:
        raise ApiError(404, "Park not found.", code="not_found")
    rng = _range()
    before = rng.period.previous() if rng.period is not None else None
    shared = energy_sharing.in_window(
        session_db, park, energy_sharing.shared_meters(session_db, park, audience), rng.start,
        rng.end, (before.start_utc, before.end_utc) if before is not None else None)
    answer = {"park": park.slug, "audience": audience, **range_json(rng),
              "companies_sharing": shared.companies, "min_companies": shared.min_companies,
              "withheld": shared.withheld, "series": [], "summary": None, "previous": None,
              "stress_hours": []}
    if not shared.withheld:
        # The contracted capacity is not part of a park's public profile.
        capacity = None if audience == "public" else _capacity(park.contracted_capacity_kw)
        series, summary, previous, stress = _figures(shared.usable_meters, rng, capacity,
                                                     stress=True)
        if shared.previous_withheld:
            previous = None
        answer |= {**_figures_json(series, summary, previous), "stress_hours": stress_json(stress)}
    levels = energy_sharing.share_levels(session_db, [m.id for m in shared.named])
    answer["meters"] = meters_json(session_db, shared.named, levels, rng)
    return jsonify(answer)


@bp.get("/companies/<int:company_id>/energy")
def company_energy(company_id: int):
    """A company's own meters, summed, and each meter with its share level."""
    require_login()
    session_db = db.session()
    company = energy_sharing.visible_company(session_db, api_user(), company_id)
    if company is None or company.id != company_id:
        raise ApiError(404, "Company not found.", code="not_found")
    rng = _range()
    meters = energy_sharing.company_meters(session_db, company)
    series, summary, previous, _ = _figures(meters, rng,
                                            _capacity(company.contracted_capacity_kw))
    levels = energy_sharing.share_levels(session_db, [m.id for m in meters])
    return jsonify({"company": {"id": company.id, "name": company.name,
                                "park": company.park.slug,
                                "contracted_capacity_kw": _capacity(
                                    company.contracted_capacity_kw)},
                    **range_json(rng), **_figures_json(series, summary, previous),
                    "meters": meters_json(session_db, meters, levels, rng)})


def _meter(uid: str) -> Device:
    """The caller's own meter (coordinators and admins: any meter); else 401/404."""
    require_login()
    meter = energy_sharing.visible_meter(db.session(), api_user(), uid)
    if meter is None:
        raise ApiError(404, "Meter not found.", code="not_found")
    return meter


@bp.get("/meters/<uid>/energy")
def meter_energy(uid: str):
    """One meter's series and summary."""
    meter = _meter(uid)
    rng = _range()
    series, summary, previous, _ = _figures([meter], rng, None)
    return jsonify({"meter": {"uid": meter.uid, "name": meter.name,
                              "company": {"id": meter.company_id, "name": meter.company.name}},
                    **range_json(rng), **_figures_json(series, summary, previous)})


def _share_json(meter: Device) -> dict:
    session_db = db.session()
    share = energy_sharing.share_level(session_db, meter)
    return {"meter": meter.uid, "level": share, "levels": list(SHARE_LEVELS),
            "may_change": energy_sharing.may_change_share(api_user(), meter)}


@bp.get("/meters/<uid>/share")
def get_meter_share(uid: str):
    """What the meter shares now, and whether the caller may change it."""
    return jsonify(_share_json(_meter(uid)))


@bp.put("/meters/<uid>/share")
def put_meter_share(uid: str):
    """Set what the meter shares (users of the owning company and admins); logged."""
    meter = _meter(uid)
    if not energy_sharing.may_change_share(api_user(), meter):
        raise ApiError(403, "Only the company that owns this meter may change what it shares.",
                       code="forbidden")
    data = json_body()
    level, note = data.get("level"), data.get("note", "")
    if level not in SHARE_LEVELS:
        raise invalid("level", f"level must be one of {', '.join(SHARE_LEVELS)}.")
    if not isinstance(note, str) or len(note) > NOTE_MAX:
        raise invalid("note", f"note must be text of at most {NOTE_MAX} characters.")
    session_db = db.session()
    change = energy_sharing.set_share(session_db, meter, level, api_user(), note)
    session_db.commit()
    return jsonify({**_share_json(meter), "changed": change is not None})


@bp.get("/meters/<uid>/share/history")
def meter_share_history(uid: str):
    """Every change of the meter's share level, newest first."""
    meter = _meter(uid)
    stmt = (select(MeterShareChange).where(MeterShareChange.device_id == meter.id)
            .options(selectinload(MeterShareChange.changed_by))
            .order_by(MeterShareChange.changed_at.desc(), MeterShareChange.id.desc())
            .limit(HISTORY_LIMIT))
    changes = db.session().scalars(stmt)
    return jsonify({"meter": meter.uid, "items": [change_json(c) for c in changes]})

