"""Alerts kept by the sink: opened, updated and closed with the data; park overrides; silence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.conftest import in_db
from tests.webapp.sensor_support import T0, add_device, app_engine, batch, readings, table_rows
from webapp.models import Device
from webapp.services.sensor_alert_store import check_silent_devices
from webapp.services.sensor_sql import ALERT, ALERT_OVERRIDE, upsert, utc
from webapp.services.sensor_store import DbSink


@pytest.fixture
def engine(app):
    return app_engine(app)


@pytest.fixture
def sink(engine):
    return DbSink(engine, clock=lambda: T0 + timedelta(days=3))


@pytest.fixture
def park(make_park):
    return make_park()


def alerts(engine, *where) -> list:
    """Alert rows, oldest first."""
    return sorted(table_rows(engine, ALERT, *where), key=lambda row: row.id)


def summary(engine) -> list[tuple]:
    """(rule, value, threshold, open) per alert, oldest first."""
    return [(a.rule, a.value, a.threshold, a.ended_at is None) for a in alerts(engine)]


def override(app, park, rule: str, threshold: float | None) -> None:
    """Set (or change) a park's threshold for one rule.

    Written with Core: the ORM's audit listener cannot log AlertOverride yet (it has no id).
    """
    with app_engine(app).begin() as conn:
        upsert(conn, ALERT_OVERRIDE, ("park_id", "rule"), [
            {"park_id": park.id, "rule": rule, "threshold": threshold,
             "updated_at": datetime.now(UTC)}])


def test_alert_opens_updates_and_closes(app, engine, sink, park):
    device = add_device(app, park, channels={"co2": "co2"})
    sid = device.sensor()
    sink.store(batch(readings(sid, (0, 1200.0))))
    assert summary(engine) == [("co2_indoor", 1200.0, 1000.0, True)]
    first = alerts(engine)[0]
    assert (first.device_id, first.sensor_id, first.park_id) == (device.id, sid, park.id)
    assert (first.severity, utc(first.started_at)) == ("warning", T0)
    sink.store(batch(readings(sid, (5, 1300.0))))
    updated = alerts(engine)[0]
    assert (updated.id, updated.value) == (first.id, 1300.0)
    assert utc(updated.last_seen_at) == T0 + timedelta(minutes=5)
    sink.store(batch(readings(sid, (10, 800.0))))
    assert summary(engine) == [("co2_indoor", 1300.0, 1000.0, False)]
    assert utc(alerts(engine)[0].ended_at) == T0 + timedelta(minutes=10)
    sink.store(batch(readings(sid, (15, 1100.0))))
    assert summary(engine) == [("co2_indoor", 1300.0, 1000.0, False),
                               ("co2_indoor", 1100.0, 1000.0, True)]


def test_old_reading_does_not_decide_the_latest_value(app, engine, sink, park):
    sid = add_device(app, park, channels={"co2": "co2"}).sensor()
    sink.store(batch(readings(sid, (10, 700.0))))
    sink.store(batch(readings(sid, (0, 5000.0))))  # late, and not the latest value
    assert summary(engine) == []


@pytest.mark.parametrize(("threshold", "value", "expected"), [
    (1500.0, 1200.0, []),
    (1500.0, 1600.0, [("co2_indoor", 1600.0, 1500.0, True)]),
    (800.0, 900.0, [("co2_indoor", 900.0, 800.0, True)]),
    (None, 5000.0, []),
])
def test_park_override_changes_the_threshold(app, engine, sink, park, threshold, value,
                                             expected):
    override(app, park, "co2_indoor", threshold)
    sid = add_device(app, park, channels={"co2": "co2"}).sensor()
    sink.store(batch(readings(sid, (0, value))))
    assert summary(engine) == expected


def test_override_of_another_park_does_not_apply(app, engine, sink, park, make_park):
    override(app, make_park(), "co2_indoor", 5000.0)
    sid = add_device(app, park, channels={"co2": "co2"}).sensor()
    sink.store(batch(readings(sid, (0, 1200.0))))
    assert summary(engine) == [("co2_indoor", 1200.0, 1000.0, True)]


def test_switching_a_rule_off_closes_its_open_alert(app, engine, sink, park):
    sid = add_device(app, park, channels={"co2": "co2"}).sensor()
    sink.store(batch(readings(sid, (0, 1200.0))))
    override(app, park, "co2_indoor", None)
    sink.store(batch(readings(sid, (5, 2000.0))))
    assert summary(engine) == [("co2_indoor", 1200.0, 1000.0, False)]


def test_changed_override_updates_the_open_alert(app, engine, sink, park):
    sid = add_device(app, park, channels={"co2": "co2"}).sensor()
    sink.store(batch(readings(sid, (0, 1200.0))))
    override(app, park, "co2_indoor", 1100.0)
    sink.store(batch(readings(sid, (5, 1150.0))))
    assert summary(engine) == [("co2_indoor", 1150.0, 1100.0, True)]


def test_unknown_override_does_not_stop_storing(app, engine, sink, park):
    override(app, park, "no_such_rule", 1.0)
    sid = add_device(app, park, channels={"co2": "co2"}).sensor()
    assert sink.store(batch(readings(sid, (0, 1200.0)))) == 1
    assert summary(engine) == [("co2_indoor", 1200.0, 1000.0, True)]


@pytest.mark.parametrize(("values", "expected"), [
    ([26.9] * 12, set()),
    ([27.0] * 12, {"heat_stress_warning"}),
    ([31.0] * 12, {"heat_stress_warning", "heat_stress_alarm"}),
    ([20.0] * 11 + [40.0], set()),  # one hot reading does not make a hot hour
    ([20.0] * 9 + [35.0] * 3, set()),  # nor does one hot quarter-hour
    ([40.0] * 11 + [20.0], {"heat_stress_warning", "heat_stress_alarm"}),
])
def test_heat_stress_uses_the_hourly_mean(app, engine, sink, park, values, expected):
    sid = add_device(app, park).sensor()
    sink.store(batch(readings(sid, *[(5 * i, v) for i, v in enumerate(values)])))
    assert {a.rule for a in alerts(engine) if a.ended_at is None} == expected


@pytest.mark.parametrize(("limit", "value", "expected"), [
    (50.0, 60.0, [("water_level_high", 60.0, 50.0, True)]),
    (50.0, 40.0, []),
    (None, 900.0, []),
])
def test_water_level_uses_the_device_limit(app, engine, sink, park, limit, value, expected):
    sid = add_device(app, park, channels={"level": "water_level"},
                     water_level_limit_cm=limit).sensor()
    sink.store(batch(readings(sid, (0, value))))
    assert summary(engine) == expected


@pytest.mark.parametrize(("hours", "value", "expected"), [
    (20, 20.0, [("who_pm25_24h", 20.0, 15.0, True)]),
    (20, 10.0, []),
    (3, 90.0, []),  # three hours say nothing about a 24-hour mean
])
def test_pm25_uses_the_24_hour_mean(app, engine, sink, park, hours, value, expected):
    sid = add_device(app, park, channels={"pm": "pm25"}).sensor()
    sink.store(batch(readings(sid, *[(10 * i, value) for i in range(hours * 6)])))
    assert summary(engine) == expected


def test_two_sensors_of_one_device_have_their_own_alerts(app, engine, sink, park):
    device = add_device(app, park, channels={"co2_a": "co2", "co2_b": "co2"})
    sink.store(batch(readings(device.sensor("co2_a"), (0, 1500.0)),
                     readings(device.sensor("co2_b"), (0, 500.0))))
    sink.store(batch(readings(device.sensor("co2_b"), (5, 600.0))))
    assert [(a.sensor_id, a.ended_at) for a in alerts(engine)] == [
        (device.sensor("co2_a"), None)]


# -- silent devices ---------------------------------------------------------------------------


def _last_seen(app, device_id: int, moment: datetime | None) -> None:
    in_db(app, lambda s: setattr(s.get(Device, device_id), "last_seen_at", moment))


@pytest.mark.parametrize(("quiet_minutes", "silent"), [(14, False), (16, True)])
def test_device_silent_after_three_intervals(app, engine, park, quiet_minutes, silent):
    device = add_device(app, park, interval_s=300)
    _last_seen(app, device.id, T0)
    assert check_silent_devices(engine, T0 + timedelta(minutes=quiet_minutes)) == int(silent)
    assert [(a.rule, a.device_id, a.sensor_id) for a in alerts(engine)] == (
        [("device_silent", device.id, None)] if silent else [])


def test_silent_alert_is_updated_then_closed_by_data(app, engine, sink, park):
    device = add_device(app, park, interval_s=300)
    _last_seen(app, device.id, T0)
    assert check_silent_devices(engine, T0 + timedelta(minutes=20)) == 1
    assert check_silent_devices(engine, T0 + timedelta(minutes=30)) == 0
    assert summary(engine) == [("device_silent", 30.0, 15.0, True)]
    sink.store(batch(readings(device.sensor(), (31, 20.0))))
    assert summary(engine) == [("device_silent", 30.0, 15.0, False)]
    assert check_silent_devices(engine, T0 + timedelta(minutes=35)) == 0
    assert len(alerts(engine)) == 1


def test_new_device_gets_a_grace_period(app, engine, park):
    add_device(app, park, interval_s=600, commissioned_at=T0)
    assert check_silent_devices(engine, T0 + timedelta(minutes=29)) == 0
    assert check_silent_devices(engine, T0 + timedelta(minutes=31)) == 1


def test_inactive_device_is_not_silent(app, engine, park):
    device = add_device(app, park, interval_s=300)
    _last_seen(app, device.id, T0)
    check_silent_devices(engine, T0 + timedelta(hours=1))
    in_db(app, lambda s: setattr(s.get(Device, device.id), "active", False))
    assert check_silent_devices(engine, T0 + timedelta(hours=2)) == 0
    assert [a.ended_at is None for a in alerts(engine)] == [False]


@pytest.mark.parametrize(("threshold", "opened"), [(None, 0), (10.0, 0), (2.0, 1)])
def test_silent_rule_follows_the_park_override(app, engine, park, threshold, opened):
    override(app, park, "device_silent", threshold)
    device = add_device(app, park, interval_s=300)
    _last_seen(app, device.id, T0)
    assert check_silent_devices(engine, T0 + timedelta(minutes=20)) == opened


def test_silent_check_accepts_a_naive_utc_now(app, engine, park):
    device = add_device(app, park, interval_s=300)
    _last_seen(app, device.id, datetime(2026, 10, 23, tzinfo=UTC))
    assert check_silent_devices(engine, datetime(2026, 10, 23, 1)) == 1
    with engine.connect() as conn:
        assert conn.scalar(select(ALERT.c.rule)) == "device_silent"
