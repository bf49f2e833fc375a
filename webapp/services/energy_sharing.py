"""Energy data sharing: which meters a company has, what it shares, and who sees which aggregate.

A *meter* is a device owned by a company with at least one energy sensor. Each meter has a share
level (no MeterShare row means "none"); every change is kept in MeterShareChange and audited.
Consent is always read at request time, so a revoked meter leaves every aggregate at once.

Audiences of a park's energy aggregate (issue #5):

- ``park``: park managers of the park and members of its companies -> meters at aggregate,
  board or public level;
- ``board``: admins, coordinators and board members of the park's association -> the same
  aggregate, plus the meters at level "board" named by company;
- ``public``: anyone else, when the park is public -> meters at level "public" only.

Whatever the audience, an aggregate of fewer than :data:`MIN_COMPANIES` companies is withheld.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, selectinload

from .. import authz
from ..models import (
    SHARE_LEVELS,
    BoardMembership,
    Company,
    Device,
    MeterShare,
    MeterShareChange,
    Park,
    Rollup,
    Sensor,
)
from ..models.base import utcnow

MIN_COMPANIES = 3
ENERGY_QUANTITIES: frozenset[str] = frozenset(
    {"power", "energy_import", "energy_export", "pv_energy", "pv_power", "energy"})
AUDIENCES: tuple[str, ...] = ("park", "board", "public")
AGGREGATE_LEVELS: tuple[str, ...] = ("aggregate", "board", "public")
AUDIENCE_LEVELS: dict[str, tuple[str, ...]] = {
    "park": AGGREGATE_LEVELS, "board": AGGREGATE_LEVELS, "public": ("public",)}


def is_meter(device: Device) -> bool:
    """Whether *device* is a meter: owned by a company, with an energy sensor."""
    return device.company_id is not None and any(
        sensor.quantity in ENERGY_QUANTITIES for sensor in device.sensors)


def _has_energy():
    return exists().where(Sensor.device_id == Device.id, Sensor.quantity.in_(ENERGY_QUANTITIES))


def _meters_stmt():
    return (select(Device).where(Device.company_id.is_not(None), _has_energy())
            .options(selectinload(Device.sensors), selectinload(Device.company))
            .order_by(Device.name, Device.id))


def company_meters(db: Session, company: Company) -> list[Device]:
    """The company's meters by name (sensors loaded)."""
    return list(db.scalars(_meters_stmt().where(Device.company_id == company.id)))


def park_meters(db: Session, park: Park) -> list[Device]:
    """Every company-owned meter on *park*, by name (sensors and company loaded)."""
    return list(db.scalars(_meters_stmt().where(Device.park_id == park.id)))


def share_levels(db: Session, device_ids: Iterable[int]) -> dict[int, str]:
    """The share level of each device id, in one query ("none" where nothing was chosen)."""
    ids = list(device_ids)
    levels = dict.fromkeys(ids, "none")
    if ids:
        rows = db.execute(select(MeterShare.device_id, MeterShare.level)
                          .where(MeterShare.device_id.in_(ids)))
        levels.update({device_id: level for device_id, level in rows})
    return levels


def share_level(db: Session, device: Device) -> str:
    """The meter's current share level ("none" without a choice)."""
    return share_levels(db, [device.id])[device.id]


def _user_id(user) -> int | None:
    return user.id if getattr(user, "is_authenticated", False) else None


def may_change_share(user, device: Device) -> bool:
    """Users of the owning company and admins may change what a meter shares."""
    if not getattr(user, "is_authenticated", False) or device.company_id is None:
        return False
    return user.role == "admin" or user.company_id == device.company_id


def may_manage_company(user, company: Company) -> bool:
    """Users of *company* and admins may change its sharing and contracted capacity."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.role == "admin" or user.company_id == company.id


def set_share(db: Session, device: Device, level: str, user,
              note: str = "") -> MeterShareChange | None:
    """Set the meter's share level and log the change; None when the level is unchanged.

    Permission is the caller's business (:func:`may_change_share`); *user* may be None for
    system changes such as demo seeding.
    """
    if level not in SHARE_LEVELS:
        raise ValueError(f"unknown share level {level!r}")
    share = db.scalar(select(MeterShare).where(MeterShare.device_id == device.id))
    current = share.level if share is not None else "none"
    if current == level:
        return None
    if share is None:
        share = MeterShare(device_id=device.id, device=device)
        db.add(share)
    user_id = _user_id(user)
    share.level, share.updated_by_id, share.updated_at = level, user_id, utcnow()
    change = MeterShareChange(device_id=device.id, company_id=device.company_id,
                              from_level=current, to_level=level, changed_by_id=user_id,
                              note=(note or "").strip()[:2000], changed_at=utcnow())
    db.add(change)
    db.flush()
    return change


def share_changes(db: Session, company: Company, limit: int = 200) -> list[MeterShareChange]:
    """The company's share changes, newest first (device and author loaded)."""
    stmt = (select(MeterShareChange).where(MeterShareChange.company_id == company.id)
            .options(selectinload(MeterShareChange.device),
                     selectinload(MeterShareChange.changed_by))
            .order_by(MeterShareChange.changed_at.desc(), MeterShareChange.id.desc())
            .limit(limit))
    return list(db.scalars(stmt))


def is_board_member(db: Session, user, park: Park) -> bool:
    """Whether *user* sits on the board of the association that manages *park*.

    A seat counts only while its holder is a member-company user of one of the association's
    parks (the rule for giving seats), so a seat kept after a change of role or company, or
    given before that rule, grants nothing.
    """
    if _user_id(user) is None or park.association_id is None:
        return False
    if user.role != "member" or user.company_id is None:
        return False
    stmt = (select(BoardMembership.id)
            .join(Company, Company.id == user.company_id)
            .join(Park, Park.id == Company.park_id)
            .where(BoardMembership.association_id == park.association_id,
                   BoardMembership.user_id == user.id,
                   Park.association_id == park.association_id))
    return db.scalar(stmt.limit(1)) is not None


def audience(db: Session, user, park: Park) -> str | None:
    """Which aggregate of *park* the user sees: "board", "park", "public" or None (404)."""
    if authz.sees_everything(user) or is_board_member(db, user, park):
        return "board"
    if authz.sees_in_full(db, user, park):
        return "park"
    return "public" if park.is_public else None


@dataclass(frozen=True)
class SharedMeters:
    """The meters in a park aggregate for one audience, read at request time.

    *companies* counts the distinct companies among *meters*; the aggregate is *withheld*
    when they are fewer than MIN_COMPANIES. *named* holds, for the board only, the meters
    whose companies share them by name (level "board"), shown even when the aggregate is not.
    """

    audience: str
    meters: tuple[Device, ...]
    companies: int
    withheld: bool
    named: tuple[Device, ...] = ()
    # Set by in_window(): the previous period's aggregate may not be shown either.
    previous_withheld: bool = False

    @property
    def usable_meters(self) -> tuple[Device, ...]:
        """The meters to compute with: none at all while the aggregate is withheld."""
        return () if self.withheld else self.meters

    @property
    def min_companies(self) -> int:
        return MIN_COMPANIES


def shared_meters(db: Session, park: Park, audience: str) -> SharedMeters:
    """The consenting meters of *park* for *audience*, their company count and withheld state."""
    if audience not in AUDIENCE_LEVELS:
        raise ValueError(f"unknown audience {audience!r}")
    meters = park_meters(db, park)
    levels = share_levels(db, [m.id for m in meters])
    allowed = AUDIENCE_LEVELS[audience]
    counted = tuple(m for m in meters if levels[m.id] in allowed)
    companies = len({m.company_id for m in counted})
    named = tuple(sorted((m for m in meters if levels[m.id] == "board"),
                         key=lambda m: (m.company.name if m.company else "", m.name, m.id))
                  ) if audience == "board" else ()
    return SharedMeters(audience, counted, companies, companies < MIN_COMPANIES, named)


def _with_data(db: Session, meters: Iterable[Device], start: datetime,
               end: datetime) -> set[int]:
    """Ids of the *meters* with at least one quarter-hour rollup in [start, end).

    One index lookup per energy sensor (rollup's key is sensor, period, start), so this stays
    cheap for a year as well as for a day.
    """
    owner = {sensor.id: meter.id for meter in meters for sensor in meter.sensors
             if sensor.quantity in ENERGY_QUANTITIES}
    if not owner:
        return set()
    has_rows = exists().where(Rollup.sensor_id == Sensor.id, Rollup.period == "15m",
                              Rollup.start >= start, Rollup.start < end)
    found = db.scalars(select(Sensor.id).where(Sensor.id.in_(owner), has_rows))
    return {owner[sensor_id] for sensor_id in found}


def _withheld_in(db: Session, park: Park, shared: SharedMeters, start: datetime,
                 end: datetime) -> tuple[tuple[Device, ...], int, bool]:
    with_data = _with_data(db, park_meters(db, park), start, end)
    counted = tuple(m for m in shared.meters if m.id in with_data)
    companies = len({m.company_id for m in counted})
    withheld = companies < MIN_COMPANIES
    if shared.audience == "public" and not withheld:
        # Anyone who also sees the park aggregate could subtract the public one from it: the
        # meters in the difference must come from 0 or at least MIN_COMPANIES companies.
        public_ids = {m.id for m in counted}
        park_set = shared_meters(db, park, "park").meters
        hidden = {m.company_id for m in park_set
                  if m.id in with_data and m.id not in public_ids}
        withheld = 0 < len(hidden) < MIN_COMPANIES
    return counted, companies, withheld


def in_window(db: Session, park: Park, shared: SharedMeters, start: datetime, end: datetime,
              previous: tuple[datetime, datetime] | None = None) -> SharedMeters:
    """*shared* as it may be shown for [start, end) (and the *previous* window, if given).

    Consent alone is not enough: a company that shares but has no data in the window adds
    nothing, so only companies with data count toward MIN_COMPANIES, in the window and in the
    previous one alike. The public aggregate is also withheld when the meters shown to the
    park but not to the public come from one or two companies with data, since the difference
    of the two aggregates would be theirs.
    """
    counted, companies, withheld = _withheld_in(db, park, shared, start, end)
    previous_withheld = (_withheld_in(db, park, shared, *previous)[2]
                         if previous is not None and not withheld else withheld)
    return replace(shared, meters=counted, companies=companies, withheld=withheld,
                   previous_withheld=previous_withheld)


def visible_company(db: Session, user, company_id: int | None) -> Company | None:
    """The company whose meters the user may see in full; None means 404.

    Users see their own company; admins and coordinators any company (they must name it).
    """
    if _user_id(user) is None:
        return None
    if company_id is None or company_id == user.company_id:
        return db.get(Company, user.company_id) if user.company_id is not None else None
    return db.get(Company, company_id) if authz.sees_everything(user) else None


def visible_meter(db: Session, user, uid: str) -> Device | None:
    """The meter *uid* if it belongs to the user's company (admins, coordinators: any)."""
    if _user_id(user) is None:
        return None
    device = db.scalar(_meters_stmt().where(Device.uid == uid))
    if device is None:
        return None
    if authz.sees_everything(user) or device.company_id == user.company_id:
        return device
    return None


def companies_with_meters(db: Session) -> list[Company]:
    """Every company that owns a meter, by park and name (the coordinators' chooser)."""
    meter_owner = select(Device.company_id).where(Device.company_id.is_not(None), _has_energy())
    stmt = (select(Company).join(Park).where(Company.id.in_(meter_owner))
            .options(selectinload(Company.park)).order_by(Park.name, Company.name))
    return list(db.scalars(stmt))
