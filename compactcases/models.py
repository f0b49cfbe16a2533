"""SQLAlchemy models: regions, Compacts and their rules, organisations, users, cases, their
timelines and outcomes, funders' notices, deadlines and their reminders, calendar feeds,
API tokens."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from workflows.deadlines import DeadlineKind, DeadlineStatus
from workflows.dispute import Breach, Level, OutcomeType, State
from workflows.periods import Period, Unit

from .extensions import db


class UTCDateTime(sa.types.TypeDecorator):
    """A timezone-aware UTC timestamp on every database (SQLite stores it without a zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class LabelledEnum(enum.StrEnum):
    """A str enum whose members carry the words shown to people."""

    def __new__(cls, value: str, label: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(m.value, m.label) for m in cls]


def enum_column(enum_class: type[enum.Enum], name: str) -> sa.Enum:
    """A portable enum column: VARCHAR with a CHECK constraint, storing the values."""
    return sa.Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class Tier(LabelledEnum):
    UPPER = "upper", "Upper tier"
    DISTRICT = "district", "District"


class OrganisationKind(LabelledEnum):
    STATUTORY = "statutory", "Statutory funder"
    THIRD_SECTOR = "third_sector", "Third-sector organisation"


class OrganisationType(LabelledEnum):
    COUNCIL = "council", "Council"
    NHS = "nhs", "NHS body"
    POLICE = "police", "Police"
    FIRE_RESCUE = "fire_rescue", "Fire and rescue"
    GOVERNMENT = "government", "Government office or agency"
    CHARITY = "charity", "Charity"
    CVS = "cvs", "Council for voluntary service"
    COMMUNITY_GROUP = "community_group", "Community group"
    SOCIAL_ENTERPRISE = "social_enterprise", "Social enterprise"


STATUTORY_TYPES = frozenset(
    {
        OrganisationType.COUNCIL,
        OrganisationType.NHS,
        OrganisationType.POLICE,
        OrganisationType.FIRE_RESCUE,
        OrganisationType.GOVERNMENT,
    }
)


class Side(LabelledEnum):
    THIRD_SECTOR = "third_sector", "The third-sector organisation"
    FUNDER = "funder", "The statutory funder"


class Area(LabelledEnum):
    """The areas of a Compact a dispute can concern: the codes of the Compact."""

    FUNDING = "funding", "Funding"
    COMMISSIONING = "commissioning", "Commissioning and procurement"
    CONSULTATION = "consultation", "Consultation and policy"
    VOLUNTEERING = "volunteering", "Volunteering"
    EQUALITY = "equality", "Equality and diversity"
    COMMUNITY_GROUPS = "community_groups", "Community groups"
    BME = "bme", "BME organisations"


AREA_ORDER: list[Area] = list(Area)


class Role(LabelledEnum):
    OFFICER = "officer", "Local Compact officer"
    MEDIATOR = "mediator", "Regional mediator"
    FUNDER = "funder", "Funder"
    VIEWER = "viewer", "Regional viewer"
    ADMIN = "admin", "Administrator"


class CaseEventKind(LabelledEnum):
    CREATED = "created", "Case logged"
    TRANSITION = "transition", "Workflow step"
    EDIT = "edit", "Case edited"
    NOTE = "note", "Note"
    MEETING = "meeting", "Meeting"
    ASSIGNMENT = "assignment", "Mediator assigned"
    PAUSE = "pause", "Clock stopped"
    RESUME = "resume", "Clock restarted"
    EXTENSION = "extension", "Deadline extended"
    REMINDER = "reminder", "Reminder sent"


class ReminderChannel(LabelledEnum):
    EMAIL = "email", "E-mail"
    INBOX = "inbox", "In-app"


class ReminderStatus(LabelledEnum):
    PLANNED = "planned", "Planned"
    # Claimed by one sweep, which is sending it now.
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class NoticeKind(LabelledEnum):
    FUNDING_END = "funding_end", "Ending funding"
    FUNDING_REDUCTION = "funding_reduction", "Reducing funding"
    CONSULTATION = "consultation", "Public consultation"

    @property
    def is_funding(self) -> bool:
        return self is not NoticeKind.CONSULTATION


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

    region: Mapped[Region] = relationship()
    compact: Mapped[Compact | None] = relationship()

    @property
    def is_statutory(self) -> bool:
        return self.kind is OrganisationKind.STATUTORY

    def __str__(self) -> str:
        return self.name


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"))
    compact_id: Mapped[int | None] = mapped_column(sa.ForeignKey("compacts.id"))
    region_id: Mapped[int | None] = mapped_column(sa.ForeignKey("regions.id"))
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    # None until a password is set: such an account cannot sign in.
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    last_signed_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    compact: Mapped[Compact | None] = relationship()
    region: Mapped[Region | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.active

    def set_password(self, password: str, method: str = "scrypt") -> None:
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return self.password_hash is not None and check_password_hash(self.password_hash, password)


class SignInAttempt(db.Model):
    """One try at signing in, kept to throttle guessing by account and by address."""

    __tablename__ = "sign_in_attempts"
    __table_args__ = (
        sa.Index("ix_sign_in_attempts_email_at", "email", "attempted_at"),
        sa.Index("ix_sign_in_attempts_address_at", "address", "attempted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # As typed (lower-cased), whether or not such an account exists.
    email: Mapped[str] = mapped_column(sa.String(254))
    address: Mapped[str] = mapped_column(sa.String(64))
    succeeded: Mapped[bool] = mapped_column()
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


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
        sa.Index("ix_cases_raised_on_id", "raised_on", "id"),
        sa.Index("ix_cases_compact_raised_on", "compact_id", "raised_on"),
        sa.Index("ix_cases_state_raised_on", "state", "raised_on"),
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

    case_id: Mapped[int] = mapped_column(
        sa.ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    area: Mapped[Area] = mapped_column(enum_column(Area, "area"), primary_key=True, index=True)


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


class Notice(db.Model):
    """A funder's notice of ending or reducing funding, or a public consultation.

    The verdict's key figures are stored with it, so that lists and compliance rates are
    counted in SQL; they are recomputed whenever the notice or its Compact's rules change.
    """

    __tablename__ = "notices"
    __table_args__ = (
        sa.CheckConstraint(
            "(kind = 'consultation' AND opens_on IS NOT NULL AND closes_on IS NOT NULL) OR "
            "(kind <> 'consultation' AND notice_given_on IS NOT NULL AND effective_on IS NOT NULL)",
            name="dates_for_kind",
        ),
        sa.CheckConstraint(
            "(amount_before IS NULL OR amount_before >= 0) AND "
            "(amount_after IS NULL OR amount_after >= 0)",
            name="amounts",
        ),
        sa.Index("ix_notices_funder_compliant", "funder_id", "compliant"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[NoticeKind] = mapped_column(enum_column(NoticeKind, "notice_kind"))
    compact_id: Mapped[int] = mapped_column(sa.ForeignKey("compacts.id"), index=True)
    funder_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    # The organisation whose funding changes; a consultation may concern no one in particular.
    recipient_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    title: Mapped[str] = mapped_column(sa.String(200))
    notice_given_on: Mapped[date | None] = mapped_column(sa.Date)
    effective_on: Mapped[date | None] = mapped_column(sa.Date)
    written: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    reasons_given: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    amount_before: Mapped[int | None] = mapped_column(sa.BigInteger)
    amount_after: Mapped[int | None] = mapped_column(sa.BigInteger)
    opens_on: Mapped[date | None] = mapped_column(sa.Date)
    closes_on: Mapped[date | None] = mapped_column(sa.Date)
    case_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("cases.id", ondelete="SET NULL"), index=True
    )
    # The verdict, as workflows.periods gave it under the Compact's rules when last computed.
    compliant: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    shortfall_days: Mapped[int] = mapped_column(default=0, server_default="0")
    required_period: Mapped[str] = mapped_column(sa.String(60))
    # Funding: the earliest compliant effective date; consultation: the earliest closing date.
    earliest_compliant_on: Mapped[date] = mapped_column(sa.Date)
    latest_notice_on: Mapped[date | None] = mapped_column(sa.Date)
    explanation: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    compact: Mapped[Compact] = relationship()
    funder: Mapped[Organisation] = relationship(foreign_keys=[funder_id])
    recipient: Mapped[Organisation | None] = relationship(foreign_keys=[recipient_id])
    case: Mapped[Case | None] = relationship(back_populates="notices")
    created_by: Mapped[User | None] = relationship()
    deadlines: Mapped[list[Deadline]] = relationship(
        back_populates="notice",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Deadline.due_on",
    )


class Deadline(db.Model):
    """A dated obligation on a case or a notice, set by one rule of the Compact's rule set.

    `due_on` is stored so that overdue and due-soon lists are filtered in SQL; it is always
    computed by workflows.deadlines.deadline_due from the other columns and the case's pauses.
    """

    __tablename__ = "deadlines"
    __table_args__ = (
        sa.CheckConstraint(
            "(case_id IS NULL) <> (notice_id IS NULL)", name="on_a_case_or_a_notice"
        ),
        sa.CheckConstraint("period_count >= 1 AND extended_by >= 0", name="period"),
        sa.Index("ix_deadlines_status_due_on", "status", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True
    )
    notice_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("notices.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[DeadlineKind] = mapped_column(enum_column(DeadlineKind, "deadline_kind"))
    rule: Mapped[str] = mapped_column(sa.String(40))
    starts_on: Mapped[date] = mapped_column(sa.Date)
    period_count: Mapped[int]
    period_unit: Mapped[Unit] = mapped_column(enum_column(Unit, "deadline_unit"))
    # Added to the period by agreement, in the rule's own unit.
    extended_by: Mapped[int] = mapped_column(default=0, server_default="0")
    due_on: Mapped[date] = mapped_column(sa.Date)
    status: Mapped[DeadlineStatus] = mapped_column(
        enum_column(DeadlineStatus, "deadline_status"), default=DeadlineStatus.OPEN
    )
    closed_on: Mapped[date | None] = mapped_column(sa.Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case | None] = relationship(back_populates="deadlines")
    notice: Mapped[Notice | None] = relationship(back_populates="deadlines")

    @property
    def period(self) -> Period:
        return Period(self.period_count, self.period_unit)

    @property
    def is_open(self) -> bool:
        return self.status is DeadlineStatus.OPEN


class DeadlinePause(db.Model):
    """A span in which a case's clock was stopped: its deadlines do not count these days."""

    __tablename__ = "deadline_pauses"
    __table_args__ = (
        sa.CheckConstraint("ended_on IS NULL OR ended_on >= started_on", name="order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    started_on: Mapped[date] = mapped_column(sa.Date)
    # The day the clock counts again; None while it is still stopped.
    ended_on: Mapped[date | None] = mapped_column(sa.Date)
    reason: Mapped[str] = mapped_column(sa.Text)
    by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship(back_populates="pauses")
    by: Mapped[User | None] = relationship()


class ApiToken(db.Model):
    """A bearer token for the API. Only its SHA-256 is kept: the token is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class OutcomeKind(LabelledEnum):
    RESOLVED = "resolved", "Resolved"
    WITHDRAWN = "withdrawn", "Withdrawn"


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
    jobs_safeguarded: Mapped[int | None] = mapped_column()
    notice_days_gained: Mapped[int | None] = mapped_column()
    service_users_affected: Mapped[int | None] = mapped_column()
    agreed_actions: Mapped[str | None] = mapped_column(sa.Text)
    learning: Mapped[str | None] = mapped_column(sa.Text)
    learning_shareable: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    withdrawal_reason: Mapped[str | None] = mapped_column(sa.Text)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    case: Mapped[Case] = relationship(back_populates="outcome")
    recorded_by: Mapped[User | None] = relationship()


class Reminder(db.Model):
    """One message for one deadline, offset, recipient and channel: unique on those four, so
    it is planned once and sent at most once (see compactcases.reminders.services)."""

    __tablename__ = "reminders"
    __table_args__ = (
        sa.UniqueConstraint(
            "deadline_id",
            "offset_days",
            "recipient_id",
            "channel",
            name="uq_reminders_deadline_offset_recipient_channel",
        ),
        sa.CheckConstraint("attempts >= 0", name="attempts"),
        # What a sweep claims: planned rows whose day has come.
        sa.Index("ix_reminders_status_send_on", "status", "send_on"),
        # The inbox and its unread count in the header.
        sa.Index("ix_reminders_recipient_channel_read", "recipient_id", "channel", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    deadline_id: Mapped[int] = mapped_column(
        sa.ForeignKey("deadlines.id", ondelete="CASCADE"), index=True
    )
    # Working days before the due date (0 on the day, negative once overdue): see
    # workflows.reminders.
    offset_days: Mapped[int]
    recipient_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    channel: Mapped[ReminderChannel] = mapped_column(
        enum_column(ReminderChannel, "reminder_channel")
    )
    send_on: Mapped[date] = mapped_column(sa.Date)
    status: Mapped[ReminderStatus] = mapped_column(
        enum_column(ReminderStatus, "reminder_status"), default=ReminderStatus.PLANNED
    )
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    # After a failed attempt: not before this time.
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claim_token: Mapped[str | None] = mapped_column(sa.String(32))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    # What the message said, as sent (the inbox lists it).
    subject: Mapped[str | None] = mapped_column(sa.String(300))
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    deadline: Mapped[Deadline] = relationship()
    recipient: Mapped[User] = relationship()


class CalendarFeed(db.Model):
    """A user's private calendar address: the token in it is the only credential."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()
