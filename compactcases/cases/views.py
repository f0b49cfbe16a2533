"""Case pages: the list, logging a dispute, the case page, editing, notes, workflow
buttons, and the case clock (stop, restart, extend a deadline)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.exceptions import Forbidden

from workflows.dispute import Event, EventRequest, State, TransitionRefused, split_next_steps

from .. import history, localtime, policy
from ..bounds import page_arg
from ..documents import services as documents
from ..letters.services import letters_for
from ..meetings import describe as describe_meeting
from ..meetings import services as meeting_services
from ..models import Area, Role, utcnow
from ..policy import Action, authorize
from ..reminders import inbox as reminder_inbox
from . import assignment, progress, regional, responses, services, wording, workflow
from . import deadlines as case_deadlines
from . import search as case_search
from .acknowledgement import open_acknowledgement
from .forms import (
    CaseForm,
    EventForm,
    ExtendForm,
    NoteForm,
    OutcomeForm,
    PauseForm,
    ResponseForm,
    ResumeForm,
)
from .list_forms import AssignForm, CaseFilterForm
from .queues import UNACKNOWLEDGED
from .regional_forms import RegionalCaseForm

bp = Blueprint("cases", __name__)


@bp.errorhandler(history.StaleCase)
def stale_case(stale: history.StaleCase):
    """A change that lost a race to someone else's: nothing was saved; show the case as it now
    stands, with what happened, as 409."""
    current = services.get_case(stale.case.reference)
    return _render_case(current, refusal=stale, status=409)


def parse_case_filters(args) -> tuple[CaseFilterForm, case_search.CaseFilters]:
    """The case list's filter form from the query string, and the filters it sets."""
    form = CaseFilterForm(args)
    form.set_choices(
        services.filter_compacts(current_user), assignment.people_to_filter_by(current_user)
    )
    if not form.validate():
        return form, case_search.CaseFilters()
    state = form.state.data
    filters = case_search.CaseFilters(
        state=State(state) if state and state not in ("open", UNACKNOWLEDGED) else None,
        open_only=state == "open",
        unacknowledged=state == UNACKNOWLEDGED,
        compact=form.compact.data or None,
        area=Area(form.area.data) if form.area.data else None,
        q=form.q.data or "",
        oldest_first=form.sort.data == "oldest",
        by_deadline=form.sort.data == "deadline",
        due=form.due.data or None,
        assigned=form.assigned.data or None,
        person=int(form.person.data) if form.person.data else None,
    )
    return form, filters


@bp.get("/cases")
def list_cases():
    authorize(current_user, Action.LIST_CASES)
    form, filters = parse_case_filters(request.args)
    page = page_arg()
    pagination = case_search.search_cases(
        filters, current_user, page=page, per_page=current_app.config["CASES_PER_PAGE"]
    )
    return render_template(
        "cases/list.html",
        filter_form=form,
        form=form if form.errors else None,
        pagination=pagination,
        filters=filters,
    )


@bp.route("/cases/new", methods=["GET", "POST"])
def new_case():
    authorize(current_user, Action.CREATE_CASE)
    form = CaseForm(choices=services.form_choices(current_user), user=current_user)
    if request.method == "GET":
        if current_user.compact_id:
            form.compact.data = current_user.compact_id
        form.raised_on.data = localtime.today()
    if form.validate_on_submit():
        case = services.create_case(form.details(), current_user)
        flash(f"Case {case.reference} logged", "success")
        return redirect(url_for("cases.show_case", reference=case.reference))
    status = 422 if form.errors else 200
    return render_template("cases/new.html", form=form), status


def _case_for(reference: str, action: Action):
    """The case, if the signed-in user may take `action` on it; 404 or 403 otherwise."""
    case = services.get_case(reference)
    if case is None:
        abort(404)
    authorize(current_user, action, case)
    return case


def _render_case(
    case,
    *,
    event_forms=None,
    refusal=None,
    open_event=None,
    note_form=None,
    clock_forms=None,
    open_clock=None,
    status=200,
    events_page=1,
):
    today = localtime.today()
    allowed = list(workflow.events_for(current_user, case, today))
    next_step, other_steps = split_next_steps(case.state, allowed)
    timeline = services.timeline(case, current_user, events_page)
    forms = {event: EventForm(prefix=event.value) for event in allowed}
    forms.update(event_forms or {})
    can_note = policy.can(current_user, Action.ADD_NOTE, case)
    staff = policy.can(current_user, Action.READ_PRIVATE_NOTES, case)
    can_clock = policy.can(current_user, Action.MANAGE_CLOCK, case)
    deadline_rows = case_deadlines.deadline_rows(case, today, current_user)
    clock_form_set = {}
    if can_clock:
        clock_form_set = {
            "pause": PauseForm(prefix="pause"),
            "resume": ResumeForm(prefix="resume"),
            **{
                f"extend-{row.id}": ExtendForm(prefix=f"extend-{row.id}")
                for row in deadline_rows
                if row.status.value == "open" and row.kind.follows_clock
            },
        }
        if request.method == "GET":
            clock_form_set["pause"].started_on.data = today
            clock_form_set["resume"].ended_on.data = today
        clock_form_set.update(clock_forms or {})
    return (
        render_template(
            "cases/show.html",
            case=case,
            timeline=timeline,
            timeline_text=wording.describe_page(timeline.entries),
            allowed=allowed,
            next_step=next_step,
            other_steps=other_steps,
            event_forms=forms,
            refusal=refusal,
            open_event=open_event,
            note_form=note_form or (_note_form(today) if can_note else None),
            can_edit=policy.can(current_user, Action.EDIT_CASE, case),
            can_refer=case.state in policy.REGIONAL_STATES
            and policy.can(current_user, Action.REFER_CASE, case),
            can_take=policy.can(current_user, Action.TAKE_CASE, case) and case.mediator_id is None,
            can_assign=policy.can(current_user, Action.ASSIGN_CASE, case),
            can_clock=can_clock,
            can_acknowledge=policy.can(current_user, Action.ACKNOWLEDGE_CASE, case)
            and case.state is State.RAISED
            and open_acknowledgement(case) is not None,
            letter_kinds=letters_for(case)
            if policy.can(current_user, Action.GENERATE_LETTER, case)
            else (),
            deadlines=deadline_rows,
            meetings=meeting_services.meetings_of(case, utcnow(), current_user),
            meeting_when=describe_meeting.when,
            meeting_where=describe_meeting.where,
            can_meet=policy.can(current_user, Action.MANAGE_MEETINGS, case) and case.is_open,
            # Reminders are the Compact's own record, kept from the parties as private notes are.
            reminders=reminder_inbox.case_reminders(case) if staff else {},
            move=progress.move_of(case, current_user, today),
            state_words=wording.state_in_words(case.state),
            can_respond=case.is_open and policy.can(current_user, Action.RESPOND_ON_CASE, case),
            documents=documents.documents_of(case, current_user),
            clock_forms=clock_form_set,
            open_clock=open_clock,
            # The error summary at the top of the page lists this form's errors.
            form=clock_form_set.get(open_clock) if open_clock else None,
        ),
        status,
    )


def _note_form(today) -> NoteForm:
    form = NoteForm()
    form.occurred_on.data = today
    return form


@bp.get("/cases/<reference>")
def show_case(reference: str):
    # Page 1 is the latest entries; anything that is not a page number shows page 1.
    events_page = request.args.get("events_page", 1, type=int)
    return _render_case(
        _case_for(reference, Action.VIEW_CASE), events_page=min(max(events_page, 1), 10**6)
    )


@bp.get("/cases/<reference>/resolve")
def resolve_case(reference: str):
    case = _case_for(reference, Action.VIEW_CASE)
    _may_fire_or_refuse(case, Event.RESOLVE.value)
    refusal = workflow.refusal(case, Event.RESOLVE.value, localtime.today())
    if refusal is not None:
        return _render_case(case, refusal=refusal, status=409)
    form = OutcomeForm(prefix=Event.RESOLVE.value)
    form.level.data = workflow.level_reached(case).value
    return render_template("cases/resolve.html", case=case, form=form)


@bp.post("/cases/<reference>/events/<event>")
def fire_event(reference: str, event: str):
    case = _case_for(reference, Action.VIEW_CASE)
    _may_fire_or_refuse(case, event)
    resolving = event == Event.RESOLVE.value
    form = OutcomeForm(prefix=event) if resolving else EventForm(prefix=event)
    # Only the CSRF token can fail here; what the event needs is the domain's to check.
    if not form.validate() and "csrf_token" in form.errors:
        abort(400)
    event_request = EventRequest(
        today=localtime.today(),
        reason="" if resolving else (form.reason.data or ""),
        outcome=form.draft() if resolving else None,
    )
    try:
        result = workflow.fire_event(case, event, event_request, current_user)
    except TransitionRefused as refused:
        for name, message in refused.field_errors.items():
            getattr(form, name).errors = [message]
        if resolving and refused.field_errors:
            return render_template("cases/resolve.html", case=case, form=form), 422
        forms = {Event(event): form} if refused.field_errors else {}
        return _render_case(
            case,
            event_forms=forms,
            refusal=refused,
            open_event=event if refused.field_errors else None,
            status=422 if refused.field_errors else 409,
        )
    flash(wording.step_done(result.event, case.reference, result.to_state), "success")
    return redirect(url_for("cases.show_case", reference=case.reference))


def _may_fire_or_refuse(case, event: str) -> None:
    """403 when the workflow would allow the event now but the user's role may not fire it;
    an event the workflow refuses anyway is answered by the workflow's own message."""
    refused = workflow.role_refusal(current_user, case, event, localtime.today())
    if refused is not None:
        policy.audit("permission_refused", user_id=current_user.id, action=event, status=403)
        raise Forbidden(refused)


@bp.post("/cases/<reference>/notes")
def add_note(reference: str):
    case = _case_for(reference, Action.ADD_NOTE)
    form = NoteForm()
    if not form.validate():
        return _render_case(case, note_form=form, status=422)
    try:
        services.add_note(
            case,
            form.text.data,
            meeting=form.kind.data == "meeting",
            private=form.private.data,
            actor=current_user,
            occurred_on=form.occurred_on.data,
        )
    except services.NoteRefused as refused:
        form.occurred_on.errors = list(refused.field_errors.values())
        return _render_case(case, note_form=form, status=422)
    flash("Meeting recorded" if form.kind.data == "meeting" else "Note added", "success")
    return redirect(url_for("cases.show_case", reference=case.reference))


@bp.post("/cases/<reference>/take")
def take_case(reference: str):
    case = _case_for(reference, Action.TAKE_CASE)
    try:
        assignment.take_case(case, current_user)
    except assignment.AssignmentRefused as refused:
        return _render_case(case, refusal=refused, status=409)
    except history.StaleCase as stale:
        # Another mediator took it a moment before: say who.
        current = services.get_case(stale.case.reference)
        refused = assignment.AssignmentRefused(assignment.taken_message(current))
        return _render_case(current, refusal=refused, status=409)
    flash(f"You are now the mediator for {case.reference}", "success")
    return redirect(url_for("cases.show_case", reference=case.reference))


@bp.route("/cases/<reference>/assignment", methods=["GET", "POST"])
def assign_case(reference: str):
    """A lead mediator or an administrator chooses the case's mediator (an administrator its
    officer too); a stale form is refused with 409."""
    case = _case_for(reference, Action.ASSIGN_CASE)
    choices = assignment.assignment_choices(case, current_user)
    form = AssignForm(choices=choices, officers=current_user.role is Role.ADMIN)
    refusal, status = None, 200
    if request.method == "GET":
        form.fill(case)
    elif form.validate_on_submit():
        try:
            changed = assignment.assign(case, current_user, **form.assignment())
        except assignment.AssignmentRefused as refused:
            for name, message in refused.field_errors.items():
                getattr(form, name).errors = [message]
            refusal, status = refused, (422 if refused.field_errors else 409)
        else:
            flash(f"{case.reference} assigned" if changed else "Nothing was changed", "success")
            return redirect(url_for("cases.show_case", reference=case.reference))
    else:
        status = 422
    return render_template("cases/assign.html", case=case, form=form, refusal=refusal), status


@bp.route("/cases/<reference>/edit", methods=["GET", "POST"])
def edit_case(reference: str):
    case = _case_for(reference, Action.EDIT_CASE)
    if case.is_regional:
        form = RegionalCaseForm(choices=regional.form_choices(current_user), user=current_user)
    else:
        choices = services.form_choices(current_user, case.compact_id)
        form = CaseForm(choices=choices, user=current_user)
    if request.method == "GET":
        _fill_from_case(form, case)
    stale = None
    if form.validate_on_submit():
        try:
            expected = int(form.version.data or 0)
        except ValueError:
            expected = 0
        try:
            changes = services.update_case(case, form.details(), expected, current_user)
        except history.StaleCase as refused:
            stale = refused.case
        else:
            if changes:
                flash(f"Case {case.reference} saved", "success")
            else:
                flash("Nothing was changed", "info")
            return redirect(url_for("cases.show_case", reference=case.reference))
    if stale is not None:
        # Show what the other person saved beside the user's own text. Saving again is a
        # deliberate choice made with the newer version in view, so the form now carries it.
        current = services.get_case(reference)
        form.version.data = str(current.version)
        return render_template("cases/edit.html", form=form, case=current, stale=True), 409
    status = 422 if form.errors else 200
    return render_template("cases/edit.html", form=form, case=case, stale=False), status


def _fill_from_case(form: CaseForm, case) -> None:
    if case.is_regional:
        form.affected_compacts.data = [c.id for c in case.affected_compacts]
    else:
        form.compact.data = case.compact_id
    form.title.data = case.title
    form.summary.data = case.summary
    form.funder.data = case.funder_id
    form.third_sector.data = case.third_sector_id
    form.raised_by.data = case.raised_by.value
    form.areas.data = [a.value for a in case.areas]
    form.amount_at_stake.data = case.amount_at_stake
    form.raised_on.data = case.raised_on
    form.version.data = str(case.version)
    form.fill_other_parties(services.details_of(case))


def _clock_change(case, key: str, form, change):
    """Validate `form`, make the change, and show the case again; errors stay beside the form."""
    if form.validate():
        try:
            change(form)
        except case_deadlines.ClockRefused as refused:
            for name, message in refused.field_errors.items():
                getattr(form, name).errors = [message]
        else:
            return None
    elif "csrf_token" in form.errors:
        abort(400)
    return _render_case(case, clock_forms={key: form}, open_clock=key, status=422)


@bp.post("/cases/<reference>/clock/pause")
def pause_clock(reference: str):
    case = _case_for(reference, Action.MANAGE_CLOCK)
    refused = _clock_change(
        case,
        "pause",
        PauseForm(prefix="pause"),
        lambda form: case_deadlines.pause_clock(
            case, form.started_on.data, form.reason.data.strip(), current_user, localtime.today()
        ),
    )
    if refused is not None:
        return refused
    flash("The clock is stopped: deadlines will move on by each day it stays stopped", "success")
    return redirect(url_for("cases.show_case", reference=case.reference))


@bp.post("/cases/<reference>/clock/resume")
def resume_clock(reference: str):
    case = _case_for(reference, Action.MANAGE_CLOCK)
    refused = _clock_change(
        case,
        "resume",
        ResumeForm(prefix="resume"),
        lambda form: case_deadlines.resume_clock(
            case,
            form.ended_on.data,
            (form.reason.data or "").strip(),
            current_user,
            localtime.today(),
        ),
    )
    if refused is not None:
        return refused
    flash("The clock is running again", "success")
    return redirect(url_for("cases.show_case", reference=case.reference))


@bp.post("/cases/<reference>/deadlines/<int:deadline_id>/extend")
def extend_deadline(reference: str, deadline_id: int):
    case = _case_for(reference, Action.MANAGE_CLOCK)
    key = f"extend-{deadline_id}"
    refused = _clock_change(
        case,
        key,
        ExtendForm(prefix=key),
        lambda form: case_deadlines.extend_deadline(
            case,
            deadline_id,
            form.days.data,
            form.reason.data.strip(),
            current_user,
            localtime.today(),
        ),
    )
    if refused is not None:
        return refused
    flash("Deadline extended", "success")
    return redirect(url_for("cases.show_case", reference=case.reference))


@bp.route("/cases/<reference>/responses/new", methods=["GET", "POST"])
def respond(reference: str):
    """A party's statement or response on its open case, with documents; a closed case is
    refused with 409, a second press of the button (the form's version is stale) too."""
    case = _case_for(reference, Action.RESPOND_ON_CASE)
    if not case.is_open:
        return _response_page(case, None, 409, closed=responses.closed_message(case))
    form = ResponseForm()
    if request.method == "GET":
        form.version.data = str(case.version)
        return _response_page(case, form, 200)
    if form.validate_on_submit():
        try:
            responses.add_response(
                case,
                current_user,
                form.text.data,
                bool(form.officers_only.data),
                documents.uploads_from(form.files.data),
                expected_version=form.expected_version,
            )
        except responses.ResponseRefused as refused:
            if refused.closed:
                return _response_page(case, None, 409, closed=refused.message)
            for name, message in refused.field_errors.items():
                getattr(form, name).errors = [message]
        except history.StaleCase as stale:
            form.version.data = str(stale.case.version)
            return _response_page(stale.case, form, 409, stale=True)
        else:
            flash("Your response was added to the case", "success")
            return redirect(url_for("cases.show_case", reference=case.reference))
    elif "csrf_token" in form.errors:
        abort(400)
    return _response_page(case, form, 422)


def _response_page(case, form, status: int, **values):
    return render_template("cases/respond.html", case=case, form=form, **values), status
