"""The national dashboard (coordinators), the public progress page and the public API:
who may open what, what the public never sees, empty states and the configured target."""

from __future__ import annotations

import json

import pytest
from openapi_schema_validator import OAS31Validator

from tests.conftest import in_db
from tests.webapp.test_national import PRIVATE_NAME, build_registry
from webapp.models import Measure

SECRET_DESCRIPTION = "Geheime omschrijving Kwartelvlucht"
SECRET_COMPANY = "Zwijgzaam Transport BV"
SECRET_JOBS = 987654
PRIVATE_SLUG = "verborgen-reigerpark"
SECRET_MEASURE = "Eigen proef Uilenbal"


def _private_fields(app, make_park, make_company):
    """The registry, with private fields that must never reach the public."""
    parks = build_registry(app, make_park, C={
        "slug": PRIVATE_SLUG, "description": SECRET_DESCRIPTION, "jobs": SECRET_JOBS,
        "companies_count": 4321, "ibis_rin": "RIN-77731"},
        B={"description": "Niet gepubliceerde tekst Meeuwenrust", "jobs": 24680,
           "public_fields": []})
    make_company(parks["A"], name=SECRET_COMPANY)
    in_db(app, lambda s: s.add(Measure(park_id=parks["B"].id, title=SECRET_MEASURE,
                                       status="gerealiseerd", description=SECRET_MEASURE)))
    return parks


@pytest.mark.parametrize(("role", "status"), [
    ("coordinator", 200), ("admin", 200), ("park_manager", 404), ("member", 404),
])
def test_dashboard_is_for_coordinators_and_admins(app, client, make_park, make_company,
                                                  make_user, login, role, status):
    parks = build_registry(app, make_park)
    company = make_company(parks["A"])
    extra = {"parks": [parks["A"]]} if role == "park_manager" else {}
    if role == "member":
        extra = {"company": company}
    login(make_user(role, **extra))
    for path in ("/national", "/national/report.csv", "/national/report.xlsx"):
        assert client.get(path).status_code == status, path


def test_anonymous_gets_404_for_the_dashboard_and_report(app, client, registry):
    for path in ("/national", "/national/report.csv", "/api/v1/national/report"):
        assert client.get(path).status_code == 404, path


@pytest.fixture
def registry(app, make_park):
    return build_registry(app, make_park)


def test_dashboard_shows_figures_charts_and_every_spotlight_park(app, client, registry,
                                                                 make_user, login):
    login(make_user("coordinator"))
    html = client.get("/national").get_data(as_text=True)
    for div in ("national-progress", "national-funnel", "national-map",
                "national-provinces", "national-themes"):
        assert f'id="{div}"' in html
    assert PRIVATE_NAME in html  # coordinators see every living lab and ambassador park
    assert f'href="/parks/{registry["C"].slug}"' in html
    assert "/national/report.xlsx" in html


def test_public_page_and_api_expose_no_private_park_field(app, client, make_park,
                                                         make_company):
    parks = _private_fields(app, make_park, make_company)
    html = client.get("/progress").get_data(as_text=True)
    body = client.get("/api/v1/national/progress").get_data(as_text=True)
    secrets = [PRIVATE_NAME, PRIVATE_SLUG, SECRET_DESCRIPTION, SECRET_COMPANY, "RIN-77731",
               SECRET_MEASURE,
               "Meeuwenrust", "987654", "987.654", "987,654", "24680", "24.680", "4321"]
    for text in (html, body):
        for secret in secrets:
            assert secret not in text, secret
    # Public parks are named, and the private park still counts.
    assert "Lab Akkerpark" in html and "Lab Akkerpark" in body
    data = json.loads(body)
    assert data["progress"]["on_its_way"] == 2
    assert all("phase" not in park for park in data["spotlight"])
    assert {park["slug"] for park in data["spotlight"]} == {parks["A"].slug, parks["D"].slug}


def test_public_page_without_login_shows_the_figures(client, registry):
    response = client.get("/progress")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="national-progress"' in html and 'id="national-map"' in html


def test_report_api_for_coordinators_has_phases_of_all_spotlight_parks(app, client, registry,
                                                                       make_user, login):
    login(make_user("park_manager", parks=[registry["C"]]))
    assert client.get("/api/v1/national/report").status_code == 404
    client.post("/logout")
    login(make_user("coordinator"))
    data = client.get("/api/v1/national/report").get_json()
    assert {(p["name"], p["phase"]) for p in data["spotlight"]} == {
        ("Lab Akkerpark", "uitvoering"), (PRIVATE_NAME, "roadmap"),
        ("Ambassade Duinpark", "nulmeting")}
    assert [p["on_its_way"] for p in data["series"]] == [0, 1, 2]
    assert {p["code"]: p["parks"] for p in data["phases"]}["roadmap"] == 1


@pytest.mark.parametrize(("path", "marker"), [
    ("/national", "werklandschap snapshots"), ("/progress", "national-empty"),
])
def test_empty_state_before_the_first_snapshot(app, client, make_park, make_user, login,
                                               path, marker):
    make_park()
    login(make_user("coordinator"))
    response = client.get(path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert marker in html
    assert 'id="national-progress"' not in html


def test_api_before_the_first_snapshot(client, make_park):
    make_park()
    data = client.get("/api/v1/national/progress").get_json()
    assert (data["day"], data["progress"], data["forecast"], data["series"]) == (
        None, None, None, [])
    assert data["registered"] == 1


@pytest.mark.parametrize("parks", [1000, 2000])
def test_target_comes_from_the_app_config(app, client, registry, parks):
    app.config.update(TARGET_PARKS=parks, PROGRAMME_START="2026-01-01",
                      TARGET_DATE="2026-12-31")
    data = client.get("/api/v1/national/progress").get_json()
    # 2026-03-03 is day 61 of a 364-day programme.
    assert data["target"] == {"parks": parks, "start": "2026-01-01", "end": "2026-12-31"}
    assert data["progress"]["expected"] == round(parks * 61 / 364, 1)
    html = client.get("/progress").get_data(as_text=True)
    assert f'<span class="big">{parks // 1000}.000</span>' in html  # Dutch thousands


@pytest.mark.parametrize("with_snapshots", [True, False])
def test_api_answers_match_the_documented_schema(app, client, make_park, make_user, login,
                                                 with_snapshots):
    if with_snapshots:
        build_registry(app, make_park)
    else:
        make_park()
    schema = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"][
        "NationalOverview"]
    OAS31Validator(schema).validate(client.get("/api/v1/national/progress").get_json())
    login(make_user("admin"))
    OAS31Validator(schema).validate(client.get("/api/v1/national/report").get_json())


def test_dashboard_warns_when_the_latest_snapshot_is_old(client, registry, make_user, login):
    # The registry's last snapshot is of 2026-03-03, long before today.
    assert "national-stale" not in client.get("/progress").get_data(as_text=True)
    login(make_user("coordinator"))
    assert "national-stale" in client.get("/national").get_data(as_text=True)
