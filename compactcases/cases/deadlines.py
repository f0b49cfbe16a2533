"""A case's deadlines and its clock: open and close deadlines with the workflow, keep their due
dates as the clock stops and restarts, extend them by agreement, and show them with their
countdowns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from workflows import deadlines
from workflows import meetings as meeting_rules
from workflows.deadlines import Countdown, DeadlineKind, DeadlineStatus
from workflows.dispute import STAGE_DEADLINES, DeadlineChanges, State
from workflows.periods import (
    CALENDAR_DAYS,
    MAX_COUNT,
    Pause,
    Period,
    PeriodError,
    format_date,
    validate_date,
    validate_pauses,
)

from .. import policy, rule_sets
from ..history import changing, record_event
from ..models import Case, CaseEventKind, Deadline, DeadlinePause, User
from ..reminders.planning import replan_case

# The deadlines an escalation can close: those of the stages a case escalates from.
ESCALATION_CLOSES = frozenset(
    {STAGE_DEADLINES[State.RAISED], STAGE_DEADLINES[State.LOCAL_CONCILIATION]}
)


class ClockRefused(Exception):
    """A pause, restart or extension that cannot be made; nothing was written.

    `field_errors` maps the form field at fault to what is wrong with it.
    """

    def __init__(self, field_errors: dict[str, str]) -> None:
        super().__init__("; ".join(field_errors.values()))
        self.field_errors = field_errors


def pauses_of(case: Case) -> list[Pause]:
    return [Pause(p.started_on, p.ended_on) for p in case.pauses]


def due_date_of(deadline: Deadline, pauses: list[Pause], today: date) -> date:
    if not deadline.kind.follows_clock:
        return deadline.due_on
    return deadlines.deadline_due(
        deadline.starts_on, deadline.period, deadline.extended_by, pauses, today=today
    )


def refresh_due_dates(case: Case, today: date) -> None:
    """Recompute the stored due date of every open deadline after the clock or a period
    changed (with the clock stopped, the earliest due date as things stand today)."""
    pauses = pauses_of(case)
    for deadline in case.deadlines:
        if deadline.is_open:
            deadline.due_on = due_date_of(deadline, pauses, today)


def open_deadline(case: Case, kind: DeadlineKind, starts_on: date, today: date) -> Deadline:
    period = rule_sets.period_for(case.compact, kind.rule)
    deadline = Deadline(
        kind=kind,
        rule=kind.rule,
        starts_on=starts_on,
        period_count=period.count,
        period_unit=period.unit,
        extended_by=0,
        status=DeadlineStatus.OPEN,
    )
    deadline.due_on = due_date_of(deadline, pauses_of(case), max(today, starts_on))
    case.deadlines.append(deadline)
    return deadline


def open_dated_deadline(case: Case, kind: DeadlineKind, due_on: date, today: date) -> Deadline:
    """A deadline with a date agreed rather than set by a rule (a meeting's action): counted
    in calendar days from today, so that its due date is ``due_on``; the clock never moves it."""
    starts_on, days = meeting_rules.action_deadline_span(due_on, today)
    deadline = Deadline(
        kind=kind,
        rule=kind.rule,
        starts_on=starts_on,
        period_count=days,
        period_unit=CALENDAR_DAYS,
        extended_by=0,
        status=DeadlineStatus.OPEN,
        due_on=due_on,
    )
    case.deadlines.append(deadline)
    return deadline


def apply_deadline_changes(case: Case, changes: DeadlineChanges, today: date) -> None:
    refresh_due_dates(case, today)
    if changes.close is not None:
        kind, status = changes.close
        for deadline in case.deadlines:
            if deadline.is_open and deadline.kind is kind:
                deadline.status = deadlines.closing_status(status, today, deadline.due_on)
                deadline.closed_on = today
    if changes.open is not None:
        open_deadline(case, changes.open, today, today)
    if not case.is_open:
        # Actions agreed at a meeting lapse with the case: a closed case reminds no one.
        for deadline in case.deadlines:
            if deadline.is_open and not deadline.kind.follows_clock:
                deadline.status = DeadlineStatus.CANCELLED
                deadline.closed_on = today


@dataclass(frozen=True)
class DeadlineRow:
    """A case deadline as the case page shows it."""

    id: int
    kind: DeadlineKind
    label: str
    period: str
    extended_by: str | None
    due_on: date
    status: DeadlineStatus
    closed_on: date | None
    countdown: Countdown | None  # None when closed or while the clock is stopped
    paused: bool
    # Closed because the case went to regional mediation, not because the stage was done.
    ended_by_escalation: bool = False


def _ended_by_escalation(case: Case, deadline: Deadline) -> bool:
    """Whether the deadline of the stage a case left for regional mediation closed with that
    step (it closes as met, or missed when late, like a stage that was completed)."""
    return (
        deadline.kind in ESCALATION_CLOSES
        and deadline.closed_on is not None
        and deadline.status is not DeadlineStatus.CANCELLED
        and case.escalated_on == deadline.closed_on
    )


def deadline_rows(case: Case, today: date, user: User) -> list[DeadlineRow]:
    """The case's deadlines that `user` may see (`policy.scope_deadlines`), open ones first,
    with days left counted in the rule's days."""
    pauses = pauses_of(case)
    paused = case.open_pause is not None
    seen = policy.visible_deadline_ids(user, case.deadlines)
    rows = []
    for deadline in case.deadlines:
        if deadline.id not in seen:
            continue
        due_on = deadline.due_on
        left = None
        if deadline.is_open:
            if paused:
                due_on = due_date_of(deadline, pauses, max(today, case.open_pause.started_on))
            else:
                left = deadlines.countdown(due_on, today, deadline.period_unit)
        extension = None
        if deadline.extended_by:
            extension = Period(deadline.extended_by, deadline.period_unit).describe()
        rows.append(
            DeadlineRow(
                id=deadline.id,
                kind=deadline.kind,
                label=deadline.kind.label,
                period=deadline.period.describe(),
                extended_by=extension,
                due_on=due_on,
                status=deadline.status,
                closed_on=deadline.closed_on,
                countdown=left,
                paused=paused and deadline.is_open,
                ended_by_escalation=_ended_by_escalation(case, deadline),
            )
        )
    rows.sort(key=lambda row: (row.status != DeadlineStatus.OPEN, row.due_on, row.id))
    return rows


def _checked_day(value: date, name: str, field: str, today: date) -> date:
    try:
        value = validate_date(value, name)
    except PeriodError as error:
        raise ClockRefused({field: _sentence(error)}) from None
    if value > today:
        raise ClockRefused({field: f"The {name} must be today or in the past"})
    return value


def _sentence(error: Exception) -> str:
    text = str(error)
    return text[:1].upper() + text[1:]


def pause_clock(
    case: Case, started_on: date, reason: str, actor: User | None, today: date
) -> DeadlinePause:
    """Stop the case's clock from `started_on` (the day is not counted) while waiting on a
    party; its open deadlines move on by each day it stays stopped."""
    if not case.is_open:
        raise ClockRefused({"started_on": "The clock of a closed case cannot be stopped"})
    started_on = _checked_day(started_on, "date the clock stopped", "started_on", today)
    try:
        # One open pause at most, and none reaching into the closed ones' days.
        validate_pauses([*pauses_of(case), Pause(started_on)])
    except PeriodError as error:
        raise ClockRefused({"started_on": _sentence(error)}) from None
    with changing(case):
        pause = DeadlinePause(started_on=started_on, reason=reason, by=actor)
        case.pauses.append(pause)
        refresh_due_dates(case, today)
        record_event(
            case,
            CaseEventKind.PAUSE,
            actor,
            reason=reason,
            changes={"clock": [None, f"stopped from {format_date(started_on)}"]},
        )
        replan_case(case, today)
    return pause


def resume_clock(
    case: Case, ended_on: date, reason: str, actor: User | None, today: date
) -> DeadlinePause:
    """Restart the clock: it counts again from `ended_on`."""
    pause = case.open_pause
    if pause is None:
        raise ClockRefused({"ended_on": "The clock is not stopped"})
    ended_on = _checked_day(ended_on, "date the clock restarts", "ended_on", today)
    others = [Pause(p.started_on, p.ended_on) for p in case.pauses if p is not pause]
    try:
        validate_pauses([*others, Pause(pause.started_on, ended_on)])
    except PeriodError as error:
        raise ClockRefused({"ended_on": _sentence(error)}) from None
    # The due dates as they stood before the clock stopped, to show how far they moved.
    before = {d.id: due_date_of(d, others, today) for d in case.deadlines if d.is_open}
    with changing(case):
        pause.ended_on = ended_on
        refresh_due_dates(case, today)
        changes = {"clock": [f"stopped from {format_date(pause.started_on)}", "running"]}
        for deadline in case.deadlines:
            if deadline.id in before and before[deadline.id] != deadline.due_on:
                changes[deadline.kind.value] = [
                    format_date(before[deadline.id]),
                    format_date(deadline.due_on),
                ]
        record_event(case, CaseEventKind.RESUME, actor, reason=reason, changes=changes)
        replan_case(case, today)
    return pause


def extend_deadline(
    case: Case, deadline_id: int, by: int, reason: str, actor: User | None, today: date
) -> Deadline:
    """Lengthen an open deadline by `by` days (in its rule's unit) as agreed, with the reason."""
    deadline = next((d for d in case.deadlines if d.id == deadline_id and d.is_open), None)
    if deadline is None or not deadline.kind.follows_clock:
        raise ClockRefused({"days": "Only an open deadline of this case can be extended"})
    if not 1 <= by <= MAX_COUNT - deadline.period_count - deadline.extended_by:
        raise ClockRefused({"days": "Enter a whole number of days, 1 or more"})
    before = deadline.due_on
    with changing(case):
        deadline.extended_by += by
        refresh_due_dates(case, today)
        record_event(
            case,
            CaseEventKind.EXTENSION,
            actor,
            reason=reason,
            changes={deadline.kind.value: [format_date(before), format_date(deadline.due_on)]},
        )
        replan_case(case, today)
    return deadline
