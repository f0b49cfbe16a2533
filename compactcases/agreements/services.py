"""Funding agreement use cases: record and change an agreement, record a renewal or its end,
close its window with a notice, and keep its window in step with its Compact's rules.

The window's dates come from workflows.agreements under the Compact's rule set. Each agreement
has one open deadline for its current window, due on the latest notice date, so its reminders
are planned and sent by the same machinery as every other deadline's; closing the window
closes that deadline, which cancels what is still pending. Every change writes an entry on the
agreement's history and bumps its version: a concurrent change is refused, never merged.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from workflows.agreements import NoticeWindow, notice_window
from workflows.deadlines import DeadlineKind, DeadlineStatus
from workflows.outcomes import MAX_FIGURE
from workflows.periods import PeriodError, format_date, validate_date

from .. import history, localtime, policy, rule_sets
from ..bounds import MAX_ID
from ..extensions import db
from ..models import (
    AgreementEvent,
    AgreementEventKind,
    Compact,
    Deadline,
    FundingAgreement,
    Organisation,
    User,
    utcnow,
)
from ..reminders import planning

UNIQUE_REFERENCE = "uq_funding_agreements_funder_reference"


class AgreementInvalid(Exception):
    """What was given cannot be recorded; nothing was written."""

    def __init__(self, field_errors: dict[str, str]) -> None:
        super().__init__("; ".join(field_errors.values()))
        self.field_errors = field_errors


class StaleAgreement(Exception):
    """Someone else changed the agreement after this change began; nothing was written."""

    def __init__(self, agreement: FundingAgreement) -> None:
        super().__init__(f"{agreement.funder_reference} was changed by someone else")
        self.agreement = agreement

    @property
    def message(self) -> str:
        agreement = self.agreement
        return (
            f"Someone else changed agreement {agreement.funder_reference} just now: it is now "
            f"at version {agreement.version}. Nothing of your change was saved; check the "
            "agreement as it is now and try again if it is still needed."
        )


@dataclass(frozen=True)
class AgreementDetails:
    """What a funder types in when recording or changing an agreement."""

    funder_id: int | None
    organisation_id: int | None
    compact_id: int | None
    title: str
    funder_reference: str
    annual_value: int | None
    starts_on: date | None
    ends_on: date | None
    break_on: date | None = None
    review_on: date | None = None


_DATE_LABELS = {
    "starts_on": "start date",
    "ends_on": "end date",
    "break_on": "break date",
    "review_on": "review date",
}


def agreement_errors(
    details: AgreementDetails, user: User, *, agreement_id: int | None = None
) -> dict[str, str]:
    """What is wrong with ``details``, by field (the AgreementDetails names); empty when they
    can be recorded by ``user``. The pages and the API both ask this."""
    errors = _party_errors(details, user)
    if not details.title.strip():
        errors["title"] = "Enter the agreement's title"
    reference = details.funder_reference.strip()
    if not reference:
        errors["funder_reference"] = "Enter the funder's reference for the agreement"
    elif "funder_id" not in errors and _reference_taken(details.funder_id, reference, agreement_id):
        errors["funder_reference"] = "The funder already has an agreement with this reference"
    value = details.annual_value
    if value is None:
        errors["annual_value"] = "Enter the annual value in whole pounds"
    elif isinstance(value, bool) or not isinstance(value, int) or value < 0:
        errors["annual_value"] = "The annual value must be a whole number of pounds, 0 or more"
    elif value > MAX_FIGURE:
        errors["annual_value"] = f"The annual value must be at most £{MAX_FIGURE:,}"
    for name, label in _DATE_LABELS.items():
        day = getattr(details, name)
        if day is not None:
            try:
                validate_date(day, label)
            except PeriodError as error:
                text = str(error)
                errors[name] = text[:1].upper() + text[1:]
    for name in ("starts_on", "ends_on"):
        if getattr(details, name) is None:
            errors.setdefault(name, f"Enter the {_DATE_LABELS[name]}")
    starts, ends = details.starts_on, details.ends_on
    if starts and ends and ends < starts and not {"starts_on", "ends_on"} & set(errors):
        errors["ends_on"] = "The end date must be the same as or after the start date"
    return errors


def _row_id(value: int | None) -> int | None:
    """An id the database can hold, or None (a form may post any number)."""
    return value if isinstance(value, int) and 1 <= value <= MAX_ID else None


def _party_errors(details: AgreementDetails, user: User) -> dict[str, str]:
    errors: dict[str, str] = {}
    compact_id = _row_id(details.compact_id)
    allowed = policy.agreement_compact_ids(user).where(Compact.id == (compact_id or 0))
    if not compact_id or db.session.scalar(allowed) is None:
        errors["compact_id"] = "Select a local Compact you work under"
    funder = db.session.get(Organisation, _row_id(details.funder_id) or 0)
    if funder is None:
        errors["funder_id"] = "Select the statutory funder"
    elif not funder.is_statutory:
        errors["funder_id"] = f"{funder.name} is not a statutory funder"
    elif user.organisation_id is not None and funder.id != user.organisation_id:
        errors["funder_id"] = "You can only record your own organisation's agreements"
    organisation = db.session.get(Organisation, _row_id(details.organisation_id) or 0)
    if organisation is None:
        errors["organisation_id"] = "Select the third-sector organisation"
    elif organisation.is_statutory:
        errors["organisation_id"] = f"{organisation.name} is not a third-sector organisation"
    return errors


def _reference_taken(funder_id: int, reference: str, agreement_id: int | None) -> bool:
    query = sa.select(FundingAgreement.id).where(
        FundingAgreement.funder_id == funder_id, FundingAgreement.funder_reference == reference
    )
    if agreement_id is not None:
        query = query.where(FundingAgreement.id != agreement_id)
    return db.session.scalar(query.limit(1)) is not None


def window_for(compact: Compact, ends_on: date) -> NoticeWindow:
    """The notice window of an agreement under ``compact`` ending on ``ends_on``;
    AgreementInvalid if the Compact's rules cannot count back from that date."""
    chain = rule_sets.rule_chain(compact)
    try:
        return notice_window(ends_on, chain.period("funding_notice"), chain.period("consultation"))
    except PeriodError as error:
        text = str(error)
        raise AgreementInvalid({"ends_on": text[:1].upper() + text[1:]}) from None


def apply_window(agreement: FundingAgreement, window: NoticeWindow) -> None:
    """Store the window's dates on the agreement and on its open deadline (one is opened if
    the window has none)."""
    agreement.latest_notice_on = window.latest_notice_on
    agreement.latest_consultation_start = window.latest_consultation_start
    agreement.required_period = window.notice_period.describe()
    deadline = open_window(agreement)
    if deadline is None:
        deadline = Deadline(
            kind=DeadlineKind.NOTICE_ISSUE_BY,
            rule="funding_notice",
            status=DeadlineStatus.OPEN,
            extended_by=0,
        )
        agreement.deadlines.append(deadline)
    # Counted back from the end date, as a notice's "issue by" deadline is.
    deadline.starts_on = window.ends_on
    deadline.period_count = window.notice_period.count
    deadline.period_unit = window.notice_period.unit
    deadline.due_on = window.latest_notice_on


def open_window(agreement: FundingAgreement) -> Deadline | None:
    return next((d for d in agreement.deadlines if d.is_open), None)


def close_window(agreement: FundingAgreement, on: date) -> None:
    deadline = open_window(agreement)
    if deadline is not None:
        deadline.status = DeadlineStatus.MET if on <= deadline.due_on else DeadlineStatus.MISSED
        deadline.closed_on = on


def record(
    agreement: FundingAgreement,
    kind: AgreementEventKind,
    actor: User | None,
    *,
    reason: str | None = None,
    changes: dict | None = None,
) -> AgreementEvent:
    """One entry on the agreement's history, in the current transaction."""
    entry = AgreementEvent(kind=kind, reason=reason or None, changes=changes, actor=actor)
    entry.agreement = agreement
    db.session.add(entry)
    agreement.updated_at = entry.occurred_at = utcnow()
    return entry


def _lost_reference_race(error: BaseException) -> bool:
    orig = getattr(error, "orig", None)
    name = getattr(getattr(orig, "diag", None), "constraint_name", None)
    return name == UNIQUE_REFERENCE or (
        "funding_agreements.funder_id, funding_agreements.funder_reference" in str(orig)
    )


@contextmanager
def changing(agreement: FundingAgreement | None) -> Iterator[None]:
    """One unit of work on an agreement: commits at the end, rolls back if it raises. A stale
    version comes out as `StaleAgreement`, a reference another request took first as
    `AgreementInvalid`."""
    agreement_id = agreement.id if agreement is not None else None
    try:
        # Written once, at the end (re-planning flushes), so each change is one new version.
        with db.session.no_autoflush:
            yield
        db.session.commit()
    except BaseException as error:
        db.session.rollback()
        if isinstance(error, sa.exc.IntegrityError) and _lost_reference_race(error):
            raise AgreementInvalid(
                {"funder_reference": "The funder already has an agreement with this reference"}
            ) from None
        if history.lost_race(error) and agreement_id is not None:
            fresh = db.session.get(FundingAgreement, agreement_id, populate_existing=True)
            raise StaleAgreement(fresh) from None
        raise


def create_agreement(
    details: AgreementDetails, actor: User, *, today: date | None = None
) -> FundingAgreement:
    """Record an agreement with its window under its Compact's rules, and plan its reminders
    from ``today`` (the day it is recorded). AgreementInvalid if ``details`` cannot be
    recorded by ``actor``."""
    errors = agreement_errors(details, actor)
    if errors:
        raise AgreementInvalid(errors)
    compact = db.session.get(Compact, details.compact_id)
    agreement = FundingAgreement(
        **{f.name: getattr(details, f.name) for f in fields(details)}, created_by=actor
    )
    agreement.title = details.title.strip()
    agreement.funder_reference = details.funder_reference.strip()
    window = window_for(compact, details.ends_on)
    with changing(None):
        apply_window(agreement, window)
        db.session.add(agreement)
        record(agreement, AgreementEventKind.RECORDED, actor)
        planning.replan_agreement(agreement, today or localtime.today())
    return agreement


_SHOWN = {
    "title": "Title",
    "funder_reference": "Reference",
    "annual_value": "Annual value",
    "starts_on": "Start date",
    "ends_on": "End date",
    "break_on": "Break date",
    "review_on": "Review date",
    "compact_id": "Compact",
    "organisation_id": "Organisation",
}


def shown(value) -> str | None:
    if isinstance(value, date):
        return format_date(value)
    return None if value is None else str(value)


def update_agreement(
    agreement: FundingAgreement,
    details: AgreementDetails,
    version: int,
    actor: User,
    *,
    today: date | None = None,
) -> FundingAgreement:
    """Change an agreement seen at ``version``; its window moves with its end date or
    Compact. StaleAgreement if someone else changed it since, AgreementInvalid for bad
    input."""
    if version != agreement.version:
        raise StaleAgreement(agreement)
    details = _keep_funder(details, agreement)
    errors = agreement_errors(details, actor, agreement_id=agreement.id)
    if errors:
        raise AgreementInvalid(errors)
    # Worked out before anything changes, so the row is written once, with its new version.
    window = window_for(db.session.get(Compact, details.compact_id), details.ends_on)
    changes = {}
    for name, label in _SHOWN.items():
        new = getattr(details, name)
        if isinstance(new, str):
            new = new.strip()
        old = getattr(agreement, name)
        if new != old:
            changes[label] = [shown(old), shown(new)]
            setattr(agreement, name, new)
    if not changes:
        return agreement
    with changing(agreement):
        if open_window(agreement) is not None:
            apply_window(agreement, window)
        record(agreement, AgreementEventKind.EDITED, actor, changes=changes)
        planning.replan_agreement(agreement, today or localtime.today())
    return agreement


def _keep_funder(details: AgreementDetails, agreement: FundingAgreement) -> AgreementDetails:
    """An agreement stays with the funder that holds it."""
    values = {f.name: getattr(details, f.name) for f in fields(details)}
    values["funder_id"] = agreement.funder_id
    return AgreementDetails(**values)


def window_moved(compact_ids: Iterable[int]) -> int:
    """Recompute the windows still open of the agreements in these Compacts (their rules
    changed); returns how many. Does not commit; their reminders are re-planned at the next
    sweep."""
    ids = list(compact_ids)
    if not ids:
        return 0
    agreements = db.session.scalars(
        sa.select(FundingAgreement)
        .where(FundingAgreement.compact_id.in_(ids))
        .options(
            joinedload(FundingAgreement.compact).joinedload(Compact.parent),
            selectinload(FundingAgreement.deadlines),
        )
    ).all()
    moved = 0
    for agreement in agreements:
        if open_window(agreement) is None:
            continue
        try:
            window = window_for(agreement.compact, agreement.ends_on)
        except AgreementInvalid:
            continue  # the new rule cannot count back that far: the window stays as it was
        apply_window(agreement, window)
        moved += 1
    return moved


def get_agreement(agreement_id: int, user: User) -> FundingAgreement | None:
    """The agreement, if ``user`` may see it (scoped in the query)."""
    query = sa.select(FundingAgreement).where(FundingAgreement.id == agreement_id)
    return db.session.scalar(
        policy.scope_agreements(query, user).options(
            joinedload(FundingAgreement.compact),
            joinedload(FundingAgreement.funder),
            joinedload(FundingAgreement.organisation),
            selectinload(FundingAgreement.deadlines),
        )
    )
