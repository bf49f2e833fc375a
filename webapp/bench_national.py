"""`werklandschap bench national`: the national dashboard's server side on a national registry.

Builds the synthetic registry (:mod:`webapp.services.national_synthetic`: 3,800 parks,
100,000 measures, one phase snapshot per park per day since the programme start) in a fresh
temporary SQLite file, or in the PostgreSQL database given with ``--database-url`` (the bench
removes its parks again afterwards). Then, after one warm-up request each, it times GET
/national as a logged-in coordinator and the public GET /progress, interleaved with the park
list (/parks/, the baseline: an ordinary page of the same app in the same run) and the home
page. Times are the Flask test client's, so they hold the whole server side (routing, queries,
charts, template) but no network.
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import click
from sqlalchemy import delete, text

from . import create_app, db
from .bench import percentile
from .models import Base, User
from .security import hash_password
from .services.national import national_overview, target_from_config
from .services.national_synthetic import (
    SyntheticPlan,
    SyntheticResult,
    build_registry,
    phase_share,
    remove_registry,
)
from .services.themes import today_amsterdam

GOAL_MS = 300
PAGES = {"national": "/national", "public": "/progress", "baseline": "/parks/", "home": "/"}
# CPU time of this process as well: on a busy machine it varies less than the wall clock (with
# SQLite it holds the queries too; a PostgreSQL server's work is not in it).
CPU = {"national_cpu": "national", "baseline_cpu": "baseline"}
EMAIL = "bench-national-{pid}@example.nl"
PASSWORD = "bench-national-not-secret"
FAST_HASHING = {"ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 1024, "ARGON2_PARALLELISM": 1}


@dataclass(frozen=True)
class NationalBench:
    """What to build and how often to time each page."""

    plan: SyntheticPlan
    repeat: int = 20
    database_url: str | None = None


def register_bench_national(bench_group: click.Group, app_of) -> None:
    """Add `national` to the `bench` group; *app_of(ctx)* gives the app (for the target)."""

    @bench_group.command("national")
    @click.option("--parks", default=3800, show_default=True, type=click.IntRange(1, 100_000))
    @click.option("--measures", default=100_000, show_default=True,
                  type=click.IntRange(0, 10_000_000))
    @click.option("--days", type=click.IntRange(1, 20_000),
                  help="Days of daily snapshots, ending today (default: every day since "
                       "PROGRAMME_START).")
    @click.option("--repeat", default=20, show_default=True, type=click.IntRange(1, 10_000))
    @click.option("--database-url", help="Build in this database instead of a fresh SQLite "
                  "file (its parks with slug nat-* are replaced and removed afterwards).")
    @click.option("--json", "as_json", is_flag=True, help="End with one line of JSON.")
    @click.pass_context
    def bench_national(ctx, parks, measures, days, repeat, database_url, as_json) -> None:
        """Time the national dashboard (/national) and the public page (/progress).

        The JSON has national_page_ms_median and _p90, public_page_ms_median, the park list
        as baseline with the ratio, the build time and the registry's size.
        """
        config = app_of(ctx).config
        last = today_amsterdam()
        first = (last - timedelta(days=days - 1) if days
                 else target_from_config(config).start)
        if first > last:
            raise click.BadParameter("PROGRAMME_START lies in the future; give --days.")
        plan = SyntheticPlan(parks=parks, measures=measures, first=first, last=last)
        target = {key: config[key] for key in ("TARGET_PARKS", "PROGRAMME_START", "TARGET_DATE")}
        result = run(NationalBench(plan, repeat, database_url), target,
                     log=lambda message: click.echo(message, err=True))
        print_result(result, as_json)


def run(bench: NationalBench, target_config: dict,
        log: Callable[[str], None] = print) -> dict:
    """Build the registry, time the pages and clean up; returns the figures."""
    with tempfile.TemporaryDirectory(prefix="werklandschap-national-") as tmp:
        url = bench.database_url or f"sqlite:///{Path(tmp) / 'national.sqlite'}"
        engine = db.make_engine(url)
        try:
            built, phases, seconds = _build(engine, bench.plan, log)
            app = create_app({"DATABASE_URL": url, "SECRET_KEY": os.urandom(16).hex(),
                              "WTF_CSRF_ENABLED": False, **FAST_HASHING, **target_config})
            app.instance_path = tmp
            log(f"timing {bench.repeat} requests per page ...")
            try:
                timings = _time_pages(app, bench.repeat)
            finally:
                app.extensions[db.EXTENSION_KEY].kw["bind"].dispose()
        finally:
            if bench.database_url:
                _clean_up(engine)
            engine.dispose()
    return {**summarise(bench, built, seconds, timings, engine.dialect.name),
            "phases_last_day": phases}


def _build(engine, plan: SyntheticPlan, log: Callable[[str], None]):
    Base.metadata.create_all(engine)
    _clean_up(engine)
    started = time.perf_counter()
    log(f"building {plan.parks} parks, {plan.measures} measures and daily snapshots "
        f"{plan.first} .. {plan.last} in {engine.dialect.name} ...")
    with engine.begin() as conn:
        built = build_registry(conn, plan, log)
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("ANALYZE"))  # as autovacuum would soon after a bulk load
        phases = phase_share(conn, plan.last)
    log("phases on the last day: " + ", ".join(f"{k} {v}" for k, v in phases.items()))
    return built, phases, time.perf_counter() - started


def _clean_up(engine) -> None:
    with engine.begin() as conn:
        remove_registry(conn)
        conn.execute(delete(User).where(User.email == EMAIL.format(pid=os.getpid())))


def _time_pages(app, repeat: int) -> dict[str, list[float]]:
    """Milliseconds per request for each page, interleaved so load changes hit all alike."""
    email = EMAIL.format(pid=os.getpid())
    with app.app_context():
        session = db.session()
        session.add(User(email=email, role="coordinator", name="Bench national",
                         password_hash=hash_password(PASSWORD)))
        session.commit()
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    if response.status_code != 302:
        raise RuntimeError("the bench coordinator could not log in")
    timings: dict[str, list[float]] = {name: [] for name in [*PAGES, *CPU, "overview"]}
    for _ in range(repeat + 1):  # the first round warms up and is dropped
        for name, path in PAGES.items():
            wall, cpu = _get_ms(client, path)
            timings[name].append(wall)
            if name in CPU.values():
                timings[f"{name}_cpu"].append(cpu)
        timings["overview"].append(_overview_ms(app))
    return {name: values[1:] for name, values in timings.items()}


def _get_ms(client, path: str) -> tuple[float, float]:
    """Wall-clock and CPU milliseconds of this process for one GET of *path*."""
    started, cpu = time.perf_counter(), time.process_time()
    response = client.get(path)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} answered {response.status_code}")
    return elapsed, (time.process_time() - cpu) * 1000


def _overview_ms(app) -> float:
    """The data part alone: the queries and the forecast behind the page."""
    with app.app_context():
        started = time.perf_counter()
        national_overview(db.session(), target_from_config(app.config))
        return (time.perf_counter() - started) * 1000


def summarise(bench: NationalBench, built: SyntheticResult, build_seconds: float,
              timings: dict[str, list[float]], dialect: str) -> dict:
    """The figures of one run (milliseconds rounded to 0.1)."""
    def median(name: str) -> float:
        return round(statistics.median(timings[name]), 1)

    def p90(name: str) -> float:
        return round(percentile(timings[name], 90), 1)

    national, baseline = median("national"), median("baseline")
    return {
        "parks": built.parks, "measures": built.measures, "theme_links": built.theme_links,
        "snapshots": built.snapshots, "history_first_day": bench.plan.first.isoformat(),
        "history_last_day": bench.plan.last.isoformat(), "snapshot_interval_days": 1,
        "database": dialect, "build_seconds": round(build_seconds, 2), "repeat": bench.repeat,
        "national_page_ms_median": national, "national_page_ms_p90": p90("national"),
        "public_page_ms_median": median("public"), "public_page_ms_p90": p90("public"),
        "overview_ms_median": median("overview"),
        "national_page_cpu_ms_median": median("national_cpu"),
        "baseline_cpu_ms_median": median("baseline_cpu"),
        "baseline": PAGES["baseline"], "baseline_ms_median": baseline,
        "home_ms_median": median("home"),
        "ratio": round(national / baseline, 1) if baseline else None,
        "goal_ms": GOAL_MS, "meets_goal": national < GOAL_MS,
    }


def print_result(result: dict, as_json: bool) -> None:
    """The figures for people, then (with *as_json*) one JSON line."""
    lines = [
        f"registry: {result['parks']} parks, {result['measures']} measures, "
        f"{result['snapshots']} daily snapshots {result['history_first_day']} .. "
        f"{result['history_last_day']} ({result['database']}, built in "
        f"{result['build_seconds']} s)",
        f"GET /national (coordinator)  median {result['national_page_ms_median']} ms, "
        f"p90 {result['national_page_ms_p90']} ms  (goal < {result['goal_ms']} ms: "
        f"{'met' if result['meets_goal'] else 'NOT met'})",
        f"GET /progress (public)       median {result['public_page_ms_median']} ms, "
        f"p90 {result['public_page_ms_p90']} ms",
        f"  of which the figures        median {result['overview_ms_median']} ms; CPU of "
        f"this process per /national {result['national_page_cpu_ms_median']} ms",
        f"baseline GET {result['baseline']}        median {result['baseline_ms_median']} ms  "
        f"(national / baseline = {result['ratio']}x); GET / {result['home_ms_median']} ms",
    ]
    for line in lines:
        click.echo(line)
    if as_json:
        click.echo(json.dumps(result))
