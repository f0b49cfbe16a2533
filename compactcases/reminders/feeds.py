"""Calendar feeds: each user's private address for their open deadlines and the meetings they
are invited to, and what it lists."""

from __future__ import annotations

import secrets
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from workflows.deadlines import DeadlineStatus

from .. import policy
from ..extensions import db
from ..models import CalendarFeed, Deadline, Meeting, MeetingAttendee, User, utcnow
from .recipients import reminder_recipients


def feed_for(user: User) -> CalendarFeed | None:
    return db.session.scalar(sa.select(CalendarFeed).where(CalendarFeed.user_id == user.id))


def new_feed(user: User) -> CalendarFeed:
    """A new private address for the user's calendar; any old one stops working."""
    db.session.execute(sa.delete(CalendarFeed).where(CalendarFeed.user_id == user.id))
    feed = CalendarFeed(user_id=user.id, token=secrets.token_urlsafe(32))
    db.session.add(feed)
    db.session.commit()
    return feed


def revoke_feed(user: User) -> bool:
    count = db.session.execute(
        sa.delete(CalendarFeed).where(CalendarFeed.user_id == user.id)
    ).rowcount
    db.session.commit()
    return bool(count)


def feed_user(token: str) -> User | None:
    """The active user whose feed has this token, or None."""
    if not token or len(token) > 64:
        return None
    return db.session.scalar(
        sa.select(User)
        .join(CalendarFeed, CalendarFeed.user_id == User.id)
        .where(CalendarFeed.token == token, User.active)
    )


def deadlines_for(user: User) -> list[Deadline]:
    """The open deadlines the user is reminded of (see `recipients`) and may see
    (`policy.scope_deadlines`), soonest first."""
    reminded = reminder_recipients(Deadline.status == DeadlineStatus.OPEN, User.id == user.id)
    return list(
        db.session.scalars(
            policy.scope_deadlines(
                sa.select(Deadline).where(
                    Deadline.id.in_(sa.select(reminded.subquery().c.deadline_id))
                ),
                user,
            )
            .options(
                joinedload(Deadline.case),
                joinedload(Deadline.notice),
                joinedload(Deadline.agreement),
                joinedload(Deadline.self_assessment),
            )
            .order_by(Deadline.due_on, Deadline.id)
        )
    )


# How far back a feed keeps the meetings a user was invited to.
MEETINGS_KEPT = timedelta(days=90)


def meetings_for(user: User) -> list[Meeting]:
    """The meetings the user is invited to from 90 days ago on, cancelled ones included (so a
    subscribed calendar shows them cancelled), soonest first."""
    invited = sa.select(MeetingAttendee.meeting_id).where(MeetingAttendee.user_id == user.id)
    return list(
        db.session.scalars(
            sa.select(Meeting)
            .where(Meeting.id.in_(invited), Meeting.ends_at >= utcnow() - MEETINGS_KEPT)
            .options(
                joinedload(Meeting.case),
                joinedload(Meeting.organiser),
                selectinload(Meeting.attendees).joinedload(MeetingAttendee.user),
            )
            .order_by(Meeting.starts_at, Meeting.id)
        )
    )
