"""Energy pages: a company's own meters, what it shares, and the park energy dashboard.

Who sees what (webapp.services.energy_sharing): a company's meters only its own users (and
admins, coordinators) see in full, anyone else gets 404; the park dashboard shows the aggregate
of the meters consenting for the viewer's audience, and nothing while fewer than 3 companies
take part. Downloads answer the same question the same way, with the same numbers as the page.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pandas as pd
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from sensors.rollups import AMSTERDAM

from .. import authz, db
from ..energy_forms import (
    KIND_LABELS,
    RESOLUTION_LABELS,
    SHARE_EXPLANATIONS,
    SHARE_LABELS,
    CapacityForm,
    PeriodChoice,
    field_name,
    period_choice,
    sharing_form,
)
from ..exports import table_response
from ..models import SHARE_LEVELS, Company, Park
from ..services import energy_data
from ..services import energy_pages as pages
from ..services import energy_sharing as sharing
from ..services.energy_views import energy_view, meter_figures

bp = Blueprint("energy", __name__)
FORMATS = "any(csv, xlsx)"


def _choice() -> PeriodChoice:
    today = datetime.now(UTC).astimezone(AMSTERDAM).date()
    args = request.args
    return period_choice(args.get("kind"), args.get("date"), args.get("resolution"), today)


def _period_args(choice: PeriodChoice) -> dict:
    return {"kind": choice.period.kind, "date": choice.period.start.isoformat(),
            "resolution": choice.resolution}


def _common(choice: PeriodChoice, **extra) -> dict:
    return {"choice": choice, "period_args": _period_args(choice), "KIND_LABELS": KIND_LABELS,
            "RESOLUTION_LABELS": RESOLUTION_LABELS, "SHARE_LABELS": SHARE_LABELS,
            "lang": pages.lang(), "figure_labels": pages.exports.figure_labels,
            "local_time": pages.local_time, **extra}


def _capacity(value) -> float | None:
    return None if value is None else float(value)


# --- a company's own meters ---------------------------------------------------------------

def _company() -> Company:
    session_db = db.session()
    company = sharing.visible_company(session_db, current_user,
                                      request.args.get("company", type=int))
    if company is None:
        abort(404)
    return company


def _company_view(company: Company, choice: PeriodChoice):
    session_db = db.session()
    meters = sharing.company_meters(session_db, company)
    view = energy_view(session_db, meters, choice.period,
                       _capacity(company.contracted_capacity_kw), choice.resolution) \
        if meters else None
    return meters, view


def _totals(meters, choice: PeriodChoice):
    period = choice.period
    return energy_data.meter_totals(db.session(), meters, period.start_utc, period.end_utc)


@bp.get("/energy")
@login_required
def company():
    """The company's meters in full: consumption, production and peak, per period."""
    if "company" not in request.args and current_user.company_id is None \
            and authz.sees_everything(current_user):
        return render_template("energy/choose.html",
                               companies=sharing.companies_with_meters(db.session()))
    found, choice = _company(), _choice()
    meters, view = _company_view(found, choice)
    totals = _totals(meters, choice)
    levels = sharing.share_levels(db.session(), [m.id for m in meters])
    blocks = pages.chart_blocks(view, pages.COMPANY_CHARTS,
                                _capacity(found.contracted_capacity_kw)) if view else []
    return render_template("energy/company.html", **_common(
        choice, company=found, meters=meters, view=view, blocks=blocks,
        rows=pages.meter_rows(meters, totals, view.meter_peaks if view else {}),
        levels={m.uid: levels[m.id] for m in meters},
        company_args={"company": found.id} if found.id != current_user.company_id else {},
        may_manage=sharing.may_manage_company(current_user, found))), \
        400 if choice.error else 200


@bp.get(f"/energy/download/<chart>.<{FORMATS}:fmt>")
@login_required
def company_download(chart: str, fmt: str):
    """A chart of the company page as CSV or XLSX."""
    found, choice = _company(), _choice()
    if choice.error:
        abort(400)
    meters, view = _company_view(found, choice)
    if view is None:
        abort(404)
    if chart == "meters":
        totals = _totals(meters, choice)
        levels = sharing.share_levels(db.session(), [m.id for m in meters])
        headers, rows = pages.exports.meters_table(
            meters, totals, view.meter_peaks,
            extra={m.uid: str(SHARE_LABELS[levels[m.id]]) for m in meters})
    elif chart in pages.COMPANY_CHARTS and (found_table := pages.table(view, chart)):
        headers, rows = found_table
    else:
        abort(404)
    return table_response(f"energie-{chart}-{choice.period.key()}", headers, rows, fmt)


def _meter(uid: str):
    found = sharing.visible_meter(db.session(), current_user, uid)
    if found is None:
        abort(404)
    return found


@bp.get("/energy/meters/<uid>")
@login_required
def meter(uid: str):
    """One meter of the user's company, in full."""
    found, choice = _meter(uid), _choice()
    view = energy_view(db.session(), [found], choice.period, None, choice.resolution)
    return render_template("energy/meter.html", **_common(
        choice, meter=found, view=view, blocks=pages.chart_blocks(view, pages.COMPANY_CHARTS),
        level=sharing.share_level(db.session(), found),
        company_args={"company": found.company_id}
        if found.company_id != current_user.company_id else {})), \
        400 if choice.error else 200


@bp.get(f"/energy/meters/<uid>/download/<chart>.<{FORMATS}:fmt>")
@login_required
def meter_download(uid: str, chart: str, fmt: str):
    """A chart of one meter as CSV or XLSX."""
    found, choice = _meter(uid), _choice()
    if choice.error:
        abort(400)
    view = energy_view(db.session(), [found], choice.period, None, choice.resolution)
    found_table = pages.table(view, chart) if chart in pages.COMPANY_CHARTS else None
    if found_table is None:
        abort(404)
    return table_response(f"energie-{found.uid}-{chart}-{choice.period.key()}", *found_table,
                          fmt)


# --- what a company shares ------------------------------------------------------------------

def _managed_company() -> Company:
    found = _company()
    if not sharing.may_manage_company(current_user, found):
        abort(404)
    return found


def _sharing_page(found: Company, form=None, capacity_form=None, status: int = 200):
    session_db = db.session()
    meters = sharing.company_meters(session_db, found)
    levels = sharing.share_levels(session_db, [m.id for m in meters])
    form = form or sharing_form(meters, levels)
    capacity_form = capacity_form or CapacityForm(
        data={"contracted_capacity_kw": found.contracted_capacity_kw})
    return render_template("energy/sharing.html", company=found, meters=meters, form=form,
                           capacity_form=capacity_form, field_name=field_name,
                           SHARE_LEVELS=SHARE_LEVELS, SHARE_LABELS=SHARE_LABELS,
                           SHARE_EXPLANATIONS=SHARE_EXPLANATIONS,
                           changes=sharing.share_changes(session_db, found),
                           company_args=_company_args(found)), status


def _company_args(found: Company) -> dict:
    return {"company": found.id} if found.id != current_user.company_id else {}


@bp.route("/energy/sharing", methods=["GET", "POST"])
@login_required
def sharing_settings():
    """Per meter: share nothing, the park total, by name to the board, or in public."""
    session_db = db.session()
    found = _managed_company()
    if request.method == "GET":
        return _sharing_page(found)
    meters = sharing.company_meters(session_db, found)
    form = sharing_form(meters, sharing.share_levels(session_db, [m.id for m in meters]))
    if not form.validate_on_submit():
        return _sharing_page(found, form=form, status=400)
    changed = [change for m in meters if (change := sharing.set_share(
        session_db, m, form[field_name(m)].data, current_user, form.note.data or ""))]
    session_db.commit()
    flash(_("Your sharing choices are saved; %(n)d changed and in effect now.", n=len(changed))
          if changed else _("Nothing changed."), "success")
    return redirect(url_for("energy.sharing_settings", **_company_args(found)))


@bp.post("/energy/capacity")
@login_required
def company_capacity():
    """The company's contracted grid capacity (kW)."""
    found = _managed_company()
    form = CapacityForm()
    if not form.validate_on_submit():
        return _sharing_page(found, capacity_form=form, status=400)
    found.contracted_capacity_kw = form.contracted_capacity_kw.data
    db.session().commit()
    flash(_("The contracted capacity is saved."), "success")
    return redirect(url_for("energy.sharing_settings", **_company_args(found)))


# --- the park dashboard -----------------------------------------------------------------------

def _park_and_shared(slug: str, choice: PeriodChoice) -> tuple[Park, sharing.SharedMeters]:
    """The park and what its audience may see of the chosen period (and the one before)."""
    session_db = db.session()
    park = session_db.scalar(select(Park).where(Park.slug == slug))
    audience = sharing.audience(session_db, current_user, park) if park else None
    if audience is None:
        abort(404)
    period, previous = choice.period, choice.period.previous()
    shared = sharing.shared_meters(session_db, park, audience)
    return park, sharing.in_window(session_db, park, shared, period.start_utc, period.end_utc,
                                   (previous.start_utc, previous.end_utc))


def _park_capacity_kw(park: Park, shared: sharing.SharedMeters) -> float | None:
    # The contracted capacity is not part of a park's public profile.
    return None if shared.audience == "public" else _capacity(park.contracted_capacity_kw)


def _park_view(park: Park, shared: sharing.SharedMeters, choice: PeriodChoice):
    if shared.withheld:
        return None
    view = energy_view(db.session(), shared.usable_meters, choice.period,
                       _park_capacity_kw(park, shared), choice.resolution, with_stress=True)
    if shared.previous_withheld:
        # Too few companies had data then: compare with nothing rather than leak.
        nothing = energy_data.summary_from(pd.Series(dtype=float), (0.0, None), {}, 0, None)
        return replace(view, previous=nothing)
    return view


def _park_page(park: Park, shared: sharing.SharedMeters, choice: PeriodChoice,
               capacity_form: CapacityForm | None = None, status: int = 200):
    session_db = db.session()
    view = _park_view(park, shared, choice)
    named_rows = []
    if shared.named:
        totals, peaks = meter_figures(session_db, shared.named, choice.period)
        named_rows = pages.meter_rows(shared.named, totals, peaks)
    blocks = pages.chart_blocks(view, pages.PARK_CHARTS,
                                _park_capacity_kw(park, shared)) if view else []
    capacity_form = capacity_form or CapacityForm(
        data={"contracted_capacity_kw": park.contracted_capacity_kw})
    return render_template("energy/park.html", **_common(
        choice, park=park, shared=shared, view=view, blocks=blocks, named_rows=named_rows,
        full=authz.sees_in_full(session_db, current_user, park), subnav_active="energy",
        can_edit=authz.can_edit(session_db, current_user, park),
        capacity_form=capacity_form)), 400 if choice.error else status


@bp.route("/parks/<slug>/energy")
def park_energy(slug: str):
    """The park's energy picture from the consenting companies' meters."""
    choice = _choice()
    park, shared = _park_and_shared(slug, choice)
    return _park_page(park, shared, choice)


@bp.get(f"/parks/<slug>/energy/download/<chart>.<{FORMATS}:fmt>")
def park_download(slug: str, chart: str, fmt: str):
    """A chart of the park dashboard as CSV or XLSX, under the same consent rules as the page."""
    choice = _choice()
    if choice.error:
        abort(400)
    park, shared = _park_and_shared(slug, choice)
    stem = f"energie-{park.slug}-{chart}-{choice.period.key()}"
    if chart == "named":
        if not shared.named:
            abort(404)
        totals, peaks = meter_figures(db.session(), shared.named, choice.period)
        return table_response(stem, *pages.exports.meters_table(shared.named, totals, peaks,
                                                                company=True), fmt)
    view = _park_view(park, shared, choice)
    found_table = pages.table(view, chart) if view and chart in pages.PARK_CHARTS else None
    if found_table is None:
        abort(404)
    return table_response(stem, *found_table, fmt)


@bp.post("/parks/<slug>/energy/capacity")
@login_required
def park_capacity(slug: str):
    """The park's contracted grid capacity (park managers of the park, coordinators)."""
    session_db = db.session()
    park = authz.park_for_edit(session_db, current_user, slug)
    form = CapacityForm()
    if not form.validate_on_submit():
        choice = _choice()
        _park, shared = _park_and_shared(slug, choice)
        return _park_page(park, shared, choice, capacity_form=form, status=400)
    park.contracted_capacity_kw = form.contracted_capacity_kw.data
    session_db.commit()
    flash(_("The contracted capacity is saved."), "success")
    return redirect(url_for("energy.park_energy", slug=park.slug, **_period_args(_choice())))
