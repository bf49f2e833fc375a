"""Indicator values derived from sensor data: heat-stress hours, PM2.5 and NO2."""

from __future__ import annotations

from datetime import date, timedelta

import click
import pytest
from click.testing import CliRunner
from sqlalchemy import delete, select

from tests.conftest import count, in_db
from tests.webapp.environment_helpers import add_rows, days, env_device, local, rollup
from webapp.models import IndicatorValue, Park, Rollup
from webapp.services import sensor_indicators
from webapp.services import themes as theme_service

TODAY = date(2026, 11, 1)
MEASURED_ON = date(2026, 10, 31)
CLIMATE = ("heat_stress_hours", "pm25_ugm3", "no2_ugm3")


def _derive(app, park: Park, today: date = TODAY) -> sensor_indicators.DeriveCounts:
    return in_db(app, lambda s: sensor_indicators.derive_for_park(s, s.get(Park, park.id), today))


def _rows(app, park: Park) -> dict[str, list[tuple]]:
    def read(session_db):
        rows = session_db.scalars(select(IndicatorValue).where(IndicatorValue.park_id == park.id)
                                  .order_by(IndicatorValue.id))
        found: dict[str, list[tuple]] = {}
        for r in rows:
            found.setdefault(r.indicator, []).append(
                (r.id, r.value, r.source, r.is_measured, r.measured_on, r.note))
        return found

    return in_db(app, read)


@pytest.fixture
def park(make_park):
    return make_park()


@pytest.fixture
def climate(app, park, make_company):
    """Two outdoor stations, an indoor company sensor and data on both sides of the window."""
    a = env_device(app, park, {"t": "temperature", "pm": "pm25", "no2": "no2"})
    b = env_device(app, park, {"t": "temperature", "pm": "pm25"})
    indoor = env_device(app, park, {"t": "temperature", "pm": "pm25"},
                        company_id=make_company(park).id)
    noon = local(2026, 7, 14, 12)
    add_rows(app, [
        rollup(a.sensor("t"), "1h", noon, mean=29.9),                       # below 30
        rollup(a.sensor("t"), "1h", noon + timedelta(hours=1), mean=30.0),  # on 30: counts
        rollup(a.sensor("t"), "1h", noon + timedelta(hours=2), mean=31.0),  # park mean 30.0
        rollup(b.sensor("t"), "1h", noon + timedelta(hours=2), mean=29.0),
        rollup(a.sensor("t"), "1h", noon + timedelta(hours=3), mean=32.0),  # park mean 29.5
        rollup(b.sensor("t"), "1h", noon + timedelta(hours=3), mean=27.0),
        rollup(indoor.sensor("t"), "1h", noon, mean=35.0),                  # indoor: ignored
        rollup(a.sensor("t"), "1h", local(2025, 10, 31, 12), mean=35.0),    # before the window
        rollup(a.sensor("t"), "1h", local(2026, 11, 1, 12), mean=35.0),     # today: not yet
        # PM2.5 on 14 July: (4 x 4 + 8 x 12) / 16 = 7.0; on 15 July 5.0 -> mean 6.0.
        rollup(a.sensor("pm"), "1d", local(2026, 7, 14), mean=4.0, count=4),
        rollup(b.sensor("pm"), "1d", local(2026, 7, 14), mean=8.0, count=12),
        rollup(a.sensor("pm"), "1d", local(2026, 7, 15), mean=5.0),
        rollup(indoor.sensor("pm"), "1d", local(2026, 7, 15), mean=90.0),
        *days(a.sensor("no2"), local(2026, 7, 14), [12.0, 13.0, 14.0]),
    ])
    add_rows(app, cool_nights(a.sensor("t"), 365, skip=date(2026, 7, 14)))
    return a


def cool_nights(sensor_id: int, n: int, skip: date | None = None) -> list:
    """One 15 °C hour at 03:00 on each of the first *n* days of the window (but *skip*)."""
    first = sensor_indicators.window_for(TODAY).first
    dates = [first + timedelta(days=i) for i in range(n)]
    return [rollup(sensor_id, "1h", local(d.year, d.month, d.day, 3), mean=15.0)
            for d in dates if d != skip]


def test_heat_pm25_and_no2_are_derived_by_hand(app, park, climate):
    counts = _derive(app, park)
    assert (counts.created, counts.updated, counts.unchanged) == (3, 0, 0)
    rows = _rows(app, park)
    assert {code: rows[code][0][1] for code in CLIMATE} == {
        "heat_stress_hours": 2.0, "pm25_ugm3": 6.0, "no2_ugm3": 13.0}
    for code in CLIMATE:
        (_id, _value, source, measured, on, _note), = rows[code]
        assert (source, measured, on) == ("sensor", True, MEASURED_ON)
    assert "gegevens op 2 van 365 dagen" in rows["pm25_ugm3"][0][5]
    assert "gegevens op 365 van 365 dagen" in rows["heat_stress_hours"][0][5]
    assert "2025-11-01 t/m 2026-10-31" in rows["no2_ugm3"][0][5]


@pytest.mark.parametrize(("covered", "derived"), [(329, True), (328, False)])
def test_heat_hours_need_data_on_nine_tenths_of_the_year(app, park, covered, derived):
    sensor = env_device(app, park, {"t": "temperature"}).sensor("t")
    add_rows(app, cool_nights(sensor, covered))
    _derive(app, park)
    rows = _rows(app, park)
    assert ("heat_stress_hours" in rows) is derived
    if derived:
        assert rows["heat_stress_hours"][0][1] == 0.0


def test_a_second_run_the_same_day_changes_nothing(app, park, climate):
    _derive(app, park)
    before = _rows(app, park)
    counts = _derive(app, park)
    assert (counts.created, counts.updated, counts.unchanged) == (0, 0, 3)
    assert _rows(app, park) == before


def test_new_data_updates_the_row_of_the_same_day(app, park, climate):
    _derive(app, park)
    (row_id, *_), = _rows(app, park)["no2_ugm3"]
    add_rows(app, days(climate.sensor("no2"), local(2026, 8, 1), [21.0]))
    counts = _derive(app, park)
    assert (counts.created, counts.updated, counts.unchanged) == (0, 1, 2)
    (same_id, value, *_), = _rows(app, park)["no2_ugm3"]
    assert (same_id, value) == (row_id, 15.0)


def test_daily_runs_keep_one_sensor_row_per_indicator(app, park, climate):
    _derive(app, park)
    first_ids = {code: rows[0][0] for code, rows in _rows(app, park).items()}
    for n in range(1, 6):
        _derive(app, park, TODAY + timedelta(days=n))
    rows = _rows(app, park)
    assert {code: len(found) for code, found in rows.items()} == dict.fromkeys(CLIMATE, 1)
    assert {code: found[0][0] for code, found in rows.items()} == first_ids
    assert {found[0][4] for found in rows.values()} == {MEASURED_ON + timedelta(days=5)}
    assert "t/m 2026-11-05" in rows["pm25_ugm3"][0][5]


def test_older_sensor_rows_are_folded_into_one(app, park, climate):
    def pile_up(session_db):
        for n in range(1, 4):
            session_db.add(IndicatorValue(
                park_id=park.id, indicator="pm25_ugm3", value=50.0 + n, source="sensor",
                is_measured=True, measured_on=MEASURED_ON - timedelta(days=n), note="oud"))

    in_db(app, pile_up)
    counts = _derive(app, park)
    assert counts.removed == 2
    (_id, value, source, _m, on, _note), = _rows(app, park)["pm25_ugm3"]
    assert (value, source, on) == (6.0, "sensor", MEASURED_ON)


def test_manual_values_are_never_touched(app, park, climate):
    manual = in_db(app, lambda s: theme_service.add_indicator_value(
        s, s.get(Park, park.id), {"indicator": "pm25_ugm3", "value": 9.9,
                                  "measured_on": MEASURED_ON, "note": "handmeting"}, None).id)
    _derive(app, park)
    _derive(app, park)
    rows = {r[0]: r for r in _rows(app, park)["pm25_ugm3"]}
    assert rows[manual][1:4] == (9.9, "manual", False)
    assert rows[manual][5] == "handmeting"
    assert sorted(r[2] for r in rows.values()) == ["manual", "sensor"]


def test_a_value_that_can_no_longer_be_derived_is_removed_for_that_day(app, park, climate):
    _derive(app, park)
    no2 = climate.sensor("no2")
    in_db(app, lambda s: s.execute(delete(Rollup).where(Rollup.sensor_id == no2)))
    counts = _derive(app, park)
    assert (counts.removed, counts.unchanged) == (1, 2)
    assert "no2_ugm3" not in _rows(app, park)


def test_without_sensors_nothing_is_written(app, park):
    assert _derive(app, park) == sensor_indicators.DeriveCounts(parks=1)
    assert count(app, IndicatorValue) == 0


def test_the_maturity_assessment_uses_the_derived_values(app, park, climate):
    _derive(app, park)

    def reasons(session_db):
        assessment = theme_service.park_assessments(session_db, session_db.get(Park, park.id))
        return {(r.criterion.indicator, r.criterion.level): r.met
                for r in assessment["gezondheid"].reasons if r.criterion.indicator}

    met = in_db(app, reasons)
    assert met[("pm25_ugm3", 2)] is True           # 6.0 <= 10
    assert met[("pm25_ugm3", 4)] is False          # 6.0 > 5
    assert met[("heat_stress_hours", 3)] is True   # 2 <= 50
    assert met[("no2_ugm3", 3)] is True            # 13.0 <= 20


def test_derive_all_covers_every_park_with_devices(app, park, climate, make_park):
    make_park()   # no devices: not looked at
    other = make_park()
    sensor = env_device(app, other, {"pm": "pm25"}).sensor("pm")
    add_rows(app, [rollup(sensor, "1d", local(2026, 10, 30), mean=3.0)])
    counts = in_db(app, lambda s: sensor_indicators.derive_all(s, TODAY))
    assert (counts.parks, counts.created) == (2, 4)
    assert _rows(app, other)["pm25_ugm3"][0][1] == 3.0


def test_window_covers_the_twelve_months_before_today():
    window = sensor_indicators.window_for(date(2028, 2, 29))
    assert (window.first, window.last, window.days) == (date(2027, 2, 28), date(2028, 2, 28),
                                                        366)


def test_the_cli_command_derives_one_park_or_all(app, park, climate):
    group = click.Group()
    sensor_indicators.register_indicators_command(group, lambda ctx: app)
    result = CliRunner().invoke(group, ["sensor-indicators", "--park", park.slug,
                                        "--date", "2026-11-01"])
    assert result.exit_code == 0, result.output
    assert "1 parks: 3 values created, 0 updated, 0 unchanged" in result.output
    assert "measured on 2026-10-31" in result.output
    again = CliRunner().invoke(group, ["sensor-indicators", "--date", "2026-11-01"])
    assert "3 unchanged" in again.output
    wrong = CliRunner().invoke(group, ["sensor-indicators", "--park", "nope"])
    assert wrong.exit_code == 2 and "no park with slug 'nope'" in wrong.output
