"""Demo data for roadmaps: plans, milestones and a believable history of phases."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..models import Park


def seed_roadmaps(db: Session, parks: list[Park]) -> int:
    """Add roadmaps and milestones for the seeded parks; returns how many roadmaps were added."""
    return 0
