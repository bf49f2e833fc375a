"""OpenAPI paths and schemas of the roadmaps endpoints (merged by openapi.py)."""

from __future__ import annotations

import themes
from roadmap.phases import PHASE_CODES

from .spec import error_responses, json_response, ref

STR = {"type": "string"}
INT = {"type": "integer"}
BOOL = {"type": "boolean"}
DATE = {"type": "string", "format": "date"}
DATE_OR_NULL = {"type": ["string", "null"], "format": "date"}
INT_OR_NULL = {"type": ["integer", "null"]}
PHASE = {"type": "string", "enum": list(PHASE_CODES)}
PHASE_OR_NULL = {"type": ["string", "null"], "enum": [*PHASE_CODES, None]}
THEME_OR_NULL = {"type": ["string", "null"], "enum": [*themes.THEME_CODES, None]}
LEVELS = {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0,
                                                     "maximum": 4},
          "description": "Maturity level per theme code."}
SLUG = {"name": "slug", "in": "path", "required": True, "schema": STR}
MILESTONE_ID = {"name": "milestone_id", "in": "path", "required": True, "schema": INT}
SCOPE_NOTE = ("Only for those who see the park in full (park managers of the park, its member "
              "companies, coordinators, admins); others get 404.")


def _object(properties: dict, **extra) -> dict:
    return {"type": "object", "properties": properties, **extra}


def _array(items: dict) -> dict:
    return {"type": "array", "items": items}


def _body(schema: dict) -> dict:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


MILESTONE_INPUT = {
    "title": {"type": "string", "maxLength": 200}, "description": {"type": "string",
                                                                   "maxLength": 5000},
    "due_on": DATE, "done_on": {**DATE_OR_NULL, "description": "Not in the future."},
    "theme": THEME_OR_NULL, "phase": {**PHASE_OR_NULL, "description": "The phase it completes."},
}
CHECK = _object({"phase": PHASE, "key": STR, "met": BOOL, "label_nl": STR, "label_en": STR})

SCHEMAS: dict[str, dict] = {
    "PhaseCheck": CHECK,
    "PhaseOverride": _object({
        "id": INT, "phase": PHASE, "reason": STR, "created_at": STR,
        "created_by_id": INT_OR_NULL, "cleared_at": {"type": ["string", "null"]},
        "cleared_by_id": INT_OR_NULL, "active": BOOL}),
    "ParkPhase": _object({
        "phase": {**PHASE, "description": "The phase that counts (the override if any)."},
        "computed_phase": {**PHASE, "description": "The phase by the rule."},
        "overridden": BOOL, "on_its_way": BOOL, "next_phase": PHASE_OR_NULL,
        "checks": _array(ref("PhaseCheck")),
        "missing": {**_array(ref("PhaseCheck")),
                    "description": "Open checks of the phase after the computed one."},
        "facts": _object({
            "themes_with_baseline": INT, "indicator_values": INT, "themes_with_ambition": INT,
            "roadmap_adopted": BOOL, "milestones": INT, "measures_started": INT,
            "measures_realised": INT, "themes_with_realised": INT, "theme_levels": LEVELS}),
        "override": {"oneOf": [ref("PhaseOverride"), {"type": "null"}]}}),
    "Milestone": _object({**MILESTONE_INPUT, "id": INT, "url": STR}),
    "MilestoneInput": _object(MILESTONE_INPUT, additionalProperties=False),
    "Roadmap": _object({
        "park": STR,
        "roadmap": {"oneOf": [_object({"vision": STR, "adopted_on": DATE_OR_NULL,
                                       "target_year": INT_OR_NULL, "notes": STR}),
                              {"type": "null"}]},
        "phase": ref("ParkPhase"), "overrides": _array(ref("PhaseOverride")),
        "milestones": _array(ref("Milestone")),
        "plan": _object({
            "years": _array(INT), "unplanned": INT, "total": INT,
            "items": _array(_object({
                "measure_id": INT, "title": STR, "status": STR,
                "theme": {"type": "string", "enum": list(themes.THEME_CODES)},
                "year": INT_OR_NULL, "planned_year": INT_OR_NULL}))},
            description="Measures (not stopped) by main theme and year: planned_year, else "
                        "the start date's year.")}),
    "RoadmapInput": _object({
        "vision": {"type": "string", "maxLength": 5000},
        "adopted_on": {**DATE_OR_NULL, "description": "Not in the future; null = draft."},
        "target_year": {"type": ["integer", "null"], "minimum": 2024, "maximum": 2100},
        "notes": {"type": "string", "maxLength": 5000}}, additionalProperties=False),
    "PhaseOverrideInput": _object({"phase": PHASE, "reason": {"type": "string", "minLength": 1,
                                                              "maxLength": 2000}},
                                  required=["phase", "reason"], additionalProperties=False),
    "PhaseSnapshot": _object({"day": DATE, "phase": PHASE, "computed_phase": PHASE,
                              "overridden": BOOL, "on_its_way": BOOL, "theme_levels": LEVELS}),
}

PATHS: dict[str, dict] = {
    "/parks/{slug}/roadmap": {"parameters": [SLUG], "get": {
        "summary": "A park's roadmap, phase with the rule's checks, override, milestones, plan",
        "operationId": "getParkRoadmap", "description": SCOPE_NOTE,
        "responses": {"200": json_response(ref("Roadmap")), **error_responses(404)}},
        "put": {
        "summary": "Set the roadmap's vision, adoption date, target year and notes",
        "operationId": "putParkRoadmap",
        "description": "Editors of the park. Fields left out are emptied.",
        "requestBody": _body(ref("RoadmapInput")),
        "responses": {"200": json_response(ref("Roadmap")),
                      **error_responses(400, 401, 404, 415)}}},
    "/parks/{slug}/roadmap/milestones": {"parameters": [SLUG], "post": {
        "summary": "Add a milestone", "operationId": "createMilestone",
        "requestBody": _body({**ref("MilestoneInput"),
                              "description": "title and due_on are required."}),
        "responses": {"201": json_response(ref("Milestone"), "Created"),
                      **error_responses(400, 401, 404, 415)}}},
    "/parks/{slug}/roadmap/milestones/{milestone_id}": {
        "parameters": [SLUG, MILESTONE_ID],
        "patch": {"summary": "Change a milestone (what is left out stays)",
                  "operationId": "updateMilestone", "requestBody": _body(ref("MilestoneInput")),
                  "responses": {"200": json_response(ref("Milestone")),
                                **error_responses(400, 401, 404, 415)}},
        "delete": {"summary": "Remove a milestone", "operationId": "deleteMilestone",
                   "responses": {"204": {"description": "Removed"},
                                 **error_responses(401, 404)}}},
    "/parks/{slug}/phase-override": {"parameters": [SLUG], "put": {
        "summary": "Set the park's phase by hand, with a reason (coordinators, admins)",
        "operationId": "putPhaseOverride",
        "description": "Lifts the active override, if any; today's snapshot follows at once. "
                       "403 for others who see the park, 404 for those who do not.",
        "requestBody": _body(ref("PhaseOverrideInput")),
        "responses": {"200": json_response(ref("ParkPhase")),
                      **error_responses(400, 401, 403, 404, 415)}},
        "delete": {"summary": "Lift the park's override (coordinators, admins)",
                   "operationId": "deletePhaseOverride",
                   "description": "404 when the park has no active override.",
                   "responses": {"200": json_response(ref("ParkPhase")),
                                 **error_responses(401, 403, 404)}}},
    "/parks/{slug}/phase-history": {"parameters": [SLUG], "get": {
        "summary": "The park's stored daily phase snapshots, oldest first",
        "operationId": "getPhaseHistory", "description": SCOPE_NOTE,
        "parameters": [{"name": "from", "in": "query", "schema": DATE},
                       {"name": "to", "in": "query", "schema": DATE}],
        "responses": {"200": json_response(_object({"park": STR,
                                                    "items": _array(ref("PhaseSnapshot"))})),
                      **error_responses(400, 404)}}},
}
