"""Notice pages: the list, recording a notice, its verdict, opening a case from it, checking a
planned change, and a funder's compliance."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for

from .. import clock
from ..acting import acting_user
from ..cases import services as case_services
from ..models import NoticeKind
from . import services
from .forms import NoticeFilterForm, NoticeForm, PlannedCheckForm

bp = Blueprint("notices", __name__)


@bp.get("/notices")
def list_notices():
    choices = case_services.form_choices()
    form = NoticeFilterForm(request.args)
    form.set_choices(choices)
    filters = form.filters()
    page = request.args.get("page", 1, type=int)
    pagination = services.search_notices(
        filters, page=max(page, 1), per_page=current_app.config["CASES_PER_PAGE"]
    )
    return render_template(
        "notices/list.html",
        filter_form=form,
        form=form if form.errors else None,
        pagination=pagination,
    )


@bp.route("/notices/new", methods=["GET", "POST"])
def new_notice():
    form = NoticeForm(choices=case_services.form_choices())
    if request.method == "GET":
        user = acting_user()
        if user and user.compact_id:
            form.compact.data = user.compact_id
        if user and user.organisation_id:
            form.funder.data = user.organisation_id
    if form.validate_on_submit():
        notice = services.create_notice(form.details(), acting_user())
        flash("Notice recorded", "success")
        return redirect(url_for("notices.show_notice", notice_id=notice.id))
    status = 422 if form.errors else 200
    return render_template("notices/new.html", form=form), status


def _notice_or_404(notice_id: int):
    notice = services.get_notice(notice_id)
    if notice is None:
        abort(404)
    return notice


@bp.get("/notices/<int:notice_id>")
def show_notice(notice_id: int):
    return render_template("notices/show.html", notice=_notice_or_404(notice_id), refusal=None)


@bp.post("/notices/<int:notice_id>/open-case")
def open_case(notice_id: int):
    notice = _notice_or_404(notice_id)
    try:
        case = services.open_case(notice, acting_user(), clock.today())
    except services.NoticeRefused as refused:
        return render_template("notices/show.html", notice=notice, refusal=str(refused)), 409
    flash(f"Case {case.reference} opened from this notice", "success")
    return redirect(url_for("cases.show_case", reference=case.reference))


@bp.route("/notices/check", methods=["GET", "POST"])
def check_planned():
    choices = case_services.form_choices()
    form = PlannedCheckForm(compacts=choices.compacts)
    if request.method == "GET":
        user = acting_user()
        if user and user.compact_id:
            form.compact.data = user.compact_id
        form.kind.data = NoticeKind.FUNDING_END.value
    result = None
    if form.validate_on_submit():
        compact = next(c for c in choices.compacts if c.id == form.compact.data)
        result = services.check_planned(
            compact,
            NoticeKind(form.kind.data),
            later=form.effective_on.data,
            earlier=form.notice_on.data,
        )
    status = 422 if form.errors else 200
    return render_template("notices/check.html", form=form, result=result), status


@bp.get("/funders/<int:organisation_id>/compliance")
def funder_compliance(organisation_id: int):
    funder = services.get_funder(organisation_id)
    if funder is None:
        abort(404)
    compliance = services.funder_compliance(funder)
    page = request.args.get("page", 1, type=int)
    pagination = services.search_notices(
        services.NoticeFilters(funder_id=funder.id),
        page=max(page, 1),
        per_page=current_app.config["CASES_PER_PAGE"],
    )
    return render_template("notices/compliance.html", compliance=compliance, pagination=pagination)
