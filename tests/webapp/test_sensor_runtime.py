"""The sensor runtime next to the web app: backfill and resume, the live simulator, the demo's
SensorStack, and what a park's new slug means for its devices."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from sensors.broker import port_is_free
from sensors.mosquitto import native_topic
from sensors.simulation.blueprints import DSMR, TASMOTA, WEATHER
from sensors.simulator import SimState, messages
from tests.conftest import count, in_db
from tests.sensors.mqtt_fakes import wait_until
from tests.webapp.device_helpers import readings, register_device
from tests.webapp.sensor_e2e_support import dead_letters, reading_count
from tests.webapp.sensor_support import app_engine
from webapp.models import Device, Park, Reading
from webapp.sensor_runtime import (
    LiveSimulator,
    SensorStack,
    backfill,
    deliver_directly,
    resume_state,
    simulated_devices,
)
from webapp.services.parks import update_park
from webapp.services.sensor_store import DbRegistry, DbSink, WrongPark

pytest_plugins = ["tests.webapp.sensor_fixtures"]  # mosquitto, mosquitto_executable, run_ingest

COMMISSIONED = datetime.now(UTC) - timedelta(days=30)
PM = (("SDS_P1", "pm10", "µg/m³"), ("SDS_P2", "pm25", "µg/m³"))


@pytest.fixture
def park(make_park):
    return make_park(slug="zwolle-hessenpoort", latitude=52.53, longitude=6.13)


def register(app, park, uid: str, fmt: str, channels, interval_s: int, topic=None) -> str:
    return register_device(app, park, uid=uid, fmt=fmt, topic=topic, channels=channels,
                           interval_s=interval_s, commissioned_at=COMMISSIONED)[0]


def live_round(engine, state: SimState, minutes: float = 4) -> int:
    """Deliver what the simulator sends from now on for *minutes*; how many readings are new.

    (Times up to five minutes ahead are still accepted, so no waiting is needed.)
    """
    devices, now, sink, stored = simulated_devices(engine), datetime.now(UTC), DbSink(engine), 0
    specs = [device.spec for device in devices]
    location = (devices[0].latitude, devices[0].longitude)
    for _ts, spec, topic, payload in messages(specs, now, now + timedelta(minutes=minutes),
                                              *location, state=state):
        stored += deliver_directly(sink, spec, topic, payload, now)
    return stored


def latest_values(app, uid: str) -> dict[str, float]:
    """The last stored value of each field of a device."""
    return {field: value for field, _ts, value in readings(app, uid)}


# -- resume after a backfill -------------------------------------------------------------------


def test_resumed_meters_continue_from_the_stored_values(app, park):
    uid = register(app, park, "rt-p1", "dsmr", DSMR, 60, topic="dsmr/rt-p1/json")
    engine = app_engine(app)
    devices = simulated_devices(engine)
    assert backfill(engine, devices, 0.1) > 0
    backfilled = reading_count(app, uid)
    state = resume_state(engine, devices)

    assert {name: state.totals[(uid, name)] for name, _q, _u in DSMR} == latest_values(app, uid)
    assert live_round(engine, state) > 0
    assert reading_count(app, uid) > backfilled
    assert dead_letters(app) == []


def test_without_resuming_a_live_round_would_run_the_meters_backwards(app, park):
    """The control for the test above: it can fail."""
    register(app, park, "rt-p1", "dsmr", DSMR, 60, topic="dsmr/rt-p1/json")
    engine = app_engine(app)
    backfill(engine, simulated_devices(engine), 0.1)
    live_round(engine, SimState())
    assert "meter_backwards" in {code for code, *_rest in dead_letters(app)}


# -- the live simulator --------------------------------------------------------------------------


def test_live_simulator_publishes_new_readings_that_the_ingest_stores(
        app, park, mosquitto, run_ingest):
    uids = [register(app, park, "rt-weather", "native", WEATHER, 1),
            register(app, park, "rt-plug", "tasmota", TASMOTA, 1, topic="tele/rt-plug/SENSOR"),
            register(app, park, "rt-pm", "sensor_community", PM, 1)]
    run_ingest(mosquitto.url)
    started = datetime.now(UTC).replace(microsecond=0)
    simulator = LiveSimulator(app_engine(app), mosquitto.url, [park.slug], client_id="rt-sim")
    simulator.start()
    try:
        wait_until(lambda: all(reading_count(app, uid) for uid in uids), timeout=20,
                   what="readings of every simulated device")
    finally:
        simulator.stop()
    assert simulator.published > 0  # the MQTT devices; the sensor.community one went by HTTP
    assert all(ts >= started for uid in uids for _f, ts, _v in readings(app, uid))
    assert dead_letters(app) == []


# -- the demo's sensor stack ---------------------------------------------------------------------


def test_sensor_stack_runs_on_the_embedded_mosquitto_and_stops_cleanly(
        app, park, mosquitto_executable, tmp_path):
    uid = register(app, park, "rt-weather", "native", WEATHER, 1)
    before = set(threading.enumerate())
    stack, lines = SensorStack(app_engine(app), tmp_path), []
    stack.start(backfill_days=0, echo=lines.append)
    try:
        assert stack.broker is not None and stack.broker.kind == "mosquitto"
        wait_until(lambda: reading_count(app, uid) > 0, timeout=20,
                   what="live readings through the embedded broker")
    finally:
        stack.stop()
    assert any("MQTT broker (mosquitto)" in line for line in lines)
    assert [t.name for t in threading.enumerate() if t not in before] == []
    assert port_is_free(stack.broker.port)
    assert dead_letters(app) == []


# -- a park's new slug does not strand its devices ----------------------------------------------


def test_park_slug_change_keeps_devices_on_their_registered_topics(app, park, make_park, runner,
                                                                   tmp_path):
    """Devices in the field keep publishing where they were set up; the new native topic works
    too (in the ingest and in the broker ACL), and another park's native topic is refused."""
    make_park(slug="elders")
    native = register(app, park, "rt-weather", "native", WEATHER, 600)
    ttn_topic = "v3/werklandschap@ttn/devices/rt-co2/up"
    ttn = register(app, park, "rt-co2", "ttn", (("co2", "co2", "ppm"),), 600, topic=ttn_topic)
    old_topic = native_topic(park.slug, native)

    in_db(app, lambda s: update_park(s, s.get(Park, park.id), {"slug": "zwolle-nieuw"},
                                     may_set_role=False))

    topics = in_db(app, lambda s: {uid: topic for uid, topic in
                                   s.execute(select(Device.uid, Device.topic))})
    assert topics == {native: old_topic, ttn: ttn_topic}
    registry = DbRegistry(app_engine(app))
    for topic in (old_topic, native_topic("zwolle-nieuw", native)):
        assert registry.lookup(topic).uid == native, topic
    assert registry.lookup(ttn_topic).uid == ttn
    with pytest.raises(WrongPark):
        registry.lookup(native_topic("elders", native))
    assert runner.invoke(["mqtt-credentials", "--out", str(tmp_path)]).exit_code == 0
    assert (f"user {native}\ntopic write {native_topic('zwolle-nieuw', native)}\n"
            f"topic write {old_topic}\n") in (tmp_path / "acl").read_text()


def test_backfill_stores_a_reading_per_interval_for_every_format(app, park):
    """Tasmota and sensor.community messages carry no time: the simulated time stamps them."""
    uids = [register(app, park, "rt-weather", "native", WEATHER, 600),
            register(app, park, "rt-plug", "tasmota", TASMOTA, 600, topic="tele/rt-plug/SENSOR"),
            register(app, park, "rt-pm", "sensor_community", PM, 600)]
    engine = app_engine(app)
    stored = backfill(engine, simulated_devices(engine), 0.25)  # 6 hours: 36 reports each
    assert stored == count(app, Reading)
    for uid in uids:
        assert len({ts for _field, ts, _value in readings(app, uid)}) == 36, uid
    first = in_db(app, lambda s: s.scalar(select(func.min(Reading.ts))))
    assert first.replace(tzinfo=UTC) >= datetime.now(UTC) - timedelta(hours=6, minutes=1)
    assert dead_letters(app) == []
