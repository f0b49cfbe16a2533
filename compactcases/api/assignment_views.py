"""Who holds a case, over the API: a mediator takes an unassigned case, a lead mediator or an
administrator assigns one, through the same service and refusals as the pages."""

from __future__ import annotations

from flask import g

from .. import history, policy
from ..cases import assignment
from ..cases import services as cases
from ..models import Case
from ..policy import Action
from .case_views import case_for, case_response, stale_problem
from .common import REFERENCE, V1, WRITE_ERRORS, bp, parse
from .openapi import Operation, register
from .problems import Problem
from .schemas import AssignmentIn, CaseDetail

register(
    Operation(
        "POST",
        f"{V1}/cases/{{reference}}/assignment",
        "Take or assign a case",
        "Cases",
        body=AssignmentIn,
        path_params=(REFERENCE,),
        responses={
            200: CaseDetail,
            **WRITE_ERRORS,
        },
        description=(
            "A mediator sends their own id as `mediator_id` to take an unassigned case in "
            "regional mediation; a case someone has already taken answers 409 naming them. A "
            "lead mediator or an administrator names any mediator of the case's region (an "
            "administrator may also name the officer). Each change is on the case's timeline."
        ),
    )
)


@bp.post(f"{V1}/cases/<reference>/assignment")
def assign_case(reference: str):
    user = g.api_user
    case = case_for(reference)
    body = parse(AssignmentIn)
    taking = False
    try:
        if policy.can(user, Action.ASSIGN_CASE, case):
            assignment.assign(
                case,
                user,
                mediator_id=body.mediator_id,
                officer_id=body.officer_id,
                version=body.version,
            )
        elif policy.can(user, Action.TAKE_CASE, case):
            if body.mediator_id != user.id or body.officer_id is not None:
                raise Problem(403, policy.FORBIDDEN_MESSAGES[Action.ASSIGN_CASE])
            _refuse_stale(case, body.version)
            taking = True
            assignment.take_case(case, user)
        else:
            raise Problem(403, policy.FORBIDDEN_MESSAGES[Action.ASSIGN_CASE])
    except assignment.AssignmentRefused as refused:
        if refused.field_errors:
            errors = {f"{name}_id": [message] for name, message in refused.field_errors.items()}
            raise Problem(422, refused.message, errors=errors) from None
        raise Problem(409, refused.message, current_version=case.version) from None
    except history.StaleCase as stale:
        raise (_taken(stale) if taking else stale_problem(stale)) from None
    return case_response(case)


def _refuse_stale(case: Case, version: int | None) -> None:
    if version is not None and version != case.version:
        raise Problem(
            409,
            f"{case.reference} was changed after version {version}; it is at version "
            f"{case.version}. Nothing was changed.",
            state=case.state.value,
            current_version=case.version,
        )


def _taken(stale: history.StaleCase) -> Problem:
    """Taking a case lost a race: if another mediator took it meanwhile, say who."""
    fresh = cases.get_case(stale.case.reference)
    if fresh is not None and fresh.mediator_id is not None:
        return Problem(
            409,
            assignment.taken_message(fresh),
            state=fresh.state.value,
            current_version=fresh.version,
        )
    return stale_problem(stale)
