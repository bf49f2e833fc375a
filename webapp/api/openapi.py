"""The OpenAPI 3.1 description of API v1, served at /api/v1/openapi.json."""

from __future__ import annotations

from flask import jsonify

from roadmap.programme import ORGANISATION_FORMS, PROGRAMME_ROLES, PROVINCES

from ..models import PUBLISHABLE_FIELDS
from . import (
    openapi_energy,
    openapi_environment,
    openapi_national,
    openapi_roadmaps,
    openapi_sensors,
    openapi_themes,
)
from .base import bp
from .spec import error_responses, json_response, ref

NUMBER_OR_NULL = {"type": ["number", "null"]}
INT_OR_NULL = {"type": ["integer", "null"]}
STRING_OR_NULL = {"type": ["string", "null"]}

PARK_PROPERTIES = {
    "slug": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$", "maxLength": 80},
    "name": {"type": "string", "maxLength": 200},
    "municipality": {"type": "string", "maxLength": 100},
    "province": {"type": "string", "enum": list(PROVINCES)},
    "ibis_rin": STRING_OR_NULL,
    "gross_ha": NUMBER_OR_NULL,
    "net_ha": NUMBER_OR_NULL,
    "companies_count": INT_OR_NULL,
    "jobs": INT_OR_NULL,
    "latitude": NUMBER_OR_NULL,
    "longitude": NUMBER_OR_NULL,
    "organisation_form": {"type": "string", "enum": list(ORGANISATION_FORMS)},
    "programme_role": {"type": "string", "enum": list(PROGRAMME_ROLES),
                       "description": "Only coordinators and admins may change it."},
    "association": STRING_OR_NULL,
    "description": {"type": "string", "maxLength": 5000},
    "is_public": {"type": "boolean"},
    "public_fields": {"type": "array", "items": {"type": "string",
                                                 "enum": list(PUBLISHABLE_FIELDS)}},
}
LIST_PARAMETERS = [
    {"name": "q", "in": "query", "schema": {"type": "string"},
     "description": "Search in name and municipality"},
    {"name": "province", "in": "query", "schema": PARK_PROPERTIES["province"]},
    {"name": "programme_role", "in": "query", "schema": PARK_PROPERTIES["programme_role"]},
    {"name": "organisation_form", "in": "query", "schema": PARK_PROPERTIES["organisation_form"]},
    {"name": "scope", "in": "query", "schema": {"type": "string", "enum": ["all", "mine"]}},
    {"name": "sort", "in": "query", "schema": {"type": "string"},
     "description": "name, municipality, province; gross_ha, jobs, companies_count when every "
                    "listed park is visible to you in full. Prefix '-' for descending."},
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
    {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1,
                                                    "maximum": 100}},
]
SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
COMPANY_ID = {"name": "company_id", "in": "path", "required": True,
              "schema": {"type": "integer"}}


def document() -> dict:
    """The OpenAPI document."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "Werklandschap API", "version": "1",
                 "description": "Park registry of the programme Werklandschappen van de "
                                "Toekomst. Anonymous callers see public park data only."},
        "servers": [{"url": "/api/v1"}],
        "security": [{}, {"bearer": []}, {"session": []}],
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer",
                           "description": "Token from `werklandschap create-token USER`."},
                "session": {"type": "apiKey", "in": "cookie", "name": "session",
                            "description": "Browser session; writes need an X-CSRFToken "
                                           "header."},
            },
            "schemas": {
                "Error": {"type": "object", "required": ["error"], "properties": {"error": {
                    "type": "object", "required": ["code", "message"],
                    "properties": {"code": {"type": "string"}, "message": {"type": "string"},
                                   "fields": {"type": "object",
                                              "additionalProperties": {"type": "string"}}}}}},
                "Park": {"type": "object", "properties": {**PARK_PROPERTIES,
                                                          "url": {"type": "string"}},
                         "required": ["slug", "name", "municipality", "province"],
                         "description": "Without full access, private fields are left out."},
                "ParkInput": {"type": "object", "properties": PARK_PROPERTIES,
                              "additionalProperties": False},
                "ParkPage": {"type": "object", "properties": {
                    "items": {"type": "array", "items": ref("Park")},
                    "page": {"type": "integer"}, "per_page": {"type": "integer"},
                    "total": {"type": "integer"}, "pages": {"type": "integer"}}},
                "Company": {"type": "object", "properties": {
                    "id": {"type": "integer"}, "park": {"type": "string"},
                    "name": {"type": "string"}, "kvk_number": STRING_OR_NULL,
                    "sector": {"type": "string"}}},
                "CompanyInput": {"type": "object", "additionalProperties": False, "properties": {
                    "name": {"type": "string", "maxLength": 200},
                    "kvk_number": {"type": ["string", "null"], "pattern": "^[0-9]{8}$"},
                    "sector": {"type": "string", "maxLength": 100}}},
                **openapi_themes.SCHEMAS,
                **openapi_sensors.SCHEMAS,
                **openapi_energy.SCHEMAS,
                **openapi_environment.SCHEMAS,
                **openapi_roadmaps.SCHEMAS,
                **openapi_national.SCHEMAS,
            },
        },
        "paths": {
            **openapi_themes.PATHS,
            **openapi_sensors.PATHS,
            **openapi_energy.PATHS,
            **openapi_environment.PATHS,
            **openapi_roadmaps.PATHS,
            **openapi_national.PATHS,
            "/parks": {
                "get": {"summary": "List parks", "operationId": "listParks",
                        "parameters": LIST_PARAMETERS,
                        "responses": {"200": json_response(ref("ParkPage"))}},
                "post": {"summary": "Register a park", "operationId": "createPark",
                         "requestBody": {"required": True, "content": {
                             "application/json": {"schema": {**ref("ParkInput")}}}},
                         "responses": {"201": json_response(ref("Park"), "Created"),
                                       **error_responses(400, 401, 403, 409, 415)}},
            },
            "/parks/{slug}": {
                "parameters": [SLUG],
                "get": {"summary": "One park", "operationId": "getPark",
                        "responses": {"200": json_response(ref("Park")), **error_responses(404)}},
                "patch": {"summary": "Change a park", "operationId": "updatePark",
                          "requestBody": {"required": True, "content": {
                              "application/json": {"schema": ref("ParkInput")}}},
                          "responses": {"200": json_response(ref("Park")),
                                        **error_responses(400, 401, 403, 404, 409, 415)}},
            },
            "/parks/{slug}/companies": {
                "parameters": [SLUG],
                "get": {"summary": "Member companies of a park", "operationId": "listCompanies",
                        "responses": {"200": json_response({"type": "object", "properties": {
                            "items": {"type": "array", "items": ref("Company")}}}),
                            **error_responses(401, 404)}},
                "post": {"summary": "Add a member company", "operationId": "createCompany",
                         "requestBody": {"required": True, "content": {
                             "application/json": {"schema": ref("CompanyInput")}}},
                         "responses": {"201": json_response(ref("Company"), "Created"),
                                       **error_responses(400, 401, 404, 409, 415)}},
            },
            "/companies/{company_id}": {
                "parameters": [COMPANY_ID],
                "get": {"summary": "One member company", "operationId": "getCompany",
                        "responses": {"200": json_response(ref("Company")),
                                      **error_responses(401, 404)}},
                "patch": {"summary": "Change a member company", "operationId": "updateCompany",
                          "requestBody": {"required": True, "content": {
                              "application/json": {"schema": ref("CompanyInput")}}},
                          "responses": {"200": json_response(ref("Company")),
                                        **error_responses(400, 401, 404, 409, 415)}},
            },
        },
    }


@bp.get("/openapi.json")
def openapi_json():
    """The OpenAPI document of this API."""
    return jsonify(document())
