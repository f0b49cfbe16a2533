"""Reminders pages: the in-app inbox, the private calendar feed and its settings page."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    g,
    has_request_context,
    redirect,
    render_template,
    url_for,
)
from flask_login import current_user

from ..bounds import page_arg
from ..policy import Action, audit, authorize
from . import calendar, feeds, moves
from . import inbox as reminder_inbox

bp = Blueprint("reminders", __name__)


@bp.app_context_processor
def unread_reminders():
    """The unread count in the header: one COUNT query per page, only when signed in."""

    def count() -> int:
        if not has_request_context() or not current_user.is_authenticated:
            return 0
        if "unread_reminders" not in g:
            g.unread_reminders = reminder_inbox.unread_count(current_user)
        return g.unread_reminders

    return {"unread_reminders": count}


@bp.get("/inbox")
def inbox():
    authorize(current_user, Action.READ_REMINDERS)
    page = page_arg()
    return render_template(
        "reminders/inbox.html",
        pagination=reminder_inbox.inbox(current_user, page),
        case_updates=moves.inbox_updates(current_user),
    )


@bp.post("/inbox/<int:reminder_id>/read")
def mark_read(reminder_id: int):
    authorize(current_user, Action.READ_REMINDERS)
    # Someone else's reminder is not found: its existence is not revealed.
    if not reminder_inbox.owns_inbox_reminder(current_user, reminder_id):
        abort(404)
    reminder_inbox.mark_read(current_user, reminder_id)
    return redirect(url_for("reminders.inbox"))


@bp.post("/inbox/read-all")
def mark_all_read():
    authorize(current_user, Action.READ_REMINDERS)
    count = reminder_inbox.mark_read(current_user)
    if count:
        flash(f"{count} reminder{'s' if count != 1 else ''} marked as read", "success")
    return redirect(url_for("reminders.inbox"))


@bp.get("/calendar")
def calendar_page():
    authorize(current_user, Action.SUBSCRIBE_CALENDAR)
    feed = feeds.feed_for(current_user)
    address = url_for("reminders.calendar_feed", token=feed.token, _external=True) if feed else None
    return render_template("reminders/calendar.html", feed=feed, address=address)


@bp.post("/calendar")
def new_calendar_feed():
    authorize(current_user, Action.SUBSCRIBE_CALENDAR)
    had = feeds.feed_for(current_user) is not None
    feeds.new_feed(current_user)
    audit("calendar_feed_created", user_id=current_user.id, replaced=had)
    flash(
        "New calendar address made: the old one no longer works"
        if had
        else "Calendar address made",
        "success",
    )
    return redirect(url_for("reminders.calendar_page"))


@bp.post("/calendar/revoke")
def revoke_calendar_feed():
    authorize(current_user, Action.SUBSCRIBE_CALENDAR)
    if feeds.revoke_feed(current_user):
        audit("calendar_feed_revoked", user_id=current_user.id)
        flash("Calendar address turned off: calendars subscribed to it stop updating", "success")
    return redirect(url_for("reminders.calendar_page"))


@bp.get("/calendar/<token>.ics")
def calendar_feed(token: str):
    """Public: calendar programs cannot sign in, so the secret token in the address is the
    credential. An unknown or revoked token, or a deactivated account's, is not found."""
    user = feeds.feed_user(token)
    if user is None:
        abort(404)
    body = calendar.feed(user, feeds.deadlines_for(user), feeds.meetings_for(user))
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="compact-cases.ics"'
    response.headers["Cache-Control"] = "private, max-age=300"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
