"""In a real browser: a park manager opens the heat and air pages and the charts are drawn."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from tests.conftest import PASSWORD
from tests.webapp.environment_helpers import add_rows, days, env_device, local, rollup

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_environment_charts_are_drawn_offline(app, make_park, make_user, page,
                                              external_requests):
    from playwright.sync_api import expect

    park = make_park(name="Hessenpoort")
    manager = make_user("park_manager", parks=[park])
    station = env_device(app, park, {"t": "temperature", "pm": "pm25"}, name="Weerstation")
    noon = local(2026, 7, 14, 8)
    add_rows(app, [rollup(station.sensor("t"), "1h", noon + timedelta(hours=i),
                          mean=24.0 + i, low=23.0 + i, high=25.0 + i) for i in range(10)])
    add_rows(app, days(station.sensor("pm"), local(2026, 7, 1), [8.0, 16.0, 22.0, 12.0]))
    ARTIFACTS.mkdir(exist_ok=True)

    page.goto("/login")
    page.get_by_role("button", name="English").click()
    page.get_by_label("E-mail address").fill(manager.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/parks/(#main)?$"))

    page.goto(f"/parks/{park.slug}/environment/heat?period=day&at=2026-07-14")
    expect(page.locator("#env-chart-temperature .main-svg").first).to_be_visible()
    row = page.locator(f'tr[data-sensor="{station.sensor("t")}"]')
    expect(row.locator('[data-stat="warning_hours"]')).to_have_text("7")
    expect(row.locator('[data-stat="alarm_hours"]')).to_have_text("4")
    page.screenshot(path=str(ARTIFACTS / "environment-heat.png"), full_page=True)

    page.get_by_role("link", name="Air quality").click()
    expect(page).to_have_url(re.compile(r"/environment/air\?period=day&at=2026-07-14$"))
    page.get_by_label("Period").select_option("month")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#env-chart-pm25 .main-svg").first).to_be_visible()
    expect(page.locator('[data-stat="exceedance_days"]')).to_have_text("2")
    page.screenshot(path=str(ARTIFACTS / "environment-air.png"), full_page=True)
    assert external_requests == []
