"""Moving a case through the workflow over the API: firing events and recording the outcome,
through the same services and with the same refusals as the pages."""

from __future__ import annotations

from flask import g, jsonify, url_for

from workflows import dispute, outcomes
from workflows.dispute import Event, TransitionRefused

from .. import history, localtime
from ..cases import services as cases
from ..cases import workflow
from ..models import Case
from .case_views import case_for, case_response, stale_problem
from .common import AUTH_ERRORS, REFERENCE, V1, WRITE_ERRORS, bp, created, parse
from .openapi import Operation, register
from .problems import Problem
from .schemas import CaseDetail, EventRequest, OutcomeIn, OutcomeOut, ProblemOut

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
            **WRITE_ERRORS,
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
    case = case_for(reference)
    body = parse(EventRequest)
    _refuse_if_not_theirs(user, case, body.event)
    _fire(case, body.event, body.reason, body.outcome)
    return case_response(case)


def _refuse_if_not_theirs(user, case: Case, event: str) -> None:
    """403 when the workflow would allow the event now but the user's role may not fire it;
    an event the workflow refuses anyway is left to answer 409 with the allowed events."""
    refused = workflow.role_refusal(user, case, event, localtime.today())
    if refused is not None:
        raise Problem(403, refused)


def _fire(case: Case, event: str, reason: str, outcome, outcome_prefix: str = "outcome.") -> None:
    """Fire `event` through the one service that moves cases, answering a refusal as a
    problem: 409 not allowed now, 422 allowed but missing what it needs."""
    request_values = dispute.EventRequest(
        today=localtime.today(), reason=reason, outcome=_draft(outcome) if outcome else None
    )
    try:
        workflow.fire_event(case, event, request_values, g.api_user)
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
    except history.StaleCase as stale:
        raise stale_problem(stale) from None


def _draft(outcome: OutcomeIn) -> outcomes.OutcomeDraft:
    """The typed outcome as the workflow's check reads a form: text, blank where unknown."""

    def figure(value: int | None) -> str:
        return "" if value is None else str(value)

    return outcomes.OutcomeDraft(
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
            **WRITE_ERRORS,
        },
        description="The same as the `resolve` event with this outcome.",
    )
)


@bp.post(f"{V1}/cases/<reference>/outcome")
def record_outcome(reference: str):
    case = case_for(reference)
    body = parse(OutcomeIn)
    _refuse_if_not_theirs(g.api_user, case, Event.RESOLVE.value)
    _fire(case, Event.RESOLVE.value, "", body, outcome_prefix="")
    fresh = cases.get_case(reference)
    return created(_outcome_body(fresh), url_for("api.get_outcome", reference=fresh.reference))


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
    case = case_for(reference)
    if case.outcome is None:
        raise Problem(404, f"{case.reference} has no outcome: it is {case.state.label.lower()}")
    return jsonify(_outcome_body(case))
