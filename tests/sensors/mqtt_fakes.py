"""In-memory stand-ins for the ingest's collaborators: registry, sink and a tiny decoder.

Used by the MQTT tests and by ingest_runner (the ingest in a subprocess).
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sensors.model import Batch, ChannelSpec, DeadLetter, DeviceSpec, Reading, Rejection

EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
PARK = "park-a"


def device(uid: str, park_slug: str = PARK, *, number: int = 1, topic: str | None = None,
           active: bool = True) -> DeviceSpec:
    """A native device whose one channel (field ``seq``) has sensor id = *number*."""
    return DeviceSpec(
        device_id=number, uid=uid, park_id=10 + number, park_slug=park_slug, format="native",
        topic=topic or f"werklandschap/{park_slug}/{uid}/up",
        channels=(ChannelSpec(sensor_id=number, field="seq", quantity="power", unit="kW"),),
        commissioned_at=EPOCH, active=active)


def seq_payload(seq: int, **extra: object) -> bytes:
    """The test payload: a sequence number, optionally marked bad or crashing."""
    return json.dumps({"seq": seq, **extra}).encode()


def seq_decoder(topic: str, payload: bytes, spec: DeviceSpec, now: datetime) -> list[Reading]:
    """Decode ``{"seq": n}`` into one reading at EPOCH + n seconds; "bad"/"crash" misbehave."""
    data = json.loads(payload)
    if data.get("bad"):
        raise Rejection("out_of_range", f"value {data['seq']} is out of range")
    if data.get("crash"):
        raise ZeroDivisionError("division by zero in a decoder")
    return [Reading(spec.channels[0].sensor_id, EPOCH + timedelta(seconds=data["seq"]),
                    float(data["seq"]))]


def seq_of(reading: Reading) -> int:
    """The sequence number a reading was decoded from."""
    return int((reading.ts - EPOCH).total_seconds())


class FakeRegistry:
    """Looks devices up by exact topic; devices added with :meth:`add_later` appear on refresh."""

    def __init__(self, *devices: DeviceSpec):
        self.devices = {d.topic: d for d in devices}
        self.pending: list[DeviceSpec] = []
        self.refreshes = 0

    def lookup(self, topic: str) -> DeviceSpec | None:
        return self.devices.get(topic)

    def refresh(self) -> None:
        self.refreshes += 1
        self.devices.update({d.topic: d for d in self.pending})
        self.pending.clear()

    def add_later(self, spec: DeviceSpec) -> None:
        self.pending.append(spec)

    def topics(self) -> list[str]:
        return list(self.devices)


class MemorySink:
    """Keeps readings unique on (sensor_id, ts) like the real store; can fail on purpose.

    Fails like a database that is down (:meth:`fail_next`, or the call numbers in *outage*), or
    like PostgreSQL refusing one message's text: every batch holding a reading whose sequence
    number is in *poison* fails, however often it is tried.
    """

    def __init__(self, delay: float = 0.0):
        self.readings: dict[tuple[int, datetime], Reading] = {}
        self.dead_letters: list[DeadLetter] = []
        self.duplicates = 0
        self.calls = 0
        self.failures_left = 0
        self.outage: set[int] = set()
        self.poison: set[int] = set()
        self.delay = delay
        self._lock = threading.Lock()

    def fail_next(self, times: int) -> None:
        self.failures_left = times

    def store(self, batch: Batch) -> int:
        with self._lock:
            self.calls += 1
            if self.failures_left or self.calls in self.outage:
                self.failures_left = max(0, self.failures_left - 1)
                raise ConnectionError("database is down")
            if any(seq_of(r) in self.poison for r in batch.readings):
                raise ValueError("A string literal cannot contain NUL (0x00) characters.")
            time.sleep(self.delay)
            return self._keep(batch)

    def _keep(self, batch: Batch) -> int:
        before = len(self.readings)
        for reading in batch.readings:
            key = (reading.sensor_id, reading.ts)
            self.duplicates += key in self.readings
            self.readings.setdefault(key, reading)
        self.dead_letters.extend(batch.dead_letters)
        return len(self.readings) - before

    def seqs(self) -> set[int]:
        with self._lock:
            return {seq_of(r) for r in self.readings.values()}


class SqliteSink:
    """A durable sink: one SQLite commit per batch, unique on (sensor_id, ts)."""

    def __init__(self, path: Path, delay: float = 0.0):
        self.path, self.delay = path, delay
        self.db = sqlite3.connect(path, check_same_thread=False)
        self.db.execute("CREATE TABLE IF NOT EXISTS reading (sensor_id INTEGER, seq INTEGER, "
                        "PRIMARY KEY (sensor_id, seq))")
        self.db.execute("CREATE TABLE IF NOT EXISTS delivery (seq INTEGER)")
        self.db.commit()

    def store(self, batch: Batch) -> int:
        time.sleep(self.delay)
        with self.db:  # one transaction, committed (durable) before the ingest acknowledges
            rows = [(r.sensor_id, seq_of(r)) for r in batch.readings]
            self.db.executemany("INSERT INTO delivery VALUES (?)", [(s,) for _, s in rows])
            before = self.db.total_changes
            self.db.executemany("INSERT OR IGNORE INTO reading VALUES (?, ?)", rows)
            return self.db.total_changes - before


def read_sqlite(path: Path) -> tuple[list[int], int]:
    """(stored sequence numbers, number of deliveries) in a SqliteSink file."""
    with closing(sqlite3.connect(path, timeout=30)) as db:
        seqs = [row[0] for row in db.execute("SELECT seq FROM reading ORDER BY seq")]
        deliveries = db.execute("SELECT COUNT(*) FROM delivery").fetchone()[0]
    return seqs, deliveries


def wait_until(predicate: Callable[[], object], timeout: float = 30.0, what: str = "") -> None:
    """Poll *predicate* until it is true; fail the test with *what* when time runs out."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or predicate}")
        time.sleep(0.02)
