"""The company energy page and the meter page: own meters in full, 404 for anyone else's,
downloads with the page's numbers, the period picker and empty states."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import in_db
from tests.webapp.test_energy_support import (
    csv_rows,
    fill,
    make_meter,
    number,
    quarters,
    xlsx_rows,
)
from webapp.models import Device

DAY = date(2026, 10, 25)


@pytest.fixture
def park(make_park):
    return make_park(slug="hessenpoort", name="Hessenpoort")


@pytest.fixture
def firms(park, make_company):
    return make_company(park, name="Bakkerij Noord"), make_company(park, name="Koelhuis Oost")


@pytest.fixture
def meters(app, park, firms):
    own = make_meter(app, park, firms[0], name="Hoofdmeter", uid="noord-main")
    other = make_meter(app, park, firms[1], name="Meter Oost", uid="oost-main")
    q = quarters(DAY)
    fill(app, own, "import", q, 0.5)
    fill(app, own, "pv", q, [0.0] * 40 + [1.0] * 20 + [0.0] * 40)
    fill(app, own, "export", q, [0.0] * 40 + [0.25] * 20 + [0.0] * 40)
    fill(app, other, "import", q, 7.0)
    fill(app, own, "import", quarters(date(2026, 10, 24)), 0.25)
    return own, other


@pytest.fixture
def member(make_user, firms):
    return make_user("member", company=firms[0])


def test_member_sees_own_meters_in_full(client, login, member, meters):
    login(member)
    response = client.get(f"/energy?kind=day&date={DAY}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Hoofdmeter" in html and "Meter Oost" not in html
    assert 'id="energy-chart"' in html and 'id="power-chart"' in html
    # consumption = 100 * 0.5 + 20 - 5 = 65 kWh; previous day 96 * 0.25 = 24 kWh import
    assert 'data-figure="consumption_kwh"' in html and "65,0" in html
    assert "24,0" in html


def test_company_download_holds_the_page_numbers(client, login, member, meters):
    login(member)
    response = client.get(f"/energy/download/energy.csv?kind=day&date={DAY}")
    assert response.status_code == 200 and "text/csv" in response.content_type
    rows = csv_rows(response)
    assert len(rows) == 1 + 100  # header + the 100 quarter-hours of the day the clocks go back
    # columns: start (Amsterdam), start (UTC), consumption, PV, import, export, ...
    assert rows[1][0].startswith("2026-10-25T00:00:00+02:00")
    assert [r[0][11:] for r in rows[9:13]] == ["02:00:00+02:00", "02:15:00+02:00",
                                               "02:30:00+02:00", "02:45:00+02:00"]
    assert rows[13][0][11:] == "02:00:00+01:00"
    assert sum(number(r[4]) for r in rows[1:]) == pytest.approx(50.0)
    assert sum(number(r[2]) for r in rows[1:]) == pytest.approx(65.0)
    book = xlsx_rows(client.get(f"/energy/download/energy.xlsx?kind=day&date={DAY}"))
    assert len(book) == 101
    assert sum(row[4] for row in book[1:]) == pytest.approx(50.0)
    meters_csv = csv_rows(client.get(f"/energy/download/meters.csv?kind=day&date={DAY}"))
    assert [r[1] for r in meters_csv[1:]] == ["noord-main"]


@pytest.mark.parametrize("url", [
    "/energy/meters/oost-main", "/energy/meters/oost-main/download/energy.csv",
    "/energy/meters/oost-main/download/energy.xlsx", "/energy/meters/nope",
])
def test_another_companys_meter_is_404(client, login, member, meters, url):
    login(member)
    assert client.get(url).status_code == 404


def test_another_company_is_404_for_members(client, login, member, meters, firms):
    login(member)
    other = firms[1].id
    for url in [f"/energy?company={other}", f"/energy/download/energy.csv?company={other}",
                f"/energy/sharing?company={other}"]:
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("role", ["park_manager", "anonymous"])
def test_no_company_no_page(client, login, make_user, park, meters, role):
    if role == "anonymous":
        assert client.get("/energy").status_code == 302  # to the login page
        assert client.get("/energy/meters/noord-main").status_code == 302
        return
    login(make_user(role, parks=[park]))
    assert client.get("/energy").status_code == 404
    assert client.get("/energy/meters/noord-main").status_code == 404


def test_coordinator_chooses_a_company(client, login, make_user, meters, firms):
    login(make_user("coordinator"))
    listing = client.get("/energy").get_data(as_text=True)
    assert "Bakkerij Noord" in listing and "Koelhuis Oost" in listing
    page = client.get(f"/energy?company={firms[1].id}&kind=day&date={DAY}")
    assert page.status_code == 200 and "Meter Oost" in page.get_data(as_text=True)
    assert client.get(f"/energy/meters/oost-main?kind=day&date={DAY}").status_code == 200


def test_meter_page_and_its_download(client, login, member, meters):
    login(member)
    page = client.get(f"/energy/meters/noord-main?kind=week&date={DAY}")
    assert page.status_code == 200
    url = f"/energy/meters/noord-main/download/energy.csv?kind=day&date={DAY}"
    rows = csv_rows(client.get(url))
    assert len(rows) == 101


def test_empty_states(client, login, make_user, park, make_company, member, meters):
    login(member)
    html = client.get("/energy?kind=day&date=2026-01-05").get_data(as_text=True)
    assert 'class="empty"' in html and "energy-chart" not in html
    login(make_user("member", company=make_company(park, name="Zonder meters")))
    html = client.get("/energy").get_data(as_text=True)
    assert 'class="empty"' in html and "period-picker" not in html


@pytest.mark.parametrize(("query", "field"), [
    ("kind=day&date=25-10-2026", "Date"), ("kind=decade", "Period"),
    ("kind=day&date=2026-10-25&resolution=1mo", "Resolution"),
])
def test_bad_period_input_is_named(client, login, member, meters, query, field):
    login(member)
    client.post("/lang/en")  # the English source text, whatever the Dutch translation says
    response = client.get(f"/energy?{query}")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="period-error"' in html
    assert html.split('id="period-error"')[1].split("</p>")[0].count(field) == 1


def test_period_steps_are_dst_correct(client, login, member, meters):
    login(member)
    html = client.get(f"/energy?kind=day&date={DAY}").get_data(as_text=True)
    assert "date=2026-10-24" in html and "date=2026-10-26" in html
    week = client.get(f"/energy?kind=week&date={DAY}").get_data(as_text=True)
    assert "date=2026-10-12" in week and "date=2026-10-26" in week


def test_downloads_neutralise_formulas(app, client, login, member, meters):
    in_db(app, lambda s: setattr(s.get(Device, meters[0].id), "name", "=HYPERLINK(\"x\")"))
    login(member)
    query = f"kind=day&date={DAY}"
    rows = csv_rows(client.get(f"/energy/download/meters.csv?{query}"))
    assert rows[1][0] == "'=HYPERLINK(\"x\")"
    book = xlsx_rows(client.get(f"/energy/download/meters.xlsx?{query}"))
    assert book[1][0] == "'=HYPERLINK(\"x\")"
    assert book[1][3] == pytest.approx(65.0)  # consumption stays a number
