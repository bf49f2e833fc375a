"""Living-lab experiments on measures, and adopting another park's measure into one's own plans."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

import themes

from ..models import Experiment, Measure, MeasureStatusChange, Park, User
from .measures import MeasureInputError, user_id_of

OUTCOMES = ("confirmed", "rejected", "inconclusive")
EXPERIMENT_COLUMNS = ("hypothesis", "indicator", "knowledge_partners", "start_date", "end_date",
                      "outcome", "results", "lessons")
TEXT_COLUMNS = ("hypothesis", "knowledge_partners", "results", "lessons")
# What an adoption copies: the idea and its design, never cost, funding, dates or companies.
ADOPTED_COLUMNS = ("catalogue_code", "title", "description", "expected_effect")


def _check(data: dict) -> None:
    if not (data.get("hypothesis") or "").strip():
        raise MeasureInputError("hypothesis", "a hypothesis is required")
    if data.get("indicator"):
        themes.indicator(data["indicator"])
    if data.get("outcome") and data["outcome"] not in OUTCOMES:
        raise MeasureInputError("outcome", f"unknown outcome {data['outcome']!r}")


def save_experiment(db: Session, measure: Measure, data: dict) -> Experiment:
    """Create or change the experiment of *measure* from validated data."""
    _check(data)
    experiment = measure.experiment or Experiment(measure=measure, hypothesis="")
    for column in EXPERIMENT_COLUMNS:
        if column in data:
            value = data[column]
            if column in TEXT_COLUMNS:
                value = (value or "").strip()
            elif column in ("indicator", "outcome"):
                value = value or None
            setattr(experiment, column, value)
    db.add(experiment)
    db.flush()
    return experiment


def experiment_to_dict(experiment: Experiment | None) -> dict | None:
    """The experiment as plain values (None when the measure has none)."""
    if experiment is None:
        return None
    return {
        "hypothesis": experiment.hypothesis, "indicator": experiment.indicator,
        "knowledge_partners": experiment.knowledge_partners,
        "start_date": experiment.start_date.isoformat() if experiment.start_date else None,
        "end_date": experiment.end_date.isoformat() if experiment.end_date else None,
        "outcome": experiment.outcome, "results": experiment.results,
        "lessons": experiment.lessons,
    }


def experiment_form_data(experiment: Experiment | None) -> dict:
    """The experiment's values in the shape ExperimentForm produces."""
    data = experiment_to_dict(experiment) or {}
    if experiment is not None:
        data["start_date"], data["end_date"] = experiment.start_date, experiment.end_date
    data["indicator"] = data.get("indicator") or ""
    data["outcome"] = data.get("outcome") or ""
    return data


def adopt_measure(db: Session, origin: Measure, target: Park, by: User | None = None) -> Measure:
    """Copy *origin* (and its experiment design) into *target* as an idea linked to the original.

    The caller checks that the user may see *origin* and edit *target*.
    """
    if origin.park_id == target.id:
        raise MeasureInputError("park", "a measure cannot be adopted into its own park")
    theme_codes, design = list(origin.themes), origin.experiment
    copy = Measure(park=target, status="idee", evidence_links=list(origin.evidence_links or []))
    db.add(copy)
    with db.no_autoflush:
        copy.adopted_from = origin
        for column in ADOPTED_COLUMNS:
            setattr(copy, column, getattr(origin, column))
        copy.themes = theme_codes
        copy.status_changes.append(MeasureStatusChange(
            from_status=None, to_status="idee", changed_by_id=user_id_of(by)))
    if design is not None:
        db.add(Experiment(measure=copy, hypothesis=design.hypothesis,
                          indicator=design.indicator,
                          knowledge_partners=design.knowledge_partners))
    db.flush()
    return copy


def adoptions_of(db: Session, origin: Measure) -> list[Measure]:
    """The copies of *origin* other parks made, oldest first."""
    return list(db.scalars(select(Measure).where(Measure.adopted_from_id == origin.id)
                           .order_by(Measure.created_at, Measure.id)))
