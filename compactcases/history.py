"""A case's timeline and the unit of work that changes a case: every change writes its entry
and commits once, and a change that lost a race to another person's is refused, not merged.

Cases, notices and reminders all write history through here; it imports only the models, so
each of them can depend on it without depending on each other.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError

from workflows.dispute import State

from .extensions import db
from .models import Case, CaseEvent, CaseEventKind, User, utcnow

# PostgreSQL's codes for a transaction that lost to a concurrent one: serialization failure
# and deadlock.
_LOST_RACE_CODES = frozenset({"40001", "40P01"})
# The one unique index a concurrent change to the same case can fill first: one open clock
# stop per case. Any other unique violation is a fault, not a race, and stays an error.
_ONE_OPEN_PAUSE = "ix_deadline_pauses_one_open_per_case"


class StaleCase(Exception):
    """Someone else saved the case after this change began; nothing was written."""

    def __init__(self, case: Case) -> None:
        super().__init__(f"{case.reference} was changed by someone else")
        self.case = case

    @property
    def message(self) -> str:
        """What a person is told: what the case is now, and that their change was not saved."""
        case = self.case
        return (
            f"Someone else changed {case.reference} just now: it is now "
            f"{case.state.label.lower()}, at version {case.version}. Nothing of your change "
            "was saved; check the case as it is now and try again if it is still needed."
        )

    # Pages show a stale change like a refused workflow event: the message, no field errors.
    field_errors: dict[str, str] = {}


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
    touches_case: bool = True,
    occurred_at: datetime | None = None,
) -> CaseEvent:
    """Add one entry to the case's timeline, in the current transaction.

    An entry that records a change to the case (`touches_case`, the default) also bumps the
    case's version, so two people changing the same case at once cannot both succeed: the
    second one's UPDATE finds the version moved and is refused as `StaleCase`. Entries that
    only log something (a reminder sent) leave the version alone, so an open form stays valid.
    `occurred_at` dates an entry by when the thing it records happened (a meeting, a call),
    which the timeline is ordered by; by default, now.
    """
    entry = CaseEvent(
        kind=kind,
        event=event,
        from_state=from_state,
        to_state=to_state,
        reason=reason or None,
        changes=changes,
        actor=actor,
    )
    if occurred_at is not None:
        entry.occurred_at = occurred_at
    # Through the entry's side, so a case whose timeline is not loaded never loads all of it
    # (an already loaded timeline still gains the entry).
    entry.case = case
    db.session.add(entry)
    if touches_case:
        case.updated_at = utcnow()
    return entry


def lost_race(error: BaseException) -> bool:
    """Whether `error` says another transaction changed the row first (a case, a notice)."""
    if isinstance(error, StaleDataError):
        return True
    if not isinstance(error, sa.exc.IntegrityError | sa.exc.OperationalError):
        return False
    orig = error.orig
    if getattr(orig, "sqlstate", None) in _LOST_RACE_CODES:
        return True
    diag = getattr(orig, "diag", None)
    if getattr(diag, "constraint_name", None) == _ONE_OPEN_PAUSE:
        return True
    # SQLite names the indexed column rather than the index, or says it was locked out.
    text = str(orig)
    return "UNIQUE constraint failed: deadline_pauses.case_id" in text or (
        "database is locked" in text
    )


@contextmanager
def changing(case: Case) -> Iterator[Case]:
    """One unit of work on `case`: commits when the block ends, rolls back if it raises.

    Whatever in the block finds the case changed underneath it (a stale version at any flush,
    a serialization failure, the one-open-pause index) comes out as `StaleCase`, carrying the
    case as it now stands, so pages and the API answer 409 rather than 500.
    """
    case_id = case.id
    try:
        yield case
        db.session.commit()
    except BaseException as error:
        db.session.rollback()
        if lost_race(error) and case_id is not None:
            fresh = db.session.get(Case, case_id, populate_existing=True)
            raise StaleCase(fresh) from None
        raise
