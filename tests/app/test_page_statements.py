"""The fixed cost of a page held in place: the case list and the case page issue a known number
of SQL statements, whatever the number of cases, and read the unread-reminders count, the
signed-in user and the bank holidays' version once each."""

from __future__ import annotations

from tests.conftest import counting_statements

# Every page first reads the newest bank-holiday change (one primary-key lookup), so that a day
# an administrator added in another process is counted here too.
# Then sign-in (user and session row), the officer's Compacts and the officers and mediators
# for the filters, the page of rows (with each row's officer, mediator and next deadline) and
# the unread-reminders count in the header; a list longer than a page adds its capped count.
CASE_LIST_ONE_PAGE = 6
CASE_LIST_PAGED = 7
# The bank holidays' version, sign-in, the case with its areas, outcome, deadlines, pauses and
# notices, its parties and its affected Compacts, the scope check, one page of the timeline with
# its count, the case's reminders, its documents, its meetings, the unread-reminders count.
CASE_PAGE = 17


def _statements(browser, db, path: str) -> list[str]:
    assert browser.get(path).status_code == 200  # compiles and caches what a first request does
    with counting_statements(db.engine) as statements:
        assert browser.get(path).status_code == 200
    return statements


def _once_each(statements: list[str]) -> None:
    unread = [s for s in statements if "FROM reminders" in s and "read_at IS NULL" in s]
    assert len(unread) == 1, unread
    assert len([s for s in statements if "FROM users JOIN user_sessions" in s]) == 1, statements
    assert len([s for s in statements if "FROM bank_holiday_changes" in s]) == 1, statements
    # The overrides themselves are read only when that version changed.
    assert not [s for s in statements if "FROM bank_holiday_overrides" in s], statements


def test_the_case_list_issues_a_fixed_number_of_statements(browser, make_case, db):
    make_case()
    one = _statements(browser, db, "/cases")
    assert len(one) == CASE_LIST_ONE_PAGE, one
    _once_each(one)
    for _ in range(29):
        make_case()
    paged = _statements(browser, db, "/cases")
    assert len(paged) == CASE_LIST_PAGED, paged
    assert len([s for s in paged if "count(*)" in s]) == 2  # the capped count and the inbox
    _once_each(paged)


def test_the_case_page_issues_a_fixed_number_of_statements(browser, make_case, db):
    case = make_case()
    statements = _statements(browser, db, f"/cases/{case.reference}")
    assert len(statements) == CASE_PAGE, statements
    _once_each(statements)
