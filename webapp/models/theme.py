"""The seven themes per park: profiles, indicator values, measures, experiments and adoptions."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, TimestampMixin, utcnow
from .park import Company, Park


class ThemeProfile(TimestampMixin, Base):
    """A park's baseline and ambition for one theme (the current level is computed)."""

    __tablename__ = "theme_profile"
    __table_args__ = (UniqueConstraint("park_id", "theme", name="uq_theme_profile_park_theme"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    park_id: Mapped[int] = mapped_column(ForeignKey("park.id", ondelete="CASCADE"), index=True)
    theme: Mapped[str] = mapped_column(String(20))
    baseline_level: Mapped[int] = mapped_column(default=0)
    baseline_year: Mapped[int | None]
    ambition_level: Mapped[int | None]
    ambition_year: Mapped[int | None]
    notes: Mapped[str] = mapped_column(Text, default="")

    park: Mapped[Park] = relationship()

    def __repr__(self) -> str:
        return f"<ThemeProfile park={self.park_id} {self.theme}>"


class IndicatorValue(TimestampMixin, Base):
    """One value of a theme indicator for a park, entered by hand or (later) from sensors."""

    __tablename__ = "indicator_value"
    __table_args__ = (Index("ix_indicator_value_park_indicator", "park_id", "indicator"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    park_id: Mapped[int] = mapped_column(ForeignKey("park.id", ondelete="CASCADE"))
    indicator: Mapped[str] = mapped_column(String(40))
    value: Mapped[float]
    measured_on: Mapped[date]
    # "manual" for values typed in; "sensor" once #5 derives values from sensor rollups.
    source: Mapped[str] = mapped_column(String(20), default="manual")
    # True for a measured value, False for an estimate.
    is_measured: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    entered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    park: Mapped[Park] = relationship()

    def __repr__(self) -> str:
        return f"<IndicatorValue park={self.park_id} {self.indicator}={self.value}>"


class Measure(TimestampMixin, Base):
    """A measure (maatregel) a park takes, from the catalogue or its own."""

    __tablename__ = "measure"
    __table_args__ = (Index("ix_measure_park_status", "park_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    park_id: Mapped[int] = mapped_column(ForeignKey("park.id", ondelete="CASCADE"))
    catalogue_code: Mapped[str | None] = mapped_column(String(60), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="idee")
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]
    # The roadmap year the measure is planned for (when it has no start date yet).
    planned_year: Mapped[int | None]
    cost_eur: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    funding_source: Mapped[str] = mapped_column(String(200), default="")
    lead_company_id: Mapped[int | None] = mapped_column(
        ForeignKey("company.id", ondelete="SET NULL"), index=True
    )
    partners: Mapped[str] = mapped_column(Text, default="")
    expected_effect: Mapped[str] = mapped_column(Text, default="")
    measured_effect: Mapped[str] = mapped_column(Text, default="")
    evidence_links: Mapped[list[str]] = mapped_column(JSON, default=list)
    adopted_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("measure.id", ondelete="SET NULL"), index=True
    )

    park: Mapped[Park] = relationship()
    lead_company: Mapped[Company | None] = relationship()
    theme_links: Mapped[list[MeasureTheme]] = relationship(
        back_populates="measure", cascade="all, delete-orphan", order_by="MeasureTheme.position"
    )
    status_changes: Mapped[list[MeasureStatusChange]] = relationship(
        back_populates="measure",
        cascade="all, delete-orphan",
        order_by="MeasureStatusChange.changed_at",
    )
    experiment: Mapped[Experiment | None] = relationship(
        back_populates="measure", cascade="all, delete-orphan", uselist=False
    )
    adopted_from: Mapped[Measure | None] = relationship(
        remote_side=[id], back_populates="adoptions"
    )
    adoptions: Mapped[list[Measure]] = relationship(back_populates="adopted_from")

    @property
    def themes(self) -> list[str]:
        """Theme codes this measure serves, the primary theme first."""
        return [link.theme for link in self.theme_links]

    @themes.setter
    def themes(self, codes: list[str]) -> None:
        current = {link.theme: link for link in self.theme_links}
        self.theme_links = [
            current.get(code) or MeasureTheme(theme=code) for code in dict.fromkeys(codes)
        ]
        for position, link in enumerate(self.theme_links):
            link.position = position

    def __repr__(self) -> str:
        return f"<Measure {self.id} {self.title!r} {self.status}>"


class MeasureTheme(Base):
    """Links a measure to a theme it serves (a table, so the library can filter by theme)."""

    __tablename__ = "measure_theme"

    measure_id: Mapped[int] = mapped_column(
        ForeignKey("measure.id", ondelete="CASCADE"), primary_key=True
    )
    theme: Mapped[str] = mapped_column(String(20), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(default=0)

    measure: Mapped[Measure] = relationship(back_populates="theme_links")

    def __repr__(self) -> str:
        return f"<MeasureTheme {self.measure_id} {self.theme}>"


class MeasureStatusChange(Base):
    """One step in a measure's status history."""

    __tablename__ = "measure_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(
        ForeignKey("measure.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    note: Mapped[str] = mapped_column(Text, default="")

    measure: Mapped[Measure] = relationship(back_populates="status_changes")

    def __repr__(self) -> str:
        return f"<MeasureStatusChange {self.measure_id} {self.from_status}->{self.to_status}>"


class Experiment(TimestampMixin, Base):
    """A living-lab experiment: a measure tried out with a hypothesis and an indicator."""

    __tablename__ = "experiment"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(
        ForeignKey("measure.id", ondelete="CASCADE"), unique=True
    )
    hypothesis: Mapped[str] = mapped_column(Text)
    indicator: Mapped[str | None] = mapped_column(String(40))
    knowledge_partners: Mapped[str] = mapped_column(Text, default="")
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]
    # None while running; then "confirmed", "rejected" or "inconclusive".
    outcome: Mapped[str | None] = mapped_column(String(20))
    results: Mapped[str] = mapped_column(Text, default="")
    lessons: Mapped[str] = mapped_column(Text, default="")

    measure: Mapped[Measure] = relationship(back_populates="experiment")

    def __repr__(self) -> str:
        return f"<Experiment {self.id} measure={self.measure_id}>"
