"""Demo devices: the simulator's devices registered on the first demo parks.

Every device gets a random secret of which only the hashes are kept; the demo's embedded broker
lets the simulator publish anonymously on localhost, so nobody needs those secrets.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from sensors.simulator import DeviceBlueprint, demo_devices

from ..models import Company, Device, Park
from . import devices as device_service

DEMO_PARKS = 4
COMMISSIONED_DAYS_AGO = 60
# The simulated wadi overflows at 70 cm; an alert at 50 cm leaves time to act after a downpour.
WADI_LIMIT_CM = 50.0


def demo_parks(parks: Iterable[Park], count: int = DEMO_PARKS) -> list[Park]:
    """The first *count* parks that have coordinates (the simulator needs a latitude)."""
    return [park for park in parks if park.latitude is not None][:count]


def seed_devices(db: Session, parks: Iterable[Park], now: datetime | None = None) -> int:
    """Register the simulator's demo devices on the first demo parks; returns how many are new.

    Idempotent: a device whose uid exists already is left as it is.
    """
    commissioned_at = (now or datetime.now(UTC)) - timedelta(days=COMMISSIONED_DAYS_AGO)
    created = 0
    for park in demo_parks(parks):
        companies = _companies(db, park)
        for blueprint in demo_devices(park.slug, len(companies)):
            if not device_service.uid_taken(db, blueprint.uid):
                db.add(_device(park, blueprint, companies, commissioned_at))
                created += 1
    db.flush()
    return created


def _companies(db: Session, park: Park) -> list[Company]:
    return list(db.scalars(select(Company).where(Company.park_id == park.id)
                           .order_by(Company.id)))


def _device(park: Park, blueprint: DeviceBlueprint, companies: list[Company],
            commissioned_at: datetime) -> Device:
    company = companies[blueprint.company_index] if blueprint.company_index is not None else None
    device = Device(
        park=park, uid=blueprint.uid, name=blueprint.name, payload_format=blueprint.format,
        topic=device_service.topic_for(park, blueprint.uid, blueprint.format, blueprint.topic),
        interval_s=blueprint.interval_s, commissioned_at=commissioned_at, company=company,
        latitude=park.latitude, longitude=park.longitude, location=park.name,
        water_level_limit_cm=WADI_LIMIT_CM if blueprint.uid.endswith("-wadi") else None,
    )
    device_service.set_channels(device, [
        device_service.ChannelInput(field, quantity, unit) for field, quantity, unit
        in blueprint.channels])
    device_service.issue_credentials(device)
    return device
