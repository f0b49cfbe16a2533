"""Regional cases: a mediator opens a case at the region's level over several local
Compacts, or refers a local case up to the region; the officers of each affected Compact
are told (see `reminders.moves`)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from workflows.dispute import Event, EventRequest

from .. import localtime, policy
from ..extensions import db
from ..history import StaleCase, changing, record_event
from ..models import Case, CaseEventKind, CaseLevel, Compact, Role, User
from ..reminders import moves
from . import parties as party_rules
from . import workflow
from .services import (
    CaseDetails,
    FormChoices,
    build_case,
    details_of,
    parties,
    regional_compacts_for,
)

OPENED_IN_MEDIATION = "Opened at the region's level, in regional mediation"


def open_regional_case(
    details: CaseDetails,
    actor: User,
    *,
    in_mediation: bool = True,
    today: date | None = None,
) -> Case:
    """A new regional case held by the region's mediators (the opening mediator its own),
    straight into regional mediation, or in raised while the facts are gathered. The
    details must have passed `services.detail_errors`."""
    today = today or localtime.today()
    case = build_case(replace(details, level=CaseLevel.REGIONAL), actor, today=today)
    case.officer_id = None
    case.mediator_id = actor.id if actor.role is Role.MEDIATOR else None
    if in_mediation:
        # One unit of work: the case, its first step and the officers' messages commit together.
        workflow.fire_event(
            case, Event.ESCALATE.value, EventRequest(today=today, reason=OPENED_IN_MEDIATION), actor
        )
    else:
        db.session.flush()
        moves.plan_updates(case, case.events[-1])
        db.session.commit()
    return case


def form_choices(user: User) -> FormChoices:
    """What the regional case form offers: the Compacts `user` may name as affected, and the
    organisations of their region (every one for an administrator)."""
    funders, third_sector = parties()
    if user.role is Role.MEDIATOR:
        funders = [o for o in funders if o.region_id == user.region_id]
        third_sector = [o for o in third_sector if o.region_id == user.region_id]
    return FormChoices(
        compacts=regional_compacts_for(user), funders=funders, third_sector=third_sector
    )


class ReferralRefused(Exception):
    """A referral that cannot be made as asked; nothing was changed."""

    def __init__(self, message: str, field_errors: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}


def referral_errors(case: Case, compact_ids: tuple[int, ...], actor: User) -> dict[str, str]:
    """What is wrong with making `case` regional over its own Compact and `compact_ids`."""
    affected = _affected(case, compact_ids)
    errors = party_rules.regional_errors(affected, regional_compacts_for(actor))
    if errors:
        return errors
    details = details_of(case)
    found = party_rules.party_errors(
        details.funder_ids, details.third_sector_ids, party_rules.region_of(affected)
    )
    return {"affected_compacts": next(iter(found.values()))} if found else {}


def refer_up(
    case: Case,
    compact_ids: tuple[int, ...],
    expected_version: int,
    actor: User,
    *,
    reason: str = "",
) -> None:
    """Make a local case regional, adding the affected Compacts (its own stays first, so its
    reference and tallies stay where they were). Its timeline records the referral and the
    officers of each affected Compact are told. A form opened on an older version, or a
    referral that lost a race to another change, is refused with `StaleCase`."""
    if case.version != expected_version:
        raise StaleCase(case)
    if case.is_regional:
        raise ReferralRefused(f"{case.reference} is already a regional case.")
    if case.state not in policy.REGIONAL_STATES:
        raise ReferralRefused(
            f"{case.reference} is {case.state.label.lower()}: only a raised case or one in "
            "regional mediation can be referred to the region."
        )
    errors = referral_errors(case, compact_ids, actor)
    if errors:
        raise ReferralRefused("Check the affected Compacts", errors)
    affected = _affected(case, compact_ids)
    names = [db.session.get(Compact, i).name for i in affected]
    with changing(case):
        case.set_affected_compacts(list(affected))
        if actor.role is Role.MEDIATOR and case.mediator_id is None:
            case.mediator_id = actor.id
        entry = record_event(
            case,
            CaseEventKind.REFERRAL,
            actor,
            reason=reason.strip() or None,
            changes={"affected_compacts": [case.compact.name, ", ".join(names)]},
        )
        moves.plan_updates(case, entry)


def _affected(case: Case, compact_ids: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(dict.fromkeys((case.compact_id, *compact_ids)))
