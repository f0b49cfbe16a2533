"""The demo's concern raised online: Sparkbrook Youth Project's user raises it against
Birmingham City Council through the same service as the pages, the Birmingham officer
acknowledges it (and so takes it), the council answers on the case, and the organisation adds a
word for the officer only. Its timeline is dated in the days before `ANCHOR`, like the rest of
the standard set."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa

from ..cases import raising, responses
from ..extensions import db
from ..letters import services as letters
from ..models import Area, Case, CaseEvent
from .data.timing import ANCHOR
from .reference import Reference
from .timelines import working_day

OFFICER_EMAIL = "officer.bir@example.org"
ORGANISATION_EMAIL = "org.sparkbrook@example.org"
FUNDER_EMAIL = "funder.bcc@example.org"
TITLE = "Youth club grant halved with two weeks' notice"
WHAT_HAPPENED = (
    "On a call with the council's youth commissioning team we were told that our grant for "
    "the Tuesday and Thursday youth clubs would be halved from the start of next month. Nothing "
    "has come in writing, and we were not asked about the change or its effect on the 60 young "
    "people who come each week."
)
OUTCOME_WANTED = (
    "Three months' written notice of any reduction, as the Birmingham Compact sets out, and a "
    "meeting with the commissioning team to look at the effect on the clubs before any cut."
)
FUNDER_RESPONSE = (
    "The council accepts that the change should have been confirmed in writing. A letter "
    "setting out the reduction and its reasons will follow this week, and the commissioning "
    "team is glad to meet Sparkbrook Youth Project before the change takes effect."
)
OFFICERS_ONLY = (
    "For the officer: two of our youth workers' contracts end with the grant, and we have not "
    "told them yet. Please keep this between us for now."
)


def add_online_concern(ref: Reference) -> int:
    """Raise the concern and answer it, once; returns how many cases were added (0 or 1)."""
    if db.session.scalar(sa.select(Case.id).where(Case.title == TITLE)):
        return 0
    organisation_user = ref.users[ORGANISATION_EMAIL]
    funder_user = ref.users[FUNDER_EMAIL]
    officer = ref.users[OFFICER_EMAIL]
    # Raised a few days before ANCHOR, and not before Birmingham's latest case, so that its
    # reference follows theirs in the order they were raised.
    latest = db.session.scalar(
        sa.select(sa.func.max(Case.raised_on)).where(Case.compact_id == officer.compact_id)
    )
    raised_on = working_day(ANCHOR - timedelta(days=5))
    raised_on = max(raised_on, latest) if latest else raised_on
    acknowledged_on = working_day(raised_on + timedelta(days=1))
    case = raising.raise_concern(
        raising.Concern(
            funder_id=funder_user.organisation_id,
            what_happened=WHAT_HAPPENED,
            happened_on=raised_on - timedelta(days=6),
            areas=(Area.FUNDING, Area.CONSULTATION),
            outcome_wanted=OUTCOME_WANTED,
            title=TITLE,
            amount_at_stake=18000,
        ),
        organisation_user,
        today=raised_on,
    )
    letters.record_acknowledgement(case, acknowledged_on, officer, acknowledged_on)
    responses.add_response(case, funder_user, FUNDER_RESPONSE)
    responses.add_response(case, organisation_user, OFFICERS_ONLY, officers_only=True)
    # Raised mid-morning; acknowledged (and so taken) the next working day; answered after.
    entries = db.session.scalars(
        sa.select(CaseEvent.id).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
    ).all()
    times = [datetime.combine(raised_on, time(10, 40), UTC)]
    acknowledged = datetime.combine(acknowledged_on, time(9, 20), UTC)
    times += [acknowledged + timedelta(hours=2 * i) for i in range(len(entries) - 1)]
    db.session.execute(
        sa.update(CaseEvent),
        [{"id": i, "occurred_at": t} for i, t in zip(entries, times, strict=True)],
    )
    db.session.commit()
    return 1
