"""`werklandschap bench ingest`: our ingest against the raw broker rate, on the same messages.

One run, one local Mosquitto. (a) The raw rate: `mosquitto_sub` at QoS 1 receives the messages.
(b) Our rate: the Ingestor stores the same messages through DbSink, committing to the database,
and acknowledges each batch after its commit. Latency is publish-to-commit per message. CPU is
the ingest's own threads (network thread and worker), read from /proc, as % of one core.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, delete
from sqlalchemy.orm import Session

from sensors.broker import find_mosquitto, free_port, start_mosquitto
from sensors.ingest import Ingestor, close_publisher, make_publisher
from sensors.ingest_config import IngestSettings
from sensors.model import Batch

from . import db
from .models import Base, Device, Park, Sensor
from .services.sensor_store import DbRegistry, DbSink

BASE_TS = datetime(2026, 1, 1, tzinfo=UTC)
BENCH_TOPIC = "werklandschap/{park}/{uid}/up"
MAX_UNCONFIRMED = 50_000


@dataclass
class BenchPlan:
    """What to send: *messages* spread over *devices*, at *rate* per second (None = flat out)."""

    messages: int = 20000
    devices: int = 100
    rate: float | None = None
    batch_size: int = 500
    batch_interval: float = 0.1


@dataclass
class Timing:
    """Commit time (CLOCK_MONOTONIC, shared by all processes) per message number."""

    committed: dict[int, float] = field(default_factory=dict)
    stored: int = 0
    dead: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class TimedSink:
    """DbSink that notes when each message's batch was committed.

    Message n is device n % D at BASE_TS + n // D seconds, so (sensor, time) gives back n.
    """

    def __init__(self, sink: DbSink, timing: Timing, sensor_index: dict[int, int]):
        self.sink, self.timing, self.sensor_index = sink, timing, sensor_index

    def number(self, reading) -> int:
        seconds = int((reading.ts - BASE_TS).total_seconds())
        return seconds * len(self.sensor_index) + self.sensor_index[reading.sensor_id]

    def store(self, batch: Batch) -> int:
        new = self.sink.store(batch)
        done = time.monotonic()
        with self.timing.lock:
            for reading in batch.readings:
                self.timing.committed.setdefault(self.number(reading), done)
            self.timing.stored += new
            self.timing.dead += len(batch.dead_letters)
        return new


def payloads(park: str, uids: list[str], count: int) -> list[tuple[str, bytes]]:
    """Message n goes to device n % len(uids), one second apart per device, a believable kW."""
    out = []
    for n in range(count):
        uid = uids[n % len(uids)]
        ts = BASE_TS + timedelta(seconds=n // len(uids))
        value = round(5 + (n * 7919 % 1000) / 10, 1)
        body = {"ts": ts.isoformat(), "values": [{"field": "p", "value": value, "unit": "kW"}]}
        out.append((BENCH_TOPIC.format(park=park, uid=uid), json.dumps(body).encode()))
    return out


def write_messages(path: Path, messages: list[tuple[str, bytes]]) -> None:
    """One message per line: topic, a tab, the payload (JSON has no raw tabs or newlines)."""
    with path.open("wb") as fh:
        for topic, payload in messages:
            fh.write(topic.encode() + b"\t" + payload + b"\n")


def publish_paced(url: str, messages: list[tuple[str, bytes]], rate: float | None,
                  client_id: str) -> list[float]:
    """Publish at *rate* per second (flat out when None); the send time of each message.

    Publishing never waits for the broker's answers on the way (paho keeps up to 1,000 in
    flight and queues the rest); at the end every message must have been confirmed.
    """
    client = make_publisher(url, client_id, max_inflight=1000)
    chunk = max(1, int(rate / 100)) if rate else 1000  # paced: a slice every 10 ms
    start, sent_at, pending, confirmed = time.monotonic(), [], [], 0
    try:
        for offset in range(0, len(messages), chunk):
            if rate:
                _sleep_until(start + offset / rate)
            part = messages[offset:offset + chunk]
            sent_at.extend([time.monotonic()] * len(part))
            pending.extend(client.publish(topic, payload, qos=1) for topic, payload in part)
            # Message ids are 16-bit: never have more unconfirmed than paho can tell apart.
            while len(pending) - confirmed > MAX_UNCONFIRMED:
                _confirm(pending[confirmed])
                confirmed += 1
        for info in pending[confirmed:]:
            _confirm(info)
    finally:
        close_publisher(client)
    return sent_at


def _confirm(info) -> None:
    info.wait_for_publish(timeout=600)
    if not info.is_published():
        raise RuntimeError("the broker did not confirm every benchmark message")


def publish_in_subprocess(url: str, messages_file: Path, rate: float | None,
                          client_id: str) -> list[float]:
    """Run the publisher in its own process, so it does not share our interpreter's GIL."""
    times_file = messages_file.with_suffix(f".{client_id}.times")
    subprocess.run([sys.executable, "-m", "webapp.bench", url, str(messages_file),
                    str(rate or 0), client_id, str(times_file)], check=True)
    return json.loads(times_file.read_text())


def _publisher_main(argv: list[str]) -> None:
    url, messages_file, rate, client_id, times_file = argv
    messages = [tuple(line.split(b"\t", 1)) for line in Path(messages_file).read_bytes()
                .splitlines()]
    sent_at = publish_paced(url, [(t.decode(), p) for t, p in messages], float(rate) or None,
                            client_id)
    Path(times_file).write_text(json.dumps(sent_at))


def _sleep_until(moment: float) -> None:
    delay = moment - time.monotonic()
    if delay > 0:
        time.sleep(delay)


def raw_rate(url: str, port: int, messages_file: Path, count: int, rate: float | None,
             topic_filter: str) -> float:
    """Messages per second that mosquitto_sub (QoS 1) receives from the same publisher."""
    sub = subprocess.Popen(
        [shutil.which("mosquitto_sub") or "mosquitto_sub", "-h", "127.0.0.1", "-p", str(port),
         "-q", "1", "-t", topic_filter, "-C", str(count), "-i", "bench-raw"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(0.5)  # let it subscribe before the first message
    sent_at = publish_in_subprocess(url, messages_file, rate, "bench-raw-publisher")
    try:
        errors = sub.communicate(timeout=600)[1]  # reads and closes its stderr pipe
    finally:
        if sub.poll() is None:
            sub.kill()
    if sub.returncode:
        raise RuntimeError(f"mosquitto_sub failed: {errors.decode()}")
    return count / (time.monotonic() - sent_at[0])


def thread_cpu_seconds(native_ids: list[int]) -> float:
    """User + system CPU seconds of threads of this process (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for tid in native_ids:
        try:
            fields = Path(f"/proc/self/task/{tid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def _ingest_threads() -> list[int]:
    return [t.native_id for t in threading.enumerate()
            if t.native_id and (t.name == "ingest" or t.name.startswith("paho"))]


def prepare_devices(engine: Engine, count: int) -> tuple[str, list[str]]:
    """A bench park with *count* native devices of one power sensor each."""
    Base.metadata.create_all(engine)
    slug = f"bench-{os.getpid()}-{int(time.time())}"
    with Session(engine) as session:
        park = Park(slug=slug, name="Benchmark", municipality="-", province="Utrecht",
                    is_public=False)
        session.add(park)
        uids = [f"{slug}-d{i}" for i in range(count)]
        for uid in uids:
            device = Device(park=park, uid=uid, name=uid, payload_format="native",
                            topic=BENCH_TOPIC.format(park=slug, uid=uid),
                            commissioned_at=BASE_TS - timedelta(days=1))
            device.sensors.append(Sensor(field="p", quantity="power", unit="kW"))
            session.add(device)
        session.commit()
    return slug, uids


def drop_devices(engine: Engine, slug: str) -> None:
    with Session(engine) as session:
        session.execute(delete(Park).where(Park.slug == slug))
        session.commit()


def ingest_run(engine: Engine, url: str, slug: str, uids: list[str], messages_file: Path,
               plan: BenchPlan) -> dict:
    """Publish *messages* while our ingest stores them; rate, latency and CPU of the ingest."""
    timing = Timing()
    registry = DbRegistry(engine)
    registry.refresh()
    settings = IngestSettings(url=url, client_id=f"bench-ingest-{slug}",
                              batch_size=plan.batch_size, batch_interval=plan.batch_interval,
                              topics=(f"werklandschap/{slug}/+/up",))
    sensor_index = {registry.by_uid(uid).channels[0].sensor_id: i for i, uid in enumerate(uids)}
    ingestor = Ingestor(settings, registry, TimedSink(DbSink(engine), timing, sensor_index))
    ingestor.start()
    if not ingestor.wait_ready(20):
        raise RuntimeError("ingest did not connect to the bench broker")
    threads = _ingest_threads()
    cpu_before = thread_cpu_seconds(threads)
    sent_at = publish_in_subprocess(url, messages_file, plan.rate, "bench-publisher")
    _wait(lambda: timing.stored + timing.dead >= plan.messages, timeout=600)
    cpu = thread_cpu_seconds(threads) - cpu_before
    # From the first message sent to the last commit (the publisher's start-up is not counted).
    elapsed = max(timing.committed.values(), default=time.monotonic()) - sent_at[0]
    ingestor.stop()
    latencies = [timing.committed[n] - sent for n, sent in enumerate(sent_at)
                 if n in timing.committed]
    return {"elapsed": elapsed, "stored": timing.stored, "latencies": latencies,
            "cpu_seconds": cpu, "dead": ingestor.stats.dead}


def _wait(predicate: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not predicate() and time.monotonic() < deadline:
        time.sleep(0.02)


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def run(plan: BenchPlan, database_url: str | None = None,
        log: Callable[[str], None] = print) -> dict:
    """Run both halves of the benchmark on one fresh local Mosquitto; returns the figures."""
    executable = find_mosquitto()
    if not executable or not shutil.which("mosquitto_sub"):
        raise RuntimeError("the benchmark needs mosquitto and mosquitto_sub (Debian: apt-get "
                           "install mosquitto mosquitto-clients)")
    with tempfile.TemporaryDirectory(prefix="werklandschap-bench-") as tmp:
        url_db = database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        engine = db.make_engine(url_db)
        (Path(tmp) / "mqtt").mkdir()
        broker = start_mosquitto(executable, Path(tmp) / "mqtt", free_port())
        slug, uids = prepare_devices(engine, plan.devices)
        try:
            messages_file = Path(tmp) / "messages.txt"
            write_messages(messages_file, payloads(slug, uids, plan.messages))
            log(f"raw: mosquitto_sub -q 1 receiving {plan.messages} messages ...")
            raw = raw_rate(broker.url, broker.port, messages_file, plan.messages, plan.rate,
                           f"werklandschap/{slug}/+/up")
            log(f"ingest: storing the same {plan.messages} messages into "
                f"{engine.dialect.name} ...")
            ours = ingest_run(engine, broker.url, slug, uids, messages_file, plan)
        finally:
            broker.stop()
            drop_devices(engine, slug)
            engine.dispose()
    return summarise(plan, raw, ours, engine.dialect.name)


def summarise(plan: BenchPlan, raw: float, ours: dict, dialect: str) -> dict:
    ingest_rate = plan.messages / ours["elapsed"]
    latencies_ms = [s * 1000 for s in ours["latencies"]]
    return {
        "sent": plan.messages,
        "stored": ours["stored"],
        "dead_letters": ours["dead"],
        "devices": plan.devices,
        "target_rate": plan.rate,
        "raw_rate": round(raw, 1),
        "ingest_rate": round(ingest_rate, 1),
        "ratio": round(ingest_rate / raw, 3),
        "p50_ms": round(percentile(latencies_ms, 50), 1),
        "p99_ms": round(percentile(latencies_ms, 99), 1),
        "mean_ms": round(statistics.fmean(latencies_ms), 1) if latencies_ms else None,
        "ingest_cpu_pct_of_one_core": round(100 * ours["cpu_seconds"] / ours["elapsed"], 1),
        "seconds": round(ours["elapsed"], 2),
        "database": dialect,
    }


if __name__ == "__main__":  # the publisher half, run by publish_in_subprocess()
    _publisher_main(sys.argv[1:])
