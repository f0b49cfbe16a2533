"""The import pages: choose a kind and upload a file, preview what it would do row by row,
confirm. The templates and the columns of each kind are pages of their own."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..models import ImportKind, Role
from ..policy import Action, authorize
from .columns import COLUMNS
from .examples import template_csv, template_xlsx
from .forms import ConfirmForm, UploadForm
from .reading import MAX_BYTES
from .uploads import confirm, get_upload, preview, save_upload

bp = Blueprint("imports", __name__)

PREVIEW_ROWS = 200
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _kinds() -> list[ImportKind]:
    """The kinds the user may import: organisations are the administrator's."""
    return [
        k
        for k in ImportKind
        if k is not ImportKind.ORGANISATIONS or current_user.role is Role.ADMIN
    ]


def _kind(value: str) -> ImportKind:
    try:
        return ImportKind(value)
    except ValueError:
        abort(404)


@bp.route("/imports", methods=["GET", "POST"])
def start():
    authorize(current_user, Action.IMPORT_RECORDS)
    kinds = _kinds()
    form = UploadForm(kinds=kinds)
    if request.method == "GET":
        return render_template("imports/start.html", form=form, kinds=kinds)
    kind = next((k for k in kinds if k.value == form.kind.data), None)
    upload = request.files.get("file")
    content = upload.stream.read(MAX_BYTES + 1) if upload else b""
    if form.validate_on_submit():
        if kind is None:
            form.kind.errors = ["Select what the file holds"]
        if not upload or not upload.filename:
            form.file.errors = ["Select a CSV or XLSX file"]
        elif not content.strip():
            form.file.errors = ["The selected file is empty"]
        elif len(content) > MAX_BYTES:
            form.file.errors = [f"The selected file must be smaller than {MAX_BYTES // 2**20} MB"]
    if form.errors or kind is None or not content.strip() or len(content) > MAX_BYTES:
        return render_template("imports/start.html", form=form, kinds=kinds), 422
    saved = save_upload(current_user, kind, upload.filename, content)
    return redirect(url_for("imports.show_upload", upload_id=saved.id))


@bp.route("/imports/uploads/<upload_id>", methods=["GET", "POST"])
def show_upload(upload_id: str):
    authorize(current_user, Action.IMPORT_RECORDS)
    upload = get_upload(upload_id, current_user)
    if upload is None:
        abort(404)
    form = ConfirmForm()
    if request.method == "POST":
        summary = None
        if upload.confirmed_at is None:
            summary = confirm(upload, current_user, valid_rows=bool(request.form.get("valid_rows")))
        if summary is None:
            # Confirmed already (by another tab, or a second press): nothing more is written.
            return render_template("imports/done.html", upload=upload), 409
        if summary.written:
            flash(
                f"{upload.filename} imported: {summary.created:,} created, "
                f"{summary.updated:,} updated, {summary.unchanged:,} unchanged",
                "success",
            )
            return redirect(url_for("imports.show_upload", upload_id=upload.id))
        return _preview(upload, form, summary, 422)
    if upload.confirmed_at is not None:
        return render_template("imports/done.html", upload=upload)
    return _preview(upload, form, preview(upload, current_user), 200)


def _preview(upload, form, summary, status: int):
    return render_template(
        "imports/preview.html",
        upload=upload,
        summary=summary,
        form=form,
        shown=summary.valid[:PREVIEW_ROWS],
        shown_limit=PREVIEW_ROWS,
    ), status


@bp.get("/imports/<kind>/columns")
def columns(kind: str):
    authorize(current_user, Action.IMPORT_RECORDS)
    found = _kind(kind)
    return render_template("imports/columns.html", kind=found, columns=COLUMNS[found])


@bp.get("/imports/<kind>/template.<extension>")
def template(kind: str, extension: str):
    authorize(current_user, Action.IMPORT_RECORDS)
    found = _kind(kind)
    if extension == "csv":
        body, mimetype = template_csv(found), "text/csv; charset=utf-8"
    elif extension == "xlsx":
        body, mimetype = template_xlsx(found), XLSX
    else:
        abort(404)
    return Response(
        body,
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="{found.value}-template.{extension}"'
        },
    )
