"""The API's cases: list, log, read, change, move through the workflow, record the outcome."""

from __future__ import annotations

from dataclasses import replace

from flask import Response, g, jsonify, request, url_for

from workflows.dispute import State

from .. import history, localtime, policy
from ..bounds import MAX_ID, MAX_PAGE
from ..cases import deadlines as case_deadlines
from ..cases import progress, queues, workflow
from ..cases import regional as regional_cases
from ..cases import search as case_search
from ..cases import services as cases
from ..models import Case, CaseLevel, Role
from ..policy import Action
from . import concern_views, party_fields
from .common import (
    AUTH_ERRORS,
    COMPACT_CODE,
    COMPACT_CODE_LENGTH,
    IF_MATCH_HEADER,
    REFERENCE,
    V1,
    VERSIONED_WRITE_ERRORS,
    api_names,
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
from .schemas import (
    CaseCreate,
    CaseDetail,
    CasePage,
    CaseUpdate,
    DeadlineOut,
    ProblemOut,
    TimelineEntry,
)

# The highest timeline page number a request may ask for (far beyond any real case).
MAX_EVENTS_PAGE = 100000


def case_for(reference: str, action: Action = Action.VIEW_CASE) -> Case:
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
        **party_fields.lists_of(case),
        "raised_on": case.raised_on,
        "closed_on": case.closed_on,
        "url": url_for("api.get_case", reference=case.reference),
    }


def case_page_body(found: case_search.CaseListPage) -> dict:
    """The body of a page of the API list (`CasePage`), built as plain JSON values: the list
    answers many rows, and validating a model per row cost more than the query."""
    # Every case's address differs only in its reference, which needs no escaping.
    placeholder = "REFERENCE"
    prefix, suffix = url_for("api.get_case", reference=placeholder).split(placeholder)
    lists = party_fields.lists_by_reference([item.reference for item in found.items])
    return {
        "items": [
            {
                "reference": item.reference,
                "title": item.title,
                "state": item.state.value,
                "compact": {"code": item.compact_code, "name": item.compact_name},
                "funder": {"id": item.funder_id, "name": item.funder_name},
                "third_sector": {"id": item.third_sector_id, "name": item.third_sector_name},
                **_local_lists(lists[item.reference], item),
                "raised_on": item.raised_on.isoformat(),
                "closed_on": item.closed_on.isoformat() if item.closed_on else None,
                "url": prefix + item.reference + suffix,
            }
            for item in found.items
        ],
        "total": found.total,
        "total_is_exact": found.total_is_exact,
        "page": found.page,
        "per_page": found.per_page,
    }


def _local_lists(lists: dict, item: case_search.CaseListItem) -> dict:
    """A listed case's level and lists; a local case affects its own Compact."""
    if not lists["affected_compacts"]:
        lists["affected_compacts"] = [item.compact_code]
    return lists


def _detail(case: Case, events_page: int = 1) -> dict:
    user = g.api_user
    today = localtime.today()
    allowed = list(workflow.events_for(user, case, today))
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
        for row in case_deadlines.deadline_rows(case, today, user)
    ]
    timeline = cases.timeline(case, user, events_page)
    events = [
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
        for entry in timeline.entries
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
        next_move=progress.move_of(case, user, today).sentence,
        allowed_events=allowed,
        deadlines=deadlines,
        events=events,
        events_page=timeline.page,
        events_per_page=timeline.per_page,
        events_total=timeline.total,
        older_events=(
            url_for("api.get_case", reference=case.reference, events_page=timeline.page + 1)
            if timeline.has_older
            else None
        ),
    ).model_dump(mode="json")


def case_response(
    case: Case, status: int = 200, headers: dict | None = None, events_page: int = 1
) -> Response:
    # Reload so the body shows what was committed, timeline included.
    fresh = cases.get_case(case.reference)
    response = jsonify(_detail(fresh, events_page))
    response.status_code = status
    response.headers["ETag"] = f'"{fresh.version}"'
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


# -- cases ---------------------------------------------------------------------------------------


def _choice(name: str, choices, errors: dict[str, list[str]]) -> str | None:
    """The query parameter `name` if it is one of `choices`; None when absent."""
    value = request.args.get(name) or None
    if value is not None and value not in choices:
        errors[name] = ["Must be one of " + ", ".join(choices)]
        return None
    return value


register(
    Operation(
        "GET",
        f"{V1}/cases",
        "List the cases you can see",
        "Cases",
        responses={200: CasePage, 403: ProblemOut, 422: ProblemOut, **AUTH_ERRORS},
        query=(
            query_param("state", {"type": "string", "enum": [s.value for s in State]}, "State"),
            query_param("compact", COMPACT_CODE, "Compact code"),
            query_param("q", {"type": "string", "maxLength": 100}, "Reference, title or party"),
            query_param(
                "overdue", {"type": "string", "enum": ["true", "false"]}, "Has an overdue deadline"
            ),
            query_param(
                "due",
                {"type": "string", "enum": list(queues.DUE_CHOICES)},
                "Has a deadline overdue, due in the next 5 working days (week) or 10 (soon)",
            ),
            query_param(
                "assigned",
                {"type": "string", "enum": list(queues.ASSIGNED_CHOICES)},
                "Cases you are the officer or mediator of (me), or with no mediator yet",
            ),
            query_param(
                "person",
                {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                "Cases this user is the officer or mediator of",
            ),
            query_param(
                "sort",
                {"type": "string", "enum": ["raised", "deadline"]},
                "Newest raised first (the default) or next deadline first",
            ),
            query_param("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}, "Page"),
            query_param("per_page", {"type": "integer", "minimum": 1, "maximum": 100}, "Page size"),
        ),
    )
)


@bp.get(f"{V1}/cases")
def list_cases():
    if not policy.can(g.api_user, Action.LIST_CASES):
        raise Problem(403, policy.FORBIDDEN_MESSAGES[Action.LIST_CASES])
    errors: dict[str, list[str]] = {}
    page = int_arg("page", 1, 1, MAX_PAGE, errors)
    per_page = int_arg("per_page", 25, 1, 100, errors)
    state = request.args.get("state") or None
    if state is not None and state not in State._value2member_map_:
        errors["state"] = ["Must be one of " + ", ".join(s.value for s in State)]
    overdue = request.args.get("overdue", "")
    if overdue not in ("", "true", "false"):
        errors["overdue"] = ["Must be true or false"]
    q = request.args.get("q", "")
    if len(q) > 100:
        errors["q"] = ["Must be 100 characters or fewer"]
    compact = text_arg("compact", COMPACT_CODE_LENGTH, errors)
    due = _choice("due", queues.DUE_CHOICES, errors) or ("overdue" if overdue == "true" else None)
    assigned = _choice("assigned", queues.ASSIGNED_CHOICES, errors)
    sort = _choice("sort", ("raised", "deadline"), errors)
    person = int_arg("person", 0, 1, MAX_ID, errors) if request.args.get("person") else None
    if errors:
        raise Problem(422, "Some query parameters are invalid", errors=errors)
    filters = case_search.CaseFilters(
        state=State(state) if state else None,
        compact=compact.upper() or None,
        q=q,
        due=due,
        assigned=assigned,
        person=person,
        by_deadline=sort == "deadline",
    )
    found = case_search.search_cases(filters, g.api_user, page=page, per_page=per_page)
    return jsonify(case_page_body(found))


register(
    Operation(
        "POST",
        f"{V1}/cases",
        "Log a dispute, or (an organisation's user) raise a concern",
        "Cases",
        body=CaseCreate,
        responses={
            201: CaseDetail,
            400: ProblemOut,
            403: ProblemOut,
            415: ProblemOut,
            422: ProblemOut,
            429: ProblemOut,
            **AUTH_ERRORS,
        },
    )
)


@bp.post(f"{V1}/cases")
def create_case():
    user = g.api_user
    body = parse(CaseCreate)
    if user.role is Role.ORGANISATION:
        if not policy.can(user, Action.RAISE_CONCERN):
            raise Problem(403, policy.FORBIDDEN_MESSAGES[Action.CREATE_CASE])
        return concern_views.raise_concern(body, user, _created)
    regional = body.level == CaseLevel.REGIONAL.value
    action = Action.OPEN_REGIONAL_CASE if regional else Action.CREATE_CASE
    if not policy.can(user, action):
        raise Problem(403, policy.FORBIDDEN_MESSAGES[action])
    errors: dict[str, str] = {}
    affected: tuple[int, ...] = ()
    if regional:
        affected, unknown = party_fields.compact_ids(
            body.affected_compacts, cases.regional_compacts_for(user)
        )
        if unknown:
            errors["affected_compacts"] = f"Not a Compact of your region: {', '.join(unknown)}"
        compact = None
    else:
        code = (body.compact or "").upper()
        compact = next((c for c in cases.compacts_for(user) if c.code == code), None)
    details = cases.CaseDetails(
        compact_id=compact.id if compact else (affected[0] if affected else 0),
        title=body.title.strip(),
        summary=body.summary.strip(),
        funder_id=body.funder_id,
        third_sector_id=body.third_sector_id or 0,
        raised_by=body.raised_by,
        areas=tuple(dict.fromkeys(body.areas)),
        amount_at_stake=body.amount_at_stake,
        raised_on=body.raised_on or localtime.today(),
        other_parties=party_fields.other_parties(
            body.parties, body.funder_id, body.third_sector_id or 0
        ),
        affected_compact_ids=affected,
        level=CaseLevel(body.level),
    )
    errors = {**api_names(cases.detail_errors(details, user)), **errors}
    if compact is None and not regional:
        errors["compact"] = "Give the code of a Compact you work in"
    if body.third_sector_id is None:
        errors["third_sector_id"] = "Give the third-sector organisation's id"
    for name in ("happened_on", "outcome_wanted"):
        if getattr(body, name) is not None:
            errors[name] = "Only for a concern raised by an organisation's user"
    if errors:
        raise Problem(422, "Some fields are invalid", errors=listed(errors))
    if regional:
        in_mediation = body.starts_in == State.REGIONAL_MEDIATION.value
        case = regional_cases.open_regional_case(details, user, in_mediation=in_mediation)
    else:
        case = cases.create_case(details, user)
    return _created(case)


def _created(case: Case) -> Response:
    return case_response(case, 201, {"Location": url_for("api.get_case", reference=case.reference)})


register(
    Operation(
        "GET",
        f"{V1}/cases/{{reference}}",
        "A case: its state, the events allowed now, deadlines and timeline",
        "Cases",
        path_params=(REFERENCE,),
        query=(
            query_param(
                "events_page",
                {"type": "integer", "minimum": 1, "maximum": MAX_EVENTS_PAGE},
                f"Which page of the timeline, newest first, {cases.TIMELINE_PER_PAGE} entries a "
                "page: 1 (the default) is the latest entries; a page past the oldest gives the "
                "oldest page. `events_total` counts them all and `older_events` links the next "
                "older page.",
            ),
        ),
        responses={200: CaseDetail, 404: ProblemOut, 422: ProblemOut, **AUTH_ERRORS},
    )
)


@bp.get(f"{V1}/cases/<reference>")
def get_case(reference: str):
    errors: dict[str, list[str]] = {}
    events_page = int_arg("events_page", 1, 1, MAX_EVENTS_PAGE, errors)
    if errors:
        raise Problem(422, "Some query parameters are invalid", errors=errors)
    return case_response(case_for(reference), events_page=events_page)


register(
    Operation(
        "PATCH",
        f"{V1}/cases/{{reference}}",
        "Change a case's details (needs its version)",
        "Cases",
        body=CaseUpdate,
        path_params=(REFERENCE,),
        headers=(IF_MATCH_HEADER,),
        responses={
            200: CaseDetail,
            **VERSIONED_WRITE_ERRORS,
        },
    )
)


@bp.patch(f"{V1}/cases/<reference>")
def update_case(reference: str):
    user = g.api_user
    case = case_for(reference, Action.EDIT_CASE)
    body = parse(CaseUpdate)
    expected = expected_version(body.version, "case")
    current = cases.details_of(case)
    changes = body.model_dump(exclude_unset=True, exclude={"version"})
    # Only the money at stake may be cleared; a null elsewhere is a mistake, not a change.
    nulls = [name for name, value in changes.items() if value is None and name != "amount_at_stake"]
    if nulls:
        raise Problem(
            422,
            "These fields cannot be null",
            errors=listed(dict.fromkeys(nulls, "Give a value, or leave the field out")),
        )
    if "areas" in changes:
        changes["areas"] = tuple(dict.fromkeys(changes["areas"]))
    changes.update(party_fields.list_changes(case, current, changes, user))
    for text in ("title", "summary"):
        if text in changes:
            changes[text] = changes[text].strip()
    details = replace(current, **changes)
    errors = api_names(cases.detail_errors(details, user))
    if errors:
        raise Problem(422, "Some fields are invalid", errors=listed(errors))
    try:
        cases.update_case(case, details, expected, user)
    except history.StaleCase as stale:
        raise stale_problem(stale) from None
    return case_response(case)


def stale_problem(stale: history.StaleCase) -> Problem:
    """409 for a change that lost a race: what the case is now, so the client can re-read."""
    return Problem(
        409,
        stale.message,
        state=stale.case.state.value,
        current_version=stale.case.version,
    )
