"""A Compact's rule set: the periods it sets itself, what it inherits, and where from.

A district Compact inherits from its upper-tier Compact, which inherits the national defaults;
workflows.rule_sets.resolve_rule walks that chain. Here the chain is loaded from the database
in one query.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import sqlalchemy as sa

from workflows.agreements import DEFAULT_LADDER, parse_ladder
from workflows.periods import Period, PeriodError
from workflows.rule_sets import NATIONAL_DEFAULTS, OPTIONAL_RULES, RuleSet
from workflows.rule_sets import resolve_rule as _resolve

from .extensions import db
from .models import Compact, CompactRule

# Every rule a rule set may hold, in the order pages list them, with what it is about.
RULE_LABELS: Mapping[str, str] = {
    "funding_notice": "Notice before reducing or ending funding",
    "consultation": "Written public consultation",
    "acknowledge": "Acknowledge a dispute",
    "local_conciliation": "Conclude local conciliation",
    "regional_mediation": "Conclude regional mediation",
    "invoice_payment": "Pay invoices (optional rule)",
}
assert set(RULE_LABELS) == {*NATIONAL_DEFAULTS, *OPTIONAL_RULES}


@dataclass(frozen=True)
class RuleChain:
    """A Compact's own rules and its parent's, most local first, with their Compacts' names."""

    levels: tuple[tuple[str, RuleSet], ...]

    def period(self, name: str) -> Period:
        """The period of rule ``name`` for the first Compact in the chain (PeriodError if an
        optional rule is adopted nowhere)."""
        return _resolve(name, [rules for _, rules in self.levels])

    def inherited(self, name: str) -> tuple[Period | None, str]:
        """What rule ``name`` would be without the first Compact's own value, and where from."""
        for source, rules in self.levels[1:]:
            if name in rules:
                return rules[name], source
        if name in NATIONAL_DEFAULTS:
            return NATIONAL_DEFAULTS[name], "national default"
        return None, "not adopted"


def rule_chain(compact: Compact) -> RuleChain:
    """The chain for ``compact``: its own overrides, then its parent's (one query)."""
    return rule_chains([compact])[compact.id]


def rule_chains(compacts: Iterable[Compact]) -> dict[int, RuleChain]:
    """The chain of each of ``compacts``, by id, from one query for all of them."""
    compacts = list(compacts)
    levels_of = {c.id: [c] + ([c.parent] if c.parent_id else []) for c in compacts}
    ids = {level.id for levels in levels_of.values() for level in levels}
    rows = db.session.scalars(sa.select(CompactRule).where(CompactRule.compact_id.in_(ids))).all()
    own: dict[int, dict[str, Period]] = {i: {} for i in ids}
    for row in rows:
        own[row.compact_id][row.name] = row.period
    return {
        compact_id: RuleChain(tuple((level.name, RuleSet(own[level.id])) for level in levels))
        for compact_id, levels in levels_of.items()
    }


def rules_in_force(chain: RuleChain) -> list[tuple[str, Period, str]]:
    """Each rule the chain's Compact keeps, in the pages' order: its name, period, and where
    it comes from ("own", an upper-tier Compact's name, or "national default")."""
    found = []
    for name in RULE_LABELS:
        if name in chain.levels[0][1]:
            found.append((name, chain.levels[0][1][name], "own"))
            continue
        period, source = chain.inherited(name)
        if period is not None:
            found.append((name, period, source))
    return found


def period_for(compact: Compact, name: str) -> Period:
    """The period of rule ``name`` under ``compact``'s rules."""
    return rule_chain(compact).period(name)


def agreement_ladder(compact: Compact) -> tuple[int, ...]:
    """The days before a funding agreement's latest notice date on which reminders go out
    under ``compact``'s rules: its own ladder, else its parent's, else the default."""
    for level in (compact, compact.parent if compact.parent_id else None):
        if level is not None and level.agreement_reminders:
            return parse_ladder(level.agreement_reminders)
    return DEFAULT_LADDER


__all__ = [
    "RULE_LABELS",
    "PeriodError",
    "RuleChain",
    "agreement_ladder",
    "period_for",
    "rule_chain",
    "rule_chains",
    "rules_in_force",
]
