"""Users, their signed-in sessions, their sign-in attempts and their API tokens."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from .base import UTCDateTime, enum_column, utcnow
from .vocabulary import Role

if TYPE_CHECKING:
    from .places import Compact, Organisation, Region


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
    # A lead mediator assigns the region's escalated cases to its mediators (and reassigns
    # them); other mediators take unassigned ones themselves. Meaningful for mediators only.
    lead_mediator: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # None until a password is set: such an account cannot sign in.
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    last_signed_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Whether the person is e-mailed about their cases (moves, meetings, shared documents,
    # responses); the in-app inbox has them either way. Each person turns it off for themselves.
    case_emails: Mapped[bool] = mapped_column(default=True, server_default=sa.true())

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


class UserSession(db.Model):
    """One signed-in browser. The session cookie carries a random id; only its SHA-256 is kept
    here. Deleting the row ends that session at its next request on every host."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


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


class Invitation(db.Model):
    """An invitation for a person of an organisation to make their account: a one-time link,
    e-mailed to them, that expires (`INVITE_DAYS`) and may be revoked. Only the token's
    SHA-256 is kept; the e-mail carries the token and never a password."""

    __tablename__ = "invitations"
    __table_args__ = (
        sa.Index("ix_invitations_organisation_created", "organisation_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    name: Mapped[str] = mapped_column(sa.String(120))
    # The role the account will have: `organisation` for a third-sector organisation,
    # `funder` for a statutory one.
    role: Mapped[Role] = mapped_column(enum_column(Role, "invitation_role"))
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    email_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The account the invitation made, once accepted.
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    organisation: Mapped[Organisation] = relationship()
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])
