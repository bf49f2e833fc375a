"""API v1 for devices: register, read, change, credentials, latest, rollups, dead letters."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from sensors.mosquitto import verify_password
from tests.conftest import count, in_db
from tests.webapp.device_helpers import (
    add_alert,
    add_dead_letter,
    add_reading,
    add_rollups,
    device_row,
    register_device,
)
from webapp.models import Device, User
from webapp.security import create_api_token

NEW_DEVICE = {"name": "Weerstation", "payload_format": "native",
              "sensors": [{"field": "temp", "quantity": "temperature", "unit": "°C"},
                          {"field": "pm", "quantity": "pm25", "unit": "ug/m3", "name": "PM"}]}


@pytest.fixture
def park_a(make_park):
    return make_park(slug="park-a", name="Park A", is_public=True)


@pytest.fixture
def park_b(make_park):
    return make_park(slug="park-b", name="Park B", is_public=True)


def bearer(app, user) -> dict:
    token = in_db(app, lambda s: create_api_token(s, s.get(User, user.id), "test"))
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def manager_a(app, park_a, make_user):
    return bearer(app, make_user("park_manager", parks=[park_a]))


@pytest.fixture
def device_a(app, park_a):
    return register_device(app, park_a, uid="a-meter", name="Meter A")[0]


def test_create_returns_secret_once_and_stores_only_hashes(app, client, park_a, manager_a):
    response = client.post("/api/v1/parks/park-a/devices", json=NEW_DEVICE, headers=manager_a)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    secret = body["credentials"]["secret"]
    assert body["uid"] == "park-a-weerstation"
    assert body["topic"] == "werklandschap/park-a/park-a-weerstation/up"
    assert body["credentials"]["mqtt"]["username"] == "park-a-weerstation"
    assert body["credentials"]["http"]["url"].endswith("/api/v1/ingest/park-a-weerstation")
    assert [(s["field"], s["unit"], s["canonical_unit"]) for s in body["sensors"]] == [
        ("temp", "°C", "°C"), ("pm", "ug/m3", "µg/m³")]
    assert response.headers["Location"] == "/api/v1/devices/park-a-weerstation"
    device = device_row(app, "park-a-weerstation")
    assert device.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert verify_password(secret, device.mqtt_password_hash)
    again = client.get("/api/v1/devices/park-a-weerstation", headers=manager_a).get_json()
    assert secret not in str(again) and "token_hash" not in again


@pytest.mark.parametrize(("changes", "field"), [
    ({"name": ""}, "name"),
    ({"payload_format": "tasmota", "topic": "tele/a#"}, "topic"),
    ({"sensors": []}, "sensors"),
    ({"sensors": [{"field": "t", "quantity": "voltage", "unit": "V"}]}, "sensors-0-quantity"),
    ({"sensors": [{"field": "t", "quantity": "temperature", "unit": "kW"}]}, "sensors-0-unit"),
    ({"interval_s": 0}, "interval_s"),
    ({"interval_s": "vaak"}, "interval_s"),
    ({"commissioned_at": "morgen"}, "commissioned_at"),
    ({"company_id": 999999}, "company_id"),
    ({"colour": "red"}, "colour"),
    ({"sensors": "temp"}, "sensors"),
    ({"sensors": [{"field": "t", "quantity": "temperature", "unit": "°C", "x": "1"}]},
     "sensors-0"),
])
def test_create_refuses_bad_input_naming_the_field(app, client, park_a, manager_a, changes,
                                                   field):
    response = client.post("/api/v1/parks/park-a/devices", json={**NEW_DEVICE, **changes},
                           headers=manager_a)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "validation_error"
    assert field in error["fields"]
    assert count(app, Device) == 0


def test_create_refuses_a_company_of_another_park(app, client, park_a, park_b, manager_a,
                                                  make_company):
    company = make_company(park_b)
    response = client.post("/api/v1/parks/park-a/devices",
                           json={**NEW_DEVICE, "company_id": company.id}, headers=manager_a)
    assert response.status_code == 400
    assert "company_id" in response.get_json()["error"]["fields"]


def test_duplicate_uid_and_topic_are_conflicts(app, client, park_a, park_b, manager_a):
    register_device(app, park_b, uid="taken", fmt="tasmota", topic="tele/x/SENSOR")
    for changes, field in [({"uid": "taken"}, "uid"),
                           ({"payload_format": "tasmota", "topic": "tele/+/SENSOR"}, "topic")]:
        response = client.post("/api/v1/parks/park-a/devices", json={**NEW_DEVICE, **changes},
                               headers=manager_a)
        assert response.status_code == 409
        assert field in response.get_json()["error"]["fields"]


def test_patch_changes_given_fields_only(app, client, park_a, manager_a, device_a):
    response = client.patch(f"/api/v1/devices/{device_a}", headers=manager_a,
                            json={"name": "Nieuwe naam", "interval_s": 60})
    assert response.status_code == 200, response.get_json()
    device = device_row(app, device_a)
    assert (device.name, device.interval_s) == ("Nieuwe naam", 60)
    assert [s.field for s in device.sensors] == ["power"]


def test_patch_replaces_sensors_and_refuses_uid_change(app, client, park_a, manager_a,
                                                       device_a):
    response = client.patch(f"/api/v1/devices/{device_a}", headers=manager_a, json={
        "sensors": [{"field": "e", "quantity": "energy_import", "unit": "Wh"}]})
    assert response.status_code == 200
    assert [s.field for s in device_row(app, device_a).sensors] == ["e"]
    response = client.patch(f"/api/v1/devices/{device_a}", headers=manager_a,
                            json={"uid": "other"})
    assert response.status_code == 400
    assert "uid" in response.get_json()["error"]["fields"]


def test_new_credentials_replace_the_old_ones(app, client, park_a, manager_a, device_a):
    before = device_row(app, device_a).token_hash
    response = client.post(f"/api/v1/devices/{device_a}/credentials", headers=manager_a)
    assert response.status_code == 200
    secret = response.get_json()["secret"]
    assert device_row(app, device_a).token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert device_row(app, device_a).token_hash != before


def test_latest_readings_dead_letters_and_alerts(app, client, park_a, manager_a, device_a):
    now = datetime.now(UTC)
    add_reading(app, device_a, "power", now - timedelta(minutes=1), 7.5)
    add_rollups(app, device_a, "power", "15m", now - timedelta(hours=1), [1.0, 3.0],
                timedelta(minutes=15))
    add_dead_letter(app, device_a, code="invalid_json")
    add_alert(app, device_a)
    latest = client.get(f"/api/v1/devices/{device_a}/latest", headers=manager_a).get_json()
    assert [(i["field"], i["value"], i["unit"]) for i in latest["items"]] == [
        ("power", 7.5, "kW")]
    assert latest["status"] == "ok"
    readings = client.get(f"/api/v1/devices/{device_a}/readings?period=15m",
                          headers=manager_a).get_json()
    assert [p["mean"] for p in readings["sensors"][0]["points"]] == [1.0, 3.0]
    letters = client.get(f"/api/v1/devices/{device_a}/dead-letters", headers=manager_a)
    assert [d["reason_code"] for d in letters.get_json()["items"]] == ["invalid_json"]
    alerts = client.get("/api/v1/parks/park-a/alerts", headers=manager_a).get_json()
    assert [(a["rule"], a["device"]) for a in alerts["items"]] == [("co2_indoor", device_a)]
    closed = client.get("/api/v1/parks/park-a/alerts?state=closed", headers=manager_a)
    assert closed.get_json()["items"] == []


def test_readings_range_uses_from_and_to(app, client, park_a, manager_a, device_a):
    start = datetime(2026, 3, 1, tzinfo=UTC)
    add_rollups(app, device_a, "power", "1h", start, [1.0, 2.0, 3.0, 4.0], timedelta(hours=1))
    # 02:00 Amsterdam (CET) is 01:00 UTC: the range holds the 01:00 and 02:00 UTC hours.
    response = client.get(f"/api/v1/devices/{device_a}/readings?period=1h"
                          "&from=2026-03-01T02:00&to=2026-03-01T03:00:00Z", headers=manager_a)
    assert [p["mean"] for p in response.get_json()["sensors"][0]["points"]] == [2.0, 3.0]


@pytest.mark.parametrize("query", ["period=5m", "period=15m&from=gisteren",
                                   "period=15m&from=2026-01-01T00:00Z&to=2025-01-01T00:00Z",
                                   "period=15m&from=2020-01-01T00:00Z&to=2026-01-01T00:00Z"])
def test_readings_refuse_bad_ranges(client, park_a, manager_a, device_a, query):
    response = client.get(f"/api/v1/devices/{device_a}/readings?{query}", headers=manager_a)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "validation_error"


def device_urls(uid: str) -> list[tuple[str, str]]:
    return [("get", "/api/v1/parks/park-a/devices"), ("get", f"/api/v1/devices/{uid}"),
            ("get", f"/api/v1/devices/{uid}/latest"), ("get", f"/api/v1/devices/{uid}/readings"),
            ("get", f"/api/v1/devices/{uid}/dead-letters"), ("get", "/api/v1/parks/park-a/alerts")]


def write_calls(uid: str) -> list[tuple[str, str, dict]]:
    return [("post", "/api/v1/parks/park-a/devices", NEW_DEVICE),
            ("patch", f"/api/v1/devices/{uid}", {"name": "x"}),
            ("post", f"/api/v1/devices/{uid}/credentials", {})]


def test_manager_of_another_park_gets_404(app, client, park_a, park_b, device_a, make_user):
    headers = bearer(app, make_user("park_manager", parks=[park_b]))
    for method, url in device_urls(device_a):
        assert getattr(client, method)(url, headers=headers).status_code == 404, url
    for method, url, body in write_calls(device_a):
        assert getattr(client, method)(url, json=body, headers=headers).status_code == 404, url
    assert device_row(app, device_a).name == "Meter A"


def test_member_reads_own_park_but_may_not_write(app, client, park_a, device_a, make_user,
                                                 make_company):
    headers = bearer(app, make_user("member", company=make_company(park_a)))
    for method, url in device_urls(device_a):
        assert getattr(client, method)(url, headers=headers).status_code == 200, url
    for method, url, body in write_calls(device_a):
        assert getattr(client, method)(url, json=body, headers=headers).status_code == 404, url


def test_anonymous_callers_get_401(client, park_a, device_a):
    for method, url in device_urls(device_a):
        response = getattr(client, method)(url)
        assert response.status_code == 401, url
        assert response.get_json()["error"]["code"] == "unauthorized"
    for method, url, body in write_calls(device_a):
        assert getattr(client, method)(url, json=body).status_code == 401, url
