"""Registering and editing devices on the pages: bad input is refused whole, good input saved."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from sensors.mosquitto import verify_password
from tests.conftest import count, in_db
from tests.webapp.device_helpers import VALID_FORM, device_row, register_device
from webapp.models import Device, Sensor
from webapp.services.device_data import as_utc


@pytest.fixture
def park(make_park):
    return make_park(slug="hessenpoort", name="Hessenpoort")


@pytest.fixture
def manager(park, make_user, login):
    user = make_user("park_manager", parks=[park])
    login(user)
    return user


@pytest.fixture
def other_company(make_park, make_company):
    return make_company(make_park(slug="elders"), name="Elders BV")


def post_form(client, park, **changes):
    """Post the registration form and follow the redirect to the credentials page."""
    data = {**VALID_FORM, **changes}
    return client.post(f"/parks/{park.slug}/devices/new", data=data, follow_redirects=True)


def assert_error_at(response, target: str) -> None:
    html = response.get_data(as_text=True)
    assert response.status_code == 400, html[:300]
    assert 'class="error-summary"' in html
    assert f'href="#{target}"' in html


# (changed inputs, input the error summary points at)
BAD_INPUT = [
    ({"name": ""}, "name"),
    ({"name": "x" * 201}, "name"),
    ({"uid": "PV_Dak"}, "uid"),
    ({"uid": "new"}, "uid"),
    ({"payload_format": "tasmota", "topic": ""}, "topic"),
    ({"payload_format": "tasmota", "topic": "tele/#/SENSOR"}, "topic"),
    ({"payload_format": "tasmota", "topic": "tele/meter+/SENSOR"}, "topic"),
    ({"payload_format": "ttn", "topic": "#"}, "topic"),
    ({"payload_format": "ttn", "topic": "+/devices/x/up"}, "topic"),
    ({"payload_format": "dsmr", "topic": "$SYS/broker"}, "topic"),
    ({"payload_format": "dsmr", "topic": "werklandschap/hessenpoort/x/up"}, "topic"),
    ({"payload_format": "dsmr", "topic": "dsmr/" + "x" * 250}, "topic"),
    ({"payload_format": "modbus"}, "payload_format"),
    ({"sensors-0-quantity": "voltage"}, "sensors-0-quantity"),
    ({"sensors-0-quantity": ""}, "sensors-0-quantity"),
    ({"sensors-0-unit": "kWh"}, "sensors-0-unit"),
    ({"sensors-0-unit": ""}, "sensors-0-unit"),
    ({"sensors-0-quantity": "temperature", "sensors-0-unit": "kW"}, "sensors-0-unit"),
    ({"sensors-0-field": "", "sensors-0-quantity": "", "sensors-0-unit": ""}, "sensors"),
    ({"sensors-0-field": ""}, "sensors-0-field"),
    ({"sensors-1-field": "power", "sensors-1-quantity": "power", "sensors-1-unit": "W"},
     "sensors"),
    ({"interval_s": "0"}, "interval_s"),
    ({"interval_s": "-60"}, "interval_s"),
    ({"interval_s": "vijf"}, "interval_s"),
    ({"interval_s": "12,5"}, "interval_s"),
    ({"interval_s": "100000"}, "interval_s"),
    ({"interval_s": ""}, "interval_s"),
    ({"commissioned_at": "gisteren"}, "commissioned_at"),
    ({"latitude": "52,5"}, "longitude"),
    ({"water_level_limit_cm": "hoog"}, "water_level_limit_cm"),
    ({"company_id": "abc"}, "company_id"),
]


@pytest.mark.parametrize(("changes", "target"), BAD_INPUT)
def test_bad_input_is_refused_naming_the_field(app, client, park, manager, changes, target):
    assert_error_at(post_form(client, park, **changes), target)
    assert count(app, Device) == 0
    assert count(app, Sensor) == 0


def test_company_of_another_park_is_refused(app, client, park, manager, other_company):
    assert_error_at(post_form(client, park, company_id=str(other_company.id)), "company_id")
    assert count(app, Device) == 0


@pytest.mark.parametrize("taken_topic", ["tele/meter-1/SENSOR", "tele/+/SENSOR", "tele/#"])
def test_topic_overlapping_another_device_is_refused(app, client, park, manager, make_park,
                                                     taken_topic):
    register_device(app, make_park(), uid="elders-plug", fmt="tasmota", topic=taken_topic)
    response = post_form(client, park, payload_format="tasmota", topic="tele/meter-1/SENSOR")
    assert_error_at(response, "topic")
    assert count(app, Device) == 1


def test_taken_uid_is_refused(app, client, park, manager):
    register_device(app, park, uid="hessenpoort-meter")
    assert_error_at(post_form(client, park, uid="hessenpoort-meter"), "uid")
    assert count(app, Device) == 1


def test_native_device_is_registered_with_generated_uid_topic_and_hashes(app, client, park,
                                                                         manager):
    response = post_form(client, park, topic="ignored/for/native")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    device = device_row(app, "hessenpoort-hoofdmeter-hal-3")
    assert device.topic == "werklandschap/hessenpoort/hessenpoort-hoofdmeter-hal-3/up"
    assert [(s.field, s.quantity, s.unit, s.name) for s in device.sensors] == [
        ("power", "power", "kW", "Vermogen")]
    secret = html.split('<code class="secret">', 1)[1].split("<", 1)[0]
    assert len(secret) >= 40
    assert device.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert verify_password(secret, device.mqtt_password_hash)
    assert secret not in client.get(f"/parks/{park.slug}/devices/{device.uid}").get_data(
        as_text=True)


@pytest.mark.parametrize(("fmt", "topic", "stored"), [
    ("tasmota", " tele/koelcel/SENSOR ", "tele/koelcel/SENSOR"),
    ("dsmr", "dsmr/reading/#", "dsmr/reading/#"),
    ("ttn", "v3/app@ttn/devices/+/up", "v3/app@ttn/devices/+/up"),
    ("sensor_community", "given/but/ignored", None),
])
def test_external_formats_keep_their_topic(app, client, park, manager, fmt, topic, stored):
    response = post_form(client, park, uid="ext-1", payload_format=fmt, topic=topic)
    assert response.status_code == 200
    assert device_row(app, "ext-1").topic == stored


def test_units_are_stored_in_the_listed_spelling(app, client, park, manager):
    response = post_form(client, park, uid="gas-1", **{
        "sensors-0-field": "gas", "sensors-0-quantity": "gas", "sensors-0-unit": "m3"})
    assert response.status_code == 200
    assert device_row(app, "gas-1").sensors[0].unit == "m³"


def test_commissioning_time_is_read_as_amsterdam_time(app, client, park, manager):
    post_form(client, park, uid="t-1", commissioned_at="2025-07-01T12:00")
    stored = as_utc(device_row(app, "t-1").commissioned_at)
    assert (stored.hour, stored.minute) == (10, 0)  # CEST is UTC+2


def test_edit_keeps_sensor_ids_and_replaces_removed_fields(app, client, park, manager):
    uid, _secret = register_device(app, park, uid="m-1", channels=(
        ("power", "power", "kW"), ("total", "energy_import", "kWh")))
    kept = device_row(app, uid).sensors[0].id
    data = {**VALID_FORM, "name": "Nieuw", "sensors-0-field": "power",
            "sensors-0-quantity": "power", "sensors-0-unit": "W",
            "sensors-1-field": "temp", "sensors-1-quantity": "temperature",
            "sensors-1-unit": "°C"}
    response = client.post(f"/parks/{park.slug}/devices/{uid}/edit", data=data)
    assert response.status_code == 302
    device = device_row(app, uid)
    assert device.name == "Nieuw"
    assert [(s.id == kept, s.field, s.unit) for s in device.sensors] == [
        (True, "power", "W"), (False, "temp", "°C")]


def test_edit_page_shows_current_mapping_and_blank_rows(app, client, park, manager):
    uid, _secret = register_device(app, park, uid="m-2")
    html = client.get(f"/parks/{park.slug}/devices/{uid}/edit").get_data(as_text=True)
    assert 'name="sensors-0-field" type="text" value="power"' in html
    assert 'name="sensors-3-field"' in html


def test_deactivate_and_activate(app, client, park, manager):
    uid, _secret = register_device(app, park, uid="m-3")
    client.post(f"/parks/{park.slug}/devices/{uid}/active", data={"active": "0"})
    assert device_row(app, uid).active is False
    client.post(f"/parks/{park.slug}/devices/{uid}/active", data={"active": "1"})
    assert device_row(app, uid).active is True


def test_new_credentials_replace_the_hashes(app, client, park, manager):
    uid, secret = register_device(app, park, uid="m-4")
    before = device_row(app, uid)
    response = client.post(f"/parks/{park.slug}/devices/{uid}/credentials")
    assert response.status_code == 303
    after = device_row(app, uid)
    assert after.token_hash != before.token_hash
    assert after.mqtt_password_hash != before.mqtt_password_hash
    assert not verify_password(secret, after.mqtt_password_hash)


def test_registration_form_renders_empty(client, park, manager):
    html = client.get(f"/parks/{park.slug}/devices/new").get_data(as_text=True)
    assert 'name="sensors-0-field"' in html
    assert "error-summary" not in html


def test_sensor_rows_are_saved_in_order(app, client, park, manager):
    post_form(client, park, uid="o-1", **{"sensors-1-field": "e", "sensors-1-quantity": "energy",
                                          "sensors-1-unit": "Wh"})
    fields = in_db(app, lambda s: list(s.scalars(
        select(Sensor.field).join(Device).where(Device.uid == "o-1").order_by(Sensor.id))))
    assert fields == ["power", "e"]
