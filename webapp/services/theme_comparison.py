"""The coordinators' comparison: parks against the seven themes (baseline, current, ambition)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

import themes
from roadmap.programme import PROVINCES

from ..models import Park, ThemeProfile
from .registry_csv import neutralise
from .themes import assessments_for

SORT_KEYS = ("name", "province", "total", *themes.THEME_CODES)


@dataclass(frozen=True)
class Levels:
    """One park's levels in one theme."""

    baseline: int
    current: int
    ambition: int | None


@dataclass(frozen=True)
class ComparisonRow:
    """One park in the comparison table."""

    slug: str
    name: str
    province: str
    levels: dict[str, Levels]

    @property
    def total(self) -> int:
        """The sum of the current levels over the seven themes (0..28)."""
        return sum(level.current for level in self.levels.values())


def comparison_query_from_args(args) -> tuple[str, str]:
    """(province, sort) from a query string; sort may start with '-' for descending."""
    province = args.get("province", "")
    sort = args.get("sort", "name")
    return (province if province in PROVINCES else "",
            sort if sort.lstrip("-") in SORT_KEYS else "name")


def _profiles(db: Session, park_ids: list[int]) -> dict[tuple[int, str], ThemeProfile]:
    rows = db.scalars(select(ThemeProfile).where(ThemeProfile.park_id.in_(park_ids)))
    return {(p.park_id, p.theme): p for p in rows}


def comparison_rows(db: Session, province: str = "", sort: str = "name") -> list[ComparisonRow]:
    """Every park (of *province*, if given) with its levels per theme, sorted by *sort*."""
    stmt = select(Park).order_by(Park.name, Park.id)
    if province:
        stmt = stmt.where(Park.province == province)
    parks = list(db.scalars(stmt))
    ids = [p.id for p in parks]
    assessments = assessments_for(db, ids)
    profiles = _profiles(db, ids)
    rows = []
    for park in parks:
        levels = {}
        for code in themes.THEME_CODES:
            profile = profiles.get((park.id, code))
            levels[code] = Levels(profile.baseline_level if profile else 0,
                                  assessments[park.id][code].level,
                                  profile.ambition_level if profile else None)
        rows.append(ComparisonRow(park.slug, park.name, park.province, levels))
    return sort_rows(rows, sort)


def sort_rows(rows: list[ComparisonRow], sort: str) -> list[ComparisonRow]:
    """Rows sorted by name, province, total or one theme's current level ('-' = descending)."""
    key = sort.lstrip("-")
    descending = sort.startswith("-")
    if key == "name":
        return sorted(rows, key=lambda r: r.name.lower(), reverse=descending)
    if key == "province":
        ordered = sorted(rows, key=lambda r: r.name.lower())
        return sorted(ordered, key=lambda r: r.province, reverse=descending)
    ordered = sorted(rows, key=lambda r: r.name.lower())
    if key == "total":
        return sorted(ordered, key=lambda r: r.total, reverse=descending)
    return sorted(ordered, key=lambda r: r.levels[key].current, reverse=descending)


def export_comparison_csv(rows: Iterable[ComparisonRow]) -> str:
    """The comparison as CSV for Dutch Excel: BOM, ';', one baseline/current/ambition per theme."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    header = ["slug", "naam", "provincie"]
    for code in themes.THEME_CODES:
        header += [f"{code}_nulmeting", f"{code}_huidig", f"{code}_ambitie"]
    writer.writerow([*header, "totaal"])
    for row in rows:
        cells = [row.slug, row.name, row.province]
        for code in themes.THEME_CODES:
            level = row.levels[code]
            cells += [level.baseline, level.current, level.ambition]
        writer.writerow([neutralise(c) for c in [*cells, row.total]])
    return out.getvalue()
