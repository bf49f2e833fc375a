"""API v1: themes, indicators, the measure catalogue, measures and experiments."""

from __future__ import annotations
