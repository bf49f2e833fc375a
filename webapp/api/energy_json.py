"""JSON shapes of the energy API: ranges, series, summaries, stress hours and meters."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime

import pandas as pd
from sqlalchemy.orm import Session

from sensors.analytics.energy import EnergySummary

from ..models import Device, MeterShareChange
from ..services import energy_data, energy_views
from .device_access import iso
from .energy_params import EnergyRange

DIGITS = 4


def number(value) -> float | None:
    """A float rounded for JSON; None for missing values (NaN)."""
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else round(value, DIGITS)


def range_json(rng: EnergyRange) -> dict:
    """The range answered: from, to, resolution and the calendar period if one was asked."""
    period = None
    if rng.period is not None:
        period = {"kind": rng.period.kind, "key": rng.period.key(),
                  "label_nl": rng.period.label("nl"), "label_en": rng.period.label("en"),
                  "previous": rng.period.previous().key(), "next": rng.period.next().key()}
    return {"from": iso(rng.start), "to": iso(rng.end), "resolution": rng.resolution,
            "period": period}


def series_json(frame: pd.DataFrame) -> list[dict]:
    """One item per bucket that has data: start and every SERIES_COLUMNS value (kWh)."""
    columns = energy_data.SERIES_COLUMNS
    if frame.empty:
        return []
    kept = frame[frame[columns].notna().any(axis=1)]
    starts = pd.DatetimeIndex(kept.index).tz_convert("UTC")
    values = kept[columns].to_numpy(dtype=float)
    return [{"start": start.isoformat(), **{c: number(v) for c, v in zip(columns, row,
                                                                         strict=True)}}
            for start, row in zip(starts, values, strict=True)]


def summary_json(summary: EnergySummary | None) -> dict | None:
    """The summary's figures (kWh, kW, ratios 0-1), the peak moment in ISO 8601."""
    if summary is None:
        return None
    data = asdict(summary)
    at: datetime | None = data.pop("collective_peak_at")
    out = {key: value if key == "meters" else number(value) for key, value in data.items()}
    return {**out, "collective_peak_at": iso(at)}


def stress_json(frame: pd.DataFrame | None) -> list[dict]:
    """The hours of highest collective net import, most stressed first."""
    if frame is None or frame.empty:
        return []
    return [{"rank": int(row.rank), "start": pd.Timestamp(row.start).isoformat(),
             "net_kw": number(row.net_kw), "import_kw": number(row.import_kw)}
            for row in frame.itertuples(index=False)]


def meter_figures(db: Session, meters: Sequence[Device],
                  rng: EnergyRange) -> tuple[pd.DataFrame, dict[str, float]]:
    """Per meter: totals (index uid) and highest quarter-hour import (uid -> kW)."""
    if rng.period is not None:  # months and years keep their peaks (energy_digest)
        return energy_views.meter_figures(db, meters, rng.period)
    return (energy_data.meter_totals(db, meters, rng.start, rng.end),
            energy_data.meter_peaks(db, meters, rng.start, rng.end))


def meters_json(db: Session, meters: Sequence[Device], levels: dict[int, str],
                rng: EnergyRange) -> list[dict]:
    """Each meter with its company, share level, totals and highest quarter-hour import."""
    if not meters:
        return []
    totals, peaks = meter_figures(db, meters, rng)
    out = []
    for meter in meters:
        row = totals.loc[meter.uid] if meter.uid in totals.index else None
        out.append({
            "uid": meter.uid, "name": meter.name,
            "company": {"id": meter.company_id,
                        "name": meter.company.name if meter.company else None},
            "level": levels.get(meter.id, "none"),
            "totals": {c: number(row[c]) if row is not None else None
                       for c in energy_data.SERIES_COLUMNS},
            "peak_kw": number(peaks.get(meter.uid))})
    return out


def change_json(change: MeterShareChange) -> dict:
    """One logged change of a meter's share level."""
    who = change.changed_by
    return {"id": change.id, "from_level": change.from_level, "to_level": change.to_level,
            "changed_at": iso(change.changed_at),
            "changed_by": {"name": who.name, "email": who.email} if who else None,
            "note": change.note}
