"""The standard demo set, built as people built it: each planned case is logged, moved through
the workflow, noted and taken by calling the case services a person's clicks call, and the
funders' notices are recorded through the notice service.

The demo replays the past: each service is told the day of the step, and once a case's history
is written its timeline entries are given the moments the plan says they happened.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import sqlalchemy as sa

from workflows import dispute
from workflows.deadlines import DeadlineStatus
from workflows.letters import step_acknowledges

from ..cases import assignment, workflow
from ..cases import services as cases
from ..extensions import db
from ..letters import services as letters
from ..models import (
    Case,
    CaseEvent,
    Deadline,
    Notice,
    NoticeKind,
    Outcome,
    Reminder,
    ReminderStatus,
    User,
)
from ..notices import services as notices
from ..reminders import planning
from .data.notices import DEMO_NOTICES
from .data.people import officer_email
from .plans import ONE_MINUTE, ONE_SECOND, ActionKind, CasePlan, plan_standard_set
from .reference import Reference
from .timelines import at


def add_standard_set(ref: Reference) -> int:
    """Log and replay the standard set's cases, in the order they were raised (so references
    follow that order); returns how many were added. Each service call commits."""
    plans = plan_standard_set(ref)
    db.session.commit()
    with _kept_loaded(), _commits_not_flushed_to_disk():
        replayed = [
            replay(plan, ref.users) for plan in sorted(plans, key=lambda p: p.details.raised_on)
        ]
    plan_reminders_from_today(Deadline.case_id.in_([case.id for case in replayed]))
    return len(plans)


def plan_reminders_from_today(deadlines: sa.ColumnElement[bool]) -> int:
    """The replay planned each deadline's reminders on the day of its last step, so by today
    most of them have fallen due unsent, and the first sweep would send every one. Plan them as
    for data loaded today instead: drop the matching open deadlines' unsent rows and leave the
    deadlines to the next sweep, which plans from today by the one rule (of a run of missed
    reminders only the latest, then those still to come). Returns how many deadlines."""
    unsent = sa.select(Deadline.id).where(deadlines, Deadline.status == DeadlineStatus.OPEN)
    db.session.execute(
        sa.delete(Reminder).where(
            Reminder.status == ReminderStatus.PLANNED, Reminder.deadline_id.in_(unsent)
        )
    )
    count = planning.plan_again_at_next_sweep(deadlines)
    db.session.commit()
    return count


@contextmanager
def _commits_not_flushed_to_disk() -> Iterator[None]:
    """Let the replay's few hundred small commits return without waiting for the disk.

    The services commit after every step; waiting for each commit to reach the disk made
    seeding several times slower. If the machine loses power mid-seed, the last steps may be
    lost, as if seeding had stopped there: a demo can be seeded again. On SQLite in WAL mode
    `synchronous=NORMAL` never corrupts the database; PostgreSQL's `synchronous_commit=off`
    is per connection and likewise safe. The settings are put back at the end.
    """
    dialect = db.session.get_bind().dialect.name
    if dialect == "sqlite":
        before = db.session.connection().exec_driver_sql("PRAGMA synchronous").scalar()
        db.session.connection().exec_driver_sql("PRAGMA synchronous=NORMAL")
    elif dialect == "postgresql":
        db.session.connection().exec_driver_sql("SET synchronous_commit TO OFF")
    try:
        yield
        db.session.commit()
    except BaseException:
        # A failed step leaves the session unusable until it is rolled back.
        db.session.rollback()
        raise
    finally:
        if dialect == "sqlite":
            db.session.connection().exec_driver_sql(f"PRAGMA synchronous={int(before)}")
        elif dialect == "postgresql":
            db.session.connection().exec_driver_sql("RESET synchronous_commit")


@contextmanager
def _kept_loaded() -> Iterator[None]:
    """Keep loaded rows loaded across the services' commits, then expire them all.

    Each service commits, and a commit normally expires every row in the session, so the next
    call would load the Compacts, users and the case again: hundreds of reloads in a replay
    whose only writer is this session. Rows changed behind the session's back (the dated
    timelines) are read fresh once it ends.
    """
    session = db.session()
    kept = session.expire_on_commit
    session.expire_on_commit = False
    try:
        yield
    finally:
        session.expire_on_commit = kept
        session.expire_all()


def replay(plan: CasePlan, users: dict[str, User]) -> Case:
    """The planned case, logged and taken through its steps by the services, its timeline
    dated as planned."""

    def person(email: str | None) -> User | None:
        return users.get(email) if email else None

    raised = plan.details.raised_on
    case = cases.create_case(plan.details, person(plan.logged_by), today=raised)
    for action in plan.actions:
        actor = person(action.actor)
        day = action.moment.date()
        if action.kind is ActionKind.NOTE:
            cases.add_note(case, action.text, meeting=False, private=False, actor=actor)
        elif action.kind is ActionKind.ACKNOWLEDGE:
            letters.record_acknowledgement(case, day, actor, day, with_letter=action.with_letter)
        elif action.kind is ActionKind.TAKE:
            assignment.take_case(case, actor, today=day)
        else:
            request = dispute.EventRequest(today=day, reason=action.text, outcome=action.outcome)
            workflow.fire_event(case, action.event.value, request, actor)
    _date_history(case, plan)
    return case


def _entry_moments(plan: CasePlan) -> list:
    """The moment of each timeline entry the plan's actions write: a case's first step,
    unless it is a withdrawal or the case was acknowledged first, also records the
    acknowledgement, in an entry of its own at the same moment."""
    moments, awaiting = [], True
    for action in plan.actions:
        if action.kind is ActionKind.ACKNOWLEDGE:
            awaiting = False
            if action.with_letter:
                # The acknowledgement, then the letter's entry (which names its document).
                moments.append(action.moment)
                action = replace(action, moment=action.moment + ONE_SECOND)
        elif action.kind is ActionKind.EVENT and awaiting:
            awaiting = False
            if step_acknowledges(action.event, dispute.State.RAISED):
                moments.append(action.moment - ONE_MINUTE)
        moments.append(action.moment)
    return moments


def _date_history(case: Case, plan: CasePlan) -> None:
    """Give the case's timeline entries, outcome and own times the moments of the plan; in the
    current transaction, which the next service call (or the caller) commits."""
    moments = [plan.logged_at, *_entry_moments(plan)]
    entries = db.session.scalars(
        sa.select(CaseEvent.id).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
    ).all()
    if len(entries) != len(moments):
        raise RuntimeError(f"{case.reference}: {len(entries)} timeline entries, planned {moments}")
    db.session.execute(
        sa.update(CaseEvent),
        [{"id": id_, "occurred_at": moment} for id_, moment in zip(entries, moments, strict=True)],
    )
    closing = [a.moment for a in plan.actions if a.kind is ActionKind.EVENT]
    if closing and not case.is_open:
        db.session.execute(
            sa.update(Outcome).where(Outcome.case_id == case.id).values(recorded_at=closing[-1])
        )
    # A Core UPDATE, so that dating the case does not count as another edit of it.
    db.session.execute(
        sa.update(Case.__table__)
        .where(Case.__table__.c.id == case.id)
        .values(created_at=moments[0], updated_at=max(moments))
    )


def add_notices(ref: Reference) -> int:
    """Record the demo notices through the notice service, with their verdicts under their
    Compacts' rules; once per database. Returns how many were added."""
    if db.session.scalar(sa.select(sa.func.count()).select_from(Notice)):
        return 0
    recorded_by = ref.users.get(officer_email("BIR"))
    for item in DEMO_NOTICES:
        funding = item.kind is not NoticeKind.CONSULTATION
        details = notices.NoticeDetails(
            kind=item.kind,
            compact_id=ref.compacts[item.compact].id,
            funder_id=ref.organisations[item.funder].id,
            recipient_id=ref.organisations[item.recipient].id if item.recipient else None,
            title=item.title,
            notice_given_on=item.first if funding else None,
            effective_on=item.second if funding else None,
            opens_on=None if funding else item.first,
            closes_on=None if funding else item.second,
            written=item.written,
            reasons_given=item.reasons_given,
            amount_before=item.amounts[0] if item.amounts else None,
            amount_after=item.amounts[1] if item.amounts else None,
        )
        notice = notices.create_notice(details, recorded_by, today=item.first)
        db.session.execute(
            sa.update(Notice.__table__)
            .where(Notice.__table__.c.id == notice.id)
            .values(created_at=at(item.first, random.Random(item.title)))
        )
    plan_reminders_from_today(Deadline.notice_id.is_not(None))
    return len(DEMO_NOTICES)
