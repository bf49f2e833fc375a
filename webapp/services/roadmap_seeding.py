"""Demo data for roadmaps: plans, milestones, planned years and a believable history of phases.

Each seeded park gets a timeline drawn with a random generator seeded by its slug: the day it
joined (ambassador parks and living labs in 2024, the others over 2024-2026), its baseline, a
first draft of the roadmap and, for most parks, the day the association adopted it. The park's
seeded facts are dated along that timeline: the "create" entries of the park, its theme profiles
and indicator values in the audit log (only ever moved back in time), and the roadmap and
milestones added here. The backfill then replays that history into daily phase snapshots, so
the national progress line rises over 2024-2026 the way the parks joined and adopted.

Dates depend on the slug and on REFERENCE (as in theme_seeding), not on the day of seeding. A
park that has a roadmap is left alone: seeding twice adds nothing.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from ..models import AuditEntry, IndicatorValue, Measure, Milestone, Park, ParkRoadmap, ThemeProfile
from . import roadmap_seeding_data as data
from .phase_snapshots import backfill, take_snapshots
from .theme_seeding import REFERENCE
from .themes import today_amsterdam

JOIN_FROM = date(2024, 1, 8)
VALUE_DELAY = timedelta(days=45)


@dataclass(frozen=True)
class Timeline:
    """The days a park joined, measured its baseline, drafted and (maybe) adopted its roadmap."""

    joined: date
    baseline: date
    draft: date
    adopted: date | None


def _rng(park: Park) -> random.Random:
    return random.Random(f"werklandschap-roadmap:{park.slug}")


def _role(park: Park) -> str:
    return park.programme_role if park.programme_role in data.JOIN_WINDOW else "deelnemer"


def last_seeded_day() -> date:
    """The latest day seeded history may fall on: before today, and not after REFERENCE."""
    return min(REFERENCE, today_amsterdam() - timedelta(days=1))


def timeline(park: Park, rng: random.Random) -> Timeline:
    """The park's demo timeline (always drawn in the same order, so it is the same each run)."""
    last, role = last_seeded_day(), _role(park)
    joined = min(JOIN_FROM + timedelta(days=rng.randint(*data.JOIN_WINDOW[role])), last)
    baseline = min(joined + timedelta(days=rng.randint(*data.BASELINE_DAYS)), last)
    draft = min(baseline + timedelta(days=rng.randint(*data.DRAFT_DAYS)), last)
    adopted = draft + timedelta(days=rng.randint(*data.ADOPTION_DAYS))
    if rng.random() >= data.ADOPTION_CHANCE[role] or adopted > last:
        adopted = None
    return Timeline(joined, baseline, draft, adopted)


def moment(day: date) -> datetime:
    """10:00 in Amsterdam (09:00 UTC in winter) of *day*, in UTC."""
    return datetime.combine(day, time(9, 0), tzinfo=UTC)


def _done(due: date, rng: random.Random, chance: float) -> date | None:
    last = last_seeded_day()
    if due > last or rng.random() >= chance:
        return None
    return min(due + timedelta(days=rng.randint(-20, 15)), last)


def _milestones(park: Park, line: Timeline, rng: random.Random) -> list[Milestone]:
    start = line.adopted or line.draft
    phase_dues = (line.baseline, line.adopted or line.draft + timedelta(days=120),
                  start + timedelta(days=rng.randint(300, 500)))
    chosen = []
    for (title, text, _, phase), due in zip(data.PHASE_MILESTONES, phase_dues, strict=True):
        done = {"nulmeting": line.baseline, "roadmap": line.adopted}.get(phase)
        if phase == "uitvoering":
            done = _done(due, rng, 0.6)
        chosen.append(Milestone(park_id=park.id, title=title, description=text, due_on=due,
                                done_on=done, phase=phase))
    due = start
    for title, text, theme in rng.sample(data.THEME_MILESTONES, rng.randint(2, 4)):
        due = due + timedelta(days=rng.randint(90, 330))
        chosen.append(Milestone(park_id=park.id, title=title, description=text, due_on=due,
                                done_on=_done(due, rng, 0.75), theme=theme))
    return chosen


def _roadmap(park: Park, line: Timeline, rng: random.Random) -> ParkRoadmap:
    vision = rng.choice(data.VISIONS).format(name=park.name, municipality=park.municipality)
    note = data.NOTES[0] if line.adopted else data.NOTES[1]
    return ParkRoadmap(park_id=park.id, vision=vision, adopted_on=line.adopted,
                       target_year=rng.choice((2030, 2030, 2032)), notes=note)


def _plan_years(db: Session, park: Park, rng: random.Random) -> None:
    """Ideas and plans without a start date get a year on the roadmap."""
    for measure in db.scalars(select(Measure).where(
            Measure.park_id == park.id, Measure.start_date.is_(None),
            Measure.planned_year.is_(None), Measure.status.in_(("idee", "gepland")))
            .order_by(Measure.id)):
        measure.planned_year = rng.choice((2027, 2027, 2028, 2029))


_MOVE = (update(AuditEntry.__table__)
         .where(AuditEntry.entity == bindparam("table_name"),
                AuditEntry.entity_id == bindparam("row_id"),
                AuditEntry.action == "create", AuditEntry.at > bindparam("new_at"))
         .values(at=bindparam("new_at")))


def _dated(db: Session, model, rows: Iterable[tuple[int, datetime]]) -> None:
    """Move the "create" audit entries (and created_at) of *model* rows back to their moment."""
    params = [{"table_name": model.__tablename__, "row_id": row_id, "new_at": at}
              for row_id, at in rows]
    if not params:
        return
    db.execute(_MOVE, params)
    db.execute(update(model.__table__).where(model.__table__.c.id == bindparam("row_id"),
                                             model.__table__.c.created_at > bindparam("new_at"))
               .values(created_at=bindparam("new_at")),
               [{"row_id": p["row_id"], "new_at": p["new_at"]} for p in params])


def _value_moment(measured_on: date, line: Timeline) -> datetime:
    return moment(min(max(line.baseline, measured_on + VALUE_DELAY), last_seeded_day()))


def _backdate(db: Session, park: Park, line: Timeline, added: list) -> None:
    db.flush()
    _dated(db, Park, [(park.id, moment(line.joined))])
    profiles = db.scalars(select(ThemeProfile.id).where(ThemeProfile.park_id == park.id))
    _dated(db, ThemeProfile, [(pid, moment(line.baseline)) for pid in profiles])
    values = db.execute(select(IndicatorValue.id, IndicatorValue.measured_on)
                        .where(IndicatorValue.park_id == park.id))
    _dated(db, IndicatorValue, [(vid, _value_moment(on, line)) for vid, on in values])
    _dated(db, ParkRoadmap, [(r.id, moment(line.draft)) for r in added
                             if isinstance(r, ParkRoadmap)])
    _dated(db, Milestone, [(m.id, moment(line.draft)) for m in added
                           if isinstance(m, Milestone)])


def _seed_park(db: Session, park: Park) -> None:
    rng = _rng(park)
    line = timeline(park, rng)
    added = [_roadmap(park, line, rng), *_milestones(park, line, rng)]
    db.add_all(added)
    _plan_years(db, park, rng)
    _backdate(db, park, line, added)
    db.expire(park, ["created_at"])


def seed_roadmaps(db: Session, parks: list[Park]) -> int:
    """Add roadmaps, milestones and planned years for the seeded *parks* (skipping parks with
    a roadmap), then backfill the daily phase snapshots and take today's. Returns how many
    roadmaps were added. Flushes only; the caller commits."""
    have = set(db.scalars(select(ParkRoadmap.park_id)))
    added = 0
    for park in sorted(parks, key=lambda p: p.slug):
        if park.id in have:
            continue
        _seed_park(db, park)
        added += 1
    db.flush()
    backfill(db)
    take_snapshots(db)
    return added
