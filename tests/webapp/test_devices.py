"""Device pages: who sees what, the list, the device page, dead letters, alerts and settings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.conftest import in_db
from tests.webapp.device_helpers import (
    VALID_FORM,
    add_alert,
    add_dead_letter,
    add_reading,
    add_rollups,
    register_device,
)
from webapp.models import AlertOverride

NOW = datetime.now(UTC)


@pytest.fixture
def park_a(make_park):
    return make_park(slug="park-a", name="Park A", is_public=True)


@pytest.fixture
def park_b(make_park):
    return make_park(slug="park-b", name="Park B", is_public=True)


@pytest.fixture
def device_a(app, park_a):
    uid, _secret = register_device(app, park_a, uid="a-meter", name="Meter A")
    return uid


def page_urls(slug: str, uid: str) -> list[str]:
    return [f"/parks/{slug}/devices", f"/parks/{slug}/devices/{uid}",
            f"/parks/{slug}/devices/{uid}/dead-letters",
            f"/parks/{slug}/devices/{uid}/dead-letters.csv", f"/parks/{slug}/dead-letters",
            f"/parks/{slug}/dead-letters.csv", f"/parks/{slug}/alerts"]


def edit_urls(slug: str, uid: str) -> list[str]:
    return [f"/parks/{slug}/devices/new", f"/parks/{slug}/devices/{uid}/edit",
            f"/parks/{slug}/alerts/settings"]


def test_manager_of_another_park_gets_404_everywhere(app, client, park_a, park_b, device_a,
                                                     make_user, login):
    login(make_user("park_manager", parks=[park_b]))
    for url in page_urls("park-a", device_a) + edit_urls("park-a", device_a):
        assert client.get(url).status_code == 404, url
    for url in [f"/parks/park-a/devices/{device_a}/credentials",
                f"/parks/park-a/devices/{device_a}/active"]:
        assert client.post(url, data={"active": "0"}).status_code == 404, url
    # ... and cannot reach park A's device through their own park either
    assert client.get(f"/parks/park-b/devices/{device_a}").status_code == 404


def test_anonymous_visitors_get_404(client, park_a, device_a):
    for url in page_urls("park-a", device_a):
        assert client.get(url).status_code == 404, url
    assert client.get("/parks/park-a/devices/new").status_code == 302  # to the login page


def test_member_sees_own_park_read_only(app, client, park_a, device_a, make_company, make_user,
                                        login):
    login(make_user("member", company=make_company(park_a)))
    for url in page_urls("park-a", device_a):
        assert client.get(url).status_code == 200, url
    for url in edit_urls("park-a", device_a):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/parks/park-a/devices/{device_a}/credentials").status_code == 404
    html = client.get(f"/parks/park-a/devices/{device_a}").get_data(as_text=True)
    assert "/credentials" not in html and "/edit" not in html


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_coordinators_register_devices_on_any_park(app, client, park_a, make_user, login, role):
    login(make_user(role))
    response = client.post("/parks/park-a/devices/new", data={**VALID_FORM, "uid": "c-1"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/parks/park-a/devices/c-1/credentials"


def test_subnav_shows_devices_only_to_those_who_see_the_park_in_full(client, park_a, make_user,
                                                                      login):
    assert "/parks/park-a/devices" not in client.get("/parks/park-a").get_data(as_text=True)
    login(make_user("park_manager", parks=[park_a]))
    html = client.get("/parks/park-a/devices").get_data(as_text=True)
    assert 'href="/parks/park-a/devices" aria-current="page"' in html


@pytest.fixture
def manager_a(park_a, make_user, login):
    user = make_user("park_manager", parks=[park_a])
    login(user)
    return user


def test_list_shows_status_last_seen_and_open_alerts(app, client, park_a, manager_a):
    fresh, _ = register_device(app, park_a, uid="fresh", name="Vers")
    silent, _ = register_device(app, park_a, uid="silent", name="Stil")
    register_device(app, park_a, uid="never", name="Nooit")
    add_reading(app, fresh, "power", NOW - timedelta(minutes=2), 1.0)
    add_reading(app, silent, "power", NOW - timedelta(hours=3), 1.0)
    add_alert(app, silent)
    add_alert(app, silent, rule="device_silent")
    add_alert(app, silent, ended=True)
    html = client.get("/parks/park-a/devices").get_data(as_text=True)
    rows = {uid: html.split(f"<code>{uid}</code>", 1)[1].split("</tr>", 1)[0]
            for uid in ("fresh", "silent", "never")}
    assert "device-status-ok" in rows["fresh"]
    assert "device-status-silent" in rows["silent"]
    assert "device-status-never" in rows["never"]
    assert ">2</a>" in rows["silent"]
    local = (NOW - timedelta(minutes=2)).astimezone(_amsterdam()).strftime("%Y-%m-%d %H:%M")
    assert local in rows["fresh"]


def _amsterdam():
    from zoneinfo import ZoneInfo

    return ZoneInfo("Europe/Amsterdam")


def test_device_page_shows_latest_value_in_amsterdam_time_and_charts(app, client, park_a,
                                                                     manager_a):
    uid, _ = register_device(app, park_a, uid="pv", channels=(("p", "pv_power", "W"),))
    moment = datetime(2030, 1, 1, 11, 0, tzinfo=UTC)  # noon in Amsterdam (CET)
    add_reading(app, uid, "p", moment, 12.5)
    add_rollups(app, uid, "p", "15m", NOW - timedelta(hours=2), [1.0, 2.0, 3.0],
                timedelta(minutes=15))
    add_rollups(app, uid, "p", "1h", NOW - timedelta(days=2), [4.0, 5.0], timedelta(hours=1))
    html = client.get(f"/parks/park-a/devices/{uid}").get_data(as_text=True)
    latest = html.split('id="latest"', 1)[1].split("</section>", 1)[0]
    assert "12,50" in latest and "kW" in latest
    assert "2030-01-01 12:00:00" in latest
    assert 'id="chart-pv-day"' in html and 'id="chart-pv-week"' in html
    assert "plotly.min.js" in html


def test_device_page_without_data_shows_empty_state(app, client, park_a, device_a, manager_a):
    html = client.get(f"/parks/park-a/devices/{device_a}").get_data(as_text=True)
    assert 'id="chart-' not in html
    assert html.count('class="empty"') >= 2
    assert "plotly.min.js" not in html


def test_dead_letter_list_shows_reason_escaped_payload_and_pages(app, client, park_a, device_a,
                                                                 manager_a):
    for i in range(30):
        add_dead_letter(app, device_a, code="not_a_number", reason=f"field 'power': 'x{i}'",
                        payload=b'{"power": "<script>alert(1)</script>' + b"y" * 500 + b'"}',
                        received_at=NOW - timedelta(minutes=i))
    html = client.get(f"/parks/park-a/devices/{device_a}/dead-letters").get_data(as_text=True)
    assert "not_a_number" in html and "x0" in html
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    assert "y" * 250 not in html  # payload preview is truncated
    assert 'rel="next"' in html
    page2 = client.get(f"/parks/park-a/devices/{device_a}/dead-letters?page=2")
    assert "x29" in page2.get_data(as_text=True)


def test_dead_letter_csv_is_for_excel_and_neutralises_formulas(app, client, park_a, device_a,
                                                               manager_a):
    add_dead_letter(app, device_a, code="invalid_json", reason="=HYPERLINK(1)",
                    payload=b"=cmd|x")
    response = client.get("/parks/park-a/dead-letters.csv")
    body = response.get_data(as_text=True)
    assert response.mimetype == "text/csv"
    assert body.startswith("\ufeffreceived_at;device;topic;reason_code")
    assert ";'=HYPERLINK(1);" in body and "'=cmd|x" in body


def test_park_dead_letters_leave_out_other_parks(app, client, park_a, park_b, device_a,
                                                 manager_a):
    other, _ = register_device(app, park_b, uid="b-meter")
    add_dead_letter(app, device_a, code="code_of_a")
    add_dead_letter(app, other, code="code_of_b")
    html = client.get("/parks/park-a/dead-letters").get_data(as_text=True)
    assert "code_of_a" in html and "code_of_b" not in html


def test_alerts_page_lists_open_and_closed(app, client, park_a, device_a, manager_a):
    add_alert(app, device_a, rule="who_pm25_24h", value=21.0, threshold=15.0)
    add_alert(app, device_a, rule="co2_indoor", ended=True)
    html = client.get("/parks/park-a/alerts").get_data(as_text=True)
    open_part, closed_part = html.split("<h2>", 2)[1:]
    assert "PM2" in open_part and "21,0" in open_part
    assert "CO2" in closed_part


def test_alert_settings_store_threshold_off_and_default(app, client, park_a, manager_a):
    data = {"who_pm25_24h__threshold": "20", "co2_indoor__off": "y",
            "who_no2_24h__threshold": ""}
    response = client.post("/parks/park-a/alerts/settings", data=data)
    assert response.status_code == 302
    stored = in_db(app, lambda s: {o.rule: o.threshold for o in s.scalars(
        select(AlertOverride))})
    assert stored == {"who_pm25_24h": 20.0, "co2_indoor": None}
    client.post("/parks/park-a/alerts/settings", data={"who_pm25_24h__threshold": ""})
    assert in_db(app, lambda s: list(s.scalars(select(AlertOverride)))) == []


def test_alert_settings_refuse_text_as_threshold(app, client, park_a, manager_a):
    response = client.post("/parks/park-a/alerts/settings",
                           data={"who_pm25_24h__threshold": "veel"})
    assert response.status_code == 400
    assert in_db(app, lambda s: list(s.scalars(select(AlertOverride)))) == []
