"""What closes a funding agreement's notice window: a renewal or extension (a new window opens
for the new end date), the agreement ending, or notice recorded against it. Each is an entry on
the agreement's history; closing the window closes its deadline, which cancels the reminders
still pending."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from workflows.labels import LabelledEnum
from workflows.periods import PeriodError, format_date, validate_date

from .. import localtime
from ..extensions import db
from ..models import AgreementEventKind, Compact, FundingAgreement, Notice, User
from ..reminders import planning
from .services import (
    AgreementInvalid,
    StaleAgreement,
    apply_window,
    changing,
    close_window,
    get_agreement,
    record,
    shown,
    window_for,
)


class DecisionKind(LabelledEnum):
    RENEW = "renew", "Renew or extend the agreement"
    END = "end", "The agreement ends"


@dataclass(frozen=True)
class Decision:
    """A funder's decision about an agreement: renew or extend it to a new end date, or end
    it on a date."""

    kind: DecisionKind
    decided_on: date | None
    new_ends_on: date | None = None
    reason: str = ""


def decision_errors(decision: Decision, agreement: FundingAgreement) -> dict[str, str]:
    errors: dict[str, str] = {}
    if agreement.ended_on is not None:
        errors["kind"] = f"The agreement ended on {format_date(agreement.ended_on)}"
    for name, label in (("decided_on", "decision date"), ("new_ends_on", "new end date")):
        day = getattr(decision, name)
        if day is not None:
            try:
                validate_date(day, label)
            except PeriodError as error:
                errors[name] = str(error)[:1].upper() + str(error)[1:]
    if decision.decided_on is None:
        errors.setdefault("decided_on", "Enter the date of the decision")
    if decision.kind is DecisionKind.RENEW:
        if decision.new_ends_on is None:
            errors.setdefault("new_ends_on", "Enter the new end date")
        elif decision.new_ends_on <= agreement.ends_on and "new_ends_on" not in errors:
            errors["new_ends_on"] = (
                f"The new end date must be after the current one, {format_date(agreement.ends_on)}"
            )
    return errors


def record_decision(
    agreement: FundingAgreement,
    decision: Decision,
    version: int,
    actor: User,
    *,
    today: date | None = None,
) -> FundingAgreement:
    """Record a renewal (the window closes and a new one opens for the new end date) or the
    agreement's end (the window closes). StaleAgreement if someone else changed it since
    ``version``, AgreementInvalid for bad input."""
    if version != agreement.version:
        raise StaleAgreement(agreement)
    errors = decision_errors(decision, agreement)
    if errors:
        raise AgreementInvalid(errors)
    if decision.kind is DecisionKind.RENEW:
        compact = db.session.get(Compact, agreement.compact_id)
        try:
            window = window_for(compact, decision.new_ends_on)
        except AgreementInvalid as refused:
            raise AgreementInvalid({"new_ends_on": refused.field_errors["ends_on"]}) from None
    with changing(agreement):
        close_window(agreement, decision.decided_on)
        if decision.kind is DecisionKind.RENEW:
            changes = {"End date": [shown(agreement.ends_on), shown(decision.new_ends_on)]}
            agreement.ends_on = decision.new_ends_on
            agreement.renewed_on = decision.decided_on
            agreement.notice_given_on = None
            apply_window(agreement, window)
            record(
                agreement,
                AgreementEventKind.RENEWED,
                actor,
                reason=decision.reason,
                changes=changes,
            )
        else:
            agreement.ended_on = decision.decided_on
            record(agreement, AgreementEventKind.ENDED, actor, reason=decision.reason)
        planning.replan_agreement(agreement, today or localtime.today())
    return agreement


def notice_agreement_error(details, user: User | None) -> str | None:
    """Why a notice with ``details`` (notices.services.NoticeDetails) cannot be recorded
    against the agreement it names, or None."""
    if details.agreement_id is None or user is None:
        return None
    if not details.kind.is_funding:
        return "Only notice of ending or reducing funding closes a window"
    agreement = get_agreement(details.agreement_id, user)
    if agreement is None or agreement.funder_id != details.funder_id:
        return "Select one of the funder's agreements"
    if agreement.notice_given_on is not None or agreement.ended_on is not None:
        return "Notice has already been recorded against this agreement, or it has ended"
    return None


def close_with_notice(notice: Notice, actor: User | None) -> None:
    """Close the window of the notice's agreement with the notice, in the caller's
    transaction (which commits and re-plans the reminders)."""
    agreement = notice.agreement
    agreement.notice_given_on = notice.notice_given_on
    close_window(agreement, notice.notice_given_on)
    verdict = "kept" if notice.compliant else "did not keep"
    record(
        agreement,
        AgreementEventKind.NOTICE,
        actor,
        reason=(
            f"{notice.kind.label} notice given on {format_date(notice.notice_given_on)}, "
            f"taking effect on {format_date(notice.effective_on)}: it {verdict} the Compact."
        ),
    )


def reopen_after_withdrawal(notice: Notice, actor: User | None, today: date) -> None:
    """The notice closed its agreement's window and has been withdrawn: the window is open
    again (missed, if its last day has passed) and its reminders are planned again, in the
    caller's transaction. Nothing changes if the agreement has ended or was renewed since."""
    agreement = notice.agreement
    if (
        agreement is None
        or agreement.ended_on is not None
        or agreement.notice_given_on is None
        or agreement.notice_given_on != notice.notice_given_on
    ):
        return
    withdrawn_on = shown(agreement.notice_given_on)
    agreement.notice_given_on = None
    apply_window(
        agreement, window_for(db.session.get(Compact, agreement.compact_id), agreement.ends_on)
    )
    record(
        agreement,
        AgreementEventKind.EDITED,
        actor,
        reason=f"The notice given on {withdrawn_on} was withdrawn: {notice.withdrawn_reason}",
        changes={"Notice given on": [withdrawn_on, None]},
    )
    planning.replan_agreement(agreement, today)
