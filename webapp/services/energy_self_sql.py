"""SQL for the self-consumed PV of meters with both PV and export, clipped per quarter-hour.

Self-consumed PV is PV minus export, clipped to [0, PV], per meter and quarter-hour (issue #5):
for a meter with PV but no export it is all its PV, for one without PV nothing, but for a meter
with both it depends on every quarter-hour. These statements sum it in SQL, per quarter-hour
start or per meter, so a year of quarter-hours never travels to Python.

Two shapes give the same numbers: SQLite is quickest when each PV rollup looks up its export
rollup of the same quarter-hour through the primary key (a join, no grouping per meter), and
PostgreSQL when it hashes the PV and export rollups per meter and quarter-hour (a grouping).
:func:`self_stmts` picks the shape by dialect; either works on both databases.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, select
from sqlalchemy.orm import aliased

from ..models import Rollup
from .energy_sql import (
    HOURS,
    Source,
    clipped,
    in_range,
    limited_expr,
    mixed_devices,
    raw_start,
    role_expr,
)

BY = ("start", "device")


def mixed_sources(found: Sequence[Source]) -> list[Source]:
    """The PV and export sources of the meters with both."""
    mixed = mixed_devices(found)
    return [s for s in found if s.device_id in mixed and s.role in ("pv", "export")]


def _pairs(found: Sequence[Source]) -> tuple[list[tuple[Source, Source]], list[Source]]:
    """(pv, export) source pairs of the meters with one sensor of each, and the sources of
    the meters with several (tariff registers)."""
    by_device: dict[int, list[Source]] = {}
    for source in mixed_sources(found):
        by_device.setdefault(source.device_id, []).append(source)
    pairs, several = [], []
    for group in by_device.values():
        if len(group) == 2:
            pv, export = sorted(group, key=lambda s: s.role != "pv")
            pairs.append((pv, export))
        else:
            several += group
    return pairs, several


def _joined(pairs: Sequence[tuple[Source, Source]], start: datetime, end: datetime,
            by: str) -> Select:
    """Each PV rollup joined to its meter's export rollup of the same quarter-hour (no PV
    rollup: nothing self-consumed), summed per start or per device: rows (key, kWh)."""
    pv, ex = aliased(Rollup, name="pv"), aliased(Rollup, name="ex")
    hours = HOURS["15m"]
    partner = case({p.sensor_id: e.sensor_id for p, e in pairs}, value=pv.sensor_id)
    value = clipped(limited_expr([p for p, _ in pairs], "pv", hours, pv),
                    limited_expr([e for _, e in pairs], "export", hours, ex))
    key = raw_start(pv.start) if by == "start" else case(
        {p.sensor_id: p.device_id for p, _ in pairs}, value=pv.sensor_id)
    stmt = select(key.label("key"), func.sum(value).label("kwh")).select_from(pv).outerjoin(
        ex, and_(ex.sensor_id == partner, ex.period == "15m", ex.start == pv.start))
    stmt = stmt.where(pv.sensor_id.in_(sorted(p.sensor_id for p, _ in pairs)),
                      pv.period == "15m", pv.start >= start.astimezone(UTC),
                      pv.start < end.astimezone(UTC))
    return stmt.group_by(pv.start if by == "start" else pv.sensor_id)


def _grouped(found: Sequence[Source], start: datetime, end: datetime, by: str) -> Select:
    """PV and export rollups added up per meter and quarter-hour, clipped, then summed per
    start or per device: rows (key, kWh)."""
    hours = HOURS["15m"]
    device = case({s.sensor_id: s.device_id for s in found}, value=Rollup.sensor_id)
    inner = in_range(select(device.label("d"), Rollup.start.label("start"),
                            func.sum(role_expr(found, "pv", hours)).label("pv"),
                            func.sum(role_expr(found, "export", hours)).label("exp")),
                     found, "15m", start, end).group_by(device, Rollup.start).subquery()
    key = raw_start(inner.c.start) if by == "start" else inner.c.d
    return select(key.label("key"), func.sum(clipped(inner.c.pv, inner.c.exp)).label("kwh")
                  ).group_by(inner.c.start if by == "start" else inner.c.d)


def self_stmts(found: Sequence[Source], start: datetime, end: datetime, by: str = "start",
               dialect: str = "sqlite") -> list[Select]:
    """Self-consumed PV of the meters among *found* with both PV and export, clipped per meter
    and quarter-hour over [start, end), summed per quarter-hour start (``by="start"``) or per
    device id (``by="device"``): rows (key, kWh); add the statements' rows up per key.
    *dialect* chooses the quicker shape (same figures)."""
    if by not in BY:
        raise ValueError(f"unknown grouping {by!r}")
    if dialect != "sqlite":
        sources = mixed_sources(found)
        return [_grouped(sources, start, end, by)] if sources else []
    pairs, several = _pairs(found)
    stmts = [_joined(pairs, start, end, by)] if pairs else []
    return stmts + ([_grouped(several, start, end, by)] if several else [])


def as_sums(stmt: Select) -> Select:
    """A :func:`self_stmts` statement (by start) in the columns of energy_sql.sums_stmt:
    start, import 0, export 0, PV 0, self-consumed kWh."""
    key, kwh = stmt.subquery().c
    zero: ColumnElement = literal(0.0)
    return select(key, zero, zero, zero, kwh)
