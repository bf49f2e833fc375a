"""Energy figures from rollups: DST days, totals, peaks, previous period, and the SQL aggregation
checked against the pure analytics on the same data."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from sensors.analytics.energy import balance, summarise
from sensors.analytics.periods import Period
from tests.conftest import in_db
from tests.webapp.test_energy_support import (
    add_quarters,
    devices,
    fill,
    make_meter,
    quarters,
)
from webapp.services import energy_data, energy_digest
from webapp.services.energy_views import energy_view, meter_figures, range_summary


@pytest.fixture
def park(make_park):
    return make_park(slug="de-hoek", name="De Hoek")


@pytest.fixture
def companies(park, make_company):
    return [make_company(park, name=f"Bedrijf {c}") for c in "ABC"]


def view(app, uids, period, **kwargs):
    return in_db(app, lambda s: energy_view(s, devices(app, uids), period, **kwargs))


@pytest.mark.parametrize(("day", "points"), [(date(2026, 10, 25), 100),
                                             (date(2026, 3, 29), 92),
                                             (date(2026, 6, 15), 96)])
def test_dst_day_has_its_quarter_hours_and_the_total_is_their_sum(app, park, companies, day,
                                                                    points):
    meters = [make_meter(app, park, c, {"import": "energy_import"}) for c in companies]
    starts = quarters(day)
    for i, meter in enumerate(meters, start=1):
        fill(app, meter, "import", starts, [0.1 * i + 0.001 * q for q in range(len(starts))])
    result = view(app, [m.uid for m in meters], Period("day", day))
    assert len(result.series) == points
    assert result.series["import_kwh"].notna().all()
    expected = sum(0.1 * i * points + 0.001 * sum(range(points)) for i in (1, 2, 3))
    assert result.summary.import_kwh == pytest.approx(expected)
    assert result.series["import_kwh"].sum() == pytest.approx(result.summary.import_kwh)
    # the day rollups (what a month view reads) give the same total
    month = view(app, [m.uid for m in meters], Period.containing("month", day))
    assert month.summary.import_kwh == pytest.approx(expected)
    daily = month.series["import_kwh"].dropna()
    assert len(daily) == 1 and daily.iloc[0] == pytest.approx(expected)


def test_hand_computed_peaks_and_headroom(app, park, companies):
    a, b = (make_meter(app, park, c, {"import": "energy_import", "export": "energy_export"})
            for c in companies[:2])
    q = quarters(date(2026, 6, 15))
    fill(app, a, "import", q[:3], [4.0, 0.5, 1.0])    # 16 kW, 2 kW, 4 kW
    fill(app, b, "import", q[:3], [0.0, 2.0, 2.5])    # 0, 8 kW, 10 kW
    fill(app, b, "export", q[:3], [1.0, 0.0, 0.0])
    result = view(app, [a.uid, b.uid], Period("day", date(2026, 6, 15)), contracted_kw=20)
    s = result.summary
    # nets per quarter: 4 - 1 = 3, 2.5, 3.5 kWh -> collective peak 14 kW in the third quarter
    assert s.collective_peak_kw == pytest.approx(14.0)
    assert s.collective_peak_at == q[2]
    assert s.sum_individual_peaks_kw == pytest.approx(16.0 + 10.0)
    assert s.headroom_kw == pytest.approx(12.0)
    assert s.peak_vs_contract == pytest.approx(14.0 / 20)
    assert result.meter_peaks == {a.uid: pytest.approx(16.0), b.uid: pytest.approx(10.0)}


def test_self_sufficiency_and_self_consumption(app, park, companies):
    meter = make_meter(app, park, companies[0])
    q = quarters(date(2026, 6, 15))[:2]
    fill(app, meter, "import", q, [1.0, 0.0])
    fill(app, meter, "pv", q, [0.0, 3.0])
    fill(app, meter, "export", q, [0.0, 1.0])
    s = view(app, [meter.uid], Period("day", date(2026, 6, 15))).summary
    # consumption = 1 + 3 - 1 = 3; self-consumed PV = 3 - 1 = 2
    assert (s.consumption_kwh, s.self_consumed_kwh) == (pytest.approx(3.0), pytest.approx(2.0))
    assert s.self_sufficiency == pytest.approx(2 / 3)
    assert s.self_consumption == pytest.approx(2 / 3)


def test_previous_period_figures_and_change(app, park, companies):
    meter = make_meter(app, park, companies[0], {"import": "energy_import"})
    today, yesterday = date(2026, 6, 16), date(2026, 6, 15)
    fill(app, meter, "import", quarters(yesterday), 0.5)
    fill(app, meter, "import", quarters(today), 0.75)
    result = view(app, [meter.uid], Period("day", today))
    assert result.previous.import_kwh == pytest.approx(48.0)
    assert result.summary.import_kwh == pytest.approx(72.0)
    changes = {c.key: c for c in result.comparisons()}
    assert changes["import_kwh"].change == pytest.approx(0.5)
    assert changes["collective_peak_kw"].previous == pytest.approx(2.0)


def test_sql_aggregation_equals_the_analytics_on_the_long_frame(app, park, make_company):
    rng = np.random.default_rng(5)
    day = date(2026, 10, 25)
    q = quarters(day)
    meters = []
    for _ in range(4):
        meter = make_meter(app, park, make_company(park))
        for role in ("import", "export", "pv"):
            fill(app, meter, role, q, rng.random(len(q)) * (2 if role != "export" else 0.7))
        meters.append(meter)
    uids = [m.uid for m in meters]
    period = Period("day", day)

    def both(session_db):
        found = devices(app, uids)
        frame = energy_data.quarter_frame(session_db, found, period.start_utc, period.end_utc)
        return frame, energy_data.summary(session_db, found, period.start_utc, period.end_utc,
                                          50.0), energy_data.series(
            session_db, found, period.start_utc, period.end_utc, "15m")

    frame, fast, series = in_db(app, both)
    slow = summarise(frame, 50.0)
    for field in ("import_kwh", "export_kwh", "pv_kwh", "consumption_kwh", "self_consumed_kwh",
                  "self_sufficiency", "self_consumption", "collective_peak_kw",
                  "sum_individual_peaks_kw", "headroom_kw", "peak_vs_contract"):
        assert getattr(fast, field) == pytest.approx(getattr(slow, field)), field
    assert fast.collective_peak_at == slow.collective_peak_at
    assert fast.meters == slow.meters == 4
    expected = balance(frame)
    assert len(series) == len(expected) == 100
    assert np.allclose(series.to_numpy(), expected[series.columns].to_numpy())


def test_two_tariff_registers_add_up_per_quarter(app, park, companies):
    meter = make_meter(app, park, companies[0], {"t1": "energy_import", "t2": "energy_import"})
    q = quarters(date(2026, 6, 15))[:2]
    fill(app, meter, "t1", q, [1.0, 0.0])
    fill(app, meter, "t2", q, [0.5, 1.25])
    result = view(app, [meter.uid], Period("day", date(2026, 6, 15)))
    assert result.summary.import_kwh == pytest.approx(2.75)
    # quarter 1: 1.5 kWh = 6 kW; quarter 2: 1.25 kWh = 5 kW (not 4 + 5)
    assert result.meter_peaks[meter.uid] == pytest.approx(6.0)


def test_power_only_meter_counts_the_hours_of_a_dst_day(app, park, companies):
    meter = make_meter(app, park, companies[0], {"p": "power"})
    day = date(2026, 10, 25)
    fill(app, meter, "p", quarters(day), 8.0)  # 8 kW all day: 25 h
    result = view(app, [meter.uid], Period.containing("month", day))
    assert result.summary.import_kwh == pytest.approx(8.0 * 25)
    assert result.summary.collective_peak_kw == pytest.approx(8.0)
    assert view(app, [meter.uid], Period("day", day)).summary.import_kwh == pytest.approx(200)


def test_month_and_year_peaks_follow_new_data(app, park, companies):
    meter = make_meter(app, park, companies[0], {"import": "energy_import"})
    march = quarters(date(2026, 3, 10))
    fill(app, meter, "import", march[:4], [1.0, 2.0, 1.0, 1.0])
    year = Period("year", date(2026, 1, 1))
    first = view(app, [meter.uid], year)
    assert first.summary.collective_peak_kw == pytest.approx(8.0)
    # a higher quarter arrives later in the same month: the remembered month is recomputed
    add_quarters(app, meter.ids.sensor("import"), "cumulative",
                 [(march[10], 3.0)])
    later = view(app, [meter.uid], year)
    assert later.summary.collective_peak_kw == pytest.approx(12.0)
    assert later.summary.collective_peak_at == march[10]
    assert later.series["import_kwh"].sum() == pytest.approx(8.0)
    assert len(later.series) == 12


def test_digest_is_checked_against_the_day_rollups_without_clearing(app, park, companies):
    meter = make_meter(app, park, companies[0], {"import": "energy_import"})
    q = quarters(date(2026, 5, 4))
    fill(app, meter, "import", q[:1], [1.0])
    month = Period("month", date(2026, 5, 1))
    assert view(app, [meter.uid], month).summary.collective_peak_kw == pytest.approx(4.0)
    # write straight to the rollups without clearing the memory: the fingerprint notices
    from webapp.models import Rollup

    def bump(session_db):
        sid = meter.ids.sensor("import")
        for period, start in (("15m", q[5]), ("1h", q[4]), ("1d", q[0])):
            row = session_db.get(Rollup, (sid, period, start))
            if row is None:
                session_db.add(Rollup(sensor_id=sid, period=period, start=start, count=1,
                                      min=2.0, max=2.0, sum=2.0, first_ts=start,
                                      last_ts=start, consumption=2.0))
            else:
                row.count += 1
                row.sum += 2.0
                row.consumption += 2.0

    in_db(app, bump)
    assert view(app, [meter.uid], month).summary.collective_peak_kw == pytest.approx(8.0)
    energy_digest.clear()


def test_meter_figures_per_meter(app, park, companies):
    a = make_meter(app, park, companies[0], {"import": "energy_import"})
    b = make_meter(app, park, companies[1], {"pv": "pv_energy"})
    q = quarters(date(2026, 6, 15))
    fill(app, a, "import", q[:2], [1.0, 3.0])
    fill(app, b, "pv", q[:2], [2.0, 2.0])
    for kind in ("day", "month", "year"):
        period = Period.containing(kind, date(2026, 6, 15))
        found = devices(app, [a.uid, b.uid])
        totals, peaks = in_db(app, lambda s, p=period, f=found: meter_figures(s, f, p))
        assert totals.loc[a.uid, "import_kwh"] == pytest.approx(4.0)
        assert totals.loc[b.uid, "pv_kwh"] == pytest.approx(4.0)
        assert totals.loc[b.uid, "consumption_kwh"] == pytest.approx(4.0)
        assert peaks == {a.uid: pytest.approx(12.0)}


def test_no_meters_or_no_data_is_empty(app, park, companies):
    meter = make_meter(app, park, companies[0])
    assert view(app, [meter.uid], Period("day", date(2026, 6, 15))).empty
    result = in_db(app, lambda s: energy_view(s, [], Period("week", date(2026, 6, 15))))
    assert result.empty and result.summary.import_kwh == 0
    assert len(result.series) == 7 * 24
    assert (date(2026, 6, 15) - timedelta(days=7)) == result.period.previous().start


def test_range_summary_equals_the_direct_summary(app, park, make_company):
    rng = np.random.default_rng(11)
    meters = [make_meter(app, park, make_company(park)) for _ in range(3)]
    meters.append(make_meter(app, park, make_company(park), {"import": "energy_import"}))
    for day in (date(2026, 5, 25), date(2026, 6, 3), date(2026, 7, 19), date(2026, 8, 2)):
        q = quarters(day)
        for meter in meters:
            for field in meter.ids.sensors:
                fill(app, meter, field, q, rng.random(len(q)) * (3 if field == "import" else 1))
    uids = [m.uid for m in meters]
    first, end = date(2026, 5, 20), date(2026, 8, 10)

    def both(session_db):
        found = devices(app, uids)
        start, stop = Period("day", first).start_utc, Period("day", end).start_utc
        return (range_summary(session_db, found, first, end, 80.0),
                energy_data.summary(session_db, found, start, stop, 80.0),
                summarise(energy_data.quarter_frame(session_db, found, start, stop), 80.0))

    fast, direct, slow = in_db(app, both)
    for field in ("import_kwh", "export_kwh", "pv_kwh", "self_consumed_kwh", "self_sufficiency",
                  "collective_peak_kw", "sum_individual_peaks_kw", "peak_vs_contract"):
        assert getattr(fast, field) == pytest.approx(getattr(slow, field)), field
        assert getattr(direct, field) == pytest.approx(getattr(slow, field)), field
    assert fast.collective_peak_at == slow.collective_peak_at
    assert fast.meters == direct.meters == 4
