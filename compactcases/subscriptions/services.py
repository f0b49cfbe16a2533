"""Report e-mail subscriptions: a mediator, viewer or administrator asks for the regional
summary monthly or quarterly, changes how often, or stops it."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from workflows.periods import bank_holidays
from workflows.report_periods import Frequency, ReportPeriod, upcoming_period

from .. import localtime
from ..extensions import db
from ..models import ReminderStatus, ReportMailing, ReportSubscription, User


def subscription_for(user: User) -> ReportSubscription | None:
    return db.session.scalar(sa.select(ReportSubscription).filter_by(user_id=user.id))


def subscribe(user: User, frequency: Frequency, today: date | None = None) -> None:
    """Subscribe `user` (or change how often): one row a person, whatever two requests at once
    do. Summaries planned at the old frequency and not yet sent are cancelled."""
    today = today or localtime.today()
    insert = (
        postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    )
    statement = insert(ReportSubscription).values(
        user_id=user.id, frequency=frequency, subscribed_on=today, created_at=sa.func.now()
    )
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=["user_id"],
            set_={"frequency": frequency, "subscribed_on": today},
            where=ReportSubscription.__table__.c.frequency != frequency,
        )
    )
    _cancel_planned(user, ReportMailing.frequency != frequency)
    db.session.commit()


def unsubscribe(user: User) -> bool:
    """Stop `user`'s summaries, including any planned and not yet sent; False if none."""
    gone = db.session.execute(
        sa.delete(ReportSubscription).where(ReportSubscription.user_id == user.id)
    ).rowcount
    _cancel_planned(user, sa.true())
    db.session.commit()
    return bool(gone)


def _cancel_planned(user: User, which: sa.ColumnElement[bool]) -> None:
    db.session.execute(
        sa.update(ReportMailing)
        .where(
            ReportMailing.user_id == user.id,
            ReportMailing.status == ReminderStatus.PLANNED,
            which,
        )
        .values(status=ReminderStatus.CANCELLED)
        .execution_options(synchronize_session=False)
    )


def next_summary(subscription: ReportSubscription, today: date | None = None) -> ReportPeriod:
    """The next summary this subscription brings: its period and the day it is sent."""
    return upcoming_period(subscription.frequency, today or localtime.today(), bank_holidays())
