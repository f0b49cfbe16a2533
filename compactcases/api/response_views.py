"""A party's response on its case over the API: the same service and refusals as the page."""

from __future__ import annotations

from flask import g, request, url_for

from .. import history
from ..cases import responses
from ..policy import Action
from .case_views import case_for, stale_problem
from .common import (
    IF_MATCH_HEADER,
    REFERENCE,
    V1,
    WRITE_ERRORS,
    bp,
    created,
    expected_version,
    listed,
    parse,
)
from .openapi import Operation, register
from .problems import Problem
from .schemas import ResponseIn, ResponseOut

register(
    Operation(
        "POST",
        f"{V1}/cases/{{reference}}/responses",
        "Add a party's statement or response to a case",
        "Cases",
        body=ResponseIn,
        path_params=(REFERENCE,),
        headers=(IF_MATCH_HEADER,),
        responses={201: ResponseOut, **WRITE_ERRORS},
        description=(
            "For the people of an organisation that is a party to the case (funder and "
            "organisation users). A closed case answers 409; anyone else who sees the case "
            "answers 403. The case's officer or mediator is told of it, and, unless "
            "`officers_only`, the other party too. With the case's version (If-Match, or "
            "`version`) a retried request, or one made on a case changed meanwhile, answers "
            "409 instead of adding a second response."
        ),
    )
)


@bp.post(f"{V1}/cases/<reference>/responses")
def add_response(reference: str):
    case = case_for(reference, Action.RESPOND_ON_CASE)
    body = parse(ResponseIn)
    given = request.headers.get("If-Match") or body.version is not None
    expected = expected_version(body.version, "case") if given else None
    try:
        entry = responses.add_response(
            case, g.api_user, body.text, body.officers_only, expected_version=expected
        )
    except responses.ResponseRefused as refused:
        if refused.forbidden:
            raise Problem(403, refused.message) from None
        if refused.closed:
            raise Problem(409, refused.message, state=case.state.value) from None
        raise Problem(422, refused.message, errors=listed(refused.field_errors)) from None
    except history.StaleCase as stale:
        raise stale_problem(stale) from None
    out = ResponseOut(
        kind=entry.kind.value,
        event=None,
        from_state=None,
        to_state=None,
        reason=entry.reason,
        changes=None,
        private=entry.private,
        actor=g.api_user.name,
        occurred_at=entry.occurred_at,
        case_version=case.version,
    )
    return created(out.model_dump(mode="json"), url_for("api.get_case", reference=case.reference))
