"""Sign in, sign out, and the checks every request passes: signed in, active, a session the
server has not ended, not idle."""

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

from ..extensions import login_manager
from ..models import User
from ..policy import audit
from . import services, sessions
from .forms import CaseEmailsForm, ChangePasswordForm, SignInForm, SignOutEverywhereForm

bp = Blueprint("auth", __name__)

# Reachable without signing in. A calendar feed is fetched by calendar programs, which cannot
# sign in: the secret token in its address is the credential (reminders.views.calendar_feed).
# So is an invitation's one-time link, and asking for a new one when it no longer works.
PUBLIC_ENDPOINTS = frozenset(
    {
        "auth.sign_in",
        "static",
        "main.favicon",
        "main.health",
        "main.ready",
        "reminders.calendar_feed",
        "invitations.accept",
        "invitations.ask_for_link",
    }
)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    # Signed in only while the session's row lives and the account is active: signing out,
    # deactivation, a password change or signing out everywhere end it at its next request,
    # on whichever host that request reaches.
    user = sessions.user_for(session.get("sid"))
    return user if user is not None and str(user.id) == user_id else None


@bp.before_app_request
def require_sign_in():
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return None
    # The API authenticates each request by its bearer token, not the session.
    if request.blueprint == "api":
        return None
    if not current_user.is_authenticated:
        if session.get("_user_id"):
            audit("session_ended", user_id=session.get("_user_id"), reason="ended on the server")
            session.clear()
        return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
    idle_limit = current_app.config["IDLE_TIMEOUT_MINUTES"] * 60
    now = int(time.time())
    if now - session.get("seen", now) > idle_limit:
        audit("session_ended", user_id=current_user.id, reason="idle")
        sessions.end(session.get("sid"))
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
    return url_for("main.home")


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = SignInForm()
    status, headers = 200, {}
    if form.validate_on_submit():
        # The client's address: ProxyFix puts it here behind TRUSTED_PROXY_COUNT proxies.
        address = request.remote_addr or "unknown"
        result = services.sign_in(form.email.data, form.password.data, address)
        if result.user is not None:
            start_session(result.user)
            audit("sign_in", user_id=result.user.id, role=result.user.role.value)
            return redirect(_safe_next(request.args.get("next")))
        if result.throttled:
            audit("sign_in_throttled", email=form.email.data.strip().lower())
            form.email.errors = [
                "Too many attempts to sign in. Wait "
                f"{services.wait_in_words(result.retry_after)} and try again"
            ]
            status, headers = 429, {"Retry-After": str(result.retry_after)}
        else:
            audit("sign_in_failed", email=form.email.data.strip().lower())
            form.email.errors = ["Enter a correct email address and password"]
            status = 401
        form.password.data = ""
    elif form.errors:
        status = 422
    return render_template("auth/sign_in.html", form=form), status, headers


def start_session(user: User) -> None:
    """A new session: nothing from before it carries over, and the server can end it."""
    session.clear()
    login_user(user)
    session.permanent = True
    session["sid"] = sessions.start(user)
    session["seen"] = int(time.time())


@bp.post("/sign-out")
def sign_out():
    audit("sign_out", user_id=current_user.id)
    sessions.end(session.get("sid"))
    logout_user()
    session.clear()
    flash("You have signed out")
    return redirect(url_for("auth.sign_in"))


# -- a person's own account ------------------------------------------------------------------


@bp.get("/account")
def account():
    return render_template("auth/account.html", emails_form=_case_emails_form())


def _case_emails_form() -> CaseEmailsForm:
    form = CaseEmailsForm()
    form.case_emails.data = "on" if current_user.case_emails else "off"
    return form


@bp.post("/account/case-emails")
def case_emails():
    form = CaseEmailsForm()
    if not form.validate_on_submit():
        # `form` names it for the page's error summary.
        return render_template("auth/account.html", emails_form=form, form=form), 422
    wanted = form.case_emails.data == "on"
    services.set_case_emails(current_user._get_current_object(), wanted)
    audit("case_emails_changed", user_id=current_user.id, wanted=wanted)
    flash(
        "You will be e-mailed what happens on your cases"
        if wanted
        else "You will no longer be e-mailed about your cases: they stay in your inbox",
        "success",
    )
    return redirect(url_for("auth.account"))


@bp.route("/account/password", methods=["GET", "POST"])
def change_password():
    form = ChangePasswordForm()
    status = 200
    if form.validate_on_submit():
        try:
            services.change_password(
                current_user,
                form.current_password.data,
                form.new_password.data,
                request.remote_addr or "unknown",
                keep=session.get("sid"),
            )
        except services.PasswordChangeError as error:
            getattr(form, error.field).errors = [error.message]
            status = 422
        else:
            audit("password_changed", user_id=current_user.id)
            flash(
                "Your password has been changed. Everywhere else you were signed in, "
                "you have been signed out.",
                "success",
            )
            return redirect(url_for("auth.account"))
    elif form.errors:
        status = 422
    form.current_password.data = form.new_password.data = ""
    return render_template("auth/change_password.html", form=form), status


@bp.route("/account/sign-out-everywhere", methods=["GET", "POST"])
def sign_out_everywhere():
    form = SignOutEverywhereForm()
    if form.validate_on_submit():
        audit("signed_out_everywhere", user_id=current_user.id)
        sessions.end_all(current_user)
        logout_user()
        session.clear()
        flash("You have signed out on every device and browser")
        return redirect(url_for("auth.sign_in"))
    return render_template("auth/sign_out_everywhere.html", form=form)
