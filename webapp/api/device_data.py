"""API v1, read side of devices: latest values, rollups, dead letters and a park's alerts."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app, jsonify, request

from sensors.quantities import QUANTITIES

from .. import authz, db
from ..device_fields import FIRST_YEAR, LAST_YEAR, MomentOutOfRange, parse_moment
from ..errors import ApiError
from ..models import Alert
from ..services import device_data
from ..services.device_alerts import RULES, alerts_stmt
from ..services.device_dead_letters import dead_letter_to_dict, dead_letters_stmt
from ..services.parks import Page, paginate
from .base import api_user, bp, require_login
from .device_access import device_for, iso

MAX_PER_PAGE = 100
ALERT_STATES = ("open", "closed", "all")


def _page_args() -> tuple[int, int]:
    page = request.args.get("page", 1, type=int)
    per_page = request.args.get("per_page", current_app.config["PAGE_SIZE"], type=int)
    return max(1, page), max(1, min(per_page, MAX_PER_PAGE))


def _page_json(page: Page, items: list[dict]) -> dict:
    return {"items": items, "page": page.page, "per_page": page.per_page,
            "total": page.total, "pages": page.pages}


def _moment_arg(name: str) -> datetime | None:
    """An ISO 8601 query argument; without a zone it is Amsterdam time (years 1970..2100)."""
    text = request.args.get(name, "").strip()
    if not text:
        return None
    try:
        return parse_moment(text)
    except MomentOutOfRange:
        raise ApiError(400, f"'{name}' must lie between {FIRST_YEAR} and {LAST_YEAR}.",
                       code="validation_error",
                       fields={name: f"A date-time between {FIRST_YEAR} and {LAST_YEAR}."}
                       ) from None
    except ValueError:
        raise ApiError(400, f"'{name}' is not an ISO 8601 date and time.",
                       code="validation_error", fields={name: "Not an ISO 8601 date-time."}
                       ) from None


@bp.get("/devices/<uid>/latest")
def device_latest(uid: str):
    """The newest value of each of the device's sensors, in the canonical unit."""
    device = device_for(uid)
    values = device_data.latest_values(db.session(), device)
    now = datetime.now(UTC)
    return jsonify({
        "device": device.uid, "status": device_data.device_status(device, now),
        "last_seen_at": iso(device.last_seen_at),
        "items": [{"sensor_id": v.sensor.id, "field": v.sensor.field, "name": v.sensor.name,
                   "quantity": v.sensor.quantity, "unit": v.quantity.unit if v.quantity else None,
                   "value": v.value, "ts": iso(v.ts)} for v in values],
    })


def _points(rows) -> dict[int, list[dict]]:
    points: dict[int, list[dict]] = {}
    for rollup, sensor in rows:
        points.setdefault(sensor.id, []).append({
            "start": iso(rollup.start), "count": rollup.count, "min": rollup.min,
            "max": rollup.max, "mean": rollup.mean, "sum": rollup.sum,
            "consumption": rollup.consumption})
    return points


@bp.get("/devices/<uid>/readings")
def device_readings(uid: str):
    """Rollups of the device's sensors per 15 minutes, hour or day, for a time range."""
    device = device_for(uid)
    period = request.args.get("period", "1h")
    if period not in device_data.PERIODS:
        raise ApiError(400, "period must be 15m, 1h or 1d.", code="validation_error",
                       fields={"period": "One of 15m, 1h, 1d."})
    try:
        start, end = device_data.time_range(period, _moment_arg("from"), _moment_arg("to"),
                                            datetime.now(UTC))
    except (ValueError, OverflowError) as exc:
        raise ApiError(400, str(exc), code="validation_error", fields={"from": str(exc)}
                       ) from None
    points = _points(device_data.rollups(db.session(), device, period, start, end))
    return jsonify({"device": device.uid, "period": period, "from": iso(start), "to": iso(end),
                    "sensors": [{"sensor_id": s.id, "field": s.field, "quantity": s.quantity,
                                 "unit": QUANTITIES[s.quantity].unit
                                 if s.quantity in QUANTITIES else None,
                                 "points": points.get(s.id, [])} for s in device.sensors]})


@bp.get("/devices/<uid>/dead-letters")
def device_dead_letters(uid: str):
    """The device's rejected messages, newest first, with reason and payload preview."""
    device = device_for(uid)
    page, per_page = _page_args()
    result = paginate(db.session(), dead_letters_stmt(device.park_id, device.id), page,
                      per_page)
    return jsonify(_page_json(result, [dead_letter_to_dict(d) for d in result.items]))


def alert_json(alert: Alert) -> dict:
    """One alert."""
    rule = RULES.get(alert.rule)
    return {"id": alert.id, "rule": alert.rule, "name_en": rule.name_en if rule else alert.rule,
            "name_nl": rule.name_nl if rule else alert.rule, "severity": alert.severity,
            "device": alert.device.uid, "sensor": alert.sensor.field if alert.sensor else None,
            "value": alert.value, "threshold": alert.threshold,
            "started_at": iso(alert.started_at), "last_seen_at": iso(alert.last_seen_at),
            "ended_at": iso(alert.ended_at)}


@bp.get("/parks/<slug>/alerts")
def park_alerts(slug: str):
    """A park's alerts: open (default), closed or all; newest first."""
    require_login()
    park = authz.park_in_full(db.session(), api_user(), slug)
    state = request.args.get("state", "open")
    if state not in ALERT_STATES:
        raise ApiError(400, "state must be open, closed or all.", code="validation_error",
                       fields={"state": "One of open, closed, all."})
    page, per_page = _page_args()
    result = paginate(db.session(), alerts_stmt(park.id, state=state), page, per_page)
    return jsonify(_page_json(result, [alert_json(a) for a in result.items]))
