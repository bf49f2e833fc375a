"""Theme profiles, indicator values and the maturity assessment of parks.

Who may see a park's theme compass or its measures is decided here too: a user sees a park's
"themes" (or "measures") section when they see the park in full, or when the park is public and
publishes that section.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import abort
from sqlalchemy import ColumnElement, String, and_, cast, func, or_, select
from sqlalchemy.orm import Session

import themes
from themes import Assessment, RealisedMeasure

from .. import authz
from ..models import IndicatorValue, Measure, MeasureTheme, Park, ThemeProfile, User

SECTIONS = ("themes", "measures")
PROFILE_KEYS = ("baseline_level", "baseline_year", "ambition_level", "ambition_year")
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def today_amsterdam() -> date:
    """Today's date in Amsterdam: the users' calendar day, not the server's (often UTC)."""
    return datetime.now(AMSTERDAM).date()


def section_scope(user, section: str) -> ColumnElement[bool]:
    """Parks whose *section* ("themes" or "measures") the user may see, as a SQL condition."""
    if section not in SECTIONS:
        raise ValueError(section)
    # public_fields is a JSON list; its text holds the quoted name when the section is published.
    published = cast(Park.public_fields, String).like(f'%"{section}"%')
    return or_(authz.full_scope(user), and_(Park.is_public.is_(True), published))


def park_for_section(db: Session, user, slug: str, section: str) -> Park:
    """The park with *slug* if the user may see its *section*, else 404."""
    park = db.scalar(select(Park).where(Park.slug == slug, section_scope(user, section)))
    if park is None:
        abort(404)
    return park


def get_profiles(db: Session, park: Park) -> dict[str, ThemeProfile | None]:
    """The park's profile row per theme code (None where none is set), in theme order."""
    rows = {p.theme: p for p in db.scalars(select(ThemeProfile).where(
        ThemeProfile.park_id == park.id))}
    return {code: rows.get(code) for code in themes.THEME_CODES}


def profile_form_data(db: Session, park: Park) -> dict[str, dict]:
    """Per theme the stored baseline and ambition, as the profile form and the API use them."""
    data = {}
    for code, profile in get_profiles(db, park).items():
        data[code] = {key: getattr(profile, key) if profile else None for key in PROFILE_KEYS}
        if profile is None:
            data[code]["baseline_level"] = 0
    return data


def update_profiles(db: Session, park: Park, data: dict[str, dict]) -> list[ThemeProfile]:
    """Set baseline and ambition of the themes in *data* (validated); others stay as they are."""
    existing = get_profiles(db, park)
    changed = []
    for code, values in data.items():
        themes.theme(code)
        profile = existing.get(code) or ThemeProfile(park=park, theme=code)
        for key in PROFILE_KEYS:
            if key in values:
                setattr(profile, key, values[key])
        profile.baseline_level = profile.baseline_level or 0
        db.add(profile)
        changed.append(profile)
    db.flush()
    return changed


def add_indicator_value(db: Session, park: Park, data: dict, by: User | None) -> IndicatorValue:
    """Record a hand-entered value of an indicator (history is kept; the latest one counts)."""
    ind = themes.indicator(data["indicator"])
    if not ind.accepts(float(data["value"])):
        raise ValueError(f"{ind.code}: {data['value']} is out of range")
    value = IndicatorValue(
        park=park, indicator=ind.code, value=float(data["value"]),
        measured_on=data.get("measured_on") or today_amsterdam(), source="manual",
        is_measured=bool(data.get("is_measured")), note=(data.get("note") or "").strip(),
        entered_by_id=by.id if by is not None and getattr(by, "is_authenticated", False) else None,
    )
    db.add(value)
    db.flush()
    return value


def _latest_rows(db: Session, park_ids: list[int]) -> list[IndicatorValue]:
    ranked = select(
        IndicatorValue.id,
        func.row_number().over(
            partition_by=(IndicatorValue.park_id, IndicatorValue.indicator),
            order_by=(IndicatorValue.measured_on.desc(), IndicatorValue.id.desc()),
        ).label("rank"),
    ).where(IndicatorValue.park_id.in_(park_ids)).subquery()
    return list(db.scalars(select(IndicatorValue).join(
        ranked, and_(ranked.c.id == IndicatorValue.id, ranked.c.rank == 1))))


def latest_values(db: Session, park: Park) -> dict[str, IndicatorValue]:
    """The latest value per indicator code of one park (by date, then by entry)."""
    return {row.indicator: row for row in _latest_rows(db, [park.id])}


def latest_values_for(db: Session, park_ids: Iterable[int]) -> dict[int, dict[str, float]]:
    """Latest value per indicator for many parks at once: {park id: {indicator: value}}."""
    values: dict[int, dict[str, float]] = defaultdict(dict)
    for row in _latest_rows(db, list(park_ids)):
        values[row.park_id][row.indicator] = row.value
    return values


def indicator_history(db: Session, park: Park, indicator_code: str,
                      limit: int = 10) -> list[IndicatorValue]:
    """The most recent values of one indicator, newest first."""
    return list(db.scalars(
        select(IndicatorValue)
        .where(IndicatorValue.park_id == park.id, IndicatorValue.indicator == indicator_code)
        .order_by(IndicatorValue.measured_on.desc(), IndicatorValue.id.desc())
        .limit(limit)
    ))


def list_indicator_values(db: Session, park: Park, indicator_code: str | None = None,
                          limit: int = 500) -> list[IndicatorValue]:
    """A park's indicator values (optionally of one indicator), newest first."""
    stmt = select(IndicatorValue).where(IndicatorValue.park_id == park.id)
    if indicator_code:
        stmt = stmt.where(IndicatorValue.indicator == indicator_code)
    order = (IndicatorValue.measured_on.desc(), IndicatorValue.id.desc())
    return list(db.scalars(stmt.order_by(*order).limit(limit)))


def realised_for(db: Session, park_ids: Iterable[int]) -> dict[int, list[RealisedMeasure]]:
    """The realised measures of many parks as the maturity rule takes them."""
    rows = db.execute(
        select(Measure.id, Measure.park_id, Measure.catalogue_code, Measure.title,
               MeasureTheme.theme)
        .outerjoin(MeasureTheme, MeasureTheme.measure_id == Measure.id)
        .where(Measure.park_id.in_(list(park_ids)), Measure.status == themes.REALISED)
        .order_by(Measure.id, MeasureTheme.position)
    )
    grouped: dict[int, dict] = {}
    for measure_id, park_id, code, title, theme_code in rows:
        entry = grouped.setdefault(measure_id, {"park": park_id, "code": code, "title": title,
                                                "themes": []})
        if theme_code:
            entry["themes"].append(theme_code)
    realised: dict[int, list[RealisedMeasure]] = defaultdict(list)
    for entry in grouped.values():
        realised[entry["park"]].append(
            RealisedMeasure(tuple(entry["themes"]), entry["code"], entry["title"]))
    return realised


def assessments_for(db: Session, park_ids: Iterable[int]) -> dict[int, dict[str, Assessment]]:
    """The assessment of all seven themes for many parks, in three queries."""
    ids = list(park_ids)
    realised = realised_for(db, ids)
    values = latest_values_for(db, ids)
    return {pid: themes.assess_all(realised.get(pid, []), values.get(pid, {})) for pid in ids}


def park_assessments(db: Session, park: Park) -> dict[str, Assessment]:
    """Per theme the park's current level with its reasons (realised measures, latest values)."""
    return assessments_for(db, [park.id])[park.id]


@dataclass(frozen=True)
class ThemeStanding:
    """One theme of a park's compass: baseline, current level, ambition and the evidence."""

    theme: themes.Theme
    baseline: int
    current: int
    ambition: int | None
    ambition_year: int | None
    baseline_year: int | None
    assessment: Assessment


def park_compass(db: Session, park: Park) -> list[ThemeStanding]:
    """The seven themes of a park's compass, in theme order."""
    profiles = get_profiles(db, park)
    assessments = park_assessments(db, park)
    standings = []
    for code in themes.THEME_CODES:
        profile = profiles[code]
        standings.append(ThemeStanding(
            theme=themes.theme(code),
            baseline=profile.baseline_level if profile else 0,
            current=assessments[code].level,
            ambition=profile.ambition_level if profile else None,
            ambition_year=profile.ambition_year if profile else None,
            baseline_year=profile.baseline_year if profile else None,
            assessment=assessments[code],
        ))
    return standings
