"""The theme profile form and the indicator value form: bad input is refused whole, naming the
field; good input is saved, and values keep their history."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

import themes
from tests.conftest import count, in_db
from tests.webapp import theme_helpers as th
from webapp.models import IndicatorValue, Park, ThemeProfile
from webapp.services import themes as theme_service

world = th.world


def profile_form(**changes) -> dict:
    """The whole profile form as a browser posts it, with *changes* (flat field names)."""
    data = {}
    for code in themes.THEME_CODES:
        data |= {f"{code}_baseline_level": "0", f"{code}_baseline_year": "",
                 f"{code}_ambition_level": "", f"{code}_ambition_year": ""}
    return data | changes


def profiles(app, park: Park) -> dict[str, tuple]:
    def read(session_db):
        rows = session_db.scalars(select(ThemeProfile).where(ThemeProfile.park_id == park.id))
        return {p.theme: (p.baseline_level, p.baseline_year, p.ambition_level, p.ambition_year)
                for p in rows}

    return in_db(app, read)


def assert_field_error(response, field: str) -> None:
    html = response.get_data(as_text=True)
    assert response.status_code == 400, html[-2000:]
    assert 'class="error-summary"' in html
    assert f'href="#{field}"' in html
    assert f'id="{field}-error"' in html


BAD_PROFILE = [
    ({"energie_baseline_level": "5"}, "energie_baseline_level"),
    ({"energie_baseline_level": "-1"}, "energie_baseline_level"),
    ({"water_baseline_level": "twee"}, "water_baseline_level"),
    ({"water_baseline_level": ""}, "water_baseline_level"),
    ({"natuur_ambition_level": "7"}, "natuur_ambition_level"),
    ({"natuur_ambition_year": "2030"}, "natuur_ambition_year"),  # a year without a level
    ({"natuur_ambition_level": "3", "natuur_ambition_year": "2019"}, "natuur_ambition_year"),
    ({"natuur_ambition_level": "3", "natuur_ambition_year": "2101"}, "natuur_ambition_year"),
    ({"natuur_ambition_level": "3", "natuur_ambition_year": "2030,5"}, "natuur_ambition_year"),
    ({"gezondheid_baseline_year": str(date.today().year + 1)}, "gezondheid_baseline_year"),
    ({"gezondheid_baseline_year": "1.234"}, "gezondheid_baseline_year"),
    ({"mobiliteit_baseline_year": "2024", "mobiliteit_ambition_level": "2",
      "mobiliteit_ambition_year": "2023"}, "mobiliteit_ambition_year"),
]


@pytest.mark.parametrize(("changes", "field"), BAD_PROFILE)
def test_bad_profile_input_is_refused_whole(app, client, login, world, changes, field):
    login(world.manager)
    good = {"energie_baseline_level": "1", "energie_ambition_level": "3",
            "energie_ambition_year": "2030"}
    response = client.post(f"/parks/{world.open_park.slug}/themes/edit",
                           data=profile_form(**{**good, **changes}))
    assert_field_error(response, field)
    assert profiles(app, world.open_park) == {}


def test_profile_is_saved_and_shown_on_the_compass(app, client, login, world):
    login(world.manager)
    response = client.post(f"/parks/{world.open_park.slug}/themes/edit", data=profile_form(
        energie_baseline_level="1", energie_baseline_year="2023", energie_ambition_level="4",
        energie_ambition_year="2030", water_baseline_level="2", water_ambition_level="1"))
    assert response.status_code == 302
    saved = profiles(app, world.open_park)
    assert saved["energie"] == (1, 2023, 4, 2030)
    # An ambition below the baseline is the manager's call, not an error.
    assert saved["water"] == (2, None, 1, None)
    assert saved["natuur"] == (0, None, None, None)
    html = client.get(f"/parks/{world.open_park.slug}/themes").get_data(as_text=True)
    assert "(2030)" in html


def test_profile_form_shows_stored_values(app, client, login, world):
    in_db(app, lambda s: theme_service.update_profiles(s, s.get(Park, world.open_park.id), {
        "circulariteit": {"baseline_level": 2, "ambition_level": 3, "ambition_year": 2031}}))
    login(world.manager)
    html = client.get(f"/parks/{world.open_park.slug}/themes/edit").get_data(as_text=True)
    assert 'name="circulariteit_ambition_year" type="text" value="2031"' in html
    assert '<option selected value="3">' in html


def value_form(**changes) -> dict:
    return {"indicator": "pv_kwp_per_ha", "value": "42,5", "measured_on": "2025-06-30",
            "is_measured": "y", "note": ""} | changes


BAD_VALUE = [
    ({"value": ""}, "value"),
    ({"value": "veel"}, "value"),
    ({"value": "1.234"}, "value"),   # ambiguous: a thousand or one and a bit
    ({"value": "-3"}, "value"),      # below the indicator's minimum
    ({"indicator": "self_sufficiency_pct", "value": "120"}, "value"),  # above 100 %
    ({"indicator": "no_such_indicator"}, "indicator"),
    ({"indicator": "green_pct"}, "indicator"),  # an indicator of another theme
    ({"measured_on": ""}, "measured_on"),
    ({"measured_on": "31/06/2025"}, "measured_on"),
    ({"measured_on": (date.today() + timedelta(days=2)).isoformat()}, "measured_on"),
    ({"measured_on": "1980-01-01"}, "measured_on"),
    ({"note": "x" * 1001}, "note"),
]


@pytest.mark.parametrize(("changes", "field"), BAD_VALUE)
def test_bad_indicator_value_is_refused(app, client, login, world, changes, field):
    login(world.manager)
    response = client.post(f"/parks/{world.open_park.slug}/themes/energie/values",
                           data=value_form(**changes))
    assert_field_error(response, field)
    assert count(app, IndicatorValue) == 0


def test_yes_no_indicator_takes_only_zero_or_one(app, client, login, world):
    login(world.manager)
    url = f"/parks/{world.open_park.slug}/themes/mobiliteit/values"
    bad = client.post(url, data=value_form(indicator="shared_mobility_hub", value="2"))
    assert_field_error(bad, "value")
    good = client.post(url, data=value_form(indicator="shared_mobility_hub", value="1"))
    assert good.status_code == 302
    assert count(app, IndicatorValue) == 1


def test_values_keep_history_and_the_latest_counts(app, client, login, world):
    login(world.manager)
    url = f"/parks/{world.open_park.slug}/themes/energie/values"
    for value, day in (("20", "2024-06-30"), ("45", "2025-06-30"), ("30", "2023-06-30")):
        response = client.post(url, data=value_form(value=value, measured_on=day))
        assert response.status_code == 302
    assert count(app, IndicatorValue) == 3

    def read(session_db):
        park = session_db.get(Park, world.open_park.id)
        latest = theme_service.latest_values(session_db, park)["pv_kwp_per_ha"]
        return latest.value, latest.source, latest.is_measured, latest.entered_by_id

    assert in_db(app, read) == (45.0, "manual", True, world.manager.id)
    html = client.get(f"/parks/{world.open_park.slug}/themes/energie").get_data(as_text=True)
    assert "2023-06-30" in html and "2024-06-30" in html  # earlier values are listed


def test_values_feed_the_assessment(app, client, login, world):
    th.add_measure(app, world.open_park, catalogue_code="energy_monitoring",
                   status="gerealiseerd")
    login(world.manager)
    url = f"/parks/{world.open_park.slug}/themes/energie/values"
    client.post(url, data=value_form(value="45"))

    def level(session_db):
        park = session_db.get(Park, world.open_park.id)
        return theme_service.park_assessments(session_db, park)["energie"].level

    assert in_db(app, level) == 2  # monitoring realised and PV above 40 kWp/ha
    client.post(url, data=value_form(value="12", measured_on="2025-12-31"))
    assert in_db(app, level) == 1  # a newer, lower value counts


@pytest.mark.parametrize("url", ["/themes/edit", "/themes/energie/values"])
def test_member_cannot_edit_the_profile_or_enter_values(client, login, world, url):
    login(world.member)
    method = client.post if url.endswith("values") else client.get
    assert method(f"/parks/{world.open_park.slug}{url}").status_code == 404


def test_unknown_theme_page_is_404(client, world):
    assert client.get(f"/parks/{world.open_park.slug}/themes/ruimte").status_code == 404
