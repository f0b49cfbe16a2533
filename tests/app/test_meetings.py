"""Meetings on a case, end to end: arranged on its page, invitations e-mailed by the sweep to a
real SMTP server once each with an iCalendar REQUEST (the same UID, a growing SEQUENCE, then a
CANCEL), recorded afterwards with actions that become reminded deadlines, dated on the timeline
by when they happened, and listed in the calendar feed. Time is moved, never slept."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa
from icalendar import Calendar

from compactcases.localtime import LONDON
from compactcases.meetings import services as meetings
from compactcases.models import (
    CaseEvent,
    CaseEventKind,
    Deadline,
    Meeting,
    MeetingMessage,
    Reminder,
    ReminderChannel,
    ReminderStatus,
)
from compactcases.reminders.sending import sweep
from tests.app.test_case_pages import field_error, text
from tests.app.test_reminders import travel  # noqa: F401  (a fixture)
from tests.conftest import csrf_token
from workflows.deadlines import DeadlineKind

RAISED = date(2026, 10, 5)
TODAY = date(2026, 12, 1)  # a Tuesday
MEETING_DAY = date(2026, 12, 8)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


@pytest.fixture
def case(travel, make_case):  # noqa: F811
    travel(RAISED)
    made = make_case(raised_on=RAISED)
    travel(TODAY)
    return made


def _draft(world, **changes) -> meetings.MeetingDraft:
    values = dict(
        starts_at=at(MEETING_DAY, 10),
        ends_at=at(MEETING_DAY, 11, 30),
        place="Council House, Victoria Square",
        link="",
        agenda="1. The notice given\n2. What the project needs",
        user_ids=(world.officer.id, world.funder.id),
        guests=("Sam Patel (Sparkbrook Youth Project)",),
    )
    values.update(changes)
    return meetings.MeetingDraft(**values)


@pytest.fixture
def mail(case, smtp):
    """The SMTP server, once the reminders the case already owes are out of the way."""
    sweep()
    smtp.received.clear()
    return smtp


def invites(smtp) -> list:
    """The meeting e-mails received: those carrying an iCalendar part."""
    return [
        m
        for m in smtp.messages
        if any(p.get_content_type() == "text/calendar" for p in m.iter_attachments())
    ]


def _schedule(case, world) -> Meeting:
    return meetings.schedule_meeting(case, _draft(world), world.officer, at(TODAY, 9))


def _form(world, day: date = MEETING_DAY, start="10:00", end="11:30", **extra) -> dict:
    data = {
        "starts_on": [str(day.day), str(day.month), str(day.year)],
        "start_time": start,
        "end_time": end,
        "place": "Council House, Victoria Square",
        "link": "",
        "attendees": [str(world.officer.id), str(world.funder.id)],
        "guests": "Sam Patel",
        "agenda": "The notice given",
    }
    data.update(extra)
    return data


def _invitation(message):
    [part] = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    calendar = Calendar.from_ical(part.get_content())
    [event] = calendar.walk("VEVENT")
    return calendar, event


def _count(db, model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_arranging_a_meeting_emails_each_invited_account_once_with_an_ics_request(
    db, case, browser, world, mail
):
    page = f"/cases/{case.reference}/meetings/new"
    response = browser.submit(page, page, _form(world))
    assert response.status_code == 302
    assert sweep().sent_invitations == 2
    assert sweep().sent_invitations == 0  # a second sweep sends nothing
    assert sorted(m["To"] for m in invites(mail)) == [
        "Andrew Collins <funder.bcc@example.org>",
        "Priya Shah <officer.bir@example.org>",
    ]
    message = invites(mail)[0]
    assert message["Subject"].strip().startswith(f"Invitation: {case.reference} meeting, Tuesday 8")
    calendar, event = _invitation(message)
    assert str(calendar["method"]) == "REQUEST"
    assert event["sequence"] == 0
    assert event.decoded("dtstart") == at(MEETING_DAY, 10)
    assert event.decoded("dtend") == at(MEETING_DAY, 11, 30)
    assert str(event["location"]) == "Council House, Victoria Square"
    assert {str(a) for a in event.get("attendee")} == {
        "mailto:officer.bir@example.org",
        "mailto:funder.bcc@example.org",
    }
    meeting = db.session.scalar(sa.select(Meeting))
    assert str(event["uid"]) == meeting.uid
    shown = text(browser.get(f"/cases/{case.reference}"))
    assert "Coming up Tuesday 8 December 2026, 10:00 to 11:30" in shown
    assert "Meeting scheduled" in shown


def test_a_change_keeps_the_uid_with_a_higher_sequence_and_a_cancellation_says_cancel(
    db,
    case,
    world,
    mail,
    travel,  # noqa: F811
):
    meeting = _schedule(case, world)
    uid = meeting.uid
    sweep()
    travel(TODAY, hour=10)
    meetings.change_meeting(
        meeting,
        _draft(world, starts_at=at(MEETING_DAY, 14), ends_at=at(MEETING_DAY, 15)),
        meeting.version,
        world.officer,
        at(TODAY, 10),
    )
    assert sweep().sent_invitations == 2
    update = [m for m in invites(mail) if m["Subject"].strip().startswith("Updated invitation")]
    assert len(update) == 2
    calendar, event = _invitation(update[0])
    assert (str(calendar["method"]), str(event["uid"]), event["sequence"]) == ("REQUEST", uid, 1)
    assert event.decoded("dtstart") == at(MEETING_DAY, 14)

    meetings.cancel_meeting(
        meeting, "Settled by phone", meeting.version, world.officer, at(TODAY, 11)
    )
    assert sweep().sent_invitations == 2
    assert sweep().sent_invitations == 0
    cancelled = [m for m in invites(mail) if m["Subject"].strip().startswith("Cancelled")]
    calendar, event = _invitation(cancelled[0])
    assert (str(calendar["method"]), str(event["uid"]), event["sequence"]) == ("CANCEL", uid, 2)
    assert str(event["status"]) == "CANCELLED"
    assert len(invites(mail)) == 6


def test_someone_taken_off_the_list_is_sent_a_cancellation(db, case, world, mail):
    meeting = _schedule(case, world)
    meetings.change_meeting(
        meeting, _draft(world, user_ids=(world.officer.id,)), None, world.officer, at(TODAY, 9)
    )
    assert sweep().sent_invitations == 2
    # Planned before the first sweep, the first invitations gave way to the latest ones.
    sent = {(m["To"].split("<")[1][:-1], _invitation(m)[0]["method"]) for m in invites(mail)}
    assert sent == {("officer.bir@example.org", "REQUEST"), ("funder.bcc@example.org", "CANCEL")}


def test_a_refused_invitation_is_retried_and_sent_once(db, case, world, mail, travel):  # noqa: F811
    _schedule(case, world)
    mail.refuse_next = 1
    first = sweep()
    assert (first.sent_invitations, first.retrying) == (1, 1)
    travel(TODAY, hour=9)
    travel(minutes=2)
    assert sweep().sent_invitations == 1
    assert sweep().sent_invitations == 0
    assert len(invites(mail)) == 2
    statuses = db.session.scalars(sa.select(MeetingMessage.status)).all()
    assert set(statuses) == {ReminderStatus.SENT}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"starts_on": ["30", "11", "2026"]}, "starts_on", "The meeting must start in the future"),
        ({"end_time": "09:30"}, "end_time", "The meeting must end after it starts"),
        ({"attendees": [], "guests": ""}, "attendees", "Choose at least one person to invite"),
        ({"link": "meet.example.org/x"}, "link", "Enter the link as a web address"),
        ({"start_time": "25:00"}, "start_time", "Enter a time like 10:00 or 14:30"),
    ],
)
def test_bad_meeting_details_are_refused_beside_the_field_and_nothing_is_saved(
    db, case, browser, world, changes, field, message
):
    page = f"/cases/{case.reference}/meetings/new"
    response = browser.submit(page, page, _form(world, **changes))
    assert response.status_code == 422
    assert message in (field_error(response, field) or "")
    assert "Council House, Victoria Square" in response.get_data(as_text=True)
    assert _count(db, Meeting) == 0 and _count(db, MeetingMessage) == 0


def test_a_stale_reschedule_is_refused_with_409_and_changes_nothing(db, case, browser, world):
    meeting = _schedule(case, world)
    page = f"/cases/{case.reference}/meetings/{meeting.id}/edit"
    form = browser.get(page).get_data(as_text=True)
    meetings.change_meeting(
        meeting, _draft(world, place="Room 2"), meeting.version, world.officer, at(TODAY, 9)
    )
    data = {**_form(world, place="Room 9"), "version": "1", "csrf_token": csrf_token(form)}
    response = browser.post(page, data=data)
    assert response.status_code == 409
    assert "Someone else changed this meeting first" in text(response)
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).place == "Room 2"


def test_pressing_arrange_twice_arranges_one_meeting_and_says_so(db, case, browser, world, mail):
    page = f"/cases/{case.reference}/meetings/new"
    form = browser.get(page).get_data(as_text=True)
    version = re.search(r'name="version"[^>]*value="([0-9]+)"', form).group(1)
    data = {**_form(world), "version": version, "csrf_token": csrf_token(form)}
    assert browser.post(page, data=data).status_code == 302
    again = browser.post(page, data=data)
    assert again.status_code == 409
    assert "The case changed while you were arranging the meeting" in text(again)
    assert "the first press arranged it" in text(again)
    assert _count(db, Meeting) == 1
    assert sweep().sent_invitations == 2


def _record(browser, case, meeting, **data):
    page = f"/cases/{case.reference}/meetings/{meeting.id}/record"
    return browser.submit(page, page, {"note": "Both sides agreed a phased reduction.", **data})


def test_a_meeting_cannot_be_recorded_before_it_happens(db, case, browser, world):
    meeting = _schedule(case, world)
    response = _record(browser, case, meeting)
    assert response.status_code == 422
    assert "has not happened yet" in field_error(response, "note")
    assert db.session.get(Meeting, meeting.id).status.value == "scheduled"


def test_a_recorded_meeting_is_dated_when_it_happened_and_its_action_becomes_a_deadline(
    db,
    case,
    browser,
    world,
    travel,  # noqa: F811
):
    meeting = _schedule(case, world)
    travel(date(2026, 12, 10), hour=15)
    browser.sign_in(world.officer)
    # A note typed first, about today; the meeting two days ago is recorded after it.
    browser.submit(
        f"/cases/{case.reference}",
        f"/cases/{case.reference}/notes",
        {"kind": "note", "text": "Called the council", "private": "y"},
    )
    officer_attendee = next(a for a in meeting.attendees if a.user_id == world.officer.id)
    past_due = _record(
        browser,
        case,
        meeting,
        attended=[str(officer_attendee.id)],
        action_1="Send the revised notice",
        action_1_due_on=["9", "12", "2026"],
    )
    assert past_due.status_code == 422
    assert "cannot be due in the past" in field_error(past_due, "action_1_due_on")
    response = _record(
        browser,
        case,
        meeting,
        attended=[str(officer_attendee.id)],
        action_1="Send the revised notice",
        action_1_owner=str(world.funder.id),
        action_1_due_on=["17", "12", "2026"],
    )
    assert response.status_code == 302
    [deadline] = db.session.scalars(
        sa.select(Deadline).where(Deadline.kind == DeadlineKind.MEETING_ACTION)
    ).all()
    assert deadline.due_on == date(2026, 12, 17) and deadline.case_id == case.id
    entries = db.session.execute(
        sa.select(CaseEvent.kind, CaseEvent.occurred_at)
        .where(CaseEvent.case_id == case.id)
        .order_by(CaseEvent.occurred_at.desc(), CaseEvent.id.desc())
    ).all()
    assert [k for k, _ in entries[:2]] == [CaseEventKind.NOTE, CaseEventKind.MEETING]
    assert entries[1].occurred_at == at(MEETING_DAY, 10)
    shown = text(browser.get(f"/cases/{case.reference}"))
    assert "Meeting action" in shown
    assert "Action 1: Send the revised notice (Andrew Collins), due 17 December 2026." in shown
    assert "Past and cancelled Tuesday 8 December 2026, 10:00 to 11:30 Held" in shown


def test_a_meeting_action_deadline_is_reminded_once(db, case, world, smtp, travel):  # noqa: F811
    meeting = _schedule(case, world)
    travel(date(2026, 12, 10), hour=15)
    meetings.record_meeting(
        meeting,
        meetings.MeetingRecord(
            attended=(),
            note="Agreed a phased reduction.",
            actions=(
                meetings.ActionDraft(
                    "Send the revised notice", None, "The council", date(2026, 12, 17)
                ),
            ),
        ),
        meeting.version,
        world.officer,
        at(date(2026, 12, 10), 15),
        date(2026, 12, 10),
    )
    sweep()
    smtp.received.clear()
    for day, left in (
        (date(2026, 12, 14), "3 days left"),
        (date(2026, 12, 17), "Due today"),
    ):
        travel(day, hour=9)
        sweep()
        sweep()
        about_action = [m for m in smtp.messages if "Meeting action" in m["Subject"]]
        assert [m["Subject"].strip() for m in about_action] == [
            f"{case.reference}: Meeting action, due 17 December 2026 ({left})"
        ]
        assert about_action[0]["To"] == "Priya Shah <officer.bir@example.org>"
        smtp.received.clear()
    sent = db.session.scalars(
        sa.select(Reminder.offset_days)
        .join(Deadline, Deadline.id == Reminder.deadline_id)
        .where(
            Deadline.kind == DeadlineKind.MEETING_ACTION,
            Reminder.status == ReminderStatus.SENT,
            Reminder.channel == ReminderChannel.EMAIL,
        )
    ).all()
    assert sorted(sent) == [0, 3]


def test_an_invited_persons_calendar_feed_lists_the_meeting_with_its_uid(
    db, case, world, anonymous
):
    from compactcases.reminders import feeds

    meeting = _schedule(case, world)
    token = feeds.new_feed(world.funder).token
    response = anonymous.get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    [event] = Calendar.from_ical(response.data).walk("VEVENT")
    assert str(event["uid"]) == meeting.uid
    assert event.decoded("dtstart") == at(MEETING_DAY, 10)
    assert str(event["summary"]).startswith(f"{case.reference}: meeting")


@pytest.mark.parametrize(
    ("day", "status"),
    [
        (TODAY, 302),
        (date(2026, 11, 20), 302),
        (TODAY + timedelta(days=1), 422),
        (RAISED - timedelta(days=1), 422),
    ],
)
def test_a_note_may_be_dated_by_the_day_of_the_call_never_the_future_nor_before_raised(
    db, case, browser, day, status
):
    data = {
        "kind": "note",
        "text": "Phoned the council's grants team",
        "occurred_on": [str(day.day), str(day.month), str(day.year)],
    }
    response = browser.submit(f"/cases/{case.reference}", f"/cases/{case.reference}/notes", data)
    assert response.status_code == status
    notes = db.session.scalars(
        sa.select(CaseEvent).where(CaseEvent.kind == CaseEventKind.NOTE)
    ).all()
    if status == 422:
        assert notes == []
        assert "date of the call" in field_error(response, "occurred_on")
        assert "Phoned the council's grants team" in text(response)
    else:
        [note] = notes
        expected = at(day, 12) if day != TODAY else at(TODAY, 9)
        assert note.occurred_at == expected


def test_files_recorded_with_a_meeting_become_private_case_documents_linked_to_it(
    db,
    case,
    browser,
    world,
    travel,  # noqa: F811
):
    from io import BytesIO

    from compactcases.models import Document

    meeting = _schedule(case, world)
    travel(date(2026, 12, 10), hour=15)
    browser.sign_in(world.officer)
    spoofed = _record(
        browser,
        case,
        meeting,
        documents=[(BytesIO(b"MZ\x90\x00\x03" + b"\x00" * 60), "minutes.pdf")],
    )
    assert spoofed.status_code == 422
    assert "not a file of a kind allowed" in field_error(spoofed, "documents")
    assert _count(db, Document) == 0
    assert db.session.get(Meeting, meeting.id).status.value == "scheduled"

    notes = b"Meeting of 8 December 2026\nPresent: Priya Shah, Andrew Collins\n"
    response = _record(browser, case, meeting, documents=[(BytesIO(notes), "minutes.txt")])
    assert response.status_code == 302
    db.session.expire_all()
    [document] = db.session.get(Meeting, meeting.id).documents
    assert (document.filename, document.case_id, document.visibility.value) == (
        "minutes.txt",
        case.id,
        "private",
    )
    page = browser.get(f"/cases/{case.reference}/meetings/{meeting.id}")
    assert f"/documents/{document.id}/download" in page.get_data(as_text=True)
    assert browser.get(f"/documents/{document.id}/download").data == notes


def test_the_api_arranges_and_lists_meetings_with_the_pages_refusals(
    db, case, world, app, make_case
):
    from tests.app.test_api import bearer, token_for

    api = app.test_client()
    officer = bearer(token_for(api, world.officer))
    url = f"/api/v1/cases/{case.reference}/meetings"
    body = {
        "starts_at": "2026-12-08T10:00:00+00:00",
        "ends_at": "2026-12-08T11:00:00+00:00",
        "link": "https://meet.example.org/bir-1",
        "attendee_ids": [world.funder.id],
        "guests": ["Sam Patel"],
    }
    made = api.post(url, json=body, headers=officer)
    assert made.status_code == 201, made.json
    assert made.json["status"] == "scheduled" and made.json["sequence"] == 0
    assert [a["name"] for a in made.json["attendees"]] == ["Andrew Collins", "Sam Patel"]

    late = api.post(
        url,
        json={**body, "starts_at": "2026-11-30T10:00:00+00:00", "attendee_ids": []},
        headers=officer,
    )
    assert late.status_code == 422
    assert late.json["errors"]["starts_at"] == ["The meeting must start in the future"]

    funder = bearer(token_for(api, world.funder))
    assert api.post(url, json=body, headers=funder).status_code == 403
    listed = api.get(url, headers=funder)
    assert listed.status_code == 200
    assert [m["uid"] for m in listed.json["items"]] == [made.json["uid"]]
    elsewhere = make_case(
        compact_id=world.war.id, funder_id=world.wcc.id, third_sector_id=world.rugby_cvs.id
    )
    outside = api.get(f"/api/v1/cases/{elsewhere.reference}/meetings", headers=officer)
    assert outside.status_code == 404
    assert _count(db, Meeting) == 1


def test_a_meeting_actions_deadline_is_cancelled_when_the_case_is_withdrawn(db, case, world):
    from compactcases.cases import workflow
    from workflows.deadlines import DeadlineStatus
    from workflows.dispute import EventRequest

    meeting = meetings.schedule_meeting(
        case,
        _draft(world, starts_at=at(TODAY, 10), ends_at=at(TODAY, 11)),
        world.officer,
        at(TODAY, 9, 30) - timedelta(days=1),
    )
    meetings.record_meeting(
        meeting,
        meetings.MeetingRecord(
            (), "Agreed", (meetings.ActionDraft("Write", None, "", date(2026, 12, 20)),)
        ),
        meeting.version,
        world.officer,
        at(TODAY, 12),
        TODAY,
    )
    workflow.fire_event(
        case, "withdraw", EventRequest(today=TODAY, reason="Settled"), world.officer
    )
    [action] = db.session.scalars(
        sa.select(Deadline).where(Deadline.kind == DeadlineKind.MEETING_ACTION)
    ).all()
    assert (action.status, action.closed_on) == (DeadlineStatus.CANCELLED, TODAY)
    unsent = db.session.scalars(
        sa.select(Reminder.status).where(Reminder.deadline_id == action.id)
    ).all()
    assert unsent and set(unsent) == {ReminderStatus.CANCELLED}
