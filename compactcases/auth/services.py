"""Signing in: checking a password, slowing down guessing, recording every attempt.

Guessing is slowed, not stopped: after a number of failures in a row, each further attempt
must wait twice as long as the one before, up to a cap. Failures are counted for the account
(whoever tries it, from anywhere), for the address (whichever accounts it tries) and for the
two together. Anyone can run up the first two, so they never refuse an address from which
the account has signed in before: its owner gets in with the right password whatever others
do. Only the owner's own address running up failures on the account slows the owner down.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from ..models import SignInAttempt, User, utcnow
from . import passwords, sessions

# Failures older than this are forgotten, as are those before the last success.
FAILURE_MEMORY = timedelta(hours=24)


@dataclass(frozen=True)
class SignInResult:
    user: User | None
    throttled: bool = False
    # When throttled: seconds until the next attempt is heard.
    retry_after: int = 0


def _failures(where: list, now: datetime) -> tuple[int, datetime | None]:
    """Failures matching `where` since its last success (within memory): count and latest."""
    last_success = db.session.scalar(
        sa.select(sa.func.max(SignInAttempt.id)).where(*where, SignInAttempt.succeeded.is_(True))
    )
    failed = [
        *where,
        SignInAttempt.succeeded.is_(False),
        SignInAttempt.attempted_at >= now - FAILURE_MEMORY,
    ]
    if last_success is not None:
        failed.append(SignInAttempt.id > last_success)
    count, latest = db.session.execute(
        sa.select(sa.func.count(SignInAttempt.id), sa.func.max(SignInAttempt.attempted_at)).where(
            *failed
        )
    ).one()
    return count, latest


def _wait(where: list, free: int, now: datetime) -> float:
    """Seconds still to wait: none for the first `free` failures, then 1, 2, 4, ... capped."""
    count, latest = _failures(where, now)
    if count < free or latest is None:
        return 0.0
    cap = current_app.config["SIGN_IN_THROTTLE_MINUTES"] * 60
    delay = min(2.0 ** min(count - free, 32), cap)
    return max(0.0, (latest + timedelta(seconds=delay) - now).total_seconds())


def known_address(email: str, address: str) -> bool:
    """Whether the account has signed in from this address before."""
    return (
        db.session.scalar(
            sa.select(SignInAttempt.id)
            .where(
                SignInAttempt.email == email,
                SignInAttempt.address == address,
                SignInAttempt.succeeded.is_(True),
            )
            .limit(1)
        )
        is not None
    )


def wait_before_trying(email: str, address: str, now: datetime) -> int:
    """Whole seconds before an attempt for this e-mail address from this address is heard."""
    config = current_app.config
    per_account = config["SIGN_IN_MAX_FAILURES_PER_ACCOUNT"]
    waits = [
        _wait([SignInAttempt.email == email, SignInAttempt.address == address], per_account, now)
    ]
    if not known_address(email, address):
        waits.append(_wait([SignInAttempt.email == email], per_account, now))
        waits.append(
            _wait(
                [SignInAttempt.address == address],
                config["SIGN_IN_MAX_FAILURES_PER_ADDRESS"],
                now,
            )
        )
    return math.ceil(max(waits))


def sign_in(email: str, password: str, address: str) -> SignInResult:
    """The active user with this e-mail and password, or None; every attempt heard is recorded.

    A throttled attempt is refused without checking the password, and the answer is the same
    whether or not the account exists. An unknown, inactive or password-less account costs
    the same hashing as a real one, so the time taken does not tell them apart either.
    """
    email = email.strip().lower()
    address = address[:64]
    now = utcnow()
    wait = wait_before_trying(email, address, now)
    if wait > 0:
        return SignInResult(user=None, throttled=True, retry_after=wait)
    user = db.session.scalar(sa.select(User).where(sa.func.lower(User.email) == email))
    method = current_app.config["PASSWORD_HASH_METHOD"]
    matches = passwords.verify(user.password_hash if user else None, password, method)
    ok = matches and user is not None and user.active
    db.session.add(SignInAttempt(email=email, address=address, succeeded=ok, attempted_at=now))
    if ok:
        user.last_signed_in_at = now
    db.session.commit()
    return SignInResult(user=user if ok else None)


def wait_in_words(seconds: int) -> str:
    """'30 seconds', '1 minute', '15 minutes': how long a throttled person waits."""
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


class PasswordChangeError(ValueError):
    """A password change refused; `field` names the field the reason belongs beside."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def change_password(user: User, current: str, new: str, address: str, keep: str | None) -> None:
    """Set the user's new password and end every other session and API token of theirs.

    The current password is asked for, and tries at it are throttled like signing in, so a
    session left open somewhere cannot be used to take the account over.
    """
    now = utcnow()
    email = user.email.lower()
    address = address[:64]
    wait = wait_before_trying(email, address, now)
    if wait > 0:
        raise PasswordChangeError(
            "current_password", f"Too many attempts. Wait {wait_in_words(wait)} and try again"
        )
    method = current_app.config["PASSWORD_HASH_METHOD"]
    ok = passwords.verify(user.password_hash, current, method)
    db.session.add(SignInAttempt(email=email, address=address, succeeded=ok, attempted_at=now))
    db.session.commit()
    if not ok:
        raise PasswordChangeError("current_password", "Your current password is not right")
    problem = passwords.password_problem(new, name=user.name, email=user.email)
    if problem:
        raise PasswordChangeError("new_password", problem)
    user.password_hash = passwords.hash_password(new, method)
    sessions.end_all(user, keep=keep, commit=False)
    db.session.commit()


def set_case_emails(user: User, wanted: bool) -> bool:
    """Turn the person's case e-mails on or off and commit; whether anything changed. E-mails
    already queued are checked again when sent, so turning them off stops those too."""
    changed = db.session.execute(
        sa.update(User)
        .where(User.id == user.id, User.case_emails != wanted)
        .values(case_emails=wanted)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    db.session.refresh(user)
    return bool(changed)
