"""What a client looks up to fill in other requests: the Compacts a user may see, with the
rules in force in each, and the organisations, by kind and by the Compact they work in."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from workflows.periods import Period

from . import policy, rule_sets
from .extensions import db
from .models import Compact, Organisation, OrganisationKind, User


@dataclass(frozen=True)
class RuleInForce:
    name: str
    label: str
    period: Period
    source: str  # "own", the upper-tier Compact's name, or "national default"


@dataclass(frozen=True)
class CompactEntry:
    compact: Compact
    rules: list[RuleInForce]


def compacts(user: User) -> list[CompactEntry]:
    """The Compacts ``user`` may look up, by code, each with its rules in force (districts
    inheriting their county's): two queries whatever their number."""
    found = list(
        db.session.scalars(
            policy.scope_lookup_compacts(sa.select(Compact), user)
            .options(joinedload(Compact.parent), joinedload(Compact.region))
            .order_by(Compact.code)
        )
    )
    chains = rule_sets.rule_chains(found)
    return [
        CompactEntry(
            compact,
            [
                RuleInForce(name, rule_sets.RULE_LABELS[name], period, source)
                for name, period, source in rule_sets.rules_in_force(chains[compact.id])
            ],
        )
        for compact in found
    ]


def find_compact(user: User, code: str) -> Compact | None:
    """The Compact with ``code``, if ``user`` may look it up."""
    query = sa.select(Compact).where(Compact.code == code.strip().upper())
    return db.session.scalar(policy.scope_lookup_compacts(query, user))


@dataclass(frozen=True)
class OrganisationPage:
    items: list[Organisation]
    total: int


def organisations(
    user: User,
    kind: OrganisationKind | None,
    compact: Compact | None,
    page: int,
    per_page: int,
) -> OrganisationPage:
    """The organisations ``user`` may look up, by name, one page at a time. With a Compact,
    those that work in it: its own, its upper-tier Compact's (a county council funds in its
    districts), and the region's bodies that belong to no Compact."""
    query = policy.scope_lookup_organisations(sa.select(Organisation), user)
    if kind is not None:
        query = query.where(Organisation.kind == kind)
    if compact is not None:
        own = [compact.id] + ([compact.parent_id] if compact.parent_id else [])
        query = query.where(
            sa.or_(
                Organisation.compact_id.in_(own),
                sa.and_(
                    Organisation.compact_id.is_(None),
                    Organisation.region_id == compact.region_id,
                ),
            )
        )
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    items = db.session.scalars(
        query.options(joinedload(Organisation.compact), joinedload(Organisation.region))
        .order_by(Organisation.name, Organisation.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return OrganisationPage(list(items), total or 0)
