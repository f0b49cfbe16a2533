"""The JSON API (v1): the pages' capabilities for other systems, through the same services.

Each view parses the request into a schema, calls one service, and serialises the result.
Authentication is a bearer token (no cookies, no CSRF); permissions and scope come from
`policy`, exactly as for the pages.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from flask import Blueprint, Response, g, jsonify, render_template, request, url_for
from pydantic import BaseModel, ValidationError

from workflows import dispute
from workflows.dispute import Event, State, TransitionRefused
from workflows.periods import (
    MAX_DATE,
    MIN_DATE,
    PeriodError,
    check_consultation,
    check_funding_notice,
    due_date,
    latest_start,
)
from workflows.periods import Pause as PeriodPause
from workflows.periods import Period as RulePeriod
from workflows.periods import Unit as RuleUnit

from .. import clock, policy, rules
from ..cases import services as cases
from ..extensions import csrf, db
from ..models import Case, Compact, NoticeKind, Region
from ..notices import services as notices
from ..policy import Action
from ..reports import services as reports
from . import tokens
from .openapi import OPERATIONS, Operation, document, register
from .problems import Problem, field_errors, problem
from .schemas import (
    CaseCreate,
    CaseDetail,
    CasePage,
    CaseSummary,
    CaseUpdate,
    DeadlineCalculation,
    DeadlineOut,
    DueDate,
    EventRequest,
    NoticeCheck,
    NoticeCheckResult,
    NoticeCreate,
    NoticeOut,
    NoticePage,
    OutcomeIn,
    OutcomeOut,
    PeriodOut,
    ProblemOut,
    ReportOut,
    ReportSummary,
    TimelineEntry,
    TokenRequest,
    TokenResponse,
)

bp = Blueprint("api", __name__, url_prefix="/api")
csrf.exempt(bp)

V1 = "/v1"
# Reachable without a token: getting one, and the API's description.
PUBLIC_ENDPOINTS = {"api.create_token", "api.openapi_json", "api.docs"}
AUTH_ERRORS = {401: ProblemOut}


def _json_param(name: str, schema: dict, description: str, required: bool = False) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": required,
        "schema": schema,
        "description": description,
    }


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
    nul = [name for name, value in parsed.model_dump().items() if _has_nul(value)]
    if nul:
        raise Problem(
            422,
            "Text cannot contain the NUL character",
            errors={name: ["Remove the NUL character"] for name in nul},
        )
    return parsed


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple):
        return any(_has_nul(item) for item in value)
    if isinstance(value, dict):
        return any(_has_nul(item) for item in value.values())
    return False


def _int_arg(name: str, default: int, low: int, high: int, errors: dict) -> int:
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


def _case_for(reference: str, action: Action = Action.VIEW_CASE) -> Case:
    case = cases.get_case(reference)
    user = g.api_user
    if case is None or not policy.sees_case(user, case):
        raise Problem(404, f"No case {reference} that you can see")
    if not policy.can(user, action, case):
        raise Problem(403, policy.FORBIDDEN_MESSAGES.get(action, "Your role cannot do that"))
    return case


# -- serialisation ---------------------------------------------------------------------------------


def _summary(case: Case) -> dict:
    return {
        "reference": case.reference,
        "title": case.title,
        "state": case.state,
        "compact": {"code": case.compact.code, "name": case.compact.name},
        "funder": {"id": case.funder.id, "name": case.funder.name},
        "third_sector": {"id": case.third_sector.id, "name": case.third_sector.name},
        "raised_on": case.raised_on,
        "closed_on": case.closed_on,
        "url": url_for("api.get_case", reference=case.reference),
    }


def _detail(case: Case) -> dict:
    user = g.api_user
    today = clock.today()
    allowed = [e for e in cases.allowed_events(case, today) if policy.may_fire(user, e, case)]
    deadlines = [
        DeadlineOut(
            id=row.id,
            kind=row.kind.value,
            label=row.label,
            period=row.period,
            due_on=row.due_on,
            status=row.status.value,
            closed_on=row.closed_on,
            days_left=row.countdown.days if row.countdown else None,
            days_are_working_days=row.countdown.working if row.countdown else None,
            paused=row.paused,
        )
        for row in cases.deadline_rows(case, today)
    ]
    events = [
        TimelineEntry(
            kind=entry.kind.value,
            event=entry.event,
            from_state=entry.from_state,
            to_state=entry.to_state,
            reason=entry.reason,
            changes=entry.changes,
            private=entry.private,
            actor=entry.actor.name if entry.actor else None,
            occurred_at=entry.occurred_at,
        )
        for entry in cases.timeline(case, user)
    ]
    return CaseDetail(
        **_summary(case),
        summary=case.summary,
        raised_by=case.raised_by,
        areas=case.areas,
        amount_at_stake=case.amount_at_stake,
        escalated_on=case.escalated_on,
        officer=case.officer.name if case.officer else None,
        mediator=case.mediator.name if case.mediator else None,
        version=case.version,
        allowed_events=allowed,
        deadlines=deadlines,
        events=events,
    ).model_dump(mode="json")


def _case_response(case: Case, status: int = 200, headers: dict | None = None) -> Response:
    # Reload so the body shows what was committed, timeline included.
    fresh = cases.get_case(case.reference)
    response = jsonify(_detail(fresh))
    response.status_code = status
    response.headers["ETag"] = f'"{fresh.version}"'
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


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


# -- cases ---------------------------------------------------------------------------------------


register(
    Operation(
        "GET",
        f"{V1}/cases",
        "List the cases you can see",
        "Cases",
        responses={200: CasePage, 403: ProblemOut, 422: ProblemOut, **AUTH_ERRORS},
        query=(
            _json_param("state", {"type": "string", "enum": [s.value for s in State]}, "State"),
            _json_param("compact", {"type": "string", "maxLength": 8}, "Compact code"),
            _json_param("q", {"type": "string", "maxLength": 100}, "Reference, title or party"),
            _json_param(
                "overdue", {"type": "string", "enum": ["true", "false"]}, "Has an overdue deadline"
            ),
            _json_param("page", {"type": "integer", "minimum": 1, "maximum": 100000}, "Page"),
            _json_param("per_page", {"type": "integer", "minimum": 1, "maximum": 100}, "Page size"),
        ),
    )
)


@bp.get(f"{V1}/cases")
def list_cases():
    if not policy.can(g.api_user, Action.LIST_CASES):
        raise Problem(403, policy.FORBIDDEN_MESSAGES[Action.LIST_CASES])
    errors: dict[str, list[str]] = {}
    page = _int_arg("page", 1, 1, 100000, errors)
    per_page = _int_arg("per_page", 25, 1, 100, errors)
    state = request.args.get("state") or None
    if state is not None and state not in State._value2member_map_:
        errors["state"] = ["Must be one of " + ", ".join(s.value for s in State)]
    overdue = request.args.get("overdue", "")
    if overdue not in ("", "true", "false"):
        errors["overdue"] = ["Must be true or false"]
    q = request.args.get("q", "")
    if len(q) > 100:
        errors["q"] = ["Must be 100 characters or fewer"]
    if errors:
        raise Problem(422, "Some query parameters are invalid", errors=errors)
    filters = cases.CaseFilters(
        state=State(state) if state else None,
        compact=(request.args.get("compact") or "").upper() or None,
        q=q,
        due="overdue" if overdue == "true" else None,
    )
    found = cases.search_cases(filters, g.api_user, page=page, per_page=per_page)
    body = CasePage(
        items=[CaseSummary(**_summary(case)) for case in found.items],
        total=found.total,
        page=page,
        per_page=per_page,
    )
    return jsonify(body.model_dump(mode="json"))


register(
    Operation(
        "POST",
        f"{V1}/cases",
        "Log a dispute",
        "Cases",
        body=CaseCreate,
        responses={
            201: CaseDetail,
            400: ProblemOut,
            403: ProblemOut,
            415: ProblemOut,
            422: ProblemOut,
            **AUTH_ERRORS,
        },
    )
)


@bp.post(f"{V1}/cases")
def create_case():
    user = g.api_user
    if not policy.can(user, Action.CREATE_CASE):
        raise Problem(403, policy.FORBIDDEN_MESSAGES[Action.CREATE_CASE])
    body = parse(CaseCreate)
    compact = next((c for c in cases.compacts_for(user) if c.code == body.compact.upper()), None)
    details = cases.CaseDetails(
        compact_id=compact.id if compact else 0,
        title=body.title.strip(),
        summary=body.summary.strip(),
        funder_id=body.funder_id,
        third_sector_id=body.third_sector_id,
        raised_by=body.raised_by,
        areas=tuple(dict.fromkeys(body.areas)),
        amount_at_stake=body.amount_at_stake,
        raised_on=body.raised_on or clock.today(),
    )
    errors = _api_names(cases.detail_errors(details, user))
    if compact is None:
        errors["compact"] = "Give the code of a Compact you work in"
    if errors:
        raise Problem(422, "Some fields are invalid", errors=_listed(errors))
    case = cases.create_case(details, user)
    return _case_response(
        case, 201, {"Location": url_for("api.get_case", reference=case.reference)}
    )


def _api_names(errors: dict[str, str]) -> dict[str, str]:
    """The service names the case's columns; the API calls the Compact by its code."""
    return {("compact" if name == "compact_id" else name): text for name, text in errors.items()}


def _listed(errors: dict[str, str]) -> dict[str, list[str]]:
    return {name: [message] for name, message in errors.items()}


register(
    Operation(
        "GET",
        f"{V1}/cases/{{reference}}",
        "A case: its state, the events allowed now, deadlines and timeline",
        "Cases",
        path_params=(REFERENCE,),
        responses={200: CaseDetail, 404: ProblemOut, **AUTH_ERRORS},
    )
)


@bp.get(f"{V1}/cases/<reference>")
def get_case(reference: str):
    return _case_response(_case_for(reference))


register(
    Operation(
        "PATCH",
        f"{V1}/cases/{{reference}}",
        "Change a case's details (needs its version)",
        "Cases",
        body=CaseUpdate,
        path_params=(REFERENCE,),
        headers=(
            {
                "name": "If-Match",
                "in": "header",
                "required": False,
                "schema": {"type": "string", "maxLength": 20},
                "description": "The version being changed, as the ETag gave it",
            },
        ),
        responses={
            200: CaseDetail,
            400: ProblemOut,
            403: ProblemOut,
            404: ProblemOut,
            409: ProblemOut,
            415: ProblemOut,
            422: ProblemOut,
            428: ProblemOut,
            **AUTH_ERRORS,
        },
    )
)


@bp.patch(f"{V1}/cases/<reference>")
def update_case(reference: str):
    user = g.api_user
    case = _case_for(reference, Action.EDIT_CASE)
    body = parse(CaseUpdate)
    expected = _expected_version(body.version)
    current = cases.details_of(case)
    changes = body.model_dump(exclude_unset=True, exclude={"version"})
    # Only the money at stake may be cleared; a null elsewhere is a mistake, not a change.
    nulls = [name for name, value in changes.items() if value is None and name != "amount_at_stake"]
    if nulls:
        raise Problem(
            422,
            "These fields cannot be null",
            errors=_listed(dict.fromkeys(nulls, "Give a value, or leave the field out")),
        )
    if "areas" in changes:
        changes["areas"] = tuple(dict.fromkeys(changes["areas"]))
    for text in ("title", "summary"):
        if text in changes:
            changes[text] = changes[text].strip()
    details = replace(current, **changes)
    errors = _api_names(cases.detail_errors(details, user))
    if errors:
        raise Problem(422, "Some fields are invalid", errors=_listed(errors))
    try:
        cases.update_case(case, details, expected, user)
    except cases.StaleCase as stale:
        raise Problem(
            409,
            f"{stale.case.reference} was changed by someone else: it is at version "
            f"{stale.case.version}. Read it again and reapply your change.",
        ) from None
    return _case_response(case)


def _expected_version(from_body: int | None) -> int:
    header = request.headers.get("If-Match", "").strip().strip('"').removeprefix('W/"')
    if header:
        try:
            return int(header.strip('"'))
        except ValueError:
            raise Problem(
                422, "If-Match must be the case's version", errors={"If-Match": ["Not a version"]}
            ) from None
    if from_body is not None:
        return from_body
    raise Problem(428, 'Send If-Match: <version> or "version" in the body')


register(
    Operation(
        "POST",
        f"{V1}/cases/{{reference}}/events",
        "Move a case through the workflow",
        "Cases",
        body=EventRequest,
        path_params=(REFERENCE,),
        responses={
            200: CaseDetail,
            400: ProblemOut,
            403: ProblemOut,
            404: ProblemOut,
            409: ProblemOut,
            415: ProblemOut,
            422: ProblemOut,
            **AUTH_ERRORS,
        },
        description=(
            "An event not allowed now answers 409 with `allowed_events`; an allowed event "
            "missing what it needs answers 422 with `errors` and `allowed_events`."
        ),
    )
)


@bp.post(f"{V1}/cases/<reference>/events")
def fire_event(reference: str):
    user = g.api_user
    case = _case_for(reference)
    body = parse(EventRequest)
    _refuse_if_not_theirs(user, case, body.event)
    _fire(case, body.event, body.reason, body.outcome)
    return _case_response(case)


def _refuse_if_not_theirs(user, case: Case, event: str) -> None:
    """403 when the workflow would allow the event now but the user's role may not fire it;
    an event the workflow refuses anyway is left to answer 409 with the allowed events."""
    if event in {e.value for e in cases.allowed_events(case, clock.today())} and not (
        policy.may_fire(user, event, case)
    ):
        raise Problem(
            403,
            f"Your role cannot “{Event(event).label}” while the case is {case.state.label.lower()}",
        )


def _fire(case: Case, event: str, reason: str, outcome, outcome_prefix: str = "outcome.") -> None:
    """Fire `event` through the one service that moves cases, answering a refusal as a
    problem: 409 not allowed now, 422 allowed but missing what it needs."""
    request_values = dispute.EventRequest(
        today=clock.today(), reason=reason, outcome=_draft(outcome) if outcome else None
    )
    try:
        cases.fire_event(case, event, request_values, g.api_user)
    except TransitionRefused as refused:
        allowed = [e.value for e in refused.allowed_events]
        if refused.field_errors:
            errors = {
                (f"{outcome_prefix}{name}" if name not in ("reason", "outcome") else name): [
                    message
                ]
                for name, message in refused.field_errors.items()
            }
            raise Problem(422, refused.message, errors=errors, allowed_events=allowed) from None
        raise Problem(409, refused.message, allowed_events=allowed) from None
    except cases.StaleCase:
        raise Problem(409, "Someone else changed the case just now; read it and retry") from None


def _draft(outcome: OutcomeIn) -> dispute.OutcomeDraft:
    """The typed outcome as the workflow's check reads a form: text, blank where unknown."""

    def figure(value: int | None) -> str:
        return "" if value is None else str(value)

    return dispute.OutcomeDraft(
        level=outcome.level.value,
        outcome_type=outcome.outcome_type.value,
        breach_found=outcome.breach_found.value,
        funding_protected=figure(outcome.funding_protected),
        jobs_safeguarded=figure(outcome.jobs_safeguarded),
        notice_days_gained=figure(outcome.notice_days_gained),
        service_users_affected=figure(outcome.service_users_affected),
        agreed_actions=outcome.agreed_actions,
        learning=outcome.learning,
        learning_shareable="yes" if outcome.learning_shareable else "no",
    )


def _outcome_body(case: Case) -> dict:
    outcome = case.outcome
    return OutcomeOut(
        kind=outcome.kind.value,
        level=outcome.level,
        outcome_type=outcome.outcome_type,
        breach_found=outcome.breach_found,
        funding_protected=outcome.funding_protected,
        jobs_safeguarded=outcome.jobs_safeguarded,
        notice_days_gained=outcome.notice_days_gained,
        service_users_affected=outcome.service_users_affected,
        agreed_actions=outcome.agreed_actions,
        learning=outcome.learning,
        learning_shareable=outcome.learning_shareable,
        withdrawal_reason=outcome.withdrawal_reason,
        recorded_at=outcome.recorded_at,
        working_days_to_close=case.working_days_to_close,
    ).model_dump(mode="json")


register(
    Operation(
        "POST",
        f"{V1}/cases/{{reference}}/outcome",
        "Record how a case ended, resolving it",
        "Cases",
        body=OutcomeIn,
        path_params=(REFERENCE,),
        responses={
            201: OutcomeOut,
            400: ProblemOut,
            403: ProblemOut,
            404: ProblemOut,
            409: ProblemOut,
            415: ProblemOut,
            422: ProblemOut,
            **AUTH_ERRORS,
        },
        description="The same as the `resolve` event with this outcome.",
    )
)


@bp.post(f"{V1}/cases/<reference>/outcome")
def record_outcome(reference: str):
    case = _case_for(reference)
    body = parse(OutcomeIn)
    _refuse_if_not_theirs(g.api_user, case, Event.RESOLVE.value)
    _fire(case, Event.RESOLVE.value, "", body, outcome_prefix="")
    fresh = cases.get_case(reference)
    return _created(_outcome_body(fresh), url_for("api.get_outcome", reference=fresh.reference))


def _created(body: dict, location: str) -> Response:
    response = jsonify(body)
    response.status_code = 201
    response.headers["Location"] = location
    return response


register(
    Operation(
        "GET",
        f"{V1}/cases/{{reference}}/outcome",
        "How a closed case ended",
        "Cases",
        path_params=(REFERENCE,),
        responses={200: OutcomeOut, 404: ProblemOut, **AUTH_ERRORS},
    )
)


@bp.get(f"{V1}/cases/<reference>/outcome")
def get_outcome(reference: str):
    case = _case_for(reference)
    if case.outcome is None:
        raise Problem(404, f"{case.reference} has no outcome: it is {case.state.label.lower()}")
    return jsonify(_outcome_body(case))


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
        due = due_date(body.start, period, pauses, today=clock.today())
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
    rule = "consultation" if kind is NoticeKind.CONSULTATION else "funding_notice"
    period = rules.period_for(compact, rule)
    result = {
        "required_period": PeriodOut(count=period.count, unit=period.unit.value),
        "earliest_compliant_effective_on": None,
        "latest_notice_date": None,
        "earliest_closes_on": None,
        "latest_opens_on": None,
    }
    try:
        if kind.is_funding:
            verdict = check_funding_notice(
                body.notice_given_on, body.effective_on, period, body.written, body.reasons_given
            )
            result.update(
                compliant=verdict.compliant,
                earliest_compliant_effective_on=verdict.earliest_compliant_effective_on,
                latest_notice_date=verdict.latest_notice_date,
                shortfall_days=verdict.shortfall_days,
                explanation=verdict.explanation,
            )
        elif body.opens_on and body.closes_on:
            verdict = check_consultation(body.opens_on, body.closes_on, period)
            result.update(
                compliant=verdict.compliant,
                earliest_closes_on=due_date(body.opens_on, period),
                shortfall_days=verdict.shortfall_days,
                explanation=verdict.explanation,
            )
        elif body.opens_on:
            closes = due_date(body.opens_on, period)
            result.update(
                compliant=True,
                earliest_closes_on=closes,
                shortfall_days=0,
                explanation=f"A consultation opening on {body.opens_on:%-d %B %Y} must close on "
                f"or after {closes:%-d %B %Y} to run the {period.describe()} required.",
            )
        else:
            opens = latest_start(body.closes_on, period)
            result.update(
                compliant=True,
                latest_opens_on=opens,
                shortfall_days=0,
                explanation=f"To close on {body.closes_on:%-d %B %Y}, a consultation must open "
                f"on or before {opens:%-d %B %Y} to run the {period.describe()} required.",
            )
    except PeriodError as error:
        raise Problem(422, str(error), errors={"body": [str(error)]}) from None
    return jsonify(NoticeCheckResult(**result).model_dump(mode="json"))


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


# -- notices ---------------------------------------------------------------------------------------


NOTICE_ID = {
    "name": "notice_id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": 1, "maximum": 2_147_483_647},
}


def _notice_body(notice) -> dict:
    user = g.api_user
    case = notice.case if notice.case and policy.sees_case(user, notice.case) else None
    return NoticeOut(
        id=notice.id,
        kind=notice.kind.value,
        title=notice.title,
        compact={"code": notice.compact.code, "name": notice.compact.name},
        funder={"id": notice.funder.id, "name": notice.funder.name},
        recipient=(
            {"id": notice.recipient.id, "name": notice.recipient.name} if notice.recipient else None
        ),
        notice_given_on=notice.notice_given_on,
        effective_on=notice.effective_on,
        written=notice.written,
        reasons_given=notice.reasons_given,
        amount_before=notice.amount_before,
        amount_after=notice.amount_after,
        opens_on=notice.opens_on,
        closes_on=notice.closes_on,
        compliant=notice.compliant,
        required_period=notice.required_period,
        shortfall_days=notice.shortfall_days,
        earliest_compliant_on=notice.earliest_compliant_on,
        latest_notice_on=notice.latest_notice_on,
        explanation=notice.explanation,
        case=case.reference if case else None,
        url=url_for("api.get_notice", notice_id=notice.id),
    ).model_dump(mode="json")


register(
    Operation(
        "GET",
        f"{V1}/notices",
        "List the notices you can see, with their verdicts",
        "Notices",
        responses={200: NoticePage, 403: ProblemOut, 422: ProblemOut, **AUTH_ERRORS},
        query=(
            _json_param(
                "funder", {"type": "integer", "minimum": 1, "maximum": 2_147_483_647}, "Funder id"
            ),
            _json_param("compact", {"type": "string", "maxLength": 8}, "Compact code"),
            _json_param("compliant", {"type": "string", "enum": ["true", "false"]}, "Verdict"),
            _json_param("page", {"type": "integer", "minimum": 1, "maximum": 100000}, "Page"),
            _json_param("per_page", {"type": "integer", "minimum": 1, "maximum": 100}, "Page size"),
        ),
    )
)


@bp.get(f"{V1}/notices")
def list_notices():
    if not policy.can(g.api_user, Action.LIST_NOTICES):
        raise Problem(403, "Your role cannot see notices")
    errors: dict[str, list[str]] = {}
    page = _int_arg("page", 1, 1, 100000, errors)
    per_page = _int_arg("per_page", 25, 1, 100, errors)
    funder = _int_arg("funder", 0, 1, 2_147_483_647, errors) if request.args.get("funder") else 0
    compliant = request.args.get("compliant", "")
    if compliant not in ("", "true", "false"):
        errors["compliant"] = ["Must be true or false"]
    if errors:
        raise Problem(422, "Some query parameters are invalid", errors=errors)
    filters = notices.NoticeFilters(
        funder_id=funder or None,
        compact=(request.args.get("compact") or "").upper() or None,
        compliant={"true": True, "false": False}.get(compliant),
    )
    found = notices.search_notices(filters, g.api_user, page=page, per_page=per_page)
    body = NoticePage(
        items=[_notice_body(n) for n in found.items],
        total=found.total,
        page=page,
        per_page=per_page,
    )
    return jsonify(body.model_dump(mode="json"))


register(
    Operation(
        "POST",
        f"{V1}/notices",
        "Record a notice of a funding change, or a consultation, and get its verdict",
        "Notices",
        body=NoticeCreate,
        responses={
            201: NoticeOut,
            400: ProblemOut,
            403: ProblemOut,
            415: ProblemOut,
            422: ProblemOut,
            **AUTH_ERRORS,
        },
    )
)


@bp.post(f"{V1}/notices")
def create_notice():
    user = g.api_user
    if not policy.can(user, Action.CREATE_NOTICE):
        raise Problem(403, policy.FORBIDDEN_MESSAGES[Action.CREATE_NOTICE])
    body = parse(NoticeCreate)
    compact = db.session.scalar(db.select(Compact).filter_by(code=body.compact.upper()))
    details = notices.NoticeDetails(
        kind=NoticeKind(body.kind),
        compact_id=compact.id if compact else 0,
        funder_id=body.funder_id,
        recipient_id=body.recipient_id,
        title=body.title.strip(),
        notice_given_on=body.notice_given_on,
        effective_on=body.effective_on,
        written=body.written,
        reasons_given=body.reasons_given,
        amount_before=body.amount_before,
        amount_after=body.amount_after,
        opens_on=body.opens_on,
        closes_on=body.closes_on,
    )
    found = notices.notice_errors(details, user)
    if compact is None:
        found["compact_id"] = "Give the code of a Compact"
    if found:
        names = {"compact_id": "compact"}
        raise Problem(
            422,
            "Some fields are invalid",
            errors={names.get(name, name): [message] for name, message in found.items()},
        )
    notice = notices.create_notice(details, user)
    return _created(
        _notice_body(notices.get_notice(notice.id)), url_for("api.get_notice", notice_id=notice.id)
    )


register(
    Operation(
        "GET",
        f"{V1}/notices/{{notice_id}}",
        "A notice with its verdict",
        "Notices",
        path_params=(NOTICE_ID,),
        responses={200: NoticeOut, 404: ProblemOut, **AUTH_ERRORS},
    )
)


@bp.get(f"{V1}/notices/<int:notice_id>")
def get_notice(notice_id: int):
    notice = notices.get_notice(notice_id)
    if notice is None or not policy.can(g.api_user, Action.VIEW_NOTICE, notice):
        raise Problem(404, f"No notice {notice_id} that you can see")
    return jsonify(_notice_body(notice))


# -- reports ---------------------------------------------------------------------------------------


register(
    Operation(
        "GET",
        f"{V1}/reports/summary",
        "Every figure of the reports pages, for your scope",
        "Reports",
        responses={200: ReportSummary, 403: ProblemOut, 422: ProblemOut, **AUTH_ERRORS},
        query=(
            _json_param(
                "from", {"type": "string", "format": "date"}, "First day (default: 1 April)"
            ),
            _json_param("to", {"type": "string", "format": "date"}, "Last day (default: 31 March)"),
            _json_param("region", {"type": "string", "maxLength": 8}, "Region code"),
            _json_param("compact", {"type": "string", "maxLength": 8}, "Compact code"),
        ),
        description="The period defaults to the current financial year, April to March.",
    )
)


@bp.get(f"{V1}/reports/summary")
def report_summary():
    user = g.api_user
    if not policy.can(user, Action.VIEW_REPORTS):
        raise Problem(403, "Your role has no reports")
    errors: dict[str, list[str]] = {}
    default_start, default_end = reports.financial_year(clock.today())
    start = _date_arg("from", default_start, errors)
    end = _date_arg("to", default_end, errors)
    if not errors and end < start:
        errors["to"] = ["Must be the same as or after `from`"]
    region = None
    if request.args.get("region"):
        region = db.session.scalar(db.select(Region).filter_by(code=request.args["region"].upper()))
        if region is None:
            errors["region"] = ["No region with this code"]
    compact = (request.args.get("compact") or "").upper() or None
    if compact and db.session.scalar(db.select(Compact.id).filter_by(code=compact)) is None:
        errors["compact"] = ["No Compact with this code"]
    if errors:
        raise Problem(422, "Some query parameters are invalid", errors=errors)
    filters = reports.ReportFilters(
        start=start, end=end, region_id=region.id if region else None, compact=compact
    )
    body = ReportSummary(
        start=start,
        end=end,
        region=region.code if region else None,
        compact=compact,
        reports=[
            ReportOut(
                name=found.name,
                title=found.title,
                columns=list(found.columns),
                rows=[list(row) for row in found.rows],
                total=list(found.total) if found.total else None,
            )
            for found in reports.all_reports(filters, user)
        ],
    )
    return jsonify(body.model_dump(mode="json"))


def _date_arg(name: str, default: date, errors: dict) -> date:
    raw = request.args.get(name)
    if not raw:
        return default
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        errors[name] = ["Must be a real date written YYYY-MM-DD"]
        return default
    if not MIN_DATE <= day <= MAX_DATE:
        errors[name] = [f"Dates must be from {MIN_DATE.year} to {MAX_DATE.year}"]
    return day
