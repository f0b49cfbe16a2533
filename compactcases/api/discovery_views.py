"""The API's discovery operations: a case's timeline page by page, and the open deadlines a
token's user may see, soonest first."""

from __future__ import annotations

from datetime import date
from typing import Literal

from flask import g, jsonify, url_for
from pydantic import Field

from workflows.periods import MAX_DATE, MIN_DATE

from .. import deadline_lists
from ..bounds import MAX_PAGE
from ..cases import services as cases
from .case_views import case_for
from .common import AUTH_ERRORS, REFERENCE, V1, bp, int_arg, query_param
from .openapi import Operation, register
from .problems import Problem
from .report_views import DAY, date_arg
from .schemas import ProblemOut, Response, TimelineEntry

MAX_PER_PAGE = 100


class TimelinePageOut(Response):
    items: list[TimelineEntry] = Field(description="Newest first")
    total: int
    page: int
    per_page: int


class DueDeadline(Response):
    id: int
    kind: str
    label: str
    due_on: date
    status: Literal["open"]
    record: Literal["case", "notice", "agreement"]
    case: str | None = Field(description="The case's reference, for a case's deadline")
    notice_id: int | None
    agreement_id: int | None
    url: str = Field(description="The API address of the record the deadline belongs to")


class DeadlinePageOut(Response):
    items: list[DueDeadline]
    total: int
    page: int
    per_page: int


PAGING = (
    query_param("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}, "Page"),
    query_param(
        "per_page", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE}, "Page size"
    ),
)


def _paging(errors: dict, default_per_page: int) -> tuple[int, int]:
    page = int_arg("page", 1, 1, MAX_PAGE, errors)
    return page, int_arg("per_page", default_per_page, 1, MAX_PER_PAGE, errors)


register(
    Operation(
        "GET",
        f"{V1}/cases/{{reference}}/events",
        "A case's timeline, newest first, page by page",
        "Cases",
        path_params=(REFERENCE,),
        query=PAGING,
        responses={200: TimelinePageOut, 404: ProblemOut, 422: ProblemOut, **AUTH_ERRORS},
        description=(
            "Private notes are listed only for those who may read them (Compact officers, "
            "mediators, administrators). A page past the oldest gives the oldest page."
        ),
    )
)


@bp.get(f"{V1}/cases/<reference>/events")
def case_events(reference: str):
    errors: dict[str, list[str]] = {}
    page, per_page = _paging(errors, cases.TIMELINE_PER_PAGE)
    if errors:
        raise Problem(422, "Some query parameters are invalid", errors=errors)
    case = case_for(reference)
    found = cases.timeline(case, g.api_user, page, per_page)
    body = TimelinePageOut(
        items=[
            TimelineEntry(
                kind=entry.kind.value,
                event=entry.event,
                from_state=entry.from_state,
                to_state=entry.to_state,
                reason=entry.reason,
                changes=entry.changes,
                private=entry.private,
                actor=entry.actor_name,
                occurred_at=entry.occurred_at,
            )
            for entry in found.entries
        ],
        total=found.total,
        page=found.page,
        per_page=found.per_page,
    )
    return jsonify(body.model_dump(mode="json"))


register(
    Operation(
        "GET",
        f"{V1}/deadlines",
        "The open deadlines you can see, soonest first",
        "Deadlines",
        query=(
            query_param("due_before", DAY, "Only those due before this day (YYYY-MM-DD)"),
            *PAGING,
        ),
        responses={200: DeadlinePageOut, 422: ProblemOut, **AUTH_ERRORS},
        description=(
            "The open deadlines of the cases, notices and funding agreements in your scope: "
            "the same records the lists show you."
        ),
    )
)


def _due(deadline) -> dict:
    if deadline.case_id is not None:
        record, url = "case", url_for("api.get_case", reference=deadline.case.reference)
    elif deadline.notice_id is not None:
        record, url = "notice", url_for("api.get_notice", notice_id=deadline.notice_id)
    else:
        record = "agreement"
        url = url_for("api.get_agreement", agreement_id=deadline.agreement_id)
    return DueDeadline(
        id=deadline.id,
        kind=deadline.kind.value,
        label=deadline.kind.label,
        due_on=deadline.due_on,
        status="open",
        record=record,
        case=deadline.case.reference if deadline.case_id is not None else None,
        notice_id=deadline.notice_id,
        agreement_id=deadline.agreement_id,
        url=url,
    ).model_dump(mode="json")


@bp.get(f"{V1}/deadlines")
def list_deadlines():
    errors: dict[str, list[str]] = {}
    page, per_page = _paging(errors, 50)
    due_before = date_arg("due_before", None, errors)
    if due_before is not None and not MIN_DATE <= due_before <= MAX_DATE:
        errors["due_before"] = [f"Must be from {MIN_DATE.year} to {MAX_DATE.year}"]
    if errors:
        raise Problem(422, "Some query parameters are invalid", errors=errors)
    found = deadline_lists.open_deadlines(g.api_user, due_before, page, per_page)
    body = {
        "items": [_due(d) for d in found.items],
        "total": found.total,
        "page": found.page,
        "per_page": found.per_page,
    }
    return jsonify(DeadlinePageOut.model_validate(body).model_dump(mode="json"))
