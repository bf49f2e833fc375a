"""The database side of the sensor pipeline: device registry, storing batches, retention."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from sensors.model import Batch, DeadLetter, Reading, Rejection
from sensors.pipeline import Incoming, build_batch, default_decoder
from tests.conftest import in_db
from tests.webapp.sensor_support import (
    T0,
    add_device,
    app_engine,
    batch,
    readings,
    stored,
    table_rows,
)
from webapp.models import Device
from webapp.services import sensor_store
from webapp.services.sensor_registry import DbRegistry, WrongPark
from webapp.services.sensor_sql import DEAD_LETTER, DEVICE, READING, ROLLUP, utc
from webapp.services.sensor_store import (
    MAX_STORED_PAYLOAD,
    DbSink,
    prune_raw,
    retention_cutoff,
)

CET = timezone(timedelta(hours=1))


@pytest.fixture
def engine(app):
    return app_engine(app)


@pytest.fixture
def sink(engine):
    return DbSink(engine, clock=lambda: T0 + timedelta(days=5))


# -- registry ---------------------------------------------------------------------------------


@pytest.fixture
def registry_setup(app, make_park):
    park_a = make_park(slug="kanaalzone")
    park_b = make_park(slug="hessenpoort")
    devices = {
        "native": add_device(app, park_a, uid="wadi-1", channels={"level": "water_level"}),
        "ttn": add_device(app, park_a, uid="ttn-1", payload_format="ttn",
                          topic="v3/park@ttn/devices/ttn-1/up"),
        "dsmr": add_device(app, park_b, uid="dsmr-1", payload_format="dsmr",
                           topic="dsmr/reading/#",
                           channels={"electricity_currently_delivered": "power"}),
        "dsmr_all": add_device(app, park_b, uid="dsmr-2", payload_format="dsmr", topic="dsmr/#"),
        "tasmota": add_device(app, park_b, uid="plug-1", payload_format="tasmota",
                              topic="tele/+/SENSOR"),
        "inactive": add_device(app, park_b, uid="old-1", topic="tele/old/STATE", active=False),
    }
    return devices


@pytest.mark.parametrize(("topic", "expected"), [
    ("v3/park@ttn/devices/ttn-1/up", "ttn"),
    ("werklandschap/kanaalzone/wadi-1/up", "native"),
    ("dsmr/reading/electricity_currently_delivered", "dsmr"),
    ("dsmr/json", "dsmr_all"),
    ("tele/plug-7/SENSOR", "tasmota"),
    ("tele/plug-7/STATE", None),
    ("werklandschap/kanaalzone/nobody/up", None),
    ("v3/park@ttn/devices/ttn-2/up", None),
])
def test_lookup_finds_the_device_of_a_topic(engine, registry_setup, topic, expected):
    device = DbRegistry(engine).lookup(topic)
    assert (device.uid if device else None) == (
        registry_setup[expected].uid if expected else None)


def test_lookup_gives_the_park_slug_and_channels(engine, registry_setup):
    device = DbRegistry(engine).lookup("werklandschap/kanaalzone/wadi-1/up")
    ids = registry_setup["native"]
    assert (device.device_id, device.park_id, device.park_slug) == (ids.id, ids.park_id,
                                                                   "kanaalzone")
    assert [(c.sensor_id, c.field, c.quantity) for c in device.channels] == [
        (ids.sensor(), "level", "water_level")]
    assert device.commissioned_at.tzinfo is not None


@pytest.mark.parametrize("topic", [
    "werklandschap/hessenpoort/wadi-1/up",
    "werklandschap/hessenpoort/ttn-1/up",
])
def test_native_topic_under_another_park_is_refused(engine, registry_setup, topic):
    with pytest.raises(WrongPark) as caught:
        DbRegistry(engine).lookup(topic)
    assert caught.value.code == "wrong_park"
    assert isinstance(caught.value, Rejection)
    assert caught.value.device.park_slug == "kanaalzone"


def test_inactive_device_is_known_but_not_subscribed(engine, registry_setup):
    registry = DbRegistry(engine)
    assert registry.lookup("tele/old/STATE").active is False
    assert registry.topics() == sorted(["v3/park@ttn/devices/ttn-1/up", "dsmr/reading/#",
                                        "dsmr/#", "tele/+/SENSOR"])


def test_inactive_device_message_becomes_a_dead_letter(engine, registry_setup):
    message = Incoming("tele/old/STATE", b"{}", 1, 1, T0)
    result = build_batch([message], DbRegistry(engine), default_decoder())
    assert [d.reason_code for d in result.dead_letters] == ["device_inactive"]
    assert result.dead_letters[0].device_id == registry_setup["inactive"].id


def test_refresh_picks_up_changes(app, engine, registry_setup, make_park):
    registry = DbRegistry(engine)
    assert registry.lookup("tele/new/SENSOR").uid == "plug-1"
    park = make_park()
    add_device(app, park, uid="new-1", topic="tele/new/SENSOR")
    in_db(app, lambda s: setattr(s.scalars(select(Device).where(Device.uid == "wadi-1")).one(),
                                 "active", False))
    assert registry.lookup("tele/new/SENSOR").uid == "plug-1"  # the snapshot until refresh
    registry.refresh()
    assert registry.lookup("tele/new/SENSOR").uid == "new-1"
    assert registry.lookup("werklandschap/kanaalzone/wadi-1/up").active is False


def test_by_uid_reads_a_new_device_at_once(app, engine, registry_setup, make_park):
    registry = DbRegistry(engine)
    assert registry.by_uid("ttn-1").format == "ttn"
    assert registry.by_uid("later-1") is None
    add_device(app, make_park(slug="later"), uid="later-1", channels={"pm25": "pm25"})
    device = registry.by_uid("later-1")
    assert (device.park_slug, device.channels[0].quantity) == ("later", "pm25")


def test_registry_accepts_a_sessionmaker(app, registry_setup):
    from webapp import db

    registry = DbRegistry(app.extensions[db.EXTENSION_KEY])
    assert registry.by_uid("wadi-1").park_slug == "kanaalzone"


# -- storing ----------------------------------------------------------------------------------


@pytest.fixture
def gauge(app, make_park):
    return add_device(app, make_park(), channels={"temperature": "temperature"})


@pytest.fixture
def meter(app, make_park):
    return add_device(app, make_park(), channels={"import": "energy_import"})


def test_storing_twice_stores_once(engine, sink, gauge):
    sid = gauge.sensor()
    first = batch(readings(sid, (0, 20.0), (5, 21.0), (10, 22.0)))
    assert sink.store(first) == 3
    assert sink.store(first) == 0
    assert sink.store(batch(readings(sid, (10, 22.0), (15, 23.0)))) == 1
    assert [v for _, v in stored(engine, sid)] == [20.0, 21.0, 22.0, 23.0]


def test_duplicate_in_one_batch_keeps_the_first_arrival(engine, sink, gauge):
    sid = gauge.sensor()
    assert sink.store(batch(readings(sid, (0, 20.0), (0, 99.0)))) == 1
    assert stored(engine, sid) == [(T0, 20.0)]


def test_timestamps_are_stored_in_utc(engine, sink, gauge):
    sid = gauge.sensor()
    local = T0.astimezone(timezone(timedelta(hours=2)))
    assert sink.store(Batch([Reading(sid, local, 1.0)])) == 1
    assert sink.store(Batch([Reading(sid, T0, 2.0)])) == 0
    assert sink.store(Batch([Reading(sid, T0.replace(tzinfo=None), 3.0)])) == 0
    assert stored(engine, sid) == [(T0, 1.0)]


def test_empty_batch_stores_nothing(sink):
    assert sink.store(Batch()) == 0


@pytest.mark.parametrize(("before", "late", "refused"), [
    # (stored readings, new reading), which new values are refused as meter_backwards
    ([(0, 100.0), (10, 105.0)], [(20, 103.0)], [103.0]),
    ([(0, 100.0), (10, 105.0)], [(20, 105.0)], []),
    ([(0, 100.0), (10, 105.0)], [(20, 2.0)], []),  # a reset: under 10 % of 105
    ([(0, 100.0), (10, 105.0)], [(5, 110.0)], [110.0]),  # late, above the reading after it
    ([(0, 100.0), (10, 105.0)], [(5, 99.0)], [99.0]),  # late, below the reading before it
    ([(0, 100.0), (10, 105.0)], [(5, 102.0)], []),
    ([], [(0, 100.0), (5, 98.0), (10, 101.0)], [98.0]),  # backwards inside one batch
    ([(0, 5.0)], [(5, 0.1)], [0.1]),  # near zero a fall is no reset
])
def test_meter_backwards_is_a_dead_letter(engine, sink, meter, before, late, refused):
    sid = meter.sensor()
    sink.store(batch(readings(sid, *before)))
    new = sink.store(batch(readings(sid, *late)))
    assert new == len(late) - len(refused)
    letters = table_rows(engine, DEAD_LETTER)
    assert [row.reason_code for row in letters] == ["meter_backwards"] * len(refused)
    assert [json.loads(row.payload)["value"] for row in letters] == refused
    assert all(row.device_id == meter.id and row.park_id == meter.park_id for row in letters)
    stored_values = {v for _, v in stored(engine, sid)}
    assert not stored_values & set(refused)


def test_meter_reset_counts_the_new_value_as_consumption(engine, sink, meter):
    sid = meter.sensor()
    sink.store(batch(readings(sid, (0, 500.0), (5, 510.0), (10, 3.0))))
    with engine.connect() as conn:
        consumption = conn.scalar(select(ROLLUP.c.consumption).where(
            ROLLUP.c.sensor_id == sid, ROLLUP.c.period == "15m"))
    assert consumption == pytest.approx(10.0 + 3.0)


def test_dead_letters_are_stored_with_payload_capped(engine, sink, gauge):
    big = b"x" * (MAX_STORED_PAYLOAD * 3)
    letters = [
        DeadLetter("t", big, "too_large", "too big", T0, gauge.id, gauge.park_id),
        DeadLetter("t", b"{}", "unknown_device", "who?", T0.astimezone(CET)),
        DeadLetter("t", b"1", "invalid_json", "gone", T0, 999_999, 999_999),
    ]
    assert sink.store(Batch(dead_letters=letters)) == 0
    rows = sorted(table_rows(engine, DEAD_LETTER), key=lambda row: row.id)
    assert [(r.reason_code, r.payload_size, len(r.payload)) for r in rows] == [
        ("too_large", len(big), MAX_STORED_PAYLOAD), ("unknown_device", 2, 2),
        ("invalid_json", 1, 1)]
    assert [(r.device_id, r.park_id) for r in rows] == [(gauge.id, gauge.park_id), (None, None),
                                                        (None, None)]


def test_dead_letter_text_a_database_refuses_is_stored_replaced(engine, sink, gauge):
    # PostgreSQL refuses NUL in text and no driver encodes a lone surrogate: the store failed
    # and the ingest retried the same batch forever. The payload is binary and stays as sent.
    letter = DeadLetter("tele/\x00/SENSOR", b'{"\x00": 1}', "bad\x00code", "why \x00 \ud800",
                        T0, gauge.id, gauge.park_id)
    assert sink.store(Batch(dead_letters=[letter])) == 0
    [row] = table_rows(engine, DEAD_LETTER)
    assert (row.topic, row.reason_code, row.reason) == (
        "tele/\ufffd/SENSOR", "bad\ufffdcode", "why \ufffd \ufffd")
    assert bytes(row.payload) == b'{"\x00": 1}'


@pytest.mark.parametrize("payload", [
    b'{"\\u0000x": 1}',  # a field name with an escaped NUL
    b'{"\\ud800": 1}',  # a field name that is a lone surrogate
    b'{"ENERGY": {"\\u0000": 1, "x": 2}}',
])
def test_a_message_naming_odd_fields_is_stored_as_a_dead_letter(engine, sink, registry_setup,
                                                                payload):
    message = Incoming("tele/plug-1/SENSOR", payload, 1, 1, T0)
    result = build_batch([message], DbRegistry(engine), default_decoder())
    assert sink.store(result) == 0
    [row] = table_rows(engine, DEAD_LETTER)
    assert row.reason_code == "no_mapped_fields"
    assert "\x00" not in row.reason and "\ufffd" not in row.reason  # escaped, not replaced
    assert bytes(row.payload) == payload


def test_reading_of_a_deleted_sensor_is_a_dead_letter(engine, sink, gauge):
    sid = gauge.sensor()
    assert sink.store(batch(readings(sid, (0, 1.0)), readings(999_999, (0, 1.0)))) == 1
    assert [row.reason_code for row in table_rows(engine, DEAD_LETTER)] == ["unknown_sensor"]


def test_last_seen_moves_forward_only(app, engine, sink, gauge):
    sid = gauge.sensor()
    updated_before = table_rows(engine, DEVICE, DEVICE.c.id == gauge.id)[0].updated_at
    sink.store(batch(readings(sid, (5, 1.0), (0, 2.0))))
    sink.store(batch(readings(sid, (-60, 3.0))))  # a late reading
    device = table_rows(engine, DEVICE, DEVICE.c.id == gauge.id)[0]
    assert utc(device.last_seen_at) == T0 + timedelta(minutes=5)
    assert device.updated_at == updated_before


def test_a_failing_batch_leaves_nothing_behind(engine, sink, gauge, monkeypatch):
    def fail(*args):
        raise RuntimeError("boom")

    monkeypatch.setattr(sensor_store, "update_rollups", fail)
    letter = DeadLetter("t", b"{}", "invalid_json", "bad", T0)
    with pytest.raises(RuntimeError):
        sink.store(Batch(readings(gauge.sensor(), (0, 1.0)), [letter]))
    assert table_rows(engine, READING) == []
    assert table_rows(engine, DEAD_LETTER) == []
    assert table_rows(engine, DEVICE, DEVICE.c.last_seen_at.is_not(None)) == []


# -- retention --------------------------------------------------------------------------------


@pytest.mark.parametrize(("days", "now", "expected"), [
    (0, datetime(2026, 6, 1, 12, tzinfo=UTC), None),
    (1, datetime(2026, 6, 2, 12, tzinfo=UTC), datetime(2026, 5, 31, 22, tzinfo=UTC)),
    (10, datetime(2026, 1, 11, 12, tzinfo=UTC), datetime(2025, 12, 31, 23, tzinfo=UTC)),
])
def test_retention_cutoff_is_an_amsterdam_midnight(days, now, expected):
    assert retention_cutoff(days, now) == expected


def test_prune_removes_only_raw_rows_before_the_cutoff(engine, sink, gauge, meter):
    temp, energy = gauge.sensor(), meter.sensor()
    hours = [(h * 60, float(h)) for h in range(0, 72, 3)]
    sink.store(batch(readings(temp, *hours), readings(energy, *hours)))
    rollups_before = len(table_rows(engine, ROLLUP))
    older_than = T0 + timedelta(days=1, hours=12)  # noon on 24 October, Amsterdam day from 22:00
    cutoff = datetime(2026, 10, 23, 22, tzinfo=UTC)
    deleted = prune_raw(engine, older_than)
    left_temp, left_energy = stored(engine, temp), stored(engine, energy)
    assert min(ts for ts, _ in left_temp) >= cutoff
    assert [ts for ts, _ in left_temp] == [T0 + timedelta(hours=h) for h in range(0, 72, 3)
                                           if T0 + timedelta(hours=h) >= cutoff]
    # the meter keeps its last reading before the cutoff as the baseline for consumption
    assert left_energy[0] == (T0 + timedelta(hours=21), 21.0)
    assert deleted == (24 - len(left_temp)) + (24 - len(left_energy))
    assert len(table_rows(engine, ROLLUP)) == rollups_before
    assert prune_raw(engine, older_than) == 0
    assert stored(engine, energy) == left_energy


def test_sink_refuses_readings_before_the_retention(engine, gauge):
    now = T0 + timedelta(days=30)
    sink = DbSink(engine, retention_days=10, clock=lambda: now)
    sid = gauge.sensor()
    new = sink.store(batch(readings(sid, (0, 1.0)), readings(sid, (0, 2.0), start=now)))
    assert new == 1
    assert [row.reason_code for row in table_rows(engine, DEAD_LETTER)] == ["too_old"]
