"""Dates outside 1970-2100 on the environment pages, API and downloads: a 400 naming the field,
never a server error; the years at the bounds still answer."""

from __future__ import annotations

import re

import pytest

BAD_PERIODS = [
    ("year", "9999"), ("year", "2101"), ("year", "1969"), ("year", "0001"),
    ("month", "9999-12"), ("month", "0001-01"), ("week", "9999-W52"), ("week", "0001-01-01"),
    ("day", "0001-01-01"), ("day", "9999-12-31"), ("day", "2101-01-01"),
    ("day", "1969-12-31"),
]
GOOD_PERIODS = [("year", "1970"), ("year", "2100"), ("day", "1970-01-01"),
                ("day", "2100-12-31"), ("month", "2100-12"), ("week", "2100-W52")]
BAD_RANGES = [
    ({"from": "9999-01-01", "to": "9999-01-02"}, "from"),
    ({"from": "0001-01-01", "to": "0001-01-02"}, "from"),
    ({"from": "0001-01-01T00:00+00:00", "to": "2026-01-02"}, "from"),
    ({"from": "2100-12-31", "to": "2101-01-01"}, "to"),
    ({"from": "2026-01-01", "to": "9999-12-31T23:59:59"}, "to"),
]


@pytest.fixture
def park(client, login, make_park, make_user):
    """A park, with its park manager logged in (in English)."""
    park = make_park(is_public=True)
    login(make_user("park_manager", parks=[park]))
    client.post("/lang/en")
    return park


def _api(client, park, query: dict):
    return client.get(f"/api/v1/parks/{park.slug}/environment/heat", query_string=query)


@pytest.mark.parametrize(("kind", "at"), BAD_PERIODS)
def test_api_answers_400_naming_at(client, park, kind, at):
    response = _api(client, park, {"period": kind, "at": at})
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert (error["code"], list(error["fields"])) == ("validation_error", ["at"])
    assert "1970" in error["fields"]["at"] and "2100" in error["fields"]["at"]


@pytest.mark.parametrize(("query", "field"), BAD_RANGES)
def test_api_ranges_out_of_bounds_name_the_field(client, park, query, field):
    response = _api(client, park, query)
    assert response.status_code == 400
    assert list(response.get_json()["error"]["fields"]) == [field]


@pytest.mark.parametrize(("kind", "at"), BAD_PERIODS)
def test_page_answers_400_with_the_date_message(client, park, kind, at):
    response = client.get(f"/parks/{park.slug}/environment/heat",
                          query_string={"period": kind, "at": at})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert re.search(r'role="alert"><p>Date: give a date or period between 1970 and 2100\.',
                     html)


@pytest.mark.parametrize("export", ["temperature.csv", "summary.xlsx"])
@pytest.mark.parametrize(("kind", "at"), BAD_PERIODS)
def test_export_answers_400(client, park, kind, at, export):
    response = client.get(f"/parks/{park.slug}/environment/heat/{export}",
                          query_string={"period": kind, "at": at})
    assert response.status_code == 400


@pytest.mark.parametrize(("kind", "at"), GOOD_PERIODS)
def test_periods_at_the_bounds_answer(client, park, kind, at):
    query = {"period": kind, "at": at}
    assert _api(client, park, query).status_code == 200
    assert client.get(f"/parks/{park.slug}/environment/heat",
                      query_string=query).status_code == 200
    assert client.get(f"/parks/{park.slug}/environment/heat/temperature.csv",
                      query_string=query).status_code == 200
