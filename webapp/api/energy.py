"""API v1: energy."""

from __future__ import annotations

from .base import bp  # noqa: F401 - routes are added to the shared API blueprint
