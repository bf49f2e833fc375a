"""The sensor commands of the `werklandschap` CLI: mqtt-credentials, simulate, bench, ingest."""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from sensors.broker import free_port, mosquitto_user
from sensors.ingest import IngestSettings, PublishError, make_publisher
from sensors.mosquitto import native_topic
from tests.conftest import count, in_db, skip_or_fail
from tests.sensors.mqtt_fakes import wait_until
from tests.webapp.device_helpers import register_device
from tests.webapp.sensor_e2e_support import dead_letters, publish, reading_count
from tests.webapp.sensor_support import app_engine
from webapp.models import DeadLetter, Device, Reading, Sensor
from webapp.sensor_runtime import make_ingestor

pytest_plugins = ["tests.webapp.sensor_fixtures"]  # start_mosquitto, run_ingest

P1_CHANNELS = (("electricity_currently_delivered", "power", "kW"),)
MOMENT = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=10)


def native(n: int) -> bytes:
    """A native power reading of *n* kW, *n* seconds after MOMENT."""
    return json.dumps({"ts": (MOMENT + timedelta(seconds=n)).isoformat(),
                       "values": [{"field": "power", "value": n, "unit": "kW"}]}).encode()


@pytest.fixture
def devices(app, make_park):
    """meter-a (native, park-a) and p1-b (dsmr-reader split topics, park-b): uid -> secret."""
    park_a, park_b = make_park(slug="park-a"), make_park(slug="park-b")
    meter = register_device(app, park_a, uid="meter-a")
    p1 = register_device(app, park_b, uid="p1-b", fmt="dsmr", topic="dsmr/reading/#",
                         channels=P1_CHANNELS)
    return dict([meter, p1])


def credentials(runner, out, port: int) -> dict[str, str]:
    """Run mqtt-credentials into *out*; the service accounts' passwords it kept."""
    result = runner.invoke(["mqtt-credentials", "--out", str(out), "--port", str(port)])
    assert result.exit_code == 0, result.output
    return json.loads((out / "service-accounts.json").read_text())


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# -- mqtt-credentials ---------------------------------------------------------------------------


def test_mqtt_credentials_writes_the_broker_files_and_keeps_service_passwords(
        app, runner, devices, tmp_path):
    out = tmp_path / "mqtt"
    first = credentials(runner, out, 1884)
    assert set(first) == {"ingest", "simulator"}
    assert {p.name for p in out.iterdir()} == {"passwd", "acl", "mosquitto.conf",
                                               "service-accounts.json"}
    assert _mode(out / "passwd") == _mode(out / "service-accounts.json") == 0o600
    users = [line.split(":", 1)[0] for line in (out / "passwd").read_text().splitlines()]
    assert users == ["meter-a", "p1-b", "ingest", "simulator"]
    acl = (out / "acl").read_text()
    assert "user p1-b\ntopic write werklandschap/park-b/p1-b/up\ntopic write dsmr/reading/#" in acl
    assert "user ingest\ntopic read #" in acl
    conf = (out / "mosquitto.conf").read_text().splitlines()
    assert {"listener 1884", "allow_anonymous false", f"password_file {out / 'passwd'}",
            f"acl_file {out / 'acl'}"} <= set(conf)

    assert credentials(runner, out, 1884) == first  # a second run keeps the passwords
    assert _mode(out / "service-accounts.json") == 0o600


def test_mqtt_credentials_takes_configured_service_passwords(app, runner, devices, tmp_path):
    app.config["MQTT_INGEST_PASSWORD"] = "ingest-from-the-environment"
    kept = credentials(runner, tmp_path / "mqtt", 1884)
    assert kept["ingest"] == "ingest-from-the-environment"
    assert kept["simulator"]


def test_mosquitto_runs_on_the_generated_files_with_the_ingest_and_device_accounts(
        app, runner, devices, start_mosquitto, run_ingest, tmp_path):
    out, port = tmp_path / "mqtt", free_port()
    services = credentials(runner, out, port)
    if mosquitto_user():  # as root, mosquitto would drop to a user who cannot read passwd
        with (out / "mosquitto.conf").open("a") as conf:
            conf.write(f"user {mosquitto_user()}\n")
    broker = start_mosquitto(out / "mosquitto.conf", port)
    run_ingest(broker.url_as("ingest", services["ingest"]))
    as_meter = broker.url_as("meter-a", devices["meter-a"])
    assert publish(as_meter, [(native_topic("park-b", "meter-a"), native(1))]) == 0
    assert publish(as_meter, [(native_topic("park-a", "meter-a"), native(2))]) == 1
    as_p1 = broker.url_as("p1-b", devices["p1-b"])
    assert publish(as_p1, [("dsmr/reading/electricity_currently_delivered", "0.5")]) == 1
    wait_until(lambda: reading_count(app, "meter-a") == 1 and reading_count(app, "p1-b") == 1,
               what="both devices' readings")
    assert dead_letters(app) == []
    with pytest.raises(PublishError):
        make_publisher(broker.url_as("ingest", "not-the-password"), "intruder")


# -- simulate -----------------------------------------------------------------------------------


def test_simulate_backfill_stores_history_for_the_seeded_demo_devices(app, runner, caplog):
    assert runner.invoke(["seed"]).exit_code == 0
    with caplog.at_level(logging.WARNING, logger="webapp.sensor_runtime"):
        result = runner.invoke(["simulate", "--backfill", "0.5", "--no-live"])
    assert result.exit_code == 0, result.output
    intervals = in_db(app, lambda s: {uid: interval for uid, interval in s.execute(
        select(Device.uid, Device.interval_s).where(Device.active))})
    moments = in_db(app, lambda s: {uid: n for uid, n in s.execute(
        select(Device.uid, func.count(Reading.ts.distinct())).select_from(Device)
        .join(Sensor).join(Reading).group_by(Device.uid))})
    assert len(intervals) >= 4
    # Half a day of reports for every device and format (one moment per reporting interval).
    assert {uid: moments.get(uid, 0) >= 43_200 // interval - 1
            for uid, interval in intervals.items()} == dict.fromkeys(intervals, True)
    assert f"Stored {count(app, Reading)} historical readings." in result.output
    assert count(app, DeadLetter) == 0
    refused = [r.getMessage() for r in caplog.records if r.name == "webapp.sensor_runtime"]
    assert refused == []  # no simulated message was refused


@pytest.mark.parametrize(("args", "message"), [
    ([], "No active devices registered."),
    (["--park", "nergens"], "No active devices registered on nergens."),
])
def test_simulate_without_devices_fails_clearly(app, runner, args, message):
    result = runner.invoke(["simulate", "--no-live", *args])
    assert result.exit_code == 1
    assert f"Error: {message}" in result.output


# -- bench ingest -------------------------------------------------------------------------------


def test_bench_ingest_stores_every_message_and_ends_with_json(app, runner, mosquitto_executable):
    if shutil.which("mosquitto_sub") is None:
        skip_or_fail("mosquitto_sub is not installed")
    url = app.config["DATABASE_URL"]
    on_postgres = url.startswith("postgresql")
    extra = ["--database-url", url] if on_postgres else []  # else its own fresh SQLite file
    result = runner.invoke(["bench", "ingest", "--messages", "300", "--devices", "10",
                            "--json", *extra])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["sent"] == figures["stored"] == 300
    assert {"raw_rate", "ingest_rate", "ratio", "p50_ms", "p99_ms"} <= set(figures)
    assert all(figures[key] > 0 for key in ("raw_rate", "ingest_rate", "ratio", "p99_ms"))
    assert figures["database"] == ("postgresql" if on_postgres else "sqlite")
    assert count(app, Device) == 0  # the bench removed its devices again


# -- help -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("command", "options"), [
    (["ingest"], ["--shared", "--client-id", "--mqtt-url", "--batch-size", "--batch-interval",
                  "--mqtt-version"]),
    (["bench", "ingest"], ["--messages", "--devices", "--rate", "--duration", "--batch-size",
                           "--database-url", "--json"]),
    (["simulate"], ["--park", "--backfill", "--live / --no-live", "--mqtt-url"]),
    (["mqtt-credentials"], ["--out", "--port", "--data-dir"]),
])
def test_help_mentions_the_options(runner, command, options):
    result = runner.invoke([*command, "--help"])
    assert result.exit_code == 0, result.output
    assert [o for o in options if o not in result.output] == []


# -- ingest (a real process: it blocks until SIGTERM) ---------------------------------------------


def test_ingest_command_stores_the_backlog_and_stops_on_sigterm(
        app, devices, mosquitto, tmp_path):
    client_id = "cli-ingest"
    # Open the worker's persistent session first, so the broker queues what comes meanwhile.
    first = make_ingestor(app_engine(app), IngestSettings(url=mosquitto.url, client_id=client_id))
    first.start()
    assert first.wait_ready(15)
    first.stop()
    topic = native_topic("park-a", "meter-a")
    assert publish(mosquitto.url, [(topic, native(n)) for n in range(20)]) == 20

    env = {**os.environ, "WERKLANDSCHAP_DATABASE_URL": app.config["DATABASE_URL"],
           "WERKLANDSCHAP_INSTANCE_PATH": str(tmp_path / "instance")}
    process = subprocess.Popen(
        [sys.executable, "-c", "from webapp.cli import main; main()", "ingest", "--mqtt-url",
         mosquitto.url, "--client-id", client_id, "--batch-interval", "0.05"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_until(lambda: reading_count(app, "meter-a") == 20 or process.poll() is not None,
                   what="the backlog stored by the ingest command")
    finally:
        process.send_signal(signal.SIGTERM)
        _out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "20 readings stored, 0 dead letters" in err
    assert reading_count(app, "meter-a") == 20
