"""What every page shares: the back link inside the main landmark, and a page-not-found page
that points each person only to what they can use."""

from __future__ import annotations

import re

import pytest

from tests.app.test_case_pages import text


@pytest.mark.parametrize(
    ("role", "pointer"),
    [
        ("officer", "search the cases"),
        ("mediator", "search the cases"),
        ("funder", "search the cases"),
        ("viewer", "You can go to the reports"),
        ("admin", "search the cases"),
    ],
)
def test_page_not_found_points_only_where_the_person_can_go(anonymous, world, role, pointer):
    anonymous.sign_in(getattr(world, role))
    response = anonymous.get("/cases/NOPE-2026-0001/nothing")
    assert response.status_code == 404
    page = text(response)
    assert pointer in page
    if role == "viewer":
        assert "search the cases" not in page and "looking for a case" not in page


def test_page_not_found_before_signing_in_points_to_the_start(anonymous, world):
    page = text(anonymous.get("/no-such-page"))
    assert "search the cases" not in page


def test_the_back_link_is_inside_main(browser, make_case):
    case = make_case()
    html = browser.get(f"/cases/{case.reference}").get_data(as_text=True)
    main = re.search(r"<main\b.*?</main>", html, flags=re.S).group(0)
    assert 'class="govuk-back-link"' in main
    assert html.count('class="govuk-back-link"') == 1
