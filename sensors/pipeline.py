"""Turn received MQTT messages into one Batch of readings and dead letters (no MQTT, no I/O).

The ingest client hands every message it receives to :func:`build_batch`; whatever goes wrong
with one message becomes a dead letter with a reason, so a bad message never stops the rest.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from sensors.model import Batch, DeadLetter, DeviceRegistry, DeviceSpec, Reading, Rejection

log = logging.getLogger(__name__)

Decoder = Callable[[str, bytes, DeviceSpec, datetime], list[Reading]]


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


def build_batch(messages: Iterable[Incoming], registry: DeviceRegistry, decoder: Decoder) -> Batch:
    """Decode *messages* in arrival order into readings and dead letters."""
    batch = Batch()
    for message in messages:
        outcome = decode_message(message, registry, decoder)
        if isinstance(outcome, DeadLetter):
            batch.dead_letters.append(outcome)
        else:
            batch.readings.extend(outcome)
    return batch


def decode_message(
    message: Incoming, registry: DeviceRegistry, decoder: Decoder
) -> list[Reading] | DeadLetter:
    """The readings in one message, or the dead letter explaining why there are none."""
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
    return _decode(message, device, decoder)


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
