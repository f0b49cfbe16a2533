"""Recording a dispute's acknowledgement over the API, through the same service and with the
same refusals as the page."""

from __future__ import annotations

from flask import g

from workflows.letters import AcknowledgementRefused

from .. import history, localtime
from ..letters import services as letters
from ..policy import Action
from .case_views import case_for, case_response, stale_problem
from .common import REFERENCE, V1, WRITE_ERRORS, bp, parse
from .openapi import Operation, register
from .problems import Problem
from .schemas import AcknowledgementIn, CaseDetail

register(
    Operation(
        "POST",
        f"{V1}/cases/{{reference}}/acknowledgement",
        "Record that a raised dispute was acknowledged",
        "Cases",
        body=AcknowledgementIn,
        path_params=(REFERENCE,),
        responses={
            200: CaseDetail,
            **WRITE_ERRORS,
        },
        description=(
            "Meets the case's acknowledgement deadline (or records it as missed, if late) and "
            "adds the entry to the timeline; with `letter`, also generates the acknowledgement "
            "letter as a private document on the case. A case that is not raised, or already "
            "acknowledged, answers 409; a date in the future or before the dispute was raised "
            "answers 422 naming `acknowledged_on`."
        ),
    )
)


@bp.post(f"{V1}/cases/<reference>/acknowledgement")
def acknowledge(reference: str):
    case = case_for(reference, Action.ACKNOWLEDGE_CASE)
    body = parse(AcknowledgementIn)
    today = localtime.today()
    try:
        letters.record_acknowledgement(
            case, body.acknowledged_on or today, g.api_user, today, with_letter=body.letter
        )
    except (AcknowledgementRefused, letters.LetterRefused) as refused:
        if refused.field_errors:
            errors = {name: [message] for name, message in refused.field_errors.items()}
            raise Problem(422, refused.message, errors=errors) from None
        raise Problem(409, refused.message) from None
    except history.StaleCase as stale:
        raise stale_problem(stale) from None
    return case_response(case)
