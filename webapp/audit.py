"""Audit every change to registry objects in one place: a session listener.

Views, the API and the CLI set the actor with `acting_as()`; every flush then writes one audit row
per created, changed or deleted object, in the same transaction, so a rolled-back change leaves
no audit row either.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session

from .models import (
    AlertOverride,
    Association,
    AuditEntry,
    BoardMembership,
    Company,
    Device,
    Experiment,
    IndicatorValue,
    Measure,
    MeasureTheme,
    MeterShare,
    Milestone,
    Park,
    ParkRoadmap,
    PhaseOverride,
    Sensor,
    ThemeProfile,
    User,
)
from .models.base import utcnow

# Columns never written to the log.
_SECRET_COLUMNS = {"password_hash", "session_nonce", "token_hash", "mqtt_password_hash"}
_IGNORED_COLUMNS = {"created_at", "updated_at", "last_login_at", "last_seen_at"}
AUDITED = (
    Park, Company, Association, User,
    ThemeProfile, IndicatorValue, Measure, MeasureTheme, Experiment,
    Device, Sensor, AlertOverride,
    MeterShare, BoardMembership, ParkRoadmap, Milestone, PhaseOverride,
)


@dataclass(frozen=True)
class Actor:
    """Who is making a change."""

    label: str
    user_id: int | None = None


SYSTEM = Actor("system")
_actor: contextvars.ContextVar[Actor] = contextvars.ContextVar("audit_actor", default=SYSTEM)


@contextmanager
def acting_as(actor: Actor) -> Iterator[None]:
    """Attribute changes made inside the block to *actor*."""
    token = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(token)


def set_actor(actor: Actor) -> None:
    """Attribute changes to *actor* until the context ends (used per request)."""
    _actor.set(actor)


def _jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def _park_id(obj) -> int | None:
    if isinstance(obj, Park):
        return obj.id
    if isinstance(obj, MeterShare):
        # A share belongs to a meter; log it under the meter's park.
        return obj.device.park_id if obj.device is not None else None
    return getattr(obj, "park_id", None)


def _entity_id(obj) -> int | None:
    # Rows without an id of their own are logged under their owner: a measure's theme links
    # under the measure, a park's alert thresholds under the park.
    if isinstance(obj, MeasureTheme):
        return obj.measure_id
    if isinstance(obj, AlertOverride):
        return obj.park_id
    return obj.id


def _snapshot(obj) -> dict:
    state = inspect(obj)
    return {
        column.key: _jsonable(state.attrs[column.key].value)
        for column in state.mapper.column_attrs
        if column.key not in _SECRET_COLUMNS | _IGNORED_COLUMNS
    }


def _changes(obj) -> tuple[dict, dict]:
    state = inspect(obj)
    before, after = {}, {}
    for column in state.mapper.column_attrs:
        history = state.attrs[column.key].history
        if not history.has_changes() or column.key in _IGNORED_COLUMNS:
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if old == new:
            continue
        if column.key in _SECRET_COLUMNS:
            before[column.key], after[column.key] = "***", "*** (changed)"
        else:
            before[column.key], after[column.key] = _jsonable(old), _jsonable(new)
    return before, after


def _collect(session: Session) -> list[dict]:
    actor = _actor.get()
    rows = []

    def row(action, obj, before, after):
        rows.append(
            {
                "at": utcnow(),
                "user_id": actor.user_id,
                "actor": actor.label,
                "action": action,
                "entity": type(obj).__tablename__,
                "entity_id": _entity_id(obj),
                "park_id": _park_id(obj),
                "before": before,
                "after": after,
            }
        )

    for obj in session.new:
        if isinstance(obj, AUDITED):
            row("create", obj, None, _snapshot(obj))
    for obj in session.dirty:
        if isinstance(obj, AUDITED) and session.is_modified(obj, include_collections=False):
            before, after = _changes(obj)
            if after:
                row("update", obj, before, after)
    for obj in session.deleted:
        if isinstance(obj, AUDITED):
            row("delete", obj, _snapshot(obj), None)
    return rows


@event.listens_for(Session, "after_flush")
def _write_audit_rows(session: Session, _flush_context) -> None:
    rows = _collect(session)
    if rows:
        session.connection().execute(insert(AuditEntry.__table__), rows)
