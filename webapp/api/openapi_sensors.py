"""OpenAPI paths and schemas for devices, readings, dead letters, alerts and HTTP ingest."""

from __future__ import annotations

SCHEMAS: dict[str, dict] = {}
PATHS: dict[str, dict] = {}
