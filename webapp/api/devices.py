"""API v1: devices, latest values, readings, dead letters, alerts and HTTP ingest."""

from __future__ import annotations
