"""API v1: environment (water, heat, air) series of a park, with figures per sensor.

``GET /parks/{slug}/environment/{water|heat|air}`` with either ``period`` (day, week, month,
year) and ``at`` (a period key such as 2026-W43, or any date in it; default: the current period),
or ``from`` and ``to`` (ISO 8601; without a zone Amsterdam time). Optional ``resolution`` (15m,
1h, 1d, 1mo) and ``value`` (one value key of the domain). Only callers who see the park in full
get an answer; for anyone else the park does not exist (404).
"""

from __future__ import annotations

from flask import jsonify, request

from sensors.analytics import climate

from .. import authz, db
from ..device_fields import FIRST_YEAR, LAST_YEAR, MomentOutOfRange, parse_moment
from ..errors import ApiError
from ..services.environment_data import (
    VALUES,
    EnvSensor,
    Window,
    WindowError,
    check_resolution,
    parse_period,
    period_window,
    range_window,
)
from ..services.environment_exports import json_value
from ..services.environment_reports import EnvironmentReport, SensorSummary, build_report
from ..services.themes import today_amsterdam
from .base import api_user, bp, require_login


def _invalid(field: str, message: str) -> ApiError:
    return ApiError(400, message, code="validation_error", fields={field: message})


def _moment(name: str):
    text = request.args.get(name, "").strip()
    if not text:
        raise _invalid(name, f"'{name}' is required with from/to.")
    try:
        return parse_moment(text)
    except MomentOutOfRange:
        raise _invalid(name, f"A date-time between {FIRST_YEAR} and {LAST_YEAR}.") from None
    except ValueError:
        raise _invalid(name, "Not an ISO 8601 date-time.") from None


def _window(domain: str) -> Window:
    args = request.args
    try:
        resolution = check_resolution(args.get("resolution"))
        if args.get("from") or args.get("to"):
            if args.get("period") or args.get("at"):
                raise WindowError("period", "Give either period (and at) or from and to.")
            return range_window(_moment("from"), _moment("to"), resolution)
        period = parse_period(args.get("period") or "week", args.get("at"), today_amsterdam())
        return period_window(domain, period, resolution)
    except WindowError as exc:
        raise _invalid(exc.field, str(exc)) from None


def _keys(domain: str) -> tuple[str, ...]:
    value = request.args.get("value", "").strip()
    if not value:
        return VALUES[domain]
    if value not in VALUES[domain]:
        raise _invalid("value", f"value must be one of {', '.join(VALUES[domain])}.")
    return (value,)


def _sensor_json(sensor: EnvSensor) -> dict:
    return {"value": sensor.key, "sensor_id": sensor.id, "field": sensor.field,
            "name": sensor.name, "quantity": sensor.quantity, "unit": sensor.unit,
            "device": sensor.device_uid, "device_name": sensor.device_name,
            "location": sensor.location}


def _points(report: EnvironmentReport, sensor: EnvSensor) -> list[dict]:
    rows = report.series[report.series["sensor_id"] == sensor.id].sort_values("start")
    return [{"start": json_value(row.start.to_pydatetime()), "value": json_value(row.value),
             "min": json_value(row.min), "max": json_value(row.max), "count": int(row.count)}
            for row in rows.itertuples(index=False)]


def _summary_json(summary: SensorSummary) -> dict:
    previous = summary.previous
    return {**_sensor_json(summary.sensor),
            "stats": {k: json_value(v) for k, v in summary.stats.items()},
            "previous": None if previous is None else {k: json_value(v)
                                                       for k, v in previous.items()}}


def _window_json(window: Window) -> dict:
    period, before = window.period, window.previous()
    return {
        "period": None if period is None else {
            "kind": period.kind, "key": period.key(), "label": period.label("en")},
        "previous": None if before is None or before.period is None else {
            "key": before.period.key(), "from": json_value(before.start),
            "to": json_value(before.end)},
        "from": json_value(window.start), "to": json_value(window.end),
        "resolution": window.resolution,
    }


def _references(domain: str) -> dict:
    if domain == "heat":
        return {"heat_warning_c": climate.HEAT_WARNING_C, "heat_alarm_c": climate.HEAT_ALARM_C}
    if domain == "air":
        return {"who_24h": climate.WHO_24H, "who_annual": climate.WHO_ANNUAL}
    return {}


def _answer(slug: str, domain: str):
    require_login()
    session_db = db.session()
    park = authz.park_in_full(session_db, api_user(), slug)
    keys, window = _keys(domain), _window(domain)
    report = build_report(session_db, park, domain, window, keys)
    return jsonify({
        "park": park.slug, "domain": domain, "values": list(keys), **_window_json(window),
        "references": _references(domain),
        "series": [{**_sensor_json(s), "points": _points(report, s)} for s in report.sensors],
        "summary": [_summary_json(s) for s in report.summaries],
    })


@bp.get("/parks/<slug>/environment/water")
def environment_water(slug: str):
    """Rainfall, water levels and water use of a park."""
    return _answer(slug, "water")


@bp.get("/parks/<slug>/environment/heat")
def environment_heat(slug: str):
    """Temperature and heat-stress hours of a park."""
    return _answer(slug, "heat")


@bp.get("/parks/<slug>/environment/air")
def environment_air(slug: str):
    """PM2.5, PM10 and NO2 of a park against the WHO guidelines."""
    return _answer(slug, "air")
