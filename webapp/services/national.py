"""National progress toward the target, read from the stored phase snapshots.

Every figure here is an aggregate of stored facts (:class:`PhaseSnapshot` rows written by
``werklandschap snapshots`` and the backfill): nothing recomputes a park's phase per request.
The coordinators' dashboard, the public page, the report export and the API all take their
figures from :func:`national_overview`.

Counting rule for the public: parks without a public profile **are counted** in every total
(a count names nobody), but they are never named. With ``public=True`` the list of living labs
and ambassador parks holds public parks only, with their identity fields (name, province,
programme role) and no phase, because a park's phase is derived from its theme profile,
measures and roadmap, which the park may keep private.

Small provinces on the public view: a province with fewer than ``MIN_PROVINCE_PARKS`` (3)
registered parks shows only its number of parks; its parks on their way and its parks per
phase are withheld (``withheld="few_parks"``), since with one or two parks, often none of them
public, the breakdown would tell a non-public park's phase. Because the national funnel and
total are shown as well, the withheld provinces together must also hold at least 3 parks, or
their breakdown would follow from the national figures minus the shown provinces: the smallest
other provinces are then withheld too (``withheld="complement"``). The coordinators' view is
complete.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

import themes
from roadmap.forecast import Forecast, forecast
from roadmap.phases import PHASE_CODES
from roadmap.programme import PROVINCES
from roadmap.progress import Progress, progress
from roadmap.target import Target

from ..models import Measure, Park, PhaseSnapshot
from .phase_snapshots import snapshot_days

# Up to this many days of history the progress line has a point per day; beyond, per week.
DAILY_UP_TO_DAYS = 120
MAX_POINTS = 260
TOP_MEASURES = 10
LEVEL_NUMBERS: tuple[int, ...] = tuple(level.number for level in themes.LEVELS)
SPOTLIGHT_ROLES: tuple[str, ...] = ("living_lab", "ambassadeursterrein")
# Provinces with fewer registered parks show no phase breakdown on the public view.
MIN_PROVINCE_PARKS = 3


@dataclass(frozen=True)
class SeriesPoint:
    """Parks on their way on one day."""

    day: date
    on_its_way: int


@dataclass(frozen=True)
class ProvinceRow:
    """One province: parks registered, parks on their way and parks per phase.

    On the public view a small province has *on_its_way* and *phases* None and *withheld* says
    why: "few_parks" (fewer than MIN_PROVINCE_PARKS) or "complement" (withheld so that the
    small ones cannot be worked out from the national totals).
    """

    province: str
    registered: int
    on_its_way: int | None
    phases: Mapping[str, int] | None
    withheld: str | None = None

    @property
    def shown(self) -> bool:
        """Whether the breakdown is shown."""
        return self.withheld is None


@dataclass(frozen=True)
class ThemeCoverage:
    """How many parks stand at each maturity level (0..4) of one theme."""

    theme: str
    levels: tuple[int, ...]

    def reached(self, level: int) -> int:
        """Parks at *level* or higher."""
        return sum(self.levels[level:])


@dataclass(frozen=True)
class SpotlightPark:
    """A living lab or ambassador park; *phase* is None on the public page."""

    slug: str
    name: str
    province: str
    role: str
    phase: str | None


@dataclass(frozen=True)
class TopMeasure:
    """A catalogue measure and the number of parks that realised it."""

    code: str
    parks: int


@dataclass(frozen=True)
class NationalOverview:
    """Everything the national pages show; *day* is None while there are no snapshots."""

    target: Target
    day: date | None
    registered: int
    progress: Progress | None = None
    forecast: Forecast | None = None
    series: tuple[SeriesPoint, ...] = ()
    funnel: Mapping[str, int] = field(default_factory=dict)
    provinces: tuple[ProvinceRow, ...] = ()
    themes: tuple[ThemeCoverage, ...] = ()
    spotlight: tuple[SpotlightPark, ...] = ()
    top_measures: tuple[TopMeasure, ...] = ()

    @property
    def snapshotted(self) -> int:
        """Parks with a snapshot on the latest day (parks registered since are not counted)."""
        return sum(self.funnel.values())


def target_from_config(config: Mapping) -> Target:
    """The national target from TARGET_PARKS, PROGRAMME_START and TARGET_DATE; ValueError
    naming the setting when one is not valid."""
    parks = _whole_number(config.get("TARGET_PARKS"), "TARGET_PARKS")
    start = _iso_date(config.get("PROGRAMME_START"), "PROGRAMME_START")
    end = _iso_date(config.get("TARGET_DATE"), "TARGET_DATE")
    try:
        return Target(parks, start, end)
    except ValueError as exc:
        raise ValueError(f"TARGET_PARKS/PROGRAMME_START/TARGET_DATE: {exc}") from exc


def _whole_number(value, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(f"{key} must be a whole number, not {value!r}")
    try:
        return int(str(value).strip())
    except ValueError:
        raise ValueError(f"{key} must be a whole number, not {value!r}") from None


def _iso_date(value, key: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"{key} must be a date as YYYY-MM-DD, not {value!r}") from None


def sample_days(first: date, last: date) -> list[date]:
    """The days the progress line is drawn on: every day for short histories, else every
    week (or a multiple of it, at most MAX_POINTS points), counted back from *last*."""
    span = (last - first).days
    weeks = max(1, math.ceil(span / (7 * MAX_POINTS)))
    step = 1 if span <= DAILY_UP_TO_DAYS else 7 * weeks
    days = [last - timedelta(days=n) for n in range(0, span + 1, step)]
    if days[-1] != first:
        days.append(first)
    return sorted(days)


def progress_series(db: Session, days: list[date]) -> tuple[SeriesPoint, ...]:
    """Parks on their way on each of *days* that has snapshots.

    Counts only on-its-way rows (a GROUP BY day), then asks which of the days without any
    such row have snapshots at all: those count 0, days without snapshots are left out.
    """
    if not days:
        return ()
    stmt = (select(PhaseSnapshot.day, func.count())
            .where(PhaseSnapshot.on_its_way, PhaseSnapshot.day.in_(days))
            .group_by(PhaseSnapshot.day))
    counts = {day: int(n) for day, n in db.execute(stmt)}
    missing = [day for day in days if day not in counts]
    if missing:
        present = select(PhaseSnapshot.day).where(PhaseSnapshot.day.in_(missing)).group_by(
            PhaseSnapshot.day)
        counts.update(dict.fromkeys(db.scalars(present), 0))
    return tuple(SeriesPoint(day, counts[day]) for day in sorted(counts))


def province_rows(db: Session, day: date | None) -> tuple[ProvinceRow, ...]:
    """Per province: parks registered, on their way and per phase on *day*."""
    stmt = (select(Park.province, PhaseSnapshot.phase, PhaseSnapshot.on_its_way, func.count())
            .outerjoin(PhaseSnapshot, (PhaseSnapshot.park_id == Park.id)
                       & (PhaseSnapshot.day == day))
            .group_by(Park.province, PhaseSnapshot.phase, PhaseSnapshot.on_its_way))
    registered, on_way = Counter(), Counter()
    phases: dict[str, Counter] = {}
    for province, phase, way, n in db.execute(stmt):
        registered[province] += n
        on_way[province] += n if way else 0
        if phase is not None:
            phases.setdefault(province, Counter())[phase] += n
    names = [*PROVINCES, *sorted(set(registered) - set(PROVINCES))]
    return tuple(ProvinceRow(p, registered[p], on_way[p],
                             {code: phases.get(p, Counter())[code] for code in PHASE_CODES})
                 for p in names)


def withhold_small_provinces(rows: tuple[ProvinceRow, ...]) -> tuple[ProvinceRow, ...]:
    """The rows for the public view: the breakdown of provinces with 1 or 2 parks withheld,
    and of the smallest other provinces while the withheld ones hold fewer than 3 together."""
    small = {r.province for r in rows if 0 < r.registered < MIN_PROVINCE_PARKS}
    hidden = sum(r.registered for r in rows if r.province in small)
    others = sorted((r for r in rows if r.registered >= MIN_PROVINCE_PARKS),
                    key=lambda r: (r.registered, r.province))
    complement = set()
    while 0 < hidden < MIN_PROVINCE_PARKS and others:
        extra = others.pop(0)
        complement.add(extra.province)
        hidden += extra.registered
    return tuple(_withheld(r, "few_parks") if r.province in small else
                 _withheld(r, "complement") if r.province in complement else r for r in rows)


def _withheld(row: ProvinceRow, reason: str) -> ProvinceRow:
    return ProvinceRow(row.province, row.registered, None, None, reason)


def funnel_of(rows: tuple[ProvinceRow, ...]) -> dict[str, int]:
    """Parks per phase over all provinces, in phase order."""
    return {code: sum(row.phases[code] for row in rows) for code in PHASE_CODES}


def theme_coverage(db: Session, day: date) -> tuple[ThemeCoverage, ...]:
    """Per theme the number of parks at each level on *day* (a missing theme counts as 0)."""
    stmt = select(PhaseSnapshot.theme_levels).where(PhaseSnapshot.day == day)
    parks, pairs = 0, Counter()
    for levels in db.scalars(stmt):
        parks += 1
        pairs.update((levels or {}).items())
    result = []
    for code in themes.THEME_CODES:
        above = [pairs[(code, n)] for n in LEVEL_NUMBERS[1:]]
        result.append(ThemeCoverage(code, (parks - sum(above), *above)))
    return tuple(result)


def spotlight_parks(db: Session, day: date | None, *, public: bool) -> tuple[SpotlightPark, ...]:
    """Living labs and ambassador parks; with *public*, public parks only and no phase."""
    stmt = (select(Park.slug, Park.name, Park.province, Park.programme_role,
                   PhaseSnapshot.phase)
            .outerjoin(PhaseSnapshot, (PhaseSnapshot.park_id == Park.id)
                       & (PhaseSnapshot.day == day))
            .where(Park.programme_role.in_(SPOTLIGHT_ROLES))
            .order_by(Park.name, Park.id))
    if public:
        stmt = stmt.where(Park.is_public.is_(True))
    parks = [SpotlightPark(slug, name, province, role, None if public else phase)
             for slug, name, province, role, phase in db.execute(stmt)]
    # Per role, the parks furthest along first (a park without a known phase last).
    return tuple(sorted(parks, key=lambda p: (SPOTLIGHT_ROLES.index(p.role),
                                              -_phase_rank(p.phase))))


def _phase_rank(code: str | None) -> int:
    return PHASE_CODES.index(code) if code in PHASE_CODES else -1


def top_measures(db: Session, limit: int = TOP_MEASURES) -> tuple[TopMeasure, ...]:
    """Catalogue measures by the number of parks that realised them, most first.

    Grouped on ``coalesce(catalogue_code, '')`` rather than the bare column: on the bare
    column SQLite walks the catalogue_code index and reads the table in random order, several
    times slower than one pass over the measures.
    """
    code = func.coalesce(Measure.catalogue_code, "")
    parks = func.count(Measure.park_id.distinct())
    stmt = (select(code, parks).where(Measure.status == themes.REALISED)
            .group_by(code).order_by(parks.desc(), code).limit(limit + 1))
    ranked = [TopMeasure(c, int(n)) for c, n in db.execute(stmt) if c]
    return tuple(ranked[:limit])


def registered_parks(db: Session) -> int:
    """All parks in the registry."""
    return db.scalar(select(func.count()).select_from(Park)) or 0


def national_overview(db: Session, target: Target, *, public: bool = False) -> NationalOverview:
    """The national figures on the latest snapshot day (see the module docstring for what
    *public* leaves out: non-public parks' names, spotlight phases, small provinces'
    breakdown)."""
    first, last = snapshot_days(db)
    if last is None:
        return NationalOverview(target=target, day=None, registered=registered_parks(db),
                                top_measures=top_measures(db))
    series = progress_series(db, sample_days(first, last))
    provinces = province_rows(db, last)
    funnel = funnel_of(provinces)
    actual = sum(row.on_its_way for row in provinces)
    history = [(point.day, point.on_its_way) for point in series]
    return NationalOverview(
        target=target, day=last, registered=sum(row.registered for row in provinces),
        progress=progress(target, last, actual),
        forecast=forecast(history, target, last),
        series=series, funnel=funnel,
        provinces=withhold_small_provinces(provinces) if public else provinces,
        themes=theme_coverage(db, last),
        spotlight=spotlight_parks(db, last, public=public),
        top_measures=top_measures(db))
