"""The daily chores: today's phase snapshot (and any missed day) and sensor-derived indicators.

Run by `werklandschap daily` (cron, or `--every` in a container) and once when the demo starts.
Each step is idempotent, so running the chores more than once a day only refreshes today.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from .services.phase_snapshots import backfill, take_snapshots
from .services.sensor_indicators import DeriveCounts, derive_all


@dataclass(frozen=True)
class ChoresResult:
    """What one run stored."""

    day: date
    missed_days_written: int
    snapshots: int
    indicators: DeriveCounts


def run_chores(db: Session, today: date) -> ChoresResult:
    """Fill missed snapshot days, snapshot *today* and derive sensor indicators (no commit)."""
    missed = backfill(db)
    snapshots = take_snapshots(db, today)
    indicators = derive_all(db, today)
    return ChoresResult(today, missed.written, snapshots, indicators)
