"""The API's regional cases: referring a local case up to the region. (A regional case is
opened with `POST /cases` and `"level": "regional"`.)"""

from __future__ import annotations

from flask import g

from .. import history
from ..cases import regional
from ..cases import services as cases
from ..policy import Action
from .case_views import case_for, case_response, stale_problem
from .common import (
    IF_MATCH_HEADER,
    REFERENCE,
    V1,
    VERSIONED_WRITE_ERRORS,
    bp,
    expected_version,
    parse,
)
from .openapi import Operation, register
from .party_fields import compact_ids
from .problems import Problem
from .schemas import CaseDetail, ReferralIn

register(
    Operation(
        "POST",
        f"{V1}/cases/{{reference}}/referral",
        "Refer a local case to the region, adding the Compacts it affects (needs its version)",
        "Cases",
        body=ReferralIn,
        path_params=(REFERENCE,),
        headers=(IF_MATCH_HEADER,),
        responses={
            200: CaseDetail,
            **VERSIONED_WRITE_ERRORS,
        },
    )
)


@bp.post(f"{V1}/cases/<reference>/referral")
def refer_case(reference: str):
    user = g.api_user
    case = case_for(reference, Action.REFER_CASE)
    body = parse(ReferralIn)
    expected = expected_version(body.version, "case")
    ids, unknown = compact_ids(body.affected_compacts, cases.regional_compacts_for(user))
    if unknown:
        raise Problem(
            422,
            "Some fields are invalid",
            errors={"affected_compacts": [f"Not a Compact of your region: {', '.join(unknown)}"]},
        )
    try:
        regional.refer_up(case, ids, expected, user, reason=body.reason)
    except history.StaleCase as stale:
        raise stale_problem(stale) from None
    except regional.ReferralRefused as refused:
        if refused.field_errors:
            errors = {name: [text] for name, text in refused.field_errors.items()}
            raise Problem(422, refused.message, errors=errors) from None
        raise Problem(409, refused.message) from None
    return case_response(case)
