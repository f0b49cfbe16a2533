"""Regions, Compacts with their own rules, and organisations."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflows.periods import Period, Unit

from ..extensions import db
from .base import enum_column
from .vocabulary import OrganisationKind, OrganisationType, Tier


class Region(db.Model):
    __tablename__ = "regions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(8), unique=True)
    name: Mapped[str] = mapped_column(sa.String(100))

    compacts: Mapped[list[Compact]] = relationship(back_populates="region")


class Compact(db.Model):
    __tablename__ = "compacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(8), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    tier: Mapped[Tier] = mapped_column(enum_column(Tier, "tier"))
    region_id: Mapped[int] = mapped_column(sa.ForeignKey("regions.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("compacts.id"), index=True)
    # Days before a funding agreement's latest notice date on which its funder and officers
    # are reminded, as "56, 28, 14, 7, 0"; None inherits the parent's, then the default.
    agreement_reminders: Mapped[str | None] = mapped_column(sa.String(60))

    region: Mapped[Region] = relationship(back_populates="compacts")
    parent: Mapped[Compact | None] = relationship(remote_side=[id], back_populates="districts")
    districts: Mapped[list[Compact]] = relationship(back_populates="parent")

    def __str__(self) -> str:
        return self.name


class Organisation(db.Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(160), unique=True)
    kind: Mapped[OrganisationKind] = mapped_column(
        enum_column(OrganisationKind, "organisation_kind")
    )
    type: Mapped[OrganisationType] = mapped_column(
        enum_column(OrganisationType, "organisation_type")
    )
    region_id: Mapped[int] = mapped_column(sa.ForeignKey("regions.id"), index=True)
    # The Compact the organisation mainly works in; regional bodies have none.
    compact_id: Mapped[int | None] = mapped_column(sa.ForeignKey("compacts.id"), index=True)
    # The postal address letters are sent to, one line a line; optional.
    address: Mapped[str | None] = mapped_column(sa.Text)

    region: Mapped[Region] = relationship()
    compact: Mapped[Compact | None] = relationship()

    @property
    def address_lines(self) -> list[str]:
        return [line.strip() for line in (self.address or "").splitlines() if line.strip()]

    @property
    def is_statutory(self) -> bool:
        return self.kind is OrganisationKind.STATUTORY

    def __str__(self) -> str:
        return self.name


class CompactRule(db.Model):
    """One period of a Compact's rule set that differs from what it would inherit."""

    __tablename__ = "compact_rules"
    __table_args__ = (
        sa.UniqueConstraint("compact_id", "name", name="uq_compact_rules_compact_id_name"),
        sa.CheckConstraint("count >= 1", name="count"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    compact_id: Mapped[int] = mapped_column(sa.ForeignKey("compacts.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(40))
    count: Mapped[int]
    unit: Mapped[Unit] = mapped_column(enum_column(Unit, "period_unit"))

    @property
    def period(self) -> Period:
        return Period(self.count, self.unit)
