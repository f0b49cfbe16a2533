"""Adding a local third-sector organisation from the case form, without losing the case.

The case form's "Not listed? Add it" button posts the whole case form here; the answers travel
on as hidden fields while the officer names the organisation, and come back to the case form
with it chosen. Nothing of the case is saved until the case form is.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, render_template, request
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from ..cases import services as cases
from ..cases.forms import CaseForm
from ..models import OrganisationType
from ..policy import Action, authorize
from .forms import LocalOrganisationForm
from .services import OrganisationRefused, add_local_organisation

bp = Blueprint("organisations", __name__)

PREFIX = "organisation-"
# Not the case's answers: the token (the page writes a fresh one) and the button pressed.
NOT_CARRIED = {"csrf_token", "add_organisation"}


def _case_answers() -> MultiDict:
    """The case form's answers as they were posted, every value of each field."""
    return MultiDict(
        [
            (name, value)
            for name, value in request.form.items(multi=True)
            if not name.startswith(PREFIX) and name not in NOT_CARRIED
        ]
    )


def _case_being_edited():
    """The case whose edit form this came from (`?case=REF`), or None for a new case."""
    reference = request.args.get("case")
    if not reference:
        return None
    case = cases.get_case(reference)
    if case is None:
        abort(404)
    authorize(current_user, Action.EDIT_CASE, case)
    return case


@bp.post("/organisations/new")
def add_organisation():
    authorize(current_user, Action.ADD_LOCAL_ORGANISATION)
    case = _case_being_edited()
    answers = _case_answers()
    compacts = cases.compacts_for(current_user)
    form = LocalOrganisationForm(formdata=request.form, compacts=compacts)
    if request.form.get(PREFIX + "cancel"):
        return _render_case_form(answers, case)
    arriving = (PREFIX + "name") not in request.form
    if arriving:
        chosen = answers.get("compact", type=int) or current_user.compact_id
        form.compact.data = chosen if chosen in {c.id for c in compacts} else 0
        form.name.data = ""
        return _render_add(form, answers, case)
    compact = next((c for c in compacts if c.id == form.compact.data), None)
    try:
        organisation = add_local_organisation(
            form.name.data or "", _kind(form.type.data), compact, current_user
        )
    except OrganisationRefused as refused:
        for name, message in refused.errors.items():
            form[name].errors = [message]
        return _render_add(form, answers, case, 422)
    flash(f"{organisation.name} added to the list", "success")
    answers.setlist("third_sector", [str(organisation.id)])
    return _render_case_form(answers, case)


def _kind(value: str | None) -> OrganisationType | None:
    try:
        return OrganisationType(value)
    except ValueError:
        return None


def _render_add(form: LocalOrganisationForm, answers: MultiDict, case, status: int = 200):
    return (
        render_template(
            "organisations/new.html", form=form, answers=answers.items(multi=True), case=case
        ),
        status,
    )


def _render_case_form(answers: MultiDict, case):
    """The case form again, with the answers it was left with and the new organisation."""
    choices = cases.form_choices(current_user, case.compact_id if case else None)
    form = CaseForm(formdata=answers, choices=choices, user=current_user)
    if case is None:
        return render_template("cases/new.html", form=form)
    return render_template("cases/edit.html", form=form, case=case, stale=False)
