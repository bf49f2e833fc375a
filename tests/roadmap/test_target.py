"""The national target and its straight-line trajectory."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from roadmap.target import Target, expected_on, trajectory

TARGET = Target()


def test_defaults_follow_the_programme():
    assert (TARGET.parks, TARGET.start, TARGET.end) == (1000, date(2024, 1, 1), date(2033, 12, 31))


@pytest.mark.parametrize(
    "kwargs",
    [{"parks": 0}, {"parks": -5}, {"parks": True}, {"parks": 2.5},
     {"end": date(2024, 1, 1)}, {"end": date(2023, 12, 31)},
     {"start": date(2034, 1, 1)}],
)
def test_impossible_targets_are_refused(kwargs):
    with pytest.raises(ValueError):
        Target(**kwargs)


def test_a_single_park_over_one_day_is_a_valid_target():
    small = Target(parks=1, start=date(2030, 1, 1), end=date(2030, 1, 2))
    assert expected_on(small, date(2030, 1, 2)) == 1.0


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2020, 1, 1), 0.0),
        (date(2024, 1, 1), 0.0),
        (date(2033, 12, 31), 1000.0),
        (date(2040, 6, 1), 1000.0),
        (date(2024, 1, 1) + timedelta(days=3652 // 2), 500.0),
        (date(2024, 1, 1) + timedelta(days=3652 // 4), 250.0),
    ],
)
def test_expected_on_is_linear_between_start_and_end(day, expected):
    assert TARGET.days == 3652
    assert expected_on(TARGET, day) == pytest.approx(expected)


def test_expected_on_follows_a_configured_target():
    custom = Target(parks=300, start=date(2025, 1, 1), end=date(2027, 1, 1))
    assert expected_on(custom, date(2026, 1, 1)) == pytest.approx(300 * 365 / 730)


@pytest.mark.parametrize("step", [1, 7, 30, 365, 5000])
def test_trajectory_runs_from_zero_to_the_target(step):
    points = trajectory(TARGET, step_days=step)
    assert points[0] == (TARGET.start, 0.0)
    assert points[-1] == (TARGET.end, 1000.0)
    days = [d for d, _ in points]
    assert days == sorted(set(days))
    assert all(b - a <= timedelta(days=step) for a, b in zip(days, days[1:], strict=False))
    assert all(v == pytest.approx(expected_on(TARGET, d)) for d, v in points)


def test_trajectory_default_is_monthly():
    assert len(trajectory(TARGET)) == 3652 // 30 + 2


@pytest.mark.parametrize("step", [0, -30])
def test_trajectory_refuses_a_step_below_one_day(step):
    with pytest.raises(ValueError):
        trajectory(TARGET, step_days=step)
