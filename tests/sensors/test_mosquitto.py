"""Generated mosquitto credentials, ACLs and config, checked against the real mosquitto 2."""

from __future__ import annotations

import base64
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from sensors.broker import free_port
from sensors.formats import topic_matches
from sensors.ingest import PublishError, close_publisher, make_publisher, publish_all
from sensors.mosquitto import (
    DeviceAccount,
    acl_file,
    check_publish_topic,
    mosquitto_conf,
    password_file,
    password_hash,
    verify_password,
    write_config,
)
from tests.conftest import skip_or_fail
from tests.sensors.conftest import broker_conf
from tests.sensors.mqtt_fakes import FakeRegistry, MemorySink, device, seq_payload, wait_until

HASH = re.compile(r"^\$7\$101\$[A-Za-z0-9+/]{16}\$[A-Za-z0-9+/]{86}==$")


def account(uid: str, park: str, *topics: str) -> DeviceAccount:
    return DeviceAccount(uid, password_hash(f"pw-{uid}"), park, topics)


# -- password hashes --------------------------------------------------------------------------


def test_hash_has_mosquitto_format_and_a_fresh_salt():
    first, second = password_hash("geheim"), password_hash("geheim")
    assert HASH.match(first), first
    assert first != second
    assert verify_password("geheim", first)
    assert not verify_password("Geheim", first)


def test_hash_equals_what_mosquitto_passwd_writes(tmp_path):
    tool = shutil.which("mosquitto_passwd")
    if tool is None:
        skip_or_fail("mosquitto_passwd is not installed")
    path = tmp_path / "passwd"
    subprocess.run([tool, "-c", "-b", str(path), "meter-1", "s3cret w0rd"], check=True)
    written = path.read_text().strip().split(":", 1)[1]
    salt = base64.b64decode(written.split("$")[3])
    assert password_hash("s3cret w0rd", salt=salt) == written
    assert verify_password("s3cret w0rd", written)


def test_empty_password_is_refused():
    with pytest.raises(ValueError):
        password_hash("")


# -- files -------------------------------------------------------------------------------------


def test_password_file_lists_devices_and_services():
    devices = [account("meter-1", "park-a"), account("meter-2", "park-b")]
    text = password_file(devices, {"ingest": password_hash("x")})
    users = [line.split(":", 1)[0] for line in text.splitlines()]
    assert users == ["meter-1", "meter-2", "ingest"]
    assert all(HASH.match(line.split(":", 1)[1]) for line in text.splitlines())


@pytest.mark.parametrize(("devices", "services"), [
    ([account("meter-1", "park-a"), account("meter-1", "park-b")], {}),
    ([account("meter-1", "park-a")], {"meter-1": password_hash("x")}),
    ([DeviceAccount("meter-1", "plain-text", "park-a")], {}),
    ([account("bad name", "park-a")], {}),
    ([account("colon:name", "park-a")], {}),
    ([], {"ingest": "$7$101$salt$hash\nevil:$7$1$a$b"}),
])
def test_password_file_refuses_unsafe_or_duplicate_entries(devices, services):
    with pytest.raises(ValueError):
        password_file(devices, services)


def _blocks(text: str) -> dict[str, list[str]]:
    blocks: dict[str, list[str]] = {}
    for block in text.split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#")]
        if lines:
            blocks[lines[0].removeprefix("user ")] = lines[1:]
    return blocks


def test_acl_gives_each_device_only_its_own_topics():
    devices = [account("meter-1", "park-a", "dsmr/meter-1"), account("meter-2", "park-b")]
    blocks = _blocks(acl_file(devices, "ingest", "simulator"))
    assert blocks["meter-1"] == ["topic write werklandschap/park-a/meter-1/up",
                                 "topic write dsmr/meter-1"]
    assert blocks["meter-2"] == ["topic write werklandschap/park-b/meter-2/up"]
    assert blocks["ingest"] == ["topic read #", "topic read $share/#"]
    assert blocks["simulator"] == [*blocks["meter-1"], *blocks["meter-2"]]
    readers = [user for user, rules in blocks.items() if any(" read " in r for r in rules)]
    assert readers == ["ingest"]


@pytest.mark.parametrize("topic", [
    "dsmr/reading/#", "dsmr/#", "tele/+/SENSOR", "v3/+/devices/+/up", "senml/+/#",
    "tele/meter-1/SENSOR", "werklandschap/park-a/meter-1/up",
])
def test_acl_lets_a_device_write_its_topic_or_topic_filter(topic):
    blocks = _blocks(acl_file([account("meter-1", "park-a", topic)], "ingest"))
    assert f"topic write {topic}" in blocks["meter-1"]
    assert check_publish_topic(topic) == topic


@pytest.mark.parametrize("topic", [
    "", "$SYS/x", "$share/g/dsmr/#", "a\nuser root", "a\rb", "a\x00b", "a\x1fb", "a\x7fb",
    "a#", "a/b#/c", "a/#/c", "#/a", "a/+b", "a/b+/c", "a/++",
    "#", "+", "+/reading/#",
    "werklandschap/#", "werklandschap/park-b/+/up", "werklandschap/+/meter-1/up",
    "x" * 65536,
])
def test_acl_refuses_unsafe_or_malformed_device_topics(topic):
    with pytest.raises(ValueError):
        check_publish_topic(topic)
    with pytest.raises(ValueError):
        acl_file([account("meter-1", "park-a", topic)], "ingest")


@pytest.mark.parametrize("line", [
    "per_listener_settings false",
    "listener 1884",
    "allow_anonymous false",
    "persistence true",
    "persistence_location /data/mqtt/",
    "max_queued_messages 100000",
    "max_inflight_messages 1000",
    "password_file /etc/mosquitto/passwd",
    "acl_file /etc/mosquitto/acl",
    "autosave_interval 60",
])
def test_production_conf_contains(line):
    conf = mosquitto_conf(Path("/data/mqtt"), 1884, Path("/etc/mosquitto/passwd"),
                          Path("/etc/mosquitto/acl"))
    assert line in conf.splitlines()


def test_write_config_keeps_the_password_file_private(tmp_path):
    paths = write_config(tmp_path / "mqtt", [account("meter-1", "park-a")],
                         {"ingest": password_hash("x")}, ingest_user="ingest", port=1890)
    assert set(paths) == {"password_file", "acl_file", "conf"}
    assert stat.S_IMODE(paths["password_file"].stat().st_mode) == 0o600
    assert f"password_file {paths['password_file']}" in paths["conf"].read_text()
    assert "user meter-1" in paths["acl_file"].read_text()


def test_write_config_needs_a_password_for_each_service(tmp_path):
    with pytest.raises(ValueError):
        write_config(tmp_path, [], {"ingest": password_hash("x")}, ingest_user="ingest",
                     simulator_user="simulator")


# -- against a real mosquitto -------------------------------------------------------------------


@pytest.fixture
def secured_broker(start_mosquitto, tmp_path):
    """mosquitto with write_config() credentials: meter-1 and p1-meter (topic filter
    dsmr/reading/#) in park-a, meter-2 in park-b."""
    port = free_port()
    devices = [account("meter-1", "park-a"), account("meter-2", "park-b", "dsmr/meter-2"),
               account("p1-meter", "park-a", "dsmr/reading/#")]
    services = {"ingest": password_hash("pw-ingest"), "simulator": password_hash("pw-sim")}
    directory = tmp_path / "secured"
    paths = write_config(directory, devices, services, ingest_user="ingest",
                         simulator_user="simulator", port=port)
    extra = {"password_file": paths["password_file"], "acl_file": paths["acl_file"]}
    paths["conf"].write_text(broker_conf(directory, port, **extra), "utf-8")
    return start_mosquitto(paths["conf"], port)


def _publish(broker, user: str, messages) -> int:
    publisher = make_publisher(broker.url_as(user, f"pw-{user}"), f"client-{user}")
    try:
        return publish_all(publisher, messages)
    finally:
        close_publisher(publisher)


@pytest.mark.parametrize("shared_group", [None, "workers"])
def test_device_can_publish_only_under_its_own_park(secured_broker, make_ingestor, shared_group):
    meter_1, meter_2 = device("meter-1", "park-a", number=1), device("meter-2", "park-b", number=2)
    sink = MemorySink()
    make_ingestor(secured_broker.url_as("ingest", "pw-ingest"), FakeRegistry(meter_1, meter_2),
                  sink, shared_group=shared_group)
    foreign = [(meter_2.topic, seq_payload(1)), ("werklandschap/park-b/meter-1/up", seq_payload(2)),
               ("dsmr/meter-2", seq_payload(3))]
    assert _publish(secured_broker, "meter-1", foreign) == 0  # MQTT v5: "not authorized"
    assert _publish(secured_broker, "meter-1", [(meter_1.topic, seq_payload(4))]) == 1
    wait_until(lambda: sink.readings, what="meter-1's own reading")
    assert sink.seqs() == {4}
    assert sink.dead_letters == []


class FilterRegistry(FakeRegistry):
    """Looks devices up by their topic filter, as the database registry does."""

    def lookup(self, topic: str):
        return next((d for f, d in self.devices.items() if topic_matches(f, topic)), None)


def test_device_may_publish_under_its_topic_filter_and_nowhere_else(secured_broker,
                                                                     make_ingestor):
    p1_meter = device("p1-meter", "park-a", number=3, topic="dsmr/reading/#")
    sink = MemorySink()
    make_ingestor(secured_broker.url_as("ingest", "pw-ingest"), FilterRegistry(p1_meter), sink)
    outside = [("dsmr/json", seq_payload(1)), ("dsmr/readings/power", seq_payload(2)),
               ("werklandschap/park-b/p1-meter/up", seq_payload(3)), ("dsmr/meter-2",
                                                                      seq_payload(4))]
    assert _publish(secured_broker, "p1-meter", outside) == 0
    inside = [("dsmr/reading/electricity_currently_delivered", seq_payload(5)),
              ("dsmr/reading/gas/extra_device_delivered", seq_payload(6))]
    assert _publish(secured_broker, "p1-meter", inside) == 2
    assert _publish(secured_broker, "meter-1", [("dsmr/reading/power", seq_payload(7))]) == 0
    wait_until(lambda: sink.seqs() == {5, 6}, what="p1-meter's readings under its filter")
    assert sink.dead_letters == []


def test_simulator_may_publish_for_every_device(secured_broker, make_ingestor):
    meter_2 = device("meter-2", "park-b", number=2)
    sink = MemorySink()
    make_ingestor(secured_broker.url_as("ingest", "pw-ingest"), FakeRegistry(meter_2), sink)
    publisher = make_publisher(secured_broker.url_as("simulator", "pw-sim"), "sim")
    try:
        assert publish_all(publisher, [(meter_2.topic, seq_payload(5))]) == 1
    finally:
        close_publisher(publisher)
    wait_until(lambda: sink.seqs() == {5}, what="the simulated reading")


def test_devices_cannot_read_other_devices(secured_broker, make_ingestor):
    meter_1, meter_2 = device("meter-1", "park-a", number=1), device("meter-2", "park-b", number=2)
    eavesdropped, ingested = MemorySink(), MemorySink()
    registry = FakeRegistry(meter_1, meter_2)
    make_ingestor(secured_broker.url_as("meter-1", "pw-meter-1"), registry, eavesdropped,
                  client_id="eavesdropper")
    make_ingestor(secured_broker.url_as("ingest", "pw-ingest"), registry, ingested)
    assert _publish(secured_broker, "meter-2", [(meter_2.topic, seq_payload(6))]) == 1
    wait_until(lambda: ingested.seqs() == {6}, what="the ingest's copy")
    assert eavesdropped.calls == 0


@pytest.mark.parametrize(("username", "password"), [
    ("meter-1", "wrong"), ("ingest", "pw-meter-1"), ("nobody", "pw-nobody"), ("", ""),
])
def test_wrong_credentials_are_refused(secured_broker, username, password):
    url = secured_broker.url_as(username, password) if username else secured_broker.url
    with pytest.raises(PublishError):
        make_publisher(url, "intruder")
