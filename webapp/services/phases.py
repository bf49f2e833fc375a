"""A park's phase from its data: the facts the rule of :mod:`roadmap.phases` looks at, the
rule's verdict, and the coordinator's override that replaces the phase that counts.

:func:`build_facts` is the one place where stored data becomes :class:`ParkFacts`; the live
queries here and the replay of history in :mod:`webapp.services.phase_replay` both feed it, so a
park's phase today and its reconstructed phase on a past day are judged the same way. Maturity
levels come from :func:`themes.assess_all` on the inputs :mod:`webapp.services.themes` selects
(realised measures, the latest value per indicator).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from sqlalchemy import ColumnElement, func, select, true
from sqlalchemy.orm import Session

import themes
from roadmap.phases import ParkFacts, PhaseResult, determine_phase, is_on_its_way
from themes import RealisedMeasure

from ..models import (
    Measure,
    Milestone,
    Park,
    ParkRoadmap,
    PhaseOverride,
    ThemeProfile,
)
from . import themes as theme_service

STARTED = ("in_uitvoering", themes.REALISED)


def build_facts(*, profiles: Iterable[tuple[int | None, int | None]],
                latest: Mapping[str, float], adopted_on: date | None, day: date,
                milestones: int, statuses: Mapping[str, int],
                realised: Sequence[RealisedMeasure]) -> ParkFacts:
    """The facts of one park on *day* from its stored data.

    *profiles* holds (baseline_year, ambition_level) per theme profile, *latest* the latest
    value per indicator, *statuses* the number of measures per status and *realised* the
    realised measures as the maturity rule takes them. The indicator count is the number of
    distinct indicators with a value (entered or measured), not of stored rows, so repeated
    entries of one indicator do not help a park reach the baseline phase.
    """
    profiles = list(profiles)
    ordered = tuple(sorted(realised, key=lambda m: (m.themes, m.catalogue_code or "", m.title)))
    levels = theme_levels(ordered, tuple(sorted(latest.items())))
    return ParkFacts(
        themes_with_baseline=sum(1 for baseline, _ in profiles if baseline is not None),
        indicator_values=len(latest),
        themes_with_ambition=sum(1 for _, ambition in profiles if ambition is not None),
        roadmap_adopted=adopted_on is not None and adopted_on <= day,
        milestones=milestones,
        measures_started=sum(statuses.get(s, 0) for s in STARTED),
        measures_realised=statuses.get(themes.REALISED, 0),
        themes_with_realised=sum(1 for code in themes.THEME_CODES
                                 if any(m.serves(code) for m in realised)),
        theme_levels=dict(levels),
    )


@lru_cache(maxsize=4096)
def theme_levels(realised: tuple[RealisedMeasure, ...],
                 latest: tuple[tuple[str, float], ...]) -> tuple[tuple[str, int], ...]:
    """(theme, level) per theme by :func:`themes.assess_all`; cached, since many parks (and
    many replayed days) share the same inputs."""
    return tuple((code, a.level) for code, a in themes.assess_all(realised, dict(latest)).items())


def _among(column, ids: list[int] | None) -> ColumnElement[bool]:
    return true() if ids is None else column.in_(ids)


def _profiles(db: Session, ids: list[int] | None) -> dict[int, list[tuple]]:
    rows = db.execute(select(ThemeProfile.park_id, ThemeProfile.baseline_year,
                             ThemeProfile.ambition_level)
                      .where(_among(ThemeProfile.park_id, ids)))
    grouped: dict[int, list[tuple]] = defaultdict(list)
    for park_id, baseline, ambition in rows:
        grouped[park_id].append((baseline, ambition))
    return grouped


def _counts(db: Session, column, ids: list[int] | None) -> dict[int, int]:
    return dict(db.execute(select(column, func.count()).where(_among(column, ids))
                           .group_by(column)).all())


def _statuses(db: Session, ids: list[int] | None) -> dict[int, Counter]:
    rows = db.execute(select(Measure.park_id, Measure.status, func.count())
                      .where(_among(Measure.park_id, ids))
                      .group_by(Measure.park_id, Measure.status))
    grouped: dict[int, Counter] = defaultdict(Counter)
    for park_id, status, n in rows:
        grouped[park_id][status] = n
    return grouped


def facts_for(db: Session, park_ids: Iterable[int] | None = None,
              day: date | None = None) -> dict[int, ParkFacts]:
    """The current facts of many parks (all parks when *park_ids* is None), in a few queries.

    *day* (default: today in Amsterdam) decides whether an adoption date has been reached.
    """
    ids = None if park_ids is None else list(park_ids)
    every = list(db.scalars(select(Park.id).where(_among(Park.id, ids)).order_by(Park.id)))
    day = day or theme_service.today_amsterdam()
    profiles, statuses = _profiles(db, ids), _statuses(db, ids)
    milestones = _counts(db, Milestone.park_id, ids)
    adopted = dict(db.execute(select(ParkRoadmap.park_id, ParkRoadmap.adopted_on)
                              .where(_among(ParkRoadmap.park_id, ids))).all())
    latest = theme_service.latest_values_for(db, every)
    realised = theme_service.realised_for(db, every)
    return {pid: build_facts(
        profiles=profiles.get(pid, []),
        latest=latest.get(pid, {}), adopted_on=adopted.get(pid), day=day,
        milestones=milestones.get(pid, 0), statuses=statuses.get(pid, Counter()),
        realised=realised.get(pid, [])) for pid in every}


def park_facts(db: Session, park: Park) -> ParkFacts:
    """The current facts of one park."""
    return facts_for(db, [park.id])[park.id]


@dataclass(frozen=True)
class ParkPhase:
    """A park's phase: the rule's verdict on its facts and, if set, the coordinator's override."""

    park_id: int
    facts: ParkFacts
    result: PhaseResult
    override: PhaseOverride | None = None

    @property
    def computed_phase(self) -> str:
        """The phase the rule gives."""
        return self.result.phase

    @property
    def phase(self) -> str:
        """The phase that counts: the override's when there is one."""
        return self.override.phase if self.override is not None else self.result.phase

    @property
    def overridden(self) -> bool:
        """Whether a coordinator's override decides the phase."""
        return self.override is not None

    @property
    def on_its_way(self) -> bool:
        """Whether the park counts as on its way (by the phase that counts)."""
        return is_on_its_way(self.phase)


def phase_of(park_id: int, facts: ParkFacts, override: PhaseOverride | None) -> ParkPhase:
    """Judge *facts* and combine the verdict with the active *override*."""
    return ParkPhase(park_id, facts, determine_phase(facts), override)


def current_phases(db: Session, park_ids: Iterable[int] | None = None) -> dict[int, ParkPhase]:
    """The current phase of many parks (all parks when *park_ids* is None)."""
    ids = None if park_ids is None else list(park_ids)
    facts = facts_for(db, ids)
    overrides = active_overrides(db, ids)
    return {pid: phase_of(pid, f, overrides.get(pid)) for pid, f in facts.items()}


def current_phase(db: Session, park: Park) -> ParkPhase:
    """The current phase of one park."""
    return current_phases(db, [park.id])[park.id]


def active_overrides(db: Session, park_ids: Iterable[int] | None = None
                     ) -> dict[int, PhaseOverride]:
    """Per park its active override: the newest one not cleared."""
    ids = None if park_ids is None else list(park_ids)
    rows = db.scalars(select(PhaseOverride)
                      .where(PhaseOverride.cleared_at.is_(None),
                             _among(PhaseOverride.park_id, ids))
                      .order_by(PhaseOverride.created_at, PhaseOverride.id))
    return {row.park_id: row for row in rows}


def active_override(db: Session, park: Park) -> PhaseOverride | None:
    """The park's active override, or None."""
    return active_overrides(db, [park.id]).get(park.id)


def override_history(db: Session, park: Park) -> list[PhaseOverride]:
    """Every override of the park, cleared ones included, newest first."""
    return list(db.scalars(select(PhaseOverride).where(PhaseOverride.park_id == park.id)
                           .order_by(PhaseOverride.created_at.desc(), PhaseOverride.id.desc())))
