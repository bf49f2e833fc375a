"""Measures in the API and on the detail page: partial PATCH of dated measures, what adoptions
and status history reveal to whom, and timestamps with their UTC offset on every database."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest

from tests.conftest import in_db
from tests.webapp import theme_helpers as th
from webapp.models import Measure, Park, User
from webapp.security import create_api_token
from webapp.services import experiments as experiment_service

world = th.world
API = "/api/v1"


def bearer(app, user) -> dict[str, str]:
    token = in_db(app, lambda s: create_api_token(s, s.get(User, user.id), "test"))
    return {"Authorization": f"Bearer {token}"}


def test_patch_of_a_dated_measure_changes_only_the_title(app, client, world):
    measure_id = th.add_measure(app, world.open_park, title="Oud", status="gepland",
                                start_date=date(2025, 3, 1), end_date=date(2025, 10, 31))
    response = client.patch(f"{API}/measures/{measure_id}", headers=bearer(app, world.manager),
                            json={"title": "Nieuw"})
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert (body["title"], body["start_date"], body["end_date"]) == (
        "Nieuw", "2025-03-01", "2025-10-31")
    stored = in_db(app, lambda s: s.get(Measure, measure_id))
    assert (stored.start_date, stored.end_date) == (date(2025, 3, 1), date(2025, 10, 31))


@pytest.fixture
def adopted(app, world) -> tuple[int, int]:
    """A measure of the open park, adopted by the closed (not public) park."""
    origin = th.add_measure(app, world.open_park, title="Buurtbatterij")

    def adopt(session_db):
        copy = experiment_service.adopt_measure(
            session_db, session_db.get(Measure, origin), session_db.get(Park,
                                                                        world.closed_park.id),
            session_db.get(User, world.other_manager.id))
        session_db.flush()
        return copy.id

    return origin, in_db(app, adopt)


@pytest.mark.parametrize(("who", "sees_copy"), [
    (None, False), ("manager", False), ("member", False), ("other_manager", True),
    ("coordinator", True)])
def test_adopted_by_lists_only_parks_the_caller_may_list(app, client, world, adopted, who,
                                                         sees_copy):
    origin, copy = adopted
    headers = bearer(app, getattr(world, who)) if who else {}
    body = client.get(f"{API}/measures/{origin}", headers=headers).get_json()
    expected = ([copy], 0) if sees_copy else ([], 1)
    assert (body["adopted_by"], body["adopted_by_hidden"]) == expected


@pytest.mark.parametrize(("who", "shown"), [
    (None, False), ("other_manager", False), ("manager", True), ("member", True),
    ("coordinator", True)])
def test_who_changed_the_status_only_for_full_viewers(app, client, world, who, shown):
    measure_id = th.add_measure(app, world.open_park)
    client.patch(f"{API}/measures/{measure_id}", headers=bearer(app, world.manager),
                 json={"status": "gepland"})
    headers = bearer(app, getattr(world, who)) if who else {}
    history = client.get(f"{API}/measures/{measure_id}", headers=headers).get_json()[
        "status_history"]
    assert [h["to_status"] for h in history] == ["idee", "gepland"]
    assert all(("changed_by_id" in h) is shown for h in history)
    if shown:
        assert history[-1]["changed_by_id"] == world.manager.id


def test_status_times_carry_their_utc_offset(app, client, world):
    measure_id = th.add_measure(app, world.open_park)
    body = client.get(f"{API}/measures/{measure_id}").get_json()
    moment = datetime.fromisoformat(body["status_history"][0]["changed_at"])
    assert moment.utcoffset() == timedelta(0)
    html = client.get(f"/parks/{world.open_park.slug}/measures/{measure_id}").get_data(
        as_text=True)
    stamps = re.findall(r'<time datetime="([^"]+)"', html)
    assert stamps and all(datetime.fromisoformat(s).utcoffset() == timedelta(0)
                          for s in stamps)
