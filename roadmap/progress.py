"""Where the country stands on one day, against the target trajectory.

``gap`` is the number of parks still missing to be on the trajectory (expected minus actual):
positive when behind, negative when ahead. A park cannot be on its way in part, so the
programme is **on track** when the actual count reaches the expected count rounded down.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from roadmap.target import Target, expected_on

__all__ = ["Progress", "progress"]


@dataclass(frozen=True)
class Progress:
    """Parks on their way on *day* against the trajectory."""

    day: date
    actual: int
    expected: float
    gap: float  # expected - actual: parks behind the trajectory (negative when ahead)
    share_of_target: float  # actual / target parks, 0..1 (above 1 once the target is passed)
    on_track: bool


def progress(target: Target, day: date, actual: int) -> Progress:
    """Compare *actual* parks on their way on *day* with the target trajectory."""
    if actual < 0:
        raise ValueError("the number of parks must not be negative")
    expected = expected_on(target, day)
    return Progress(day, actual, expected, expected - actual, actual / target.parks,
                    actual >= math.floor(expected))
