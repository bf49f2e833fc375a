"""National progress toward the target: the coordinators' dashboard and the public page.

Both pages draw on :func:`webapp.services.national.national_overview`, which reads the stored
phase snapshots. The dashboard (/national) and its report download are for coordinators and
admins (anyone else gets a 404); the public page (/progress) shows aggregates only.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, current_app, render_template, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

import themes
from roadmap.phases import PHASE_CODES, phase
from roadmap.target import trajectory

from .. import authz, db
from ..charts import national as charts
from ..exports import FORMATS, table_response
from ..services import national as national_service
from ..services.national import NationalOverview
from ..services.national_report import (
    level_label,
    measure_name,
    phase_name,
    report_headers,
    report_rows,
)
from ..services.themes import today_amsterdam
from ..theme_fields import ui_lang

bp = Blueprint("national", __name__)

# The forecast is drawn up to this many years past the target date at most.
FORECAST_YEARS_PAST_TARGET = 6


def require_coordinator() -> None:
    """404 for everyone but coordinators and admins (the page does not exist for them)."""
    if not authz.sees_everything(current_user):
        abort(404)


def overview(*, public: bool) -> NationalOverview:
    """The national figures under the configured target."""
    target = national_service.target_from_config(current_app.config)
    return national_service.national_overview(db.session(), target, public=public)


@bp.route("/progress")
def public():
    """The public national progress page: aggregates only, no private park data."""
    return _render("national/public.html", overview(public=True), public=True)


@bp.route("/national")
def dashboard():
    """The coordinators' national dashboard."""
    require_coordinator()
    return _render("national/dashboard.html", overview(public=False), public=False)


@bp.get("/national/report.<fmt>")
def report(fmt: str):
    """The progress report as CSV or Excel (coordinators and admins)."""
    require_coordinator()
    if fmt not in FORMATS:
        abort(404)
    data = overview(public=False)
    stem = "voortgang-nationaal-" + (data.day.isoformat() if data.day else "leeg")
    return table_response(stem, report_headers(), report_rows(data, ui_lang()), fmt)


def _render(template: str, data: NationalOverview, *, public: bool):
    lang = ui_lang()
    stale_days = (today_amsterdam() - data.day).days if data.day else None
    return render_template(
        template, data=data, public=public, lang=lang, charts=_charts(data, lang),
        stale_days=stale_days, phase_name=lambda code: phase_name(code, lang),
        theme_name=lambda code: themes.theme(code).name(lang),
        measure_name=lambda code: measure_name(code, lang),
        level_names=[level_label(n, lang) for n in national_service.LEVEL_NUMBERS],
        ranked=_ranked(data), format_date=format_date,
        park_url=lambda slug: url_for("parks.detail", slug=slug))


def _ranked(data: NationalOverview) -> list:
    """Provinces with the most parks on their way first (then most registered, then name);
    provinces whose breakdown is withheld (public view) last."""
    return sorted(data.provinces, key=lambda r: (not r.shown, -(r.on_its_way or 0),
                                                 -r.registered, r.province))


def _charts(data: NationalOverview, lang: str) -> dict[str, str]:
    if data.day is None:
        return {}
    return {"progress": charts.html(_progress_figure(data), charts.PROGRESS_DIV),
            "funnel": charts.html(charts.funnel_figure(
                [(phase(code).name(lang), data.funnel[code]) for code in PHASE_CODES]),
                charts.FUNNEL_DIV),
            "map": charts.html(_map_figure(data), charts.MAP_DIV),
            "provinces": charts.html(_province_figure(data, lang), charts.PROVINCES_DIV),
            "themes": charts.html(_theme_figure(data, lang), charts.THEMES_DIV)}


def _progress_figure(data: NationalOverview) -> dict:
    target = data.target
    curve = data.forecast.curve if data.forecast else ()
    until = target.end + timedelta(days=365 * FORECAST_YEARS_PAST_TARGET)
    labels = charts.ProgressLabels(
        actual=_("Parks on their way"), trajectory=_("Trajectory to the target"),
        forecast=_("Forecast"), band=_("Uncertainty band"), target=_("Target"),
        parks=_("Parks"))
    return charts.progress_figure(
        [(p.day, p.on_its_way) for p in data.series], trajectory(target),
        [row for row in curve if row[0] <= until], (target.end, target.parks), labels)


def _map_figure(data: NationalOverview) -> dict:
    hover = {r.province: _("%(province)s: %(way)d of %(parks)d parks on their way",
                           province=r.province, way=r.on_its_way, parks=r.registered)
             if r.shown else _withheld_text(r) for r in data.provinces}
    values = {r.province: r.on_its_way for r in data.provinces if r.shown}
    figure = charts.province_map_figure(values, hover, _("On their way"))
    return _mask_withheld(figure, {r.province for r in data.provinces if not r.shown})


def _withheld_text(row) -> str:
    if row.withheld == "few_parks":
        return _("%(province)s: %(parks)d parks; fewer than 3 parks: not shown",
                 province=row.province, parks=row.registered)
    return _("%(province)s: %(parks)d parks; not shown, so that smaller provinces cannot be "
             "worked out", province=row.province, parks=row.registered)


WITHHELD_FILL = "#e3e6e4"


def _mask_withheld(figure: dict, provinces: set[str]) -> dict:
    """Grey out withheld provinces and label them "–" instead of 0 on the map."""
    if not provinces:
        return figure
    for trace in figure["data"]:
        if trace.get("meta", "").removeprefix("province:") in provinces:
            trace["fillcolor"] = WITHHELD_FILL
    order = [t["name"] for t in figure["data"] if t.get("meta", "").startswith("province:")]
    labels = next(t for t in figure["data"] if t.get("meta") == "labels")
    labels["text"] = ["–" if name in provinces else text
                      for name, text in zip(order, labels["text"], strict=True)]
    return figure


def _province_figure(data: NationalOverview, lang: str) -> dict:
    ranked = [row for row in _ranked(data) if row.shown]
    phases = [(phase(code).name(lang), [r.phases[code] for r in ranked]) for code in PHASE_CODES]
    return charts.province_bar_figure([r.province for r in ranked], phases, _("Parks"))


def _theme_figure(data: NationalOverview, lang: str) -> dict:
    names = [themes.theme(t.theme).name(lang) for t in data.themes]
    levels = [level_label(n, lang) for n in national_service.LEVEL_NUMBERS]
    return charts.theme_heatmap_figure(names, levels, [t.levels for t in data.themes],
                                       _("Parks"))
