"""The demo's embedded broker: mosquitto when installed, amqtt otherwise."""

from __future__ import annotations

import socket

import pytest

from sensors.broker import free_port, start_embedded_broker, wait_for_port
from tests.sensors.mqtt_fakes import FakeRegistry, MemorySink, device, wait_until
from tests.sensors.test_ingest import publish_seqs

METER = device("meter-1")


def test_free_port_can_be_bound():
    port = free_port()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))
    assert 1024 <= port <= 65535


def _round_trip(broker, make_ingestor) -> MemorySink:
    """Ingest 50 messages through *broker*; the ingest stops before the broker, as in the demo."""
    sink = MemorySink()
    ingestor = make_ingestor(broker.url, FakeRegistry(METER), sink,
                             mqtt_version=broker.mqtt_version)
    publish_seqs(broker.url, range(50))  # MQTT 5 first; falls back to 3.1.1 on amqtt
    wait_until(lambda: len(sink.readings) == 50, what="messages through the embedded broker")
    ingestor.stop()
    return sink


def test_embedded_mosquitto_carries_messages_and_persists(
        mosquitto_executable, make_ingestor, tmp_path):
    with start_embedded_broker(tmp_path / "mqtt") as broker:
        assert (broker.kind, broker.mqtt_version) == ("mosquitto", "5")
        assert _round_trip(broker, make_ingestor).seqs() == set(range(50))
    assert not wait_for_port(broker.port, timeout=0.5)
    assert (tmp_path / "mqtt" / "mosquitto.db").exists()


def test_amqtt_fallback_carries_messages(make_ingestor, tmp_path):
    broker = start_embedded_broker(tmp_path, prefer_mosquitto=False)
    try:
        assert (broker.kind, broker.mqtt_version) == ("amqtt", "3.1.1")
        assert _round_trip(broker, make_ingestor).seqs() == set(range(50))
    finally:
        broker.stop()
    assert not wait_for_port(broker.port, timeout=0.5)


@pytest.mark.parametrize("prefer_mosquitto", [True, False])
def test_start_fails_clearly_when_the_port_is_taken(tmp_path, prefer_mosquitto, request):
    if prefer_mosquitto:
        request.getfixturevalue("mosquitto_executable")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        with pytest.raises(RuntimeError, match="did not start"):
            start_embedded_broker(tmp_path, sock.getsockname()[1],
                                  prefer_mosquitto=prefer_mosquitto)


def test_stop_twice_is_harmless(mosquitto_executable, tmp_path):
    broker = start_embedded_broker(tmp_path)
    broker.stop()
    broker.stop()
    assert not wait_for_port(broker.port, timeout=0.5)
