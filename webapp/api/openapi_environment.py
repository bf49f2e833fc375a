"""OpenAPI paths and schemas of the environment endpoints (merged by openapi.py)."""

from __future__ import annotations

from sensors.analytics.periods import KINDS, RESOLUTIONS

from ..services.environment_data import DEFAULT_RESOLUTION, VALUES
from ..services.environment_reports import COMPARED
from .spec import error_responses, json_response, ref

NUM_OR_NULL = {"type": ["number", "null"]}
STR = {"type": "string"}
DATE_TIME = {"type": "string", "format": "date-time"}
DOMAIN_SUMMARIES = {"water": "Rainfall, water levels and water use of a park",
                    "heat": "Temperature and heat-stress hours of a park",
                    "air": "PM2.5, PM10 and NO2 of a park against the WHO 2021 guidelines"}
STATS = {
    "water": "rainfall: total_mm, wettest_day_mm, wettest_day; water_level: max_cm, max_at, "
             "limit_cm (the device's water_level_limit_cm), above_limit (max > limit), "
             "margin_cm (limit - max), min_cm, mean_cm; water_use: total_m3, days, per_day_m3.",
    "heat": "temperature: warning_hours and alarm_hours (hours whose mean is >= 27 and >= 30 "
            "°C, from hourly rollups), hours, mean_c (mean of the hourly means), min_c, max_c, "
            "max_hourly_mean_c, max_hourly_mean_at, warning_c, alarm_c.",
    "air": "pm25/pm10/no2: mean (mean of the daily means), days, exceedance_days (daily mean "
           "strictly above the WHO 24-hour guideline), max_daily_mean, who_24h, who_annual, "
           "annual_ratio (mean / WHO annual guideline).",
}


def _query(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema,
            "description": description}


def _defaults(domain: str) -> str:
    pairs = ", ".join(f"{kind} {res}" for kind, res in DEFAULT_RESOLUTION[domain].items())
    return f"Default per period: {pairs}; for from/to by length (<= 2 days 1h, <= 92 days 1d, " \
           "else 1mo). 15m only for a day (at most 25 hours)."


def _parameters(domain: str) -> list[dict]:
    return [
        _query("period", {"type": "string", "enum": list(KINDS), "default": "week"},
               "Amsterdam calendar period; not together with from/to."),
        _query("at", STR, "The period: its key (2026-10-25, 2026-W43, 2026-10, 2026) or any "
               "date in it (YYYY-MM-DD). Default: the current period."),
        _query("from", STR, "ISO 8601 start (inclusive); without a zone Amsterdam time. "
               "Needs to."),
        _query("to", STR, "ISO 8601 end (exclusive); without a zone Amsterdam time."),
        _query("resolution", {"type": "string", "enum": list(RESOLUTIONS)}, _defaults(domain)),
        _query("value", {"type": "string", "enum": list(VALUES[domain])},
               "Only this value key (default: all of the domain)."),
    ]


def _path(domain: str) -> dict:
    return {
        "parameters": [{"name": "slug", "in": "path", "required": True, "schema": STR}],
        "get": {
            "summary": DOMAIN_SUMMARIES[domain],
            "description": "From rollups of every sensor of any device of the park. Figures "
                           "per sensor: " + STATS[domain] + " With a period, `previous` holds "
                           "the compared figures of the previous period.",
            "operationId": f"getParkEnvironment{domain.capitalize()}",
            "parameters": _parameters(domain),
            "responses": {"200": json_response(ref("EnvironmentReport")),
                          **error_responses(400, 401, 404)},
        },
    }


PATHS: dict = {f"/parks/{{slug}}/environment/{domain}": _path(domain) for domain in VALUES}

_SENSOR = {
    "value": {"type": "string", "enum": [k for keys in VALUES.values() for k in keys]},
    "sensor_id": {"type": "integer"}, "field": STR, "name": STR, "quantity": STR, "unit": STR,
    "device": STR, "device_name": STR, "location": STR,
}
_FIGURE = {"type": ["number", "integer", "boolean", "string", "null"],
           "description": "A number, a yes/no, an ISO date or date-time (UTC), or null"}
SCHEMAS: dict = {
    "EnvironmentPoint": {"type": "object", "properties": {
        "start": DATE_TIME, "value": NUM_OR_NULL, "min": NUM_OR_NULL, "max": NUM_OR_NULL,
        "count": {"type": "integer", "description": "Readings in the bucket"}},
        "description": "One bucket: the sum (rainfall), meter consumption (water_use) or mean "
                       "(others, with min and max)."},
    "EnvironmentSeries": {"type": "object", "properties": {
        **_SENSOR, "points": {"type": "array", "items": ref("EnvironmentPoint")}}},
    "EnvironmentSummary": {"type": "object", "properties": {
        **_SENSOR, "stats": {"type": "object", "additionalProperties": _FIGURE},
        "previous": {"type": ["object", "null"], "additionalProperties": _FIGURE,
                     "description": "Compared figures of the previous period: "
                                    + "; ".join(f"{k}: {', '.join(v)}"
                                                for k, v in COMPARED.items())}}},
    "EnvironmentReport": {"type": "object", "properties": {
        "park": STR, "domain": {"type": "string", "enum": list(VALUES)},
        "values": {"type": "array", "items": STR},
        "period": {"type": ["object", "null"], "properties": {
            "kind": STR, "key": STR, "label": STR}},
        "previous": {"type": ["object", "null"], "properties": {
            "key": STR, "from": DATE_TIME, "to": DATE_TIME}},
        "from": DATE_TIME, "to": DATE_TIME,
        "resolution": {"type": "string", "enum": list(RESOLUTIONS)},
        "references": {"type": "object", "description": "Thresholds drawn on the charts: "
                       "heat_warning_c/heat_alarm_c, or who_24h/who_annual per pollutant"},
        "series": {"type": "array", "items": ref("EnvironmentSeries")},
        "summary": {"type": "array", "items": ref("EnvironmentSummary")}}},
}
