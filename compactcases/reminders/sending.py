"""Sending reminders: claim the due rows, send them by e-mail and to the in-app inbox, record
each result, and the sweep that plans and sends.

How a reminder goes out exactly once
------------------------------------
A reminder row is unique on (deadline, offset, recipient, channel), so it is planned once.
A sweep sends only rows it has *claimed*: one short transaction picks due ``planned`` rows
(on PostgreSQL ``SELECT ... FOR UPDATE SKIP LOCKED``, so concurrent sweeps in other workers or
hosts pass over each other's rows instead of waiting for them; on SQLite inside ``BEGIN
IMMEDIATE``, the single writer), marks them ``sending`` with a claim token and commits. Only
then does it send, one message at a time, recording each result at once under its token:
``sent``, or back to ``planned`` with one more attempt and a back-off, or ``failed`` after
the fifth failure.

A sweep that dies between claiming and recording leaves rows in ``sending``. A claim older than
``REMINDER_STALE_CLAIM_MINUTES`` is taken to belong to a dead sweep and may be claimed again: so
each claim sends at most once, and only a crash in the moment between the SMTP server accepting
a message and its row being marked sent can lead to a second copy. We prefer that to a reminder
that is silently never sent. A live sweep never keeps a claim that long: it stops sending and
hands back the rest of its batch after half the timeout.

When planning happens
---------------------
Eagerly, in the transaction that changes a case's deadlines (logging a case, a workflow step,
stopping or restarting the clock, an extension, a mediator taking the case), so the case page
shows the reminders at once and unsent ones of a closed deadline are cancelled at once; and at
the start of every sweep, but only for the open deadlines whose ``plan_on`` day has come (see
`planning.plan_due`): those whose next overdue repeat falls due, those written in bulk (the
demo data), and those whose Compact's rules or recipients changed. A sweep with nothing new to
plan is one indexed query, then the claim. Both are idempotent: rows are inserted with ``ON
CONFLICT DO NOTHING`` and only ``planned`` rows are ever moved or cancelled.
"""

from __future__ import annotations

import logging
import smtplib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload, selectinload

from workflows import reminders as reminder_rules
from workflows.agreements import MISSED_OFFSET
from workflows.periods import format_date
from workflows.webhooks import WebhookEventType

from .. import bank_holidays, localtime
from ..extensions import db
from ..history import record_event
from ..meetings import outbox as meeting_outbox
from ..models import (
    Case,
    CaseEventKind,
    Deadline,
    DeadlinePause,
    Reminder,
    ReminderChannel,
    utcnow,
)
from ..webhooks import outbox
from . import claims, moves
from .mail import Mailer, describe, email_message
from .planning import dialect, plan_due

log = logging.getLogger("compactcases.reminders")


def _paused_deadline() -> sa.ColumnElement[bool]:
    return sa.exists().where(
        Deadline.id == Reminder.deadline_id,
        DeadlinePause.case_id == Deadline.case_id,
        DeadlinePause.ended_on.is_(None),
    )


def claim(through: date, limit: int) -> tuple[str, list[int]]:
    """Claim up to ``limit`` reminders due on or before ``through`` for this sweep and commit;
    returns the claim token and the rows' ids. Rows another sweep holds are skipped, never
    waited for."""
    return claims.claim(
        Reminder,
        sa.and_(Reminder.send_on <= through, ~_paused_deadline()),
        (Reminder.send_on, Reminder.id),
        limit,
        dialect=dialect(),
    )


@dataclass
class SweepReport:
    planned: int = 0
    moved: int = 0
    cancelled: int = 0
    sent_email: int = 0
    sent_inbox: int = 0
    sent_invitations: int = 0
    retrying: int = 0
    failed: int = 0
    released: int = 0
    lines: list[str] = field(default_factory=list)

    @property
    def sent(self) -> int:
        return self.sent_email + self.sent_inbox

    def summary(self) -> str:
        return (
            f"planned {self.planned}, moved {self.moved}, cancelled {self.cancelled}; "
            f"sent {self.sent_email} by e-mail and {self.sent_inbox} to inboxes, "
            f"{self.sent_invitations} meeting e-mails; "
            f"{self.retrying} to retry, {self.failed} failed"
        )


def send_claimed(token: str, ids: list[int], today: date, report: SweepReport) -> None:
    """Send the reminders this sweep claimed with ``token``, recording each result as soon as
    it is known."""
    rows = db.session.scalars(
        sa.select(Reminder)
        .where(Reminder.id.in_(ids), Reminder.claim_token == token)
        .options(
            joinedload(Reminder.recipient),
            joinedload(Reminder.deadline).joinedload(Deadline.case),
            joinedload(Reminder.deadline).joinedload(Deadline.notice),
            joinedload(Reminder.deadline).joinedload(Deadline.agreement),
            joinedload(Reminder.deadline).joinedload(Deadline.self_assessment),
        )
        .order_by(Reminder.send_on, Reminder.id)
    ).all()
    work = []
    for row in rows:
        message = describe(row, today)
        work.append((row.id, row.channel, row.attempts, email_message(row, message), message))
    recipients = {row.id: (row.deadline, row.recipient.name, row.channel) for row in rows}
    windows = {row.id: row.offset_days for row in rows if row.deadline.agreement is not None}
    db.session.commit()

    mailer = Mailer(current_app.config)
    started = utcnow()
    give_back_after = timedelta(minutes=current_app.config["REMINDER_STALE_CLAIM_MINUTES"] / 2)
    delivered: list[int] = []
    try:
        for position, (rid, channel, attempts, email, message) in enumerate(work):
            if utcnow() - started > give_back_after:
                report.released += claims.release(Reminder, token, [w[0] for w in work[position:]])
                break
            try:
                if channel is ReminderChannel.EMAIL:
                    mailer.send(email)
            except (smtplib.SMTPException, OSError) as error:
                if claims.record_failure(Reminder, token, rid, attempts + 1, error):
                    report.failed += 1
                else:
                    report.retrying += 1
                continue
            if claims.record_sent(Reminder, token, rid, subject=message.subject):
                delivered.append(rid)
                if channel is ReminderChannel.EMAIL:
                    report.sent_email += 1
                else:
                    report.sent_inbox += 1
    finally:
        mailer.close()
    _record_on_timelines(delivered, recipients, today)
    _announce_windows([rid for rid in delivered if rid in windows], windows, recipients)


def _announce_windows(delivered: list[int], offsets: dict[int, int], recipients: dict) -> None:
    """Webhooks: a window's reminder going out is the window closing (or, the day after its
    last day, missed). Each rung of the ladder is one event, however many people were
    reminded, in whichever sweep: its key names the window's last day and the rung."""
    for rid in delivered:
        deadline = recipients[rid][0]
        offset = offsets[rid]
        kind = (
            WebhookEventType.AGREEMENT_WINDOW_MISSED
            if offset == MISSED_OFFSET
            else WebhookEventType.AGREEMENT_WINDOW_CLOSING
        )
        outbox.announce(
            kind,
            deadline.agreement,
            change={"latest_notice_date": deadline.due_on.isoformat(), "days_before": offset},
            dedupe_key=f"{kind.value}:{deadline.agreement_id}:{deadline.due_on}:{offset}",
        )
    if delivered:
        db.session.commit()


def _record_on_timelines(delivered: list[int], recipients: dict, today: date) -> None:
    """One timeline entry per case deadline reminded in this batch, naming each person who
    got it once, with how: "Priya Shah (e-mail and in-app)"."""
    groups: dict[tuple[int, int], dict[str, list[str]]] = defaultdict(dict)
    labels: dict[tuple[int, int], str] = {}
    for rid in delivered:
        deadline, name, channel = recipients[rid]
        if deadline.case_id is None:
            continue
        key = (deadline.case_id, deadline.id)
        channels = groups[key].setdefault(name, [])
        if channel.label.lower() not in channels:
            channels.append(channel.label.lower())
        labels[key] = f"{deadline.kind.label}, due {format_date(deadline.due_on)}"
    if not groups:
        return
    cases = {
        case.id: case
        for case in db.session.scalars(
            sa.select(Case)
            .where(Case.id.in_({case_id for case_id, _ in groups}))
            .options(selectinload(Case.events))
        )
    }
    for (case_id, deadline_id), sent_to in groups.items():
        record_event(
            cases[case_id],
            CaseEventKind.REMINDER,
            None,
            reason=f"{labels[(case_id, deadline_id)]}. Sent to "
            + ", ".join(f"{name} ({' and '.join(how)})" for name, how in sent_to.items())
            + ".",
            touches_case=False,
        )
    db.session.commit()


def sending_through(now: datetime | None = None) -> tuple[date, date]:
    """Today in London at ``now`` (default: now), and the latest day whose reminders may go
    out then: today from REMINDER_SEND_HOUR, yesterday before it."""
    moment = localtime.london(now or utcnow())
    hour = current_app.config["REMINDER_SEND_HOUR"]
    return moment.date(), reminder_rules.last_sending_day(moment, hour)


def sweep(today: date | None = None, *, now: datetime | None = None) -> SweepReport:
    """One pass: plan the deadlines whose day for planning has come, then claim and send
    every reminder due by now.

    A reminder due on a day goes out from REMINDER_SEND_HOUR (London time) that day, not at
    the first sweep after midnight. Given ``today``, the sweep runs as if at that hour on
    that day; otherwise as of ``now`` (default: now).

    Safe to run in any number of processes at once. Overdue reminders (the server was down)
    are sent once each, whenever the next sweep runs. Meeting invitations and cancellations
    planned since the last sweep go out after the reminders, the same way.
    """
    if today is None:
        today, through = sending_through(now)
    else:
        through = today
    bank_holidays.bring_up_to_date()
    report = SweepReport()
    planned = plan_due(today)
    report.planned, report.moved, report.cancelled = (
        planned.planned,
        planned.moved,
        planned.cancelled,
    )
    batch = current_app.config["REMINDER_BATCH_SIZE"]
    for _ in range(10_000):
        token, ids = claim(through, batch)
        if not ids:
            break
        send_claimed(token, ids, today, report)
    sent, retrying, failed = meeting_outbox.send_due(batch)
    report.sent_invitations += sent
    report.retrying += retrying
    report.failed += failed
    updates = moves.send_due()
    report.sent_email += updates.email
    report.sent_inbox += updates.inbox
    report.retrying += updates.retrying
    return report
