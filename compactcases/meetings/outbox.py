"""The outbox of meeting e-mails: one row per (meeting, recipient, sequence), planned in the
transaction that changes the meeting and sent by the reminder sweep, exactly once, with the
claims every outbox uses (`reminders.claims`).

A change supersedes what was not yet sent: planning sequence n cancels a person's planned rows
of lower sequences, so a meeting changed three times in a minute sends one e-mail, the latest.
"""

from __future__ import annotations

import smtplib
from collections.abc import Iterable
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import (
    InvitationMethod,
    Meeting,
    MeetingAttendee,
    MeetingMessage,
    ReminderStatus,
    User,
    utcnow,
)
from ..reminders import claims
from ..reminders.mail import Mailer
from . import invitations


def plan(meeting: Meeting, method: InvitationMethod, user_ids: Iterable[int]) -> int:
    """Plan the e-mail of the meeting's current sequence to each of ``user_ids`` (active
    accounts that want case e-mails), in the current transaction; how many were planned."""
    ids = sorted(set(user_ids))
    if not ids:
        return 0
    # Active accounts whose people want case e-mails (the others see the meeting on the case).
    active = set(
        db.session.scalars(
            sa.select(User.id).where(User.id.in_(ids), User.active, User.case_emails)
        )
    )
    db.session.execute(
        sa.update(MeetingMessage)
        .where(
            MeetingMessage.meeting_id == meeting.id,
            MeetingMessage.recipient_id.in_(ids),
            MeetingMessage.sequence < meeting.sequence,
            MeetingMessage.status == ReminderStatus.PLANNED,
        )
        .values(status=ReminderStatus.CANCELLED)
        .execution_options(synchronize_session=False)
    )
    rows = [
        MeetingMessage(
            meeting_id=meeting.id, recipient_id=i, sequence=meeting.sequence, method=method
        )
        for i in ids
        if i in active
    ]
    db.session.add_all(rows)
    return len(rows)


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def send_due(batch: int) -> tuple[int, int, int]:
    """Claim and send every planned meeting e-mail; (sent, to retry, failed for good)."""
    sent = retrying = failed = 0
    for _ in range(10_000):
        token, ids = claims.claim(
            MeetingMessage,
            sa.true(),
            (MeetingMessage.created_at, MeetingMessage.id),
            batch,
            dialect=_dialect(),
        )
        if not ids:
            break
        done = _send_claimed(token, ids)
        sent, retrying, failed = sent + done[0], retrying + done[1], failed + done[2]
    return sent, retrying, failed


def _send_claimed(token: str, ids: list[int]) -> tuple[int, int, int]:
    rows = db.session.scalars(
        sa.select(MeetingMessage)
        .where(MeetingMessage.id.in_(ids), MeetingMessage.claim_token == token)
        .options(
            joinedload(MeetingMessage.recipient),
            joinedload(MeetingMessage.meeting).joinedload(Meeting.case),
            joinedload(MeetingMessage.meeting)
            .selectinload(Meeting.attendees)
            .joinedload(MeetingAttendee.user),
        )
        .order_by(MeetingMessage.id)
    ).all()
    work = [
        (
            row.id,
            row.attempts,
            invitations.email(row.id, row.meeting, row.recipient, row.method, row.sequence),
        )
        for row in rows
    ]
    db.session.commit()
    mailer = Mailer(current_app.config)
    started = utcnow()
    give_back_after = timedelta(minutes=current_app.config["REMINDER_STALE_CLAIM_MINUTES"] / 2)
    sent = retrying = failed = 0
    try:
        for position, (row_id, attempts, message) in enumerate(work):
            if utcnow() - started > give_back_after:
                claims.release(MeetingMessage, token, [w[0] for w in work[position:]])
                break
            try:
                mailer.send(message)
            except (smtplib.SMTPException, OSError) as error:
                if claims.record_failure(MeetingMessage, token, row_id, attempts + 1, error):
                    failed += 1
                else:
                    retrying += 1
                continue
            sent += claims.record_sent(MeetingMessage, token, row_id)
    finally:
        mailer.close()
    return sent, retrying, failed
