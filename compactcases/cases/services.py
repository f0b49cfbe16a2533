"""Case use cases: search, log, edit and move a dispute through the workflow.

Each function runs one unit of work and commits it; every change to a case writes its
CaseEvent in the same transaction, through `record_event`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import aliased, joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError

from workflows import dispute, periods
from workflows.dispute import CLOSED_STATES, LEVEL_OF_STATE, State

from .. import policy
from ..extensions import db
from ..models import (
    Area,
    Case,
    CaseArea,
    CaseEvent,
    CaseEventKind,
    Compact,
    Organisation,
    Outcome,
    OutcomeKind,
    ReferenceCounter,
    Role,
    Side,
    User,
)


class StaleCase(Exception):
    """Someone else saved the case after the form was opened; nothing was written."""

    def __init__(self, case: Case) -> None:
        super().__init__(f"{case.reference} was changed by someone else")
        self.case = case


@dataclass(frozen=True)
class CaseFilters:
    state: State | None = None
    compact: str | None = None
    area: Area | None = None
    q: str = ""
    oldest_first: bool = False


@dataclass(frozen=True)
class CaseDetails:
    """The fields a person types in when logging or editing a case."""

    compact_id: int
    title: str
    summary: str
    funder_id: int
    third_sector_id: int
    raised_by: Side
    areas: tuple[Area, ...]
    amount_at_stake: int | None
    raised_on: date
    officer_id: int | None = None


# What an edit may change, with the label the timeline shows for it.
EDITABLE_FIELDS: dict[str, str] = {
    "title": "Title",
    "summary": "Summary",
    "compact_id": "Compact",
    "funder_id": "Funder",
    "third_sector_id": "Third-sector organisation",
    "raised_by": "Raised by",
    "areas": "Areas of the Compact",
    "amount_at_stake": "Money at stake",
    "raised_on": "Date raised",
}


def search_cases(filters: CaseFilters, user: User, page: int, per_page: int) -> Pagination:
    """One page of the cases `user` may see that match `filters`, counted and sorted in SQL."""
    # The parties and Compact of one page come in three small IN queries: joining them into
    # the page query would make the database join every row it skips on later pages.
    query = _matching(filters, user).options(
        selectinload(Case.compact), selectinload(Case.funder), selectinload(Case.third_sector)
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=False, max_per_page=100)


# Rows fetched at a time when a download streams the case list.
STREAM_BATCH = 500


def stream_cases(filters: CaseFilters, user: User) -> Iterator[Case]:
    """Every case `user` may see that matches `filters`, fetched in batches, never all at once.

    Each batch loads its Compacts, parties, areas and outcomes in a few IN queries.
    """
    query = _matching(filters, user).options(
        selectinload(Case.compact),
        selectinload(Case.funder),
        selectinload(Case.third_sector),
        selectinload(Case.area_rows),
        selectinload(Case.outcome),
    )
    # The session's identity map holds rows weakly, so a batch is freed once it is written.
    result = db.session.execute(query.execution_options(yield_per=STREAM_BATCH))
    for partition in result.scalars().partitions():
        yield from partition


def _matching(filters: CaseFilters, user: User) -> sa.Select:
    """The cases `user` may see that match `filters`, in the list's order."""
    funder = aliased(Organisation)
    third_sector = aliased(Organisation)
    query = policy.scope_cases(sa.select(Case), user)
    if filters.state:
        query = query.where(Case.state == filters.state)
    if filters.compact:
        query = query.join(Compact, Case.compact_id == Compact.id).where(
            Compact.code == filters.compact
        )
    if filters.area:
        query = query.where(
            sa.exists().where(CaseArea.case_id == Case.id, CaseArea.area == filters.area)
        )
    if filters.q.strip():
        needle = f"%{_escape_like(filters.q.strip().lower())}%"
        query = (
            query.join(funder, Case.funder_id == funder.id)
            .join(third_sector, Case.third_sector_id == third_sector.id)
            .where(
                sa.or_(
                    sa.func.lower(Case.reference).like(needle, escape="\\"),
                    sa.func.lower(Case.title).like(needle, escape="\\"),
                    sa.func.lower(funder.name).like(needle, escape="\\"),
                    sa.func.lower(third_sector.name).like(needle, escape="\\"),
                )
            )
        )
    order = (
        (Case.raised_on.asc(), Case.id.asc())
        if filters.oldest_first
        else (Case.raised_on.desc(), Case.id.desc())
    )
    return query.order_by(*order)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def get_case(reference: str) -> Case | None:
    """The case with its parties and timeline loaded, or None."""
    return db.session.scalar(
        sa.select(Case)
        .where(Case.reference == reference.upper())
        .options(
            joinedload(Case.compact),
            joinedload(Case.funder),
            joinedload(Case.third_sector),
            joinedload(Case.officer),
            joinedload(Case.mediator),
            selectinload(Case.area_rows),
            selectinload(Case.events).joinedload(CaseEvent.actor),
            selectinload(Case.outcome),
        )
    )


def allocate_reference(compact: Compact, year: int) -> str:
    """The next reference for the Compact and year, e.g. BIR-2026-0007.

    The counter row is bumped with one UPDATE ... RETURNING inside the caller's transaction:
    PostgreSQL holds that row's lock until commit, and SQLite has a single writer, so two
    cases can never be given the same number.
    """
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.session.execute(
        insert(ReferenceCounter)
        .values(compact_id=compact.id, year=year, last=0)
        .on_conflict_do_nothing(index_elements=["compact_id", "year"])
    )
    number = db.session.execute(
        sa.update(ReferenceCounter)
        .where(ReferenceCounter.compact_id == compact.id, ReferenceCounter.year == year)
        .values(last=ReferenceCounter.last + 1)
        .returning(ReferenceCounter.last)
    ).scalar_one()
    return f"{compact.code}-{year}-{number:04d}"


def record_event(
    case: Case,
    kind: CaseEventKind,
    actor: User | None,
    *,
    event: str | None = None,
    from_state: State | None = None,
    to_state: State | None = None,
    reason: str | None = None,
    changes: dict | None = None,
) -> CaseEvent:
    """Add one entry to the case's timeline, in the current transaction."""
    entry = CaseEvent(
        kind=kind,
        event=event,
        from_state=from_state,
        to_state=to_state,
        reason=reason or None,
        changes=changes,
        actor=actor,
    )
    case.events.append(entry)
    return entry


def create_case(details: CaseDetails, actor: User | None) -> Case:
    compact = db.session.get(Compact, details.compact_id)
    case = Case(
        reference=allocate_reference(compact, details.raised_on.year),
        compact=compact,
        title=details.title,
        summary=details.summary,
        funder_id=details.funder_id,
        third_sector_id=details.third_sector_id,
        raised_by=details.raised_by,
        amount_at_stake=details.amount_at_stake,
        raised_on=details.raised_on,
        officer_id=details.officer_id if details.officer_id else (actor.id if actor else None),
        state=State.RAISED,
    )
    case.areas = list(details.areas)
    db.session.add(case)
    record_event(case, CaseEventKind.CREATED, actor, to_state=State.RAISED)
    db.session.commit()
    return case


def update_case(
    case: Case, details: CaseDetails, expected_version: int, actor: User | None
) -> dict[str, list]:
    """Apply an edit made on version `expected_version`; returns the changed fields.

    A form opened before someone else saved is refused with `StaleCase`, whether the other
    save landed before this request started or while it ran.
    """
    if case.version != expected_version:
        raise StaleCase(case)
    changes: dict[str, list] = {}
    for name in EDITABLE_FIELDS:
        old, new = getattr(case, name), getattr(details, name)
        if name == "areas":
            old, new = sorted(old), sorted(new)
        if old != new:
            changes[name] = [_shown(name, old), _shown(name, new)]
            setattr(case, name, list(new) if name == "areas" else new)
    if not changes:
        return changes
    record_event(case, CaseEventKind.EDIT, actor, changes=changes)
    _commit(case)
    return changes


def _shown(name: str, value) -> str | None:
    """A field value as the timeline shows it."""
    if value is None:
        return None
    if name == "compact_id":
        return db.session.get(Compact, value).name
    if name in ("funder_id", "third_sector_id"):
        return db.session.get(Organisation, value).name
    if name == "areas":
        return ", ".join(Area(a).label for a in value)
    if name == "raised_by":
        return Side(value).label
    if name == "amount_at_stake":
        return f"£{value:,}"
    if name == "raised_on":
        return value.isoformat()
    return str(value)


def snapshot(case: Case) -> dispute.CaseSnapshot:
    return dispute.CaseSnapshot(
        state=case.state, previous_state=case.previous_state, closed_on=case.closed_on
    )


def allowed_events(case: Case, today: date) -> tuple[dispute.Event, ...]:
    return dispute.allowed_events(snapshot(case), today)


def refusal(case: Case, event: str, today: date) -> dispute.TransitionRefused | None:
    """Why `event` may not happen on the case now, or None if it may."""
    return dispute.refusal(snapshot(case), event, today)


def level_reached(case: Case) -> dispute.Level:
    """The level an open case has reached: what a resolution records by default."""
    return LEVEL_OF_STATE[case.state]


def fire_event(
    case: Case,
    event: str,
    request: dispute.EventRequest,
    actor: User | None,
) -> dispute.TransitionResult:
    """Move the case by `event`, or raise `TransitionRefused` having changed nothing.

    Closing a case writes its outcome (in full for `resolve`, the reason and level for
    `withdraw`) and its working days to close in the same transaction as the transition;
    reopening removes the outcome, which the reopening's timeline entry keeps in words.
    """
    result = dispute.fire(snapshot(case), event, request)
    reason = request.reason
    changes = None
    case.state = result.to_state
    if result.to_state is State.REGIONAL_MEDIATION and case.escalated_on is None:
        case.escalated_on = request.today
    if result.to_state in CLOSED_STATES:
        case.previous_state = result.from_state
        case.closed_on = request.today
        case.working_days_to_close = periods.working_days_between(case.raised_on, request.today)
        case.outcome = _closing_outcome(result, request, actor)
        if result.outcome is not None:
            reason = result.outcome.agreed_actions
    else:
        case.previous_state = None
        case.closed_on = None
        case.working_days_to_close = None
        if case.outcome is not None:
            changes = {"outcome": [describe_outcome(case.outcome), None]}
            case.outcome = None
    record_event(
        case,
        CaseEventKind.TRANSITION,
        actor,
        event=result.event.value,
        from_state=result.from_state,
        to_state=result.to_state,
        reason=reason.strip(),
        changes=changes,
    )
    _commit(case)
    return result


def _closing_outcome(
    result: dispute.TransitionResult, request: dispute.EventRequest, actor: User | None
) -> Outcome:
    level = LEVEL_OF_STATE[result.from_state]
    if result.outcome is None:
        return Outcome(
            kind=OutcomeKind.WITHDRAWN,
            level=level,
            withdrawal_reason=request.reason.strip(),
            recorded_by=actor,
        )
    record = result.outcome
    return Outcome(
        kind=OutcomeKind.RESOLVED,
        level=record.level,
        outcome_type=record.outcome_type,
        breach_found=record.breach_found,
        funding_protected=record.funding_protected,
        jobs_safeguarded=record.jobs_safeguarded,
        notice_days_gained=record.notice_days_gained,
        service_users_affected=record.service_users_affected,
        agreed_actions=record.agreed_actions,
        learning=record.learning,
        learning_shareable=record.learning_shareable,
        recorded_by=actor,
    )


def describe_outcome(outcome: Outcome) -> str:
    """An outcome in one line, as the timeline keeps it once the row is gone."""
    if outcome.kind is OutcomeKind.WITHDRAWN:
        return f"Withdrawn at {outcome.level.label.lower()}: {outcome.withdrawal_reason}"
    parts = [f"{outcome.outcome_type.label} at {outcome.level.label.lower()}"]
    parts.append(f"breach found: {outcome.breach_found.label.lower()}")
    if outcome.funding_protected is not None:
        parts.append(f"£{outcome.funding_protected:,} protected")
    if outcome.jobs_safeguarded is not None:
        parts.append(f"{outcome.jobs_safeguarded} jobs safeguarded")
    if outcome.notice_days_gained is not None:
        parts.append(f"{outcome.notice_days_gained} days of notice gained")
    if outcome.service_users_affected is not None:
        parts.append(f"{outcome.service_users_affected} service users affected")
    return "; ".join(parts)


def add_note(
    case: Case, text: str, *, meeting: bool, private: bool, actor: User | None
) -> CaseEvent:
    kind = CaseEventKind.MEETING if meeting else CaseEventKind.NOTE
    entry = record_event(case, kind, actor, reason=text.strip())
    entry.private = private
    _commit(case)
    return entry


def take_case(case: Case, mediator: User) -> None:
    """The mediator assigns the escalated case to themselves."""
    previous = case.mediator.name if case.mediator else None
    case.mediator_id = mediator.id
    record_event(
        case,
        CaseEventKind.ASSIGNMENT,
        mediator,
        changes={"mediator_id": [previous, mediator.name]},
    )
    _commit(case)


def _commit(case: Case) -> None:
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise StaleCase(db.session.get(Case, case.id, populate_existing=True)) from None


def timeline(case: Case, user: User) -> list[CaseEvent]:
    """The case's timeline as `user` may read it: private notes only for Compact staff."""
    if policy.can(user, policy.Action.READ_PRIVATE_NOTES, case):
        return list(case.events)
    return [entry for entry in case.events if not entry.private]


@dataclass
class FormChoices:
    """The options the case forms offer, loaded in two queries."""

    compacts: list[Compact] = field(default_factory=list)
    funders: list[Organisation] = field(default_factory=list)
    third_sector: list[Organisation] = field(default_factory=list)


def compacts_for(user: User) -> list[Compact]:
    """The Compacts `user` may log cases in (all of them for an administrator)."""
    query = sa.select(Compact).order_by(Compact.name)
    if user.role is not Role.ADMIN:
        query = query.where(Compact.id.in_(policy.officer_compact_ids(user)))
    return list(db.session.scalars(query))


def filter_compacts(user: User) -> list[Compact]:
    """The Compacts offered as a filter on the case list."""
    if user.role is Role.OFFICER:
        return compacts_for(user)
    return list(db.session.scalars(sa.select(Compact).order_by(Compact.name)))


def form_choices(user: User) -> FormChoices:
    from ..models import OrganisationKind

    compacts = compacts_for(user)
    organisations = db.session.scalars(sa.select(Organisation).order_by(Organisation.name)).all()
    return FormChoices(
        compacts=list(compacts),
        funders=[o for o in organisations if o.kind is OrganisationKind.STATUTORY],
        third_sector=[o for o in organisations if o.kind is OrganisationKind.THIRD_SECTOR],
    )
