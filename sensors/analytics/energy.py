"""Energy balance, self-sufficiency, peaks and grid stress of a group of meters.

Input is a *long* frame with one row per meter per bucket (normally a quarter-hour): columns
``meter``, ``start`` (aware UTC) and ``import_kwh``, ``export_kwh``, ``pv_kwh`` (NaN = no data).
A missing export or PV value counts as 0 in every sum; a row with no value at all is no data, and
a bucket where no meter has data stays absent from the results rather than becoming a zero.

Definitions (issue #5): per meter and bucket, self-consumed PV = pv - export clipped to
[0, pv]; consumption = import + pv - export; net = import - export. Power in kW = kWh / bucket
hours (x4 for quarter-hours). The collective peak is the highest summed net import of all meters
in one bucket (coincident); the sum of individual peaks adds up each meter's own highest import
(non-coincident); their difference is the headroom a group contract frees.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd

from sensors.rollups import AMSTERDAM

INPUT_COLUMNS: tuple[str, ...] = ("import_kwh", "export_kwh", "pv_kwh")
BALANCE_COLUMNS: tuple[str, ...] = (
    "import_kwh", "export_kwh", "pv_kwh", "consumption_kwh", "self_consumed_kwh", "net_kwh",
)
# kWh in one bucket -> mean kW over it. Only fixed-length buckets have a power.
HOURS_PER_BUCKET = {"15m": 0.25, "1h": 1.0}


def bucket_hours(resolution: str) -> float:
    """Length in hours of a bucket of *resolution* ("15m" or "1h"); ``ValueError`` otherwise."""
    if resolution not in HOURS_PER_BUCKET:
        raise ValueError(f"power needs fixed buckets (15m or 1h), not {resolution!r}")
    return HOURS_PER_BUCKET[resolution]


@dataclass(frozen=True)
class EnergySummary:
    """Totals, ratios and peaks of a group of meters over a period.

    Ratios are ``None`` when their denominator is 0; ``peak_vs_contract`` is ``None`` without a
    (positive) contracted capacity; ``collective_peak_at`` is ``None`` when the group never
    imports on balance.
    """

    meters: int
    import_kwh: float
    export_kwh: float
    pv_kwh: float
    consumption_kwh: float
    self_consumed_kwh: float
    self_sufficiency: float | None
    self_consumption: float | None
    collective_peak_kw: float
    collective_peak_at: datetime | None
    sum_individual_peaks_kw: float
    headroom_kw: float
    contracted_kw: float | None
    peak_vs_contract: float | None


@dataclass(frozen=True)
class _Prepared:
    """The input columns as arrays (NaN as 0), row presence and bucket/meter codes."""

    imports: np.ndarray
    exports: np.ndarray
    pv: np.ndarray
    present: np.ndarray
    codes: np.ndarray
    starts: pd.DatetimeIndex

    def sums(self, weights: np.ndarray) -> np.ndarray:
        """Per-bucket sums of *weights* (one per row)."""
        return np.bincount(self.codes, weights=weights, minlength=len(self.starts))


def _zeroed(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    values = column.to_numpy(dtype=float)
    missing = np.isnan(values)
    return np.where(missing, 0.0, values), missing


def _prepare(frame: pd.DataFrame) -> _Prepared:
    (imp, no_imp), (exp, no_exp), (pv, no_pv) = (_zeroed(frame[c]) for c in INPUT_COLUMNS)
    codes, starts = _bucket_codes(pd.DatetimeIndex(frame["start"]))
    return _Prepared(imp, exp, pv, ~(no_imp & no_exp & no_pv), codes, starts)


def _bucket_codes(starts: pd.DatetimeIndex) -> tuple[np.ndarray, pd.DatetimeIndex]:
    """Sorted bucket codes per row and the bucket starts (UTC) they stand for.

    Rollup starts all lie on the quarter-hour grid, so codes are plain arithmetic (much faster
    than hashing); anything else falls back to :func:`pandas.factorize`.
    """
    if starts.tz is None:
        if len(starts):
            raise ValueError("the start column must be tz-aware (UTC)")
        starts = starts.tz_localize("UTC")     # an empty frame often has no time zone
    starts = starts.tz_convert("UTC")
    if len(starts):
        ticks = starts.asi8
        step = int(np.timedelta64(15, "m").astype(f"m8[{starts.unit}]").astype(np.int64))
        offsets = ticks - ticks.min()
        codes = offsets // step
        n_bins = int(codes.max()) + 1
        if n_bins <= 10 * len(ticks) + 100_000 and np.array_equal(codes * step, offsets):
            first = pd.Timestamp(int(ticks.min()), unit=starts.unit, tz="UTC")
            return codes, pd.date_range(first, periods=n_bins, freq="15min", unit=starts.unit)
    codes, uniques = pd.factorize(starts, sort=True)
    return codes, pd.DatetimeIndex(uniques)


def _self_consumed(prepared: _Prepared) -> np.ndarray:
    pv = prepared.pv
    return np.minimum(np.maximum(pv - prepared.exports, 0.0), pv)


def _balance(prepared: _Prepared) -> pd.DataFrame:
    imp, exp, pv = (prepared.sums(c) for c in (prepared.imports, prepared.exports, prepared.pv))
    data = {"import_kwh": imp, "export_kwh": exp, "pv_kwh": pv,
            "consumption_kwh": imp + pv - exp,
            "self_consumed_kwh": prepared.sums(_self_consumed(prepared)), "net_kwh": imp - exp}
    result = pd.DataFrame(data, index=prepared.starts.rename("start"))
    has_data = prepared.sums(prepared.present.astype(float)) > 0
    return result[has_data] if not has_data.all() else result


def balance(frame: pd.DataFrame) -> pd.DataFrame:
    """The group's energy balance per bucket, summed over meters.

    Index ``start`` (UTC, sorted, only buckets with data); columns :data:`BALANCE_COLUMNS`.
    """
    return _balance(_prepare(frame))


def individual_peaks(frame: pd.DataFrame, resolution: str = "15m") -> pd.Series:
    """Each meter's highest import in kW (meters without import data are left out)."""
    imports = frame["import_kwh"].to_numpy(dtype=float)
    peaks = pd.Series(imports, copy=False).groupby(frame["meter"].to_numpy(), sort=True).max()
    peaks = peaks.dropna() / bucket_hours(resolution)
    peaks.index.name = "meter"
    return peaks.rename("peak_kw")


def _ratio(numerator: float, denominator: float | None) -> float | None:
    if denominator is None or denominator == 0 or np.isnan(denominator):
        return None
    return float(numerator / denominator)


def _collective_peak(bal: pd.DataFrame, hours: float) -> tuple[float, datetime | None]:
    """Highest summed net import in kW and its bucket start; (0, None) if never importing."""
    if bal.empty:
        return 0.0, None
    position = int(np.argmax(bal["net_kwh"].to_numpy()))
    peak = float(bal["net_kwh"].iloc[position]) / hours
    if peak <= 0:
        return 0.0, None
    return peak, bal.index[position].to_pydatetime()


def summarise(
    frame: pd.DataFrame, contracted_kw: float | None = None, resolution: str = "15m"
) -> EnergySummary:
    """Totals, self-sufficiency, self-consumption and peaks of the meters in *frame*.

    The collective peak counts net import only: a group that exports on balance in every bucket
    has a collective peak of 0 (a negative "peak" would inflate the headroom).
    """
    hours = bucket_hours(resolution)
    prepared = _prepare(frame)
    bal = _balance(prepared)
    totals = {column: float(bal[column].sum()) for column in BALANCE_COLUMNS}
    peak, peak_at = _collective_peak(bal, hours)
    individual = float(individual_peaks(frame, resolution).sum())
    contracted = None if contracted_kw is None else float(contracted_kw)
    return EnergySummary(
        meters=_meter_count(frame, prepared.present),
        import_kwh=totals["import_kwh"], export_kwh=totals["export_kwh"],
        pv_kwh=totals["pv_kwh"], consumption_kwh=totals["consumption_kwh"],
        self_consumed_kwh=totals["self_consumed_kwh"],
        self_sufficiency=_ratio(totals["self_consumed_kwh"], totals["consumption_kwh"]),
        self_consumption=_ratio(totals["self_consumed_kwh"], totals["pv_kwh"]),
        collective_peak_kw=peak, collective_peak_at=peak_at,
        sum_individual_peaks_kw=individual, headroom_kw=individual - peak,
        contracted_kw=contracted,
        peak_vs_contract=_ratio(peak, contracted) if contracted and contracted > 0 else None,
    )


def _meter_count(frame: pd.DataFrame, present: np.ndarray) -> int:
    meters = frame["meter"].to_numpy()
    return int(pd.Series(meters[present] if not present.all() else meters).nunique())


def meter_totals(frame: pd.DataFrame) -> pd.DataFrame:
    """Per meter: the sums of :data:`BALANCE_COLUMNS` (index ``meter``, meters with data)."""
    prepared = _prepare(frame)
    parts = pd.DataFrame({"import_kwh": prepared.imports, "export_kwh": prepared.exports,
                          "pv_kwh": prepared.pv, "self_consumed_kwh": _self_consumed(prepared),
                          "meter": frame["meter"].to_numpy()})
    totals = parts[prepared.present].groupby("meter", sort=True).sum()
    totals["consumption_kwh"] = totals["import_kwh"] + totals["pv_kwh"] - totals["export_kwh"]
    totals["net_kwh"] = totals["import_kwh"] - totals["export_kwh"]
    return totals[list(BALANCE_COLUMNS)]


def stress_hours_from_balance(
    bal: pd.DataFrame, top: int = 10, resolution: str = "15m"
) -> pd.DataFrame:
    """The *top* hours of highest mean net import, from a :func:`balance` frame.

    Columns ``start`` (UTC hour), ``net_kw`` and ``import_kw`` (means of the hour's buckets),
    ``rank`` (1 = most stressed; ties go to the earlier hour).
    """
    hours = bucket_hours(resolution)
    power = bal[["net_kwh", "import_kwh"]] / hours
    power.columns = ["net_kw", "import_kw"]
    hourly = power.groupby(pd.DatetimeIndex(bal.index).floor("h").rename("start")).mean()
    result = (hourly.reset_index()
              .sort_values(["net_kw", "start"], ascending=[False, True]).head(top)
              .reset_index(drop=True))
    result["rank"] = np.arange(1, len(result) + 1)
    return result


def stress_hours(frame: pd.DataFrame, top: int = 10, resolution: str = "15m") -> pd.DataFrame:
    """The *top* hours of highest collective net import (see :func:`stress_hours_from_balance`)."""
    return stress_hours_from_balance(balance(frame), top, resolution)


def load_heatmap(balance_frame: pd.DataFrame, resolution: str = "15m") -> pd.DataFrame:
    """Mean net kW per Amsterdam weekday (rows 0 = Monday .. 6) and local hour (columns 0-23).

    Cells without data are NaN; the frame always has 7 rows and 24 columns.
    """
    net_kw = balance_frame["net_kwh"].to_numpy(dtype=float) / bucket_hours(resolution)
    local = pd.DatetimeIndex(balance_frame.index).tz_convert(AMSTERDAM)
    keys = [np.asarray(local.day_of_week), np.asarray(local.hour)]
    cells = pd.Series(net_kw).groupby(keys).mean()
    grid = cells.unstack().reindex(index=range(7), columns=range(24))
    grid.index.name, grid.columns.name = "weekday", "hour"
    return grid.astype(float)


def change(current: float | None, previous: float | None) -> float | None:
    """Relative change from *previous* to *current* (0.25 = 25 % more), ``None`` if undefined.

    Undefined when either value is missing or NaN, or *previous* is 0. The change is relative
    to the size of *previous*, so a move from -10 to -5 is +0.5 (towards more import).
    """
    if current is None or previous is None:
        return None
    if np.isnan(current) or np.isnan(previous) or previous == 0:
        return None
    return float((current - previous) / abs(previous))
