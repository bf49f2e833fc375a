"""Device services without pages: topic overlap, tokens, broker address, charts, seeding."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest
from sqlalchemy import func, select

from sensors.simulator import demo_devices
from webapp.charts.sensors import device_chart
from webapp.models import Device, Park, Sensor
from webapp.services import devices as device_service
from webapp.services.device_data import as_utc
from webapp.services.device_dead_letters import payload_preview
from webapp.services.device_seeding import COMMISSIONED_DAYS_AGO, demo_parks, seed_devices
from webapp.services.seeding import seed_parks


@pytest.mark.parametrize(("first", "second", "overlap"), [
    ("tele/a/SENSOR", "tele/a/SENSOR", True),
    ("tele/a/SENSOR", "tele/b/SENSOR", False),
    ("tele/+/SENSOR", "tele/b/SENSOR", True),
    ("dsmr/#", "dsmr", True),
    ("dsmr/#", "dsmr/json", True),
    ("dsmr/reading/#", "dsmr/json", False),
    ("dsmr/+", "dsmr/reading/x", False),
    ("a/+/#", "a/b", True),
    ("a/b/#", "a", False),
    ("a/+", "a/b/#", True),
    ("#", "anything/at/all", True),
    ("tele/a", "tele/a/SENSOR", False),
])
def test_filters_overlap(first, second, overlap):
    assert device_service.filters_overlap(first, second) is overlap
    assert device_service.filters_overlap(second, first) is overlap


def test_token_matches_only_the_devices_own_secret():
    device = Device(uid="x")
    secret = device_service.issue_credentials(device)
    assert device_service.token_matches(device, secret)
    assert not device_service.token_matches(device, secret + "x")
    assert not device_service.token_matches(device, "")
    assert not device_service.token_matches(None, secret)
    assert not device_service.token_matches(Device(uid="y", token_hash=None), "")


def test_every_secret_is_new():
    assert len({device_service.new_secret() for _ in range(50)}) == 50


@pytest.mark.parametrize(("config", "expected"), [
    ({}, ("localhost", 1883, False)),
    ({"MQTT_URL": "mqtt://ingest:geheim@broker.local:1884"}, ("broker.local", 1884, False)),
    ({"MQTT_URL": "mqtt://internal:1883", "MQTT_PUBLIC_URL": "mqtts://mqtt.example.nl"},
     ("mqtt.example.nl", 8883, True)),
])
def test_broker_endpoint_never_reveals_credentials(config, expected):
    endpoint = device_service.broker_endpoint(config)
    assert (endpoint.host, endpoint.port, endpoint.tls) == expected


@pytest.mark.parametrize(("payload", "expected"), [
    (b'{"a": 1}', '{"a": 1}'),
    (b"\xff\xfe{", "\ufffd\ufffd{"),
    (b"a\x00b\x1bc", "a\ufffdb\ufffdc"),
    (b"x" * 300, "x" * 199 + "…"),
])
def test_payload_preview(payload, expected):
    assert payload_preview(payload) == expected


def _frame(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["start", "label", "unit", "kind", "mean",
                                       "consumption"])


def test_chart_has_a_panel_per_unit_and_bars_for_meters():
    start = datetime(2026, 7, 1, 10, 0, tzinfo=UTC)
    frame = _frame([
        (start, "PV", "kW", "gauge", 3.0, None),
        (start + timedelta(hours=1), "PV", "kW", "gauge", 4.0, None),
        (start, "Meter", "kWh", "cumulative", 120.0, 2.5),
    ])
    fig = device_chart(frame)
    kinds = {trace.name: trace.type for trace in fig.data}
    assert kinds == {"PV": "scatter", "Meter": "bar"}
    assert list(fig.data[1].y) == [2.5]
    assert fig.layout.yaxis.title.text == "kW" and fig.layout.yaxis2.title.text == "kWh"
    # 10:00 UTC is 12:00 in Amsterdam summer time, drawn as wall-clock time
    assert pd.Timestamp(fig.data[0].x[0]) == pd.Timestamp("2026-07-01 12:00")


def test_chart_of_no_data_says_so():
    fig = device_chart(_frame([]), empty_message="Geen gegevens")
    assert len(fig.data) == 0
    assert fig.layout.annotations[0].text == "Geen gegevens"


def test_chart_refuses_a_frame_without_its_columns():
    with pytest.raises(ValueError, match="label"):
        device_chart(pd.DataFrame({"start": []}))


def test_seed_devices_registers_the_simulator_devices_once(session):
    seed_parks(session)
    parks = list(session.scalars(select(Park).order_by(Park.id)))
    now = datetime(2026, 6, 1, tzinfo=UTC)
    created = seed_devices(session, parks, now=now)
    chosen = demo_parks(parks)
    expected = sum(len(demo_devices(p.slug, len(p.companies))) for p in chosen)
    assert 3 <= len(chosen) <= 5 and created == expected > 0
    assert seed_devices(session, parks, now=now) == 0
    devices = list(session.scalars(select(Device)))
    assert len(devices) == expected
    assert all(d.token_hash and d.mqtt_password_hash.startswith("$7$") for d in devices)
    assert {d.park_id for d in devices} == {p.id for p in chosen}
    assert any(d.company_id for d in devices)
    assert all(d.company is None or d.company.park_id == d.park_id for d in devices)
    first = as_utc(devices[0].commissioned_at)
    assert first == now - timedelta(days=COMMISSIONED_DAYS_AGO)
    assert session.scalar(select(func.count()).select_from(Sensor)) == sum(
        len(b.channels) for p in chosen for b in demo_devices(p.slug, len(p.companies)))


def test_seeded_topics_follow_the_formats(session):
    seed_parks(session)
    seed_devices(session, list(session.scalars(select(Park).order_by(Park.id))))
    by_format = {d.payload_format: d for d in session.scalars(select(Device))}
    park = by_format["native"].park.slug
    assert by_format["native"].topic == f"werklandschap/{park}/{by_format['native'].uid}/up"
    assert by_format["sensor_community"].topic is None
    assert by_format["tasmota"].topic.startswith("tele/")
