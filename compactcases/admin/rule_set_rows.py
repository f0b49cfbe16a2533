"""A Compact's rule set: its own periods, what it inherits, and saving changes."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from workflows.agreements import DEFAULT_LADDER, describe_ladder, parse_ladder
from workflows.periods import Period

from .. import rule_sets
from ..agreements import services as agreements
from ..extensions import db
from ..models import Compact, CompactRule
from ..notices import services as notices
from ..reminders import planning


@dataclass(frozen=True)
class RuleRow:
    """One rule as the rule-set page shows it: the Compact's own value and what it inherits."""

    name: str
    label: str
    own: Period | None
    inherited: Period | None
    inherited_from: str


def get_compact(code: str) -> Compact | None:
    return db.session.scalar(
        sa.select(Compact)
        .where(Compact.code == code.upper())
        .options(joinedload(Compact.parent), joinedload(Compact.region))
    )


def rule_rows(compact: Compact) -> list[RuleRow]:
    chain = rule_sets.rule_chain(compact)
    own = chain.levels[0][1]
    rows = []
    for name, label in rule_sets.RULE_LABELS.items():
        inherited, source = chain.inherited(name)
        rows.append(RuleRow(name, label, own.get(name), inherited, source))
    return rows


# Passed for the ladder when a caller does not change it.
KEEP = object()


def inherited_ladder(compact: Compact) -> str:
    """What the Compact's agreement reminders would be without its own, and where from."""
    parent = compact.parent
    if parent is not None and parent.agreement_reminders:
        days = parse_ladder(parent.agreement_reminders)
        return f"{describe_ladder(days)} ({parent.name})"
    return f"{describe_ladder(DEFAULT_LADDER)} (national default)"


def save_rules(
    compact: Compact, wanted: dict[str, Period | None], ladder: str | object | None = KEEP
) -> list[str]:
    """Make the Compact's own rules `wanted` (None: inherit); returns the names that changed.

    The stored verdicts of notices under this Compact, and under the districts that inherit
    from it, are recomputed in the same transaction. Open case deadlines keep the period they
    were opened with; the reminders of every open deadline there are re-planned by the next
    sweep, in batches. The notice windows of funding agreements there move with the rules.
    """
    existing = {
        row.name: row
        for row in db.session.scalars(
            sa.select(CompactRule).where(CompactRule.compact_id == compact.id)
        )
    }
    changed = []
    for name, period in wanted.items():
        row = existing.get(name)
        if period is None:
            if row is not None:
                db.session.delete(row)
                changed.append(name)
        elif row is None:
            db.session.add(
                CompactRule(compact_id=compact.id, name=name, count=period.count, unit=period.unit)
            )
            changed.append(name)
        elif row.period != period:
            row.count, row.unit = period.count, period.unit
            changed.append(name)
    if ladder is not KEEP and ladder != compact.agreement_reminders:
        compact.agreement_reminders = ladder
        changed.append("agreement_reminders")
    if changed:
        db.session.flush()
        districts = db.session.scalars(
            sa.select(Compact.id).where(Compact.parent_id == compact.id)
        ).all()
        notices.recompute_verdicts([compact.id, *districts])
        # Funding agreements' notice windows move with the notice period.
        agreements.window_moved([compact.id, *districts])
        planning.plan_again_for_compacts([compact.id, *districts])
    db.session.commit()
    return changed
