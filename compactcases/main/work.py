"""The home page: each person's work, by role, as sections with a count and a link to the
case or notice list filtered to exactly what was counted.

Each section is built by one small function from the signed-in user, counted by the same
query the list it links to runs (`cases.search.count_cases`, `notices.lists.count_notices`),
so following a link shows the number the home page gave. A role's sections are a tuple of
those functions (one may give two sections, as the funding agreements' notice windows closing
and missed do): a new kind of work is one more function in the tuple.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from flask import url_for

from .. import localtime
from ..agreements import windows as agreement_windows
from ..cases import progress, search
from ..cases.queues import ASSIGNED_TO_ME, UNACKNOWLEDGED, UNASSIGNED
from ..models import Role, User, utcnow
from ..notices import lists as notice_lists
from ..reports import coverage, queries

# How many of a mediator's own cases the home page lists by name, next deadline first.
MY_CASES_LISTED = 5


@dataclass(frozen=True)
class Section:
    """One kind of work: how many, what they are, and the list that shows them."""

    key: str
    title: str
    count: int
    # The list showing what was counted; empty for a section that lists all of it itself.
    href: str
    description: str = ""
    # False when there are more than `count` (the list's own cap).
    exact: bool = True
    # What is counted: "case" or "notice".
    noun: str = "case"
    # A few of the cases themselves, for sections that name them.
    items: list[search.CaseListItem] = field(default_factory=list)
    # Lines naming a case and saying something about it (the parties' sections).
    entries: list[Entry] = field(default_factory=list)


@dataclass(frozen=True)
class Entry:
    """One line of a section: a case's reference (linked), its title, and a sentence."""

    reference: str
    title: str
    text: str


def _cases_href(**args: str) -> str:
    return url_for("cases.list_cases") + "?" + urlencode(args)


def _case_section(
    user: User, key: str, title: str, description: str, filters: search.CaseFilters, **args
) -> Section:
    count, exact = search.count_cases(filters, user)
    return Section(key, title, count, _cases_href(**args), description, exact)


def awaiting_acknowledgement(user: User) -> Section:
    return _case_section(
        user,
        "awaiting-acknowledgement",
        "Awaiting acknowledgement",
        "Disputes raised and not yet acknowledged.",
        search.CaseFilters(unacknowledged=True),
        state=UNACKNOWLEDGED,
    )


def overdue(user: User) -> Section:
    return _case_section(
        user,
        "overdue",
        "Overdue",
        "Cases with a deadline past its due date, clock running.",
        search.CaseFilters(due="overdue", by_deadline=True),
        due="overdue",
        sort="deadline",
    )


def due_this_week(user: User) -> Section:
    return _case_section(
        user,
        "due-this-week",
        "Due within 5 working days",
        "Cases with a deadline due today or in the next 5 working days.",
        search.CaseFilters(due="week", by_deadline=True),
        due="week",
        sort="deadline",
    )


def notices_without_case(user: User) -> Section:
    filters = notice_lists.NoticeFilters(compliant=False, without_case=True)
    href = (
        url_for("notices.list_notices")
        + "?"
        + urlencode({"verdict": "not_compliant", "case": "none"})
    )
    return Section(
        "notices-without-case",
        "Notices that do not meet the Compact, with no case opened",
        notice_lists.count_notices(filters, user),
        href,
        "Funders' notices in your Compacts that give less than the Compact requires.",
        noun="notice",
    )


def unassigned_escalated(user: User) -> Section:
    return _case_section(
        user,
        "unassigned",
        "Unassigned cases in regional mediation",
        "Escalated cases in your region that no mediator has taken yet.",
        search.CaseFilters(assigned=UNASSIGNED, by_deadline=True),
        assigned=UNASSIGNED,
        sort="deadline",
    )


def my_cases(user: User) -> Section:
    filters = search.CaseFilters(assigned=ASSIGNED_TO_ME, open_only=True, by_deadline=True)
    first = search.search_cases(filters, user, page=1, per_page=MY_CASES_LISTED)
    return Section(
        "my-cases",
        "Your cases, next deadline first",
        first.total,
        _cases_href(assigned=ASSIGNED_TO_ME, state="open", sort="deadline"),
        "Open cases you are the mediator or officer for.",
        first.total_is_exact,
        items=first.items,
    )


def followed_cases(user: User) -> Section:
    """A party's open cases, each with where it stands and whose move it is."""
    count, exact = search.count_cases(search.CaseFilters(open_only=True, by_deadline=True), user)
    entries = [
        Entry(c.reference, c.title, f"{c.state}. {c.move.sentence}")
        for c in progress.open_cases_of(user, localtime.today())
    ]
    return Section(
        "open-cases",
        "Your cases",
        count,
        _cases_href(state="open", sort="deadline"),
        "Open cases your organisation is a party to, the next deadline first.",
        exact,
        entries=entries,
    )


def awaiting_you(user: User) -> Section:
    """What the data says a party is to do: meetings it is invited to that are coming up, and
    actions agreed at a meeting that one of its people took on."""
    found = progress.awaiting(user, utcnow())
    return Section(
        "awaiting-you",
        "Awaiting you",
        len(found),
        "",
        "Meetings you are invited to and actions you agreed to take on your open cases.",
        noun="item",
        entries=[Entry(a.reference, "", a.text) for a in found],
    )


def our_notices(user: User) -> Section:
    filters = notice_lists.NoticeFilters(compliant=False)
    return Section(
        "notices-not-compliant",
        "Your notices that do not meet the Compact",
        notice_lists.count_notices(filters, user),
        url_for("notices.list_notices") + "?verdict=not_compliant",
        "Notices giving less notice, or a shorter consultation, than the Compact requires.",
        noun="notice",
    )


def _window_sections(user: User, href: str, whose: str) -> tuple[Section, Section]:
    closing, gone = agreement_windows.window_counts(user, localtime.today())
    weeks = agreement_windows.CLOSING_WEEKS
    return (
        Section(
            "windows-closing",
            f"Notice windows closing in the next {weeks} weeks",
            closing,
            href,
            f"Funding agreements {whose} whose last day to give proper notice of ending them "
            f"falls in the next {weeks} weeks.",
            noun="agreement",
        ),
        Section(
            "windows-missed",
            "Notice windows missed",
            gone,
            href,
            f"Funding agreements {whose} whose last day for proper notice passed with none given.",
            noun="agreement",
        ),
    )


def compact_windows(user: User) -> list[Section]:
    return list(_window_sections(user, url_for("agreements.list_windows"), "in your Compacts"))


def our_windows(user: User) -> list[Section]:
    return list(_window_sections(user, url_for("agreements.list_agreements"), "you hold"))


SectionBuilder = Callable[[User], Section | list[Section]]

# Each role's work, in the order it is shown. New kinds of work are added here.
SECTIONS: dict[Role, tuple[SectionBuilder, ...]] = {
    Role.OFFICER: (
        awaiting_acknowledgement,
        overdue,
        due_this_week,
        notices_without_case,
        compact_windows,
    ),
    Role.MEDIATOR: (unassigned_escalated, my_cases),
    Role.FUNDER: (followed_cases, our_notices, our_windows, awaiting_you),
    # "Raise a concern" is a link of the home page itself (main/home.html), above these.
    Role.ORGANISATION: (followed_cases, awaiting_you),
}


def sections_for(user: User) -> list[Section]:
    """The signed-in person's sections of work; none for a role without case work."""
    found: list[Section] = []
    for build in SECTIONS.get(user.role, ()):
        built = build(user)
        found.extend(built if isinstance(built, list) else [built])
    return found


@dataclass(frozen=True)
class Headline:
    label: str
    value: int


def headline_figures(user: User) -> tuple[coverage.ReportFilters, list[Headline]]:
    """The cases figures of this financial year in the user's report scope (the reports'
    tallies, so a handful of queries whatever the number of cases)."""
    start, end = coverage.financial_year(localtime.today())
    filters = coverage.ReportFilters(start=start, end=end)
    report = queries.cases_report(filters, user)
    return filters, [Headline(label, value) for label, value in report.rows]
