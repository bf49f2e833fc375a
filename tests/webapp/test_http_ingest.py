"""HTTP ingest (POST /api/v1/ingest/<uid>): device-token auth, storage, dead letters, limits."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from sensors.validate import MAX_PAYLOAD_BYTES
from tests.conftest import count, in_db
from tests.webapp.device_helpers import device_row, readings, register_device
from webapp.models import DeadLetter, Device, Reading

MOMENT = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
NATIVE = {"ts": MOMENT.isoformat(), "values": [{"field": "power", "value": 12500, "unit": "W"}]}
TS = b'"ts": "' + MOMENT.isoformat().encode() + b'", '
SENSOR_COMMUNITY = {
    "esp8266id": "1234567", "software_version": "NRZ-2020-133",
    "sensordatavalues": [{"value_type": "SDS_P1", "value": "23.40"},
                         {"value_type": "SDS_P2", "value": "11.20"},
                         {"value_type": "BME280_pressure", "value": "101325.00"}]}
PM_CHANNELS = (("SDS_P1", "pm10", "µg/m³"), ("SDS_P2", "pm25", "µg/m³"))


@pytest.fixture
def park(make_park):
    return make_park(slug="park-a")


@pytest.fixture
def native(app, park):
    """(uid, secret) of a native power meter."""
    return register_device(app, park, uid="meter")


def basic(username: str, password: str) -> str:
    """An HTTP Basic Authorization header value, as the sensor.community firmware sends it."""
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def post(client, uid: str, secret: str | None, body, **headers):
    if secret is not None:
        headers.setdefault("Authorization", f"Bearer {secret}")
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.post(f"/api/v1/ingest/{uid}", data=data, headers=headers,
                       content_type="application/json")


def test_native_payload_is_stored_in_canonical_units(app, client, native):
    uid, secret = native
    response = post(client, uid, secret, NATIVE)
    assert response.status_code == 202
    assert response.get_json() == {"stored": 1, "received": 1}
    assert readings(app, uid) == [("power", MOMENT, 12.5)]
    assert count(app, DeadLetter) == 0


def test_a_repeated_message_is_not_stored_twice(app, client, native):
    uid, secret = native
    assert post(client, uid, secret, NATIVE).get_json()["stored"] == 1
    assert post(client, uid, secret, NATIVE).get_json()["stored"] == 0
    assert count(app, Reading) == 1


def test_sensor_community_push_is_stored_as_pm_values(app, client, park):
    uid, secret = register_device(app, park, uid="pm-1", fmt="sensor_community",
                                  channels=PM_CHANNELS)
    response = post(client, uid, secret, SENSOR_COMMUNITY, **{"X-Sensor": "esp8266-1234567"})
    assert response.status_code == 202
    assert response.get_json()["stored"] == 2
    assert sorted((field, value) for field, _ts, value in readings(app, uid)) == [
        ("SDS_P1", 23.4), ("SDS_P2", 11.2)]


@pytest.mark.parametrize(("body", "code"), [
    (b'{"values": [', "invalid_json"),
    (b'{"values": [], "values": []}', "duplicate_key"),
    (b'{"values": [{"field": "power", "value": 1e999, "unit": "kW"}]}', "non_finite"),
    (b'{' + TS + b'"values": [{"field": "power", "value": "veel", "unit": "kW"}]}',
     "not_a_number"),
    (b'{' + TS + b'"values": [{"field": "power", "value": 1, "unit": "kWh"}]}', "wrong_unit"),
    (b'{' + TS + b'"values": [{"field": "power", "value": 1}]}', "missing_unit"),
    (b'{' + TS + b'"values": [{"field": "voltage", "value": 230, "unit": "V"}]}',
     "unmapped_field"),
    # without its own time a redelivered message would be stored again at a later time
    (b'{"values": [{"field": "power", "value": 1, "unit": "kW"}]}', "missing_timestamp"),
    # times and numbers beyond what a datetime or a float holds: a 422, never a 500
    (b'{"ts": "0001-01-01T00:00:00+01:00", "values": [{"field": "power", "value": 1, '
     b'"unit": "kW"}]}', "bad_timestamp"),
    (b'{"ts": "9999-12-31T23:30:00-01:00", "values": [{"field": "power", "value": 1, '
     b'"unit": "kW"}]}', "bad_timestamp"),
    (b'{"ts": 1' + b"0" * 400 + b', "values": [{"field": "power", "value": 1, "unit": "kW"}]}',
     "bad_timestamp"),
])
def test_rejected_message_is_a_dead_letter_and_a_422(app, client, native, body, code):
    uid, secret = native
    response = post(client, uid, secret, body)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == code and error["message"]
    letters = in_db(app, lambda s: [(d.reason_code, d.device_id, d.park_id, bytes(d.payload))
                                    for d in s.scalars(select(DeadLetter))])
    device = device_row(app, uid)
    assert letters == [(code, device.id, device.park_id, body)]
    assert count(app, Reading) == 0


def test_a_decoder_crash_is_a_dead_letter_and_a_422_not_a_500(app, client, native,
                                                              monkeypatch):
    def crash(*args):
        raise ZeroDivisionError("division by zero in a parser")

    monkeypatch.setattr("sensors.formats.decode", crash)  # what the pipeline decodes with
    uid, secret = native
    response = post(client, uid, secret, NATIVE)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "internal_error"
    assert "division" not in error["message"]  # the details are for the park manager only
    [letter] = in_db(app, lambda s: [(d.reason_code, d.reason, d.device_id)
                                     for d in s.scalars(select(DeadLetter))])
    assert letter[0] == "internal_error"
    assert "ZeroDivisionError: division by zero in a parser" in letter[1]
    assert letter[2] == device_row(app, uid).id


def test_a_dsmr_split_topic_value_over_http_is_refused_not_dropped(app, client, park):
    uid, secret = register_device(app, park, uid="p1", fmt="dsmr", topic="dsmr/reading/#",
                                  channels=(("electricity_currently_delivered", "power", "kW"),))
    response = post(client, uid, secret, b"0.456", **{"Content-Type": "text/plain"})
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "topic_needed"
    assert count(app, Reading) == 0 and count(app, DeadLetter) == 1


def test_the_next_good_message_is_stored_after_a_rejected_one(app, client, native):
    uid, secret = native
    assert post(client, uid, secret, b"not json").status_code == 422
    assert post(client, uid, secret, NATIVE).status_code == 202
    assert len(readings(app, uid)) == 1


def test_inactive_device_messages_are_dead_letters(app, client, native):
    uid, secret = native
    in_db(app, lambda s: setattr(s.scalars(select(Device)).one(), "active", False))
    response = post(client, uid, secret, NATIVE)
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "device_inactive"
    assert count(app, Reading) == 0


def _unauthorised(response) -> dict:
    assert response.status_code == 401
    return response.get_json()


def test_bad_tokens_and_unknown_devices_get_the_same_401(app, client, park, native):
    uid, secret = native
    _other_uid, other_secret = register_device(app, park, uid="other")
    answers = [
        _unauthorised(post(client, uid, "wrong-secret", NATIVE)),
        _unauthorised(post(client, uid, None, NATIVE)),
        _unauthorised(post(client, uid, other_secret, NATIVE)),
        _unauthorised(post(client, "no-such-device", secret, NATIVE)),
        _unauthorised(client.post(f"/api/v1/ingest/{uid}", json=NATIVE,
                                  headers={"Authorization": f"Basic {secret}"})),
        _unauthorised(post(client, uid, None, NATIVE, Authorization=basic(uid, "wrong-secret"))),
        _unauthorised(post(client, uid, None, NATIVE, Authorization=basic("other", secret))),
        _unauthorised(post(client, uid, None, NATIVE, Authorization=basic("other",
                                                                         other_secret))),
        _unauthorised(post(client, uid, None, NATIVE, Authorization=basic("", secret))),
        _unauthorised(post(client, uid, None, NATIVE, Authorization=basic(secret, uid))),
        _unauthorised(post(client, "no-such-device", None, NATIVE,
                           Authorization=basic("no-such-device", secret))),
        _unauthorised(post(client, uid, None, NATIVE, Authorization="Basic !!!not-base64")),
        _unauthorised(post(client, uid, None, NATIVE, Authorization="Basic " + base64.b64encode(
            uid.encode() + b":\xff").decode())),
    ]
    assert all(answer == answers[0] for answer in answers)
    assert answers[0]["error"]["code"] == "invalid_token"
    assert count(app, Reading) == 0 and count(app, DeadLetter) == 0


def test_http_basic_auth_with_the_device_id_as_user_name_is_accepted(app, client, park):
    # The sensor.community firmware can send nothing but Basic auth to a custom API.
    uid, secret = register_device(app, park, uid="pm-2", fmt="sensor_community",
                                  channels=PM_CHANNELS)
    response = post(client, uid, None, SENSOR_COMMUNITY, Authorization=basic(uid, secret))
    assert response.status_code == 202
    assert response.get_json()["stored"] == 2


def test_a_user_session_is_not_a_device_token(app, client, park, native, make_user, login):
    login(make_user("admin"))
    assert client.post(f"/api/v1/ingest/{native[0]}", json=NATIVE).status_code == 401


def test_new_credentials_retire_the_old_token(app, client, park, native, make_user, login):
    uid, old = native
    assert post(client, uid, old, NATIVE).status_code == 202
    login(make_user("park_manager", parks=[park]))
    html = client.post(f"/parks/{park.slug}/devices/{uid}/credentials",
                       follow_redirects=True).get_data(as_text=True)
    new = html.split('<code class="secret">', 1)[1].split("<", 1)[0]
    later = {**NATIVE, "ts": (MOMENT + timedelta(minutes=1)).isoformat()}
    assert post(client, uid, old, later).status_code == 401
    assert post(client, uid, new, later).status_code == 202
    assert len(readings(app, uid)) == 2


def test_too_large_body_is_413_and_stores_nothing(app, client, native):
    uid, secret = native
    body = b'{"pad": "' + b"x" * MAX_PAYLOAD_BYTES + b'"}'
    response = post(client, uid, secret, body)
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "too_large"
    assert count(app, Reading) == 0 and count(app, DeadLetter) == 0


def test_ingest_needs_no_csrf_token(csrf_app, native):
    uid, secret = native
    response = post(csrf_app.test_client(), uid, secret, NATIVE)
    assert response.status_code == 202


def test_ingested_readings_reach_the_device_page_chart_and_alerts(app, client, park,
                                                                 make_user, login):
    uid, secret = register_device(app, park, uid="co2", channels=(("co2", "co2", "ppm"),))
    now = datetime.now(UTC).replace(microsecond=0)
    for minutes, ppm in ((20, 800), (10, 900), (1, 1500)):
        body = {"ts": (now - timedelta(minutes=minutes)).isoformat(),
                "values": [{"field": "co2", "value": ppm, "unit": "ppm"}]}
        assert post(client, uid, secret, body).status_code == 202
    login(make_user("park_manager", parks=[park]))
    html = client.get(f"/parks/{park.slug}/devices/{uid}").get_data(as_text=True)
    assert 'id="chart-co2-day"' in html
    assert "1.500,00" in html.split('id="latest"', 1)[1].split("</section>", 1)[0]
    alerts = client.get(f"/parks/{park.slug}/alerts").get_data(as_text=True)
    assert "CO2" in alerts.split("<h2>", 2)[1]
    listing = client.get(f"/parks/{park.slug}/devices").get_data(as_text=True)
    assert "device-status-ok" in listing
