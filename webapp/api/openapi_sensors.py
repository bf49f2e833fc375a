"""OpenAPI paths and schemas for devices, readings, dead letters, alerts and HTTP ingest."""

from __future__ import annotations

from sensors.alerts import DEFAULT_RULES
from sensors.model import FORMATS
from sensors.quantities import QUANTITIES

from .spec import json_response, ref

STRING_OR_NULL = {"type": ["string", "null"]}
NUMBER_OR_NULL = {"type": ["number", "null"]}
DATE_TIME = {"type": "string", "format": "date-time"}
DATE_TIME_OR_NULL = {"type": ["string", "null"], "format": "date-time"}
_ERRORS = {400: "Invalid input", 401: "Not logged in / bad token",
           404: "Not found (or not visible to you)", 409: "Device id or topic in use",
           413: "Body too large", 415: "Not JSON", 422: "Message rejected; kept as dead letter"}


def errors(*codes: int) -> dict:
    """Error responses (all in the Error schema) for these status codes."""
    return {str(code): {"description": _ERRORS[code],
                        "content": {"application/json": {"schema": ref("Error")}}}
            for code in codes}


def _page(item: str) -> dict:
    return {"type": "object", "properties": {
        "items": {"type": "array", "items": ref(item)}, "page": {"type": "integer"},
        "per_page": {"type": "integer"}, "total": {"type": "integer"},
        "pages": {"type": "integer"}}}


SENSOR_INPUT = {"type": "object", "additionalProperties": False,
                "required": ["field", "quantity", "unit"], "properties": {
                    "id": {"type": ["integer", "null"],
                           "description": "The existing sensor this entry is for; a new field "
                                          "name renames it and keeps its readings"},
                    "field": {"type": "string", "maxLength": 120,
                              "description": "Field name as sent (dotted path in nested JSON)"},
                    "quantity": {"type": "string", "enum": list(QUANTITIES)},
                    "unit": {"type": "string", "description": "Unit as sent; must fit the "
                                                              "quantity"},
                    "name": {"type": ["string", "null"], "maxLength": 120}}}
DEVICE_INPUT = {
    "name": {"type": "string", "maxLength": 200},
    "uid": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$", "maxLength": 80,
            "description": "Only on creation; made from park and name when left out."},
    "location": {"type": ["string", "null"], "maxLength": 200},
    "latitude": NUMBER_OR_NULL, "longitude": NUMBER_OR_NULL,
    "company_id": {"type": ["integer", "null"], "description": "A company of the same park"},
    "payload_format": {"type": "string", "enum": list(FORMATS)},
    "topic": {**STRING_OR_NULL, "description": "MQTT topic or filter for external formats; "
                                               "generated for native, none for "
                                               "sensor_community"},
    "interval_s": {"type": "integer", "minimum": 10, "maximum": 86400},
    "commissioned_at": {"type": ["string", "null"],
                        "description": "ISO 8601; without a zone it is Amsterdam time"},
    "active": {"type": "boolean"},
    "water_level_limit_cm": NUMBER_OR_NULL,
    "sensors": {"type": "array", "minItems": 1, "items": ref("DeviceSensorInput")},
}
SENSOR = {"type": "object", "properties": {
    "id": {"type": "integer"}, "field": {"type": "string"}, "quantity": {"type": "string"},
    "unit": {"type": "string"}, "canonical_unit": STRING_OR_NULL, "name": {"type": "string"}}}
DEVICE = {"type": "object", "properties": {
    **{key: value for key, value in DEVICE_INPUT.items() if key != "sensors"},
    "park": {"type": "string"}, "company": STRING_OR_NULL,
    "commissioned_at": DATE_TIME, "last_seen_at": DATE_TIME_OR_NULL,
    "status": {"type": "string", "enum": ["ok", "silent", "never", "inactive"]},
    "sensors": {"type": "array", "items": ref("DeviceSensor")}, "url": {"type": "string"}}}
CREDENTIALS = {"type": "object", "description": "Shown once; only hashes are stored.",
               "properties": {
                   "secret": {"type": "string"},
                   "mqtt": {"type": "object", "properties": {
                       "host": {"type": "string"}, "port": {"type": "integer"},
                       "tls": {"type": "boolean"}, "username": {"type": "string"},
                       "password": {"type": "string"}, "topic": STRING_OR_NULL}},
                   "http": {"type": "object", "properties": {
                       "url": {"type": "string"}, "authorization": {"type": "string"}}}}}
LATEST = {"type": "object", "properties": {
    "device": {"type": "string"}, "status": {"type": "string"},
    "last_seen_at": DATE_TIME_OR_NULL,
    "items": {"type": "array", "items": {"type": "object", "properties": {
        "sensor_id": {"type": "integer"}, "field": {"type": "string"},
        "name": {"type": "string"}, "quantity": {"type": "string"}, "unit": STRING_OR_NULL,
        "value": NUMBER_OR_NULL, "ts": DATE_TIME_OR_NULL}}}}}
POINT = {"type": "object", "properties": {
    "start": DATE_TIME, "count": {"type": "integer"}, "min": {"type": "number"},
    "max": {"type": "number"}, "mean": {"type": "number"}, "sum": {"type": "number"},
    "consumption": {**NUMBER_OR_NULL, "description": "Use in the period (cumulative meters)"}}}
READINGS = {"type": "object", "properties": {
    "device": {"type": "string"}, "period": {"type": "string"}, "from": DATE_TIME,
    "to": DATE_TIME, "sensors": {"type": "array", "items": {"type": "object", "properties": {
        "sensor_id": {"type": "integer"}, "field": {"type": "string"},
        "quantity": {"type": "string"}, "unit": STRING_OR_NULL,
        "points": {"type": "array", "items": ref("RollupPoint")}}}}}}
DEAD_LETTER = {"type": "object", "properties": {
    "id": {"type": "integer"}, "received_at": DATE_TIME, "device": STRING_OR_NULL,
    "topic": {"type": "string"}, "reason_code": {"type": "string"},
    "reason": {"type": "string"}, "payload_size": {"type": "integer"},
    "payload": {"type": "string", "description": "UTF-8 preview, truncated"}}}
ALERT = {"type": "object", "properties": {
    "id": {"type": "integer"}, "rule": {"type": "string",
                                        "enum": [rule.code for rule in DEFAULT_RULES]},
    "name_en": {"type": "string"}, "name_nl": {"type": "string"},
    "severity": {"type": "string"}, "device": {"type": "string"}, "sensor": STRING_OR_NULL,
    "value": NUMBER_OR_NULL, "threshold": NUMBER_OR_NULL, "started_at": DATE_TIME,
    "last_seen_at": DATE_TIME, "ended_at": DATE_TIME_OR_NULL}}

SCHEMAS: dict[str, dict] = {
    "DeviceSensorInput": SENSOR_INPUT,
    "DeviceInput": {"type": "object", "additionalProperties": False,
                    "properties": {**DEVICE_INPUT, "remove_fields": {
                        "type": "array", "items": {"type": "string"},
                        "description": "Fields with stored readings that may be removed, "
                                       "readings included"}}},
    "DeviceSensor": SENSOR,
    "Device": DEVICE,
    "DeviceCredentials": CREDENTIALS,
    "DeviceCreated": {"allOf": [ref("Device"), {"type": "object", "properties": {
        "credentials": ref("DeviceCredentials")}}]},
    "LatestValues": LATEST,
    "RollupPoint": POINT,
    "Readings": READINGS,
    "DeadLetter": DEAD_LETTER,
    "DeadLetterPage": _page("DeadLetter"),
    "Alert": ALERT,
    "AlertPage": _page("Alert"),
    "IngestResult": {"type": "object", "properties": {
        "stored": {"type": "integer", "description": "New readings (repeats are skipped)"},
        "received": {"type": "integer"}}},
}

SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
UID = {"name": "uid", "in": "path", "required": True, "schema": {"type": "string"}}
PAGING = [{"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
          {"name": "per_page", "in": "query",
           "schema": {"type": "integer", "minimum": 1, "maximum": 100}}]
RANGE = [{"name": "period", "in": "query",
          "schema": {"type": "string", "enum": ["15m", "1h", "1d"], "default": "1h"}},
         {"name": "from", "in": "query", "schema": {"type": "string"},
          "description": "ISO 8601 (Amsterdam time without a zone), years 1970..2100; "
                         "default: a day, week or 90 days before 'to' for 15m, 1h, 1d"},
         {"name": "to", "in": "query", "schema": {"type": "string"},
          "description": "ISO 8601, years 1970..2100; default now"}]


def _body(schema: str) -> dict:
    return {"required": True, "content": {"application/json": {"schema": ref(schema)}}}


PATHS: dict[str, dict] = {
    "/parks/{slug}/devices": {
        "parameters": [SLUG],
        "get": {"summary": "Devices of a park", "operationId": "listDevices",
                "responses": {"200": json_response({"type": "object", "properties": {
                    "items": {"type": "array", "items": ref("Device")}}}),
                    **errors(401, 404)}},
        "post": {"summary": "Register a device (answer holds its secret, once)",
                 "operationId": "createDevice", "requestBody": _body("DeviceInput"),
                 "responses": {"201": json_response(ref("DeviceCreated"), "Created"),
                               **errors(400, 401, 404, 409, 415)}},
    },
    "/devices/{uid}": {
        "parameters": [UID],
        "get": {"summary": "One device", "operationId": "getDevice",
                "responses": {"200": json_response(ref("Device")), **errors(401, 404)}},
        "patch": {"summary": "Change a device; 'sensors' replaces the mapping",
                  "description": "409 when the new mapping would remove a sensor with stored "
                                 "readings (unless listed in remove_fields) or change its "
                                 "quantity; 400 for a sensor id of another device.",
                  "operationId": "updateDevice", "requestBody": _body("DeviceInput"),
                  "responses": {"200": json_response(ref("Device")),
                                **errors(400, 401, 404, 409, 415)}},
    },
    "/devices/{uid}/credentials": {
        "parameters": [UID],
        "post": {"summary": "New secret for a device (returned once)",
                 "description": "The HTTP ingest token changes at once. Over MQTT the broker "
                                "keeps accepting the old password, and refuses the new one, "
                                "until `werklandschap mqtt-credentials` has been re-run and "
                                "Mosquitto reloaded (SIGHUP).",
                 "operationId": "newDeviceCredentials",
                 "responses": {"200": json_response(ref("DeviceCredentials")),
                               **errors(401, 404)}},
    },
    "/devices/{uid}/latest": {
        "parameters": [UID],
        "get": {"summary": "Latest value per sensor (canonical units)",
                "operationId": "getDeviceLatest",
                "responses": {"200": json_response(ref("LatestValues")), **errors(401, 404)}},
    },
    "/devices/{uid}/readings": {
        "parameters": [UID],
        "get": {"summary": "Rollups per 15 minutes, hour or day", "operationId":
                "getDeviceReadings", "parameters": RANGE,
                "responses": {"200": json_response(ref("Readings")),
                              **errors(400, 401, 404)}},
    },
    "/devices/{uid}/dead-letters": {
        "parameters": [UID],
        "get": {"summary": "Rejected messages of a device", "operationId":
                "listDeviceDeadLetters", "parameters": PAGING,
                "responses": {"200": json_response(ref("DeadLetterPage")),
                              **errors(401, 404)}},
    },
    "/parks/{slug}/alerts": {
        "parameters": [SLUG],
        "get": {"summary": "Alerts of a park's devices", "operationId": "listParkAlerts",
                "parameters": [{"name": "state", "in": "query", "schema": {
                    "type": "string", "enum": ["open", "closed", "all"], "default": "open"}},
                    *PAGING],
                "responses": {"200": json_response(ref("AlertPage")),
                              **errors(400, 401, 404)}},
    },
    "/ingest/{uid}": {
        "parameters": [UID],
        "post": {"summary": "HTTP ingest: one message in the device's payload format",
                 "description": "Authenticated with the device's own secret, not a user token: "
                                "`Authorization: Bearer <device secret>`, or HTTP Basic with "
                                "the device id of the path as user name and the secret as "
                                "password (`Authorization: Basic base64(<uid>:<secret>)`, for "
                                "firmware such as sensor.community's that can send nothing "
                                "else). Any other user name, a wrong secret or an unknown "
                                "device get the same 401. The body is the device's format, "
                                "e.g. native JSON (with its `ts`) or sensor.community's push "
                                "JSON. A rejected message is kept as a dead letter and "
                                "answered with 422 and the rejection code.",
                 "operationId": "ingest", "security": [{"bearer": []}],
                 "requestBody": {"required": True, "content": {
                     "application/json": {"schema": {"type": "object"}},
                     "text/plain": {"schema": {"type": "string"}}}},
                 "responses": {"202": json_response(ref("IngestResult"), "Accepted"),
                               **errors(401, 413, 422)}},
    },
}
