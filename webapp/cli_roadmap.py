"""Roadmap commands of the `werklandschap` CLI: phase snapshots and `bench national`."""

from __future__ import annotations

import getpass
from datetime import date

import click

from . import db
from .audit import Actor, acting_as
from .bench_national import register_bench_national
from .services.phase_snapshots import backfill, take_snapshots
from .services.themes import today_amsterdam


def register(cli: click.Group, app_of) -> None:
    """Add these commands to *cli* and its `bench` group; *app_of(ctx)* returns the app."""
    bench = cli.commands["bench"]
    assert isinstance(bench, click.Group)
    cli.add_command(snapshots_command(app_of))
    register_bench(bench, app_of)


def register_bench(bench: click.Group, app_of) -> None:
    """Add the roadmap benchmarks (`bench national`) to the *bench* group."""
    register_bench_national(bench, app_of)


def _day(_ctx, _param, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter("use a date like 2026-03-31") from exc
    if day > today_amsterdam():
        raise click.BadParameter("the day lies in the future")
    return day


def snapshots_command(app_of) -> click.Command:
    """The `snapshots` command, bound to the app factory *app_of*."""

    @click.command("snapshots")
    @click.option("--day", callback=_day, metavar="YYYY-MM-DD",
                  help="Record the parks' current phase under this day (default: today).")
    @click.option("--backfill", "fill", is_flag=True,
                  help="Also reconstruct every missing day from each park's creation up to "
                       "yesterday from the audit history.")
    @click.option("--rebuild", is_flag=True,
                  help="With --backfill: replace stored days too (they are kept otherwise).")
    @click.pass_context
    def snapshots(ctx, day: date | None, fill: bool, rebuild: bool) -> None:
        """Store each park's phase of today (run daily); --backfill fills the days before."""
        if rebuild and not fill:
            raise click.UsageError("--rebuild only goes with --backfill.")
        app = app_of(ctx)
        with app.app_context(), acting_as(Actor(f"cli:{getpass.getuser()}")):
            session_db = db.session()
            if fill:
                result = backfill(session_db, rebuild=rebuild)
                click.echo(f"Backfill: {result.written} snapshots written, {result.kept} kept, "
                           f"{result.parks} parks over {result.days} days.")
            day = day or today_amsterdam()
            written = take_snapshots(session_db, day)
            session_db.commit()
            click.echo(f"Snapshot of {day.isoformat()}: {written} parks.")

    return snapshots
