"""Compact periods: months, weeks and working days, stopped clocks, and compliance verdicts.

Plain Python on ``datetime.date`` values, with no web or database imports, so every rule can be
tested with literal dates. Terms follow DOMAIN.md: a *period* is a count and a unit; adding it to
a start date gives a due date; a *pause* stops the clock; a *verdict* says whether a funder's
notice or consultation kept the Compact, with one sentence a funder can paste into a letter.

Counting conventions, used everywhere in this module:

* Calendar months use the corresponding-date rule: the same day number ``n`` months on, or the
  last day of that month when it is shorter (31 January + 1 month = 28 or 29 February).
* Weeks are 7 calendar days; calendar days are counted one by one.
* Working days are Monday to Friday less England's bank holidays (substitute days included, as
  given by the ``holidays`` package, which knows them up to 2100, and kept as data in
  ``bank_holiday_dates``; later years have weekends only).
* The start day itself is never counted: 5 working days from Monday 1 March 2027 is Monday
  8 March 2027.
* A pause ``Pause(start=S, end=E)`` covers the days ``S <= d < E``: the clock stopped on S and
  counts again from E. Paused days are skipped in the rule's own unit (working days for a
  working-day rule, calendar days for the others), so a month rule paused for 7 days ends 7
  calendar days later.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from types import MappingProxyType

from .bank_holiday_dates import bank_holiday_dates

__all__ = [
    "CALENDAR_DAYS",
    "MAX_DATE",
    "MIN_DATE",
    "MONTHS",
    "NATIONAL_DEFAULTS",
    "OPTIONAL_RULES",
    "WEEKS",
    "WORKING_DAYS",
    "ConsultationVerdict",
    "NoticeVerdict",
    "Pause",
    "Period",
    "PeriodError",
    "RuleSet",
    "Unit",
    "add_months",
    "add_working_days",
    "bank_holidays",
    "check_consultation",
    "check_funding_notice",
    "due_date",
    "format_date",
    "is_working_day",
    "latest_start",
    "parse_period",
    "resolve_rule",
    "validate_date",
    "validate_pauses",
    "working_days_between",
]

MIN_DATE = date(2000, 1, 1)
MAX_DATE = date(2100, 12, 31)
MAX_COUNT = 9999


class PeriodError(ValueError):
    """A period, date or pause that the Compact rules cannot work with."""


class Unit(StrEnum):
    MONTHS = "months"
    WEEKS = "weeks"
    CALENDAR_DAYS = "calendar_days"
    WORKING_DAYS = "working_days"


MONTHS = Unit.MONTHS
WEEKS = Unit.WEEKS
CALENDAR_DAYS = Unit.CALENDAR_DAYS
WORKING_DAYS = Unit.WORKING_DAYS

_UNIT_NAMES = {
    MONTHS: ("calendar month", "calendar months"),
    WEEKS: ("week", "weeks"),
    CALENDAR_DAYS: ("calendar day", "calendar days"),
    WORKING_DAYS: ("working day", "working days"),
}


@dataclass(frozen=True, slots=True)
class Period:
    """A count of one unit, e.g. ``Period(3, MONTHS)``; ``unit`` may be given as its value."""

    count: int
    unit: Unit

    def __post_init__(self) -> None:
        # bool is an int subclass; Period(True, ...) is always a bug upstream.
        if type(self.count) is not int or not 1 <= self.count <= MAX_COUNT:
            raise PeriodError(
                f"a period needs a whole number from 1 to {MAX_COUNT}: {self.count!r}"
            )
        if not isinstance(self.unit, Unit):
            try:
                unit = Unit(self.unit)
            except ValueError:
                units = ", ".join(u.value for u in Unit)
                raise PeriodError(f"unknown unit {self.unit!r}; use one of {units}") from None
            object.__setattr__(self, "unit", unit)

    def describe(self) -> str:
        """Plain English: "3 calendar months", "12 weeks", "1 working day"."""
        singular, plural = _UNIT_NAMES[self.unit]
        return f"{self.count} {singular if self.count == 1 else plural}"

    def __str__(self) -> str:
        return self.describe()


@dataclass(frozen=True, slots=True)
class Pause:
    """The clock stopped on ``start`` and counts again from ``end`` (``None``: still stopped)."""

    start: date
    end: date | None = None

    @property
    def is_open(self) -> bool:
        return self.end is None


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


# --- dates -------------------------------------------------------------------------------------

_MONTH_NAMES = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_DAYS_IN_MONTH = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def format_date(day: date) -> str:
    """Write a date as in a letter, "3 March 2027" (strftime would zero-pad and follow locale)."""
    return f"{day.day} {_MONTH_NAMES[day.month]} {day.year}"


def validate_date(value: date, name: str = "date") -> date:
    """Return ``value`` if it is a date from 1 January 2000 to 31 December 2100, else raise."""
    if type(value) is not date:
        # A datetime would make date arithmetic return datetimes and compare oddly with dates.
        if isinstance(value, datetime) or not isinstance(value, date):
            raise PeriodError(f"{name} must be a date, not {type(value).__name__}")
        value = date(value.year, value.month, value.day)
    if not MIN_DATE <= value <= MAX_DATE:
        raise PeriodError(
            f"{name} {format_date(value)} is outside the supported range "
            f"{format_date(MIN_DATE)} to {format_date(MAX_DATE)}"
        )
    return value


def _days_in_month(year: int, month: int) -> int:
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _DAYS_IN_MONTH[month]


def add_months(day: date, months: int) -> date:
    """Corresponding-date rule; ``months`` may be negative (used to count back from a deadline)."""
    year, month0 = divmod(day.month - 1 + months, 12)
    year += day.year
    month = month0 + 1
    last = _days_in_month(year, month)
    return date(year, month, day.day if day.day <= last else last)


# --- working days ------------------------------------------------------------------------------

# Working-day arithmetic is table lookups: for every day of the table, how many working days come
# before it, and the ordinal of every working day. Building it costs ~0.1 s once per process and
# makes any span, however long, O(1) instead of a loop over days.
_TABLE_FIRST = date(1995, 1, 1)
_TABLE_END = date(2151, 1, 1)  # exclusive; leaves room for long periods from 2100


@dataclass(frozen=True, slots=True)
class _WorkingCalendar:
    first: int  # ordinal of _TABLE_FIRST
    before: array  # before[i]: working days with ordinal < first + i (one entry past the end)
    working: array  # working[k]: ordinal of the k-th working day (0-based)
    holidays: frozenset[date]


_calendar: _WorkingCalendar | None = None


def _build_calendar() -> _WorkingCalendar:
    global _calendar
    # The package's dates written out as data: importing `holidays` and computing a century of
    # them cost each new process 0.5-2 s; `bank_holiday_dates` checks they still agree.
    holiday_dates = bank_holiday_dates()
    holiday_ordinals = {d.toordinal() for d in holiday_dates}
    first = _TABLE_FIRST.toordinal()
    end = _TABLE_END.toordinal()
    before = array("l")
    working = array("l")
    for ordinal in range(first, end):
        before.append(len(working))
        # date.fromordinal(1) is a Monday, so (ordinal - 1) % 7 is the weekday, Monday = 0.
        if (ordinal - 1) % 7 < 5 and ordinal not in holiday_ordinals:
            working.append(ordinal)
    before.append(len(working))
    _calendar = _WorkingCalendar(first, before, working, holiday_dates)
    return _calendar


def _table_index(day: date, cal: _WorkingCalendar) -> int:
    index = day.toordinal() - cal.first
    if not 0 <= index < len(cal.before) - 1:
        raise PeriodError(
            f"{format_date(day)} is outside the working-day calendar "
            f"({format_date(_TABLE_FIRST)} to {format_date(_TABLE_END - timedelta(days=1))})"
        )
    return index


def _working_day(cal: _WorkingCalendar, k: int) -> int:
    if not 0 <= k < len(cal.working):
        raise PeriodError("the result falls outside the working-day calendar (1995 to 2150)")
    return cal.working[k]


def bank_holidays() -> frozenset[date]:
    """England's bank holidays 1995-2100, substitute days included (built once, then cached)."""
    return (_calendar or _build_calendar()).holidays


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a bank holiday in England."""
    cal = _calendar or _build_calendar()
    i = _table_index(day, cal)
    return cal.before[i + 1] != cal.before[i]


def add_working_days(day: date, count: int) -> date:
    """The ``count``-th working day after ``day`` (before it when negative); ``day`` not counted.

    ``add_working_days(d, 0)`` is ``d``. Used for deadlines and for reminders "n working days
    before" a due date; a due date with pauses comes from ``due_date``.
    """
    cal = _calendar or _build_calendar()
    i = _table_index(day, cal)
    if count > 0:
        return date.fromordinal(_working_day(cal, cal.before[i + 1] + count - 1))
    if count < 0:
        return date.fromordinal(_working_day(cal, cal.before[i] + count))
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days in ``start < d <= end`` (negative when ``end`` is before ``start``)."""
    cal = _calendar or _build_calendar()
    return cal.before[_table_index(end, cal) + 1] - cal.before[_table_index(start, cal) + 1]


# --- due dates and pauses ----------------------------------------------------------------------


def validate_pauses(pauses: Sequence[Pause]) -> None:
    """Raise PeriodError unless every pause is well formed.

    A pause may not end before it starts; at most one pause may be open (the clock can only be
    stopped once at a time), and no closed pause may reach into the open one's days. Closed
    pauses may overlap each other: the days they share are paused once.
    """
    open_pause: Pause | None = None
    for pause in pauses:
        if not isinstance(pause, Pause):
            raise PeriodError(f"expected a Pause, not {type(pause).__name__}")
        validate_date(pause.start, "pause start")
        if pause.end is None:
            if open_pause is not None:
                raise PeriodError(
                    f"only one pause can be open: the clock has been stopped since "
                    f"{format_date(open_pause.start)}, so it cannot stop again on "
                    f"{format_date(pause.start)}"
                )
            open_pause = pause
            continue
        validate_date(pause.end, "pause end")
        if pause.end < pause.start:
            raise PeriodError(
                f"a pause cannot end ({format_date(pause.end)}) before it starts "
                f"({format_date(pause.start)})"
            )
    if open_pause is None:
        return
    for pause in pauses:
        if pause.end is not None and pause.end > open_pause.start and pause.end > pause.start:
            raise PeriodError(
                f"the pause from {format_date(pause.start)} to {format_date(pause.end)} overlaps "
                f"the open pause that started on {format_date(open_pause.start)}"
            )


def _add(start: date, period: Period) -> date:
    unit = period.unit
    if unit is MONTHS:
        return add_months(start, period.count)
    if unit is WORKING_DAYS:
        return add_working_days(start, period.count)
    if unit is WEEKS:
        return start + timedelta(days=7 * period.count)
    return start + timedelta(days=period.count)


def _count_with_spans(start: date, period: Period, spans: list[tuple[int, int]]) -> date:
    """Due date when the days in ``spans`` (sorted, disjoint, half-open ordinal ranges) are
    not counted.

    Walks the gaps between pauses, taking each gap's counted days whole, so the cost is one step
    per pause whatever the lengths involved.
    """
    s = start.toordinal()
    if period.unit is WORKING_DAYS:
        cal = _calendar or _build_calendar()
        first, before = cal.first, cal.before
        _table_index(start, cal)
        remaining = period.count
        cursor = s  # every day up to and including cursor is dealt with
        for lo, hi in spans:
            if hi <= cursor + 1:
                continue
            if lo > cursor + 1:
                available = before[lo - first] - before[cursor + 1 - first]
                if available >= remaining:
                    break
                remaining -= available
            cursor = hi - 1
        return date.fromordinal(_working_day(cal, before[cursor + 1 - first] + remaining - 1))
    # Months become the calendar days they span from this start, so paused days extend them
    # day for day, as for weeks and days.
    remaining = (_add(start, period) - start).days
    cursor = s
    for lo, hi in spans:
        if hi <= cursor + 1:
            continue
        if lo > cursor + 1:
            available = lo - cursor - 1
            if available >= remaining:
                break
            remaining -= available
        cursor = hi - 1
    return date.fromordinal(cursor + remaining)


def _merged(pauses: Sequence[Pause]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for lo, hi in sorted((p.start.toordinal(), p.end.toordinal()) for p in pauses):
        if spans and lo <= spans[-1][1]:
            if hi > spans[-1][1]:
                spans[-1] = (spans[-1][0], hi)
        else:
            spans.append((lo, hi))
    return spans


def due_date(
    start: date,
    period: Period,
    pauses: Sequence[Pause] = (),
    *,
    today: date | None = None,
) -> date:
    """When ``period`` from ``start`` ends, with the clock stopped during ``pauses``.

    The one function that computes a deadline. Paused days are not counted (see the module
    docstring); overlapping pauses count once and a pause after the due date changes nothing.

    An open pause (``end=None``) means the clock is still stopped, so the due date is unknown
    unless it falls before the pause began (then it is returned as usual). Otherwise pass
    ``today``: the pause is taken to end tomorrow (today is still paused), which gives the
    earliest due date possible as things stand; it moves on by one unit for each further paused
    working or calendar day. Without ``today``, or with ``today`` before the open pause started,
    PeriodError is raised.
    """
    start = validate_date(start, "start")
    if not pauses:
        return _add(start, period)
    validate_pauses(pauses)
    closed = [p for p in pauses if p.end is not None]
    open_pause = next((p for p in pauses if p.end is None), None)
    due = _count_with_spans(start, period, _merged(closed)) if closed else _add(start, period)
    if open_pause is None or due < open_pause.start:
        return due
    if today is None:
        raise PeriodError(
            f"the clock has been stopped since {format_date(open_pause.start)}, so the due date "
            "depends on when it restarts; give today's date for a provisional due date"
        )
    today = validate_date(today, "today")
    if today < open_pause.start:
        raise PeriodError(
            f"the open pause starts on {format_date(open_pause.start)}, after today "
            f"({format_date(today)})"
        )
    closed.append(Pause(open_pause.start, today + timedelta(days=1)))
    return _count_with_spans(start, period, _merged(closed))


def latest_start(due: date, period: Period) -> date:
    """The latest day D with ``due_date(D, period) <= due`` (no pauses).

    Used for "notice must be given by". Month ends need care: if ``due`` is the last day of its
    month, every later start day in the month ``period`` earlier is clamped onto it, so the
    answer is that month's last day (28 February 2027 less 3 months is 30 November 2026, not
    28 November).
    """
    unit = period.unit
    n = period.count
    if unit is MONTHS:
        year, month0 = divmod(due.month - 1 - n, 12)
        year += due.year
        month = month0 + 1
        last = _days_in_month(year, month)
        if due.day == _days_in_month(due.year, due.month) or due.day >= last:
            return date(year, month, last)
        return date(year, month, due.day)
    if unit is WEEKS:
        return due - timedelta(days=7 * n)
    if unit is CALENDAR_DAYS:
        return due - timedelta(days=n)
    # Starting on D, the n-th working day after D is working[before(D+1) + n - 1]; it stays
    # <= due while D is before the working day with index (working days <= due) - n.
    cal = _calendar or _build_calendar()
    k = cal.before[_table_index(due, cal) + 1] - n
    return date.fromordinal(_working_day(cal, k) - 1)


# --- verdicts ----------------------------------------------------------------------------------


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
    written_ok = written and reasons_given
    problems: list[str] = []
    if not written:
        problems.append("was not given in writing")
    if not reasons_given:
        problems.append("gave no reasons")
    required = period.describe()

    if effective_on is None:
        if notice_given_on is None:
            raise PeriodError("give the notice date, the effective date, or both")
        notice_given_on = validate_date(notice_given_on, "notice date")
        earliest = _add(notice_given_on, period)
        if written_ok:
            explanation = (
                f"Notice given on {format_date(notice_given_on)} allows the change to take "
                f"effect on or after {format_date(earliest)}, {required} later."
            )
        else:
            explanation = (
                f"Notice given on {format_date(notice_given_on)} is not compliant because it "
                f"{_and(problems)}; with written notice and reasons the change could take effect "
                f"on or after {format_date(earliest)}."
            )
        return NoticeVerdict(written_ok, period, earliest, 0, None, explanation)

    effective_on = validate_date(effective_on, "effective date")
    latest = latest_start(effective_on, period)

    if notice_given_on is None:
        earliest = _add(latest, period)
        explanation = (
            f"For a change taking effect on {format_date(effective_on)}, written notice with "
            f"reasons must be given on or before {format_date(latest)} to allow the {required} "
            "required"
        )
        if not written_ok:
            flaws = []
            if not written:
                flaws.append("would not be in writing")
            if not reasons_given:
                flaws.append("would give no reasons")
            explanation += f", and the planned notice is not compliant because it {_and(flaws)}"
        return NoticeVerdict(written_ok, period, earliest, 0, latest, explanation + ".")

    notice_given_on = validate_date(notice_given_on, "notice date")
    if effective_on < notice_given_on:
        raise PeriodError(
            f"the effective date ({format_date(effective_on)}) is before the notice date "
            f"({format_date(notice_given_on)})"
        )
    earliest = _add(notice_given_on, period)
    shortfall = (earliest - effective_on).days
    if shortfall < 0:
        shortfall = 0
    opening = (
        f"Notice given on {format_date(notice_given_on)} for a change taking effect on "
        f"{format_date(effective_on)}"
    )
    if shortfall:
        problems.append(
            f"is {_days(shortfall)} short of the {required} required (the earliest compliant "
            f"effective date is {format_date(earliest)})"
        )
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
    period: Period = Period(12, WEEKS),
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
    required_days = (_add(opens_on, period) - opens_on).days
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


# --- rule sets ---------------------------------------------------------------------------------

_PERIOD_TEXT = re.compile(r"(\d+) (.+)")
_UNIT_WORDS = {
    "month": MONTHS,
    "calendar month": MONTHS,
    "week": WEEKS,
    "day": CALENDAR_DAYS,
    "calendar day": CALENDAR_DAYS,
    "working day": WORKING_DAYS,
}
_RULE_NAME = re.compile(r"[a-z][a-z0-9_]*")


def parse_period(text: str) -> Period:
    """Read "3 months", "12 weeks", "10 days", "20 working days" (any case, singular or plural).

    The inverse of ``Period.describe``; bare "days" means calendar days.
    """
    if not isinstance(text, str):
        raise PeriodError(f"a period must be text such as '3 months', not {type(text).__name__}")
    match = _PERIOD_TEXT.fullmatch(" ".join(text.lower().split()))
    # "working_days" and "working-days" are read as "working days"; the unit must be one of ours.
    words = " ".join(re.split(r"[ _-]+", match[2])).removesuffix("s") if match else ""
    if words not in _UNIT_WORDS:
        raise PeriodError(
            f"cannot read {text!r} as a period; write e.g. '3 months', '12 weeks', "
            "'10 calendar days' or '20 working days'"
        )
    return Period(int(match[1]), _UNIT_WORDS[words])


@dataclass(frozen=True, eq=False)
class RuleSet(Mapping[str, Period]):
    """A Compact's periods by rule name; values may be given as text ("6 months").

    Read-only, and compares equal to any mapping with the same rules.
    """

    rules: Mapping[str, Period | str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        parsed: dict[str, Period] = {}
        for name, value in dict(self.rules).items():
            if not isinstance(name, str) or not _RULE_NAME.fullmatch(name):
                raise PeriodError(f"a rule name is lower-case words joined by '_': {name!r}")
            parsed[name] = value if isinstance(value, Period) else parse_period(value)
        object.__setattr__(self, "rules", MappingProxyType(parsed))

    def __getitem__(self, name: str) -> Period:
        return self.rules[name]  # type: ignore[return-value]

    def __iter__(self) -> Iterator[str]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)


NATIONAL_DEFAULTS = RuleSet(
    {
        "funding_notice": Period(3, MONTHS),
        "consultation": Period(12, WEEKS),
        "acknowledge": Period(5, WORKING_DAYS),
        "local_conciliation": Period(20, WORKING_DAYS),
        "regional_mediation": Period(40, WORKING_DAYS),
    }
)
# Known to the Compact but not a default: it applies only where a local rule set adopts it.
OPTIONAL_RULES = RuleSet({"invoice_payment": Period(10, CALENDAR_DAYS)})


def resolve_rule(name: str, chain: Sequence[Mapping[str, Period]] = ()) -> Period:
    """The period for rule ``name``: the first rule set in ``chain`` that has it wins.

    Pass the chain most local first (district, then upper tier); the national defaults are
    always consulted last. An optional rule not adopted anywhere in the chain, or a name no rule
    set knows, raises PeriodError.
    """
    for rules in chain:
        period = rules.get(name)
        if period is not None:
            if not isinstance(period, Period):
                raise PeriodError(f"rule {name!r} is set to {period!r}, which is not a Period")
            return period
    period = NATIONAL_DEFAULTS.get(name)
    if period is not None:
        return period
    if name in OPTIONAL_RULES:
        raise PeriodError(
            f"rule {name!r} is optional and this Compact's rule set does not adopt it "
            f"(the usual period is {OPTIONAL_RULES[name].describe()})"
        )
    known = ", ".join(sorted({*NATIONAL_DEFAULTS, *OPTIONAL_RULES}))
    raise PeriodError(f"unknown rule {name!r}; the known rules are {known}")
