"""Measure forms: log, edit and change status. Bad input is refused whole, naming the field;
every status a measure gets is kept in its history with who and when."""

from __future__ import annotations

from decimal import Decimal

import pytest
from markupsafe import escape

from tests.conftest import count
from tests.webapp import theme_helpers as th
from webapp.models import Measure, MeasureStatusChange, MeasureTheme

world = th.world


def assert_field_error(response, field: str) -> None:
    html = response.get_data(as_text=True)
    assert response.status_code == 400, html[-2000:]
    assert 'class="error-summary"' in html
    assert f'href="#{field}"' in html
    assert f'id="{field}-error"' in html


BAD_MEASURE = [
    ({"title": ""}, "title"),
    ({"title": "   "}, "title"),
    ({"title": "x" * 201}, "title"),
    ({"themes": []}, "themes"),
    ({"themes": ["water", "ruimte"]}, "themes"),
    ({"status": "klaar"}, "status"),
    ({"catalogue_code": "teleporter"}, "catalogue_code"),
    ({"start_date": "2025-10-01", "end_date": "2025-03-01"}, "end_date"),
    ({"start_date": "morgen"}, "start_date"),
    ({"cost_eur": "-100"}, "cost_eur"),
    ({"cost_eur": "1.234"}, "cost_eur"),  # ambiguous
    ({"cost_eur": "duur"}, "cost_eur"),
    ({"evidence_links": "javascript:alert(1)"}, "evidence_links"),
    ({"evidence_links": "https://ok.example.org\nftp://files.example.org/x"}, "evidence_links"),
    ({"evidence_links": "www.example.org"}, "evidence_links"),
    ({"evidence_links": "\n".join(f"https://e.example.org/{i}" for i in range(21))},
     "evidence_links"),
    ({"lead_company_id": "OTHER"}, "lead_company_id"),  # a company of another park
    ({"lead_company_id": "999999"}, "lead_company_id"),
    ({"funding_source": "y" * 201}, "funding_source"),
]


@pytest.mark.parametrize(("changes", "field"), BAD_MEASURE)
def test_bad_measure_input_is_refused_whole(app, client, login, world, changes, field):
    if changes.get("lead_company_id") == "OTHER":
        changes = {"lead_company_id": str(world.other_company.id)}
    login(world.manager)
    response = client.post(f"/parks/{world.open_park.slug}/measures/new",
                           data={**th.VALID_MEASURE, **changes})
    assert_field_error(response, field)
    assert count(app, Measure) == 0
    assert count(app, MeasureStatusChange) == 0
    assert count(app, MeasureTheme) == 0


def test_error_messages_escape_the_typed_text(client, login, world):
    login(world.manager)
    typed = "<b>1.234</b>"
    response = client.post(f"/parks/{world.open_park.slug}/measures/new",
                           data={**th.VALID_MEASURE, "cost_eur": typed,
                                 "evidence_links": "<script>x</script>"})
    html = response.get_data(as_text=True)
    assert str(escape(typed)) in html and typed not in html
    assert "<script>x</script>" not in html


def test_valid_measure_is_saved_with_its_first_status(app, client, login, world):
    login(world.manager)
    response = client.post(f"/parks/{world.open_park.slug}/measures/new", data={
        **th.VALID_MEASURE, "lead_company_id": str(world.company.id)})
    assert response.status_code == 302
    [measure_id] = th.measures_of(app, world.open_park)
    assert response.headers["Location"].endswith(
        f"/parks/{world.open_park.slug}/measures/{measure_id}")
    state = th.measure_state(app, measure_id)
    assert state["title"] == "Wadi langs de Hessenweg"
    assert state["themes"] == ["water", "natuur"]
    assert state["status"] == "gepland"
    assert state["cost_eur"] == Decimal("48500.50")
    assert state["lead_company_id"] == world.company.id
    assert state["evidence_links"] == ["https://example.org/wadi", "http://example.org/foto"]
    assert state["history"] == [(None, "gepland", world.manager.id)]


def test_catalogue_measure_fills_in_title_description_and_themes(app, client, login, world):
    login(world.manager)
    page = client.get(f"/parks/{world.open_park.slug}/measures/new?catalogue=green_roof")
    html = page.get_data(as_text=True)
    assert 'value="Groen dak"' in html or "Groen dak" in html
    response = client.post(f"/parks/{world.open_park.slug}/measures/new", data={
        **th.VALID_MEASURE, "catalogue_code": "green_roof", "title": "", "description": "",
        "themes": []})
    assert response.status_code == 302
    [measure_id] = th.measures_of(app, world.open_park)
    state = th.measure_state(app, measure_id)
    assert state["catalogue_code"] == "green_roof"
    assert state["themes"] == ["natuur", "water", "energie"]
    assert state["title"]


def test_own_title_and_themes_win_over_the_catalogue(app, client, login, world):
    login(world.manager)
    client.post(f"/parks/{world.open_park.slug}/measures/new", data={
        **th.VALID_MEASURE, "catalogue_code": "green_roof", "title": "Sedumdak hal 3",
        "themes": ["water"]})
    [measure_id] = th.measures_of(app, world.open_park)
    state = th.measure_state(app, measure_id)
    assert (state["title"], state["themes"]) == ("Sedumdak hal 3", ["water"])


def test_edit_changes_fields_but_not_the_status(app, client, login, world):
    measure_id = th.add_measure(app, world.open_park, status="gepland")
    login(world.manager)
    url = f"/parks/{world.open_park.slug}/measures/{measure_id}/edit"
    assert 'name="status"' not in client.get(url).get_data(as_text=True)
    response = client.post(url, data={**th.VALID_MEASURE, "title": "Nieuwe titel",
                                       "status": "gerealiseerd", "cost_eur": "12500"})
    assert response.status_code == 302
    state = th.measure_state(app, measure_id)
    assert state["title"] == "Nieuwe titel"
    assert state["cost_eur"] == Decimal("12500")
    assert state["status"] == "gepland"
    assert len(state["history"]) == 1


@pytest.mark.parametrize(("changes", "field"), [
    ({"end_date": "2020-01-01"}, "end_date"), ({"themes": []}, "themes"),
    ({"evidence_links": "not a link"}, "evidence_links")])
def test_bad_edit_leaves_the_measure_unchanged(app, client, login, world, changes, field):
    measure_id = th.add_measure(app, world.open_park, title="Oud")
    login(world.manager)
    response = client.post(f"/parks/{world.open_park.slug}/measures/{measure_id}/edit",
                           data={**th.VALID_MEASURE, "title": "Nieuw", **changes})
    assert_field_error(response, field)
    assert th.measure_state(app, measure_id)["title"] == "Oud"


def test_status_changes_are_recorded_with_who(app, client, login, world):
    measure_id = th.add_measure(app, world.open_park, status="idee")
    login(world.manager)
    url = f"/parks/{world.open_park.slug}/measures/{measure_id}/status"
    for status in ("gepland", "in_uitvoering", "gerealiseerd"):
        response = client.post(url, data={"status": status, "note": f"naar {status}"})
        assert response.status_code == 302
    state = th.measure_state(app, measure_id)
    assert state["status"] == "gerealiseerd"
    assert state["history"] == [
        (None, "idee", None), ("idee", "gepland", world.manager.id),
        ("gepland", "in_uitvoering", world.manager.id),
        ("in_uitvoering", "gerealiseerd", world.manager.id)]
    html = client.get(f"/parks/{world.open_park.slug}/measures/{measure_id}").get_data(
        as_text=True)
    assert "naar in_uitvoering" in html
    assert world.manager.name in html


@pytest.mark.parametrize("status", ["idee", "afgerond", ""])
def test_bad_status_change_is_refused(app, client, login, world, status):
    measure_id = th.add_measure(app, world.open_park, status="idee")
    login(world.manager)
    response = client.post(f"/parks/{world.open_park.slug}/measures/{measure_id}/status",
                           data={"status": status, "note": ""})
    assert_field_error(response, "status")
    assert len(th.measure_state(app, measure_id)["history"]) == 1


def test_realised_measure_raises_the_current_level(app, client, login, world):
    measure_id = th.add_measure(app, world.open_park, catalogue_code="pv_roofs",
                                status="in_uitvoering")
    login(world.manager)
    compass = f"/parks/{world.open_park.slug}/themes"
    assert 'data-level="current">0<' in client.get(compass).get_data(as_text=True)
    client.post(f"/parks/{world.open_park.slug}/measures/{measure_id}/status",
                data={"status": "gerealiseerd"})
    html = client.get(compass).get_data(as_text=True)
    energy_row = html.split('data-theme="energie"', 1)[1].split("</tr>", 1)[0]
    assert 'data-level="current">1<' in energy_row


def test_measure_from_another_park_under_this_park_is_404(app, client, login, world):
    other = th.add_measure(app, world.quiet_park)
    login(world.admin)
    for suffix in ("", "/edit", "/status", "/experiment"):
        url = f"/parks/{world.open_park.slug}/measures/{other}{suffix}"
        assert client.get(url).status_code == 404, url


def test_measures_list_filters_by_status_and_theme(app, client, login, world):
    th.add_measure(app, world.open_park, title="Dak vol zon", status="gerealiseerd")
    th.add_measure(app, world.open_park, title="Wadi bij de poort", themes=["water"],
                   status="idee")
    th.english(client)
    login(world.manager)
    url = f"/parks/{world.open_park.slug}/measures"
    both = client.get(url).get_data(as_text=True)
    assert "Dak vol zon" in both and "Wadi bij de poort" in both
    realised = client.get(url + "?status=gerealiseerd").get_data(as_text=True)
    assert "Dak vol zon" in realised and "Wadi bij de poort" not in realised
    water = client.get(url + "?theme=water").get_data(as_text=True)
    assert "Wadi bij de poort" in water and "Dak vol zon" not in water
    empty = client.get(url + "?status=gestopt").get_data(as_text=True)
    assert "No measures match these filters." in empty
