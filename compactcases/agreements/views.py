"""Funding agreement pages: a funder's list with its windows, recording, changing and deciding
about an agreement; the windows closing soon and those missed, for Compact officers and the
region."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import localtime, policy
from ..bounds import page_arg
from ..cases import services as case_services
from ..documents import services as documents
from ..extensions import db
from ..models import Compact, Role
from ..policy import Action, authorize
from . import decisions, services, windows
from .forms import AgreementForm, DecisionForm

bp = Blueprint("agreements", __name__)


def _form(agreement_id: int | None = None, funder_id: int | None = None) -> AgreementForm:
    """The agreement form; ``funder_id`` for an agreement that stays with its funder."""
    funders, organisations = case_services.parties()
    keep = funder_id or (current_user.organisation_id if current_user.role is Role.FUNDER else 0)
    if keep:
        funders = [o for o in funders if o.id == keep]
    compacts = db.session.scalars(
        sa.select(Compact)
        .where(Compact.id.in_(policy.agreement_compact_ids(current_user)))
        .order_by(Compact.name)
    ).all()
    return AgreementForm(
        compacts=list(compacts),
        funders=funders,
        organisations=organisations,
        user=current_user,
        agreement_id=agreement_id,
    )


@bp.get("/funding-agreements")
def list_agreements():
    authorize(current_user, Action.LIST_AGREEMENTS)
    filters = windows.AgreementFilters(compact=request.args.get("compact") or None)
    pagination = windows.search_agreements(
        filters, current_user, page=page_arg(), per_page=current_app.config["CASES_PER_PAGE"]
    )
    return render_template(
        "agreements/list.html",
        pagination=pagination,
        today=localtime.today(),
        can_record=policy.can(current_user, Action.MANAGE_AGREEMENT),
    )


@bp.get("/funding-agreements/windows")
def list_windows():
    authorize(current_user, Action.LIST_AGREEMENTS)
    today = localtime.today()
    return render_template(
        "agreements/windows.html",
        windows=windows.windows(current_user, today),
        weeks=windows.CLOSING_WEEKS,
        today=today,
    )


@bp.route("/funding-agreements/new", methods=["GET", "POST"])
def new_agreement():
    authorize(current_user, Action.MANAGE_AGREEMENT)
    form = _form()
    if request.method == "GET":
        if current_user.organisation_id:
            form.funder.data = current_user.organisation_id
        org = current_user.organisation
        if org is not None and org.compact_id:
            form.compact.data = org.compact_id
    if form.validate_on_submit():
        try:
            agreement = services.create_agreement(form.details(), current_user)
        except services.AgreementInvalid as refused:
            _show_errors(form, refused)
        else:
            flash("Agreement recorded", "success")
            return redirect(url_for("agreements.show_agreement", agreement_id=agreement.id))
    status = 422 if form.errors or _has_errors(form) else 200
    return render_template("agreements/new.html", form=form), status


def _has_errors(form) -> bool:
    return any(field.errors for field in form)


def _show_errors(form, refused) -> None:
    from_form = {"compact_id": "compact", "funder_id": "funder", "organisation_id": "organisation"}
    for name, message in refused.field_errors.items():
        form[from_form.get(name, name)].errors = [message]


def _agreement_for(agreement_id: int, action: Action):
    agreement = services.get_agreement(agreement_id, current_user)
    if agreement is None:
        policy.audit("permission_refused", user_id=current_user.id, action=str(action), status=404)
        abort(404)
    authorize(current_user, action, agreement)
    return agreement


@bp.get("/funding-agreements/<int:agreement_id>")
def show_agreement(agreement_id: int):
    agreement = _agreement_for(agreement_id, Action.VIEW_AGREEMENT)
    return render_template(
        "agreements/show.html",
        agreement=agreement,
        today=localtime.today(),
        can_manage=policy.can(current_user, Action.MANAGE_AGREEMENT, agreement),
        documents=documents.documents_of(agreement, current_user),
    )


def _version(form) -> int:
    try:
        return int(form.version.data or 0)
    except ValueError:
        return 0


@bp.route("/funding-agreements/<int:agreement_id>/edit", methods=["GET", "POST"])
def edit_agreement(agreement_id: int):
    agreement = _agreement_for(agreement_id, Action.MANAGE_AGREEMENT)
    form = _form(agreement_id, agreement.funder_id)
    if request.method == "GET":
        form.fill(agreement)
    if form.validate_on_submit():
        try:
            services.update_agreement(agreement, form.details(), _version(form), current_user)
        except services.StaleAgreement as refused:
            # The other person's values beside the user's own; saving again is a deliberate
            # choice made with the newer version in view.
            current = services.get_agreement(agreement_id, current_user)
            form.version.data = str(refused.agreement.version)
            return render_template(
                "agreements/edit.html", form=form, agreement=current, stale=True
            ), 409
        except services.AgreementInvalid as refused:
            _show_errors(form, refused)
        else:
            flash(f"Agreement {agreement.funder_reference} saved", "success")
            return redirect(url_for("agreements.show_agreement", agreement_id=agreement.id))
    status = 422 if _has_errors(form) else 200
    return render_template(
        "agreements/edit.html", form=form, agreement=agreement, stale=False
    ), status


@bp.route("/funding-agreements/<int:agreement_id>/decision", methods=["GET", "POST"])
def record_decision(agreement_id: int):
    agreement = _agreement_for(agreement_id, Action.MANAGE_AGREEMENT)
    form = DecisionForm(agreement=agreement)
    if request.method == "GET":
        form.version.data = str(agreement.version)
    if form.validate_on_submit():
        try:
            decisions.record_decision(agreement, form.decision(), _version(form), current_user)
        except services.StaleAgreement as refused:
            form.version.data = str(refused.agreement.version)
            current = services.get_agreement(agreement_id, current_user)
            return render_template(
                "agreements/decision.html", form=form, agreement=current, stale=True
            ), 409
        except services.AgreementInvalid as refused:
            _show_errors(form, refused)
        else:
            flash("Decision recorded", "success")
            return redirect(url_for("agreements.show_agreement", agreement_id=agreement.id))
    status = 422 if _has_errors(form) else 200
    return render_template(
        "agreements/decision.html", form=form, agreement=agreement, stale=False
    ), status
