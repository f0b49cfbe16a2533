"""Who is reminded of which deadline: the one rule, as a SQL query of (deadline, person) pairs.

Planning asks it for the batch of deadlines it plans; a calendar feed asks it for one person.
The rule: on a case, its officer (its Compact's officers while no officer holds it), and once
the case is escalated its mediator (every mediator of the case's region until one takes it); on
a notice, the funder's users; on a funding agreement's window, the funder's users and the
Compact officers of its Compact (and of the upper-tier Compact above a district); on a
Compact's annual self-assessment, that Compact's officers.
Only active accounts are reminded.
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa

from ..extensions import db
from ..models import (
    Case,
    CaseCompact,
    Compact,
    Deadline,
    FundingAgreement,
    Notice,
    Role,
    SelfAssessment,
    User,
)


def reminder_recipients(
    deadlines: sa.ColumnElement[bool], people: sa.ColumnElement[bool] | None = None
) -> sa.CompoundSelect:
    """(deadline_id, user_id) for each deadline matching `deadlines` and each active person
    (matching `people`, when given) reminded of it, each pair once."""
    people = sa.and_(User.active, sa.true() if people is None else people)

    def pairs(*joins: tuple) -> sa.Select:
        query = sa.select(Deadline.id.label("deadline_id"), User.id.label("user_id"))
        for target, on in joins:
            query = query.join(target, on)
        return query.where(deadlines, people)

    case_officer = pairs((Case, Deadline.case_id == Case.id), (User, User.id == Case.officer_id))
    case_mediator = pairs((Case, Deadline.case_id == Case.id), (User, User.id == Case.mediator_id))
    # Until one mediator takes an escalated case, every mediator of its region is told.
    region_mediators = pairs(
        (Case, Deadline.case_id == Case.id),
        (Compact, Case.compact_id == Compact.id),
        (User, sa.and_(User.region_id == Compact.region_id, User.role == Role.MEDIATOR)),
    ).where(Case.mediator_id.is_(None), Case.escalated_on.is_not(None))
    # A local case no officer holds yet (a concern raised online) is its Compact's officers'
    # (and its upper tier's) until one of them acknowledges it and so takes it.
    compact_officers = pairs(
        (Case, Deadline.case_id == Case.id),
        (Compact, Case.compact_id == Compact.id),
        (
            User,
            sa.and_(
                User.role == Role.OFFICER,
                sa.or_(User.compact_id == Compact.id, User.compact_id == Compact.parent_id),
            ),
        ),
    ).where(
        Case.officer_id.is_(None),
        Case.id.not_in(sa.select(CaseCompact.case_id)),
    )
    funder_users = pairs(
        (Notice, Deadline.notice_id == Notice.id),
        (User, sa.and_(User.organisation_id == Notice.funder_id, User.role == Role.FUNDER)),
    )
    agreement_funder = pairs(
        (FundingAgreement, Deadline.agreement_id == FundingAgreement.id),
        (
            User,
            sa.and_(User.organisation_id == FundingAgreement.funder_id, User.role == Role.FUNDER),
        ),
    )
    agreement_officers = pairs(
        (FundingAgreement, Deadline.agreement_id == FundingAgreement.id),
        (Compact, FundingAgreement.compact_id == Compact.id),
        (
            User,
            sa.and_(
                User.role == Role.OFFICER,
                sa.or_(User.compact_id == Compact.id, User.compact_id == Compact.parent_id),
            ),
        ),
    )
    # A return is the officers' of its own Compact alone.
    return_officers = pairs(
        (SelfAssessment, Deadline.self_assessment_id == SelfAssessment.id),
        (User, sa.and_(User.role == Role.OFFICER, User.compact_id == SelfAssessment.compact_id)),
    )
    # UNION, not UNION ALL: an officer who is also the mediator is reminded once.
    return sa.union(
        case_officer,
        case_mediator,
        region_mediators,
        compact_officers,
        funder_users,
        agreement_funder,
        agreement_officers,
        return_officers,
    )


def compact_officers(compact_ids: list[int]) -> list[User]:
    """The active officers who read the cases of the Compacts `compact_ids`: each Compact's
    own and those of its upper tier (as `scopes.scope_cases` lets an upper tier see its
    districts), each once, by id."""
    upper_tiers = sa.select(Compact.parent_id).where(
        Compact.id.in_(compact_ids), Compact.parent_id.is_not(None)
    )
    return list(
        db.session.scalars(
            sa.select(User)
            .where(
                User.role == Role.OFFICER,
                User.active,
                sa.or_(User.compact_id.in_(compact_ids), User.compact_id.in_(upper_tiers)),
            )
            .order_by(User.id)
        )
    )


def recipients_by_deadline(deadlines: sa.ColumnElement[bool]) -> dict[int, list[int]]:
    """The ids of the people reminded of each deadline matching `deadlines`, ascending;
    deadlines nobody is reminded of are left out."""
    found: dict[int, list[int]] = defaultdict(list)
    pairs = reminder_recipients(deadlines).order_by("deadline_id", "user_id")
    for deadline_id, user_id in db.session.execute(pairs):
        found[deadline_id].append(user_id)
    return dict(found)
