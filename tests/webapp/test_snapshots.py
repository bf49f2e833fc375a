"""Daily phase snapshots: today's is an upsert, the backfill replays a constructed audit history
into the expected phase per day, runs twice without changing anything and keeps stored days."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import delete, select

from tests.conftest import count, in_db
from tests.webapp import roadmap_helpers as rh
from webapp.models import IndicatorValue, Milestone, Park, PhaseSnapshot
from webapp.services import phase_overrides
from webapp.services import roadmaps as roadmap_service
from webapp.services.phase_replay import replay
from webapp.services.phase_snapshots import backfill, snapshot_days, take_snapshots
from webapp.services.phase_sources import load_histories
from webapp.services.phases import current_phases
from webapp.services.themes import today_amsterdam

clock = rh.clock
D = date


def test_taking_todays_snapshot_twice_changes_nothing(app, make_park):
    parks = [make_park() for _ in range(3)]
    in_db(app, lambda s: rh.build_to(s, s.get(Park, parks[0].id), "roadmap"))
    assert in_db(app, take_snapshots) == 3
    first = rh.snapshots(app)
    assert in_db(app, take_snapshots) == 3
    assert rh.snapshots(app) == first
    assert [row[2] for row in first] == ["roadmap", "aangemeld", "aangemeld"]
    assert [row[5] for row in first] == [True, False, False]
    assert {row[1] for row in first} == {today_amsterdam()}


def test_todays_snapshot_follows_a_change(app, make_park):
    park = make_park()
    in_db(app, take_snapshots)
    in_db(app, lambda s: rh.build_to(s, s.get(Park, park.id), "nulmeting"))
    in_db(app, take_snapshots)
    rows = rh.snapshots(app)
    assert len(rows) == 1 and rows[0][2] == "nulmeting"
    assert set(rows[0][6]) == set(rh.themes.THEME_CODES)


def test_a_park_created_after_the_day_is_left_out(app, make_park):
    make_park(created_at=rh.at(D(2025, 5, 1)))
    later = make_park(created_at=rh.at(D(2025, 6, 1)))
    assert in_db(app, lambda s: take_snapshots(s, D(2025, 5, 15))) == 1
    assert later.id not in {row[0] for row in rh.snapshots(app)}


@pytest.fixture
def history(app, make_park, clock):
    """A park with a known history in 2025; returns (park id, expected phase per day)."""
    clock.set(D(2025, 1, 1))
    park = make_park(created_at=rh.at(D(2025, 1, 1)))

    def step(day, work):
        clock.set(day)
        in_db(app, lambda s: work(s, s.get(Park, park.id)))

    step(D(2025, 1, 10), rh.add_baseline)
    step(D(2025, 2, 1), lambda s, p: (rh.add_ambition(s, p),
                                      rh.adopt_roadmap(s, p, adopted_on=D(2025, 2, 15))))

    def measures(session_db, db_park):
        for status in ("in_uitvoering", "in_uitvoering", "gerealiseerd"):
            measure = rh.add_measure(session_db, db_park, status)
            for step_status in ("idee", "gepland", "in_uitvoering"):
                rh.set_status_time(session_db, measure, step_status, rh.at(D(2025, 3, 1)))
            if status == "gerealiseerd":
                rh.set_status_time(session_db, measure, status, rh.at(D(2025, 3, 10)))

    step(D(2025, 3, 1), measures)
    step(D(2025, 3, 20), lambda s, p: phase_overrides.set_override(
        s, p, "aangemeld", "Vereniging opgeheven, roadmap ligt stil", None))
    step(D(2025, 3, 25), lambda s, p: phase_overrides.clear_override(s, p, None))
    step(D(2025, 4, 1), lambda s, p: roadmap_service.delete_milestone(
        s, s.scalar(select(Milestone).where(Milestone.park_id == p.id))))
    in_db(app, lambda s: s.execute(delete(PhaseSnapshot)))  # the services' rows of today
    expected = {}
    for n in range(100):
        day = D(2025, 1, 1) + timedelta(days=n)
        computed = ("aangemeld" if day < D(2025, 1, 10) else "nulmeting" if day < D(2025, 2, 15)
                    else "roadmap" if day < D(2025, 3, 10) else "uitvoering"
                    if day < D(2025, 4, 1) else "nulmeting")
        shown = "aangemeld" if D(2025, 3, 20) <= day < D(2025, 3, 25) else computed
        expected[day] = (shown, computed)
    return park.id, expected


UNTIL = D(2025, 4, 10)


def test_backfill_gives_the_phase_of_each_day(app, history):
    park_id, expected = history
    result = in_db(app, lambda s: backfill(s, UNTIL))
    assert (result.parks, result.written, result.kept) == (1, 100, 0)
    rows = rh.snapshots(app, park_id)
    assert [r[1] for r in rows] == sorted(expected)
    assert {r[1]: (r[2], r[3]) for r in rows} == expected
    overridden = {r[1] for r in rows if r[4]}
    assert overridden == {D(2025, 3, 20) + timedelta(days=n) for n in range(5)}
    on_its_way = {r[1] for r in rows if r[5]}
    assert min(on_its_way) == D(2025, 2, 15) and D(2025, 3, 21) not in on_its_way
    assert in_db(app, snapshot_days) == (D(2025, 1, 1), UNTIL)


def test_backfill_twice_changes_nothing(app, history):
    in_db(app, lambda s: backfill(s, UNTIL))
    first = rh.snapshots(app)
    again = in_db(app, lambda s: backfill(s, UNTIL))
    assert (again.written, again.kept) == (0, 100)
    assert rh.snapshots(app) == first


def test_stored_days_are_kept_unless_rebuilt(app, history):
    park_id, expected = history
    day = D(2025, 2, 20)
    in_db(app, lambda s: s.add(PhaseSnapshot(park_id=park_id, day=day, phase="werklandschap",
                                             computed_phase="werklandschap", overridden=False,
                                             on_its_way=True, theme_levels={})))
    in_db(app, lambda s: backfill(s, UNTIL))
    stored = {r[1]: r[2] for r in rh.snapshots(app, park_id)}
    assert stored[day] == "werklandschap" and len(stored) == 100
    in_db(app, lambda s: backfill(s, UNTIL, rebuild=True))
    rebuilt = {r[1]: r[2] for r in rh.snapshots(app, park_id)}
    assert rebuilt[day] == expected[day][0] == "roadmap"
    assert count(app, PhaseSnapshot) == 100


def test_replay_up_to_today_equals_the_live_phase(app, make_park):
    parks = {phase: make_park() for phase in ("nulmeting", "uitvoering", "werklandschap")}
    for phase, park in parks.items():
        in_db(app, lambda s, p=park, ph=phase: rh.build_to(s, s.get(Park, p.id), ph))

    def compare(session_db):
        histories, measures = load_histories(session_db)
        live = current_phases(session_db)
        for park_id, park_history in histories.items():
            last = list(replay(park_history, measures, today_amsterdam()))[-1]
            assert last["computed_phase"] == live[park_id].computed_phase
            assert last["theme_levels"] == dict(live[park_id].facts.theme_levels)

    in_db(app, compare)


def test_cli_takes_todays_snapshot_and_backfills(app, runner, history):
    park_id, expected = history
    result = runner.invoke(["snapshots", "--backfill"])
    assert result.exit_code == 0, result.output
    assert "Snapshot of" in result.output and "Backfill:" in result.output
    rows = rh.snapshots(app, park_id)
    yesterday = today_amsterdam() - timedelta(days=1)
    assert rows[0][1] == D(2025, 1, 1) and rows[-2][1] == yesterday
    assert rows[-1][1] == today_amsterdam() and len(rows) == (rows[-1][1] - rows[0][1]).days + 1
    assert {r[1]: (r[2], r[3]) for r in rows if r[1] in expected} == expected
    assert runner.invoke(["snapshots", "--rebuild"]).exit_code != 0
    assert runner.invoke(["snapshots", "--day", "2999-01-01"]).exit_code != 0


def test_replay_counts_distinct_indicators_like_today(app, make_park, clock):
    clock.set(D(2025, 1, 1))
    park = make_park(created_at=rh.at(D(2025, 1, 1)))

    def values(codes):
        def add(session_db, db_park):
            for n, code in enumerate(codes):
                session_db.add(IndicatorValue(park_id=db_park.id, indicator=code, value=1.0 + n,
                                              measured_on=D(2025, 1, 1), source="sensor"))
        return add

    def step(day, work):
        clock.set(day)
        in_db(app, lambda s: work(s, s.get(Park, park.id)))

    step(D(2025, 1, 10), lambda s, p: rh.add_baseline(s, p, values=0))
    step(D(2025, 1, 10), values(["pm25_ugm3"] * 6))
    step(D(2025, 1, 20), values(["green_pct", "unpaved_pct", "no2_ugm3", "vacancy_pct"]))

    def phases(session_db):
        histories, measures = load_histories(session_db, [park.id])
        days = {row["day"]: row["computed_phase"]
                for row in replay(histories[park.id], measures, D(2025, 1, 25))}
        return days, current_phases(session_db, [park.id])[park.id].computed_phase

    days, live = in_db(app, phases)
    assert {days[D(2025, 1, 15)], days[D(2025, 1, 19)]} == {"aangemeld"}
    assert days[D(2025, 1, 20)] == days[D(2025, 1, 25)] == live == "nulmeting"
