"""Who holds a case: a mediator takes an unassigned escalated case; a lead mediator or an
administrator assigns or reassigns its mediator (an administrator its officer too). Every
change is on the timeline, and a change that lost a race is refused, naming who has it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from workflows.dispute import State

from .. import localtime, policy
from ..extensions import db
from ..history import changing, record_event
from ..models import Case, CaseEventKind, Compact, Role, User
from ..reminders.planning import replan_case


class AssignmentRefused(Exception):
    """The assignment cannot be made as asked; nothing was changed."""

    def __init__(self, message: str, field_errors: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}


def taken_message(case: Case) -> str:
    """What a mediator is told when someone else has the case already."""
    holder = case.mediator.name if case.mediator else "another mediator"
    return f"{case.reference} has already been taken by {holder}. Nothing was changed."


def take_case(case: Case, mediator: User, *, today: date | None = None) -> None:
    """The mediator assigns the unassigned escalated case to themselves; `today` (default:
    today's date) is the day reminders are planned from. A case already taken is refused,
    naming its mediator; two mediators taking it at once: one wins, the other is refused as
    `StaleCase` (the version moved), and the view names the winner."""
    if case.mediator_id is not None:
        raise AssignmentRefused(taken_message(case))
    _change(case, mediator, mediator=mediator, today=today)


@dataclass(frozen=True)
class AssignmentChoices:
    """Who a case may be assigned to: the mediators of its region, and (for an administrator)
    the officers of its Compact and the upper-tier Compact above it."""

    mediators: list[User]
    officers: list[User]


def assignment_choices(case: Case, actor: User) -> AssignmentChoices:
    """The active mediators and officers `actor` may assign `case` to, in one query."""
    compact = case.compact
    compact_ids = [compact.id] + ([compact.parent_id] if compact.parent_id else [])
    want_officers = actor.role is Role.ADMIN
    who = User.role == Role.MEDIATOR
    who = sa.and_(who, User.region_id == compact.region_id)
    if want_officers:
        who = sa.or_(who, sa.and_(User.role == Role.OFFICER, User.compact_id.in_(compact_ids)))
    people = db.session.scalars(
        sa.select(User).where(User.active.is_(True), who).order_by(User.name, User.id)
    ).all()
    return AssignmentChoices(
        mediators=[u for u in people if u.role is Role.MEDIATOR],
        officers=[u for u in people if u.role is Role.OFFICER],
    )


def assign(
    case: Case,
    actor: User,
    *,
    mediator_id: int | None = None,
    officer_id: int | None = None,
    version: int | None = None,
    today: date | None = None,
) -> bool:
    """Make `mediator_id` the case's mediator and (an administrator only) `officer_id` its
    officer. Either may be left out (None): it stays as it is. Given `version`, a case saved
    since is refused as stale. Returns whether anything changed."""
    if version is not None and version != case.version:
        raise AssignmentRefused(
            f"{case.reference} was changed after you opened it. Nothing was changed; check "
            "who holds it now and try again."
        )
    choices = assignment_choices(case, actor)
    errors: dict[str, str] = {}
    mediator = officer = None
    if mediator_id is not None:
        if case.state is not State.REGIONAL_MEDIATION:
            errors["mediator"] = "Only a case in regional mediation can have a mediator"
        mediator = next((u for u in choices.mediators if u.id == mediator_id), None)
        if mediator is None and "mediator" not in errors:
            errors["mediator"] = "Select a mediator of the case's region"
    if officer_id is not None:
        officer = next((u for u in choices.officers if u.id == officer_id), None)
        if officer is None:
            errors["officer"] = (
                "Select an officer of the case's Compact"
                if actor.role is Role.ADMIN
                else "Only an administrator can change the case's officer"
            )
    if mediator_id is None and officer_id is None:
        errors["mediator"] = "Select a mediator"
    if errors:
        raise AssignmentRefused("The case could not be assigned.", errors)
    if (mediator is None or mediator.id == case.mediator_id) and (
        officer is None or officer.id == case.officer_id
    ):
        return False
    _change(case, actor, mediator=mediator, officer=officer, today=today)
    return True


def _change(
    case: Case,
    actor: User,
    *,
    mediator: User | None = None,
    officer: User | None = None,
    today: date | None = None,
) -> None:
    """One unit of work: the new holders, one timeline entry naming old and new, and the
    case's reminders planned again for them."""
    changes = {}
    if mediator is not None and mediator.id != case.mediator_id:
        changes["mediator_id"] = [case.mediator.name if case.mediator else None, mediator.name]
    if officer is not None and officer.id != case.officer_id:
        changes["officer_id"] = [case.officer.name if case.officer else None, officer.name]
    with changing(case):
        if "mediator_id" in changes:
            case.mediator_id = mediator.id
        if "officer_id" in changes:
            case.officer_id = officer.id
        record_event(case, CaseEventKind.ASSIGNMENT, actor, changes=changes)
        replan_case(case, today or localtime.today())


def people_to_filter_by(user: User) -> list[User]:
    """The officers and mediators the case list offers as "Officer or mediator", in one
    query: those whose cases `user` may see. None for a party's user (the list shows the
    names)."""
    if user.role in policy.PARTY_ROLES:
        return []
    query = sa.select(User).where(User.role.in_((Role.OFFICER, Role.MEDIATOR)))
    if user.role is not Role.ADMIN:
        region_id = user.region_id
        if user.role is Role.OFFICER:
            region_id = sa.select(Compact.region_id).where(Compact.id == user.compact_id)
            region_id = region_id.scalar_subquery()
        officers_here = sa.and_(
            User.role == Role.OFFICER,
            User.compact_id.in_(
                policy.officer_compact_ids(user)
                if user.role is Role.OFFICER
                else policy.region_compact_ids(user.region_id)
            ),
        )
        query = query.where(
            sa.or_(officers_here, sa.and_(User.role == Role.MEDIATOR, User.region_id == region_id))
        )
    return list(db.session.scalars(query.order_by(User.name, User.id)))
