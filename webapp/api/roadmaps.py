"""API v1: a park's roadmap, milestones, phase (with the rule's checks), override and history.

Same rules as the page: only those who see the park in full reach these endpoints (others get
404); editors of the park change the plan and milestones; only coordinators and admins set or
lift an override (403 for others who see the park).
"""

from __future__ import annotations

from datetime import date

from flask import jsonify, request, url_for

from roadmap.phases import Check

from .. import authz, db
from ..errors import ApiError
from ..models import Milestone, Park, PhaseOverride
from ..roadmap_forms import MilestoneForm, OverrideForm, RoadmapForm
from ..services import phase_overrides
from ..services import roadmaps as roadmap_service
from ..services.phase_snapshots import phase_history
from ..services.phases import ParkPhase, current_phase, override_history
from .base import api_user, bp, json_body, require_login
from .parks import to_formdata
from .theme_measures import FORM_META, validated

ROADMAP_FIELDS = frozenset({"vision", "adopted_on", "target_year", "notes"})
MILESTONE_FIELDS = frozenset({"title", "description", "due_on", "done_on", "theme", "phase"})
OVERRIDE_FIELDS = frozenset({"phase", "reason"})


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def check_json(check: Check) -> dict:
    """One check of the phase rule."""
    return {"phase": check.phase, "key": check.key, "met": check.met,
            "label_nl": check.label_nl, "label_en": check.label_en}


def override_json(override: PhaseOverride) -> dict:
    """An override (active or lifted)."""
    return {"id": override.id, "phase": override.phase, "reason": override.reason,
            "created_at": _iso(override.created_at), "created_by_id": override.created_by_id,
            "cleared_at": _iso(override.cleared_at), "cleared_by_id": override.cleared_by_id,
            "active": override.cleared_at is None}


def phase_json(park_phase: ParkPhase) -> dict:
    """The phase that counts, the rule's verdict with every check, and the facts behind it."""
    result, facts = park_phase.result, park_phase.facts
    following = result.next_phase
    return {
        "phase": park_phase.phase, "computed_phase": park_phase.computed_phase,
        "overridden": park_phase.overridden, "on_its_way": park_phase.on_its_way,
        "next_phase": following.code if following else None,
        "checks": [check_json(c) for c in result.checks],
        "missing": [check_json(c) for c in result.missing],
        "facts": {"themes_with_baseline": facts.themes_with_baseline,
                  "indicator_values": facts.indicator_values,
                  "themes_with_ambition": facts.themes_with_ambition,
                  "roadmap_adopted": facts.roadmap_adopted, "milestones": facts.milestones,
                  "measures_started": facts.measures_started,
                  "measures_realised": facts.measures_realised,
                  "themes_with_realised": facts.themes_with_realised,
                  "theme_levels": dict(facts.theme_levels)},
        "override": override_json(park_phase.override) if park_phase.override else None,
    }


def milestone_json(milestone: Milestone) -> dict:
    """A milestone."""
    return {"id": milestone.id, "title": milestone.title, "description": milestone.description,
            "due_on": _iso(milestone.due_on), "done_on": _iso(milestone.done_on),
            "theme": milestone.theme, "phase": milestone.phase,
            "url": url_for("api.update_milestone", slug=milestone.park.slug,
                           milestone_id=milestone.id)}


def _plan_json(park: Park) -> dict:
    plan = roadmap_service.measure_plan(db.session(), park)
    items = [{"measure_id": m.id, "title": m.title, "status": m.status, "theme": theme,
              "year": year, "planned_year": m.planned_year}
             for (theme, year), measures in sorted(plan.cells.items(),
                                                   key=lambda i: (i[0][1] or 9999, i[0][0]))
             for m in measures]
    return {"years": plan.years, "unplanned": plan.unplanned, "total": plan.total,
            "items": items}


def roadmap_json(park: Park) -> dict:
    """Everything of the park's roadmap page."""
    session_db = db.session()
    roadmap = roadmap_service.get_roadmap(session_db, park)
    return {
        "park": park.slug,
        "roadmap": None if roadmap is None else {
            "vision": roadmap.vision, "adopted_on": _iso(roadmap.adopted_on),
            "target_year": roadmap.target_year, "notes": roadmap.notes},
        "phase": phase_json(current_phase(session_db, park)),
        "overrides": [override_json(o) for o in override_history(session_db, park)],
        "milestones": [milestone_json(m)
                       for m in roadmap_service.list_milestones(session_db, park)],
        "plan": _plan_json(park),
    }


@bp.get("/parks/<slug>/roadmap")
def get_roadmap(slug: str):
    """A park's roadmap, phase with checks, override, milestones and plan."""
    return jsonify(roadmap_json(authz.park_in_full(db.session(), api_user(), slug)))


def _park_for_edit(slug: str) -> Park:
    require_login()
    return authz.park_for_edit(db.session(), api_user(), slug)


@bp.put("/parks/<slug>/roadmap")
def put_roadmap(slug: str):
    """Set the roadmap's vision, adoption date, target year and notes (left out: emptied)."""
    park = _park_for_edit(slug)
    data = {"vision": "", "adopted_on": None, "target_year": None, "notes": "", **json_body()}
    form = RoadmapForm(formdata=to_formdata(data, set(ROADMAP_FIELDS)), meta=FORM_META)
    validated(form)
    roadmap_service.save_roadmap(db.session(), park, form.roadmap_data())
    db.session().commit()
    return jsonify(roadmap_json(park))


def _milestone(park: Park, milestone_id: int) -> Milestone:
    milestone = roadmap_service.get_milestone(db.session(), park, milestone_id)
    if milestone is None:
        raise ApiError(404, "Not found.", code="not_found")
    return milestone


def _milestone_form(data: dict) -> MilestoneForm:
    form = MilestoneForm(formdata=to_formdata(data, set(MILESTONE_FIELDS)), meta=FORM_META)
    validated(form)
    return form


@bp.post("/parks/<slug>/roadmap/milestones")
def create_milestone(slug: str):
    """Add a milestone (title and due_on required)."""
    park = _park_for_edit(slug)
    form = _milestone_form(json_body())
    milestone = roadmap_service.create_milestone(db.session(), park, form.milestone_data())
    db.session().commit()
    response = jsonify(milestone_json(milestone))
    response.status_code = 201
    response.headers["Location"] = milestone_json(milestone)["url"]
    return response


@bp.patch("/parks/<slug>/roadmap/milestones/<int:milestone_id>")
def update_milestone(slug: str, milestone_id: int):
    """Change a milestone; what is left out stays."""
    park = _park_for_edit(slug)
    milestone = _milestone(park, milestone_id)
    given = json_body()
    to_formdata(given, set(MILESTONE_FIELDS))  # unknown fields and wrong types: 400
    current = {k: v for k, v in milestone_json(milestone).items() if k in MILESTONE_FIELDS}
    form = _milestone_form({**current, **given})
    roadmap_service.update_milestone(db.session(), milestone, form.milestone_data())
    db.session().commit()
    return jsonify(milestone_json(milestone))


@bp.delete("/parks/<slug>/roadmap/milestones/<int:milestone_id>")
def delete_milestone(slug: str, milestone_id: int):
    """Remove a milestone."""
    park = _park_for_edit(slug)
    roadmap_service.delete_milestone(db.session(), _milestone(park, milestone_id))
    db.session().commit()
    return "", 204


def _park_for_override(slug: str) -> Park:
    require_login()
    park = authz.park_in_full(db.session(), api_user(), slug)
    if not authz.sees_everything(api_user()):
        raise ApiError(403, "Only coordinators and admins set a park's phase.",
                       code="forbidden")
    return park


@bp.put("/parks/<slug>/phase-override")
def put_phase_override(slug: str):
    """Set the park's phase by hand, with a reason (coordinators and admins)."""
    park = _park_for_override(slug)
    form = OverrideForm(formdata=to_formdata(json_body(), set(OVERRIDE_FIELDS)), meta=FORM_META)
    validated(form)
    phase_overrides.set_override(db.session(), park, form.phase.data, form.reason.data,
                                 api_user())
    db.session().commit()
    return jsonify(phase_json(current_phase(db.session(), park)))


@bp.delete("/parks/<slug>/phase-override")
def delete_phase_override(slug: str):
    """Lift the park's override; 404 when there is none."""
    park = _park_for_override(slug)
    if phase_overrides.clear_override(db.session(), park, api_user()) is None:
        raise ApiError(404, "This park has no active override.", code="not_found")
    db.session().commit()
    return jsonify(phase_json(current_phase(db.session(), park)))


@bp.get("/parks/<slug>/phase-history")
def get_phase_history(slug: str):
    """The park's stored daily phase snapshots, oldest first (?from=, ?to= as ISO dates)."""
    park = authz.park_in_full(db.session(), api_user(), slug)
    first, last = _day_arg("from"), _day_arg("to")
    items = [{"day": s.day.isoformat(), "phase": s.phase, "computed_phase": s.computed_phase,
              "overridden": s.overridden, "on_its_way": s.on_its_way,
              "theme_levels": s.theme_levels}
             for s in phase_history(db.session(), park, first, last)]
    return jsonify({"park": park.slug, "items": items})


def _day_arg(name: str):
    value = request.args.get(name)
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ApiError(400, "The input is not valid.", code="validation_error",
                       fields={name: "Use a date like 2025-03-31."}) from exc
