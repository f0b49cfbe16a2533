"""Notice use cases: record a funder's notice with its verdict, check a planned change, open a
case from a notice. Lists and a funder's compliance rate are in `lists`.

The rules (verdicts, the planned-change check and their sentences) are in workflows.notices;
here they are given the period from the Compact's rule set. A verdict's key figures are stored
on the notice, so lists and compliance rates are counted in SQL; `recompute_verdicts` brings
them up to date when a Compact's rules change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from workflows.deadlines import DeadlineStatus
from workflows.notices import (
    PlannedVerdict,
    RecordedVerdict,
    check_planned_consultation,
    check_planned_funding_change,
    consultation_verdict,
    funding_change_verdict,
)
from workflows.periods import Period, PeriodError, validate_date
from workflows.webhooks import WebhookEventType

from .. import localtime, rule_sets
from ..agreements import decisions as agreements
from ..agreements import services as agreement_services
from ..cases import services as cases
from ..extensions import db
from ..models import (
    Area,
    Case,
    Compact,
    Deadline,
    FundingAgreement,
    Notice,
    NoticeEvent,
    NoticeKind,
    Organisation,
    Role,
    Side,
    User,
)
from ..reminders import planning
from ..webhooks import outbox


class NoticeRefused(Exception):
    """A step a notice cannot take now; nothing was written."""


@dataclass(frozen=True)
class NoticeDetails:
    """What a funder types in when recording a notice or a consultation."""

    kind: NoticeKind
    compact_id: int
    funder_id: int
    recipient_id: int | None
    title: str
    notice_given_on: date | None = None
    effective_on: date | None = None
    # None when the question was left unanswered (a field error for a funding change).
    written: bool | None = True
    reasons_given: bool | None = True
    amount_before: int | None = None
    amount_after: int | None = None
    opens_on: date | None = None
    closes_on: date | None = None
    # The funding agreement this notice ends or cuts, if it was recorded against one.
    agreement_id: int | None = None


def verdict(notice: Notice | NoticeDetails, period: Period) -> RecordedVerdict:
    """The verdict on a recorded notice under the required ``period`` (PeriodError if its
    dates cannot be worked with)."""
    if notice.kind is NoticeKind.CONSULTATION:
        return consultation_verdict(notice.opens_on, notice.closes_on, period)
    return funding_change_verdict(
        notice.notice_given_on,
        notice.effective_on,
        period,
        written=notice.written,
        reasons_given=notice.reasons_given,
    )


def _rule_name(kind: NoticeKind) -> str:
    return "consultation" if kind is NoticeKind.CONSULTATION else "funding_notice"


def apply_verdict(notice: Notice, period: Period) -> None:
    """Record the notice's verdict and its deadline; a notice found not to keep the Compact
    (when recorded, or when an edit or a change of rules turns it) is announced to webhooks."""
    found = verdict(notice, period)
    if notice.compliant is not False and not found.compliant:
        outbox.announce(WebhookEventType.NOTICE_NON_COMPLIANT, notice)
    notice.compliant = found.compliant
    notice.shortfall_days = found.shortfall_days
    notice.required_period = found.required_period
    notice.earliest_compliant_on = found.earliest_compliant_on
    notice.latest_notice_on = found.latest_notice_on
    notice.explanation = found.explanation
    # A notice whose kind changed on an edit sets the other kind's deadline, not both.
    notice.deadlines[:] = [d for d in notice.deadlines if d.kind is found.deadline_kind]
    deadline = next((d for d in notice.deadlines if d.kind is found.deadline_kind), None)
    if deadline is None:
        deadline = Deadline(kind=found.deadline_kind, rule=found.deadline_kind.rule)
        notice.deadlines.append(deadline)
    deadline.starts_on = found.deadline_starts_on
    deadline.period_count = found.period.count
    deadline.period_unit = found.period.unit
    deadline.extended_by = 0
    deadline.due_on = found.deadline_due_on
    deadline.status = DeadlineStatus.MET if found.deadline_met else DeadlineStatus.MISSED
    deadline.closed_on = found.deadline_closed_on


def notice_errors(details: NoticeDetails, user: User | None) -> dict[str, str]:
    """What is wrong with `details`, by field (the NoticeDetails names); empty when they can
    be recorded. The pages and the API both ask this."""
    errors = _party_errors(details, user) if user is not None else {}
    problem = agreements.notice_agreement_error(details, user)
    if problem:
        errors["agreement_id"] = problem
    for name, label in _DATE_LABELS.items():
        day = getattr(details, name)
        if day is not None:
            try:
                validate_date(day, label)
            except PeriodError as error:
                text = str(error)
                errors[name] = text[:1].upper() + text[1:]
    if details.kind.is_funding:
        required = {
            "notice_given_on": "Enter the date notice was given",
            "effective_on": "Enter the date the change takes effect",
        }
        if not details.recipient_id and "recipient_id" not in errors:
            errors["recipient_id"] = "Select the organisation whose funding changes"
        if details.written is None:
            errors["written"] = "Select whether the notice was given in writing"
        if details.reasons_given is None:
            errors["reasons_given"] = "Select whether the notice gave the reasons for the change"
        earlier, later = "notice_given_on", "effective_on"
        order = "The date the change takes effect must be the same as or after the notice date"
        before, after = details.amount_before, details.amount_after
        if (
            details.kind is NoticeKind.FUNDING_REDUCTION
            and before is not None
            and after is not None
            and after >= before
        ):
            errors["amount_after"] = "For a reduction, enter less than the funding before"
    else:
        required = {
            "opens_on": "Enter the date the consultation opens",
            "closes_on": "Enter the date the consultation closes",
        }
        earlier, later = "opens_on", "closes_on"
        order = "The closing date must be the same as or after the opening date"
    for name, message in required.items():
        if getattr(details, name) is None:
            errors.setdefault(name, message)
    first, second = getattr(details, earlier), getattr(details, later)
    if first and second and second < first and later not in errors and earlier not in errors:
        errors[later] = order
    return errors


_DATE_LABELS = {
    "notice_given_on": "notice date",
    "effective_on": "effective date",
    "opens_on": "opening date",
    "closes_on": "closing date",
}


def _party_errors(details: NoticeDetails, user: User) -> dict[str, str]:
    """The Compact and the parties must be ones `user` may record a notice for."""
    errors: dict[str, str] = {}
    choices = form_choices(user)
    if details.compact_id not in {c.id for c in choices.compacts}:
        errors["compact_id"] = "Select the local Compact"
    funders = {o.id: o for o in choices.funders}
    organisation = db.session.get(Organisation, details.funder_id or 0)
    if organisation is not None and not organisation.is_statutory:
        errors["funder_id"] = f"{organisation.name} is not a statutory funder"
    elif details.funder_id not in funders:
        errors["funder_id"] = "Select the statutory funder"
    if details.recipient_id:
        recipient = db.session.get(Organisation, details.recipient_id)
        if recipient is None or recipient.is_statutory:
            errors["recipient_id"] = "Select a third-sector organisation"
    return errors


def create_notice(
    details: NoticeDetails, actor: User | None, *, today: date | None = None
) -> Notice:
    """Record a notice with its verdict under its Compact's rules; `today` (default: today's
    date) is the day it is recorded, from which its reminders are planned."""
    notice = Notice(created_by=actor)
    # Announced first, so a receiver hears of the notice before any verdict about it.
    outbox.announce(WebhookEventType.NOTICE_RECORDED, notice)
    apply_details(notice, details)
    today = today or localtime.today()
    agreement = None
    if details.agreement_id is not None and details.kind.is_funding:
        # Locked and read afresh: a second notice racing for the window waits, then is refused.
        agreement = db.session.get(
            FundingAgreement, details.agreement_id, populate_existing=True, with_for_update=True
        )
    with agreement_services.changing(agreement):
        if agreement is not None and (agreement.notice_given_on or agreement.ended_on):
            raise agreement_services.StaleAgreement(agreement)
        db.session.add(notice)
        planning.replan_notice(notice, today)
        if agreement is not None:
            notice.agreement = agreement
            agreements.close_with_notice(notice, actor)
            planning.replan_agreement(agreement, today)
    return notice


def apply_details(notice: Notice, details: NoticeDetails) -> None:
    """Set the notice's answers from `details` (only the ones its kind has) and its verdict
    under its Compact's rules, in the current transaction."""
    funding = details.kind.is_funding
    notice.kind = details.kind
    notice.compact = db.session.get(Compact, details.compact_id)
    notice.funder_id = details.funder_id
    notice.recipient_id = details.recipient_id
    notice.title = details.title
    notice.notice_given_on = details.notice_given_on if funding else None
    notice.effective_on = details.effective_on if funding else None
    notice.written = details.written is not False if funding else True
    notice.reasons_given = details.reasons_given is not False if funding else True
    notice.amount_before = details.amount_before if funding else None
    notice.amount_after = details.amount_after if funding else None
    notice.opens_on = None if funding else details.opens_on
    notice.closes_on = None if funding else details.closes_on
    apply_verdict(notice, rule_sets.period_for(notice.compact, _rule_name(details.kind)))


def recompute_verdicts(compact_ids: Iterable[int]) -> int:
    """Recompute the stored verdicts of the notices in these Compacts (after their rules
    changed); returns how many notices were looked at. Does not commit."""
    compact_ids = list(compact_ids)
    if not compact_ids:
        return 0
    notices = db.session.scalars(
        sa.select(Notice)
        .where(Notice.compact_id.in_(compact_ids))
        .options(joinedload(Notice.compact).joinedload(Compact.parent))
        .options(selectinload(Notice.deadlines))
    ).all()
    chains: dict[int, rule_sets.RuleChain] = {}
    for notice in notices:
        chain = chains.get(notice.compact_id)
        if chain is None:
            chain = chains[notice.compact_id] = rule_sets.rule_chain(notice.compact)
        apply_verdict(notice, chain.period(_rule_name(notice.kind)))
    return len(notices)


def get_notice(notice_id: int) -> Notice | None:
    return db.session.scalar(
        sa.select(Notice)
        .where(Notice.id == notice_id)
        .options(
            joinedload(Notice.compact),
            joinedload(Notice.funder),
            joinedload(Notice.recipient),
            joinedload(Notice.case),
            joinedload(Notice.created_by),
            selectinload(Notice.deadlines),
            selectinload(Notice.events).joinedload(NoticeEvent.actor),
        )
    )


# --- a case from a notice -----------------------------------------------------------------------


def open_case(notice: Notice, actor: User | None, today: date) -> Case:
    """Log a dispute about a non-compliant notice, in its Compact, linked to it, in one step."""
    if notice.withdrawn:
        raise NoticeRefused("This notice was withdrawn, so there is no breach to dispute")
    if notice.case is not None:
        raise NoticeRefused(f"Case {notice.case.reference} is already open about this notice")
    if notice.compliant:
        raise NoticeRefused("This notice kept the Compact, so there is no breach to dispute")
    if notice.recipient_id is None:
        raise NoticeRefused(
            "Record which organisation the notice affects before opening a case from it"
        )
    amount = None
    if notice.amount_before is not None:
        amount = notice.amount_before - (notice.amount_after or 0)
    details = cases.CaseDetails(
        compact_id=notice.compact_id,
        title=notice.title[:200],
        summary=(
            f"{notice.funder.name}: {notice.kind.label.lower()} ({notice.title}). "
            f"{notice.explanation}"
        ),
        funder_id=notice.funder_id,
        third_sector_id=notice.recipient_id,
        raised_by=Side.THIRD_SECTOR,
        areas=(Area.FUNDING,) if notice.kind.is_funding else (Area.CONSULTATION,),
        amount_at_stake=amount if amount and amount > 0 else None,
        raised_on=today,
    )
    case = cases.build_case(details, actor, note=f"Opened from the notice “{notice.title}”")
    notice.case = case
    db.session.commit()
    return case


# --- checking a planned change ------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedCheck:
    """A planned change checked under a Compact's rules: the pages and the API both show it."""

    compact: str
    kind: NoticeKind
    verdict: PlannedVerdict


def check_planned(
    compact: Compact,
    kind: NoticeKind,
    *,
    later: date | None,
    earlier: date | None,
    written: bool = True,
    reasons_given: bool = True,
) -> PlannedCheck:
    """Check a planned change under ``compact``'s rules; nothing is saved.

    ``later`` is the date the change takes effect (or the consultation closes), ``earlier`` the
    date notice is given (or the consultation opens); give either or both. PeriodError if
    neither is given or they cannot be worked with.
    """
    period = rule_sets.period_for(compact, _rule_name(kind))
    if kind.is_funding:
        found = check_planned_funding_change(
            period,
            notice_given_on=earlier,
            effective_on=later,
            written=written,
            reasons_given=reasons_given,
        )
    else:
        found = check_planned_consultation(period, opens_on=earlier, closes_on=later)
    return PlannedCheck(compact=compact.name, kind=kind, verdict=found)


def form_choices(user: User) -> cases.FormChoices:
    """What the notice form offers: a funder records only its own organisation's notices, in
    any Compact (funders work across Compacts)."""
    funders, third_sector = cases.parties()
    if user.role is Role.FUNDER:
        funders = [o for o in funders if o.id == user.organisation_id]
    return cases.FormChoices(
        compacts=list(db.session.scalars(sa.select(Compact).order_by(Compact.name))),
        funders=funders,
        third_sector=third_sector,
    )


def filter_choices(user: User) -> cases.FormChoices:
    """The notice list's filters: the Compacts the user works in, and the funders."""
    choices = form_choices(user)
    return cases.FormChoices(
        compacts=cases.filter_compacts(user),
        funders=choices.funders,
        third_sector=[],
    )
