"""End to end: devices registered in the web app, a real mosquitto, the ingest, the database.

Devices are registered through the service layer (create_device), messages travel through a
real mosquitto, and make_ingestor() commits them to the test database (SQLite or PostgreSQL).
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sensors.broker import HOST, free_port, mosquitto_user
from sensors.mosquitto import native_topic, password_hash, write_config
from tests.conftest import count
from tests.sensors.mqtt_fakes import wait_until
from tests.webapp.device_helpers import readings, register_device, sensor_id
from tests.webapp.sensor_e2e_support import (
    dead_letters,
    device_accounts,
    publish,
    reading_count,
    rollup_totals,
)
from webapp.models import DeadLetter, Reading

pytest_plugins = ["tests.webapp.sensor_fixtures"]  # mosquitto, start_mosquitto, run_ingest

NOW = datetime.now(UTC).replace(microsecond=0)
# A quarter-hour boundary a day ago: a numbered sequence of 500 s fills one 15-minute bucket.
BASE = NOW.replace(minute=NOW.minute // 15 * 15, second=0) - timedelta(days=1)
MOMENT = NOW - timedelta(minutes=10)
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def native(seq: int, *, value: object = None, unit: str = "W", field: str = "power") -> bytes:
    """A native message at BASE + *seq* seconds; by default its value is *seq* W."""
    moment = BASE + timedelta(seconds=seq)
    entry = {"field": field, "value": seq if value is None else value, "unit": unit}
    return json.dumps({"ts": moment.isoformat(), "seq": seq, "values": [entry]}).encode()


@pytest.fixture
def park_a(make_park):
    return make_park(slug="park-a", name="Park A")


@pytest.fixture
def park_b(make_park):
    return make_park(slug="park-b", name="Park B")


# -- nothing lost, nothing doubled -------------------------------------------------------------


def test_numbered_sequence_across_a_broker_restart_is_stored_exactly_once(
        app, mosquitto, run_ingest, park_a):
    uid, _ = register_device(app, park_a, uid="meter-a")
    topic = native_topic("park-a", uid)
    ingestor = run_ingest(mosquitto.url, batch_size=50)
    assert publish(mosquitto.url, [(topic, native(n)) for n in range(300)]) == 300
    wait_until(lambda: reading_count(app, uid) >= 50, what="the first batches")
    mosquitto.restart()  # while the ingest still works through the first part
    assert publish(mosquitto.url, [(topic, native(n)) for n in range(300, 500)]) == 200
    wait_until(lambda: reading_count(app, uid) == 500, timeout=60, what="all 500 readings")

    stored = readings(app, uid)
    assert [(ts, value) for _field, ts, value in stored] == [
        (BASE + timedelta(seconds=n), pytest.approx(n / 1000)) for n in range(500)]
    assert ingestor.stats.connects == 2
    assert dead_letters(app) == []
    total, summed = rollup_totals(app, sensor_id(app, uid, "power"), "15m")
    assert total == 500
    assert summed == pytest.approx(sum(range(500)) / 1000)


# -- real-world formats --------------------------------------------------------------------------

TTN_TOPIC = "v3/werklandschap-park-a@ttn/devices/peilbuis-a/up"
TTN_UPLINK = {
    "end_device_ids": {"device_id": "peilbuis-a",
                       "application_ids": {"application_id": "werklandschap-park-a"}},
    "received_at": (MOMENT + timedelta(seconds=1)).isoformat().replace("+00:00", ".123456789Z"),
    "uplink_message": {
        "f_port": 2, "f_cnt": 1187, "frm_payload": "BNIBVQ4Q",
        "decoded_payload": {"water_level": 1234, "battery_voltage": 3.61,
                            "air": {"temperature": 8.5, "humidity": 91}},
        "received_at": MOMENT.isoformat().replace("+00:00", ".000000000Z"),
    },
}
GAS_MOMENT = MOMENT - timedelta(minutes=5)
DSMR_TELEGRAM = {
    "id": 1843712, "timestamp": MOMENT.isoformat().replace("+00:00", "Z"),
    "electricity_delivered_1": "1234.567", "electricity_returned_2": "812.004",
    "electricity_currently_delivered": "0.456",
    "extra_device_timestamp": GAS_MOMENT.astimezone(AMSTERDAM).isoformat(),
    "extra_device_delivered": "2345.678",
}
TASMOTA = {"Time": MOMENT.astimezone(AMSTERDAM).replace(tzinfo=None).isoformat(),
           "ENERGY": {"Total": 123.456, "Power": 230, "Voltage": 231},
           "BME280": {"Temperature": 68.0, "Humidity": 45.0}, "TempUnit": "F"}
SENML = [
    {"bn": "urn:dev:mac:0024befffe804ff1:", "bt": MOMENT.timestamp(), "bu": "K", "n": "temp",
     "v": 294.65},
    {"n": "hum", "u": "%RH", "v": 45.5, "t": 1},
    {"n": "co2", "u": "ppm", "v": 650, "t": 2},
]

DEVICES = {  # uid: (park, format, topic, channels)
    "peilbuis-a": ("a", "ttn", TTN_TOPIC, (("water_level", "water_level", "mm"),
                                          ("air.temperature", "temperature", "°C"))),
    "p1-a": ("a", "dsmr", "dsmr/json", (
        ("electricity_delivered_1", "energy_import", "kWh"),
        ("electricity_currently_delivered", "power", "kW"),
        ("extra_device_delivered", "gas", "m³"))),
    "plug-b": ("b", "tasmota", "tele/plug-b/SENSOR", (
        ("ENERGY.Power", "power", "W"), ("ENERGY.Total", "energy_import", "kWh"),
        ("BME280.Temperature", "temperature", "°C"))),
    "klimaat-b": ("b", "senml", "senml/klimaat-b", (
        ("temp", "temperature", "°C"), ("hum", "humidity", "%"), ("co2", "co2", "ppm"))),
    "p1-b": ("b", "dsmr", "dsmr/reading/#", (("electricity_currently_delivered", "power",
                                             "kW"),)),
}
ARRIVAL = None  # stamped with the time the ingest received the message
EXPECTED = {  # uid: {field: (ts, canonical value)}
    "peilbuis-a": {"water_level": (MOMENT, 123.4), "air.temperature": (MOMENT, 8.5)},
    "p1-a": {"electricity_delivered_1": (MOMENT, 1234.567),
             "electricity_currently_delivered": (MOMENT, 0.456),
             "extra_device_delivered": (GAS_MOMENT, 2345.678)},
    "plug-b": {"ENERGY.Power": (MOMENT, 0.23), "ENERGY.Total": (MOMENT, 123.456),
               "BME280.Temperature": (MOMENT, 20.0)},  # Time: Amsterdam wall-clock time
    "klimaat-b": {"temp": (MOMENT, 21.5), "hum": (MOMENT + timedelta(seconds=1), 45.5),
                  "co2": (MOMENT + timedelta(seconds=2), 650.0)},
    "p1-b": {"electricity_currently_delivered": (ARRIVAL, 0.789)},
}
MESSAGES = [
    (TTN_TOPIC, json.dumps(TTN_UPLINK)),
    ("dsmr/json", json.dumps(DSMR_TELEGRAM)),
    ("tele/plug-b/SENSOR", json.dumps(TASMOTA)),
    ("senml/klimaat-b", json.dumps(SENML)),
    ("dsmr/reading/timestamp", "2026-11-22T09:00:00Z"),  # a field nobody maps: ignored quietly
    ("dsmr/reading/electricity_currently_delivered", "0.789"),
]


def test_external_formats_on_registered_topics_are_stored_in_canonical_units(
        app, mosquitto, run_ingest, park_a, park_b):
    parks = {"a": park_a, "b": park_b}
    for uid, (park, fmt, topic, channels) in DEVICES.items():
        register_device(app, parks[park], uid=uid, fmt=fmt, topic=topic, channels=channels)
    run_ingest(mosquitto.url)
    before = datetime.now(UTC)
    assert publish(mosquitto.url, MESSAGES) == len(MESSAGES)
    wait_until(lambda: all(reading_count(app, uid) == len(fields)
                           for uid, fields in EXPECTED.items()), what="every format stored")
    after = datetime.now(UTC)
    for uid, fields in EXPECTED.items():
        stored = {field: (ts, value) for field, ts, value in readings(app, uid)}
        assert set(stored) == set(fields), uid
        for field, (ts, value) in fields.items():
            assert stored[field][1] == pytest.approx(value), (uid, field)
            if ts is ARRIVAL:
                assert before <= stored[field][0] <= after, (uid, field)
            else:
                assert stored[field][0] == ts, (uid, field)
    assert dead_letters(app) == []


# -- rejected messages ---------------------------------------------------------------------------


@pytest.mark.parametrize(("topic", "payload", "code", "owner"), [
    ("werklandschap/park-a/meter-a/up", b'{"values": [', "invalid_json", "meter-a"),
    ("werklandschap/park-a/meter-a/up", native(1, value=1e999), "non_finite", "meter-a"),
    ("werklandschap/park-a/meter-a/up", native(1, value="veel"), "not_a_number", "meter-a"),
    ("werklandschap/park-a/meter-a/up", native(1, unit="kWh"), "wrong_unit", "meter-a"),
    ("werklandschap/park-a/meter-a/up", native(1, field="voltage"), "unmapped_field",
     "meter-a"),
    ("werklandschap/park-a/nobody/up", native(1), "unknown_device", None),
])
def test_bad_message_becomes_a_dead_letter_and_the_next_one_is_stored(
        app, mosquitto, run_ingest, park_a, topic, payload, code, owner):
    uid, _ = register_device(app, park_a, uid="meter-a")
    run_ingest(mosquitto.url)
    good = (native_topic("park-a", uid), native(2))
    assert publish(mosquitto.url, [(topic, payload), good]) == 2
    wait_until(lambda: reading_count(app, uid) == 1, what="the good message after the bad one")
    park_id = park_a.id if owner else None
    assert dead_letters(app) == [(code, topic, owner, park_id)]
    assert [value for _f, _ts, value in readings(app, uid)] == [pytest.approx(0.002)]


def test_device_publishing_under_another_park_is_refused_as_wrong_park(
        app, mosquitto, run_ingest, park_a, park_b):
    uid, _ = register_device(app, park_a, uid="meter-a")
    register_device(app, park_b, uid="meter-b")
    run_ingest(mosquitto.url)
    foreign = ("werklandschap/park-b/meter-a/up", native(1))
    sentinel = (native_topic("park-b", "meter-b"), native(2))
    assert publish(mosquitto.url, [foreign, sentinel]) == 2  # the anonymous broker takes all
    wait_until(lambda: reading_count(app, "meter-b") == 1, what="the sentinel reading")
    assert reading_count(app, uid) == 0
    assert dead_letters(app) == [("wrong_park", foreign[0], uid, park_a.id)]


def test_broker_with_generated_acls_refuses_a_device_outside_its_park(
        app, start_mosquitto, run_ingest, park_a, park_b, tmp_path):
    uid, secret = register_device(app, park_a, uid="meter-a")
    register_device(app, park_b, uid="meter-b")
    port = free_port()
    paths = write_config(tmp_path / "acl-broker", device_accounts(app),
                         {"ingest": password_hash("pw-ingest")}, ingest_user="ingest",
                         port=port, bind_address=HOST, run_as_user=mosquitto_user())
    broker = start_mosquitto(paths["conf"], port)
    run_ingest(broker.url_as("ingest", "pw-ingest"))
    as_device = broker.url_as(uid, secret)
    refused = [("werklandschap/park-b/meter-a/up", native(1)),
               (native_topic("park-b", "meter-b"), native(2))]
    assert publish(as_device, refused) == 0
    assert publish(as_device, [(native_topic("park-a", uid), native(3))]) == 1
    wait_until(lambda: reading_count(app, uid) == 1, what="meter-a's own reading")
    assert count(app, Reading) == 1
    assert count(app, DeadLetter) == 0


# -- the registry follows the database -----------------------------------------------------------


@pytest.mark.parametrize(("fmt", "topic", "channels", "payload"), [
    ("native", None, (("power", "power", "kW"),), native(5)),
    # A topic outside the default subscriptions: the ingest must subscribe to it as well.
    ("dsmr", "meters/hal-7/p1", (("electricity_currently_delivered", "power", "kW"),),
     json.dumps({"electricity_currently_delivered": "1.5"}).encode()),
])
def test_device_registered_while_the_ingest_runs_is_picked_up(
        app, mosquitto, run_ingest, park_b, fmt, topic, channels, payload):
    run_ingest(mosquitto.url, refresh_interval=0.2)
    uid, _ = register_device(app, park_b, uid="late-b", fmt=fmt, topic=topic,
                             channels=channels)
    time.sleep(1.0)  # five registry refreshes
    assert publish(mosquitto.url, [(topic or native_topic("park-b", uid), payload)]) == 1
    wait_until(lambda: reading_count(app, uid) == 1, timeout=10, what="the new device's reading")
    assert dead_letters(app) == []
