"""Open, update and close alerts from the rules in sensors.alerts.

At most one alert per (device, rule, sensor) is open at a time (``ended_at`` empty): while the
condition holds its value and ``last_seen_at`` follow the data; when it clears the alert ends.
Measured-value rules are evaluated at a sensor's latest reading, over the latest value, the
mean of the last hour (four quarter-hour rollups) and of the last 24 hours (hourly rollups).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, and_, bindparam, func, or_, select, update
from sqlalchemy.orm import sessionmaker

from sensors.alerts import (
    DEFAULT_RULES,
    SILENT_CODE,
    AlertHit,
    AlertRule,
    effective_rules,
    evaluate,
)
from sensors.alerts import silent_hit as silent_alert_hit
from sensors.rollups import bucket_start

from .sensor_checks import SensorMeta
from .sensor_sql import (
    ALERT,
    ALERT_OVERRIDE,
    DEVICE,
    READING,
    ROLLUP,
    SENSOR,
    chunks,
    engine_of,
    utc,
    write_transaction,
)

log = logging.getLogger(__name__)

RULE_QUANTITIES = frozenset(rule.quantity for rule in DEFAULT_RULES if rule.quantity)
# The windows the rules of each quantity look at.
WINDOWS_OF = {quantity: frozenset(r.window for r in DEFAULT_RULES if r.quantity == quantity)
              for quantity in RULE_QUANTITIES}
# A 24-hour mean needs readings spread over at least this much of the day (75 % coverage).
MIN_24H_SPAN = timedelta(hours=18)
AlertKey = tuple[int, str, int | None]
# PostgreSQL advisory lock serialising silent-device checks of several ingest workers.
SILENT_LOCK_KEY = 0x5E1E27


def park_rules(conn: Connection, park_ids: Iterable[int]) -> dict[int, list[AlertRule]]:
    """The effective rules per park: defaults with the park's overrides applied."""
    known = {rule.code for rule in DEFAULT_RULES}
    overrides: dict[int, dict[str, float | None]] = {park_id: {} for park_id in park_ids}
    for id_chunk in chunks(sorted(overrides)):
        query = select(ALERT_OVERRIDE).where(ALERT_OVERRIDE.c.park_id.in_(id_chunk))
        for row in conn.execute(query):
            if row.rule in known:
                overrides[row.park_id][row.rule] = row.threshold
            else:
                log.warning("park %s overrides unknown alert rule %r", row.park_id, row.rule)
    return {park_id: effective_rules(codes) for park_id, codes in overrides.items()}


def open_alerts(
    conn: Connection, device_ids: Iterable[int], rules: Iterable[str]
) -> dict[AlertKey, int]:
    """The open alerts of *device_ids* for *rules*, by (device, rule, sensor)."""
    result: dict[AlertKey, int] = {}
    for id_chunk in chunks(sorted(set(device_ids))):
        query = select(ALERT.c.id, ALERT.c.device_id, ALERT.c.rule, ALERT.c.sensor_id).where(
            ALERT.c.device_id.in_(id_chunk), ALERT.c.rule.in_(sorted(set(rules))),
            ALERT.c.ended_at.is_(None))
        for alert_id, device_id, rule, sensor_id in conn.execute(query):
            result[(device_id, rule, sensor_id)] = alert_id
    return result


class AlertWriter:
    """Collects alert changes and writes them with a few statements."""

    def __init__(self, existing: dict[AlertKey, int]):
        self.existing = existing
        self.opened: list[dict] = []
        self.updated: list[dict] = []
        self.closed: list[dict] = []

    def hit(self, key: AlertKey, park_id: int, hit: AlertHit, at: datetime) -> None:
        """Record that the rule of *key* fires with *hit* at time *at*."""
        values = {"severity": hit.severity, "value": hit.value, "threshold": hit.threshold,
                  "last_seen_at": at}
        if key in self.existing:
            self.updated.append({"alert_id": self.existing[key], **values})
            return
        device_id, rule, sensor_id = key
        self.opened.append({"park_id": park_id, "device_id": device_id, "sensor_id": sensor_id,
                            "rule": rule, "started_at": at, "ended_at": None, **values})

    def clear(self, key: AlertKey, at: datetime) -> None:
        """Record that the condition of *key* no longer holds at *at*."""
        if key in self.existing:
            self.closed.append({"alert_id": self.existing[key], "ended_at": at})

    def write(self, conn: Connection) -> int:
        """Apply the changes; returns how many alerts were opened."""
        if self.opened:
            conn.execute(ALERT.insert(), self.opened)
        target = ALERT.c.id == bindparam("alert_id")
        if self.updated:
            conn.execute(update(ALERT).where(target).values(
                severity=bindparam("severity"), value=bindparam("value"),
                threshold=bindparam("threshold"), last_seen_at=bindparam("last_seen_at")),
                self.updated)
        if self.closed:
            conn.execute(update(ALERT).where(target).values(ended_at=bindparam("ended_at")),
                         self.closed)
        return len(self.opened)


def evaluate_sensors(conn: Connection, meta: dict[int, SensorMeta]) -> int:
    """Evaluate the measured-value rules for the sensors in *meta*; returns alerts opened."""
    sensors = {sid: m for sid, m in meta.items() if m.quantity in RULE_QUANTITIES}
    if not sensors:
        return 0
    rules = park_rules(conn, {m.park_id for m in sensors.values()})
    codes = [rule.code for rule in DEFAULT_RULES if rule.quantity]
    writer = AlertWriter(open_alerts(conn, {m.device_id for m in sensors.values()}, codes))
    latest = latest_readings(conn, sensors)
    means = window_means(conn, latest, {sid: m.quantity for sid, m in sensors.items()})
    for sensor_id, (ts, value) in latest.items():
        info = sensors[sensor_id]
        windows = {"instant": value, **means.get(sensor_id, {})}
        hits = evaluate(info.quantity, windows, rules[info.park_id], info.water_level_limit_cm)
        _apply(writer, info, hits, ts)
    return writer.write(conn)


def _apply(writer: AlertWriter, info: SensorMeta, hits: list[AlertHit], at: datetime) -> None:
    fired = {hit.rule_code: hit for hit in hits}
    for rule in DEFAULT_RULES:  # all measured-value rules: a changed quantity clears old ones
        if not rule.quantity:
            continue
        key = (info.device_id, rule.code, info.sensor_id)
        if rule.code in fired:
            writer.hit(key, info.park_id, fired[rule.code], at)
        else:
            writer.clear(key, at)


def latest_readings(conn: Connection, sensor_ids: Iterable[int]) -> dict[int, tuple]:
    """The latest reading ``(ts, value)`` of each sensor (one index seek per sensor)."""
    def last(column):
        inner = READING.alias(f"last_{column}")
        return (select(inner.c[column]).where(inner.c.sensor_id == SENSOR.c.id)
                .order_by(inner.c.ts.desc()).limit(1).scalar_subquery())

    result: dict[int, tuple[datetime, float]] = {}
    for id_chunk in chunks(sorted(sensor_ids)):
        query = select(SENSOR.c.id, last("ts"), last("value")).where(SENSOR.c.id.in_(id_chunk))
        for sensor_id, ts, value in conn.execute(query):
            if ts is not None:
                result[sensor_id] = (utc(ts), value)
    return result


# Per window of a rule: the rollup period it is read from, and how far back before the bucket
# of the latest reading it reaches (the latest bucket itself is included).
MEAN_WINDOWS = {"1h_mean": ("15m", timedelta(minutes=45)), "24h_mean": ("1h", timedelta(hours=23))}


def window_means(
    conn: Connection, latest: dict[int, tuple], quantities: dict[int, str]
) -> dict[int, dict[str, float]]:
    """The mean windows the rules of each sensor's quantity need, ending at its latest reading."""
    result: dict[int, dict[str, float]] = {sensor_id: {} for sensor_id in latest}
    for name, (period, span) in MEAN_WINDOWS.items():
        anchors = {sid: ts for sid, (ts, _) in latest.items()
                   if name in WINDOWS_OF.get(quantities[sid], ())}
        for sensor_id, rows in _recent_rollups(conn, anchors, period, span).items():
            mean = _mean(rows, anchors[sensor_id], name)
            if mean is not None:
                result[sensor_id][name] = mean
    return result


def _mean(rows: list, anchor: datetime, name: str) -> float | None:
    count = sum(row.count for row in rows)
    if not count:
        return None
    if name == "24h_mean" and anchor - min(utc(row.first_ts) for row in rows) < MIN_24H_SPAN:
        return None
    return sum(row.sum for row in rows) / count


def _recent_rollups(
    conn: Connection, anchors: dict[int, datetime], period: str, span: timedelta
) -> dict[int, list]:
    """Rollups of *period* from ``bucket(anchor) - span`` up to each sensor's anchor."""
    if not anchors:
        return {}
    groups: dict[datetime, list[int]] = {}
    for sensor_id, anchor in anchors.items():
        groups.setdefault(bucket_start(anchor, period) - span, []).append(sensor_id)
    clauses = [and_(ROLLUP.c.sensor_id.in_(ids), ROLLUP.c.start >= low)
               for low, ids in groups.items()]
    result: dict[int, list] = {}
    for clause_chunk in chunks(clauses, 50):
        query = select(ROLLUP).where(ROLLUP.c.period == period, or_(*clause_chunk))
        for row in conn.execute(query):
            if utc(row.start) <= anchors[row.sensor_id]:
                result.setdefault(row.sensor_id, []).append(row)
    return result


def close_silent(conn: Connection, device_ids: Iterable[int], at: datetime) -> None:
    """End the open ``device_silent`` alerts of devices that just sent data."""
    for id_chunk in chunks(sorted(set(device_ids))):
        conn.execute(update(ALERT).where(
            ALERT.c.device_id.in_(id_chunk), ALERT.c.rule == SILENT_CODE,
            ALERT.c.ended_at.is_(None)).values(ended_at=at))


def check_silent_devices(bind: Engine | sessionmaker, now: datetime) -> int:
    """Open ``device_silent`` alerts for devices quiet for 3 intervals, close the others.

    A device never heard from gets its commissioning time as last contact (a grace period).
    Inactive devices are expected to be quiet: their silent alerts close. Returns how many
    alerts were opened.
    """
    now = utc(now)
    with write_transaction(engine_of(bind)) as conn:
        if conn.dialect.name == "postgresql":  # workers checking at once would both open alerts
            conn.execute(select(func.pg_advisory_xact_lock(SILENT_LOCK_KEY)))
        devices = conn.execute(select(
            DEVICE.c.id, DEVICE.c.park_id, DEVICE.c.interval_s, DEVICE.c.active,
            DEVICE.c.last_seen_at, DEVICE.c.commissioned_at)).all()
        rules = park_rules(conn, {device.park_id for device in devices})
        writer = AlertWriter(open_alerts(conn, [d.id for d in devices], [SILENT_CODE]))
        for device in devices:
            key = (device.id, SILENT_CODE, None)
            last = utc(device.last_seen_at or device.commissioned_at)
            hit = silent_alert_hit(last, device.interval_s, now, rules[device.park_id])
            if device.active and hit is not None:
                writer.hit(key, device.park_id, hit, now)
            else:
                writer.clear(key, now)
        return writer.write(conn)
