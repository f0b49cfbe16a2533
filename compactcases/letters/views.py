"""Letter pages: the fields a template may use, choosing and previewing a letter on a case,
generating it, recording a dispute's acknowledgement, and an administrator's Compact
templates."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from workflows.letters import LETTER_STATES, AcknowledgementRefused, LetterKind

from .. import history, localtime, policy
from ..admin.services import list_compacts
from ..cases import services as cases
from ..cases.acknowledgement import open_acknowledgement
from ..policy import Action, authorize
from . import compact_templates, rendering, services
from .fields import FIELDS
from .forms import AcknowledgementForm, LetterForm, TemplateUploadForm

bp = Blueprint("letters", __name__)


@bp.errorhandler(history.StaleCase)
def stale_case(stale: history.StaleCase):
    """Someone else changed the case first (a second press of the same button, say): nothing
    of this request was saved; the page again, for the case as it now stands, as 409."""
    case = cases.get_case(stale.case.reference)
    if request.endpoint == "letters.acknowledge":
        form = AcknowledgementForm()
        return render_template(
            "letters/acknowledge.html",
            case=case,
            form=form,
            refusal=stale,
            deadline=open_acknowledgement(case),
        ), 409
    form = LetterForm(kinds=services.letters_for(case))
    return _letter_form_page(case, form, refusal=stale, status=409)


def _case_for(reference: str, action: Action):
    case = cases.get_case(reference)
    if case is None:
        abort(404)
    authorize(current_user, action, case)
    return case


@bp.get("/letters/fields")
def fields():
    if not policy.can(current_user, Action.ADMINISTER):
        authorize(current_user, Action.GENERATE_LETTER)
    return render_template(
        "letters/fields.html", fields=FIELDS, kinds=list(LetterKind), states=LETTER_STATES
    )


def _letter_form_page(case, form, refusal=None, status=200):
    return render_template(
        "letters/new.html", case=case, form=form, refusal=refusal, kinds=services.letters_for(case)
    ), status


@bp.get("/cases/<reference>/letters/new")
def new_letter(reference: str):
    case = _case_for(reference, Action.GENERATE_LETTER)
    form = LetterForm(kinds=services.letters_for(case))
    wanted = request.args.get("kind")
    if wanted in LetterKind._value2member_map_:
        form.kind.data = wanted
    return _letter_form_page(case, form)


def _made_letter(case, form):
    """The letter the form asks for, or the form page again with what is wrong."""
    if not form.validate():
        if "csrf_token" in form.errors:
            abort(400)
        return None, _letter_form_page(case, form, status=422)
    kind = form.letter_kind()
    if kind is None:
        form.kind.errors = ["Select the letter to write"]
        return None, _letter_form_page(case, form, status=422)
    try:
        letter = services.make_letter(case, kind, form.meeting(), current_user, localtime.today())
    except services.LetterRefused as refused:
        for name, message in refused.field_errors.items():
            getattr(form, name).errors = [message]
        status = 422 if refused.field_errors else 409
        return None, _letter_form_page(case, form, refusal=refused, status=status)
    return letter, None


@bp.post("/cases/<reference>/letters/preview")
def preview_letter(reference: str):
    case = _case_for(reference, Action.GENERATE_LETTER)
    form = LetterForm(kinds=services.letters_for(case))
    letter, page = _made_letter(case, form)
    if page is not None:
        return page
    return render_template("letters/preview.html", case=case, form=form, letter=letter)


@bp.post("/cases/<reference>/letters")
def generate_letter(reference: str):
    case = _case_for(reference, Action.GENERATE_LETTER)
    form = LetterForm(kinds=services.letters_for(case))
    letter, page = _made_letter(case, form)
    if page is not None:
        return page
    try:
        letter = services.generate_letter(case, letter, current_user, form.case_version())
    except services.LetterRefused as refused:
        return _letter_form_page(case, form, refusal=refused, status=409)
    flash(f"Letter generated: {letter.filename}", "success")
    return redirect(url_for("cases.show_case", reference=case.reference))


@bp.route("/cases/<reference>/acknowledgement", methods=["GET", "POST"])
def acknowledge(reference: str):
    case = _case_for(reference, Action.ACKNOWLEDGE_CASE)
    form = AcknowledgementForm()
    today = localtime.today()
    refusal, status = None, 200
    if request.method == "GET":
        form.acknowledged_on.data = today
        form.letter.data = True
    elif form.validate_on_submit():
        try:
            letter = services.record_acknowledgement(
                case, form.acknowledged_on.data, current_user, today, with_letter=form.letter.data
            )
        except (AcknowledgementRefused, services.LetterRefused) as refused:
            for name, message in refused.field_errors.items():
                getattr(form, name).errors = [message]
            refusal, status = refused, (422 if refused.field_errors else 409)
        else:
            done = f"{case.reference}: acknowledgement recorded"
            flash(f"{done}; letter generated: {letter.filename}" if letter else done, "success")
            return redirect(url_for("cases.show_case", reference=case.reference))
    else:
        status = 422
    deadline = open_acknowledgement(case)
    return render_template(
        "letters/acknowledge.html", case=case, form=form, refusal=refusal, deadline=deadline
    ), status


def _templates_page(form, status=200):
    return render_template(
        "letters/templates.html",
        form=form,
        templates=compact_templates.list_templates(),
        kinds=list(LetterKind),
    ), status


@bp.route("/admin/letter-templates", methods=["GET", "POST"])
def templates():
    authorize(current_user, Action.ADMINISTER)
    compacts = list_compacts()
    form = TemplateUploadForm(compacts=compacts)
    if request.method == "GET":
        return _templates_page(form)
    if not form.validate():
        if "csrf_token" in form.errors:
            abort(400)
        return _templates_page(form, 422)
    compact = next((c for c in compacts if c.id == form.compact.data), None)
    upload = form.file.data
    if compact is None:
        form.compact.errors = ["Select the Compact"]
    if upload is None or not getattr(upload, "filename", ""):
        form.file.errors = ["Choose the Word template to upload"]
    if form.errors or compact is None:
        return _templates_page(form, 422)
    try:
        saved = compact_templates.upload_template(
            compact, LetterKind(form.kind.data), upload.filename, upload.read(), current_user
        )
    except compact_templates.TemplateRefused as refused:
        form.file.errors = list(refused.field_errors.values())
        return _templates_page(form, 422)
    flash(f"{compact.name} now uses {saved.filename} for the {saved.kind.label.lower()}", "success")
    return redirect(url_for("letters.templates"))


@bp.post("/admin/letter-templates/<int:template_id>/remove")
def remove_template(template_id: int):
    authorize(current_user, Action.ADMINISTER)
    template = compact_templates.get_template(template_id)
    if template is None:
        abort(404)
    name, kind = template.compact.name, template.kind.label.lower()
    compact_templates.remove_template(template)
    flash(f"{name}'s own template for the {kind} was removed", "success")
    return redirect(url_for("letters.templates"))


@bp.get("/admin/letter-templates/default/<kind>.docx")
def default_template(kind: str):
    """The default template of a kind, for an administrator to start a Compact's own from."""
    authorize(current_user, Action.ADMINISTER)
    if kind not in LetterKind._value2member_map_:
        abort(404)
    return Response(
        rendering.default_template(LetterKind(kind)),
        mimetype=rendering.DOCX_TYPE,
        headers={
            "Content-Disposition": f'attachment; filename="{kind}.docx"',
            "Cache-Control": "private",
        },
    )
