"""Deadlines: their kinds and statuses, their due dates, and how far off a due date is.

Plain values only, like the rest of `workflows`. Which deadline opens and closes on each
workflow step is part of the dispute machine (`workflows.dispute.on_transition`); dates come
from `workflows.periods`, the one place a due date is computed.

Each open stage of a dispute has one deadline, set by a rule of the Compact's rule set:

* ``raised``: acknowledge the dispute (rule ``acknowledge``, 5 working days by default);
* ``local_conciliation``: conclude conciliation (``local_conciliation``, 20 working days);
* ``regional_mediation``: conclude mediation (``regional_mediation``, 40 working days).

Any step out of a stage closes that stage's deadline: as *met* when the case moves on or is
resolved (or *missed* if that happened after the due date), as *cancelled* when it is
withdrawn. Entering an open stage, including by reopening, opens that stage's deadline from
the day of the step.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from .labels import LabelledEnum
from .periods import (
    WORKING_DAYS,
    Pause,
    Period,
    Unit,
    add_working_days,
    due_date,
    working_days_between,
)


class DeadlineKind(LabelledEnum):
    ACKNOWLEDGE = "acknowledge", "Acknowledge the dispute"
    CONCLUDE_CONCILIATION = "conclude_conciliation", "Conclude local conciliation"
    CONCLUDE_MEDIATION = "conclude_mediation", "Conclude regional mediation"
    NOTICE_ISSUE_BY = "notice_issue_by", "Notice must be issued by"
    CONSULTATION_CLOSES = "consultation_closes", "Consultation closes no earlier than"
    SELF_ASSESSMENT = "self_assessment", "File the annual self-assessment"
    # Agreed at a meeting on the case, with its own due date: no rule sets it, and the case's
    # clock does not move it.
    MEETING_ACTION = "meeting_action", "Meeting action"

    @property
    def follows_clock(self) -> bool:
        """Whether stopping the case's clock moves this deadline's due date."""
        return self is not DeadlineKind.MEETING_ACTION

    @property
    def rule(self) -> str:
        """The name of the rule in a Compact's rule set that sets this deadline's period."""
        return KIND_RULES[self]


class DeadlineStatus(LabelledEnum):
    OPEN = "open", "Open"
    MET = "met", "Met"
    MISSED = "missed", "Missed"
    CANCELLED = "cancelled", "Cancelled"


KIND_RULES: Mapping[DeadlineKind, str] = {
    DeadlineKind.ACKNOWLEDGE: "acknowledge",
    DeadlineKind.CONCLUDE_CONCILIATION: "local_conciliation",
    DeadlineKind.CONCLUDE_MEDIATION: "regional_mediation",
    DeadlineKind.NOTICE_ISSUE_BY: "funding_notice",
    DeadlineKind.CONSULTATION_CLOSES: "consultation",
    # Set by the region for each year, not by a Compact's rule set.
    DeadlineKind.SELF_ASSESSMENT: "self_assessment",
    DeadlineKind.MEETING_ACTION: "meeting_action",
}


def deadline_due(
    starts_on: date,
    period: Period,
    extended_by: int = 0,
    pauses: Sequence[Pause] = (),
    *,
    today: date | None = None,
) -> date:
    """A case deadline's due date: its period plus any extension agreed, from ``starts_on``,
    with the case's clock stopped during ``pauses``.

    An extension by agreement lengthens the period in the rule's own unit, so 20 working days
    extended by 5 is counted as 25 working days, and pauses keep applying to the whole span.
    While a pause is open, ``today`` gives the earliest due date possible (see `due_date`).
    """
    if extended_by:
        period = Period(period.count + extended_by, period.unit)
    return due_date(starts_on, period, pauses, today=today)


def closing_status(intended: DeadlineStatus, closed_on: date, due_on: date) -> DeadlineStatus:
    """A deadline closed as met after its due date was missed; other statuses stand."""
    if intended is DeadlineStatus.MET and closed_on > due_on:
        return DeadlineStatus.MISSED
    return intended


@dataclass(frozen=True)
class Countdown:
    """How far a due date is from today, in the rule's kind of days.

    ``days`` is positive before the due date, 0 on it and negative once overdue.
    """

    days: int
    working: bool

    @property
    def overdue(self) -> bool:
        return self.days < 0

    def describe(self) -> str:
        """Plain English: "3 working days left", "Due today", "2 days overdue"."""
        if self.days == 0:
            return "Due today"
        n = abs(self.days)
        unit = (
            ("working day" if n == 1 else "working days")
            if self.working
            else ("day" if n == 1 else "days")
        )
        return f"{n} {unit} {'overdue' if self.days < 0 else 'left'}"


def countdown(due_on: date, today: date, unit: Unit) -> Countdown:
    """Days from ``today`` to ``due_on``: working days when the rule counts working days.

    A working-day deadline that falls due on Friday is 1 working day overdue on Monday.
    """
    if unit is WORKING_DAYS:
        return Countdown(working_days_between(today, due_on), working=True)
    return Countdown((due_on - today).days, working=False)


# How far ahead "due soon" looks, in working days.
DUE_SOON_WORKING_DAYS = 10


def due_soon_until(today: date, working_days: int = DUE_SOON_WORKING_DAYS) -> date:
    """The last due date that counts as due soon: ``working_days`` (default 10) working days
    after ``today``."""
    return add_working_days(today, working_days)


# "Due this week" on the home page and the case list: the next 5 working days.
DUE_THIS_WEEK_WORKING_DAYS = 5


def due_this_week_until(today: date) -> date:
    """The last due date that counts as due within 5 working days of ``today``: from a
    Wednesday, the Wednesday after; across a bank holiday, one day further."""
    return due_soon_until(today, DUE_THIS_WEEK_WORKING_DAYS)
