"""Helpers for the energy tests (no tests here): meters, consistent rollups, share levels.

Rollups are written directly, as the ingest's rollup store would leave them: every quarter-hour
value also goes into its hour and its Amsterdam day, so the 15m, 1h and 1d views agree.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from openpyxl import load_workbook
from sqlalchemy import select

from sensors.analytics.periods import Period
from sensors.rollups import bucket_start
from tests.conftest import in_db
from tests.webapp.sensor_support import DeviceIds, add_device
from webapp.models import Association, Device, Park, Rollup
from webapp.services import energy_digest, energy_sharing

QUARTER = timedelta(minutes=15)
# field -> quantity of a default meter
METER = {"import": "energy_import", "export": "energy_export", "pv": "pv_energy"}
# How each quantity lands in a rollup: meters as consumption, gauges as mean, intervals as sum.
KIND = {"energy_import": "cumulative", "energy_export": "cumulative", "pv_energy": "cumulative",
        "energy": "interval", "power": "gauge", "pv_power": "gauge"}


@dataclass(frozen=True)
class Meter:
    """A meter made for a test: its ids and the company that owns it."""

    ids: DeviceIds
    company_id: int

    @property
    def uid(self) -> str:
        return self.ids.uid

    @property
    def id(self) -> int:
        return self.ids.id


def park_with_association(app, make_park, is_public: bool) -> Park:
    """Park "De Mars", managed by the association "OV De Mars" (whose board sees named meters)."""
    park = make_park(slug="de-mars", name="De Mars", is_public=is_public)

    def link(session_db):
        association = Association(name="OV De Mars")
        session_db.add(association)
        session_db.flush()
        session_db.get(Park, park.id).association_id = association.id
        return association.id

    park.association_id = in_db(app, link)
    return park


def make_meter(app, park: Park, company, channels: dict[str, str] | None = None,
               name: str | None = None, **fields) -> Meter:
    """A company's meter (default: import, export and PV registers)."""
    channels = channels or dict(METER)
    ids = add_device(app, park, channels, company_id=company.id, **fields)
    if name:
        in_db(app, lambda s: setattr(s.get(Device, ids.id), "name", name))
    return Meter(ids, company.id)


def quarters(day: date) -> list[datetime]:
    """The UTC starts of every quarter-hour of an Amsterdam day (92, 96 or 100)."""
    period = Period("day", day)
    return [t.to_pydatetime() for t in period.buckets("15m")]


def _rollup(sensor_id: int, period: str, start: datetime, values: list[float],
            kind: str) -> Rollup:
    total = float(sum(values))
    return Rollup(sensor_id=sensor_id, period=period, start=start, count=len(values),
                  min=min(values), max=max(values), sum=total, first_ts=start, last_ts=start,
                  consumption=total if kind == "cumulative" else None)


def add_quarters(app, sensor_id: int, kind: str, points: Iterable[tuple[datetime, float]]) -> None:
    """Quarter-hour values (kWh for meters and intervals, kW for gauges) added to the 15m, 1h
    and 1d rollups, as the ingest's rollup store adds readings; a gauge's value is its mean."""
    groups: dict[tuple[str, datetime], list[float]] = {}
    for start, value in points:
        for period in ("15m", "1h", "1d"):
            groups.setdefault((period, bucket_start(start, period)), []).append(value)

    def work(session_db):
        for (period, start), values in groups.items():
            new = _rollup(sensor_id, period, start, values, kind)
            old = session_db.get(Rollup, (sensor_id, period, start))
            if old is None:
                session_db.add(new)
                continue
            old.count, old.sum = old.count + new.count, old.sum + new.sum
            old.min, old.max = min(old.min, new.min), max(old.max, new.max)
            if new.consumption is not None:
                old.consumption = (old.consumption or 0.0) + new.consumption

    in_db(app, work)
    energy_digest.clear()


def fill(app, meter: Meter, field: str, starts: Sequence[datetime], values) -> None:
    """Values for one field of *meter* (a number for every quarter, or one per start)."""
    values = [values] * len(starts) if isinstance(values, int | float) else list(values)
    add_quarters(app, meter.ids.sensor(field), KIND[meter_quantity(app, meter, field)],
                 zip(starts, values, strict=True))


def meter_quantity(app, meter: Meter, field: str) -> str:
    def read(session_db):
        device = session_db.get(Device, meter.id)
        return next(s.quantity for s in device.sensors if s.field == field)

    return in_db(app, read)


def share(app, meter: Meter, level: str, user=None) -> None:
    """Set a meter's share level through the service (as the sharing page does)."""

    def work(session_db):
        device = session_db.get(Device, meter.id)
        energy_sharing.set_share(session_db, device, level, user)

    in_db(app, work)


def devices(app, uids: Sequence[str]) -> list[Device]:
    """Devices by uid with sensors loaded (for calling the data services directly)."""

    def read(session_db):
        found = list(session_db.scalars(select(Device).where(Device.uid.in_(uids))))
        for device in found:
            list(device.sensors)
        return sorted(found, key=lambda d: list(uids).index(d.uid))

    return in_db(app, read)


def csv_rows(response) -> list[list[str]]:
    """A CSV download's rows (BOM stripped, ';' separated)."""
    text = response.get_data(as_text=True).lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def xlsx_rows(response) -> list[tuple]:
    """An XLSX download's rows, opened with openpyxl."""
    book = load_workbook(io.BytesIO(response.get_data()), read_only=True)
    return [tuple(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def number(text: str) -> float:
    """A CSV cell with a decimal comma as a float."""
    return float(text.replace(",", "."))


def day_start(day: date) -> datetime:
    """Amsterdam midnight of *day* in UTC."""
    return Period("day", day).start_utc.astimezone(UTC)
