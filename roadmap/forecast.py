"""When will the target be reached? A fitted growth curve with an honest uncertainty band.

The method, in plain words:

1. **History.** A cumulative count of parks on their way per day (daily or sparse); points
   after *today* are ignored, a repeated day keeps its last count. With fewer than
   :data:`MIN_DAYS` days between the first and last point, or fewer than
   :data:`MIN_DISTINCT` different counts, there is too little to fit and the model is
   "insufficient". Long histories are thinned to :data:`MAX_POINTS` evenly spaced days
   (the last count known on each), which keeps the fit fast and changes little: the
   count is a smooth, slowly changing series.
2. **Two curves** (:mod:`roadmap.curves`): a straight line (steady uptake) and an S-curve
   (logistic: slow start, acceleration, saturation) that starts at the history's first
   count. Its saturation level is bounded from below by the highest count seen and from
   above by :data:`SATURATION_CAP`, about the number of business parks in the Netherlands:
   no curve may promise more parks than exist.
3. **Choice.** A cumulative count is a sum of arrivals: its day-to-day increments are close
   to independent, the counts themselves are not. Both fits are therefore judged by AIC on
   the increments (:func:`roadmap.curves.increment_aic`), and the S-curve is used only when
   it gains more than :data:`CLEARLY_BETTER` AIC points over the line. AIC on the counts
   themselves would overstate the evidence (every point counted as independent) and pick
   the S-curve for any wiggle in a steady history.
4. **Band.** :data:`RESAMPLES` residual-bootstrap refits with a fixed seed (so the result is
   deterministic): the residual day-to-day increments are redrawn and added up on top of the
   fitted curve, and the chosen model is refitted to each (the S-curve from a global grid,
   so an unsettled saturation level shows as a wide band). The band is the 10th to 90th
   percentile of the refitted curves, and of the dates they reach the target. It shows how
   firmly the history pins the curve down; it cannot foresee future shocks (a subsidy round,
   a change of policy) that nothing in the history hints at.
5. **Reach date.** The first day the fitted curve reaches the target, or ``None`` when that
   is not before *horizon* (the S-curve levels off below the target, the line does not
   grow, or the pace is too slow); the explanation says which. A band edge is ``None`` when
   more than 10% of the refits do not reach the target before the horizon. When the history
   has already reached the target, the reach date is the day it did.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from roadmap import curves
from roadmap.forecast_text import FitSummary, explain, explain_insufficient, explain_reached
from roadmap.target import Target

__all__ = [
    "CLEARLY_BETTER",
    "CURVE_STEP_DAYS",
    "DEFAULT_HORIZON",
    "MAX_POINTS",
    "MIN_DAYS",
    "MIN_DISTINCT",
    "RESAMPLES",
    "SATURATION_CAP",
    "SEED",
    "Forecast",
    "forecast",
]

MIN_DAYS = 30
MIN_DISTINCT = 5
MAX_POINTS = 64
SATURATION_CAP = 3800  # about the number of business parks in the Netherlands (vision, foreword)
CLEARLY_BETTER = 10.0  # AIC points the S-curve must gain over the line
RESAMPLES = 200
SEED = 20240101
BAND = (10.0, 90.0)
CURVE_STEP_DAYS = 14
DEFAULT_HORIZON = date(2045, 12, 31)


@dataclass(frozen=True)
class Forecast:
    """The forecast: model used, reach date with its band, the curve and why, in two languages.

    ``curve`` holds ``(day, mid, low, high)`` every :data:`CURVE_STEP_DAYS` days from the first
    day of the history to the horizon (both included); empty when "insufficient".
    ``saturation`` is the S-curve's level (``None`` for a line) and ``pace`` the fitted growth
    in parks per year on *today*.
    """

    model: str
    reach_date: date | None
    reach_low: date | None
    reach_high: date | None
    curve: tuple[tuple[date, float, float, float], ...]
    explanation_nl: str
    explanation_en: str
    saturation: float | None = None
    pace: float | None = None

    def explanation(self, lang: str = "nl") -> str:
        """The explanation in *lang* ("nl" or "en")."""
        return self.explanation_en if lang == "en" else self.explanation_nl


@dataclass(frozen=True)
class _Fit:
    model: str
    point: np.ndarray  # (1, k) parameters
    boot: np.ndarray  # (RESAMPLES, k) parameters
    aic_gain: float  # AIC of the line minus AIC of the S-curve

    def values(self, params: np.ndarray, t: np.ndarray) -> np.ndarray:
        if self.model == "logistic":
            return curves.logistic_values(params, t)
        return curves.linear_values(params, t)

    def reach(self, params: np.ndarray, parks: float) -> np.ndarray:
        if self.model == "logistic":
            return curves.reach_logistic(params, parks)
        return curves.reach_linear(params, parks)


def forecast(history: Sequence[tuple[date, int]], target: Target, today: date,
             horizon: date = DEFAULT_HORIZON, *, cap: int = SATURATION_CAP) -> Forecast:
    """Fit the history, choose a curve and say when *target* is reached, with a band."""
    if horizon <= today:
        raise ValueError("the horizon must lie after today")
    points = _clean(history, today)
    span = (points[-1][0] - points[0][0]).days if points else 0
    distinct = len({count for _, count in points})
    if span < MIN_DAYS or distinct < MIN_DISTINCT:
        nl, en = explain_insufficient(span, distinct, MIN_DAYS, MIN_DISTINCT)
        return Forecast("insufficient", None, None, None, (), nl, en)
    return _fitted_forecast(points, target, today, horizon, cap)


def _clean(history: Sequence[tuple[date, int]], today: date) -> list[tuple[date, int]]:
    latest: dict[date, int] = {}
    for day, count in history:
        if count < 0:
            raise ValueError("a cumulative count must not be negative")
        if day <= today:
            latest[day] = int(count)
    return sorted(latest.items())


def _fitted_forecast(points: list[tuple[date, int]], target: Target, today: date,
                     horizon: date, cap: int) -> Forecast:
    first = points[0][0]
    days = np.array([(day - first).days for day, _ in points], dtype=float)
    counts = np.array([count for _, count in points], dtype=float)
    day_grid, y = curves.thin(days, counts, MAX_POINTS)
    t = day_grid / curves.YEAR_DAYS
    k_bounds = (max(float(y.max()), 1.0), max(float(cap), float(y.max())))
    fit = _fit(t, y, k_bounds)
    t_today = (today - first).days / curves.YEAR_DAYS
    t_horizon = (horizon - first).days / curves.YEAR_DAYS
    curve = _curve(fit, first, horizon, k_bounds[1])
    last_day, last_count = points[-1]
    summary = FitSummary(fit.model, len(points), (last_day - first).days, last_count, last_day,
                         _pace(fit, t_today), _saturation(fit), fit.aic_gain,
                         CLEARLY_BETTER, RESAMPLES, float(k_bounds[1]))
    if counts[-1] >= target.parks:
        reached = next(day for day, count in points if count >= target.parks)
        nl, en = explain_reached(summary, target, reached)
        return _result(fit, summary, (reached, reached, reached), curve, nl, en)
    dates = _reach_dates(fit, target.parks, first, t_today, t_horizon)
    nl, en = explain(summary, target, horizon, dates)
    return _result(fit, summary, dates, curve, nl, en)


def _result(fit: _Fit, summary: FitSummary, dates: tuple[date | None, ...],
            curve: tuple[tuple[date, float, float, float], ...], nl: str, en: str) -> Forecast:
    return Forecast(fit.model, dates[0], dates[1], dates[2], curve, nl, en,
                    summary.saturation, summary.pace)


def _fit(t: np.ndarray, y: np.ndarray, k_bounds: tuple[float, float]) -> _Fit:
    linear = curves.fit_linear(t, y[None, :])
    logistic = curves.fit_logistic(t, y[None, :], k_bounds)
    gain = (curves.increment_aic(t, y, curves.linear_values(linear, t)[0], 2)
            - curves.increment_aic(t, y, curves.logistic_values(logistic, t)[0], 3))
    use_logistic = gain > CLEARLY_BETTER
    point = logistic if use_logistic else linear
    model = "logistic" if use_logistic else "linear"
    fitted = (curves.logistic_values if use_logistic else curves.linear_values)(point, t)[0]
    samples = curves.resample(t, y, fitted, RESAMPLES, np.random.default_rng(SEED))
    if use_logistic:
        boot = curves.fit_logistic(t, samples, k_bounds, grid=(16, 24), iterations=12)
    else:
        boot = curves.fit_linear(t, samples)
    return _Fit(model, point, boot, gain)


def _curve(fit: _Fit, first: date, horizon: date,
           ceiling: float) -> tuple[tuple[date, float, float, float], ...]:
    offsets = np.arange(0, (horizon - first).days, CURVE_STEP_DAYS, dtype=float)
    offsets = np.append(offsets, float((horizon - first).days))
    t = offsets / curves.YEAR_DAYS
    mid = np.clip(fit.values(fit.point, t)[0], 0.0, ceiling)
    band = np.clip(np.percentile(fit.values(fit.boot, t), BAND, axis=0), 0.0, ceiling)
    low, high = np.minimum(band[0], mid), np.maximum(band[1], mid)
    return tuple((first + timedelta(days=int(d)), round(float(m), 2), round(float(lo), 2),
                  round(float(hi), 2))
                 for d, m, lo, hi in zip(offsets, mid, low, high, strict=True))


def _reach_dates(fit: _Fit, parks: int, first: date, t_today: float,
                 t_horizon: float) -> tuple[date | None, date | None, date | None]:
    point = _bounded(fit.reach(fit.point, parks), t_today, t_horizon)[0]
    boot = _bounded(fit.reach(fit.boot, parks), t_today, t_horizon)
    low, high = (float(q) for q in np.quantile(boot, np.array(BAND) / 100, method="inverted_cdf"))
    low, high = min(low, point), max(high, point)
    return _to_date(point, first), _to_date(low, first), _to_date(high, first)


def _bounded(t_reach: np.ndarray, t_today: float, t_horizon: float) -> np.ndarray:
    """Not yet reached, so the earliest is tomorrow; after the horizon counts as never."""
    tomorrow = t_today + 1.0 / curves.YEAR_DAYS
    t_reach = np.maximum(t_reach, tomorrow)
    return np.where(t_reach <= t_horizon, t_reach, np.inf)


def _to_date(t: float, first: date) -> date | None:
    if not math.isfinite(t):
        return None
    return first + timedelta(days=math.ceil(t * curves.YEAR_DAYS - 1e-9))


def _pace(fit: _Fit, t_today: float) -> float:
    if fit.model == "linear":
        return round(float(fit.point[0, 1]), 2)
    return round(float(curves.logistic_pace(fit.point, t_today)[0]), 2)


def _saturation(fit: _Fit) -> float | None:
    if fit.model != "logistic":
        return None
    return round(float(curves.saturation(fit.point)[0]), 2)
