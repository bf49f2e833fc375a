"""Energy data sharing: what each company shares of each meter, and the association board."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .park import Association, Company
from .sensor import Device
from .user import User

# What a company shares of one meter, from nothing to the most open:
#   none       -- nothing leaves the company;
#   aggregate  -- counted in the park aggregate (only when 3 or more companies take part);
#   board      -- the park aggregate, and named to the association board;
#   public     -- the park aggregate, and the aggregate may be shown in public.
SHARE_LEVELS: tuple[str, ...] = ("none", "aggregate", "board", "public")


class MeterShare(Base):
    """The current share level of one meter (a device owned by a company)."""

    __tablename__ = "meter_share"

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[int] = mapped_column(
        ForeignKey("device.id", ondelete="CASCADE"), unique=True
    )
    level: Mapped[str] = mapped_column(String(20), default="none")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    device: Mapped[Device] = relationship()

    def __repr__(self) -> str:
        return f"<MeterShare device={self.device_id} {self.level}>"


class MeterShareChange(Base):
    """One change of a meter's share level: who, when, from what to what (kept for good)."""

    __tablename__ = "meter_share_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[int] = mapped_column(
        ForeignKey("device.id", ondelete="CASCADE"), index=True
    )
    company_id: Mapped[int | None] = mapped_column(
        ForeignKey("company.id", ondelete="SET NULL"), index=True
    )
    from_level: Mapped[str] = mapped_column(String(20))
    to_level: Mapped[str] = mapped_column(String(20))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    note: Mapped[str] = mapped_column(Text, default="")

    device: Mapped[Device] = relationship()
    company: Mapped[Company | None] = relationship()
    changed_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<MeterShareChange device={self.device_id} {self.from_level}->{self.to_level}>"


class BoardMembership(Base):
    """A user who sits on the board of an entrepreneurs' association."""

    __tablename__ = "board_membership"

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(
        ForeignKey("association.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    association: Mapped[Association] = relationship()
    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<BoardMembership association={self.association_id} user={self.user_id}>"
