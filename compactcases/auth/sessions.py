"""Signed-in sessions kept in the database: started at sign-in, checked on every request, and
ended by signing out, deactivation, a password change or signing out everywhere.

The signed cookie alone cannot be taken back once issued: a copy keeps working until it
expires. So the cookie also carries a random session id, and a request is signed in only
while that id's row exists. Every app host reads the same rows, so any host can end a session.
"""

from __future__ import annotations

import hashlib
import secrets

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from ..models import ApiToken, User, UserSession, utcnow


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(user: User) -> str:
    """A new session for the user; returns the id for the cookie. Also forgets the user's
    sessions that have outlived the cookie's lifetime."""
    now = utcnow()
    db.session.execute(
        sa.delete(UserSession).where(
            UserSession.user_id == user.id,
            UserSession.created_at < now - current_app.permanent_session_lifetime,
        )
    )
    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(user_id=user.id, token_hash=_digest(token), created_at=now))
    db.session.commit()
    return token


def user_for(token: str | None) -> User | None:
    """The active user whose live session this is, or None."""
    if not token:
        return None
    since = utcnow() - current_app.permanent_session_lifetime
    return db.session.scalar(
        sa.select(User)
        .join(UserSession, UserSession.user_id == User.id)
        .where(
            UserSession.token_hash == _digest(token),
            UserSession.created_at >= since,
            User.active.is_(True),
        )
    )


def end(token: str | None) -> None:
    """End one session: the browser that signs out."""
    if token:
        db.session.execute(sa.delete(UserSession).where(UserSession.token_hash == _digest(token)))
        db.session.commit()


def end_all(user: User, keep: str | None = None, *, commit: bool = True) -> None:
    """End every session of the user but `keep`, and revoke the user's API tokens: what
    deactivation, a password change and signing out everywhere all need."""
    sessions = sa.delete(UserSession).where(UserSession.user_id == user.id)
    if keep:
        sessions = sessions.where(UserSession.token_hash != _digest(keep))
    db.session.execute(sessions)
    db.session.execute(
        sa.update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    if commit:
        db.session.commit()
