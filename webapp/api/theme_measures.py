"""API v1: measures of a park, their experiments, adoption and the practice library.

Same rules as the pages: a park's measures are visible to those who see the park in full and,
when the park publishes them, to everyone; cost, funding and lead company only in full.
"""

from __future__ import annotations

from datetime import date

from flask import current_app, jsonify, request, url_for
from sqlalchemy import select

from .. import authz, db
from ..errors import ApiError
from ..models import Measure, Park
from ..services import experiments as experiment_service
from ..services import library as library_service
from ..services import measures as measure_service
from ..services.parks import paginate
from ..services.themes import park_for_section
from ..theme_forms import ExperimentForm, MeasureForm
from .base import api_user, bp, json_body, require_login
from .parks import to_formdata

FORM_META = {"csrf": False, "number_mode": "en"}
MEASURE_FIELDS = frozenset({
    "catalogue_code", "title", "description", "themes", "status", "start_date", "end_date",
    "cost_eur", "funding_source", "lead_company_id", "partners", "expected_effect",
    "measured_effect", "evidence_links",
})
EXPERIMENT_FIELDS = frozenset(experiment_service.EXPERIMENT_COLUMNS)


def validated(form) -> None:
    """400 with the message per field when *form* does not validate."""
    if not form.validate():
        raise ApiError(400, "The input is not valid.", code="validation_error",
                       fields={k: " ".join(str(m) for m in v) for k, v in form.errors.items()})


def _created(body: dict, location: str):
    response = jsonify(body)
    response.status_code = 201
    response.headers["Location"] = location
    return response


def measure_json(measure: Measure, full: bool, history: bool = False) -> dict:
    """A measure as JSON, with its experiment; the status history on request.

    With the history come the adoptions in parks the caller may list ("adopted_by", ids) and
    how many others there are ("adopted_by_hidden"); who changed the status only if *full*.
    """
    data = measure_service.measure_to_dict(measure, full)
    data["experiment"] = experiment_service.experiment_to_dict(measure.experiment)
    data["url"] = url_for("api.get_measure", measure_id=measure.id)
    if history:
        data["status_history"] = measure_service.status_history(measure, with_people=full)
        data["adopted_by"], data["adopted_by_hidden"] = _adoptions(measure)
    return data


def _adoptions(measure: Measure) -> tuple[list[int], int]:
    adoptions = list(measure.adoptions)
    if not adoptions:
        return [], 0
    listed = set(db.session().scalars(select(Park.id).where(
        Park.id.in_({a.park_id for a in adoptions}), authz.listing_scope(api_user()))))
    shown = [a.id for a in adoptions if a.park_id in listed]
    return shown, len(adoptions) - len(shown)


def _full(measure: Measure) -> bool:
    return authz.sees_in_full(db.session(), api_user(), measure.park)


def _status_note(data: dict) -> str:
    note = data.pop("status_note", "")
    if not isinstance(note, str) or len(note) > 1000:
        raise ApiError(400, "The input is not valid.", code="validation_error",
                       fields={"status_note": "Text of at most 1000 characters."})
    return note


def _measure_for_edit(measure_id: int) -> Measure:
    measure = measure_service.measure_for_view(db.session(), api_user(), measure_id)
    if not authz.can_edit(db.session(), api_user(), measure.park):
        raise ApiError(404, "Not found.", code="not_found")
    return measure


def _measure_form(park: Park, data: dict) -> MeasureForm:
    return MeasureForm(formdata=to_formdata(data, set(MEASURE_FIELDS)), meta=FORM_META,
                       companies=measure_service.company_choices(park))


@bp.get("/parks/<slug>/measures")
def list_park_measures(slug: str):
    """A park's measures (?status=, ?theme= to filter)."""
    session_db = db.session()
    park = park_for_section(session_db, api_user(), slug, "measures")
    stmt = measure_service.park_measures(park, request.args.get("status", ""),
                                         request.args.get("theme", ""))
    full = authz.sees_in_full(session_db, api_user(), park)
    return jsonify({"items": [measure_json(m, full) for m in session_db.scalars(stmt)]})


@bp.post("/parks/<slug>/measures")
def create_park_measure(slug: str):
    """Log a measure; a catalogue_code fills in an empty title, description and themes."""
    require_login()
    session_db = db.session()
    park = authz.park_for_edit(session_db, api_user(), slug)
    data = json_body()
    note = _status_note(data)
    form = _measure_form(park, data)
    validated(form)
    measure = measure_service.create_measure(
        session_db, park, {**form.measure_data(), "status_note": note}, api_user())
    session_db.commit()
    return _created(measure_json(measure, True, history=True),
                    url_for("api.get_measure", measure_id=measure.id))


@bp.get("/measures/<int:measure_id>")
def get_measure(measure_id: int):
    """One measure with its status history and experiment."""
    measure = measure_service.measure_for_view(db.session(), api_user(), measure_id)
    return jsonify(measure_json(measure, _full(measure), history=True))


@bp.patch("/measures/<int:measure_id>")
def update_measure(measure_id: int):
    """Change a measure; a new status is recorded in its history (status_note explains it)."""
    require_login()
    session_db = db.session()
    measure = _measure_for_edit(measure_id)
    data = json_body()
    note = _status_note(data)
    unknown = sorted(set(data) - MEASURE_FIELDS)
    if unknown:
        raise ApiError(400, "Unknown fields.", code="validation_error",
                       fields={key: "Unknown field." for key in unknown})
    current = measure_service.measure_form_data(measure)
    current["catalogue_code"] = current["catalogue_code"] or None
    # Stored dates go back in as the text the form reads (to_formdata takes no date objects).
    current = {key: value.isoformat() if isinstance(value, date) else value
               for key, value in current.items()}
    form = _measure_form(measure.park, {**current, **data})
    validated(form)
    measure_service.update_measure(session_db, measure,
                                   {**form.measure_data(), "status_note": note}, api_user())
    session_db.commit()
    return jsonify(measure_json(measure, True, history=True))


@bp.post("/measures/<int:measure_id>/adopt")
def adopt_measure(measure_id: int):
    """Copy a visible measure into one of the caller's parks ({"park": slug}) as an idea."""
    require_login()
    session_db = db.session()
    origin = measure_service.measure_for_view(session_db, api_user(), measure_id)
    slug = json_body().get("park")
    target = session_db.scalar(select(Park).where(
        Park.slug == (slug if isinstance(slug, str) else ""), authz.edit_scope(api_user())))
    if target is None:
        raise ApiError(400, "Choose one of your own parks.", code="validation_error",
                       fields={"park": "Not one of the parks you manage."})
    if target.id == origin.park_id:
        raise ApiError(400, "A measure cannot be adopted into its own park.",
                       code="validation_error", fields={"park": "The measure's own park."})
    copy = experiment_service.adopt_measure(session_db, origin, target, api_user())
    session_db.commit()
    return _created(measure_json(copy, True, history=True),
                    url_for("api.get_measure", measure_id=copy.id))


@bp.get("/measures/<int:measure_id>/experiment")
def get_experiment(measure_id: int):
    """The living-lab experiment of a measure (404 when it has none)."""
    measure = measure_service.measure_for_view(db.session(), api_user(), measure_id)
    if measure.experiment is None:
        raise ApiError(404, "This measure has no experiment.", code="not_found")
    return jsonify(experiment_service.experiment_to_dict(measure.experiment))


@bp.put("/measures/<int:measure_id>/experiment")
def put_experiment(measure_id: int):
    """Create or replace the experiment of a measure (201 when new)."""
    require_login()
    session_db = db.session()
    measure = _measure_for_edit(measure_id)
    is_new = measure.experiment is None
    form = ExperimentForm(formdata=to_formdata(json_body(), set(EXPERIMENT_FIELDS)),
                          meta=FORM_META)
    validated(form)
    experiment = experiment_service.save_experiment(session_db, measure,
                                                    form.experiment_data())
    session_db.commit()
    response = jsonify(experiment_service.experiment_to_dict(experiment))
    response.status_code = 201 if is_new else 200
    return response


@bp.get("/library")
def library():
    """Measures and experiments of all parks the caller may see; same filters as the page."""
    require_login()
    query = library_service.library_query_from_args(request.args,
                                                    current_app.config["PAGE_SIZE"])
    session_db = db.session()
    page = paginate(session_db, library_service.library_listing(api_user(), query),
                    query.page, query.per_page)
    full = authz.full_ids(session_db, api_user(), list({m.park_id for m in page.items}))
    return jsonify({
        "items": [measure_json(m, m.park_id in full) for m in page.items],
        "page": page.page, "per_page": page.per_page, "total": page.total, "pages": page.pages,
    })
