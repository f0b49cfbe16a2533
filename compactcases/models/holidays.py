"""Bank holidays an administrator added or removed, and the log of every such change."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflows.bank_holidays import Override

from ..extensions import db
from .base import UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from .people import User


class BankHolidayOverride(db.Model):
    """A day added to England's published bank holidays, or one of them removed: at most one
    override a day. Working days count with the published days changed by these rows."""

    __tablename__ = "bank_holiday_overrides"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(sa.Date, unique=True)
    change: Mapped[Override] = mapped_column(enum_column(Override, "bank_holiday_override"))
    reason: Mapped[str] = mapped_column(sa.Text)
    by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    by: Mapped[User | None] = relationship()


class BankHolidayChange(db.Model):
    """One change an administrator made to the bank holidays, kept for good (rows are only
    ever added): what, why, by whom, when, and how many open deadlines moved. The latest row
    is the version of the bank holidays every process compares with its own."""

    __tablename__ = "bank_holiday_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(sa.Date)
    # "added": the day became a bank holiday; "removed": it stopped being one.
    change: Mapped[Override] = mapped_column(enum_column(Override, "bank_holiday_change"))
    reason: Mapped[str] = mapped_column(sa.Text)
    by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deadlines_moved: Mapped[int] = mapped_column(default=0, server_default="0")

    by: Mapped[User | None] = relationship()
