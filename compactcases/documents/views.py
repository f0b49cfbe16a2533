"""Document pages: add files to a case, notice or funding agreement, download one, remove one
(with a reason) and, for an administrator, erase its file."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from ..agreements import services as agreements
from ..cases import services as cases
from ..downloads import file_response
from ..notices import services as notices
from ..policy import Action, authorize
from . import services, storage
from .forms import ReasonForm, UploadForm
from .services import DocumentGone, DocumentRefused

bp = Blueprint("documents", __name__)


def _owner(kind: str, key: str | int):
    """The case, notice or agreement a document page is about; 404 if there is none."""
    if kind == "case":
        owner = cases.get_case(str(key))
    elif kind == "notice":
        owner = notices.get_notice(int(key))
    else:
        owner = agreements.get_agreement(int(key), current_user)
    if owner is None:
        abort(404)
    return owner


def owner_url(owner) -> str:
    """The page of the record a document is on."""
    if owner.__tablename__ == "cases":
        return url_for("cases.show_case", reference=owner.reference)
    if owner.__tablename__ == "notices":
        return url_for("notices.show_notice", notice_id=owner.id)
    return url_for("agreements.show_agreement", agreement_id=owner.id)


def owner_name(owner) -> str:
    if owner.__tablename__ == "cases":
        return owner.reference
    if owner.__tablename__ == "notices":
        return f"notice “{owner.title}”"
    return f"agreement {owner.funder_reference}"


def _upload(kind: str, key: str | int):
    owner = _owner(kind, key)
    authorize(current_user, Action.ADD_DOCUMENT, owner)
    form = UploadForm()
    if form.validate_on_submit():
        try:
            documents = services.upload_documents(
                owner=owner,
                uploads=services.uploads_from(form.file.data),
                visibility=form.visibility.data,
                actor=current_user,
            )
        except DocumentRefused as refused:
            getattr(form, refused.field).errors = [refused.message]
        else:
            added = ", ".join(d.filename for d in documents)
            flash(f"Added {added}", "success")
            return redirect(owner_url(owner) + "#documents")
    status = 422 if form.errors else 200
    return render_template(
        "documents/new.html",
        form=form,
        owner=owner,
        owner_url=owner_url(owner),
        owner_name=owner_name(owner),
        max_mb=current_app.config["DOCUMENT_MAX_MB"],
    ), status


@bp.route("/cases/<reference>/documents/new", methods=["GET", "POST"])
def add_to_case(reference: str):
    return _upload("case", reference)


@bp.route("/notices/<int:notice_id>/documents/new", methods=["GET", "POST"])
def add_to_notice(notice_id: int):
    return _upload("notice", notice_id)


@bp.route("/funding-agreements/<int:agreement_id>/documents/new", methods=["GET", "POST"])
def add_to_agreement(agreement_id: int):
    return _upload("agreement", agreement_id)


def _document_for(document_id: int, action: Action):
    document = services.get_document(document_id)
    if document is None:
        abort(404)
    authorize(current_user, action, document)
    return document


@bp.get("/documents/<int:document_id>/download")
def download(document_id: int):
    document = _document_for(document_id, Action.VIEW_DOCUMENT)
    if not document.is_live:
        abort(404)
    try:
        data = services.read_content(document)
    except storage.MissingContent:
        abort(404)
    return file_response(data, document.filename, document.content_type)


def _change(document, template: str, change, done: str):
    """A removal or an erasure: the form asking why, then the change."""
    form = ReasonForm()
    back = owner_url(document.owner)
    if form.validate_on_submit():
        try:
            change(document, reason=form.reason.data, actor=current_user)
        except DocumentRefused as refused:
            form.reason.errors = [refused.message]
        except DocumentGone as gone:
            flash(gone.message, "error")
            return redirect(back + "#documents")
        else:
            flash(f"{done} {document.filename}", "success")
            return redirect(back + "#documents")
    status = 422 if form.errors else 200
    return render_template(
        template,
        form=form,
        document=document,
        owner_url=back,
        owner_name=owner_name(document.owner),
    ), status


@bp.route("/documents/<int:document_id>/remove", methods=["GET", "POST"])
def remove(document_id: int):
    document = _document_for(document_id, Action.REMOVE_DOCUMENT)
    if not document.is_live:
        abort(404)
    return _change(document, "documents/remove.html", services.remove_document, "Removed")


@bp.route("/documents/<int:document_id>/purge", methods=["GET", "POST"])
def purge(document_id: int):
    document = _document_for(document_id, Action.PURGE_DOCUMENT)
    if document.is_purged:
        abort(404)
    return _change(document, "documents/purge.html", services.purge_document, "Erased the file of")
