"""Tests for workflows.periods: calendar arithmetic, pauses, verdicts and rule sets.

Expected dates are worked out by hand from a calendar (2026 starts on a Thursday, 2027 on a
Friday, 2028 on a Saturday and is a leap year) and England's published bank holidays. The
property tests compare the fast code with a slow day-by-day count built directly on the
``holidays`` package.
"""

from __future__ import annotations

import calendar
import dataclasses
from datetime import date, datetime, timedelta

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workflows.periods import (
    CALENDAR_DAYS,
    MONTHS,
    WEEKS,
    WORKING_DAYS,
    Pause,
    Period,
    PeriodError,
    Unit,
    add_months,
    add_working_days,
    bank_holidays,
    due_date,
    format_date,
    is_working_day,
    latest_start,
    validate_date,
    validate_pauses,
    working_days_between,
)
from workflows.rule_sets import (
    NATIONAL_DEFAULTS,
    OPTIONAL_RULES,
    RuleSet,
    parse_period,
    resolve_rule,
)
from workflows.verdicts import (
    ConsultationVerdict,
    NoticeVerdict,
    check_consultation,
    check_funding_notice,
)

THREE_MONTHS = Period(3, MONTHS)
ONE_DAY = timedelta(days=1)


# --- calendar months: the corresponding-date rule ----------------------------------------------

MONTH_CASES = [
    (date(2027, 1, 31), 1, date(2027, 2, 28)),
    (date(2028, 1, 31), 1, date(2028, 2, 29)),
    (date(2027, 1, 30), 1, date(2027, 2, 28)),
    (date(2027, 1, 29), 1, date(2027, 2, 28)),
    (date(2027, 1, 28), 1, date(2027, 2, 28)),
    (date(2028, 1, 29), 1, date(2028, 2, 29)),
    (date(2028, 1, 30), 1, date(2028, 2, 29)),
    (date(2027, 2, 28), 1, date(2027, 3, 28)),
    (date(2028, 2, 29), 1, date(2028, 3, 29)),
    (date(2027, 3, 31), 1, date(2027, 4, 30)),
    (date(2027, 4, 30), 1, date(2027, 5, 30)),
    (date(2027, 5, 31), 1, date(2027, 6, 30)),
    (date(2027, 6, 30), 1, date(2027, 7, 30)),
    (date(2027, 7, 31), 1, date(2027, 8, 31)),
    (date(2027, 8, 31), 1, date(2027, 9, 30)),
    (date(2027, 10, 31), 1, date(2027, 11, 30)),
    (date(2027, 12, 31), 1, date(2028, 1, 31)),
    (date(2026, 11, 30), 3, date(2027, 2, 28)),
    (date(2027, 11, 30), 3, date(2028, 2, 29)),
    (date(2027, 11, 29), 3, date(2028, 2, 29)),
    (date(2026, 11, 29), 3, date(2027, 2, 28)),
    (date(2026, 11, 28), 3, date(2027, 2, 28)),
    (date(2026, 11, 27), 3, date(2027, 2, 27)),
    (date(2026, 12, 1), 3, date(2027, 3, 1)),
    (date(2026, 12, 31), 3, date(2027, 3, 31)),
    (date(2027, 3, 3), 3, date(2027, 6, 3)),
    (date(2027, 3, 31), 3, date(2027, 6, 30)),
    (date(2027, 5, 31), 3, date(2027, 8, 31)),
    (date(2027, 8, 31), 3, date(2027, 11, 30)),
    (date(2027, 10, 31), 3, date(2028, 1, 31)),
    (date(2027, 10, 15), 3, date(2028, 1, 15)),
    (date(2027, 12, 15), 3, date(2028, 3, 15)),
    (date(2027, 1, 31), 3, date(2027, 4, 30)),
    (date(2028, 1, 31), 3, date(2028, 4, 30)),
    (date(2028, 2, 29), 6, date(2028, 8, 29)),
    (date(2028, 2, 29), 12, date(2029, 2, 28)),
    (date(2028, 2, 29), 48, date(2032, 2, 29)),
    (date(2027, 2, 28), 12, date(2028, 2, 28)),
    (date(2027, 8, 31), 6, date(2028, 2, 29)),
    (date(2026, 8, 31), 6, date(2027, 2, 28)),
    (date(2027, 9, 30), 5, date(2028, 2, 29)),
    (date(2026, 9, 30), 5, date(2027, 2, 28)),
    (date(2027, 1, 31), 13, date(2028, 2, 29)),
    (date(2027, 3, 1), 24, date(2029, 3, 1)),
    (date(2027, 6, 15), 6, date(2027, 12, 15)),
    (date(2027, 12, 31), 12, date(2028, 12, 31)),
    (date(2027, 12, 31), 14, date(2029, 2, 28)),
    (date(2024, 5, 31), 9, date(2025, 2, 28)),
    (date(2023, 11, 30), 3, date(2024, 2, 29)),
    (date(2000, 1, 31), 1, date(2000, 2, 29)),
    (date(2100, 1, 31), 1, date(2100, 2, 28)),
    (date(2099, 11, 30), 3, date(2100, 2, 28)),
    (date(2099, 12, 31), 2, date(2100, 2, 28)),
]


@pytest.mark.parametrize(("start", "months", "expected"), MONTH_CASES)
def test_months_follow_the_corresponding_date_rule(start, months, expected):
    assert due_date(start, Period(months, MONTHS)) == expected
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2027, 3, 31), -1, date(2027, 2, 28)),
        (date(2028, 3, 31), -1, date(2028, 2, 29)),
        (date(2027, 2, 28), -3, date(2026, 11, 28)),
        (date(2027, 1, 15), -2, date(2026, 11, 15)),
        (date(2027, 5, 31), 0, date(2027, 5, 31)),
    ],
)
def test_add_months_counts_back_too(start, months, expected):
    assert add_months(start, months) == expected


# --- weeks and calendar days -------------------------------------------------------------------

WEEK_CASES = [
    (date(2027, 3, 1), 12, date(2027, 5, 24)),
    (date(2027, 2, 1), 12, date(2027, 4, 26)),
    (date(2028, 2, 1), 12, date(2028, 4, 25)),
    (date(2027, 12, 24), 1, date(2027, 12, 31)),
    (date(2027, 12, 27), 1, date(2028, 1, 3)),
    (date(2028, 2, 22), 1, date(2028, 2, 29)),
    (date(2027, 2, 22), 1, date(2027, 3, 1)),
    (date(2027, 1, 1), 52, date(2027, 12, 31)),
    (date(2028, 1, 1), 52, date(2028, 12, 30)),
    (date(2026, 10, 1), 4, date(2026, 10, 29)),
    (date(2027, 11, 10), 6, date(2027, 12, 22)),
]


@pytest.mark.parametrize(("start", "weeks", "expected"), WEEK_CASES)
def test_weeks_are_seven_days_each(start, weeks, expected):
    assert due_date(start, Period(weeks, WEEKS)) == expected


CALENDAR_DAY_CASES = [
    (date(2027, 3, 1), 10, date(2027, 3, 11)),
    (date(2027, 2, 25), 10, date(2027, 3, 7)),
    (date(2028, 2, 25), 10, date(2028, 3, 6)),
    (date(2027, 12, 25), 10, date(2028, 1, 4)),
    (date(2027, 12, 31), 1, date(2028, 1, 1)),
    (date(2028, 2, 28), 1, date(2028, 2, 29)),
    (date(2027, 2, 28), 1, date(2027, 3, 1)),
    (date(2027, 1, 1), 365, date(2028, 1, 1)),
    (date(2028, 1, 1), 366, date(2029, 1, 1)),
    (date(2027, 5, 20), 14, date(2027, 6, 3)),
    (date(2027, 6, 20), 14, date(2027, 7, 4)),
]


@pytest.mark.parametrize(("start", "days", "expected"), CALENDAR_DAY_CASES)
def test_calendar_days_count_every_day(start, days, expected):
    assert due_date(start, Period(days, CALENDAR_DAYS)) == expected


# --- working days: weekends and England's bank holidays ----------------------------------------

WORKING_DAY_CASES = [
    # Christmas 2026: Friday 25 December, Boxing Day on Saturday -> substitute Monday 28th.
    (date(2026, 12, 23), 1, date(2026, 12, 24)),
    (date(2026, 12, 24), 1, date(2026, 12, 29)),
    (date(2026, 12, 24), 2, date(2026, 12, 30)),
    (date(2026, 12, 24), 5, date(2027, 1, 5)),
    (date(2026, 12, 25), 1, date(2026, 12, 29)),
    (date(2026, 12, 26), 1, date(2026, 12, 29)),
    (date(2026, 12, 28), 1, date(2026, 12, 29)),
    (date(2026, 12, 31), 1, date(2027, 1, 4)),
    (date(2026, 12, 18), 5, date(2026, 12, 29)),
    (date(2026, 12, 18), 10, date(2027, 1, 6)),
    # Christmas 2027: Saturday and Sunday -> substitutes Monday 27th and Tuesday 28th;
    # New Year 2028 is a Saturday -> substitute Monday 3 January.
    (date(2027, 12, 23), 1, date(2027, 12, 24)),
    (date(2027, 12, 24), 1, date(2027, 12, 29)),
    (date(2027, 12, 24), 3, date(2027, 12, 31)),
    (date(2027, 12, 24), 4, date(2028, 1, 4)),
    (date(2027, 12, 22), 5, date(2027, 12, 31)),
    (date(2027, 12, 17), 20, date(2028, 1, 19)),
    (date(2027, 12, 31), 1, date(2028, 1, 4)),
    (date(2028, 1, 1), 1, date(2028, 1, 4)),
    # Christmas 2028 on Monday and Tuesday; New Year 2029 on a Monday.
    (date(2028, 12, 22), 2, date(2028, 12, 28)),
    (date(2028, 12, 29), 1, date(2029, 1, 2)),
    # Christmas 2020 and 2021, New Year 2022.
    (date(2020, 12, 24), 1, date(2020, 12, 29)),
    (date(2021, 12, 24), 1, date(2021, 12, 29)),
    (date(2021, 12, 31), 1, date(2022, 1, 4)),
    # Easter 2027: Good Friday 26 March, Easter Monday 29 March.
    (date(2027, 3, 25), 1, date(2027, 3, 30)),
    (date(2027, 3, 24), 2, date(2027, 3, 30)),
    (date(2027, 3, 24), 5, date(2027, 4, 2)),
    (date(2027, 3, 26), 1, date(2027, 3, 30)),
    (date(2027, 3, 1), 5, date(2027, 3, 8)),
    (date(2027, 3, 1), 20, date(2027, 3, 31)),
    (date(2027, 3, 1), 40, date(2027, 4, 28)),
    (date(2027, 2, 1), 20, date(2027, 3, 1)),
    # Easter 2026 (3 and 6 April), 2028 (14 and 17 April), 2029 (30 March and 2 April).
    (date(2026, 4, 2), 1, date(2026, 4, 7)),
    (date(2026, 3, 30), 5, date(2026, 4, 8)),
    (date(2028, 4, 13), 1, date(2028, 4, 18)),
    (date(2029, 3, 29), 1, date(2029, 4, 3)),
    # Early May, spring and summer bank holidays.
    (date(2027, 4, 30), 1, date(2027, 5, 4)),
    (date(2027, 4, 26), 5, date(2027, 5, 4)),
    (date(2027, 5, 28), 1, date(2027, 6, 1)),
    (date(2027, 5, 24), 10, date(2027, 6, 8)),
    (date(2027, 8, 27), 1, date(2027, 8, 31)),
    (date(2027, 8, 23), 20, date(2027, 9, 21)),
    (date(2026, 5, 1), 1, date(2026, 5, 5)),
    (date(2026, 5, 22), 1, date(2026, 5, 26)),
    (date(2026, 8, 28), 1, date(2026, 9, 1)),
    (date(2028, 4, 28), 1, date(2028, 5, 2)),
    (date(2028, 5, 26), 1, date(2028, 5, 30)),
    (date(2028, 8, 25), 1, date(2028, 8, 29)),
    # One-off bank holidays: VE Day 2020 (early May moved to Friday 8th), Platinum Jubilee 2022,
    # the Queen's funeral 2022, the Coronation 2023.
    (date(2020, 5, 7), 1, date(2020, 5, 11)),
    (date(2022, 6, 1), 1, date(2022, 6, 6)),
    (date(2022, 5, 31), 3, date(2022, 6, 7)),
    (date(2022, 9, 16), 1, date(2022, 9, 20)),
    (date(2023, 5, 5), 1, date(2023, 5, 9)),
    (date(2023, 4, 28), 5, date(2023, 5, 9)),
    # Weekends: a start on Saturday or Sunday counts from Monday.
    (date(2027, 3, 6), 1, date(2027, 3, 8)),
    (date(2027, 3, 7), 5, date(2027, 3, 12)),
    (date(2027, 3, 5), 1, date(2027, 3, 8)),
    (date(2027, 3, 5), 5, date(2027, 3, 12)),
    (date(2027, 3, 3), 3, date(2027, 3, 8)),
    # A whole year: 2027 has 261 weekdays and 8 weekday bank holidays.
    (date(2026, 12, 31), 253, date(2027, 12, 31)),
    # The last year the holidays package knows: Christmas 2100 is a Saturday.
    (date(2100, 12, 24), 1, date(2100, 12, 29)),
]


@pytest.mark.parametrize(("start", "days", "expected"), WORKING_DAY_CASES)
def test_working_days_skip_weekends_and_bank_holidays(start, days, expected):
    assert due_date(start, Period(days, WORKING_DAYS)) == expected
    assert add_working_days(start, days) == expected


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2027, 3, 8), -5, date(2027, 3, 1)),
        (date(2027, 12, 29), -1, date(2027, 12, 24)),
        (date(2026, 12, 29), -1, date(2026, 12, 24)),
        (date(2027, 3, 30), -1, date(2027, 3, 25)),
        (date(2027, 3, 6), -1, date(2027, 3, 5)),
        (date(2028, 1, 4), -3, date(2027, 12, 29)),
        (date(2027, 6, 8), -10, date(2027, 5, 24)),
        (date(2027, 3, 6), 0, date(2027, 3, 6)),
    ],
)
def test_add_working_days_counts_back_for_reminders(start, days, expected):
    assert add_working_days(start, days) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 12, 31), date(2027, 12, 31), 253),
        (date(2025, 12, 31), date(2026, 12, 31), 253),
        (date(2027, 12, 31), date(2028, 12, 31), 252),
        (date(2027, 3, 1), date(2027, 3, 8), 5),
        (date(2027, 3, 25), date(2027, 3, 29), 0),
        (date(2027, 3, 8), date(2027, 3, 1), -5),
        (date(2027, 3, 8), date(2027, 3, 8), 0),
    ],
)
def test_working_days_between_counts_after_start_up_to_end(start, end, expected):
    assert working_days_between(start, end) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 12, 25), False),
        (date(2026, 12, 26), False),
        (date(2026, 12, 28), False),
        (date(2026, 12, 29), True),
        (date(2027, 12, 27), False),
        (date(2027, 12, 28), False),
        (date(2027, 12, 29), True),
        (date(2028, 1, 3), False),
        (date(2028, 1, 4), True),
        (date(2027, 3, 26), False),
        (date(2027, 3, 29), False),
        (date(2027, 3, 30), True),
        (date(2027, 5, 3), False),
        (date(2027, 5, 31), False),
        (date(2027, 8, 30), False),
        (date(2027, 3, 6), False),
        (date(2027, 3, 7), False),
        (date(2027, 3, 8), True),
        (date(2022, 9, 19), False),
        (date(2023, 5, 8), False),
    ],
)
def test_is_working_day(day, expected):
    assert is_working_day(day) is expected


def test_bank_holidays_include_substitute_days():
    assert {
        date(2026, 12, 28),
        date(2027, 12, 27),
        date(2027, 12, 28),
        date(2028, 1, 3),
        date(2027, 3, 26),
        date(2027, 3, 29),
    } <= bank_holidays()
    assert date(2027, 12, 29) not in bank_holidays()


# --- pauses ------------------------------------------------------------------------------------

MON_1_MARCH_2027 = date(2027, 3, 1)

PAUSE_CASES = [
    # 10 calendar days from Monday 1 March 2027 is 11 March without pauses.
    (
        "calendar, 3 days paused",
        10,
        CALENDAR_DAYS,
        [(date(2027, 3, 3), date(2027, 3, 6))],
        date(2027, 3, 14),
    ),
    (
        "calendar, due day paused",
        10,
        CALENDAR_DAYS,
        [(date(2027, 3, 11), date(2027, 3, 12))],
        date(2027, 3, 12),
    ),
    (
        "calendar, pause after due",
        10,
        CALENDAR_DAYS,
        [(date(2027, 3, 12), date(2027, 3, 20))],
        date(2027, 3, 11),
    ),
    (
        "calendar, overlapping",
        10,
        CALENDAR_DAYS,
        [(date(2027, 3, 3), date(2027, 3, 6)), (date(2027, 3, 5), date(2027, 3, 8))],
        date(2027, 3, 16),
    ),
    (
        "calendar, duplicated",
        10,
        CALENDAR_DAYS,
        [(date(2027, 3, 3), date(2027, 3, 6)), (date(2027, 3, 3), date(2027, 3, 6))],
        date(2027, 3, 14),
    ),
    (
        "calendar, before start",
        10,
        CALENDAR_DAYS,
        [(date(2027, 2, 20), date(2027, 2, 25))],
        date(2027, 3, 11),
    ),
    (
        "calendar, across start",
        10,
        CALENDAR_DAYS,
        [(date(2027, 2, 25), date(2027, 3, 3))],
        date(2027, 3, 12),
    ),
    (
        "calendar, on start day",
        10,
        CALENDAR_DAYS,
        [(date(2027, 3, 1), date(2027, 3, 2))],
        date(2027, 3, 11),
    ),
    (
        "calendar, empty pause",
        10,
        CALENDAR_DAYS,
        [(date(2027, 3, 5), date(2027, 3, 5))],
        date(2027, 3, 11),
    ),
    (
        "calendar, from due day on",
        10,
        CALENDAR_DAYS,
        [(date(2027, 3, 11), date(2027, 3, 13))],
        date(2027, 3, 13),
    ),
    # The second pause lies after the unpaused due date but before the moved one.
    (
        "calendar, knock-on",
        10,
        CALENDAR_DAYS,
        [(date(2027, 3, 3), date(2027, 3, 6)), (date(2027, 3, 13), date(2027, 3, 15))],
        date(2027, 3, 16),
    ),
    # Months and weeks move by paused calendar days.
    ("months, month end", 3, MONTHS, [(date(2026, 12, 1), date(2026, 12, 8))], date(2027, 3, 7)),
    ("weeks", 12, WEEKS, [(date(2027, 4, 1), date(2027, 4, 15))], date(2027, 6, 7)),
    # 5 working days from Monday 1 March 2027 is Monday 8 March without pauses.
    (
        "working, two days",
        5,
        WORKING_DAYS,
        [(date(2027, 3, 3), date(2027, 3, 5))],
        date(2027, 3, 10),
    ),
    (
        "working, weekend only",
        5,
        WORKING_DAYS,
        [(date(2027, 3, 6), date(2027, 3, 8))],
        date(2027, 3, 8),
    ),
    (
        "working, Friday and weekend",
        5,
        WORKING_DAYS,
        [(date(2027, 3, 5), date(2027, 3, 8))],
        date(2027, 3, 9),
    ),
    (
        "working, after due",
        5,
        WORKING_DAYS,
        [(date(2027, 3, 9), date(2027, 3, 12))],
        date(2027, 3, 8),
    ),
    (
        "working, due day paused",
        5,
        WORKING_DAYS,
        [(date(2027, 3, 8), date(2027, 3, 9))],
        date(2027, 3, 9),
    ),
    (
        "working, across start",
        5,
        WORKING_DAYS,
        [(date(2027, 2, 25), date(2027, 3, 3))],
        date(2027, 3, 9),
    ),
    (
        "working, overlapping",
        5,
        WORKING_DAYS,
        [(date(2027, 3, 2), date(2027, 3, 4)), (date(2027, 3, 3), date(2027, 3, 5))],
        date(2027, 3, 11),
    ),
    (
        "working, nested",
        5,
        WORKING_DAYS,
        [(date(2027, 3, 2), date(2027, 3, 10)), (date(2027, 3, 3), date(2027, 3, 4))],
        date(2027, 3, 16),
    ),
    (
        "working, adjacent",
        5,
        WORKING_DAYS,
        [(date(2027, 3, 2), date(2027, 3, 3)), (date(2027, 3, 3), date(2027, 3, 4))],
        date(2027, 3, 10),
    ),
    (
        "working, three months",
        5,
        WORKING_DAYS,
        [(date(2027, 3, 2), date(2027, 6, 1))],
        date(2027, 6, 7),
    ),
]


@pytest.mark.parametrize(
    ("count", "unit", "spans", "expected"),
    [case[1:] for case in PAUSE_CASES],
    ids=[case[0] for case in PAUSE_CASES],
)
def test_pauses_move_the_due_date_in_the_rules_unit(count, unit, spans, expected):
    start = date(2026, 11, 30) if unit is MONTHS else MON_1_MARCH_2027
    pauses = [Pause(lo, hi) for lo, hi in spans]
    assert due_date(start, Period(count, unit), pauses) == expected


@pytest.mark.parametrize(
    ("start", "count", "unit", "spans", "expected"),
    [
        # Christmas 2027: the pause covers 8 working days (20-24, 29-31 December); the bank
        # holidays inside it were never working days, so the 20 days end on Monday 31 January.
        (
            date(2027, 12, 17),
            20,
            WORKING_DAYS,
            [(date(2027, 12, 20), date(2028, 1, 4))],
            date(2028, 1, 31),
        ),
        # Easter 2027: the pause covers Thursday 25 and Tuesday 30 March only.
        (
            date(2027, 3, 24),
            5,
            WORKING_DAYS,
            [(date(2027, 3, 25), date(2027, 3, 31))],
            date(2027, 4, 6),
        ),
        # A pause over the bank holidays alone changes nothing.
        (
            date(2027, 3, 24),
            5,
            WORKING_DAYS,
            [(date(2027, 3, 26), date(2027, 3, 30))],
            date(2027, 4, 2),
        ),
        (date(2027, 1, 31), 1, MONTHS, [(date(2027, 2, 10), date(2027, 2, 12))], date(2027, 3, 2)),
        (date(2027, 3, 3), 3, MONTHS, [(date(2027, 6, 1), date(2027, 6, 4))], date(2027, 6, 6)),
        (date(2027, 3, 3), 3, MONTHS, [(date(2027, 6, 4), date(2027, 6, 10))], date(2027, 6, 3)),
    ],
)
def test_pauses_across_bank_holidays_and_month_ends(start, count, unit, spans, expected):
    pauses = [Pause(lo, hi) for lo, hi in spans]
    assert due_date(start, Period(count, unit), pauses) == expected


FIVE_WORKING_DAYS = Period(5, WORKING_DAYS)


def test_open_pause_after_the_due_date_changes_nothing():
    assert due_date(MON_1_MARCH_2027, FIVE_WORKING_DAYS, [Pause(date(2027, 3, 9))]) == date(
        2027, 3, 8
    )


def test_open_pause_before_the_due_date_needs_today():
    with pytest.raises(PeriodError, match="clock has been stopped since 4 March 2027"):
        due_date(MON_1_MARCH_2027, FIVE_WORKING_DAYS, [Pause(date(2027, 3, 4))])


def test_open_pause_on_the_due_date_needs_today():
    with pytest.raises(PeriodError, match="give today's date"):
        due_date(MON_1_MARCH_2027, FIVE_WORKING_DAYS, [Pause(date(2027, 3, 8))])


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2027, 3, 4), date(2027, 3, 9)),
        (date(2027, 3, 5), date(2027, 3, 10)),
        (date(2027, 3, 6), date(2027, 3, 10)),
        (date(2027, 3, 8), date(2027, 3, 11)),
    ],
)
def test_open_pause_is_taken_to_end_tomorrow(today, expected):
    pauses = [Pause(date(2027, 3, 4))]
    assert due_date(MON_1_MARCH_2027, FIVE_WORKING_DAYS, pauses, today=today) == expected


def test_open_pause_from_before_the_start():
    pauses = [Pause(date(2027, 2, 26))]
    due = due_date(MON_1_MARCH_2027, FIVE_WORKING_DAYS, pauses, today=date(2027, 3, 3))
    assert due == date(2027, 3, 10)


def test_open_pause_reached_only_because_of_a_closed_one():
    pauses = [Pause(date(2027, 3, 2), date(2027, 3, 3)), Pause(date(2027, 3, 9))]
    with pytest.raises(PeriodError):
        due_date(MON_1_MARCH_2027, FIVE_WORKING_DAYS, pauses)
    assert due_date(MON_1_MARCH_2027, FIVE_WORKING_DAYS, pauses, today=date(2027, 3, 9)) == date(
        2027, 3, 10
    )


def test_open_pause_on_a_month_rule():
    pauses = [Pause(date(2027, 6, 1))]
    due = due_date(date(2027, 3, 3), THREE_MONTHS, pauses, today=date(2027, 6, 2))
    assert due == date(2027, 6, 5)


def test_open_pause_starting_after_today_is_refused():
    with pytest.raises(PeriodError, match="after today"):
        due_date(
            MON_1_MARCH_2027, FIVE_WORKING_DAYS, [Pause(date(2027, 3, 4))], today=date(2027, 3, 3)
        )


@pytest.mark.parametrize(
    ("pauses", "message"),
    [
        ([Pause(date(2027, 3, 5), date(2027, 3, 4))], "cannot end"),
        ([Pause(date(2027, 3, 1), date(2027, 3, 10)), Pause(date(2027, 3, 5))], "overlaps"),
        ([Pause(date(2027, 3, 5)), Pause(date(2027, 3, 1), date(2027, 3, 6))], "overlaps"),
        ([Pause(date(2027, 3, 5)), Pause(date(2027, 3, 9))], "only one pause can be open"),
        ([Pause(date(1999, 12, 30), date(2000, 1, 5))], "outside the supported range"),
        ([Pause(date(2100, 12, 30), date(2101, 1, 5))], "outside the supported range"),
        ([(date(2027, 3, 1), date(2027, 3, 2))], "expected a Pause"),
    ],
)
def test_invalid_pauses_are_refused(pauses, message):
    with pytest.raises(PeriodError, match=message):
        validate_pauses(pauses)
    with pytest.raises(PeriodError, match=message):
        due_date(MON_1_MARCH_2027, FIVE_WORKING_DAYS, pauses)


@pytest.mark.parametrize(
    "pauses",
    [
        [],
        [Pause(date(2027, 3, 5), date(2027, 3, 5))],
        [Pause(date(2027, 3, 1), date(2027, 3, 5)), Pause(date(2027, 3, 5))],
        [Pause(date(2027, 3, 1), date(2027, 3, 5)), Pause(date(2027, 3, 3), date(2027, 3, 9))],
        [Pause(date(2027, 3, 5)), Pause(date(2027, 3, 8), date(2027, 3, 8))],
    ],
)
def test_valid_pauses_pass(pauses):
    validate_pauses(pauses)


# --- funding notice verdicts -------------------------------------------------------------------

NOTICE_CASES = [
    # notice, effective, months, compliant, earliest, shortfall
    (date(2027, 3, 3), date(2027, 6, 3), 3, True, date(2027, 6, 3), 0),
    (date(2027, 3, 3), date(2027, 6, 4), 3, True, date(2027, 6, 3), 0),
    (date(2027, 3, 3), date(2027, 6, 2), 3, False, date(2027, 6, 3), 1),
    (date(2027, 3, 3), date(2027, 5, 20), 3, False, date(2027, 6, 3), 14),
    (date(2027, 3, 3), date(2027, 3, 3), 3, False, date(2027, 6, 3), 92),
    (date(2026, 11, 30), date(2027, 2, 28), 3, True, date(2027, 2, 28), 0),
    (date(2026, 12, 1), date(2027, 2, 28), 3, False, date(2027, 3, 1), 1),
    (date(2027, 11, 30), date(2028, 2, 29), 3, True, date(2028, 2, 29), 0),
    (date(2027, 11, 30), date(2028, 2, 28), 3, False, date(2028, 2, 29), 1),
    (date(2028, 1, 31), date(2028, 4, 30), 3, True, date(2028, 4, 30), 0),
    (date(2027, 1, 31), date(2027, 2, 28), 1, True, date(2027, 2, 28), 0),
    (date(2027, 1, 31), date(2027, 2, 27), 1, False, date(2027, 2, 28), 1),
    (date(2027, 9, 1), date(2028, 2, 1), 6, False, date(2028, 3, 1), 29),
    (date(2027, 9, 1), date(2027, 12, 31), 3, True, date(2027, 12, 1), 0),
]


@pytest.mark.parametrize(
    ("notice", "effective", "months", "compliant", "earliest", "shortfall"), NOTICE_CASES
)
def test_funding_notice_verdict(notice, effective, months, compliant, earliest, shortfall):
    verdict = check_funding_notice(notice, effective, Period(months, MONTHS))
    assert verdict.compliant is compliant
    assert verdict.earliest_compliant_effective_on == earliest
    assert verdict.shortfall_days == shortfall
    assert verdict.required_period == Period(months, MONTHS)


def test_compliant_notice_explanation():
    verdict = check_funding_notice(date(2027, 3, 3), date(2027, 6, 3), THREE_MONTHS)
    assert verdict == NoticeVerdict(
        compliant=True,
        required_period=THREE_MONTHS,
        earliest_compliant_effective_on=date(2027, 6, 3),
        shortfall_days=0,
        latest_notice_date=date(2027, 3, 3),
        explanation=(
            "Notice given on 3 March 2027 for a change taking effect on 3 June 2027 gives at "
            "least the 3 calendar months required (the earliest compliant effective date was "
            "3 June 2027)."
        ),
    )


def test_short_notice_explanation_names_the_shortfall_and_dates():
    verdict = check_funding_notice(date(2027, 3, 3), date(2027, 5, 20), THREE_MONTHS)
    assert verdict.explanation == (
        "Notice given on 3 March 2027 for a change taking effect on 20 May 2027 is 14 days "
        "short of the 3 calendar months required (the earliest compliant effective date is "
        "3 June 2027)."
    )
    assert verdict.latest_notice_date == date(2027, 2, 20)


def test_one_day_short_is_singular():
    verdict = check_funding_notice(date(2026, 12, 1), date(2027, 2, 28), THREE_MONTHS)
    assert "is 1 day short" in verdict.explanation


@pytest.mark.parametrize(
    ("written", "reasons", "phrase"),
    [
        (False, True, "it was not given in writing (its dates allow"),
        (True, False, "it gave no reasons (its dates allow"),
        (False, False, "it was not given in writing and gave no reasons"),
    ],
)
def test_notice_without_writing_or_reasons_is_not_compliant(written, reasons, phrase):
    verdict = check_funding_notice(
        date(2027, 3, 3), date(2027, 6, 3), THREE_MONTHS, written=written, reasons_given=reasons
    )
    assert verdict.compliant is False
    assert verdict.shortfall_days == 0
    assert "is not compliant" in verdict.explanation
    assert phrase in verdict.explanation


def test_unwritten_and_short_notice_keeps_the_date_shortfall():
    verdict = check_funding_notice(date(2027, 3, 3), date(2027, 5, 20), THREE_MONTHS, written=False)
    assert verdict.compliant is False
    assert verdict.shortfall_days == 14
    assert verdict.explanation == (
        "Notice given on 3 March 2027 for a change taking effect on 20 May 2027 is not "
        "compliant: it was not given in writing and is 14 days short of the 3 calendar months "
        "required (the earliest compliant effective date is 3 June 2027)."
    )


LATEST_NOTICE_CASES = [
    (date(2027, 2, 28), 3, date(2026, 11, 30)),
    (date(2028, 2, 29), 3, date(2027, 11, 30)),
    (date(2028, 2, 28), 3, date(2027, 11, 28)),
    (date(2027, 3, 1), 3, date(2026, 12, 1)),
    (date(2027, 6, 3), 3, date(2027, 3, 3)),
    (date(2027, 6, 30), 3, date(2027, 3, 31)),
    (date(2027, 6, 29), 3, date(2027, 3, 29)),
    (date(2027, 5, 31), 3, date(2027, 2, 28)),
    (date(2027, 5, 30), 3, date(2027, 2, 28)),
    (date(2027, 5, 29), 3, date(2027, 2, 28)),
    (date(2028, 5, 29), 3, date(2028, 2, 29)),
    (date(2028, 5, 31), 3, date(2028, 2, 29)),
    (date(2027, 4, 30), 3, date(2027, 1, 31)),
    (date(2027, 12, 31), 3, date(2027, 9, 30)),
    (date(2027, 12, 30), 3, date(2027, 9, 30)),
    (date(2028, 1, 1), 3, date(2027, 10, 1)),
    (date(2027, 3, 31), 1, date(2027, 2, 28)),
    (date(2027, 3, 30), 1, date(2027, 2, 28)),
    (date(2027, 3, 29), 1, date(2027, 2, 28)),
    (date(2027, 3, 28), 1, date(2027, 2, 28)),
    (date(2027, 3, 27), 1, date(2027, 2, 27)),
    (date(2027, 8, 31), 6, date(2027, 2, 28)),
    (date(2028, 2, 29), 6, date(2027, 8, 31)),
    (date(2029, 2, 28), 12, date(2028, 2, 29)),
]


@pytest.mark.parametrize(("effective", "months", "latest"), LATEST_NOTICE_CASES)
def test_latest_notice_date_for_a_planned_change(effective, months, latest):
    period = Period(months, MONTHS)
    verdict = check_funding_notice(None, effective, period)
    assert verdict.latest_notice_date == latest
    assert verdict.compliant is True
    assert verdict.shortfall_days == 0
    # The latest day works and the next one does not.
    assert add_months(latest, months) <= effective
    assert add_months(latest + ONE_DAY, months) > effective


@pytest.mark.parametrize(
    ("due", "period", "latest"),
    [
        (date(2027, 5, 24), Period(12, WEEKS), date(2027, 3, 1)),
        (date(2027, 3, 11), Period(10, CALENDAR_DAYS), date(2027, 3, 1)),
        (date(2027, 3, 8), Period(5, WORKING_DAYS), date(2027, 3, 1)),
        (date(2027, 3, 13), Period(5, WORKING_DAYS), date(2027, 3, 7)),
        (date(2027, 3, 30), Period(1, WORKING_DAYS), date(2027, 3, 29)),
        (date(2027, 12, 29), Period(1, WORKING_DAYS), date(2027, 12, 28)),
    ],
)
def test_latest_start_for_weeks_days_and_working_days(due, period, latest):
    assert latest_start(due, period) == latest
    assert due_date(latest, period) <= due
    assert due_date(latest + ONE_DAY, period) > due


def test_planned_change_explanation():
    verdict = check_funding_notice(None, date(2027, 2, 28), THREE_MONTHS)
    assert verdict.explanation == (
        "For a change taking effect on 28 February 2027, written notice with reasons must be "
        "given on or before 30 November 2026 to allow the 3 calendar months required."
    )
    assert verdict.earliest_compliant_effective_on == date(2027, 2, 28)


def test_planned_change_without_writing_is_not_compliant():
    verdict = check_funding_notice(None, date(2027, 2, 28), THREE_MONTHS, written=False)
    assert verdict.compliant is False
    assert "would not be in writing" in verdict.explanation


def test_notice_only_gives_the_earliest_effective_date():
    verdict = check_funding_notice(date(2026, 11, 30), None, THREE_MONTHS)
    assert verdict.compliant is True
    assert verdict.earliest_compliant_effective_on == date(2027, 2, 28)
    assert verdict.latest_notice_date is None
    assert verdict.explanation == (
        "Notice given on 30 November 2026 allows the change to take effect on or after "
        "28 February 2027, 3 calendar months later."
    )


def test_notice_only_without_reasons_is_not_compliant():
    verdict = check_funding_notice(date(2027, 3, 3), None, THREE_MONTHS, reasons_given=False)
    assert verdict.compliant is False
    assert "gave no reasons" in verdict.explanation


def test_funding_notice_in_working_days():
    verdict = check_funding_notice(date(2027, 12, 24), date(2027, 12, 30), Period(2, WORKING_DAYS))
    assert verdict.compliant is True
    assert verdict.earliest_compliant_effective_on == date(2027, 12, 30)


@pytest.mark.parametrize(
    ("notice", "effective", "message"),
    [
        (date(2027, 6, 3), date(2027, 3, 3), "before the notice date"),
        (None, None, "give the notice date"),
        (date(1999, 12, 1), date(2000, 3, 1), "outside the supported range"),
        (date(2100, 12, 1), date(2101, 3, 1), "outside the supported range"),
        (datetime(2027, 3, 3, 9, 0), date(2027, 6, 3), "must be a date"),
        ("2027-03-03", date(2027, 6, 3), "must be a date"),
    ],
)
def test_invalid_notice_dates_are_refused(notice, effective, message):
    with pytest.raises(PeriodError, match=message):
        check_funding_notice(notice, effective, THREE_MONTHS)


# --- consultation verdicts ---------------------------------------------------------------------

CONSULTATION_CASES = [
    (date(2027, 3, 1), date(2027, 5, 23), 83, False, 1),
    (date(2027, 3, 1), date(2027, 5, 24), 84, True, 0),
    (date(2027, 3, 1), date(2027, 5, 25), 85, True, 0),
    (date(2027, 2, 1), date(2027, 4, 25), 83, False, 1),
    (date(2027, 2, 1), date(2027, 4, 26), 84, True, 0),
    (date(2028, 2, 1), date(2028, 4, 24), 83, False, 1),
    (date(2028, 2, 1), date(2028, 4, 25), 84, True, 0),
    (date(2027, 12, 13), date(2028, 3, 6), 84, True, 0),
    (date(2027, 3, 1), date(2027, 3, 1), 0, False, 84),
    (date(2027, 3, 1), date(2027, 4, 26), 56, False, 28),
]


@pytest.mark.parametrize(
    ("opens", "closes", "length", "compliant", "shortfall"), CONSULTATION_CASES
)
def test_consultation_is_twelve_weeks_from_opening_day_to_closing_day(
    opens, closes, length, compliant, shortfall
):
    verdict = check_consultation(opens, closes)
    assert verdict.length_days == length
    assert verdict.required_days == 84
    assert verdict.required_period == Period(12, WEEKS)
    assert verdict.compliant is compliant
    assert verdict.shortfall_days == shortfall


def test_short_consultation_must_be_explained():
    assert check_consultation(date(2027, 3, 1), date(2027, 5, 23)) == ConsultationVerdict(
        compliant=False,
        length_days=83,
        required_period=Period(12, WEEKS),
        required_days=84,
        shortfall_days=1,
        explanation=(
            "The consultation runs for 83 days, from 1 March 2027 to 23 May 2027, 1 day short "
            "of the 12 weeks (84 days) required, so the reason for the shorter period must be "
            "explained."
        ),
    )


def test_full_consultation_explanation():
    verdict = check_consultation(date(2027, 3, 1), date(2027, 5, 24))
    assert verdict.explanation == (
        "The consultation runs for 84 days, from 1 March 2027 to 24 May 2027, which meets the "
        "12 weeks (84 days) required."
    )


def test_consultation_under_a_local_month_rule():
    verdict = check_consultation(date(2027, 3, 1), date(2027, 5, 31), Period(3, MONTHS))
    assert verdict.required_days == 92
    assert verdict.shortfall_days == 1
    assert verdict.compliant is False


def test_consultation_in_calendar_days_does_not_repeat_the_days():
    verdict = check_consultation(date(2027, 3, 1), date(2027, 3, 31), Period(30, CALENDAR_DAYS))
    assert verdict.compliant is True
    assert "meets the 30 calendar days required." in verdict.explanation


def test_consultation_closing_before_it_opens_is_refused():
    with pytest.raises(PeriodError, match="cannot close"):
        check_consultation(date(2027, 5, 24), date(2027, 3, 1))


# --- periods: text and validation --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3 months", Period(3, MONTHS)),
        ("3 calendar months", Period(3, MONTHS)),
        ("1 month", Period(1, MONTHS)),
        ("1 calendar month", Period(1, MONTHS)),
        ("6 Months", Period(6, MONTHS)),
        ("12 weeks", Period(12, WEEKS)),
        ("1 week", Period(1, WEEKS)),
        ("10 days", Period(10, CALENDAR_DAYS)),
        ("10 calendar days", Period(10, CALENDAR_DAYS)),
        ("10 calendar_days", Period(10, CALENDAR_DAYS)),
        ("1 day", Period(1, CALENDAR_DAYS)),
        ("20 working days", Period(20, WORKING_DAYS)),
        ("1 working day", Period(1, WORKING_DAYS)),
        ("  20  Working   Days ", Period(20, WORKING_DAYS)),
        ("5 WORKING_DAYS", Period(5, WORKING_DAYS)),
        ("40 working-days", Period(40, WORKING_DAYS)),
    ],
)
def test_parse_period(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "months",
        "3",
        "three months",
        "3 fortnights",
        "-3 months",
        "3.5 months",
        "3 months ago",
        "3 calendar weeks",
        "3 working months",
        "3 s",
    ],
)
def test_unreadable_periods_are_refused(text):
    with pytest.raises(PeriodError, match="cannot read"):
        parse_period(text)


@pytest.mark.parametrize("value", [None, 3, Period(3, MONTHS)])
def test_parse_period_needs_text(value):
    with pytest.raises(PeriodError, match="must be text"):
        parse_period(value)


def test_zero_period_is_refused():
    with pytest.raises(PeriodError, match="whole number"):
        parse_period("0 months")


@pytest.mark.parametrize(
    ("period", "text"),
    [
        (Period(3, MONTHS), "3 calendar months"),
        (Period(1, MONTHS), "1 calendar month"),
        (Period(12, WEEKS), "12 weeks"),
        (Period(1, WEEKS), "1 week"),
        (Period(10, CALENDAR_DAYS), "10 calendar days"),
        (Period(1, CALENDAR_DAYS), "1 calendar day"),
        (Period(20, WORKING_DAYS), "20 working days"),
        (Period(1, WORKING_DAYS), "1 working day"),
    ],
)
def test_describe_gets_singular_and_plural_right(period, text):
    assert period.describe() == text
    assert str(period) == text
    assert parse_period(text) == period


def test_unit_may_be_given_by_value():
    assert Period(3, "months") == Period(3, MONTHS)
    assert Period(3, "months").unit is Unit.MONTHS
    assert Unit.WORKING_DAYS == "working_days"


@pytest.mark.parametrize(
    ("count", "unit", "message"),
    [
        (0, MONTHS, "whole number"),
        (-1, WEEKS, "whole number"),
        (True, WEEKS, "whole number"),
        (3.0, MONTHS, "whole number"),
        ("3", MONTHS, "whole number"),
        (10_000, CALENDAR_DAYS, "whole number"),
        (3, "fortnights", "unknown unit"),
    ],
)
def test_invalid_periods_are_refused(count, unit, message):
    with pytest.raises(PeriodError, match=message):
        Period(count, unit)


def test_period_and_verdicts_are_frozen():
    period = Period(3, MONTHS)
    with pytest.raises(dataclasses.FrozenInstanceError):
        period.count = 4
    verdict = check_consultation(date(2027, 3, 1), date(2027, 5, 24))
    with pytest.raises(dataclasses.FrozenInstanceError):
        verdict.compliant = False


def test_period_error_is_a_value_error():
    assert issubclass(PeriodError, ValueError)


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        (date(2000, 1, 1), True),
        (date(2100, 12, 31), True),
        (date(1999, 12, 31), False),
        (date(2101, 1, 1), False),
    ],
)
def test_validate_date_range(value, ok):
    if ok:
        assert validate_date(value) == value
    else:
        with pytest.raises(PeriodError, match="outside the supported range"):
            validate_date(value, "effective date")


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2027, 3, 3), "3 March 2027"),
        (date(2026, 11, 30), "30 November 2026"),
        (date(2028, 2, 29), "29 February 2028"),
    ],
)
def test_format_date(day, text):
    assert format_date(day) == text


def test_due_date_refuses_dates_outside_the_range():
    with pytest.raises(PeriodError, match="start"):
        due_date(date(1999, 12, 31), THREE_MONTHS)


# --- rule sets ---------------------------------------------------------------------------------


def test_national_defaults():
    assert dict(NATIONAL_DEFAULTS) == {
        "funding_notice": Period(3, MONTHS),
        "consultation": Period(12, WEEKS),
        "acknowledge": Period(5, WORKING_DAYS),
        "local_conciliation": Period(20, WORKING_DAYS),
        "regional_mediation": Period(40, WORKING_DAYS),
    }
    assert "invoice_payment" not in NATIONAL_DEFAULTS
    assert OPTIONAL_RULES["invoice_payment"] == Period(10, CALENDAR_DAYS)


STAFFORDSHIRE = RuleSet({"funding_notice": "6 months", "invoice_payment": "10 days"})
CANNOCK_CHASE = RuleSet({"local_conciliation": Period(14, CALENDAR_DAYS)})
COVENTRY = RuleSet({"invoice_payment": Period(14, CALENDAR_DAYS)})


@pytest.mark.parametrize(
    ("name", "chain", "expected"),
    [
        ("funding_notice", [], Period(3, MONTHS)),
        ("acknowledge", [CANNOCK_CHASE, STAFFORDSHIRE], Period(5, WORKING_DAYS)),
        ("funding_notice", [CANNOCK_CHASE, STAFFORDSHIRE], Period(6, MONTHS)),
        ("local_conciliation", [CANNOCK_CHASE, STAFFORDSHIRE], Period(14, CALENDAR_DAYS)),
        ("invoice_payment", [CANNOCK_CHASE, STAFFORDSHIRE], Period(10, CALENDAR_DAYS)),
        ("invoice_payment", [COVENTRY], Period(14, CALENDAR_DAYS)),
        ("consultation", [{"consultation": Period(8, WEEKS)}], Period(8, WEEKS)),
        ("regional_mediation", [NATIONAL_DEFAULTS], Period(40, WORKING_DAYS)),
    ],
)
def test_resolve_rule_takes_the_most_local_rule(name, chain, expected):
    assert resolve_rule(name, chain) == expected


def test_optional_rule_not_adopted_is_refused():
    with pytest.raises(PeriodError, match="optional"):
        resolve_rule("invoice_payment", [CANNOCK_CHASE])


def test_unknown_rule_is_refused():
    with pytest.raises(PeriodError, match="unknown rule 'grant_appeal'"):
        resolve_rule("grant_appeal", [STAFFORDSHIRE])


def test_local_rule_of_its_own_resolves():
    assert resolve_rule("grant_appeal", [RuleSet({"grant_appeal": "14 days"})]) == Period(
        14, CALENDAR_DAYS
    )


def test_rule_that_is_not_a_period_is_refused():
    with pytest.raises(PeriodError, match="not a Period"):
        resolve_rule("funding_notice", [{"funding_notice": "3 months"}])


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ({"Funding Notice": "3 months"}, "rule name"),
        ({"funding_notice": "three months"}, "cannot read"),
    ],
)
def test_invalid_rule_sets_are_refused(rules, message):
    with pytest.raises(PeriodError, match=message):
        RuleSet(rules)


def test_rule_sets_are_read_only():
    with pytest.raises(TypeError):
        STAFFORDSHIRE.rules["funding_notice"] = Period(1, MONTHS)
    with pytest.raises(dataclasses.FrozenInstanceError):
        STAFFORDSHIRE.rules = {}
    expected = {"funding_notice": Period(6, MONTHS), "invoice_payment": Period(10, CALENDAR_DAYS)}
    assert expected == STAFFORDSHIRE


# --- properties, against a slow day-by-day reference -------------------------------------------

_ENGLAND = holidays.country_holidays("GB", subdiv="ENG", years=range(1999, 2103))


def _slow_working(day: date) -> bool:
    return day.weekday() < 5 and day not in _ENGLAND


def _slow_add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _slow_due(start: date, period: Period, pauses: list[Pause]) -> date:
    paused = set()
    for pause in pauses:
        day = pause.start
        while day < pause.end:
            paused.add(day)
            day += ONE_DAY
    if period.unit is MONTHS:
        count = (_slow_add_months(start, period.count) - start).days
    elif period.unit is WEEKS:
        count = 7 * period.count
    else:
        count = period.count
    day = start
    while count:
        day += ONE_DAY
        if day in paused or (period.unit is WORKING_DAYS and not _slow_working(day)):
            continue
        count -= 1
    return day


DATES = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
PERIODS = st.one_of(
    st.builds(Period, st.integers(1, 36), st.just(MONTHS)),
    st.builds(Period, st.integers(1, 52), st.just(WEEKS)),
    st.builds(Period, st.integers(1, 400), st.just(CALENDAR_DAYS)),
    st.builds(Period, st.integers(1, 300), st.just(WORKING_DAYS)),
)


@st.composite
def pauses_near(draw, start: date) -> list[Pause]:
    pauses = []
    for _ in range(draw(st.integers(0, 4))):
        # Pause dates must lie in 2000-2100 like every other date.
        lo = max(start + timedelta(days=draw(st.integers(-30, 200))), date(2000, 1, 1))
        hi = min(lo + timedelta(days=draw(st.integers(0, 40))), date(2100, 12, 31))
        pauses.append(Pause(lo, hi))
    return pauses


@settings(max_examples=300, deadline=None)
@given(st.data(), DATES, PERIODS)
def test_due_date_matches_a_day_by_day_count(data, start, period):
    if period.unit is not WORKING_DAYS and period.count > 60:
        period = Period(60, period.unit)
    pauses = data.draw(pauses_near(start))
    assert due_date(start, period, pauses) == _slow_due(start, period, pauses)


@settings(max_examples=200, deadline=None)
@given(DATES, st.integers(-300, 300))
def test_add_working_days_matches_a_day_by_day_count(start, count):
    day, left = start, abs(count)
    step = ONE_DAY if count > 0 else -ONE_DAY
    while left:
        day += step
        if _slow_working(day):
            left -= 1
    assert add_working_days(start, count) == day


@given(DATES, DATES, PERIODS)
def test_compliant_exactly_when_effective_on_or_after_the_earliest_date(a, b, period):
    notice, effective = min(a, b), max(a, b)
    verdict = check_funding_notice(notice, effective, period)
    assert verdict.compliant == (effective >= verdict.earliest_compliant_effective_on)
    assert verdict.compliant == (notice <= verdict.latest_notice_date)
    assert verdict.earliest_compliant_effective_on == due_date(notice, period)
    assert verdict.shortfall_days == max(
        0, (verdict.earliest_compliant_effective_on - effective).days
    )


@given(st.dates(min_value=date(2004, 1, 1), max_value=date(2100, 12, 31)), PERIODS)
def test_latest_notice_date_is_exact(effective, period):
    latest = check_funding_notice(None, effective, period).latest_notice_date
    assert due_date(latest, period) <= effective
    assert due_date(latest + ONE_DAY, period) > effective


@pytest.mark.parametrize("unit", list(Unit))
@given(a=DATES, b=DATES, count=st.integers(1, 60))
def test_adding_a_period_is_monotonic(unit, a, b, count):
    first, second = min(a, b), max(a, b)
    period = Period(count, unit)
    assert due_date(first, period) <= due_date(second, period)


@pytest.mark.parametrize("unit", [WEEKS, CALENDAR_DAYS, WORKING_DAYS])
@given(data=st.data(), a=DATES, b=DATES, count=st.integers(1, 60))
def test_adding_a_period_with_pauses_is_monotonic(unit, data, a, b, count):
    first, second = min(a, b), max(a, b)
    pauses = data.draw(pauses_near(first))
    period = Period(count, unit)
    assert due_date(first, period, pauses) <= due_date(second, period, pauses)


@given(st.data(), DATES, PERIODS)
def test_pauses_never_bring_the_due_date_forward(data, start, period):
    pauses = data.draw(pauses_near(start))
    plain = due_date(start, period)
    assert due_date(start, period, pauses) >= plain
    later = [p for p in pauses if p.start > plain]
    assert due_date(start, period, later) == plain


@given(DATES, DATES)
def test_consultation_compliant_from_84_days(a, b):
    opens, closes = min(a, b), max(a, b)
    verdict = check_consultation(opens, closes)
    assert verdict.compliant == ((closes - opens).days >= 84)
    assert verdict.length_days - verdict.required_days + verdict.shortfall_days >= 0
