"""The API's funding agreements: list, record, read and change them (with their version), and
record a renewal or the end; every answer carries the notice window."""

from __future__ import annotations

from dataclasses import fields, replace

from flask import Response, g, jsonify, request, url_for

from .. import localtime, policy
from ..agreements import decisions, services, windows
from ..bounds import MAX_ID, MAX_PAGE
from ..extensions import db
from ..models import Compact, FundingAgreement
from ..policy import Action
from .agreement_schemas import (
    AgreementCreate,
    AgreementOut,
    AgreementPage,
    AgreementUpdate,
    DecisionIn,
)
from .common import (
    AUTH_ERRORS,
    COMPACT_CODE,
    COMPACT_CODE_LENGTH,
    IF_MATCH_HEADER,
    V1,
    VERSIONED_WRITE_ERRORS,
    bp,
    expected_version,
    int_arg,
    listed,
    parse,
    query_param,
    text_arg,
)
from .openapi import Operation, register
from .problems import Problem
from .schemas import ProblemOut

AGREEMENT_ID = {
    "name": "agreement_id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
}
# The service's names for the fields, as the API calls them.
API_NAMES = {"compact_id": "compact"}


def _body(agreement: FundingAgreement) -> dict:
    today = localtime.today()
    return AgreementOut(
        id=agreement.id,
        funder={"id": agreement.funder.id, "name": agreement.funder.name},
        organisation={"id": agreement.organisation.id, "name": agreement.organisation.name},
        compact={"code": agreement.compact.code, "name": agreement.compact.name},
        title=agreement.title,
        funder_reference=agreement.funder_reference,
        annual_value=agreement.annual_value,
        starts_on=agreement.starts_on,
        ends_on=agreement.ends_on,
        break_on=agreement.break_on,
        review_on=agreement.review_on,
        latest_notice_date=agreement.latest_notice_on,
        latest_consultation_start=agreement.latest_consultation_start,
        window_status=agreement.status(today).value,
        days_left=agreement.days_left(today),
        required_period=agreement.required_period,
        notice_given_on=agreement.notice_given_on,
        ended_on=agreement.ended_on,
        renewed_on=agreement.renewed_on,
        version=agreement.version,
        url=url_for("api.get_agreement", agreement_id=agreement.id),
    ).model_dump(mode="json")


def _response(agreement_id: int, status: int = 200) -> Response:
    # Reloaded, so the body shows what was committed.
    db.session.expire_all()
    fresh = services.get_agreement(agreement_id, g.api_user)
    response = jsonify(_body(fresh))
    response.status_code = status
    response.headers["ETag"] = f'"{fresh.version}"'
    if status == 201:
        response.headers["Location"] = url_for("api.get_agreement", agreement_id=fresh.id)
    return response


def _agreement_for(agreement_id: int, action: Action = Action.VIEW_AGREEMENT) -> FundingAgreement:
    agreement = services.get_agreement(agreement_id, g.api_user)
    if agreement is None:
        raise Problem(404, f"No funding agreement {agreement_id} that you can see")
    if not policy.can(g.api_user, action, agreement):
        raise Problem(403, policy.FORBIDDEN_MESSAGES.get(action, "Your role cannot do that"))
    return agreement


def _invalid(errors: dict[str, str]) -> Problem:
    return Problem(
        422,
        "Some fields are invalid",
        errors=listed({API_NAMES.get(name, name): text for name, text in errors.items()}),
    )


def _compact_id(code: str, errors: dict[str, str]) -> int:
    compact = db.session.scalar(db.select(Compact).filter_by(code=code.strip().upper()))
    if compact is None:
        errors["compact_id"] = "Give the code of a Compact"
        return 0
    return compact.id


register(
    Operation(
        "GET",
        f"{V1}/funding-agreements",
        "List the funding agreements you can see, windows closing soonest first",
        "Funding agreements",
        responses={200: AgreementPage, 403: ProblemOut, 422: ProblemOut, **AUTH_ERRORS},
        query=(
            query_param("compact", COMPACT_CODE, "Compact code"),
            query_param(
                "funder", {"type": "integer", "minimum": 1, "maximum": MAX_ID}, "Funder id"
            ),
            query_param("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}, "Page"),
            query_param("per_page", {"type": "integer", "minimum": 1, "maximum": 100}, "Page size"),
        ),
    )
)


@bp.get(f"{V1}/funding-agreements")
def list_agreements():
    if not policy.can(g.api_user, Action.LIST_AGREEMENTS):
        raise Problem(403, "Your role cannot see funding agreements")
    errors: dict[str, list[str]] = {}
    page = int_arg("page", 1, 1, MAX_PAGE, errors)
    per_page = int_arg("per_page", 25, 1, 100, errors)
    funder = int_arg("funder", 0, 1, MAX_ID, errors) if request.args.get("funder") else 0
    compact = text_arg("compact", COMPACT_CODE_LENGTH, errors)
    if errors:
        raise Problem(422, "Some query parameters are invalid", errors=errors)
    filters = windows.AgreementFilters(compact=compact.upper() or None, funder_id=funder or None)
    found = windows.search_agreements(filters, g.api_user, page=page, per_page=per_page)
    body = AgreementPage(
        items=[_body(a) for a in found.items], total=found.total, page=page, per_page=per_page
    )
    return jsonify(body.model_dump(mode="json"))


register(
    Operation(
        "POST",
        f"{V1}/funding-agreements",
        "Record a funding agreement and get its notice window",
        "Funding agreements",
        body=AgreementCreate,
        responses={
            201: AgreementOut,
            400: ProblemOut,
            403: ProblemOut,
            415: ProblemOut,
            422: ProblemOut,
            **AUTH_ERRORS,
        },
    )
)


@bp.post(f"{V1}/funding-agreements")
def create_agreement():
    user = g.api_user
    if not policy.can(user, Action.MANAGE_AGREEMENT):
        raise Problem(403, policy.FORBIDDEN_MESSAGES[Action.MANAGE_AGREEMENT])
    body = parse(AgreementCreate)
    errors: dict[str, str] = {}
    values = body.model_dump(exclude={"compact"})
    details = services.AgreementDetails(compact_id=_compact_id(body.compact, errors), **values)
    errors = {**services.agreement_errors(details, user), **errors}
    if errors:
        raise _invalid(errors)
    try:
        agreement = services.create_agreement(details, user)
    except services.AgreementInvalid as refused:
        raise _invalid(refused.field_errors) from None
    return _response(agreement.id, 201)


register(
    Operation(
        "GET",
        f"{V1}/funding-agreements/{{agreement_id}}",
        "A funding agreement with its notice window",
        "Funding agreements",
        path_params=(AGREEMENT_ID,),
        responses={200: AgreementOut, 404: ProblemOut, **AUTH_ERRORS},
    )
)


# One rule for both methods: with two, an id beyond the column's range would answer 405 for
# the second method rather than 404 (the first rule's method matches, its converter refuses).
@bp.route(f"{V1}/funding-agreements/<int:agreement_id>", methods=["GET", "PATCH"])
def get_agreement(agreement_id: int):
    if request.method == "PATCH":
        return update_agreement(agreement_id)
    return _response(_agreement_for(agreement_id).id)


register(
    Operation(
        "PATCH",
        f"{V1}/funding-agreements/{{agreement_id}}",
        "Change a funding agreement (needs its version); its window moves with it",
        "Funding agreements",
        body=AgreementUpdate,
        path_params=(AGREEMENT_ID,),
        headers=(IF_MATCH_HEADER,),
        responses={200: AgreementOut, **VERSIONED_WRITE_ERRORS},
    )
)


def update_agreement(agreement_id: int):
    user = g.api_user
    agreement = _agreement_for(agreement_id, Action.MANAGE_AGREEMENT)
    body = parse(AgreementUpdate)
    expected = expected_version(body.version, "agreement")
    changes = body.model_dump(exclude_unset=True, exclude={"version"})
    # Only the break and review dates may be cleared; a null elsewhere is a mistake.
    nulls = [k for k, v in changes.items() if v is None and k not in ("break_on", "review_on")]
    if nulls:
        raise Problem(
            422,
            "These fields cannot be null",
            errors=listed(dict.fromkeys(nulls, "Give a value, or leave the field out")),
        )
    errors: dict[str, str] = {}
    if changes.get("funder_id", agreement.funder_id) != agreement.funder_id:
        errors["funder_id"] = "An agreement stays with the funder that holds it"
    if "compact" in changes:
        changes["compact_id"] = _compact_id(changes.pop("compact"), errors)
    current = services.AgreementDetails(
        **{f.name: getattr(agreement, f.name) for f in fields(services.AgreementDetails)}
    )
    details = replace(current, **changes)
    errors = {**services.agreement_errors(details, user, agreement_id=agreement.id), **errors}
    if errors:
        raise _invalid(errors)
    try:
        services.update_agreement(agreement, details, expected, user)
    except services.StaleAgreement as stale:
        raise _stale(stale) from None
    except services.AgreementInvalid as refused:
        raise _invalid(refused.field_errors) from None
    return _response(agreement_id)


register(
    Operation(
        "POST",
        f"{V1}/funding-agreements/{{agreement_id}}/decisions",
        "Record a renewal or extension (the window moves on) or the agreement's end",
        "Funding agreements",
        body=DecisionIn,
        path_params=(AGREEMENT_ID,),
        headers=(IF_MATCH_HEADER,),
        responses={200: AgreementOut, **VERSIONED_WRITE_ERRORS},
    )
)


@bp.post(f"{V1}/funding-agreements/<int:agreement_id>/decisions")
def record_decision(agreement_id: int):
    agreement = _agreement_for(agreement_id, Action.MANAGE_AGREEMENT)
    body = parse(DecisionIn)
    expected = expected_version(body.version, "agreement")
    decision = decisions.Decision(
        kind=decisions.DecisionKind(body.kind),
        decided_on=body.decided_on,
        new_ends_on=body.new_ends_on,
        reason=body.reason.strip(),
    )
    errors = decisions.decision_errors(decision, agreement)
    if errors:
        raise _invalid(errors)
    try:
        decisions.record_decision(agreement, decision, expected, g.api_user)
    except services.StaleAgreement as stale:
        raise _stale(stale) from None
    except services.AgreementInvalid as refused:
        raise _invalid(refused.field_errors) from None
    return _response(agreement_id)


def _stale(stale: services.StaleAgreement) -> Problem:
    """409 for a change that lost a race: the agreement's version now, to re-read."""
    return Problem(409, stale.message, current_version=stale.agreement.version)
