"""Telling the officers of a regional case's affected Compacts that it moved: one message per
timeline entry, officer and channel (e-mail and the in-app inbox), exactly once.

The rows are planned in the transaction that moves the case (`plan_updates`), unique on
(entry, recipient, channel), so a move is announced once however often it is retried; the
reminder sweep then claims and sends them as it does reminders (`send_due`): claimed in a
short transaction (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite),
sent, and marked under the claim's token.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload

from ..cases import raising
from ..extensions import db
from ..models import (
    Case,
    CaseEvent,
    CaseEventKind,
    CaseUpdate,
    Compact,
    ReminderChannel,
    ReminderStatus,
    Role,
    User,
    utcnow,
)
from . import claims
from .mail import Mailer, ReminderMessage, email_message_to, page_path
from .planning import channels, dialect
from .responses import describe_response


def affected_officers(case: Case) -> list[User]:
    """The active officers who read the case: those of each Compact it affects and of those
    Compacts' upper tiers (as `scopes.scope_cases` lets an upper tier see its districts)."""
    affected = [row.compact_id for row in case.compact_rows]
    upper_tiers = sa.select(Compact.parent_id).where(
        Compact.id.in_(affected), Compact.parent_id.is_not(None)
    )
    return list(
        db.session.scalars(
            sa.select(User)
            .where(
                User.role == Role.OFFICER,
                User.active,
                sa.or_(User.compact_id.in_(affected), User.compact_id.in_(upper_tiers)),
            )
            .order_by(User.id)
        )
    )


def plan_updates(case: Case, entry: CaseEvent) -> None:
    """Plan the messages announcing `entry` (a move of regional `case`) to its officers, in the
    caller's transaction."""
    if not case.is_regional:
        return
    for officer in affected_officers(case):
        for channel in channels():
            db.session.add(CaseUpdate(case_event=entry, recipient_id=officer.id, channel=channel))


def describe(update: CaseUpdate) -> ReminderMessage:
    """What an update says: the case, what happened to it, and a link to it."""
    entry = update.case_event
    if entry.kind is CaseEventKind.RESPONSE:
        return describe_response(update)
    if raising.raised_online(entry):
        return raising.describe_raised(update)
    case = entry.case
    if entry.kind is CaseEventKind.TRANSITION and entry.to_state is not None:
        happened = f"has moved to {entry.to_state.label.lower()}"
    elif entry.kind is CaseEventKind.REFERRAL:
        happened = "was referred to the region"
    else:
        happened = "was opened at the region's level"
    compacts = ", ".join(c.name for c in case.affected_compacts)
    subject = f"{case.reference} {happened}"
    base = current_app.config["BASE_URL"].rstrip("/")
    link = base + page_path("cases.show_case", reference=case.reference)
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


def _send_batch(token: str, ids: list[int], sent: UpdatesSent) -> None:
    rows = db.session.scalars(
        sa.select(CaseUpdate)
        .where(CaseUpdate.id.in_(ids), CaseUpdate.claim_token == token)
        .options(
            joinedload(CaseUpdate.recipient),
            joinedload(CaseUpdate.case_event)
            .joinedload(CaseEvent.case)
            .selectinload(Case.compact_rows),
        )
        .order_by(CaseUpdate.id)
    ).all()
    work = []
    for row in rows:
        message = describe(row)
        email = email_message_to(row.recipient, message, f"case-update-{row.id}")
        work.append((row.id, row.channel, row.attempts, email, message.subject))
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
