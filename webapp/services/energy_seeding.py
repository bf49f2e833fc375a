"""Demo data for energy sharing: share levels, contracted capacities and a board member.

At Hessenpoort (the demo park manager's park) the simulator's meters belong to three companies.
The demo adds a smart meter for three more, so that five companies share (at aggregate, board
and public level: three at public level, so the public aggregate shows too) and one company,
the demo member's, shares nothing yet. Every step is idempotent: a meter that exists, a share
level already chosen or a capacity already set is left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from sensors.simulation.blueprints import DSMR

from ..models import BoardMembership, Company, Device, MeterShare, Park, User
from . import devices as device_service
from .device_seeding import COMMISSIONED_DAYS_AGO
from .energy_sharing import set_share
from .parks import get_or_create_association

DEMO_PARK = "hessenpoort"
DEMO_NOTE = "Demo"
PARK_CONTRACTED_KW = Decimal("1400")


@dataclass(frozen=True)
class DemoMeter:
    """A demo meter: its uid suffix, the owning company (None: keep the simulator's) and level."""

    suffix: str
    level: str
    company: str | None = None
    contracted_kw: int | None = None


# The simulator's meters (company 1: meter-1 + pv-1, company 2: meter-2 + plug-1, company 3:
# meter-3) and three added here, each with the owner's contracted grid capacity in kW.
DEMO_METERS = (
    DemoMeter("meter-1", "board", contracted_kw=400),
    DemoMeter("pv-1", "board"),
    DemoMeter("meter-2", "aggregate", contracted_kw=250),
    DemoMeter("plug-1", "aggregate"),
    DemoMeter("meter-3", "public", contracted_kw=160),
    DemoMeter("meter-4", "public", "Hanzekoeling Opslag B.V.", 350),
    DemoMeter("meter-5", "public", "Vechtdal Verpakkingen B.V.", 200),
    DemoMeter("meter-6", "none", "Brinkers Staalbouw Noord", 250),
)
# The demo board member works here (a company that shares at public level).
BOARD_COMPANY = "Hanzekoeling Opslag B.V."


def seed_energy(db: Session, parks: list[Park], now: datetime | None = None) -> int:
    """Add the demo's meters and sharing choices; returns how many meters got a share level."""
    park = next((p for p in parks if p.slug == DEMO_PARK), None)
    if park is None:
        return 0
    if park.contracted_capacity_kw is None:
        park.contracted_capacity_kw = PARK_CONTRACTED_KW
    commissioned_at = (now or datetime.now(UTC)) - timedelta(days=COMMISSIONED_DAYS_AGO)
    shared = 0
    for plan in DEMO_METERS:
        device = _demo_meter(db, park, plan, commissioned_at)
        if device is None:
            continue
        _set_capacity(device.company, plan.contracted_kw)
        shared += _first_choice(db, device, plan.level)
    db.flush()
    return shared


def _demo_meter(db: Session, park: Park, plan: DemoMeter,
                commissioned_at: datetime) -> Device | None:
    """The meter of *plan*: found by uid, or registered when *plan* names its company."""
    uid = f"{park.slug}-{plan.suffix}"
    device = db.scalar(select(Device).where(Device.uid == uid))
    if device is not None or plan.company is None:
        return device if device is not None and device.company is not None else None
    company = db.scalar(select(Company).where(Company.park_id == park.id,
                                              Company.name == plan.company))
    if company is None or device_service.uid_taken(db, uid):
        return None
    return _register(db, park, company, uid, commissioned_at)


def _register(db: Session, park: Park, company: Company, uid: str,
              commissioned_at: datetime) -> Device:
    data = {"uid": uid, "name": f"Slimme meter {company.name}", "company_id": company.id,
            "payload_format": "dsmr", "topic": f"dsmr/{uid}/json", "interval_s": 300,
            "commissioned_at": commissioned_at, "latitude": park.latitude,
            "longitude": park.longitude, "location": park.name}
    channels = [device_service.ChannelInput(field, quantity, unit)
                for field, quantity, unit in DSMR]
    device, _secret = device_service.create_device(db, park, data, channels)
    return device


def _set_capacity(company: Company | None, kw: int | None) -> None:
    if company is not None and kw is not None and company.contracted_capacity_kw is None:
        company.contracted_capacity_kw = Decimal(kw)


def _first_choice(db: Session, device: Device, level: str) -> int:
    """Set *level* unless the meter's company has chosen already; 1 when a level was set."""
    if db.scalar(select(MeterShare.id).where(MeterShare.device_id == device.id)) is not None:
        return 0
    if level == "none":
        return 0
    set_share(db, device, level, None, DEMO_NOTE)
    return 1


def board_company(db: Session) -> Company | None:
    """The Hessenpoort company the demo board member works for."""
    return db.scalar(select(Company).join(Park).where(Park.slug == DEMO_PARK,
                                                      Company.name == BOARD_COMPANY))


def seed_board_member(db: Session, user: User) -> bool:
    """Seat *user* on the board of Hessenpoort's association; True when newly seated.

    Links the park to an association (named after it) if it has none. Only an active "member"
    of a Hessenpoort company gets a seat (the rule of services/boards.py); anyone else: False.
    """
    park = db.scalar(select(Park).where(Park.slug == DEMO_PARK))
    if park is None or not (user.active and user.role == "member"
                            and user.company is not None and user.company.park_id == park.id):
        return False
    if park.association is None:
        park.association = get_or_create_association(db, f"Ondernemersvereniging {park.name}")
        db.flush()
    seated = db.scalar(select(BoardMembership.id).where(
        BoardMembership.association_id == park.association_id,
        BoardMembership.user_id == user.id))
    if seated is not None:
        return False
    db.add(BoardMembership(association_id=park.association_id, user_id=user.id))
    db.flush()
    return True
