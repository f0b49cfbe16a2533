"""An officer finds their overdue cases from the home page in one click, in a real browser."""

from __future__ import annotations

import re
from datetime import date

import time_machine
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

# Before the home page showed each person's work, an officer signed in to the case list and
# had to open the "Deadlines" drop-down, choose "Overdue" and press "Apply filters": three
# clicks. Now the overdue count on the home page is one link.
CLICKS_TO_OVERDUE = 1


@time_machine.travel(date(2026, 10, 20), tick=True)
def test_an_officer_sees_the_overdue_count_and_clicks_through_to_the_cases(
    page, world, make_case, checked
):
    make_case(title="Late acknowledgement", raised_on=date(2026, 10, 5))  # due 12 October
    make_case(title="Raised yesterday", raised_on=date(2026, 10, 19))  # due 26 October
    sign_in(page, world.officer.email)

    expect(page.get_by_role("heading", name="Your work")).to_be_visible()
    checked(page)
    overdue = page.locator("#overdue")
    expect(overdue.get_by_role("heading", name="Overdue")).to_be_visible()
    link = overdue.get_by_role("link", name=re.compile(r"^1 case\b.*Overdue$"))
    expect(link).to_be_visible()

    clicks = 0
    link.click()
    clicks += 1

    expect(page.locator("#result-count")).to_contain_text("1 case")
    row = page.locator("#cases tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Late acknowledgement")
    expect(row.locator(".govuk-tag--red")).to_have_text("6 working days overdue")
    expect(page.get_by_label("Deadlines")).to_have_value("overdue")
    # The list's added columns still fit a 1280 px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert clicks == CLICKS_TO_OVERDUE
    checked(page)
