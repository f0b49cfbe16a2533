"""Compliance verdicts: whether a funding notice or a consultation kept the Compact's period,
by how many days it fell short, the earliest compliant date, and one plain sentence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .periods import (
    CALENDAR_DAYS,
    WEEKS,
    Period,
    PeriodError,
    add_period,
    format_date,
    latest_start,
    validate_date,
)

# The national default for a written public consultation.
TWELVE_WEEKS = Period(12, WEEKS)


@dataclass(frozen=True, slots=True)
class NoticeVerdict:
    """Whether notice of a funding change kept the Compact.

    For a planned change (no notice date yet) the verdict assumes notice is given on
    ``latest_notice_date``: ``earliest_compliant_effective_on`` is then that date plus the period,
    and ``compliant`` is false only when the notice would not be written or give no reasons.
    """

    compliant: bool
    required_period: Period
    earliest_compliant_effective_on: date
    shortfall_days: int
    latest_notice_date: date | None
    explanation: str


@dataclass(frozen=True, slots=True)
class ConsultationVerdict:
    """Whether a written public consultation ran for the required period."""

    compliant: bool
    length_days: int
    required_period: Period
    required_days: int
    shortfall_days: int
    explanation: str


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def check_funding_notice(
    notice_given_on: date | None,
    effective_on: date | None,
    period: Period,
    written: bool = True,
    reasons_given: bool = True,
) -> NoticeVerdict:
    """Verdict on notice of reducing or ending funding, against the required ``period``.

    With both dates: compliant when the change takes effect on or after notice date + period and
    the notice was written with reasons; the shortfall is in calendar days. With only
    ``effective_on`` (a planned change): the latest date notice can still be given. With only
    ``notice_given_on``: the earliest date the change can take effect.
    """
    problems: list[str] = []
    if not written:
        problems.append("was not given in writing")
    if not reasons_given:
        problems.append("gave no reasons")
    if effective_on is None:
        if notice_given_on is None:
            raise PeriodError("give the notice date, the effective date, or both")
        return _notice_alone(validate_date(notice_given_on, "notice date"), period, problems)
    effective_on = validate_date(effective_on, "effective date")
    if notice_given_on is None:
        return _planned_change(effective_on, period, written, reasons_given)
    return _notice_and_effect(
        validate_date(notice_given_on, "notice date"), effective_on, period, problems
    )


def _notice_alone(notice_given_on: date, period: Period, problems: list[str]) -> NoticeVerdict:
    """Only the notice date: the earliest date the change can take effect."""
    earliest = add_period(notice_given_on, period)
    if not problems:
        explanation = (
            f"Notice given on {format_date(notice_given_on)} allows the change to take "
            f"effect on or after {format_date(earliest)}, {period.describe()} later."
        )
    else:
        explanation = (
            f"Notice given on {format_date(notice_given_on)} is not compliant because it "
            f"{_and(problems)}; with written notice and reasons the change could take effect "
            f"on or after {format_date(earliest)}."
        )
    return NoticeVerdict(not problems, period, earliest, 0, None, explanation)


def _planned_change(
    effective_on: date, period: Period, written: bool, reasons_given: bool
) -> NoticeVerdict:
    """Only the effective date: the latest date notice can still be given."""
    latest = latest_start(effective_on, period)
    earliest = add_period(latest, period)
    explanation = (
        f"For a change taking effect on {format_date(effective_on)}, written notice with "
        f"reasons must be given on or before {format_date(latest)} to allow the "
        f"{period.describe()} required"
    )
    flaws = []
    if not written:
        flaws.append("would not be in writing")
    if not reasons_given:
        flaws.append("would give no reasons")
    if flaws:
        explanation += f", and the planned notice is not compliant because it {_and(flaws)}"
    return NoticeVerdict(not flaws, period, earliest, 0, latest, explanation + ".")


def _notice_and_effect(
    notice_given_on: date, effective_on: date, period: Period, problems: list[str]
) -> NoticeVerdict:
    """Both dates: compliant or not, and by how many calendar days it fell short."""
    if effective_on < notice_given_on:
        raise PeriodError(
            f"the effective date ({format_date(effective_on)}) is before the notice date "
            f"({format_date(notice_given_on)})"
        )
    required = period.describe()
    latest = latest_start(effective_on, period)
    earliest = add_period(notice_given_on, period)
    shortfall = max(0, (earliest - effective_on).days)
    written_ok = not problems
    opening = (
        f"Notice given on {format_date(notice_given_on)} for a change taking effect on "
        f"{format_date(effective_on)}"
    )
    if shortfall:
        problems = [
            *problems,
            f"is {_days(shortfall)} short of the {required} required (the earliest compliant "
            f"effective date is {format_date(earliest)})",
        ]
    if not problems:
        explanation = (
            f"{opening} gives at least the {required} required (the earliest compliant "
            f"effective date was {format_date(earliest)})."
        )
        return NoticeVerdict(True, period, earliest, 0, latest, explanation)
    if shortfall and written_ok:
        explanation = f"{opening} {problems[0]}."
    else:
        explanation = f"{opening} is not compliant: it {_and(problems)}"
        if not shortfall:
            explanation += f" (its dates allow the {required} required)"
        explanation += "."
    return NoticeVerdict(False, period, earliest, shortfall, latest, explanation)


def check_consultation(
    opens_on: date,
    closes_on: date,
    period: Period = TWELVE_WEEKS,
) -> ConsultationVerdict:
    """Verdict on a written public consultation's length.

    The length is counted from the day it opens to the day it closes, i.e. ``closes_on -
    opens_on`` in days, so 12 weeks means closing at least 84 days after opening: opening on
    Monday 1 March 2027 and closing on Monday 24 May 2027 is exactly 12 weeks. For a month or
    working-day period the required days are those from ``opens_on`` to ``due_date(opens_on,
    period)``.
    """
    opens_on = validate_date(opens_on, "opening date")
    closes_on = validate_date(closes_on, "closing date")
    if closes_on < opens_on:
        raise PeriodError(
            f"the consultation cannot close ({format_date(closes_on)}) before it opens "
            f"({format_date(opens_on)})"
        )
    length = (closes_on - opens_on).days
    required_days = (add_period(opens_on, period) - opens_on).days
    shortfall = max(0, required_days - length)
    required = period.describe()
    if period.unit is not CALENDAR_DAYS:
        required += f" ({_days(required_days)})"
    opening = (
        f"The consultation runs for {_days(length)}, from {format_date(opens_on)} to "
        f"{format_date(closes_on)}"
    )
    if shortfall:
        explanation = (
            f"{opening}, {_days(shortfall)} short of the {required} required, so the reason for "
            "the shorter period must be explained."
        )
    else:
        explanation = f"{opening}, which meets the {required} required."
    return ConsultationVerdict(
        shortfall == 0, length, period, required_days, shortfall, explanation
    )
