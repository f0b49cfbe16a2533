"""Finding cases: the filtered, scoped case list a page or the API shows one page of, and the
stream a download writes out, both from the database's text index (`models/search.py`) when
there are words to search for. Which database answers is hidden here."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

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

# A case's reference as a person types it: "BIR-2026-0007", any case.
REFERENCE = re.compile(r"[A-Za-z]{2,10}-\d{4}-\d{4,}")

# Statements are built from tables, not mapped classes, and the aliases once: building an
# ORM statement costs more than a page of the list takes the database to answer.
_CASES = Case.__table__
_COMPACTS = Compact.__table__
_FUNDERS = Organisation.__table__.alias("funder")
_THIRD_SECTOR = Organisation.__table__.alias("third_sector")
_OUTCOMES = Outcome.__table__
_AREAS = CaseArea.__table__


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
    compact, funder, third_sector = _COMPACTS, _FUNDERS, _THIRD_SECTOR
    rows = db.session.execute(
        sa.select(
            chosen.c.reference,
            chosen.c.title,
            chosen.c.state,
            chosen.c.raised_on,
            chosen.c.closed_on,
            compact.c.code,
            compact.c.name,
            funder.c.id,
            funder.c.name,
            third_sector.c.id,
            third_sector.c.name,
        )
        .join(compact, compact.c.id == chosen.c.compact_id)
        .join(funder, funder.c.id == chosen.c.funder_id)
        .join(third_sector, third_sector.c.id == chosen.c.third_sector_id)
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
    funder, third_sector, outcome = _FUNDERS, _THIRD_SECTOR, _OUTCOMES
    areas = (
        sa.select(sa.func.aggregate_strings(_AREAS.c.area, ","))
        .where(_AREAS.c.case_id == chosen.c.id)
        .scalar_subquery()
    )
    query = (
        sa.select(
            chosen.c.reference,
            chosen.c.title,
            _COMPACTS.c.name.label("compact_name"),
            funder.c.name.label("funder_name"),
            third_sector.c.name.label("third_sector_name"),
            areas.label("areas"),
            chosen.c.state,
            chosen.c.raised_on,
            chosen.c.closed_on,
            chosen.c.working_days_to_close,
            chosen.c.amount_at_stake,
            outcome.c.kind.label("outcome_kind"),
            outcome.c.level.label("outcome_level"),
            outcome.c.outcome_type,
            outcome.c.funding_protected,
            outcome.c.jobs_safeguarded,
            outcome.c.notice_days_gained,
            outcome.c.service_users_affected,
        )
        .join(_COMPACTS, _COMPACTS.c.id == chosen.c.compact_id)
        .join(funder, funder.c.id == chosen.c.funder_id)
        .join(third_sector, third_sector.c.id == chosen.c.third_sector_id)
        .outerjoin(outcome, outcome.c.case_id == chosen.c.id)
        .order_by(*_order(filters, chosen.c))
    )
    result = db.session.execute(query.execution_options(yield_per=STREAM_BATCH))
    for partition in result.partitions():
        yield from partition


def _matching(filters: CaseFilters, user: User, *, ranked: bool) -> sa.Select:
    """The cases `user` may see that match `filters`: with `ranked`, their columns and a
    `rank` (lower is better), in the list's order; otherwise only their ids, unordered."""
    cases = _CASES.c
    columns = [cases.id]
    if ranked:
        columns = [
            cases.id,
            cases.reference,
            cases.title,
            cases.state,
            cases.raised_on,
            cases.closed_on,
            cases.compact_id,
            cases.funder_id,
            cases.third_sector_id,
            cases.working_days_to_close,
            cases.amount_at_stake,
        ]
    words = _words(filters.q)
    if filters.q.strip() and not words:
        # Only punctuation: nothing to look for, so nothing matches.
        return sa.select(*columns).where(sa.false())
    rank = sa.literal(0).label("rank")
    query = policy.scope_cases(sa.select(*columns), user)
    if REFERENCE.fullmatch(filters.q.strip()):
        # A whole reference names one case: its unique index finds it at once, where the
        # text index would intersect every case of that Compact with every case of that year.
        query = query.where(_CASES.c.reference == filters.q.strip().upper())
    elif words:
        match, rank_value = _text_match(words)
        query = match(query)
        rank = rank_value.label("rank")
    if ranked:
        query = query.add_columns(rank)
    if filters.state:
        query = query.where(_CASES.c.state == filters.state)
    if filters.compact:
        query = query.where(
            _CASES.c.compact_id.in_(
                sa.select(_COMPACTS.c.id).where(_COMPACTS.c.code == filters.compact)
            )
        )
    if filters.area:
        query = query.where(
            sa.exists().where(_AREAS.c.case_id == _CASES.c.id, _AREAS.c.area == filters.area)
        )
    if filters.due in ("overdue", "soon"):
        query = query.where(_has_deadline_due(filters.due, clock.today()))
    if not ranked:
        return query
    dates = (
        (_CASES.c.raised_on.asc(), _CASES.c.id.asc())
        if filters.oldest_first
        else (_CASES.c.raised_on.desc(), _CASES.c.id.desc())
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
            return select.join(index, index.c.case_id == _CASES.c.id).where(
                index.c.document.op("@@")(query)
            )

        return match, -sa.func.ts_rank(index.c.document, query)

    terms = [
        f'("{word}" OR "{int(word):04d}")' if word.isdigit() else f'"{word}"*' for word in words
    ]
    index = sa.table(SEARCH_TABLE, sa.column("rowid"))
    entry = sa.literal_column(SEARCH_TABLE)

    def match(select: sa.Select) -> sa.Select:
        return select.join(index, index.c.rowid == _CASES.c.id).where(
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
