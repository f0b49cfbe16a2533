"""The annual self-assessment pages: a Compact's return (drafted, submitted, reopened), the
returns of a year, the region's roll-up with its CSV, and the administrator's deadlines."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from workflows.self_assessment import (
    Code,
    ReturnStatus,
    Structure,
    financial_year_of,
    year_label,
)

from .. import localtime, policy
from ..downloads import csv_response
from ..extensions import db
from ..models import Region, SelfAssessmentYear
from ..policy import Action, audit, authorize
from . import rollup, services
from .forms import (
    CODE_FIELDS,
    STRUCTURE_FIELDS,
    DeadlineForm,
    ReopenForm,
    ReturnForm,
    answers_from,
    fill,
)

bp = Blueprint("self_assessment", __name__)


def _year(year: int) -> int:
    if not 2000 <= year <= 2100:
        abort(404)
    return year


def _version(raw: str | None) -> int | None:
    return int(raw) if (raw or "").isdigit() else None


@bp.get("/self-assessments")
def index():
    authorize(current_user, Action.READ_SELF_ASSESSMENT)
    raw = request.args.get("year", "")
    year = _year(int(raw)) if raw.isdigit() else financial_year_of(localtime.today())
    compacts = rollup.covered_compacts(current_user)
    returns = {f.compact_id: f for f in rollup.returns_of(compacts, year)}
    rows = []
    for compact in compacts:
        filed = returns.get(compact.id)
        status = filed.status.label if filed and rollup.started(filed) else "Not started"
        rows.append((compact, status, filed))
    return render_template(
        "self_assessment/index.html",
        year=year,
        label=year_label(year),
        rows=rows,
        deadline=_deadline_of(year),
        panel=policy.can(current_user, Action.READ_SELF_ASSESSMENT_ROLL_UP),
    )


def _deadline_of(year: int) -> SelfAssessmentYear | None:
    if current_user.region_id is None:
        return None
    return services.year_row(current_user.region_id, year)


def _compact(code: str):
    compact = services.visible_compact(code.upper(), current_user)
    if compact is None:
        policy.audit("permission_refused", user_id=current_user.id, status=404)
        abort(404)
    return compact


@bp.route("/self-assessments/<int:year>/<code>", methods=["GET", "POST"])
def edit_return(year: int, code: str):
    authorize(current_user, Action.READ_SELF_ASSESSMENT)
    year, compact = _year(year), _compact(code)
    filed = services.return_of(compact, year)
    may_file = policy.can(current_user, Action.FILE_SELF_ASSESSMENT)
    if request.method == "POST":
        authorize(current_user, Action.FILE_SELF_ASSESSMENT)
    form = ReturnForm()
    if request.method == "GET" and filed is not None:
        fill(form, filed.answers, filed.version)
    status = 200
    if request.method == "POST" and form.validate_on_submit():
        status = _save(form, compact, year)
        if status == 302:
            return redirect(url_for("self_assessment.edit_return", year=year, code=compact.code))
    elif request.method == "POST":
        status = 422
    filed = services.return_of(compact, year)
    editable = may_file and (filed is None or filed.status is ReturnStatus.DRAFT)
    return render_template(
        "self_assessment/return.html",
        form=form if form.errors else None,
        return_form=form,
        compact=compact,
        year=year,
        label=year_label(year),
        filed=filed,
        editable=editable,
        reopen_form=ReopenForm(version=filed.version if filed else None),
        may_reopen=policy.can(current_user, Action.REOPEN_SELF_ASSESSMENT)
        and filed is not None
        and filed.status is ReturnStatus.SUBMITTED,
        code_fields=CODE_FIELDS,
        structure_fields=STRUCTURE_FIELDS,
        codes=list(Code),
        structures=list(Structure),
        deadline=services.year_row(compact.region_id, year),
    ), status


def _save(form, compact, year: int) -> int:
    """Save or submit the return from the form; the status to answer with."""
    answers, version = answers_from(form), _version(form.version.data)
    submitting = bool(form.submit.data)
    try:
        if submitting:
            services.submit(compact, year, answers, version, current_user, localtime.today())
        else:
            services.save_draft(compact, year, answers, version, current_user)
    except services.ReturnRefused as refused:
        for name, message in refused.errors.items():
            form[name].errors = [message]
        if not refused.errors:
            form.achievements.errors = [refused.message]
        return 409 if "submitted" in refused.message else 422
    except services.StaleReturn:
        form.achievements.errors = [
            "Someone saved this return since you opened it: your answers are below, but "
            "check the return as it is now before saving again"
        ]
        fresh = services.return_of(compact, year)
        form.version.data = str(fresh.version) if fresh else ""
        return 409
    audit("self_assessment_saved", by=current_user.id, compact=compact.code, year=year)
    flash("Return submitted" if submitting else "Draft saved", "success")
    return 302


@bp.post("/self-assessments/<int:year>/<code>/reopen")
def reopen_return(year: int, code: str):
    authorize(current_user, Action.READ_SELF_ASSESSMENT)
    year, compact = _year(year), _compact(code)
    authorize(current_user, Action.REOPEN_SELF_ASSESSMENT)
    form = ReopenForm()
    if form.validate_on_submit():
        asked = services.Reopening(form.reason.data, _version(form.version.data))
        try:
            services.reopen(compact, year, asked, current_user)
        except services.StaleReturn:
            flash("Someone changed this return meanwhile: look again before reopening it")
            return redirect(url_for("self_assessment.edit_return", year=year, code=compact.code))
        except services.ReturnRefused as refused:
            flash(refused.message)
            return redirect(url_for("self_assessment.edit_return", year=year, code=compact.code))
        flash("Return reopened: its officers can change it again", "success")
        return redirect(url_for("self_assessment.edit_return", year=year, code=compact.code))
    flash("Enter why the return is reopened")
    return redirect(url_for("self_assessment.edit_return", year=year, code=compact.code))


@bp.get("/self-assessments/<int:year>/roll-up")
def roll_up(year: int):
    authorize(current_user, Action.READ_SELF_ASSESSMENT_ROLL_UP)
    found = rollup.region_roll_up(_year(year), current_user, localtime.today())
    return render_template(
        "self_assessment/roll_up.html",
        found=found,
        label=year_label(year),
        codes=list(Code),
        structures=list(Structure),
    )


@bp.get("/self-assessments/<int:year>/roll-up.csv")
def roll_up_csv(year: int):
    authorize(current_user, Action.READ_SELF_ASSESSMENT_ROLL_UP)
    found = rollup.region_roll_up(_year(year), current_user, localtime.today())
    return csv_response(
        f"self-assessment-roll-up-{year}.csv",
        ("Self-assessment roll-up", year_label(year)),
        rollup.csv_rows(found),
    )


@bp.route("/admin/self-assessment-years", methods=["GET", "POST"])
def deadlines():
    authorize(current_user, Action.ADMINISTER)
    today = localtime.today()
    this_year = financial_year_of(today)
    regions = db.session.scalars(sa.select(Region).order_by(Region.name)).all()
    form = DeadlineForm()
    form.region.choices = [("", "Choose a region")] + [(str(r.id), r.name) for r in regions]
    form.year.choices = [(str(y), year_label(y)) for y in range(this_year - 1, this_year + 2)]
    status = 200
    if form.validate_on_submit():
        try:
            services.set_deadline(
                int(form.region.data),
                int(form.year.data),
                form.due_on.data,
                None,
                current_user,
                today,
            )
        except services.ReturnRefused as refused:
            form.due_on.errors = [refused.message]
        except services.StaleReturn:
            form.due_on.errors = ["Someone changed this year's deadline meanwhile: try again"]
        else:
            flash("Deadline set: every Compact of the region is reminded of it", "success")
            return redirect(url_for("self_assessment.deadlines"))
    if form.errors:
        status = 422
    years = db.session.scalars(
        sa.select(SelfAssessmentYear).order_by(
            SelfAssessmentYear.year.desc(), SelfAssessmentYear.region_id
        )
    ).all()
    return render_template(
        "self_assessment/deadlines.html", form=form, years=years, year_label=year_label
    ), status


@bp.post("/admin/self-assessment-years/<int:year_id>/close")
def close_year(year_id: int):
    authorize(current_user, Action.ADMINISTER)
    row = db.session.get(SelfAssessmentYear, year_id)
    if row is None:
        abort(404)
    services.close_year(row.region_id, row.year, current_user)
    flash(f"{year_label(row.year)} closed: its returns can no longer be reopened", "success")
    return redirect(url_for("self_assessment.deadlines"))
