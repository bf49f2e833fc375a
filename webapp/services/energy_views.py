"""Everything one energy page shows for a group of meters and a period, in one call.

The company page, the meter page and the park dashboard (and the bench) go through
:func:`energy_view`: the chart series at the period's resolution, the summary with its peaks,
the same summary for the previous period, and (optionally) the grid-stress hours and the
weekday x hour heat map.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy.orm import Session

from sensors.analytics.energy import (
    EnergySummary,
    change,
    load_heatmap,
    stress_hours_from_balance,
)
from sensors.analytics.periods import Period, local_midnight_utc, resample

from ..models import Device
from . import energy_data, energy_digest

# The figures compared with the previous period, in the order the pages show them.
COMPARED: tuple[str, ...] = ("consumption_kwh", "pv_kwh", "import_kwh", "export_kwh",
                             "self_sufficiency", "self_consumption", "collective_peak_kw",
                             "sum_individual_peaks_kw", "headroom_kw")


@dataclass(frozen=True)
class Comparison:
    """One figure now and in the previous period, with the relative change (None if n/a)."""

    key: str
    current: float | None
    previous: float | None
    change: float | None


@dataclass(frozen=True)
class EnergyView:
    """A page's figures for *period*: series at *resolution*, summaries, stress and heat map."""

    period: Period
    resolution: str
    series: pd.DataFrame
    summary: EnergySummary
    previous: EnergySummary
    stress: pd.DataFrame | None
    heatmap: pd.DataFrame | None
    meter_peaks: dict[str, float]

    @property
    def empty(self) -> bool:
        """No data at all in the period."""
        return bool(self.series["import_kwh"].isna().all() and
                    self.series["pv_kwh"].isna().all()) or self.summary.meters == 0

    def comparisons(self) -> list[Comparison]:
        """Each figure of COMPARED now, before and its relative change (None: no data)."""
        found = []
        for key in COMPARED:
            current = getattr(self.summary, key) if self.summary.meters else None
            previous = getattr(self.previous, key) if self.previous.meters else None
            found.append(Comparison(key, current, previous, change(current, previous)))
        return found


def chart_series(frame: pd.DataFrame, period: Period, resolution: str) -> pd.DataFrame:
    """*frame* on every bucket of the period (NaN where there is no data): 100 quarter-hours
    on the day the clocks go back, 92 when they go forward."""
    return frame.reindex(period.buckets(resolution))


def _short(db: Session, meters: Sequence[Device], period: Period, resolution: str,
           with_stress: bool) -> tuple:
    """A day or a week: everything from one pass over the quarter-hours (and the meters' own
    peaks)."""
    start, end = period.start_utc, period.end_utc
    quarters = energy_data.series(db, meters, start, end, "15m")
    frame = quarters if resolution == "15m" or quarters.empty else resample(quarters,
                                                                            resolution)
    hours = (quarters if quarters.empty else resample(quarters, "1h")) if with_stress else None
    peaks = (*energy_data.peak_of(quarters), energy_data.meter_peaks(db, meters, start, end))
    return frame, peaks, hours


def _long(db: Session, meters: Sequence[Device], period: Period, resolution: str,
          with_stress: bool) -> tuple:
    """A month or a year: days, hours and peaks month by month from energy_digest (remembered
    while the month's day rollups stay the same)."""
    start, end = period.start_utc, period.end_utc
    prints = energy_digest.fingerprints(db, meters, start, end)
    if resolution in ("1d", "1mo"):
        days = energy_digest.daily(db, meters, period, prints)
        frame = days if resolution == "1d" or days.empty else resample(days, "1mo")
    elif resolution == "1h":
        frame = energy_digest.hourly(db, meters, period, prints)
    else:
        frame = energy_data.series(db, meters, start, end, resolution)
    peaks = energy_digest.peaks(db, meters, period, prints)
    hours = energy_digest.hourly(db, meters, period, prints) if with_stress else None
    return frame, peaks, hours


def _figures(db: Session, meters: Sequence[Device], period: Period, resolution: str,
             contracted_kw: float | None, with_stress: bool) -> tuple:
    """(series, summary, per-meter peaks, hourly balance or None) of one period."""
    figures = _long if period.kind in ("month", "year") else _short
    frame, (peak, at, per_meter), hours = figures(db, meters, period, resolution, with_stress)
    with_data = energy_data.meters_with_data(db, meters, period.start_utc, period.end_utc)
    summary = energy_data.summary_from(frame.sum(), (peak, at), per_meter, with_data,
                                       contracted_kw)
    return frame, summary, per_meter, hours


def energy_view(db: Session, meters: Sequence[Device], period: Period,
                contracted_kw: float | None = None, resolution: str | None = None,
                with_stress: bool = False) -> EnergyView:
    """The figures of *meters* for *period* and the previous period."""
    resolution = resolution or period.default_resolution
    if resolution not in period.allowed_resolutions:
        raise ValueError(f"resolution {resolution!r} does not fit a {period.kind}")
    frame, current, per_meter, hours = _figures(db, meters, period, resolution, contracted_kw,
                                                with_stress)
    previous_resolution = "1d" if resolution in ("1d", "1mo") else resolution
    previous = _figures(db, meters, period.previous(), previous_resolution, contracted_kw,
                        False)[1]
    stress = heat = None
    if hours is not None:
        stress = stress_hours_from_balance(hours, 10, "1h")
        heat = load_heatmap(hours, "1h")
    return EnergyView(period, resolution, chart_series(frame, period, resolution), current,
                      previous, stress, heat, per_meter)


def meter_figures(db: Session, meters: Sequence[Device],
                  period: Period) -> tuple[pd.DataFrame, dict[str, float]]:
    """Per meter: totals over the period (index uid) and highest quarter-hour import (kW)."""
    start, end = period.start_utc, period.end_utc
    if not meters or period.kind not in ("month", "year"):
        return (energy_data.meter_totals(db, meters, start, end),
                energy_data.meter_peaks(db, meters, start, end) if meters else {})
    prints = energy_digest.fingerprints(db, meters, start, end)
    exact = energy_digest.meter_self_consumed(db, meters, period, prints)
    return (energy_data.meter_totals(db, meters, start, end, exact),
            energy_digest.meter_peaks(db, meters, period, prints))


def _pieces(first: date, end: date) -> list[tuple[date, date, bool]]:
    """[first, end) cut into (start, end, whole month?) pieces at month boundaries."""
    pieces, day = [], first
    while day < end:
        month = Period.containing("month", day)
        stop = min(month.end, end)
        pieces.append((day, stop, day == month.start and stop == month.end))
        day = stop
    return pieces


def range_summary(db: Session, meters: Sequence[Device], first: date, end: date,
                  contracted_kw: float | None = None) -> EnergySummary:
    """The summary over the local days [first, end), e.g. the last 12 months; whole calendar
    months take their peaks from the remembered month digests, so it stays quick."""
    peak, at, per_meter, mixed = 0.0, None, {}, []
    prints = energy_digest.fingerprints(db, meters, local_midnight_utc(first),
                                        local_midnight_utc(end))
    for a, b, whole in _pieces(first, end):
        if whole:
            month = Period("month", a)
            found = energy_digest.peaks(db, meters, month, prints)
            mixed.append(energy_digest.mixed_self_consumed(db, meters, month, prints))
        else:
            start, stop = local_midnight_utc(a), local_midnight_utc(b)
            found = (*energy_data.collective_peak(db, meters, start, stop),
                     energy_data.meter_peaks(db, meters, start, stop))
            mixed.append(energy_data.quarter_self_consumed(
                db, energy_data.mixed_meters(meters), start, stop))
        if found[0] > peak:
            peak, at = found[0], found[1]
        for uid, kw in found[2].items():
            per_meter[uid] = max(kw, per_meter.get(uid, kw))
    start, stop = local_midnight_utc(first), local_midnight_utc(end)
    parts = [part for part in mixed if not part.empty]
    frame = energy_data.series(db, meters, start, stop, "1d",
                               pd.concat(parts) if parts else pd.Series(dtype=float))
    return energy_data.summary_from(frame.sum(), (peak, at), per_meter,
                                    energy_data.meters_with_data(db, meters, start, stop),
                                    contracted_kw)
