"""Inviting the people of an organisation, the organisation's people, and the link that makes
an account (public: the token in its address is the credential, once)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth.views import start_session
from ..policy import Action, audit, authorize, may_invite
from . import services
from .forms import AskForLinkForm, InviteForm, SetPasswordForm

bp = Blueprint("invitations", __name__)

# The one answer for a link that is unknown, used, revoked or expired: the same status and
# words for all four, so it tells nothing about the invitation or the account.
GONE_STATUS = 404


def _organisation_or_404(organisation_id: int):
    """The organisation, if the user may invite its people: 403 for a role that never invites
    (viewers, mediators), 404 for an organisation outside the user's reach."""
    organisation = services.get_organisation(organisation_id)
    if organisation is None:
        abort(404)
    authorize(current_user, Action.INVITE_PEOPLE)
    if not may_invite(current_user, organisation):
        audit("permission_refused", user_id=current_user.id, action="invite_people", status=404)
        abort(404)
    return organisation


def _invitation_or_404(invitation_id: int):
    invitation = services.get_invitation(invitation_id)
    if invitation is None:
        abort(404)
    _organisation_or_404(invitation.organisation_id)
    return invitation


@bp.get("/organisations/<int:organisation_id>/people")
def people(organisation_id: int):
    organisation = _organisation_or_404(organisation_id)
    return render_template(
        "invitations/people.html",
        organisation=organisation,
        people=services.people(organisation),
    )


def _tell_sent(invitation, sent: bool) -> None:
    if sent:
        flash(
            f"Invitation sent to {invitation.name}. The link works once and until "
            f"{services.expiry_date(invitation)}.",
            "success",
        )
    else:
        flash(
            f"The invitation for {invitation.name} is saved, but the email could not be sent. "
            "Use “Send a new link” below to try again."
        )


@bp.route("/organisations/<int:organisation_id>/invitations/new", methods=["GET", "POST"])
def new_invitation(organisation_id: int):
    organisation = _organisation_or_404(organisation_id)
    form = InviteForm()
    status = 200
    if form.validate_on_submit():
        try:
            invitation, token = services.invite(
                current_user, organisation, form.email.data, form.name.data
            )
        except services.InvitationError as error:
            getattr(form, error.field).errors = [error.message]
            status = 422
        else:
            _tell_sent(invitation, services.send_invitation(invitation, token))
            return redirect(url_for("invitations.people", organisation_id=organisation.id))
    elif form.errors:
        status = 422
    role = services.role_for(organisation)
    return (
        render_template("invitations/new.html", form=form, organisation=organisation, role=role),
        status,
    )


@bp.post("/invitations/<int:invitation_id>/revoke")
def revoke(invitation_id: int):
    invitation = _invitation_or_404(invitation_id)
    if services.revoke(current_user, invitation):
        flash(f"The invitation for {invitation.name} no longer works", "success")
    else:
        flash(f"The invitation for {invitation.name} had already been used or revoked")
    return redirect(url_for("invitations.people", organisation_id=invitation.organisation_id))


@bp.post("/invitations/<int:invitation_id>/new-link")
def send_new_link(invitation_id: int):
    invitation = _invitation_or_404(invitation_id)
    try:
        fresh, token = services.send_new_link(current_user, invitation)
    except services.InvitationError as error:
        flash(error.message)
    else:
        _tell_sent(fresh, services.send_invitation(fresh, token))
    return redirect(url_for("invitations.people", organisation_id=invitation.organisation_id))


# -- the link ---------------------------------------------------------------------------------


def _gone(form: AskForLinkForm | None = None, status: int = GONE_STATUS):
    return render_template("invitations/gone.html", form=form or AskForLinkForm()), status


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def accept(token: str):
    invitation = services.usable(token)
    if invitation is None:
        return _gone()
    form = SetPasswordForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = services.accept(token, form.password.data, form.confirm.data)
        except services.InvitationGone:
            return _gone()
        except services.InvitationError as error:
            getattr(form, error.field).errors = [error.message]
            status = 422
        else:
            start_session(user)
            audit("sign_in", user_id=user.id, role=user.role.value, by="invitation")
            flash(
                f"Your account is ready, {user.name}. You are signed in for "
                f"{invitation.organisation.name}.",
                "success",
            )
            return redirect(url_for("main.home"))
    elif form.errors:
        status = 422
    form.password.data = form.confirm.data = ""
    # The token is in the address; the security headers keep it from other sites (Referrer-Policy
    # same-origin) and from caches (no-store).
    return render_template("invitations/accept.html", form=form, invitation=invitation), status


@bp.post("/invitations/new-link")
def ask_for_link():
    form = AskForLinkForm()
    if not form.validate_on_submit():
        return _gone(form, 422)
    result = services.ask_for_new_link(form.email.data, request.remote_addr or "unknown")
    if result.retry_after:
        form.email.errors = ["Too many requests from here. Wait an hour and try again"]
        return (
            render_template("invitations/gone.html", form=form),
            429,
            {"Retry-After": str(result.retry_after)},
        )
    return render_template("invitations/requested.html")
