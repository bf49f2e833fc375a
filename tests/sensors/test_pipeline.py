"""From received messages to one batch: readings and dead letters in arrival order."""

from __future__ import annotations

import threading

import pytest

from sensors.model import DeadLetter
from sensors.pipeline import (
    BatchQueue,
    BatchStore,
    Incoming,
    IngestStats,
    build_batch,
    decode_all,
    decode_message,
)
from tests.sensors.mqtt_fakes import (
    EPOCH,
    FakeRegistry,
    MemorySink,
    device,
    seq_decoder,
    seq_of,
    seq_payload,
)

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


# -- storing: retries, and one message that can never be stored --------------------------------


class Waits:
    """The store's pause between attempts: records each delay; "stop" after *stop_after*."""

    def __init__(self, stop_after: int | None = None):
        self.delays: list[float] = []
        self.stop_after = stop_after

    def __call__(self, delay: float) -> bool:
        self.delays.append(delay)
        return self.stop_after is not None and len(self.delays) >= self.stop_after


def store(sink: MemorySink, messages: list[Incoming], waits: Waits | None = None):
    """(done, stats, waits) after storing *messages* through *sink* with 1 s..4 s backoff."""
    waits = waits or Waits()
    stats = IngestStats()
    parts = decode_all(messages, FakeRegistry(METER), seq_decoder)
    done = BatchStore(sink, stats, waits, retry_min=1.0, retry_max=4.0).store(parts)
    return done, stats, waits


def test_decode_all_keeps_each_message_apart_with_its_device():
    messages = [incoming(1), incoming(2, bad=True), incoming(3, "tele/x/SENSOR")]
    parts = decode_all(messages, FakeRegistry(METER), seq_decoder)
    assert [part.message for part in parts] == messages
    assert [part.device for part in parts] == [METER, METER, None]
    assert [len(part.batch.readings) for part in parts] == [1, 0, 0]
    assert [len(part.batch.dead_letters) for part in parts] == [0, 1, 1]


def test_a_healthy_batch_is_stored_in_one_transaction():
    sink = MemorySink()
    done, stats, waits = store(sink, [incoming(n) for n in range(3)])
    assert done and sink.calls == 1 and waits.delays == []
    assert (stats.batches, stats.stored) == (1, 3)


def test_a_message_that_cannot_be_stored_is_kept_as_a_dead_letter_and_the_rest_stored():
    sink = MemorySink()
    sink.poison = {3}
    messages = [incoming(1), incoming(2), incoming(3), incoming(4), incoming(5, bad=True)]
    done, stats, waits = store(sink, messages)
    assert done
    assert sink.seqs() == {1, 2, 4}
    assert [d.reason_code for d in sink.dead_letters] == ["store_failed", "out_of_range"]
    letter = sink.dead_letters[0]
    assert (letter.topic, letter.payload, letter.received_at) == (
        METER.topic, seq_payload(3), EPOCH)
    assert (letter.device_id, letter.park_id) == (METER.device_id, METER.park_id)
    assert "ValueError" in letter.reason and "NUL" in letter.reason
    assert "\x00" not in letter.reason
    assert waits.delays == [1.0, 2.0, 4.0]  # three tries of the whole batch first
    assert (stats.stored, stats.dead) == (3, 2)


def test_a_lone_message_that_cannot_be_stored_is_kept_as_a_dead_letter():
    sink = MemorySink()
    sink.poison = {3}
    done, _stats, _waits = store(sink, [incoming(3)])
    assert done and not sink.readings
    assert [d.reason_code for d in sink.dead_letters] == ["store_failed"]


def test_while_the_database_is_down_nothing_is_given_up_or_parked():
    sink = MemorySink()
    sink.fail_next(10**6)
    done, stats, waits = store(sink, [incoming(n) for n in range(3)], Waits(stop_after=12))
    assert not done  # stopped while still retrying: nothing may be acknowledged
    assert not sink.readings and not sink.dead_letters
    assert waits.delays == [1.0, 2.0] + [4.0] * 10
    assert stats.store_failures == sink.calls > 12


def test_an_outage_in_the_middle_neither_doubles_nor_loses_anything():
    sink = MemorySink()
    sink.poison = {2}
    # calls 1-3: the whole batch; 4: message 1 (stored); 5-6: message 2; 7: its dead letter
    # falls in the outage, so the rest is tried again later, without message 1.
    sink.outage = {7, 8, 9, 10}
    done, _stats, _waits = store(sink, [incoming(1), incoming(2), incoming(3)])
    assert done
    assert sink.seqs() == {1, 3} and sink.duplicates == 0
    assert [(d.reason_code, d.payload) for d in sink.dead_letters] == [
        ("store_failed", seq_payload(2))]
