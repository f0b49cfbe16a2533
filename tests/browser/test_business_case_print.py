"""The business case in Chromium: the one-page summary printed on A4 (one page, no navigation,
nothing wider than the paper), and the new pages through `checked(page)`."""

from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa
from playwright.sync_api import expect

from compactcases.models import Outcome
from compactcases.self_assessment import services
from tests.app.test_business_case import QUERY, protected  # noqa: F401  (a fixture)
from tests.app.test_self_assessment import complete
from tests.browser.conftest import sign_in

# A4 at 96 dots an inch, less the page's 12 mm margins either side.
A4_WIDTH = round((210 - 2 * 12) / 25.4 * 96)
PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?!s)")


def test_the_summary_prints_on_one_a4_page_without_navigation(
    page,
    world,
    db,
    protected,  # noqa: F811
    checked,
):
    db.session.execute(
        sa.update(Outcome).values(
            learning_shareable=True,
            learning="Talk to the sector early: a phased cut kept the service open while a "
            "new funder was found, and the council now consults before every budget round.",
        )
    )
    db.session.commit()
    sign_in(page, world.viewer.email)
    page.goto(f"/reports/business-case?{QUERY}")
    expect(page.locator("#headline")).to_contain_text("£204,577.40")
    checked(page)
    page.get_by_role("link", name="One-page summary to print").click()
    expect(page.locator("#headline")).to_contain_text("range £177,577.40 to £255,577.40")
    expect(page.locator("blockquote")).to_have_count(3)
    checked(page)

    page.emulate_media(media="print")
    page.set_viewport_size({"width": A4_WIDTH, "height": 1000})
    assert page.locator("nav, .govuk-service-navigation, .govuk-header, .govuk-footer").count() == 0
    assert page.locator("#method").is_visible() and page.locator("svg").count() == 2
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{overflow}px wider than A4"
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    assert len(PAGE_OBJECT.findall(pdf)) == 1


def test_the_self_assessment_pages_pass_the_checks(page, world, checked):
    services.submit(world.war, 2026, complete(), None, world.officer_war, date(2027, 5, 1))
    sign_in(page, world.officer.email)
    page.goto("/self-assessments?year=2026")
    checked(page)
    page.get_by_role("link", name="Birmingham").click()
    page.get_by_role("button", name="Submit the return").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Say whether the funding code is in place"
    )
    checked(page)
    page.context.clear_cookies()
    sign_in(page, world.viewer.email)
    page.goto("/self-assessments/2026/roll-up")
    expect(page.locator("#counts")).to_contain_text("1 return submitted")
    checked(page)
    page.context.clear_cookies()
    sign_in(page, world.admin.email)
    for url in ("/admin/value-proxies", "/admin/value-proxies/job", "/admin/self-assessment-years"):
        page.goto(url)
        checked(page)
