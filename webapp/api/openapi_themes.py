"""OpenAPI paths and schemas: themes, indicators, catalogue, measures and experiments."""

from __future__ import annotations

import themes

from .spec import error_responses, json_response, ref

STR = {"type": "string"}
INT = {"type": "integer"}
NUM = {"type": "number"}
BOOL = {"type": "boolean"}
STR_OR_NULL = {"type": ["string", "null"]}
INT_OR_NULL = {"type": ["integer", "null"]}
NUM_OR_NULL = {"type": ["number", "null"]}
DATE_OR_NULL = {"type": ["string", "null"], "format": "date"}
LEVEL = {"type": "integer", "minimum": 0, "maximum": 4}
LEVEL_OR_NULL = {"type": ["integer", "null"], "minimum": 0, "maximum": 4}
THEME_CODE = {"type": "string", "enum": list(themes.THEME_CODES)}
STATUS = {"type": "string", "enum": list(themes.MEASURE_STATUSES)}
OUTCOME = {"type": ["string", "null"], "enum": ["confirmed", "rejected", "inconclusive", None]}


def _array(items: dict) -> dict:
    return {"type": "array", "items": items}


def _object(properties: dict, **extra) -> dict:
    return {"type": "object", "properties": properties, **extra}


def _items(schema: dict) -> dict:
    return _object({"items": _array(schema)})


def _body(schema: dict) -> dict:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _param(name: str, where: str = "query", schema: dict | None = None,
           description: str = "") -> dict:
    param = {"name": name, "in": where, "schema": schema or STR}
    if where == "path":
        param["required"] = True
    if description:
        param["description"] = description
    return param


SLUG = _param("slug", "path")
CODE = _param("code", "path")
MEASURE_ID = _param("measure_id", "path", INT)
THEME_FILTER = _param("theme", schema=THEME_CODE)

MEASURE_INPUT = {
    "catalogue_code": {"type": ["string", "null"],
                       "enum": [m.code for m in themes.MEASURES] + [None, ""],
                       "description": "Fills in an empty title, description and themes."},
    "title": {"type": "string", "maxLength": 200},
    "description": {"type": "string", "maxLength": 5000},
    "themes": {**_array(THEME_CODE), "minItems": 1, "description": "First = main theme."},
    "status": STATUS,
    "start_date": DATE_OR_NULL, "end_date": DATE_OR_NULL,
    "cost_eur": {"type": ["number", "null"], "minimum": 0},
    "funding_source": {"type": "string", "maxLength": 200},
    "lead_company_id": {**INT_OR_NULL, "description": "A member company of the same park."},
    "partners": STR, "expected_effect": STR, "measured_effect": STR,
    "evidence_links": {**_array({"type": "string", "format": "uri"}), "maxItems": 20,
                       "description": "http(s) addresses only."},
    "status_note": {"type": "string", "description": "Kept with a status change."},
}
EXPERIMENT_PROPERTIES = {
    "hypothesis": STR,
    "indicator": {"type": ["string", "null"], "enum": [i.code for i in themes.INDICATORS]
                  + [None, ""]},
    "knowledge_partners": STR, "start_date": DATE_OR_NULL, "end_date": DATE_OR_NULL,
    "outcome": OUTCOME, "results": STR, "lessons": STR,
}
PROFILE_ENTRY = _object({"baseline_level": LEVEL, "baseline_year": INT_OR_NULL,
                         "ambition_level": LEVEL_OR_NULL, "ambition_year": INT_OR_NULL},
                        additionalProperties=False)

SCHEMAS: dict[str, dict] = {
    "Indicator": _object({
        "code": STR, "theme": THEME_CODE, "name_nl": STR, "name_en": STR, "unit": STR,
        "unit_en": STR, "direction": {"type": "string", "enum": ["higher", "lower"]},
        "min_value": NUM, "max_value": NUM_OR_NULL, "description_nl": STR,
        "description_en": STR, "sensor_quantity": STR_OR_NULL}),
    "Criterion": _object({
        "code": STR, "level": LEVEL, "kind": {"type": "string", "enum": list(themes.KINDS)},
        "text_nl": STR, "text_en": STR, "count": INT_OR_NULL, "measure_codes": _array(STR),
        "indicator": STR_OR_NULL, "threshold": NUM_OR_NULL}),
    "Theme": _object({
        "code": THEME_CODE, "name_nl": STR, "name_en": STR, "summary_nl": STR,
        "summary_en": STR, "ambitions_nl": _array(STR), "ambitions_en": _array(STR),
        "indicators": _array(ref("Indicator")), "criteria": _array(ref("Criterion"))}),
    "CatalogueMeasure": _object({
        "code": STR, "name_nl": STR, "name_en": STR, "description_nl": STR,
        "description_en": STR, "themes": _array(THEME_CODE)}),
    "Reason": _object({
        "criterion": STR, "level": LEVEL, "kind": STR, "met": BOOL, "text_nl": STR,
        "text_en": STR, "detail_nl": STR, "detail_en": STR}),
    "ParkThemes": _object({"park": STR, "themes": _array(_object({
        "theme": THEME_CODE, "baseline_level": LEVEL, "baseline_year": INT_OR_NULL,
        "current_level": LEVEL, "ambition_level": LEVEL_OR_NULL,
        "ambition_year": INT_OR_NULL, "reasons": _array(ref("Reason"))}))}),
    "ThemeProfileInput": _object({"themes": _object(
        {code: PROFILE_ENTRY for code in themes.THEME_CODES}, additionalProperties=False)},
        required=["themes"], additionalProperties=False),
    "IndicatorValue": _object({
        "id": INT, "indicator": STR, "value": NUM, "measured_on": {"type": "string",
                                                                   "format": "date"},
        "source": {"type": "string", "enum": ["manual", "sensor"]}, "is_measured": BOOL,
        "note": STR}),
    "IndicatorValueInput": _object({
        "indicator": STR, "value": NUM, "measured_on": {"type": "string", "format": "date"},
        "is_measured": BOOL, "note": STR}, required=["indicator", "value"],
        additionalProperties=False),
    "Experiment": _object(EXPERIMENT_PROPERTIES),
    "ExperimentInput": _object(EXPERIMENT_PROPERTIES, required=["hypothesis"],
                               additionalProperties=False,
                               description="results and lessons are required with an outcome."),
    "Measure": _object({
        **{k: v for k, v in MEASURE_INPUT.items() if k != "status_note"},
        "id": INT, "park": STR, "park_name": STR, "lead_company": STR_OR_NULL,
        "adopted_from_id": INT_OR_NULL, "has_experiment": BOOL, "url": STR,
        "experiment": {"oneOf": [ref("Experiment"), {"type": "null"}]},
        "status_history": _array(_object({
            "from_status": STR_OR_NULL, "to_status": STATUS, "changed_at": STR,
            "changed_by_id": INT_OR_NULL, "note": STR})),
        "adopted_by": _array(INT), "adopted_by_hidden": INT},
        description="cost_eur, funding_source, lead_company and status_history[].changed_by_id "
                    "only for full viewers; adopted_by lists adoptions in parks the caller may "
                    "see, adopted_by_hidden counts the others."),
    "MeasureInput": _object(MEASURE_INPUT, additionalProperties=False),
    "MeasurePage": _object({"items": _array(ref("Measure")), "page": INT, "per_page": INT,
                            "total": INT, "pages": INT}),
}

PATHS: dict[str, dict] = {
    "/themes": {"get": {
        "summary": "The seven themes with indicators and criteria", "operationId": "listThemes",
        "responses": {"200": json_response(_object({
            "items": _array(ref("Theme")), "levels": _array(_object({
                "number": LEVEL, "name_nl": STR, "name_en": STR, "description_nl": STR,
                "description_en": STR}))}))}}},
    "/themes/{code}": {"parameters": [CODE], "get": {
        "summary": "One theme", "operationId": "getTheme",
        "responses": {"200": json_response(ref("Theme")), **error_responses(404)}}},
    "/indicators": {"get": {
        "summary": "The indicator catalogue", "operationId": "listIndicators",
        "parameters": [THEME_FILTER],
        "responses": {"200": json_response(_items(ref("Indicator"))),
                      **error_responses(400)}}},
    "/catalogue/measures": {"get": {
        "summary": "The standard measures", "operationId": "listCatalogueMeasures",
        "parameters": [THEME_FILTER],
        "responses": {"200": json_response(_items(ref("CatalogueMeasure"))),
                      **error_responses(400)}}},
    "/parks/{slug}/themes": {
        "parameters": [SLUG],
        "get": {"summary": "A park's theme profile and current levels with reasons",
                "operationId": "getParkThemes",
                "responses": {"200": json_response(ref("ParkThemes")),
                              **error_responses(404)}},
        "put": {"summary": "Set baseline and ambition of every theme",
                "operationId": "replaceParkThemes", "requestBody": _body(ref("ThemeProfileInput")),
                "responses": {"200": json_response(ref("ParkThemes")),
                              **error_responses(400, 401, 404, 415)}},
        "patch": {"summary": "Change baseline or ambition of some themes",
                  "operationId": "updateParkThemes",
                  "requestBody": _body(ref("ThemeProfileInput")),
                  "responses": {"200": json_response(ref("ParkThemes")),
                                **error_responses(400, 401, 404, 415)}},
    },
    "/parks/{slug}/indicator-values": {
        "parameters": [SLUG],
        "get": {"summary": "A park's indicator values, newest first",
                "operationId": "listIndicatorValues", "parameters": [_param("indicator")],
                "responses": {"200": json_response(_object({
                    "items": _array(ref("IndicatorValue")),
                    "latest": _object({}, additionalProperties=ref("IndicatorValue"))})),
                    **error_responses(404)}},
        "post": {"summary": "Record an indicator value", "operationId": "createIndicatorValue",
                 "requestBody": _body(ref("IndicatorValueInput")),
                 "responses": {"201": json_response(ref("IndicatorValue"), "Created"),
                               **error_responses(400, 401, 404, 415)}},
    },
    "/parks/{slug}/measures": {
        "parameters": [SLUG],
        "get": {"summary": "A park's measures", "operationId": "listParkMeasures",
                "parameters": [_param("status", schema=STATUS), THEME_FILTER],
                "responses": {"200": json_response(_items(ref("Measure"))),
                              **error_responses(404)}},
        "post": {"summary": "Log a measure", "operationId": "createMeasure",
                 "requestBody": _body(ref("MeasureInput")),
                 "responses": {"201": json_response(ref("Measure"), "Created"),
                               **error_responses(400, 401, 404, 415)}},
    },
    "/measures/{measure_id}": {
        "parameters": [MEASURE_ID],
        "get": {"summary": "One measure with status history", "operationId": "getMeasure",
                "responses": {"200": json_response(ref("Measure")), **error_responses(404)}},
        "patch": {"summary": "Change a measure; a new status is recorded",
                  "operationId": "updateMeasure", "requestBody": _body(ref("MeasureInput")),
                  "responses": {"200": json_response(ref("Measure")),
                                **error_responses(400, 401, 404, 415)}},
    },
    "/measures/{measure_id}/adopt": {"parameters": [MEASURE_ID], "post": {
        "summary": "Adopt a measure into one of your parks", "operationId": "adoptMeasure",
        "requestBody": _body(_object({"park": STR}, required=["park"])),
        "responses": {"201": json_response(ref("Measure"), "Created"),
                      **error_responses(400, 401, 404, 415)}}},
    "/measures/{measure_id}/experiment": {
        "parameters": [MEASURE_ID],
        "get": {"summary": "The experiment of a measure", "operationId": "getExperiment",
                "responses": {"200": json_response(ref("Experiment")),
                              **error_responses(404)}},
        "put": {"summary": "Create or replace the experiment", "operationId": "putExperiment",
                "requestBody": _body(ref("ExperimentInput")),
                "responses": {"200": json_response(ref("Experiment")),
                              "201": json_response(ref("Experiment"), "Created"),
                              **error_responses(400, 401, 404, 415)}},
    },
    "/library": {"get": {
        "summary": "The practice library", "operationId": "listLibrary",
        "parameters": [_param("q"), THEME_FILTER, _param("status", schema=STATUS),
                       _param("province"), _param("experiments", schema=BOOL),
                       _param("page", schema={"type": "integer", "minimum": 1}),
                       _param("per_page", schema={"type": "integer", "minimum": 1,
                                                  "maximum": 100})],
        "responses": {"200": json_response(ref("MeasurePage")), **error_responses(401)}}},
}
