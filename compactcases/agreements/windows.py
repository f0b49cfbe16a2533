"""Lists of funding agreements and their notice windows: a user's agreements closing soonest
first, the windows closing in the next weeks and those missed, and the missed windows counted
by funder. Filtered, sorted and counted in SQL; scoped with `policy.scope_agreements`.

The SQL conditions here say what `workflows.agreements.window_status` says for one agreement;
tests hold the two together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import selectinload

from .. import policy
from ..extensions import db
from ..models import Compact, FundingAgreement, Organisation, User

# How far ahead the Compact officer's and the regional view look.
CLOSING_WEEKS = 8

AGREEMENT = FundingAgreement


def missed(today: date) -> sa.ColumnElement[bool]:
    """Windows missed as of ``today``: the latest notice date has passed and neither a notice
    nor the agreement's end closed the window by then."""
    return sa.and_(
        AGREEMENT.latest_notice_on < today,
        sa.or_(
            AGREEMENT.notice_given_on.is_(None),
            AGREEMENT.notice_given_on > AGREEMENT.latest_notice_on,
        ),
        sa.or_(AGREEMENT.ended_on.is_(None), AGREEMENT.ended_on > AGREEMENT.latest_notice_on),
    )


def still_open(today: date) -> sa.ColumnElement[bool]:
    """Windows open (or renewed) as of ``today``: nothing closed them and the last day has not
    passed."""
    return sa.and_(
        AGREEMENT.latest_notice_on >= today,
        AGREEMENT.notice_given_on.is_(None),
        AGREEMENT.ended_on.is_(None),
    )


def _loaded(query: sa.Select) -> sa.Select:
    return query.options(
        selectinload(AGREEMENT.funder),
        selectinload(AGREEMENT.organisation),
        selectinload(AGREEMENT.compact),
    )


@dataclass(frozen=True)
class AgreementFilters:
    compact: str | None = None
    funder_id: int | None = None


def search_agreements(
    filters: AgreementFilters, user: User, page: int, per_page: int
) -> Pagination:
    """One page of the agreements ``user`` may see, windows closing soonest first."""
    query = policy.scope_agreements(sa.select(AGREEMENT), user)
    if filters.compact:
        query = query.join(Compact, AGREEMENT.compact_id == Compact.id).where(
            Compact.code == filters.compact
        )
    if filters.funder_id:
        query = query.where(AGREEMENT.funder_id == filters.funder_id)
    query = _loaded(query.order_by(AGREEMENT.latest_notice_on, AGREEMENT.id))
    return db.paginate(query, page=page, per_page=per_page, error_out=False, max_per_page=100)


@dataclass(frozen=True)
class Windows:
    """What the Compact officer's and the regional view show."""

    closing: list[FundingAgreement]
    missed: list[FundingAgreement]
    until: date


def windows(user: User, today: date, limit: int = 200) -> Windows:
    """The windows ``user`` may see that close in the next `CLOSING_WEEKS` weeks, soonest
    first, and the windows missed, most recent first (each up to ``limit``)."""
    until = today + timedelta(weeks=CLOSING_WEEKS)
    closing = policy.scope_agreements(sa.select(AGREEMENT), user).where(
        still_open(today), AGREEMENT.latest_notice_on <= until
    )
    gone = policy.scope_agreements(sa.select(AGREEMENT), user).where(missed(today))
    return Windows(
        closing=list(
            db.session.scalars(
                _loaded(closing.order_by(AGREEMENT.latest_notice_on, AGREEMENT.id).limit(limit))
            )
        ),
        missed=list(
            db.session.scalars(
                _loaded(gone.order_by(AGREEMENT.latest_notice_on.desc(), AGREEMENT.id).limit(limit))
            )
        ),
        until=until,
    )


def window_counts(user: User, today: date) -> tuple[int, int]:
    """How many of the windows ``user`` may see close in the next `CLOSING_WEEKS` weeks, and
    how many were missed: the counts of what `windows` lists, in one statement."""
    until = today + timedelta(weeks=CLOSING_WEEKS)
    closing = sa.and_(still_open(today), AGREEMENT.latest_notice_on <= until)
    query = policy.scope_agreements(
        sa.select(
            sa.func.count(AGREEMENT.id).filter(closing),
            sa.func.count(AGREEMENT.id).filter(missed(today)),
        ),
        user,
    )
    closing_count, missed_count = db.session.execute(query).one()
    return int(closing_count), int(missed_count)


def missed_by_funder(
    user: User, today: date, start: date, end: date, compact_ids: sa.Select | None = None
) -> dict[str, int]:
    """Windows missed as of ``today`` whose last day fell from ``start`` to ``end``, counted
    by funder name, among the agreements of the Compacts ``user``'s reports cover."""
    funder = sa.orm.aliased(Organisation)
    query = (
        sa.select(funder.name, sa.func.count(AGREEMENT.id))
        .select_from(AGREEMENT)
        .join(funder, funder.id == AGREEMENT.funder_id)
        .where(missed(today), AGREEMENT.latest_notice_on.between(start, end))
        .group_by(funder.id, funder.name)
    )
    covered = policy.report_compact_ids(user)
    if covered is not None:
        query = query.where(AGREEMENT.compact_id.in_(covered))
    if compact_ids is not None:
        query = query.where(AGREEMENT.compact_id.in_(compact_ids))
    return {name: int(count) for name, count in db.session.execute(query)}


def open_for_notice(user: User, limit: int = 500) -> list[FundingAgreement]:
    """The agreements ``user`` may see whose window no notice or end has closed: those a
    notice may be recorded against, soonest window first."""
    query = policy.scope_agreements(sa.select(AGREEMENT), user).where(
        AGREEMENT.notice_given_on.is_(None), AGREEMENT.ended_on.is_(None)
    )
    return list(
        db.session.scalars(query.order_by(AGREEMENT.latest_notice_on, AGREEMENT.id).limit(limit))
    )
