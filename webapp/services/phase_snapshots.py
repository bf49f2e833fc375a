"""Daily phase snapshots: the stored facts the national progress line is drawn from.

:func:`take_snapshots` records every park's current phase under one Amsterdam day (an upsert:
running it twice changes nothing). :func:`backfill` fills the days before, from each park's
creation to yesterday, by replaying the stored history (:mod:`webapp.services.phase_replay`);
days that already have a snapshot are kept, since a stored snapshot is a fact, unless a rebuild
is asked for.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import delete, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..models import Park, PhaseSnapshot
from .phase_replay import replay
from .phase_sources import load_histories
from .phases import ParkPhase, current_phases
from .themes import AMSTERDAM, today_amsterdam

CHUNK = 5000
VALUE_COLUMNS = ("phase", "computed_phase", "overridden", "on_its_way", "theme_levels")


def snapshot_row(park_phase: ParkPhase, day: date) -> dict:
    """The snapshot of one park's phase on *day*, as a row."""
    return {"park_id": park_phase.park_id, "day": day, "phase": park_phase.phase,
            "computed_phase": park_phase.computed_phase,
            "overridden": park_phase.overridden, "on_its_way": park_phase.on_its_way,
            "theme_levels": dict(park_phase.facts.theme_levels)}


def _chunks(rows: Iterable[dict]) -> Iterator[list[dict]]:
    chunk: list[dict] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _upsert(db: Session, rows: list[dict]) -> None:
    dialect = db.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        module = postgresql if dialect == "postgresql" else sqlite
        stmt = module.insert(PhaseSnapshot.__table__)
        stmt = stmt.on_conflict_do_update(
            index_elements=["park_id", "day"],
            set_={column: stmt.excluded[column] for column in VALUE_COLUMNS})
        db.execute(stmt, rows)
        return
    for row in rows:  # other databases: replace row by row
        db.execute(delete(PhaseSnapshot).where(PhaseSnapshot.park_id == row["park_id"],
                                               PhaseSnapshot.day == row["day"]))
        db.execute(insert(PhaseSnapshot.__table__), [row])


def _end_of(day: date) -> datetime:
    # In UTC: SQLite stores moments as naive UTC text, compared as text.
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=AMSTERDAM).astimezone(UTC)


def take_snapshots(db: Session, day: date | None = None,
                   park_ids: Iterable[int] | None = None) -> int:
    """Record every park's (or *park_ids*') current phase as its snapshot of *day* (default:
    today in Amsterdam); parks created after that day are left out. Returns rows written."""
    day = day or today_amsterdam()
    db.flush()
    ids = list(db.scalars(select(Park.id).where(Park.created_at < _end_of(day))))
    if park_ids is not None:
        wanted = set(park_ids)
        ids = [pid for pid in ids if pid in wanted]
    if not ids:
        return 0
    phases = current_phases(db, ids)
    rows = [snapshot_row(phases[pid], day) for pid in ids]
    for chunk in _chunks(rows):
        _upsert(db, chunk)
    return len(rows)


@dataclass(frozen=True)
class BackfillResult:
    """What a backfill did: parks replayed, days covered, rows written and snapshots kept."""

    parks: int
    days: int
    written: int
    kept: int


def _existing(db: Session, until: date) -> dict[int, set[date]]:
    stored: dict[int, set[date]] = {}
    for park_id, day in db.execute(select(PhaseSnapshot.park_id, PhaseSnapshot.day)
                                   .where(PhaseSnapshot.day <= until)):
        stored.setdefault(park_id, set()).add(day)
    return stored


def backfill(db: Session, until: date | None = None, *, rebuild: bool = False,
             park_ids: Iterable[int] | None = None) -> BackfillResult:
    """Snapshots for every day from each park's creation to *until* (default: yesterday in
    Amsterdam), reconstructed from history. Stored days are kept unless *rebuild*."""
    until = until or today_amsterdam() - timedelta(days=1)
    db.flush()
    histories, measures = load_histories(db, park_ids)
    if rebuild and histories:
        db.execute(delete(PhaseSnapshot).where(PhaseSnapshot.park_id.in_(list(histories)),
                                               PhaseSnapshot.day <= until))
    stored = {} if rebuild else _existing(db, until)
    written = kept = 0
    first = min((h.start for h in histories.values() if h.start <= until), default=None)
    for history in histories.values():
        skip = stored.get(history.park_id, set())
        kept += len(skip)
        rows = replay(history, measures, until, skip)
        for chunk in _chunks(rows):
            db.execute(insert(PhaseSnapshot.__table__), chunk)
            written += len(chunk)
    days = (until - first).days + 1 if first else 0
    return BackfillResult(len(histories), days, written, kept)


def phase_history(db: Session, park: Park, first: date | None = None,
                  last: date | None = None) -> list[PhaseSnapshot]:
    """The park's stored snapshots (from *first* to *last*, both optional), oldest first."""
    stmt = select(PhaseSnapshot).where(PhaseSnapshot.park_id == park.id)
    if first is not None:
        stmt = stmt.where(PhaseSnapshot.day >= first)
    if last is not None:
        stmt = stmt.where(PhaseSnapshot.day <= last)
    return list(db.scalars(stmt.order_by(PhaseSnapshot.day)))


@dataclass(frozen=True)
class PhaseChange:
    """A day on which the phase that counts changed, by the stored snapshots."""

    day: date
    phase: str
    computed_phase: str
    overridden: bool


def phase_changes(snapshots: list[PhaseSnapshot]) -> list[PhaseChange]:
    """The days on which the phase (or whether it was overridden) changed, oldest first."""
    changes: list[PhaseChange] = []
    for snap in snapshots:
        if not changes or (changes[-1].phase, changes[-1].overridden) != (snap.phase,
                                                                          snap.overridden):
            changes.append(PhaseChange(snap.day, snap.phase, snap.computed_phase,
                                       snap.overridden))
    return changes


def snapshot_days(db: Session) -> tuple[date | None, date | None]:
    """The first and the last day with a stored snapshot, as two index lookups.

    Two scalar subqueries rather than ``min(), max()`` in one select: SQLite answers a lone
    min() or max() from the index but scans the whole table for the pair.
    """
    first = select(func.min(PhaseSnapshot.day)).scalar_subquery()
    last = select(func.max(PhaseSnapshot.day)).scalar_subquery()
    first_day, last_day = db.execute(select(first, last)).one()
    return first_day, last_day
