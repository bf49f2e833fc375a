"""The `werklandschap` command line."""

from __future__ import annotations

import functools
import getpass
import json
import os
import signal
import sys
from pathlib import Path

import click
from flask import Flask
from sqlalchemy import func, select

from . import cli_daily, cli_energy, cli_roadmap, cli_sensors, create_app, db, migrate
from .audit import Actor, acting_as
from .daily import run_chores
from .models import ROLES, Company, Park, User
from .numbers import MODES
from .security import create_api_token, hash_password
from .sensor_runtime import SensorStack
from .services import seeding
from .services.registry_csv import import_parks
from .services.themes import today_amsterdam


class AppHolder:
    """Creates the app on first use, so `--help` and `demo` choose their own settings first."""

    def __init__(self, app: Flask | None = None):
        self.app = app

    def get(self) -> Flask:
        if self.app is None:
            self.app = create_app()
        return self.app


def with_app(command):
    """Run *command* inside an app context, with changes attributed to the CLI in the audit."""

    @click.pass_context
    @functools.wraps(command)
    def wrapper(ctx, *args, **kwargs):
        app = ctx.ensure_object(AppHolder).get()
        actor = Actor(f"cli:{getpass.getuser()}")
        with app.app_context(), acting_as(actor):
            return ctx.invoke(command, app, *args, **kwargs)

    return wrapper


@click.group(help="Werklandschap: the platform of Werklandschappen van de Toekomst.",
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="werklandschap")
def cli() -> None:
    """Werklandschap command line."""


@cli.group("db")
def db_group() -> None:
    """Database schema migrations (Alembic)."""


@db_group.command("upgrade")
@click.argument("revision", default="head")
@with_app
def db_upgrade(app: Flask, revision: str) -> None:
    """Apply schema migrations up to REVISION (default: head)."""
    migrate.upgrade(app, revision)
    click.echo(f"Database at revision {migrate.current(app)}.")


@db_group.command("downgrade")
@click.argument("revision")
@with_app
def db_downgrade(app: Flask, revision: str) -> None:
    """Revert schema migrations down to REVISION."""
    migrate.downgrade(app, revision)
    click.echo(f"Database at revision {migrate.current(app)}.")


@db_group.command("current")
@with_app
def db_current(app: Flask) -> None:
    """Show the database's schema revision."""
    click.echo(migrate.current(app) or "(empty database)")


@db_group.command("revision")
@click.option("-m", "--message", required=True, help="What the migration does.")
@with_app
def db_revision(app: Flask, message: str) -> None:
    """Write a new migration from the difference between models and database (developers)."""
    migrate.revision(app, message)


@cli.command()
@click.option("--synthetic", type=click.IntRange(min=1), metavar="N",
              help="Add N synthetic parks (e.g. 3800, a national registry) for load tests.")
@click.option("--demo-users", is_flag=True, help="Also create one demo account per role.")
@with_app
def seed(app: Flask, synthetic: int | None, demo_users: bool) -> None:
    """Load the demo parks from seed_data/ (again: only what is new)."""
    session_db = db.session()
    if synthetic:
        with click.progressbar(length=synthetic, label="Synthetic parks", file=sys.stderr) as bar:
            seeding.seed_synthetic(session_db, synthetic, progress=bar.update)
        session_db.commit()
        click.echo(f"Added {synthetic} synthetic parks.")
        return
    parks, companies = seeding.seed_parks(session_db)
    measures, devices = seeding.seed_demo_content(session_db)
    accounts = seeding.create_demo_users(session_db) if demo_users else []
    session_db.commit()
    click.echo(f"Added {parks} parks, {companies} companies, {measures} measures and "
               f"{devices} devices.")
    _print_accounts(accounts)


def _print_accounts(accounts) -> None:
    for account in accounts:
        click.echo(
            f"  {account.role:<13} {account.email:<34} {account.password}  ({account.scope})"
        )


@cli.command("import-parks")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--numbers", "number_mode", type=click.Choice(MODES), default="auto",
              show_default=True,
              help="How numbers are written: nl = 1.234,5; en = 1,234.5; auto refuses "
                   "whatever could be read both ways.")
@click.option("--dry-run", is_flag=True, help="Only check the file; change nothing.")
@with_app
def import_parks_command(app: Flask, file: Path, number_mode: str, dry_run: bool) -> None:
    """Import parks from a CSV FILE as Dutch Excel writes it; all or nothing."""
    raw = file.read_bytes()
    rows = max(0, raw.count(b"\n") - 1) or 1
    session_db = db.session()
    with click.progressbar(length=rows, label=f"Checking {file.name}", file=sys.stderr) as bar:
        result = import_parks(session_db, raw, number_mode, progress=bar.update)
    if not result.ok:
        session_db.rollback()
        click.echo(f"Nothing imported: {len(result.errors)} problem(s).", err=True)
        for error in result.errors[:200]:
            column = f" [{error.column}]" if error.column else ""
            click.echo(f"  line {error.line}{column}: {error.message}", err=True)
        if len(result.errors) > 200:
            click.echo(f"  ... and {len(result.errors) - 200} more.", err=True)
        raise SystemExit(1)
    if dry_run:
        session_db.rollback()
        click.echo(f"File is valid: {result.created} new, {result.updated} to update "
                   "(dry run, nothing changed).")
        return
    session_db.commit()
    click.echo(f"Imported: {result.created} new parks, {result.updated} updated.")


@cli.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--name", default="", help="Display name.")
@click.option("--park", "park_slugs", multiple=True, metavar="SLUG",
              help="Park a park manager manages (repeat for more).")
@click.option("--company", "company_id", type=int, help="Company id of a member user.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_app
def create_user(app: Flask, email: str, role: str, name: str, park_slugs: tuple[str, ...],
                company_id: int | None, password_stdin: bool) -> None:
    """Create an account; the password is asked for (or read from stdin)."""
    session_db = db.session()
    email = email.strip().lower()
    if "@" not in email:
        raise click.BadParameter("not an e-mail address", param_hint="EMAIL")
    if session_db.scalar(select(User).where(User.email == email)):
        raise click.ClickException(f"An account for {email} already exists.")
    parks = [session_db.scalar(select(Park).where(Park.slug == s)) for s in park_slugs]
    missing = [s for s, p in zip(park_slugs, parks, strict=True) if p is None]
    if missing:
        raise click.BadParameter(f"no park {', '.join(missing)}", param_hint="--park")
    if role == "park_manager" and not parks:
        raise click.BadParameter("a park manager needs at least one --park", param_hint="--park")
    company = session_db.get(Company, company_id) if company_id else None
    if role == "member" and company is None:
        raise click.BadParameter("a member needs an existing --company id",
                                 param_hint="--company")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < 12:
        raise click.BadParameter("use at least 12 characters", param_hint="password")
    user = User(email=email, role=role, name=name, password_hash=hash_password(password),
                parks=parks if role == "park_manager" else [],
                company=company if role == "member" else None)
    session_db.add(user)
    session_db.commit()
    click.echo(f"Created {role} {email}.")


@cli.command("create-token")
@click.argument("user")
@click.option("--name", default="cli", help="What the token is for.")
@with_app
def create_token(app: Flask, user: str, name: str) -> None:
    """Print a new API bearer token for USER (e-mail); only its hash is stored."""
    session_db = db.session()
    account = session_db.scalar(select(User).where(User.email == user.strip().lower()))
    if account is None:
        raise click.ClickException(f"No account {user}.")
    token = create_api_token(session_db, account, name)
    session_db.commit()
    click.echo(token)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
def serve(host: str, port: int, workers: int) -> None:
    """Run the web app under gunicorn (production)."""
    from gunicorn.app.wsgiapp import run

    sys.argv = ["gunicorn", "--workers", str(workers), "--bind", f"{host}:{port}",
                "--access-logfile", "-", "webapp.wsgi:app"]
    run()


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--data", "data_dir", default="werklandschap-data", show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the demo database, secret key and demo passwords.")
@click.option("--sensors/--no-sensors", default=True, show_default=True,
              help="Start the MQTT broker, sensor simulator and ingest (embedded defaults).")
@click.option("--history-days", default=7.0, show_default=True, type=click.FloatRange(0, 90),
              help="Days of simulated sensor history stored on first start.")
@click.pass_context
def demo(ctx, host: str, port: int, data_dir: Path, sensors: bool, history_days: float) -> None:
    """Set up and run the demo: database, seeded parks, themes and measures, demo accounts,
    MQTT broker, sensor simulator and ingest, and the web server."""
    data_dir = data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["WERKLANDSCHAP_INSTANCE_PATH"] = str(data_dir)
    app = create_app()
    ctx.ensure_object(AppHolder).app = app
    migrate.upgrade(app)
    accounts_file = data_dir / "demo-accounts.json"
    known = json.loads(accounts_file.read_text()) if accounts_file.exists() else {}
    with app.app_context(), acting_as(Actor("demo")):
        session_db = db.session()
        if not session_db.scalar(select(func.count()).select_from(Park)):
            parks, companies = seeding.seed_parks(session_db)
            click.echo(f"Seeded {parks} parks and {companies} companies.")
        measures, devices = seeding.seed_demo_content(session_db)
        if measures or devices:
            click.echo(f"Seeded {measures} measures and experiments, and {devices} devices.")
        accounts = seeding.create_demo_users(session_db, known)
        session_db.commit()
    _save_accounts(accounts_file, {a.email: a.password for a in accounts})
    click.echo(f"\nWerklandschap demo: http://{host}:{port}/  (data in {data_dir})")
    click.echo("Demo accounts (role, e-mail, password, scope):")
    _print_accounts(accounts)
    stack = None
    if sensors:
        stack = SensorStack(cli_sensors.app_engine(app), data_dir, app.config["MQTT_URL"],
                            app.config["RAW_RETENTION_DAYS"])
        stack.start(history_days, echo=click.echo)
        click.echo(f"Simulated devices publish over MQTT to {stack.url}; the ingest stores them.")
    with app.app_context(), acting_as(Actor("demo")):
        session_db = db.session()
        chores = run_chores(session_db, today_amsterdam())
        session_db.commit()
    click.echo(f"Recorded today's phase of {chores.snapshots} parks; sensor indicators: "
               f"{chores.indicators.created + chores.indicators.updated} values.")
    # SIGTERM ends the demo like Ctrl-C does, so the broker and workers are stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        app.run(host=host, port=port, debug=False, use_reloader=False)
    finally:
        if stack:
            stack.stop()


def _save_accounts(path: Path, passwords: dict[str, str]) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(passwords, fh, indent=2)


cli_sensors.register(cli, lambda ctx: ctx.ensure_object(AppHolder).get())
cli_energy.register(cli, lambda ctx: ctx.ensure_object(AppHolder).get())
cli_roadmap.register(cli, lambda ctx: ctx.ensure_object(AppHolder).get())
cli_daily.register(cli, lambda ctx: ctx.ensure_object(AppHolder).get())


def main() -> None:
    """Console script entry point."""
    cli(obj=AppHolder())
