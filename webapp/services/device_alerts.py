"""Alerts of a park's devices, and the park's own alert thresholds (overrides)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from sensors.alerts import DEFAULT_RULES, AlertRule

from ..models import Alert, AlertOverride, Park

RULES: dict[str, AlertRule] = {rule.code: rule for rule in DEFAULT_RULES}
RECENT_CLOSED = 20


def alerts_stmt(park_id: int, *, device_id: int | None = None, state: str = "open") -> Select:
    """Alerts of a park (or one device): open, closed or all; newest first."""
    stmt = (select(Alert).where(Alert.park_id == park_id)
            .options(selectinload(Alert.device), selectinload(Alert.sensor)))
    if device_id is not None:
        stmt = stmt.where(Alert.device_id == device_id)
    if state == "open":
        stmt = stmt.where(Alert.ended_at.is_(None))
    elif state == "closed":
        stmt = stmt.where(Alert.ended_at.is_not(None))
    elif state != "all":
        raise ValueError(f"unknown alert state {state!r}")
    return stmt.order_by(Alert.started_at.desc(), Alert.id.desc())


@dataclass(frozen=True)
class AlertLists:
    """Open alerts and the most recently closed ones."""

    open: list[Alert]
    closed: list[Alert]


def alert_lists(db: Session, park: Park, device_id: int | None = None,
                closed_limit: int = RECENT_CLOSED) -> AlertLists:
    """The open alerts of a park (or device) and its *closed_limit* latest closed ones."""
    open_alerts = list(db.scalars(alerts_stmt(park.id, device_id=device_id)))
    closed = db.scalars(alerts_stmt(park.id, device_id=device_id, state="closed")
                        .limit(closed_limit))
    return AlertLists(open_alerts, list(closed))


def alert_overrides(db: Session, park: Park) -> dict[str, float | None]:
    """The park's overrides: rule code -> its threshold, None where the rule is switched off."""
    rows = db.scalars(select(AlertOverride).where(AlertOverride.park_id == park.id))
    return {row.rule: row.threshold for row in rows}


@dataclass(frozen=True)
class RuleSetting:
    """What a park wants for one rule: off, its own threshold, or (neither) the default."""

    off: bool = False
    threshold: float | None = None


def save_alert_overrides(db: Session, park: Park, settings: dict[str, RuleSetting]) -> None:
    """Store the park's rule settings; a rule at its default keeps no override row."""
    unknown = set(settings) - set(RULES)
    if unknown:
        raise ValueError(f"unknown alert rules: {', '.join(sorted(unknown))}")
    current = {row.rule: row for row in db.scalars(
        select(AlertOverride).where(AlertOverride.park_id == park.id))}
    for code, setting in settings.items():
        row = current.get(code)
        if not setting.off and setting.threshold is None:
            if row is not None:
                db.delete(row)
            continue
        if row is None:
            row = AlertOverride(park_id=park.id, rule=code)
            db.add(row)
        row.threshold = None if setting.off else setting.threshold
    db.flush()
