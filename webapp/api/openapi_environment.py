"""OpenAPI paths and schemas of the environment endpoints (merged by openapi.py)."""

from __future__ import annotations

PATHS: dict = {}
SCHEMAS: dict = {}
