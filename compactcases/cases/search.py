"""Finding cases: the filtered, scoped case list a page or the API shows one page of, and the
stream a download writes out, both from the database's text index (`models/search.py`) when
there are words to search for. Which database answers is hidden here."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from workflows import deadlines
from workflows.deadlines import DeadlineStatus
from workflows.dispute import State

from .. import clock, policy
from ..extensions import db
from ..models import (
    SEARCH_TABLE,
    Area,
    Case,
    CaseArea,
    Compact,
    Deadline,
    DeadlinePause,
    Organisation,
    Outcome,
    User,
)

# A list counts its matches only this far ("more than 10,000 cases"): counting every one of
# 100,000 rows on every page costs more than the page, and nobody pages that far.
COUNT_CAP = 10_000
# Words of a query beyond this many are ignored: each one is another index lookup.
MAX_WORDS = 8


@dataclass(frozen=True)
class CaseFilters:
    state: State | None = None
    compact: str | None = None
    area: Area | None = None
    q: str = ""
    oldest_first: bool = False
    # "overdue" or "soon" (due in the next 10 working days), from stored due dates.
    due: str | None = None


@dataclass(frozen=True)
class CaseListItem:
    """One row of the case list: only what the list page and the API list show."""

    reference: str
    title: str
    state: State
    raised_on: date
    closed_on: date | None
    compact_code: str
    compact_name: str
    funder_id: int
    funder_name: str
    third_sector_id: int
    third_sector_name: str


@dataclass(frozen=True)
class CaseListPage:
    """One page of matching cases and how many match, counted up to `COUNT_CAP`."""

    items: list[CaseListItem]
    page: int
    per_page: int
    # Exact when `total_is_exact`; otherwise there are more than `total` (= COUNT_CAP).
    total: int
    total_is_exact: bool
    has_next: bool

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None

    @property
    def pages(self) -> int:
        """The pages known to exist: all of them when the count is exact, else those the capped
        count covers, and always the next one when there is one."""
        counted = -(-self.total // self.per_page)
        return max(counted, self.page + 1 if self.has_next else self.page if self.items else 0)

    @property
    def first(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.items else 0

    @property
    def last(self) -> int:
        return self.first + len(self.items) - 1 if self.items else 0

    def iter_pages(
        self,
        *,
        left_edge: int = 2,
        left_current: int = 2,
        right_current: int = 4,
        right_edge: int = 2,
    ) -> Iterator[int | None]:
        """Page numbers for a pagination widget, None where pages are skipped (as
        Flask-SQLAlchemy's `Pagination.iter_pages`)."""
        end = self.pages + 1
        if end == 1:
            return
        left_end = min(1 + left_edge, end)
        yield from range(1, left_end)
        if left_end == end:
            return
        mid_start = max(left_end, self.page - left_current)
        mid_end = min(self.page + right_current + 1, end)
        if mid_start - left_end > 0:
            yield None
        yield from range(mid_start, mid_end)
        if mid_end == end:
            return
        right_start = max(mid_end, end - right_edge)
        if right_start - mid_end > 0:
            yield None
        yield from range(right_start, end)


def search_cases(filters: CaseFilters, user: User, page: int, per_page: int) -> CaseListPage:
    """One page of the cases `user` may see that match `filters`, best match first when there
    are words to search for; two queries at most (the page, and a capped count)."""
    page, per_page = max(page, 1), min(max(per_page, 1), 100)
    offset = (page - 1) * per_page
    # The page is chosen on `cases` (and the index) alone, then joined for the names shown,
    # so the database never joins the rows it skips on later pages.
    chosen = _matching(filters, user, ranked=True).limit(per_page + 1).offset(offset).subquery()
    compact, funder, third_sector = Compact, aliased(Organisation), aliased(Organisation)
    rows = db.session.execute(
        sa.select(
            chosen.c.reference,
            chosen.c.title,
            chosen.c.state,
            chosen.c.raised_on,
            chosen.c.closed_on,
            compact.code,
            compact.name,
            funder.id,
            funder.name,
            third_sector.id,
            third_sector.name,
        )
        .join(compact, compact.id == chosen.c.compact_id)
        .join(funder, funder.id == chosen.c.funder_id)
        .join(third_sector, third_sector.id == chosen.c.third_sector_id)
        .order_by(*_order(filters, chosen.c))
    ).all()
    items = [CaseListItem(*row) for row in rows[:per_page]]
    has_next = len(rows) > per_page
    if not has_next and (items or page == 1):
        # The last page says how many there are without counting them again.
        total = offset + len(items)
    else:
        matching = _matching(filters, user, ranked=False).limit(COUNT_CAP + 1).subquery()
        total = db.session.scalar(sa.select(sa.func.count()).select_from(matching))
    return CaseListPage(
        items=items,
        page=page,
        per_page=per_page,
        total=min(total, COUNT_CAP),
        total_is_exact=total <= COUNT_CAP,
        has_next=has_next,
    )


# Rows fetched at a time when a download streams the case list.
STREAM_BATCH = 1000


def stream_cases(filters: CaseFilters, user: User) -> Iterator[sa.Row]:
    """Every case `user` may see that matches `filters`, as plain rows from one query with
    its names, outcome and areas (comma-separated values) joined in, read through a
    server-side cursor a batch at a time, never all at once."""
    chosen = _matching(filters, user, ranked=True).subquery()
    funder, third_sector = aliased(Organisation), aliased(Organisation)
    areas = (
        sa.select(sa.func.aggregate_strings(CaseArea.area, ","))
        .where(CaseArea.case_id == chosen.c.id)
        .scalar_subquery()
    )
    query = (
        sa.select(
            chosen.c.reference,
            chosen.c.title,
            Compact.name.label("compact_name"),
            funder.name.label("funder_name"),
            third_sector.name.label("third_sector_name"),
            areas.label("areas"),
            chosen.c.state,
            chosen.c.raised_on,
            chosen.c.closed_on,
            chosen.c.working_days_to_close,
            chosen.c.amount_at_stake,
            Outcome.kind.label("outcome_kind"),
            Outcome.level.label("outcome_level"),
            Outcome.outcome_type,
            Outcome.funding_protected,
            Outcome.jobs_safeguarded,
            Outcome.notice_days_gained,
            Outcome.service_users_affected,
        )
        .join(Compact, Compact.id == chosen.c.compact_id)
        .join(funder, funder.id == chosen.c.funder_id)
        .join(third_sector, third_sector.id == chosen.c.third_sector_id)
        .outerjoin(Outcome, Outcome.case_id == chosen.c.id)
        .order_by(*_order(filters, chosen.c))
    )
    result = db.session.execute(query.execution_options(yield_per=STREAM_BATCH))
    for partition in result.partitions():
        yield from partition


def _matching(filters: CaseFilters, user: User, *, ranked: bool) -> sa.Select:
    """The cases `user` may see that match `filters`: with `ranked`, their columns and a
    `rank` (lower is better), in the list's order; otherwise only their ids, unordered."""
    columns = [Case.id]
    if ranked:
        columns = [
            Case.id,
            Case.reference,
            Case.title,
            Case.state,
            Case.raised_on,
            Case.closed_on,
            Case.compact_id,
            Case.funder_id,
            Case.third_sector_id,
            Case.working_days_to_close,
            Case.amount_at_stake,
        ]
    words = _words(filters.q)
    if filters.q.strip() and not words:
        # Only punctuation: nothing to look for, so nothing matches.
        return sa.select(*columns).where(sa.false())
    rank = sa.literal(0).label("rank")
    query = policy.scope_cases(sa.select(*columns), user)
    if words:
        match, rank_value = _text_match(words)
        query = match(query)
        rank = rank_value.label("rank")
    if ranked:
        query = query.add_columns(rank)
    if filters.state:
        query = query.where(Case.state == filters.state)
    if filters.compact:
        query = query.where(
            Case.compact_id.in_(sa.select(Compact.id).where(Compact.code == filters.compact))
        )
    if filters.area:
        query = query.where(
            sa.exists().where(CaseArea.case_id == Case.id, CaseArea.area == filters.area)
        )
    if filters.due in ("overdue", "soon"):
        query = query.where(_has_deadline_due(filters.due, clock.today()))
    if not ranked:
        return query
    dates = (
        (Case.raised_on.asc(), Case.id.asc())
        if filters.oldest_first
        else (Case.raised_on.desc(), Case.id.desc())
    )
    return query.order_by(*((rank.asc(),) if words else ()), *dates)


def _order(filters: CaseFilters, columns) -> tuple:
    """The list's order over a subquery of `_matching(ranked=True)`."""
    if filters.oldest_first:
        dates = (columns.raised_on.asc(), columns.id.asc())
    else:
        dates = (columns.raised_on.desc(), columns.id.desc())
    return (columns.rank.asc(), *dates) if _words(filters.q) else dates


def _words(q: str) -> list[str]:
    """The words and numbers of a query, lower case: "BIR-2026-0007" is bir, 2026 and 0007."""
    return re.findall(r"[^\W_]+", q.lower())[:MAX_WORDS]


def _text_match(
    words: list[str],
) -> tuple[Callable[[sa.Select], sa.Select], sa.ColumnElement]:
    """How to narrow a query of cases to those whose index entry has every word, and the rank
    of a match (lower is better), in this database's own text search.

    Every word matches as the start of a word ("spark" finds Sparkbrook); a number matches
    whole, as itself or as a reference's four-digit number ("7" finds BIR-2026-0007).
    """
    if db.session.get_bind().dialect.name == "postgresql":
        terms = [
            f"('{word}' | '{int(word):04d}')" if word.isdigit() else f"'{word}':*" for word in words
        ]
        index = sa.table(SEARCH_TABLE, sa.column("case_id"), sa.column("document"))
        query = sa.func.to_tsquery(
            sa.literal_column("'english'::regconfig"), sa.literal(" & ".join(terms), sa.Text)
        )

        def match(select: sa.Select) -> sa.Select:
            return select.join(index, index.c.case_id == Case.id).where(
                index.c.document.op("@@")(query)
            )

        return match, -sa.func.ts_rank(index.c.document, query)

    terms = [
        f'("{word}" OR "{int(word):04d}")' if word.isdigit() else f'"{word}"*' for word in words
    ]
    index = sa.table(SEARCH_TABLE, sa.column("rowid"))
    entry = sa.literal_column(SEARCH_TABLE)

    def match(select: sa.Select) -> sa.Select:
        return select.join(index, index.c.rowid == Case.id).where(
            entry.op("MATCH")(sa.literal(" AND ".join(terms), sa.Text))
        )

    # bm25 is already lower-is-better; a word in the reference or title counts most.
    return match, sa.func.bm25(entry, 10.0, 8.0, 1.0, 4.0)


def _has_deadline_due(due: str, today: date) -> sa.ColumnElement[bool]:
    """The case has an open deadline overdue, or due within 10 working days, and its clock is
    running (a stopped clock's due dates are only provisional)."""
    window = (
        Deadline.due_on < today
        if due == "overdue"
        else Deadline.due_on.between(today, deadlines.due_soon_until(today))
    )
    paused = sa.exists().where(DeadlinePause.case_id == Case.id, DeadlinePause.ended_on.is_(None))
    return sa.and_(
        sa.exists().where(
            Deadline.case_id == Case.id, Deadline.status == DeadlineStatus.OPEN, window
        ),
        ~paused,
    )
