"""Out-of-range input on the device pages and API is a field error, never a server error.

Moments (commissioning, the readings range) must lie in 1970..2100; the "device silent" alert
counts reporting intervals, so an override below one would make every device silent for good.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import count, in_db
from tests.webapp.device_helpers import VALID_FORM, device_row, register_device
from webapp.models import AlertOverride, Device, User
from webapp.security import create_api_token
from webapp.services.device_data import as_utc

OUT_OF_RANGE = ["0001-01-01T00:00", "9999-12-31T23:59", "9999-12-31T23:59:59-10:00",
                "0001-01-01T00:30+01:00", "1969-12-31T12:00", "2101-01-01T00:00"]


@pytest.fixture
def park(make_park):
    return make_park(slug="hessenpoort", name="Hessenpoort")


@pytest.fixture
def manager(park, make_user):
    return make_user("park_manager", parks=[park])


@pytest.fixture
def headers(app, manager) -> dict:
    token = in_db(app, lambda s: create_api_token(s, s.get(User, manager.id), "test"))
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def device(app, park) -> str:
    return register_device(app, park, uid="meter")[0]


@pytest.mark.parametrize("moment", OUT_OF_RANGE)
def test_form_refuses_a_commissioning_time_out_of_range(app, client, park, manager, login,
                                                        moment):
    login(manager)
    response = client.post("/parks/hessenpoort/devices/new",
                           data={**VALID_FORM, "commissioned_at": moment})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'href="#commissioned_at"' in html and "1970" in html and "2100" in html
    assert count(app, Device) == 0


def test_form_accepts_the_first_and_last_years(app, client, park, manager, login):
    login(manager)
    for uid, moment in [("first", "1970-01-01T00:00"), ("last", "2100-12-31T23:59")]:
        response = client.post("/parks/hessenpoort/devices/new",
                               data={**VALID_FORM, "uid": uid, "commissioned_at": moment})
        assert response.status_code == 303, moment
    assert as_utc(device_row(app, "first").commissioned_at).year == 1969  # 01:00 CET


@pytest.mark.parametrize("moment", OUT_OF_RANGE)
def test_api_refuses_a_commissioning_time_out_of_range(app, client, park, headers, device,
                                                       moment):
    body = {"name": "Weerstation", "commissioned_at": moment,
            "sensors": [{"field": "t", "quantity": "temperature", "unit": "°C"}]}
    created = client.post("/api/v1/parks/hessenpoort/devices", json=body, headers=headers)
    changed = client.patch(f"/api/v1/devices/{device}", headers=headers,
                           json={"commissioned_at": moment})
    for response in (created, changed):
        assert response.status_code == 400
        assert "commissioned_at" in response.get_json()["error"]["fields"]
    assert count(app, Device) == 1


@pytest.mark.parametrize(("query", "field"), [
    ("from=0001-01-01T00:00", "from"),
    ("to=9999-12-31T23:59:59-10:00", "to"),
    ("from=0001-01-01T00:00Z&to=0001-01-02T00:00Z", "from"),
    ("to=0001-01-01T00:00Z", "to"),
    ("period=1d&to=1970-01-01T00:00Z&from=1969-12-01T00:00Z", "from"),
    ("to=2101-01-01T00:00", "to"),
])
def test_readings_refuse_moments_out_of_range(client, park, headers, device, query, field):
    response = client.get(f"/api/v1/devices/{device}/readings?{query}", headers=headers)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "validation_error" and field in error["fields"]


def test_readings_accept_the_first_year(client, park, headers, device):
    response = client.get(f"/api/v1/devices/{device}/readings?period=1d"
                          "&from=1970-01-01T00:00Z&to=1970-02-01T00:00Z", headers=headers)
    assert response.status_code == 200


@pytest.mark.parametrize(("threshold", "status"), [
    ("0", 400), ("-3", 400), ("0,5", 400), ("1", 302), ("2,5", 302)])
def test_device_silent_override_is_at_least_one_interval(app, client, park, manager, login,
                                                          threshold, status):
    login(manager)
    response = client.post("/parks/hessenpoort/alerts/settings",
                           data={"device_silent__threshold": threshold})
    assert response.status_code == status
    stored = in_db(app, lambda s: list(s.scalars(select(AlertOverride.threshold))))
    if status == 400:
        assert 'id="device_silent__threshold"' in response.get_data(as_text=True)
        assert stored == []
    else:
        assert stored == [float(threshold.replace(",", "."))]
