"""Changing a device's field mapping never loses stored readings by accident.

A renamed field keeps its sensor (the edit form carries each row's sensor id, the API takes an
"id"); a sensor with readings or rollups is not removed, nor does its quantity change.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, select

from tests.conftest import count, in_db
from tests.webapp.device_helpers import (
    VALID_FORM,
    add_reading,
    add_rollups,
    device_row,
    readings,
    register_device,
    sensor_id,
)
from webapp.models import Device, Reading, Rollup, Sensor, User
from webapp.security import create_api_token
from webapp.services import devices as device_service
from webapp.services.device_channels import REMOVES_HISTORY, ChannelError

MOMENT = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
TWO = (("power", "power", "kW"), ("total", "energy_import", "kWh"))


@pytest.fixture
def park(make_park):
    return make_park(slug="hessenpoort", name="Hessenpoort")


@pytest.fixture
def manager(park, make_user, login):
    user = make_user("park_manager", parks=[park])
    login(user)
    return user


@pytest.fixture
def metered(app, park):
    """A device with a power and an energy field; power has a reading and a rollup."""
    uid, _secret = register_device(app, park, uid="meter", channels=TWO)
    add_reading(app, uid, "power", MOMENT, 4.2)
    add_rollups(app, uid, "power", "1h", MOMENT, [4.2], timedelta(hours=1))
    return uid


def row(index: int, sid: int | str, field: str, quantity: str, unit: str) -> dict[str, str]:
    return {f"sensors-{index}-sensor_id": str(sid), f"sensors-{index}-field": field,
            f"sensors-{index}-quantity": quantity, f"sensors-{index}-unit": unit,
            f"sensors-{index}-name": ""}


def edit_form(app, uid: str, power=("power", "power", "kW"),
              total=("total", "energy_import", "kWh")) -> dict[str, str]:
    """The edit form as the page posts it: both rows with their hidden sensor ids."""
    data = {key: value for key, value in VALID_FORM.items() if not key.startswith("sensors-")}
    return {**data, **row(0, sensor_id(app, uid, "power"), *power),
            **row(1, sensor_id(app, uid, "total"), *total)}


def post_edit(client, park, uid: str, data: dict):
    return client.post(f"/parks/{park.slug}/devices/{uid}/edit", data=data)


def sensors_of(app, uid: str) -> list[tuple[int, str, str]]:
    return [(s.id, s.field, s.quantity) for s in device_row(app, uid).sensors]


def test_edit_page_carries_each_rows_sensor_id(app, client, park, manager, metered):
    html = client.get(f"/parks/{park.slug}/devices/{metered}/edit").get_data(as_text=True)
    power = sensor_id(app, metered, "power")
    assert f'name="sensors-0-sensor_id" type="hidden" value="{power}"' in html
    assert 'name="sensors-2-sensor_id" type="hidden" value=""' in html  # a blank row


@pytest.mark.parametrize("new_name", ["Power", "power_total", " vermogen "])
def test_renamed_field_keeps_its_sensor_and_readings(app, client, park, manager, metered,
                                                     new_name):
    power = sensor_id(app, metered, "power")
    data = edit_form(app, metered, power=(new_name, "power", "W"))
    response = post_edit(client, park, metered, data)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert (power, new_name.strip(), "power") in sensors_of(app, metered)
    assert readings(app, metered) == [(new_name.strip(), MOMENT, 4.2)]
    assert count(app, Rollup) == 1


def test_swapped_field_names_keep_both_sensors(app, client, park, manager, metered):
    power, total = sensor_id(app, metered, "power"), sensor_id(app, metered, "total")
    add_reading(app, metered, "total", MOMENT, 1000.0)
    data = edit_form(app, metered, power=("total", "power", "kW"),
                     total=("power", "energy_import", "kWh"))
    assert post_edit(client, park, metered, data).status_code == 302
    assert sorted(sensors_of(app, metered)) == sorted([(power, "total", "power"),
                                                       (total, "power", "energy_import")])
    assert count(app, Reading) == 2


def test_rename_into_the_name_of_a_removed_field(app, client, park, manager, metered):
    """total (no readings) is removed and power takes its name, in one save."""
    power = sensor_id(app, metered, "power")
    data = edit_form(app, metered, power=("total", "power", "kW"), total=("", "", ""))
    assert post_edit(client, park, metered, data).status_code == 302
    assert sensors_of(app, metered) == [(power, "total", "power")]
    assert readings(app, metered) == [("total", MOMENT, 4.2)]


def test_removing_a_field_with_readings_is_refused(app, client, park, manager, metered):
    data = edit_form(app, metered, power=("", "", ""))
    response = post_edit(client, park, metered, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'href="#sensors"' in html and "power" in html.split("error-summary", 1)[1]
    assert [field for _id, field, _q in sensors_of(app, metered)] == ["power", "total"]
    assert count(app, Reading) == 1 and count(app, Rollup) == 1


def test_removing_a_field_with_only_rollups_is_refused(app, client, park, manager, metered):
    in_db(app, lambda s: s.execute(delete(Reading)))  # raw rows past their retention
    response = post_edit(client, park, metered, edit_form(app, metered, power=("", "", "")))
    assert response.status_code == 400
    assert count(app, Rollup) == 1


def test_removing_a_field_without_readings_is_allowed(app, client, park, manager, metered):
    response = post_edit(client, park, metered, edit_form(app, metered, total=("", "", "")))
    assert response.status_code == 302
    assert [field for _id, field, _q in sensors_of(app, metered)] == ["power"]


@pytest.mark.parametrize(("field", "changed", "status"), [
    ("power", ("power", "energy_import", "kWh"), 400),
    ("total", ("total", "gas", "m3"), 302),  # no readings yet: free to change
])
def test_quantity_of_a_field_with_readings_stays(app, client, park, manager, metered, field,
                                                 changed, status):
    data = edit_form(app, metered, **{field: changed})
    response = post_edit(client, park, metered, data)
    assert response.status_code == status
    quantities = {f: q for _id, f, q in sensors_of(app, metered)}
    if status == 400:
        assert 'href="#sensors-0-quantity"' in response.get_data(as_text=True)
        assert quantities["power"] == "power"
    else:
        assert quantities["total"] == "gas"


def test_a_sensor_of_another_device_cannot_be_claimed(app, client, park, manager, metered):
    other, _secret = register_device(app, park, uid="other")
    data = {**edit_form(app, metered), **row(2, sensor_id(app, other, "power"), "stolen",
                                              "power", "kW")}
    response = post_edit(client, park, metered, data)
    assert response.status_code == 400
    assert 'href="#sensors-2-sensor_id"' in response.get_data(as_text=True)
    assert [f for _id, f, _q in sensors_of(app, other)] == ["power"]
    assert count(app, Sensor) == 3


# --- the API --------------------------------------------------------------------------------

@pytest.fixture
def api_headers(app, park, make_user):
    user = make_user("park_manager", parks=[park])
    token = in_db(app, lambda s: create_api_token(s, s.get(User, user.id), "test"))
    return {"Authorization": f"Bearer {token}"}


def patch(client, uid: str, headers: dict, body: dict):
    return client.patch(f"/api/v1/devices/{uid}", json=body, headers=headers)


def api_sensors(app, uid: str, **fields) -> list[dict]:
    """The device's sensors as PATCH entries with their ids; *fields* renames by old name."""
    return [{"id": s.id, "field": fields.get(s.field, s.field), "quantity": s.quantity,
             "unit": s.unit} for s in device_row(app, uid).sensors]


def test_api_rename_with_id_keeps_the_readings(app, client, metered, api_headers):
    power = sensor_id(app, metered, "power")
    response = patch(client, metered, api_headers,
                     {"sensors": api_sensors(app, metered, power="POWER")})
    assert response.status_code == 200, response.get_json()
    assert {"id": power, "field": "POWER"}.items() <= response.get_json()["sensors"][0].items()
    assert readings(app, metered) == [("POWER", MOMENT, 4.2)]


def test_api_patch_without_sensors_keeps_them(app, client, metered, api_headers):
    before = sensors_of(app, metered)
    assert patch(client, metered, api_headers, {"name": "Nieuw"}).status_code == 200
    assert sensors_of(app, metered) == before


def test_api_rename_without_id_would_remove_and_is_a_conflict(app, client, metered,
                                                              api_headers):
    body = {"sensors": [{"field": "POWER", "quantity": "power", "unit": "kW"}]}
    response = patch(client, metered, api_headers, body)
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "conflict" and "power" in error["fields"]["sensors"]
    assert count(app, Reading) == 1


def test_api_removes_a_field_with_readings_only_when_told(app, client, metered, api_headers):
    body = {"sensors": [{"field": "total", "quantity": "energy_import", "unit": "kWh"}],
            "remove_fields": ["power"]}
    response = patch(client, metered, api_headers, body)
    assert response.status_code == 200, response.get_json()
    assert [s["field"] for s in response.get_json()["sensors"]] == ["total"]
    assert count(app, Reading) == 0 and count(app, Rollup) == 0


def test_api_refuses_a_quantity_change_of_a_field_with_readings(app, client, metered,
                                                                 api_headers):
    sensors = api_sensors(app, metered)
    sensors[0].update(quantity="energy_import", unit="kWh")
    response = patch(client, metered, api_headers, {"sensors": sensors})
    assert response.status_code == 409
    assert "sensors-0-quantity" in response.get_json()["error"]["fields"]
    assert sensors_of(app, metered)[0][2] == "power"


@pytest.mark.parametrize(("body", "field"), [
    ({"sensors": [{"id": 999999, "field": "x", "quantity": "power", "unit": "kW"}]},
     "sensors-0-id"),
    ({"sensors": [{"id": "1", "field": "x", "quantity": "power", "unit": "kW"}]}, "sensors-0"),
    ({"sensors": [{"id": True, "field": "x", "quantity": "power", "unit": "kW"}]}, "sensors-0"),
    ({"remove_fields": "power"}, "remove_fields"),
    ({"remove_fields": ["nope"]}, "remove_fields"),
])
def test_api_bad_sensor_ids_and_remove_fields(app, client, metered, api_headers, body, field):
    response = patch(client, metered, api_headers, body)
    assert response.status_code == 400
    assert field in response.get_json()["error"]["fields"]
    assert count(app, Reading) == 1 and len(sensors_of(app, metered)) == 2


def test_api_create_refuses_sensor_ids(app, client, park, metered, api_headers):
    body = {"name": "Nieuw", "sensors": [{"id": sensor_id(app, metered, "power"),
                                          "field": "power", "quantity": "power", "unit": "kW"}]}
    response = client.post(f"/api/v1/parks/{park.slug}/devices", json=body, headers=api_headers)
    assert response.status_code == 400
    assert "sensors-0-id" in response.get_json()["error"]["fields"]
    assert len(sensors_of(app, metered)) == 2 and count(app, Sensor) == 2


# --- the service ----------------------------------------------------------------------------

def update_through_service(app, uid: str, channels, removable=()) -> None:
    def work(session_db):
        device = session_db.scalars(select(Device).where(Device.uid == uid)).one()
        inputs = [device_service.ChannelInput(*channel) for channel in channels]
        device_service.update_device(session_db, device, {"name": "Anders"}, inputs, removable)

    in_db(app, work)


def test_service_refuses_to_drop_history_and_changes_nothing(app, metered):
    with pytest.raises(ChannelError) as refused:
        update_through_service(app, metered, [("total", "energy_import", "kWh")])
    assert [(p.kind, p.field) for p in refused.value.problems] == [(REMOVES_HISTORY, "power")]
    assert device_row(app, metered).name == "Testapparaat"
    assert count(app, Reading) == 1


def test_service_drops_history_only_when_told(app, metered):
    update_through_service(app, metered, [("total", "energy_import", "kWh")],
                           removable={"power"})
    assert [s.field for s in device_row(app, metered).sensors] == ["total"]
    assert count(app, Reading) == 0
