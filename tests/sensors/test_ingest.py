"""The MQTT ingest against a real mosquitto: nothing lost, nothing doubled, bad input parked.

Every test publishes numbered messages ({"seq": n}) for fake devices and checks what the sink
holds; the sink keeps readings unique on (sensor, ts) like the real store.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sensors.broker import free_port
from sensors.ingest import (
    DEFAULT_TOPICS,
    BrokerAddress,
    IngestSettings,
    PublishError,
    close_publisher,
    connect_properties,
    make_publisher,
    publish_all,
    subscription_filters,
)
from sensors.model import ChannelSpec, Reading
from tests.sensors.mqtt_fakes import (
    FakeRegistry,
    MemorySink,
    device,
    read_sqlite,
    seq_payload,
    wait_until,
)

REPO = Path(__file__).resolve().parents[2]
METER = device("meter-1")


def publish_seqs(url: str, seqs, topic: str = METER.topic, client_id: str = "test-pub",
                 mqtt_version: str = "5", **extra) -> int:
    """Publish {"seq": n} for every n in *seqs* with QoS 1; returns how many the broker took."""
    publisher = make_publisher(url, client_id, mqtt_version=mqtt_version)
    try:
        return publish_all(publisher, [(topic, seq_payload(n, **extra)) for n in seqs])
    finally:
        close_publisher(publisher)


# -- settings -------------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "expected"), [
    ("mqtt://127.0.0.1:1883", BrokerAddress("127.0.0.1", 1883)),
    ("mqtt://broker", BrokerAddress("broker", 1883)),
    ("mqtts://broker", BrokerAddress("broker", 8883, tls=True)),
    ("mqtt://ingest:s%40cret@mq.example.nl:1884",
     BrokerAddress("mq.example.nl", 1884, "ingest", "s@cret")),
])
def test_broker_address_from_url(url, expected):
    assert BrokerAddress.from_url(url) == expected


@pytest.mark.parametrize("url", ["http://broker", "broker:1883", ""])
def test_broker_address_refuses_other_schemes(url):
    with pytest.raises(ValueError):
        BrokerAddress.from_url(url)


def test_subscriptions_use_the_shared_group_and_the_registry_topics():
    settings = IngestSettings(shared_group="workers", topics=("a/+", "b/#"))
    assert subscription_filters(settings, ["c/d", "a/+"]) == [
        "$share/workers/a/+", "$share/workers/b/#", "$share/workers/c/d"]
    assert subscription_filters(IngestSettings()) == list(DEFAULT_TOPICS)


def test_mqtt5_session_outlives_the_connection():
    properties = connect_properties(IngestSettings(session_expiry=3600, batch_size=400))
    assert properties.SessionExpiryInterval == 3600
    assert properties.ReceiveMaximum == 800
    assert connect_properties(IngestSettings(mqtt_version="3.1.1")) is None


def test_publisher_reports_an_unreachable_broker():
    with pytest.raises(PublishError, match="cannot reach"):
        make_publisher(f"mqtt://127.0.0.1:{free_port()}", "lonely-pub", timeout=2)


# -- against a real broker --------------------------------------------------------------------


def test_numbered_sequence_survives_a_broker_restart(mosquitto, make_ingestor):
    sink = MemorySink(delay=0.1)
    ingestor = make_ingestor(mosquitto.url, FakeRegistry(METER), sink, batch_size=100)
    publisher = make_publisher(mosquitto.url, "restart-pub")
    publish_all(publisher, [(METER.topic, seq_payload(n)) for n in range(1000)])
    wait_until(lambda: len(sink.readings) >= 200, what="first batches")
    mosquitto.restart()
    stored_at_restart = len(sink.readings)
    publish_all(publisher, [(METER.topic, seq_payload(n)) for n in range(1000, 2000)])
    close_publisher(publisher)
    wait_until(lambda: sink.seqs() == set(range(2000)), what="all 2,000 readings")
    assert stored_at_restart < 1000  # the restart really came mid-stream
    assert ingestor.stats.connects == 2
    assert len(sink.readings) == 2000


def _start_runner(url: str, db: Path, log: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "tests.sensors.ingest_runner", "--url", url,
               "--db", str(db), "--batch-size", "100", "--delay", "0.05"]
    with log.open("ab") as out:
        process = subprocess.Popen(command, cwd=REPO, stdout=out, stderr=subprocess.STDOUT)
    wait_until(lambda: db.with_suffix(".ready").exists() or process.poll() is not None,
               what="ingest process to subscribe")
    assert process.poll() is None, log.read_text()
    return process


def test_numbered_sequence_survives_sigkill_of_the_ingest_process(mosquitto, tmp_path):
    db, log = tmp_path / "readings.sqlite", tmp_path / "runner.log"
    first = _start_runner(mosquitto.url, db, log)
    try:
        publish_seqs(mosquitto.url, range(2000))
        wait_until(lambda: len(read_sqlite(db)[0]) >= 400, what="first batches stored")
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    stored_at_kill = len(read_sqlite(db)[0])
    db.with_suffix(".ready").unlink()
    second = _start_runner(mosquitto.url, db, log)
    try:
        wait_until(lambda: len(read_sqlite(db)[0]) == 2000, what="all 2,000 rows")
    finally:
        second.send_signal(signal.SIGTERM)
        assert second.wait(30) == 0
    seqs, deliveries = read_sqlite(db)
    assert stored_at_kill < 2000  # killed mid-stream
    assert seqs == list(range(2000))
    assert deliveries >= 2000


@pytest.mark.parametrize("mqtt_version", ["5", "3.1.1"])
def test_backlog_published_while_the_ingest_is_down_arrives_later(
        mosquitto, make_ingestor, mqtt_version):
    registry, sink = FakeRegistry(METER), MemorySink()
    make_ingestor(mosquitto.url, registry, sink, mqtt_version=mqtt_version).stop()
    # more than mosquitto's default max_queued_messages (1,000), which would drop the rest
    publish_seqs(mosquitto.url, range(3000))
    make_ingestor(mosquitto.url, registry, sink, mqtt_version=mqtt_version)
    wait_until(lambda: len(sink.readings) == 3000, what="the whole backlog")
    assert sink.seqs() == set(range(3000))


@pytest.mark.parametrize(("topic", "extra", "code", "says"), [
    (METER.topic, {"bad": True}, "out_of_range", "out of range"),
    (METER.topic, {"crash": True}, "internal_error", "ZeroDivisionError"),
    ("werklandschap/park-a/ghost/up", {}, "unknown_device", "werklandschap/park-a/ghost/up"),
])
def test_rejected_message_is_acked_as_dead_letter_and_ingest_goes_on(
        mosquitto, make_ingestor, topic, extra, code, says):
    registry, sink = FakeRegistry(METER), MemorySink()
    first = make_ingestor(mosquitto.url, registry, sink)
    publish_seqs(mosquitto.url, [1], topic=topic, **extra)
    publish_seqs(mosquitto.url, [2])
    wait_until(lambda: 2 in sink.seqs(), what="the good message after the bad one")
    [letter] = sink.dead_letters
    assert (letter.reason_code, letter.topic) == (code, topic)
    assert says in letter.reason
    assert letter.payload == seq_payload(1, **extra)
    assert letter.device_id == (METER.device_id if topic == METER.topic else None)
    first.stop()
    make_ingestor(mosquitto.url, registry, sink)
    publish_seqs(mosquitto.url, [3])
    wait_until(lambda: 3 in sink.seqs(), what="a message on the new connection")
    assert len(sink.dead_letters) == 1  # acknowledged: the broker did not deliver it again
    assert sink.seqs() == {2, 3}


def test_nothing_is_acked_until_the_sink_recovers(mosquitto, make_ingestor):
    sink = MemorySink()
    sink.fail_next(10**6)
    ingestor = make_ingestor(mosquitto.url, FakeRegistry(METER), sink, batch_size=100)
    publish_seqs(mosquitto.url, range(500))
    # long enough to try the messages one by one too: even a dead letter cannot be stored
    wait_until(lambda: sink.calls >= 15, what="retries of the failing store")
    assert ingestor.stats.acked == 0
    sink.fail_next(0)
    wait_until(lambda: len(sink.readings) == 500, what="everything after recovery")
    assert sink.seqs() == set(range(500))
    assert sink.duplicates == 0
    assert sink.dead_letters == []  # an outage parks nothing as "store_failed"
    wait_until(lambda: ingestor.stats.acked == 500, what="the acknowledgements")


@pytest.mark.parametrize("seqs", [range(10), [5]], ids=["in-a-batch", "alone"])
def test_a_message_the_database_refuses_cannot_stall_the_ingest(mosquitto, make_ingestor, seqs):
    registry, sink = FakeRegistry(METER), MemorySink()
    sink.poison = {5}  # e.g. PostgreSQL refusing a NUL character in its text
    ingestor = make_ingestor(mosquitto.url, registry, sink, batch_size=100, batch_interval=0.5)
    publish_seqs(mosquitto.url, seqs)
    wait_until(lambda: sink.dead_letters, what="the refused message parked as a dead letter")
    wait_until(lambda: ingestor.stats.acked == len(seqs), what="every message acknowledged")
    assert sink.seqs() == set(seqs) - {5}
    [letter] = sink.dead_letters
    assert (letter.reason_code, letter.payload) == ("store_failed", seq_payload(5))
    assert "ValueError" in letter.reason and "\x00" not in letter.reason
    publish_seqs(mosquitto.url, [100])
    wait_until(lambda: 100 in sink.seqs(), what="the next message")
    ingestor.stop()
    later = MemorySink()
    make_ingestor(mosquitto.url, registry, later)
    publish_seqs(mosquitto.url, [200])
    wait_until(lambda: 200 in later.seqs(), what="a message on the new connection")
    assert later.seqs() == {200} and not later.dead_letters  # nothing was left unacknowledged


def test_unacked_batch_stays_with_the_broker_when_ingest_stops_during_an_outage(
        mosquitto, make_ingestor):
    registry, broken, healthy = FakeRegistry(METER), MemorySink(), MemorySink()
    broken.fail_next(10**6)
    failing = make_ingestor(mosquitto.url, registry, broken)
    publish_seqs(mosquitto.url, range(200))
    wait_until(lambda: broken.calls >= 2, what="a failed store")
    failing.stop()
    assert failing.stats.acked == 0
    make_ingestor(mosquitto.url, registry, healthy)
    wait_until(lambda: len(healthy.readings) == 200, what="redelivery to the next ingest")
    assert healthy.seqs() == set(range(200))


def test_stop_stores_and_acks_what_was_received(mosquitto, make_ingestor):
    registry, sink = FakeRegistry(METER), MemorySink()
    ingestor = make_ingestor(mosquitto.url, registry, sink, batch_size=10_000,
                             batch_interval=60.0)
    publish_seqs(mosquitto.url, range(300))
    wait_until(lambda: ingestor.stats.received == 300, what="all messages queued")
    ingestor.stop()
    assert sink.seqs() == set(range(300))
    assert ingestor.stats.acked == 300
    later = MemorySink()
    make_ingestor(mosquitto.url, registry, later)
    publish_seqs(mosquitto.url, [1000])
    wait_until(lambda: 1000 in later.seqs(), what="the next message")
    # Under heavy load Mosquitto 2.0 has (rarely, in CI) resent a tail of messages that were
    # acknowledged just before the clean disconnect. A resend is harmless - readings are unique
    # on (sensor, time) - so the guarantee tested is: nothing lost, nothing unexpected.
    assert later.seqs() <= set(range(300)) | {1000}


def test_shared_subscription_splits_the_stream_without_overlap(mosquitto, make_ingestor):
    registry, sink_a, sink_b = FakeRegistry(METER), MemorySink(), MemorySink()
    make_ingestor(mosquitto.url, registry, sink_a, client_id="ingest-a", shared_group="workers")
    make_ingestor(mosquitto.url, registry, sink_b, client_id="ingest-b", shared_group="workers")
    publish_seqs(mosquitto.url, range(1000))
    wait_until(lambda: len(sink_a.readings) + len(sink_b.readings) >= 1000, what="all messages")
    seqs_a, seqs_b = sink_a.seqs(), sink_b.seqs()
    assert seqs_a and seqs_b
    assert not seqs_a & seqs_b
    assert seqs_a | seqs_b == set(range(1000))


def test_devices_registered_later_are_picked_up_on_refresh(mosquitto, make_ingestor):
    registry, sink = FakeRegistry(METER), MemorySink()
    native = device("meter-2", number=2)
    custom = device("meter-3", number=3, topic="custom/meter-3/state")
    make_ingestor(mosquitto.url, registry, sink, refresh_interval=0.1,
                  extra_topics=registry.topics)
    publish_seqs(mosquitto.url, [1], topic=native.topic)
    wait_until(lambda: sink.dead_letters, what="the unknown device's dead letter")
    refreshes = registry.refreshes
    registry.add_later(native)
    registry.add_later(custom)
    wait_until(lambda: registry.refreshes > refreshes, what="a registry refresh")
    counter = itertools.count(10)

    def arrived(spec) -> bool:
        publish_seqs(mosquitto.url, [next(counter)], topic=spec.topic)
        time.sleep(0.1)
        return any(key[0] == spec.device_id for key in sink.readings)

    wait_until(lambda: arrived(native), what="the new native device's reading")
    wait_until(lambda: arrived(custom), what="the reading on a newly subscribed topic")
    assert [d.reason_code for d in sink.dead_letters] == ["unknown_device"]


def test_default_decoder_reads_the_native_format(mosquitto, make_ingestor):
    power = ChannelSpec(sensor_id=7, field="power", quantity="power", unit="kW")
    meter = dataclasses.replace(device("meter-7", number=7), channels=(power,))
    sink = MemorySink()
    make_ingestor(mosquitto.url, FakeRegistry(meter), sink, decoder=None)
    good = {"ts": "2024-06-01T12:00:00+02:00", "values": [
        {"field": "power", "value": 1500, "unit": "W"}]}
    absurd = {"ts": "2024-06-01T12:15:00+02:00", "values": [
        {"field": "power", "value": 9e9, "unit": "kW"}]}
    publisher = make_publisher(mosquitto.url, "native-pub")
    publish_all(publisher, [(meter.topic, json.dumps(m)) for m in (absurd, good)])
    close_publisher(publisher)
    wait_until(lambda: sink.readings, what="the native reading")
    assert list(sink.readings.values()) == [
        Reading(7, datetime(2024, 6, 1, 10, 0, tzinfo=UTC), 1.5)]
    assert [d.reason_code for d in sink.dead_letters] == ["out_of_range"]
