"""Registry pages: park list, detail, registration and editing, member companies, CSV export."""

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

from roadmap.programme import PROVINCES

from .. import authz, db
from ..forms import CompanyForm, ParkForm
from ..services import parks as park_service
from ..services.registry_csv import export_parks_csv

bp = Blueprint("parks", __name__, url_prefix="/parks")


def _query() -> park_service.ParkQuery:
    return park_service.query_from_args(request.args, current_user,
                                        current_app.config["PAGE_SIZE"])


@bp.route("/")
def index():
    """The park list: search, filters, sorting and pagination, scoped to the user."""
    query = _query()
    session_db = db.session()
    result = park_service.paginate(
        session_db, park_service.park_listing(current_user, query), query.page, query.per_page
    )
    full_ids = authz.full_ids(session_db, current_user, [p.id for p in result.items])
    return render_template(
        "parks/index.html",
        page=result,
        query=query,
        args=park_service.listing_args(request.args),
        rows=[park_service.park_to_dict(p, p.id in full_ids) for p in result.items],
        sorts=sorted(park_service.allowed_sorts(current_user, query.mine)),
        provinces=PROVINCES,
        can_create=authz.can_create_park(current_user),
        can_import=authz.can_import_parks(current_user),
    )


@bp.route("/export.csv")
def export():
    """The listing as CSV for Dutch Excel, with the same filters; formulas neutralised."""
    query = _query()
    session_db = db.session()
    parks = list(session_db.scalars(park_service.park_listing(current_user, query)))
    full_ids = authz.full_ids(session_db, current_user, [p.id for p in parks])
    body = export_parks_csv(park_service.park_to_dict(p, p.id in full_ids) for p in parks)
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=bedrijventerreinen.csv"},
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    """Register a new park."""
    if not authz.can_create_park(current_user):
        abort(403)
    form = ParkForm()
    may_set_role = authz.can_set_programme_role(current_user)
    session_db = db.session()
    if form.validate_on_submit() and _slug_free(form) and _association_allowed(form):
        park = park_service.create_park(
            session_db, form.data, by=current_user, may_set_role=may_set_role
        )
        session_db.commit()
        flash(_("Park %(name)s is registered.", name=park.name), "success")
        return redirect(url_for("parks.detail", slug=park.slug))
    if not form.is_submitted():
        form.public_fields.data = list(park_service.DEFAULT_PUBLIC_FIELDS)
    status = 400 if form.is_submitted() else 200
    return render_template("parks/form.html", form=form, park=None,
                           may_set_role=may_set_role), status


def _slug_free(form: ParkForm, exclude_id: int | None = None) -> bool:
    slug = form.slug.data
    if slug and park_service.slug_taken(db.session(), slug, exclude_id):
        form.slug.errors = [*form.slug.errors, _("Short name %(slug)s is already in use.",
                                                 slug=slug)]
        return False
    return True


def _association_allowed(form: ParkForm) -> bool:
    if authz.may_use_association(db.session(), current_user, form.association.data):
        return True
    form.association.errors = [*form.association.errors, _(
        "This association already exists; ask a programme coordinator to link your park to it.")]
    return False


@bp.route("/<slug>")
def detail(slug: str):
    """A park's profile: in full for those who may, else its public fields only."""
    session_db = db.session()
    park = authz.park_for_view(session_db, current_user, slug)
    full = authz.sees_in_full(session_db, current_user, park)
    return render_template(
        "parks/detail.html",
        park=park,
        data=park_service.park_to_dict(park, full),
        full=full,
        can_edit=authz.can_edit(session_db, current_user, park),
    )


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str):
    """Change a park (its managers, coordinators and admins; anyone else gets 404)."""
    session_db = db.session()
    park = authz.park_for_edit(session_db, current_user, slug)
    may_set_role = authz.can_set_programme_role(current_user)
    form = ParkForm(data=park_service.park_form_data(park))
    if (form.validate_on_submit() and _slug_free(form, exclude_id=park.id)
            and _association_allowed(form)):
        park_service.update_park(session_db, park, form.data, may_set_role=may_set_role)
        session_db.commit()
        flash(_("Changes to %(name)s are saved.", name=park.name), "success")
        return redirect(url_for("parks.detail", slug=park.slug))
    status = 400 if form.is_submitted() else 200
    return render_template("parks/form.html", form=form, park=park,
                           may_set_role=may_set_role), status


@bp.route("/<slug>/companies/new", methods=["GET", "POST"])
@login_required
def add_company(slug: str):
    """Add a member company to a park the user may edit."""
    session_db = db.session()
    park = authz.park_for_edit(session_db, current_user, slug)
    form = CompanyForm()
    if form.validate_on_submit() and _company_name_free(form, park):
        company = park_service.create_company(session_db, park, form.data)
        session_db.commit()
        flash(_("%(name)s is added.", name=company.name), "success")
        return redirect(url_for("parks.detail", slug=park.slug) + "#bedrijven")
    status = 400 if form.is_submitted() else 200
    return render_template("parks/company_form.html", form=form, park=park,
                           company=None), status


@bp.route("/<slug>/companies/<int:company_id>/edit", methods=["GET", "POST"])
@login_required
def edit_company(slug: str, company_id: int):
    """Change a member company of a park the user may edit."""
    session_db = db.session()
    park = authz.park_for_edit(session_db, current_user, slug)
    company = authz.company_for_edit(session_db, current_user, company_id)
    if company.park_id != park.id:
        abort(404)
    form = CompanyForm(obj=company)
    if form.validate_on_submit() and _company_name_free(form, park, company.id):
        park_service.update_company(session_db, company, form.data)
        session_db.commit()
        flash(_("Changes to %(name)s are saved.", name=company.name), "success")
        return redirect(url_for("parks.detail", slug=park.slug) + "#bedrijven")
    status = 400 if form.is_submitted() else 200
    return render_template("parks/company_form.html", form=form, park=park,
                           company=company), status


def _company_name_free(form: CompanyForm, park, exclude_id: int | None = None) -> bool:
    if park_service.company_name_taken(db.session(), park, form.name.data, exclude_id):
        form.name.errors = [*form.name.errors,
                            _("This park already has a company with that name.")]
        return False
    return True
