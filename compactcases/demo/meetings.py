"""The demo's meetings: on a Birmingham case in local conciliation, one arranged for next week
and one held last week and recorded, with an agreed action that is a reminded deadline."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import sqlalchemy as sa

from workflows.dispute import State
from workflows.periods import add_working_days

from .. import localtime
from ..extensions import db
from ..meetings import services as meetings
from ..models import Case, Compact, Meeting, MeetingMessage, ReminderStatus, utcnow
from .reference import Reference

AGENDA = (
    "1. The notice the council gave and the Compact's three months\n"
    "2. What the project needs to keep its evening sessions open\n"
    "3. Next steps and who does what"
)


def add_meetings(ref: Reference) -> int:
    """Arrange the demo's two meetings once per database; how many were added."""
    if db.session.scalar(sa.select(sa.func.count()).select_from(Meeting)):
        return 0
    case = db.session.scalar(
        sa.select(Case)
        .join(Compact, Compact.id == Case.compact_id)
        .where(
            Compact.id == ref.compacts["BIR"].id,
            Case.state == State.LOCAL_CONCILIATION,
            Case.officer_id.is_not(None),
            Case.raised_on <= localtime.today() - timedelta(days=21),
        )
        .order_by(Case.raised_on.desc(), Case.id)
        .limit(1)
    )
    if case is None:
        return 0
    today = localtime.today()
    people = meetings.invitable(case)
    invited = tuple(u.id for u in people[:4])
    _held(case, today, invited)
    _upcoming(case, today, invited)
    return 2


def _draft(day, invited, place: str, link: str) -> meetings.MeetingDraft:
    starts = datetime.combine(day, time(10, 0), tzinfo=localtime.LONDON)
    return meetings.MeetingDraft(
        starts_at=starts,
        ends_at=starts + timedelta(hours=1, minutes=30),
        place=place,
        link=link,
        agenda=AGENDA,
        user_ids=invited,
        guests=("Grace Okafor (trustee)",),
    )


def _held(case: Case, today, invited) -> None:
    day = add_working_days(today, -5)
    draft = _draft(day, invited, "Council House, Victoria Square, Birmingham", "")
    meeting = meetings.schedule_meeting(
        case, draft, case.officer, draft.starts_at - timedelta(days=7)
    )
    # Arranged before the demo existed: its invitations are not e-mailed now.
    db.session.execute(
        sa.update(MeetingMessage)
        .where(MeetingMessage.meeting_id == meeting.id)
        .values(status=ReminderStatus.CANCELLED)
    )
    db.session.commit()
    came = tuple(a.id for a in meeting.attendees)
    meetings.record_meeting(
        meeting,
        meetings.MeetingRecord(
            attended=came,
            note=(
                "The council accepted that six weeks' notice fell short of the Compact's three "
                "months. It will consider phasing the reduction over two quarters; the project "
                "will send its figures for the evening sessions."
            ),
            actions=(
                meetings.ActionDraft(
                    "Send a revised notice with a phased reduction",
                    None,
                    case.funder.name,
                    add_working_days(today, 8),
                ),
                meetings.ActionDraft(
                    "Share attendance figures for the evening sessions",
                    None,
                    case.third_sector.name,
                    None,
                ),
            ),
        ),
        meeting.version,
        case.officer,
        draft.ends_at,
        today,
    )


def _upcoming(case: Case, today, invited) -> None:
    day = add_working_days(today, 6)
    draft = _draft(day, invited, "", "https://meet.example.org/compact-follow-up")
    # Arranged this morning, before the papers the demo adds next.
    meetings.schedule_meeting(case, draft, case.officer, utcnow() - timedelta(hours=2))
