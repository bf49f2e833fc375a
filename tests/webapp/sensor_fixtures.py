"""Pytest plugin for the web app's sensor tests: a real mosquitto and the web app's ingest.

Use it with ``pytest_plugins = ["tests.webapp.sensor_fixtures"]``. It lends the real-mosquitto
fixtures of tests/sensors/conftest.py (mosquitto, start_mosquitto) to tests outside
tests/sensors, and adds run_ingest. (Test modules must not import this module themselves:
pytest could then no longer rewrite its asserts.)
"""

from __future__ import annotations

import itertools

import pytest

from sensors.ingest import Ingestor, IngestSettings
from tests.sensors.conftest import (  # noqa: F401 - fixtures lent to the tests using this plugin
    mosquitto,
    mosquitto_executable,
    start_mosquitto,
)
from tests.webapp.sensor_support import app_engine
from webapp.sensor_runtime import make_ingestor

# Quick batches, quick retries and a registry refresh five times a second.
FAST = {"batch_interval": 0.05, "refresh_interval": 0.2, "store_retry_min": 0.05,
        "store_retry_max": 0.2}
_client_ids = itertools.count(1)


@pytest.fixture
def run_ingest(app, start_mosquitto):  # noqa: F811 - depends on the fixture imported above
    """Start the web app's ingest (make_ingestor on the test database) against a broker URL.

    run_ingest(url, **settings) -> a subscribed Ingestor; each is stopped after the test,
    before the brokers (start_mosquitto) stop and before the app empties its tables.
    """
    running: list[Ingestor] = []

    def run(url: str, **options) -> Ingestor:
        settings = IngestSettings(url=url, client_id=f"e2e-ingest-{next(_client_ids)}",
                                  **{**FAST, **options})
        ingestor = make_ingestor(app_engine(app), settings)
        ingestor.start()
        running.append(ingestor)
        assert ingestor.wait_ready(15), "ingest did not connect and subscribe"
        return ingestor

    yield run
    for ingestor in running:
        ingestor.stop()
