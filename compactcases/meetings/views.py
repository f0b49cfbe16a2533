"""Meeting pages: arrange a meeting on a case, change or cancel it, record it afterwards, and
see one meeting."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import history, localtime, policy
from ..cases import services as case_services
from ..models import utcnow
from ..policy import Action, authorize
from . import services
from .describe import when, where
from .forms import ACTION_ROWS, CancelMeetingForm, MeetingForm, RecordMeetingForm

bp = Blueprint("meetings", __name__)


def _case(reference: str, action: Action):
    case = case_services.get_case(reference)
    if case is None:
        abort(404)
    authorize(current_user, action, case)
    return case


def _meeting(reference: str, meeting_id: int, action: Action):
    case = _case(reference, action)
    meeting = services.get_meeting(case, meeting_id)
    # A party sees only the meetings it is invited to; the others are not found.
    if meeting is None or not policy.sees_meeting(current_user, meeting):
        abort(404)
    return case, meeting


# Where the services' field errors show on the forms, when the names differ.
_FIELDS = {"ends_at": "end_time"}


def _refused(form, refused: services.MeetingRefused) -> None:
    """Put each refusal beside its field (the form's first field if it has none)."""
    first = next(f for f in form if f.type not in ("CSRFTokenField", "HiddenField"))
    for name, message in refused.field_errors.items():
        field = getattr(form, _FIELDS.get(name, name), None) or first
        field.errors = [*field.errors, message]


def _page(template: str, status: int = 200, **values):
    return render_template(template, when=when, where=where, **values), status


def _stale(template: str, case, meeting, form):
    """The meeting as it is now, with the user's answers kept and the newer version in the
    form: saving again is a deliberate choice made with the change in view."""
    fresh = services.get_meeting(case_services.get_case(case.reference), meeting.id)
    form.version.data = str(fresh.version)
    return _page(template, 409, case=fresh.case, meeting=fresh, form=form, stale=True)


@bp.route("/cases/<reference>/meetings/new", methods=["GET", "POST"])
def schedule_meeting(reference: str):
    case = _case(reference, Action.MANAGE_MEETINGS)
    form = MeetingForm()
    form.set_people(services.invitable(case))
    if request.method == "GET":
        # On a new meeting the hidden version is the case's, so a second press is refused.
        form.version.data = str(case.version)
    if form.validate_on_submit():
        try:
            meeting = services.schedule_meeting(
                case, form.draft(), current_user, utcnow(), form.expected_version
            )
        except services.MeetingRefused as refused:
            _refused(form, refused)
        except history.StaleCase as stale:
            form.version.data = str(stale.case.version)
            return _page(
                "meetings/form.html", 409, case=stale.case, meeting=None, form=form, stale=True
            )
        else:
            flash(f"Meeting arranged for {when(meeting)}; invitations will be e-mailed", "success")
            return redirect(url_for("cases.show_case", reference=case.reference))
    status = 422 if form.errors else 200
    return _page("meetings/form.html", status, case=case, meeting=None, form=form, stale=False)


@bp.get("/cases/<reference>/meetings/<int:meeting_id>")
def show_meeting(reference: str, meeting_id: int):
    case, meeting = _meeting(reference, meeting_id, Action.VIEW_CASE)
    return _page(
        "meetings/show.html",
        case=case,
        meeting=meeting,
        can_manage=policy.can(current_user, Action.MANAGE_MEETINGS, case),
        can_read_note=policy.can(current_user, Action.READ_PRIVATE_NOTES, case),
        now=utcnow(),
    )


@bp.route("/cases/<reference>/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
def edit_meeting(reference: str, meeting_id: int):
    case, meeting = _meeting(reference, meeting_id, Action.MANAGE_MEETINGS)
    form = MeetingForm()
    form.set_people(services.invitable(case))
    if request.method == "GET":
        form.fill(meeting)
    elif form.validate_on_submit():
        try:
            services.change_meeting(
                meeting, form.draft(), form.expected_version, current_user, utcnow()
            )
        except (services.StaleMeeting, history.StaleCase):
            return _stale("meetings/form.html", case, meeting, form)
        except services.MeetingRefused as refused:
            _refused(form, refused)
        else:
            flash("Meeting changed; everyone invited will be e-mailed the update", "success")
            return redirect(
                url_for("meetings.show_meeting", reference=reference, meeting_id=meeting_id)
            )
    status = 422 if form.errors else 200
    return _page("meetings/form.html", status, case=case, meeting=meeting, form=form, stale=False)


@bp.route("/cases/<reference>/meetings/<int:meeting_id>/cancel", methods=["GET", "POST"])
def cancel_meeting(reference: str, meeting_id: int):
    case, meeting = _meeting(reference, meeting_id, Action.MANAGE_MEETINGS)
    form = CancelMeetingForm()
    if request.method == "GET":
        form.version.data = str(meeting.version)
    elif form.validate_on_submit():
        try:
            services.cancel_meeting(
                meeting, form.reason.data or "", form.expected_version, current_user, utcnow()
            )
        except (services.StaleMeeting, history.StaleCase):
            return _stale("meetings/cancel.html", case, meeting, form)
        except services.MeetingRefused as refused:
            form.reason.errors = list(refused.field_errors.values())
        else:
            flash("Meeting cancelled; everyone invited will be told", "success")
            return redirect(url_for("cases.show_case", reference=reference))
    status = 422 if form.errors else 200
    return _page("meetings/cancel.html", status, case=case, meeting=meeting, form=form, stale=False)


@bp.route("/cases/<reference>/meetings/<int:meeting_id>/record", methods=["GET", "POST"])
def record_meeting(reference: str, meeting_id: int):
    case, meeting = _meeting(reference, meeting_id, Action.MANAGE_MEETINGS)
    form = RecordMeetingForm()
    form.set_choices(meeting, services.invitable(case))
    if request.method == "GET":
        form.version.data = str(meeting.version)
        form.attended.data = [a.id for a in meeting.attendees]
    elif form.validate_on_submit():
        try:
            services.record_meeting(
                meeting,
                form.record(),
                form.expected_version,
                current_user,
                utcnow(),
                localtime.today(),
            )
        except (services.StaleMeeting, history.StaleCase):
            return _stale("meetings/record.html", case, meeting, form)
        except services.MeetingRefused as refused:
            _refused(form, refused)
        else:
            flash("Meeting recorded on the timeline", "success")
            return redirect(url_for("cases.show_case", reference=reference))
    status = 422 if form.errors else 200
    return _page(
        "meetings/record.html",
        status,
        case=case,
        meeting=meeting,
        form=form,
        stale=False,
        rows=range(1, ACTION_ROWS + 1),
    )
