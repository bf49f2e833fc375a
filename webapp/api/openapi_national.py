"""OpenAPI paths and schemas of the national endpoints (merged by openapi.py)."""

from __future__ import annotations

import themes
from roadmap.phases import PHASE_CODES
from roadmap.programme import PROVINCES

from .spec import error_responses, json_response, ref

INT = {"type": "integer", "minimum": 0}
NUM = {"type": "number"}
STR = {"type": "string"}
DATE = {"type": "string", "format": "date"}
DATE_OR_NULL = {"type": ["string", "null"], "format": "date"}
PHASE = {"type": "string", "enum": list(PHASE_CODES)}


def _object(properties: dict, required: list[str] | None = None) -> dict:
    schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema


def _array(items: dict) -> dict:
    return {"type": "array", "items": items}


PROGRESS = _object({
    "on_its_way": INT, "expected": NUM,
    "gap": {**NUM, "description": "Parks behind the trajectory (negative when ahead)."},
    "share_of_target": {**NUM, "description": "on_its_way / target parks (0..1, above 1 "
                                              "once passed)."},
    "on_track": {"type": "boolean"}})
FORECAST = _object({
    "model": {"type": "string", "enum": ["logistic", "linear", "insufficient"]},
    "reach_date": DATE_OR_NULL, "reach_low": DATE_OR_NULL, "reach_high": DATE_OR_NULL,
    "explanation_nl": STR, "explanation_en": STR,
    "curve": _array(_object({"day": DATE, "mid": NUM, "low": NUM, "high": NUM}))})
SPOTLIGHT = _object({
    "slug": STR, "name": STR, "province": STR,
    "programme_role": {"type": "string", "enum": ["living_lab", "ambassadeursterrein"]},
    "phase": {"type": ["string", "null"], "enum": [*PHASE_CODES, None],
              "description": "Only in the coordinators' report."}},
    ["slug", "name", "province", "programme_role"])

SCHEMAS = {
    "NationalOverview": _object({
        "day": {**DATE_OR_NULL, "description": "The latest snapshot day; null (and the "
                                               "figures empty) before the first snapshot."},
        "target": _object({"parks": INT, "start": DATE, "end": DATE}),
        "registered": INT,
        "progress": {"oneOf": [PROGRESS, {"type": "null"}]},
        "forecast": {"oneOf": [FORECAST, {"type": "null"}]},
        "series": _array(_object({"day": DATE, "on_its_way": INT})),
        "phases": _array(_object({"code": PHASE, "name_nl": STR, "name_en": STR,
                                  "parks": INT})),
        "provinces": _array(_object({
            "province": {"type": "string", "enum": list(PROVINCES)}, "registered": INT,
            "on_its_way": {"type": ["integer", "null"], "minimum": 0,
                           "description": "null when the breakdown is withheld."},
            "phases": {"oneOf": [_object({code: INT for code in PHASE_CODES}),
                                 {"type": "null"}],
                       "description": "Parks per phase; null when withheld."},
            "withheld": {"type": ["string", "null"], "enum": ["few_parks", "complement", None],
                         "description": "Why on_its_way and phases are null (public answer "
                                        "only): few_parks = fewer than 3 registered parks; "
                                        "complement = withheld as well, so that the small "
                                        "provinces cannot be worked out from the national "
                                        "totals. null when shown."}},
            ["province", "registered", "on_its_way", "phases", "withheld"])),
        "themes": _array(_object({
            "theme": {"type": "string", "enum": list(themes.THEME_CODES)},
            "levels": {**_array(INT), "minItems": 5, "maxItems": 5,
                       "description": "Parks at level 0, 1, 2, 3 and 4."}})),
        "spotlight": _array(SPOTLIGHT),
        "top_measures": _array(_object({"code": STR, "name_nl": STR, "name_en": STR,
                                        "parks": INT})),
    }, ["day", "target", "registered", "progress", "forecast", "series", "phases",
        "provinces", "themes", "spotlight", "top_measures"]),
}

PATHS = {
    "/national/progress": {"get": {
        "summary": "National progress toward the target (public aggregates)",
        "operationId": "getNationalProgress", "security": [{}],
        "description": "Counts over all registered parks, from the stored daily phase "
                       "snapshots. Parks without a public profile are counted but never "
                       "named; the spotlight lists public parks only, without their phase. "
                       "A province with fewer than 3 registered parks shows only that number: "
                       "its parks on their way and per phase are null (withheld: few_parks), "
                       "since they could tell a single park's phase; if the withheld provinces "
                       "hold fewer than 3 parks together, the smallest other provinces are "
                       "withheld too (withheld: complement), so that the national totals minus "
                       "the shown provinces do not give them away.",
        "responses": {"200": json_response(ref("NationalOverview"))}}},
    "/national/report": {"get": {
        "summary": "The coordinators' national progress report",
        "operationId": "getNationalReport",
        "description": "Like /national/progress, with every living lab and ambassador park "
                       "and its phase, and every province's breakdown (nothing withheld). "
                       "Coordinators and admins only; 404 for others.",
        "responses": {"200": json_response(ref("NationalOverview")),
                      **error_responses(401, 404)}}},
}
