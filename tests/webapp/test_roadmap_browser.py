"""End to end in a real browser: a park manager adds a milestone and sees it on the timeline; a
coordinator sets the phase by hand. CSRF is on, nothing may be fetched from the internet."""

from __future__ import annotations

import re

import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

READ_TRACES = """() => {
  const div = document.getElementById('milestone-timeline');
  return Object.fromEntries(div.data.map(t => [t.meta, Array.from(t.y)]));
}"""


def log_in(page, user) -> None:
    page.goto("/login")
    if page.get_by_role("button", name="English").count():
        page.get_by_role("button", name="English").click()
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/parks/"))


def test_milestone_on_the_timeline_and_a_coordinators_phase(app, make_park, make_user, page,
                                                            external_requests):
    from playwright.sync_api import expect

    park = make_park(name="Kop van Isselt")
    manager, coordinator = make_user("park_manager", parks=[park]), make_user("coordinator")
    log_in(page, manager)
    page.goto(f"/parks/{park.slug}/roadmap")
    expect(page.get_by_text("No milestones yet.")).to_be_visible()
    page.get_by_role("link", name="Add a milestone").first.click()
    page.get_by_label("Title").fill("Collectief energiecontract")
    page.get_by_label("Due date").fill("2030-06-30")
    page.get_by_label("Theme").select_option("energie")
    page.get_by_role("button", name="Save").click()
    page.wait_for_function("() => { const d = document.getElementById('milestone-timeline');"
                           " return d && d.data && d.querySelector('.main-svg'); }")
    assert page.evaluate(READ_TRACES) == {"open": ["Collectief energiecontract"]}
    expect(page.get_by_text("Set the phase by hand")).to_have_count(0)

    page.get_by_role("button", name="Log out").click()
    log_in(page, coordinator)
    page.goto(f"/parks/{park.slug}/roadmap")
    page.get_by_text("Set the phase by hand").click()
    page.get_by_label("Phase", exact=True).select_option("uitvoering")
    page.get_by_label("Reason").fill("Loopt al jaren als collectief")
    page.get_by_role("button", name="Set phase").click()
    expect(page.locator("[data-override]")).to_contain_text("Loopt al jaren als collectief")
    expect(page.locator('li[aria-current="step"]')).to_have_attribute("data-phase",
                                                                      "uitvoering")
    assert external_requests == []
