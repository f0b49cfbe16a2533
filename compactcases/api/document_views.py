"""The API's documents: list and upload a case's documents (multipart), read one's record and
download its file, with the scope and checks of the pages."""

from __future__ import annotations

from flask import Response, g, jsonify, request, url_for

from .. import policy
from ..documents import services, storage, types
from ..downloads import file_response
from ..models import Document
from ..policy import Action
from .case_views import case_for
from .common import AUTH_ERRORS, REFERENCE, V1, bp
from .document_schemas import DOCUMENT_ID, UPLOAD_FORM, DocumentList, DocumentOut
from .openapi import Operation, register
from .problems import Problem
from .schemas import ProblemOut

TAG = "Documents"


def _body(document: Document) -> dict:
    return DocumentOut(
        id=document.id,
        filename=document.filename,
        size=document.size,
        sha256=document.sha256,
        content_type=document.content_type,
        visibility=document.visibility.value,
        case=document.case.reference if document.case else None,
        notice_id=document.notice_id,
        agreement_id=document.agreement_id,
        uploaded_by=document.uploaded_by.name if document.uploaded_by else None,
        uploaded_at=document.uploaded_at,
        removed_at=document.removed_at,
        removed_reason=document.removed_reason,
        purged=document.purged_at is not None,
        url=url_for("api.get_document", document_id=document.id),
        content_url=url_for("api.get_document_content", document_id=document.id),
    ).model_dump(mode="json")


def _document_for(document_id: int) -> Document:
    document = services.get_document(document_id)
    if document is None or not policy.sees_document(g.api_user, document):
        raise Problem(404, f"No document {document_id} that you can see")
    return document


register(
    Operation(
        "GET",
        f"{V1}/cases/{{reference}}/documents",
        "List a case's documents (removed ones too, for Compact officers and mediators)",
        TAG,
        responses={200: DocumentList, 403: ProblemOut, 404: ProblemOut, **AUTH_ERRORS},
        path_params=(REFERENCE,),
    )
)


@bp.get(f"{V1}/cases/<reference>/documents")
def list_case_documents(reference: str):
    case = case_for(reference, Action.VIEW_CASE)
    documents = services.documents_of(case, g.api_user)
    return jsonify({"items": [_body(d) for d in documents]})


register(
    Operation(
        "POST",
        f"{V1}/cases/{{reference}}/documents",
        "Upload one or more files to a case",
        TAG,
        form_body=UPLOAD_FORM,
        responses={
            201: DocumentList,
            403: ProblemOut,
            404: ProblemOut,
            413: ProblemOut,
            415: ProblemOut,
            **AUTH_ERRORS,
        },
        path_params=(REFERENCE,),
        description=(
            f"Each file must be a {types.ALLOWED_LIST} file, judged by its content, no larger "
            "than DOCUMENT_MAX_MB. If any file is refused, none is saved (422, naming why)."
        ),
    )
)


@bp.post(f"{V1}/cases/<reference>/documents")
def upload_case_documents(reference: str):
    case = case_for(reference, Action.ADD_DOCUMENT)
    if request.mimetype != "multipart/form-data":
        raise Problem(415, "Send the files as multipart/form-data, each in a `file` part")
    try:
        documents = services.upload_documents(
            owner=case,
            uploads=services.uploads_from(request.files.getlist("file")),
            visibility=request.form.get("visibility"),
            actor=g.api_user,
        )
    except services.DocumentRefused as refused:
        raise Problem(422, refused.message, errors={refused.field: [refused.message]}) from None
    response = jsonify({"items": [_body(d) for d in documents]})
    response.status_code = 201
    if len(documents) == 1:
        response.headers["Location"] = url_for("api.get_document", document_id=documents[0].id)
    return response


register(
    Operation(
        "GET",
        f"{V1}/documents/{{document_id}}",
        "Read a document's record",
        TAG,
        responses={200: DocumentOut, 404: ProblemOut, **AUTH_ERRORS},
        path_params=(DOCUMENT_ID,),
    )
)


@bp.get(f"{V1}/documents/<int:document_id>")
def get_document(document_id: int):
    return jsonify(_body(_document_for(document_id)))


register(
    Operation(
        "GET",
        f"{V1}/documents/{{document_id}}/content",
        "Download a document's file, as an attachment under its original name",
        TAG,
        responses={200: None, 404: ProblemOut, **AUTH_ERRORS},
        path_params=(DOCUMENT_ID,),
        file_types=tuple(dict.fromkeys(kind.content_type for kind in types.KINDS)),
        description="404 also once the document has been removed or its file erased.",
    )
)


@bp.get(f"{V1}/documents/<int:document_id>/content")
def get_document_content(document_id: int) -> Response:
    document = _document_for(document_id)
    if not document.is_live:
        raise Problem(404, f"Document {document_id} has been removed")
    try:
        data = services.read_content(document)
    except storage.MissingContent:
        raise Problem(404, f"The file of document {document_id} is no longer kept") from None
    return file_response(data, document.filename, document.content_type)
