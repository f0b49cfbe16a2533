"""Tests for workflows.deadlines: which deadlines each step opens and closes, and due dates.

Dates are worked out by hand from a calendar (2026 starts on a Thursday, 2027 on a Friday,
2028 is a leap year) and England's bank holidays: Christmas Day 2026 is a Friday and Boxing
Day's substitute is Monday 28 December; Easter 2027 is Good Friday 26 March and Easter Monday
29 March.
"""

from __future__ import annotations

from datetime import date

import pytest

from workflows.deadlines import (
    DeadlineKind,
    DeadlineStatus,
    closing_status,
    countdown,
    deadline_due,
    due_soon_until,
    due_this_week_until,
)
from workflows.dispute import (
    CASE_DEADLINES,
    DeadlineChanges,
    Event,
    State,
    on_create,
    on_transition,
)
from workflows.periods import CALENDAR_DAYS, MONTHS, WORKING_DAYS, Pause, Period, PeriodError
from workflows.rule_sets import NATIONAL_DEFAULTS

K = DeadlineKind
S = DeadlineStatus

# -- which deadlines open and close ---------------------------------------------------------------


def test_a_new_dispute_must_be_acknowledged():
    assert on_create() is K.ACKNOWLEDGE


@pytest.mark.parametrize(
    ("event", "from_state", "to_state", "changes"),
    [
        (
            Event.START_CONCILIATION,
            State.RAISED,
            State.LOCAL_CONCILIATION,
            DeadlineChanges(close=(K.ACKNOWLEDGE, S.MET), open=K.CONCLUDE_CONCILIATION),
        ),
        (
            Event.ESCALATE,
            State.RAISED,
            State.REGIONAL_MEDIATION,
            DeadlineChanges(close=(K.ACKNOWLEDGE, S.MET), open=K.CONCLUDE_MEDIATION),
        ),
        (
            Event.ESCALATE,
            State.LOCAL_CONCILIATION,
            State.REGIONAL_MEDIATION,
            DeadlineChanges(close=(K.CONCLUDE_CONCILIATION, S.MET), open=K.CONCLUDE_MEDIATION),
        ),
        (
            Event.RESOLVE,
            State.REGIONAL_MEDIATION,
            State.RESOLVED,
            DeadlineChanges(close=(K.CONCLUDE_MEDIATION, S.MET), open=None),
        ),
        (
            Event.RESOLVE,
            State.RAISED,
            State.RESOLVED,
            DeadlineChanges(close=(K.ACKNOWLEDGE, S.MET), open=None),
        ),
        (
            Event.WITHDRAW,
            State.LOCAL_CONCILIATION,
            State.WITHDRAWN,
            DeadlineChanges(close=(K.CONCLUDE_CONCILIATION, S.CANCELLED), open=None),
        ),
        (
            Event.REOPEN,
            State.RESOLVED,
            State.LOCAL_CONCILIATION,
            DeadlineChanges(close=None, open=K.CONCLUDE_CONCILIATION),
        ),
        (
            Event.REOPEN,
            State.WITHDRAWN,
            State.RAISED,
            DeadlineChanges(close=None, open=K.ACKNOWLEDGE),
        ),
    ],
)
def test_each_step_closes_the_stage_it_leaves_and_opens_the_next(
    event, from_state, to_state, changes
):
    assert on_transition(event, from_state, to_state) == changes


def test_every_case_deadline_is_set_by_a_national_default_rule():
    assert {kind.rule for kind in CASE_DEADLINES} <= set(NATIONAL_DEFAULTS)
    assert K.NOTICE_ISSUE_BY.rule == "funding_notice"
    assert K.CONSULTATION_CLOSES.rule == "consultation"


@pytest.mark.parametrize(
    ("intended", "closed_on", "due_on", "status"),
    [
        (S.MET, date(2026, 10, 12), date(2026, 10, 12), S.MET),
        (S.MET, date(2026, 10, 13), date(2026, 10, 12), S.MISSED),
        (S.CANCELLED, date(2026, 10, 30), date(2026, 10, 12), S.CANCELLED),
    ],
)
def test_a_deadline_met_after_its_due_date_was_missed(intended, closed_on, due_on, status):
    assert closing_status(intended, closed_on, due_on) is status


# -- due dates -----------------------------------------------------------------------------------

FIVE_WORKING_DAYS = Period(5, WORKING_DAYS)


def test_acknowledge_falls_five_working_days_after_the_dispute_is_raised():
    # Monday 5 October 2026: Tuesday to Friday, then Monday 12 October.
    assert deadline_due(date(2026, 10, 5), FIVE_WORKING_DAYS) == date(2026, 10, 12)


def test_christmas_and_the_boxing_day_substitute_are_not_working_days():
    # From Tuesday 22 December 2026: 23, 24, (25, 26, 27, 28 not counted), 29, 30, 31.
    assert deadline_due(date(2026, 12, 22), FIVE_WORKING_DAYS) == date(2026, 12, 31)


def test_easter_is_skipped():
    # From Monday 22 March 2027: 23, 24, 25, (Good Friday, weekend, Easter Monday), 30, 31.
    assert deadline_due(date(2027, 3, 22), FIVE_WORKING_DAYS) == date(2027, 3, 31)


def test_a_month_rule_lands_on_29_february_in_a_leap_year():
    assert deadline_due(date(2027, 11, 30), Period(3, MONTHS)) == date(2028, 2, 29)
    assert deadline_due(date(2026, 11, 30), Period(3, MONTHS)) == date(2027, 2, 28)


def test_a_closed_pause_moves_the_due_date_by_the_paused_working_days():
    # Stopped on Wednesday 7 October and counting again from Friday 9 October: two working
    # days (7 and 8) not counted, so Monday 12 becomes Wednesday 14 October.
    pauses = [Pause(date(2026, 10, 7), date(2026, 10, 9))]
    assert deadline_due(date(2026, 10, 5), FIVE_WORKING_DAYS, pauses=pauses) == date(2026, 10, 14)


def test_a_pause_over_a_weekend_costs_only_its_working_days():
    # Friday 9 to Monday 12 October: only Friday is a paused working day.
    pauses = [Pause(date(2026, 10, 9), date(2026, 10, 12))]
    assert deadline_due(date(2026, 10, 5), FIVE_WORKING_DAYS, pauses=pauses) == date(2026, 10, 13)


def test_an_open_pause_gives_the_earliest_due_date_as_things_stand():
    pauses = [Pause(date(2026, 10, 7))]
    # Stopped today: the clock is taken to restart tomorrow, Thursday 8 October.
    assert deadline_due(
        date(2026, 10, 5), FIVE_WORKING_DAYS, pauses=pauses, today=date(2026, 10, 7)
    ) == date(2026, 10, 13)
    # Still stopped on Monday 12 October: 7, 8, 9 and 12 are paused.
    assert deadline_due(
        date(2026, 10, 5), FIVE_WORKING_DAYS, pauses=pauses, today=date(2026, 10, 12)
    ) == date(2026, 10, 16)


def test_an_open_pause_without_today_is_refused():
    with pytest.raises(PeriodError, match="clock has been stopped"):
        deadline_due(date(2026, 10, 5), FIVE_WORKING_DAYS, pauses=[Pause(date(2026, 10, 7))])


def test_an_extension_by_agreement_adds_working_days():
    # 20 working days from Monday 2 November 2026 end on Monday 30 November; five more agreed
    # end on Monday 7 December.
    period = Period(20, WORKING_DAYS)
    assert deadline_due(date(2026, 11, 2), period) == date(2026, 11, 30)
    assert deadline_due(date(2026, 11, 2), period, extended_by=5) == date(2026, 12, 7)


def test_an_extension_and_a_pause_both_count():
    period = Period(20, WORKING_DAYS)
    pauses = [Pause(date(2026, 11, 9), date(2026, 11, 11))]  # Monday and Tuesday
    assert deadline_due(date(2026, 11, 2), period, 5, pauses) == date(2026, 12, 9)


# -- how far off -------------------------------------------------------------------------------


def test_working_days_left_skip_the_weekend():
    # From Friday 27 November to Tuesday 1 December 2026: Monday and Tuesday.
    left = countdown(date(2026, 12, 1), date(2026, 11, 27), WORKING_DAYS)
    assert (left.days, left.overdue, left.describe()) == (2, False, "2 working days left")


def test_a_working_day_deadline_due_on_friday_is_one_working_day_overdue_on_monday():
    late = countdown(date(2026, 11, 27), date(2026, 11, 30), WORKING_DAYS)
    assert (late.days, late.overdue, late.describe()) == (-1, True, "1 working day overdue")


def test_calendar_day_countdowns_count_every_day():
    assert countdown(date(2026, 12, 1), date(2026, 11, 27), CALENDAR_DAYS).describe() == (
        "4 days left"
    )
    assert countdown(date(2026, 11, 27), date(2026, 11, 30), MONTHS).describe() == (
        "3 days overdue"
    )
    assert countdown(date(2026, 11, 27), date(2026, 11, 27), WORKING_DAYS).describe() == (
        "Due today"
    )


def test_due_soon_looks_ten_working_days_ahead():
    # From Saturday 28 November 2026: 30 November to 11 December are the next ten.
    assert due_soon_until(date(2026, 11, 28)) == date(2026, 12, 11)
    # Across Christmas: from Friday 18 December 2026, skipping 25 and 28 December and
    # 1 January 2027.
    assert due_soon_until(date(2026, 12, 18)) == date(2027, 1, 6)


def test_due_this_week_looks_five_working_days_ahead():
    # Wednesday to Wednesday.
    assert due_this_week_until(date(2026, 11, 25)) == date(2026, 12, 2)
    # Christmas 2026: Friday 25 December and the Boxing Day holiday on Monday 28 December.
    assert due_this_week_until(date(2026, 12, 21)) == date(2026, 12, 30)
    # A leap year's month end: Saturday 26 February 2028 runs through 29 February.
    assert due_this_week_until(date(2028, 2, 26)) == date(2028, 3, 3)
    # Easter 2027: Good Friday 26 March and Easter Monday 29 March are skipped.
    assert due_this_week_until(date(2027, 3, 25)) == date(2027, 4, 5)
