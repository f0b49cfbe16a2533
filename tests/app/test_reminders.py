"""Reminders end to end: planned from a case's deadlines, swept and sent to a real SMTP server
on loopback and to the inbox, retried without duplicates, caught up after downtime; the inbox,
the calendar feed and the admins' list of failures. Time is moved, never slept."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from html import unescape

import pytest
import sqlalchemy as sa
import time_machine
from icalendar import Calendar

from compactcases.cases import deadlines as case_deadlines
from compactcases.cases import workflow
from compactcases.localtime import LONDON
from compactcases.models import CaseEvent, CaseEventKind, Reminder, ReminderChannel, ReminderStatus
from compactcases.reminders import jobs
from compactcases.reminders.sending import sweep
from tests.conftest import csrf_token
from workflows.dispute import EventRequest


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)


# Raised Monday 5 October 2026: acknowledge within 5 working days, by Monday 12 October.
# Its reminders: 3 working days before (Wednesday 7), on the day (12), then 19, 26 October...
RAISED = date(2026, 10, 5)
DUE = date(2026, 10, 12)


@pytest.fixture
def travel():
    """Move the clock: `travel(day, hour)` or `travel(minutes=n)` from where it stands."""
    traveller = coordinates = None

    def move(day: date | None = None, hour: int = 9, minutes: int = 0):
        nonlocal traveller, coordinates
        if day is not None:
            if traveller is not None:
                traveller.stop()
            traveller = time_machine.travel(at(day, hour), tick=False)
            coordinates = traveller.start()
        else:
            coordinates.shift(timedelta(minutes=minutes))

    class Mover:
        def __call__(self, day=None, hour=9, minutes=0):
            move(day, hour, minutes)

    yield Mover()
    if traveller is not None:
        traveller.stop()


@pytest.fixture
def case(travel, make_case):
    travel(RAISED)
    return make_case(raised_on=RAISED)


def reminders_of(db, status=None, channel=None):
    query = sa.select(Reminder).order_by(Reminder.send_on, Reminder.id)
    if status:
        query = query.where(Reminder.status == status)
    if channel:
        query = query.where(Reminder.channel == channel)
    db.session.expire_all()
    return list(db.session.scalars(query))


def test_a_new_case_plans_its_reminders_at_once(db, case, world):
    planned = reminders_of(db)
    assert {(r.offset_days, r.send_on, r.channel) for r in planned} == {
        (offset, day, channel)
        for offset, day in ((3, date(2026, 10, 7)), (0, DUE), (-5, date(2026, 10, 19)))
        for channel in ReminderChannel
    }
    assert {r.recipient_id for r in planned} == {world.officer.id}
    assert {r.status for r in planned} == {ReminderStatus.PLANNED}


def test_a_due_reminder_arrives_by_email_saying_which_case_deadline_and_when(
    db, case, smtp, travel, world
):
    travel(date(2026, 10, 6))
    assert sweep().sent == 0
    travel(date(2026, 10, 7))
    report = sweep()
    assert (report.sent_email, report.sent_inbox) == (1, 1)
    [message] = smtp.messages
    assert message["To"] == "Priya Shah <officer.bir@example.org>"
    assert message["Subject"] == (
        f"{case.reference}: Acknowledge the dispute, due 12 October 2026 (3 working days left)"
    )
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    link = f"http://compactcases.test/cases/{case.reference}"
    for body in (text, unescape(html)):
        assert case.title in body
        assert "Acknowledge the dispute" in body
        assert "12 October 2026 (3 working days left)" in body
        assert link in body
    assert f'<a href="{link}">' in html
    sent = reminders_of(db, ReminderStatus.SENT)
    assert [(r.offset_days, r.channel) for r in sent] == [
        (3, ReminderChannel.EMAIL),
        (3, ReminderChannel.INBOX),
    ] or {(r.offset_days, r.channel) for r in sent} == {
        (3, ReminderChannel.EMAIL),
        (3, ReminderChannel.INBOX),
    }
    timeline = db.session.scalars(
        sa.select(CaseEvent).where(CaseEvent.kind == CaseEventKind.REMINDER)
    ).all()
    assert len(timeline) == 1
    # Each person once, with every way it reached them.
    assert timeline[0].reason == (
        "Acknowledge the dispute, due 12 October 2026. Sent to Priya Shah (e-mail and in-app)."
    )


def test_a_sweep_run_twice_sends_nothing_new(db, case, smtp, travel):
    travel(date(2026, 10, 7))
    assert sweep().sent_email == 1
    again = sweep()
    assert (again.planned, again.sent) == (0, 0)
    assert len(smtp.messages) == 1


def test_a_refused_message_is_retried_after_a_back_off_and_sent_once(db, case, smtp, travel):
    smtp.refuse_next = 2
    travel(date(2026, 10, 7))
    first = sweep()
    assert (first.sent_email, first.retrying) == (0, 1)
    [row] = reminders_of(db, channel=ReminderChannel.EMAIL, status=ReminderStatus.PLANNED)[:1]
    assert row.attempts == 1 and "451" in row.last_error
    assert sweep().sent_email == 0  # too soon: waits a minute
    travel(minutes=2)
    assert sweep().retrying == 1  # refused again: now waits 5 minutes
    travel(minutes=4)
    assert sweep().sent_email == 0
    travel(minutes=2)
    assert sweep().sent_email == 1
    travel(minutes=60)
    assert sweep().sent == 0
    assert smtp.refused == 2
    assert len(smtp.messages) == 1
    sent = reminders_of(db, ReminderStatus.SENT, ReminderChannel.EMAIL)
    assert [(r.offset_days, r.attempts) for r in sent] == [(3, 2)]


def test_with_the_mail_server_down_a_reminder_fails_after_five_attempts_and_admins_see_it(
    db, case, smtp, travel, anonymous, world
):
    smtp.controller.stop()
    travel(date(2026, 10, 7))
    for wait in (0, 2, 6, 16, 61):
        travel(minutes=wait)
        sweep()
    [failed] = reminders_of(db, ReminderStatus.FAILED)
    assert failed.attempts == 5 and failed.channel is ReminderChannel.EMAIL
    # The inbox copy does not depend on the mail server.
    assert len(reminders_of(db, ReminderStatus.SENT, ReminderChannel.INBOX)) == 1
    anonymous.sign_in(world.admin)
    page = anonymous.get("/admin/reminders").get_data(as_text=True)
    assert case.reference in page and "Priya Shah" in page
    response = anonymous.post(
        f"/admin/reminders/{failed.id}/retry", data={"csrf_token": csrf_token(page)}
    )
    assert response.status_code == 302
    assert reminders_of(db, ReminderStatus.FAILED) == []


def test_after_three_days_down_each_missed_reminder_is_sent_once(db, case, smtp, travel):
    travel(date(2026, 10, 6))
    sweep()
    # Down from Tuesday morning to Friday morning: the reminder of Wednesday was never sent.
    travel(date(2026, 10, 9))
    report = sweep()
    assert report.sent_email == 1
    assert sweep().sent == 0
    [message] = smtp.messages
    assert "1 working day left" in message["Subject"]
    # And a longer outage over two reminders sends each once.
    travel(date(2026, 10, 20))
    report = sweep()
    assert report.sent_email == 2  # the due day's and the first overdue repeat
    assert len(smtp.messages) == 3


def test_a_long_overdue_deadline_sends_only_the_latest_missed_repeat(db, case, smtp, travel):
    travel(date(2026, 10, 7))
    sweep()
    travel(DUE)
    sweep()
    # Nothing ran for three weeks: repeats fell due on 19 and 26 October and 2 November.
    travel(date(2026, 11, 3))
    report = sweep()
    assert report.sent_email == 1
    assert "16 working days overdue" in smtp.messages[-1]["Subject"]
    email = {r.offset_days: r.status for r in reminders_of(db, channel=ReminderChannel.EMAIL)}
    assert email == {
        3: ReminderStatus.SENT,
        0: ReminderStatus.SENT,
        -5: ReminderStatus.CANCELLED,
        -15: ReminderStatus.SENT,
        -20: ReminderStatus.PLANNED,
    }


def test_meeting_the_deadline_cancels_its_unsent_reminders(db, case, world, travel):
    travel(date(2026, 10, 6))
    workflow.fire_event(
        case, "start_conciliation", EventRequest(today=date(2026, 10, 6)), world.officer
    )
    by_status = {}
    for r in reminders_of(db):
        by_status.setdefault(r.deadline_id, set()).add(r.status)
    acknowledge, conciliation = sorted(by_status)
    assert by_status[acknowledge] == {ReminderStatus.CANCELLED}
    assert by_status[conciliation] == {ReminderStatus.PLANNED}


def test_an_extension_moves_the_unsent_reminders(db, case, world, travel):
    travel(date(2026, 10, 7))
    sweep()
    deadline = case.deadlines[0]
    case_deadlines.extend_deadline(case, deadline.id, 5, "Agreed", world.officer, date(2026, 10, 7))
    email = {
        r.offset_days: (r.send_on, r.status)
        for r in reminders_of(db, channel=ReminderChannel.EMAIL)
    }
    # Now due Monday 19 October: the 3-day reminder was sent and is not sent again.
    assert email[3] == (date(2026, 10, 7), ReminderStatus.SENT)
    assert email[0] == (date(2026, 10, 19), ReminderStatus.PLANNED)
    assert email[-5] == (date(2026, 10, 26), ReminderStatus.PLANNED)


def test_no_reminder_goes_out_while_the_clock_is_stopped(db, case, world, smtp, travel):
    travel(date(2026, 10, 6))
    case_deadlines.pause_clock(
        case, date(2026, 10, 6), "Waiting for the council", world.officer, date(2026, 10, 6)
    )
    travel(date(2026, 10, 8))
    assert sweep().sent == 0
    case_deadlines.resume_clock(
        case, date(2026, 10, 8), "Council replied", world.officer, date(2026, 10, 8)
    )
    email = {r.offset_days: r.send_on for r in reminders_of(db, channel=ReminderChannel.EMAIL)}
    assert email[0] > DUE


def test_the_mediator_is_reminded_once_the_case_is_escalated(db, case, world, travel):
    travel(date(2026, 10, 6))
    workflow.fire_event(
        case,
        "escalate",
        EventRequest(today=date(2026, 10, 6), reason="Host is a party"),
        world.officer,
    )
    mediation = {r.recipient_id for r in reminders_of(db, ReminderStatus.PLANNED)}
    assert mediation == {world.officer.id, world.mediator.id}


def test_the_inbox_lists_reminders_with_an_unread_count_and_marks_them_read(
    db, case, browser, travel, world
):
    travel(date(2026, 10, 7))
    sweep()
    travel(DUE)
    sweep()
    browser.sign_in(world.officer, stay=True)
    page = browser.get("/cases").get_data(as_text=True)
    assert 'id="unread-count">2<' in page
    inbox = browser.get("/inbox").get_data(as_text=True)
    assert "2 unread reminders" in inbox
    assert "(Due today)" in inbox and "(3 working days left)" in inbox
    first, _ = reminders_of(db, ReminderStatus.SENT, ReminderChannel.INBOX)
    token = csrf_token(inbox)
    assert browser.post(f"/inbox/{first.id}/read", data={"csrf_token": token}).status_code == 302
    inbox = browser.get("/inbox").get_data(as_text=True)
    assert "1 unread reminder" in inbox
    assert browser.post("/inbox/read-all", data={"csrf_token": token}).status_code == 302
    page = browser.get("/inbox").get_data(as_text=True)
    assert "No unread reminders" in page and 'id="unread-count"' not in page


def test_the_case_page_lists_each_deadlines_reminders(db, case, browser, travel):
    travel(date(2026, 10, 7))
    sweep()
    page = browser.get(f"/cases/{case.reference}").get_data(as_text=True)
    assert "Reminders for “Acknowledge the dispute”" in page
    assert "3 working days before" in page and "5 working days overdue" in page
    assert "Sent" in page and "Planned" in page


def test_the_calendar_feed_lists_open_deadlines_as_all_day_events_with_alarms(
    db, case, browser, anonymous, travel
):
    page = browser.get("/calendar").get_data(as_text=True)
    assert browser.post("/calendar", data={"csrf_token": csrf_token(page)}).status_code == 302
    page = browser.get("/calendar").get_data(as_text=True)
    address = page.split('id="feed-address" type="text" value="')[1].split('"')[0]
    path = address.removeprefix("http://localhost")
    assert path.startswith("/calendar/") and path.endswith(".ics")

    outsider = anonymous.__class__(anonymous.app, anonymous.app.test_client())
    response = outsider.get(path)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    [event] = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == DUE
    assert "DTSTART;VALUE=DATE:20261012" in response.get_data(as_text=True)
    assert str(event["summary"]) == f"{case.reference}: Acknowledge the dispute"
    alarms = event.walk("VALARM")
    assert len(alarms) == 3 and all(str(a["action"]) == "DISPLAY" for a in alarms)

    page = browser.get("/calendar").get_data(as_text=True)
    browser.post("/calendar/revoke", data={"csrf_token": csrf_token(page)})
    assert outsider.get(path).status_code == 404


def test_reminders_run_sweeps_once_as_of_the_date_given(app, db, case, smtp):
    result = app.test_cli_runner().invoke(args=["reminders", "run", "--today", "2026-10-07"])
    assert result.exit_code == 0, result.output
    assert "Sent 1 by e-mail and 1 to inboxes" in result.output
    assert len(smtp.messages) == 1


def test_without_a_mail_server_email_goes_to_the_log(db, case, travel, caplog):
    travel(date(2026, 10, 7))
    with caplog.at_level("INFO", logger="compactcases.mail"):
        assert sweep().sent_email == 1
    assert "officer.bir@example.org" in caplog.text


def test_the_scheduler_sweeps_at_start_up_then_every_few_minutes(app, monkeypatch):
    assert not jobs.serving() or app.testing
    monkeypatch.setattr(jobs, "run_sweep", lambda app: None)
    scheduler = jobs.start_scheduler(app)
    try:
        [job] = scheduler.get_jobs()
        assert job.trigger.interval == timedelta(minutes=app.config["REMINDER_SWEEP_MINUTES"])
        assert job.coalesce and job.max_instances == 1
    finally:
        scheduler.shutdown(wait=False)
        app.extensions.pop("reminder_scheduler", None)


def test_demo_data_and_one_sweep_fill_the_demo_officers_inbox(db):
    from compactcases.demo import seed
    from compactcases.models import User
    from compactcases.reminders.inbox import unread_count

    seed()
    sweep()
    officer = db.session.scalar(sa.select(User).where(User.email == "officer.bir@example.org"))
    assert unread_count(officer) > 0


def test_a_script_that_builds_the_app_starts_no_scheduler():
    from compactcases import create_app
    from compactcases.config import DevelopmentConfig

    class Config(DevelopmentConfig):
        SQLALCHEMY_DATABASE_URI = "sqlite://"
        SCHEDULER_ENABLED = True

    built = create_app(Config)
    assert not jobs.serving()
    assert "reminder_scheduler" not in built.extensions


def test_reminders_serve_sweeps_at_start_up_until_stopped(app, monkeypatch):
    import threading

    swept = threading.Event()
    monkeypatch.setattr(jobs, "run_sweep", lambda app: swept.set())
    monkeypatch.setitem(app.config, "TESTING", False)
    stop = threading.Event()
    runner = threading.Thread(target=jobs.serve_forever, args=(app, stop), daemon=True)
    # Signal handlers can only be set from the main thread: the command runs there.
    monkeypatch.setattr(jobs.signal, "signal", lambda *args: None)
    runner.start()
    try:
        assert swept.wait(10), "no sweep at start-up"
    finally:
        stop.set()
        runner.join(10)
        app.extensions.pop("reminder_scheduler", None)
    assert not runner.is_alive()


def test_each_email_carries_a_message_id_from_its_reminder_row_identical_on_a_retry(
    db, case, smtp, travel
):
    # The server keeps the message but dies before acknowledging it: the sweep cannot know it
    # arrived, so it sends it again, and the two copies share one Message-ID.
    smtp.drop_after_keeping_next = 1
    travel(date(2026, 10, 7))
    assert sweep().retrying == 1
    travel(minutes=2)
    assert sweep().sent_email == 1
    [row] = reminders_of(db, ReminderStatus.SENT, ReminderChannel.EMAIL)
    first, retry = smtp.messages
    assert first["Message-ID"] == retry["Message-ID"] == f"<reminder-{row.id}@compactcases.test>"
    # Another reminder row has another Message-ID.
    travel(date(2026, 10, 12))
    assert sweep().sent_email == 1
    assert smtp.messages[-1]["Message-ID"] != first["Message-ID"]
