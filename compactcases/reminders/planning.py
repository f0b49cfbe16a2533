"""Planning reminders: the reminder rows each open deadline should have, for whom and when,
written in the transaction that changes the deadline.

A reminder row is unique on (deadline, offset, recipient, channel), so it is planned once.
Planning is idempotent: rows are inserted with ``ON CONFLICT DO NOTHING`` and only ``planned``
rows are ever moved or cancelled. See `sending` for how a planned row is sent exactly once.

Each open deadline carries ``plan_on``, the day its rows next need planning without anything
changing: the day its next overdue repeat falls due, when the repeat after it joins the series.
Planning sets it; a deadline written in bulk gets the column's default, `PLAN_AT_NEXT_SWEEP`;
a change to a Compact's rules or to who is reminded sets it back to that. A sweep plans only
the deadlines whose ``plan_on`` has come (`plan_due`), a small batch per short transaction, so
its cost follows what is due, not how many deadlines are open.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

from workflows import bank_holidays
from workflows import reminders as reminder_rules
from workflows.deadlines import DeadlineStatus

from .. import localtime
from ..extensions import db
from ..models import (
    PLAN_AT_NEXT_SWEEP,
    Case,
    Deadline,
    DeadlinePause,
    FundingAgreement,
    Notice,
    Reminder,
    ReminderChannel,
    ReminderStatus,
    User,
    utcnow,
)
from . import ladders
from .recipients import recipients_by_deadline, reminder_recipients


def offsets() -> reminder_rules.ReminderOffsets:
    config = current_app.config
    return reminder_rules.ReminderOffsets.parse(
        config["REMINDER_OFFSETS"], config["REMINDER_OVERDUE_EVERY"]
    )


def channels() -> tuple[ReminderChannel, ...]:
    names = [n.strip() for n in current_app.config["REMINDER_CHANNELS"].split(",") if n.strip()]
    return tuple(ReminderChannel(n) for n in names)


def dialect() -> str:
    return db.session.get_bind().dialect.name


# Deadlines planned per transaction by a sweep: small enough that the write lock (SQLite) or
# the row locks (PostgreSQL) are held for a fraction of a second.
PLANNING_BATCH = 500


@dataclass(frozen=True)
class PlanReport:
    planned: int = 0
    moved: int = 0
    cancelled: int = 0
    deadlines: int = 0

    def __add__(self, other: PlanReport) -> PlanReport:
        return PlanReport(
            self.planned + other.planned,
            self.moved + other.moved,
            self.cancelled + other.cancelled,
            self.deadlines + other.deadlines,
        )


@dataclass
class _Changes:
    """What planning a batch of deadlines writes."""

    inserts: list[dict] = field(default_factory=list)
    moves: list[dict] = field(default_factory=list)
    cancels: list[int] = field(default_factory=list)
    plan_on: list[dict] = field(default_factory=list)


def plan(today: date, deadline_ids: Iterable[int]) -> PlanReport:
    """Bring the reminder rows of the deadlines ``deadline_ids`` up to date as of ``today``, in
    the current transaction: plan those of the open ones and set when each next needs planning;
    cancel the unsent ones of the closed ones.

    Deadlines of a case whose clock is stopped are left as they are: their due dates are only
    provisional, and their reminders wait (see `sending.claim`) until the clock restarts, which
    plans them again.
    """
    ids = sorted(set(deadline_ids))
    if not ids:
        return PlanReport()
    cancelled = _cancel_unsent_of_closed(ids)
    deadlines = _open_deadlines(ids)
    if not deadlines:
        return PlanReport(cancelled=cancelled)
    planned_ids = [d.id for d in deadlines if not d.paused]
    recipients = recipients_by_deadline(Deadline.id.in_(planned_ids)) if planned_ids else {}
    existing = _existing_rows(planned_ids)
    settings, wanted_channels = offsets(), channels()
    windows = ladders.ladders_by_deadline(d.id for d in deadlines if d.agreement_id)
    changes = _Changes()
    for deadline in deadlines:
        if deadline.paused:
            changes.plan_on.append({"did": deadline.id, "plan_on": None})
            continue
        opened_on = _opened_on(deadline.created_at, deadline.starts_on)
        if deadline.agreement_id:
            # A window's ladder is in calendar days with one alert once missed: it changes
            # only when the window does.
            series = ladders.series(deadline.due_on, opened_on, windows[deadline.id])
            plan_on = None
        else:
            series = _schedule(
                deadline.due_on, opened_on, today, settings, bank_holidays.overrides()
            )
            plan_on = _next_planning_day(series, today, settings)
        changes.plan_on.append({"did": deadline.id, "plan_on": plan_on})
        _compare(
            deadline.id,
            series,
            today,
            [(r, c) for r in recipients.get(deadline.id, ()) for c in wanted_channels],
            existing.get(deadline.id, {}),
            changes,
        )
    cancelled += _write(changes)
    return PlanReport(len(changes.inserts), len(changes.moves), cancelled, len(deadlines))


def _cancel_unsent_of_closed(ids: list[int]) -> int:
    table = Reminder.__table__
    closed = sa.select(Deadline.id).where(
        Deadline.id.in_(ids), Deadline.status != DeadlineStatus.OPEN
    )
    return db.session.execute(
        table.update()
        .where(table.c.status == ReminderStatus.PLANNED, table.c.deadline_id.in_(closed))
        .values(status=ReminderStatus.CANCELLED, last_error="The deadline closed")
    ).rowcount


def _open_deadlines(ids: list[int]) -> list[sa.Row]:
    """The open deadlines among ``ids``, as plain rows, each saying whether its case's clock
    is stopped."""
    paused = sa.exists().where(
        DeadlinePause.case_id == Deadline.case_id, DeadlinePause.ended_on.is_(None)
    )
    query = (
        sa.select(
            Deadline.id,
            Deadline.due_on,
            Deadline.starts_on,
            Deadline.created_at,
            Deadline.agreement_id,
            paused.label("paused"),
        )
        .where(Deadline.id.in_(ids), Deadline.status == DeadlineStatus.OPEN)
        .order_by(Deadline.id)
    )
    return list(db.session.execute(query))


def _existing_rows(ids: list[int]) -> dict[int, dict[tuple, sa.Row]]:
    """The reminder rows of these deadlines, by deadline and (offset, recipient, channel)."""
    existing: dict[int, dict[tuple, sa.Row]] = defaultdict(dict)
    if not ids:
        return existing
    table = Reminder.__table__
    query = sa.select(
        table.c.id,
        table.c.deadline_id,
        table.c.offset_days,
        table.c.recipient_id,
        table.c.channel,
        table.c.status,
        table.c.send_on,
    ).where(table.c.deadline_id.in_(ids))
    for row in db.session.execute(query):
        existing[row.deadline_id][(row.offset_days, row.recipient_id, row.channel)] = row
    return existing


@lru_cache(maxsize=4096)
def _schedule(
    due_on: date,
    opened_on: date,
    today: date,
    settings: reminder_rules.ReminderOffsets,
    holidays: tuple[frozenset[date], frozenset[date]],
) -> tuple[reminder_rules.ScheduledReminder, ...]:
    # Many deadlines share a due date: the working-day arithmetic is done once for each, and
    # again when the bank holidays in force (``holidays``, the overrides) change.
    return reminder_rules.schedule(due_on, opened_on, today, settings)


@lru_cache(maxsize=4096)
def _fresh(series: tuple[reminder_rules.ScheduledReminder, ...], today: date) -> frozenset[int]:
    return frozenset(r.offset for r in reminder_rules.worth_planning(series, today))


def _next_planning_day(
    series: tuple[reminder_rules.ScheduledReminder, ...],
    today: date,
    settings: reminder_rules.ReminderOffsets,
) -> date | None:
    """The day the series changes by itself: when its next overdue repeat falls due, the one
    after it is planned. Never today or earlier, so a sweep's batches always run out."""
    if not settings.overdue_every:
        return None
    return max(series[-1].fires_on, today + timedelta(days=1))


def _compare(
    deadline_id: int,
    series: tuple[reminder_rules.ScheduledReminder, ...],
    today: date,
    audience: list[tuple[int, ReminderChannel]],
    have: dict[tuple, sa.Row],
    changes: _Changes,
) -> None:
    """Add to ``changes`` what brings one deadline's rows (``have``) to ``series`` for each
    (recipient, channel) of ``audience``."""
    fresh = _fresh(series, today)
    wanted = set()
    for recipient, channel in audience:
        for reminder in series:
            key = (reminder.offset, recipient, channel)
            wanted.add(key)
            row = have.get(key)
            if row is None:
                if reminder.offset in fresh:
                    changes.inserts.append(
                        {
                            "deadline_id": deadline_id,
                            "offset_days": reminder.offset,
                            "recipient_id": recipient,
                            "channel": channel,
                            "send_on": reminder.fires_on,
                            "status": ReminderStatus.PLANNED,
                            "attempts": 0,
                            "created_at": utcnow(),
                        }
                    )
            elif row.status is ReminderStatus.PLANNED and row.send_on != reminder.fires_on:
                changes.moves.append({"rid": row.id, "new_send_on": reminder.fires_on})
    for key, row in have.items():
        if row.status is ReminderStatus.PLANNED and key not in wanted:
            # Superseded by a later overdue repeat, no longer due (the deadline moved past
            # it), or its recipient no longer concerned.
            changes.cancels.append(row.id)


def _write(changes: _Changes) -> int:
    """Write ``changes``; returns how many rows were cancelled."""
    table = Reminder.__table__
    if changes.inserts:
        insert = postgresql.insert if dialect() == "postgresql" else sqlite.insert
        statement = insert(table).on_conflict_do_nothing(
            index_elements=["deadline_id", "offset_days", "recipient_id", "channel"]
        )
        for start in range(0, len(changes.inserts), 500):
            db.session.execute(statement, changes.inserts[start : start + 500])
    if changes.moves:
        db.session.execute(
            table.update()
            .where(table.c.id == sa.bindparam("rid"), table.c.status == ReminderStatus.PLANNED)
            .values(send_on=sa.bindparam("new_send_on")),
            changes.moves,
        )
    cancelled = 0
    for start in range(0, len(changes.cancels), 500):
        cancelled += db.session.execute(
            table.update()
            .where(
                table.c.id.in_(changes.cancels[start : start + 500]),
                table.c.status == ReminderStatus.PLANNED,
            )
            .values(status=ReminderStatus.CANCELLED, last_error="No longer due")
        ).rowcount
    if changes.plan_on:
        deadlines = Deadline.__table__
        db.session.execute(
            deadlines.update()
            .where(deadlines.c.id == sa.bindparam("did"))
            .values(plan_on=sa.bindparam("plan_on")),
            changes.plan_on,
        )
    return cancelled


def _opened_on(created_at, starts_on: date) -> date:
    created = localtime.london(created_at).date() if created_at else localtime.today()
    return min(starts_on, created)


def plan_due(today: date, batch: int | None = None) -> PlanReport:
    """Plan the open deadlines whose ``plan_on`` has come, ``batch`` at a time, each batch in
    a transaction of its own that commits; returns what was planned.

    Nothing due: one indexed query. On PostgreSQL concurrent sweeps share the work, each
    skipping the deadlines another is planning (``FOR NO KEY UPDATE SKIP LOCKED``, which
    still lets a request add reminder rows to them); on SQLite each batch takes the write lock
    (``BEGIN IMMEDIATE``) only for itself, then leaves it free for a quarter as long, so a request's
    write waits about one batch, never the whole sweep.
    """
    batch = batch or PLANNING_BATCH
    single_writer = dialect() == "sqlite"
    total = PlanReport()
    while True:
        db.session.commit()
        started = time.monotonic()
        if single_writer:
            db.session.execute(sa.text("BEGIN IMMEDIATE"))
        try:
            ids = _take_batch(today, batch)
            done = plan(today, ids) if ids else PlanReport()
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
        total += done
        if len(ids) < batch:
            return total
        if single_writer:
            # A waiting writer polls the lock (SQLite's busy handler, every few up to 100 ms):
            # a gap a quarter as long as the batch lets it in within a few polls, where a
            # moment's gap between two batches would almost always be missed.
            time.sleep((time.monotonic() - started) / 4)


def _take_batch(today: date, batch: int) -> list[int]:
    query = (
        sa.select(Deadline.id)
        # Written as the partial index's own condition, a literal: a bound value would not
        # prove to either database that the index (`WHERE status = 'open'`) applies.
        .where(sa.text("deadlines.status = 'open'"), Deadline.plan_on <= today)
        .order_by(Deadline.plan_on)
        .limit(batch)
    )
    if dialect() == "postgresql":
        query = query.with_for_update(skip_locked=True, key_share=True)
    return list(db.session.scalars(query))


def replan_case(case: Case, today: date) -> None:
    """Re-plan the reminders of a case's deadlines after they changed, in the caller's
    transaction (which commits)."""
    db.session.flush()
    plan(today, [d.id for d in case.deadlines])


def replan_notice(notice: Notice, today: date) -> None:
    db.session.flush()
    plan(today, [d.id for d in notice.deadlines])


def replan_agreement(agreement: FundingAgreement, today: date) -> None:
    db.session.flush()
    plan(today, [d.id for d in agreement.deadlines])


def plan_again_at_next_sweep(deadlines: sa.ColumnElement[bool]) -> int:
    """Have the next sweep re-plan the open deadlines matching ``deadlines`` (their Compact's
    rules changed, say), in the caller's transaction; returns how many. One UPDATE of a
    column: the planning itself is done by the sweep, in batches."""
    table = Deadline.__table__
    return db.session.execute(
        table.update()
        .where(
            table.c.status == DeadlineStatus.OPEN,
            table.c.id.in_(sa.select(Deadline.id).where(deadlines)),
        )
        .values(plan_on=PLAN_AT_NEXT_SWEEP)
    ).rowcount


def plan_again_for_compacts(compact_ids: Iterable[int]) -> int:
    """Re-plan, at the next sweep, the open deadlines of cases, notices and agreements in
    these Compacts."""
    ids = list(compact_ids)
    in_compacts = sa.or_(
        Deadline.case_id.in_(sa.select(Case.id).where(Case.compact_id.in_(ids))),
        Deadline.notice_id.in_(sa.select(Notice.id).where(Notice.compact_id.in_(ids))),
        Deadline.agreement_id.in_(
            sa.select(FundingAgreement.id).where(FundingAgreement.compact_id.in_(ids))
        ),
    )
    return plan_again_at_next_sweep(in_compacts)


def plan_again_for_person(user_id: int) -> int:
    """Re-plan, at the next sweep, the deadlines a person is or was reminded of (their
    account was activated or deactivated): those with rows still planned for them, and those
    the recipient rule now names them for."""
    planned_for = sa.select(Reminder.deadline_id).where(
        Reminder.recipient_id == user_id, Reminder.status == ReminderStatus.PLANNED
    )
    named_for = sa.select(
        reminder_recipients(Deadline.status == DeadlineStatus.OPEN, people=User.id == user_id)
        .subquery()
        .c.deadline_id
    )
    return plan_again_at_next_sweep(
        sa.or_(Deadline.id.in_(planned_for), Deadline.id.in_(named_for))
    )


def plan_everything_again(batch: int = 5_000) -> int:
    """Have the next sweep re-plan every open deadline (the reminder settings changed):
    marked by keyset over deadline ids, one short transaction per ``batch``; returns how many."""
    table = Deadline.__table__
    after, marked = 0, 0
    while True:
        ids = list(
            db.session.scalars(
                sa.select(table.c.id)
                .where(table.c.status == DeadlineStatus.OPEN, table.c.id > after)
                .order_by(table.c.id)
                .limit(batch)
            )
        )
        if not ids:
            db.session.commit()
            return marked
        marked += db.session.execute(
            table.update().where(table.c.id.in_(ids)).values(plan_on=PLAN_AT_NEXT_SWEEP)
        ).rowcount
        db.session.commit()
        after = ids[-1]
