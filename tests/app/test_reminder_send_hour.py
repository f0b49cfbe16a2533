"""Reminders go out from REMINDER_SEND_HOUR (8 by default) in London, not at the first sweep
after midnight: a reminder due on a day waits until that hour of it, in summer (BST, UTC+1)
and in winter (GMT, UTC+0) alike; `reminders run --today D` sweeps as if at that hour on D.

Dates by hand: a case raised Monday 5 October 2026 is due Monday 12 October, reminded 3
working days before on Wednesday 7 October (BST: British Summer Time ends on Sunday 25
October 2026). One raised Monday 2 November is due Monday 9 November, reminded on Wednesday
4 November (GMT).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine

from compactcases.reminders.sending import sweep


def utc(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


@pytest.fixture
def case_in(make_case):
    def make(raised_on: date):
        with time_machine.travel(utc(raised_on, 12), tick=False):
            return make_case(raised_on=raised_on)

    return make


def test_in_summer_time_nothing_due_today_goes_before_eight_in_london(case_in, db):
    case_in(date(2026, 10, 5))
    # 06:59 UTC is 07:59 in London (BST).
    assert sweep(now=utc(date(2026, 10, 7), 6, 59)).sent == 0
    # 07:00 UTC is 08:00 in London: the e-mail and the inbox message go.
    report = sweep(now=utc(date(2026, 10, 7), 7, 0))
    assert (report.sent_email, report.sent_inbox) == (1, 1)
    assert sweep(now=utc(date(2026, 10, 7), 7, 5)).sent == 0  # once


def test_in_winter_time_eight_in_london_is_eight_utc(case_in, db):
    case_in(date(2026, 11, 2))
    assert sweep(now=utc(date(2026, 11, 4), 7, 59)).sent == 0
    assert sweep(now=utc(date(2026, 11, 4), 8, 0)).sent == 2


def test_a_reminder_of_an_earlier_day_goes_before_the_hour(case_in, db):
    # The server was down all of Wednesday 7 October: Thursday's first sweep, at 00:30 in
    # London, sends it.
    case_in(date(2026, 10, 5))
    assert sweep(now=utc(date(2026, 10, 7), 23, 30)).sent == 2


def test_the_send_hour_is_a_setting(case_in, db, app, monkeypatch):
    case_in(date(2026, 11, 2))
    monkeypatch.setitem(app.config, "REMINDER_SEND_HOUR", 10)
    assert sweep(now=utc(date(2026, 11, 4), 9, 59)).sent == 0
    assert sweep(now=utc(date(2026, 11, 4), 10, 0)).sent == 2


def test_reminders_run_with_today_sweeps_as_if_at_the_send_hour(case_in, db, app):
    case_in(date(2026, 10, 5))
    runner = app.test_cli_runner()
    # At 06:00 in London on Wednesday 7 October a plain run sends nothing yet...
    with time_machine.travel(utc(date(2026, 10, 7), 5), tick=False):
        early = runner.invoke(args=["reminders", "run"])
        assert "Sent 0 by e-mail and 0 to inboxes" in early.output, early.output
    # ...and `--today 2026-10-07` runs as if it were 08:00 that day, whatever the clock says.
    with time_machine.travel(utc(date(2026, 10, 6), 5), tick=False):
        result = runner.invoke(args=["reminders", "run", "--today", "2026-10-07"])
    assert result.exit_code == 0, result.output
    assert "Sent 1 by e-mail and 1 to inboxes" in result.output
