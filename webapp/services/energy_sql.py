"""Which rollup of which sensor gives a meter's grid import, export and PV, and the SQL for it.

Per meter and bucket (issue #5): import = energy_import consumption, else the sum of ``energy``
interval values, else power mean x bucket hours; export = energy_export consumption; PV =
pv_energy consumption, else pv_power mean x bucket hours. A meter with several sensors of the
chosen quantity (a smart meter's two tariff registers) adds them up.

The aggregate queries group in SQL so that a park-year of quarter-hours never travels to Python:
``sums_stmt`` sums all meters per bucket (the self-consumed PV of meters with both PV and export,
clipped per quarter-hour, comes from energy_self_sql), ``collective_peak_stmt`` finds the
quarter-hour of highest net import and ``meter_peak_stmt`` gives each meter's highest import.
Only rollups are read, never raw readings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import (
    ColumnElement,
    Float,
    Select,
    String,
    case,
    cast,
    func,
    literal,
    null,
    select,
    type_coerce,
)

from ..models import Device, Rollup, Sensor

ROLES: tuple[str, ...] = ("import", "export", "pv")
ROLE_SOURCES: dict[str, tuple[tuple[str, str], ...]] = {
    "import": (("energy_import", "consumption"), ("energy", "sum"), ("power", "mean")),
    "export": (("energy_export", "consumption"),),
    "pv": (("pv_energy", "consumption"), ("pv_power", "mean")),
}
METHODS: tuple[str, ...] = ("consumption", "sum", "mean")
HOURS = {"15m": 0.25, "1h": 1.0}
# Day rollups only aggregate in SQL when no source needs a day's length (see has_mean).
_SQL_HOURS = {**HOURS, "1d": 24.0}


@dataclass(frozen=True)
class Source:
    """One sensor feeding one role (import, export, pv) of one meter, read by *method*."""

    sensor_id: int
    device_id: int
    meter: str
    role: str
    method: str


def raw_start(column) -> ColumnElement:
    """*column* (a start time) fetched as the driver gives it: SQLite's text is parsed by pandas
    in bulk, which is far quicker than a datetime object per row."""
    return type_coerce(column, String)


def has_mean(found: Sequence[Source]) -> bool:
    """Whether a source is a power mean, whose kWh depend on the bucket's length."""
    return any(s.method == "mean" for s in found)


def _meter_sources(meter: Device) -> list[Source]:
    found = []
    for role, options in ROLE_SOURCES.items():
        for quantity, method in options:
            ids = [s.id for s in meter.sensors if s.quantity == quantity]
            if ids:
                found += [Source(i, meter.id, meter.uid, role, method) for i in ids]
                break
    return found


def sources(meters: Sequence[Device]) -> list[Source]:
    """The sensors that feed the meters' import, export and PV figures."""
    return [source for meter in meters for source in _meter_sources(meter)]


def _kwh(method: str, hours: float, table=Rollup) -> ColumnElement:
    if method == "consumption":
        return table.consumption
    if method == "sum":
        return table.sum
    return table.sum * literal(hours) / table.count


def role_expr(found: Sequence[Source], role: str, hours: float, table=Rollup) -> ColumnElement:
    """The rollup's kWh for *role* (NULL for sensors of other roles) in buckets of *hours*;
    *table* may be an alias of Rollup."""
    whens = []
    for method in METHODS:
        ids = sorted({s.sensor_id for s in found if s.role == role and s.method == method})
        if ids:
            whens.append((table.sensor_id.in_(ids), _kwh(method, hours, table)))
    return case(*whens, else_=null()) if whens else cast(null(), Float)


def limited_expr(found: Sequence[Source], role: str, hours: float,
                 table=Rollup) -> ColumnElement:
    """As :func:`role_expr`, for rows already limited to *role*'s sensors: without a CASE
    when they are all read one way (SQLite evaluates expressions per row)."""
    methods = {s.method for s in found if s.role == role}
    if len(methods) == 1:
        return _kwh(methods.pop(), hours, table)
    return role_expr(found, role, hours, table)


def in_range(stmt: Select, found: Sequence[Source], period: str, start: datetime,
             end: datetime) -> Select:
    """*stmt* limited to the sources' rollups of *period* starting in [start, end)."""
    ids = sorted({s.sensor_id for s in found})
    return stmt.where(Rollup.sensor_id.in_(ids), Rollup.period == period,
                      Rollup.start >= start.astimezone(UTC), Rollup.start < end.astimezone(UTC))


def per_meter_stmt(found: Sequence[Source], period: str, start: datetime, end: datetime):
    """Import, export and PV kWh per meter and bucket (a subquery: d, start, imp, exp, pv)."""
    hours = _SQL_HOURS[period]
    stmt = select(Sensor.device_id.label("d"), Rollup.start.label("start"),
                  *[func.sum(role_expr(found, role, hours)).label(role[:3]) for role in ROLES]
                  ).join(Sensor, Sensor.id == Rollup.sensor_id)
    stmt = in_range(stmt, found, period, start, end)
    return stmt.group_by(Sensor.device_id, Rollup.start).subquery()


def clipped(pv_kwh: ColumnElement, export_kwh: ColumnElement) -> ColumnElement:
    """Self-consumed PV of one meter and bucket: PV minus export, clipped to [0, PV]."""
    pv = func.coalesce(pv_kwh, 0.0)
    surplus = pv - func.coalesce(export_kwh, 0.0)
    return case((surplus < 0, 0.0), (surplus > pv, pv), else_=surplus)


def _self_consumed(inner) -> ColumnElement:
    return clipped(inner.c.pv, inner.c.exp)


def _sums(inner) -> list[ColumnElement]:
    return [func.coalesce(func.sum(inner.c.imp), 0.0), func.coalesce(func.sum(inner.c.exp), 0.0),
            func.coalesce(func.sum(inner.c.pv), 0.0), func.sum(_self_consumed(inner))]


def mixed_devices(found: Sequence[Source]) -> set[int]:
    """Devices with both PV and export sources: only they need clipping per meter."""
    roles: dict[int, set[str]] = {}
    for source in found:
        roles.setdefault(source.device_id, set()).add(source.role)
    return {device for device, have in roles.items() if {"pv", "export"} <= have}


def sums_stmt(found: Sequence[Source], period: str, start: datetime, end: datetime) -> Select:
    """Per bucket of *period*: start, import, export, PV kWh summed over the meters, and the
    self-consumed PV of the meters that do not have both PV and export (all their PV); that
    of the others depends on each quarter-hour (see energy_self_sql).

    For "1d" only when not :func:`has_mean` (a day's length varies with DST).
    """
    hours = _SQL_HOURS[period]
    imp, exp, pv = (func.sum(role_expr(found, role, hours)) for role in ROLES)
    mixed = mixed_devices(found)
    plain_pv = func.sum(role_expr([s for s in found if s.device_id not in mixed], "pv", hours))
    stmt = select(raw_start(Rollup.start), func.coalesce(imp, 0.0), func.coalesce(exp, 0.0),
                  func.coalesce(pv, 0.0), func.coalesce(plain_pv, 0.0))
    return in_range(stmt, found, period, start, end).group_by(Rollup.start)


def meter_totals_stmt(found: Sequence[Source], start: datetime, end: datetime) -> Select:
    """Per meter (device id): import, export, PV, self-consumed kWh from day rollups."""
    inner = per_meter_stmt(found, "1d", start, end)
    return select(inner.c.d, *_sums(inner)).group_by(inner.c.d)


def collective_peak_stmt(found: Sequence[Source], start: datetime, end: datetime) -> Select:
    """The quarter-hour of highest summed net import: one row (start, net kWh) or none."""
    hours = HOURS["15m"]
    imports = func.coalesce(limited_expr(found, "import", hours), 0.0)
    exports = sorted(s.sensor_id for s in found if s.role == "export")
    net = case((Rollup.sensor_id.in_(exports), -func.coalesce(limited_expr(
        found, "export", hours), 0.0)), else_=imports) if exports else imports
    stmt = in_range(select(raw_start(Rollup.start).label("start"), func.sum(net).label("net")),
                    [s for s in found if s.role in ("import", "export")], "15m", start, end)
    return stmt.group_by(Rollup.start).order_by(func.sum(net).desc(), Rollup.start).limit(1)


def meter_peak_stmt(found: Sequence[Source], start: datetime, end: datetime) -> Select | None:
    """Each meter's highest quarter-hour import kWh: rows (device id, kWh); None without import.

    A meter with one import sensor is a plain MAX over its rollups; meters with several
    (tariff registers) first add their sensors per quarter-hour.
    """
    imports = [s for s in found if s.role == "import"]
    if not imports:
        return None
    per_device: dict[int, list[Source]] = {}
    for source in imports:
        per_device.setdefault(source.device_id, []).append(source)
    single = [group[0] for group in per_device.values() if len(group) == 1]
    several = [s for group in per_device.values() if len(group) > 1 for s in group]
    parts = []
    if single:  # grouped by sensor, in the primary key's order (no sort)
        value = limited_expr(single, "import", HOURS["15m"])
        device = case({s.sensor_id: s.device_id for s in single}, value=Rollup.sensor_id)
        parts.append(in_range(select(device.label("d"), func.max(value).label("kwh")),
                              single, "15m", start, end).group_by(Rollup.sensor_id))
    if several:
        inner = per_meter_stmt(several, "15m", start, end)
        parts.append(select(inner.c.d, func.max(inner.c.imp).label("kwh")).group_by(inner.c.d))
    return parts[0] if len(parts) == 1 else parts[0].union_all(parts[1])


def rows_stmt(found: Sequence[Source], period: str, start: datetime, end: datetime) -> Select:
    """The sources' raw rollup figures: sensor id, start, consumption, sum, count."""
    stmt = select(Rollup.sensor_id, raw_start(Rollup.start), Rollup.consumption, Rollup.sum,
                  Rollup.count)
    return in_range(stmt, found, period, start, end)


def devices_with_data_stmt(found: Sequence[Source], period: str, start: datetime,
                           end: datetime) -> Select:
    """Distinct sensor ids of the sources with rollups in the range."""
    return in_range(select(Rollup.sensor_id).distinct(), found, period, start, end)
