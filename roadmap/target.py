"""The national target and its trajectory: 1,000 parks on their way within nine years.

The programme aims for at least 1,000 business parks on their way to a work landscape of the
future within nine years (vision, foreword). The defaults follow the web app's configuration:
programme start 2024-01-01, target date 2033-12-31; both and the number of parks are
configurable.

The trajectory is a straight line: 0 parks on the start date, the full target on the end
date, and the target held after it. A straight line is the plainest promise to check progress
against; it makes no claim about how uptake will really grow (that is :mod:`roadmap.forecast`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["DEFAULT_END", "DEFAULT_PARKS", "DEFAULT_START", "Target", "expected_on", "trajectory"]

DEFAULT_PARKS = 1000
DEFAULT_START = date(2024, 1, 1)
DEFAULT_END = date(2033, 12, 31)


@dataclass(frozen=True)
class Target:
    """How many parks should be on their way (*parks*) between *start* and *end*."""

    parks: int = DEFAULT_PARKS
    start: date = DEFAULT_START
    end: date = DEFAULT_END

    def __post_init__(self) -> None:
        if isinstance(self.parks, bool) or not isinstance(self.parks, int) or self.parks < 1:
            raise ValueError("the target needs a whole number of at least 1 park")
        if self.end <= self.start:
            raise ValueError("the target date must lie after the programme start")

    @property
    def days(self) -> int:
        """Length of the programme in days, from start to end."""
        return (self.end - self.start).days


def expected_on(target: Target, day: date) -> float:
    """Parks expected on their way on *day*: 0 up to the start, the target from the end on."""
    elapsed = min(max((day - target.start).days, 0), target.days)
    return target.parks * elapsed / target.days


def trajectory(target: Target, step_days: int = 30) -> list[tuple[date, float]]:
    """The trajectory every *step_days* from start to end; the end date is always included."""
    if step_days < 1:
        raise ValueError("step_days must be at least 1")
    days = [target.start + timedelta(days=d) for d in range(0, target.days, step_days)]
    return [*((day, expected_on(target, day)) for day in days), (target.end, float(target.parks))]
