"""Where a case stands, for the people following it: its next move in a sentence
(`workflows.next_move`, read the same by the case page, the home page and the API), a party's
open cases, and what awaits a party (the meetings it is invited to that are coming up, and the
actions agreed at a meeting that one of its people took on)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from workflows.deadlines import DeadlineKind, DeadlineStatus
from workflows.dispute import OPEN_STATES
from workflows.meetings import MeetingStatus
from workflows.next_move import CaseMove, Mover, OpenDeadline, next_move

from .. import policy
from ..extensions import db
from ..meetings.describe import when
from ..models import (
    Case,
    Deadline,
    Meeting,
    MeetingAction,
    Role,
    Side,
    User,
)

_SIDES = {Side.FUNDER: Mover.FUNDER, Side.THIRD_SECTOR: Mover.THIRD_SECTOR}


def _owner_side(case: Case, owner: User | None) -> Mover | None:
    if owner is None:
        return None
    if owner.role is Role.MEDIATOR:
        return Mover.MEDIATOR
    if owner.role is Role.OFFICER:
        return Mover.OFFICER
    for party in case.party_rows:
        if party.organisation_id == owner.organisation_id:
            return _SIDES[party.side]
    return None


# What `user` may see of each open deadline that is an action agreed at a meeting: who took
# it on (its name typed, or the person), by deadline id; the hidden ones are left out.
ActionOwners = dict[int, tuple[str, User | None]]


def _action_owners(deadlines: list[Deadline], user: User) -> ActionOwners:
    """Who took on each of the meeting actions among `deadlines` that `user` may see
    (`policy.scope_deadlines`): one query for the lot, only when there are any."""
    ids = [d.id for d in deadlines if d.kind is DeadlineKind.MEETING_ACTION]
    if not ids:
        return {}
    rows = db.session.execute(
        policy.scope_deadlines(
            sa.select(Deadline.id, MeetingAction.owner_name, User)
            .select_from(Deadline)
            .outerjoin(MeetingAction, MeetingAction.deadline_id == Deadline.id)
            .outerjoin(User, User.id == MeetingAction.owner_id)
            .where(Deadline.id.in_(ids)),
            user,
        )
    )
    return {row.id: (row.owner_name or "", row.User) for row in rows}


def _open_deadlines(case: Case) -> list[Deadline]:
    return [d for d in case.deadlines if d.status is DeadlineStatus.OPEN]


def move_of(case: Case, user: User, today: date, owners: ActionOwners | None = None) -> CaseMove:
    """The case's next move in words as `user` may see it on `today`, from its open deadlines
    (loaded with the case), leaving out any action agreed at a meeting `user` may not see.
    `owners` is what `_action_owners` found for this case's (and maybe others') deadlines."""
    open_rows = _open_deadlines(case)
    if owners is None:
        owners = _action_owners(open_rows, user)
    deadlines = []
    for row in open_rows:
        if row.kind is DeadlineKind.MEETING_ACTION:
            if row.id not in owners:
                continue
            name, owner = owners[row.id]
            deadlines.append(
                OpenDeadline(
                    row.kind,
                    row.due_on,
                    owner_name=(owner.name if owner else name),
                    owner_side=_owner_side(case, owner),
                )
            )
        else:
            deadlines.append(OpenDeadline(row.kind, row.due_on))
    pause = case.open_pause
    return next_move(
        case.state,
        deadlines,
        today=today,
        regional=case.is_regional,
        mediator_name=case.mediator.name if case.mediator_id else "",
        clock_stopped_on=pause.started_on if pause else None,
        closed_on=case.closed_on,
    )


@dataclass(frozen=True)
class FollowedCase:
    """One of a party's open cases as its home page lists it."""

    reference: str
    title: str
    state: str
    move: CaseMove


# How many open cases the party's home page names.
CASES_LISTED = 10


def open_cases_of(user: User, today: date, limit: int = CASES_LISTED) -> list[FollowedCase]:
    """The open cases `user` sees (a party: those its organisation is a party to), the next
    deadline it may see first, each with its next move; a fixed number of queries whatever
    the number of cases."""
    next_due = policy.scope_deadlines(
        sa.select(sa.func.min(Deadline.due_on)).where(
            Deadline.case_id == Case.id, Deadline.status == DeadlineStatus.OPEN
        ),
        user,
    ).scalar_subquery()
    cases = db.session.scalars(
        policy.scope_cases(sa.select(Case), user)
        .where(Case.state.in_(OPEN_STATES))
        .options(
            selectinload(Case.deadlines),
            selectinload(Case.pauses),
            selectinload(Case.compact_rows),
            selectinload(Case.party_rows),
        )
        .order_by(next_due.is_(None), next_due, Case.id)
        .limit(limit)
    ).all()
    owners = _action_owners([d for c in cases for d in _open_deadlines(c)], user)
    return [
        FollowedCase(c.reference, c.title, c.state.label, move_of(c, user, today, owners))
        for c in cases
    ]


@dataclass(frozen=True)
class Awaited:
    """Something a party is expected to do: attend a meeting, or finish an agreed action."""

    reference: str
    text: str
    on: date | datetime


def awaiting(user: User, now: datetime) -> list[Awaited]:
    """What the data says `user`'s organisation is to do on its open cases: the meetings one
    of its people is invited to that are still to come, and the open actions agreed at a
    meeting that one of its people took on; soonest first."""
    cases = policy.scope_cases(sa.select(Case.id), user).where(Case.state.in_(OPEN_STATES))
    meetings = db.session.scalars(
        policy.scope_meetings(sa.select(Meeting), user)
        .where(
            Meeting.case_id.in_(cases),
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.ends_at > now,
        )
        .options(selectinload(Meeting.case))
        .order_by(Meeting.starts_at)
    ).all()
    actions = db.session.execute(
        policy.scope_deadlines(
            sa.select(Case.reference, MeetingAction.text, Deadline.due_on)
            .join(Deadline, Deadline.id == MeetingAction.deadline_id)
            .join(Case, Case.id == Deadline.case_id)
            .where(
                Deadline.status == DeadlineStatus.OPEN,
                Deadline.case_id.in_(cases),
                MeetingAction.owner_id.in_(policy.own_side_ids(user)),
            ),
            user,
        ).order_by(Deadline.due_on)
    ).all()
    found = [
        Awaited(m.case.reference, f"A meeting you are invited to: {when(m)}", m.starts_at)
        for m in meetings
    ] + [
        Awaited(
            a.reference, f"An action agreed at a meeting, due {_long(a.due_on)}: {a.text}", a.due_on
        )
        for a in actions
    ]
    return sorted(found, key=lambda a: _day(a.on))


def _long(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value
