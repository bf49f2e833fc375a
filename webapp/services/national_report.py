"""The national progress report as a table (CSV / Excel) and as JSON for the API.

One long table, four columns (section, item, detail, value): every figure of the dashboard is
one row, so Excel can filter and pivot it, numbers stay numbers and dates stay dates.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

import themes
from roadmap.forecast import Forecast
from roadmap.phases import PHASE_CODES, phase

from ..i18n import PROGRAMME_ROLE_LABELS
from .national import NationalOverview, ProvinceRow, SpotlightPark, TopMeasure

REPORT_HEADERS = ("section", "item", "detail", "value")


def report_headers() -> list[str]:
    """The column headings in the interface language."""
    return [_("Section"), _("Item"), _("Detail"), _("Value")]


def report_rows(overview: NationalOverview, lang: str) -> list[tuple]:
    """Every figure of *overview* as (section, item, detail, value) rows."""
    return [*_headline_rows(overview), *_forecast_rows(overview.forecast, lang),
            *_phase_rows(overview, lang), *_province_rows(overview, lang),
            *_theme_rows(overview, lang), *_measure_rows(overview.top_measures, lang),
            *_spotlight_rows(overview.spotlight, lang), *_series_rows(overview)]


def _headline_rows(overview: NationalOverview) -> list[tuple]:
    section, target = _("Headline"), overview.target
    rows = [(section, _("Snapshot day"), "", overview.day),
            (section, _("Parks registered"), "", overview.registered),
            (section, _("Target (parks on their way)"), "", target.parks),
            (section, _("Programme start"), "", target.start),
            (section, _("Target date"), "", target.end)]
    figures = overview.progress
    if figures is not None:
        rows += [(section, _("Parks on their way"), "", figures.actual),
                 (section, _("Expected on the trajectory"), "", round(figures.expected, 1)),
                 (section, _("Gap (parks behind the trajectory)"), "", round(figures.gap, 1)),
                 (section, _("Share of the target (%)"), "",
                  round(100 * figures.share_of_target, 1)),
                 (section, _("On track"), "", figures.on_track)]
    return rows


def _forecast_rows(forecast: Forecast | None, lang: str) -> list[tuple]:
    if forecast is None:
        return []
    section = _("Forecast")
    return [(section, _("Model"), "", forecast.model),
            (section, _("Target reached on"), "", forecast.reach_date),
            (section, _("Earliest (band)"), "", forecast.reach_low),
            (section, _("Latest (band)"), "", forecast.reach_high),
            (section, _("Explanation"), "", forecast.explanation(lang))]


def _phase_rows(overview: NationalOverview, lang: str) -> list[tuple]:
    section = _("Phase")
    return [(section, phase(code).name(lang), code, overview.funnel.get(code, 0))
            for code in PHASE_CODES if overview.funnel]


def _province_rows(overview: NationalOverview, lang: str) -> list[tuple]:
    section, rows = _("Province"), []
    for row in overview.provinces:
        rows.append((section, row.province, _("All parks"), row.registered))
        if not row.shown:  # the report is the coordinators' (complete); kept safe anyway
            continue
        rows.append((section, row.province, _("Parks on their way"), row.on_its_way))
        rows += [(section, row.province, phase(code).name(lang), row.phases.get(code, 0))
                 for code in PHASE_CODES]
    return rows


def _theme_rows(overview: NationalOverview, lang: str) -> list[tuple]:
    section = _("Theme")
    return [(section, themes.theme(item.theme).name(lang), level_label(number, lang), count)
            for item in overview.themes for number, count in enumerate(item.levels)]


def level_label(number: int, lang: str) -> str:
    """A maturity level as "2 · Under way"."""
    return f"{number} · {themes.level(number).name(lang)}"


def measure_name(code: str, lang: str) -> str:
    """A catalogue measure's name, or its code when the catalogue no longer has it."""
    try:
        return themes.catalogue_measure(code).name(lang)
    except KeyError:
        return code


def _measure_rows(measures: tuple[TopMeasure, ...], lang: str) -> list[tuple]:
    section = _("Measures realised most (parks)")
    return [(section, measure_name(m.code, lang), m.code, m.parks) for m in measures]


def _spotlight_rows(parks: tuple[SpotlightPark, ...], lang: str) -> list[tuple]:
    section = _("Living labs and ambassador parks")
    return [(section, p.name, f"{p.province} · {PROGRAMME_ROLE_LABELS[p.role]}",
             phase_name(p.phase, lang)) for p in parks]


def phase_name(code: str | None, lang: str) -> str:
    """A phase's name; "" for none and the bare code for a phase the rule no longer knows."""
    if not code:
        return ""
    try:
        return phase(code).name(lang)
    except KeyError:
        return code


def _series_rows(overview: NationalOverview) -> list[tuple]:
    section = _("Parks on their way per day")
    return [(section, point.day, "", point.on_its_way) for point in overview.series]


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def overview_dict(overview: NationalOverview, *, public: bool) -> dict:
    """The overview as JSON-ready data; *public* leaves the spotlight parks' phase out (the
    public overview has already withheld the small provinces' breakdown)."""
    return {
        "day": _iso(overview.day),
        "target": {"parks": overview.target.parks, "start": _iso(overview.target.start),
                   "end": _iso(overview.target.end)},
        "registered": overview.registered,
        "progress": _progress_dict(overview),
        "forecast": _forecast_dict(overview.forecast),
        "series": [{"day": _iso(p.day), "on_its_way": p.on_its_way} for p in overview.series],
        "phases": [{"code": code, "name_nl": phase(code).name_nl,
                    "name_en": phase(code).name_en, "parks": overview.funnel.get(code, 0)}
                   for code in PHASE_CODES],
        "provinces": [_province_dict(r) for r in overview.provinces],
        "themes": [{"theme": t.theme, "levels": list(t.levels)} for t in overview.themes],
        "spotlight": [_spotlight_dict(p, public) for p in overview.spotlight],
        "top_measures": [{"code": m.code, "name_nl": measure_name(m.code, "nl"),
                          "name_en": measure_name(m.code, "en"), "parks": m.parks}
                         for m in overview.top_measures],
    }


def _province_dict(row: ProvinceRow) -> dict:
    """A province; a withheld one (public view) has on_its_way and phases null."""
    return {"province": row.province, "registered": row.registered,
            "on_its_way": row.on_its_way,
            "phases": None if row.phases is None else dict(row.phases),
            "withheld": row.withheld}


def _progress_dict(overview: NationalOverview) -> dict | None:
    figures = overview.progress
    if figures is None:
        return None
    return {"on_its_way": figures.actual, "expected": round(figures.expected, 1),
            "gap": round(figures.gap, 1), "share_of_target": round(figures.share_of_target, 4),
            "on_track": figures.on_track}


def _forecast_dict(forecast: Forecast | None) -> dict | None:
    if forecast is None:
        return None
    return {"model": forecast.model, "reach_date": _iso(forecast.reach_date),
            "reach_low": _iso(forecast.reach_low), "reach_high": _iso(forecast.reach_high),
            "explanation_nl": forecast.explanation_nl, "explanation_en": forecast.explanation_en,
            "curve": [{"day": _iso(day), "mid": mid, "low": low, "high": high}
                      for day, mid, low, high in forecast.curve]}


def _spotlight_dict(park: SpotlightPark, public: bool) -> dict:
    data = {"slug": park.slug, "name": park.name, "province": park.province,
            "programme_role": park.role}
    if not public:
        data["phase"] = park.phase
    return data
