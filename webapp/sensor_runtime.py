"""Run the sensor pipeline next to the web app: ingest worker, simulator, backfill, upkeep.

Used by `werklandschap ingest`, `simulate` and `demo`. Everything here works on an Engine, not on
a Flask request, so the ingest runs the same with or without the web app.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, func, select

from sensors.broker import EmbeddedBroker, start_embedded_broker
from sensors.formats import decode
from sensors.ingest import Ingestor, close_publisher, make_publisher, publish_all
from sensors.ingest_config import IngestSettings
from sensors.model import Batch, DeviceSpec, Rejection
from sensors.pipeline import decode_for_device
from sensors.simulator import SimState, messages

from .models import Device, Park, Reading
from .services.sensor_store import DbRegistry, DbSink, check_silent_devices, prune_raw

log = logging.getLogger(__name__)

# Formats that cannot speak MQTT: the simulator hands their messages to the HTTP ingest path.
HTTP_FORMATS = frozenset({"sensor_community"})


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class SimDevice:
    """A registered device with the coordinates its simulated weather and sun follow."""

    spec: DeviceSpec
    latitude: float
    longitude: float


def simulated_devices(engine: Engine, park_slugs: Iterable[str] = ()) -> list[SimDevice]:
    """Active devices of the given parks (all parks when empty), with their park's location."""
    registry = DbRegistry(engine)
    registry.refresh()
    query = select(Device.uid, Park.latitude, Park.longitude).join(Park).where(Device.active)
    if park_slugs:
        query = query.where(Park.slug.in_(list(park_slugs)))
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    found = []
    for uid, latitude, longitude in rows:
        spec = registry.by_uid(uid)
        if spec is not None:
            found.append(SimDevice(spec, latitude or 52.1, longitude or 5.1))
    return found


def deliver_directly(sink: DbSink, spec: DeviceSpec, topic: str, payload: bytes,
                     now: datetime) -> int:
    """What the HTTP ingest does for one message: decode and store (or dead-letter) it."""
    return sink.store(decode_for_device(spec, topic, payload, now))


def backfill(engine: Engine, devices: list[SimDevice], days: float,
             progress: Callable[[int], None] | None = None, chunk: int = 5000) -> int:
    """Store *days* of simulated history straight into the database (no broker); returns count."""
    sink, end = DbSink(engine), utcnow().replace(microsecond=0)
    start, stored, batch = end - timedelta(days=days), 0, Batch()
    for location, group in _by_location(devices).items():
        specs = [d.spec for d in group]
        for ts, spec, topic, payload in messages(specs, start, end, *location):
            try:  # arrival = the simulated time (sensor.community messages carry none)
                batch.readings.extend(decode(topic, payload, spec, ts))
            except Rejection as rejection:
                log.warning("simulated message refused: %s %s", spec.uid, rejection.message)
            if len(batch.readings) >= chunk:
                stored += _flush(sink, batch, progress)
                batch = Batch()
    return stored + _flush(sink, batch, progress)


def _flush(sink: DbSink, batch: Batch, progress: Callable[[int], None] | None) -> int:
    new = sink.store(batch) if batch.readings else 0
    if progress:
        progress(len(batch.readings))
    return new


def _by_location(devices: list[SimDevice]) -> dict[tuple[float, float], list[SimDevice]]:
    groups: dict[tuple[float, float], list[SimDevice]] = {}
    for device in devices:
        groups.setdefault((device.latitude, device.longitude), []).append(device)
    return groups


def resume_state(engine: Engine, devices: list[SimDevice]) -> SimState:
    """A simulator state whose meters carry on from the last stored readings (never backwards)."""
    state = SimState()
    fields = {c.sensor_id: (d.spec.uid, c.field) for d in devices for c in d.spec.channels}
    if not fields:
        return state
    latest = (select(Reading.sensor_id, func.max(Reading.ts).label("ts"))
              .where(Reading.sensor_id.in_(list(fields))).group_by(Reading.sensor_id).subquery())
    query = select(Reading.sensor_id, Reading.ts, Reading.value).join(
        latest, (Reading.sensor_id == latest.c.sensor_id) & (Reading.ts == latest.c.ts))
    with engine.connect() as connection:
        for sensor_id, ts, value in connection.execute(query):
            uid, name = fields[sensor_id]
            state.totals[(uid, name)] = value
            ts = ts if ts.tzinfo else ts.replace(tzinfo=UTC)
            state.last_ts[uid] = max(ts, state.last_ts.get(uid, ts))
    return state


class LiveSimulator:
    """Publishes simulated readings of registered devices as they fall due, until stopped."""

    def __init__(self, engine: Engine, mqtt_url: str, park_slugs: Iterable[str] = (),
                 client_id: str = "werklandschap-simulator"):
        self.engine, self.mqtt_url, self.client_id = engine, mqtt_url, client_id
        self.park_slugs = tuple(park_slugs)
        self.published = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self.run, name="simulator", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(10)

    def run(self) -> None:
        """Every few seconds, publish what each device would have sent since the last round."""
        client = make_publisher(self.mqtt_url, self.client_id)
        sink = DbSink(self.engine)
        state = resume_state(self.engine, simulated_devices(self.engine, self.park_slugs))
        since = utcnow()
        try:
            while not self._stop.wait(2.0):
                now = utcnow()
                self._round(client, sink, state, since, now)
                since = now
        finally:
            close_publisher(client)

    def _round(self, client, sink: DbSink, state: SimState, since: datetime,
               now: datetime) -> None:
        devices = simulated_devices(self.engine, self.park_slugs)
        for location, group in _by_location(devices).items():
            outgoing = []
            for _ts, spec, topic, payload in messages([d.spec for d in group], since, now,
                                                      *location, state=state):
                if spec.format in HTTP_FORMATS:
                    deliver_directly(sink, spec, topic, payload, now)
                else:
                    outgoing.append((topic, payload))
            if outgoing:
                self.published += publish_all(client, outgoing)


class Upkeep:
    """Periodic chores of an ingest worker: silent-device alerts and raw-data retention."""

    def __init__(self, engine: Engine, retention_days: int, every: float = 60.0):
        self.engine, self.retention_days, self.every = engine, retention_days, every
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="upkeep", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(10)

    def run_once(self) -> None:
        now = utcnow()
        check_silent_devices(self.engine, now)
        if self.retention_days > 0:
            prune_raw(self.engine, now - timedelta(days=self.retention_days))

    def _loop(self) -> None:
        while not self._stop.wait(self.every):
            try:
                self.run_once()
            except Exception:  # noqa: BLE001 - upkeep must never end the worker
                log.exception("sensor upkeep failed; retrying in %s s", self.every)


def make_ingestor(engine: Engine, settings: IngestSettings,
                  retention_days: int = 0) -> Ingestor:
    """An ingest worker storing into *engine*, subscribed to every registered topic too."""
    registry = DbRegistry(engine)
    registry.refresh()
    sink = DbSink(engine, retention_days=retention_days)
    return Ingestor(settings, registry, sink, extra_topics=registry.topics)


def wait_until(predicate: Callable[[], bool], timeout: float, step: float = 0.05) -> bool:
    """Poll *predicate* until true or *timeout* seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


class SensorStack:
    """Broker (embedded unless a URL is given), ingest, simulator and upkeep for the demo."""

    def __init__(self, engine: Engine, data_dir: Path, mqtt_url: str = "",
                 retention_days: int = 0):
        self.engine, self.data_dir, self.url = engine, data_dir, mqtt_url
        self.retention_days = retention_days
        self.broker: EmbeddedBroker | None = None
        self.parts: list = []

    def start(self, backfill_days: float = 7, echo: Callable[[str], None] = print) -> None:
        mqtt_version = "5"
        if not self.url:
            self.broker = start_embedded_broker(self.data_dir / "mqtt")
            self.url, mqtt_version = self.broker.url, self.broker.mqtt_version
            echo(f"MQTT broker ({self.broker.kind}) on {self.url}")
        devices = simulated_devices(self.engine)
        if backfill_days and not _has_readings(self.engine):
            echo(f"Simulating {backfill_days:g} days of history for {len(devices)} devices ...")
            echo(f"  stored {backfill(self.engine, devices, backfill_days)} readings")
        settings = IngestSettings(url=self.url, client_id="werklandschap-demo-ingest",
                                  mqtt_version=mqtt_version)
        ingestor = make_ingestor(self.engine, settings, self.retention_days)
        ingestor.start()
        if not ingestor.wait_ready(15):
            echo("warning: the ingest has not connected to the broker yet; it keeps trying")
        simulator = LiveSimulator(self.engine, self.url)
        upkeep = Upkeep(self.engine, self.retention_days)
        simulator.start()
        upkeep.start()
        self.parts = [simulator, upkeep, ingestor]

    def stop(self) -> None:
        for part in self.parts:
            part.stop()
        if self.broker:
            self.broker.stop()


def _has_readings(engine: Engine) -> bool:
    with engine.connect() as connection:
        return connection.execute(select(Reading.sensor_id).limit(1)).first() is not None
