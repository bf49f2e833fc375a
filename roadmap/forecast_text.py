"""The words of a forecast, in Dutch and English, with the figures behind it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from roadmap.target import Target
from themes.formatting import format_number

__all__ = ["FitSummary", "explain", "explain_insufficient", "explain_reached"]

Texts = tuple[str, str]


@dataclass(frozen=True)
class FitSummary:
    """The figures of a fit that the explanation quotes."""

    model: str
    points: int
    days: int
    count_now: int
    last_day: date
    pace: float
    saturation: float | None
    aic_gain: float
    threshold: float
    resamples: int
    cap: float


def _n(value: float, lang: str, decimals: int = 0) -> str:
    return format_number(round(value, decimals), lang)


def explain_insufficient(span: int, distinct: int, min_days: int, min_distinct: int) -> Texts:
    """Why there is no forecast: too short a history or too few different counts."""
    return (f"Te weinig gegevens voor een voorspelling: {span} dagen geschiedenis "
            f"(nodig: {min_days}) en {distinct} verschillende aantallen (nodig: {min_distinct}).",
            f"Too little data for a forecast: {span} days of history (needed: {min_days}) "
            f"and {distinct} different counts (needed: {min_distinct}).")


def _fit_sentence(s: FitSummary) -> Texts:
    gain_nl, gain_en = _n(s.aic_gain, "nl", 1), _n(s.aic_gain, "en", 1)
    need_nl, need_en = _n(s.threshold, "nl"), _n(s.threshold, "en")
    base_nl = f"{s.days} dagen geschiedenis ({_n(s.count_now, 'nl')} terreinen op {s.last_day})"
    base_en = f"{s.days} days of history ({_n(s.count_now, 'en')} parks on {s.last_day})"
    if s.model == "linear":
        return (f"Een rechte lijn door {base_nl} geeft ongeveer {_n(s.pace, 'nl', 1)} "
                "terreinen per jaar erbij. Een S-curve beschrijft de groei niet duidelijk beter "
                f"(AIC-winst {gain_nl}, nodig: meer dan {need_nl}).",
                f"A straight line through {base_en} adds about {_n(s.pace, 'en', 1)} parks a "
                "year. An S-curve does not describe the growth clearly better (AIC gain "
                f"{gain_en}, needed: more than {need_en}).")
    return _logistic_sentence(s, base_nl, base_en, (gain_nl, need_nl, gain_en, need_en))


def _logistic_sentence(s: FitSummary, base_nl: str, base_en: str,
                       aic: tuple[str, str, str, str]) -> Texts:
    k = s.saturation or 0.0
    capped = k >= 0.99 * s.cap
    cap_nl = " (de bovengrens: ongeveer alle bedrijventerreinen van Nederland)" if capped else ""
    cap_en = " (the cap: about all business parks in the Netherlands)" if capped else ""
    return (f"Een S-curve door {base_nl} beschrijft de groei duidelijk beter dan een rechte "
            f"lijn (AIC-winst {aic[0]}, nodig: meer dan {aic[1]}). Ze vlakt af bij ongeveer "
            f"{_n(k, 'nl')} terreinen{cap_nl} en groeit nu met ongeveer "
            f"{_n(s.pace, 'nl', 1)} terreinen per jaar.",
            f"An S-curve through {base_en} describes the growth clearly better than a straight "
            f"line (AIC gain {aic[2]}, needed: more than {aic[3]}). It levels off at about "
            f"{_n(k, 'en')} parks{cap_en} and now grows by about {_n(s.pace, 'en', 1)} parks "
            "a year.")


def _band_sentence(s: FitSummary, low: date | None, high: date | None, horizon: date) -> Texts:
    how_nl = f"(10e tot 90e percentiel van {s.resamples} herberekeningen)"
    how_en = f"(10th to 90th percentile of {s.resamples} refits)"
    if low is None:
        return (f"Ook binnen de onzekerheidsband {how_nl} wordt het doel niet vóór {horizon} "
                "gehaald.",
                f"Within the uncertainty band {how_en} the target is not reached before "
                f"{horizon} either.")
    end_nl = str(high) if high else f"na {horizon}"
    end_en = str(high) if high else f"after {horizon}"
    return (f"Onzekerheidsband {how_nl}: {low} tot {end_nl}.",
            f"Uncertainty band {how_en}: {low} to {end_en}.")


def _why_not(s: FitSummary, horizon: date, parks: int) -> Texts:
    k = s.saturation or 0.0
    if s.model == "logistic" and k <= parks:
        return (f"de curve vlakt af bij ongeveer {_n(k, 'nl')} terreinen, onder het doel",
                f"the curve levels off at about {_n(k, 'en')} parks, below the target")
    if s.model == "logistic":
        return (f"de curve stijgt te langzaam naar ongeveer {_n(k, 'nl')} terreinen",
                f"the curve rises too slowly toward about {_n(k, 'en')} parks")
    if s.pace <= 0:
        return ("het aantal groeit niet", "the count does not grow")
    return (f"met {_n(s.pace, 'nl', 1)} terreinen per jaar duurt het tot na {horizon}",
            f"at {_n(s.pace, 'en', 1)} parks a year it takes until after {horizon}")


def explain(s: FitSummary, target: Target, horizon: date,
            dates: tuple[date | None, date | None, date | None]) -> Texts:
    """The full explanation of a fitted forecast that has not reached the target yet."""
    fit_nl, fit_en = _fit_sentence(s)
    band_nl, band_en = _band_sentence(s, dates[1], dates[2], horizon)
    goal_nl, goal_en = _n(target.parks, "nl"), _n(target.parks, "en")
    if dates[0] is None:
        why_nl, why_en = _why_not(s, horizon, target.parks)
        reach_nl = f"Het doel van {goal_nl} terreinen wordt niet vóór {horizon} gehaald: {why_nl}."
        reach_en = f"The target of {goal_en} parks is not reached before {horizon}: {why_en}."
    else:
        early = dates[0] <= target.end
        reach_nl = (f"Het doel van {goal_nl} terreinen wordt rond {dates[0]} gehaald, "
                    f"{'vóór' if early else 'na'} de streefdatum {target.end}.")
        reach_en = (f"The target of {goal_en} parks is reached around {dates[0]}, "
                    f"{'before' if early else 'after'} the target date {target.end}.")
    return f"{fit_nl} {reach_nl} {band_nl}", f"{fit_en} {reach_en} {band_en}"


def explain_reached(s: FitSummary, target: Target, reached: date) -> Texts:
    """The explanation when the history has already reached the target."""
    fit_nl, fit_en = _fit_sentence(s)
    return (f"Het doel van {_n(target.parks, 'nl')} terreinen is op {reached} gehaald. {fit_nl}",
            f"The target of {_n(target.parks, 'en')} parks was reached on {reached}. {fit_en}")
