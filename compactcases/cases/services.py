"""Case use cases: search, log, edit and move a dispute through the workflow, and keep its
deadlines: open and close them with the workflow, stop and restart the clock, extend them.

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

from workflows import deadlines, dispute, periods
from workflows.deadlines import Countdown, DeadlineKind, DeadlineStatus
from workflows.dispute import CLOSED_STATES, LEVEL_OF_STATE, State
from workflows.periods import (
    MAX_COUNT,
    MIN_DATE,
    Pause,
    Period,
    PeriodError,
    format_date,
    validate_date,
    validate_pauses,
)

from .. import clock, policy, rules
from ..extensions import db
from ..models import (
    Area,
    Case,
    CaseArea,
    CaseEvent,
    CaseEventKind,
    Compact,
    Deadline,
    DeadlinePause,
    Organisation,
    Outcome,
    OutcomeKind,
    ReferenceCounter,
    Role,
    Side,
    User,
)
from ..reminders import services as reminders


class ClockRefused(Exception):
    """A pause, restart or extension that cannot be made; nothing was written.

    `field_errors` maps the form field at fault to what is wrong with it.
    """

    def __init__(self, field_errors: dict[str, str]) -> None:
        super().__init__("; ".join(field_errors.values()))
        self.field_errors = field_errors


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
    # "overdue" or "soon" (due in the next 10 working days), from stored due dates.
    due: str | None = None


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


def detail_errors(details: CaseDetails, user: User) -> dict[str, str]:
    """What is wrong with `details` for `user`, by field; empty when they can be saved.

    The pages and the API both ask this, so a case is held to the same rules either way.
    """
    errors: dict[str, str] = {}
    if details.compact_id not in {c.id for c in compacts_for(user)}:
        errors["compact_id"] = "Select the local Compact"
    parties = {
        o.id: o
        for o in db.session.scalars(
            sa.select(Organisation).where(
                Organisation.id.in_([details.funder_id, details.third_sector_id])
            )
        )
    }
    funder = parties.get(details.funder_id)
    if funder is None:
        errors["funder_id"] = "Select the statutory funder"
    elif not funder.is_statutory:
        errors["funder_id"] = f"{funder.name} is not a statutory funder"
    third_sector = parties.get(details.third_sector_id)
    if third_sector is None:
        errors["third_sector_id"] = "Select the third-sector organisation"
    elif third_sector.is_statutory:
        errors["third_sector_id"] = f"{third_sector.name} is not a third-sector organisation"
    elif details.third_sector_id == details.funder_id:
        errors["third_sector_id"] = "The funder and the third-sector organisation must differ"
    if details.raised_on < MIN_DATE:
        errors["raised_on"] = "Date raised must be in 2000 or later"
    elif details.raised_on > clock.today():
        errors["raised_on"] = "Date raised must be today or in the past"
    return errors


def details_of(case: Case) -> CaseDetails:
    """The case's editable fields as they are now."""
    return CaseDetails(
        compact_id=case.compact_id,
        title=case.title,
        summary=case.summary,
        funder_id=case.funder_id,
        third_sector_id=case.third_sector_id,
        raised_by=case.raised_by,
        areas=tuple(case.areas),
        amount_at_stake=case.amount_at_stake,
        raised_on=case.raised_on,
    )


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
    if filters.due in ("overdue", "soon"):
        query = query.where(_has_deadline_due(filters.due, clock.today()))
    order = (
        (Case.raised_on.asc(), Case.id.asc())
        if filters.oldest_first
        else (Case.raised_on.desc(), Case.id.desc())
    )
    return query.order_by(*order)


def _has_deadline_due(due: str, today: date) -> sa.ColumnElement[bool]:
    """The case has an open deadline overdue, or due within 10 working days, and its clock is
    running (a stopped clock's due dates are only provisional)."""
    window = (
        Deadline.due_on < today
        if due == "overdue"
        else Deadline.due_on.between(today, deadlines.due_soon_until(today))
    )
    paused = sa.exists().where(DeadlinePause.case_id == Case.id, DeadlinePause.ended_on.is_(None))
    return sa.and_(
        sa.exists().where(
            Deadline.case_id == Case.id, Deadline.status == DeadlineStatus.OPEN, window
        ),
        ~paused,
    )


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
            selectinload(Case.deadlines),
            selectinload(Case.pauses).joinedload(DeadlinePause.by),
            selectinload(Case.notices),
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


def create_case(details: CaseDetails, actor: User | None, *, today: date | None = None) -> Case:
    case = build_case(details, actor, today=today)
    db.session.commit()
    return case


def build_case(
    details: CaseDetails,
    actor: User | None,
    *,
    note: str | None = None,
    today: date | None = None,
) -> Case:
    """A new case in `raised`, with its timeline's first entry and its acknowledge deadline
    counted from the day it was raised; added to the session, not committed.

    `today` (default: today's date) is the day the case is logged, from which its reminders
    are planned; the demo data passes the day it replays.
    """
    today = today or clock.today()
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
    record_event(case, CaseEventKind.CREATED, actor, to_state=State.RAISED, reason=note)
    _open_deadline(case, deadlines.on_create(), details.raised_on, today)
    reminders.replan_case(case, today)
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
        # A closed case has no clock to keep stopped.
        if case.open_pause is not None:
            case.open_pause.ended_on = max(request.today, case.open_pause.started_on)
    else:
        case.previous_state = None
        case.closed_on = None
        case.working_days_to_close = None
        if case.outcome is not None:
            changes = {"outcome": [describe_outcome(case.outcome), None]}
            case.outcome = None
    _apply_deadline_changes(
        case,
        deadlines.on_transition(result.event, result.from_state, result.to_state),
        request.today,
    )
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
    reminders.replan_case(case, request.today)
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


def take_case(case: Case, mediator: User, *, today: date | None = None) -> None:
    """The mediator assigns the escalated case to themselves; `today` (default: today's date)
    is the day reminders are planned from."""
    previous = case.mediator.name if case.mediator else None
    case.mediator_id = mediator.id
    record_event(
        case,
        CaseEventKind.ASSIGNMENT,
        mediator,
        changes={"mediator_id": [previous, mediator.name]},
    )
    reminders.replan_case(case, today or clock.today())
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


# --- deadlines and the case clock ---------------------------------------------------------------


def _pauses(case: Case) -> list[Pause]:
    return [Pause(p.started_on, p.ended_on) for p in case.pauses]


def _due(deadline: Deadline, pauses: list[Pause], today: date) -> date:
    return deadlines.deadline_due(
        deadline.starts_on, deadline.period, deadline.extended_by, pauses, today=today
    )


def _refresh_due_dates(case: Case, today: date) -> None:
    """Recompute the stored due date of every open deadline after the clock or a period
    changed (with the clock stopped, the earliest due date as things stand today)."""
    pauses = _pauses(case)
    for deadline in case.deadlines:
        if deadline.is_open:
            deadline.due_on = _due(deadline, pauses, today)


def _open_deadline(case: Case, kind: DeadlineKind, starts_on: date, today: date) -> Deadline:
    period = rules.period_for(case.compact, kind.rule)
    deadline = Deadline(
        kind=kind,
        rule=kind.rule,
        starts_on=starts_on,
        period_count=period.count,
        period_unit=period.unit,
        extended_by=0,
        status=DeadlineStatus.OPEN,
    )
    deadline.due_on = _due(deadline, _pauses(case), max(today, starts_on))
    case.deadlines.append(deadline)
    return deadline


def _apply_deadline_changes(case: Case, changes: deadlines.DeadlineChanges, today: date) -> None:
    _refresh_due_dates(case, today)
    if changes.close is not None:
        kind, status = changes.close
        for deadline in case.deadlines:
            if deadline.is_open and deadline.kind is kind:
                deadline.status = deadlines.closing_status(status, today, deadline.due_on)
                deadline.closed_on = today
    if changes.open is not None:
        _open_deadline(case, changes.open, today, today)


@dataclass(frozen=True)
class DeadlineRow:
    """A case deadline as the case page shows it."""

    id: int
    kind: DeadlineKind
    label: str
    period: str
    extended_by: str | None
    due_on: date
    status: DeadlineStatus
    closed_on: date | None
    countdown: Countdown | None  # None when closed or while the clock is stopped
    paused: bool


def deadline_rows(case: Case, today: date) -> list[DeadlineRow]:
    """The case's deadlines, open ones first, with days left counted in the rule's days."""
    pauses = _pauses(case)
    paused = case.open_pause is not None
    rows = []
    for deadline in case.deadlines:
        due_on = deadline.due_on
        left = None
        if deadline.is_open:
            if paused:
                due_on = _due(deadline, pauses, max(today, case.open_pause.started_on))
            else:
                left = deadlines.countdown(due_on, today, deadline.period_unit)
        extension = None
        if deadline.extended_by:
            extension = Period(deadline.extended_by, deadline.period_unit).describe()
        rows.append(
            DeadlineRow(
                id=deadline.id,
                kind=deadline.kind,
                label=deadline.kind.label,
                period=deadline.period.describe(),
                extended_by=extension,
                due_on=due_on,
                status=deadline.status,
                closed_on=deadline.closed_on,
                countdown=left,
                paused=paused and deadline.is_open,
            )
        )
    rows.sort(key=lambda row: (row.status != DeadlineStatus.OPEN, row.due_on, row.id))
    return rows


def _checked_day(value: date, name: str, field: str, today: date) -> date:
    try:
        value = validate_date(value, name)
    except PeriodError as error:
        raise ClockRefused({field: _sentence(error)}) from None
    if value > today:
        raise ClockRefused({field: f"The {name} must be today or in the past"})
    return value


def _sentence(error: Exception) -> str:
    text = str(error)
    return text[:1].upper() + text[1:]


def _commit(case: Case) -> None:
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise StaleCase(db.session.get(Case, case.id, populate_existing=True)) from None


def pause_clock(
    case: Case, started_on: date, reason: str, actor: User | None, today: date
) -> DeadlinePause:
    """Stop the case's clock from `started_on` (the day is not counted) while waiting on a
    party; its open deadlines move on by each day it stays stopped."""
    if not case.is_open:
        raise ClockRefused({"started_on": "The clock of a closed case cannot be stopped"})
    started_on = _checked_day(started_on, "date the clock stopped", "started_on", today)
    try:
        # One open pause at most, and none reaching into the closed ones' days.
        validate_pauses([*_pauses(case), Pause(started_on)])
    except PeriodError as error:
        raise ClockRefused({"started_on": _sentence(error)}) from None
    pause = DeadlinePause(started_on=started_on, reason=reason, by=actor)
    case.pauses.append(pause)
    _refresh_due_dates(case, today)
    record_event(
        case,
        CaseEventKind.PAUSE,
        actor,
        reason=reason,
        changes={"clock": [None, f"stopped from {format_date(started_on)}"]},
    )
    reminders.replan_case(case, today)
    _commit(case)
    return pause


def resume_clock(
    case: Case, ended_on: date, reason: str, actor: User | None, today: date
) -> DeadlinePause:
    """Restart the clock: it counts again from `ended_on`."""
    pause = case.open_pause
    if pause is None:
        raise ClockRefused({"ended_on": "The clock is not stopped"})
    ended_on = _checked_day(ended_on, "date the clock restarts", "ended_on", today)
    others = [Pause(p.started_on, p.ended_on) for p in case.pauses if p is not pause]
    try:
        validate_pauses([*others, Pause(pause.started_on, ended_on)])
    except PeriodError as error:
        raise ClockRefused({"ended_on": _sentence(error)}) from None
    # The due dates as they stood before the clock stopped, to show how far they moved.
    before = {d.id: _due(d, others, today) for d in case.deadlines if d.is_open}
    pause.ended_on = ended_on
    _refresh_due_dates(case, today)
    changes = {"clock": [f"stopped from {format_date(pause.started_on)}", "running"]}
    for deadline in case.deadlines:
        if deadline.id in before and before[deadline.id] != deadline.due_on:
            changes[deadline.kind.value] = [
                format_date(before[deadline.id]),
                format_date(deadline.due_on),
            ]
    record_event(case, CaseEventKind.RESUME, actor, reason=reason, changes=changes)
    reminders.replan_case(case, today)
    _commit(case)
    return pause


def extend_deadline(
    case: Case, deadline_id: int, by: int, reason: str, actor: User | None, today: date
) -> Deadline:
    """Lengthen an open deadline by `by` days (in its rule's unit) as agreed, with the reason."""
    deadline = next((d for d in case.deadlines if d.id == deadline_id and d.is_open), None)
    if deadline is None:
        raise ClockRefused({"days": "Only an open deadline of this case can be extended"})
    if not 1 <= by <= MAX_COUNT - deadline.period_count - deadline.extended_by:
        raise ClockRefused({"days": "Enter a whole number of days, 1 or more"})
    before = deadline.due_on
    deadline.extended_by += by
    _refresh_due_dates(case, today)
    record_event(
        case,
        CaseEventKind.EXTENSION,
        actor,
        reason=reason,
        changes={deadline.kind.value: [format_date(before), format_date(deadline.due_on)]},
    )
    reminders.replan_case(case, today)
    _commit(case)
    return deadline


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


def parties() -> tuple[list[Organisation], list[Organisation]]:
    """Every statutory funder and every third-sector organisation, by name, in one query."""
    organisations = db.session.scalars(sa.select(Organisation).order_by(Organisation.name)).all()
    return (
        [o for o in organisations if o.is_statutory],
        [o for o in organisations if not o.is_statutory],
    )


def form_choices(user: User) -> FormChoices:
    funders, third_sector = parties()
    return FormChoices(compacts=compacts_for(user), funders=funders, third_sector=third_sector)
