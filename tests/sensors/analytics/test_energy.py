"""Energy balance, ratios, peaks and stress hours against hand-computed cases."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from sensors.analytics.energy import (
    BALANCE_COLUMNS,
    balance,
    bucket_hours,
    change,
    individual_peaks,
    load_heatmap,
    meter_totals,
    stress_hours,
    stress_hours_from_balance,
    summarise,
)
from sensors.analytics.periods import resample

NAN = float("nan")
T0 = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)


def q(n: int) -> datetime:
    """Start of the n-th quarter-hour after T0."""
    return T0 + timedelta(minutes=15 * n)


def long_frame(rows: list[tuple]) -> pd.DataFrame:
    """Rows of (meter, quarter, import, export, pv) into the analytics input frame."""
    return pd.DataFrame(
        [(meter, q(n), imp, exp, pv) for meter, n, imp, exp, pv in rows],
        columns=["meter", "start", "import_kwh", "export_kwh", "pv_kwh"],
    )


# Three meters, four quarter-hours (kWh per quarter-hour), plus a fifth quarter with no data.
#            meter  q  import export  pv      self-consumed = clip(pv - export, 0, pv)
PARK = long_frame([
    ("A", 0, 2.0, 0.0, 1.0),     # 1
    ("B", 0, 1.0, 0.0, NAN),     # 0 (no PV data counts as 0)
    ("C", 0, 3.0, NAN, NAN),     # 0
    ("A", 1, 0.0, 1.0, 3.0),     # 2
    ("B", 1, 4.0, 0.0, 0.0),     # 0
    ("C", 1, 1.0, NAN, NAN),     # 0
    ("A", 2, 5.0, 0.0, 0.0),     # 0
    ("B", 2, 0.0, 2.0, 2.0),     # 0
    ("C", 2, 0.0, 0.5, 1.0),     # 0.5
    ("A", 3, NAN, NAN, NAN),     # no data
    ("B", 3, 2.0, 0.0, 1.0),     # 1
    ("C", 3, NAN, NAN, NAN),     # no data
    ("A", 4, NAN, NAN, NAN),     # quarter 4: nobody has data -> absent
    ("B", 4, NAN, NAN, NAN),
])


def test_balance_of_the_park():
    bal = balance(PARK)
    assert list(bal.columns) == list(BALANCE_COLUMNS)
    assert list(bal.index) == [q(0), q(1), q(2), q(3)]      # quarter 4 is absent, not zero
    assert list(bal["import_kwh"]) == [6.0, 5.0, 5.0, 2.0]   # 2+1+3, 0+4+1, 5+0+0, 2
    assert list(bal["export_kwh"]) == [0.0, 1.0, 2.5, 0.0]   # 0, 1, 2+0.5, 0
    assert list(bal["pv_kwh"]) == [1.0, 3.0, 3.0, 1.0]      # 1, 3+0, 0+2+1, 1
    assert list(bal["self_consumed_kwh"]) == [1.0, 2.0, 0.5, 1.0]
    assert list(bal["consumption_kwh"]) == [7.0, 7.0, 5.5, 3.0]  # import + pv - export
    assert list(bal["net_kwh"]) == [6.0, 4.0, 2.5, 2.0]     # import - export


def test_summary_of_the_park():
    summary = summarise(PARK, contracted_kw=30)
    assert summary.meters == 3
    assert summary.import_kwh == 18.0                 # 6 + 5 + 5 + 2
    assert summary.export_kwh == 3.5                  # 1 + 2.5
    assert summary.pv_kwh == 8.0                      # 1 + 3 + 3 + 1
    assert summary.consumption_kwh == 22.5            # 18 + 8 - 3.5
    assert summary.self_consumed_kwh == 4.5           # 1 + 2 + 0.5 + 1
    assert summary.self_sufficiency == pytest.approx(0.2)     # 4.5 / 22.5
    assert summary.self_consumption == pytest.approx(0.5625)  # 4.5 / 8
    assert summary.collective_peak_kw == 24.0         # max net 6 kWh in q0, x4
    assert summary.collective_peak_at == q(0)
    assert summary.sum_individual_peaks_kw == 48.0    # A 5x4=20 + B 4x4=16 + C 3x4=12
    assert summary.headroom_kw == 24.0                # 48 - 24
    assert summary.contracted_kw == 30.0
    assert summary.peak_vs_contract == pytest.approx(0.8)  # 24 / 30


def test_individual_peaks_and_meter_totals():
    peaks = individual_peaks(PARK)
    assert peaks.to_dict() == {"A": 20.0, "B": 16.0, "C": 12.0}
    totals = meter_totals(PARK)
    assert list(totals.index) == ["A", "B", "C"]
    # A: import 2+0+5=7, export 1, pv 4, self-consumed 1+2=3, consumption 7+4-1=10
    assert totals.loc["A"].to_dict() == {
        "import_kwh": 7.0, "export_kwh": 1.0, "pv_kwh": 4.0, "consumption_kwh": 10.0,
        "self_consumed_kwh": 3.0, "net_kwh": 6.0}
    # C: import 3+1+0=4, export 0.5, pv 1 -> consumption 4.5, self-consumed 0.5
    assert totals.loc["C", "consumption_kwh"] == 4.5
    assert totals["import_kwh"].sum() == summarise(PARK).import_kwh


def test_hourly_resolution_divides_by_one_hour():
    summary = summarise(PARK, resolution="1h")
    assert summary.collective_peak_kw == 6.0          # 6 kWh in one hour = 6 kW
    assert summary.sum_individual_peaks_kw == 12.0    # 5 + 4 + 3


@pytest.mark.parametrize(("rows", "contracted", "expected"), [
    # import only: no PV, so self-consumption is undefined; self-sufficiency is 0 / 3 = 0
    ([("A", 0, 3.0, 0.0, 0.0)], None,
     {"self_sufficiency": 0.0, "self_consumption": None, "peak_vs_contract": None}),
    # nothing used and nothing produced: both ratios undefined
    ([("A", 0, 0.0, 0.0, 0.0)], 10,
     {"self_sufficiency": None, "self_consumption": None, "peak_vs_contract": 0.0,
      "collective_peak_kw": 0.0, "collective_peak_at": None}),
    # PV only, all used on site: 2 / 2 for both ratios
    ([("A", 0, 0.0, NAN, 2.0)], 0,
     {"self_sufficiency": 1.0, "self_consumption": 1.0, "peak_vs_contract": None}),
    # exporting on balance in every quarter: net import never positive -> peak 0
    ([("A", 0, 1.0, 3.0, 4.0), ("A", 1, 0.0, 2.0, 2.0)], 10,
     {"collective_peak_kw": 0.0, "collective_peak_at": None, "sum_individual_peaks_kw": 4.0,
      "headroom_kw": 4.0, "peak_vs_contract": 0.0}),
    # 2 kWh in a quarter = 8 kW against 16 kW contracted
    ([("A", 0, 2.0, 0.0, 0.0)], 16, {"collective_peak_kw": 8.0, "peak_vs_contract": 0.5}),
])
def test_summary_edge_cases(rows, contracted, expected):
    summary = summarise(long_frame(rows), contracted_kw=contracted)
    for field, value in expected.items():
        assert getattr(summary, field) == value, field


def test_export_larger_than_pv_is_clipped_per_meter():
    # A exports 3 while producing 1 (a battery): self-consumed clips to 0, not -2;
    # B consumes its 2 kWh of PV itself. Clipping per meter, so the park gets 0 + 2.
    frame = long_frame([("A", 0, 0.0, 3.0, 1.0), ("B", 0, 1.0, 0.0, 2.0)])
    assert balance(frame)["self_consumed_kwh"].iloc[0] == 2.0


def test_collective_peak_is_coincident_net_import():
    # A peaks in q0, B in q1: the park never sees both peaks at once.
    # q0: 4 + 1 = 5 kWh -> 20 kW; q1: 1 + 4 - 2 (B exports) = 3 kWh -> 12 kW
    frame = long_frame([("A", 0, 4.0, 0.0, 0.0), ("B", 0, 1.0, 0.0, 0.0),
                        ("A", 1, 1.0, 0.0, 0.0), ("B", 1, 4.0, 2.0, 3.0)])
    summary = summarise(frame)
    assert summary.collective_peak_kw == 20.0
    assert summary.sum_individual_peaks_kw == 32.0    # 16 + 16
    assert summary.headroom_kw == 12.0


def test_empty_frame():
    frame = long_frame([])
    assert balance(frame).empty
    summary = summarise(frame, contracted_kw=100)
    assert (summary.meters, summary.import_kwh, summary.collective_peak_kw) == (0, 0.0, 0.0)
    assert summary.collective_peak_at is None
    assert summary.self_sufficiency is None
    assert summary.peak_vs_contract == 0.0


def test_meter_without_any_data_is_not_counted():
    frame = long_frame([("A", 0, 1.0, 0.0, 0.0), ("B", 0, NAN, NAN, NAN)])
    assert summarise(frame).meters == 1
    assert list(individual_peaks(frame).index) == ["A"]


def test_unsorted_off_grid_starts_are_balanced_too():
    frame = long_frame([("A", 1, 1.0, 0.0, 0.0), ("A", 0, 2.0, 0.0, 0.0)])
    frame.loc[0, "start"] = q(1) + timedelta(minutes=7)   # not on the quarter-hour grid
    bal = balance(frame)
    assert list(bal.index) == [q(0), q(1) + timedelta(minutes=7)]
    assert list(bal["import_kwh"]) == [2.0, 1.0]


@pytest.mark.parametrize("resolution", ["1d", "1mo", "5m"])
def test_power_needs_fixed_buckets(resolution):
    with pytest.raises(ValueError, match="15m or 1h"):
        bucket_hours(resolution)


# --- stress hours and heat map --------------------------------------------------------------

def hourly_balance(net_per_quarter: list[float]) -> pd.DataFrame:
    """A balance frame of consecutive quarter-hours from T0 with the given net kWh."""
    index = pd.DatetimeIndex([q(n) for n in range(len(net_per_quarter))], name="start")
    net = pd.Series(net_per_quarter, index=index)
    return pd.DataFrame({"import_kwh": net.clip(lower=0), "net_kwh": net})


def test_stress_hours_rank_hours_by_mean_net_import():
    # hour 10:00: 1,1,1,1 kWh -> 4 kW; 11:00: 2,2,0,0 -> mean 4 kW (tie, later hour);
    # 12:00: 3,3,3,-1 -> mean 8 kW, import mean (12+12+12+0)/4 = 9 kW; 13:00: 1 -> 4 kW (tie)
    bal = hourly_balance([1, 1, 1, 1, 2, 2, 0, 0, 3, 3, 3, -1, 1])
    ranked = stress_hours_from_balance(bal, top=3)
    assert list(ranked.columns) == ["start", "net_kw", "import_kw", "rank"]
    assert list(ranked["start"]) == [T0 + timedelta(hours=2), T0, T0 + timedelta(hours=1)]
    assert list(ranked["net_kw"]) == [8.0, 4.0, 4.0]
    assert list(ranked["import_kw"]) == [9.0, 4.0, 4.0]
    assert list(ranked["rank"]) == [1, 2, 3]


def test_stress_hours_from_the_long_frame():
    ranked = stress_hours(PARK, top=10)
    # all of PARK lies in the hour of T0: net 6, 4, 2.5, 2 kWh -> mean 14.5/4 kWh x 4 = 14.5 kW
    assert len(ranked) == 1
    assert ranked["start"].iloc[0] == T0
    assert ranked["net_kw"].iloc[0] == 14.5
    assert ranked["import_kw"].iloc[0] == 18.0       # (6+5+5+2) kWh over the hour


def test_load_heatmap_in_amsterdam_time():
    index = pd.DatetimeIndex([
        datetime(2026, 6, 1, 8, tzinfo=UTC),    # Monday 10:00 CEST, 2 kWh -> 8 kW
        datetime(2026, 6, 8, 8, tzinfo=UTC),    # Monday 10:00 CEST, 1 kWh -> 4 kW
        datetime(2026, 1, 5, 9, tzinfo=UTC),    # Monday 10:00 CET,  3 kWh -> 12 kW
        datetime(2026, 6, 7, 21, 45, tzinfo=UTC),  # Sunday 23:45 CEST, -1 kWh -> -4 kW
    ], name="start")
    grid = load_heatmap(pd.DataFrame({"net_kwh": [2.0, 1.0, 3.0, -1.0]}, index=index))
    assert grid.shape == (7, 24)
    assert grid.loc[0, 10] == 8.0      # (8 + 4 + 12) / 3
    assert grid.loc[6, 23] == -4.0
    assert int(grid.notna().sum().sum()) == 2
    hourly = load_heatmap(pd.DataFrame({"net_kwh": [2.0]}, index=index[:1]), resolution="1h")
    assert hourly.loc[0, 10] == 2.0


# --- change ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("current", "previous", "expected"), [
    (110.0, 100.0, 0.1),
    (90.0, 100.0, -0.1),
    (0.0, 4.0, -1.0),
    (-5.0, -10.0, 0.5),     # relative to |previous|: less export on balance is +50 %
    (5.0, 0.0, None),
    (None, 1.0, None),
    (1.0, None, None),
    (NAN, 1.0, None),
    (1.0, NAN, None),
])
def test_change(current, previous, expected):
    result = change(current, previous)
    if expected is None:
        assert result is None
    else:
        assert result == pytest.approx(expected)


# --- DST days through the whole path -------------------------------------------------------

@pytest.mark.parametrize(("first", "quarters", "day_start"), [
    (datetime(2026, 10, 24, 22, tzinfo=UTC), 100, datetime(2026, 10, 24, 22, tzinfo=UTC)),
    (datetime(2026, 3, 28, 23, tzinfo=UTC), 92, datetime(2026, 3, 28, 23, tzinfo=UTC)),
])
def test_dst_day_quarter_hours_sum_to_the_day_total(first, quarters, day_start):
    starts = [first + timedelta(minutes=15 * n) for n in range(quarters)]
    frame = pd.DataFrame({"meter": np.repeat(["A", "B"], quarters), "start": starts * 2,
                          "import_kwh": 0.25, "export_kwh": 0.0, "pv_kwh": NAN})
    bal = balance(frame)
    assert len(bal) == quarters
    daily = resample(bal, "1d")
    assert list(daily.index) == [day_start]
    # two meters x 0.25 kWh x quarters
    assert daily["import_kwh"].iloc[0] == quarters * 0.5
    assert math.isclose(daily["import_kwh"].iloc[0], summarise(frame).import_kwh)


def test_starts_in_another_time_zone_are_balanced_in_utc():
    frame = long_frame([("A", 0, 1.0, 0.0, 0.0), ("B", 0, 2.0, 0.0, 0.0)])
    frame["start"] = frame["start"].dt.tz_convert("Europe/Amsterdam")
    bal = balance(frame)
    assert list(bal.index) == [q(0)]
    assert str(bal.index.tz) == "UTC"
    assert bal["import_kwh"].iloc[0] == 3.0


def test_sparse_starts_years_apart():
    # far more empty quarter-hours than rows: balanced by hashing rather than a dense grid
    far = q(0) + timedelta(days=3650)
    frame = long_frame([("A", 0, 1.0, 0.0, 0.0), ("A", 0, 2.0, 0.0, 0.0)])
    frame.loc[1, "start"] = far
    bal = balance(frame)
    assert list(bal.index) == [q(0), far]
    assert list(bal["import_kwh"]) == [1.0, 2.0]


def test_naive_starts_are_refused():
    frame = long_frame([("A", 0, 1.0, 0.0, 0.0)])
    frame["start"] = frame["start"].dt.tz_localize(None)
    with pytest.raises(ValueError, match="tz-aware"):
        balance(frame)
