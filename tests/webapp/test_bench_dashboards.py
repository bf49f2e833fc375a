"""`werklandschap bench dashboards`: consistent rollups, and a tiny run that ends in JSON."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import numpy as np
import pytest
from sqlalchemy import func, select

from sensors.rollups import RollupRow, combine
from tests.conftest import PG_URL, in_db
from webapp.bench_dashboards_data import PV_EVERY, registers, share_level
from webapp.bench_rollups import grid, rollup_columns, rollup_tuples
from webapp.models import (
    Association,
    BoardMembership,
    Company,
    Device,
    MeterShare,
    Park,
    Rollup,
    User,
)

# 24-26 October 2026 (the clocks go back on the 25th), ending mid-afternoon on the 26th.
FIRST_DAY, END = date(2026, 10, 24), datetime(2026, 10, 26, 14, 45, tzinfo=UTC)


def rows_of(period: str, kwh: np.ndarray) -> list[RollupRow]:
    on = grid(FIRST_DAY, END, as_text=False)
    columns = rollup_columns(on.bounds, kwh, 500.0)[period]
    return [RollupRow(*row) for row in rollup_tuples(7, period, columns, on.times[period])]


def key(row: RollupRow) -> tuple:
    return (row.sensor_id, row.period, row.start, row.count, round(row.min, 6),
            round(row.max, 6), round(row.sum, 6), row.first_ts, row.last_ts,
            round(row.consumption, 6))


@pytest.mark.parametrize("index", [0, 1, 2])
def test_hours_and_days_are_the_sums_of_quarter_hours(index):
    kwh = registers(grid(FIRST_DAY, END, as_text=False).starts, index, 1)["import"]
    quarters = rows_of("15m", kwh)
    assert [key(r) for r in rows_of("1h", kwh)] == [key(r) for r in combine(quarters, "1h")]
    assert [key(r) for r in rows_of("1d", kwh)] == [key(r) for r in combine(quarters, "1d")]


def test_the_dst_day_has_100_quarter_hours_and_25_hours():
    kwh = np.ones(len(grid(FIRST_DAY, END, as_text=False).starts))
    days = rows_of("1d", kwh)
    # The 26th runs from 23:00 UTC on the 25th (midnight CET) to 14:45 UTC: 63 quarter-hours.
    assert [row.count for row in days] == [96, 100, 63]
    assert [row.consumption for row in days] == [96.0, 100.0, 63.0]
    assert len(rows_of("1h", kwh)) == 24 + 25 + 16


@pytest.mark.parametrize("index", range(6))
def test_meters_with_pv_have_export_and_pv_registers(index):
    parts = registers(grid(FIRST_DAY, END, as_text=False).starts, index, 1)
    assert sorted(parts) == (["export", "import", "pv"] if index % PV_EVERY == 0 else ["import"])
    assert all((values >= 0).all() for values in parts.values())


@pytest.mark.parametrize(("companies", "levels"), [
    (3, ["board", "aggregate", "public"]),
    (5, ["board", "aggregate", "public", "board", "none"]),
])
def test_at_least_three_companies_share(companies, levels):
    assert [share_level(n, companies) for n in range(companies)] == levels


KEYS = {"park_page_ms_median", "park_page_ms_p90", "meter_year_ms_median", "meter_year_ms_p90",
        "park_month_ms_median", "park_year_ms_median", "baseline_ms_median",
        "ratios_to_baseline", "build_seconds", "rollup_rows", "database"}


def run_tiny(runner, *extra: str) -> dict:
    result = runner.invoke(["bench", "dashboards", "--meters", "6", "--days", "3",
                            "--repeat", "2", "--json", *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.output.strip().splitlines()[-1])


def test_tiny_run_ends_with_one_line_of_json(runner):
    figures = run_tiny(runner)
    assert set(figures) >= KEYS
    assert figures["database"] == "sqlite"
    assert figures["sensors"] == 6 + 2 * 2  # import on all, export and PV on meters 1 and 4
    rows, sensors = figures["rollup_rows"], figures["sensors"]
    quarters = rows["15m"] // sensors
    assert rows["15m"] == sensors * quarters and 2 * 92 < quarters <= 3 * 100
    assert rows["1h"] == sensors * -(-quarters // 4)
    assert rows["1d"] == sensors * 3


def test_run_in_a_given_database_leaves_nothing_behind(app, runner, database_url):
    """With --database-url (the suite's SQLite or PostgreSQL) the bench removes its park."""
    tables = (Park, Company, Device, Rollup, User, Association, BoardMembership, MeterShare)

    def totals(session_db) -> list[int]:
        return [session_db.scalar(select(func.count()).select_from(t)) for t in tables]

    before = in_db(app, totals)
    figures = run_tiny(runner, "--database-url", database_url)
    assert figures["database"] == ("postgresql" if PG_URL else "sqlite")
    assert in_db(app, totals) == before
