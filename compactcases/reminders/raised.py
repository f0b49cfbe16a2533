"""What a concern raised online says: the Compact officers' message and the raiser's receipt,
sent as case updates by the reminder sweep (`moves.send_due`)."""

from __future__ import annotations

from datetime import date

from markupsafe import escape

from workflows import dispute
from workflows.deadlines import DeadlineStatus
from workflows.periods import Period, format_date

from ..models import Case, CaseEvent, CaseEventKind, CaseUpdate, Role
from .mail import ReminderMessage, case_link


def raised_online(entry: CaseEvent) -> bool:
    """Whether `entry` is the first entry of a case an organisation's user raised."""
    return (
        entry.kind is CaseEventKind.CREATED
        and entry.actor is not None
        and entry.actor.role is Role.ORGANISATION
    )


def acknowledgement_due(case: Case) -> tuple[str, date] | None:
    """The acknowledge deadline's period in words and its due date, while it is open."""
    kind = dispute.on_create()
    for deadline in case.deadlines:
        if deadline.kind is kind and deadline.status is DeadlineStatus.OPEN:
            return Period(deadline.period_count, deadline.period_unit).describe(), deadline.due_on
    return None


def describe_raised(update: CaseUpdate) -> ReminderMessage:
    """The officer's message about a concern raised online, or the raiser's receipt."""
    entry = update.case_event
    case = entry.case
    link = case_link(case.reference)
    organisation, funder = case.third_sector.name, case.funder.name
    if update.recipient_id == entry.actor_id:
        due = acknowledgement_due(case)
        promise = (
            f"The Compact officer will acknowledge your concern within {due[0]}, by "
            f"{format_date(due[1])}, and tell you what happens next."
            if due
            else "The Compact officer will acknowledge your concern and tell you what happens next."
        )
        subject = f"We have received your concern: reference {case.reference}"
        text = (
            f"We have received your concern about {funder}.\n\n"
            f"Your reference is {case.reference}.\n\n"
            f"What happens next: {promise}\n\n"
            f"You can follow your case at {link}\n"
        )
        html = (
            f"<p>We have received your concern about {escape(funder)}.</p>"
            f"<p>Your reference is <strong>{escape(case.reference)}</strong>.</p>"
            f"<h2>What happens next</h2><p>{escape(promise)}</p>"
            f'<p><a href="{escape(link)}">Follow your case</a></p>'
        )
    else:
        subject = f"Concern raised: {case.reference}, {organisation} against {funder}"
        text = (
            f"A concern was raised online by {organisation} against {funder}.\n\n"
            f"Reference: {case.reference}\nTitle: {case.title}\n\n"
            f"Please acknowledge it. Read it at {link}\n"
        )
        html = (
            f"<p>A concern was raised online by {escape(organisation)} against "
            f"{escape(funder)}.</p>"
            f'<p>Reference: <a href="{escape(link)}">{escape(case.reference)}</a>, '
            f"{escape(case.title)}.</p><p>Please acknowledge it.</p>"
        )
    return ReminderMessage(subject=subject[:300], text=text, html=html, link=link)
