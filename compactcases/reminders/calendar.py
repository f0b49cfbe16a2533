"""A user's open deadlines as an iCalendar (RFC 5545) feed: all-day events with alarms; and
the meetings they are invited to, with the UID of their e-mailed invitations."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from flask import current_app
from icalendar import Alarm, Calendar, Event

from workflows import reminders as reminder_rules
from workflows.periods import format_date
from workflows.self_assessment import year_label

from ..meetings import invitations
from ..models import Deadline, Meeting, User, utcnow
from .ladders import ladders_by_deadline


def feed(user: User, deadlines: list[Deadline], meetings: Sequence[Meeting] = ()) -> bytes:
    """The calendar for ``user``: one all-day event per open deadline, on its due date, with
    an alarm for each reminder before it (the same offsets as the e-mail reminders)."""
    base = current_app.config["BASE_URL"].rstrip("/")
    settings = reminder_rules.ReminderOffsets.parse(
        current_app.config["REMINDER_OFFSETS"], current_app.config["REMINDER_OVERDUE_EVERY"]
    )
    calendar = Calendar()
    calendar.add("prodid", "-//Compact Cases//Deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"Compact Cases deadlines: {user.name}")
    stamp = utcnow()
    # A funding agreement's window is reminded on its Compact's ladder, in calendar days.
    ladders = ladders_by_deadline(d.id for d in deadlines if d.agreement_id)
    for deadline in deadlines:
        if deadline.case is not None:
            title = f"{deadline.case.reference}: {deadline.kind.label}"
            about = deadline.case.title
            url = f"{base}/cases/{deadline.case.reference}"
        elif deadline.self_assessment is not None:
            filed = deadline.self_assessment
            title = f"{filed.compact.name}: {deadline.kind.label}"
            about = f"The Compact's self-assessment for {year_label(filed.year)}"
            url = f"{base}/self-assessments/{filed.year}/{filed.compact.code}"
        elif deadline.agreement is not None:
            title = f"Agreement {deadline.agreement.funder_reference}: last day to give notice"
            about = deadline.agreement.title
            url = f"{base}/funding-agreements/{deadline.agreement.id}"
        else:
            title = f"Notice: {deadline.kind.label}"
            about = deadline.notice.title
            url = f"{base}/notices/{deadline.notice.id}"
        event = Event()
        event.add("uid", f"deadline-{deadline.id}@compactcases")
        event.add("dtstamp", stamp)
        event.add("dtstart", deadline.due_on)
        event.add("dtend", deadline.due_on + timedelta(days=1))
        event.add("summary", title)
        event.add("description", f"{about}\n{deadline.kind.label}, due this day.\n{url}")
        event.add("url", url)
        event.add("transp", "TRANSPARENT")
        for offset in sorted(set(ladders.get(deadline.id, settings.before)), reverse=True):
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"{title}: due {format_date(deadline.due_on)}")
            days = (
                offset
                if deadline.agreement_id
                else (deadline.due_on - reminder_rules.fires_on(deadline.due_on, offset)).days
            )
            # At 9 in the morning of the reminder's day.
            alarm.add("trigger", timedelta(days=-days, hours=9))
            event.add_component(alarm)
        calendar.add_component(event)
    for meeting in meetings:
        calendar.add_component(invitations.event(meeting, meeting.sequence))
    return calendar.to_ical()
