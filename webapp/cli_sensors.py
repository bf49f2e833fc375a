"""Sensor commands of the `werklandschap` CLI: ingest, simulate, mqtt-credentials, bench."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import sys
from pathlib import Path

import click
from flask import Flask
from sqlalchemy import Engine, select

from sensors.ingest_config import IngestSettings
from sensors.mosquitto import DeviceAccount, native_topic, password_hash, write_config

from . import db
from .bench import BenchPlan
from .bench import run as run_bench
from .models import Device, Park
from .sensor_runtime import LiveSimulator, Upkeep, backfill, make_ingestor, simulated_devices

DEFAULT_MQTT_URL = "mqtt://127.0.0.1:1883"


def app_engine(app: Flask) -> Engine:
    """An engine of its own for a long-running worker (not tied to an app context)."""
    return db.make_engine(app.config["DATABASE_URL"], echo=app.config["SQL_ECHO"])


def _print_bench(result: dict, as_json: bool) -> None:
    lines = [
        f"sent {result['sent']}, stored {result['stored']}, dead letters {result['dead_letters']}"
        f" ({result['devices']} devices, {result['database']})",
        f"raw mosquitto_sub rate  {result['raw_rate']:>10.1f} msg/s",
        f"ingest rate (committed) {result['ingest_rate']:>10.1f} msg/s   ratio "
        f"{result['ratio']:.3f}",
        f"publish-to-commit p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms",
        f"ingest CPU {result['ingest_cpu_pct_of_one_core']}% of one core "
        f"over {result['seconds']} s",
    ]
    for line in lines:
        click.echo(line)
    if as_json:
        click.echo(json.dumps(result))


def mqtt_url(app: Flask, given: str | None = None) -> str:
    """The broker URL: the option, else WERKLANDSCHAP_MQTT_URL, else a local broker."""
    return given or app.config.get("MQTT_URL") or DEFAULT_MQTT_URL


def register(cli: click.Group, app_of) -> None:
    """Add the sensor commands to *cli*; *app_of(ctx)* returns the Flask app."""

    @cli.command()
    @click.option("--shared", "shared_group", metavar="GROUP",
                  help="Join MQTT shared subscription GROUP, so several workers split the load.")
    @click.option("--client-id", help="Fixed MQTT client id (the broker keeps this worker's "
                  "session and backlog under it). Default: werklandschap-ingest[-GROUP-HOST].")
    @click.option("--mqtt-url", "url", help="Broker URL, mqtt[s]://user:password@host:port "
                  "(default: WERKLANDSCHAP_MQTT_URL, else mqtt://127.0.0.1:1883).")
    @click.option("--batch-size", default=500, show_default=True, type=click.IntRange(1, 100000),
                  help="Commit after this many messages ...")
    @click.option("--batch-interval", default=0.25, show_default=True,
                  type=click.FloatRange(0.001, 60), help="... or after this many seconds.")
    @click.option("--mqtt-version", type=click.Choice(["5", "3.1.1"]), default="5",
                  show_default=True)
    @click.pass_context
    def ingest(ctx, shared_group, client_id, url, batch_size, batch_interval,
               mqtt_version) -> None:
        """Store sensor messages from the MQTT broker until stopped (SIGTERM/Ctrl-C).

        Messages are acknowledged only after their batch is committed, so a crash loses nothing:
        the broker redelivers, and readings are unique on (sensor, time).
        """
        app = app_of(ctx)
        if not client_id:
            client_id = "werklandschap-ingest"
            if shared_group:
                client_id += f"-{shared_group}-{socket.gethostname()}"
        settings = IngestSettings(url=mqtt_url(app, url), client_id=client_id,
                                  shared_group=shared_group, batch_size=batch_size,
                                  batch_interval=batch_interval, mqtt_version=mqtt_version)
        engine = app_engine(app)
        ctx.call_on_close(engine.dispose)  # close its connections however the command ends
        ingestor = make_ingestor(engine, settings, app.config["RAW_RETENTION_DAYS"])
        upkeep = Upkeep(engine, app.config["RAW_RETENTION_DAYS"])
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: ingestor.stop())
        click.echo(f"Ingesting from {_redacted(settings.url)} as {client_id}"
                   + (f" in shared group {shared_group}" if shared_group else "") + " ...",
                   err=True)
        upkeep.start()
        try:
            ingestor.run_forever()
        finally:
            upkeep.stop()
            stats = ingestor.stats
            click.echo(f"Stopped: {stats.received} received, {stats.stored} readings stored, "
                       f"{stats.dead} dead letters.", err=True)

    @cli.command()
    @click.option("--park", "parks", multiple=True, metavar="SLUG",
                  help="Simulate only this park's devices (repeat for more; default all).")
    @click.option("--backfill", "backfill_days", type=click.FloatRange(0, 400), default=0,
                  show_default=True, help="First store this many days of history directly.")
    @click.option("--live/--no-live", default=True, show_default=True,
                  help="Keep publishing readings over MQTT as they fall due.")
    @click.option("--mqtt-url", "url",
                  help="Broker to publish to (default: WERKLANDSCHAP_MQTT_URL).")
    @click.pass_context
    def simulate(ctx, parks, backfill_days, live, url) -> None:
        """Simulate believable sensor data for the registered devices.

        PV follows the sun for the date and the park's latitude; consumption follows office
        hours and weekends; rain fills the wadi; air quality has traffic peaks. Live messages are
        published in each device's own format; sensor.community devices go the HTTP-ingest way.
        """
        app = app_of(ctx)
        engine = app_engine(app)
        ctx.call_on_close(engine.dispose)  # close its connections however the command ends
        devices = simulated_devices(engine, parks)
        if not devices:
            raise click.ClickException("No active devices registered"
                                       + (f" on {', '.join(parks)}" if parks else "") + ".")
        click.echo(f"{len(devices)} devices.", err=True)
        if backfill_days:
            with click.progressbar(length=0, label="Backfilling readings", file=sys.stderr,
                                   show_pos=True) as bar:
                stored = backfill(engine, devices, backfill_days, progress=bar.update)
            click.echo(f"Stored {stored} historical readings.", err=True)
        if live:
            simulator = LiveSimulator(engine, mqtt_url(app, url), parks)
            click.echo(f"Publishing to {_redacted(simulator.mqtt_url)}; Ctrl-C stops.", err=True)
            with contextlib.suppress(KeyboardInterrupt):
                simulator.run()
            click.echo(f"Published {simulator.published} messages.", err=True)

    @cli.group()
    def bench() -> None:
        """Benchmarks; each prints its figures against a baseline measured in the same run."""

    @bench.command("ingest")
    @click.option("--messages", default=20000, show_default=True, type=click.IntRange(1),
                  help="How many messages to send (ignored with --duration).")
    @click.option("--devices", default=100, show_default=True, type=click.IntRange(1, 100000))
    @click.option("--rate", type=click.FloatRange(1), help="Messages per second (default: as "
                  "fast as the publisher can).")
    @click.option("--duration", type=click.FloatRange(1), help="With --rate: seconds to "
                  "sustain it (messages = rate x duration).")
    @click.option("--batch-size", default=500, show_default=True, type=click.IntRange(1))
    @click.option("--database-url", help="Database to commit to (default: a fresh SQLite file; "
                  "a PostgreSQL URL benches PostgreSQL — the bench adds and removes its own park).")
    @click.option("--json", "as_json", is_flag=True, help="End with one line of JSON.")
    def bench_ingest(messages, devices, rate, duration, batch_size, database_url,
                     as_json) -> None:
        """Raw broker rate (mosquitto_sub, QoS 1) against our ingest committing to the database.

        Both halves run against one fresh local Mosquitto on the same messages; the JSON has
        raw_rate, ingest_rate, ratio, sent, stored, p50_ms, p99_ms and the ingest's CPU use.
        """
        if duration:
            if not rate:
                raise click.BadParameter("needs --rate", param_hint="--duration")
            messages = int(rate * duration)
        plan = BenchPlan(messages=messages, devices=devices, rate=rate, batch_size=batch_size)
        try:
            result = run_bench(plan, database_url, log=lambda m: click.echo(m, err=True))
        except RuntimeError as exc:
            raise click.ClickException(str(exc)) from exc
        _print_bench(result, as_json)
        if result["stored"] != result["sent"]:
            raise SystemExit(1)

    @cli.command("mqtt-credentials")
    @click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
                  help="Folder for passwd, acl and mosquitto.conf (default: <instance>/mosquitto).")
    @click.option("--port", default=1883, show_default=True, type=click.IntRange(1, 65535))
    @click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path),
                  help="Where the broker keeps its persistence file (default: the --out folder).")
    @click.pass_context
    def mqtt_credentials(ctx, out_dir, port, data_dir) -> None:
        """Write a Mosquitto password file, per-park ACL and mosquitto.conf for all devices.

        Each device may publish only on its own topics under its own park; the ingest account
        reads everything. The ingest and simulator passwords come from
        WERKLANDSCHAP_MQTT_INGEST_PASSWORD / _SIMULATOR_PASSWORD, else they are generated once;
        either way they are kept in service-accounts.json (mode 600) next to the files.
        Reload mosquitto afterwards (SIGHUP) to apply new devices.
        """
        app = app_of(ctx)
        out_dir = (out_dir or Path(app.instance_path) / "mosquitto").resolve()
        services = _service_accounts(out_dir, {
            "ingest": app.config.get("MQTT_INGEST_PASSWORD", ""),
            "simulator": app.config.get("MQTT_SIMULATOR_PASSWORD", ""),
        })
        with app.app_context():
            accounts = _device_accounts(db.session())
        paths = write_config(out_dir, accounts,
                             {name: password_hash(pw) for name, pw in services.items()},
                             ingest_user="ingest", simulator_user="simulator", port=port,
                             data_dir=data_dir)
        written = ", ".join(str(p) for p in paths.values())
        click.echo(f"{len(accounts)} device accounts; wrote {written}")
        click.echo("Run the ingest with WERKLANDSCHAP_MQTT_URL="
                   f"mqtt://ingest:<password in {out_dir / 'service-accounts.json'}>@HOST:{port}")


def _redacted(url: str) -> str:
    """The URL without its password, for logs."""
    if "@" not in url:
        return url
    scheme, rest = url.split("://", 1)
    credentials, host = rest.rsplit("@", 1)
    return f"{scheme}://{credentials.split(':', 1)[0]}:***@{host}"


def _service_accounts(out_dir: Path, given: dict[str, str]) -> dict[str, str]:
    """Passwords of the ingest and simulator accounts: as configured, else created once."""
    path = out_dir / "service-accounts.json"
    known = json.loads(path.read_text()) if path.exists() else {}
    for name in ("ingest", "simulator"):
        if given.get(name):
            known[name] = given[name]
        known.setdefault(name, secrets.token_urlsafe(24))
    out_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(known, fh, indent=2)
    return known


def _device_accounts(session) -> list[DeviceAccount]:
    rows = session.execute(
        select(Device.uid, Device.mqtt_password_hash, Device.topic, Park.slug)
        .join(Park).where(Device.active, Device.mqtt_password_hash.is_not(None))
        .order_by(Device.uid)
    ).all()
    accounts = []
    for uid, hashed, topic, park_slug in rows:
        extra = (topic,) if topic and topic != native_topic(park_slug, uid) else ()
        accounts.append(DeviceAccount(uid, hashed, park_slug, extra))
    return accounts
