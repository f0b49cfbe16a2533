"""Notice pages: the list, recording a notice, its verdict, opening a case from it, checking a
planned change, and a funder's compliance."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from workflows.periods import PeriodError

from .. import localtime, policy
from ..agreements import services as agreements
from ..agreements import windows as agreement_windows
from ..bounds import page_arg
from ..cases import services as case_services
from ..documents import services as documents
from ..models import NoticeKind, Role
from ..policy import Action, authorize
from . import changes, lists, services
from .forms import NoticeFilterForm, NoticeForm, PlannedCheckForm, WithdrawNoticeForm

bp = Blueprint("notices", __name__)


@bp.get("/notices")
def list_notices():
    authorize(current_user, Action.LIST_NOTICES)
    form = NoticeFilterForm(request.args)
    form.set_choices(services.filter_choices(current_user))
    filters = form.filters()
    page = page_arg()
    pagination = lists.search_notices(
        filters, current_user, page=page, per_page=current_app.config["CASES_PER_PAGE"]
    )
    return render_template(
        "notices/list.html",
        filter_form=form,
        form=form if form.errors else None,
        pagination=pagination,
        can_record=policy.can(current_user, Action.CREATE_NOTICE),
    )


@bp.route("/notices/new", methods=["GET", "POST"])
def new_notice():
    authorize(current_user, Action.CREATE_NOTICE)
    form = NoticeForm(
        choices=services.form_choices(current_user),
        user=current_user,
        agreements=agreement_windows.open_for_notice(current_user),
    )
    if request.method == "GET":
        if current_user.compact_id:
            form.compact.data = current_user.compact_id
        if current_user.organisation_id:
            form.funder.data = current_user.organisation_id
        _fill_from_agreement(form)
    if form.validate_on_submit():
        try:
            notice = services.create_notice(form.details(), current_user)
        except agreements.StaleAgreement:
            form.agreement.errors = [
                "Someone else recorded notice against this agreement just now; nothing of "
                "yours was saved. Check the agreement before recording it again"
            ]
            return render_template("notices/new.html", form=form), 409
        flash("Notice recorded", "success")
        return redirect(url_for("notices.show_notice", notice_id=notice.id))
    status = 422 if form.errors else 200
    return render_template("notices/new.html", form=form), status


def _fill_from_agreement(form: NoticeForm) -> None:
    """Opened from an agreement (``?agreement=ID``): notice of ending it at its end date."""
    raw = request.args.get("agreement", "")
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9:
        return
    agreement = agreements.get_agreement(int(raw), current_user)
    if agreement is None:
        return
    form.kind.data = NoticeKind.FUNDING_END.value
    form.compact.data = agreement.compact_id
    form.funder.data = agreement.funder_id
    form.recipient.data = agreement.organisation_id
    form.title.data = f"Ending {agreement.title}"[:200]
    form.effective_on.data = agreement.ends_on
    form.agreement.data = agreement.id


def _notice_for(notice_id: int, action: Action):
    notice = services.get_notice(notice_id)
    if notice is None:
        abort(404)
    authorize(current_user, action, notice)
    return notice


def _render_notice(
    notice,
    refusal: str | None = None,
    status: int = 200,
    refusal_title: str = "No case was opened",
):
    return (
        render_template(
            "notices/show.html",
            notice=notice,
            refusal=refusal,
            refusal_title=refusal_title,
            can_edit=not notice.withdrawn and policy.can(current_user, Action.EDIT_NOTICE, notice),
            can_open_case=policy.can(current_user, Action.OPEN_CASE_FROM_NOTICE, notice),
            can_see_case=notice.case is not None
            and policy.can(current_user, Action.VIEW_CASE, notice.case),
            documents=documents.documents_of(notice, current_user),
        ),
        status,
    )


@bp.get("/notices/<int:notice_id>")
def show_notice(notice_id: int):
    return _render_notice(_notice_for(notice_id, Action.VIEW_NOTICE))


@bp.post("/notices/<int:notice_id>/open-case")
def open_case(notice_id: int):
    notice = _notice_for(notice_id, Action.OPEN_CASE_FROM_NOTICE)
    try:
        case = services.open_case(notice, current_user, localtime.today())
    except services.NoticeRefused as refused:
        return _render_notice(notice, refusal=str(refused), status=409)
    flash(f"Case {case.reference} opened from this notice", "success")
    return redirect(url_for("cases.show_case", reference=case.reference))


def _expected_version(field) -> int:
    try:
        return int(field.data or 0)
    except ValueError:
        return 0


@bp.route("/notices/<int:notice_id>/edit", methods=["GET", "POST"])
def edit_notice(notice_id: int):
    notice = _notice_for(notice_id, Action.EDIT_NOTICE)
    if notice.withdrawn:
        return _render_notice(notice, changes.WITHDRAWN_MESSAGE, 409, "The notice was not changed")
    form = NoticeForm(choices=services.form_choices(current_user), user=current_user)
    form.submit.label.text = "Save and check"
    if request.method == "GET":
        form.fill_from(notice)
    if form.validate_on_submit():
        try:
            entry = changes.update_notice(
                notice, form.details(), _expected_version(form.version), current_user
            )
        except changes.StaleNotice:
            # What the other person saved, beside the user's own answers; saving again is a
            # deliberate choice made with the newer version in view.
            current = services.get_notice(notice_id)
            form.version.data = str(current.version)
            return render_template("notices/edit.html", form=form, notice=current, stale=True), 409
        except services.NoticeRefused as refused:
            return _render_notice(notice, str(refused), 409, "The notice was not changed")
        flash("Notice saved" if entry else "Nothing was changed", "success" if entry else "info")
        return redirect(url_for("notices.show_notice", notice_id=notice.id))
    status = 422 if form.errors else 200
    return render_template("notices/edit.html", form=form, notice=notice, stale=False), status


@bp.route("/notices/<int:notice_id>/withdraw", methods=["GET", "POST"])
def withdraw_notice(notice_id: int):
    notice = _notice_for(notice_id, Action.EDIT_NOTICE)
    if notice.withdrawn:
        return _render_notice(notice, changes.WITHDRAWN_MESSAGE, 409, "The notice was not changed")
    form = WithdrawNoticeForm()
    if request.method == "GET":
        form.version.data = str(notice.version)
    stale = False
    if form.validate_on_submit():
        try:
            changes.withdraw_notice(
                notice, form.reason.data, _expected_version(form.version), current_user
            )
        except changes.StaleNotice:
            notice = services.get_notice(notice_id)
            form.version.data = str(notice.version)
            stale = True
        except services.NoticeRefused as refused:
            return _render_notice(notice, str(refused), 409, "The notice was not changed")
        else:
            flash("Notice withdrawn", "success")
            return redirect(url_for("notices.show_notice", notice_id=notice.id))
    status = 409 if stale else 422 if form.errors else 200
    return render_template("notices/withdraw.html", form=form, notice=notice, stale=stale), status


@bp.route("/notices/check", methods=["GET", "POST"])
def check_planned():
    authorize(current_user, Action.CHECK_NOTICE)
    compacts = case_services.filter_compacts(current_user)
    form = PlannedCheckForm(compacts=compacts)
    if request.method == "GET":
        if current_user.compact_id:
            form.compact.data = current_user.compact_id
        form.kind.data = NoticeKind.FUNDING_END.value
    result = None
    if form.validate_on_submit():
        compact = next(c for c in compacts if c.id == form.compact.data)
        try:
            result = services.check_planned(
                compact,
                NoticeKind(form.kind.data),
                later=form.effective_on.data,
                earlier=form.notice_on.data,
            )
        except PeriodError as error:
            # A long local rule counted from a date near the calendar's ends.
            text = str(error)
            form.effective_on.errors.append(text[:1].upper() + text[1:])
    status = 422 if form.errors else 200
    return render_template("notices/check.html", form=form, result=result), status


@bp.get("/funders/<int:organisation_id>/compliance")
def funder_compliance(organisation_id: int):
    authorize(current_user, Action.LIST_NOTICES)
    funder = lists.get_funder(organisation_id)
    # A funder user sees only its own organisation's page.
    if funder is None or (
        current_user.role is Role.FUNDER and current_user.organisation_id != funder.id
    ):
        abort(404)
    compliance = lists.funder_compliance(funder, current_user)
    page = page_arg()
    pagination = lists.search_notices(
        lists.NoticeFilters(funder_id=funder.id),
        current_user,
        page=page,
        per_page=current_app.config["CASES_PER_PAGE"],
    )
    return render_template("notices/compliance.html", compliance=compliance, pagination=pagination)
