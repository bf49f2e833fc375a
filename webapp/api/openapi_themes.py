"""OpenAPI paths and schemas: themes, indicators, catalogue, measures and experiments."""

from __future__ import annotations

SCHEMAS: dict[str, dict] = {}
PATHS: dict[str, dict] = {}
