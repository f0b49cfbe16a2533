"""A concern raised through the API by a third-sector organisation's user (`POST
/api/v1/cases`): its own organisation and Compact are taken as given, and the concern is
checked by `cases.raising` as the pages check it."""

from __future__ import annotations

from flask import Response

from .. import localtime
from ..cases import raising
from ..extensions import db
from ..models import CaseLevel, Compact, Side, User
from .problems import Problem
from .schemas import CaseCreate

# The service's names for the concern's parts, as the API's body calls them.
API_NAMES = {"what_happened": "summary"}


def mismatches(body: CaseCreate, user: User) -> dict[str, str]:
    """What the body says that an organisation's user may not: another organisation or
    Compact, a regional case, other parties, another side, another day."""
    organisation = raising.organisation_of(user)
    errors: dict[str, str] = {}
    if body.third_sector_id is not None and (
        organisation is None or body.third_sector_id != organisation.id
    ):
        errors["third_sector_id"] = (
            "You raise concerns for your own organisation: leave third_sector_id out or give its id"
        )
    if body.compact is not None:
        compact = db.session.get(Compact, organisation.compact_id or 0) if organisation else None
        if compact is None or body.compact.upper() != compact.code:
            errors["compact"] = (
                "A concern goes to your organisation's Compact: leave compact out or give its code"
            )
    if body.level != CaseLevel.LOCAL.value or body.affected_compacts:
        errors["level"] = "A concern is raised with your local Compact, not the region"
    if body.parties:
        errors["parties"] = "A concern names one funder: give it as funder_id"
    if body.raised_by != Side.THIRD_SECTOR:
        errors["raised_by"] = "A concern you raise is raised by the third sector"
    if body.raised_on is not None and body.raised_on != localtime.today():
        errors["raised_on"] = "A concern is raised today: give the day it happened as happened_on"
    return errors


def raise_concern(body: CaseCreate, user: User, respond) -> Response:
    """Raise the concern the body describes and answer 201 through `respond(case)`, or a
    problem: 422 with field errors, 429 with Retry-After past the day's limit."""
    concern = raising.Concern(
        funder_id=body.funder_id,
        what_happened=body.summary,
        happened_on=body.happened_on or localtime.today(),
        areas=tuple(body.areas),
        outcome_wanted=body.outcome_wanted or "",
        title=body.title.strip(),
        amount_at_stake=body.amount_at_stake,
    )
    errors = mismatches(body, user)
    found = raising.concern_errors(concern, user)
    errors.update({API_NAMES.get(k, k): v for k, v in found.items() if k not in errors})
    if errors:
        raise Problem(422, "Some fields are invalid", errors=_listed(errors))
    try:
        case = raising.raise_concern(concern, user)
    except raising.ConcernRefused as refused:
        named = {API_NAMES.get(k, k): v for k, v in refused.field_errors.items()}
        raise Problem(422, "Some fields are invalid", errors=_listed(named)) from None
    except raising.RaiseLimitReached as limited:
        raise Problem(
            429, str(limited), headers={"Retry-After": str(limited.retry_after)}
        ) from None
    return respond(case)


def _listed(errors: dict[str, str]) -> dict[str, list[str]]:
    return {name: [message] for name, message in errors.items()}
