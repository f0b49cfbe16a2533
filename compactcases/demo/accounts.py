"""The demo accounts: their shared password, made once per installation, and the list of one
account for each role that the run command prints."""

from __future__ import annotations

import secrets
from pathlib import Path

import sqlalchemy as sa

from ..extensions import db
from ..models import User
from .data.people import DEMO_ACCOUNTS, USERS


def demo_password(path: Path) -> str:
    """The demo accounts' password: made once per installation and kept beside the database."""
    if path.exists():
        return path.read_text().strip()
    password = "-".join(secrets.token_hex(3) for _ in range(3))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(password + "\n")
    path.chmod(0o600)
    return password


def set_demo_passwords(password: str, method: str) -> int:
    """Give the demo users without a password this one; returns how many were set."""
    emails = [email for email, *_ in USERS]
    users = db.session.scalars(
        sa.select(User).where(User.email.in_(emails), User.password_hash.is_(None))
    ).all()
    for user in users:
        user.set_password(password, method=method)
    db.session.commit()
    return len(users)


def demo_accounts() -> list[User]:
    """The demo accounts that exist, one for each role, in the order they are listed."""
    users = {
        u.email: u for u in db.session.scalars(sa.select(User).where(User.email.in_(DEMO_ACCOUNTS)))
    }
    return [users[email] for email in DEMO_ACCOUNTS if email in users]
