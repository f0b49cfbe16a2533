"""The JSON API (v1): the pages' capabilities for other systems, through the same services.

Each view parses the request into a schema, calls one service, and serialises the result.
Authentication is a bearer token (no cookies, no CSRF); permissions and scope come from
`policy`, exactly as for the pages. Tokens, the calculations and the description are here;
cases, notices and reports have a module each (case_views, notice_views, report_views).
"""

from __future__ import annotations

from flask import Response, g, jsonify, render_template, request, url_for

from workflows.periods import Pause as PeriodPause
from workflows.periods import Period as RulePeriod
from workflows.periods import PeriodError, due_date
from workflows.periods import Unit as RuleUnit

from .. import localtime, policy
from ..extensions import db
from ..models import Compact, NoticeKind
from ..notices import services as notice_services
from . import tokens
from .common import (
    AUTH_ERRORS,
    V1,
    bp,
    parse,
)
from .notice_schemas import NoticeCheck, NoticeCheckResult, PeriodOut
from .openapi import OPERATIONS, Operation, document, register
from .problems import Problem, problem
from .schemas import DeadlineCalculation, DueDate, ProblemOut, TokenRequest, TokenResponse

# -- tokens --------------------------------------------------------------------------------------


register(
    Operation(
        "POST",
        f"{V1}/tokens",
        "Get a token for an account",
        "Tokens",
        body=TokenRequest,
        responses={
            201: TokenResponse,
            400: ProblemOut,
            401: ProblemOut,
            415: ProblemOut,
            422: ProblemOut,
            429: ProblemOut,
        },
        public=True,
        description="Failed attempts are throttled as on the sign-in page.",
    )
)


@bp.post(f"{V1}/tokens")
def create_token():
    body = parse(TokenRequest)
    issued = tokens.issue(body.email, body.password, request.remote_addr or "unknown")
    if issued == "throttled":
        policy.audit("api_token_throttled", email=body.email.strip().lower())
        return problem(429, "Too many failed attempts for this account or address; wait and retry")
    if issued == "refused":
        policy.audit("api_token_refused", email=body.email.strip().lower())
        return problem(401, "The email address or password is not right")
    token, row = issued
    policy.audit("api_token_issued", user_id=row.user_id)
    body = TokenResponse(token=token, expires_at=row.expires_at).model_dump(mode="json")
    return jsonify(body), 201


register(
    Operation(
        "DELETE",
        f"{V1}/tokens/current",
        "Revoke the token this request carries",
        "Tokens",
        responses={204: None, **AUTH_ERRORS},
    )
)


@bp.delete(f"{V1}/tokens/current")
def revoke_token():
    tokens.revoke(g.api_token)
    policy.audit("api_token_revoked", user_id=g.api_user.id)
    return Response(status=204)


# -- calculations ----------------------------------------------------------------------------------


register(
    Operation(
        "POST",
        f"{V1}/deadline-calculations",
        "Add a Compact period to a date (nothing is saved)",
        "Calculations",
        body=DeadlineCalculation,
        responses={200: DueDate, 400: ProblemOut, 415: ProblemOut, 422: ProblemOut, **AUTH_ERRORS},
        description=(
            "Months by the corresponding-date rule; working days skip weekends and England's "
            "bank holidays. A pause covers start ≤ day < end; an open pause counts to today."
        ),
    )
)


@bp.post(f"{V1}/deadline-calculations")
def deadline_calculation():
    body = parse(DeadlineCalculation)
    period = RulePeriod(body.count, RuleUnit(body.unit))
    pauses = [PeriodPause(p.start, p.end) for p in body.pauses]
    try:
        due = due_date(body.start, period, pauses, today=localtime.today())
    except PeriodError as error:
        raise Problem(422, str(error), errors={"pauses": [str(error)]}) from None
    return jsonify(DueDate(due_on=due).model_dump(mode="json"))


register(
    Operation(
        "POST",
        f"{V1}/notice-checks",
        "Check a notice or consultation against a Compact's rules (nothing is saved)",
        "Calculations",
        body=NoticeCheck,
        responses={
            200: NoticeCheckResult,
            400: ProblemOut,
            404: ProblemOut,
            415: ProblemOut,
            422: ProblemOut,
            **AUTH_ERRORS,
        },
        description=(
            "For a planned funding change give either date and the answer gives the other; "
            "for a consultation give opens_on, closes_on or both."
        ),
    )
)


@bp.post(f"{V1}/notice-checks")
def notice_check():
    body = parse(NoticeCheck)
    compact = db.session.scalar(db.select(Compact).filter_by(code=body.compact.upper()))
    if compact is None:
        raise Problem(404, f"No Compact with the code {body.compact}")
    kind = NoticeKind(body.kind)
    try:
        found = notice_services.check_planned(
            compact,
            kind,
            later=body.effective_on if kind.is_funding else body.closes_on,
            earlier=body.notice_given_on if kind.is_funding else body.opens_on,
            written=body.written,
            reasons_given=body.reasons_given,
        ).verdict
    except PeriodError as error:
        raise Problem(422, str(error), errors={"body": [str(error)]}) from None
    result = NoticeCheckResult(
        # With one date there is nothing to judge yet; the API has always answered true then,
        # unless the planned notice would already fail (not written, no reasons).
        compliant=found.compliant is not False,
        required_period=PeriodOut(count=found.period.count, unit=found.period.unit.value),
        earliest_compliant_effective_on=found.earliest_compliant_effective_on,
        latest_notice_date=found.latest_notice_date,
        earliest_closes_on=found.earliest_closes_on,
        latest_opens_on=found.latest_opens_on,
        shortfall_days=found.shortfall_days,
        explanation=found.explanation,
    )
    return jsonify(result.model_dump(mode="json"))


# -- the description -----------------------------------------------------------------------------


def _server_url() -> str:
    """Where the API is mounted (the paths in the description start with /v1)."""
    return url_for("api.openapi_json").removesuffix(f"{V1}/openapi.json")


@bp.get(f"{V1}/openapi.json")
def openapi_json():
    return jsonify(document(_server_url()))


@bp.get("/docs")
def docs():
    return render_template("api/docs.html", spec=document(_server_url()), operations=OPERATIONS)


# The areas' views register their routes and operations on the blueprint when imported.
from . import (  # noqa: E402, F401
    agreement_views,
    assignment_views,
    business_case_views,
    case_views,
    discovery_views,
    document_views,
    letter_views,
    lookup_views,
    meeting_views,
    notice_views,
    regional_views,
    report_views,
    response_views,
    webhook_payloads,
    workflow_views,
)
