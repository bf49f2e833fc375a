"""Theme-compass indicator values derived from sensor data, stored as measured values.

Over the last 12 months (whole Amsterdam days up to yesterday, or the part of them with data):

- heat_stress_hours: hours whose mean temperature is 30 °C or more, the level the indicator's
  definition uses ("uur/jaar" with 30 °C in the catalogue; the 27 °C warning level is on the
  heat page). The park's hourly mean is the mean over its outdoor temperature sensors. Hours
  per year need (nearly) a year: with data on fewer than 90 % of the days there is no value,
  since a few winter weeks would count 0 hours and pass the maturity criterion;
- pm25_ugm3, no2_ugm3: the mean of the park's daily means;
- self_sufficiency_pct, peak_vs_grid_pct, energy_balance_pct (PV production as % of use): from
  the consenting energy aggregate, only when it is not withheld (at least 3 companies).

Outdoor sensors are those of park-wide devices (no owning company): company devices are often
indoor (a meeting-room climate node), which says nothing about heat stress or air on the park.
The energy aggregate is the "park" audience's, or the "public" one when the park publishes its
theme compass, so an indicator never shows more than the companies agreed to share with its
readers.

Values are stored as IndicatorValue(source="sensor", is_measured=True) on the last day of the
window, one row per park and indicator: a later run updates that row (value, measured_on and
note) and deletes any older sensor rows of the indicator, or removes them all when the value can
no longer be derived (no data, or a company revoked consent so the energy aggregate is withheld).
Values entered by hand are never touched.
"""

from __future__ import annotations

import getpass
import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import click
import pandas as pd
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from sensors.analytics import climate
from sensors.analytics.periods import local_midnight_utc
from sensors.rollups import AMSTERDAM

from .. import db
from ..audit import Actor, acting_as
from ..models import Device, IndicatorValue, Park, Sensor
from . import energy_data, energy_sharing
from .environment_data import read_rollups

SOURCE = "sensor"
SENSOR_INDICATORS: tuple[str, ...] = ("heat_stress_hours", "pm25_ugm3", "no2_ugm3",
                                      "self_sufficiency_pct", "peak_vs_grid_pct",
                                      "energy_balance_pct")
AIR_INDICATORS = {"pm25_ugm3": "pm25", "no2_ugm3": "no2"}
HEAT_THRESHOLD_C = climate.HEAT_ALARM_C
HEAT_MIN_COVERAGE = 0.9  # share of the window's days with temperature data


@dataclass(frozen=True)
class Derived:
    """One indicator value computed from sensor data, with a note on how."""

    indicator: str
    value: float
    note: str


@dataclass(frozen=True)
class DeriveCounts:
    """What a run stored: parks looked at, rows created, updated, unchanged and removed."""

    parks: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0

    def __add__(self, other: DeriveCounts) -> DeriveCounts:
        return DeriveCounts(*(a + b for a, b in zip(self.__dict__.values(),
                                                    other.__dict__.values(), strict=True)))


@dataclass(frozen=True)
class Window:
    """The local days [first, end) the values are derived from."""

    first: date
    end: date

    @property
    def last(self) -> date:
        """The last day of the window: the values' measured_on."""
        return self.end - timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.end - self.first).days

    def span(self) -> str:
        return f"{self.first.isoformat()} t/m {self.last.isoformat()}"


def window_for(today: date) -> Window:
    """The 12 months of whole days before *today* (Amsterdam calendar)."""
    try:
        first = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        first = today.replace(year=today.year - 1, day=28)
    return Window(first, today)


def outdoor_sensor_ids(db: Session, park: Park, quantity: str) -> list[int]:
    """Sensors of *quantity* on the park's park-wide devices (no owning company)."""
    return list(db.scalars(select(Sensor.id).join(Device, Sensor.device_id == Device.id).where(
        Device.park_id == park.id, Device.company_id.is_(None), Sensor.quantity == quantity)
        .order_by(Sensor.id)))


def park_means(db: Session, sensor_ids: list[int], period: str, window: Window) -> pd.Series:
    """Per bucket the mean over the sensors' readings (sum of sums / sum of counts)."""
    rollups = read_rollups(db, sensor_ids, period, local_midnight_utc(window.first),
                           local_midnight_utc(window.end))
    if rollups.empty:
        return pd.Series(dtype=float, index=pd.DatetimeIndex([], tz="UTC", name="start"))
    grouped = rollups.groupby("start")[["sum", "count"]].sum()
    return (grouped["sum"] / grouped["count"].where(grouped["count"] > 0)).dropna()


def _sensors(n: int) -> str:
    return f"{n} sensor" if n == 1 else f"{n} sensoren"


def heat_hours(db: Session, park: Park, window: Window) -> Derived | None:
    """Hours at or above 30 °C (park hourly mean) in the window; None without a year's data."""
    ids = outdoor_sensor_ids(db, park, "temperature")
    hourly = park_means(db, ids, "1h", window)
    days = len(climate.daily_means(hourly)) if not hourly.empty else 0
    if days == 0 or days < math.ceil(HEAT_MIN_COVERAGE * window.days):
        return None
    hours = climate.heat_stress_hours(hourly, HEAT_THRESHOLD_C)
    return Derived("heat_stress_hours", float(hours), (
        f"Sensorwaarde: uren met een uurgemiddelde van {HEAT_THRESHOLD_C:g} °C of meer, "
        f"{_sensors(len(ids))} buiten, {window.span()}; gegevens op {days} van "
        f"{window.days} dagen."))


def air_mean(db: Session, park: Park, code: str, window: Window) -> Derived | None:
    """The mean of the park's daily means of PM2.5 or NO2 in the window; None without data."""
    ids = outdoor_sensor_ids(db, park, AIR_INDICATORS[code])
    daily = park_means(db, ids, "1d", window)
    mean = climate.period_mean(daily)
    if mean is None:
        return None
    return Derived(code, round(mean, 2), (
        f"Sensorwaarde: gemiddelde van {len(daily)} daggemiddelden ({_sensors(len(ids))} "
        f"buiten), {window.span()}; gegevens op {len(daily)} van {window.days} dagen."))


def energy_audience(park: Park) -> str:
    """"public" when the park publishes its theme compass, else "park"."""
    return "public" if park.is_public and park.is_field_public("themes") else "park"


def energy_values(db: Session, park: Park, window: Window) -> list[Derived]:
    """Self-sufficiency, peak vs grid capacity and energy balance of the shared aggregate."""
    start, end = local_midnight_utc(window.first), local_midnight_utc(window.end)
    shared = energy_sharing.in_window(
        db, park, energy_sharing.shared_meters(db, park, energy_audience(park)), start, end)
    meters = list(shared.usable_meters)
    if not meters:
        return []
    contracted = park.contracted_capacity_kw
    result = energy_data.summary(db, meters, start, end,
                                 float(contracted) if contracted is not None else None)
    if result.meters == 0:
        return []
    note = (f"Sensorwaarde: gedeeld totaal van {result.meters} meters van {shared.companies} "
            f"bedrijven, {window.span()}.")
    ratios = {"self_sufficiency_pct": result.self_sufficiency,
              "peak_vs_grid_pct": result.peak_vs_contract,
              "energy_balance_pct": result.pv_kwh / result.consumption_kwh
              if result.consumption_kwh > 0 else None}
    return [Derived(code, round(ratio * 100, 1), note)
            for code, ratio in ratios.items() if ratio is not None]


def derivations(db: Session, park: Park, today: date) -> list[Derived]:
    """Every indicator value the park's sensor data give for the 12 months before *today*."""
    window = window_for(today)
    found = [heat_hours(db, park, window),
             *(air_mean(db, park, code, window) for code in AIR_INDICATORS)]
    return [d for d in found if d is not None] + energy_values(db, park, window)


def _sensor_rows(db: Session, park: Park, code: str) -> list[IndicatorValue]:
    """The park's sensor rows of *code*, newest first (normally one; more from older runs)."""
    return list(db.scalars(select(IndicatorValue).where(
        IndicatorValue.park_id == park.id, IndicatorValue.indicator == code,
        IndicatorValue.source == SOURCE)
        .order_by(IndicatorValue.measured_on.desc(), IndicatorValue.id.desc())))


def _remove(db: Session, rows: list[IndicatorValue]) -> DeriveCounts:
    for row in rows:
        db.delete(row)
    return DeriveCounts(removed=len(rows))


def _store(db: Session, park: Park, item: Derived, day: date) -> DeriveCounts:
    """Keep one sensor row of the indicator, holding *item* as measured on *day*."""
    row, *older = _sensor_rows(db, park, item.indicator) or [None]
    counts = _remove(db, older)
    if row is None:
        db.add(IndicatorValue(park=park, indicator=item.indicator, value=item.value,
                              measured_on=day, source=SOURCE, is_measured=True, note=item.note))
        return counts + DeriveCounts(created=1)
    if (row.value, row.note, row.measured_on, row.is_measured) == (item.value, item.note, day,
                                                                    True):
        return counts + DeriveCounts(unchanged=1)
    row.value, row.note, row.measured_on, row.is_measured = item.value, item.note, day, True
    return counts + DeriveCounts(updated=1)


def derive_for_park(db: Session, park: Park, today: date) -> DeriveCounts:
    """Store the park's sensor-derived indicator values for the window ending before *today*.

    Each indicator keeps exactly one sensor row (the latest value); an indicator that can no
    longer be derived (no data, or the energy aggregate is withheld) loses its sensor row.
    """
    day = window_for(today).last
    found = derivations(db, park, today)
    counts = DeriveCounts(parks=1)
    for item in found:
        counts += _store(db, park, item, day)
    for code in sorted(set(SENSOR_INDICATORS) - {item.indicator for item in found}):
        counts += _remove(db, _sensor_rows(db, park, code))
    db.flush()
    return counts


def derive_all(db: Session, today: date) -> DeriveCounts:
    """Derive the values of every park that has devices; returns the summed counts."""
    parks = db.scalars(select(Park).where(exists().where(Device.park_id == Park.id))
                       .order_by(Park.id))
    total = DeriveCounts()
    for park in parks:
        total += derive_for_park(db, park, today)
    return total


def register_indicators_command(cli: click.Group, app_of) -> None:
    """Add `sensor-indicators [--park SLUG] [--date YYYY-MM-DD]` to *cli*."""

    @cli.command("sensor-indicators")
    @click.option("--park", "slug", metavar="SLUG", help="Only this park (default: every park "
                  "with devices).")
    @click.option("--date", "on", type=click.DateTime(formats=["%Y-%m-%d"]),
                  help="Derive as on this day (default: today in Amsterdam); the values cover "
                       "the 12 months before it.")
    @click.pass_context
    def sensor_indicators(ctx: click.Context, slug: str | None, on) -> None:
        """Fill theme indicators (heat-stress hours, PM2.5, NO2, energy) from sensor data."""
        app = app_of(ctx)
        today = on.date() if on else datetime.now(AMSTERDAM).date()
        with app.app_context(), acting_as(Actor(f"cli:{getpass.getuser()}")):
            session_db = db.session()
            counts = _run(session_db, slug, today)
            session_db.commit()
        click.echo(f"{counts.parks} parks: {counts.created} values created, {counts.updated} "
                   f"updated, {counts.unchanged} unchanged, {counts.removed} removed "
                   f"(measured on {window_for(today).last.isoformat()}).")


def _run(session_db: Session, slug: str | None, today: date) -> DeriveCounts:
    if slug is None:
        return derive_all(session_db, today)
    park = session_db.scalar(select(Park).where(Park.slug == slug))
    if park is None:
        raise click.BadParameter(f"no park with slug {slug!r}", param_hint="--park")
    return derive_for_park(session_db, park, today)
