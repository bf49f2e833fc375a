"""Small builders shared by the parts of the OpenAPI document."""

from __future__ import annotations


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def error_responses(*codes: int) -> dict:
    descriptions = {400: "Invalid input", 401: "Not logged in / bad token", 403: "Not allowed",
                    404: "Not found (or not visible to you)", 409: "Conflict",
                    415: "Not JSON"}
    return {
        str(code): {"description": descriptions[code],
                    "content": {"application/json": {"schema": ref("Error")}}}
        for code in codes
    }


def json_response(schema: dict, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}
