"""Measures and living-lab experiments of a park: list, log, edit, status history, adoption,
and the practice library of all parks."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

import themes
from roadmap.programme import PROVINCES

from .. import authz, db
from ..models import Measure, Park, User
from ..services import experiments as experiment_service
from ..services import library as library_service
from ..services import measures as measure_service
from ..services.measures_csv import export_measures_csv
from ..services.parks import paginate
from ..services.themes import park_for_section
from ..theme_forms import AdoptForm, ExperimentForm, MeasureForm, StatusForm
from .themes import theme_template_helpers

bp = Blueprint("measures", __name__)
bp.context_processor(theme_template_helpers)


def _measure_of(park: Park, measure_id: int) -> Measure:
    measure = db.session().get(Measure, measure_id)
    if measure is None or measure.park_id != park.id:
        abort(404)
    return measure


def _filters() -> tuple[str, str]:
    status, theme = request.args.get("status", ""), request.args.get("theme", "")
    return (status if status in themes.MEASURE_STATUSES else "",
            theme if theme in themes.THEME_CODES else "")


@bp.get("/parks/<slug>/measures")
def index(slug: str):
    """A park's measures with a status and theme filter."""
    session_db = db.session()
    park = park_for_section(session_db, current_user, slug, "measures")
    status, theme = _filters()
    measures = list(session_db.scalars(measure_service.park_measures(park, status, theme)))
    return render_template(
        "measures/index.html", park=park, measures=measures, status=status, theme=theme,
        full=authz.sees_in_full(session_db, current_user, park),
        can_edit=authz.can_edit(session_db, current_user, park),
    )


@bp.get("/parks/<slug>/measures.csv")
def export(slug: str):
    """A park's measures as CSV for Dutch Excel; cost and funding only for full viewers."""
    session_db = db.session()
    park = park_for_section(session_db, current_user, slug, "measures")
    status, theme = _filters()
    measures = session_db.scalars(measure_service.park_measures(park, status, theme))
    body = export_measures_csv(measures, authz.sees_in_full(session_db, current_user, park))
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename=maatregelen-{park.slug}.csv"})


def _form_page(park: Park, form: MeasureForm, measure: Measure | None):
    status = 400 if form.is_submitted() else 200
    return render_template("measures/form.html", park=park, form=form, measure=measure,
                           funding_examples=FUNDING_EXAMPLES), status


FUNDING_EXAMPLES = ("SDE++", "Provinciale subsidie", "BIZ-fonds", "Eigen investering",
                    "Gemeentelijke bijdrage", "Waterschapssubsidie", "DUMAVA", "ISDE",
                    "Energie-investeringsaftrek (EIA)", "Europees fonds (EFRO)")


def _save_errors(form: MeasureForm, exc: measure_service.MeasureInputError) -> None:
    field = getattr(form, exc.field, None) or form.title
    field.errors = [*field.errors, _("This value is not allowed here.")]


@bp.route("/parks/<slug>/measures/new", methods=["GET", "POST"])
@login_required
def create(slug: str):
    """Log a measure, from the catalogue (?catalogue=code prefills the form) or an own one."""
    session_db = db.session()
    park = authz.park_for_edit(session_db, current_user, slug)
    form = MeasureForm(companies=measure_service.company_choices(park))
    if not form.is_submitted() and request.args.get("catalogue"):
        form.catalogue_code.data = request.args["catalogue"]
        form.prefill_from_catalogue()
    if form.validate_on_submit():
        try:
            measure = measure_service.create_measure(session_db, park, form.measure_data(),
                                                     current_user)
        except measure_service.MeasureInputError as exc:
            session_db.rollback()
            _save_errors(form, exc)
            return _form_page(park, form, None)
        session_db.commit()
        flash(_("The measure %(title)s is saved.", title=measure.title), "success")
        return redirect(url_for("measures.detail", slug=park.slug, measure_id=measure.id))
    return _form_page(park, form, None)


@bp.get("/parks/<slug>/measures/<int:measure_id>")
def detail(slug: str, measure_id: int):
    """One measure: its facts, status history, experiment, adoptions and origin."""
    session_db = db.session()
    park = park_for_section(session_db, current_user, slug, "measures")
    measure = _measure_of(park, measure_id)
    adoptions = experiment_service.adoptions_of(session_db, measure)
    visible = set(session_db.scalars(select(Park.id).where(
        Park.id.in_([a.park_id for a in adoptions]), authz.listing_scope(current_user))))
    origin = measure.adopted_from
    origin_visible = origin is not None and session_db.scalar(
        measure_service.measure_scope_query(current_user).where(Measure.id == origin.id)
    ) is not None
    full = authz.sees_in_full(session_db, current_user, park)
    return render_template(
        "measures/detail.html", park=park, measure=measure, full=full,
        users=_changers(measure) if full else {},
        can_edit=authz.can_edit(session_db, current_user, park),
        adoptions=[a for a in adoptions if a.park_id in visible],
        hidden_adoptions=sum(1 for a in adoptions if a.park_id not in visible),
        origin=origin if origin_visible else None,
        can_adopt=_may_adopt(measure),
    )


def _changers(measure: Measure) -> dict[int, str]:
    """Names of the people in a measure's status history (shown to full viewers only)."""
    ids = {c.changed_by_id for c in measure.status_changes if c.changed_by_id}
    if not ids:
        return {}
    users = db.session().scalars(select(User).where(User.id.in_(ids)))
    return {u.id: u.name or u.email for u in users}


@bp.route("/parks/<slug>/measures/<int:measure_id>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str, measure_id: int):
    """Change a measure (not its status: that has its own form and history)."""
    session_db = db.session()
    park = authz.park_for_edit(session_db, current_user, slug)
    measure = _measure_of(park, measure_id)
    form = MeasureForm(data=measure_service.measure_form_data(measure),
                       companies=measure_service.company_choices(park))
    del form.status
    if form.validate_on_submit():
        try:
            measure_service.update_measure(session_db, measure, form.measure_data(),
                                           current_user)
        except measure_service.MeasureInputError as exc:
            session_db.rollback()
            _save_errors(form, exc)
            return _form_page(park, form, measure)
        session_db.commit()
        flash(_("Changes to %(title)s are saved.", title=measure.title), "success")
        return redirect(url_for("measures.detail", slug=park.slug, measure_id=measure.id))
    return _form_page(park, form, measure)


@bp.route("/parks/<slug>/measures/<int:measure_id>/status", methods=["GET", "POST"])
@login_required
def change_status(slug: str, measure_id: int):
    """Move a measure to another status; the change is kept in its history."""
    session_db = db.session()
    park = authz.park_for_edit(session_db, current_user, slug)
    measure = _measure_of(park, measure_id)
    form = StatusForm(current=measure.status)
    if form.validate_on_submit():
        measure_service.change_status(session_db, measure, form.status.data, current_user,
                                      form.note.data or "")
        session_db.commit()
        flash(_("The status is changed."), "success")
        return redirect(url_for("measures.detail", slug=park.slug, measure_id=measure.id))
    status = 400 if form.is_submitted() else 200
    return render_template("measures/status_form.html", park=park, measure=measure,
                           form=form), status


@bp.route("/parks/<slug>/measures/<int:measure_id>/experiment", methods=["GET", "POST"])
@login_required
def experiment(slug: str, measure_id: int):
    """Set up or update the living-lab experiment of a measure."""
    session_db = db.session()
    park = authz.park_for_edit(session_db, current_user, slug)
    measure = _measure_of(park, measure_id)
    form = ExperimentForm(data=experiment_service.experiment_form_data(measure.experiment))
    if form.validate_on_submit():
        experiment_service.save_experiment(session_db, measure, form.experiment_data())
        session_db.commit()
        flash(_("The experiment is saved."), "success")
        return redirect(url_for("measures.detail", slug=park.slug, measure_id=measure.id)
                        + "#experiment")
    status = 400 if form.is_submitted() else 200
    return render_template("measures/experiment_form.html", park=park, measure=measure,
                           form=form), status


def _adopt_targets(measure: Measure) -> list[Park]:
    if not current_user.is_authenticated:
        return []
    return list(db.session().scalars(
        select(Park).where(authz.edit_scope(current_user), Park.id != measure.park_id)
        .order_by(Park.name)))


def _may_adopt(measure: Measure) -> bool:
    if not current_user.is_authenticated:
        return False
    return db.session().scalar(select(Park.id).where(
        authz.edit_scope(current_user), Park.id != measure.park_id).limit(1)) is not None


@bp.route("/measures/<int:measure_id>/adopt", methods=["GET", "POST"])
@login_required
def adopt(measure_id: int):
    """Copy a measure of another park into one of the user's own parks, as an idea."""
    session_db = db.session()
    origin = measure_service.measure_for_view(session_db, current_user, measure_id)
    targets = _adopt_targets(origin)
    if not targets:
        abort(403)
    form = AdoptForm(parks=targets)
    if form.validate_on_submit():
        target = next(p for p in targets if p.id == form.park_id.data)
        copy = experiment_service.adopt_measure(session_db, origin, target, current_user)
        session_db.commit()
        flash(_("%(title)s is adopted into %(park)s as an idea.", title=copy.title,
                park=target.name), "success")
        return redirect(url_for("measures.detail", slug=target.slug, measure_id=copy.id))
    status = 400 if form.is_submitted() else 200
    return render_template("measures/adopt.html", origin=origin, form=form), status


@bp.get("/library")
@login_required
def library():
    """The practice library: measures and experiments of all parks the user may see."""
    query = library_service.library_query_from_args(request.args,
                                                    current_app.config["PAGE_SIZE"])
    session_db = db.session()
    page = paginate(session_db, library_service.library_listing(current_user, query),
                    query.page, query.per_page)
    full = authz.full_ids(session_db, current_user, list({m.park_id for m in page.items}))
    return render_template("measures/library.html", page=page, query=query, full=full,
                           args=library_service.library_args(request.args),
                           provinces=PROVINCES, may_adopt=_adopt_checker())


def _adopt_checker():
    """A test whether the user may adopt a measure: they edit at least one other park."""
    if authz.sees_everything(current_user):
        return lambda measure: True
    own = set(db.session().scalars(select(Park.id).where(authz.edit_scope(current_user))))
    return lambda measure: bool(own - {measure.park_id})
