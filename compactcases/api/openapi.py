"""The OpenAPI 3.1 description, built from the operations the API's views declare."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pydantic import BaseModel

from .schemas import ProblemOut


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # OpenAPI style: /cases/{reference}
    summary: str
    tag: str
    body: type[BaseModel] | None = None
    responses: dict[int, type[BaseModel] | None] = field(default_factory=dict)
    query: tuple[dict, ...] = ()
    path_params: tuple[dict, ...] = ()
    headers: tuple[dict, ...] = ()
    public: bool = False
    description: str = ""
    # A multipart/form-data body (file uploads), as its JSON schema, instead of `body`.
    form_body: dict | None = None
    # The media types of a file the 200 answer carries as it is (a document's bytes).
    file_types: tuple[str, ...] = ()


OPERATIONS: list[Operation] = []

RESPONSE_TEXT = {
    200: "OK",
    201: "Created",
    204: "Done; no content",
    400: "The request could not be read: not valid JSON, or text with a NUL character",
    401: "No token, or a wrong, expired or revoked one",
    403: "The token's user may not do this",
    404: "Not found, or outside the user's scope",
    409: "Conflict: not allowed in the current state, or changed since",
    413: "The request is larger than the files allowed at once",
    415: "The body must be JSON",
    422: "Invalid fields or query parameters (an unknown one included), named in `errors`",
    428: "The version being changed was not given",
    429: "Too many attempts",
    500: "The server failed to answer; nothing was changed",
}


def register(operation: Operation) -> Operation:
    OPERATIONS.append(operation)
    return operation


def find_operation(method: str, path: str) -> Operation | None:
    """The operation registered for `method` on `path` (OpenAPI style), if any."""
    return next((op for op in OPERATIONS if (op.method, op.path) == (method, path)), None)


def operation_id(op: Operation) -> str:
    """e.g. post_v1_cases_reference_events"""
    words = re.sub(r"[^a-z0-9]+", "_", op.path.lower()).strip("_")
    return f"{op.method.lower()}_{words}"


def _operation(op: Operation, ref) -> dict:
    """One operation's entry: its parameters, body and every answer it may give."""
    responses = {}
    # Any request may be refused as unreadable (a NUL character in a path or parameter) or
    # for a query parameter the operation does not take, and any may fail on the server.
    always = {400: ProblemOut, 422: ProblemOut, 500: ProblemOut}
    for status, model in sorted({**always, **op.responses}.items()):
        entry: dict = {"description": RESPONSE_TEXT.get(status, "Response")}
        if status == 200 and op.file_types:
            binary = {"schema": {"type": "string", "format": "binary"}}
            entry["content"] = {media_type: binary for media_type in op.file_types}
        elif model is ProblemOut:
            entry["content"] = {"application/problem+json": {"schema": ref(model, "serialization")}}
        elif model is not None:
            entry["content"] = {"application/json": {"schema": ref(model, "serialization")}}
        responses[str(status)] = entry
    operation: dict = {
        "operationId": operation_id(op),
        "summary": op.summary,
        "tags": [op.tag],
        "parameters": [*op.path_params, *op.query, *op.headers],
        "responses": responses,
    }
    if op.description:
        operation["description"] = op.description
    if op.body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": ref(op.body, "validation")}},
        }
    if op.form_body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"multipart/form-data": {"schema": op.form_body}},
        }
    if op.public:
        operation["security"] = []
    return operation


def document(server_url: str) -> dict:
    """The OpenAPI 3.1 description of every operation, with the models' JSON schemas."""
    schemas: dict[str, dict] = {}

    def ref(model: type[BaseModel], mode: str) -> dict:
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}", mode=mode)
        for name, definition in schema.pop("$defs", {}).items():
            schemas.setdefault(name, definition)
        schemas.setdefault(model.__name__, schema)
        return {"$ref": f"#/components/schemas/{model.__name__}"}

    paths: dict[str, dict] = {}
    for op in OPERATIONS:
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(op, ref)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Compact Cases API",
            "version": "1",
            "description": (
                "Disputes under local Compacts, funders' notices and their compliance, "
                "Compact periods. The same rules and scope as the pages: each token acts as "
                "its user. Errors are RFC 9457 problem details."
            ),
        },
        "servers": [{"url": server_url}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A token from POST /tokens",
                }
            },
        },
    }
