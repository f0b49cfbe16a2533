"""Finding cases: the filtered, scoped case list a page or the API shows one page of, and the
stream a download writes out, both from the database's text index (`models/search.py`) when
there are words to search for. Which database answers is hidden here."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import sqlalchemy as sa

from workflows.dispute import OPEN_STATES, State

from .. import localtime, policy
from ..extensions import db
from ..models import (
    SEARCH_TABLE,
    Area,
    Case,
    CaseArea,
    CaseCompact,
    CaseParty,
    Compact,
    Organisation,
    Outcome,
    User,
)
from . import queues
from .listing import CaseListItem, CaseListPage

# A list counts its matches only this far ("more than 10,000 cases"): counting every one of
# 100,000 rows on every page costs more than the page, and nobody pages that far.
COUNT_CAP = 10_000
# Words of a query beyond this many are ignored: each one is another index lookup.
MAX_WORDS = 8
# A search ranks at most this many matches, the most recently logged, by how well they match;
# older matches follow, newest raised first. Scoring every match of a common word ("youth"
# matches thousands of cases) cost more than the rest of the page, and a person looking for
# a case by a common word is most often after a recent one.
RANKED_MATCHES = 1000

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
_PARTIES = CaseParty.__table__
_AFFECTED = CaseCompact.__table__
_PARTY_NAMES = Organisation.__table__.alias("party")
_AFFECTED_CODES = Compact.__table__.alias("affected")
_OFFICERS = User.__table__.alias("officer")
_MEDIATORS = User.__table__.alias("mediator")


@dataclass(frozen=True)
class CaseFilters:
    state: State | None = None
    compact: str | None = None
    area: Area | None = None
    q: str = ""
    oldest_first: bool = False
    # "overdue", "week" (due in the next 5 working days) or "soon" (10), from stored due dates.
    due: str | None = None
    # Any open state (raised, local conciliation or regional mediation); `state` wins.
    open_only: bool = False
    # Raised and not yet acknowledged (its acknowledgement deadline open); `state` wins.
    unacknowledged: bool = False
    # "me" (the user is the officer or mediator) or "unassigned" (see `queues`).
    assigned: str | None = None
    # A person who is the case's officer or mediator, by user id.
    person: int | None = None
    # Next deadline first (after the best matches of a search).
    by_deadline: bool = False


def search_cases(filters: CaseFilters, user: User, page: int, per_page: int) -> CaseListPage:
    """One page of the cases `user` may see that match `filters`, best match first when there
    are words to search for; two queries at most (the page, and a capped count)."""
    page, per_page = max(page, 1), min(max(per_page, 1), 100)
    offset = (page - 1) * per_page
    # The page is chosen on `cases` (and the index) alone, then joined for the names shown,
    # so the database never joins the rows it skips on later pages.
    chosen = _listed(filters, user, offset + per_page + 1).limit(per_page + 1).offset(offset)
    chosen = chosen.subquery()
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
            _OFFICERS.c.name,
            _MEDIATORS.c.name,
            # The page's rows only: each a look-up in the deadlines' and pauses' case index.
            queues.next_due_on(chosen.c.id, user),
            queues.next_due_unit(chosen.c.id, user),
            queues.clock_stopped(chosen.c.id),
        )
        .join(compact, compact.c.id == chosen.c.compact_id)
        .join(funder, funder.c.id == chosen.c.funder_id)
        .join(third_sector, third_sector.c.id == chosen.c.third_sector_id)
        .outerjoin(_OFFICERS, _OFFICERS.c.id == chosen.c.officer_id)
        .outerjoin(_MEDIATORS, _MEDIATORS.c.id == chosen.c.mediator_id)
        .order_by(*_order(filters, chosen.c, user))
    ).all()
    today = localtime.today()
    items = [
        CaseListItem(*row[:13], next_deadline=queues.next_deadline(*row[13:], today))
        for row in rows[:per_page]
    ]
    has_next = len(rows) > per_page
    # A search counts only as far as it ranks: finding every match of a common word is the
    # cost the ranking avoids, and "more than 1,000" tells a person to narrow it.
    searching = bool(_words(filters.q)) and not REFERENCE.fullmatch(filters.q.strip())
    cap = min(COUNT_CAP, RANKED_MATCHES) if searching else COUNT_CAP
    if not has_next and (items or page == 1):
        # The last page says how many there are without counting them again.
        total = offset + len(items)
    else:
        matching = _matching(filters, user, ranked=False).limit(cap + 1).subquery()
        total = db.session.scalar(sa.select(sa.func.count()).select_from(matching))
    return CaseListPage(
        items=items,
        page=page,
        per_page=per_page,
        total=min(total, cap),
        total_is_exact=total <= cap,
        has_next=has_next,
        ranked_newest=RANKED_MATCHES if searching and total > RANKED_MATCHES else None,
    )


def count_cases(filters: CaseFilters, user: User) -> tuple[int, bool]:
    """How many cases the list shows for `filters`, counted as the list counts them (up to
    `COUNT_CAP`), and whether that is exact: in one query, for the home page's sections."""
    matching = _matching(filters, user, ranked=False).limit(COUNT_CAP + 1).subquery()
    total = db.session.scalar(sa.select(sa.func.count()).select_from(matching))
    return min(total, COUNT_CAP), total <= COUNT_CAP


# Rows fetched at a time when a download streams the case list.
STREAM_BATCH = 1000


def stream_cases(filters: CaseFilters, user: User) -> Iterator[sa.Row]:
    """Every case `user` may see that matches `filters`, as plain rows from one query with
    its names, outcome and areas (comma-separated values) joined in, read through a
    server-side cursor a batch at a time, never all at once."""
    words = _words(filters.q)
    if words and not REFERENCE.fullmatch(filters.q.strip()):
        # A text search: the ranked matches, then the older ones, as the list orders them.
        chosen = _listed(filters, user).subquery()
        query = sa.select(*_download_columns(chosen.c)).order_by(*_order(filters, chosen.c, user))
    else:
        # No ranking: straight from `cases`, in date order, with nothing to re-sort.
        chosen = _CASES
        query = _matching(filters, user, ranked=True).with_only_columns(
            *_download_columns(chosen.c), maintain_column_froms=True
        )
    query = (
        query.join(_COMPACTS, _COMPACTS.c.id == chosen.c.compact_id)
        .join(_FUNDERS, _FUNDERS.c.id == chosen.c.funder_id)
        .join(_THIRD_SECTOR, _THIRD_SECTOR.c.id == chosen.c.third_sector_id)
        .outerjoin(_OUTCOMES, _OUTCOMES.c.case_id == chosen.c.id)
    )
    result = db.session.execute(query.execution_options(yield_per=STREAM_BATCH))
    for partition in result.partitions():
        yield from partition


def _download_columns(chosen) -> tuple:
    """The download's columns over `chosen` (the cases, or the list's ranked matches). The
    state and outcome come as their stored values, plain strings, for the download to label."""
    outcome = _OUTCOMES.c

    def value(column: sa.ColumnElement, name: str) -> sa.ColumnElement:
        return sa.type_coerce(column, sa.String).label(name)

    areas = (
        sa.select(sa.func.aggregate_strings(_AREAS.c.area, ","))
        .where(_AREAS.c.case_id == chosen.id)
        .scalar_subquery()
    )
    return (
        chosen.reference,
        chosen.title,
        _COMPACTS.c.name.label("compact_name"),
        _FUNDERS.c.name.label("funder_name"),
        _THIRD_SECTOR.c.name.label("third_sector_name"),
        areas.label("areas"),
        value(chosen.state, "state"),
        chosen.raised_on,
        chosen.closed_on,
        chosen.working_days_to_close,
        chosen.amount_at_stake,
        value(outcome.kind, "outcome_kind"),
        value(outcome.level, "outcome_level"),
        value(outcome.outcome_type, "outcome_type"),
        outcome.funding_protected,
        outcome.jobs_safeguarded,
        outcome.notice_days_gained,
        outcome.service_users_affected,
        *_list_columns(chosen),
    )


def _list_columns(chosen) -> tuple:
    """The case's level, its affected Compacts' codes and its parties, each as one text:
    "BIR; COV", "West Midlands Police [12] (funder); Aston Youth Trust [40] (third_sector)"."""
    codes = (
        sa.select(_AFFECTED_CODES.c.code.label("text"))
        .join(_AFFECTED, _AFFECTED.c.compact_id == _AFFECTED_CODES.c.id)
        .where(_AFFECTED.c.case_id == chosen.id)
        .order_by(_AFFECTED.c.position)
        .subquery()
    )
    party_text = (
        _PARTY_NAMES.c.name
        + " ["
        + sa.cast(_PARTY_NAMES.c.id, sa.String)
        + "] ("
        + sa.type_coerce(_PARTIES.c.side, sa.String)
        + ")"
    )
    parties = (
        sa.select(party_text.label("text"))
        .join(_PARTIES, _PARTIES.c.organisation_id == _PARTY_NAMES.c.id)
        .where(_PARTIES.c.case_id == chosen.id)
        .order_by(_PARTIES.c.side, _PARTIES.c.position)
        .subquery()
    )
    regional = sa.exists().where(_AFFECTED.c.case_id == chosen.id)
    return (
        sa.case((regional, "regional"), else_="local").label("level"),
        sa.select(sa.func.aggregate_strings(codes.c.text, "; "))
        .scalar_subquery()
        .label("affected"),
        sa.select(sa.func.aggregate_strings(parties.c.text, "; "))
        .scalar_subquery()
        .label("parties"),
    )


def _listed(filters: CaseFilters, user: User, rows: int | None = None) -> sa.Select:
    """The cases `user` may see that match `filters`, with their columns and a `rank` (lower
    is better), in the list's order; `rows` says how many from the start are wanted (None:
    all of them).

    With words to search for, only the `RANKED_MATCHES` most recently logged matches are
    ranked; older ones follow, newest raised first, and are read only when a page reaches
    them.
    """
    words = _words(filters.q)
    if not words or REFERENCE.fullmatch(filters.q.strip()):
        return _matching(filters, user, ranked=True)
    text = _text_match(words)
    newest = (
        _matching(filters, user, ranked=True, text=text)
        .order_by(text.key.desc())
        .limit(RANKED_MATCHES)
        .cte("newest")
    )
    shown = [newest.c[name] for name in _COLUMNS]
    ranked = sa.select(*shown, text.rank(newest).label("rank"))
    if rows is not None and rows <= RANKED_MATCHES:
        return ranked.order_by(*_order(filters, ranked.selected_columns, user))
    # Ranks are at most 0, so the unranked older matches (rank 1) follow every ranked one.
    older = (
        _matching(filters, user, ranked=True, text=text)
        .with_only_columns(
            *(_CASES.c[name] for name in _COLUMNS),
            sa.literal(1.0).label("rank"),
            maintain_column_froms=True,
        )
        .where(text.key < sa.select(sa.func.min(newest.c.key)).scalar_subquery())
    )
    both = sa.union_all(ranked, older).subquery()
    return sa.select(*both.c).order_by(*_order(filters, both.c, user))


# The columns of a case a list or its download shows (names are joined in after paging).
_COLUMNS = (
    "id",
    "reference",
    "title",
    "state",
    "raised_on",
    "closed_on",
    "compact_id",
    "funder_id",
    "third_sector_id",
    "working_days_to_close",
    "amount_at_stake",
    "officer_id",
    "mediator_id",
)


def _matching(
    filters: CaseFilters, user: User, *, ranked: bool, text: _TextMatch | None = None
) -> sa.Select:
    """The cases `user` may see that match `filters`, unordered. With `ranked`, their columns
    (and, given `text`, the columns that rank a match: `text.carried`); without words to
    search for, they come in the list's order with a `rank` of 0. Otherwise only their ids."""
    cases = _CASES.c
    columns = [cases[name] for name in _COLUMNS] if ranked else [cases.id]
    words = _words(filters.q)
    if filters.q.strip() and not words:
        # Only punctuation: nothing to look for, so nothing matches.
        return sa.select(*columns).where(sa.false())
    query = policy.scope_cases(sa.select(*columns), user)
    if REFERENCE.fullmatch(filters.q.strip()):
        # A whole reference names one case: its unique index finds it at once, where the
        # text index would intersect every case of that Compact with every case of that year.
        query = query.where(_CASES.c.reference == filters.q.strip().upper())
        words = []
    elif words:
        text = text or _text_match(words)
        query = text.match(query)
        if ranked:
            query = query.add_columns(text.key.label("key"), *text.carried)
    if filters.state:
        query = query.where(_CASES.c.state == filters.state)
    elif filters.open_only:
        query = query.where(_CASES.c.state.in_(OPEN_STATES))
    elif filters.unacknowledged:
        query = query.where(
            _CASES.c.state == State.RAISED, queues.awaiting_acknowledgement(_CASES.c.id)
        )
    if filters.compact:
        query = query.where(
            _CASES.c.compact_id.in_(
                sa.select(_COMPACTS.c.id).where(_COMPACTS.c.code == filters.compact)
            )
        )
    if filters.area:
        # The cases of an area come from the (area, case_id) index as one list, rather than
        # a look-up per case: a count would otherwise probe every case.
        query = query.where(
            _CASES.c.id.in_(sa.select(_AREAS.c.case_id).where(_AREAS.c.area == filters.area))
        )
    if filters.due in queues.DUE_CHOICES:
        query = query.where(
            queues.has_deadline_due(filters.due, _CASES.c.id, localtime.today(), user)
        )
    query = query.where(
        *queues.assignment_filter(
            _CASES.c, assigned=filters.assigned, person_id=filters.person, user=user
        )
    )
    if not ranked or words:
        return query
    query = query.add_columns(sa.literal(0).label("rank"))
    if filters.by_deadline:
        # The same order as `queues.deadline_order`, from one pass over the open deadlines.
        nexts = queues.next_due_by_case(user)
        return query.outerjoin(nexts, nexts.c.case_id == _CASES.c.id).order_by(
            nexts.c.due_on.is_(None),
            nexts.c.due_on.asc(),
            _CASES.c.raised_on.desc(),
            _CASES.c.id.desc(),
        )
    return query.order_by(*_order(filters, _CASES.c, user))


def _order(filters: CaseFilters, columns, user: User | None = None) -> tuple:
    """The list's order over the columns of `_listed`: best match first, then by date (or
    by next deadline)."""
    if filters.by_deadline:
        dates = queues.deadline_order(columns, user)
    elif filters.oldest_first:
        dates = (columns.raised_on.asc(), columns.id.asc())
    else:
        dates = (columns.raised_on.desc(), columns.id.desc())
    return (columns.rank.asc(), *dates) if "rank" in columns else dates


def _words(q: str) -> list[str]:
    """The words and numbers of a query, lower case: "BIR-2026-0007" is bir, 2026 and 0007."""
    return re.findall(r"[^\W_]+", q.lower())[:MAX_WORDS]


@dataclass(frozen=True)
class _TextMatch:
    """A query's words in this database's own text search."""

    # Narrows a query of cases to those whose index entry has every word.
    match: Callable[[sa.Select], sa.Select]
    # The index entry's case id, by which the newest matches are found in the index's order.
    key: sa.ColumnElement
    # Columns a query of matches carries so that `rank` can score them.
    carried: tuple[sa.ColumnElement, ...]
    # The rank (lower is better) of the matches in a subquery carrying `carried`.
    rank: Callable[[sa.CTE], sa.ColumnElement]


def _text_match(words: list[str]) -> _TextMatch:
    """Every word matches as the start of a word ("spark" finds Sparkbrook); a number matches
    whole, as itself or as a reference's four-digit number ("7" finds BIR-2026-0007)."""
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

        # Scored outside the query that picks the newest matches, so that only they are.
        return _TextMatch(
            match=match,
            key=index.c.case_id,
            carried=(index.c.document.label("document"),),
            rank=lambda matches: -sa.func.ts_rank(matches.c.document, query),
        )

    terms = [
        f'("{word}" OR "{int(word):04d}")' if word.isdigit() else f'"{word}"*' for word in words
    ]
    index = sa.table(SEARCH_TABLE, sa.column("rowid"))
    entry = sa.literal_column(SEARCH_TABLE)

    def match(select: sa.Select) -> sa.Select:
        return select.join(index, index.c.rowid == _CASES.c.id).where(
            entry.op("MATCH")(sa.literal(" AND ".join(terms), sa.Text))
        )

    # bm25 can only be called beside the MATCH; SQLite scores only the rows the query picks.
    # It is already lower-is-better; a word in the reference or title counts most.
    return _TextMatch(
        match=match,
        key=index.c.rowid,
        carried=(sa.func.bm25(entry, 10.0, 8.0, 1.0, 4.0).label("score"),),
        rank=lambda matches: matches.c.score,
    )
