"""Fixtures for the MQTT tests: a real mosquitto on a free port that can be restarted."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sensors.broker import HOST, MosquittoProcess, find_mosquitto, free_port, mosquitto_user
from sensors.ingest import Ingestor, IngestSettings
from sensors.mosquitto import mosquitto_conf
from tests.conftest import skip_or_fail
from tests.sensors.mqtt_fakes import seq_decoder


class Mosquitto(MosquittoProcess):
    """A test broker: ``url`` (anonymous or as a user), ``restart()``, ``stop()``, ``start()``."""

    @property
    def url(self) -> str:
        return f"mqtt://{HOST}:{self.port}"

    def url_as(self, username: str, password: str) -> str:
        return f"mqtt://{username}:{password}@{HOST}:{self.port}"

    @property
    def log(self) -> str:
        """What the broker logged so far (to explain a failing test)."""
        path = self.conf.parent / "mosquitto.log"
        return path.read_text("utf-8", errors="replace") if path.exists() else ""


def broker_conf(directory: Path, port: int, **options) -> str:
    """The test broker's config: persistent, logging to a file in *directory*."""
    return mosquitto_conf(directory, port, options.pop("password_file", None),
                          options.pop("acl_file", None), bind_address=HOST,
                          run_as_user=mosquitto_user(),
                          log_dest=f"file {directory / 'mosquitto.log'}", **options)


@pytest.fixture
def mosquitto_executable() -> str:
    """The mosquitto binary, or skip (fail in CI) when it is not installed."""
    executable = find_mosquitto()
    if executable is None:
        skip_or_fail("mosquitto is not installed")
    return executable


@pytest.fixture
def start_mosquitto(mosquitto_executable, tmp_path) -> Iterator[Callable[..., Mosquitto]]:
    """Start a mosquitto from a config file: start_mosquitto(conf_path, port)."""
    started: list[Mosquitto] = []

    def start(conf: Path, port: int) -> Mosquitto:
        broker = Mosquitto(mosquitto_executable, conf, port)
        broker.start()
        started.append(broker)
        return broker

    yield start
    for broker in started:
        broker.stop()


@pytest.fixture
def mosquitto(start_mosquitto, tmp_path) -> Mosquitto:
    """An anonymous, persistent mosquitto on a free port; ``restart()`` keeps port and data."""
    directory = tmp_path / "mosquitto"
    directory.mkdir()
    port = free_port()
    conf = directory / "mosquitto.conf"
    conf.write_text(broker_conf(directory, port, allow_anonymous=True), "utf-8")
    return start_mosquitto(conf, port)


@pytest.fixture
def make_ingestor() -> Iterator[Callable[..., Ingestor]]:
    """Start an Ingestor (seq decoder, quick batches) and wait until it is subscribed.

    make_ingestor(url, registry, sink, **settings); every one still running is stopped after
    the test.
    """
    running: list[Ingestor] = []

    def make(url: str, registry, sink, *, ready: bool = True, **options) -> Ingestor:
        options = {"batch_interval": 0.05, "store_retry_min": 0.05, "store_retry_max": 0.2,
                   **options}
        options.setdefault("decoder", seq_decoder)
        decoder = options.pop("decoder")
        extra_topics = options.pop("extra_topics", None)
        ingestor = Ingestor(IngestSettings(url=url, **options), registry, sink,
                            decoder=decoder, extra_topics=extra_topics)
        ingestor.start()
        running.append(ingestor)
        if ready:
            assert ingestor.wait_ready(15), "ingest did not connect and subscribe"
        return ingestor

    yield make
    for ingestor in running:
        ingestor.stop()
