"""`werklandschap daily`: records today's phase of every park, fills missed days, and is
idempotent, so an hourly service only keeps "today" current."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from tests.conftest import in_db
from tests.webapp import roadmap_helpers as rh
from webapp.models import Park
from webapp.services.themes import today_amsterdam


def test_daily_records_today_for_every_park(app, runner, make_park):
    parks = [make_park() for _ in range(2)]
    in_db(app, lambda s: rh.build_to(s, s.get(Park, parks[0].id), "roadmap"))
    result = runner.invoke(["daily"])
    assert result.exit_code == 0, result.output
    rows = rh.snapshots(app)
    assert {(row[1], row[2]) for row in rows if row[1] == today_amsterdam()} == {
        (today_amsterdam(), "roadmap"), (today_amsterdam(), "aangemeld")}
    assert "2 park phases recorded" in result.output


def test_daily_twice_changes_nothing(app, runner, make_park):
    make_park()
    assert runner.invoke(["daily"]).exit_code == 0
    first = rh.snapshots(app)
    assert runner.invoke(["daily"]).exit_code == 0
    assert rh.snapshots(app) == first


def test_daily_fills_the_days_nobody_ran_it(app, runner, make_park):
    park = make_park()
    three_days_ago = today_amsterdam() - timedelta(days=3)
    in_db(app, lambda s: s.execute(update(Park).where(Park.id == park.id).values(
        created_at=rh.at(three_days_ago - timedelta(days=1)))))
    assert runner.invoke(["daily"]).exit_code == 0
    days = {row[1] for row in rh.snapshots(app, park.id)}
    assert {three_days_ago + timedelta(days=n) for n in range(4)} <= days


def test_daily_every_refuses_a_busy_loop(runner):
    result = runner.invoke(["daily", "--every", "5"])
    assert result.exit_code != 0
    assert "--every" in result.output

