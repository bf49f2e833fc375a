"""Fixtures for end-to-end browser tests: a live server and a Chromium page (Playwright).

The browser is Debian's chromium (no `playwright install`, no downloads). When chromium or the
playwright package is missing, the tests skip locally and fail in CI
(WERKLANDSCHAP_REQUIRE_SERVICES=1), through skip_or_fail().
"""

from __future__ import annotations

import threading
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

from tests.conftest import chromium_path, skip_or_fail

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1"}


def _buffered(app):
    """The app with each response read (and its file closed) before it is sent.

    When the browser drops a connection mid-response (a navigation while the favicon is still
    loading), werkzeug's dev server never closes the static file it was streaming, and the
    ResourceWarning fails a random later test under ``filterwarnings = error``.
    """

    def wsgi(environ, start_response):
        result = app(environ, start_response)
        try:
            return [b"".join(result)]
        finally:
            if hasattr(result, "close"):
                result.close()

    return wsgi


@pytest.fixture
def live_server(app):
    """Serve the test app on 127.0.0.1 with a free port; yields the base URL.

    CSRF checks are on, as in production: the browser posts the forms the pages render.
    """
    app.config["WTF_CSRF_ENABLED"] = True
    server = make_server("127.0.0.1", 0, _buffered(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture(scope="session")
def _playwright():
    """One Playwright driver per session (or skip_or_fail when it cannot run)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        skip_or_fail(f"the playwright package is not installed ({exc})")
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(_playwright):
    """Debian's headless chromium, launched once per session."""
    executable = chromium_path()
    if executable is None:
        skip_or_fail("chromium is not installed (apt-get install chromium)")
    browser = _playwright.chromium.launch(
        executable_path=executable, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture
def external_requests() -> list[str]:
    """URLs off 127.0.0.1 that the page tried to load (blocked); tests assert it stays empty."""
    return []


@pytest.fixture
def page(browser, live_server, external_requests):
    """A fresh browser context and page; every request off 127.0.0.1 is blocked and recorded.

    Tests end with `assert external_requests == []`, the offline requirement: no CDN, web fonts
    or map tiles.
    """
    context = browser.new_context(base_url=live_server, locale="nl-NL",
                                  viewport={"width": 1280, "height": 900})
    context.set_default_timeout(5000)

    def guard(route):
        url = route.request.url
        host = urlsplit(url).hostname
        if host in LOCAL_HOSTS:
            route.continue_()
        else:
            external_requests.append(url)
            route.abort("blockedbyclient")

    # On the context, so pop-ups and new pages are guarded too.
    context.route("**/*", guard)
    yield context.new_page()
    context.close()
