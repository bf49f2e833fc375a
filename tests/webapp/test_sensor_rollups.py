"""Rollups kept by the sink agree with pandas computed from the stored raw rows.

The expected numbers are computed here, in the test, with pandas from the reading table, not
with sensors.rollups: two independent ways to the same 15-minute, hourly and daily figures.
"""

from __future__ import annotations

import random
import threading
from datetime import UTC, datetime, timedelta, timezone

import pandas as pd
import pytest

from sensors.model import Batch, Reading
from sensors.rollups import PERIODS
from tests.webapp.sensor_support import add_device, app_engine, batch, readings, stored, table_rows
from webapp.services.sensor_rollup_store import rebuild_rollups
from webapp.services.sensor_sql import DEAD_LETTER, ROLLUP, utc
from webapp.services.sensor_store import DbSink

START = datetime(2026, 10, 23, 6, tzinfo=UTC)
END = datetime(2026, 10, 27, 3, tzinfo=UTC)  # across the end of summer time, 25 October
CEST = timezone(timedelta(hours=2))
FLOORS = {"15m": "15min", "1h": "h"}
CHANNELS = {"temp": "temperature", "import": "energy_import", "rain": "rainfall"}


@pytest.fixture
def engine(app):
    return app_engine(app)


@pytest.fixture
def device(app, make_park):
    return add_device(app, make_park(), channels=CHANNELS)


@pytest.fixture
def sink(engine):
    return DbSink(engine, clock=lambda: END + timedelta(days=1))


def random_series(rng: random.Random, sensor_id: int, quantity: str) -> list[Reading]:
    """Readings at random 1-15 minute steps; a meter rises and is reset once, mid-series."""
    result: list[Reading] = []
    ts, value, reset_done = START, 1_000.0, False
    reset_at = START + (END - START) / 2
    while ts < END:
        ts += timedelta(seconds=rng.randint(60, 900), microseconds=rng.choice([0, 250_000]))
        if quantity == "energy_import" and ts >= reset_at and not reset_done:
            value, reset_done = rng.uniform(0.0, 5.0), True
        elif quantity == "energy_import":
            value += rng.choice([0.0, rng.uniform(0.0, 3.0)])
        elif quantity == "temperature":
            value = round(rng.gauss(15.0, 8.0), 3)
        else:
            value = rng.choice([0.0, 0.0, rng.uniform(0.0, 4.0)])
        result.append(Reading(sensor_id, ts, value))
    return result


def deliveries(rng: random.Random, series: list[Reading], shuffled: bool = True) -> list[Batch]:
    """The series (shuffled or in time order), a tenth delivered twice, some in local time,
    in batches of random size."""
    messages = sorted(series, key=lambda r: r.ts) + rng.sample(series, len(series) // 10)
    if shuffled:
        rng.shuffle(messages)
    messages = [Reading(r.sensor_id, r.ts.astimezone(CEST), r.value) if rng.random() < 0.2
                else r for r in messages]
    batches: list[Batch] = []
    while messages:
        size = rng.randint(1, 150)
        batches.append(Batch(readings=messages[:size]))
        messages = messages[size:]
    return batches


def expected(engine, sensor_id: int, cumulative: bool) -> dict[str, pd.DataFrame]:
    """Rollups of every period computed with pandas from the stored raw rows."""
    frame = pd.DataFrame(stored(engine, sensor_id), columns=["ts", "value"])
    frame["ts"] = pd.to_datetime(frame["ts"], utc=True)
    previous = frame["value"].shift()
    reset = (previous >= 10) & (frame["value"] < 0.1 * previous)
    frame["delta"] = (frame["value"] - previous).clip(lower=0).where(~reset, frame["value"])
    frame["delta"] = frame["delta"].fillna(0.0)
    local_day = frame["ts"].dt.tz_convert("Europe/Amsterdam").dt.normalize()
    keys = {**{p: frame["ts"].dt.floor(f) for p, f in FLOORS.items()},
            "1d": local_day.dt.tz_convert("UTC")}
    result = {}
    for period, key in keys.items():
        grouped = frame.groupby(key).agg(
            count=("value", "size"), min=("value", "min"), max=("value", "max"),
            sum=("value", "sum"), first_ts=("ts", "min"), last_ts=("ts", "max"),
            consumption=("delta", "sum"))
        if not cumulative:
            grouped["consumption"] = None
        result[period] = grouped
    return result


def actual(engine, sensor_id: int, period: str) -> pd.DataFrame:
    """The rollup table's rows of one sensor and period, indexed by UTC start."""
    rows = table_rows(engine, ROLLUP, ROLLUP.c.sensor_id == sensor_id, ROLLUP.c.period == period)
    frame = pd.DataFrame([row._asdict() for row in rows])
    for column in ("start", "first_ts", "last_ts"):
        frame[column] = pd.to_datetime([utc(v) for v in frame[column]], utc=True)
    return frame.set_index("start").sort_index()


def assert_agrees(engine, sensor_id: int, cumulative: bool) -> None:
    for period, want in expected(engine, sensor_id, cumulative).items():
        got = actual(engine, sensor_id, period)
        assert list(got.index) == list(want.index), period
        assert list(got["count"]) == list(want["count"]), period
        for column in ("min", "max", "sum"):
            assert list(got[column]) == pytest.approx(list(want[column]), rel=1e-9, abs=1e-9)
        assert list(got["first_ts"]) == list(want["first_ts"])
        assert list(got["last_ts"]) == list(want["last_ts"])
        if cumulative:
            assert list(got["consumption"]) == pytest.approx(list(want["consumption"]),
                                                            rel=1e-9, abs=1e-9)
        else:
            assert got["consumption"].isna().all()


@pytest.mark.parametrize(("seed", "shuffled"), [(1, True), (2, True), (3, False)])
def test_rollups_agree_with_pandas(engine, sink, device, seed, shuffled):
    rng = random.Random(seed)
    series = {field: random_series(rng, device.sensor(field), quantity)
              for field, quantity in CHANNELS.items()}
    all_readings = [r for group in series.values() for r in group]
    new = sum(sink.store(b) for b in deliveries(rng, all_readings, shuffled))
    assert new == len(all_readings)
    assert table_rows(engine, DEAD_LETTER) == []
    for field, quantity in CHANNELS.items():
        assert len(stored(engine, device.sensor(field))) == len(series[field])
        assert_agrees(engine, device.sensor(field), quantity == "energy_import")


@pytest.mark.parametrize("field", list(CHANNELS))
def test_rebuild_from_raw_rows_gives_the_same_rollups(engine, sink, device, field):
    rng = random.Random(11)
    sid = device.sensor(field)
    for part in deliveries(rng, random_series(rng, sid, CHANNELS[field])):
        sink.store(part)
    kept = {period: actual(engine, sid, period) for period in PERIODS}
    written = rebuild_rollups(engine, sid, START, END)
    assert written == sum(len(frame) for frame in kept.values())
    for period, frame in kept.items():
        rebuilt = actual(engine, sid, period)
        assert list(rebuilt.index) == list(frame.index)
        for column in ("count", "min", "max", "first_ts", "last_ts"):
            assert list(rebuilt[column]) == list(frame[column])
        for column in ("sum", "consumption"):
            assert list(rebuilt[column].fillna(-1)) == pytest.approx(
                list(frame[column].fillna(-1)), rel=1e-9, abs=1e-9)
    assert_agrees(engine, sid, CHANNELS[field] == "energy_import")


def test_rebuild_repairs_damaged_rollups(engine, sink, device):
    sid = device.sensor("import")
    sink.store(batch(readings(sid, (0, 100.0), (20, 110.0), (24 * 60, 150.0))))
    with engine.begin() as conn:
        conn.execute(ROLLUP.update().where(ROLLUP.c.sensor_id == sid).values(count=99))
    rebuild_rollups(engine, sid, START, START + timedelta(days=1))
    assert_agrees(engine, sid, cumulative=True)


def test_the_day_summer_time_ends_has_25_hours(engine, sink, device):
    sid = device.sensor("temp")
    hours = [(minutes, 1.0) for minutes in range(0, 27 * 60, 60)]
    sink.store(batch(readings(sid, *hours, start=datetime(2026, 10, 24, 21, 30, tzinfo=UTC))))
    days = {utc(row.start): row.count for row in table_rows(
        engine, ROLLUP, ROLLUP.c.sensor_id == sid, ROLLUP.c.period == "1d")}
    assert days == {datetime(2026, 10, 23, 22, tzinfo=UTC): 1,  # 24 Oct, from 22:00 UTC
                    datetime(2026, 10, 24, 22, tzinfo=UTC): 25,  # 25 Oct: 25 hours
                    datetime(2026, 10, 25, 23, tzinfo=UTC): 1}  # 26 Oct starts at 23:00 UTC


def _consumption(engine, sensor_id: int, period: str) -> dict[datetime, float]:
    rows = table_rows(engine, ROLLUP, ROLLUP.c.sensor_id == sensor_id, ROLLUP.c.period == period)
    return {utc(row.start): row.consumption for row in rows}


def test_late_reading_moves_consumption_to_its_own_quarter(engine, sink, device):
    sid = device.sensor("import")
    t = datetime(2026, 10, 23, 10, tzinfo=UTC)
    sink.store(batch(readings(sid, (0, 100.0), (20, 110.0), start=t)))
    assert _consumption(engine, sid, "15m") == {t: 0.0, t + timedelta(minutes=15): 10.0}
    sink.store(batch(readings(sid, (10, 104.0), start=t)))
    assert _consumption(engine, sid, "15m") == {t: 4.0, t + timedelta(minutes=15): 6.0}
    assert _consumption(engine, sid, "1h") == {t: pytest.approx(10.0)}


def test_late_reading_a_day_later_updates_the_next_readings_day(engine, sink, device):
    sid = device.sensor("import")
    t = datetime(2026, 10, 23, 12, tzinfo=UTC)
    sink.store(batch(readings(sid, (0, 100.0), (24 * 60 * 3, 160.0), start=t)))
    sink.store(batch(readings(sid, (24 * 60, 130.0), start=t)))
    days = _consumption(engine, sid, "1d")
    assert sorted(days.values()) == [0.0, 30.0, 30.0]
    assert_agrees(engine, sid, cumulative=True)


def test_concurrent_sinks_keep_rollups_whole(engine, device):
    rng = random.Random(7)
    series = (random_series(rng, device.sensor("import"), "energy_import")[:400]
              + random_series(rng, device.sensor("temp"), "temperature")[:400])
    rng.shuffle(series)
    errors: list[BaseException] = []

    def work(part: list[Reading]) -> None:
        sink = DbSink(engine, clock=lambda: END + timedelta(days=1))
        try:
            for start in range(0, len(part), 10):
                sink.store(Batch(readings=part[start:start + 10]))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(series[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(stored(engine, device.sensor("import"))) == 400
    assert_agrees(engine, device.sensor("import"), cumulative=True)
    assert_agrees(engine, device.sensor("temp"), cumulative=False)
