"""JSON API v1 under /api/v1/, described by /api/v1/openapi.json."""

from __future__ import annotations

from flask import Flask

from ..extensions import csrf
from . import devices, energy, environment, ingest, national, openapi, parks, roadmaps, themes
from .base import bp

__all__ = [
    "devices", "energy", "environment", "ingest", "init_app", "national", "openapi", "parks",
    "roadmaps", "themes",
]


def init_app(app: Flask) -> None:
    """Register the API; it has its own CSRF rule (tokens need none, sessions send a header)."""
    csrf.exempt(bp)
    csrf.exempt(ingest.bp)  # device token only, never a browser session
    app.register_blueprint(bp)
    app.register_blueprint(ingest.bp)
