"""The day whose reminders may go out: from the send hour (London time) that day, before it
the day before. Dates by hand."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from workflows.reminders import last_sending_day


@pytest.mark.parametrize(
    ("now", "hour", "day"),
    [
        (datetime(2026, 10, 7, 7, 59), 8, date(2026, 10, 6)),
        (datetime(2026, 10, 7, 8, 0), 8, date(2026, 10, 7)),
        (datetime(2026, 10, 7, 0, 0), 0, date(2026, 10, 7)),
        (datetime(2027, 1, 1, 22, 0), 23, date(2026, 12, 31)),  # over the year's end
        (datetime(2028, 3, 1, 6, 0), 7, date(2028, 2, 29)),  # a leap day
    ],
)
def test_the_last_day_whose_reminders_may_go(now, hour, day):
    assert last_sending_day(now, hour) == day


@pytest.mark.parametrize("hour", [-1, 24, 8.5, "8"])
def test_a_send_hour_outside_the_day_is_refused(hour):
    with pytest.raises(ValueError, match="the send hour is a whole hour from 0 to 23"):
        last_sending_day(datetime(2026, 10, 7, 9), hour)
