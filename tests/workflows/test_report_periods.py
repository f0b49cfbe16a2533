"""When a report e-mail goes out: the first working day after its month or quarter, with the
bank holidays of England and Wales given as plain dates."""

from __future__ import annotations

from datetime import date

import pytest

from workflows.bank_holidays import published
from workflows.report_periods import (
    Frequency,
    due_period,
    first_working_day_after,
    period_before,
    upcoming_period,
)

HOLIDAYS = published()
MONTHLY, QUARTERLY = Frequency.MONTHLY, Frequency.QUARTERLY


@pytest.mark.parametrize(
    ("period_end", "sent_on", "why"),
    [
        (date(2026, 12, 31), date(2027, 1, 4), "New Year's Day is a Friday"),
        (date(2021, 12, 31), date(2022, 1, 4), "1 January on a Saturday: Monday 3rd substitutes"),
        (date(2024, 3, 31), date(2024, 4, 2), "Easter Monday is 1 April"),
        (date(2027, 3, 31), date(2027, 4, 1), "Easter 2027 falls before the quarter ends"),
        (date(2026, 10, 31), date(2026, 11, 2), "November starts on a Sunday"),
        (date(2026, 7, 31), date(2026, 8, 3), "August starts on a Saturday"),
        (date(2027, 4, 30), date(2027, 5, 4), "a weekend, then the early May bank holiday"),
        (date(2026, 9, 30), date(2026, 10, 1), "a Thursday"),
    ],
)
def test_the_first_working_day_after_a_period(period_end, sent_on, why):
    assert first_working_day_after(period_end, HOLIDAYS) == sent_on, why


def test_a_month_and_a_quarter_before_a_day():
    assert period_before(MONTHLY, date(2027, 1, 4), HOLIDAYS) == (
        period_before(MONTHLY, date(2027, 1, 31), HOLIDAYS)
    )
    december = period_before(MONTHLY, date(2027, 1, 4), HOLIDAYS)
    assert (december.start, december.end, december.send_on) == (
        date(2026, 12, 1),
        date(2026, 12, 31),
        date(2027, 1, 4),
    )
    assert december.describe() == "December 2026"
    q1 = period_before(QUARTERLY, date(2024, 5, 20), HOLIDAYS)
    assert (q1.start, q1.end, q1.send_on) == (date(2024, 1, 1), date(2024, 3, 31), date(2024, 4, 2))
    assert q1.describe() == "January to March 2024 (Q1)"
    q4 = period_before(QUARTERLY, date(2027, 2, 1), HOLIDAYS)
    assert (q4.start, q4.end) == (date(2026, 10, 1), date(2026, 12, 31))


def test_a_summary_is_due_from_its_day_and_not_before():
    subscribed = date(2026, 11, 15)
    # New Year: the 1st and the weekend pass with November's (sent 1 December) as the last due.
    assert due_period(MONTHLY, date(2027, 1, 1), subscribed, HOLIDAYS).start == date(2026, 11, 1)
    assert due_period(MONTHLY, date(2027, 1, 3), subscribed, HOLIDAYS).start == date(2026, 11, 1)
    assert due_period(MONTHLY, date(2027, 1, 4), subscribed, HOLIDAYS).start == date(2026, 12, 1)
    # A server down on the day catches up the next.
    assert due_period(MONTHLY, date(2027, 1, 12), subscribed, HOLIDAYS).start == date(2026, 12, 1)


def test_someone_who_subscribes_after_a_periods_day_waits_for_the_next():
    assert due_period(MONTHLY, date(2026, 11, 20), date(2026, 11, 15), HOLIDAYS) is None
    # Subscribed on the sending day itself: that day's summary is theirs.
    assert due_period(MONTHLY, date(2026, 11, 2), date(2026, 11, 2), HOLIDAYS).start == date(
        2026, 10, 1
    )
    assert due_period(QUARTERLY, date(2027, 1, 20), date(2026, 12, 1), HOLIDAYS).start == date(
        2026, 10, 1
    )


def test_the_next_summary_to_come():
    assert upcoming_period(MONTHLY, date(2026, 11, 20), HOLIDAYS).send_on == date(2026, 12, 1)
    # On 1 January the December summary is still to come, on the 4th.
    upcoming = upcoming_period(MONTHLY, date(2027, 1, 1), HOLIDAYS)
    assert (upcoming.start, upcoming.send_on) == (date(2026, 12, 1), date(2027, 1, 4))
    assert upcoming_period(QUARTERLY, date(2026, 11, 20), HOLIDAYS).send_on == date(2027, 1, 4)
