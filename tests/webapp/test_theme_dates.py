"""Dates in the themes area follow the Amsterdam calendar, not the server's UTC date.

Between midnight and 01:00 (02:00 in summer) Amsterdam time the UTC date is still yesterday:
today's Amsterdam date must not be refused as lying in the future then. The clock is frozen at
00:30 on New Year's Day 2100 in Amsterdam (23:30 UTC the day before).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from tests.conftest import in_db
from tests.webapp import theme_helpers as th
from webapp.models import IndicatorValue, Park, ThemeProfile, User
from webapp.security import create_api_token
from webapp.services import themes as theme_service

world = th.world
FROZEN = datetime(2099, 12, 31, 23, 30, tzinfo=UTC)
AMSTERDAM_TODAY = date(2100, 1, 1)


class FrozenDatetime(datetime):
    """datetime with now() fixed at FROZEN."""

    @classmethod
    def now(cls, tz=None):
        return FROZEN.astimezone(tz) if tz is not None else FROZEN.replace(tzinfo=None)


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr(theme_service, "datetime", FrozenDatetime)


def test_today_is_the_amsterdam_date(frozen):
    assert theme_service.today_amsterdam() == AMSTERDAM_TODAY


def value_form(measured_on: str) -> dict:
    return {"indicator": "pv_kwp_per_ha", "value": "42,5", "measured_on": measured_on,
            "is_measured": "y", "note": ""}


@pytest.mark.parametrize(("measured_on", "status"), [("2100-01-01", 302), ("2100-01-02", 400)])
def test_value_page_takes_todays_amsterdam_date(app, client, login, world, frozen,
                                                measured_on, status):
    login(world.manager)
    response = client.post(f"/parks/{world.open_park.slug}/themes/energie/values",
                           data=value_form(measured_on))
    assert response.status_code == status


def test_value_form_defaults_to_todays_amsterdam_date(client, login, world, frozen):
    login(world.manager)
    html = client.get(f"/parks/{world.open_park.slug}/themes/energie").get_data(as_text=True)
    assert re.search(r'<input[^>]*name="measured_on"[^>]*value="2100-01-01"', html)


def test_api_value_without_a_date_gets_the_amsterdam_date(app, client, world, frozen):
    token = in_db(app, lambda s: create_api_token(s, s.get(User, world.manager.id), "t"))
    response = client.post(f"/api/v1/parks/{world.open_park.slug}/indicator-values",
                           headers={"Authorization": f"Bearer {token}"},
                           json={"indicator": "pv_kwp_per_ha", "value": 10})
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.get_json()["measured_on"] == "2100-01-01"


def test_service_default_date_is_the_amsterdam_date(app, world, frozen):
    value = in_db(app, lambda s: theme_service.add_indicator_value(
        s, s.get(Park, world.open_park.id), {"indicator": "pv_kwp_per_ha", "value": 5}, None))
    stored = in_db(app, lambda s: s.get(IndicatorValue, value.id).measured_on)
    assert stored == AMSTERDAM_TODAY


def test_baseline_year_may_be_the_amsterdam_year(app, client, login, world, frozen):
    login(world.manager)
    data = {f"{code}_{key}": "" for code in theme_service.themes.THEME_CODES
            for key in ("baseline_year", "ambition_level", "ambition_year")}
    data |= {f"{code}_baseline_level": "0" for code in theme_service.themes.THEME_CODES}
    data["energie_baseline_year"] = "2100"
    response = client.post(f"/parks/{world.open_park.slug}/themes/edit", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
    years = in_db(app, lambda s: list(s.scalars(select(ThemeProfile.baseline_year).where(
        ThemeProfile.theme == "energie"))))
    assert years == [2100]
