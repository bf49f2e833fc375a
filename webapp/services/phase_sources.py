"""Load the stored history the phase replay needs, for all parks at once (a handful of queries).

See :mod:`webapp.services.phase_replay` for what each source means.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import Session

from sensors.validate import as_utc

from ..models import AuditEntry, Measure, MeasureStatusChange, MeasureTheme, Park, PhaseOverride
from .phase_replay import TRACKED, Event, MeasureInfo, ParkHistory, amsterdam_day

PARK_TABLE = Park.__tablename__


def _among(column, ids: list[int] | None) -> ColumnElement[bool]:
    return true() if ids is None else column.in_(ids)


class _Loader:
    """Collects the events of many parks; *seq* keeps the order of same-moment events."""

    def __init__(self, db: Session, ids: list[int] | None):
        self.db, self.ids, self.seq = db, ids, itertools.count()
        self.parks = {pid: ParkHistory(pid, amsterdam_day(created)) for pid, created in
                      db.execute(select(Park.id, Park.created_at).where(_among(Park.id, ids)))}
        self.created: set[tuple[str, int]] = set()

    def add(self, park_id: int | None, moment, kind: str, action: str, key: int,
            data: dict) -> None:
        history = self.parks.get(park_id)
        if history is not None:
            history.events.append(Event(as_utc(moment), next(self.seq), kind, action, key, data))

    def audit(self) -> None:
        """Audit entries of the tracked tables, and each park's creation."""
        rows = self.db.execute(
            select(AuditEntry.at, AuditEntry.action, AuditEntry.entity, AuditEntry.entity_id,
                   AuditEntry.park_id, AuditEntry.after)
            .where(AuditEntry.entity.in_([*TRACKED, PARK_TABLE]),
                   _among(AuditEntry.park_id, self.ids))
            .order_by(AuditEntry.at, AuditEntry.id))
        for at, action, entity, entity_id, park_id, after in rows:
            if entity == PARK_TABLE:
                if action == "create" and park_id in self.parks:
                    history = self.parks[park_id]
                    history.start = min(history.start, amsterdam_day(at))
                continue
            columns = TRACKED[entity][1]
            data = {c: v for c, v in (after or {}).items() if c in columns}
            if action == "update" and not data:
                continue  # a change the facts do not look at (a title, a note)
            self.add(park_id, at, entity, action, entity_id, data)
            if action == "create":
                self.created.add((entity, entity_id))

    def unlogged_rows(self) -> None:
        """Rows without a "create" entry count from their creation with their current values."""
        for name, (model, columns) in TRACKED.items():
            query = select(model.id, model.park_id, model.created_at,
                           *(getattr(model, c) for c in columns))
            for row in self.db.execute(query.where(_among(model.park_id, self.ids))):
                if (name, row[0]) not in self.created:
                    self.add(row[1], row[2], name, "create", row[0],
                             dict(zip(columns, row[3:], strict=True)))

    def measures(self) -> dict[int, MeasureInfo]:
        """Each measure's themes and catalogue entry, and its status history as events."""
        links: dict[int, list[str]] = defaultdict(list)
        for measure_id, theme in self.db.execute(
                select(MeasureTheme.measure_id, MeasureTheme.theme)
                .join(Measure, Measure.id == MeasureTheme.measure_id)
                .where(_among(Measure.park_id, self.ids))
                .order_by(MeasureTheme.measure_id, MeasureTheme.position)):
            links[measure_id].append(theme)
        info, owner, current = {}, {}, {}
        for mid, park_id, code, title, status, created in self.db.execute(
                select(Measure.id, Measure.park_id, Measure.catalogue_code, Measure.title,
                       Measure.status, Measure.created_at)
                .where(_among(Measure.park_id, self.ids))):
            info[mid] = MeasureInfo(tuple(links.get(mid, ())), code, title)
            owner[mid], current[mid] = park_id, (created, status)
        self._statuses(owner, current)
        return info

    def _statuses(self, owner: dict[int, int], current: dict[int, tuple]) -> None:
        seen = set()
        for measure_id, status, moment in self.db.execute(
                select(MeasureStatusChange.measure_id, MeasureStatusChange.to_status,
                       MeasureStatusChange.changed_at)
                .join(Measure, Measure.id == MeasureStatusChange.measure_id)
                .where(_among(Measure.park_id, self.ids))
                .order_by(MeasureStatusChange.changed_at, MeasureStatusChange.id)):
            seen.add(measure_id)
            self.add(owner.get(measure_id), moment, "status", "set", measure_id,
                     {"status": status})
        for measure_id, (created, status) in current.items():
            if measure_id not in seen:
                self.add(owner[measure_id], created, "status", "set", measure_id,
                         {"status": status})

    def overrides(self) -> None:
        """Every override with the days it became active and was lifted."""
        for park_id, phase, created, cleared in self.db.execute(
                select(PhaseOverride.park_id, PhaseOverride.phase, PhaseOverride.created_at,
                       PhaseOverride.cleared_at)
                .where(_among(PhaseOverride.park_id, self.ids))
                .order_by(PhaseOverride.created_at, PhaseOverride.id)):
            if park_id in self.parks:
                self.parks[park_id].overrides.append(
                    (amsterdam_day(created), amsterdam_day(cleared) if cleared else None, phase))


def load_histories(db: Session, park_ids: Iterable[int] | None = None
                   ) -> tuple[dict[int, ParkHistory], dict[int, MeasureInfo]]:
    """The history of every park (or of *park_ids*) and the measures' details."""
    loader = _Loader(db, None if park_ids is None else list(park_ids))
    loader.audit()
    loader.unlogged_rows()
    measures = loader.measures()
    loader.overrides()
    for history in loader.parks.values():
        history.events.sort()
    return loader.parks, measures
