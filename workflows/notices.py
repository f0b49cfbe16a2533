"""Notice rules: the verdict on a recorded funding notice or consultation, with the deadline it
sets, and the check of a planned change, with the sentence a funder reads.

Plain values only, like the rest of `workflows`: the service layer finds the period in the
Compact's rule set, asks here, and stores or shows the answer. Every date comes from
`workflows.periods`, and every sentence writes dates with `periods.format_date`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .deadlines import DeadlineKind
from .periods import Period, PeriodError, due_date, format_date, latest_start, validate_date
from .verdicts import check_consultation, check_funding_notice

__all__ = [
    "PlannedVerdict",
    "RecordedVerdict",
    "check_planned_consultation",
    "check_planned_funding_change",
    "consultation_verdict",
    "funding_change_verdict",
]


@dataclass(frozen=True)
class RecordedVerdict:
    """The verdict on a recorded notice or consultation, and the deadline it sets."""

    compliant: bool
    shortfall_days: int
    required_period: str
    earliest_compliant_on: date
    latest_notice_on: date | None
    explanation: str
    deadline_kind: DeadlineKind
    deadline_starts_on: date
    deadline_due_on: date
    deadline_met: bool
    deadline_closed_on: date
    period: Period


def funding_change_verdict(
    notice_given_on: date,
    effective_on: date,
    period: Period,
    *,
    written: bool = True,
    reasons_given: bool = True,
) -> RecordedVerdict:
    """The verdict on notice of ending or reducing funding, given on ``notice_given_on`` for a
    change taking effect on ``effective_on`` (PeriodError if the dates cannot be worked with)."""
    found = check_funding_notice(
        notice_given_on, effective_on, period, written=written, reasons_given=reasons_given
    )
    return RecordedVerdict(
        compliant=found.compliant,
        shortfall_days=found.shortfall_days,
        required_period=period.describe(),
        earliest_compliant_on=found.earliest_compliant_effective_on,
        latest_notice_on=found.latest_notice_date,
        explanation=found.explanation,
        deadline_kind=DeadlineKind.NOTICE_ISSUE_BY,
        # Counted back from the effective date: the latest day notice could be given.
        deadline_starts_on=effective_on,
        deadline_due_on=found.latest_notice_date,
        deadline_met=notice_given_on <= found.latest_notice_date,
        deadline_closed_on=notice_given_on,
        period=period,
    )


def consultation_verdict(opens_on: date, closes_on: date, period: Period) -> RecordedVerdict:
    """The verdict on a consultation open from ``opens_on`` to ``closes_on`` (PeriodError if the
    dates cannot be worked with)."""
    found = check_consultation(opens_on, closes_on, period)
    earliest_close = opens_on + timedelta(days=found.required_days)
    return RecordedVerdict(
        compliant=found.compliant,
        shortfall_days=found.shortfall_days,
        required_period=period.describe(),
        earliest_compliant_on=earliest_close,
        latest_notice_on=None,
        explanation=found.explanation,
        deadline_kind=DeadlineKind.CONSULTATION_CLOSES,
        deadline_starts_on=opens_on,
        deadline_due_on=due_date(opens_on, period),
        deadline_met=closes_on >= earliest_close,
        deadline_closed_on=closes_on,
        period=period,
    )


@dataclass(frozen=True)
class PlannedVerdict:
    """The answer to "when must we give notice?", "when can the change take effect?", or the
    same questions for a consultation; nothing is recorded.

    ``answer`` is the date the question asked for, named by ``answer_label``. ``compliant`` is
    None while there is nothing to judge yet (only one date given), except that a planned notice
    that would not be written, or would give no reasons, is already False. The four dates are
    each set only where they apply: the first two for a funding change, the last two for a
    consultation.
    """

    period: Period
    answer_label: str
    answer: date
    compliant: bool | None
    shortfall_days: int
    explanation: str
    earliest_compliant_effective_on: date | None = None
    latest_notice_date: date | None = None
    earliest_closes_on: date | None = None
    latest_opens_on: date | None = None

    @property
    def required_period(self) -> str:
        """The period in words: "3 calendar months"."""
        return self.period.describe()


def check_planned_funding_change(
    period: Period,
    *,
    notice_given_on: date | None = None,
    effective_on: date | None = None,
    written: bool = True,
    reasons_given: bool = True,
) -> PlannedVerdict:
    """Check a planned funding change: give the effective date to learn the latest date to
    give notice, the notice date to learn the earliest effective date, or both for a verdict.
    PeriodError when neither date is given or they cannot be worked with."""
    found = check_funding_notice(
        notice_given_on, effective_on, period, written=written, reasons_given=reasons_given
    )
    if notice_given_on is None:
        label, answer = "Latest date to give notice", found.latest_notice_date
    elif effective_on is None:
        label = "Earliest date the change can take effect"
        answer = found.earliest_compliant_effective_on
    else:
        label, answer = "Earliest compliant effective date", found.earliest_compliant_effective_on
    both = notice_given_on is not None and effective_on is not None
    return PlannedVerdict(
        period=period,
        answer_label=label,
        answer=answer,
        compliant=found.compliant if both or not found.compliant else None,
        shortfall_days=found.shortfall_days,
        explanation=found.explanation,
        earliest_compliant_effective_on=found.earliest_compliant_effective_on,
        latest_notice_date=found.latest_notice_date,
    )


def check_planned_consultation(
    period: Period,
    *,
    opens_on: date | None = None,
    closes_on: date | None = None,
) -> PlannedVerdict:
    """Check a planned consultation: give the opening date to learn the earliest closing date,
    the closing date to learn the latest opening date, or both for a verdict. PeriodError when
    neither date is given or they cannot be worked with."""
    required = period.describe()
    if opens_on is not None and closes_on is not None:
        found = consultation_verdict(opens_on, closes_on, period)
        return PlannedVerdict(
            period=period,
            answer_label="Earliest compliant closing date",
            answer=found.earliest_compliant_on,
            compliant=found.compliant,
            shortfall_days=found.shortfall_days,
            explanation=found.explanation,
            earliest_closes_on=found.earliest_compliant_on,
        )
    if opens_on is not None:
        closes = due_date(opens_on, period)
        return PlannedVerdict(
            period=period,
            answer_label="Earliest closing date",
            answer=closes,
            compliant=None,
            shortfall_days=0,
            explanation=(
                f"A consultation opening on {format_date(opens_on)} must close on or after "
                f"{format_date(closes)} to run the {required} required."
            ),
            earliest_closes_on=closes,
        )
    if closes_on is None:
        raise PeriodError("give the opening date, the closing date, or both")
    closes_on = validate_date(closes_on, "closing date")
    opens = latest_start(closes_on, period)
    return PlannedVerdict(
        period=period,
        answer_label="Latest opening date",
        answer=opens,
        compliant=None,
        shortfall_days=0,
        explanation=(
            f"To close on {format_date(closes_on)}, a consultation must open on or before "
            f"{format_date(opens)} to run the {required} required."
        ),
        latest_opens_on=opens,
    )
