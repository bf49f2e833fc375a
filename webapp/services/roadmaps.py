"""A park's roadmap: its plan (vision, adoption, target year), dated milestones and the measures
planned per theme and per year.

The year a measure is planned for is its ``planned_year`` or, without one, the year of its start
date. Stopped measures are left out of the plan. A change to the roadmap or its milestones
re-takes the park's phase snapshot of today, so the stored phase follows at once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

import themes

from ..models import Measure, Milestone, Park, ParkRoadmap
from .phase_snapshots import take_snapshots

ROADMAP_COLUMNS = ("vision", "adopted_on", "target_year", "notes")
MILESTONE_COLUMNS = ("title", "description", "due_on", "done_on", "theme", "phase")
TEXT_COLUMNS = ("vision", "notes", "title", "description")
STOPPED = "gestopt"


def _resnapshot(db: Session, park_id: int) -> None:
    db.flush()
    take_snapshots(db, park_ids=[park_id])


def get_roadmap(db: Session, park: Park) -> ParkRoadmap | None:
    """The park's roadmap, or None while it has none."""
    return db.scalar(select(ParkRoadmap).where(ParkRoadmap.park_id == park.id))


def _clean(column: str, value):
    if column in TEXT_COLUMNS:
        return (value or "").strip()
    if column in ("theme", "phase"):
        return value or None
    return value


def save_roadmap(db: Session, park: Park, data: dict) -> ParkRoadmap:
    """Create or change the park's roadmap with the (validated) keys of *data* it carries."""
    roadmap = get_roadmap(db, park) or ParkRoadmap(park_id=park.id, vision="", notes="")
    for column in ROADMAP_COLUMNS:
        if column in data:
            setattr(roadmap, column, _clean(column, data[column]))
    db.add(roadmap)
    _resnapshot(db, park.id)
    return roadmap


def list_milestones(db: Session, park: Park) -> list[Milestone]:
    """The park's milestones by due date."""
    return list(db.scalars(select(Milestone).where(Milestone.park_id == park.id)
                           .order_by(Milestone.due_on, Milestone.id)))


def get_milestone(db: Session, park: Park, milestone_id: int) -> Milestone | None:
    """One milestone of *park*, or None (also for a milestone of another park)."""
    milestone = db.get(Milestone, milestone_id)
    return milestone if milestone is not None and milestone.park_id == park.id else None


def create_milestone(db: Session, park: Park, data: dict) -> Milestone:
    """Add a milestone (validated *data*: title, due_on, and optionally the other columns)."""
    milestone = Milestone(park_id=park.id, description="")
    return update_milestone(db, milestone, data)


def update_milestone(db: Session, milestone: Milestone, data: dict) -> Milestone:
    """Change the milestone's columns present in *data*."""
    for column in MILESTONE_COLUMNS:
        if column in data:
            setattr(milestone, column, _clean(column, data[column]))
    db.add(milestone)
    _resnapshot(db, milestone.park_id)
    return milestone


def delete_milestone(db: Session, milestone: Milestone) -> None:
    """Remove a milestone (the audit log keeps what it was)."""
    db.delete(milestone)
    _resnapshot(db, milestone.park_id)


def plan_year(measure: Measure) -> int | None:
    """The roadmap year of a measure: its planned year, else the year it starts."""
    if measure.planned_year is not None:
        return measure.planned_year
    return measure.start_date.year if measure.start_date else None


def main_theme(measure: Measure) -> str | None:
    """The measure's main theme (its first), else its catalogue entry's, else None."""
    if measure.theme_links:
        return measure.theme_links[0].theme
    if measure.catalogue_code:
        try:
            return themes.catalogue_measure(measure.catalogue_code).primary_theme
        except KeyError:
            return None
    return None


@dataclass
class Plan:
    """Measures per main theme and year; ``None`` as year collects measures without one."""

    years: list[int] = field(default_factory=list)
    cells: dict[tuple[str, int | None], list[Measure]] = field(default_factory=dict)
    unplanned: int = 0
    total: int = 0

    def cell(self, theme: str, year: int | None) -> list[Measure]:
        """The measures of one theme in one year (empty list when none)."""
        return self.cells.get((theme, year), [])

    def theme_total(self, theme: str) -> int:
        """How many measures the theme has in the plan."""
        return sum(len(v) for (code, _), v in self.cells.items() if code == theme)

    def year_total(self, year: int | None) -> int:
        """How many measures are planned in *year*."""
        return sum(len(v) for (_, y), v in self.cells.items() if y == year)


def plan_measures(db: Session, park: Park) -> list[Measure]:
    """The park's measures that belong in the plan (all but stopped ones), by title."""
    return list(db.scalars(
        select(Measure).where(Measure.park_id == park.id, Measure.status != STOPPED)
        .options(selectinload(Measure.theme_links)).order_by(Measure.title, Measure.id)))


def measure_plan(db: Session, park: Park) -> Plan:
    """The themes x years table of the park's measures."""
    cells: dict[tuple[str, int | None], list[Measure]] = defaultdict(list)
    measures = plan_measures(db, park)
    for measure in measures:
        theme = main_theme(measure)
        if theme in themes.THEME_CODES:
            cells[(theme, plan_year(measure))].append(measure)
    years = sorted({year for (_, year) in cells if year is not None})
    unplanned = sum(len(v) for (_, year), v in cells.items() if year is None)
    return Plan(years, dict(cells), unplanned, sum(len(v) for v in cells.values()))


def set_planned_year(db: Session, measure: Measure, year: int | None) -> Measure:
    """Plan *measure* in *year* (None: back to its start date's year)."""
    measure.planned_year = year
    db.flush()
    return measure


def plan_rows(plan: Plan, lang: str) -> list[list]:
    """The plan as table rows for an export: year, theme, title, status, planned year."""
    rows = []
    for (theme, year), measures in sorted(plan.cells.items(),
                                          key=lambda item: (item[0][1] or 9999, item[0][0])):
        for m in measures:
            rows.append([year, themes.theme(theme).name(lang), m.title,
                         themes.status_label(m.status, lang), m.planned_year,
                         m.start_date, m.id])
    return rows


def milestone_rows(milestones: list[Milestone], lang: str, phase_name) -> list[list]:
    """Milestones as table rows for an export."""
    return [[m.due_on, m.title, m.description, m.done_on,
             themes.theme(m.theme).name(lang) if m.theme else "",
             phase_name(m.phase) if m.phase else ""] for m in milestones]
