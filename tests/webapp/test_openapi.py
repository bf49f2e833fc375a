"""The OpenAPI document describes exactly the API that is routed, and it is valid."""

from __future__ import annotations

import re

import pytest
from openapi_spec_validator import validate

from roadmap.programme import ORGANISATION_FORMS, PROGRAMME_ROLES, PROVINCES
from webapp.forms import ParkForm

PREFIX = "/api/v1"
METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def spec(client) -> dict:
    response = client.get(f"{PREFIX}/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.get_json()


def routed_operations(app) -> set[tuple[str, str]]:
    """(OpenAPI path, method) for every API route Flask serves, openapi.json left out."""
    operations = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(PREFIX + "/") or rule.endpoint == "api.openapi_json":
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule.removeprefix(PREFIX))
        operations |= {(path, m.lower()) for m in rule.methods if m.lower() in METHODS}
    return operations


def documented_operations(spec: dict) -> set[tuple[str, str]]:
    return {(path, method) for path, item in spec["paths"].items() for method in item
            if method in METHODS}


def test_document_is_valid_openapi_3_1(spec):
    assert spec["openapi"].startswith("3.1")
    validate(spec)


def test_routes_and_document_match(app, spec):
    assert spec["servers"] == [{"url": PREFIX}]
    assert documented_operations(spec) == routed_operations(app)


def test_routed_operations_are_found(app):
    # Guards the comparison above against comparing two empty sets.
    assert ("/parks/{slug}", "patch") in routed_operations(app)
    assert ("/companies/{company_id}", "get") in routed_operations(app)


def test_path_parameters_are_declared(spec):
    for path, item in spec["paths"].items():
        declared = {p["name"] for p in item.get("parameters", []) if p["in"] == "path"}
        assert declared == set(re.findall(r"{(\w+)}", path)), path


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _resolve(spec: dict, ref: str):
    assert ref.startswith("#/"), ref
    node = spec
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def test_every_ref_resolves(spec):
    refs = set(_refs(spec))
    assert "#/components/schemas/Park" in refs
    for ref in refs:
        assert isinstance(_resolve(spec, ref), dict), ref


def test_every_schema_is_used(spec):
    used = {ref.rsplit("/", 1)[1] for ref in _refs(spec)}
    assert set(spec["components"]["schemas"]) <= used


def test_park_enums_match_the_programme(spec):
    properties = spec["components"]["schemas"]["Park"]["properties"]
    assert properties["province"]["enum"] == list(PROVINCES)
    assert properties["organisation_form"]["enum"] == list(ORGANISATION_FORMS)
    assert properties["programme_role"]["enum"] == list(PROGRAMME_ROLES)


def test_park_input_lists_exactly_the_fields_the_api_accepts(app, spec):
    with app.test_request_context():
        accepted = set(ParkForm(formdata=None, meta={"csrf": False})._fields)
    assert set(spec["components"]["schemas"]["ParkInput"]["properties"]) == accepted


def test_error_responses_use_the_error_schema(spec):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            for status, response in operation["responses"].items():
                if status.startswith(("4", "5")):
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/Error"}, (path, method)
