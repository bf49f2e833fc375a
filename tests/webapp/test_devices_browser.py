"""In a real browser: a reading posted to the HTTP ingest appears on the open device page."""

from __future__ import annotations

import json
import urllib.request
from datetime import UTC, datetime

import pytest

from tests.webapp.device_helpers import register_device

pytestmark = pytest.mark.browser


def _ingest(base_url: str, uid: str, secret: str, watts: float) -> int:
    body = {"ts": datetime.now(UTC).isoformat(),
            "values": [{"field": "power", "value": watts, "unit": "W"}]}
    request = urllib.request.Request(
        f"{base_url}/api/v1/ingest/{uid}", data=json.dumps(body).encode(), method="POST",
        headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return response.status


def test_device_page_shows_new_readings_without_reload(app, make_park, make_user, page,
                                                       live_server, external_requests):
    from playwright.sync_api import expect

    app.config["DEVICE_REFRESH_SECONDS"] = 0.5
    park = make_park(slug="live-park", name="Live Park")
    uid, secret = register_device(app, park, uid="live-meter")
    manager = make_user("park_manager", parks=[park])
    page.goto("/login")
    page.get_by_label("E-mailadres").fill(manager.email)
    page.get_by_label("Wachtwoord").fill("correct horse battery staple")
    page.get_by_role("button", name="Inloggen").click()
    page.goto(f"/parks/{park.slug}/devices/{uid}")
    value = page.locator('#latest tr[data-sensor] .value')
    expect(value).to_have_text("–")
    assert _ingest(live_server, uid, secret, 12500) == 202
    expect(value).to_have_text("12,50")
    assert external_requests == []
