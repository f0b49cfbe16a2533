"""Raising a concern: the GOV.UK question pages (one thing a page, each with a Back link),
check your answers, and the confirmation with the case's reference.

The answers are kept on the server as the person's draft (`raising.draft_of`), saved as each
page is answered, until they are sent; the check page carries a one-time token kept in the
draft, so a second press of "Send" (or the page sent again from the browser's history) makes no
second case. Only the reference of the case just sent is kept in the session.
"""

from __future__ import annotations

import secrets
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user

from .. import localtime
from ..documents import services as documents
from ..extensions import csrf, db
from ..models import Area, Organisation
from ..policy import Action, authorize
from ..reminders import raised
from . import raising, services
from .raise_forms import (
    CommitmentsForm,
    DocumentsForm,
    FunderForm,
    OutcomeForm,
    SendForm,
    WhatHappenedForm,
)

bp = Blueprint("concerns", __name__)

# The question pages in order: endpoint, and the answers each one sets.
PAGES = (
    ("concerns.funder", ("funder_id",)),
    ("concerns.what_happened", ("what_happened", "happened_on")),
    ("concerns.commitments", ("areas",)),
    ("concerns.outcome", ("outcome_wanted",)),
    ("concerns.documents_page", ()),
)


def _sent_key() -> str:
    return f"concern-sent:{current_user.id}"


def answers() -> dict:
    return raising.draft_of(current_user)


def _save(**changed) -> None:
    kept = answers()
    kept.update(changed)
    # Any change asks for a fresh check of the answers before they are sent.
    kept.pop("token", None)
    raising.save_draft(current_user, kept)


def _changing() -> bool:
    return request.args.get("change") == "1"


def _next(endpoint: str):
    """Where a page's Continue leads: the check page when changing an answer, else the next."""
    if _changing():
        return redirect(url_for("concerns.check"))
    names = [name for name, _ in PAGES]
    position = names.index(endpoint)
    following = names[position + 1] if position + 1 < len(names) else "concerns.check"
    return redirect(url_for(following))


def _back(endpoint: str) -> str:
    if _changing():
        return url_for("concerns.check")
    names = [name for name, _ in PAGES]
    position = names.index(endpoint)
    return url_for(names[position - 1]) if position else url_for("concerns.start")


def _page(template: str, form, endpoint: str, **context):
    status = 422 if form.errors else 200
    return render_template(
        f"concerns/{template}",
        form=form,
        back=_back(endpoint),
        action=url_for(endpoint, change="1" if _changing() else None),
        **context,
    ), status


def concern_of(kept: dict) -> raising.Concern:
    happened = kept.get("happened_on")
    return raising.Concern(
        funder_id=kept.get("funder_id"),
        what_happened=kept.get("what_happened", ""),
        happened_on=date.fromisoformat(happened) if happened else None,
        areas=tuple(Area(a) for a in kept.get("areas", ()) if a in Area._value2member_map_),
        outcome_wanted=kept.get("outcome_wanted", ""),
    )


@bp.get("/concerns/new")
def start():
    authorize(current_user, Action.RAISE_CONCERN)
    return render_template("concerns/start.html", refusal=raising.compact_error(current_user))


@bp.route("/concerns/new/funder", methods=["GET", "POST"])
def funder():
    authorize(current_user, Action.RAISE_CONCERN)
    form = FunderForm(user=current_user)
    if request.method == "GET":
        form.funder.data = answers().get("funder_id") or 0
    elif form.validate_on_submit():
        _save(funder_id=form.funder.data)
        return _next("concerns.funder")
    return _page("funder.html", form, "concerns.funder")


@bp.route("/concerns/new/what-happened", methods=["GET", "POST"])
def what_happened():
    authorize(current_user, Action.RAISE_CONCERN)
    form = WhatHappenedForm()
    if request.method == "GET":
        kept = concern_of(answers())
        form.what_happened.data = kept.what_happened
        form.happened_on.data = kept.happened_on
    elif form.validate_on_submit():
        _save(
            what_happened=form.what_happened.data.strip(),
            happened_on=form.happened_on.data.isoformat(),
        )
        return _next("concerns.what_happened")
    return _page("what_happened.html", form, "concerns.what_happened")


@bp.route("/concerns/new/commitments", methods=["GET", "POST"])
def commitments():
    authorize(current_user, Action.RAISE_CONCERN)
    form = CommitmentsForm()
    if request.method == "GET":
        form.areas.data = answers().get("areas") or []
    elif form.validate_on_submit():
        _save(areas=list(form.areas.data))
        return _next("concerns.commitments")
    return _page("commitments.html", form, "concerns.commitments")


@bp.route("/concerns/new/outcome", methods=["GET", "POST"])
def outcome():
    authorize(current_user, Action.RAISE_CONCERN)
    form = OutcomeForm()
    if request.method == "GET":
        form.outcome_wanted.data = answers().get("outcome_wanted", "")
    elif form.validate_on_submit():
        _save(outcome_wanted=form.outcome_wanted.data.strip())
        return _next("concerns.outcome")
    return _page("outcome.html", form, "concerns.outcome")


@bp.route("/concerns/new/documents", methods=["GET", "POST"])
def documents_page():
    authorize(current_user, Action.RAISE_CONCERN)
    form = DocumentsForm()
    kept = answers().get("documents", [])
    if request.method == "POST" and form.validate_on_submit():
        # A file chosen in the picker comes with any button pressed, "Remove" too: it is
        # added first, then the one removed is taken out.
        removed = request.form.get("remove")
        remaining = [d for d in kept if d.get("sha256") != removed]
        uploads = raising.fresh_uploads(
            remaining, documents.uploads_from(request.files.getlist(form.file.name))
        )
        limit = raising.max_files()
        if len(remaining) + len(uploads) > limit:
            form.file.errors = [f"Add {limit} files or fewer in all"]
        else:
            try:
                added = [raising.stash_upload(upload) for upload in uploads]
            except documents.DocumentRefused as refused:
                form.file.errors = [refused.message]
            else:
                _save(documents=remaining + added)
                if removed is not None or request.form.get("add_more"):
                    return redirect(
                        url_for("concerns.documents_page", change=request.args.get("change"))
                    )
                return _next("concerns.documents_page")
    return _page("documents.html", form, "concerns.documents_page", kept=kept)


# The page each answer is changed on, for the check page's Change links and errors.
CHANGE_PAGES = {
    "funder_id": "concerns.funder",
    "what_happened": "concerns.what_happened",
    "happened_on": "concerns.what_happened",
    "areas": "concerns.commitments",
    "outcome_wanted": "concerns.outcome",
    "documents": "concerns.documents_page",
    "compact": "concerns.start",
    "title": "concerns.check",
}


# What the check page says when its form came back without a valid CSRF token.
NOT_SENT = (
    "Your concern was not sent because the page had expired. Check your answers and press "
    "“Send your concern” again"
)


# The form checks its own CSRF token, so that a page kept open too long is shown again with
# the answers and one error, not a bare "request could not be handled".
@csrf.exempt
@bp.route("/concerns/new/check", methods=["GET", "POST"])
def check():
    authorize(current_user, Action.RAISE_CONCERN)
    kept = answers()
    form = SendForm()
    problems: dict[str, str] = {}
    shown: dict[str, str] = {}
    status = 200
    if request.method == "POST" and form.validate_on_submit():
        if not kept.get("token") or form.token.data != kept.get("token"):
            # Sent already (a second press, or the page again from the history).
            reference = session.get(_sent_key())
            if reference:
                flash(f"Your concern was sent already: its reference is {reference}")
                return redirect(url_for("concerns.confirmation", reference=reference))
            return redirect(url_for("concerns.check"))
        try:
            case = raising.raise_concern(
                concern_of(kept),
                current_user,
                uploads=raising.stashed_uploads(kept.get("documents", [])),
                from_draft=True,
            )
        except raising.ConcernRefused as refused:
            problems, status = refused.field_errors, 422
            shown = problems
        except raising.RaiseLimitReached as limited:
            problems, status = {"limit": str(limited)}, 429
            shown = problems
        else:
            session[_sent_key()] = case.reference
            return redirect(url_for("concerns.confirmation", reference=case.reference))
    else:
        problems = raising.concern_errors(concern_of(kept), current_user)
        problems.pop("title", None)
        if request.method == "POST":
            # Only the CSRF token can be wrong in this form: nothing was sent.
            shown, status = {"send": NOT_SENT}, 400
    if not kept.get("token"):
        kept["token"] = secrets.token_urlsafe(16)
        raising.save_draft(current_user, kept)
    form.token.data = kept["token"]
    funder = db.session.get(Organisation, kept.get("funder_id") or 0)
    # Named `send_form`, not `form`: this page draws its own error summary, so base.html
    # must not draw one of the form's fields too.
    return render_template(
        "concerns/check.html",
        send_form=form,
        concern=concern_of(kept),
        funder=funder,
        kept_documents=kept.get("documents", []),
        problems=problems,
        change_pages=CHANGE_PAGES,
        shown_problems=shown,
    ), status


@bp.get("/concerns/<reference>/confirmation")
def confirmation(reference: str):
    authorize(current_user, Action.RAISE_CONCERN)
    case = services.get_case(reference)
    if case is None:
        abort(404)
    authorize(current_user, Action.VIEW_CASE, case)
    return render_template(
        "concerns/confirmation.html",
        case=case,
        due=raised.acknowledgement_due(case),
        today=localtime.today(),
    )
