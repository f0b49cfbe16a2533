"""Reminder use cases: plan reminder rows from open deadlines, claim the due ones, send them by
e-mail and to the in-app inbox, and record what happened.

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
shows the reminders at once and unsent ones of a closed deadline are cancelled at once; and
lazily at the start of every sweep, over every open deadline, which brings the overdue repeats
forward and picks up deadlines written in bulk (the demo data). Both are idempotent: rows are
inserted with ``ON CONFLICT DO NOTHING`` and only ``planned`` rows are ever moved or cancelled.
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
import ssl
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from email.utils import parseaddr
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import joinedload, selectinload

from workflows import deadlines as deadline_rules
from workflows import reminders as rules
from workflows.deadlines import DeadlineStatus
from workflows.periods import format_date

from .. import clock
from ..extensions import db
from ..models import (
    CalendarFeed,
    Case,
    CaseEventKind,
    Compact,
    Deadline,
    DeadlinePause,
    Notice,
    Reminder,
    ReminderChannel,
    ReminderStatus,
    Role,
    User,
    utcnow,
)

log = logging.getLogger("compactcases.reminders")
mail_log = logging.getLogger("compactcases.mail")

# Any number: the PostgreSQL advisory lock that lets one sweep at a time do the planning.
PLANNING_LOCK = 7_201_505


def offsets() -> rules.ReminderOffsets:
    config = current_app.config
    return rules.ReminderOffsets.parse(config["REMINDER_OFFSETS"], config["REMINDER_OVERDUE_EVERY"])


def channels() -> tuple[ReminderChannel, ...]:
    names = [n.strip() for n in current_app.config["REMINDER_CHANNELS"].split(",") if n.strip()]
    return tuple(ReminderChannel(n) for n in names)


def _dialect() -> str:
    return db.session.get_bind().dialect.name


# --- planning ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanReport:
    planned: int = 0
    moved: int = 0
    cancelled: int = 0


def _recipients(
    deadline: Deadline,
    active: set[int],
    region_mediators: dict[int, list[int]],
    funder_users: dict[int, list[int]],
) -> list[int]:
    """Who is reminded of a deadline: the case officer, and once the case is escalated its
    mediator (every mediator of the region until one takes it); for a notice, the funder's
    users."""
    if deadline.notice_id is not None:
        return sorted(funder_users.get(deadline.notice.funder_id, []))
    case = deadline.case
    found = {case.officer_id} if case.officer_id in active else set()
    if case.mediator_id is not None:
        if case.mediator_id in active:
            found.add(case.mediator_id)
    elif case.escalated_on is not None:
        found.update(region_mediators.get(case.compact.region_id, []))
    return sorted(found)


def plan(today: date, deadline_ids: Iterable[int] | None = None) -> PlanReport:
    """Bring the reminder rows of open deadlines (all, or those of ``deadline_ids``) up to date
    as of ``today``, in the current transaction; cancel the unsent ones of closed deadlines.

    Deadlines of a case whose clock is stopped are left as they are: their due dates are only
    provisional, and their reminders wait (see `claim`) until the clock restarts.
    """
    only = None if deadline_ids is None else sorted(set(deadline_ids))
    if only is not None and not only:
        return PlanReport()
    table = Reminder.__table__
    closed = sa.select(Deadline.id).where(Deadline.status != DeadlineStatus.OPEN)
    if only is not None:
        closed = closed.where(Deadline.id.in_(only))
    cancelled = db.session.execute(
        table.update()
        .where(table.c.status == ReminderStatus.PLANNED, table.c.deadline_id.in_(closed))
        .values(status=ReminderStatus.CANCELLED, last_error="The deadline closed")
    ).rowcount

    query = (
        sa.select(Deadline)
        .where(Deadline.status == DeadlineStatus.OPEN)
        .options(
            selectinload(Deadline.case).selectinload(Case.pauses),
            selectinload(Deadline.case).joinedload(Case.compact),
            selectinload(Deadline.notice),
        )
        .order_by(Deadline.id)
    )
    if only is not None:
        query = query.where(Deadline.id.in_(only))
    open_deadlines = [
        d for d in db.session.scalars(query) if d.case is None or d.case.open_pause is None
    ]
    if not open_deadlines:
        return PlanReport(cancelled=cancelled)

    people = db.session.execute(
        sa.select(User.id, User.role, User.region_id, User.organisation_id).where(User.active)
    ).all()
    active = {p.id for p in people}
    region_mediators: dict[int, list[int]] = defaultdict(list)
    funder_users: dict[int, list[int]] = defaultdict(list)
    for p in people:
        if p.role is Role.MEDIATOR and p.region_id:
            region_mediators[p.region_id].append(p.id)
        if p.role is Role.FUNDER and p.organisation_id:
            funder_users[p.organisation_id].append(p.id)

    existing_query = sa.select(
        table.c.id,
        table.c.deadline_id,
        table.c.offset_days,
        table.c.recipient_id,
        table.c.channel,
        table.c.status,
        table.c.send_on,
    ).where(
        table.c.deadline_id.in_(
            sa.select(Deadline.id).where(Deadline.status == DeadlineStatus.OPEN)
            if only is None
            else only
        )
    )
    existing: dict[int, dict[tuple, sa.Row]] = defaultdict(dict)
    for row in db.session.execute(existing_query):
        existing[row.deadline_id][(row.offset_days, row.recipient_id, row.channel)] = row

    wanted_channels = channels()
    settings = offsets()
    inserts: list[dict] = []
    moves: list[dict] = []
    cancels: list[int] = []
    for deadline in open_deadlines:
        series = rules.schedule(deadline.due_on, _opened_on(deadline), today, settings)
        by_offset = {r.offset: r for r in series}
        fresh = {r.offset for r in rules.worth_planning(series, today)}
        recipients = _recipients(deadline, active, region_mediators, funder_users)
        have = existing.get(deadline.id, {})
        wanted = set()
        for recipient in recipients:
            for channel in wanted_channels:
                for reminder in series:
                    key = (reminder.offset, recipient, channel)
                    wanted.add(key)
                    row = have.get(key)
                    if row is None:
                        if reminder.offset in fresh:
                            inserts.append(
                                {
                                    "deadline_id": deadline.id,
                                    "offset_days": reminder.offset,
                                    "recipient_id": recipient,
                                    "channel": channel,
                                    "send_on": reminder.fires_on,
                                    "status": ReminderStatus.PLANNED,
                                    "attempts": 0,
                                    "created_at": utcnow(),
                                }
                            )
                    elif (
                        row.status is ReminderStatus.PLANNED
                        and row.send_on != by_offset[reminder.offset].fires_on
                    ):
                        moves.append({"rid": row.id, "new_send_on": reminder.fires_on})
        for key, row in have.items():
            if row.status is ReminderStatus.PLANNED and key not in wanted:
                # Superseded by a later overdue repeat, no longer due (the deadline moved
                # past it), or its recipient no longer concerned.
                cancels.append(row.id)

    if inserts:
        insert = postgresql.insert if _dialect() == "postgresql" else sqlite.insert
        statement = insert(table).on_conflict_do_nothing(
            index_elements=["deadline_id", "offset_days", "recipient_id", "channel"]
        )
        for start in range(0, len(inserts), 500):
            db.session.execute(statement, inserts[start : start + 500])
    if moves:
        db.session.execute(
            table.update()
            .where(table.c.id == sa.bindparam("rid"), table.c.status == ReminderStatus.PLANNED)
            .values(send_on=sa.bindparam("new_send_on")),
            moves,
        )
    for start in range(0, len(cancels), 500):
        cancelled += db.session.execute(
            table.update()
            .where(
                table.c.id.in_(cancels[start : start + 500]),
                table.c.status == ReminderStatus.PLANNED,
            )
            .values(status=ReminderStatus.CANCELLED, last_error="No longer due")
        ).rowcount
    return PlanReport(planned=len(inserts), moved=len(moves), cancelled=cancelled)


def _opened_on(deadline: Deadline) -> date:
    created = clock.london(deadline.created_at).date() if deadline.created_at else clock.today()
    return min(deadline.starts_on, created)


def replan_case(case: Case, today: date) -> None:
    """Re-plan the reminders of a case's deadlines after they changed, in the caller's
    transaction (which commits)."""
    db.session.flush()
    plan(today, [d.id for d in case.deadlines])


def replan_notice(notice: Notice, today: date) -> None:
    db.session.flush()
    plan(today, [d.id for d in notice.deadlines])


# --- claiming ------------------------------------------------------------------------------------


def _paused_deadline() -> sa.ColumnElement[bool]:
    return sa.exists().where(
        Deadline.id == Reminder.deadline_id,
        DeadlinePause.case_id == Deadline.case_id,
        DeadlinePause.ended_on.is_(None),
    )


def claim(today: date, limit: int) -> tuple[str, list[int]]:
    """Claim up to ``limit`` due reminders for this sweep and commit; returns the claim token
    and the rows' ids. Rows another sweep holds are skipped, never waited for."""
    now = utcnow()
    stale = now - timedelta(minutes=current_app.config["REMINDER_STALE_CLAIM_MINUTES"])
    token = uuid.uuid4().hex
    due = sa.or_(
        sa.and_(
            Reminder.status == ReminderStatus.PLANNED,
            Reminder.send_on <= today,
            sa.or_(Reminder.next_attempt_at.is_(None), Reminder.next_attempt_at <= now),
        ),
        sa.and_(Reminder.status == ReminderStatus.SENDING, Reminder.claimed_at < stale),
    )
    pick = (
        sa.select(Reminder.id)
        .where(due, ~_paused_deadline())
        .order_by(Reminder.send_on, Reminder.id)
        .limit(limit)
    )
    db.session.commit()
    if _dialect() == "postgresql":
        pick = pick.with_for_update(skip_locked=True, of=Reminder)
    else:
        # SQLite: take the write lock first, so the rows read are the rows updated.
        db.session.execute(sa.text("BEGIN IMMEDIATE"))
    try:
        ids = list(db.session.scalars(pick))
        if ids:
            db.session.execute(
                sa.update(Reminder)
                .where(Reminder.id.in_(ids))
                .values(status=ReminderStatus.SENDING, claim_token=token, claimed_at=now)
                .execution_options(synchronize_session=False)
            )
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return token, ids


# --- messages ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReminderMessage:
    subject: str
    text: str
    html: str
    link: str


def _path(endpoint: str, **values) -> str:
    return current_app.url_map.bind("localhost").build(endpoint, values)


def describe(reminder: Reminder, today: date) -> ReminderMessage:
    """What a reminder says, as of ``today``: the case or notice, the deadline, its due date
    and how far off it is, and a link to the page."""
    deadline = reminder.deadline
    left = deadline_rules.countdown(deadline.due_on, today, deadline.period_unit).describe()
    if deadline.case is not None:
        what = f"{deadline.case.reference}: {deadline.case.title}"
        about = deadline.case.reference
        path = _path("cases.show_case", reference=deadline.case.reference)
    else:
        what = f"Notice: {deadline.notice.title}"
        about = "Notice"
        path = _path("notices.show_notice", notice_id=deadline.notice.id)
    link = current_app.config["BASE_URL"].rstrip("/") + path
    subject = f"{about}: {deadline.kind.label}, due {format_date(deadline.due_on)} ({left})"
    values = {
        "recipient": reminder.recipient,
        "what": what,
        "deadline": deadline,
        "label": deadline.kind.label,
        "due": format_date(deadline.due_on),
        "left": left,
        "link": link,
    }
    env = current_app.jinja_env
    return ReminderMessage(
        subject=subject,
        text=env.get_template("reminders/email.txt").render(values),
        html=env.get_template("reminders/email.html").render(values),
        link=link,
    )


def email_message(reminder: Reminder, message: ReminderMessage) -> EmailMessage:
    email = EmailMessage()
    email["Subject"] = message.subject
    email["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    email["To"] = f"{reminder.recipient.name} <{reminder.recipient.email}>"
    # Derived from the reminder row alone, so a retry of a message the server took but never
    # acknowledged carries the same Message-ID, and mail clients can drop the second copy.
    config = current_app.config
    sender_domain = parseaddr(config["MAIL_DEFAULT_SENDER"])[1].rpartition("@")[2]
    domain = urlsplit(config["BASE_URL"]).hostname or sender_domain or "compactcases.invalid"
    email["Message-ID"] = f"<reminder-{reminder.id}@{domain}>"
    email.set_content(message.text)
    email.add_alternative(message.html, subtype="html")
    return email


class Mailer:
    """Sends e-mail over SMTP by the Flask-Mail settings, one connection per batch; without
    MAIL_SERVER it writes each message to the log instead."""

    def __init__(self, config) -> None:
        self.config = config
        self.smtp: smtplib.SMTP | None = None

    def send(self, email: EmailMessage) -> None:
        config = self.config
        if not config.get("MAIL_SERVER"):
            mail_log.info("E-mail to %s: %s\n%s", email["To"], email["Subject"], email)
            return
        if self.smtp is None:
            self.smtp = self._connect()
        try:
            self.smtp.send_message(email)
        except (smtplib.SMTPServerDisconnected, OSError):
            self.close()
            raise

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        timeout = config.get("MAIL_TIMEOUT_SECONDS", 30)
        if config.get("MAIL_USE_SSL"):
            smtp = smtplib.SMTP_SSL(
                config["MAIL_SERVER"],
                config["MAIL_PORT"],
                timeout=timeout,
                context=ssl.create_default_context(),
            )
        else:
            smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=timeout)
            if config.get("MAIL_USE_TLS"):
                smtp.starttls(context=ssl.create_default_context())
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        return smtp

    def close(self) -> None:
        if self.smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self.smtp.quit()
            self.smtp = None


# --- sending -------------------------------------------------------------------------------------


@dataclass
class SweepReport:
    planned: int = 0
    moved: int = 0
    cancelled: int = 0
    sent_email: int = 0
    sent_inbox: int = 0
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
            f"sent {self.sent_email} by e-mail and {self.sent_inbox} to inboxes; "
            f"{self.retrying} to retry, {self.failed} failed"
        )


def _error_text(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:500]


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
        )
        .order_by(Reminder.send_on, Reminder.id)
    ).all()
    work = []
    for row in rows:
        message = describe(row, today)
        work.append((row.id, row.channel, row.attempts, email_message(row, message), message))
    recipients = {row.id: (row.deadline, row.recipient.name, row.channel) for row in rows}
    db.session.commit()

    mailer = Mailer(current_app.config)
    started = utcnow()
    give_back_after = timedelta(minutes=current_app.config["REMINDER_STALE_CLAIM_MINUTES"] / 2)
    delivered: list[int] = []
    try:
        for position, (rid, channel, attempts, email, message) in enumerate(work):
            if utcnow() - started > give_back_after:
                report.released += _release(token, [w[0] for w in work[position:]])
                break
            try:
                if channel is ReminderChannel.EMAIL:
                    mailer.send(email)
            except (smtplib.SMTPException, OSError) as error:
                _record_failure(token, rid, attempts + 1, error, report)
                continue
            if _record_sent(token, rid, message.subject):
                delivered.append(rid)
                if channel is ReminderChannel.EMAIL:
                    report.sent_email += 1
                else:
                    report.sent_inbox += 1
    finally:
        mailer.close()
    _record_on_timelines(delivered, recipients, today)


def _record_sent(token: str, rid: int, subject: str) -> bool:
    done = db.session.execute(
        sa.update(Reminder)
        .where(Reminder.id == rid, Reminder.claim_token == token)
        .values(
            status=ReminderStatus.SENT,
            sent_at=utcnow(),
            subject=subject,
            claim_token=None,
            last_error=None,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return bool(done)


def _record_failure(
    token: str, rid: int, attempts: int, error: BaseException, report: SweepReport
) -> None:
    wait = rules.retry_after(attempts)
    values = {"attempts": attempts, "last_error": _error_text(error), "claim_token": None}
    if wait is None:
        values["status"] = ReminderStatus.FAILED
        report.failed += 1
        log.error("Reminder %s failed for good after %s attempts: %s", rid, attempts, error)
    else:
        values["status"] = ReminderStatus.PLANNED
        values["next_attempt_at"] = utcnow() + wait
        report.retrying += 1
        log.warning("Reminder %s not sent (attempt %s), retrying later: %s", rid, attempts, error)
    db.session.execute(
        sa.update(Reminder)
        .where(Reminder.id == rid, Reminder.claim_token == token)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _release(token: str, ids: list[int]) -> int:
    count = db.session.execute(
        sa.update(Reminder)
        .where(Reminder.id.in_(ids), Reminder.claim_token == token)
        .values(status=ReminderStatus.PLANNED, claim_token=None, claimed_at=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return count


def _record_on_timelines(delivered: list[int], recipients: dict, today: date) -> None:
    """One timeline entry per case deadline reminder sent in this batch, naming who got it
    and how."""
    from ..cases.services import record_event

    groups: dict[tuple[int, int], list[str]] = defaultdict(list)
    labels: dict[tuple[int, int], str] = {}
    for rid in delivered:
        deadline, name, channel = recipients[rid]
        if deadline.case_id is None:
            continue
        key = (deadline.case_id, deadline.id)
        groups[key].append(f"{name} ({channel.label.lower()})")
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
            reason=f"{labels[(case_id, deadline_id)]}. Sent to {', '.join(sent_to)}.",
        )
    db.session.commit()


def _try_planning_lock() -> bool:
    """On PostgreSQL, whether this sweep may plan now: one at a time, the others skip it (the
    rows are the same whoever plans them). Held until the planning transaction ends."""
    if _dialect() != "postgresql":
        return True
    return bool(db.session.scalar(sa.select(sa.func.pg_try_advisory_xact_lock(PLANNING_LOCK))))


def sweep(today: date | None = None) -> SweepReport:
    """One pass: plan reminders from open deadlines, then claim and send every due one.

    Safe to run in any number of processes at once. Overdue reminders (the server was down)
    are sent once each, whenever the next sweep runs.
    """
    today = today or clock.today()
    report = SweepReport()
    db.session.commit()
    if _dialect() == "sqlite":
        db.session.execute(sa.text("BEGIN IMMEDIATE"))
    try:
        if _try_planning_lock():
            planned = plan(today)
            report.planned, report.moved, report.cancelled = (
                planned.planned,
                planned.moved,
                planned.cancelled,
            )
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    batch = current_app.config["REMINDER_BATCH_SIZE"]
    for _ in range(10_000):
        token, ids = claim(today, batch)
        if not ids:
            break
        send_claimed(token, ids, today, report)
    return report


# --- what people see -----------------------------------------------------------------------------


def unread_count(user: User) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Reminder)
        .where(
            Reminder.recipient_id == user.id,
            Reminder.channel == ReminderChannel.INBOX,
            Reminder.status == ReminderStatus.SENT,
            Reminder.read_at.is_(None),
        )
    )


def inbox(user: User, page: int, per_page: int = 25):
    """The user's in-app reminders, unread first, newest first."""
    query = (
        sa.select(Reminder)
        .where(
            Reminder.recipient_id == user.id,
            Reminder.channel == ReminderChannel.INBOX,
            Reminder.status == ReminderStatus.SENT,
        )
        .order_by(Reminder.read_at.is_not(None), Reminder.sent_at.desc(), Reminder.id.desc())
        .options(
            joinedload(Reminder.deadline).joinedload(Deadline.case),
            joinedload(Reminder.deadline).joinedload(Deadline.notice),
        )
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def mark_read(user: User, reminder_id: int | None = None) -> int:
    """Mark one of the user's inbox reminders read, or all of them; returns how many changed.
    Another user's reminder is not found (0)."""
    statement = sa.update(Reminder).where(
        Reminder.recipient_id == user.id,
        Reminder.channel == ReminderChannel.INBOX,
        Reminder.status == ReminderStatus.SENT,
        Reminder.read_at.is_(None),
    )
    if reminder_id is not None:
        statement = statement.where(Reminder.id == reminder_id)
    count = db.session.execute(
        statement.values(read_at=utcnow()).execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return count


def owns_inbox_reminder(user: User, reminder_id: int) -> bool:
    return (
        db.session.scalar(
            sa.select(Reminder.id).where(
                Reminder.id == reminder_id,
                Reminder.recipient_id == user.id,
                Reminder.channel == ReminderChannel.INBOX,
                Reminder.status == ReminderStatus.SENT,
            )
        )
        is not None
    )


def failed_reminders(page: int, per_page: int = 50):
    query = (
        sa.select(Reminder)
        .where(Reminder.status == ReminderStatus.FAILED)
        .order_by(Reminder.send_on.desc(), Reminder.id.desc())
        .options(
            joinedload(Reminder.recipient),
            joinedload(Reminder.deadline).joinedload(Deadline.case),
            joinedload(Reminder.deadline).joinedload(Deadline.notice),
        )
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def retry_failed(reminder_id: int) -> bool:
    """An administrator sends a failed reminder again: back to planned, attempts reset."""
    count = db.session.execute(
        sa.update(Reminder)
        .where(Reminder.id == reminder_id, Reminder.status == ReminderStatus.FAILED)
        .values(status=ReminderStatus.PLANNED, attempts=0, next_attempt_at=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return bool(count)


@dataclass(frozen=True)
class ReminderRow:
    """A reminder as the case page shows it."""

    when: str
    send_on: date
    recipient: str
    channel: str
    status: ReminderStatus
    sent_at: datetime | None
    attempts: int
    last_error: str | None


def case_reminders(case: Case) -> dict[int, list[ReminderRow]]:
    """The reminders of each of the case's deadlines, planned and sent, in one query."""
    rows = db.session.scalars(
        sa.select(Reminder)
        .join(Deadline, Reminder.deadline_id == Deadline.id)
        .where(Deadline.case_id == case.id)
        .options(joinedload(Reminder.recipient))
        .order_by(Reminder.send_on, Reminder.recipient_id, Reminder.channel)
    ).all()
    found: dict[int, list[ReminderRow]] = defaultdict(list)
    for row in rows:
        found[row.deadline_id].append(
            ReminderRow(
                when=rules.ScheduledReminder(row.offset_days, row.send_on).describe(),
                send_on=row.send_on,
                recipient=row.recipient.name,
                channel=row.channel.label,
                status=row.status,
                sent_at=row.sent_at,
                attempts=row.attempts,
                last_error=row.last_error,
            )
        )
    return found


# --- calendar feed -------------------------------------------------------------------------------


def feed_for(user: User) -> CalendarFeed | None:
    return db.session.scalar(sa.select(CalendarFeed).where(CalendarFeed.user_id == user.id))


def new_feed(user: User) -> CalendarFeed:
    """A new private address for the user's calendar; any old one stops working."""
    import secrets

    db.session.execute(sa.delete(CalendarFeed).where(CalendarFeed.user_id == user.id))
    feed = CalendarFeed(user_id=user.id, token=secrets.token_urlsafe(32))
    db.session.add(feed)
    db.session.commit()
    return feed


def revoke_feed(user: User) -> bool:
    count = db.session.execute(
        sa.delete(CalendarFeed).where(CalendarFeed.user_id == user.id)
    ).rowcount
    db.session.commit()
    return bool(count)


def feed_user(token: str) -> User | None:
    """The active user whose feed has this token, or None."""
    if not token or len(token) > 64:
        return None
    return db.session.scalar(
        sa.select(User)
        .join(CalendarFeed, CalendarFeed.user_id == User.id)
        .where(CalendarFeed.token == token, User.active)
    )


def deadlines_for(user: User) -> list[Deadline]:
    """The open deadlines the user is reminded of, by the same rule as `_recipients`."""
    conditions = []
    if user.role in (Role.OFFICER, Role.ADMIN, Role.MEDIATOR):
        conditions.append(Case.officer_id == user.id)
        conditions.append(Case.mediator_id == user.id)
    if user.role is Role.MEDIATOR and user.region_id:
        conditions.append(
            sa.and_(
                Case.mediator_id.is_(None),
                Case.escalated_on.is_not(None),
                Case.compact_id.in_(
                    sa.select(Compact.id).where(Compact.region_id == user.region_id)
                ),
            )
        )
    on_cases = sa.false() if not conditions else sa.or_(*conditions)
    on_notices = (
        Notice.funder_id == user.organisation_id
        if user.role is Role.FUNDER and user.organisation_id
        else sa.false()
    )
    return list(
        db.session.scalars(
            sa.select(Deadline)
            .outerjoin(Case, Deadline.case_id == Case.id)
            .outerjoin(Notice, Deadline.notice_id == Notice.id)
            .where(Deadline.status == DeadlineStatus.OPEN, sa.or_(on_cases, on_notices))
            .options(joinedload(Deadline.case), joinedload(Deadline.notice))
            .order_by(Deadline.due_on, Deadline.id)
        ).unique()
    )
