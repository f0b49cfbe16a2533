"""Sign in, sign out, and the checks every request passes: signed in, active, not idle."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user

from ..extensions import db, login_manager
from ..models import User
from ..policy import audit
from . import services
from .forms import SignInForm

bp = Blueprint("auth", __name__)

# Reachable without signing in. A calendar feed is fetched by calendar programs, which cannot
# sign in: the secret token in its address is the credential (reminders.views.calendar_feed).
PUBLIC_ENDPOINTS = frozenset(
    {"auth.sign_in", "static", "main.health", "main.ready", "reminders.calendar_feed"}
)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    # A deactivated account loads as nobody, so its session ends at its next request.
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.active else None


@bp.before_app_request
def require_sign_in():
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return None
    # The API authenticates each request by its bearer token, not the session.
    if request.blueprint == "api":
        return None
    if not current_user.is_authenticated:
        if session.get("_user_id"):
            audit("session_ended", user_id=session.get("_user_id"), reason="inactive account")
            session.clear()
        return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
    idle_limit = current_app.config["IDLE_TIMEOUT_MINUTES"] * 60
    now = int(time.time())
    if now - session.get("seen", now) > idle_limit:
        audit("session_ended", user_id=current_user.id, reason="idle")
        logout_user()
        session.clear()
        flash(
            f"You were signed out after {current_app.config['IDLE_TIMEOUT_MINUTES']} "
            "minutes without activity. Sign in again to carry on."
        )
        return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
    session["seen"] = now
    return None


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never an address elsewhere."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/"):
            return target
    return url_for("cases.index")


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = SignInForm()
    status = 200
    if form.validate_on_submit():
        address = request.remote_addr or "unknown"
        result = services.sign_in(form.email.data, form.password.data, address)
        if result.user is not None:
            # A new session on sign-in: nothing from before it carries over.
            session.clear()
            login_user(result.user)
            session.permanent = True
            session["seen"] = int(time.time())
            audit("sign_in", user_id=result.user.id, role=result.user.role.value)
            return redirect(_safe_next(request.args.get("next")))
        if result.throttled:
            audit("sign_in_throttled", email=form.email.data.strip().lower())
            form.email.errors = [
                "Too many attempts to sign in. Wait "
                f"{current_app.config['SIGN_IN_THROTTLE_MINUTES']} minutes and try again"
            ]
        else:
            audit("sign_in_failed", email=form.email.data.strip().lower())
            form.email.errors = ["Enter a correct email address and password"]
        form.password.data = ""
        status = 401 if not result.throttled else 429
    elif form.errors:
        status = 422
    return render_template("auth/sign_in.html", form=form), status


@bp.post("/sign-out")
def sign_out():
    audit("sign_out", user_id=current_user.id)
    logout_user()
    session.clear()
    flash("You have signed out")
    return redirect(url_for("auth.sign_in"))
