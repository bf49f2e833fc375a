"""End to end in a real browser: a board member opens the park energy dashboard and finds its
plotly charts drawn (traces in plotly's data and SVG paths on the page), with nothing fetched
from the internet."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import PASSWORD, in_db
from tests.webapp.test_energy_support import fill, make_meter, quarters, share
from webapp.models import Association, BoardMembership, Park

pytestmark = pytest.mark.browser

DAY = date(2026, 10, 25)
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
READ_CHART = """(id) => {
  const div = document.getElementById(id);
  return {traces: div.data.length, keys: div.data.map(t => t.meta),
          points: div.data[0].x.length, rows: div.data[0].z ? div.data[0].z.length : 0,
          paths: div.querySelectorAll('svg path').length};
}"""


def test_board_member_sees_the_park_dashboard_drawn(app, make_park, make_company, make_user,
                                                    page, external_requests):
    from playwright.sync_api import expect

    park = make_park(slug="hessenpoort", name="Hessenpoort", is_public=False)

    def seat(session_db):
        association = Association(name="OV Hessenpoort")
        session_db.add(association)
        session_db.flush()
        session_db.get(Park, park.id).association_id = association.id
        return association.id

    association_id = in_db(app, seat)
    firms = [make_company(park, name=f"Firma {n}") for n in range(3)]
    for n, firm in enumerate(firms):
        meter = make_meter(app, park, firm, name=f"Meter {n}")
        q = quarters(DAY)
        fill(app, meter, "import", q, [0.5 + n + (i % 8) / 8 for i in range(len(q))])
        fill(app, meter, "pv", q, [max(0.0, 2 - abs(i - 50) / 12) for i in range(len(q))])
        fill(app, meter, "export", q, [max(0.0, 1 - abs(i - 50) / 10) for i in range(len(q))])
        share(app, meter, "board" if n == 0 else "aggregate")
    board = make_user("member", company=firms[0])
    in_db(app, lambda s: s.add(BoardMembership(association_id=association_id,
                                               user_id=board.id)))

    page.goto("/login")
    page.get_by_role("button", name="English").click()
    page.get_by_label("E-mail address").fill(board.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/parks/"))

    page.goto(f"/parks/hessenpoort/energy?kind=day&date={DAY}")
    for div in ("energy-chart", "power-chart", "peaks-chart", "heatmap-chart"):
        page.wait_for_function(
            "(id) => { const d = document.getElementById(id);"
            " return d && d.data && d.classList.contains('js-plotly-plot')"
            " && d.querySelector('svg.main-svg'); }", arg=div)
    energy = page.evaluate(READ_CHART, "energy-chart")
    assert energy["keys"] == ["consumption_kwh", "pv_kwh", "import_kwh", "export_kwh"]
    assert energy["points"] == 100  # the day the clocks go back
    assert energy["paths"] > 0
    heat = page.evaluate(READ_CHART, "heatmap-chart")
    assert (heat["traces"], heat["rows"], heat["points"]) == (1, 7, 24)
    assert page.evaluate(READ_CHART, "peaks-chart")["paths"] > 0
    assert page.locator("#named").get_by_text("Firma 0").count() == 1
    assert page.locator('[data-companies="3"]').count() == 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "park-energy.png", full_page=True)

    # The board member's own company revokes its meter: gone from the park picture at once.
    page.get_by_role("link", name="My energy").click()
    page.screenshot(path=ARTIFACTS / "company-energy.png", full_page=True)
    page.get_by_role("link", name="What do we share?").click()
    page.locator('fieldset[data-meter] input[value="none"]').check()
    page.get_by_label("Note for the change log (optional)").fill("=tijdelijk")
    page.get_by_role("button", name="Save sharing choices").click()
    expect(page.get_by_role("status")).to_contain_text("1 changed")
    expect(page.locator("table.share-log td.to").first).to_have_text("Not shared")
    page.screenshot(path=ARTIFACTS / "energy-sharing.png", full_page=True)
    page.goto(f"/parks/hessenpoort/energy?kind=day&date={DAY}")
    expect(page.locator('[data-companies="2"]')).to_have_count(1)
    expect(page.locator(".withheld")).to_have_count(1)
    assert page.locator("#energy-chart").count() == 0 and page.locator("#named").count() == 0
    assert external_requests == []
