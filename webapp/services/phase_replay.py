"""Reconstruct every park's phase on past days from what the database remembers.

Sources, per park:

- the audit log (:class:`AuditEntry`): created, changed and deleted theme profiles, indicator
  values, roadmaps and milestones, with their values, and the park's own creation;
- :class:`MeasureStatusChange` ``changed_at``: each measure's status over time (a measure without
  any history row has its current status from its creation on);
- :class:`PhaseOverride` ``created_at`` / ``cleared_at``: which override was active.

A row of those four tables without a "create" entry in the audit log (older than the log, or
written around the ORM) counts from its ``created_at`` with its current values. A day's facts
are those at the end of that Amsterdam calendar day. Facts are judged by
:func:`webapp.services.phases.build_facts` and the rule of :mod:`roadmap.phases`, exactly as the
live phase is, and only recomputed on days when something changed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import themes
from roadmap.phases import determine_phase, is_on_its_way
from sensors.validate import as_utc
from themes import RealisedMeasure

from ..models import (
    IndicatorValue,
    Milestone,
    ParkRoadmap,
    ThemeProfile,
)
from .phases import build_facts
from .themes import AMSTERDAM

# Audited tables whose rows make up the facts, with the columns the facts need.
TRACKED = {
    ThemeProfile.__tablename__: (ThemeProfile, ("baseline_year", "ambition_level")),
    IndicatorValue.__tablename__: (IndicatorValue, ("indicator", "value", "measured_on")),
    ParkRoadmap.__tablename__: (ParkRoadmap, ("adopted_on",)),
    Milestone.__tablename__: (Milestone, ()),
}


def amsterdam_day(moment: datetime) -> date:
    """The Amsterdam calendar day of a stored moment (naive moments are UTC)."""
    return as_utc(moment).astimezone(AMSTERDAM).date()


def _as_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


@dataclass(order=True)
class Event:
    """Something that changed a park's facts at a moment; *seq* keeps same-moment order."""

    moment: datetime
    seq: int
    kind: str = field(compare=False)          # a tracked table name, or "status"
    action: str = field(compare=False)        # create / update / delete (status: "set")
    key: int = field(compare=False)           # entity id or measure id
    data: dict = field(compare=False, default_factory=dict)


@dataclass
class MeasureInfo:
    """What the maturity rule needs of a measure besides its status."""

    themes: tuple[str, ...]
    catalogue_code: str | None
    title: str


@dataclass
class ParkHistory:
    """Everything known about one park's past, ready to replay."""

    park_id: int
    start: date
    events: list[Event] = field(default_factory=list)
    overrides: list[tuple[date, date | None, str]] = field(default_factory=list)

    def override_on(self, day: date) -> str | None:
        """The phase of the override active at the end of *day*, or None."""
        active = None
        for created, cleared, phase in self.overrides:
            if created <= day and (cleared is None or cleared > day):
                active = phase
        return active


class ParkState:
    """A park's rows as they stood at one moment of the replay."""

    def __init__(self, measures: dict[int, MeasureInfo]):
        self.rows: dict[str, dict[int, dict]] = {name: {} for name in TRACKED}
        self.statuses: dict[int, str] = {}
        self.measures = measures
        self.version = 0

    def apply(self, event: Event) -> None:
        """Apply one event."""
        self.version += 1
        if event.kind == "status":
            self.statuses[event.key] = event.data["status"]
            return
        rows = self.rows[event.kind]
        if event.action == "delete":
            rows.pop(event.key, None)
        elif event.action == "create" or event.key not in rows:
            rows[event.key] = dict(event.data)
        else:
            rows[event.key].update(event.data)

    def adopted_on(self) -> date | None:
        """The adoption date of the roadmap as it stood."""
        dates = [_as_date(r.get("adopted_on")) for r in self.rows["park_roadmap"].values()]
        return next((d for d in dates if d is not None), None)

    def latest_values(self) -> dict[str, float]:
        """The latest value per indicator (by date, then by entry), as the live page picks it."""
        best: dict[str, tuple] = {}
        for row_id, row in self.rows["indicator_value"].items():
            rank = (_as_date(row.get("measured_on")) or date.min, row_id)
            code = row.get("indicator")
            if code and (code not in best or rank > best[code][0]):
                best[code] = (rank, float(row.get("value") or 0.0))
        return {code: value for code, (_, value) in best.items()}

    def facts(self, day: date):
        """The park's facts at the end of *day*."""
        realised = [RealisedMeasure(info.themes, info.catalogue_code, info.title)
                    for mid, status in sorted(self.statuses.items())
                    if status == themes.REALISED and (info := self.measures.get(mid))]
        profiles = [(r.get("baseline_year"), r.get("ambition_level"))
                    for r in self.rows["theme_profile"].values()]
        return build_facts(
            profiles=profiles, latest=self.latest_values(), adopted_on=self.adopted_on(), day=day,
            milestones=len(self.rows["milestone"]), statuses=Counter(self.statuses.values()),
            realised=realised)


def days_between(first: date, last: date) -> Iterator[date]:
    """Every day from *first* to *last*, both included."""
    for n in range((last - first).days + 1):
        yield first + timedelta(days=n)


def replay(history: ParkHistory, measures: dict[int, MeasureInfo], until: date,
           skip: set[date] | frozenset = frozenset()) -> Iterator[dict]:
    """Snapshot rows of one park for every day from its start to *until* (days in *skip* are
    replayed but not yielded)."""
    state, events, position = ParkState(measures), history.events, 0
    cache: tuple | None = None
    for day in days_between(history.start, until):
        while position < len(events) and amsterdam_day(events[position].moment) <= day:
            state.apply(events[position])
            position += 1
        adopted = state.adopted_on()
        key = (state.version, adopted is not None and adopted <= day)
        if cache is None or cache[0] != key:
            facts = state.facts(day)
            cache = (key, determine_phase(facts), dict(facts.theme_levels))
        if day in skip:
            continue
        _, result, levels = cache
        override = history.override_on(day)
        phase = override or result.phase
        yield {"park_id": history.park_id, "day": day, "phase": phase,
               "computed_phase": result.phase, "overridden": override is not None,
               "on_its_way": is_on_its_way(phase), "theme_levels": levels}
