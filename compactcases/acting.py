"""Who is acting on this request.

Until sign-in exists every request acts as the configured demo user (`ACTING_USER_EMAIL`),
so that the timeline can say who did what.
"""

from __future__ import annotations

from flask import current_app, g

from .extensions import db
from .models import User


def acting_user() -> User | None:
    if "acting_user" not in g:
        email = current_app.config["ACTING_USER_EMAIL"]
        g.acting_user = db.session.scalar(db.select(User).filter_by(email=email, active=True))
    return g.acting_user
