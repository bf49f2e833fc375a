"""Synthetic cumulative histories for the forecast tests: steady, S-curve, stalled, noisy."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import numpy as np

START = date(2024, 1, 1)
YEAR = 365.25

History = list[tuple[date, int]]
Expected = Callable[[np.ndarray], np.ndarray]  # expected cumulative count on day d


def exact(expected: Expected, days: int, start: date = START) -> History:
    """The expected curve rounded to whole parks, one point a day."""
    d = np.arange(days)
    counts = np.round(expected(d)).astype(int)
    return [(start + timedelta(days=int(i)), int(c)) for i, c in zip(d, counts, strict=True)]


def arrivals(expected: Expected, days: int, seed: int, batch: int = 1,
             start: date = START) -> History:
    """Parks arriving at random (Poisson) around the expected curve, *batch* at a time."""
    rng = np.random.default_rng(seed)
    rate = np.diff(expected(np.arange(days + 1))) / batch
    counts = np.concatenate([[0], np.cumsum(rng.poisson(np.maximum(rate, 0.0)) * batch)])
    return [(start + timedelta(days=i), int(counts[i])) for i in range(days)]


def steady(per_day: float) -> Expected:
    """A straight line from 0 parks on the first day."""
    return lambda d: per_day * d


def s_curve(level: float, rate: float, midpoint_years: float) -> Expected:
    """A logistic curve shifted to start at 0: ``L(t) - L(0)``."""
    def curve(d: np.ndarray) -> np.ndarray:
        t = d / YEAR
        return level / (1 + np.exp(-rate * (t - midpoint_years))) - level / (
            1 + np.exp(rate * midpoint_years))
    return curve


def s_curve_reach(level: float, rate: float, midpoint_years: float, parks: int) -> date:
    """The day the shifted logistic of :func:`s_curve` reaches *parks*."""
    offset = level / (1 + np.exp(rate * midpoint_years))
    share = (parks + offset) / level
    t = midpoint_years + np.log(share / (1 - share)) / rate
    return START + timedelta(days=int(np.ceil(t * YEAR)))


def stalled(per_day: float, until_day: int) -> Expected:
    """Steady growth until *until_day*, flat after."""
    return lambda d: per_day * np.minimum(d, until_day)
