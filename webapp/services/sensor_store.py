"""The sensor pipeline's database side: store batches, keep rollups and alerts current, prune.

:class:`DbSink` implements :class:`sensors.model.Sink` with SQLAlchemy Core on a plain Engine,
so the ingest worker needs no Flask app. One batch is one transaction: readings (duplicates
skipped), dead letters, the devices' last contact, rollups and alerts commit together or not
at all. The device registry lives in :mod:`webapp.services.sensor_registry`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, bindparam, case, delete, func, select, update
from sqlalchemy.orm import sessionmaker

from sensors.model import Batch, DeadLetter, Reading
from sensors.rollups import bucket_start
from sensors.validate import plain_text

from ..models.base import utcnow
from .sensor_alert_store import check_silent_devices, close_silent, evaluate_sensors
from .sensor_checks import (
    SensorMeta,
    by_sensor,
    is_cumulative,
    load_meta,
    reading_dead_letter,
    screen_cumulative,
    unique_readings,
)
from .sensor_registry import DbRegistry, WrongPark
from .sensor_rollup_store import rebuild_rollups, update_rollups
from .sensor_sql import (
    DEAD_LETTER,
    DEVICE,
    PARK,
    READING,
    SENSOR,
    chunks,
    engine_of,
    insert_for,
    utc,
    write_transaction,
)
from .sensor_windows import Windows, fetch_windows

__all__ = ["DEFAULT_RETENTION_DAYS", "RETENTION_SETTING", "DbRegistry", "DbSink", "WrongPark",
           "check_silent_devices", "prune_raw", "rebuild_rollups", "retention_cutoff"]

# Config key (environment: WERKLANDSCHAP_RAW_RETENTION_DAYS); 0 keeps raw readings forever.
RETENTION_SETTING = "RAW_RETENTION_DAYS"
DEFAULT_RETENTION_DAYS = 400
# The resolution of stored timestamps: a window up to and including ts ends at ts + _TICK.
_TICK = timedelta(microseconds=1)
# Bytes of a dead letter's payload that are kept; payload_size records the full length.
MAX_STORED_PAYLOAD = 4096


def retention_cutoff(days: int, now: datetime) -> datetime | None:
    """The start of the Amsterdam day *days* before *now*; None when *days* is 0 (keep all).

    Cutting at a day boundary never splits a rollup bucket, so a pruned period's rollups stay
    whole and a reading that is kept always has its bucket's raw rows beside it.
    """
    if days <= 0:
        return None
    return bucket_start(utc(now) - timedelta(days=days), "1d")


class DbSink:
    """Implements sensors.model.Sink: stores a batch in one transaction, returns new readings.

    With *retention_days* set, readings older than the retention cutoff are refused
    ("too_old"): the raw rows around them may already be pruned, so neither a meter's
    consumption nor a rebuild of their rollups could be right, and pruning would drop them.
    """

    def __init__(self, bind: Engine | sessionmaker, retention_days: int = 0,
                 clock: Callable[[], datetime] = utcnow):
        self._engine = engine_of(bind)
        self._retention_days = retention_days
        self._clock = clock

    def store(self, batch: Batch) -> int:
        """Store *batch*; returns how many of its readings were not stored before."""
        if not len(batch):
            return 0
        now = utc(self._clock())
        with write_transaction(self._engine) as conn:
            return _store(conn, batch, now, retention_cutoff(self._retention_days, now))


def _store(conn: Connection, batch: Batch, now: datetime, cutoff: datetime | None) -> int:
    readings = unique_readings(batch.readings)
    meta = load_meta(conn, {reading.sensor_id for reading in readings})
    readings, dead = _admissible(readings, meta, now, cutoff)
    screened, refused = _screen(conn, readings, meta)
    dead.extend(reading_dead_letter(r, meta[r.sensor_id], e.code, e.message, now)
                for r, e in refused)
    refused_keys = {(r.sensor_id, r.ts) for r, _ in refused}
    accepted = [r for r in readings if (r.sensor_id, r.ts) not in refused_keys]
    new_keys = set(insert_readings(conn, accepted))
    new = [r for r in accepted if (r.sensor_id, r.ts) in new_keys]
    insert_dead_letters(conn, [*batch.dead_letters, *dead])
    touch_devices(conn, accepted, meta)
    if new:
        update_rollups(conn, new, meta, screened)
        touched = {reading.sensor_id for reading in new}
        evaluate_sensors(conn, {sid: meta[sid] for sid in touched})
        close_silent(conn, {meta[sid].device_id for sid in touched}, now)
    return len(new)


def _admissible(
    readings: list[Reading], meta: dict[int, SensorMeta], now: datetime, cutoff: datetime | None
) -> tuple[list[Reading], list[DeadLetter]]:
    """Readings of existing sensors inside the retention; dead letters for the others."""
    kept: list[Reading] = []
    dead: list[DeadLetter] = []
    for reading in readings:
        info = meta.get(reading.sensor_id)
        if info is None:
            dead.append(reading_dead_letter(reading, None, "unknown_sensor",
                                            f"sensor {reading.sensor_id} does not exist", now))
        elif cutoff is not None and reading.ts < cutoff:
            dead.append(reading_dead_letter(reading, info, "too_old", f"time "
                                            f"{reading.ts.isoformat()} is before the raw-data "
                                            f"retention cutoff {cutoff.isoformat()}", now))
        else:
            kept.append(reading)
    return kept, dead


def _screen(conn: Connection, readings: list[Reading], meta: dict[int, SensorMeta]):
    """Check meter readings against their stored neighbours.

    Each meter gets one window from its first to its last reading in the batch: the accepted
    readings must sit in one ordered sequence, so that each is checked (and later given its
    consumption) against the reading truly before it, new or stored.
    """
    groups = {sid: rows for sid, rows in by_sensor(readings).items() if meta[sid].cumulative}
    if not groups:
        return {}, []
    spans = [(sid, min(r.ts for r in rows), max(r.ts for r in rows) + _TICK)
             for sid, rows in groups.items()]
    windows: Windows = fetch_windows(conn, spans, set(groups))
    _, refused = screen_cumulative([r for rows in groups.values() for r in rows], windows)
    return windows, refused


def insert_readings(conn: Connection, readings: list[Reading]) -> list[tuple[int, datetime]]:
    """Insert *readings*, skipping (sensor, ts) pairs already stored; returns the new keys."""
    if not readings:
        return []
    stmt = (insert_for(conn, READING).on_conflict_do_nothing(index_elements=["sensor_id", "ts"])
            .returning(READING.c.sensor_id, READING.c.ts))
    rows = [{"sensor_id": r.sensor_id, "ts": r.ts, "value": r.value} for r in readings]
    return [(sensor_id, utc(ts)) for sensor_id, ts in conn.execute(stmt, rows)]


def insert_dead_letters(conn: Connection, letters: list[DeadLetter]) -> None:
    """Insert dead letters, payloads capped; links to deleted devices or parks are dropped.

    Their text is the device's own in part: NUL (which PostgreSQL refuses) and lone surrogates
    (which no driver encodes) become U+FFFD, so a letter can always be stored. The payload is
    binary and kept as it came.
    """
    if not letters:
        return
    devices = _existing(conn, DEVICE, {d.device_id for d in letters if d.device_id})
    parks = _existing(conn, PARK, {d.park_id for d in letters if d.park_id})
    conn.execute(DEAD_LETTER.insert(), [{
        "received_at": utc(letter.received_at), "topic": plain_text(letter.topic[:250]),
        "payload": bytes(letter.payload[:MAX_STORED_PAYLOAD]),
        "payload_size": len(letter.payload), "reason_code": plain_text(letter.reason_code[:40]),
        "reason": plain_text(letter.reason),
        "device_id": letter.device_id if letter.device_id in devices else None,
        "park_id": letter.park_id if letter.park_id in parks else None,
    } for letter in letters])


def _existing(conn: Connection, table, ids: set[int]) -> set[int]:
    found: set[int] = set()
    for id_chunk in chunks(sorted(ids)):
        found.update(conn.scalars(select(table.c.id).where(table.c.id.in_(id_chunk))))
    return found


def touch_devices(conn: Connection, readings: list[Reading], meta: dict[int, SensorMeta]) -> None:
    """Move each device's last_seen_at forward to its latest reading in the batch."""
    latest: dict[int, datetime] = {}
    for reading in readings:
        device_id = meta[reading.sensor_id].device_id
        latest[device_id] = max(reading.ts, latest.get(device_id, reading.ts))
    if not latest:
        return
    seen = bindparam("seen", type_=DEVICE.c.last_seen_at.type)
    newer = case((DEVICE.c.last_seen_at.is_(None), seen),
                 (DEVICE.c.last_seen_at < seen, seen), else_=DEVICE.c.last_seen_at)
    # updated_at is set to itself: last contact is not an edit of the device.
    stmt = (update(DEVICE).where(DEVICE.c.id == bindparam("device_id"))
            .values(last_seen_at=newer, updated_at=DEVICE.c.updated_at))
    conn.execute(stmt, [{"device_id": d, "seen": ts} for d, ts in sorted(latest.items())])


def prune_raw(bind: Engine | sessionmaker, older_than: datetime) -> int:
    """Delete raw readings before the start of the Amsterdam day of *older_than*.

    Rollups stay. Meters keep their last reading before the cutoff: the baseline of the next
    reading's consumption. Sensors with nothing to prune are found with one read; each of the
    others is pruned in a short transaction of its own. Returns how many readings were deleted.
    """
    cutoff = bucket_start(utc(older_than), "1d")
    engine = engine_of(bind)
    with engine.connect() as conn:
        plan = _prune_plan(conn, cutoff)
    return sum(_delete_before(engine, sensor_id, keep_from) for sensor_id, keep_from in plan)


def _prune_plan(conn: Connection, cutoff: datetime) -> list[tuple[int, datetime]]:
    """``(sensor_id, keep_from)`` for every sensor with readings to delete."""
    def older(function):
        return (select(function(READING.c.ts))
                .where(READING.c.sensor_id == SENSOR.c.id, READING.c.ts < cutoff)
                .scalar_subquery())

    plan: list[tuple[int, datetime]] = []
    query = select(SENSOR.c.id, SENSOR.c.quantity, older(func.min), older(func.max))
    for sensor_id, quantity, first, last in conn.execute(query):
        if first is None:
            continue
        keep_from = utc(last) if is_cumulative(quantity) else cutoff
        if utc(first) < keep_from:
            plan.append((sensor_id, keep_from))
    return plan


def _delete_before(engine: Engine, sensor_id: int, keep_from: datetime) -> int:
    with write_transaction(engine) as conn:
        return conn.execute(delete(READING).where(
            READING.c.sensor_id == sensor_id, READING.c.ts < keep_from)).rowcount
