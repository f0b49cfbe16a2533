"""Demo data for the West Midlands region: Compacts, organisations, users and dispute cases.

`seed()` is called inside an application context. It adds whatever reference data is missing
(looked up by code, name or email, so running it again adds nothing), including a few Compact
rule overrides, and then either the standard demo set of about 60 cases with their deadlines,
a dozen funders' notices, ten funding agreements, one case's papers (`papers`), a concern a
voluntary organisation raised online with both parties' responses (`concerns`), the
business case's proxies and this year's self-assessment returns, once (with a webhook
endpoint for a funder and a report e-mail subscription), or a given number of generated
cases in bulk for benchmarks (generated cases have no deadlines: they exist to measure lists
and reports).
Dates are fixed relative to `ANCHOR` and all randomness comes from seeded generators, so the
standard set is the same on every run.

The data lives in `data/`; the standard set is planned in `plans` and built by the case and
notice services in `standard`; the bulk generator is `bulk`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa

from ..extensions import db
from ..models import Case, Compact, Organisation, Region, User
from .accounts import demo_accounts, demo_password, set_demo_passwords
from .agreements import add_agreements
from .bulk import generate_cases
from .concerns import add_online_concern
from .data.people import DEMO_ACCOUNTS, MEDIATOR_EMAIL, USERS
from .data.places import REGION_CODE, REGION_NAME, RULE_OVERRIDES
from .data.timing import ANCHOR, RANDOM_SEED
from .integrations import add_report_subscription, add_webhook_endpoint
from .meetings import add_meetings
from .papers import add_papers
from .reference import ensure_reference_data
from .regional import add_regional_dispute
from .self_assessments import add_self_assessments
from .standard import add_notices, add_standard_set

__all__ = [
    "ANCHOR",
    "BATCH_SIZE",
    "DEMO_ACCOUNTS",
    "MEDIATOR_EMAIL",
    "RANDOM_SEED",
    "REGION_CODE",
    "REGION_NAME",
    "RULE_OVERRIDES",
    "USERS",
    "SeedReport",
    "demo_accounts",
    "demo_password",
    "seed",
    "set_demo_passwords",
]

# Generated cases inserted per transaction; read by `seed` at each call, so it can be changed.
BATCH_SIZE = 5_000


@dataclass(frozen=True)
class SeedReport:
    """What the database holds after seeding, and how many cases this run added.

    `regions`, `compacts`, `organisations` and `users` are totals for the demo region (users:
    all users); `cases_added` counts only the cases this call inserted.
    """

    regions: int
    compacts: int
    organisations: int
    users: int
    cases_added: int


def seed(
    cases: int | None = None, *, progress: Callable[[int, int], None] | None = None
) -> SeedReport:
    """Load the demo data; safe to run again.

    With `cases=None` the standard set of 60 cases is added if the region has no cases yet.
    With `cases=N`, N generated cases are added on every call (for benchmarks), in batches,
    calling `progress(done, total)` after each one.
    """
    ref = ensure_reference_data()
    added = 0
    if cases is None:
        has_cases = db.session.scalar(
            sa.select(
                sa.exists()
                .where(Case.compact_id == Compact.id)
                .where(Compact.region_id == ref.region.id)
            )
        )
        # Before the cases, so the endpoint's delivery log shows the events they make.
        add_webhook_endpoint(ref)
        if not has_cases:
            added = add_standard_set(ref) + add_regional_dispute(ref) + add_online_concern(ref)
        add_notices(ref)
        add_agreements(ref)
        add_self_assessments(ref)
        add_report_subscription(ref)
        add_meetings(ref)
        add_papers(ref)
        db.session.commit()
    else:
        db.session.commit()
        if cases > 0:
            added = generate_cases(ref, cases, BATCH_SIZE, progress)
    return _report(ref.region, added)


def _report(region: Region, added: int) -> SeedReport:
    def count(statement: sa.Select) -> int:
        return db.session.scalar(statement) or 0

    return SeedReport(
        regions=count(sa.select(sa.func.count()).select_from(Region)),
        compacts=count(
            sa.select(sa.func.count()).select_from(Compact).where(Compact.region_id == region.id)
        ),
        organisations=count(
            sa.select(sa.func.count())
            .select_from(Organisation)
            .where(Organisation.region_id == region.id)
        ),
        users=count(sa.select(sa.func.count()).select_from(User)),
        cases_added=added,
    )
