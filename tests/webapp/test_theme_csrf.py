"""Every form of the themes area refuses a post without the CSRF token, and saves with it."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD, count, csrf_token_from
from tests.webapp import theme_helpers as th
from webapp.models import Experiment, IndicatorValue, Measure, ThemeProfile

world = th.world


@pytest.fixture
def form_posts(app, world):
    """(form page, data, action) of every form a coordinator can post."""
    slug = world.open_park.slug
    origin = th.add_measure(app, world.closed_park)
    measure_id = th.add_measure(app, world.open_park)
    return [
        (f"/parks/{slug}/themes/edit", {"energie_baseline_level": "1"}, None),
        (f"/parks/{slug}/themes/energie",
         {"indicator": "pv_kwp_per_ha", "value": "5", "measured_on": "2025-01-01"},
         f"/parks/{slug}/themes/energie/values"),
        (f"/parks/{slug}/measures/new", th.VALID_MEASURE, None),
        (f"/parks/{slug}/measures/{measure_id}/edit", th.VALID_MEASURE, None),
        (f"/parks/{slug}/measures/{measure_id}/status", {"status": "gepland"}, None),
        (f"/parks/{slug}/measures/{measure_id}/experiment", th.VALID_EXPERIMENT, None),
        (f"/measures/{origin}/adopt", {"park_id": str(world.open_park.id)}, None),
    ]


def snapshot(app) -> tuple:
    return tuple(count(app, m) for m in (Measure, Experiment, IndicatorValue, ThemeProfile))


def test_posts_without_token_are_refused(csrf_app, client, world, form_posts):
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"email": world.coordinator.email, "password": PASSWORD,
                                "csrf_token": token})
    before = snapshot(csrf_app)
    for page, data, action in form_posts:
        response = client.post(action or page, data=data)
        assert response.status_code == 400, page
    assert snapshot(csrf_app) == before


def test_posts_with_the_pages_token_are_saved(csrf_app, client, world, form_posts):
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"email": world.coordinator.email, "password": PASSWORD,
                                "csrf_token": token})
    for page, data, action in form_posts:
        html = client.get(page).get_data(as_text=True)
        response = client.post(action or page, data={**data, "csrf_token":
                                                      csrf_token_from(html)})
        assert response.status_code == 302, (page, response.get_data(as_text=True)[-1500:])
