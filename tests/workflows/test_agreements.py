"""Notice windows of funding agreements on literal dates, each worked out by hand below; the
window's status; the reminder ladder."""

from __future__ import annotations

from datetime import date

import pytest

from workflows.agreements import (
    DEFAULT_LADDER,
    MISSED_OFFSET,
    WindowStatus,
    describe_ladder,
    ladder_schedule,
    notice_window,
    parse_ladder,
    window_status,
)
from workflows.periods import MONTHS, WEEKS, Period, PeriodError, due_date
from workflows.rule_sets import resolve_rule

THREE_MONTHS = Period(3, MONTHS)
TWELVE_WEEKS = Period(12, WEEKS)


def latest(ends_on: date, period: Period = THREE_MONTHS) -> date:
    return notice_window(ends_on, period, TWELVE_WEEKS).latest_notice_on


# -- the latest notice date ------------------------------------------------------------------------


def test_an_agreement_ending_31_march_2027_needs_notice_by_31_december_2026():
    # 31 December + 3 months is 31 March; 1 January + 3 months is 1 April, a day too late.
    assert latest(date(2027, 3, 31)) == date(2026, 12, 31)


def test_consultation_opens_twelve_weeks_before_the_latest_notice_date():
    # 31 December 2026 less 84 days: 31 days back to 30 November, 30 more to 31 October,
    # 23 more to 8 October 2026.
    window = notice_window(date(2027, 3, 31), THREE_MONTHS, TWELVE_WEEKS)
    assert window.latest_consultation_start == date(2026, 10, 8)
    assert due_date(date(2026, 10, 8), TWELVE_WEEKS) == date(2026, 12, 31)


def test_an_agreement_ending_on_the_last_day_of_june_needs_notice_by_31_march():
    # 30 June is June's last day: notice on 31 March reaches 30 June (no 31 June), notice on
    # 1 April reaches 1 July. So 31 March, not 30 March.
    assert latest(date(2027, 6, 30)) == date(2027, 3, 31)


def test_an_agreement_ending_30_may_needs_notice_by_28_february():
    # February 2027 has no 30th: notice on 28 February reaches 28 May, on 1 March 1 June.
    assert latest(date(2027, 5, 30)) == date(2027, 2, 28)


def test_in_a_leap_year_notice_may_be_given_on_29_february():
    # 29 February 2028 + 3 months is 29 May 2028; 1 March would reach 1 June.
    assert latest(date(2028, 5, 29)) == date(2028, 2, 29)
    # 31 May 2028 is a month end: February's last day, the 29th in 2028.
    assert latest(date(2028, 5, 31)) == date(2028, 2, 29)


def test_a_staffordshire_district_needs_six_months_notice():
    # East Staffordshire has no rule of its own and inherits Staffordshire's 6 months.
    period = resolve_rule("funding_notice", [{}, {"funding_notice": Period(6, MONTHS)}])
    assert period == Period(6, MONTHS)
    # 31 August is a month end: notice on 28 February 2027 reaches 28 August, 1 March reaches
    # 1 September. So 28 February 2027.
    assert latest(date(2027, 8, 31), period) == date(2027, 2, 28)
    # 15 October 2027 less 6 months is 15 April 2027.
    assert latest(date(2027, 10, 15), period) == date(2027, 4, 15)


def test_days_left_count_calendar_days_to_the_latest_notice_date():
    window = notice_window(date(2027, 3, 31), THREE_MONTHS, TWELVE_WEEKS)
    assert window.days_left(date(2026, 12, 1)) == 30
    assert window.days_left(date(2027, 1, 1)) == -1
    assert "must be given by 31 December 2026" in window.explanation()


def test_an_end_date_outside_the_calendar_is_refused():
    with pytest.raises(PeriodError):
        notice_window(date(2101, 1, 1), THREE_MONTHS, TWELVE_WEEKS)


# -- the window's status ---------------------------------------------------------------------------

LAST = date(2026, 12, 31)
ENDS = date(2027, 3, 31)


def status(today: date, **closing) -> WindowStatus:
    return window_status(today, LAST, ENDS, **closing)


def test_a_window_is_open_up_to_and_on_its_last_day():
    assert status(date(2026, 11, 1)) is WindowStatus.OPEN
    assert status(LAST) is WindowStatus.OPEN


def test_the_day_after_the_last_day_the_window_is_missed():
    assert status(date(2027, 1, 1)) is WindowStatus.MISSED
    # And it stays missed after the agreement ends.
    assert status(date(2027, 6, 1)) is WindowStatus.MISSED


def test_notice_in_time_closes_the_window_until_the_agreement_ends():
    assert status(date(2027, 1, 5), notice_given_on=LAST) is WindowStatus.NOTICE_GIVEN
    assert status(date(2027, 4, 1), notice_given_on=LAST) is WindowStatus.ENDED


def test_late_notice_does_not_undo_a_missed_window():
    assert status(date(2027, 1, 5), notice_given_on=date(2027, 1, 2)) is WindowStatus.MISSED


def test_a_renewed_agreement_has_a_renewed_window_until_it_is_missed():
    assert status(date(2026, 11, 1), renewed=True) is WindowStatus.RENEWED
    assert status(date(2027, 1, 1), renewed=True) is WindowStatus.MISSED


def test_an_agreement_ended_by_decision_in_time_is_ended():
    assert status(date(2027, 2, 1), ended_on=date(2026, 12, 1)) is WindowStatus.ENDED


# -- the reminder ladder ---------------------------------------------------------------------------


def test_the_default_ladder_runs_56_28_14_7_days_before_and_on_the_day_then_one_alert():
    series = ladder_schedule(LAST, date(2026, 1, 1))
    assert [(r.offset, r.fires_on) for r in series] == [
        (56, date(2026, 11, 5)),
        (28, date(2026, 12, 3)),
        (14, date(2026, 12, 17)),
        (7, date(2026, 12, 24)),
        (0, LAST),
        (MISSED_OFFSET, date(2027, 1, 1)),
    ]
    assert series[-1].describe() == "Window missed"
    assert series[0].describe() == "56 days before"


def test_a_reminder_whose_day_fell_before_the_agreement_was_recorded_is_left_out():
    series = ladder_schedule(LAST, date(2026, 12, 10))
    assert [r.offset for r in series] == [14, 7, 0, MISSED_OFFSET]


def test_a_ladder_is_read_from_text_longest_first_each_day_once():
    assert parse_ladder("7, 56,28 ,14,0,7") == (56, 28, 14, 7, 0)
    assert parse_ladder(" 30 ") == (30,)
    assert describe_ladder(DEFAULT_LADDER) == "56, 28, 14, 7 and 0 days before"


@pytest.mark.parametrize("text", ["", "seven", "-3", "1.5", "400"])
def test_a_ladder_that_is_not_whole_days_is_refused(text):
    with pytest.raises(PeriodError):
        parse_ladder(text)
