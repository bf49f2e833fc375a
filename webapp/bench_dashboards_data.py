"""The data of `werklandschap bench dashboards`: a park of meters with a year of rollups.

Every meter has a grid-import register; one meter in three also has PV, and with it an export
register and a PV production meter. Each register gets the rollups the ingest would have written
for one reading per quarter-hour (see webapp.bench_rollups). Load follows the simulator's company
archetypes (:mod:`sensors.simulation.companies`), vectorised with numpy. The park, companies,
meters and the board member are written with Core inserts, so the bench leaves no audit rows.
"""

from __future__ import annotations

import math
import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, insert, select

from sensors.rollups import AMSTERDAM, PERIODS
from sensors.simulation.companies import company as company_profile

from .bench_rollups import grid, write_register
from .models import (
    Association,
    Base,
    BoardMembership,
    Company,
    Device,
    MeterShare,
    Park,
    Rollup,
    Sensor,
    User,
)
from .security import hash_password

LATITUDE, LONGITUDE = 52.53, 6.15
PV_EVERY = 3  # meter i has PV when i % PV_EVERY == 0
METERS_PER_COMPANY = 5
LEVELS = ("board", "aggregate", "public")
REGISTERS = {"import": ("electricity_delivered", "energy_import"),
             "export": ("electricity_returned", "energy_export"),
             "pv": ("pv_total", "pv_energy")}


@dataclass
class BenchPark:
    """What the builder made: the park, the board member's login and the row counts."""

    slug: str
    park_id: int
    association_id: int
    email: str
    password: str
    meter_uid: str
    first_day: date
    last_day: date
    meters: int
    companies: int
    sharing_companies: int
    sensors: int
    registers_of: list[tuple[str, dict[str, int]]] = field(default_factory=list, repr=False)
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def _activity(hours: np.ndarray, weekday: np.ndarray, who) -> np.ndarray:
    ramp = np.clip(np.minimum(hours - who.opens + 1, who.closes - hours), 0.0, 1.0)
    day_share = np.array([1.0, 1.0, 1.0, 1.0, 0.95, who.saturday, 0.0])[weekday]
    return ramp * day_share


def load_kw(starts: pd.DatetimeIndex, index: int, rng: np.random.Generator) -> np.ndarray:
    """Electric load in kW per quarter-hour of meter *index*: base, working hours, noise."""
    who = company_profile(index)
    local = starts.tz_convert(AMSTERDAM)
    hours = np.asarray(local.hour + local.minute / 60 + 7.5 / 60, dtype=float)
    activity = _activity(hours, np.asarray(local.day_of_week), who)
    noise = 1 + 0.06 * rng.standard_normal(len(starts))
    return (who.base_kw + (who.peak_kw - who.base_kw) * activity) * noise


def pv_kw(starts: pd.DatetimeIndex, kwp: float, rng: np.random.Generator) -> np.ndarray:
    """PV output in kW: the sun's height over the park, thinned by a cloudiness per day."""
    middle = starts + pd.Timedelta(minutes=7.5)
    day_of_year = np.asarray(middle.day_of_year, dtype=float)
    declination = np.radians(23.44) * np.sin(2 * np.pi * (day_of_year - 81) / 365)
    solar_hour = np.asarray(middle.hour + middle.minute / 60, dtype=float) + LONGITUDE / 15
    hour_angle = np.radians(15 * (solar_hour - 12))
    lat = math.radians(LATITUDE)
    sin_elevation = (math.sin(lat) * np.sin(declination)
                     + math.cos(lat) * np.cos(declination) * np.cos(hour_angle))
    days = np.asarray((middle - middle[0]).days)
    cloud = rng.uniform(0.0, 1.0, days.max() + 1)[days]
    return kwp * np.clip(sin_elevation, 0, None) ** 1.2 * (1 - 0.75 * cloud ** 1.5)


def registers(starts: pd.DatetimeIndex, index: int, seed: int) -> dict[str, np.ndarray]:
    """kWh per quarter-hour of each register of meter *index* (import; export and pv with PV)."""
    rng = np.random.default_rng(seed * 1000 + index)
    load = load_kw(starts, index, rng)
    if index % PV_EVERY:
        return {"import": np.clip(load, 0, None) * 0.25}
    pv = pv_kw(starts, company_profile(index).pv_kwp, rng)
    return {"import": np.clip(load - pv, 0, None) * 0.25,
            "export": np.clip(pv - load, 0, None) * 0.25, "pv": pv * 0.25}


def _one(conn: Connection, model, **values) -> int:
    return conn.execute(insert(model).returning(model.id), [values]).scalar_one()


def _people(conn: Connection, slug: str, park_id: int, company_id: int) -> tuple[int, str, str]:
    """The association and its board member (a user of the first company)."""
    association_id = _one(conn, Association, name=f"Benchmark-vereniging {slug}")
    conn.execute(Park.__table__.update().where(Park.id == park_id)
                 .values(association_id=association_id))
    email, password = f"bestuur.{slug}@bench.werklandschap.nl", secrets.token_urlsafe(12)
    user_id = _one(conn, User, email=email, role="member", name="Bench board member",
                   password_hash=hash_password(password), company_id=company_id)
    _one(conn, BoardMembership, association_id=association_id, user_id=user_id)
    return association_id, email, password


def _companies(conn: Connection, park_id: int, count: int) -> list[int]:
    return [_one(conn, Company, park_id=park_id, name=f"Benchbedrijf {n + 1}",
                 contracted_capacity_kw=Decimal(200 + 50 * (n % 4))) for n in range(count)]


def share_level(company_index: int, companies: int) -> str:
    """The share level of a company's meters: one in four companies (if 4+) shares nothing."""
    if companies >= 4 and company_index == companies - 1:
        return "none"
    return LEVELS[company_index % len(LEVELS)]


def _meter(conn: Connection, park_id: int, slug: str, index: int, company_id: int,
           level: str) -> tuple[str, dict[str, int]]:
    uid = f"{slug}-m{index + 1:03d}"
    device_id = _one(conn, Device, park_id=park_id, company_id=company_id, uid=uid,
                     name=f"Meter {index + 1}", payload_format="dsmr", interval_s=900,
                     commissioned_at=datetime(2000, 1, 1, tzinfo=UTC))
    names = ["import"] if index % PV_EVERY else ["import", "export", "pv"]
    sensors = {name: _one(conn, Sensor, device_id=device_id, field=REGISTERS[name][0],
                          quantity=REGISTERS[name][1], unit="kWh") for name in names}
    _one(conn, MeterShare, device_id=device_id, level=level)
    return uid, sensors


def create(engine: Engine, meters: int, days: int, now: datetime) -> BenchPark:
    """The bench park with its companies, meters (share levels set) and board member.

    Runs inside an app context (the board member's password is hashed with the app's settings).
    Its rollups are written by :func:`fill`.
    """
    Base.metadata.create_all(engine)
    slug = f"bench-dash-{int(time.time())}-{secrets.token_hex(2)}"
    last_day = now.astimezone(AMSTERDAM).date()
    companies = max(3, math.ceil(meters / METERS_PER_COMPANY))
    with engine.begin() as conn:
        park_id = _one(conn, Park, slug=slug, name="Benchmark-energiepark", municipality="-",
                       province="Overijssel", is_public=False, latitude=LATITUDE,
                       longitude=LONGITUDE, contracted_capacity_kw=Decimal(meters * 60))
        company_ids = _companies(conn, park_id, companies)
        association_id, email, password = _people(conn, slug, park_id, company_ids[0])
        plan = [_meter(conn, park_id, slug, i, company_ids[i % companies],
                       share_level(i % companies, companies)) for i in range(meters)]
    sharing = sum(share_level(n, companies) != "none" for n in range(min(companies, meters)))
    return BenchPark(slug, park_id, association_id, email, password, plan[0][0],
                     last_day - timedelta(days=days - 1), last_day, meters, companies, sharing,
                     sum(len(sensors) for _, sensors in plan), registers_of=plan)


def fill(engine: Engine, bench: BenchPark, now: datetime, log=lambda _m: None) -> None:
    """Write every register's rollups from Amsterdam midnight of the first day up to *now*."""
    began = time.perf_counter()
    on = grid(bench.first_day, now, as_text=engine.dialect.name == "sqlite")
    bench.rows = dict.fromkeys(PERIODS, 0)
    for index, (_uid, sensors) in enumerate(bench.registers_of):
        with engine.begin() as conn:
            for name, kwh in registers(on.starts, index, 2026).items():
                written = write_register(conn, on, sensors[name], kwh, 10_000.0 * (index + 1))
                bench.rows = {p: bench.rows[p] + written[p] for p in PERIODS}
        if (index + 1) % 10 == 0 or index + 1 == bench.meters:
            log(f"  {index + 1}/{bench.meters} meters written")
    if engine.dialect.name == "postgresql":  # what autovacuum does after a bulk load
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE rollup")
    bench.seconds = round(time.perf_counter() - began, 2)


def drop(engine: Engine, bench: BenchPark) -> None:
    """Remove the bench park, its association and its board member (rollups cascade)."""
    tables = Base.metadata.tables
    with engine.begin() as conn:
        sensor_ids = select(Sensor.id).join(Device, Sensor.device_id == Device.id).where(
            Device.park_id == bench.park_id)
        conn.execute(tables["rollup"].delete().where(Rollup.sensor_id.in_(sensor_ids)))
        conn.execute(tables["user_account"].delete().where(User.email == bench.email))
        conn.execute(tables["park"].delete().where(Park.id == bench.park_id))
        conn.execute(tables["association"].delete().where(
            Association.id == bench.association_id))
