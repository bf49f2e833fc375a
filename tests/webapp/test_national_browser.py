"""The public progress page in a real browser: every chart draws, nothing comes off the machine."""

from __future__ import annotations

import pytest

from roadmap.programme import PROVINCES
from tests.webapp.test_national import build_registry

pytestmark = pytest.mark.browser

CHARTS = ("national-progress", "national-funnel", "national-map", "national-provinces",
          "national-themes")


def test_public_page_draws_its_charts_offline(app, make_park, page, external_requests):
    from playwright.sync_api import expect

    build_registry(app, make_park)
    page.goto("/progress")
    for div in CHARTS:
        expect(page.locator(f"#{div} .main-svg").first).to_be_attached()
    # One filled shape per province plus the trace with the figures on the map.
    traces = page.evaluate("document.getElementById('national-map').data.map(t => t.meta)")
    assert sorted(t for t in traces if t.startswith("province:")) == sorted(
        f"province:{p}" for p in PROVINCES)
    assert page.locator("#national-map path.js-fill").count() >= len(PROVINCES)
    assert external_requests == []
