"""API tokens: issued for an e-mail and password, kept hashed, expiring, revocable."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from ..auth import services as sign_in
from ..extensions import db
from ..models import ApiToken, User, utcnow


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(email: str, password: str, address: str) -> tuple[str, ApiToken] | str:
    """A new token for the account, or why not: "throttled" or "refused".

    Attempts count towards the same throttle as the sign-in page.
    """
    result = sign_in.sign_in(email, password, address)
    if result.user is None:
        return "throttled" if result.throttled else "refused"
    token = secrets.token_urlsafe(32)
    row = ApiToken(
        user_id=result.user.id,
        token_hash=_digest(token),
        expires_at=utcnow() + timedelta(days=current_app.config["API_TOKEN_DAYS"]),
    )
    db.session.add(row)
    db.session.commit()
    return token, row


def user_for(token: str) -> tuple[User, ApiToken] | None:
    """The active user a live token belongs to, or None."""
    row = db.session.scalar(
        sa.select(ApiToken).where(ApiToken.token_hash == _digest(token)).limit(1)
    )
    now = utcnow()
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        return None
    if not row.user.active:
        return None
    # Recording use at most once a minute keeps reads from writing on every request.
    if row.last_used_at is None or now - row.last_used_at > timedelta(minutes=1):
        row.last_used_at = now
        db.session.commit()
    return row.user, row


def revoke(row: ApiToken) -> None:
    row.revoked_at = utcnow()
    db.session.commit()
