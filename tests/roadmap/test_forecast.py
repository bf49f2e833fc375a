"""The forecast on synthetic histories: sensible dates and bands, honest explanations."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest

from roadmap.forecast import CURVE_STEP_DAYS, DEFAULT_HORIZON, SATURATION_CAP, forecast
from roadmap.target import Target
from tests.roadmap.synthetic import (
    START,
    arrivals,
    exact,
    s_curve,
    s_curve_reach,
    stalled,
    steady,
)

TARGET = Target()
THREE_YEARS = 3 * 365
PER_DAY = 0.3  # 110 parks a year: 1,000 parks after 3,334 days
STEADY_REACH = START + timedelta(days=math.ceil(TARGET.parks / PER_DAY))
S_MID = (1500, 1.5, 3.0)  # level, rate per year, midpoint in years: inflection at the end
S_EARLY = (1500, 1.2, 4.0)  # still accelerating when the history ends


def run(history, target=TARGET, **kwargs):
    """The forecast as seen on the last day of *history*."""
    return forecast(history, target, history[-1][0], **kwargs)


def band_days(result, horizon=DEFAULT_HORIZON):
    """Width of the reach-date band in days; an open end counts up to the horizon."""
    return ((result.reach_high or horizon) - result.reach_low).days


def relative_band(result, today):
    """Band width as a share of the time still to go from *today* until the reach date."""
    return band_days(result) / (result.reach_date - today).days


def contains(result, day):
    """Whether *day* lies in the reach-date band (an open end reaching to the horizon)."""
    return result.reach_low <= day <= (result.reach_high or DEFAULT_HORIZON)


def test_steady_growth_reaches_the_target_near_the_analytic_date():
    result = run(exact(steady(PER_DAY), THREE_YEARS))
    assert result.model == "linear"
    assert abs((result.reach_date - STEADY_REACH).days) <= 30
    assert contains(result, STEADY_REACH)
    assert band_days(result) <= 180
    assert result.pace == pytest.approx(PER_DAY * 365.25, rel=0.02)
    assert result.saturation is None


def test_steady_growth_with_random_arrivals_stays_near_the_analytic_date():
    result = run(arrivals(steady(PER_DAY), THREE_YEARS, seed=0))
    assert result.model == "linear"
    assert abs((result.reach_date - STEADY_REACH).days) <= 365
    assert contains(result, STEADY_REACH)
    assert band_days(result) <= 2 * 365


def test_the_band_holds_the_true_date_most_of_the_time():
    """An 80% band should contain the true date in roughly 80% of random histories."""
    hits = sum(contains(run(arrivals(steady(PER_DAY), THREE_YEARS, seed=s)), STEADY_REACH)
               for s in range(20))
    assert 12 <= hits <= 20


@pytest.mark.parametrize("batch", [1, 10])
def test_noisy_data_gives_a_wider_band_than_clean_data(batch):
    clean = run(exact(steady(PER_DAY), THREE_YEARS))
    noisy = run(arrivals(steady(PER_DAY), THREE_YEARS, seed=3, batch=batch))
    assert band_days(noisy) > 2 * band_days(clean)


def test_lumpier_arrivals_widen_the_band_further():
    single = run(arrivals(steady(PER_DAY), THREE_YEARS, seed=3))
    batches = run(arrivals(steady(PER_DAY), THREE_YEARS, seed=3, batch=10))
    assert band_days(batches) > band_days(single)


def test_an_s_curve_at_its_turning_point_is_fitted_as_one():
    truth = s_curve_reach(*S_MID, TARGET.parks)
    history = arrivals(s_curve(*S_MID), THREE_YEARS, seed=0)
    result = run(history)
    steady_result = run(arrivals(steady(PER_DAY), THREE_YEARS, seed=0))
    today = history[-1][0]
    assert result.model == "logistic"
    assert abs((result.reach_date - truth).days) <= 90
    assert contains(result, truth)
    assert 1200 <= result.saturation <= 2000
    # Half a year ahead a band cannot be years wide; relative to the time still to go, the
    # S-curve's band is the wider one.
    assert relative_band(result, today) > relative_band(steady_result, today)


def test_a_clean_s_curve_gives_its_own_level_and_date():
    truth = s_curve_reach(*S_MID, TARGET.parks)
    result = run(exact(s_curve(*S_MID), THREE_YEARS))
    assert result.model == "logistic"
    assert abs((result.reach_date - truth).days) <= 30
    assert result.saturation == pytest.approx(1500, rel=0.05)


def test_an_early_s_curve_gives_a_sensible_date_and_an_open_band():
    truth = s_curve_reach(*S_EARLY, TARGET.parks)
    result = run(arrivals(s_curve(*S_EARLY), THREE_YEARS, seed=0))
    steady_result = run(arrivals(steady(PER_DAY), THREE_YEARS, seed=0))
    assert result.model == "logistic"
    assert abs((result.reach_date - truth).days) <= 365
    assert result.reach_high is None  # the level is not pinned down yet
    assert band_days(result) > band_days(steady_result)
    assert f"after {DEFAULT_HORIZON}" in result.explanation_en
    assert f"na {DEFAULT_HORIZON}" in result.explanation_nl


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_stalled_growth_does_not_pretend_to_reach_the_target(seed):
    result = run(arrivals(stalled(PER_DAY, 730), THREE_YEARS, seed=seed))
    assert result.reach_date is None
    assert result.model == "logistic"
    assert result.saturation < 400
    assert f"not reached before {DEFAULT_HORIZON}" in result.explanation_en
    assert "levels off" in result.explanation_en
    assert f"niet vóór {DEFAULT_HORIZON}" in result.explanation_nl


def test_too_slow_a_line_is_not_reached_before_the_horizon():
    result = run(exact(steady(0.02), THREE_YEARS))
    assert result.model == "linear"
    assert result.reach_date is None
    assert "parks a year it takes until after" in result.explanation_en


def test_a_nearer_horizon_cuts_the_band_off():
    result = run(exact(steady(PER_DAY), THREE_YEARS), horizon=date(2030, 1, 1))
    assert (result.reach_date, result.reach_low, result.reach_high) == (None, None, None)
    assert result.curve[-1][0] == date(2030, 1, 1)


@pytest.mark.parametrize(
    ("history", "reason_en"),
    [
        ([], "0 days of history"),
        ([(START + timedelta(days=d), d) for d in range(20)], "19 days of history"),
        ([(START + timedelta(days=d), d) for d in range(30)], "29 days of history"),
        ([(START + timedelta(days=d), d // 30) for d in range(120)], "4 different counts"),
        ([(START, 0), (START + timedelta(days=400), 50)], "2 different counts"),
    ],
)
def test_too_little_history_is_insufficient(history, reason_en):
    result = forecast(history, TARGET, START + timedelta(days=400))
    assert result.model == "insufficient"
    assert (result.reach_date, result.reach_low, result.reach_high, result.curve) == (
        None, None, None, ())
    assert reason_en in result.explanation_en
    assert "(nodig: 30)" in result.explanation_nl and "(nodig: 5)" in result.explanation_nl


def test_thirty_days_with_five_counts_is_enough():
    history = [(START + timedelta(days=d), d // 6) for d in range(31)]
    assert forecast(history, TARGET, START + timedelta(days=30)).model != "insufficient"


def test_a_target_already_reached_is_dated_from_the_history():
    history = exact(steady(2.0), 700)
    result = run(history)
    first = next(day for day, count in history if count >= TARGET.parks)
    assert result.reach_date == result.reach_low == result.reach_high == first
    assert f"reached on {first}" in result.explanation_en


def test_sparse_history_works_like_a_daily_one():
    monthly = [(START + timedelta(days=30 * m), round(PER_DAY * 30 * m)) for m in range(37)]
    result = run(monthly)
    assert result.model == "linear"
    assert abs((result.reach_date - STEADY_REACH).days) <= 30


def test_order_duplicates_and_days_after_today_do_not_matter():
    history = exact(steady(PER_DAY), THREE_YEARS)
    today = history[-1][0]
    messy = [*reversed(history), (today, 0), (today + timedelta(days=9), 5000)]
    messy.append((today, history[-1][1]))  # the last count given for a day wins
    assert forecast(messy, TARGET, today) == forecast(history, TARGET, today)


def test_the_forecast_is_deterministic():
    history = arrivals(s_curve(*S_MID), THREE_YEARS, seed=5)
    assert run(history) == run(history)


def test_the_curve_runs_from_the_first_day_to_the_horizon_inside_its_band():
    result = run(arrivals(s_curve(*S_EARLY), THREE_YEARS, seed=0))
    days = [point[0] for point in result.curve]
    assert days[0] == START and days[-1] == DEFAULT_HORIZON
    assert all(0 < (b - a).days <= CURVE_STEP_DAYS for a, b in zip(days, days[1:], strict=False))
    assert all(0 <= low <= mid <= high <= SATURATION_CAP for _, mid, low, high in result.curve)


def test_the_saturation_is_capped():
    history = arrivals(s_curve(3800, 0.6, 8.0), THREE_YEARS, seed=0)
    assert run(history).saturation <= SATURATION_CAP
    capped = run(history, cap=1200)
    assert capped.saturation is None or capped.saturation <= 1200
    assert all(high <= 1200 for *_, high in capped.curve)


@pytest.mark.parametrize(
    ("history", "today", "horizon"),
    [
        ([(START, 1)], START, START),
        ([(START, 1)], START + timedelta(days=5), START),
        ([(START, -1)], START, DEFAULT_HORIZON),
    ],
)
def test_bad_input_is_refused(history, today, horizon):
    with pytest.raises(ValueError):
        forecast(history, TARGET, today, horizon)


def test_explanations_quote_the_figures_in_both_languages():
    result = run(exact(steady(PER_DAY), THREE_YEARS))
    assert "1,000 parks" in result.explanation_en and "1.000 terreinen" in result.explanation_nl
    assert str(result.reach_date) in result.explanation_en
    assert str(result.reach_low) in result.explanation_nl
    assert result.explanation("en") == result.explanation_en
