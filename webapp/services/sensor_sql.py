"""SQL plumbing shared by the sensor store: tables, UTC handling, dialect inserts, transactions.

The sensor store works with SQLAlchemy Core on a plain Engine, without a Flask app context, so
the ingest worker can use it on its own. It runs on SQLite (WAL) and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import sessionmaker

from ..models import Alert, AlertOverride, DeadLetter, Device, Park, Reading, Rollup, Sensor

READING: Table = Reading.__table__
ROLLUP: Table = Rollup.__table__
SENSOR: Table = Sensor.__table__
DEVICE: Table = Device.__table__
PARK: Table = Park.__table__
DEAD_LETTER: Table = DeadLetter.__table__
ALERT: Table = Alert.__table__
ALERT_OVERRIDE: Table = AlertOverride.__table__

# Ids per IN (...) list: well under SQLite's and PostgreSQL's parameter limits.
CHUNK = 900
T = TypeVar("T")


def utc(moment: datetime) -> datetime:
    """*moment* as an aware UTC datetime; naive values (SQLite storage) are UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def engine_of(bind: Engine | sessionmaker) -> Engine:
    """The Engine behind an Engine or a sessionmaker bound to one."""
    if isinstance(bind, Engine):
        return bind
    engine = bind.kw.get("bind")
    if not isinstance(engine, Engine):
        raise TypeError("the sessionmaker is not bound to an Engine")
    return engine


def chunks(items: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    """*items* in lists of at most *size*."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def insert_for(conn: Connection, table: Table) -> Any:
    """An INSERT of the connection's dialect, so ON CONFLICT clauses are available."""
    module = postgresql if conn.dialect.name == "postgresql" else sqlite
    return module.insert(table)


def upsert(conn: Connection, table: Table, keys: Sequence[str], rows: list[dict]) -> None:
    """Insert *rows*, overwriting every non-key column of rows whose *keys* already exist."""
    if not rows:
        return
    stmt = insert_for(conn, table)
    values = {name: stmt.excluded[name] for name in rows[0] if name not in keys}
    conn.execute(stmt.on_conflict_do_update(index_elements=list(keys), set_=values), rows)


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """One committed-or-rolled-back transaction that holds the write lock from its start.

    SQLite gets BEGIN IMMEDIATE: a deferred transaction that reads first and writes later fails
    with "database is locked" when another writer committed in between, instead of waiting.
    """
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.rollback()
            raise
        conn.commit()


def merge_intervals(
    intervals: Iterable[tuple[int, datetime, datetime]], gap: timedelta
) -> list[tuple[datetime, datetime, set[int]]]:
    """Group ``(sensor_id, start, end)`` intervals into time ranges a few queries can read.

    Intervals closer than *gap* share a range; each range names the sensors that need it.
    """
    ranges: list[tuple[datetime, datetime, set[int]]] = []
    for sensor_id, start, end in sorted(intervals, key=lambda item: item[1]):
        if ranges and start <= ranges[-1][1] + gap:
            low, high, ids = ranges[-1]
            ids.add(sensor_id)
            ranges[-1] = (low, max(high, end), ids)
        else:
            ranges.append((start, end, {sensor_id}))
    return ranges
