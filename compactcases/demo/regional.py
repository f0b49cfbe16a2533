"""The demo's regional dispute, opened by the region's mediator as a person would, its
timeline dated in the past like the rest of the standard set."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa

from ..cases import regional
from ..cases import services as cases
from ..extensions import db
from ..models import Case, CaseEvent, CaseLevel, Side
from .data.people import MEDIATOR_EMAIL
from .data.regional import REGIONAL_DISPUTE
from .data.timing import ANCHOR
from .reference import Reference
from .timelines import working_day


def add_regional_dispute(ref: Reference) -> int:
    """Open the regional dispute, once; returns how many cases were added (0 or 1)."""
    plan = REGIONAL_DISPUTE
    if db.session.scalar(sa.select(Case.id).where(Case.title == plan["title"])):
        return 0
    orgs, compacts = ref.organisations, ref.compacts
    lead, *others = (orgs[name].id for name in plan["third_sector"])
    raised = working_day(ANCHOR - timedelta(days=plan["days_ago"]))
    affected = tuple(compacts[code].id for code in plan["compacts"])
    details = cases.CaseDetails(
        compact_id=affected[0],
        title=plan["title"],
        summary=plan["summary"],
        funder_id=orgs[plan["funder"]].id,
        third_sector_id=lead,
        raised_by=Side.THIRD_SECTOR,
        areas=plan["areas"],
        amount_at_stake=plan["amount_at_stake"],
        raised_on=raised,
        other_parties=tuple((i, Side.THIRD_SECTOR) for i in others),
        affected_compact_ids=affected,
        level=CaseLevel.REGIONAL,
    )
    mediator = ref.users[MEDIATOR_EMAIL]
    case = regional.open_regional_case(details, mediator, today=raised)
    cases.add_note(case, plan["note"], meeting=True, private=False, actor=mediator)
    # Opened, put into mediation and met about on the day it was raised.
    # The opening entries (the case, its acknowledgement, its step into mediation) five minutes
    # apart from 09:15, and the meeting's note at 15:30.
    entries = db.session.scalars(
        sa.select(CaseEvent.id).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
    ).all()
    opened = datetime.combine(raised, time(9, 15), UTC)
    times = [opened + timedelta(minutes=5 * i) for i in range(len(entries) - 1)]
    times.append(datetime.combine(raised, time(15, 30), UTC))
    db.session.execute(
        sa.update(CaseEvent),
        [{"id": i, "occurred_at": t} for i, t in zip(entries, times, strict=True)],
    )
    db.session.commit()
    return 1
