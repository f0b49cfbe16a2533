"""The case list's values: one row as the list and the API show it, and one page of rows with
what a pagination widget needs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from workflows.dispute import State

from .queues import NextDeadline


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
    officer_name: str | None = None
    mediator_name: str | None = None
    next_deadline: NextDeadline | None = None


@dataclass(frozen=True)
class CaseListPage:
    """One page of matching cases and how many match, counted up to `COUNT_CAP` (a search:
    up to `RANKED_MATCHES`)."""

    items: list[CaseListItem]
    page: int
    per_page: int
    # Exact when `total_is_exact`; otherwise there are more than `total` (= the cap).
    total: int
    total_is_exact: bool
    has_next: bool
    # When a search matched more cases than it ranks: how many of the newest were ranked.
    ranked_newest: int | None = None

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
