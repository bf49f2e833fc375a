"""The park energy dashboard: only consenting meters count, for each audience, on the page and in
every download; fewer than 3 companies gives no aggregate; the board sees named meters."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.conftest import in_db
from tests.webapp import test_energy_support as support
from tests.webapp.test_energy_support import (
    csv_rows,
    fill,
    make_meter,
    number,
    quarters,
    share,
    xlsx_rows,
)
from webapp.models import BoardMembership, Park

DAY = date(2026, 6, 15)
QUERY = f"kind=day&date={DAY}"
# kWh per quarter-hour imported by each company's meter: every subset has its own total.
IMPORT = {"A": 1.0, "B": 2.0, "C": 4.0, "D": 8.0}
# Which audiences count a meter at each level (issue #5).
COUNTED = {
    "none": {"park": False, "board": False, "public": False},
    "aggregate": {"park": True, "board": True, "public": False},
    "board": {"park": True, "board": True, "public": False},
    "public": {"park": True, "board": True, "public": True},
}


@pytest.fixture
def park(app, make_park):
    return support.park_with_association(app, make_park, is_public=True)


@pytest.fixture
def firms(park, make_company):
    return {key: make_company(park, name=f"Firma {key}") for key in IMPORT}


@pytest.fixture
def meters(app, park, firms):
    found = {}
    for key, firm in firms.items():
        meter = make_meter(app, park, firm, {"import": "energy_import"}, name=f"Meter {key}",
                           uid=f"meter-{key.lower()}")
        fill(app, meter, "import", quarters(DAY), IMPORT[key])
        found[key] = meter
    return found


def board_member(app, make_user, park, company):
    user = make_user("member", company=company)
    in_db(app, lambda s: s.add(BoardMembership(association_id=park.association_id,
                                               user_id=user.id)))
    return user


def as_audience(audience, app, client, login, make_user, park, firms):
    if audience == "board":
        login(board_member(app, make_user, park, firms["A"]))
    elif audience == "park":
        login(make_user("park_manager", parks=[park]))


def summary_values(client, query=QUERY) -> dict[str, str]:
    """The summary download in English: figure -> this period's value."""
    client.post("/lang/en")
    rows = csv_rows(client.get(f"/parks/de-mars/energy/download/summary.csv?{query}"))
    client.post("/lang/nl")
    return {row[0]: row[1] for row in rows[1:]}


def page_import_total(client, query=QUERY) -> float | None:
    """The period's grid import from the energy chart's CSV download (None: no aggregate)."""
    client.post("/lang/en")
    response = client.get(f"/parks/de-mars/energy/download/energy.csv?{query}")
    client.post("/lang/nl")
    if response.status_code == 404:
        return None
    rows = csv_rows(response)
    column = rows[0].index("Grid import (kWh)")
    return sum(number(row[column]) for row in rows[1:] if row[column])


@pytest.mark.parametrize("level", list(COUNTED))
@pytest.mark.parametrize("audience", ["park", "board", "public"])
def test_consent_table(app, client, login, make_user, park, firms, meters, level, audience):
    for key in "ABC":
        share(app, meters[key], "public")
    share(app, meters["D"], level)
    as_audience(audience, app, client, login, make_user, park, firms)
    expected = 96 * (1 + 2 + 4 + (8 if COUNTED[level][audience] else 0))
    page = client.get(f"/parks/de-mars/energy?{QUERY}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    if audience == "public" and level in ("aggregate", "board"):
        # The park aggregate is the public one plus D alone: anyone who sees both could
        # subtract them, so the public one is withheld (test_energy_windows.py).
        assert "withheld" in html and "energy-chart" not in html
        assert client.get(f"/parks/de-mars/energy/download/energy.xlsx?{QUERY}"
                          ).status_code == 404
        return
    companies = 4 if COUNTED[level][audience] else 3
    assert f'data-companies="{companies}"' in html
    assert page_import_total(client) == pytest.approx(expected)
    xlsx = xlsx_rows(client.get(f"/parks/de-mars/energy/download/energy.xlsx?{QUERY}"))
    assert sum(row[4] or 0 for row in xlsx[1:]) == pytest.approx(expected)
    assert number(summary_values(client)["Grid import (kWh)"]) == pytest.approx(expected)
    named = audience == "board" and level == "board"
    assert ("Firma D" in html) is named
    assert ("Meter D" in html) is named
    assert client.get(f"/parks/de-mars/energy/download/named.csv?{QUERY}").status_code == (
        200 if named else 404)


def test_revoking_takes_a_meter_out_of_everything(app, client, login, make_user, park, firms,
                                                  meters):
    for key in "ABCD":
        share(app, meters[key], "aggregate")
    login(make_user("park_manager", parks=[park]))
    assert page_import_total(client) == pytest.approx(96 * 15)
    share(app, meters["D"], "none")
    assert page_import_total(client) == pytest.approx(96 * 7)
    for chart in ("energy", "power", "summary", "stress", "heatmap"):
        for fmt in ("csv", "xlsx"):
            response = client.get(f"/parks/de-mars/energy/download/{chart}.{fmt}?{QUERY}")
            assert response.status_code == 200, (chart, fmt)
    stress = csv_rows(client.get(f"/parks/de-mars/energy/download/stress.csv?{QUERY}"))
    assert number(stress[1][3]) == pytest.approx(7 * 4)  # kW: 7 kWh per quarter-hour
    figures = summary_values(client)
    assert number(figures["Collective peak (kW)"]) == pytest.approx(28.0)
    assert number(figures["Sum of individual peaks (kW)"]) == pytest.approx(4 + 8 + 16)
    assert number(figures["Consumption (kWh)"]) == pytest.approx(96 * 7)


@pytest.mark.parametrize("audience", ["park", "board", "public"])
def test_fewer_than_three_companies_is_withheld(app, client, login, make_user, park, firms,
                                                meters, audience):
    second = make_meter(app, park, firms["A"], {"import": "energy_import"}, uid="meter-a2")
    fill(app, second, "import", quarters(DAY), 16.0)
    for meter in (meters["A"], second, meters["B"]):
        share(app, meter, "public")
    as_audience(audience, app, client, login, make_user, park, firms)
    page = client.get(f"/parks/de-mars/energy?{QUERY}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'data-companies="2"' in html and "withheld" in html
    assert "energy-chart" not in html and "heatmap-chart" not in html
    for chart in ("energy", "power", "summary", "stress", "heatmap", "peaks"):
        assert client.get(f"/parks/de-mars/energy/download/{chart}.csv?{QUERY}"
                          ).status_code == 404, chart


def test_board_sees_named_meters_even_when_withheld(app, client, login, make_user, park,
                                                   firms, meters):
    share(app, meters["B"], "board")
    login(board_member(app, make_user, park, firms["A"]))
    html = client.get(f"/parks/de-mars/energy?{QUERY}").get_data(as_text=True)
    assert "withheld" in html and "Firma B" in html and "Meter B" in html
    rows = csv_rows(client.get(f"/parks/de-mars/energy/download/named.csv?{QUERY}"))
    assert rows[1][:3] == ["Firma B", "Meter B", "meter-b"]
    assert number(rows[1][5]) == pytest.approx(96 * 2.0)  # consumption = import
    assert len(rows) == 2


@pytest.mark.parametrize(("public", "who", "status"), [
    (True, "anonymous", 200), (False, "anonymous", 404), (False, "other-member", 404),
    (False, "other-manager", 404), (False, "member", 200), (False, "coordinator", 200),
])
def test_who_may_open_the_dashboard(app, client, login, make_user, make_park, make_company,
                                    park, firms, public, who, status):
    in_db(app, lambda s: setattr(s.get(Park, park.id), "is_public", public))
    other = make_park(slug="elders", name="Elders")
    users = {"other-member": lambda: make_user("member", company=make_company(other)),
             "other-manager": lambda: make_user("park_manager", parks=[other]),
             "member": lambda: make_user("member", company=firms["C"]),
             "coordinator": lambda: make_user("coordinator")}
    if who in users:
        login(users[who]())
    assert client.get("/parks/de-mars/energy").status_code == status
    assert client.get(f"/parks/de-mars/energy/download/energy.csv?{QUERY}").status_code in (
        {404} if status == 404 else {404, 200})


def test_public_audience_sees_only_public_meters(client, app, park, firms, meters):
    for key in "ABC":
        share(app, meters[key], "public")
    share(app, meters["D"], "none")
    html = client.get(f"/parks/de-mars/energy?{QUERY}").get_data(as_text=True)
    assert "audience-public" in html and "Firma" not in html
    assert page_import_total(client) == pytest.approx(96 * 7)
    share(app, meters["D"], "board")  # named to the board: the public total would give D away
    html = client.get(f"/parks/de-mars/energy?{QUERY}").get_data(as_text=True)
    assert "withheld" in html and "Firma" not in html and "energy-chart" not in html


def test_headroom_and_contracted_capacity_on_the_page(app, client, login, make_user, park,
                                                      firms, meters):
    for key in "ABC":
        share(app, meters[key], "aggregate")
    in_db(app, lambda s: setattr(s.get(Park, park.id), "contracted_capacity_kw", 40))
    login(make_user("coordinator"))
    html = client.get(f"/parks/de-mars/energy?{QUERY}").get_data(as_text=True)
    # 7 kWh per quarter = 28 kW, both as the collective peak and as the sum of own peaks
    figures = html.split('class="energy-figures"')[1].split("</dl>")[0]
    assert 'data-figure="collective_peak_kw"' in figures and "28,0" in figures
    assert "70,0 %" in figures  # 28 of 40 kW
    assert 'id="peaks-chart"' in html and 'id="heatmap-chart"' in html
    assert in_db(app, lambda s: s.scalar(select(Park.contracted_capacity_kw))) == 40


@pytest.mark.parametrize(("kind", "resolution", "rows"), [
    ("day", "15m", 96), ("day", "1h", 24), ("week", "1h", 168), ("week", "15m", 672),
    ("week", "1d", 7), ("month", "1d", 30), ("month", "1h", 720), ("year", "1mo", 12),
    ("year", "1d", 365),
])
def test_every_period_and_resolution(app, client, login, make_user, park, firms, meters, kind,
                                     resolution, rows):
    for key in "ABCD":
        share(app, meters[key], "aggregate")
    login(make_user("coordinator"))
    query = f"kind={kind}&date={DAY}&resolution={resolution}"
    page = client.get(f"/parks/de-mars/energy?{query}")
    assert page.status_code == 200
    assert ('id="power-chart"' in page.get_data(as_text=True)) is (resolution in ("15m", "1h"))
    table = csv_rows(client.get(f"/parks/de-mars/energy/download/energy.csv?{query}"))
    assert len(table) == 1 + rows
    assert page_import_total(client, query) == pytest.approx(96 * 15)
    heat = csv_rows(client.get(f"/parks/de-mars/energy/download/heatmap.csv?{query}"))
    assert len(heat) == 8 and len(heat[0]) == 25
    assert number(heat[1][1]) == pytest.approx(15 * 4)  # Monday 00:00, 15 kWh a quarter
