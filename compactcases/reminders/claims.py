"""Claiming outbox rows for one sweep, and recording what became of each: the one pattern that
every message sent exactly once follows (reminders, meeting invitations, regional case
moves, webhook deliveries).

An outbox row has ``status`` (planned, sending, sent, failed), ``claim_token``, ``claimed_at``,
``attempts``, ``next_attempt_at``, ``sent_at`` and ``last_error``. `claim` picks due rows in one
short transaction (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite),
marks them ``sending`` under a fresh token and commits; each later write names that token, so a
row another sweep has taken back is never recorded twice. See `sending` for the whole story.
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from workflows import reminders as reminder_rules

from ..extensions import db
from ..models import ReminderStatus, utcnow

log = logging.getLogger("compactcases.reminders")


def claim(
    model,
    ready: sa.ColumnElement[bool],
    order_by: tuple,
    limit: int,
    *,
    dialect: str,
    waiting=ReminderStatus.PLANNED,
    sending=ReminderStatus.SENDING,
) -> tuple[str, list[int]]:
    """Claim up to ``limit`` rows of ``model`` that are ``ready`` (and waiting to be sent, and
    not waiting for a retry), or whose claim is stale, and commit; the token and the rows' ids.
    ``waiting`` and ``sending`` are the model's own statuses for those two (an outbox with its
    own status enum, as the webhooks' deliveries have, names them)."""
    now = utcnow()
    stale = now - timedelta(minutes=current_app.config["REMINDER_STALE_CLAIM_MINUTES"])
    due = sa.or_(
        sa.and_(
            model.status == waiting,
            ready,
            sa.or_(model.next_attempt_at.is_(None), model.next_attempt_at <= now),
        ),
        sa.and_(model.status == sending, model.claimed_at < stale),
    )
    token = uuid.uuid4().hex
    pick = sa.select(model.id).where(due).order_by(*order_by).limit(limit)
    db.session.commit()
    if dialect == "postgresql":
        pick = pick.with_for_update(skip_locked=True, of=model)
    else:
        # SQLite: take the write lock first, so the rows read are the rows updated.
        db.session.execute(sa.text("BEGIN IMMEDIATE"))
    try:
        ids = list(db.session.scalars(pick))
        if ids:
            db.session.execute(
                sa.update(model)
                .where(model.id.in_(ids))
                .values(status=sending, claim_token=token, claimed_at=now)
                .execution_options(synchronize_session=False)
            )
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return token, ids


def update(model, token: str, ids: list[int], **values) -> int:
    """Write `values` to those of the rows `ids` this sweep still holds (by its token), and
    commit; how many it held."""
    count = db.session.execute(
        sa.update(model)
        .where(model.id.in_(ids), model.claim_token == token)
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return count


def record_sent(model, token: str, row_id: int, **values) -> bool:
    """Mark a claimed row sent; False if this sweep no longer holds it."""
    return bool(
        update(
            model,
            token,
            [row_id],
            status=ReminderStatus.SENT,
            sent_at=utcnow(),
            claim_token=None,
            last_error=None,
            **values,
        )
    )


def record_failure(model, token: str, row_id: int, attempts: int, error: BaseException) -> bool:
    """After a failed attempt: planned again after a back-off, or failed for good after the
    last attempt. True when it failed for good."""
    wait = reminder_rules.retry_after(attempts)
    text = f"{type(error).__name__}: {error}"[:500]
    values = {"attempts": attempts, "last_error": text, "claim_token": None}
    what = f"{model.__tablename__} {row_id}"
    if wait is None:
        values["status"] = ReminderStatus.FAILED
        log.error("%s failed for good after %s attempts: %s", what, attempts, error)
    else:
        values["status"] = ReminderStatus.PLANNED
        values["next_attempt_at"] = utcnow() + wait
        log.warning("%s not sent (attempt %s), retrying later: %s", what, attempts, error)
    update(model, token, [row_id], **values)
    return wait is None


def release(model, token: str, ids: list[int], *, waiting=ReminderStatus.PLANNED) -> int:
    """Hand claimed rows back unsent, for the next sweep (`waiting`: as in `claim`)."""
    return update(model, token, ids, status=waiting, claim_token=None, claimed_at=None)
