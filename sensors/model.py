"""The values that flow through the sensor pipeline, shared by parsers, ingest and storage.

Plain frozen dataclasses: the ingest worker, the web app's store and the tests all speak these,
so no part needs to know how another is built.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

# Payload formats a device can be registered with.
FORMATS: tuple[str, ...] = ("native", "ttn", "dsmr", "tasmota", "senml", "sensor_community")


@dataclass(frozen=True)
class ChannelSpec:
    """One measured field of a device: where it is in the payload and what it means.

    *field* is the name the device uses (a dotted path for nested JSON, e.g. ``ENERGY.Power``
    for Tasmota or ``temperature`` inside a TTN ``decoded_payload``; for SenML the record name
    after the base name). *unit* is the unit the device sends; values are converted to the
    quantity's canonical unit on ingest.
    """

    sensor_id: int
    field: str
    quantity: str
    unit: str


@dataclass(frozen=True)
class DeviceSpec:
    """Everything the ingest needs to know about one registered device."""

    device_id: int
    uid: str
    park_id: int
    park_slug: str
    format: str
    topic: str
    channels: tuple[ChannelSpec, ...]
    commissioned_at: datetime
    interval_s: int = 300
    active: bool = True

    def channel(self, field_name: str) -> ChannelSpec | None:
        for channel in self.channels:
            if channel.field == field_name:
                return channel
        return None


@dataclass(frozen=True)
class Reading:
    """One validated value in its quantity's canonical unit, timestamped in UTC."""

    sensor_id: int
    ts: datetime
    value: float


@dataclass(frozen=True)
class DeadLetter:
    """A message that failed validation, kept with the reason so nothing is silently lost."""

    topic: str
    payload: bytes
    reason_code: str
    reason: str
    received_at: datetime
    device_id: int | None = None
    park_id: int | None = None


@dataclass
class Batch:
    """What one commit stores: readings and dead letters, in arrival order."""

    readings: list[Reading] = field(default_factory=list)
    dead_letters: list[DeadLetter] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.readings) + len(self.dead_letters)


class Rejection(Exception):
    """A message (or one value in it) is not acceptable; *code* is stable, *message* explains."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


class DeviceRegistry(Protocol):
    """Finds the device a topic belongs to; implemented by the web app over its database."""

    def lookup(self, topic: str) -> DeviceSpec | None: ...

    def refresh(self) -> None: ...


class Sink(Protocol):
    """Stores a batch in one transaction; returns only after it is durable (committed).

    Storing must be idempotent: a reading already stored for (sensor, ts) is skipped, so a
    redelivered message never doubles data. Returns how many readings were new.
    """

    def store(self, batch: Batch) -> int: ...
