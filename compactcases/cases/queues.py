"""Work queues over the case list, as SQL: who holds a case, its next deadline, and the
filters and order that find the cases a person must act on (overdue, due this week, theirs,
nobody's). The dated windows come from `workflows.deadlines`; only the comparison is SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from workflows import deadlines
from workflows.deadlines import Countdown, DeadlineKind, DeadlineStatus
from workflows.dispute import State
from workflows.periods import Unit

from .. import policy
from ..models import Deadline, DeadlinePause, User

# The deadline windows a list can be filtered by (`due=`), with what the filter says.
DUE_CHOICES = {
    "overdue": "Overdue",
    "week": "Due in the next 5 working days",
    "soon": "Due in the next 10 working days",
}
# The case list's `state=` for raised disputes not yet acknowledged (not a state of its own:
# a raised case stays raised once acknowledged).
UNACKNOWLEDGED = "unacknowledged"
# Who holds the case (`assigned=`).
ASSIGNED_TO_ME = "me"
UNASSIGNED = "unassigned"
ASSIGNED_CHOICES = {ASSIGNED_TO_ME: "Assigned to me", UNASSIGNED: "Unassigned"}

_DEADLINES = Deadline.__table__
_PAUSES = DeadlinePause.__table__


def _seen(user: User | None) -> tuple[sa.ColumnElement[bool], ...]:
    """The condition leaving out the deadlines hidden from `user` (`scopes.scope_deadlines`:
    a party does not learn of an action agreed at a meeting it was not invited to), if any."""
    hidden = policy.deadline_hidden_from(user)
    return () if hidden is None else (~hidden,)


def _open_deadlines(case_id: sa.ColumnElement, user: User | None = None) -> sa.ColumnElement[bool]:
    return sa.and_(
        _DEADLINES.c.case_id == case_id, _DEADLINES.c.status == DeadlineStatus.OPEN, *_seen(user)
    )


def next_due_on(case_id: sa.ColumnElement, user: User | None = None) -> sa.ScalarSelect:
    """The due date of the case's earliest open deadline `user` may see (None when nothing
    is open)."""
    return (
        sa.select(sa.func.min(_DEADLINES.c.due_on))
        .where(_open_deadlines(case_id, user))
        .scalar_subquery()
    )


def next_due_by_case(user: User | None = None) -> sa.Subquery:
    """Each case's earliest open deadline `user` may see (case_id, due_on), from one pass over
    the open deadlines: a whole list ordered by next deadline joins this, where a look-up per
    case would be made for every case in scope before the first page could be chosen."""
    return (
        sa.select(_DEADLINES.c.case_id, sa.func.min(_DEADLINES.c.due_on).label("due_on"))
        .where(
            _DEADLINES.c.status == DeadlineStatus.OPEN,
            _DEADLINES.c.case_id.is_not(None),
            *_seen(user),
        )
        .group_by(_DEADLINES.c.case_id)
        .subquery("next_due")
    )


def next_due_unit(case_id: sa.ColumnElement, user: User | None = None) -> sa.ScalarSelect:
    """The unit of the rule behind the case's earliest open deadline, so its countdown counts
    working days or days as the rule does."""
    return (
        sa.select(_DEADLINES.c.period_unit)
        .where(_open_deadlines(case_id, user))
        .order_by(_DEADLINES.c.due_on, _DEADLINES.c.id)
        .limit(1)
        .scalar_subquery()
    )


def clock_stopped(case_id: sa.ColumnElement) -> sa.Exists:
    """Whether the case's clock is stopped now (its due dates are then only provisional)."""
    return sa.exists().where(_PAUSES.c.case_id == case_id, _PAUSES.c.ended_on.is_(None))


def awaiting_acknowledgement(case_id: sa.ColumnElement) -> sa.Exists:
    """The dispute has not been acknowledged yet: its acknowledgement deadline is open (it is
    met when the acknowledgement is recorded, or when local conciliation starts)."""
    return sa.exists().where(
        _open_deadlines(case_id), _DEADLINES.c.kind == DeadlineKind.ACKNOWLEDGE
    )


def has_deadline_due(
    due: str, case_id: sa.ColumnElement, today: date, user: User | None = None
) -> sa.ColumnElement[bool]:
    """The case has an open deadline overdue, due within 5 working days ("week") or within
    10 ("soon"), and its clock is running."""
    if due == "overdue":
        window = _DEADLINES.c.due_on < today
    else:
        until = (
            deadlines.due_this_week_until(today)
            if due == "week"
            else deadlines.due_soon_until(today)
        )
        window = _DEADLINES.c.due_on.between(today, until)
    return sa.and_(
        sa.exists().where(_open_deadlines(case_id, user), window), ~clock_stopped(case_id)
    )


def assignment_filter(
    cases, *, assigned: str | None, person_id: int | None, user: User
) -> list[sa.ColumnElement[bool]]:
    """Conditions on `cases` (the cases table's columns) for who holds them.

    "Assigned to me": the user is the case's officer or its mediator. "Unassigned": an open
    case whose current stage nobody holds (in regional mediation, no mediator; before it, no
    officer). A person: they are the case's officer or its mediator.
    """
    conditions = []
    if assigned == ASSIGNED_TO_ME:
        conditions.append(sa.or_(cases.officer_id == user.id, cases.mediator_id == user.id))
    elif assigned == UNASSIGNED:
        conditions.append(
            sa.or_(
                sa.and_(cases.state == State.REGIONAL_MEDIATION, cases.mediator_id.is_(None)),
                sa.and_(
                    cases.state.in_((State.RAISED, State.LOCAL_CONCILIATION)),
                    cases.officer_id.is_(None),
                ),
            )
        )
    if person_id:
        conditions.append(sa.or_(cases.officer_id == person_id, cases.mediator_id == person_id))
    return conditions


def deadline_order(columns, user: User | None = None) -> tuple:
    """Next deadline first: cases with no open deadline last, then newest raised."""
    due = next_due_on(columns.id, user)
    return (due.is_(None), due.asc(), columns.raised_on.desc(), columns.id.desc())


@dataclass(frozen=True)
class NextDeadline:
    """A case's next open deadline as the list shows it."""

    due_on: date
    countdown: Countdown
    # While the clock is stopped the due date moves on: neither overdue nor counting down.
    clock_stopped: bool

    @property
    def overdue(self) -> bool:
        return self.countdown.overdue and not self.clock_stopped

    def describe(self) -> str:
        return "Clock stopped" if self.clock_stopped else self.countdown.describe()


def next_deadline(
    due_on: date | None, unit: Unit | str | None, stopped: bool, today: date
) -> NextDeadline | None:
    """The list's next-deadline cell from the values the query read, counted in Python (no
    query): working days left under a working-day rule, otherwise days."""
    if due_on is None or unit is None:
        return None
    countdown = deadlines.countdown(due_on, today, Unit(unit))
    return NextDeadline(due_on=due_on, countdown=countdown, clock_stopped=bool(stopped))
