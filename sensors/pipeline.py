"""From received MQTT messages to stored batches (no MQTT here; storage through a Sink).

The ingest client hands the messages it receives to :func:`decode_all`; whatever goes wrong
with one message becomes a dead letter with a reason, so a bad message never stops the rest.
:class:`BatchStore` then stores them, retrying until they are durable, and keeps a message the
database refuses outright as a ``store_failed`` dead letter, so it cannot block the others.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sensors.model import Batch, DeadLetter, DeviceRegistry, DeviceSpec, Reading, Rejection, Sink
from sensors.validate import plain_text, shown

log = logging.getLogger(__name__)

Decoder = Callable[[str, bytes, DeviceSpec, datetime], list[Reading]]

# Tries of a whole batch before its messages are stored one by one, and tries of one message
# before it is kept as a "store_failed" dead letter instead.
STORE_ATTEMPTS = 3
MESSAGE_ATTEMPTS = 2


@dataclass(frozen=True)
class Incoming:
    """One received message, as the network thread queued it.

    *session* numbers the broker connection it arrived on: a message may only be acknowledged
    on that same connection (after a reconnect the broker redelivers it instead).
    """

    topic: str
    payload: bytes
    mid: int
    qos: int
    received_at: datetime
    session: int = 0


@dataclass
class IngestStats:
    """Running counters of one ingest worker."""

    received: int = 0
    readings: int = 0
    stored: int = 0
    dead: int = 0
    batches: int = 0
    acked: int = 0
    store_failures: int = 0
    connects: int = 0
    skipped: int = 0  # received on a lost connection; the broker delivers them again


class BatchQueue:
    """Messages waiting for the worker; taken in batches by size or by time."""

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[Incoming] = queue.SimpleQueue()

    def put(self, item: Incoming) -> None:
        """Queue *item*; never blocks."""
        self._queue.put(item)

    def take(self, size: int, interval: float, stopping: threading.Event) -> list[Incoming]:
        """Up to *size* items, waiting at most *interval* after the first; [] after 0.1 s idle."""
        try:
            items = [self._queue.get(timeout=0.1)]
        except queue.Empty:
            return []
        deadline = time.monotonic() + interval
        while len(items) < size and not stopping.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            try:  # short slices, so that a stop is never kept waiting a whole interval
                items.append(self._queue.get(timeout=min(remaining, 0.1)))
            except queue.Empty:
                continue
        return items

    def drain(self) -> list[Incoming]:
        """Everything queued right now."""
        items: list[Incoming] = []
        while True:
            try:
                items.append(self._queue.get_nowait())
            except queue.Empty:
                return items

    def __len__(self) -> int:
        return self._queue.qsize()


def default_decoder() -> Decoder:
    """sensors.formats.decode, imported on first use."""
    from sensors.formats import decode

    return decode


@dataclass
class Decoded:
    """One message's share of a batch, with its device (None when no device was found)."""

    message: Incoming
    batch: Batch = field(default_factory=Batch)
    device: DeviceSpec | None = None


def decode_all(
    messages: Iterable[Incoming], registry: DeviceRegistry, decoder: Decoder
) -> list[Decoded]:
    """Decode *messages*, each into its own readings or dead letter, in arrival order."""
    return [decode_one(message, registry, decoder) for message in messages]


def merged(parts: Iterable[Decoded]) -> Batch:
    """One batch holding the readings and dead letters of *parts*, in order."""
    batch = Batch()
    for part in parts:
        batch.readings.extend(part.batch.readings)
        batch.dead_letters.extend(part.batch.dead_letters)
    return batch


def build_batch(messages: Iterable[Incoming], registry: DeviceRegistry, decoder: Decoder) -> Batch:
    """Decode *messages* in arrival order into readings and dead letters."""
    return merged(decode_all(messages, registry, decoder))


def decode_message(
    message: Incoming, registry: DeviceRegistry, decoder: Decoder
) -> list[Reading] | DeadLetter:
    """The readings in one message, or the dead letter explaining why there are none."""
    batch = decode_one(message, registry, decoder).batch
    return batch.dead_letters[0] if batch.dead_letters else batch.readings


def decode_one(message: Incoming, registry: DeviceRegistry, decoder: Decoder) -> Decoded:
    """One message decoded: its readings, or a dead letter, with its device when known."""
    device = _lookup(message, registry)
    if isinstance(device, DeadLetter):
        return Decoded(message, Batch(dead_letters=[device]))
    outcome = _decode(message, device, decoder)
    if isinstance(outcome, DeadLetter):
        return Decoded(message, Batch(dead_letters=[outcome]), device)
    return Decoded(message, Batch(readings=outcome), device)


def decode_for_device(device: DeviceSpec, topic: str, payload: bytes, received_at: datetime,
                      decoder: Decoder | None = None) -> Batch:
    """One message of an already known device (HTTP ingest, simulator backfill): its readings,
    or a dead letter saying why not, exactly as the MQTT ingest would decide."""
    message = Incoming(topic, payload, mid=0, qos=0, received_at=received_at)
    outcome = _decode(message, device, decoder or default_decoder())
    if isinstance(outcome, DeadLetter):
        return Batch(dead_letters=[outcome])
    return Batch(readings=outcome)


def _lookup(message: Incoming, registry: DeviceRegistry) -> DeviceSpec | DeadLetter:
    try:
        device = registry.lookup(message.topic)
    except Rejection as rejection:  # e.g. wrong_park: a device publishing under another park
        return dead_letter(message, rejection.code, rejection.message,
                           getattr(rejection, "device", None))
    except Exception as exc:  # a registry bug must not stop the ingest
        log.exception("device lookup failed for %s", message.topic)
        return dead_letter(message, "internal_error", f"device lookup failed: {exc}")
    if device is None:
        return dead_letter(message, "unknown_device", f"no device registered for {message.topic}")
    return device


def _decode(message: Incoming, device: DeviceSpec, decoder: Decoder) -> list[Reading] | DeadLetter:
    try:
        return list(decoder(message.topic, message.payload, device, message.received_at))
    except Rejection as rejection:
        return dead_letter(message, rejection.code, rejection.message, device)
    except Exception as exc:
        log.exception("decoder failed on %s", message.topic)
        return dead_letter(message, "internal_error", f"{type(exc).__name__}: {exc}", device)


def dead_letter(
    message: Incoming, code: str, reason: str, device: DeviceSpec | None = None
) -> DeadLetter:
    """A dead letter for *message*, tied to its device and park when known."""
    return DeadLetter(
        topic=message.topic,
        payload=message.payload,
        reason_code=code,
        reason=reason,
        received_at=message.received_at,
        device_id=device.device_id if device else None,
        park_id=device.park_id if device else None,
    )


def store_failed_letter(part: Decoded, error: Exception) -> DeadLetter:
    """The minimal dead letter for a message the database refuses to store as it is.

    Only the message's bytes, topic and device are kept, with the error as the reason (its text
    escaped and cut short, so the letter itself holds nothing the database could refuse).
    """
    device_id, park_id = _device_ids(part)
    return DeadLetter(
        topic=plain_text(part.message.topic), payload=part.message.payload,
        reason_code="store_failed", reason=f"the database refused this message: "
                                           f"{type(error).__name__}: {shown(str(error), 200)}",
        received_at=part.message.received_at, device_id=device_id, park_id=park_id,
    )


def _device_ids(part: Decoded) -> tuple[int | None, int | None]:
    if part.device is not None:
        return part.device.device_id, part.device.park_id
    known = part.batch.dead_letters[:1]  # e.g. wrong_park names the device without a spec
    return (known[0].device_id, known[0].park_id) if known else (None, None)


class BatchStore:
    """Stores decoded messages through a Sink, retrying until they are durable.

    A batch that fails :data:`STORE_ATTEMPTS` times is stored message by message; a message
    that still fails :data:`MESSAGE_ATTEMPTS` times (PostgreSQL refusing its text, say) is kept
    as a ``store_failed`` dead letter, so one bad message never blocks the rest. When even that
    dead letter cannot be stored, the database itself is down: nothing is given up, and the
    messages not yet stored are tried again after a pause that doubles up to *retry_max*.
    """

    def __init__(self, sink: Sink, stats: IngestStats, wait: Callable[[float], bool],
                 retry_min: float, retry_max: float):
        self._sink, self._stats, self._wait = sink, stats, wait
        self._retry_min, self._retry_max = retry_min, retry_max

    def store(self, parts: list[Decoded]) -> bool:
        """True once every part is durable; False when *wait* reports a stop first."""
        pending = [part for part in parts if len(part.batch)]
        delay, failures = self._retry_min, 0
        while pending:
            if failures < STORE_ATTEMPTS:
                if self._attempt(merged(pending)) is None:
                    return True
                failures += 1
            else:
                pending, failures = self._one_by_one(pending), 0
                if not pending:
                    return True
            if self._wait(delay):
                return False  # left unacknowledged: the broker delivers it again later
            delay = min(delay * 2, self._retry_max)
        return True

    def _one_by_one(self, pending: list[Decoded]) -> list[Decoded]:
        """Store each part on its own; the parts left when the database itself fails."""
        for index, part in enumerate(pending):
            if not self._store_part(part):
                return pending[index:]
        return []

    def _store_part(self, part: Decoded) -> bool:
        """Store one message, else its store_failed dead letter; False if neither is stored."""
        for _ in range(MESSAGE_ATTEMPTS - 1):
            if self._attempt(part.batch) is None:
                return True
        error = self._attempt(part.batch)
        if error is None:
            return True
        letter = store_failed_letter(part, error)
        if self._attempt(Batch(dead_letters=[letter])) is not None:
            return False
        log.error("a message on %s could not be stored; kept as a dead letter: %s",
                  letter.topic, letter.reason)
        return True

    def _attempt(self, batch: Batch) -> Exception | None:
        """Store *batch* once: None when it is durable, else the error."""
        try:
            new = self._sink.store(batch)
        except Exception as exc:
            self._stats.store_failures += 1
            log.warning("storing %d readings and %d dead letters failed",
                        len(batch.readings), len(batch.dead_letters), exc_info=exc)
            return exc
        self._stats.batches += 1
        self._stats.readings += len(batch.readings)
        self._stats.stored += new
        self._stats.dead += len(batch.dead_letters)
        return None
