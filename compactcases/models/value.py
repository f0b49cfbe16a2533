"""The business case's proxies and the annual self-assessment: each local Compact's return
for a year, and the filing deadline its region sets for the year."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflows.business_case import MAX_PROXY_PENCE, Proxy, ProxyKind
from workflows.self_assessment import Answers, ReturnStatus

from ..extensions import db
from .base import UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from .deadlines import Deadline
    from .people import User
    from .places import Compact, Region


class ValueProxy(db.Model):
    """The value an administrator puts on one unit of a measure (a job, a service user), in
    pence, with its source: one row a kind."""

    __tablename__ = "value_proxies"
    __table_args__ = (
        sa.CheckConstraint(
            f"low_pence >= 0 AND high_pence >= low_pence AND high_pence <= {MAX_PROXY_PENCE}",
            name="range",
        ),
        sa.CheckConstraint(
            "central_pence IS NULL OR (central_pence >= low_pence AND central_pence <= high_pence)",
            name="central",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ProxyKind] = mapped_column(enum_column(ProxyKind, "proxy_kind"), unique=True)
    low_pence: Mapped[int] = mapped_column(sa.BigInteger)
    high_pence: Mapped[int] = mapped_column(sa.BigInteger)
    central_pence: Mapped[int | None] = mapped_column(sa.BigInteger)
    source: Mapped[str] = mapped_column(sa.Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    updated_by: Mapped[User | None] = relationship()

    @property
    def proxy(self) -> Proxy:
        return Proxy(self.kind, self.low_pence, self.high_pence, self.source, self.central_pence)


class SelfAssessmentYear(db.Model):
    """A region's self-assessment year (April to March, named by its first year): the filing
    deadline it set, and when it closed (no return may be reopened after)."""

    __tablename__ = "self_assessment_years"
    __table_args__ = (sa.UniqueConstraint("region_id", "year", name="uq_self_assessment_years"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(sa.ForeignKey("regions.id"))
    year: Mapped[int]
    due_on: Mapped[date] = mapped_column(sa.Date)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    region: Mapped[Region] = relationship()


class SelfAssessment(db.Model):
    """One local Compact's return for one year, drafted and saved as its officer goes; its
    answers are stored as `workflows.self_assessment.Answers.to_json` writes them."""

    __tablename__ = "self_assessments"
    __table_args__ = (sa.UniqueConstraint("compact_id", "year", name="uq_self_assessments"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    compact_id: Mapped[int] = mapped_column(sa.ForeignKey("compacts.id"))
    year: Mapped[int]
    status: Mapped[ReturnStatus] = mapped_column(
        enum_column(ReturnStatus, "return_status"), default=ReturnStatus.DRAFT
    )
    answers_json: Mapped[dict] = mapped_column("answers", sa.JSON, default=dict)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    reopened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reopen_reason: Mapped[str | None] = mapped_column(sa.Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    compact: Mapped[Compact] = relationship()
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    deadlines: Mapped[list[Deadline]] = relationship(
        back_populates="self_assessment",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(Deadline.due_on, Deadline.id)",
    )

    @property
    def answers(self) -> Answers:
        return Answers.from_json(self.answers_json)

    @answers.setter
    def answers(self, answers: Answers) -> None:
        self.answers_json = answers.to_json()
