"""Energy commands of the `werklandschap` CLI: sensor indicators and `bench dashboards`."""

from __future__ import annotations

import json

import click

from .bench_dashboards import GOALS_MS, DashboardPlan
from .bench_dashboards import run as run_dashboards
from .services.sensor_indicators import register_indicators_command

VIEW_LABELS = {
    "baseline": "baseline: GET /",
    "park_page": "park energy page, default period",
    "park_month": "park energy page, a month",
    "park_year": "park energy page, a year",
    "meter_year": "one meter's year (API)",
    "meter_year_page": "one meter's year (meter page)",
    "company_year": "company energy page, a year",
    "api_park_month": "park energy API, a month",
}


def _print_dashboards(result: dict, as_json: bool) -> None:
    rows = result["rollup_rows"]
    click.echo(f"{result['meters']} meters of {result['companies']} companies "
               f"({result['sharing_companies']} sharing), {result['sensors']} registers, "
               f"{result['first_day']} .. {result['last_day']} ({result['database']})")
    click.echo(f"rollup rows: 15m {rows['15m']}, 1h {rows['1h']}, 1d {rows['1d']} "
               f"(total {rows['total']}), built in {result['build_seconds']} s")
    click.echo(f"{'view':<36} {'median ms':>10} {'p90 ms':>9} {'x baseline':>11}")
    for name, label in VIEW_LABELS.items():
        ratio = result["ratios_to_baseline"].get(name, 1.0)
        click.echo(f"{label:<36} {result[f'{name}_ms_median']:>10.1f} "
                   f"{result[f'{name}_ms_p90']:>9.1f} {ratio:>11.1f}")
    for name, goal in GOALS_MS.items():
        verdict = "met" if result["meets_goals"][name] else "MISSED"
        click.echo(f"goal {name} median < {goal:.0f} ms: {verdict}")
    if as_json:
        click.echo(json.dumps(result))


def register(cli: click.Group, app_of) -> None:
    """Add these commands to *cli* and its `bench` group; *app_of(ctx)* returns the app."""
    bench = cli.commands["bench"]
    assert isinstance(bench, click.Group)
    register_indicators_command(cli, app_of)

    @bench.command("dashboards")
    @click.option("--meters", default=50, show_default=True, type=click.IntRange(3, 2000))
    @click.option("--days", default=365, show_default=True, type=click.IntRange(1, 800),
                  help="Amsterdam days of 15-minute data, up to today.")
    @click.option("--repeat", default=20, show_default=True, type=click.IntRange(1, 10000),
                  help="Timed requests per view (after one warm-up each).")
    @click.option("--database-url", help="Database to build in (default: a fresh SQLite file; "
                  "a PostgreSQL URL benches PostgreSQL — the bench adds and removes its own "
                  "park).")
    @click.option("--profile", is_flag=True, help="Also print a cProfile summary of one "
                  "request per view (to stderr).")
    @click.option("--json", "as_json", is_flag=True, help="End with one line of JSON.")
    def bench_dashboards(meters, days, repeat, database_url, profile, as_json) -> None:
        """Server-side time of the energy dashboards on a park with a year of rollups.

        Builds a park of METERS meters (import; export and PV on one in three) of sharing
        companies with DAYS days of 15-minute, hourly and daily rollups, then times the park
        energy page (default period, a month, a year), one meter's year and the park API as a
        logged-in board member, against a trivial page measured in the same run. The JSON has
        park_page_ms_median and meter_year_ms_median (goals: < 300 and < 50 ms), p90s, the
        other views, ratios to the baseline, build seconds and row counts.
        """
        plan = DashboardPlan(meters=meters, days=days, repeat=repeat)
        try:
            result = run_dashboards(plan, database_url, log=lambda m: click.echo(m, err=True),
                                    profile=(lambda text: click.echo(text, err=True))
                                    if profile else None)
        except RuntimeError as exc:
            raise click.ClickException(str(exc)) from exc
        _print_dashboards(result, as_json)
