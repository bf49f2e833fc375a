"""From received messages to one batch: readings and dead letters in arrival order."""

from __future__ import annotations

import threading

import pytest

from sensors.model import DeadLetter
from sensors.pipeline import BatchQueue, Incoming, build_batch, decode_message
from tests.sensors.mqtt_fakes import EPOCH, FakeRegistry, device, seq_decoder, seq_of, seq_payload

METER = device("meter-1", number=1)


def incoming(seq: int, topic: str = METER.topic, **extra) -> Incoming:
    return Incoming(topic, seq_payload(seq, **extra), mid=seq + 1, qos=1, received_at=EPOCH)


def test_batch_keeps_arrival_order_and_parks_bad_messages():
    messages = [incoming(3), incoming(1, bad=True), incoming(2), incoming(4, "dsmr/unknown")]
    batch = build_batch(messages, FakeRegistry(METER), seq_decoder)
    assert [seq_of(r) for r in batch.readings] == [3, 2]
    assert [d.reason_code for d in batch.dead_letters] == ["out_of_range", "unknown_device"]
    assert len(batch) == 4


@pytest.mark.parametrize(("message", "code", "device_id", "says"), [
    (incoming(1, bad=True), "out_of_range", 1, "out of range"),
    (incoming(1, crash=True), "internal_error", 1, "ZeroDivisionError: division by zero"),
    (incoming(1, "tele/x/SENSOR"), "unknown_device", None, "tele/x/SENSOR"),
    (Incoming(METER.topic, b"{not json", 1, 1, EPOCH), "internal_error", 1, "JSONDecodeError"),
])
def test_each_failure_becomes_a_dead_letter_with_its_reason(message, code, device_id, says):
    letter = decode_message(message, FakeRegistry(METER), seq_decoder)
    assert isinstance(letter, DeadLetter)
    assert (letter.reason_code, letter.device_id) == (code, device_id)
    assert says in letter.reason
    assert (letter.topic, letter.payload, letter.received_at) == (
        message.topic, message.payload, EPOCH)
    assert letter.park_id == (METER.park_id if device_id else None)


def test_a_failing_registry_is_an_internal_error_not_a_crash():
    class BrokenRegistry(FakeRegistry):
        def lookup(self, topic):
            raise RuntimeError("database connection lost")

    letter = decode_message(incoming(1), BrokenRegistry(), seq_decoder)
    assert letter.reason_code == "internal_error"
    assert "database connection lost" in letter.reason


def _queue_of(count: int) -> BatchQueue:
    batches = BatchQueue()
    for seq in range(count):
        batches.put(incoming(seq))
    return batches


def test_queue_hands_out_batches_of_at_most_the_batch_size_in_order():
    batches, stopping = _queue_of(25), threading.Event()
    taken = [batches.take(10, 0.01, stopping) for _ in range(4)]
    assert [len(batch) for batch in taken] == [10, 10, 5, 0]
    assert [m.mid for batch in taken for m in batch] == list(range(1, 26))


def test_queue_closes_a_partial_batch_when_its_interval_is_over():
    batches = _queue_of(3)
    assert [m.mid for m in batches.take(500, 0.05, threading.Event())] == [1, 2, 3]


def test_queue_stops_collecting_when_asked_and_drains_the_rest():
    batches, stopping = _queue_of(5), threading.Event()
    stopping.set()
    assert len(batches.take(500, 60.0, stopping)) == 1
    assert [m.mid for m in batches.drain()] == [2, 3, 4, 5]
    assert len(batches) == 0
