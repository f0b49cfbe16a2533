"""Regional case pages: a mediator opens a case over several local Compacts, and refers a
local case up to the region. Editing a regional case is the case edit page with this form."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import history, localtime
from ..policy import Action, authorize
from . import regional, services
from .regional_forms import ReferralForm, RegionalCaseForm

bp = Blueprint("regional", __name__)


@bp.route("/cases/regional/new", methods=["GET", "POST"])
def new_regional_case():
    authorize(current_user, Action.OPEN_REGIONAL_CASE)
    form = RegionalCaseForm(choices=regional.form_choices(current_user), user=current_user)
    if request.method == "GET":
        form.raised_on.data = localtime.today()
    if form.validate_on_submit():
        case = regional.open_regional_case(
            form.details(), current_user, in_mediation=form.in_mediation
        )
        flash(f"Regional case {case.reference} opened", "success")
        return redirect(url_for("cases.show_case", reference=case.reference))
    status = 422 if form.errors else 200
    return render_template("cases/new_regional.html", form=form), status


@bp.route("/cases/<reference>/referral", methods=["GET", "POST"])
def refer_case(reference: str):
    case = services.get_case(reference)
    if case is None:
        abort(404)
    authorize(current_user, Action.REFER_CASE, case)
    form = ReferralForm()
    form.set_choices(services.regional_compacts_for(current_user), case.compact_id)
    refusal, status = None, 200
    if request.method == "GET":
        form.version.data = str(case.version)
    elif form.validate_on_submit():
        try:
            regional.refer_up(
                case,
                tuple(form.affected_compacts.data or ()),
                int(form.version.data or 0) if (form.version.data or "").isdigit() else 0,
                current_user,
                reason=form.reason.data or "",
            )
        except history.StaleCase as stale:
            case = services.get_case(reference)
            form.version.data = str(case.version)
            refusal, status = stale, 409
        except regional.ReferralRefused as refused:
            for message in refused.field_errors.values():
                form.affected_compacts.errors = [message]
            # Field errors show in the page's error summary; a refusal without them here.
            refusal = None if refused.field_errors else refused
            status = 422 if refused.field_errors else 409
        else:
            flash(f"{case.reference} referred to the region", "success")
            return redirect(url_for("cases.show_case", reference=case.reference))
    else:
        status = 422
    return render_template("cases/referral.html", case=case, form=form, refusal=refusal), status
