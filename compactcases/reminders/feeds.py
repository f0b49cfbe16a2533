"""Calendar feeds: each user's private address for their open deadlines, and the deadlines
it lists."""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from workflows.deadlines import DeadlineStatus

from ..extensions import db
from ..models import CalendarFeed, Case, Compact, Deadline, Notice, Role, User


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
    """The open deadlines the user is reminded of, by the same rule as `_recipients`."""
    conditions = []
    if user.role in (Role.OFFICER, Role.ADMIN, Role.MEDIATOR):
        conditions.append(Case.officer_id == user.id)
        conditions.append(Case.mediator_id == user.id)
    if user.role is Role.MEDIATOR and user.region_id:
        conditions.append(
            sa.and_(
                Case.mediator_id.is_(None),
                Case.escalated_on.is_not(None),
                Case.compact_id.in_(
                    sa.select(Compact.id).where(Compact.region_id == user.region_id)
                ),
            )
        )
    on_cases = sa.false() if not conditions else sa.or_(*conditions)
    on_notices = (
        Notice.funder_id == user.organisation_id
        if user.role is Role.FUNDER and user.organisation_id
        else sa.false()
    )
    return list(
        db.session.scalars(
            sa.select(Deadline)
            .outerjoin(Case, Deadline.case_id == Case.id)
            .outerjoin(Notice, Deadline.notice_id == Notice.id)
            .where(Deadline.status == DeadlineStatus.OPEN, sa.or_(on_cases, on_notices))
            .options(joinedload(Deadline.case), joinedload(Deadline.notice))
            .order_by(Deadline.due_on, Deadline.id)
        ).unique()
    )
