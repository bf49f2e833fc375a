"""API v1: environment (water, heat, air) series of a park."""

from __future__ import annotations

from .base import bp  # noqa: F401 - routes are added to the shared API blueprint
