"""The API's notices: record one and get its verdict, list them, read one."""

from __future__ import annotations

from dataclasses import replace

from flask import g, jsonify, request, url_for

from .. import policy
from ..agreements import services as agreements
from ..bounds import MAX_ID, MAX_PAGE
from ..extensions import db
from ..models import Compact, NoticeKind
from ..notices import changes
from ..notices import lists as notice_lists
from ..notices import services as notices
from ..policy import Action
from .common import (
    AUTH_ERRORS,
    COMPACT_CODE,
    COMPACT_CODE_LENGTH,
    IF_MATCH_HEADER,
    V1,
    bp,
    created,
    expected_version,
    int_arg,
    listed,
    parse,
    query_param,
    text_arg,
)
from .notice_schemas import NoticeCreate, NoticeOut, NoticePage, NoticeUpdate, NoticeWithdrawal
from .openapi import Operation, register
from .problems import Problem
from .schemas import ProblemOut

# -- notices ---------------------------------------------------------------------------------------


NOTICE_ID = {
    "name": "notice_id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
}


def _notice_body(notice, shows_case=None) -> dict:
    """The notice as the API shows it; its case only if `shows_case(case)` (by default: if
    the token's user may see it)."""
    shows_case = shows_case or (lambda case: policy.sees_case(g.api_user, case))
    case = notice.case if notice.case and shows_case(notice.case) else None
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
        agreement_id=notice.agreement_id,
        withdrawn=notice.withdrawn,
        withdrawn_reason=notice.withdrawn_reason,
        version=notice.version,
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
            query_param(
                "funder", {"type": "integer", "minimum": 1, "maximum": MAX_ID}, "Funder id"
            ),
            query_param("compact", COMPACT_CODE, "Compact code"),
            query_param("compliant", {"type": "string", "enum": ["true", "false"]}, "Verdict"),
            query_param("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}, "Page"),
            query_param("per_page", {"type": "integer", "minimum": 1, "maximum": 100}, "Page size"),
        ),
    )
)


@bp.get(f"{V1}/notices")
def list_notices():
    if not policy.can(g.api_user, Action.LIST_NOTICES):
        raise Problem(403, "Your role cannot see notices")
    errors: dict[str, list[str]] = {}
    page = int_arg("page", 1, 1, MAX_PAGE, errors)
    per_page = int_arg("per_page", 25, 1, 100, errors)
    funder = int_arg("funder", 0, 1, MAX_ID, errors) if request.args.get("funder") else 0
    compliant = request.args.get("compliant", "")
    if compliant not in ("", "true", "false"):
        errors["compliant"] = ["Must be true or false"]
    compact = text_arg("compact", COMPACT_CODE_LENGTH, errors)
    if errors:
        raise Problem(422, "Some query parameters are invalid", errors=errors)
    filters = notice_lists.NoticeFilters(
        funder_id=funder or None,
        compact=compact.upper() or None,
        compliant={"true": True, "false": False}.get(compliant),
    )
    found = notice_lists.search_notices(filters, g.api_user, page=page, per_page=per_page)
    # One scope query for the page's cases, not one for each notice's.
    policy.visible_case_ids(g.api_user, [n.case for n in found.items if n.case])
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
            409: ProblemOut,
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
        agreement_id=body.agreement_id,
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
    try:
        notice = notices.create_notice(details, user)
    except agreements.StaleAgreement as stale:
        raise Problem(409, stale.message, current_version=stale.agreement.version) from None
    return created(
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


# One rule for both methods: with a rule each, an id beyond the columns' range would answer
# 405 (the other rule's method) instead of 404.
@bp.route(f"{V1}/notices/<int:notice_id>", methods=["GET", "PATCH"])
def get_notice(notice_id: int):
    if request.method == "PATCH":
        return _update_notice(notice_id)
    return _notice_response(_notice_for(notice_id))


def _notice_for(notice_id: int, action: Action = Action.VIEW_NOTICE):
    notice = notices.get_notice(notice_id)
    user = g.api_user
    if notice is None or not policy.can(user, Action.VIEW_NOTICE, notice):
        raise Problem(404, f"No notice {notice_id} that you can see")
    if not policy.can(user, action, notice):
        raise Problem(403, policy.FORBIDDEN_MESSAGES.get(action, "Your role cannot do that"))
    return notice


def _notice_response(notice):
    response = jsonify(_notice_body(notice))
    response.headers["ETag"] = f'"{notice.version}"'
    return response


def _refused(notice_id: int, error: Exception) -> Problem:
    """409 for a change that lost a race or a withdrawn notice, with the version it is at."""
    if isinstance(error, changes.StaleNotice):
        return Problem(409, error.message, current_version=error.notice.version)
    fresh = notices.get_notice(notice_id)
    return Problem(409, str(error), current_version=fresh.version)


CHANGE_RESPONSES = {
    200: NoticeOut,
    400: ProblemOut,
    403: ProblemOut,
    404: ProblemOut,
    409: ProblemOut,
    415: ProblemOut,
    422: ProblemOut,
    428: ProblemOut,
    **AUTH_ERRORS,
}

register(
    Operation(
        "PATCH",
        f"{V1}/notices/{{notice_id}}",
        "Change a notice's answers (needs its version); its verdict is worked out again",
        "Notices",
        body=NoticeUpdate,
        path_params=(NOTICE_ID,),
        headers=(IF_MATCH_HEADER,),
        responses=CHANGE_RESPONSES,
    )
)


def _update_notice(notice_id: int):
    user = g.api_user
    notice = _notice_for(notice_id, Action.EDIT_NOTICE)
    body = parse(NoticeUpdate)
    expected = expected_version(body.version, "notice")
    given = body.model_dump(exclude_unset=True, exclude={"version"})
    clearable = ("recipient_id", "amount_before", "amount_after")
    nulls = [name for name, value in given.items() if value is None and name not in clearable]
    if nulls:
        raise Problem(
            422,
            "These fields cannot be null",
            errors=listed(dict.fromkeys(nulls, "Give a value, or leave the field out")),
        )
    if "kind" in given:
        given["kind"] = NoticeKind(given["kind"])
    if "title" in given:
        given["title"] = given["title"].strip()
    details = replace(changes.details_of(notice), **given)
    found = notices.notice_errors(details, user)
    if found:
        raise Problem(422, "Some fields are invalid", errors=listed(found))
    try:
        changes.update_notice(notice, details, expected, user)
    except (changes.StaleNotice, notices.NoticeRefused) as refused:
        raise _refused(notice_id, refused) from None
    return _notice_response(notices.get_notice(notice_id))


register(
    Operation(
        "POST",
        f"{V1}/notices/{{notice_id}}/withdrawal",
        "Withdraw a notice with a reason (needs its version); it leaves the compliance figures",
        "Notices",
        body=NoticeWithdrawal,
        path_params=(NOTICE_ID,),
        headers=(IF_MATCH_HEADER,),
        responses=CHANGE_RESPONSES,
    )
)


@bp.post(f"{V1}/notices/<int:notice_id>/withdrawal")
def withdraw_notice(notice_id: int):
    notice = _notice_for(notice_id, Action.EDIT_NOTICE)
    body = parse(NoticeWithdrawal)
    expected = expected_version(body.version, "notice")
    try:
        changes.withdraw_notice(notice, body.reason, expected, g.api_user)
    except (changes.StaleNotice, notices.NoticeRefused) as refused:
        raise _refused(notice_id, refused) from None
    return _notice_response(notices.get_notice(notice_id))


# -- reports ---------------------------------------------------------------------------------------
