"""Telling people that a party responded on a case: the person holding the case (its mediator
or officer, else its Compact's officers) always, and the other side's people when the response
is not for officers only. One `CaseUpdate` per timeline entry, recipient and channel, planned in
the response's own transaction and sent by the sweep (`moves.send_due`), which words it with
`describe_response`. E-mail goes only to people whose `case_emails` is on; the inbox always.
"""

from __future__ import annotations

import sqlalchemy as sa
from markupsafe import escape

from workflows.dispute import State

from ..extensions import db
from ..models import (
    Case,
    CaseEvent,
    CaseUpdate,
    ReminderChannel,
    Role,
    User,
)
from .mail import ReminderMessage, case_link
from .planning import channels
from .recipients import compact_officers


def case_holders(case: Case) -> list[User]:
    """Who holds the case: its mediator in regional mediation (or on a regional case), else its
    officer; with nobody assigned, the active officers who read its Compact's cases (its own
    and its upper tier's)."""
    mediating = case.state is State.REGIONAL_MEDIATION or case.is_regional
    holder = case.mediator if mediating and case.mediator_id else case.officer
    if holder is not None and holder.active:
        return [holder]
    return compact_officers([case.compact_id])


def other_side(case: Case, user: User) -> list[User]:
    """The active people of the parties on the other side from `user`'s organisation."""
    mine = next(
        (p.side for p in case.party_rows if p.organisation_id == user.organisation_id), None
    )
    others = [p.organisation_id for p in case.party_rows if p.side is not mine]
    if mine is None or not others:
        return []
    return list(
        db.session.scalars(
            sa.select(User)
            .where(User.organisation_id.in_(others), User.active, User.role.in_(_PARTY))
            .order_by(User.id)
        )
    )


_PARTY = (Role.FUNDER, Role.ORGANISATION)


def plan_response_updates(case: Case, entry: CaseEvent) -> None:
    """Plan the messages telling of the response `entry`, in the caller's transaction."""
    people = {u.id: u for u in case_holders(case)}
    if not entry.private:
        people.update({u.id: u for u in other_side(case, entry.actor)})
    people.pop(entry.actor.id if entry.actor else None, None)
    for person in people.values():
        for channel in channels():
            if channel is ReminderChannel.EMAIL and not person.case_emails:
                continue
            db.session.add(CaseUpdate(case_event=entry, recipient_id=person.id, channel=channel))


def _organisation_name(case: Case, user: User | None) -> str:
    party = next(
        (
            p
            for p in case.party_rows
            if user is not None and p.organisation_id == user.organisation_id
        ),
        None,
    )
    return party.organisation.name if party else "a party"


def describe_response(update: CaseUpdate) -> ReminderMessage:
    """What an update about a response says: who responded on which case, the text, a link."""
    entry = update.case_event
    case = entry.case
    who = _organisation_name(case, entry.actor)
    link = case_link(case.reference)
    only = " (for the Compact officer only)" if entry.private else ""
    subject = f"{case.reference}: a response from {who}{only}"
    text = (
        f"{who} responded on case {case.reference}, “{case.title}”{only}:\n\n"
        f"{entry.reason or ''}\n\nRead the case at {link}\n"
    )
    html = (
        f'<p>{_escape(who)} responded on case <a href="{link}">{case.reference}</a>{only}.</p>'
        f"<p>{_escape(entry.reason or '')}</p>"
    )
    return ReminderMessage(subject=subject[:300], text=text, html=html, link=link)


def _escape(text: str) -> str:
    return str(escape(text))
