"""The park registry: associations, business parks and their member companies."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, TimestampMixin

# Fields a park manager may publish; identity fields (name, municipality, province,
# organisation form, programme role) are always public for a listed park.
PUBLISHABLE_FIELDS: tuple[str, ...] = (
    "ibis_rin",
    "gross_ha",
    "net_ha",
    "companies_count",
    "jobs",
    "location",
    "description",
    "association",
    "themes",
    "measures",
)
DEFAULT_PUBLIC_FIELDS: list[str] = [
    "gross_ha", "net_ha", "location", "description", "association", "themes", "measures",
]


class Association(TimestampMixin, Base):
    """The collective (ondernemersvereniging, BIZ, ...) that manages one or more parks."""

    __tablename__ = "association"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)

    parks: Mapped[list[Park]] = relationship(back_populates="association")

    def __repr__(self) -> str:
        return f"<Association {self.id} {self.name!r}>"


class Park(TimestampMixin, Base):
    """A business park (bedrijventerrein) registered in the programme."""

    __tablename__ = "park"
    __table_args__ = (
        Index("ix_park_province", "province"),
        Index("ix_park_municipality", "municipality"),
        Index("ix_park_name", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    municipality: Mapped[str] = mapped_column(String(100))
    province: Mapped[str] = mapped_column(String(20))
    ibis_rin: Mapped[str | None] = mapped_column(String(20))
    gross_ha: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    net_ha: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    companies_count: Mapped[int | None]
    jobs: Mapped[int | None]
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    organisation_form: Mapped[str] = mapped_column(String(30), default="geen")
    programme_role: Mapped[str] = mapped_column(String(30), default="deelnemer")
    description: Mapped[str] = mapped_column(Text, default="")
    is_public: Mapped[bool] = mapped_column(Boolean, default=True)
    public_fields: Mapped[list[str]] = mapped_column(
        JSON, default=lambda: list(DEFAULT_PUBLIC_FIELDS)
    )
    association_id: Mapped[int | None] = mapped_column(
        ForeignKey("association.id", ondelete="SET NULL"), index=True
    )
    # The park's contracted grid capacity (a group contract or the sum of connections), in kW.
    contracted_capacity_kw: Mapped[Decimal | None] = mapped_column(Numeric(10, 1))

    association: Mapped[Association | None] = relationship(back_populates="parks")
    companies: Mapped[list[Company]] = relationship(
        back_populates="park", cascade="all, delete-orphan", order_by="Company.name"
    )

    def __repr__(self) -> str:
        return f"<Park {self.slug}>"

    def is_field_public(self, field: str) -> bool:
        """Whether *field* may be shown to someone who only sees the public profile."""
        return field not in PUBLISHABLE_FIELDS or field in (self.public_fields or [])


class Company(TimestampMixin, Base):
    """A member business on a park."""

    __tablename__ = "company"
    __table_args__ = (UniqueConstraint("park_id", "name", name="uq_company_park_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    park_id: Mapped[int] = mapped_column(ForeignKey("park.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kvk_number: Mapped[str | None] = mapped_column(String(8))
    sector: Mapped[str] = mapped_column(String(100), default="")
    # The company's own contracted grid capacity (gecontracteerd transportvermogen), in kW.
    contracted_capacity_kw: Mapped[Decimal | None] = mapped_column(Numeric(10, 1))

    park: Mapped[Park] = relationship(back_populates="companies")

    def __repr__(self) -> str:
        return f"<Company {self.id} {self.name!r}>"
