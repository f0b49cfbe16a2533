"""Signing in: checking a password, throttling guesses, recording every attempt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from ..models import SignInAttempt, User, utcnow


@dataclass(frozen=True)
class SignInResult:
    user: User | None
    throttled: bool = False


def _recent_failures(column, value: str, since: datetime) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(SignInAttempt.id)).where(
            column == value,
            SignInAttempt.succeeded.is_(False),
            SignInAttempt.attempted_at >= since,
        )
    )


def is_throttled(email: str, address: str, now: datetime) -> bool:
    """Too many recent failures for this e-mail address (account or not) or this address."""
    config = current_app.config
    since = now - timedelta(minutes=config["SIGN_IN_THROTTLE_MINUTES"])
    return (
        _recent_failures(SignInAttempt.email, email, since)
        >= config["SIGN_IN_MAX_FAILURES_PER_ACCOUNT"]
        or _recent_failures(SignInAttempt.address, address, since)
        >= config["SIGN_IN_MAX_FAILURES_PER_ADDRESS"]
    )


def sign_in(email: str, password: str, address: str) -> SignInResult:
    """The active user with this e-mail and password, or None; every attempt is recorded.

    A throttled attempt is refused without checking the password, and the answer is the same
    whether or not the account exists.
    """
    email = email.strip().lower()
    now = utcnow()
    if is_throttled(email, address, now):
        return SignInResult(user=None, throttled=True)
    user = db.session.scalar(sa.select(User).where(sa.func.lower(User.email) == email))
    ok = user is not None and user.active and user.check_password(password)
    db.session.add(SignInAttempt(email=email, address=address, succeeded=ok, attempted_at=now))
    if ok:
        user.last_signed_in_at = now
    db.session.commit()
    return SignInResult(user=user if ok else None)
