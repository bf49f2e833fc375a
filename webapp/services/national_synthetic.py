"""A synthetic national registry for `werklandschap bench national`, written with bulk inserts.

Parks are spread over the twelve provinces (weighted roughly by how many business parks each
has), measures get statuses and theme links, and every park gets one phase snapshot per day
from the history's first day to its last, as `werklandschap snapshots` writes them. A park's
path through the phases follows an S-curve: a few parks adopted a roadmap early, most will
later. Everything goes in through Core ``insert()`` executemany in chunks, never row by row.
All parks carry the slug prefix ``nat-`` so a bench on a shared database can remove them again.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Connection, delete, insert, select

import themes
from roadmap.phases import PHASE_CODES, is_on_its_way
from roadmap.programme import ORGANISATION_FORMS, PROVINCES

from ..models import DEFAULT_PUBLIC_FIELDS, Measure, MeasureTheme, Park, PhaseSnapshot

SLUG_PREFIX = "nat-"
CHUNK = 20_000
# Relative number of business parks per province (PROVINCES order), a rough national picture.
PROVINCE_WEIGHTS = (4, 3, 5, 13, 4, 7, 16, 8, 8, 5, 3, 14)
STATUS_WEIGHTS = {"idee": 20, "gepland": 25, "in_uitvoering": 20, "gerealiseerd": 30,
                  "gestopt": 5}
# Typical maturity levels (low, high) per phase, drawn per theme.
PHASE_LEVELS = {"aangemeld": (0, 1), "nulmeting": (0, 1), "roadmap": (1, 2),
                "uitvoering": (1, 3), "werklandschap": (3, 4)}


@dataclass(frozen=True)
class SyntheticPlan:
    """How big the registry is and the days of snapshot history (*first* to *last*)."""

    parks: int = 3800
    measures: int = 100_000
    first: date = date(2024, 1, 1)
    last: date = field(default_factory=date.today)
    seed: int = 2026
    # The parks' S-curve is anchored here, whatever part of it the history shows.
    programme_start: date = date(2024, 1, 1)


@dataclass(frozen=True)
class SyntheticResult:
    """Rows written."""

    parks: int
    measures: int
    theme_links: int
    snapshots: int


def build_registry(conn: Connection, plan: SyntheticPlan,
                   log: Callable[[str], None] = lambda _m: None) -> SyntheticResult:
    """Write parks, measures and the snapshot history of *plan* on *conn* (caller commits)."""
    rng = random.Random(plan.seed)
    park_ids = _insert_parks(conn, plan, rng)
    log(f"{len(park_ids)} parks")
    measures, links = _insert_measures(conn, park_ids, plan.measures, rng)
    log(f"{measures} measures, {links} theme links")
    snapshots = 0
    for rows in _chunks(_snapshot_rows(park_ids, plan, rng)):
        conn.execute(insert(PhaseSnapshot), rows)
        snapshots += len(rows)
    log(f"{snapshots} phase snapshots")
    return SyntheticResult(len(park_ids), measures, links, snapshots)


def remove_registry(conn: Connection) -> int:
    """Delete the synthetic parks (their measures and snapshots go with them)."""
    park_ids = list(conn.scalars(select(Park.id).where(Park.slug.like(f"{SLUG_PREFIX}%"))))
    for start in range(0, len(park_ids), 500):
        part = park_ids[start:start + 500]
        conn.execute(delete(PhaseSnapshot).where(PhaseSnapshot.park_id.in_(part)))
        conn.execute(delete(Measure).where(Measure.park_id.in_(part)))
        conn.execute(delete(Park).where(Park.id.in_(part)))
    return len(park_ids)


def _chunks(rows: Iterator[dict], size: int = CHUNK) -> Iterator[list[dict]]:
    chunk: list[dict] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _park_row(n: int, rng: random.Random, created: datetime) -> dict:
    province = rng.choices(PROVINCES, PROVINCE_WEIGHTS)[0]
    role = rng.choices(("deelnemer", "living_lab", "ambassadeursterrein"), (90, 7, 3))[0]
    return {"slug": f"{SLUG_PREFIX}{n:05d}", "name": f"Benchterrein {n}",
            "municipality": f"Gemeente {n % 340}", "province": province,
            "organisation_form": rng.choice(ORGANISATION_FORMS), "programme_role": role,
            "description": "Synthetic park for the national benchmark.",
            "is_public": rng.random() < 0.9, "public_fields": list(DEFAULT_PUBLIC_FIELDS),
            "jobs": rng.randint(50, 9000), "companies_count": rng.randint(5, 400),
            "created_at": created, "updated_at": created}


def _insert_parks(conn: Connection, plan: SyntheticPlan, rng: random.Random) -> list[int]:
    created = datetime.combine(plan.first, datetime.min.time(), UTC)
    rows = [_park_row(n, rng, created) for n in range(1, plan.parks + 1)]
    stmt = insert(Park).returning(Park.id, sort_by_parameter_order=True)
    return list(conn.scalars(stmt, rows))


def _measure_row(park_id: int, n: int, rng: random.Random) -> tuple[dict, tuple[str, ...]]:
    status = rng.choices(list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values()))[0]
    if rng.random() < 0.85:
        entry = rng.choice(themes.MEASURES)
        code, title, theme_codes = entry.code, entry.name_nl, entry.themes
    else:
        code, title, theme_codes = None, f"Eigen maatregel {n}", (rng.choice(themes.THEME_CODES),)
    row = {"park_id": park_id, "catalogue_code": code, "title": title, "status": status,
           "planned_year": rng.randint(2024, 2033), "evidence_links": []}
    return row, theme_codes


def _insert_measures(conn: Connection, park_ids: list[int], count: int,
                     rng: random.Random) -> tuple[int, int]:
    links = 0
    for start in range(0, count, CHUNK):
        drawn = [_measure_row(rng.choice(park_ids), n, rng)
                 for n in range(start, min(count, start + CHUNK))]
        stmt = insert(Measure).returning(Measure.id, sort_by_parameter_order=True)
        ids = list(conn.scalars(stmt, [row for row, _ in drawn]))
        link_rows = [{"measure_id": mid, "theme": code, "position": pos}
                     for mid, (_, codes) in zip(ids, drawn, strict=True)
                     for pos, code in enumerate(codes)]
        conn.execute(insert(MeasureTheme), link_rows)
        links += len(link_rows)
    return count, links


def _path(plan: SyntheticPlan, rng: random.Random) -> list[tuple[date, str]]:
    """The days a park enters each phase (an S-curve centred some years into the programme)."""
    start = min(plan.first, plan.programme_start)
    centre = plan.programme_start + timedelta(days=int(rng.gauss(5.5, 1.6) * 365))
    entered = [(start, PHASE_CODES[0])]
    day = centre - timedelta(days=rng.randint(90, 600))
    for code, gap in zip(PHASE_CODES[1:], (0, 0, 1, 3), strict=True):
        day = max(day, entered[-1][0]) + timedelta(days=gap * rng.randint(120, 365))
        if code == "roadmap":
            day = max(day, centre)
        entered.append((day, code))
    return entered


def _levels(code: str, rng: random.Random) -> dict[str, int]:
    low, high = PHASE_LEVELS[code]
    return {theme: rng.randint(low, high) for theme in themes.THEME_CODES}


def _snapshot_rows(park_ids: list[int], plan: SyntheticPlan,
                   rng: random.Random) -> Iterator[dict]:
    """Day by day, every park: the order in which the daily snapshot command writes them."""
    paths = {park_id: _path(plan, rng) for park_id in park_ids}
    levels = {park_id: {code: _levels(code, rng) for _, code in path}
              for park_id, path in paths.items()}
    at = dict.fromkeys(park_ids, 0)
    for offset in range((plan.last - plan.first).days + 1):
        day = plan.first + timedelta(days=offset)
        for park_id, path in paths.items():
            while at[park_id] + 1 < len(path) and path[at[park_id] + 1][0] <= day:
                at[park_id] += 1
            code = path[at[park_id]][1]
            yield {"park_id": park_id, "day": day, "phase": code, "computed_phase": code,
                   "overridden": False, "on_its_way": is_on_its_way(code),
                   "theme_levels": levels[park_id][code]}


def phase_share(conn: Connection, day: date) -> dict[str, int]:
    """Parks per phase on *day* (to describe the synthetic registry in the bench output)."""
    stmt = select(PhaseSnapshot.phase).where(PhaseSnapshot.day == day)
    counts = dict.fromkeys(PHASE_CODES, 0)
    for code in conn.scalars(stmt):
        counts[code] += 1
    return counts
