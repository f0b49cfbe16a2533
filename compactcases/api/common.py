"""The API blueprint and what every API view shares: bearer-token authentication, reading
a JSON body into a schema, query parameters, and the answers they give."""

from __future__ import annotations

import re

from flask import Blueprint, Response, g, jsonify, request
from pydantic import BaseModel, ValidationError

from ..extensions import csrf
from . import tokens
from .openapi import find_operation
from .problems import Problem, field_errors, problem
from .schemas import (
    COMPACT_CODE_LENGTH,
    ProblemOut,
)

bp = Blueprint("api", __name__, url_prefix="/api")
csrf.exempt(bp)

V1 = "/v1"
# Reachable without a token: getting one, and the API's description.
PUBLIC_ENDPOINTS = {"api.create_token", "api.openapi_json", "api.docs"}
AUTH_ERRORS = {401: ProblemOut}
# What a write to a record may answer besides success: a bad body, a role that may not, a
# record outside scope, a conflict (stale or not allowed now), not JSON, invalid fields; and,
# for a change that needs the version it was made from, 428 when none was sent.
WRITE_ERRORS = {
    400: ProblemOut,
    403: ProblemOut,
    404: ProblemOut,
    409: ProblemOut,
    415: ProblemOut,
    422: ProblemOut,
    **AUTH_ERRORS,
}
VERSIONED_WRITE_ERRORS = {**WRITE_ERRORS, 428: ProblemOut}


def query_param(name: str, schema: dict, description: str, required: bool = False) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": required,
        "schema": schema,
        "description": description,
    }


COMPACT_CODE = {"type": "string", "maxLength": COMPACT_CODE_LENGTH}

REFERENCE = {
    "name": "reference",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "maxLength": 20},
    "description": "The case reference, e.g. BIR-2026-0007",
}


# -- request handling ----------------------------------------------------------------------------


@bp.before_request
def authenticate():
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    found = tokens.user_for(token.strip()) if scheme.lower() == "bearer" and token else None
    if found is None:
        return problem(401, "Send `Authorization: Bearer <token>` with a live token")
    g.api_user, g.api_token = found
    return None


@bp.before_request
def refuse_unknown_query_parameters():
    """Like unknown fields in a body, a query parameter the operation does not take is refused:
    a misspelt filter would otherwise be ignored without a word."""
    if request.url_rule is None or not request.args:
        return None
    path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", request.url_rule.rule)
    operation = find_operation(request.method, path.removeprefix(bp.url_prefix or ""))
    if operation is None:
        return None
    known = {parameter["name"]: parameter["schema"] for parameter in operation.query}
    errors = {
        name: ["Not a parameter of this operation; remove it"]
        for name in sorted(set(request.args) - set(known))
    }
    # An empty value is only a value where the description allows an empty string.
    for name, schema in known.items():
        if request.args.get(name) == "" and not _admits_empty_text(schema):
            errors[name] = ["Give a value, or leave the parameter out"]
    if errors:
        raise Problem(422, "Some query parameters are invalid", errors=errors)
    return None


def _admits_empty_text(schema: dict) -> bool:
    return schema.get("type") == "string" and not (
        {"enum", "format", "pattern"} & set(schema) or schema.get("minLength", 0) > 0
    )


@bp.errorhandler(Problem)
def _problem(error: Problem):
    return error.response()


def parse(model: type[BaseModel]):
    """The JSON body as `model`, or a problem: 415 not JSON, 400 unreadable, 422 invalid."""
    if not request.is_json:
        raise Problem(415, "Send the body as JSON with Content-Type: application/json")
    try:
        parsed = model.model_validate_json(request.get_data() or b"", strict=True)
    except ValidationError as error:
        if any(item["type"] == "json_invalid" for item in error.errors()):
            raise Problem(400, "The body is not valid JSON") from None
        raise Problem(
            422, "Some fields are missing or invalid", errors=field_errors(error)
        ) from None
    nul = [name for name, value in parsed.model_dump().items() if has_nul(value)]
    if nul:
        raise Problem(
            422,
            "Text cannot contain the NUL character",
            errors={name: ["Remove the NUL character"] for name in nul},
        )
    return parsed


def has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple):
        return any(has_nul(item) for item in value)
    if isinstance(value, dict):
        return any(has_nul(item) for item in value.values())
    return False


def int_arg(name: str, default: int, low: int, high: int, errors: dict) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        errors[name] = [f"Must be a whole number from {low} to {high}"]
        return default
    if not low <= value <= high:
        errors[name] = [f"Must be a whole number from {low} to {high}"]
    return value


def text_arg(name: str, max_length: int, errors: dict) -> str:
    """A text query parameter, stripped; longer than its documented maximum is an error."""
    raw = request.args.get(name, "")
    if len(raw) > max_length:
        errors[name] = [f"Must be {max_length} characters or fewer"]
        return ""
    return raw.strip()


def api_names(errors: dict[str, str]) -> dict[str, str]:
    """The service names the case's columns; the API calls the Compact by its code."""
    return {("compact" if name == "compact_id" else name): text for name, text in errors.items()}


def listed(errors: dict[str, str]) -> dict[str, list[str]]:
    return {name: [message] for name, message in errors.items()}


def created(body: dict, location: str) -> Response:
    response = jsonify(body)
    response.status_code = 201
    response.headers["Location"] = location
    return response


# A version as an ETag gives it ("3"), weak (W/"3") or bare (3).
IF_MATCH = r'^(W/"[0-9]{1,10}"|"[0-9]{1,10}"|[0-9]{1,10})$'
IF_MATCH_HEADER = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "schema": {"type": "string", "maxLength": 20, "pattern": IF_MATCH},
    "description": "The version being changed, as the ETag gave it",
}


def expected_version(from_body: int | None, what: str) -> int:
    """The version a change was made from: the If-Match header, else the body's "version";
    428 when neither is sent, 422 when the header is not a version. `what` names the record
    ("case", "notice") in the message."""
    header = request.headers.get("If-Match", "")
    if header:
        if not re.fullmatch(IF_MATCH, header):
            raise Problem(
                422,
                f"If-Match must be the {what}'s version",
                errors={"If-Match": ["Not a version"]},
            )
        return int(header.removeprefix("W/").strip('"'))
    if from_body is not None:
        return from_body
    raise Problem(428, 'Send If-Match: <version> or "version" in the body')
