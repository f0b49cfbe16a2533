"""Imported cases written in batches: the case, its areas, its timeline dated by its own
dates, its outcome when closed, and the deadline of its stage when open.

Rows go in with Core multi-row INSERTs so that 10,000 cases take seconds; the database's
triggers keep the search index and the monthly report tallies in step as they would for a
case logged on a page, so an old case's outcome counts in the months it belongs to.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import UTC, date, datetime, time

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from workflows.deadlines import DeadlineStatus, deadline_due
from workflows.dispute import CLOSED_STATES, LEVEL_OF_STATE, STAGE_DEADLINES, Event, State
from workflows.outcomes import Level
from workflows.periods import working_days_between

from .. import localtime, rule_sets
from ..extensions import db
from ..history import record_event
from ..models import (
    PLAN_AT_NEXT_SWEEP,
    Case,
    CaseArea,
    CaseEvent,
    CaseEventKind,
    Compact,
    Deadline,
    Outcome,
    ReferenceCounter,
    User,
)
from .rows import ValidRow

CHUNK = 400
STATE_OF_LEVEL = {level: state for state, level in LEVEL_OF_STATE.items()}
_OUTCOME_COLUMNS = [c.name for c in Outcome.__table__.columns if c.name != "id"]


def noon(day: date) -> datetime:
    """The moment an imported entry dated `day` is put at: midday."""
    return datetime.combine(day, time(12, 0), UTC)


def _insert():
    return (
        postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    )


def _numbers(compact_id: int, year: int, count: int) -> range:
    """`count` new case numbers for the Compact and year, taken at once from its counter
    (locked until commit on PostgreSQL, so concurrent imports and pages never share one)."""
    db.session.execute(
        _insert()(ReferenceCounter)
        .values(compact_id=compact_id, year=year, last=0)
        .on_conflict_do_nothing(index_elements=["compact_id", "year"])
    )
    last = db.session.execute(
        sa.update(ReferenceCounter)
        .where(ReferenceCounter.compact_id == compact_id, ReferenceCounter.year == year)
        .values(last=ReferenceCounter.last + count)
        .returning(ReferenceCounter.last)
    ).scalar_one()
    return range(last - count + 1, last + 1)


def _references(rows: list[ValidRow], codes: dict[int, str]) -> list[str]:
    wanted = Counter((r.values["compact_id"], r.values["raised_on"].year) for r in rows)
    numbers = {key: iter(_numbers(*key, count)) for key, count in sorted(wanted.items())}
    found = []
    for row in rows:
        key = (row.values["compact_id"], row.values["raised_on"].year)
        found.append(f"{codes[key[0]]}-{key[1]}-{next(numbers[key]):04d}")
    return found


def case_columns(values: dict) -> dict:
    """The case's own columns from an imported row's values."""
    state, closed = values["state"], values["closed_on"]
    outcome = values["outcome"]
    previous = None
    if state in CLOSED_STATES:
        previous = STATE_OF_LEVEL[outcome["level"]]
    return {
        "compact_id": values["compact_id"],
        "title": values["title"],
        "summary": values["summary"],
        "funder_id": values["funder_id"],
        "third_sector_id": values["third_sector_id"],
        "raised_by": values["raised_by"],
        "amount_at_stake": values["amount_at_stake"],
        "state": state,
        "previous_state": previous,
        "raised_on": values["raised_on"],
        "escalated_on": values["escalated_on"],
        "closed_on": closed,
        "working_days_to_close": (
            working_days_between(values["raised_on"], closed) if closed else None
        ),
    }


def _timeline(values: dict, note: str) -> list[dict]:
    """The case's timeline as far as the row knows it: logged (saying where from), the steps
    its level and dates imply, and its closing; each dated by the case's own dates."""
    state, raised = values["state"], values["raised_on"]
    level = values["outcome"]["level"] if values["outcome"] else LEVEL_OF_STATE[state]
    entries = [
        {"kind": CaseEventKind.CREATED, "to_state": State.RAISED, "reason": note, "day": raised}
    ]
    at = State.RAISED
    if level is not Level.BEFORE_CONCILIATION and not values["escalated_on"]:
        entries.append(_step(Event.START_CONCILIATION, at, State.LOCAL_CONCILIATION, raised))
        at = State.LOCAL_CONCILIATION
    if values["escalated_on"]:
        entries.append(_step(Event.ESCALATE, at, State.REGIONAL_MEDIATION, values["escalated_on"]))
        at = State.REGIONAL_MEDIATION
    if state in CLOSED_STATES:
        event = Event.RESOLVE if state is State.RESOLVED else Event.WITHDRAW
        reason = values["outcome"].get("withdrawal_reason")
        entries.append(_step(event, at, state, values["closed_on"], reason))
    return entries


def _step(event: Event, from_state: State, to_state: State, day: date, reason=None) -> dict:
    return {
        "kind": CaseEventKind.TRANSITION,
        "event": event.value,
        "from_state": from_state,
        "to_state": to_state,
        "reason": reason or None,
        "day": day,
    }


def _outcome_row(case_id: int, values: dict, actor_id: int | None) -> dict:
    outcome = values["outcome"]
    row = {name: None for name in _OUTCOME_COLUMNS}
    row.update(outcome)
    row.update(
        case_id=case_id,
        learning_shareable=False,
        recorded_at=noon(values["closed_on"]),
        recorded_by_id=actor_id,
        agreed_actions=outcome.get("agreed_actions") or None,
        learning=outcome.get("learning") or None,
        withdrawal_reason=outcome.get("withdrawal_reason") or None,
    )
    return row


class CaseWriter:
    """Writes new imported cases in chunks and changes imported ones, for one import."""

    def __init__(self, filename: str, actor: User | None) -> None:
        self.filename = filename
        self.actor_id = actor.id if actor else None
        self.today = localtime.today()
        self.compacts = {c.id: c for c in db.session.scalars(sa.select(Compact))}
        self.periods: dict[tuple[int, str], object] = {}

    def note(self, row: ValidRow) -> str:
        return f"Imported from {self.filename}, row {row.row}"

    def create(self, rows: list[ValidRow]) -> dict[tuple[str, str], int]:
        """Insert the cases of `rows`; returns (scope, source reference) -> case id."""
        created: dict[tuple[str, str], int] = {}
        codes = {cid: c.code for cid, c in self.compacts.items()}
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            references = _references(chunk, codes)
            now = datetime.now(UTC)
            cases = [
                {
                    **case_columns(r.values),
                    "reference": reference,
                    "officer_id": self.actor_id,
                    "created_at": now,
                    "updated_at": now,
                    "version": 1,
                }
                for r, reference in zip(chunk, references, strict=True)
            ]
            # One statement compiled once and sent as multi-row INSERTs ("insertmanyvalues").
            ids = dict(
                db.session.execute(
                    sa.insert(Case.__table__).returning(Case.reference, Case.id), cases
                ).all()
            )
            case_ids = [ids[reference] for reference in references]
            self._children(chunk, case_ids)
            created.update(
                {(r.scope, r.reference): cid for r, cid in zip(chunk, case_ids, strict=True)}
            )
        return created

    def _children(self, rows: list[ValidRow], case_ids: list[int]) -> None:
        areas, events, outcomes, deadlines = [], [], [], []
        for row, case_id in zip(rows, case_ids, strict=True):
            values = row.values
            areas += [{"case_id": case_id, "area": a} for a in values["areas"]]
            for entry in _timeline(values, self.note(row)):
                day = entry.pop("day")
                events.append(
                    {
                        "event": None,
                        "from_state": None,
                        **entry,
                        "case_id": case_id,
                        "actor_id": self.actor_id,
                        "occurred_at": noon(day),
                        "private": False,
                        "changes": None,
                    }
                )
            if values["outcome"]:
                outcomes.append(_outcome_row(case_id, values, self.actor_id))
            else:
                deadlines.append(self._stage_deadline(case_id, values))
        for table, batch in (
            (CaseArea.__table__, areas),
            (CaseEvent.__table__, events),
            (Outcome.__table__, outcomes),
            (Deadline.__table__, deadlines),
        ):
            if batch:
                db.session.execute(sa.insert(table), batch)

    def _stage_deadline(self, case_id: int, values: dict) -> dict:
        """The open stage's deadline, counted from the day the stage began by the Compact's
        rules. One already past is left unplanned: no reminder goes out about it."""
        state = values["state"]
        kind = STAGE_DEADLINES[state]
        starts_on = values["escalated_on"] or values["raised_on"]
        key = (values["compact_id"], kind.rule)
        if key not in self.periods:
            self.periods[key] = rule_sets.period_for(self.compacts[key[0]], kind.rule)
        period = self.periods[key]
        due_on = deadline_due(starts_on, period, 0, (), today=max(self.today, starts_on))
        return {
            "case_id": case_id,
            "notice_id": None,
            "agreement_id": None,
            "kind": kind,
            "rule": kind.rule,
            "starts_on": starts_on,
            "period_count": period.count,
            "period_unit": period.unit,
            "extended_by": 0,
            "due_on": due_on,
            "status": DeadlineStatus.OPEN,
            "closed_on": None,
            "created_at": datetime.now(UTC),
            "plan_on": PLAN_AT_NEXT_SWEEP if due_on >= self.today else None,
        }

    def update(self, case: Case, row: ValidRow, actor: User | None) -> None:
        """Change an imported case to the row's values where they are the case's own fields,
        with a timeline entry saying what changed."""
        wanted = case_columns(row.values)
        changes = {}
        for name in ("title", "summary", "amount_at_stake", "raised_by"):
            if getattr(case, name) != wanted[name]:
                changes[name] = [_shown(getattr(case, name)), _shown(wanted[name])]
                setattr(case, name, wanted[name])
        if list(case.areas) != list(row.values["areas"]):
            changes["areas"] = [", ".join(case.areas), ", ".join(row.values["areas"])]
            case.areas = row.values["areas"]
        outcome = row.values["outcome"]
        if case.outcome is not None and outcome:
            for name, value in outcome.items():
                value = value or None if isinstance(value, str) else value
                if name not in ("kind", "level") and getattr(case.outcome, name) != value:
                    changes[name] = [_shown(getattr(case.outcome, name)), _shown(value)]
                    setattr(case.outcome, name, value)
        if changes:
            reason = f"Updated from {self.filename}, row {row.row}"
            record_event(case, CaseEventKind.EDIT, actor, reason=reason, changes=changes)


def _shown(value) -> str | None:
    return None if value is None else str(value)


def frozen_fields(case: Case, row: ValidRow) -> Iterable[str]:
    """The columns of `row` an import cannot change on a case already imported: its
    Compact, parties, state and dates move only through the case's own pages."""
    wanted = case_columns(row.values)
    for name in (
        "compact_id",
        "funder_id",
        "third_sector_id",
        "state",
        "raised_on",
        "escalated_on",
        "closed_on",
    ):
        if getattr(case, name) != wanted[name]:
            yield name
