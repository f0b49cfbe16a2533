"""A meeting as iCalendar (RFC 5546): the invitation or cancellation e-mailed to each invited
person, and the event their calendar feed lists. One UID per meeting in both, so a calendar
that took the invitation updates the same entry when the feed or a later e-mail changes it."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import parseaddr

from flask import current_app
from icalendar import Calendar, Event, vCalAddress, vText

from workflows.meetings import MeetingStatus

from ..models import InvitationMethod, Meeting, User, utcnow
from ..reminders.mail import message_domain
from .describe import when, where


def case_link(meeting: Meeting) -> str:
    return f"{current_app.config['BASE_URL'].rstrip('/')}/cases/{meeting.case.reference}"


def event(meeting: Meeting, sequence: int, *, cancelled: bool = False) -> Event:
    """The meeting's VEVENT at ``sequence``."""
    item = Event()
    item.add("uid", meeting.uid)
    item.add("sequence", sequence)
    item.add("dtstamp", utcnow())
    item.add("dtstart", meeting.starts_at)
    item.add("dtend", meeting.ends_at)
    item.add("summary", f"{meeting.case.reference}: meeting on {meeting.case.title}")
    location = meeting.place or meeting.link
    if location:
        item.add("location", location)
    link = case_link(meeting)
    description = [meeting.agenda, f"Join online: {meeting.link}" if meeting.link else "", link]
    item.add("description", "\n\n".join(part for part in description if part))
    item.add("url", link)
    cancelled = cancelled or meeting.status is MeetingStatus.CANCELLED
    item.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    sender = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[1]
    organiser = vCalAddress(f"mailto:{sender}")
    organiser.params["cn"] = vText(meeting.organiser.name if meeting.organiser else "Compact Cases")
    item.add("organizer", organiser)
    for attendee in meeting.attendees:
        if attendee.user is None:
            continue
        address = vCalAddress(f"mailto:{attendee.user.email}")
        address.params["cn"] = vText(attendee.name)
        address.params["role"] = vText("REQ-PARTICIPANT")
        item.add("attendee", address, encode=0)
    return item


def calendar(meeting: Meeting, method: InvitationMethod, sequence: int) -> bytes:
    """The iCalendar object e-mailed: METHOD:REQUEST or METHOD:CANCEL."""
    cal = Calendar()
    cal.add("prodid", "-//Compact Cases//Meetings//EN")
    cal.add("version", "2.0")
    cal.add("method", method.value.upper())
    cal.add_component(event(meeting, sequence, cancelled=method is InvitationMethod.CANCEL))
    return cal.to_ical()


def subject(meeting: Meeting, method: InvitationMethod, sequence: int) -> str:
    what = f"{meeting.case.reference} meeting, {when(meeting)}"
    if method is InvitationMethod.CANCEL:
        return f"Cancelled: {what}"
    return f"{'Updated invitation' if sequence else 'Invitation'}: {what}"


def email(
    message_id: int, meeting: Meeting, recipient: User, method: InvitationMethod, sequence: int
) -> EmailMessage:
    """The e-mail to ``recipient``: a plain-text body and the .ics the calendar reads."""
    config = current_app.config
    message = EmailMessage()
    message["Subject"] = subject(meeting, method, sequence)
    message["From"] = config["MAIL_DEFAULT_SENDER"]
    message["To"] = f"{recipient.name} <{recipient.email}>"
    # From the outbox row alone, so a retry carries the same Message-ID.
    message["Message-ID"] = f"<meeting-message-{message_id}@{message_domain()}>"
    values = {
        "recipient": recipient,
        "meeting": meeting,
        "cancelled": method is InvitationMethod.CANCEL,
        "updated": sequence > 0,
        "when": when(meeting),
        "where": where(meeting),
        "link": case_link(meeting),
    }
    message.set_content(current_app.jinja_env.get_template("meetings/email.txt").render(values))
    message.add_attachment(
        calendar(meeting, method, sequence),
        maintype="text",
        subtype="calendar",
        filename="meeting.ics",
        params={"method": method.value.upper()},
    )
    return message
