"""A coordinator's override of a park's phase: set it with a reason, or lift it.

Rows are never deleted: a new override lifts the active one, and a lifted override keeps who
lifted it and when, so the page can show the whole history (the audit log has every change as
well). Setting or lifting an override re-takes today's snapshot of the park at once.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from roadmap.phases import PHASE_CODES

from ..models import Park, PhaseOverride, User
from ..models.base import utcnow
from .measures import user_id_of
from .phase_snapshots import take_snapshots

MAX_REASON = 2000


class OverrideError(ValueError):
    """Input the form or API should have refused: an unknown phase, an empty reason."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field


def _lift(db: Session, park: Park, by: User | None) -> PhaseOverride | None:
    active = uncleared_overrides(db, park)
    for override in active:
        override.cleared_at = utcnow()
        override.cleared_by_id = user_id_of(by)
    return active[-1] if active else None


def uncleared_overrides(db: Session, park: Park) -> list[PhaseOverride]:
    """Every uncleared override of the park (normally at most one), oldest first."""
    return list(db.scalars(select(PhaseOverride).where(
        PhaseOverride.park_id == park.id, PhaseOverride.cleared_at.is_(None))
        .order_by(PhaseOverride.created_at, PhaseOverride.id)))


def set_override(db: Session, park: Park, phase: str, reason: str,
                 by: User | None) -> PhaseOverride:
    """Make *phase* the park's phase, for *reason*; the active override (if any) is lifted."""
    reason = (reason or "").strip()
    if phase not in PHASE_CODES:
        raise OverrideError("phase", f"unknown phase {phase!r}")
    if not reason or len(reason) > MAX_REASON:
        raise OverrideError("reason", "a reason of 1 to 2000 characters is required")
    _lift(db, park, by)
    override = PhaseOverride(park_id=park.id, phase=phase, reason=reason,
                             created_at=utcnow(), created_by_id=user_id_of(by))
    db.add(override)
    db.flush()
    take_snapshots(db, park_ids=[park.id])
    return override


def clear_override(db: Session, park: Park, by: User | None) -> PhaseOverride | None:
    """Lift the park's override; returns it, or None when there was none."""
    lifted = _lift(db, park, by)
    if lifted is None:
        return None
    db.flush()
    take_snapshots(db, park_ids=[park.id])
    return lifted
