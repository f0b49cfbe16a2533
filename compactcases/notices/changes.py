"""Changing a recorded notice: editing its answers (the verdict is recomputed) and withdrawing
it with a reason, each written on the notice's own history in one unit of work.

A change names the version it was made from; a change that lost a race to another person's is
refused as `StaleNotice` (409), never merged. A withdrawn notice stays on record, shown as
withdrawn, out of the compliance figures, and can no longer be edited.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from workflows.periods import format_date

from .. import history, localtime
from ..agreements import decisions as agreement_decisions
from ..extensions import db
from ..models import Notice, NoticeEvent, NoticeEventKind, Organisation, User, utcnow
from ..reminders import planning
from .services import NoticeDetails, NoticeRefused, apply_details


class StaleNotice(Exception):
    """Someone else changed the notice after this change began; nothing was written."""

    def __init__(self, notice: Notice) -> None:
        super().__init__(f"notice {notice.id} was changed by someone else")
        self.notice = notice

    @property
    def message(self) -> str:
        return (
            f"Someone else changed this notice just now (it is at version "
            f"{self.notice.version}). Nothing of your change was saved; check the notice as it "
            "is now and try again if it is still needed."
        )


WITHDRAWN_MESSAGE = "This notice was withdrawn, so it can no longer be changed"


def details_of(notice: Notice) -> NoticeDetails:
    """A recorded notice's answers, as an edit starts from them."""
    return NoticeDetails(
        kind=notice.kind,
        compact_id=notice.compact_id,
        funder_id=notice.funder_id,
        recipient_id=notice.recipient_id,
        title=notice.title,
        notice_given_on=notice.notice_given_on,
        effective_on=notice.effective_on,
        written=notice.written,
        reasons_given=notice.reasons_given,
        amount_before=notice.amount_before,
        amount_after=notice.amount_after,
        opens_on=notice.opens_on,
        closes_on=notice.closes_on,
    )


def _shown(notice: Notice) -> dict[str, str]:
    """The notice's answers as a person reads them, by label: what its history compares."""

    def day(value: date | None) -> str:
        return format_date(value) if value else "Not given"

    def pounds(value: int | None) -> str:
        return f"£{value:,}" if value is not None else "Not given"

    def named(organisation_id: int | None) -> str:
        found = db.session.get(Organisation, organisation_id) if organisation_id else None
        return found.name if found else "Not given"

    shown = {
        "What the notice is about": notice.kind.label,
        "Local Compact": notice.compact.name,
        "Title": notice.title,
        "Statutory funder": named(notice.funder_id),
        "Organisation affected": named(notice.recipient_id),
    }
    if notice.kind.is_funding:
        shown |= {
            "Notice given": day(notice.notice_given_on),
            "Change takes effect": day(notice.effective_on),
            "In writing": "Yes" if notice.written else "No",
            "Reasons given": "Yes" if notice.reasons_given else "No",
            "Funding before": pounds(notice.amount_before),
            "Funding after": pounds(notice.amount_after),
        }
    else:
        shown |= {"Opens": day(notice.opens_on), "Closes": day(notice.closes_on)}
    return shown


@contextmanager
def _changing(notice: Notice, expected_version: int) -> Iterator[Notice]:
    """One unit of work on `notice`, made from `expected_version`: commits at the end, and
    turns a change that lost a race (here or at the database) into `StaleNotice`."""
    if notice.withdrawn:
        raise NoticeRefused(WITHDRAWN_MESSAGE)
    if notice.version != expected_version:
        raise StaleNotice(notice)
    notice_id = notice.id
    try:
        yield notice
        db.session.commit()
    except BaseException as error:
        db.session.rollback()
        if history.lost_race(error):
            fresh = db.session.get(Notice, notice_id, populate_existing=True)
            raise StaleNotice(fresh) from None
        raise


def update_notice(
    notice: Notice,
    details: NoticeDetails,
    expected_version: int,
    actor: User | None,
    *,
    today: date | None = None,
) -> NoticeEvent | None:
    """Change the notice's answers to `details` and recompute its verdict; the history entry
    says what changed. None (and nothing written) when nothing did."""
    with _changing(notice, expected_version), db.session.no_autoflush:
        # One UPDATE of the notice, so one change moves its version by one.
        before = _shown(notice)
        apply_details(notice, details)
        after = _shown(notice)
        changes = {
            label: [before.get(label, "Not given"), value]
            for label, value in after.items()
            if before.get(label, "Not given") != value
        }
        if not changes:
            db.session.rollback()
            return None
        entry = NoticeEvent(notice=notice, kind=NoticeEventKind.EDIT, changes=changes, actor=actor)
        db.session.add(entry)
        planning.replan_notice(notice, today or localtime.today())
    return entry


def withdraw_notice(
    notice: Notice, reason: str, expected_version: int, actor: User | None
) -> NoticeEvent:
    """Withdraw the notice, with the reason on its history; it leaves the compliance figures."""
    reason = reason.strip()
    if not reason:
        raise NoticeRefused("Enter why the notice is being withdrawn")
    with _changing(notice, expected_version):
        notice.withdrawn_at = utcnow()
        notice.withdrawn_reason = reason
        entry = NoticeEvent(
            notice=notice, kind=NoticeEventKind.WITHDRAWN, reason=reason, actor=actor
        )
        db.session.add(entry)
        # A withdrawn notice no longer gives notice: its agreement's window is open again.
        agreement_decisions.reopen_after_withdrawal(notice, actor, localtime.today())
    return entry
