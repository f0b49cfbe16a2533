"""Meetings on a case: schedule, change, cancel and record one, each a unit of work on the case
that writes its timeline entry and plans the invitations the sweep e-mails."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from workflows import meetings as rules
from workflows.deadlines import DeadlineKind
from workflows.meetings import MeetingStatus
from workflows.periods import format_date

from .. import policy
from ..cases.deadlines import open_dated_deadline
from ..documents import services as documents
from ..extensions import db
from ..history import StaleCase, changing, record_event
from ..models import (
    Case,
    CaseEventKind,
    DocumentVisibility,
    InvitationMethod,
    Meeting,
    MeetingAction,
    MeetingAttendee,
    User,
)
from ..reminders import moves
from ..reminders.planning import replan_case
from . import outbox
from .describe import when, where


class MeetingRefused(Exception):
    """A meeting that cannot be scheduled, changed or recorded as asked; nothing was written.
    `field_errors` maps the form field at fault to what is wrong with it."""

    def __init__(self, field_errors: dict[str, str]) -> None:
        super().__init__("; ".join(field_errors.values()))
        self.field_errors = field_errors


class StaleMeeting(Exception):
    """Someone else changed the meeting after this form was opened; nothing was written."""

    field_errors: dict[str, str] = {}

    def __init__(self, meeting: Meeting) -> None:
        super().__init__("The meeting was changed by someone else")
        self.meeting = meeting

    @property
    def message(self) -> str:
        return (
            "Someone else changed this meeting just now. Nothing of your change was saved; "
            "check the meeting as it is now and try again if it is still needed."
        )


@dataclass(frozen=True)
class MeetingDraft:
    """A meeting as scheduled or rescheduled: when, where, who (accounts and typed names)."""

    starts_at: datetime
    ends_at: datetime
    place: str
    link: str
    agenda: str
    user_ids: tuple[int, ...]
    guests: tuple[str, ...]


@dataclass(frozen=True)
class ActionDraft:
    text: str
    owner_id: int | None
    owner_name: str
    due_on: date | None


@dataclass(frozen=True)
class MeetingRecord:
    """What happened at a meeting: who came (attendee ids), the note, the actions agreed."""

    attended: tuple[int, ...]
    note: str
    actions: tuple[ActionDraft, ...]
    # Files that become the case's documents (private), linked to the meeting.
    uploads: tuple[documents.Upload, ...] = ()


def invitable(case: Case) -> list[User]:
    """Who may be invited with an account: the active users of either party organisation,
    and the case's officer and mediator, by name."""
    return list(
        db.session.scalars(
            sa.select(User)
            .where(
                User.active,
                sa.or_(
                    User.organisation_id.in_((case.funder_id, case.third_sector_id)),
                    User.id.in_([i for i in (case.officer_id, case.mediator_id) if i]),
                ),
            )
            .order_by(User.name, User.id)
        )
    )


def _seen_by(query: sa.Select, user: User | None) -> sa.Select:
    """`query` narrowed to the meetings `user` may see (`policy.scope_meetings`): a party only
    those its people are invited to; without a user, all of them (the services' own use)."""
    return query if user is None else policy.scope_meetings(query, user)


def get_meeting(case: Case, meeting_id: int, user: User | None = None) -> Meeting | None:
    """The case's meeting, if `user` (when given) may see it."""
    return db.session.scalar(
        _seen_by(
            sa.select(Meeting).where(Meeting.id == meeting_id, Meeting.case_id == case.id), user
        ).options(
            selectinload(Meeting.attendees),
            selectinload(Meeting.actions),
            selectinload(Meeting.documents),
        )
    )


def meetings_of(
    case: Case, now: datetime, user: User | None = None
) -> tuple[list[Meeting], list[Meeting]]:
    """The case's meetings `user` (when given) may see (`policy.scope_meetings`: a party only
    those it is invited to), still to come (soonest first) and the others (latest first)."""
    query = (
        sa.select(Meeting)
        .where(Meeting.case_id == case.id)
        .options(selectinload(Meeting.attendees), selectinload(Meeting.actions))
        .order_by(Meeting.starts_at, Meeting.id)
    )
    meetings = db.session.scalars(_seen_by(query, user)).all()
    upcoming = [m for m in meetings if m.status is MeetingStatus.SCHEDULED and m.ends_at > now]
    past = [m for m in reversed(meetings) if m not in upcoming]
    return upcoming, past


def _check_draft(case: Case, draft: MeetingDraft, now: datetime) -> list[User]:
    """The invited users with accounts, once the draft is checked; else MeetingRefused."""
    people = {user.id: user for user in invitable(case)}
    plan = rules.MeetingPlan(
        draft.starts_at,
        draft.ends_at,
        draft.place,
        draft.link,
        draft.agenda,
        invited=len(set(draft.user_ids)) + len(draft.guests),
    )
    errors = rules.plan_errors(plan, now)
    if any(i not in people for i in draft.user_ids):
        errors["attendees"] = "Choose people from the list of the parties and the case's staff"
    if any(len(name) > rules.MAX_NAME_LENGTH for name in draft.guests):
        errors["guests"] = f"Each name must be {rules.MAX_NAME_LENGTH} characters or fewer"
    elif len(draft.guests) > rules.MAX_GUESTS:
        errors["guests"] = f"Enter {rules.MAX_GUESTS} names at most"
    if not case.is_open:
        errors["starts_on"] = "A meeting cannot be arranged on a closed case"
    if errors:
        raise MeetingRefused(errors)
    return [people[i] for i in dict.fromkeys(draft.user_ids)]


def _fill(meeting: Meeting, draft: MeetingDraft, users: list[User]) -> set[int]:
    """Set the meeting from the draft; the ids of invited users no longer invited."""
    meeting.starts_at, meeting.ends_at = draft.starts_at, draft.ends_at
    meeting.place, meeting.link = draft.place.strip(), draft.link.strip()
    meeting.agenda = draft.agenda.strip()
    wanted_users = {user.id: user for user in users}
    wanted_guests = list(dict.fromkeys(name.strip() for name in draft.guests if name.strip()))
    kept, dropped = [], set()
    for attendee in meeting.attendees:
        if attendee.user_id is not None:
            if attendee.user_id in wanted_users:
                kept.append(attendee)
                wanted_users.pop(attendee.user_id)
            else:
                dropped.add(attendee.user_id)
        elif attendee.name in wanted_guests:
            kept.append(attendee)
            wanted_guests.remove(attendee.name)
    kept += [MeetingAttendee(user_id=u.id, name=u.name) for u in wanted_users.values()]
    kept += [MeetingAttendee(name=name) for name in wanted_guests]
    meeting.attendees = kept
    return dropped


def _people(meeting: Meeting) -> str:
    return ", ".join(a.name for a in meeting.attendees)


def schedule_meeting(
    case: Case,
    draft: MeetingDraft,
    actor: User | None,
    now: datetime,
    case_version: int | None = None,
) -> Meeting:
    """Arrange a meeting on the case and plan its invitations. `case_version`, the case's
    version the form was read at, refuses a second press of the button (StaleCase): the
    first arranged the meeting and moved the case on."""
    users = _check_draft(case, draft, now)
    if case_version is not None and case_version != case.version:
        raise StaleCase(case)
    with changing(case):
        meeting = Meeting(case=case, uid=f"meeting-{uuid.uuid4().hex}@compactcases")
        meeting.organiser = actor
        db.session.add(meeting)
        _fill(meeting, draft, users)
        entry = record_event(
            case,
            CaseEventKind.MEETING_SCHEDULED,
            actor,
            reason=f"{when(meeting)}, {where(meeting)}. Invited: {_people(meeting)}",
            occurred_at=now,
        )
        db.session.flush()
        outbox.plan(meeting, InvitationMethod.REQUEST, [u.id for u in users])
        # The invited parties' people see it in their inbox too (the e-mail is the invitation).
        moves.plan_invitations(entry, users)
    return meeting


def _check_current(meeting: Meeting, version: int | None) -> None:
    if version is not None and version != meeting.version:
        raise StaleMeeting(meeting)
    if meeting.status is not MeetingStatus.SCHEDULED:
        raise MeetingRefused(
            {"starts_on": f"This meeting is {meeting.status.label.lower()}: it cannot change"}
        )


def change_meeting(
    meeting: Meeting, draft: MeetingDraft, version: int | None, actor: User | None, now: datetime
) -> Meeting:
    """Reschedule or change a meeting; everyone invited gets the update (the same UID, a
    higher SEQUENCE), anyone no longer invited a cancellation."""
    _check_current(meeting, version)
    case = meeting.case
    users = _check_draft(case, draft, now)
    before = {"when": when(meeting), "where": where(meeting), "invited": _people(meeting)}
    agenda = meeting.agenda
    with changing(case):
        dropped = _fill(meeting, draft, users)
        after = {"when": when(meeting), "where": where(meeting), "invited": _people(meeting)}
        changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
        if meeting.agenda != agenda:
            changes["agenda"] = [agenda or None, meeting.agenda or None]
        if not changes:
            return meeting
        meeting.sequence += 1
        record_event(case, CaseEventKind.MEETING_CHANGED, actor, changes=changes, occurred_at=now)
        db.session.flush()
        outbox.plan(meeting, InvitationMethod.REQUEST, [u.id for u in users])
        outbox.plan(meeting, InvitationMethod.CANCEL, sorted(dropped))
    return meeting


def cancel_meeting(
    meeting: Meeting, reason: str, version: int | None, actor: User | None, now: datetime
) -> Meeting:
    _check_current(meeting, version)
    case = meeting.case
    with changing(case):
        meeting.status = MeetingStatus.CANCELLED
        meeting.cancel_reason = reason.strip() or None
        meeting.sequence += 1
        text = f"The meeting of {when(meeting)} is cancelled"
        if meeting.cancel_reason:
            text += f": {meeting.cancel_reason}"
        record_event(case, CaseEventKind.MEETING_CANCELLED, actor, reason=text, occurred_at=now)
        db.session.flush()
        outbox.plan(
            meeting, InvitationMethod.CANCEL, [a.user_id for a in meeting.attendees if a.user_id]
        )
    return meeting


def _summary(meeting: Meeting) -> str:
    came = [a.name for a in meeting.attendees if a.attended]
    lines = [f"{when(meeting)}, {where(meeting)}.", f"Attended: {', '.join(came) or 'nobody'}."]
    lines.append(meeting.note or "")
    for n, action in enumerate(meeting.actions, start=1):
        owner = f" ({action.owner_name})" if action.owner_name else ""
        due = f", due {format_date(action.due_on)}" if action.due_on else ""
        lines.append(f"Action {n}: {action.text}{owner}{due}.")
    return " ".join(line for line in lines if line)


def _upload_error(uploads: tuple[documents.Upload, ...]) -> str | None:
    """Why the files recorded with a meeting cannot be kept, or None."""
    limit = current_app.config["DOCUMENT_MAX_FILES"]
    if len(uploads) > limit:
        return f"Choose {limit} files or fewer"
    for upload in uploads:
        try:
            documents.check_file(upload.filename, upload.data)
        except documents.DocumentRefused as refused:
            return refused.message
    return None


def record_meeting(
    meeting: Meeting,
    record: MeetingRecord,
    version: int | None,
    actor: User | None,
    now: datetime,
    today: date,
) -> Meeting:
    """Record what happened: its timeline entry is dated by when the meeting started, and
    each action with a due date becomes a case deadline with reminders."""
    _check_current(meeting, version)
    case = meeting.case
    people = {user.id: user for user in invitable(case)}
    plans = [rules.ActionPlan(a.text, a.owner_name, a.due_on) for a in record.actions]
    errors = rules.record_errors(meeting.starts_at, now, plans, today)
    if not record.note.strip():
        errors.setdefault("note", "Enter a note of the meeting")
    elif len(record.note) > rules.MAX_NOTE_LENGTH:
        errors.setdefault("note", f"The note must be {rules.MAX_NOTE_LENGTH} characters or fewer")
    for n, action in enumerate(record.actions, start=1):
        if action.owner_id is not None and action.owner_id not in people:
            errors[f"action_{n}_owner"] = "Choose an owner from the list, or type a name"
    ids = {a.id for a in meeting.attendees}
    if any(i not in ids for i in record.attended):
        errors["attended"] = "Choose who attended from the people invited"
    problem = _upload_error(record.uploads)
    if problem:
        errors["documents"] = problem
    if errors:
        raise MeetingRefused(errors)
    with changing(case):
        for attendee in meeting.attendees:
            attendee.attended = attendee.id in record.attended
        meeting.status = MeetingStatus.HELD
        meeting.note = record.note.strip()
        meeting.recorded_at, meeting.recorded_by = now, actor
        for action in record.actions:
            owner = people.get(action.owner_id) if action.owner_id else None
            row = MeetingAction(
                text=action.text.strip(),
                owner=owner,
                owner_name=owner.name if owner else action.owner_name.strip(),
                due_on=action.due_on,
            )
            if action.due_on is not None:
                row.deadline = open_dated_deadline(
                    case, DeadlineKind.MEETING_ACTION, action.due_on, today
                )
            meeting.actions.append(row)
        for upload in record.uploads:
            meeting.documents.append(
                documents.add_document(
                    owner=case,
                    filename=upload.filename,
                    data=upload.data,
                    visibility=DocumentVisibility.PRIVATE,
                    actor=actor,
                )
            )
        entry = record_event(
            case,
            CaseEventKind.MEETING,
            actor,
            reason=_summary(meeting),
            occurred_at=meeting.starts_at,
        )
        entry.private = True
        db.session.flush()
        replan_case(case, today)
    return meeting
