"""`werklandschap bench dashboards`: server-side time of the energy dashboards on a year of data.

Builds a park of meters with a year of 15-minute rollups (webapp.bench_dashboards_data) in a
fresh SQLite file, or in the PostgreSQL database given (the bench adds its own park and removes
it afterwards), then times requests through the app's WSGI stack with Flask's test client, as a
logged-in board member who also works for the first meter's company: the park energy page at its
default period, for a month and for a year; one meter's year (the goal's "meter-year": its
figures from the API; its page, with charts, too); the company page for a year; and the park
API for a month. The baseline, measured in the same run,
is a trivial page (GET /); every view is also given as a ratio to it. Network and browser time
are not part of any figure. Views are timed warm (after one request each, so the month digests
of webapp.services.energy_digest are filled) and, a few times each, cold: with the digests
emptied first, as the first view of a period after a restart or after its data changed.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import secrets
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask

from sensors.analytics.periods import Period

from . import create_app, db
from .bench import percentile
from .bench_dashboards_data import BenchPark, create, drop, fill
from .services import energy_digest

GOALS_MS = {"park_page": 300.0, "meter_year": 50.0}
FAST_HASHING = {"ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 1024, "ARGON2_PARALLELISM": 1}


@dataclass(frozen=True)
class DashboardPlan:
    """How big a park to build and how often to time each view."""

    meters: int = 50
    days: int = 365
    repeat: int = 20
    cold: int = 3


def bench_app(database_url: str) -> Flask:
    """An app of its own on the bench database (forms without CSRF, cheap password hashing)."""
    return create_app({"DATABASE_URL": database_url, "SECRET_KEY": secrets.token_hex(16),
                       "WTF_CSRF_ENABLED": False, **FAST_HASHING})


def views(bench: BenchPark) -> dict[str, str]:
    """The URLs to time, by name; months and years are those with the most data.

    Pages take kind and date (a day of the period); the API takes period and value.
    """
    year = Period.containing("year", bench.last_day)
    month = Period.containing("month", bench.last_day).previous()
    if month.start < bench.first_day:
        month = Period.containing("month", bench.last_day)
    park, api = f"/parks/{bench.slug}/energy", f"/api/v1/parks/{bench.slug}/energy"
    meter = f"/energy/meters/{bench.meter_uid}"
    meter_api = f"/api/v1/meters/{bench.meter_uid}/energy"
    return {
        "baseline": "/",
        "park_page": park,
        "park_month": f"{park}?kind=month&date={month.start.isoformat()}",
        "park_year": f"{park}?kind=year&date={year.start.isoformat()}",
        "meter_year": f"{meter_api}?period=year&value={year.key()}",
        "meter_year_page": f"{meter}?kind=year&date={year.start.isoformat()}",
        "company_year": f"/energy?kind=year&date={year.start.isoformat()}",
        "api_park_month": f"{api}?period=month&value={month.key()}",
    }


def _login(client, bench: BenchPark) -> None:
    response = client.post("/login", data={"email": bench.email, "password": bench.password})
    if response.status_code != 302:
        raise RuntimeError(f"the bench user could not log in (HTTP {response.status_code})")


def _get_ms(client, url: str) -> float:
    began = time.perf_counter()
    response = client.get(url)
    response.get_data()
    elapsed = (time.perf_counter() - began) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered HTTP {response.status_code}")
    return elapsed


def time_cold(client, urls: dict[str, str], rounds: int) -> dict[str, list[float]]:
    """Milliseconds per request of each view (not the baseline) with the energy digests
    emptied just before it: what the first view of a period costs."""
    timings: dict[str, list[float]] = {name: [] for name in urls if name != "baseline"}
    for _ in range(rounds):
        for name in timings:
            energy_digest.clear()
            timings[name].append(_get_ms(client, urls[name]))
    energy_digest.clear()
    return timings


def time_views(app: Flask, bench: BenchPark, repeat: int,
               profile: Callable[[str], None] | None = None,
               cold: int = 0) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Milliseconds per request of each view, after one warm-up request each; views take
    turns so drift hits them alike. *profile(text)* gets a cProfile summary per view.
    Returns the warm timings and *cold* rounds of cold ones (:func:`time_cold`)."""
    client = app.test_client()
    _login(client, bench)
    urls = views(bench)
    cold_timings = time_cold(client, urls, cold)
    for url in urls.values():
        _get_ms(client, url)
    timings: dict[str, list[float]] = {name: [] for name in urls}
    for _ in range(repeat):
        for name, url in urls.items():
            timings[name].append(_get_ms(client, url))
    if profile:
        for name, url in urls.items():
            profile(_profiled(client, name, url))
    return timings, cold_timings


def _profiled(client, name: str, url: str, top: int = 25) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    _get_ms(client, url)
    profiler.disable()
    out = io.StringIO()
    # Only the project's own functions and the database driver's execute: the rest is Flask.
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(
        r"webapp/|sensors/|execute|fetch", top)
    return f"== {name}: GET {url}\n{out.getvalue()}"


def summarise(plan: DashboardPlan, bench: BenchPark, timings: dict[str, list[float]],
              dialect: str, cold: dict[str, list[float]] | None = None) -> dict:
    """The figures: median and p90 per view, cold medians, ratios to the baseline, build and
    row counts."""
    result: dict = {}
    for name, values in timings.items():
        result[f"{name}_ms_median"] = round(statistics.median(values), 2)
        result[f"{name}_ms_p90"] = round(percentile(values, 90), 2)
    for name, values in (cold or {}).items():
        if values:
            result[f"{name}_cold_ms_median"] = round(statistics.median(values), 2)
    baseline = result["baseline_ms_median"] or 1e-9
    result["ratios_to_baseline"] = {name: round(result[f"{name}_ms_median"] / baseline, 1)
                                    for name in timings if name != "baseline"}
    result["goals_ms"] = GOALS_MS
    result["meets_goals"] = {name: result[f"{name}_ms_median"] < goal
                             for name, goal in GOALS_MS.items()}
    result |= {"meters": bench.meters, "companies": bench.companies,
               "sharing_companies": bench.sharing_companies, "sensors": bench.sensors,
               "days": plan.days, "first_day": bench.first_day.isoformat(),
               "last_day": bench.last_day.isoformat(), "repeat": plan.repeat,
               "cold_rounds": plan.cold,
               "rollup_rows": {**bench.rows, "total": sum(bench.rows.values())},
               "build_seconds": bench.seconds, "database": dialect}
    return result


def run(plan: DashboardPlan, database_url: str | None = None,
        log: Callable[[str], None] = print,
        profile: Callable[[str], None] | None = None) -> dict:
    """Build the bench park, time the views, clean up; returns the figures."""
    with tempfile.TemporaryDirectory(prefix="werklandschap-bench-dash-") as tmp:
        url = database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        app = bench_app(url)
        engine = app.extensions[db.EXTENSION_KEY].kw["bind"]
        try:
            now = datetime.now(UTC)
            with app.app_context():
                bench = create(engine, plan.meters, plan.days, now)
            try:
                log(f"writing {plan.meters} meters x {plan.days} days of rollups into "
                    f"{engine.dialect.name} ...")
                fill(engine, bench, now, log)
                log(f"wrote {sum(bench.rows.values())} rollup rows in {bench.seconds} s; "
                    f"timing {plan.repeat} rounds ...")
                timings, cold = time_views(app, bench, plan.repeat, profile, plan.cold)
            finally:
                if database_url:
                    drop(engine, bench)
        finally:
            engine.dispose()
    return summarise(plan, bench, timings, engine.dialect.name, cold)
