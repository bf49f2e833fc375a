"""The environment pages and API: who sees them, empty states, period picker, input errors."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.webapp.environment_helpers import add_rows, env_device, local, rollup, steady

PAGES = ("/parks/{slug}/environment", "/parks/{slug}/environment/water",
         "/parks/{slug}/environment/heat?period=month", "/parks/{slug}/environment/air",
         "/parks/{slug}/environment/heat/temperature.csv",
         "/parks/{slug}/environment/air/summary.xlsx")
API = ("/api/v1/parks/{slug}/environment/water", "/api/v1/parks/{slug}/environment/heat",
       "/api/v1/parks/{slug}/environment/air")


@pytest.fixture
def scene(make_park, make_company, make_user):
    """A park with a company, and users of it and of another park."""
    park, other = make_park(is_public=True), make_park(is_public=True)
    company, other_company = make_company(park), make_company(other)
    return {
        "park": park,
        "users": {
            "manager": make_user("park_manager", parks=[park]),
            "member": make_user("member", company=company),
            "coordinator": make_user("coordinator"),
            "admin": make_user("admin"),
            "other_manager": make_user("park_manager", parks=[other]),
            "other_member": make_user("member", company=other_company),
        },
    }


@pytest.mark.parametrize("who", ["manager", "member", "coordinator", "admin"])
@pytest.mark.parametrize("page", PAGES + API)
def test_who_sees_the_park_in_full_gets_every_page(client, login, scene, who, page):
    login(scene["users"][who])
    assert client.get(page.format(slug=scene["park"].slug)).status_code == 200


@pytest.mark.parametrize("who", [None, "other_manager", "other_member"])
@pytest.mark.parametrize("page", PAGES)
def test_others_get_404_for_the_pages_of_a_public_park(client, login, scene, who, page):
    if who:
        login(scene["users"][who])
    assert client.get(page.format(slug=scene["park"].slug)).status_code == 404


@pytest.mark.parametrize(("who", "status"), [(None, 401), ("other_manager", 404),
                                             ("other_member", 404)])
@pytest.mark.parametrize("path", API)
def test_others_get_no_answer_from_the_api(client, login, scene, who, status, path):
    if who:
        login(scene["users"][who])
    response = client.get(path.format(slug=scene["park"].slug))
    assert response.status_code == status
    assert response.get_json()["error"]["code"] in ("unauthorized", "not_found")


def test_unknown_export_or_tab_is_404(client, login, scene):
    login(scene["users"]["manager"])
    slug = scene["park"].slug
    for path in ("/parks/{}/environment/noise", "/parks/{}/environment/water/pm25.csv",
                 "/parks/{}/environment/water/rainfall.pdf"):
        assert client.get(path.format(slug)).status_code == 404


@pytest.fixture
def manager(client, login, scene):
    login(scene["users"]["manager"])
    return scene["park"]


def test_a_park_without_sensors_says_so(client, manager):
    html = client.get(f"/parks/{manager.slug}/environment/air").get_data(as_text=True)
    assert 'id="env-no-sensors"' in html
    assert "env-chart-" not in html


def test_a_period_without_data_says_so_and_draws_nothing(app, client, manager):
    env_device(app, manager, {"t": "temperature"})
    html = client.get(f"/parks/{manager.slug}/environment/heat?period=day&at=2026-07-14"
                      ).get_data(as_text=True)
    assert 'id="env-no-data"' in html
    assert 'id="env-chart-temperature"' not in html


def test_charts_are_drawn_with_reference_lines(app, client, manager):
    sensor = env_device(app, manager, {"pm": "pm25"}).sensor("pm")
    add_rows(app, [rollup(sensor, "1d", local(2026, 7, 14), mean=18.0)])
    html = client.get(f"/parks/{manager.slug}/environment/air?period=month&at=2026-07"
                      ).get_data(as_text=True)
    assert 'id="env-chart-pm25"' in html
    assert "WHO" in html and '"y0":15.0' in html.replace(" ", "")
    # PM10 and NO2: no sensor on this park.
    assert 'id="env-chart-pm10"' not in html
    assert html.count('id="env-no-data"') == 0


def test_the_summary_table_shows_the_figures_and_the_previous_period(app, client, manager):
    sensor = env_device(app, manager, {"t": "temperature"}).sensor("t")
    add_rows(app, steady(sensor, "1h", local(2026, 7, 13, 12), 3, mean=30.5))
    add_rows(app, steady(sensor, "1h", local(2026, 7, 6, 12), 1, mean=27.5))
    html = client.get(f"/parks/{manager.slug}/environment/heat?period=week&at=2026-W29"
                      ).get_data(as_text=True)
    row = re.search(rf'<tr data-sensor="{sensor}">(.*?)</tr>', html, re.S).group(1)
    assert re.search(r'data-stat="warning_hours">3<', row)
    assert re.search(r'data-previous="warning_hours">1<', row)
    assert re.search(r'data-stat="alarm_hours">3<', row)
    assert re.search(r'data-previous="alarm_hours">0<', row)


@pytest.mark.parametrize(("query", "previous", "following", "title"), [
    ("period=week&at=2026-W43", "at=2026-W42", "at=2026-W44", "week 43, 2026"),
    ("period=day&at=2026-10-25", "at=2026-10-24", "at=2026-10-26", "25 oktober 2026"),
    ("period=month&at=2026-01-31", "at=2025-12", "at=2026-02", "januari 2026"),
    ("period=year&at=2026", "at=2025", "at=2027", "2026"),
])
def test_the_period_picker_steps_in_calendar_periods(client, manager, query, previous,
                                                     following, title):
    html = client.get(f"/parks/{manager.slug}/environment/water?{query}").get_data(as_text=True)
    assert re.search(rf'href="[^"]*{previous}[^"]*" rel="prev"', html)
    assert re.search(rf'href="[^"]*{following}[^"]*" rel="next"', html)
    assert title in html


@pytest.mark.parametrize(("query", "field"), [
    ("period=decade", "Period"), ("period=week&at=2026-W60", "Date"),
    ("period=week&resolution=15m", "Resolution"), ("period=day&resolution=1mo", "Resolution"),
    ("resolution=5m", "Resolution"),
])
def test_a_bad_period_is_a_400_naming_the_field(client, manager, query, field):
    client.post("/lang/en")
    response = client.get(f"/parks/{manager.slug}/environment/water?{query}")
    assert response.status_code == 400
    assert re.search(rf'role="alert"><p>{field}: ', response.get_data(as_text=True))


def test_a_bad_resolution_keeps_the_asked_period(client, manager):
    client.post("/lang/en")
    response = client.get(f"/parks/{manager.slug}/environment/heat?period=day&at=2026-10-25"
                          "&resolution=1mo")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Heat: 25 October 2026" in html
    assert re.search(r'href="[^"]*period=day&amp;at=2026-10-24" rel="prev"', html)


@pytest.mark.parametrize(("query", "field"), [
    ({"period": "decade"}, "period"), ({"at": "2026-13"}, "at"),
    ({"period": "month", "at": "2026-02", "resolution": "15m"}, "resolution"),
    ({"resolution": "2h"}, "resolution"), ({"value": "noise"}, "value"),
    ({"from": "2026-07-01T00:00"}, "to"), ({"from": "yesterday", "to": "2026-07-02"}, "from"),
    ({"from": "2026-07-02", "to": "2026-07-01"}, "from"),
    ({"from": "2026-07-01", "to": "2026-07-03", "resolution": "15m"}, "to"),
    ({"from": "2026-07-01", "to": "2026-07-02", "period": "day"}, "period"),
    ({"from": "1900-01-01", "to": "2026-07-02"}, "from"),
])
def test_api_input_errors_name_the_field(client, manager, query, field):
    response = client.get(f"/api/v1/parks/{manager.slug}/environment/water",
                          query_string=query)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert (error["code"], list(error["fields"])) == ("validation_error", [field])


def test_api_from_to_reads_a_range_in_amsterdam_time(app, client, manager):
    sensor = env_device(app, manager, {"rain": "rainfall"}).sensor("rain")
    add_rows(app, steady(sensor, "1h", local(2026, 7, 1), 48, total=0.5))
    answer = client.get(f"/api/v1/parks/{manager.slug}/environment/water", query_string={
        "from": "2026-07-01T06:00", "to": "2026-07-01T18:00", "value": "rainfall"}).get_json()
    assert (answer["period"], answer["previous"], answer["resolution"]) == (None, None, "1h")
    assert answer["from"] == "2026-07-01T04:00:00+00:00"
    (series,) = answer["series"]
    assert len(series["points"]) == 12
    assert answer["summary"][0]["stats"]["total_mm"] == 6.0
    assert answer["summary"][0]["previous"] is None


def test_default_period_is_the_current_week(app, client, manager):
    answer = client.get(f"/api/v1/parks/{manager.slug}/environment/heat").get_json()
    assert answer["period"]["kind"] == "week"
    assert answer["resolution"] == "1h"
    assert answer["series"] == [] and answer["summary"] == []


def test_quarter_hours_only_for_a_day(app, client, manager):
    sensor = env_device(app, manager, {"level": "water_level"}).sensor("level")
    add_rows(app, steady(sensor, "15m", local(2026, 7, 1) - timedelta(hours=1), 8, mean=20.0))
    answer = client.get(f"/api/v1/parks/{manager.slug}/environment/water", query_string={
        "period": "day", "at": "2026-07-01", "resolution": "15m"}).get_json()
    assert len(answer["series"][0]["points"]) == 4
