"""A park of four companies' meters with hand-checkable rollups, for the energy API tests.

Every meter imports a constant amount per quarter-hour, so any total is that amount times the
number of quarter-hours (100 on 25 October 2026, when the clocks go back). Company 1 also has PV
and exports. Share levels: company 1 board, 2 aggregate, 3 public, 4 none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import numpy as np

from sensors.analytics.periods import local_midnight_utc
from tests.conftest import in_db
from webapp.bench_rollups import grid, write_register
from webapp.models import Association, BoardMembership, Device, MeterShare, Sensor

FIRST_DAY = date(2026, 10, 24)
DAYS = 3  # 24, 25 (100 quarter-hours) and 26 October 2026
QUARTERS = {"2026-10-24": 96, "2026-10-25": 100, "2026-10-26": 96}
IMPORT_KWH = {1: 2.0, 2: 3.0, 3: 5.0, 4: 7.0}  # per quarter-hour, per company
EXPORT_KWH, PV_KWH = 0.5, 1.5  # company 1 only
LEVELS = {1: "board", 2: "aggregate", 3: "public", 4: "none"}


@dataclass
class EnergyWorld:
    """Ids and people of the test park."""

    park: object
    other_park: object
    companies: dict[int, object]
    meters: dict[int, str]
    users: dict[str, object]
    association_id: int


def _meter(session_db, park_id: int, company_id: int, n: int, with_pv: bool) -> Device:
    device = Device(park_id=park_id, company_id=company_id, uid=f"meter-{park_id}-{n}",
                    name=f"Meter {n}", payload_format="dsmr")
    device.sensors.append(Sensor(field="in", quantity="energy_import", unit="kWh"))
    if with_pv:
        device.sensors.append(Sensor(field="out", quantity="energy_export", unit="kWh"))
        device.sensors.append(Sensor(field="pv", quantity="pv_energy", unit="kWh"))
    session_db.add(device)
    session_db.flush()
    return device


def _rollups(session_db, device: Device, n: int) -> None:
    end = local_midnight_utc(FIRST_DAY + timedelta(days=DAYS))
    quarters = grid(FIRST_DAY, end, as_text=session_db.bind.dialect.name == "sqlite")
    amounts = {"energy_import": IMPORT_KWH[n], "energy_export": EXPORT_KWH,
               "pv_energy": PV_KWH}
    for sensor in device.sensors:
        kwh = np.full(len(quarters.starts), amounts[sensor.quantity])
        write_register(session_db.connection(), quarters, sensor.id, kwh)


def build(app, make_park, make_company, make_user) -> EnergyWorld:
    """The park, four companies with a meter each, rollups, shares and the people."""
    association_id = in_db(app, lambda s: _association(s))
    park = make_park(is_public=True, association_id=association_id,
                     contracted_capacity_kw=Decimal("100"))
    other_park = make_park(is_public=True)
    companies = {n: make_company(park, name=f"Bedrijf {n}") for n in LEVELS}
    outsider_company = make_company(other_park, name="Elders")

    def arrange(session_db) -> dict[int, str]:
        uids = {}
        for n, company in companies.items():
            device = _meter(session_db, park.id, company.id, n, with_pv=n == 1)
            _rollups(session_db, device, n)
            if LEVELS[n] != "none":
                session_db.add(MeterShare(device_id=device.id, level=LEVELS[n]))
            uids[n] = device.uid
        return uids

    meters = in_db(app, arrange)
    users = {
        "member1": make_user("member", company=companies[1]),
        "member3": make_user("member", company=companies[3]),
        "member4": make_user("member", company=companies[4]),
        "board": make_user("member", company=companies[2]),
        "manager": make_user("park_manager", parks=[park]),
        "coordinator": make_user("coordinator"),
        "admin": make_user("admin"),
        "outsider": make_user("member", company=outsider_company),
    }
    in_db(app, lambda s: s.add(BoardMembership(association_id=association_id,
                                               user_id=users["board"].id)))
    return EnergyWorld(park, other_park, companies, meters, users, association_id)


def _association(session_db) -> int:
    association = Association(name="Vereniging Energie")
    session_db.add(association)
    session_db.flush()
    return association.id
