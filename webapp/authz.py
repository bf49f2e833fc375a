"""Authorisation in one place: what a user may see and change, as SQL conditions.

Every query for parks or companies goes through these scopes, so a park the user may not see is
simply not found (404), never "forbidden". Roles:

- admin, coordinator: every park, in full; may create and edit any park.
- park_manager: their own parks in full and may edit them; other parks as public profiles.
- member: the park of their company in full (read-only); other parks as public profiles.
- anonymous: public profiles of public parks.
"""

from __future__ import annotations

from flask import abort
from sqlalchemy import ColumnElement, false, or_, select, true
from sqlalchemy.orm import Session

from .models import Association, Company, Park, user_park

FULL_ACCESS_ROLES = {"admin", "coordinator"}


def _role(user) -> str | None:
    return getattr(user, "role", None) if getattr(user, "is_authenticated", False) else None


def sees_everything(user) -> bool:
    """Whether the user sees every park in full."""
    return _role(user) in FULL_ACCESS_ROLES


def full_scope(user) -> ColumnElement[bool]:
    """Parks whose private data the user may see."""
    role = _role(user)
    if role in FULL_ACCESS_ROLES:
        return true()
    if role == "park_manager":
        return Park.id.in_(select(user_park.c.park_id).where(user_park.c.user_id == user.id))
    if role == "member" and user.company_id is not None:
        return Park.id.in_(select(Company.park_id).where(Company.id == user.company_id))
    return false()


def listing_scope(user) -> ColumnElement[bool]:
    """Parks the user may find at all: those seen in full, plus public parks."""
    return or_(full_scope(user), Park.is_public.is_(True))


def edit_scope(user) -> ColumnElement[bool]:
    """Parks the user may change."""
    if _role(user) == "member":
        return false()
    return full_scope(user)


def can_create_park(user) -> bool:
    """Admins, coordinators and park managers register parks."""
    return _role(user) in {"admin", "coordinator", "park_manager"}


def can_import_parks(user) -> bool:
    """Only the programme (admin, coordinator) imports national lists."""
    return _role(user) in FULL_ACCESS_ROLES


def can_set_programme_role(user) -> bool:
    """Living lab and ambassador status are granted by the programme, not claimed by a park."""
    return _role(user) in FULL_ACCESS_ROLES


def may_use_association(db: Session, user, name: str | None) -> bool:
    """Whether the user may link a park to the association called *name*.

    Coordinators link any park to any association. Others may name a new association, or one that
    already manages a park they edit, but may not join a park to somebody else's collective.
    """
    name = (name or "").strip()
    if not name or sees_everything(user):
        return True
    association_id = db.scalar(select(Association.id).where(Association.name == name))
    if association_id is None:
        return True
    query = select(Park.id).where(Park.association_id == association_id, edit_scope(user))
    return db.scalar(query.limit(1)) is not None


def sees_in_full(db: Session, user, park: Park) -> bool:
    """Whether *user* sees *park*'s private fields."""
    if sees_everything(user):
        return True
    return db.scalar(select(Park.id).where(Park.id == park.id, full_scope(user))) is not None


def full_ids(db: Session, user, park_ids: list[int]) -> set[int]:
    """Which of *park_ids* the user sees in full, in one query."""
    if not park_ids:
        return set()
    return set(db.scalars(select(Park.id).where(Park.id.in_(park_ids), full_scope(user))))


def can_edit(db: Session, user, park: Park) -> bool:
    """Whether *user* may change *park* and its companies."""
    return db.scalar(select(Park.id).where(Park.id == park.id, edit_scope(user))) is not None


def park_for_view(db: Session, user, slug: str) -> Park:
    """The park with *slug* if the user may see it at all, else 404."""
    park = db.scalar(select(Park).where(Park.slug == slug, listing_scope(user)))
    if park is None:
        abort(404)
    return park


def park_in_full(db: Session, user, slug: str) -> Park:
    """The park with *slug* if the user sees it in full, else 404."""
    park = db.scalar(select(Park).where(Park.slug == slug, full_scope(user)))
    if park is None:
        abort(404)
    return park


def park_for_edit(db: Session, user, slug: str) -> Park:
    """The park with *slug* if the user may change it, else 404."""
    park = db.scalar(select(Park).where(Park.slug == slug, edit_scope(user)))
    if park is None:
        abort(404)
    return park


def _company_in(db: Session, scope: ColumnElement[bool], company_id: int) -> Company:
    company = db.scalar(select(Company).join(Park).where(Company.id == company_id, scope))
    if company is None:
        abort(404)
    return company


def company_for_edit(db: Session, user, company_id: int) -> Company:
    """The company if the user may change its park, else 404."""
    return _company_in(db, edit_scope(user), company_id)


def company_in_full(db: Session, user, company_id: int) -> Company:
    """The company if the user sees its park in full, else 404."""
    return _company_in(db, full_scope(user), company_id)
