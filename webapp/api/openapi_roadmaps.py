"""OpenAPI paths and schemas of the roadmaps endpoints (merged by openapi.py)."""

from __future__ import annotations

PATHS: dict = {}
SCHEMAS: dict = {}
