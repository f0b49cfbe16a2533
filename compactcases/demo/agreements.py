"""The demo's funding agreements, recorded as their funders recorded them: through the
agreement services, a renewal as a decision and notice of ending through the notice service,
each on the day it happened."""

from __future__ import annotations

import random

import sqlalchemy as sa

from ..agreements import decisions, services
from ..extensions import db
from ..models import AgreementEvent, Deadline, FundingAgreement, Notice, NoticeKind
from ..notices import services as notices
from .data.agreements import DEMO_AGREEMENTS, DemoAgreement
from .reference import Reference
from .standard import plan_reminders_from_today
from .timelines import at

ADMIN_EMAIL = "admin@example.org"


def add_agreements(ref: Reference) -> int:
    """Record the demo agreements once per database; returns how many were added. Their
    reminders are planned as for data loaded today: the next sweep sends the latest that fell
    due (the missed window's alert) and plans those to come."""
    if db.session.scalar(sa.select(sa.func.count()).select_from(FundingAgreement)):
        return 0
    for item in DEMO_AGREEMENTS:
        funder = ref.organisations[item.funder]
        by = next(
            (u for u in ref.users.values() if u.organisation_id == funder.id),
            ref.users[ADMIN_EMAIL],
        )
        _add(ref, item, by)
    plan_reminders_from_today(Deadline.agreement_id.is_not(None))
    return len(DEMO_AGREEMENTS)


def _add(ref: Reference, item: DemoAgreement, by) -> None:
    rng = random.Random(item.reference)
    details = services.AgreementDetails(
        funder_id=ref.organisations[item.funder].id,
        organisation_id=ref.organisations[item.organisation].id,
        compact_id=ref.compacts[item.compact].id,
        title=item.title,
        funder_reference=item.reference,
        annual_value=item.annual_value,
        starts_on=item.starts_on,
        ends_on=item.ends_on,
    )
    agreement = services.create_agreement(details, by, today=item.starts_on)
    _dated(agreement.id, at(item.starts_on, rng))
    if item.renewed:
        decided_on, new_end = item.renewed
        decisions.record_decision(
            agreement,
            decisions.Decision(
                decisions.DecisionKind.RENEW, decided_on, new_end, "Renewed for two more years"
            ),
            agreement.version,
            by,
            today=decided_on,
        )
        _dated(agreement.id, at(decided_on, rng), after=at(item.starts_on, rng))
    if item.notice_on:
        notice = notices.create_notice(
            notices.NoticeDetails(
                kind=NoticeKind.FUNDING_END,
                compact_id=details.compact_id,
                funder_id=details.funder_id,
                recipient_id=details.organisation_id,
                title=f"{item.title} ends",
                notice_given_on=item.notice_on,
                effective_on=item.ends_on,
                agreement_id=agreement.id,
            ),
            by,
            today=item.notice_on,
        )
        moment = at(item.notice_on, rng)
        db.session.execute(
            sa.update(Notice.__table__)
            .where(Notice.__table__.c.id == notice.id)
            .values(created_at=moment)
        )
        _dated(agreement.id, moment, after=at(item.starts_on, rng))
    db.session.commit()


def _dated(agreement_id: int, moment, after=None) -> None:
    """Give what was just written about the agreement the moment it happened: its row when
    first recorded, and the history entries and windows written since ``after``."""
    events, deadlines = AgreementEvent.__table__, Deadline.__table__
    if after is None:
        db.session.execute(
            sa.update(FundingAgreement.__table__)
            .where(FundingAgreement.__table__.c.id == agreement_id)
            .values(created_at=moment, updated_at=moment)
        )
    newest_event = sa.select(sa.func.max(events.c.id)).where(events.c.agreement_id == agreement_id)
    db.session.execute(
        sa.update(events)
        .where(events.c.id == newest_event.scalar_subquery())
        .values(occurred_at=moment)
    )
    newest_window = sa.select(sa.func.max(deadlines.c.id)).where(
        deadlines.c.agreement_id == agreement_id
    )
    db.session.execute(
        sa.update(deadlines)
        .where(deadlines.c.id == newest_window.scalar_subquery())
        .values(created_at=moment)
    )
