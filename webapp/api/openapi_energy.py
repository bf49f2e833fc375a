"""OpenAPI paths and schemas of the energy endpoints (merged by openapi.py)."""

from __future__ import annotations

from sensors.analytics.periods import KINDS, RESOLUTIONS

from ..models import SHARE_LEVELS
from ..services.energy_data import SERIES_COLUMNS
from ..services.energy_sharing import AUDIENCES, MIN_COMPANIES
from .energy_params import DEFAULT_KIND, MAX_SPAN
from .spec import error_responses, json_response, ref

NUMBER_OR_NULL = {"type": ["number", "null"]}
STRING = {"type": "string"}
DATE_TIME = {"type": "string", "format": "date-time"}
DATE_TIME_OR_NULL = {"type": ["string", "null"], "format": "date-time"}
CONSENT = (f"Consent is read at request time: only meters whose company shares them count, and "
           f"an aggregate of fewer than {MIN_COMPANIES} companies is withheld (no series, no "
           f"figures; only how many companies share).")


def _query(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema,
            "description": description}


_SPANS = ", ".join(f"{res} {span.days} days" for res, span in MAX_SPAN.items())
RANGE_PARAMETERS = [
    _query("period", {"type": "string", "enum": list(KINDS), "default": DEFAULT_KIND},
           "Amsterdam calendar period; not together with from/to."),
    _query("value", STRING, "The period: its key (2026-10-25, 2026-W43, 2026-10, 2026) or "
           "any date in it (YYYY-MM-DD). Default: the current one."),
    _query("at", STRING, "Alias of value (as in the environment API)."),
    _query("from", STRING, "Start (inclusive): ISO 8601 with a UTC offset, or a date "
           "(Amsterdam midnight). Needs 'to'. Must lie on a bucket edge of the resolution."),
    _query("to", STRING, "End (exclusive), as 'from'; after 'from'."),
    _query("resolution", {"type": "string", "enum": list(RESOLUTIONS)},
           "Bucket size. Default: day 15m, week 1h, month 1d, year 1mo; for from/to by "
           f"length (<= 2 days 15m, <= 31 days 1h, else 1d). Longest range per resolution: "
           f"{_SPANS}. Never coarser than the period. Months and years are quicker as a "
           f"period than as from/to (their peaks are kept month by month)."),
]
SERIES_ITEM = {"type": "object", "properties": {
    "start": {**DATE_TIME, "description": "Bucket start (UTC); days and months start at "
                                          "Amsterdam midnight"},
    **{c: {**NUMBER_OR_NULL, "description": "kWh in the bucket"} for c in SERIES_COLUMNS}}}
SUMMARY = {"type": ["object", "null"], "properties": {
    "meters": {"type": "integer", "description": "Meters with data in the range"},
    "import_kwh": NUMBER_OR_NULL, "export_kwh": NUMBER_OR_NULL, "pv_kwh": NUMBER_OR_NULL,
    "consumption_kwh": {**NUMBER_OR_NULL, "description": "import + pv - export"},
    "self_consumed_kwh": {**NUMBER_OR_NULL, "description": "pv - export, within [0, pv]"},
    "self_sufficiency": {**NUMBER_OR_NULL, "description": "self-consumed / consumption (0-1)"},
    "self_consumption": {**NUMBER_OR_NULL, "description": "self-consumed / pv (0-1)"},
    "collective_peak_kw": {**NUMBER_OR_NULL, "description": "Highest quarter-hour of summed "
                                                            "net import (coincident)"},
    "collective_peak_at": DATE_TIME_OR_NULL,
    "sum_individual_peaks_kw": {**NUMBER_OR_NULL, "description": "Sum of each meter's own "
                                                                 "highest quarter-hour import"},
    "headroom_kw": {**NUMBER_OR_NULL, "description": "Sum of individual peaks - collective "
                                                     "peak: what a group contract frees"},
    "contracted_kw": NUMBER_OR_NULL,
    "peak_vs_contract": {**NUMBER_OR_NULL, "description": "collective peak / contracted"}}}
RANGE_PROPERTIES = {
    "from": DATE_TIME, "to": DATE_TIME,
    "resolution": {"type": "string", "enum": list(RESOLUTIONS)},
    "period": {"type": ["object", "null"], "description": "Null for from/to", "properties": {
        "kind": {"type": "string", "enum": list(KINDS)}, "key": STRING, "label_nl": STRING,
        "label_en": STRING, "previous": STRING, "next": STRING}},
}
FIGURES = {
    "series": {"type": "array", "items": ref("EnergyBucket"),
               "description": "Buckets that have data, in time order"},
    "summary": ref("EnergySummary"),
    "previous": {**ref("EnergySummary"), "description": "The previous period (null for from/to "
                                                         "or when withheld)"},
}
METER = {"type": "object", "properties": {
    "uid": STRING, "name": STRING,
    "company": {"type": "object", "properties": {"id": {"type": "integer"}, "name": STRING}},
    "level": {"type": "string", "enum": list(SHARE_LEVELS)},
    "totals": {"type": "object", "properties": {c: NUMBER_OR_NULL for c in SERIES_COLUMNS}},
    "peak_kw": {**NUMBER_OR_NULL, "description": "Highest quarter-hour import"}}}
SHARE = {"type": "object", "properties": {
    "meter": STRING, "level": {"type": "string", "enum": list(SHARE_LEVELS)},
    "levels": {"type": "array", "items": STRING},
    "may_change": {"type": "boolean"},
    "changed": {"type": "boolean", "description": "PUT only: false when the level was the "
                                                  "same already (nothing logged)"}}}
CHANGE = {"type": "object", "properties": {
    "id": {"type": "integer"}, "from_level": STRING, "to_level": STRING,
    "changed_at": DATE_TIME,
    "changed_by": {"type": ["object", "null"], "properties": {"name": STRING, "email": STRING}},
    "note": STRING}}

SCHEMAS: dict[str, dict] = {
    "EnergyBucket": SERIES_ITEM,
    "EnergySummary": SUMMARY,
    "EnergyMeter": METER,
    "ParkEnergy": {"type": "object", "properties": {
        "park": STRING, "audience": {"type": "string", "enum": list(AUDIENCES)},
        **RANGE_PROPERTIES,
        "companies_sharing": {"type": "integer"}, "min_companies": {"type": "integer"},
        "withheld": {"type": "boolean"}, **FIGURES,
        "stress_hours": {"type": "array", "items": {"type": "object", "properties": {
            "rank": {"type": "integer"}, "start": DATE_TIME, "net_kw": NUMBER_OR_NULL,
            "import_kw": NUMBER_OR_NULL}}},
        "meters": {"type": "array", "items": ref("EnergyMeter"),
                   "description": "Board audience only: meters shared with the board by name"},
    }},
    "CompanyEnergy": {"type": "object", "properties": {
        "company": {"type": "object", "properties": {
            "id": {"type": "integer"}, "name": STRING, "park": STRING,
            "contracted_capacity_kw": NUMBER_OR_NULL}},
        **RANGE_PROPERTIES, **FIGURES,
        "meters": {"type": "array", "items": ref("EnergyMeter")}}},
    "MeterEnergy": {"type": "object", "properties": {
        "meter": {"type": "object", "properties": {"uid": STRING, "name": STRING,
                                                   "company": {"type": "object"}}},
        **RANGE_PROPERTIES, **FIGURES}},
    "MeterShare": SHARE,
    "MeterShareInput": {"type": "object", "additionalProperties": False, "required": ["level"],
                        "properties": {"level": {"type": "string", "enum": list(SHARE_LEVELS)},
                                       "note": {"type": "string", "maxLength": 2000}}},
    "MeterShareHistory": {"type": "object", "properties": {
        "meter": STRING, "items": {"type": "array", "items": ref("MeterShareChange")}}},
    "MeterShareChange": CHANGE,
}

SLUG = {"name": "slug", "in": "path", "required": True, "schema": STRING}
UID = {"name": "uid", "in": "path", "required": True, "schema": STRING}
COMPANY_ID = {"name": "company_id", "in": "path", "required": True,
              "schema": {"type": "integer"}}
OWN = "Only users of the owning company, coordinators and admins; anyone else gets 404."

PATHS: dict[str, dict] = {
    "/parks/{slug}/energy": {
        "parameters": [SLUG],
        "get": {"summary": "The park's energy aggregate of consenting meters",
                "description": "The audience follows the caller: board (board members of the "
                               "park's association, coordinators, admins: also the meters "
                               "shared by name), park (park managers, members of its "
                               "companies: meters at aggregate, board or public level), public "
                               "(anyone, public parks: public-level meters only). " + CONSENT,
                "operationId": "getParkEnergy", "parameters": RANGE_PARAMETERS,
                "responses": {"200": json_response(ref("ParkEnergy")),
                              **error_responses(400, 404)}},
    },
    "/companies/{company_id}/energy": {
        "parameters": [COMPANY_ID],
        "get": {"summary": "A company's own meters, summed and one by one",
                "description": OWN, "operationId": "getCompanyEnergy",
                "parameters": RANGE_PARAMETERS,
                "responses": {"200": json_response(ref("CompanyEnergy")),
                              **error_responses(400, 401, 404)}},
    },
    "/meters/{uid}/energy": {
        "parameters": [UID],
        "get": {"summary": "One meter's series and summary", "description": OWN,
                "operationId": "getMeterEnergy", "parameters": RANGE_PARAMETERS,
                "responses": {"200": json_response(ref("MeterEnergy")),
                              **error_responses(400, 401, 404)}},
    },
    "/meters/{uid}/share": {
        "parameters": [UID],
        "get": {"summary": "What a meter shares", "description": OWN,
                "operationId": "getMeterShare",
                "responses": {"200": json_response(ref("MeterShare")),
                              **error_responses(401, 404)}},
        "put": {"summary": "Set what a meter shares (logged)",
                "description": "none: nothing; aggregate: counted in the park aggregate; "
                               "board: also named to the association board; public: also in "
                               "the public aggregate. Only users of the owning company and "
                               "admins (coordinators get 403). Revoking takes the meter out of "
                               "every aggregate at once. Every change is kept in the history.",
                "operationId": "setMeterShare",
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": ref("MeterShareInput")}}},
                "responses": {"200": json_response(ref("MeterShare")),
                              **error_responses(400, 401, 403, 404, 415)}},
    },
    "/meters/{uid}/share/history": {
        "parameters": [UID],
        "get": {"summary": "Every change of a meter's share level, newest first",
                "description": OWN, "operationId": "getMeterShareHistory",
                "responses": {"200": json_response(ref("MeterShareHistory")),
                              **error_responses(401, 404)}},
    },
}
