"""Acknowledging a dispute: an explicit step on a raised case that meets (or, late, misses)
its acknowledgement deadline, dated the day it was sent, and says so on the timeline. The
officer who acknowledges a case no officer holds yet (one raised online) takes it."""

from __future__ import annotations

from datetime import date

from workflows import deadlines
from workflows.deadlines import DeadlineKind, DeadlineStatus
from workflows.dispute import Event
from workflows.letters import check_acknowledgement
from workflows.periods import format_date

from ..history import record_event
from ..models import Case, CaseEventKind, Deadline, Role, User


def open_acknowledgement(case: Case) -> Deadline | None:
    """The case's open acknowledgement deadline: a case with one awaits acknowledgement."""
    return next(
        (d for d in case.deadlines if d.is_open and d.kind is DeadlineKind.ACKNOWLEDGE), None
    )


def check(case: Case, on: date, today: date) -> date:
    """`on` if the case may be acknowledged on that day, else `AcknowledgementRefused`."""
    return check_acknowledgement(
        case.state, open_acknowledgement(case) is not None, case.raised_on, on, today
    )


def write_acknowledgement(
    case: Case, on: date, actor: User | None, *, with_step: Event | None = None
) -> None:
    """Close the acknowledgement deadline as of `on` and add the timeline entry, in the
    current unit of work (the caller commits). `with_step` names the workflow step the
    acknowledgement is recorded with, when it was not recorded on its own first."""
    if case.officer_id is None and actor is not None and actor.role is Role.OFFICER:
        # A concern raised online is held by no one until an officer of its Compact
        # acknowledges it; that officer holds it from then on, as the timeline says.
        case.officer_id = actor.id
        case.officer = actor
        record_event(
            case, CaseEventKind.ASSIGNMENT, actor, changes={"officer_id": [None, actor.name]}
        )
    deadline = open_acknowledgement(case)
    if deadline is None:
        return
    deadline.status = deadlines.closing_status(DeadlineStatus.MET, on, deadline.due_on)
    deadline.closed_on = on
    met = deadline.status is DeadlineStatus.MET
    due = format_date(deadline.due_on)
    reason = f"The dispute was acknowledged on {format_date(on)}, " + (
        f"meeting the deadline of {due}" if met else f"after the deadline of {due} had passed"
    )
    if with_step is not None:
        reason += (
            f". Recorded with “{with_step.label}”, as no acknowledgement had been recorded before"
        )
    record_event(case, CaseEventKind.ACKNOWLEDGEMENT, actor, reason=reason)
