"""A park's measures (maatregelen): create, change, status history, visibility and serialising.

Every status a measure gets, including the first one, is a MeasureStatusChange row that says who
changed it and when. Cost and funding are private: shown only to those who see the park in full.
"""

from __future__ import annotations

from decimal import Decimal

from flask import abort
from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

import themes
from sensors.validate import as_utc

from ..models import Company, Measure, MeasureStatusChange, MeasureTheme, Park, User
from .themes import section_scope

# Text and value columns copied from validated form data one to one.
MEASURE_COLUMNS = (
    "catalogue_code", "title", "description", "start_date", "end_date", "cost_eur",
    "funding_source", "partners", "expected_effect", "measured_effect",
)
TEXT_COLUMNS = ("title", "description", "funding_source", "partners", "expected_effect",
                "measured_effect")
PRIVATE_KEYS = ("cost_eur", "funding_source", "lead_company")


class MeasureInputError(ValueError):
    """Input a form should have refused (a lead company of another park, an unknown theme)."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field


def user_id_of(user: User | None) -> int | None:
    """The id of a logged-in user, else None (system changes, anonymous)."""
    return user.id if user is not None and getattr(user, "is_authenticated", False) else None


def _check(db: Session, park: Park, data: dict) -> None:
    themes_given = data.get("themes")
    if themes_given is not None:
        if not themes_given:
            raise MeasureInputError("themes", "at least one theme")
        for code in themes_given:
            if code not in themes.THEME_CODES:
                raise MeasureInputError("themes", f"unknown theme {code!r}")
    company_id = data.get("lead_company_id")
    if company_id is not None and db.scalar(select(Company.id).where(
            Company.id == company_id, Company.park_id == park.id)) is None:
        raise MeasureInputError("lead_company_id", "not a company of this park")
    status = data.get("status")
    if status is not None and status not in themes.MEASURE_STATUSES:
        raise MeasureInputError("status", f"unknown status {status!r}")


def apply_measure_data(db: Session, measure: Measure, data: dict) -> Measure:
    """Copy validated data onto *measure* (not the status: see change_status)."""
    _check(db, measure.park, data)
    for column in MEASURE_COLUMNS:
        if column in data:
            value = data[column]
            if column in TEXT_COLUMNS:
                value = (value or "").strip()
            setattr(measure, column, value)
    measure.catalogue_code = measure.catalogue_code or None
    if "lead_company_id" in data:
        measure.lead_company_id = data["lead_company_id"]
    if "evidence_links" in data:
        measure.evidence_links = list(data["evidence_links"] or [])
    if data.get("themes"):
        measure.themes = list(data["themes"])
    return measure


def create_measure(db: Session, park: Park, data: dict, by: User | None = None) -> Measure:
    """Log a measure on *park*; its first status is recorded as the first history row."""
    measure = Measure(park=park, status=data.get("status") or "idee", evidence_links=[])
    with db.no_autoflush:
        apply_measure_data(db, measure, data)
    db.add(measure)
    measure.status_changes.append(MeasureStatusChange(
        from_status=None, to_status=measure.status, changed_by_id=user_id_of(by),
        note=(data.get("status_note") or "").strip()))
    db.flush()
    return measure


def update_measure(db: Session, measure: Measure, data: dict, by: User | None = None) -> Measure:
    """Change a measure; a different status in *data* is recorded in its history."""
    apply_measure_data(db, measure, data)
    if data.get("status") and data["status"] != measure.status:
        change_status(db, measure, data["status"], by, data.get("status_note") or "")
    db.flush()
    return measure


def change_status(db: Session, measure: Measure, status: str, by: User | None = None,
                  note: str = "") -> MeasureStatusChange | None:
    """Move *measure* to *status* and record it; None when the status does not change."""
    if status not in themes.MEASURE_STATUSES:
        raise MeasureInputError("status", f"unknown status {status!r}")
    if status == measure.status:
        return None
    change = MeasureStatusChange(from_status=measure.status, to_status=status,
                                 changed_by_id=user_id_of(by), note=note.strip())
    measure.status_changes.append(change)
    measure.status = status
    db.flush()
    return change


def measure_scope_query(user) -> Select:
    """Measures of parks whose measures the user may see."""
    return select(Measure).join(Park, Park.id == Measure.park_id).where(
        section_scope(user, "measures"))


def measure_for_view(db: Session, user, measure_id: int) -> Measure:
    """The measure if the user may see its park's measures, else 404."""
    measure = db.scalar(measure_scope_query(user).where(Measure.id == measure_id))
    if measure is None:
        abort(404)
    return measure


def park_measures(park: Park, status: str = "", theme: str = "") -> Select:
    """The measures of one park, optionally of one status or theme, newest first."""
    stmt = select(Measure).where(Measure.park_id == park.id).options(
        selectinload(Measure.theme_links), selectinload(Measure.experiment),
        selectinload(Measure.lead_company))
    if status in themes.MEASURE_STATUSES:
        stmt = stmt.where(Measure.status == status)
    if theme in themes.THEME_CODES:
        stmt = stmt.where(Measure.id.in_(
            select(MeasureTheme.measure_id).where(MeasureTheme.theme == theme)))
    return stmt.order_by(Measure.updated_at.desc(), Measure.id.desc())


def company_choices(park: Park) -> list[tuple[int, str]]:
    """(id, name) of the park's member companies, for the lead-company choice."""
    return [(c.id, c.name) for c in park.companies]


def measure_form_data(measure: Measure) -> dict:
    """The measure's values in the shape MeasureForm produces."""
    data = {column: getattr(measure, column) for column in MEASURE_COLUMNS}
    data["catalogue_code"] = measure.catalogue_code or ""
    data["lead_company_id"] = measure.lead_company_id
    data["themes"] = list(measure.themes)
    data["evidence_links"] = list(measure.evidence_links or [])
    data["status"] = measure.status
    return data


def _money(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _date(value) -> str | None:
    return value.isoformat() if value else None


def status_history(measure: Measure, with_people: bool = True) -> list[dict]:
    """The status history as plain values, oldest first; times in UTC with their offset.

    Who made each change ("changed_by_id") only *with_people* (for those who see the park in
    full).
    """
    history = []
    for change in measure.status_changes:
        item = {"from_status": change.from_status, "to_status": change.to_status,
                "changed_at": as_utc(change.changed_at).isoformat(), "note": change.note}
        if with_people:
            item["changed_by_id"] = change.changed_by_id
        history.append(item)
    return history


def measure_to_dict(measure: Measure, full: bool) -> dict:
    """The measure as the API and exports show it; cost, funding and lead company only if *full*."""
    data = {
        "id": measure.id, "park": measure.park.slug, "park_name": measure.park.name,
        "title": measure.title, "description": measure.description,
        "catalogue_code": measure.catalogue_code, "themes": list(measure.themes),
        "status": measure.status, "start_date": _date(measure.start_date),
        "end_date": _date(measure.end_date), "cost_eur": _money(measure.cost_eur),
        "funding_source": measure.funding_source,
        "lead_company": measure.lead_company.name if measure.lead_company else None,
        "lead_company_id": measure.lead_company_id,
        "partners": measure.partners, "expected_effect": measure.expected_effect,
        "measured_effect": measure.measured_effect,
        "evidence_links": list(measure.evidence_links or []),
        "adopted_from_id": measure.adopted_from_id,
        "has_experiment": measure.experiment is not None,
    }
    if not full:
        for key in (*PRIVATE_KEYS, "lead_company_id"):
            data.pop(key)
    return data
