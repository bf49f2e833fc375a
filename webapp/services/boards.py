"""The board of an entrepreneurs' association: who sits on it, and who may change that.

Board members see the park energy dashboard of the association's parks, with the meters that
companies share by name, so seats are given with care:

- coordinators, admins, and park managers of a park of the association manage the board;
- a seat goes only to an existing, active account with role "member" of a company on one of the
  association's parks: the board of an entrepreneurs' association consists of its companies'
  people. Park managers, coordinators and admins get no seat (coordinators and admins see what
  the board sees anyway; a park manager must not see shared meters by name), and nobody may
  seat themselves.

The same refusal answers "no such account" and "not eligible", so the form does not tell which
e-mail addresses have an account. Seats are audited (BoardMembership is in AUDITED).
"""

from __future__ import annotations

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, selectinload

from .. import authz
from ..models import Association, BoardMembership, Company, Park, User


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


def _eligible(association: Association, by_user):
    """Users who may get a seat: active members of a company on one of the association's parks,
    other than *by_user* (nobody seats themselves)."""
    parks = select(Park.id).where(Park.association_id == association.id)
    return and_(User.active.is_(True), User.role == "member",
                User.company_id.in_(select(Company.id).where(Company.park_id.in_(parks))),
                User.id != by_user.id)


def add_board_member(db: Session, association: Association, email: str,
                     by_user) -> BoardMembership:
    """Seat the account with *email* on the board; BoardError if it cannot be seated."""
    user = db.scalar(select(User).where(User.email == email.strip().lower(),
                                        _eligible(association, by_user)))
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
