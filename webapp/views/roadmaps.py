"""A park's roadmap page: the phase path with the rule's checks, the coordinator's override, the
plan (vision, adoption, target year), milestones on a timeline and measures per theme and year.

Visible to those who see the park in full; park managers of the park, coordinators and admins
edit the plan and milestones; only coordinators and admins set or lift an override.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from roadmap.phases import PHASES

from .. import authz, db
from ..charts.roadmap import MilestonePoint, timeline_html
from ..exports import FORMATS, table_response
from ..models import Park, PhaseOverride, User
from ..roadmap_forms import (
    ConfirmForm,
    MilestoneForm,
    OverrideForm,
    PlanYearForm,
    RoadmapForm,
    phase_name,
)
from ..services import phase_overrides
from ..services import roadmaps as roadmap_service
from ..services.phase_snapshots import phase_changes, phase_history
from ..services.phases import current_phase, override_history
from ..services.themes import today_amsterdam
from ..theme_fields import ui_lang
from .themes import theme_template_helpers

bp = Blueprint("roadmaps", __name__)
bp.context_processor(theme_template_helpers)
bp.context_processor(lambda: {"phase_name": phase_name, "PHASES": PHASES})


def may_override() -> bool:
    """Only coordinators and admins set or lift a park's phase override."""
    return authz.sees_everything(current_user)


def _names(overrides: list[PhaseOverride]) -> dict[int, str]:
    ids = {i for o in overrides for i in (o.created_by_id, o.cleared_by_id) if i}
    if not ids:
        return {}
    return {u.id: u.name or u.email for u in db.session().scalars(
        select(User).where(User.id.in_(ids)))}


def _chart(milestones) -> str:
    if not milestones:
        return ""
    names = {"done": _("Done"), "open": _("Open"), "overdue": _("Overdue")}
    points = [MilestonePoint(m.title, m.due_on, m.done_on) for m in milestones]
    return timeline_html(points, today_amsterdam(), names, _("Today"), _("Done on"))


def render_page(park: Park, status: int = 200, **forms):
    """The roadmap page; *forms* replace the empty forms (to show their errors)."""
    session_db = db.session()
    can_edit = authz.can_edit(session_db, current_user, park)
    overrides = override_history(session_db, park)
    milestones = roadmap_service.list_milestones(session_db, park)
    plan = roadmap_service.measure_plan(session_db, park)
    if can_edit and "plan_form" not in forms:
        forms["plan_form"] = PlanYearForm(measures=roadmap_service.plan_measures(session_db,
                                                                                 park))
    if may_override() and "override_form" not in forms:
        forms["override_form"] = OverrideForm()
    return render_template(
        "roadmaps/show.html", park=park, full=True, can_edit=can_edit,
        may_override=may_override(), park_phase=current_phase(session_db, park),
        roadmap=roadmap_service.get_roadmap(session_db, park), milestones=milestones,
        chart=_chart(milestones), plan=plan, overrides=overrides, names=_names(overrides),
        changes=phase_changes(phase_history(session_db, park)), today=today_amsterdam(),
        confirm=ConfirmForm(), **forms), status


@bp.get("/parks/<slug>/roadmap")
def show(slug: str):
    """The park's roadmap (people who see the park in full; others get a 404)."""
    return render_page(authz.park_in_full(db.session(), current_user, slug))


@bp.route("/parks/<slug>/roadmap/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str):
    """Set the vision, the adoption date and the target year of the park's roadmap."""
    session_db = db.session()
    park = authz.park_for_edit(session_db, current_user, slug)
    roadmap = roadmap_service.get_roadmap(session_db, park)
    form = RoadmapForm(obj=roadmap)
    if form.validate_on_submit():
        roadmap_service.save_roadmap(session_db, park, form.roadmap_data())
        session_db.commit()
        flash(_("The roadmap of %(name)s is saved.", name=park.name), "success")
        return redirect(url_for("roadmaps.show", slug=park.slug) + "#plan")
    status = 400 if form.is_submitted() else 200
    return render_template("roadmaps/edit.html", park=park, form=form, full=True), status


def _park_for_override(slug: str) -> Park:
    park = authz.park_in_full(db.session(), current_user, slug)
    if not may_override():
        abort(403)
    return park


@bp.post("/parks/<slug>/roadmap/override")
@login_required
def set_override(slug: str):
    """Set the park's phase by hand, with a reason (coordinators and admins)."""
    park = _park_for_override(slug)
    form = OverrideForm()
    if not form.validate_on_submit():
        return render_page(park, 400, override_form=form)
    session_db = db.session()
    phase_overrides.set_override(session_db, park, form.phase.data, form.reason.data,
                                 current_user)
    session_db.commit()
    flash(_("The phase of %(name)s is set to %(phase)s.", name=park.name,
            phase=phase_name(form.phase.data)), "success")
    return redirect(url_for("roadmaps.show", slug=park.slug) + "#phase-section")


@bp.post("/parks/<slug>/roadmap/override/clear")
@login_required
def clear_override(slug: str):
    """Lift the park's override: the rule decides the phase again."""
    park = _park_for_override(slug)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    session_db = db.session()
    if phase_overrides.clear_override(session_db, park, current_user) is not None:
        session_db.commit()
        flash(_("The override is lifted; the rule decides the phase again."), "success")
    return redirect(url_for("roadmaps.show", slug=park.slug) + "#phase-section")


@bp.post("/parks/<slug>/roadmap/plan")
@login_required
def plan_year(slug: str):
    """Plan one of the park's measures in a year."""
    session_db = db.session()
    park = authz.park_for_edit(session_db, current_user, slug)
    measures = roadmap_service.plan_measures(session_db, park)
    form = PlanYearForm(measures=measures)
    if not form.validate_on_submit():
        return render_page(park, 400, plan_form=form)
    measure = next(m for m in measures if m.id == form.measure_id.data)
    roadmap_service.set_planned_year(session_db, measure, form.planned_year.data)
    session_db.commit()
    flash(_("%(title)s is planned.", title=measure.title), "success")
    return redirect(url_for("roadmaps.show", slug=park.slug) + "#measure-plan")


def _table(park: Park, table: str) -> tuple[list[str], list[list]]:
    session_db, lang = db.session(), ui_lang()
    if table == "milestones":
        headers = [_("Due date"), _("Title"), _("Description"), _("Done on"), _("Theme"),
                   _("Phase")]
        return headers, roadmap_service.milestone_rows(
            roadmap_service.list_milestones(session_db, park), lang, phase_name)
    headers = [_("Year"), _("Theme"), _("Measure"), _("Status"), _("Planned year"),
               _("Start date"), _("Measure id")]
    return headers, roadmap_service.plan_rows(roadmap_service.measure_plan(session_db, park),
                                              lang)


@bp.get("/parks/<slug>/roadmap/<any(milestones, plan):table>.<fmt>")
def export(slug: str, table: str, fmt: str):
    """The milestones or the plan as CSV (Dutch Excel) or XLSX."""
    park = authz.park_in_full(db.session(), current_user, slug)
    if fmt not in FORMATS:
        abort(404)
    headers, rows = _table(park, table)
    stem = {"milestones": "mijlpalen", "plan": "maatregelenplan"}[table]
    return table_response(f"{stem}-{park.slug}", headers, rows, fmt)



def _milestone_of(park: Park, milestone_id: int):
    milestone = roadmap_service.get_milestone(db.session(), park, milestone_id)
    if milestone is None:
        abort(404)
    return milestone


def _milestone_form(park: Park, form: MilestoneForm, milestone=None):
    status = 400 if form.is_submitted() else 200
    return render_template("roadmaps/milestone_form.html", park=park, form=form, full=True,
                           milestone=milestone), status


@bp.route("/parks/<slug>/roadmap/milestones/new", methods=["GET", "POST"])
@login_required
def create_milestone(slug: str):
    """Add a dated milestone to the park's roadmap."""
    session_db = db.session()
    park = authz.park_for_edit(session_db, current_user, slug)
    form = MilestoneForm()
    if form.validate_on_submit():
        milestone = roadmap_service.create_milestone(session_db, park, form.milestone_data())
        session_db.commit()
        flash(_("The milestone %(title)s is added.", title=milestone.title), "success")
        return redirect(url_for("roadmaps.show", slug=park.slug) + "#milestones")
    return _milestone_form(park, form)


@bp.route("/parks/<slug>/roadmap/milestones/<int:milestone_id>/edit", methods=["GET", "POST"])
@login_required
def edit_milestone(slug: str, milestone_id: int):
    """Change a milestone (its dates, theme and phase too)."""
    session_db = db.session()
    park = authz.park_for_edit(session_db, current_user, slug)
    milestone = _milestone_of(park, milestone_id)
    form = MilestoneForm(obj=milestone)
    if not form.is_submitted():
        form.theme.data, form.phase.data = milestone.theme or "", milestone.phase or ""
    if form.validate_on_submit():
        roadmap_service.update_milestone(session_db, milestone, form.milestone_data())
        session_db.commit()
        flash(_("Changes to %(title)s are saved.", title=milestone.title), "success")
        return redirect(url_for("roadmaps.show", slug=park.slug) + "#milestones")
    return _milestone_form(park, form, milestone)


@bp.post("/parks/<slug>/roadmap/milestones/<int:milestone_id>/done")
@login_required
def milestone_done(slug: str, milestone_id: int):
    """Mark a milestone as done today."""
    session_db = db.session()
    park = authz.park_for_edit(session_db, current_user, slug)
    milestone = _milestone_of(park, milestone_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    roadmap_service.update_milestone(session_db, milestone, {"done_on": today_amsterdam()})
    session_db.commit()
    flash(_("%(title)s is marked as done.", title=milestone.title), "success")
    return redirect(url_for("roadmaps.show", slug=park.slug) + "#milestones")


@bp.post("/parks/<slug>/roadmap/milestones/<int:milestone_id>/delete")
@login_required
def delete_milestone(slug: str, milestone_id: int):
    """Remove a milestone from the roadmap."""
    session_db = db.session()
    park = authz.park_for_edit(session_db, current_user, slug)
    milestone = _milestone_of(park, milestone_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    title = milestone.title
    roadmap_service.delete_milestone(session_db, milestone)
    session_db.commit()
    flash(_("The milestone %(title)s is removed.", title=title), "success")
    return redirect(url_for("roadmaps.show", slug=park.slug) + "#milestones")
