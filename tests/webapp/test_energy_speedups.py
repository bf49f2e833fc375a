"""The quick paths of the energy figures give what the pure analytics give on the same data:
self-consumed PV clipped per quarter-hour in SQL (both statement shapes, on this database),
totals per meter, and the month digests, for meters of every make-up (tariff registers, PV as
power, power-only import)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from sensors.analytics.energy import balance, individual_peaks, meter_totals, summarise
from sensors.analytics.periods import Period, resample
from sensors.rollups import bucket_start
from tests.conftest import in_db
from tests.webapp.test_energy_support import devices, fill, make_meter, quarters
from webapp.models import Rollup
from webapp.services import energy_data, energy_digest, energy_memo
from webapp.services import energy_self_sql as self_sql
from webapp.services import energy_sql as sql
from webapp.services.energy_frames import fetch_rows, utc_index
from webapp.services.energy_views import energy_view, meter_figures

# Meters by make-up: field -> quantity.
MAKEUPS = {
    "pv_export": {"import": "energy_import", "export": "energy_export", "pv": "pv_energy"},
    "two_exports": {"import": "energy_import", "e1": "energy_export", "e2": "energy_export",
                    "pv": "pv_energy"},
    "pv_power": {"import": "energy_import", "export": "energy_export", "pv": "pv_power"},
    "pv_only": {"import": "energy_import", "pv": "pv_energy"},
    "export_only": {"import": "energy_import", "export": "energy_export"},
    "plain": {"import": "energy_import"},
    # import from a power gauge: its days need their length in hours (not summed in SQL)
    "power": {"p": "power", "export": "energy_export", "pv": "pv_energy"},
}
MIXED = ("pv_export", "two_exports", "pv_power")
GAUGES = ("power", "pv_power")
# The day the clocks go back (100 quarter-hours) and one in the next month.
DAYS = (date(2026, 10, 25), date(2026, 11, 3))
CONTRACTED = 40.0


def _values(rng: np.random.Generator, field: str, count: int) -> np.ndarray:
    """Export often exceeds PV, so the clip matters; PV as power is kW, the rest kWh."""
    scale = {"import": 2.0, "p": 8.0, "pv": 1.0, "export": 1.2, "e1": 0.7, "e2": 0.7}[field]
    return rng.random(count) * scale


def _build(app, park, make_company, makeups) -> list[str]:
    rng = np.random.default_rng(7)
    uids = []
    for name in makeups:
        meter = make_meter(app, park, make_company(park, name=f"Bedrijf {name}"),
                           MAKEUPS[name])
        for day in DAYS:
            starts = quarters(day)
            for field, quantity in MAKEUPS[name].items():
                # gaps in the meters' registers; a gauge's day mean would stand in for its gaps
                keep = starts if quantity in GAUGES else [
                    t for i, t in enumerate(starts) if (i + len(field)) % 9]
                fill(app, meter, field, keep, _values(rng, field, len(keep)))
        uids.append(meter.uid)
    return uids


@pytest.fixture
def park(make_park):
    return make_park(slug="de-snelle", name="De Snelle")


@pytest.fixture
def uids(app, park, make_company):
    return _build(app, park, make_company, [name for name in MAKEUPS if name != "power"])


@pytest.fixture
def power_uids(app, park, make_company):
    return _build(app, park, make_company, ["power", "pv_export", "plain"])


def _range() -> tuple:
    return Period("day", DAYS[0]).start_utc, Period("day", DAYS[-1]).end_utc


def _frame(app, uids):
    start, end = _range()
    return in_db(app, lambda s: energy_data.quarter_frame(s, devices(app, uids), start, end))


def _self_rows(app, uids, by: str, dialect: str) -> list[tuple]:
    start, end = _range()

    def read(session_db):
        found = sql.sources(devices(app, uids))
        return [row for stmt in self_sql.self_stmts(found, start, end, by, dialect)
                for row in fetch_rows(session_db, stmt)]

    return in_db(app, read)


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_self_consumed_per_quarter_hour_in_both_shapes(app, uids, dialect):
    """The join (SQLite's shape) and the grouping (PostgreSQL's) both run on this database."""
    frame = _frame(app, uids)
    mixed = frame[frame["meter"].isin(uids[:len(MIXED)])]
    expected = balance(mixed)["self_consumed_kwh"]
    rows = _self_rows(app, uids, "start", dialect)
    got = pd.Series([float(kwh) for _, kwh in rows], index=utc_index([s for s, _ in rows]))
    got = got.groupby(level=0).sum().reindex(expected.index, fill_value=0.0)
    assert np.allclose(got.to_numpy(), expected.to_numpy())
    assert expected.sum() > 0 and (balance(mixed)["pv_kwh"] > expected + 1e-9).any()


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_self_consumed_per_meter_in_both_shapes(app, uids, dialect):
    expected = meter_totals(_frame(app, uids))["self_consumed_kwh"]
    ids = {d.id: d.uid for d in devices(app, uids)}
    got: dict[str, float] = {}
    for device, kwh in _self_rows(app, uids, "device", dialect):
        got[ids[device]] = got.get(ids[device], 0.0) + float(kwh)
    assert set(got) == set(uids[:len(MIXED)])
    assert got == {uid: pytest.approx(expected[uid]) for uid in got}


def test_an_unknown_grouping_is_refused():
    with pytest.raises(ValueError, match="grouping"):
        self_sql.self_stmts([], *_range(), by="hour")


def _check_series(app, uids, frame: pd.DataFrame, kind: str, resolution: str) -> None:
    period = Period.containing(kind, DAYS[0])
    view = in_db(app, lambda s: energy_view(s, devices(app, uids), period, CONTRACTED,
                                            resolution, with_stress=True))
    part = frame[(frame["start"] >= period.start_utc) & (frame["start"] < period.end_utc)]
    expected = balance(part)
    if resolution != "15m":
        expected = resample(expected, resolution)
    got = view.series.dropna(how="all")
    assert list(got.index) == list(expected.index)
    assert np.allclose(got.to_numpy(), expected[got.columns].to_numpy())
    slow = summarise(part, CONTRACTED)
    for field in ("import_kwh", "export_kwh", "pv_kwh", "self_consumed_kwh", "consumption_kwh",
                  "collective_peak_kw", "sum_individual_peaks_kw", "headroom_kw"):
        assert getattr(view.summary, field) == pytest.approx(getattr(slow, field)), field
    assert view.summary.collective_peak_at == slow.collective_peak_at
    assert view.meter_peaks == pytest.approx(individual_peaks(part).to_dict())


CASES = [("day", "15m"), ("day", "1h"), ("week", "1d"), ("month", "1d"), ("month", "1h"),
         ("month", "15m"), ("year", "1mo"), ("year", "1d"), ("year", "1h")]


@pytest.mark.parametrize(("kind", "resolution"), CASES)
def test_views_equal_the_analytics_cold_and_remembered(app, uids, kind, resolution):
    frame = _frame(app, uids)
    energy_digest.clear()
    _check_series(app, uids, frame, kind, resolution)
    _check_series(app, uids, frame, kind, resolution)  # from the month digests


@pytest.mark.parametrize(("kind", "resolution"), [("day", "1h"), ("month", "1d"),
                                                  ("year", "1mo")])
def test_power_only_meters_with_pv_keep_the_quarter_hour_clip(app, power_uids, kind,
                                                               resolution):
    _check_series(app, power_uids, _frame(app, power_uids), kind, resolution)


@pytest.mark.parametrize("kind", ["day", "week", "month", "year"])
def test_totals_and_peaks_per_meter(app, uids, kind):
    frame = _frame(app, uids)
    period = Period.containing(kind, DAYS[0])
    part = frame[(frame["start"] >= period.start_utc) & (frame["start"] < period.end_utc)]
    expected = meter_totals(part)
    for _ in range(2):  # cold, then from the month digests
        totals, peaks = in_db(app, lambda s: meter_figures(s, devices(app, uids), period))
        assert sorted(totals.index) == sorted(expected.index)
        assert np.allclose(totals.loc[expected.index, expected.columns].to_numpy(),
                           expected.to_numpy())
        assert peaks == pytest.approx(individual_peaks(part).to_dict())
    direct = in_db(app, lambda s: energy_data.meter_totals(s, devices(app, uids),
                                                           period.start_utc, period.end_utc))
    assert np.allclose(direct.loc[expected.index, expected.columns].to_numpy(),
                       expected.to_numpy())


def test_remembered_days_and_self_consumption_follow_the_rollups(app, uids):
    """A rollup changed behind the digest's back: the month's fingerprint changes, so its days
    and its self-consumed PV are computed again."""
    month = Period.containing("month", DAYS[0])
    before = in_db(app, lambda s: energy_view(s, devices(app, uids), month)).summary
    meter = devices(app, uids[:1])[0]
    pv_id = next(s.id for s in meter.sensors if s.quantity == "pv_energy")
    start = quarters(DAYS[0])[48]

    def bump(session_db):
        for period in ("15m", "1h", "1d"):
            row = session_db.get(Rollup, (pv_id, period, bucket_start(start, period)))
            row.count, row.sum = row.count + 1, row.sum + 50.0
            row.consumption = (row.consumption or 0.0) + 50.0

    in_db(app, bump)
    after = in_db(app, lambda s: energy_view(s, devices(app, uids), month)).summary
    assert after.pv_kwh == pytest.approx(before.pv_kwh + 50.0)
    assert after.self_consumed_kwh > before.self_consumed_kwh + 45.0
    energy_digest.clear()


def _midnight(day: date):
    return Period("day", day).start_utc


@pytest.mark.parametrize(("first", "end", "keys"), [
    (date(2026, 1, 1), date(2026, 2, 1), ["2026-01"]),
    (date(2026, 10, 1), date(2026, 12, 1), ["2026-10", "2026-11"]),  # clocks go back inside
    (date(2025, 12, 1), date(2026, 3, 1), ["2025-12", "2026-01", "2026-02"]),
    (date(2026, 1, 2), date(2026, 2, 1), None),
    (date(2026, 2, 1), date(2026, 1, 1), None),
    (date(2026, 3, 1), date(2026, 3, 1), None),
])
def test_whole_months_of_a_range(first, end, keys):
    found = energy_memo.whole_months(_midnight(first), _midnight(end))
    assert (None if found is None else [month.key() for month in found]) == keys


def test_a_range_not_starting_at_midnight_is_not_whole_months():
    start = _midnight(date(2026, 1, 1)).replace(hour=0)  # 01:00 in Amsterdam
    assert energy_memo.whole_months(start, _midnight(date(2026, 2, 1))) is None
