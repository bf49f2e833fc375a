"""Demo data for energy sharing: share levels, contracted capacities and a board member."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..models import Park


def seed_energy(db: Session, parks: list[Park]) -> int:
    """Add the demo's sharing choices; returns how many meters got a share level."""
    return 0
