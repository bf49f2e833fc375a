"""What an aggregate may show depends on the period, not on consent alone.

Only companies with data in the period count toward the three needed; the public aggregate is
withheld when the park aggregate differs from it by one or two companies' meters (anyone who
sees both could subtract them); the previous period follows the same rule; and the park's
contracted capacity is not shown to the public.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.webapp.test_energy_support import fill, make_meter, quarters, share

DAY = date(2026, 6, 10)
API = "/api/v1/parks/{slug}/energy?period=day&value=2026-06-10"


@pytest.fixture
def park(make_park):
    return make_park(is_public=True)


def _meters(app, park, make_company, count):
    companies = [make_company(park) for _ in range(count)]
    meters = [make_meter(app, park, company) for company in companies]
    for number, meter in enumerate(meters, start=1):
        fill(app, meter, "import", quarters(DAY), float(number))
    return meters, companies


def _api(client, park, extra=""):
    return client.get(API.format(slug=park.slug) + extra).get_json()


@pytest.mark.parametrize(("aggregate_only", "public_withheld"), [
    (0, False),   # park and public aggregates are the same meters
    (1, True),    # they differ by one company: its series would be the difference
    (2, True),    # ... or by two
    (3, False),   # three companies in the difference reveal none of them
])
def test_public_aggregate_is_withheld_when_the_difference_is_one_or_two_companies(
        app, client, login, make_company, make_user, park, aggregate_only, public_withheld):
    meters, companies = _meters(app, park, make_company, 3 + aggregate_only)
    for meter in meters[:3]:
        share(app, meter, "public")
    for meter in meters[3:]:
        share(app, meter, "aggregate")
    public = _api(client, park)
    assert public["audience"] == "public"
    assert public["withheld"] is public_withheld
    assert (public["summary"] is None) is public_withheld
    login(make_user("member", company=companies[0]))
    inside = _api(client, park)
    assert inside["audience"] == "park" and inside["withheld"] is False
    # 96 quarter-hours of 1, 2, 3, ... kWh per meter.
    assert inside["summary"]["import_kwh"] == pytest.approx(96 * sum(range(1, 4 + aggregate_only)))


@pytest.mark.parametrize("audience", ["public", "park"])
def test_a_sharing_company_without_data_in_the_period_does_not_count(
        app, client, login, make_company, make_user, park, audience):
    meters, companies = _meters(app, park, make_company, 2)
    silent = make_meter(app, park, make_company(park))
    for meter in [*meters, silent]:
        share(app, meter, "public")
    if audience == "park":
        login(make_user("member", company=companies[0]))
    answer = _api(client, park)
    assert answer["audience"] == audience
    assert answer["withheld"] is True and answer["summary"] is None and answer["series"] == []
    assert answer["companies_sharing"] == 2


def test_previous_period_with_too_few_companies_is_left_out(app, client, make_company, park):
    meters, _companies = _meters(app, park, make_company, 3)
    yesterday = date(2026, 6, 9)
    for meter in meters[:2]:
        fill(app, meter, "import", quarters(yesterday), 5.0)
    for meter in meters:
        share(app, meter, "public")
    answer = _api(client, park)
    assert answer["withheld"] is False and answer["summary"]["import_kwh"] == pytest.approx(576)
    assert answer["previous"] is None
    page = client.get(f"/parks/{park.slug}/energy?kind=day&date=2026-06-10")
    assert page.status_code == 200


def test_the_public_does_not_see_the_contracted_capacity(
        app, client, login, make_company, make_user, park):
    from tests.conftest import in_db
    from webapp.models import Park
    in_db(app, lambda s: setattr(s.get(Park, park.id), "contracted_capacity_kw", 4321))
    meters, companies = _meters(app, park, make_company, 3)
    for meter in meters:
        share(app, meter, "public")
    public = _api(client, park)
    assert public["summary"]["contracted_kw"] is None
    assert public["summary"]["peak_vs_contract"] is None
    assert "4321" not in client.get(f"/parks/{park.slug}/energy?kind=day&date=2026-06-10").text
    login(make_user("member", company=companies[0]))
    assert _api(client, park)["summary"]["contracted_kw"] == pytest.approx(4321)


def test_an_october_month_fits_quarter_hours(client, park):
    # October has the extra hour of the clock change: 31 days and 1 hour.
    answer = client.get(f"/api/v1/parks/{park.slug}/energy?period=month&value=2026-10"
                        "&resolution=15m")
    assert answer.status_code == 200, answer.get_json()


@pytest.mark.parametrize("url", [
    "/parks/{slug}/energy/download/energy.csv?kind=bogus",
    "/parks/{slug}/energy/download/energy.xlsx?kind=year&date=9999-12-31",
])
def test_downloads_refuse_a_bad_period(client, park, url):
    assert client.get(url.format(slug=park.slug)).status_code == 400


def test_saving_the_capacity_ignores_stray_query_arguments(client, login, make_user, park):
    login(make_user("coordinator"))
    response = client.post(f"/parks/{park.slug}/energy/capacity?slug=x&kind=week",
                           data={"contracted_capacity_kw": "10"})
    assert response.status_code == 302
    assert f"/parks/{park.slug}/energy" in response.headers["Location"]
