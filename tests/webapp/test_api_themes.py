"""API v1 for themes, indicators, the catalogue, profiles, values, measures, experiments and the
library: what each caller sees and may change, and validation errors that name the field."""

from __future__ import annotations

import pytest

import themes
from tests.conftest import PASSWORD, count, csrf_token_from
from tests.webapp import theme_helpers as th
from webapp.models import Experiment, IndicatorValue, Measure

world = th.world
API = "/api/v1"
VALID = {"title": "Wadi langs de Hessenweg", "themes": ["water", "natuur"], "status": "gepland",
         "start_date": "2025-03-01", "end_date": "2025-10-31", "cost_eur": 48500.5,
         "funding_source": "Waterschapssubsidie", "evidence_links": ["https://example.org/w"]}


@pytest.fixture
def token_for(runner):
    """Authorization headers with a bearer token from `werklandschap create-token`."""

    def make(user) -> dict[str, str]:
        result = runner.invoke(["create-token", user.email])
        assert result.exit_code == 0, result.output
        return {"Authorization": f"Bearer {result.stdout.strip()}"}

    return make


def error_of(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["code"] == code and error["message"]
    return error


# --- catalogue -------------------------------------------------------------------------------

def test_themes_returns_exactly_the_seven_themes(client):
    body = client.get(f"{API}/themes").get_json()
    assert [t["code"] for t in body["items"]] == list(themes.THEME_CODES)
    assert len(body["items"]) == 7
    energy = body["items"][-1]
    assert energy["name_nl"] == "Energie" and energy["name_en"] == "Energy"
    assert {i["code"] for i in energy["indicators"]} >= {"pv_kwp_per_ha", "self_sufficiency_pct"}
    assert {c["level"] for c in energy["criteria"]} == {1, 2, 3, 4}
    assert [lv["number"] for lv in body["levels"]] == [0, 1, 2, 3, 4]


def test_one_theme_and_unknown_theme(client):
    assert client.get(f"{API}/themes/water").get_json()["code"] == "water"
    error_of(client.get(f"{API}/themes/ruimte"), 404, "not_found")


def test_indicators_and_catalogue(client):
    indicators = client.get(f"{API}/indicators").get_json()["items"]
    assert len(indicators) == len(themes.INDICATORS)
    water = client.get(f"{API}/indicators?theme=water").get_json()["items"]
    assert water and all(i["theme"] == "water" for i in water)
    measures = client.get(f"{API}/catalogue/measures").get_json()["items"]
    assert len(measures) >= 40
    natuur = client.get(f"{API}/catalogue/measures?theme=natuur").get_json()["items"]
    assert natuur and all("natuur" in m["themes"] for m in natuur)
    error = error_of(client.get(f"{API}/indicators?theme=ruimte"), 400, "validation_error")
    assert "theme" in error["fields"]


# --- profiles and values ---------------------------------------------------------------------

@pytest.mark.parametrize(("who", "visible"), [
    (None, {"open_park"}), ("manager", {"open_park"}),
    ("other_manager", {"open_park", "closed_park"}),
    ("coordinator", {"open_park", "closed_park", "quiet_park"})])
def test_park_themes_visibility(client, world, token_for, who, visible):
    headers = token_for(getattr(world, who)) if who else {}
    for name in ("open_park", "closed_park", "quiet_park"):
        park = getattr(world, name)
        response = client.get(f"{API}/parks/{park.slug}/themes", headers=headers)
        assert response.status_code == (200 if name in visible else 404), (who, name)


def test_park_themes_has_levels_and_reasons(app, client, world):
    th.add_measure(app, world.open_park, catalogue_code="pv_roofs", status="gerealiseerd")
    body = client.get(f"{API}/parks/{world.open_park.slug}/themes").get_json()
    by_theme = {t["theme"]: t for t in body["themes"]}
    assert list(by_theme) == list(themes.THEME_CODES)
    energy = by_theme["energie"]
    assert energy["current_level"] == 1 and energy["baseline_level"] == 0
    reasons = {r["criterion"]: r for r in energy["reasons"]}
    assert reasons["energie.1.first_step"]["met"] is True
    assert reasons["energie.2.pv_kwp_per_ha"]["met"] is False
    assert reasons["energie.2.pv_kwp_per_ha"]["detail_en"]


def test_patch_and_put_profile(client, world, token_for):
    headers = token_for(world.manager)
    url = f"{API}/parks/{world.open_park.slug}/themes"
    body = client.patch(url, headers=headers, json={"themes": {
        "energie": {"baseline_level": 1, "ambition_level": 4, "ambition_year": 2030}}})
    assert body.status_code == 200, body.get_data(as_text=True)
    body = client.patch(url, headers=headers, json={"themes": {"water": {"baseline_level": 2}}})
    by_theme = {t["theme"]: t for t in body.get_json()["themes"]}
    assert (by_theme["energie"]["ambition_level"], by_theme["water"]["baseline_level"]) == (4, 2)
    body = client.put(url, headers=headers, json={"themes": {"natuur": {"baseline_level": 3}}})
    by_theme = {t["theme"]: t for t in body.get_json()["themes"]}
    assert by_theme["natuur"]["baseline_level"] == 3
    assert by_theme["energie"]["ambition_level"] is None  # PUT replaces the whole profile


@pytest.mark.parametrize(("body", "field"), [
    ({"themes": {"energie": {"baseline_level": 5}}}, "themes.energie.baseline_level"),
    ({"themes": {"energie": {"ambition_level": 2, "ambition_year": 1999}}},
     "themes.energie.ambition_year"),
    ({"themes": {"energie": {"ambition_year": 2030}}}, "themes.energie.ambition_year"),
    ({"themes": {"ruimte": {"baseline_level": 1}}}, "themes.ruimte"),
    ({"themes": {"energie": {"colour": "groen"}}}, "themes.energie.colour"),
    ({"themes": ["energie"]}, "themes"),
    ({"profile": {}}, "themes"),
])
def test_bad_profile_input_names_the_field(client, world, token_for, body, field):
    response = client.patch(f"{API}/parks/{world.open_park.slug}/themes",
                            headers=token_for(world.manager), json=body)
    assert field in error_of(response, 400, "validation_error")["fields"]


def test_profile_writes_need_an_editor(client, world, token_for):
    url = f"{API}/parks/{world.open_park.slug}/themes"
    body = {"themes": {"energie": {"baseline_level": 1}}}
    error_of(client.patch(url, json=body), 401, "unauthorized")
    error_of(client.patch(url, json=body, headers=token_for(world.member)), 404, "not_found")
    error_of(client.put(url, json=body, headers=token_for(world.other_manager)), 404,
             "not_found")


def test_indicator_values(app, client, world, token_for):
    headers = token_for(world.manager)
    url = f"{API}/parks/{world.open_park.slug}/indicator-values"
    for value, day in ((20, "2024-06-30"), (45.5, "2025-06-30")):
        response = client.post(url, headers=headers, json={
            "indicator": "pv_kwp_per_ha", "value": value, "measured_on": day,
            "is_measured": True})
        assert response.status_code == 201, response.get_data(as_text=True)
    body = client.get(url).get_json()
    assert [v["value"] for v in body["items"]] == [45.5, 20]
    assert body["latest"]["pv_kwp_per_ha"]["value"] == 45.5
    assert body["latest"]["pv_kwp_per_ha"]["source"] == "manual"


@pytest.mark.parametrize(("body", "field"), [
    ({"indicator": "self_sufficiency_pct", "value": 120}, "value"),
    ({"indicator": "pv_kwp_per_ha", "value": -1}, "value"),
    ({"indicator": "pv_kwp_per_ha", "value": "veel"}, "value"),
    ({"indicator": "pv_kwp_per_ha"}, "value"),
    ({"indicator": "geluk", "value": 1}, "indicator"),
    ({"indicator": "pv_kwp_per_ha", "value": 1, "measured_on": "2099-01-01"}, "measured_on"),
    ({"indicator": "pv_kwp_per_ha", "value": 1, "colour": "groen"}, "colour"),
])
def test_bad_indicator_value_names_the_field(app, client, world, token_for, body, field):
    response = client.post(f"{API}/parks/{world.open_park.slug}/indicator-values",
                           headers=token_for(world.manager), json=body)
    assert field in error_of(response, 400, "validation_error")["fields"]
    assert count(app, IndicatorValue) == 0


# --- measures --------------------------------------------------------------------------------

def test_create_measure_and_read_it_back(app, client, world, token_for):
    headers = token_for(world.manager)
    response = client.post(f"{API}/parks/{world.open_park.slug}/measures", headers=headers,
                           json={**VALID, "lead_company_id": world.company.id})
    assert response.status_code == 201, response.get_data(as_text=True)
    created = response.get_json()
    assert response.headers["Location"].endswith(f"/measures/{created['id']}")
    assert created["cost_eur"] == 48500.5 and created["lead_company"] == "Groen B.V."
    assert [h["to_status"] for h in created["status_history"]] == ["gepland"]
    public = client.get(f"{API}/measures/{created['id']}").get_json()
    assert public["title"] == VALID["title"]
    assert "cost_eur" not in public and "funding_source" not in public


def test_catalogue_code_fills_in_the_measure(client, world, token_for):
    response = client.post(f"{API}/parks/{world.open_park.slug}/measures",
                           headers=token_for(world.manager), json={"catalogue_code": "wadi"})
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert body["themes"] == ["water", "natuur"] and body["title"] and body["status"] == "idee"


@pytest.mark.parametrize(("changes", "field"), [
    ({"title": ""}, "title"),
    ({"themes": []}, "themes"),
    ({"themes": ["ruimte"]}, "themes"),
    ({"start_date": "2025-10-01", "end_date": "2025-01-01"}, "end_date"),
    ({"cost_eur": -5}, "cost_eur"),
    ({"evidence_links": ["file:///etc/passwd"]}, "evidence_links"),
    ({"lead_company_id": "OTHER"}, "lead_company_id"),
    ({"status": "klaar"}, "status"),
    ({"catalogue_code": "teleporter"}, "catalogue_code"),
    ({"colour": "groen"}, "colour"),
    ({"themes": {"water": True}}, "themes"),
    ({"status_note": 5}, "status_note"),
])
def test_bad_measure_names_the_field(app, client, world, token_for, changes, field):
    if changes.get("lead_company_id") == "OTHER":
        changes = {"lead_company_id": world.other_company.id}
    response = client.post(f"{API}/parks/{world.open_park.slug}/measures",
                           headers=token_for(world.manager), json={**VALID, **changes})
    assert field in error_of(response, 400, "validation_error")["fields"]
    assert count(app, Measure) == 0


def test_patch_records_the_status_change(app, client, world, token_for):
    measure_id = th.add_measure(app, world.open_park, status="gepland", title="Oud")
    headers = token_for(world.manager)
    response = client.patch(f"{API}/measures/{measure_id}", headers=headers, json={
        "status": "gerealiseerd", "status_note": "Opgeleverd", "measured_effect": "Droog"})
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["title"] == "Oud" and body["measured_effect"] == "Droog"
    history = body["status_history"]
    assert [(h["from_status"], h["to_status"]) for h in history] == [
        (None, "gepland"), ("gepland", "gerealiseerd")]
    assert history[-1]["changed_by_id"] == world.manager.id
    assert history[-1]["note"] == "Opgeleverd"
    bad = client.patch(f"{API}/measures/{measure_id}", headers=headers, json={"themes": []})
    assert "themes" in error_of(bad, 400, "validation_error")["fields"]


def test_measures_of_other_parks(app, client, world, token_for):
    hidden = th.add_measure(app, world.closed_park)
    visible = th.add_measure(app, world.open_park)
    headers = token_for(world.manager)
    error_of(client.get(f"{API}/measures/{hidden}", headers=headers), 404, "not_found")
    error_of(client.patch(f"{API}/measures/{hidden}", headers=headers,
                          json={"status": "gestopt"}), 404, "not_found")
    other = token_for(world.other_manager)
    error_of(client.patch(f"{API}/measures/{visible}", headers=other,
                          json={"status": "gestopt"}), 404, "not_found")
    error_of(client.get(f"{API}/parks/{world.closed_park.slug}/measures", headers=headers),
             404, "not_found")
    error_of(client.post(f"{API}/parks/{world.closed_park.slug}/measures", headers=headers,
                         json=VALID), 404, "not_found")
    listed = client.get(f"{API}/parks/{world.open_park.slug}/measures").get_json()["items"]
    assert [m["id"] for m in listed] == [visible]


def test_experiment_put_and_get(app, client, world, token_for):
    measure_id = th.add_measure(app, world.open_park)
    headers = token_for(world.manager)
    url = f"{API}/measures/{measure_id}/experiment"
    error_of(client.get(url), 404, "not_found")
    design = {"hypothesis": "Een wadi houdt de straat droog.", "indicator": "unpaved_pct"}
    assert client.put(url, headers=headers, json=design).status_code == 201
    closed = {**design, "outcome": "confirmed", "results": "Droog.", "lessons": "Meten."}
    assert client.put(url, headers=headers, json=closed).status_code == 200
    assert client.get(url).get_json()["outcome"] == "confirmed"
    assert count(app, Experiment) == 1


@pytest.mark.parametrize(("body", "field"), [
    ({"indicator": "unpaved_pct"}, "hypothesis"),
    ({"hypothesis": "H", "outcome": "confirmed", "lessons": "L"}, "results"),
    ({"hypothesis": "H", "outcome": "confirmed", "results": "R"}, "lessons"),
    ({"hypothesis": "H", "indicator": "geluk"}, "indicator"),
    ({"hypothesis": "H", "start_date": "2025-05-01", "end_date": "2025-01-01"}, "end_date"),
])
def test_bad_experiment_names_the_field(app, client, world, token_for, body, field):
    measure_id = th.add_measure(app, world.open_park)
    response = client.put(f"{API}/measures/{measure_id}/experiment",
                          headers=token_for(world.manager), json=body)
    assert field in error_of(response, 400, "validation_error")["fields"]
    assert count(app, Experiment) == 0


def test_adopt_through_the_api(app, client, world, token_for):
    origin = th.add_measure(app, world.open_park, title="Buurtbatterij")
    headers = token_for(world.other_manager)
    url = f"{API}/measures/{origin}/adopt"
    bad = client.post(url, headers=headers, json={"park": world.quiet_park.slug})
    assert "park" in error_of(bad, 400, "validation_error")["fields"]
    response = client.post(url, headers=headers, json={"park": world.closed_park.slug})
    assert response.status_code == 201
    body = response.get_json()
    assert body["adopted_from_id"] == origin and body["park"] == world.closed_park.slug
    origin_url = f"{API}/measures/{origin}"
    adopter = client.get(origin_url, headers=headers).get_json()
    assert (adopter["adopted_by"], adopter["adopted_by_hidden"]) == ([body["id"]], 0)
    own = client.post(url, headers=token_for(world.manager),
                      json={"park": world.open_park.slug})
    error_of(own, 400, "validation_error")


def test_library_api(app, client, world, token_for):
    th.add_measure(app, world.open_park, title="Open", cost_eur=10)
    th.add_measure(app, world.closed_park, title="Dicht")
    error_of(client.get(f"{API}/library"), 401, "unauthorized")
    body = client.get(f"{API}/library", headers=token_for(world.manager)).get_json()
    assert [m["title"] for m in body["items"]] == ["Open"] and body["total"] == 1
    body = client.get(f"{API}/library?experiments=1",
                      headers=token_for(world.coordinator)).get_json()
    assert body["items"] == []
    body = client.get(f"{API}/library", headers=token_for(world.other_manager)).get_json()
    assert {m["title"] for m in body["items"]} == {"Open", "Dicht"}
    open_item = next(m for m in body["items"] if m["title"] == "Open")
    assert "cost_eur" not in open_item


def test_session_writes_need_the_csrf_header(csrf_app, client, world):
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"email": world.manager.email, "password": PASSWORD,
                                "csrf_token": token})
    url = f"{API}/parks/{world.open_park.slug}/measures"
    error_of(client.post(url, json=VALID), 400, "csrf_failed")
    assert count(csrf_app, Measure) == 0
