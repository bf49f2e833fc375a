"""Creating, changing, listing and serialising parks and their companies."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, selectinload

from roadmap.programme import ORGANISATION_FORMS, PROGRAMME_ROLES, PROVINCES

from .. import authz
from ..models import DEFAULT_PUBLIC_FIELDS as DEFAULT_PUBLIC_FIELDS  # re-exported for views/API/CSV
from ..models import PUBLISHABLE_FIELDS, Association, Company, Park, User

# Columns copied between the form and the model one to one.
PARK_COLUMNS = (
    "name", "municipality", "province", "ibis_rin", "gross_ha", "net_ha", "companies_count",
    "jobs", "latitude", "longitude", "organisation_form", "programme_role", "description",
    "is_public",
)
FLOAT_COLUMNS = ("latitude", "longitude")
# Sort keys anyone may use, and those that reveal private figures (only when all rows are full).
PUBLIC_SORTS = {"name": Park.name, "municipality": Park.municipality, "province": Park.province}
PRIVATE_SORTS = {"gross_ha": Park.gross_ha, "jobs": Park.jobs,
                 "companies_count": Park.companies_count}
# Page addresses under /parks/ that a park's slug would hide behind (/parks/new).
RESERVED_SLUGS = frozenset({"new"})
# The query-string parameters of a park listing, kept in its links to other pages and sorts.
LISTING_PARAMS = ("q", "province", "programme_role", "organisation_form", "scope", "sort", "page",
                  "per_page")


def slugify(text: str) -> str:
    """A web-address name: 'Kop van Isselt' -> 'kop-van-isselt'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80] or "park"


def unique_slug(db: Session, base: str, exclude_id: int | None = None) -> str:
    """*base*, or *base*-2, -3, ... whichever is still free."""
    candidate, n = base, 1
    while True:
        query = select(Park.id).where(Park.slug == candidate)
        if exclude_id is not None:
            query = query.where(Park.id != exclude_id)
        if candidate not in RESERVED_SLUGS and db.scalar(query) is None:
            return candidate
        n += 1
        candidate = f"{base[:75]}-{n}"


def slug_taken(db: Session, slug: str, exclude_id: int | None = None) -> bool:
    """Whether another park already uses *slug*."""
    return unique_slug(db, slug, exclude_id) != slug


def get_or_create_association(db: Session, name: str | None) -> Association | None:
    """The association called *name* (created if new), or None for a blank name."""
    name = (name or "").strip()
    if not name:
        return None
    association = db.scalar(select(Association).where(Association.name == name))
    if association is None:
        association = Association(name=name)
        db.add(association)
    return association


def apply_park_data(db: Session, park: Park, data: dict, *, may_set_role: bool) -> Park:
    """Copy validated form data onto *park*; the programme role only if *may_set_role*."""
    for column in PARK_COLUMNS:
        if column == "programme_role" and not may_set_role:
            continue
        if column in data:
            value = data[column]
            if column in FLOAT_COLUMNS and value is not None:
                value = float(value)  # the form gives Decimal; the columns are floats
            setattr(park, column, value)
    if park.ibis_rin == "":
        park.ibis_rin = None
    if "public_fields" in data:
        park.public_fields = [f for f in PUBLISHABLE_FIELDS if f in (data["public_fields"] or [])]
    if "association" in data:
        park.association = get_or_create_association(db, data["association"])
    if data.get("slug"):
        park.slug = data["slug"]
    elif not park.slug:
        park.slug = unique_slug(db, slugify(park.name), exclude_id=park.id)
    return park


def create_park(db: Session, data: dict, *, by: User | None = None,
                may_set_role: bool = True) -> Park:
    """Register a park; a park manager who registers it becomes one of its managers."""
    park = Park(slug="", public_fields=[])
    # Not yet added: an autoflush (slug lookup) would orphan a new association's backref.
    with db.no_autoflush:
        apply_park_data(db, park, data, may_set_role=may_set_role)
    db.add(park)
    if by is not None and by.role == "park_manager":
        by.parks.append(park)
    db.flush()
    return park


def update_park(db: Session, park: Park, data: dict, *, may_set_role: bool) -> Park:
    """Change a park. Devices keep the topic they were registered with: devices in the field
    go on publishing there after a new slug, and the broker ACL lets them."""
    apply_park_data(db, park, data, may_set_role=may_set_role)
    db.flush()
    return park


def create_company(db: Session, park: Park, data: dict) -> Company:
    """Add a member company to *park* (the park comes from the URL, never from the form)."""
    company = Company(park=park)
    db.add(company)
    return update_company(db, company, data)


def update_company(db: Session, company: Company, data: dict) -> Company:
    """Change a member company's name, KvK number or sector."""
    company.name = data["name"].strip()
    company.kvk_number = (data.get("kvk_number") or "").strip() or None
    company.sector = (data.get("sector") or "").strip()
    db.flush()
    return company


def company_name_taken(db: Session, park: Park, name: str, exclude_id: int | None = None) -> bool:
    """Whether *park* already has a company called *name*."""
    query = select(Company.id).where(Company.park_id == park.id,
                                     func.lower(Company.name) == name.strip().lower())
    if exclude_id is not None:
        query = query.where(Company.id != exclude_id)
    return db.scalar(query) is not None


@dataclass
class ParkQuery:
    """Search, filters, sort and page of a park listing."""

    q: str = ""
    province: str = ""
    programme_role: str = ""
    organisation_form: str = ""
    mine: bool = False
    sort: str = "name"
    page: int = 1
    per_page: int = 25

    @property
    def descending(self) -> bool:
        return self.sort.startswith("-")

    @property
    def sort_key(self) -> str:
        return self.sort.lstrip("-")


def query_from_args(args, user, page_size: int) -> ParkQuery:
    """Read a park listing's parameters from the query string, dropping what is not allowed."""

    def choice(name: str, allowed) -> str:
        value = args.get(name, "")
        return value if value in allowed else ""

    try:
        page = max(1, int(args.get("page", 1)))
    except ValueError:
        page = 1
    try:
        per_page = min(100, max(1, int(args.get("per_page", page_size))))
    except ValueError:
        per_page = page_size
    default_mine = getattr(user, "role", None) in {"park_manager", "member"}
    mine = args.get("scope", "mine" if default_mine else "all") == "mine" and getattr(
        user, "is_authenticated", False
    )
    sort = args.get("sort", "name")
    if sort.lstrip("-") not in allowed_sorts(user, mine):
        sort = "name"  # an ignored sort key takes its direction with it
    return ParkQuery(
        q=args.get("q", "").strip()[:100],
        province=choice("province", PROVINCES),
        programme_role=choice("programme_role", PROGRAMME_ROLES),
        organisation_form=choice("organisation_form", ORGANISATION_FORMS),
        mine=mine,
        sort=sort,
        page=page,
        per_page=per_page,
    )


def listing_args(args) -> dict[str, str]:
    """The listing parameters of a query string, for links to the same listing.

    Nothing else is passed on: url_for() would take names like `_external`, `_anchor` or
    `endpoint` as its own options (absolute or broken links, or a 500).
    """
    return {name: args[name] for name in LISTING_PARAMS if name in args}


def allowed_sorts(user, mine: bool) -> set[str]:
    """Sort keys the user may use: private figures only when every listed park is theirs."""
    keys = set(PUBLIC_SORTS)
    if authz.sees_everything(user) or mine:
        keys |= set(PRIVATE_SORTS)
    return keys


def park_listing(user, query: ParkQuery) -> Select:
    """The scoped, filtered and sorted SELECT of a park listing (not yet paginated)."""
    scope = authz.full_scope(user) if query.mine else authz.listing_scope(user)
    stmt = select(Park).where(scope).options(selectinload(Park.association))
    if query.q:
        pattern = f"%{query.q.strip().lower()}%"
        stmt = stmt.where(or_(func.lower(Park.name).like(pattern),
                              func.lower(Park.municipality).like(pattern)))
    for attr in ("province", "programme_role", "organisation_form"):
        value = getattr(query, attr)
        if value:
            stmt = stmt.where(getattr(Park, attr) == value)
    columns = {**PUBLIC_SORTS, **PRIVATE_SORTS}
    key = query.sort_key if query.sort_key in allowed_sorts(user, query.mine) else "name"
    column = columns[key]
    order = column.desc() if query.descending else column.asc()
    return stmt.order_by(order.nulls_last() if key in PRIVATE_SORTS else order, Park.id)


@dataclass
class Page:
    """One page of results."""

    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def paginate(db: Session, stmt: Select, page: int, per_page: int) -> Page:
    """Run *stmt* for one page, with the total count."""
    total = db.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    page = max(1, min(page, max(1, -(-total // per_page))))
    items = list(db.scalars(stmt.limit(per_page).offset((page - 1) * per_page)))
    return Page(items, page, per_page, total)


def _number(value):
    if isinstance(value, Decimal):
        return float(value)
    return value


def park_to_dict(park: Park, full: bool) -> dict:
    """The park as the API and exports show it; without *full*, only its public fields."""
    data = {
        "slug": park.slug,
        "name": park.name,
        "municipality": park.municipality,
        "province": park.province,
        "organisation_form": park.organisation_form,
        "programme_role": park.programme_role,
        "ibis_rin": park.ibis_rin,
        "gross_ha": _number(park.gross_ha),
        "net_ha": _number(park.net_ha),
        "companies_count": park.companies_count,
        "jobs": park.jobs,
        "latitude": park.latitude,
        "longitude": park.longitude,
        "description": park.description,
        "association": park.association.name if park.association else None,
    }
    if full:
        data["is_public"] = park.is_public
        data["public_fields"] = list(park.public_fields or [])
        return data
    hidden = {f for f in PUBLISHABLE_FIELDS if not park.is_field_public(f)}
    if "location" in hidden:
        hidden |= {"latitude", "longitude"}
    return {key: value for key, value in data.items() if key not in hidden}


def park_form_data(park: Park) -> dict:
    """The park's values in the shape ParkForm produces (for partial API updates)."""
    data = {column: getattr(park, column) for column in PARK_COLUMNS}
    data["slug"] = park.slug
    data["public_fields"] = list(park.public_fields or [])
    data["association"] = park.association.name if park.association else ""
    return data
