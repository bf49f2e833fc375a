"""Growth curves for the forecast, fitted with numpy only: a straight line and an S-curve.

Time ``t`` is in years since the first day of the history; counts ``y`` are parks. Every
function works on a batch: ``Y`` has one series per row and parameters one set per row, so
the bootstrap refits all resamples at once.

* Linear: ``y = a + b t``, ordinary least squares.
* Logistic, anchored at the first count ``y0``: ``y = y0 + R b(t)`` with
  ``b(t) = (s(t) - s(0)) / (1 - s(0))`` and ``s(t) = 1 / (1 + exp(-r (t - t0)))``. It starts
  at ``y0`` (a programme starts from the parks it has, often none) and levels off at
  ``K = y0 + R``, bounded between the highest count seen and a cap. Parameters per row:
  ``(log R, log r, t0, y0)``. Fitted in two steps: a grid over ``(r, t0)`` where the best
  ``R`` has a closed form (the model is linear in ``R``), then Levenberg-Marquardt on
  ``(log R, log r, t0)`` with the bounds enforced by clipping.
* Model choice (:func:`increment_aic`): AIC judged on the day-to-day increments.
* Residual bootstrap (:func:`resample`): a cumulative count is a sum of arrivals, so its
  residuals wander like a random walk rather than scatter independently around the curve.
  We therefore resample the residual *increments* (scaled to one day so that sparse
  histories work too) and add them up again on top of the fitted curve.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "R_RANGE",
    "YEAR_DAYS",
    "fit_linear",
    "fit_logistic",
    "increment_aic",
    "linear_values",
    "logistic_pace",
    "logistic_values",
    "reach_linear",
    "reach_logistic",
    "refine_logistic",
    "resample",
    "saturation",
    "thin",
]

YEAR_DAYS = 365.25
R_RANGE = (0.05, 10.0)  # growth rate per year: from barely growing to saturating in months
T0_MARGIN = (-30.0, 60.0)  # midpoint bounds in years around the history
_EYE3 = np.eye(3)[None]


def thin(days: np.ndarray, counts: np.ndarray, max_points: int) -> tuple[np.ndarray, np.ndarray]:
    """At most *max_points* evenly spaced days, each with the last count known on that day."""
    if len(days) <= max_points:
        return days, counts
    grid = np.unique(np.round(np.linspace(days[0], days[-1], max_points)))
    return grid, counts[np.searchsorted(days, grid, side="right") - 1]


def fit_linear(t: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """Least-squares ``(a, b)`` per row of *Y*; returns shape (B, 2)."""
    dt = t - t.mean()
    slope = (Y * dt[None, :]).sum(axis=1) / max(float((dt * dt).sum()), 1e-12)
    return np.column_stack([Y.mean(axis=1) - slope * t.mean(), slope])


def linear_values(params: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Values of the lines *params* (B, 2) at *t*; shape (B, len(t))."""
    return params[:, :1] + params[:, 1:2] * t[None, :]


def logistic_values(params: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Values of the S-curves *params* (B, 4) at *t*; shape (B, len(t))."""
    rise, b = np.exp(params[:, :1]), _basis(params, t)
    return params[:, 3:4] + rise * b


def saturation(params: np.ndarray) -> np.ndarray:
    """The level each S-curve levels off at: ``y0 + rise``."""
    return params[:, 3] + np.exp(params[:, 0])


def _z(params: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r, t0 = np.exp(params[:, 1:2]), params[:, 2:3]
    return r * (t[None, :] - t0), -r * t0


def _softplus(x: np.ndarray) -> np.ndarray:
    return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))


def _basis(params: np.ndarray, t: np.ndarray) -> np.ndarray:
    """``b(t) = (s(t) - s(0)) / (1 - s(0))`` for the logistic ``s``, computed stably."""
    z, z0 = _z(params, t)
    return -np.expm1(_softplus(z0) - _softplus(z))


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def fit_logistic(t: np.ndarray, Y: np.ndarray, k_bounds: tuple[float, float],
                 grid: tuple[int, int] = (24, 40), iterations: int = 40) -> np.ndarray:
    """The best S-curve per row of *Y*: a global grid start, then :func:`refine_logistic`.

    All rows share the first value ``y0 = Y[:, 0]`` (resamples start where the fit starts).
    On the grid the best rise per ``(r, t0)`` is ``(z.b) / (b.b)`` with ``z = y - y0``,
    clipped to *k_bounds* minus ``y0``; the squared error then has the closed form
    ``z.z - 2 R z.b + R^2 b.b``, so one matrix product scores every grid point for every
    series. Returns shape (B, 4).
    """
    y0 = float(Y[0, 0])
    r, t0 = np.meshgrid(np.geomspace(*R_RANGE, grid[0]),
                        np.linspace(t[0] - 10.0, t[-1] + 20.0, grid[1]), indexing="ij")
    points = np.column_stack([np.zeros(r.size), np.log(r.ravel()), t0.ravel(), np.zeros(r.size)])
    b = _basis(points, t)
    bb = np.maximum((b * b).sum(axis=1), 1e-12)
    zb = np.einsum("bn,gn->bg", Y - y0, b)  # not BLAS: threaded BLAS stalls on busy hosts
    rise = np.clip(zb / bb, *_rise_bounds(k_bounds, y0))
    best = np.argmin(rise * (rise * bb - 2.0 * zb), axis=1)
    start = points[best]
    start[:, 0], start[:, 3] = np.log(rise[np.arange(Y.shape[0]), best]), y0
    return refine_logistic(t, Y, start, k_bounds, iterations)


def _rise_bounds(k_bounds: tuple[float, float], y0: float) -> tuple[float, float]:
    return max(k_bounds[0] - y0, 1e-6), max(k_bounds[1] - y0, 1e-6)


def refine_logistic(t: np.ndarray, Y: np.ndarray, start: np.ndarray,
                    k_bounds: tuple[float, float], iterations: int = 30) -> np.ndarray:
    """Levenberg-Marquardt from *start* (1 or B rows) for every row of *Y*; returns (B, 4)."""
    p = _clip(np.broadcast_to(start, (Y.shape[0], 4)).copy(), t, k_bounds)
    sse = _sse(Y, logistic_values(p, t))
    damping = np.full(Y.shape[0], 1e-2)
    for _ in range(iterations):
        candidate = p.copy()
        candidate[:, :3] += _lm_step(p, t, Y, damping)
        candidate = _clip(candidate, t, k_bounds)
        new_sse = _sse(Y, logistic_values(candidate, t))
        better = new_sse < sse
        settled = np.abs(new_sse - sse) <= 1e-9 * np.maximum(sse, 1e-9)
        p[better], sse[better] = candidate[better], new_sse[better]
        if settled.all():
            break
        damping = np.where(better, damping / 3.0, np.minimum(damping * 4.0, 1e8))
    return p


def _jacobian(p: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
    """Model values (B, n) and their derivatives by log rise, log r and t0 (three (B, n))."""
    rise, r = np.exp(p[:, :1]), np.exp(p[:, 1:2])
    z, z0 = _z(p, t)
    sp, sp0 = _softplus(z), _softplus(z0)
    rest = rise * np.exp(sp0 - sp)  # rise * (1 - b)
    s, s0 = np.exp(z - sp), np.exp(z0 - sp0)  # logistic values, as exp(z - softplus(z))
    rise_b = rise - rest
    return p[:, 3:4] + rise_b, [rise_b, rest * (s * z - s0 * z0), rest * -r * (s - s0)]


def _lm_step(p: np.ndarray, t: np.ndarray, Y: np.ndarray, damping: np.ndarray) -> np.ndarray:
    # J'J and J'(y - f) entry by entry: for 3 columns this beats batched BLAS calls.
    f, J = _jacobian(p, t)
    res = Y - f
    A = np.empty((Y.shape[0], 3, 3))
    for i in range(3):
        for j in range(i, 3):
            A[:, i, j] = A[:, j, i] = (J[i] * J[j]).sum(axis=1)
    grad = np.column_stack([(col * res).sum(axis=1) for col in J])
    A += (damping[:, None] * np.diagonal(A, axis1=1, axis2=2) + 1e-9)[:, :, None] * _EYE3
    return _solve3(A, grad)


def _solve3(A: np.ndarray, g: np.ndarray) -> np.ndarray:
    """Solve the batch of symmetric 3x3 systems ``A x = g`` by the adjugate (faster than
    LAPACK for many tiny systems; ``A`` is damped, hence well conditioned)."""
    a, b, c = A[:, 0, 0], A[:, 0, 1], A[:, 0, 2]
    d, e, f = A[:, 1, 1], A[:, 1, 2], A[:, 2, 2]
    co = [d * f - e * e, c * e - b * f, b * e - c * d, a * f - c * c, b * c - a * e, a * d - b * b]
    det = a * co[0] + b * co[1] + c * co[2]
    det = np.where(np.abs(det) > 1e-300, det, 1e-300)
    x0 = co[0] * g[:, 0] + co[1] * g[:, 1] + co[2] * g[:, 2]
    x1 = co[1] * g[:, 0] + co[3] * g[:, 1] + co[4] * g[:, 2]
    x2 = co[2] * g[:, 0] + co[4] * g[:, 1] + co[5] * g[:, 2]
    return np.column_stack([x0, x1, x2]) / det[:, None]


def _clip(p: np.ndarray, t: np.ndarray, k_bounds: tuple[float, float]) -> np.ndarray:
    lo, hi = _rise_bounds(k_bounds, float(p[0, 3]))
    p[:, 0] = np.clip(p[:, 0], np.log(lo), np.log(hi))
    p[:, 1] = np.clip(p[:, 1], np.log(R_RANGE[0]), np.log(R_RANGE[1]))
    p[:, 2] = np.clip(p[:, 2], t[0] + T0_MARGIN[0], t[-1] + T0_MARGIN[1])
    return p


def _sse(Y: np.ndarray, F: np.ndarray) -> np.ndarray:
    return ((Y - F) ** 2).sum(axis=1)


def resample(t: np.ndarray, y: np.ndarray, fitted: np.ndarray, count: int,
             rng: np.random.Generator) -> np.ndarray:
    """*count* synthetic histories: the fitted curve plus re-drawn residual increments."""
    step = np.sqrt(np.diff(t) * YEAR_DAYS)
    noise = (np.diff(y) - np.diff(fitted)) / step
    noise -= noise.mean()
    drawn = noise[rng.integers(0, len(noise), size=(count, len(noise)))] * step[None, :]
    walk = np.concatenate([np.zeros((count, 1)), np.cumsum(drawn, axis=1)], axis=1)
    return fitted[None, :] + walk


def increment_aic(t: np.ndarray, y: np.ndarray, fitted: np.ndarray, parameters: int) -> float:
    """AIC of a fit judged on its day-to-day increments, which are close to independent.

    ``m ln(SSE / m) + 2 k`` over the ``m`` increments, each residual scaled to one day.
    """
    step = np.sqrt(np.diff(t) * YEAR_DAYS)
    residual = (np.diff(y) - np.diff(fitted)) / step
    m = len(residual)
    sse = max(float((residual * residual).sum()), 1e-9 * m)
    return m * float(np.log(sse / m)) + 2 * parameters


def reach_linear(params: np.ndarray, parks: float) -> np.ndarray:
    """Time *t* at which each line reaches *parks*; ``inf`` when it does not grow."""
    a, b = params[:, 0], params[:, 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b > 0, (parks - a) / np.where(b > 0, b, 1.0), np.inf)


def reach_logistic(params: np.ndarray, parks: float) -> np.ndarray:
    """Time *t* at which each S-curve reaches *parks*; ``inf`` when it levels off below."""
    rise, r, t0 = np.exp(params[:, 0]), np.exp(params[:, 1]), params[:, 2]
    share = (parks - params[:, 3]) / rise  # the part of the rise needed: b(t) = share
    above = share < 1.0 - 1e-12
    z0 = -r * t0
    level = np.logaddexp(0.0, z0) - np.log1p(-np.where(above, share, 0.0))
    z = level + np.log(-np.expm1(-level))  # inverse of softplus
    return np.where(above, t0 + z / r, np.inf)


def logistic_pace(params: np.ndarray, t: float) -> np.ndarray:
    """Growth of each S-curve at time *t*, in parks per year."""
    rise, r = np.exp(params[:, 0]), np.exp(params[:, 1])
    z, _ = _z(params, np.array([t]))
    b = _basis(params, np.array([t]))
    return rise * (1.0 - b[:, 0]) * r * _sigmoid(z[:, 0])
