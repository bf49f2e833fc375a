"""The practice library: measures and experiments of every park whose measures the user may see.

A park's measures are listed when the user sees the park in full, or when the park is public and
publishes its measures (see themes.section_scope).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

import themes
from roadmap.programme import PROVINCES

from ..models import Experiment, Measure, MeasureTheme, Park
from .measures import measure_scope_query

LIBRARY_PARAMS = ("q", "theme", "status", "province", "experiments", "page", "per_page")


@dataclass
class LibraryQuery:
    """Search, filters and page of the practice library."""

    q: str = ""
    theme: str = ""
    status: str = ""
    province: str = ""
    experiments: bool = False
    page: int = 1
    per_page: int = 20

    @property
    def filtered(self) -> bool:
        """Whether any search or filter is in use."""
        return bool(self.q or self.theme or self.status or self.province or self.experiments)


def _int(value, default: int, low: int, high: int) -> int:
    try:
        return min(high, max(low, int(value)))
    except (TypeError, ValueError):
        return default


def library_query_from_args(args, page_size: int = 20) -> LibraryQuery:
    """Read the library's parameters from a query string, dropping unknown values."""

    def choice(name: str, allowed) -> str:
        value = args.get(name, "")
        return value if value in allowed else ""

    return LibraryQuery(
        q=args.get("q", "").strip()[:100],
        theme=choice("theme", themes.THEME_CODES),
        status=choice("status", themes.MEASURE_STATUSES),
        province=choice("province", PROVINCES),
        experiments=args.get("experiments", "") in {"1", "true", "y", "on"},
        page=_int(args.get("page"), 1, 1, 10_000),
        per_page=_int(args.get("per_page"), page_size, 1, 100),
    )


def library_args(args) -> dict[str, str]:
    """The library parameters of a query string, for links to other pages of it."""
    return {name: args[name] for name in LIBRARY_PARAMS if name in args}


def library_listing(user, query: LibraryQuery) -> Select:
    """The scoped, filtered SELECT of library measures (not yet paginated), newest first."""
    stmt = measure_scope_query(user).options(
        selectinload(Measure.park), selectinload(Measure.theme_links),
        selectinload(Measure.experiment), selectinload(Measure.adoptions))
    if query.q:
        pattern = f"%{query.q.lower()}%"
        stmt = stmt.where(or_(func.lower(Measure.title).like(pattern),
                              func.lower(Measure.description).like(pattern),
                              func.lower(Park.name).like(pattern)))
    if query.theme:
        stmt = stmt.where(Measure.id.in_(
            select(MeasureTheme.measure_id).where(MeasureTheme.theme == query.theme)))
    if query.status:
        stmt = stmt.where(Measure.status == query.status)
    if query.province:
        stmt = stmt.where(Park.province == query.province)
    if query.experiments:
        stmt = stmt.where(Measure.id.in_(select(Experiment.measure_id)))
    return stmt.order_by(Measure.updated_at.desc(), Measure.id.desc())
