"""Demo theme data for the seeded parks: profiles, indicator values, measures, experiments and
adoptions.

Showcase parks get the hand-written measures of seed_data/measures_demo.csv; the other parks get
catalogue measures and own measures (rows with park "*") drawn with a random generator seeded by
the park's slug, so every run gives the same data. A park that already has a theme profile is
left alone, and an adoption that exists is not made again: seeding twice adds nothing.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

import themes

from ..models import (
    Company,
    Experiment,
    IndicatorValue,
    Measure,
    MeasureStatusChange,
    Park,
    ThemeProfile,
)
from . import theme_seeding_data as tables
from .experiments import adopt_measure
from .seed_files import seed_file
from .themes import park_assessments, update_profiles

# History before this date only: the demo data stays the same whatever day it is seeded.
REFERENCE = date(2026, 11, 1)
VALUE_DATES = (date(2023, 6, 30), date(2024, 6, 30), date(2025, 6, 30))
PATHS = {
    "idee": ("idee",),
    "gepland": ("idee", "gepland"),
    "in_uitvoering": ("idee", "gepland", "in_uitvoering"),
    "gerealiseerd": ("idee", "gepland", "in_uitvoering", "gerealiseerd"),
    "gestopt": ("idee", "gepland", "gestopt"),
}


def load_rows() -> list[dict[str, str]]:
    """The rows of seed_data/measures_demo.csv."""
    text = seed_file("measures_demo.csv").decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _rng(park: Park) -> random.Random:
    return random.Random(f"werklandschap-themes:{park.slug}")


def _day(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def _moment(day: date) -> datetime:
    return datetime.combine(min(day, REFERENCE), time(9, 0), tzinfo=UTC)


def _append_steps(measure: Measure, steps: list[tuple[str, date]]) -> None:
    """Status changes at strictly increasing moments (history is ordered by time)."""
    last = measure.status_changes[-1].changed_at if measure.status_changes else None
    for status, day in steps:
        moment = _moment(day)
        if last is not None and moment <= last:
            moment = last + timedelta(hours=1)
        previous = measure.status_changes[-1].to_status if measure.status_changes else None
        measure.status_changes.append(MeasureStatusChange(
            from_status=previous, to_status=status, changed_at=moment))
        measure.status, last = status, moment


def _history(measure: Measure, start: date | None, end: date | None, rng: random.Random) -> None:
    """Status steps from idea to the measure's status, dated around its start and end."""
    anchor = start or date(2025, rng.randint(1, 12), rng.randint(1, 28))
    moments = {"idee": anchor - timedelta(days=150), "gepland": anchor - timedelta(days=60),
               "in_uitvoering": anchor, "gerealiseerd": end or anchor + timedelta(days=120),
               "gestopt": anchor + timedelta(days=30)}
    _append_steps(measure, [(step, moments[step]) for step in PATHS[measure.status]])
    measure.created_at = measure.status_changes[0].changed_at


def _company(db: Session, park: Park, name: str) -> int | None:
    if not name:
        return None
    return db.scalar(select(Company.id).where(Company.park_id == park.id, Company.name == name))


def _measure_from_row(db: Session, park: Park, row: dict[str, str],
                      rng: random.Random) -> Measure:
    code = row["catalogue_code"] or None
    catalogue = themes.catalogue_measure(code) if code else None
    start, end = _day(row["start_date"]), _day(row["end_date"])
    if row["park_slug"] == "*" and not start:
        start, end = _dates(row["status"], rng)
    measure = Measure(
        park=park, catalogue_code=code, title=row["title"] or catalogue.name_nl,
        description=catalogue.description_nl if catalogue else "", status=row["status"],
        start_date=start, end_date=end,
        cost_eur=Decimal(row["cost_eur"]) if row["cost_eur"] else None,
        funding_source=row["funding_source"], lead_company_id=_company(db, park,
                                                                        row["lead_company"]),
        partners=row["partners"], expected_effect=row["expected_effect"],
        measured_effect=row["measured_effect"],
        evidence_links=[u for u in row["evidence_links"].split("|") if u])
    measure.themes = row["themes"].split("|") if row["themes"] else list(catalogue.themes)
    _history(measure, start, end, rng)
    db.add(measure)
    if row["hypothesis"]:
        db.add(_experiment(measure, row, start, end))
    return measure


def _experiment(measure: Measure, row: dict[str, str], start: date | None,
                end: date | None) -> Experiment:
    return Experiment(
        measure=measure, hypothesis=row["hypothesis"], indicator=row["indicator"] or None,
        knowledge_partners=row["knowledge_partners"], start_date=start,
        end_date=end if row["outcome"] else None, outcome=row["outcome"] or None,
        results=row["results"], lessons=row["lessons"])


def _dates(status: str, rng: random.Random) -> tuple[date | None, date | None]:
    month = rng.randint(1, 12)
    if status == "idee":
        return None, None
    if status == "gepland":
        start = date(2027, month, 1)
        return start, start + timedelta(days=rng.randint(180, 420))
    if status == "in_uitvoering":
        start = date(2025, month, 1)
        return start, date(2027, rng.randint(1, 12), 28)
    start = date(rng.randint(2020, 2024), month, 1)
    if status == "gestopt":
        return start, None
    return start, start + timedelta(days=rng.randint(60, 360))


def _generated_rows(park: Park, pool: list[dict[str, str]],
                    rng: random.Random) -> list[dict[str, str]]:
    role = park.programme_role if park.programme_role in tables.MEASURE_COUNT else "deelnemer"
    count = rng.randint(*tables.MEASURE_COUNT[role])
    rows = []
    for measure in rng.sample(themes.MEASURES, count):
        status = rng.choices(themes.MEASURE_STATUSES, tables.STATUS_WEIGHTS[role])[0]
        start, end = _dates(status, rng)
        low, high = tables.COST_RANGES[measure.primary_theme]
        cost = round(rng.randint(low, high), -3) if status != "idee" else None
        rows.append({
            "park_slug": park.slug, "catalogue_code": measure.code, "title": "",
            "themes": "", "status": status, "start_date": start.isoformat() if start else "",
            "end_date": end.isoformat() if end else "", "cost_eur": str(cost or ""),
            "funding_source": rng.choice(tables.FUNDING[measure.primary_theme])
            if cost else "", "lead_company": "", "partners": "", "expected_effect": "",
            "measured_effect": "", "evidence_links": "", "hypothesis": "", "adopted_from": "",
        })
    if pool and rng.random() < 0.7:
        rows.append({**rng.choice(pool), "park_slug": "*"})
    return rows


def _indicator_values(db: Session, park: Park, rng: random.Random) -> None:
    role = park.programme_role if park.programme_role in tables.ROLE_MATURITY else "deelnemer"
    maturity = tables.ROLE_MATURITY[role]
    for code, (worst, best, decimals) in tables.INDICATOR_RANGES.items():
        if rng.random() > (0.95 if role != "deelnemer" else 0.7):
            continue
        quality = min(1.0, max(0.0, maturity + rng.gauss(0, 0.18)))
        years = VALUE_DATES[-rng.randint(1, len(VALUE_DATES)):]
        for i, day in enumerate(years):
            q = max(0.0, quality - 0.08 * (len(years) - 1 - i))
            value = round(worst + (best - worst) * q, decimals)
            if code == "shared_mobility_hub":
                value = 1.0 if q >= 0.6 else 0.0
            db.add(IndicatorValue(park=park, indicator=code, value=float(value), measured_on=day,
                                  source="manual", is_measured=code in
                                  tables.MEASURED_INDICATORS or rng.random() < 0.4))


def _profiles(db: Session, park: Park, rng: random.Random) -> None:
    db.flush()
    data = {}
    for code, assessment in park_assessments(db, park).items():
        baseline = max(0, assessment.level - rng.choice((0, 1, 1, 2)))
        data[code] = {"baseline_level": baseline, "baseline_year": 2023,
                      "ambition_level": min(4, assessment.level + rng.choice((1, 1, 2))),
                      "ambition_year": rng.choice((2028, 2030, 2030, 2032))}
    update_profiles(db, park, data)


def _seeded(db: Session, park: Park) -> bool:
    return db.scalar(select(ThemeProfile.id).where(ThemeProfile.park_id == park.id)
                     .limit(1)) is not None


def seed_themes(db: Session, parks: Iterable[Park]) -> int:
    """Give *parks* demo theme data (skipping parks that have a profile); returns the number of
    measures added, adoptions included. Flushes only; the caller commits."""
    rows = load_rows()
    pool = [r for r in rows if r["park_slug"] == "*"]
    own = [r for r in rows if r["park_slug"] != "*" and not r["adopted_from"]]
    parks = sorted(parks, key=lambda p: p.slug)
    added = 0
    for park in parks:
        if _seeded(db, park):
            continue
        rng = _rng(park)
        chosen = [r for r in own if r["park_slug"] == park.slug] or _generated_rows(park, pool,
                                                                                   rng)
        for row in chosen:
            _measure_from_row(db, park, row, rng)
        added += len(chosen)
        _indicator_values(db, park, rng)
        _profiles(db, park, rng)
    added += _adoptions(db, {p.slug: p for p in parks},
                        [r for r in rows if r["adopted_from"]])
    db.flush()
    return added


def _adoptions(db: Session, parks: dict[str, Park], rows: list[dict[str, str]]) -> int:
    added = 0
    for row in rows:
        origin_slug, origin_title = row["adopted_from"].split("|", 1)
        target, origin_park = parks.get(row["park_slug"]), parks.get(origin_slug)
        if target is None or origin_park is None:
            continue
        origin = db.scalar(select(Measure).where(Measure.park_id == origin_park.id,
                                                 Measure.title == origin_title))
        if origin is None or db.scalar(select(Measure.id).where(
                Measure.park_id == target.id, Measure.adopted_from_id == origin.id)):
            continue
        _adopted_copy(db, origin, target, row)
        added += 1
    return added


def _adopted_copy(db: Session, origin: Measure, target: Park, row: dict[str, str]) -> None:
    copy = adopt_measure(db, origin, target)
    copy.title = row["title"] or copy.title
    copy.start_date, copy.end_date = _day(row["start_date"]), _day(row["end_date"])
    copy.cost_eur = Decimal(row["cost_eur"]) if row["cost_eur"] else None
    copy.funding_source, copy.partners = row["funding_source"], row["partners"]
    copy.lead_company_id = _company(db, target, row["lead_company"])
    if row["themes"]:
        copy.themes = row["themes"].split("|")
    copy.status_changes[0].changed_at = _moment(date(2025, 11, 3))
    copy.created_at = copy.status_changes[0].changed_at
    start = copy.start_date or date(2026, 3, 2)
    moments = {"gepland": start - timedelta(days=60), "in_uitvoering": start,
               "gerealiseerd": copy.end_date or start, "gestopt": start}
    _append_steps(copy, [(step, moments[step]) for step in PATHS[row["status"]][1:]])
