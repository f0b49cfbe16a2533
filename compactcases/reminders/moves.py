"""Telling people what happened on a case: the officers of a regional case's affected Compacts
that it moved, and the people of a case's parties of each state change, each document shared
with them and each meeting they are invited to. One message per timeline entry, person and
channel (e-mail, unless the person turned case e-mails off, and the in-app inbox), exactly
once.

The rows are planned in the transaction that moves the case (`plan_updates`), unique on
(entry, recipient, channel), so a move is announced once however often it is retried; the
reminder sweep then claims and sends them as it does reminders (`send_due`): claimed in a
short transaction (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite),
sent, and marked under the claim's token.
"""

from __future__ import annotations

import smtplib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from html import escape

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload

from workflows.dispute import State

from .. import scopes
from ..extensions import db
from ..models import (
    Case,
    CaseEvent,
    CaseEventKind,
    CaseParty,
    CaseUpdate,
    ReminderChannel,
    ReminderStatus,
    User,
    utcnow,
)
from . import claims
from .mail import Mailer, ReminderMessage, case_link, email_message_to
from .planning import channels, dialect
from .raised import describe_raised, raised_online
from .recipients import compact_officers
from .responses import describe_response


def affected_officers(case: Case) -> list[User]:
    """The active officers who read the case: those of each Compact it affects and of those
    Compacts' upper tiers."""
    return compact_officers([row.compact_id for row in case.compact_rows])


def party_users(case: Case) -> list[User]:
    """The active people of the case's parties (funder and organisation users whose
    organisation is in `case_parties`): those a state change or a shared document tells."""
    parties = sa.select(CaseParty.organisation_id).where(CaseParty.case_id == case.id)
    return list(
        db.session.scalars(
            sa.select(User)
            .where(
                User.role.in_(scopes.PARTY_ROLES),
                User.active,
                User.organisation_id.in_(parties),
            )
            .order_by(User.id)
        )
    )


# The timeline entries a case's parties are told of, when the entry is not private: a state
# change, and a document shared with them (a private document's entry is private).
PARTY_NEWS = frozenset({CaseEventKind.TRANSITION, CaseEventKind.DOCUMENT_ADDED})


def _plan(entry: CaseEvent, user: User, *, email: bool = True) -> None:
    """One row per channel: the inbox always; e-mail only if the person wants case e-mails
    (asked again when it is sent, so turning them off stops what is queued)."""
    for channel in channels():
        if channel is ReminderChannel.EMAIL and not (email and user.case_emails):
            continue
        db.session.add(CaseUpdate(case_event=entry, recipient_id=user.id, channel=channel))


def plan_updates(case: Case, entry: CaseEvent) -> None:
    """Plan the messages announcing `entry`, in the caller's transaction: to the officers of
    a regional case's affected Compacts (its moves), and to the people of its parties (a
    state change or a shared document, never a private entry). Each person once; the one
    who made the entry is not told of it."""
    told: dict[int, User] = {}
    if case.is_regional and entry.kind is not CaseEventKind.DOCUMENT_ADDED:
        told.update((officer.id, officer) for officer in affected_officers(case))
    if entry.kind in PARTY_NEWS and not entry.private:
        told.update((user.id, user) for user in party_users(case))
    for user in told.values():
        if user.id != entry.actor_id:
            _plan(entry, user)


def plan_invitations(entry: CaseEvent, users: Iterable[User]) -> None:
    """The inbox message telling each invited party user of a meeting (`entry`, its
    scheduling); the invitation itself is e-mailed by the meetings' outbox."""
    for user in users:
        if user.role in scopes.PARTY_ROLES and user.active and user.id != entry.actor_id:
            db.session.add(
                CaseUpdate(case_event=entry, recipient_id=user.id, channel=ReminderChannel.INBOX)
            )


# A case's state in plain words, after its reference.
PLAIN_STATES = {
    State.RAISED: "is raised and waiting for the Compact officer",
    State.LOCAL_CONCILIATION: "is now in local conciliation",
    State.REGIONAL_MEDIATION: "is now in regional mediation",
    State.RESOLVED: "has been resolved",
    State.WITHDRAWN: "has been withdrawn",
}


def describe(update: CaseUpdate) -> ReminderMessage:
    """What an update says, by the kind of its timeline entry, with a link to the case."""
    kind = update.case_event.kind
    if kind is CaseEventKind.RESPONSE:
        return describe_response(update)
    if raised_online(update.case_event):
        return describe_raised(update)
    if kind is CaseEventKind.DOCUMENT_ADDED:
        return _document_shared(update)
    if kind is CaseEventKind.MEETING_SCHEDULED:
        return _meeting_invitation(update)
    if update.recipient.role in scopes.PARTY_ROLES:
        return _state_change(update)
    return _regional_move(update)


def _message(case: Case, subject: str, lines: list[str]) -> ReminderMessage:
    link = case_link(case.reference)
    text = "\n\n".join([*lines, f"You can read the case at {link}"]) + "\n"
    paragraphs = "".join(f"<p>{escape(line)}</p>" for line in lines)
    html = paragraphs + f'<p><a href="{escape(link)}">Read case {escape(case.reference)}</a></p>'
    return ReminderMessage(subject=subject[:300], text=text, html=html, link=link)


def readable_by(entry: CaseEvent, user: User) -> bool:
    """Whether `user`'s timeline shows `entry` (`scopes.scope_timeline`), asked of the
    database: only what it shows is quoted to them."""
    found = sa.select(CaseEvent.id).where(CaseEvent.id == entry.id)
    return db.session.scalar(scopes.scope_timeline(found, user)) is not None


def _state_change(update: CaseUpdate) -> ReminderMessage:
    entry = update.case_event
    case = entry.case
    state = entry.to_state or case.state
    subject = f"{case.reference} {PLAIN_STATES[state]}"
    lines = [f"Your case {case.reference}, “{case.title}”, {PLAIN_STATES[state]}."]
    if entry.reason and readable_by(entry, update.recipient):
        lines.append(entry.reason)
    return _message(case, subject, lines)


def _document_shared(update: CaseUpdate) -> ReminderMessage:
    case = update.case_event.case
    subject = f"A document was shared with you on {case.reference}"
    lines = [
        f"A document was shared with the parties on case {case.reference}, “{case.title}”.",
        "Sign in to read it with the case's other shared documents.",
    ]
    return _message(case, subject, lines)


def _meeting_invitation(update: CaseUpdate) -> ReminderMessage:
    case = update.case_event.case
    subject = f"You are invited to a meeting on {case.reference}"
    lines = [
        f"You are invited to a meeting on case {case.reference}, “{case.title}”.",
        "Its date, place and agenda are on the case's page.",
    ]
    return _message(case, subject, lines)


def _regional_move(update: CaseUpdate) -> ReminderMessage:
    """A regional case's move, as its affected Compacts' officers are told of it."""
    entry = update.case_event
    case = entry.case
    if entry.kind is CaseEventKind.TRANSITION and entry.to_state is not None:
        happened = f"has moved to {entry.to_state.label.lower()}"
    elif entry.kind is CaseEventKind.REFERRAL:
        happened = "was referred to the region"
    else:
        happened = "was opened at the region's level"
    compacts = ", ".join(c.name for c in case.affected_compacts)
    subject = f"{case.reference} {happened}"
    link = case_link(case.reference)
    text = (
        f"Regional case {case.reference}, “{case.title}”, {happened}.\n"
        f"It affects: {compacts}. The region's mediators hold it; you can read it at {link}.\n"
        + (f"\n{entry.reason}\n" if entry.reason else "")
    )
    html = (
        f'<p>Regional case <a href="{link}">{case.reference}</a> {happened}.</p>'
        f"<p>It affects: {compacts}.</p>"
    )
    return ReminderMessage(subject=subject[:300], text=text, html=html, link=link)


def _claim(limit: int) -> tuple[str, list[int]]:
    return claims.claim(CaseUpdate, sa.true(), (CaseUpdate.id,), limit, dialect=dialect())


@dataclass
class UpdatesSent:
    email: int = 0
    inbox: int = 0
    retrying: int = 0


def _still_for(update: CaseUpdate) -> bool:
    """Whether `update` is still to go to its recipient: not if the account was deactivated
    since it was planned, nor to a party's person whose organisation is no longer a party to
    the case, nor by e-mail to someone who turned case e-mails off (the inbox has it)."""
    person = update.recipient
    if not person.active:
        return False
    if person.role in scopes.PARTY_ROLES:
        parties = {row.organisation_id for row in update.case_event.case.party_rows}
        if person.organisation_id not in parties:
            return False
    return update.channel is not ReminderChannel.EMAIL or person.case_emails


def _send_batch(token: str, ids: list[int], sent: UpdatesSent) -> None:
    rows = db.session.scalars(
        sa.select(CaseUpdate)
        .where(CaseUpdate.id.in_(ids), CaseUpdate.claim_token == token)
        .options(
            joinedload(CaseUpdate.recipient),
            joinedload(CaseUpdate.case_event)
            .joinedload(CaseEvent.case)
            .selectinload(Case.compact_rows),
            joinedload(CaseUpdate.case_event)
            .joinedload(CaseEvent.case)
            .selectinload(Case.party_rows),
        )
        .order_by(CaseUpdate.id)
    ).all()
    work, unwanted = [], []
    for row in rows:
        if not _still_for(row):
            unwanted.append(row.id)
            continue
        message = describe(row)
        email = email_message_to(row.recipient, message, f"case-update-{row.id}")
        work.append((row.id, row.channel, row.attempts, email, message.subject))
    if unwanted:
        claims.update(
            CaseUpdate, token, unwanted, status=ReminderStatus.CANCELLED, claim_token=None
        )
    db.session.commit()
    mailer = Mailer(current_app.config)
    started = utcnow()
    # Rows not reached by half the stale-claim time go back, so no other sweep takes them
    # back while this one may still send them (as reminders and meeting e-mails do).
    give_back_after = timedelta(minutes=current_app.config["REMINDER_STALE_CLAIM_MINUTES"] / 2)
    try:
        for position, (update_id, channel, attempts, email, subject) in enumerate(work):
            if utcnow() - started > give_back_after:
                claims.release(CaseUpdate, token, [w[0] for w in work[position:]])
                break
            if channel is ReminderChannel.EMAIL:
                try:
                    mailer.send(email)
                except (smtplib.SMTPException, OSError) as error:
                    if not claims.record_failure(CaseUpdate, token, update_id, attempts + 1, error):
                        sent.retrying += 1
                    continue
            if claims.record_sent(CaseUpdate, token, update_id, subject=subject):
                if channel is ReminderChannel.EMAIL:
                    sent.email += 1
                else:
                    sent.inbox += 1
    finally:
        mailer.close()


def send_due() -> UpdatesSent:
    """Claim and send every planned update; safe in any number of processes at once."""
    sent = UpdatesSent()
    batch = current_app.config["REMINDER_BATCH_SIZE"]
    for _ in range(10_000):
        token, ids = _claim(batch)
        if not ids:
            break
        _send_batch(token, ids, sent)
    return sent


def inbox_updates(user: User, limit: int = 25) -> list[CaseUpdate]:
    """The user's latest case updates in the inbox, newest first."""
    return list(
        db.session.scalars(
            sa.select(CaseUpdate)
            .where(
                CaseUpdate.recipient_id == user.id,
                CaseUpdate.channel == ReminderChannel.INBOX,
                CaseUpdate.status == ReminderStatus.SENT,
            )
            .options(joinedload(CaseUpdate.case_event).joinedload(CaseEvent.case))
            .order_by(CaseUpdate.sent_at.desc(), CaseUpdate.id.desc())
            .limit(limit)
        )
    )
