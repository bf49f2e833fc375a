"""Theme compass per park, theme pages, the themes overview and the coordinators' comparison."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user, login_required

import themes
from roadmap.programme import PROVINCES

from .. import authz, db
from ..charts.themes import RadarSeries, radar_html
from ..models import Park
from ..services import measures as measure_service
from ..services import theme_comparison as comparison
from ..services import themes as theme_service
from ..theme_fields import OUTCOME_LABELS, ui_lang
from ..theme_forms import IndicatorValueForm, ThemeProfileForm

bp = Blueprint("themes", __name__)


def theme_template_helpers() -> dict:
    """Names the theme and measure templates use: the language and the themes catalogue."""
    return {"lang": ui_lang(), "catalogue": themes, "status_label": themes.status_label,
            "OUTCOME_LABELS": OUTCOME_LABELS, "format_datetime": format_datetime}


bp.context_processor(theme_template_helpers)


def _theme_or_404(code: str) -> themes.Theme:
    try:
        return themes.theme(code)
    except KeyError:
        abort(404)


def _radar(standings: list[theme_service.ThemeStanding]) -> str:
    lang = ui_lang()
    series = [
        RadarSeries("baseline", _("Baseline"), [s.baseline for s in standings]),
        RadarSeries("current", _("Current level"), [s.current for s in standings]),
        RadarSeries("ambition", _("Ambition"), [s.ambition for s in standings]),
    ]
    return radar_html([s.theme.name(lang) for s in standings], series)


@bp.get("/parks/<slug>/themes")
def compass(slug: str):
    """A park's theme compass: radar of baseline, current level and ambition, with evidence."""
    session_db = db.session()
    park = theme_service.park_for_section(session_db, current_user, slug, "themes")
    standings = theme_service.park_compass(session_db, park)
    return render_template(
        "themes/compass.html", park=park, standings=standings, chart=_radar(standings),
        full=authz.sees_in_full(session_db, current_user, park),
        can_edit=authz.can_edit(session_db, current_user, park),
    )


@bp.route("/parks/<slug>/themes/edit", methods=["GET", "POST"])
@login_required
def edit_profile(slug: str):
    """Set baseline and ambition per theme (park managers of the park, coordinators, admins)."""
    session_db = db.session()
    park = authz.park_for_edit(session_db, current_user, slug)
    stored = ThemeProfileForm.flatten(theme_service.profile_form_data(session_db, park))
    form = ThemeProfileForm(data=stored)
    if form.validate_on_submit():
        theme_service.update_profiles(session_db, park, form.profile_data())
        session_db.commit()
        flash(_("The theme profile of %(name)s is saved.", name=park.name), "success")
        return redirect(url_for("themes.compass", slug=park.slug))
    status = 400 if form.is_submitted() else 200
    return render_template("themes/profile_form.html", park=park, form=form,
                           theme_codes=themes.THEME_CODES), status


def _theme_page(park: Park, code: str, form: IndicatorValueForm | None, status: int = 200):
    session_db = db.session()
    theme = _theme_or_404(code)
    standing = next(s for s in theme_service.park_compass(session_db, park) if s.theme == theme)
    latest = theme_service.latest_values(session_db, park)
    history = {i.code: theme_service.indicator_history(session_db, park, i.code, 5)
               for i in themes.indicators_for(code)}
    measures = list(session_db.scalars(measure_service.park_measures(park, theme=code)))
    full = authz.sees_in_full(session_db, current_user, park)
    return render_template(
        "themes/theme.html", park=park, theme=theme, standing=standing, latest=latest,
        history=history, measures=measures, form=form, full=full,
        show_measures=full or park.is_field_public("measures"),
        can_edit=form is not None,
    ), status


@bp.get("/parks/<slug>/themes/<code>")
def theme_page(slug: str, code: str):
    """One theme of a park: the aims, indicators with latest values, measures and criteria."""
    session_db = db.session()
    park = theme_service.park_for_section(session_db, current_user, slug, "themes")
    _theme_or_404(code)
    can_edit = authz.can_edit(session_db, current_user, park)
    form = IndicatorValueForm(theme_code=code) if can_edit else None
    return _theme_page(park, code, form)


@bp.post("/parks/<slug>/themes/<code>/values")
@login_required
def add_value(slug: str, code: str):
    """Record a hand-entered indicator value of one theme."""
    session_db = db.session()
    park = authz.park_for_edit(session_db, current_user, slug)
    _theme_or_404(code)
    form = IndicatorValueForm(theme_code=code)
    if not form.validate_on_submit():
        return _theme_page(park, code, form, 400)
    theme_service.add_indicator_value(session_db, park, form.data, current_user)
    session_db.commit()
    flash(_("The value is saved."), "success")
    return redirect(url_for("themes.theme_page", slug=park.slug, code=code) + "#indicators")


@bp.get("/themes")
def overview():
    """The seven themes of the programme, their aims and the catalogue measures per theme."""
    return render_template("themes/overview.html", themes_list=themes.THEMES,
                           levels=themes.LEVELS)


def _require_coordinator() -> None:
    if not authz.sees_everything(current_user):
        abort(403)


@bp.get("/themes/compare")
@login_required
def compare():
    """Parks against the themes (coordinators and admins): filter by province, sort, export."""
    _require_coordinator()
    province, sort = comparison.comparison_query_from_args(request.args)
    rows = comparison.comparison_rows(db.session(), province, sort)
    return render_template("themes/compare.html", rows=rows, province=province, sort=sort,
                           provinces=PROVINCES, theme_codes=themes.THEME_CODES)


@bp.get("/themes/compare.csv")
@login_required
def compare_csv():
    """The comparison as CSV for Dutch Excel."""
    _require_coordinator()
    province, sort = comparison.comparison_query_from_args(request.args)
    body = comparison.export_comparison_csv(comparison.comparison_rows(db.session(), province,
                                                                       sort))
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": "attachment; filename=themavergelijking.csv"})
