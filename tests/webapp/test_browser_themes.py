"""End to end in a real browser: a park manager logs a realised measure and sees the radar's
"current" trace move. The plotted values are read from plotly's data in the page, not from a
screenshot; CSRF is on, nothing may be fetched from the internet."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import themes
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
READ_TRACES = """() => {
  const div = document.getElementById('theme-radar');
  return Object.fromEntries(div.data.map(t => [t.meta, Array.from(t.r)]));
}"""


def plotted(page) -> dict[str, list[float]]:
    """The radar's traces as plotly drew them: {baseline|current|ambition: r values}."""
    page.wait_for_function("() => { const d = document.getElementById('theme-radar');"
                           " return d && d.data && d.querySelector('.main-svg'); }")
    return page.evaluate(READ_TRACES)


def test_logging_a_realised_measure_moves_the_radar(app, make_park, make_user, page,
                                                     external_requests):
    from playwright.sync_api import expect

    park = make_park(name="Kop van Isselt", public_fields=["themes", "measures"])
    manager = make_user("park_manager", parks=[park])
    energy = themes.THEME_CODES.index("energie")
    ARTIFACTS.mkdir(exist_ok=True)

    page.goto("/login")
    page.get_by_role("button", name="English").click()
    page.get_by_label("E-mail address").fill(manager.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/parks/"))

    page.goto(f"/parks/{park.slug}/themes")
    expect(page.get_by_role("heading", level=1)).to_have_text("Theme compass of Kop van Isselt")
    before = plotted(page)
    assert set(before) == {"baseline", "current", "ambition"}
    assert before["current"] == [0] * 8

    page.get_by_role("navigation", name="Park sections").get_by_role(
        "link", name="Measures and experiments").click()
    page.get_by_role("link", name="Log a measure").first.click()
    page.get_by_label("Start from a catalogue measure").select_option("pv_roofs")
    page.get_by_role("button", name="Fill in from the catalogue").click()
    expect(page.get_by_label("Title")).not_to_have_value("")
    expect(page.get_by_role("checkbox", name="Energy")).to_be_checked()
    page.get_by_label("Status").select_option("gerealiseerd")
    page.get_by_label("Cost (euro)").fill("125000,50")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("is saved")
    page.screenshot(path=ARTIFACTS / "measure-detail.png", full_page=True)

    page.get_by_role("navigation", name="Park sections").get_by_role(
        "link", name="Theme compass").click()
    after = plotted(page)
    assert after["current"][energy] == 1
    assert after["current"][-1] == after["current"][0]  # a closed polygon
    assert [v for i, v in enumerate(after["current"][:7]) if i != energy] == [0] * 6
    assert after["baseline"] == before["baseline"]
    energy_row = page.locator('tr[data-theme="energie"] td[data-level="current"]')
    expect(energy_row).to_have_text("1")
    page.screenshot(path=ARTIFACTS / "theme-compass.png", full_page=True)
    assert external_requests == []
