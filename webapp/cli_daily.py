"""The `werklandschap daily` command: keep national progress and sensor indicators current."""

from __future__ import annotations

import getpass
import logging
import time

import click

from . import db
from .audit import Actor, acting_as
from .daily import ChoresResult, run_chores
from .services.themes import today_amsterdam

log = logging.getLogger(__name__)


def _describe(result: ChoresResult) -> str:
    counts = result.indicators
    return (f"{result.day.isoformat()}: {result.snapshots} park phases recorded "
            f"({result.missed_days_written} snapshots of missed days), sensor indicators "
            f"{counts.created} created, {counts.updated} updated, {counts.removed} removed.")


def register(cli: click.Group, app_of) -> None:
    """Add `daily` to *cli*; *app_of(ctx)* returns the app."""

    @cli.command("daily")
    @click.option("--every", type=click.IntRange(60), metavar="SECONDS",
                  help="Keep running and repeat after this many seconds (default: run once).")
    @click.pass_context
    def daily(ctx, every: int | None) -> None:
        """Record today's phase of every park (and any missed day) and fill sensor indicators.

        Run it once a day (cron), or with --every 3600 as a long-running service; every run is
        idempotent.
        """
        app = app_of(ctx)
        while True:
            try:
                with app.app_context(), acting_as(Actor(f"cli:{getpass.getuser()}")):
                    session_db = db.session()
                    result = run_chores(session_db, today_amsterdam())
                    session_db.commit()
                click.echo(_describe(result))
            except Exception:
                if every is None:
                    raise
                log.exception("daily chores failed; trying again in %s s", every)
            if every is None:
                return
            time.sleep(every)
