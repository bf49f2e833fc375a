"""End to end in a real browser (Debian's chromium via Playwright), with CSRF on as in production.

A park manager switches the interface to English, logs in, registers a park (first with an
error, to check the error summary), lands on the park's page and edits it. Everything is found
the way a person finds it: by label, role and visible text. Nothing may be fetched from the
internet. Screenshots go to test-artifacts/ (git-ignored) for a look at the layout.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD
from webapp import db
from webapp.models import Park, User

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PARK_NAME = "Bedrijvenpark De Kroon"


def at(path: str) -> re.Pattern:
    """The URL of *path*, with or without a fragment: forms post to the page's own URL, and the
    browser keeps its fragment (#main after the skip link, #name after an error link) across the
    redirect that follows."""
    return re.compile(rf"{re.escape(path)}(#[\w-]*)?$")


def test_park_manager_registers_and_edits_a_park(app, make_park, make_user, page,
                                                  external_requests):
    from playwright.sync_api import expect

    assert app.config["WTF_CSRF_ENABLED"]
    own = make_park(name="Kop van Isselt", municipality="Zwolle", province="Overijssel")
    manager = make_user("park_manager", parks=[own])
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}")
            if r.status >= 400 and "/static/" in r.url else None)
    ARTIFACTS.mkdir(exist_ok=True)

    # Dutch by default; the header button switches to English.
    page.goto("/login")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/login$"))

    # Keyboard: the first Tab from the top of the page reaches the skip link.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()  # hidden until focused, then on screen
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()

    page.get_by_label("E-mail address").fill(manager.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(at("/parks/"))

    # The park list, reached through the main menu.
    page.get_by_role("navigation", name="Main menu").get_by_role(
        "link", name="Business parks").click()
    page.wait_for_url(re.compile(r"/parks/$"))  # loaded, without the #main left by the skip link
    expect(page.get_by_role("heading", level=1)).to_have_text("Business parks")
    expect(page.get_by_role("link", name="Kop van Isselt")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "park-list.png", full_page=True)

    page.get_by_role("link", name="Register a park").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register a park")

    # An empty name: the error summary lists it and links to the field.
    page.get_by_role("button", name="Save").click()
    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    name_error = summary.get_by_role("link", name="Name is required.")
    expect(name_error).to_have_attribute("href", "#name")
    name_input = page.get_by_role("textbox", name="Name", exact=True)
    expect(name_input).to_have_attribute("aria-invalid", "true")
    expect(name_input).to_have_attribute("aria-describedby", "name-error")
    name_error.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#name$"))
    expect(name_input).to_be_focused()
    page.screenshot(path=ARTIFACTS / "park-form-errors.png", full_page=True)

    name_input.fill(PARK_NAME)
    page.get_by_label("Municipality").fill("Apeldoorn")
    page.get_by_label("Province").select_option("Gelderland")
    # The public-fields checkboxes carry the same labels, hence the role.
    page.get_by_role("textbox", name="Gross area (ha)").fill("12,5")
    page.get_by_role("textbox", name="Net area (ha)").fill("10")
    page.get_by_role("button", name="Save").click()

    page.wait_for_url(at("/parks/bedrijvenpark-de-kroon"))
    expect(page.get_by_role("heading", level=1)).to_have_text(PARK_NAME)
    expect(page.get_by_role("status")).to_contain_text(f"Park {PARK_NAME} is registered.")
    expect(page.locator("dl.facts")).to_contain_text("12.5")  # English number format
    page.screenshot(path=ARTIFACTS / "park-detail.png", full_page=True)

    with app.app_context():
        park = db.session().scalar(select(Park).where(Park.name == PARK_NAME))
        assert park is not None
        assert (park.municipality, park.province) == ("Apeldoorn", "Gelderland")
        assert park.gross_ha == Decimal("12.5")
        assert park.net_ha == Decimal("10")
        assert park.id in {p.id for p in db.session().get(User, manager.id).parks}

    # The manager who registered it may edit it, and save it again unchanged: a stored
    # latitude of 52.217 must not come back as the ambiguous "52.217" (52217 in Dutch).
    page.get_by_role("link", name="Edit park").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Edit {PARK_NAME}")
    gross = page.get_by_role("textbox", name="Gross area (ha)")
    expect(gross).to_have_value(re.compile(r"^12\.50?$"))
    page.get_by_role("textbox", name="Net area (ha)").fill("9,5")
    page.get_by_role("textbox", name="Latitude").fill("52.2170")
    page.get_by_role("textbox", name="Longitude").fill("5.9690")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(at("/parks/bedrijvenpark-de-kroon"))
    expect(page.get_by_role("status")).to_contain_text(f"Changes to {PARK_NAME} are saved.")

    page.get_by_role("link", name="Edit park").click()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(at("/parks/bedrijvenpark-de-kroon"))
    expect(page.get_by_role("status")).to_contain_text(f"Changes to {PARK_NAME} are saved.")
    with app.app_context():
        park = db.session().get(Park, park.id)
        assert park.net_ha == Decimal("9.5")
        assert (park.latitude, park.longitude) == (pytest.approx(52.217), pytest.approx(5.969))
        assert park.gross_ha == Decimal("12.5")

    assert failed == [], "static files missing"
    assert external_requests == [], "pages must not fetch anything from the internet"
