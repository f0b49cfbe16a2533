"""Inviting a person of an organisation to make their own account, instead of an administrator
making it for them.

An invitation is a one-time link e-mailed to the person. Only the token's SHA-256 is stored, so
the link can be sent only by the request that made it, after its commit; a link that could not
be sent is replaced by a new one ("send a new link"), never read back. The e-mail never carries
a password: the person sets their own when they open the link. Accepting marks the invitation
used with one conditional UPDATE before the account is made, so a second use (a double click, two
requests racing) makes no second account.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload

from workflows.periods import format_date

from ..auth import passwords
from ..extensions import db
from ..localtime import london
from ..models import (
    Invitation,
    Organisation,
    OrganisationKind,
    Role,
    SignInAttempt,
    User,
    utcnow,
)
from ..policy import PARTY_ROLES, audit, may_invite
from ..reminders import planning
from ..reminders.mail import Mailer, ReminderMessage, email_message_to, page_path

log = logging.getLogger(__name__)

# Asking for a new link, bounded: from one address, a few tries an hour; for one e-mail
# address, its inviter is told at most once a day. The requests are kept as sign-in attempts
# under their own marker, so they never count towards (or reset) signing in's own throttle.
ASK_MARKER = "new-link "
ASKS_PER_ADDRESS_PER_HOUR = 5
INVITER_TOLD_EVERY = timedelta(hours=24)


class InvitationError(ValueError):
    """Input the person can correct; `field` names the field it belongs beside."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class InvitationGone(LookupError):
    """The link is unknown, used, revoked or expired: all four look the same from outside."""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def role_for(organisation: Organisation) -> Role:
    """A statutory organisation's people are funder users; a voluntary one's organisation users."""
    if organisation.kind is OrganisationKind.STATUTORY:
        return Role.FUNDER
    return Role.ORGANISATION


def status_of(invitation: Invitation, now: datetime | None = None) -> str:
    """'accepted', 'revoked', 'expired' or 'pending'."""
    now = now or utcnow()
    if invitation.accepted_at is not None:
        return "accepted"
    if invitation.revoked_at is not None:
        return "revoked"
    if invitation.expires_at <= now:
        return "expired"
    return "pending"


def _account_for(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(sa.func.lower(User.email) == email))


def _revoke_pending(organisation_id: int, email: str, by: User | None, now: datetime) -> None:
    revoked = db.session.scalars(
        sa.select(Invitation.id).where(
            Invitation.organisation_id == organisation_id,
            sa.func.lower(Invitation.email) == email,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
    ).all()
    if revoked:
        db.session.execute(
            sa.update(Invitation)
            .where(Invitation.id.in_(revoked))
            .values(revoked_at=now, revoked_by_id=by.id if by else None)
        )
        for invitation_id in revoked:
            audit("invitation_revoked", invitation_id=invitation_id, by=by.id if by else None)


def _new(organisation: Organisation, email: str, name: str, inviter: User, now: datetime):
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        email=email,
        name=name,
        role=role_for(organisation),
        organisation=organisation,
        token_hash=_digest(token),
        invited_by=inviter,
        created_at=now,
        expires_at=now + timedelta(days=current_app.config["INVITE_DAYS"]),
    )
    db.session.add(invitation)
    return invitation, token


def _taken(inviter: User, account: User, email: str) -> str:
    """Why `email` cannot be invited, as much as `inviter` may know: the Compact's own people
    are told whose it is; a party's user only of an account of its own organisation, so that
    inviting cannot be used to learn who else has one."""
    if inviter.role in PARTY_ROLES and account.organisation_id != inviter.organisation_id:
        return f"{email} cannot be invited. If you think it should be, ask your Compact officer"
    if account.active:
        return f"There is already an account for {email}: they can sign in with it"
    return (
        f"There is already an account for {email}, now deactivated: "
        "an administrator can reactivate it"
    )


def invite(inviter: User, organisation: Organisation, email: str, name: str):
    """A new invitation and its token (to send once, now). An earlier pending invitation to the
    same address for the same organisation is revoked: only the newest link works."""
    if not may_invite(inviter, organisation):
        raise PermissionError("may not invite for this organisation")
    email = (email or "").strip().lower()
    name = (name or "").strip()
    if not name:
        raise InvitationError("name", "Enter the person's name")
    if len(name) > 120:
        raise InvitationError("name", "The name must be 120 characters or fewer")
    if not email or "@" not in email.strip("@") or len(email) > 254 or " " in email:
        raise InvitationError("email", "Enter an email address like name@example.org")
    account = _account_for(email)
    if account is not None:
        raise InvitationError("email", _taken(inviter, account, email))
    now = utcnow()
    _revoke_pending(organisation.id, email, inviter, now)
    invitation, token = _new(organisation, email, name, inviter, now)
    db.session.commit()
    audit(
        "invitation_created",
        invitation_id=invitation.id,
        by=inviter.id,
        organisation_id=organisation.id,
        role=invitation.role.value,
    )
    return invitation, token


def send_new_link(inviter: User, invitation: Invitation):
    """A new link for the same person, the old one revoked: when the e-mail was not sent, was
    lost, or the link expired. Refused once the invitation has been accepted."""
    if not may_invite(inviter, invitation.organisation):
        raise PermissionError("may not invite for this organisation")
    if invitation.accepted_at is not None:
        raise InvitationError("invitation", f"{invitation.name} has already made their account")
    return invite(inviter, invitation.organisation, invitation.email, invitation.name)


def revoke(user: User, invitation: Invitation) -> bool:
    """Stop the link working; False if it had already been used or revoked."""
    if not may_invite(user, invitation.organisation):
        raise PermissionError("may not invite for this organisation")
    done = db.session.execute(
        sa.update(Invitation)
        .where(
            Invitation.id == invitation.id,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
        .values(revoked_at=utcnow(), revoked_by_id=user.id)
    ).rowcount
    db.session.commit()
    if done:
        audit("invitation_revoked", invitation_id=invitation.id, by=user.id)
    return bool(done)


# -- the e-mails ------------------------------------------------------------------------------


def link_for(token: str) -> str:
    path = page_path("invitations.accept", token=token)
    return current_app.config["BASE_URL"].rstrip("/") + path


def _send(email: EmailMessage) -> bool:
    """Send now; False (and logged) if the mail server could not take it."""
    mailer = Mailer(current_app.config)
    try:
        mailer.send(email)
    except (smtplib.SMTPException, OSError) as error:
        log.warning("invitation e-mail not sent: %s", error)
        return False
    finally:
        mailer.close()
    return True


def expiry_date(invitation: Invitation) -> str:
    """The last day the link works, as people write it."""
    return format_date(london(invitation.expires_at).date())


def send_invitation(invitation: Invitation, token: str) -> bool:
    """E-mail the link (text and HTML; never a password) and note when it went."""
    link = link_for(token)
    values = {
        "invitation": invitation,
        "organisation": invitation.organisation.name,
        "inviter": invitation.invited_by.name if invitation.invited_by else "Compact Cases",
        "link": link,
        "expires": expiry_date(invitation),
    }
    env = current_app.jinja_env
    message = ReminderMessage(
        subject=f"Make your Compact Cases account for {invitation.organisation.name}",
        text=env.get_template("invitations/email.txt").render(values),
        html=env.get_template("invitations/email.html").render(values),
        link=link,
    )
    sent = _send(email_message_to(invitation, message, f"invitation-{invitation.id}"))
    if sent:
        invitation.email_sent_at = utcnow()
        db.session.commit()
    return sent


# -- accepting --------------------------------------------------------------------------------


def usable(token: str | None) -> Invitation | None:
    """The invitation this link is for, if it can still be used."""
    if not token or len(token) > 200:
        return None
    invitation = db.session.scalar(
        sa.select(Invitation)
        .options(joinedload(Invitation.organisation))
        .where(Invitation.token_hash == _digest(token))
    )
    if invitation is None or status_of(invitation) != "pending":
        return None
    return invitation


def accept(token: str, password: str, confirm: str) -> User:
    """Make the account the link was for, with the password the person chose, and mark the
    invitation used, in one transaction. Only one request can use a link."""
    invitation = usable(token)
    if invitation is None:
        raise InvitationGone()
    problem = passwords.password_problem(password, name=invitation.name, email=invitation.email)
    if problem:
        raise InvitationError("password", problem)
    if password != confirm:
        raise InvitationError("confirm", "The passwords do not match")
    now = utcnow()
    claimed = db.session.execute(
        sa.update(Invitation)
        .where(
            Invitation.id == invitation.id,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > now,
        )
        .values(accepted_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1 or _account_for(invitation.email) is not None:
        db.session.rollback()
        raise InvitationGone()
    organisation = invitation.organisation
    user = User(
        email=invitation.email,
        name=invitation.name,
        role=invitation.role,
        organisation_id=organisation.id,
        region_id=organisation.region_id,
        active=True,
        last_signed_in_at=now,
    )
    user.set_password(password, method=current_app.config["PASSWORD_HASH_METHOD"])
    db.session.add(user)
    db.session.flush()
    db.session.execute(
        sa.update(Invitation)
        .where(Invitation.id == invitation.id)
        .values(user_id=user.id)
        .execution_options(synchronize_session=False)
    )
    planning.plan_again_for_person(user.id)
    db.session.commit()
    audit("invitation_accepted", invitation_id=invitation.id, user_id=user.id)
    return user


# -- asking for a new link --------------------------------------------------------------------


@dataclass(frozen=True)
class AskResult:
    # Seconds to wait when this address asked too often; 0 when heard.
    retry_after: int = 0


def ask_for_new_link(email: str, address: str) -> AskResult:
    """Someone whose link no longer works asks for a new one. If an invitation to this address
    was made and not used, and no account has it, its inviter is told by e-mail (at most once a
    day). The answer is the same whether or not anything matched."""
    email = (email or "").strip().lower()[:240]
    now = utcnow()
    marker_address = (ASK_MARKER + address)[:64]
    marker_email = ASK_MARKER + email
    hour_ago = now - timedelta(hours=1)
    asked, first = db.session.execute(
        sa.select(sa.func.count(SignInAttempt.id), sa.func.min(SignInAttempt.attempted_at)).where(
            SignInAttempt.address == marker_address, SignInAttempt.attempted_at > hour_ago
        )
    ).one()
    if asked >= ASKS_PER_ADDRESS_PER_HOUR:
        wait = (first + timedelta(hours=1) - now).total_seconds()
        return AskResult(retry_after=max(1, int(wait) + 1))
    told_lately = db.session.scalar(
        sa.select(SignInAttempt.id)
        .where(
            SignInAttempt.email == marker_email,
            SignInAttempt.succeeded.is_(True),
            SignInAttempt.attempted_at > now - INVITER_TOLD_EVERY,
        )
        .limit(1)
    )
    invitation = None
    if told_lately is None and "@" in email and _account_for(email) is None:
        invitation = db.session.scalar(
            sa.select(Invitation)
            .where(sa.func.lower(Invitation.email) == email, Invitation.accepted_at.is_(None))
            .order_by(Invitation.created_at.desc(), Invitation.id.desc())
            .limit(1)
        )
    inviter = invitation.invited_by if invitation is not None else None
    told = inviter is not None and inviter.active and _tell_inviter(invitation, inviter)
    db.session.add(
        SignInAttempt(
            email=marker_email, address=marker_address, succeeded=bool(told), attempted_at=now
        )
    )
    db.session.commit()
    if told:
        audit("invitation_new_link_asked", invitation_id=invitation.id, inviter=inviter.id)
    return AskResult()


def _tell_inviter(invitation: Invitation, inviter: User) -> bool:
    path = page_path("invitations.people", organisation_id=invitation.organisation_id)
    link = current_app.config["BASE_URL"].rstrip("/") + path
    values = {"invitation": invitation, "inviter": inviter, "link": link}
    env = current_app.jinja_env
    message = ReminderMessage(
        subject=f"{invitation.name} asked for a new link to make their account",
        text=env.get_template("invitations/asked_email.txt").render(values),
        html=env.get_template("invitations/asked_email.html").render(values),
        link=link,
    )
    return _send(email_message_to(inviter, message, f"invitation-{invitation.id}-asked"))


# -- the organisation's people ----------------------------------------------------------------


@dataclass(frozen=True)
class People:
    accounts: list[User]
    invitations: list[tuple[Invitation, str]]


def people(organisation: Organisation) -> People:
    """The organisation's active accounts, and its invitations newest first with their status."""
    accounts = db.session.scalars(
        sa.select(User)
        .where(User.organisation_id == organisation.id, User.active.is_(True))
        .order_by(User.name)
    ).all()
    invitations = db.session.scalars(
        sa.select(Invitation)
        .options(joinedload(Invitation.invited_by))
        .where(Invitation.organisation_id == organisation.id)
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
        .limit(200)
    ).all()
    now = utcnow()
    return People(list(accounts), [(i, status_of(i, now)) for i in invitations])


def get_organisation(organisation_id: int) -> Organisation | None:
    return db.session.get(Organisation, organisation_id)


def get_invitation(invitation_id: int) -> Invitation | None:
    return db.session.get(Invitation, invitation_id)
