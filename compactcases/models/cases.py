"""Cases: the dispute, its areas, its timeline, its reference numbers and its outcome, and the
answers of a concern being raised online before it becomes a case."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflows.dispute import State
from workflows.outcomes import MAX_FIGURE, Breach, Level, OutcomeType

from ..extensions import db
from .base import UTCDateTime, enum_column, utcnow
from .vocabulary import AREA_ORDER, Area, CaseEventKind, CaseLevel, OutcomeKind, Side

if TYPE_CHECKING:
    from .deadlines import Deadline, DeadlinePause
    from .notices import Notice
    from .people import User
    from .places import Compact, Organisation


class ReferenceCounter(db.Model):
    """The last case number used for a Compact in a year; bumped atomically per new case."""

    __tablename__ = "reference_counters"

    compact_id: Mapped[int] = mapped_column(sa.ForeignKey("compacts.id"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(default=0)


class Case(db.Model):
    __tablename__ = "cases"
    __table_args__ = (
        sa.CheckConstraint("funder_id <> third_sector_id", name="different_parties"),
        sa.CheckConstraint("amount_at_stake IS NULL OR amount_at_stake >= 0", name="amount"),
        sa.CheckConstraint(f"amount_at_stake <= {MAX_FIGURE}", name="amount_bound"),
        sa.Index("ix_cases_raised_on_id", "raised_on", "id"),
        sa.Index("ix_cases_compact_raised_on", "compact_id", "raised_on"),
        sa.Index("ix_cases_state_raised_on", "state", "raised_on"),
        # The reports count the odd days of a period outside whole months from the cases.
        sa.Index("ix_cases_closed_on", "closed_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(sa.String(20), unique=True)
    compact_id: Mapped[int] = mapped_column(sa.ForeignKey("compacts.id"))
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.Text)
    funder_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    third_sector_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    raised_by: Mapped[Side] = mapped_column(enum_column(Side, "side"))
    amount_at_stake: Mapped[int | None] = mapped_column(sa.BigInteger)
    state: Mapped[State] = mapped_column(enum_column(State, "case_state"), default=State.RAISED)
    # The open state a closed case left, so that reopening can return it there.
    previous_state: Mapped[State | None] = mapped_column(enum_column(State, "previous_state"))
    officer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    mediator_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    raised_on: Mapped[date] = mapped_column(sa.Date)
    # Set the first time the case goes to regional mediation; mediators see such cases.
    escalated_on: Mapped[date | None] = mapped_column(sa.Date)
    closed_on: Mapped[date | None] = mapped_column(sa.Date)
    # Working days from raised_on to closed_on, counted once when the case closes so that
    # reports can take medians and percentiles over a stored integer in SQL.
    working_days_to_close: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    compact: Mapped[Compact] = relationship()
    funder: Mapped[Organisation] = relationship(foreign_keys=[funder_id])
    third_sector: Mapped[Organisation] = relationship(foreign_keys=[third_sector_id])
    officer: Mapped[User | None] = relationship(foreign_keys=[officer_id])
    mediator: Mapped[User | None] = relationship(foreign_keys=[mediator_id])
    area_rows: Mapped[list[CaseArea]] = relationship(
        cascade="all, delete-orphan", order_by="CaseArea.area"
    )
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case",
        order_by="(CaseEvent.occurred_at.desc(), CaseEvent.id.desc())",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    outcome: Mapped[Outcome | None] = relationship(
        back_populates="case", cascade="all, delete-orphan", passive_deletes=True
    )

    deadlines: Mapped[list[Deadline]] = relationship(
        back_populates="case",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(Deadline.due_on, Deadline.id)",
    )
    pauses: Mapped[list[DeadlinePause]] = relationship(
        back_populates="case",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(DeadlinePause.started_on, DeadlinePause.id)",
    )
    notices: Mapped[list[Notice]] = relationship(back_populates="case", order_by="Notice.id")
    # Every party, the two leads included; kept in step with funder_id and third_sector_id.
    party_rows: Mapped[list[CaseParty]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="CaseParty.position"
    )
    # A regional case's affected Compacts (its lead `compact` first); none for a local case.
    compact_rows: Mapped[list[CaseCompact]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="CaseCompact.position"
    )

    @property
    def level(self) -> CaseLevel:
        """Regional when the case spans affected Compacts, held by the region's mediators."""
        return CaseLevel.REGIONAL if self.compact_rows else CaseLevel.LOCAL

    @property
    def is_regional(self) -> bool:
        return bool(self.compact_rows)

    @property
    def affected_compacts(self) -> list[Compact]:
        """The Compacts the case concerns: a local case's own, a regional case's affected."""
        return [row.compact for row in self.compact_rows] or [self.compact]

    @property
    def parties(self) -> list[CaseParty]:
        """Every party, funders first, each side in the order given (the lead first)."""
        return sorted(self.party_rows, key=lambda p: (p.side is not Side.FUNDER, p.position))

    def set_parties(self, funder_ids: list[int], third_sector_ids: list[int]) -> None:
        """Make the parties these, the first of each side its lead (funder_id, third_sector_id)."""
        self.funder_id, self.third_sector_id = funder_ids[0], third_sector_ids[0]
        wanted = [(i, Side.FUNDER) for i in funder_ids] + [
            (i, Side.THIRD_SECTOR) for i in third_sector_ids
        ]
        have = {row.organisation_id: row for row in self.party_rows}
        rows = []
        for position, (organisation_id, side) in enumerate(wanted):
            row = have.get(organisation_id) or CaseParty(organisation_id=organisation_id)
            row.side, row.position = side, position
            rows.append(row)
        self.party_rows = rows

    def set_affected_compacts(self, compact_ids: list[int]) -> None:
        """Make the case regional over these Compacts (the first its lead), or local if none."""
        have = {row.compact_id: row for row in self.compact_rows}
        rows = []
        for position, compact_id in enumerate(dict.fromkeys(compact_ids)):
            row = have.get(compact_id) or CaseCompact(compact_id=compact_id)
            row.position = position
            rows.append(row)
        self.compact_rows = rows

    @property
    def areas(self) -> list[Area]:
        return sorted((row.area for row in self.area_rows), key=AREA_ORDER.index)

    @areas.setter
    def areas(self, areas: list[Area]) -> None:
        wanted = list(dict.fromkeys(Area(a) for a in areas))
        kept = [row for row in self.area_rows if row.area in wanted]
        have = {row.area for row in kept}
        self.area_rows = kept + [CaseArea(area=a) for a in wanted if a not in have]

    @property
    def is_open(self) -> bool:
        return self.state.is_open

    @property
    def open_pause(self) -> DeadlinePause | None:
        return next((p for p in self.pauses if p.ended_on is None), None)


class CaseArea(db.Model):
    __tablename__ = "case_areas"
    # An area's cases, read from the index alone (the case list filtered by area).
    __table_args__ = (sa.Index("ix_case_areas_area_case", "area", "case_id"),)

    case_id: Mapped[int] = mapped_column(
        sa.ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    area: Mapped[Area] = mapped_column(enum_column(Area, "area"), primary_key=True)


class CaseParty(db.Model):
    """One organisation party to a case, on one side: an organisation is on one side only."""

    __tablename__ = "case_parties"
    # A funder's cases, whichever party it is (policy.scope_cases).
    __table_args__ = (sa.Index("ix_case_parties_organisation_case", "organisation_id", "case_id"),)

    case_id: Mapped[int] = mapped_column(
        sa.ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id"), primary_key=True
    )
    side: Mapped[Side] = mapped_column(enum_column(Side, "party_side"))
    position: Mapped[int] = mapped_column(default=0)

    organisation: Mapped[Organisation] = relationship(lazy="joined")


class CaseCompact(db.Model):
    """One local Compact a regional case affects; its officers see the case read-only."""

    __tablename__ = "case_compacts"
    # An officer's regional cases (policy.scope_cases) and a Compact's in the reports.
    __table_args__ = (sa.Index("ix_case_compacts_compact_case", "compact_id", "case_id"),)

    case_id: Mapped[int] = mapped_column(
        sa.ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    compact_id: Mapped[int] = mapped_column(sa.ForeignKey("compacts.id"), primary_key=True)
    position: Mapped[int] = mapped_column(default=0)

    compact: Mapped[Compact] = relationship(lazy="joined")


class CaseEvent(db.Model):
    """One entry of a case's append-only timeline."""

    __tablename__ = "case_events"
    __table_args__ = (sa.Index("ix_case_events_case_occurred", "case_id", "occurred_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"))
    kind: Mapped[CaseEventKind] = mapped_column(enum_column(CaseEventKind, "case_event_kind"))
    event: Mapped[str | None] = mapped_column(sa.String(32))
    from_state: Mapped[State | None] = mapped_column(enum_column(State, "from_state"))
    to_state: Mapped[State | None] = mapped_column(enum_column(State, "to_state"))
    reason: Mapped[str | None] = mapped_column(sa.Text)
    # For edits: {field: [old, new]} with values as shown to people.
    changes: Mapped[dict | None] = mapped_column(sa.JSON)
    # Private notes are for Compact officers and mediators, not the parties.
    private: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class Outcome(db.Model):
    """How a closed case ended: one row per case, removed again if the case is reopened.

    A resolved case carries the full outcome; a withdrawn one only the level it had reached and
    the reason (the lighter record), so that reports count both from one table.
    """

    __tablename__ = "outcomes"
    __table_args__ = (
        sa.CheckConstraint(
            "(funding_protected IS NULL OR funding_protected >= 0)"
            " AND (jobs_safeguarded IS NULL OR jobs_safeguarded >= 0)"
            " AND (notice_days_gained IS NULL OR notice_days_gained >= 0)"
            " AND (service_users_affected IS NULL OR service_users_affected >= 0)",
            name="figures_not_negative",
        ),
        sa.CheckConstraint(
            f"funding_protected <= {MAX_FIGURE} AND jobs_safeguarded <= {MAX_FIGURE}"
            f" AND notice_days_gained <= {MAX_FIGURE} AND service_users_affected <= {MAX_FIGURE}",
            name="figures_bound",
        ),
        sa.Index("ix_outcomes_kind_level", "kind", "level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    kind: Mapped[OutcomeKind] = mapped_column(enum_column(OutcomeKind, "outcome_kind"))
    level: Mapped[Level] = mapped_column(enum_column(Level, "outcome_level"))
    outcome_type: Mapped[OutcomeType | None] = mapped_column(
        enum_column(OutcomeType, "outcome_type")
    )
    breach_found: Mapped[Breach | None] = mapped_column(enum_column(Breach, "breach_found"))
    funding_protected: Mapped[int | None] = mapped_column(sa.BigInteger)
    # Every figure is BIGINT, bounded by MAX_FIGURE as the forms and the API are.
    jobs_safeguarded: Mapped[int | None] = mapped_column(sa.BigInteger)
    notice_days_gained: Mapped[int | None] = mapped_column(sa.BigInteger)
    service_users_affected: Mapped[int | None] = mapped_column(sa.BigInteger)
    agreed_actions: Mapped[str | None] = mapped_column(sa.Text)
    learning: Mapped[str | None] = mapped_column(sa.Text)
    learning_shareable: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    withdrawal_reason: Mapped[str | None] = mapped_column(sa.Text)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    case: Mapped[Case] = relationship(back_populates="outcome")
    recorded_by: Mapped[User | None] = relationship()


class ConcernDraft(db.Model):
    """The answers an organisation's user has given so far on the pages of raising a concern
    (with the check page's one-time token), kept until the concern is sent: one an account."""

    __tablename__ = "concern_drafts"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    answers: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
