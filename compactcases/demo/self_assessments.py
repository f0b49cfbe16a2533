"""The demo's business-case proxies and this year's self-assessment returns, filed through the
services an administrator's and the officers' clicks call: the region sets the deadline, most
upper-tier Compacts submit in time, one submits late, one is still in draft (and reminded),
the rest have not started."""

from __future__ import annotations

import random
from datetime import timedelta

import sqlalchemy as sa

from workflows.business_case import ProxyKind
from workflows.self_assessment import (
    Answers,
    ChallengeTheme,
    Code,
    Structure,
    SupportTheme,
    financial_year_of,
)

from ..business_case import proxies
from ..extensions import db
from ..models import Deadline, SelfAssessment
from ..self_assessment import services
from .data.timing import ANCHOR
from .reference import Reference
from .standard import plan_reminders_from_today
from .timelines import at

ADMIN_EMAIL = "admin@example.org"
PROXIES = {
    ProxyKind.JOB: proxies.ProxyForm(
        low="22,000",
        high="31,000",
        central="",
        source=(
            "Demo figure: annual pay with employer's on-costs of a full-time voluntary-sector "
            "post, from the median to the upper quartile (NCVO UK Civil Society Almanac)"
        ),
    ),
    ProxyKind.SERVICE_USER: proxies.ProxyForm(
        low="150",
        high="1,200",
        central="400",
        source=(
            "Demo figure: a year's community support for one person, from a drop-in service "
            "to a key-worker service (PSSRU Unit Costs of Health and Social Care)"
        ),
    ),
}
YEAR = financial_year_of(ANCHOR)
DUE_ON = ANCHOR - timedelta(days=21)
SET_ON = DUE_ON - timedelta(days=60)
# Upper-tier Compacts: one files late, one is still in draft; these have not started.
LATE, DRAFT = "WLV", "COV"
NOT_STARTED = ("HEF", "TFW")
ACHIEVEMENTS = (
    "Refreshed the funding code with the council and both NHS bodies.",
    "Ran two Compact awareness sessions for commissioners.",
    "Settled a dispute about short notice of a grant cut in conciliation.",
    "Agreed a joint consultation calendar with the police and fire service.",
)
CHALLENGES = (
    "Funding reductions across the area make early notice hard to secure.",
    "Commissioners change often and few know the Compact.",
    "We cannot show the value of Compact work in figures the council accepts.",
)
SUPPORT = (
    "Help to resolve disputes with regional funders that reach beyond our area.",
    "A regional way to show outcomes and the business case for Compact.",
    "Training for new Compact champions.",
)


def add_self_assessments(ref: Reference) -> int:
    """Set the proxies and file this year's returns once per database; returns how many
    returns were filed or drafted."""
    admin = ref.users[ADMIN_EMAIL]
    for kind, typed in PROXIES.items():
        if proxies.proxy_row(kind) is None:
            proxies.set_proxy(kind, typed, admin)
    if db.session.scalar(sa.select(sa.func.count()).select_from(SelfAssessment)):
        return 0
    services.set_deadline(ref.region.id, YEAR, DUE_ON, None, admin, SET_ON)
    filed = 0
    for code, compact in sorted(ref.compacts.items()):
        officer = ref.officer(code) or admin
        if compact.parent_id is not None or code in NOT_STARTED:
            continue
        rng = random.Random(f"self-assessment-{code}")
        answers = _answers(rng)
        if code == DRAFT:
            partial = Answers(codes=dict(list(answers.codes.items())[:4]), achievements="Drafting")
            services.save_draft(compact, YEAR, partial, None, officer)
        else:
            early = timedelta(days=rng.randint(1, 40))
            day = DUE_ON + timedelta(days=6) if code == LATE else DUE_ON - early
            services.submit(compact, YEAR, answers, None, officer, day)
            _dated(compact.id, at(day, rng))
        filed += 1
    plan_reminders_from_today(Deadline.self_assessment_id.is_not(None))
    db.session.commit()
    return filed


def _answers(rng: random.Random) -> Answers:
    return Answers(
        codes={c: "yes" if rng.random() < 0.75 else "no" for c in Code},
        structures={s: "yes" if rng.random() < 0.7 else "no" for s in Structure},
        achievements=" ".join(rng.sample(ACHIEVEMENTS, 2)),
        challenges=" ".join(rng.sample(CHALLENGES, 2)),
        # The panel's own first challenge: showing outcomes and the business case.
        challenge_themes=frozenset(
            {ChallengeTheme.BUSINESS_CASE, *rng.sample(list(ChallengeTheme), rng.randint(0, 2))}
        ),
        support=" ".join(rng.sample(SUPPORT, 2)),
        support_themes=frozenset(rng.sample(list(SupportTheme), rng.randint(1, 3))),
    )


def _dated(compact_id: int, moment) -> None:
    """The return's submission, on the day it happened."""
    db.session.execute(
        sa.update(SelfAssessment.__table__)
        .where(
            SelfAssessment.__table__.c.compact_id == compact_id,
            SelfAssessment.__table__.c.year == YEAR,
        )
        .values(submitted_at=moment, updated_at=moment)
    )
    db.session.commit()
