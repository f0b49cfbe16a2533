"""Errors as RFC 9457 problem details (`application/problem+json`)."""

from __future__ import annotations

from flask import Response, json
from pydantic import ValidationError

PROBLEM_TYPES = {
    400: "malformed-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "content-too-large",
    415: "unsupported-media-type",
    422: "validation-error",
    428: "precondition-required",
    429: "too-many-requests",
    500: "server-error",
}
TITLES = {
    400: "The request could not be read",
    401: "A valid token is needed",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "The request is too large",
    415: "The body must be JSON",
    422: "The request has invalid fields",
    428: "The version being changed must be given",
    429: "Too many attempts",
    500: "Something went wrong",
}


class Problem(Exception):
    """A failure to answer as problem details; raising it ends the request."""

    def __init__(self, status: int, detail: str, **extra) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.extra = extra

    def response(self) -> Response:
        return problem(self.status, self.detail, **self.extra)


def problem(status: int, detail: str, *, headers: dict | None = None, **extra) -> Response:
    body = {
        "type": f"/api/problems/{PROBLEM_TYPES.get(status, 'error')}",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        **extra,
    }
    response = Response(json.dumps(body), status=status, mimetype="application/problem+json")
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="compact-cases"'
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def field_errors(error: ValidationError) -> dict[str, list[str]]:
    """Pydantic's errors keyed by the dotted path of the field each is about."""
    errors: dict[str, list[str]] = {}
    for item in error.errors(include_url=False):
        path = ".".join(str(part) for part in item["loc"]) or "body"
        errors.setdefault(path, []).append(_message(item))
    return errors


def _message(item: dict) -> str:
    if item["type"] == "extra_forbidden":
        return "This field is not part of the request; remove it"
    if item["type"] == "missing":
        return "This field is required"
    message = item["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    return message
