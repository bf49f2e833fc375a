"""Park roadmaps: the plan, dated milestones, phase overrides and the daily phase snapshots."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, TimestampMixin, utcnow
from .park import Park
from .user import User


class ParkRoadmap(TimestampMixin, Base):
    """A park's roadmap: its vision and when the association adopted the plan."""

    __tablename__ = "park_roadmap"

    id: Mapped[int] = mapped_column(primary_key=True)
    park_id: Mapped[int] = mapped_column(ForeignKey("park.id", ondelete="CASCADE"), unique=True)
    vision: Mapped[str] = mapped_column(Text, default="")
    # The day the association adopted ambition and roadmap (None while it is a draft).
    adopted_on: Mapped[date | None]
    target_year: Mapped[int | None]
    notes: Mapped[str] = mapped_column(Text, default="")

    park: Mapped[Park] = relationship()

    def __repr__(self) -> str:
        return f"<ParkRoadmap park={self.park_id} adopted={self.adopted_on}>"


class Milestone(TimestampMixin, Base):
    """A dated milestone on a park's roadmap."""

    __tablename__ = "milestone"
    __table_args__ = (Index("ix_milestone_park_due", "park_id", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    park_id: Mapped[int] = mapped_column(ForeignKey("park.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    due_on: Mapped[date]
    done_on: Mapped[date | None]
    # Optional: the theme it serves and the phase it completes.
    theme: Mapped[str | None] = mapped_column(String(20))
    phase: Mapped[str | None] = mapped_column(String(30))

    park: Mapped[Park] = relationship()

    def __repr__(self) -> str:
        return f"<Milestone {self.id} {self.title!r} due={self.due_on}>"


class PhaseOverride(Base):
    """A coordinator's decision that a park is in another phase than the rule says."""

    __tablename__ = "phase_override"

    id: Mapped[int] = mapped_column(primary_key=True)
    park_id: Mapped[int] = mapped_column(ForeignKey("park.id", ondelete="CASCADE"), index=True)
    phase: Mapped[str] = mapped_column(String(30))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    # Set when the override is lifted; the row stays as history.
    cleared_at: Mapped[datetime | None]
    cleared_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    park: Mapped[Park] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    def __repr__(self) -> str:
        return f"<PhaseOverride park={self.park_id} {self.phase}>"


class PhaseSnapshot(Base):
    """A park's phase on one Amsterdam calendar day, as stored facts for the progress line."""

    __tablename__ = "phase_snapshot"
    __table_args__ = (
        Index("ix_phase_snapshot_day", "day"),
        # The national progress line counts parks on their way per day; a partial index keeps
        # that count fast over millions of rows. (SQLite writes the filter as "= 1".)
        Index("ix_phase_snapshot_on_way_day", "day", sqlite_where=text("on_its_way = 1"),
              postgresql_where=text("on_its_way")),
    )

    park_id: Mapped[int] = mapped_column(
        ForeignKey("park.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(primary_key=True)
    # The phase that counts (the override when there is one) and what the rule computed.
    phase: Mapped[str] = mapped_column(String(30))
    computed_phase: Mapped[str] = mapped_column(String(30))
    overridden: Mapped[bool] = mapped_column(Boolean, default=False)
    on_its_way: Mapped[bool] = mapped_column(Boolean, default=False)
    # Current maturity level per theme code, e.g. {"energie": 2, ...}.
    theme_levels: Mapped[dict] = mapped_column(JSON, default=dict)

    def __repr__(self) -> str:
        return f"<PhaseSnapshot park={self.park_id} {self.day} {self.phase}>"
