"""The board of an entrepreneurs' association: who sits on it, and who may change that.

Board members see the park energy dashboard of the association's parks, with the meters that
companies share by name, so seats are given with care:

- coordinators, admins, and park managers of a park of the association manage the board;
- a seat goes to an existing, active account of the association's own parks: a user of one of
  their member companies or one of their park managers (coordinators and admins may also seat
  any other active coordinator or admin account).

The same refusal answers "no such account" and "not of this association", so the form does not
tell which e-mail addresses have an account. Seats are audited (BoardMembership is in AUDITED).
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from .. import authz
from ..models import Association, BoardMembership, Company, Park, User, user_park


class BoardError(ValueError):
    """A seat that cannot be given; *code* says why (unknown_user, already_member)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def _managed_parks(user):
    """Parks whose board the user may manage (those the user may edit)."""
    return select(Park.id).where(authz.edit_scope(user))


def may_manage_board(db: Session, user, association: Association) -> bool:
    """Whether *user* may see and change the board of *association*."""
    stmt = select(Park.id).where(Park.association_id == association.id,
                                 Park.id.in_(_managed_parks(user)))
    return db.scalar(stmt.limit(1)) is not None


def association_for_board(db: Session, user, association_id: int) -> Association | None:
    """The association if *user* may manage its board; None (answer 404) otherwise."""
    association = db.get(Association, association_id)
    if association is None or not may_manage_board(db, user, association):
        return None
    return association


def board_members(db: Session, association: Association) -> list[BoardMembership]:
    """The seats on the board, by member name and e-mail (user and company loaded)."""
    stmt = (select(BoardMembership).join(User, BoardMembership.user_id == User.id)
            .where(BoardMembership.association_id == association.id)
            .options(selectinload(BoardMembership.user).selectinload(User.company))
            .order_by(User.name, User.email))
    return list(db.scalars(stmt))


def association_parks(db: Session, association: Association) -> list[Park]:
    """The association's parks by name."""
    return list(db.scalars(select(Park).where(Park.association_id == association.id)
                           .order_by(Park.name)))


def _eligible(association: Association, by_programme: bool):
    """Users who may get a seat: people of the association's parks (and, for the programme,
    its own coordinators and admins)."""
    parks = select(Park.id).where(Park.association_id == association.id)
    of_company = User.company_id.in_(select(Company.id).where(Company.park_id.in_(parks)))
    of_park = User.id.in_(select(user_park.c.user_id).where(user_park.c.park_id.in_(parks)))
    conditions = [of_company, of_park]
    if by_programme:
        conditions.append(User.role.in_(authz.FULL_ACCESS_ROLES))
    return or_(*conditions)


def add_board_member(db: Session, association: Association, email: str,
                     by_user) -> BoardMembership:
    """Seat the account with *email* on the board; BoardError if it cannot be seated."""
    eligible = _eligible(association, authz.sees_everything(by_user))
    user = db.scalar(select(User).where(User.email == email.strip().lower(),
                                        User.active.is_(True), eligible))
    if user is None:
        raise BoardError("unknown_user")
    taken = db.scalar(select(BoardMembership.id).where(
        BoardMembership.association_id == association.id, BoardMembership.user_id == user.id))
    if taken is not None:
        raise BoardError("already_member")
    seat = BoardMembership(association_id=association.id, user_id=user.id)
    db.add(seat)
    db.flush()
    return seat


def remove_board_member(db: Session, association: Association,
                        membership_id: int) -> BoardMembership | None:
    """Take a seat off the board; None when *membership_id* is not a seat of *association*."""
    seat = db.scalar(select(BoardMembership).where(
        BoardMembership.id == membership_id, BoardMembership.association_id == association.id)
        .options(selectinload(BoardMembership.user)))
    if seat is None:
        return None
    db.delete(seat)
    db.flush()
    return seat
