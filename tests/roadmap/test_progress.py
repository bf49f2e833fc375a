"""Progress on a day: actual against the trajectory, the gap and whether it is on track."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from roadmap.progress import progress
from roadmap.target import Target, expected_on

TARGET = Target()
HALFWAY = TARGET.start + timedelta(days=TARGET.days // 2)  # 500 parks expected


@pytest.mark.parametrize(
    ("day", "actual", "gap", "share", "on_track"),
    [
        (HALFWAY, 500, 0.0, 0.5, True),
        (HALFWAY, 600, -100.0, 0.6, True),
        (HALFWAY, 400, 100.0, 0.4, False),
        (HALFWAY, 499, 1.0, 0.499, False),
        (TARGET.start, 0, 0.0, 0.0, True),
        (TARGET.end, 1000, 0.0, 1.0, True),
        (TARGET.end, 999, 1.0, 0.999, False),
        (date(2036, 1, 1), 1200, -200.0, 1.2, True),
    ],
)
def test_progress_against_the_trajectory(day, actual, gap, share, on_track):
    result = progress(TARGET, day, actual)
    assert result.expected == pytest.approx(expected_on(TARGET, day))
    assert result.gap == pytest.approx(gap)
    assert result.share_of_target == pytest.approx(share)
    assert result.on_track is on_track
    assert (result.day, result.actual) == (day, actual)


def test_a_part_of_a_park_does_not_count_against_being_on_track():
    day = TARGET.start + timedelta(days=100)  # 27.4 parks expected
    assert 27 < expected_on(TARGET, day) < 28
    assert progress(TARGET, day, 27).on_track
    assert not progress(TARGET, day, 26).on_track


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        progress(TARGET, HALFWAY, -1)
