"""API v1: parks and their member companies."""

from __future__ import annotations

from decimal import Decimal

from flask import current_app, jsonify, request, url_for
from werkzeug.datastructures import MultiDict
from wtforms.fields.core import UnboundField

from .. import authz, db
from ..errors import ApiError
from ..forms import CompanyForm, ParkForm
from ..models import Company
from ..services import parks as park_service
from .base import api_user, bp, json_body, require_login

# The keys a park accepts: the fields declared on ParkForm.
PARK_FIELDS = frozenset(
    name for name, value in vars(ParkForm).items() if isinstance(value, UnboundField)
)


def to_formdata(data: dict, allowed: set[str]) -> MultiDict:
    """JSON values as form input; unknown keys and wrong types are a 400 naming the field."""
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ApiError(400, "Unknown fields.", code="validation_error",
                       fields={key: "Unknown field." for key in unknown})
    formdata = MultiDict()
    for key, value in data.items():
        if value is None:
            formdata.setlist(key, [""])
        elif isinstance(value, bool):
            formdata.setlist(key, ["y"] if value else [])
        elif isinstance(value, int | float | Decimal):
            formdata.setlist(key, [format(Decimal(str(value)), "f")])
        elif isinstance(value, str):
            formdata.setlist(key, [value])
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            formdata.setlist(key, value)
        else:
            raise ApiError(400, "Wrong type.", code="validation_error",
                           fields={key: "Must be a string, number, boolean or list of strings."})
    return formdata


def _validated(form) -> dict:
    if not form.validate():
        raise ApiError(400, "The input is not valid.", code="validation_error",
                       fields={k: " ".join(str(m) for m in v) for k, v in form.errors.items()})
    return form.data


def _park_form(formdata: MultiDict) -> ParkForm:
    # JSON numbers use a decimal point.
    return ParkForm(formdata=formdata, meta={"csrf": False, "number_mode": "en"})


def _check_role_change(data: dict, current: str | None) -> None:
    wanted = data.get("programme_role")
    if wanted is not None and wanted != current and not authz.can_set_programme_role(api_user()):
        raise ApiError(403, "Only programme coordinators set the programme role.",
                       code="forbidden", fields={"programme_role": "Not allowed."})


def _check_slug_free(clean: dict, park_id: int | None = None) -> None:
    if clean.get("slug") and park_service.slug_taken(db.session(), clean["slug"], park_id):
        raise ApiError(409, "Slug already in use.", code="conflict",
                       fields={"slug": "Already in use."})


def _check_association(clean: dict) -> None:
    if not authz.may_use_association(db.session(), api_user(), clean.get("association")):
        raise ApiError(403, "Only programme coordinators link a park to an existing association "
                       "that manages none of your parks.", code="forbidden",
                       fields={"association": "Not allowed."})


def _park_json(park, full: bool) -> dict:
    data = park_service.park_to_dict(park, full)
    data["url"] = url_for("api.get_park", slug=park.slug, _external=False)
    return data


def _company_json(company: Company) -> dict:
    return {"id": company.id, "park": company.park.slug, "name": company.name,
            "kvk_number": company.kvk_number, "sector": company.sector}


@bp.get("/parks")
def list_parks():
    """Parks the caller may see; anonymous callers get public fields of public parks."""
    user = api_user()
    query = park_service.query_from_args(request.args, user, current_app.config["PAGE_SIZE"])
    session_db = db.session()
    page = park_service.paginate(session_db, park_service.park_listing(user, query),
                                 query.page, query.per_page)
    full = authz.full_ids(session_db, user, [p.id for p in page.items])
    return jsonify({
        "items": [_park_json(p, p.id in full) for p in page.items],
        "page": page.page, "per_page": page.per_page, "total": page.total, "pages": page.pages,
    })


@bp.post("/parks")
def create_park():
    """Register a park."""
    require_login()
    user = api_user()
    if not authz.can_create_park(user):
        raise ApiError(403, "Your role may not register parks.", code="forbidden")
    data = json_body()
    _check_role_change(data, "deelnemer")
    form = _park_form(to_formdata(data, PARK_FIELDS))
    clean = _validated(form)
    session_db = db.session()
    _check_slug_free(clean)
    _check_association(clean)
    if "public_fields" not in data:
        clean["public_fields"] = list(park_service.DEFAULT_PUBLIC_FIELDS)
    if "is_public" not in data:
        clean["is_public"] = True  # the form reads an absent checkbox as False
    park = park_service.create_park(session_db, clean, by=user,
                                    may_set_role=authz.can_set_programme_role(user))
    session_db.commit()
    response = jsonify(_park_json(park, True))
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_park", slug=park.slug)
    return response


@bp.get("/parks/<slug>")
def get_park(slug: str):
    """One park: in full for those who may, else its public fields."""
    session_db = db.session()
    park = authz.park_for_view(session_db, api_user(), slug)
    return jsonify(_park_json(park, authz.sees_in_full(session_db, api_user(), park)))


@bp.patch("/parks/<slug>")
def update_park(slug: str):
    """Change some fields of a park; fields left out keep their value."""
    require_login()
    session_db = db.session()
    park = authz.park_for_edit(session_db, api_user(), slug)
    data = json_body()
    _check_role_change(data, park.programme_role)
    current = to_formdata(park_service.park_form_data(park), PARK_FIELDS)
    for key, values in to_formdata(data, PARK_FIELDS).lists():
        current.setlist(key, values)
    clean = _validated(_park_form(current))
    _check_association(clean)
    _check_slug_free(clean, park.id)
    park_service.update_park(session_db, park, clean,
                             may_set_role=authz.can_set_programme_role(api_user()))
    session_db.commit()
    return jsonify(_park_json(park, True))


@bp.get("/parks/<slug>/companies")
def list_companies(slug: str):
    """Member companies of a park the caller sees in full."""
    require_login()
    park = authz.park_in_full(db.session(), api_user(), slug)
    return jsonify({"items": [_company_json(c) for c in park.companies]})


@bp.post("/parks/<slug>/companies")
def create_company(slug: str):
    """Add a member company to a park the caller may edit."""
    require_login()
    session_db = db.session()
    park = authz.park_for_edit(session_db, api_user(), slug)
    form = CompanyForm(formdata=to_formdata(json_body(), {"name", "kvk_number", "sector"}),
                       meta={"csrf": False})
    clean = _validated(form)
    if park_service.company_name_taken(session_db, park, clean["name"]):
        raise ApiError(409, "This park already has a company with that name.",
                       code="conflict", fields={"name": "Already in use."})
    company = park_service.create_company(session_db, park, clean)
    session_db.commit()
    response = jsonify(_company_json(company))
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_company", company_id=company.id)
    return response


@bp.get("/companies/<int:company_id>")
def get_company(company_id: int):
    """One member company."""
    require_login()
    return jsonify(_company_json(authz.company_in_full(db.session(), api_user(), company_id)))


@bp.patch("/companies/<int:company_id>")
def update_company(company_id: int):
    """Change a member company; fields left out keep their value."""
    require_login()
    session_db = db.session()
    company = authz.company_for_edit(session_db, api_user(), company_id)
    data = json_body()
    current = {"name": company.name, "kvk_number": company.kvk_number or "",
               "sector": company.sector}
    formdata = to_formdata({**current, **data}, set(current))
    clean = _validated(CompanyForm(formdata=formdata, meta={"csrf": False}))
    if park_service.company_name_taken(session_db, company.park, clean["name"], company.id):
        raise ApiError(409, "This park already has a company with that name.",
                       code="conflict", fields={"name": "Already in use."})
    park_service.update_company(session_db, company, clean)
    session_db.commit()
    return jsonify(_company_json(company))
