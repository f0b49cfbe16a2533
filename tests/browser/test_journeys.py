"""Each role's main pages in a real browser, every page checked by `checked`: axe-core finds
nothing of moderate impact or worse, nothing is wider than a 375 px screen, and no markup
shows as text."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from compactcases import localtime
from compactcases.agreements import services as agreement_services
from compactcases.cases import services as case_services
from compactcases.cases import workflow
from compactcases.models import NoticeKind
from compactcases.notices import services as notice_services
from compactcases.reminders.sending import sweep
from tests.app.test_agreements import details as agreement_details
from tests.browser.conftest import sign_in
from workflows.dispute import EventRequest
from workflows.outcomes import OutcomeDraft


def _fire(case, event: str, actor, reason: str = "", outcome: OutcomeDraft | None = None):
    request = EventRequest(today=localtime.today(), reason=reason, outcome=outcome)
    return workflow.fire_event(case, event, request, actor)


class Casework:
    """A few cases at each stage and a notice, as the demo has them: a raised case, one in
    regional mediation with notes and reminders sent, one resolved with its outcome."""

    def __init__(self, world, make_case) -> None:
        officer = world.officer
        self.raised = make_case(title="Day centre grant ended with four weeks' notice")
        self.escalated = make_case(
            title="Invoices unpaid for over 75 days",
            third_sector_id=world.foodbank.id,
            amount_at_stake=28000,
        )
        _fire(self.escalated, "start_conciliation", officer, "Joint meeting booked")
        case_services.add_note(
            self.escalated,
            "Met both parties; no agreement on the payment dates.",
            meeting=True,
            private=False,
            actor=officer,
        )
        _fire(self.escalated, "escalate", officer, "Local conciliation did not reach agreement.")
        self.resolved = make_case(
            title="Monitoring disproportionate for small grants",
            raised_on=date(2026, 9, 1),
        )
        _fire(self.resolved, "start_conciliation", officer)
        _fire(
            self.resolved,
            "resolve",
            officer,
            outcome=OutcomeDraft(
                level="local_conciliation",
                outcome_type="notice_extended",
                breach_found="yes",
                funding_protected="67,000",
                jobs_safeguarded="3",
                notice_days_gained="61",
                agreed_actions="Notice extended to three months.",
                learning="Ask for the impact assessment before the decision.",
                learning_shareable="yes",
            ),
        )
        self.notice = notice_services.create_notice(
            notice_services.NoticeDetails(
                kind=NoticeKind.FUNDING_END,
                compact_id=world.bir.id,
                funder_id=world.council.id,
                recipient_id=world.youth.id,
                title="Youth work grant ends",
                notice_given_on=date(2026, 9, 1),
                effective_on=date(2026, 10, 13),
            ),
            officer,
        )
        # The overdue deadlines' reminders go out, by e-mail (to the log) and to the inbox.
        sweep(localtime.today())


@pytest.fixture
def casework(world, make_case) -> Casework:
    return Casework(world, make_case)


def visit(page, checked, url: str, status: int = 200) -> None:
    response = page.goto(url)
    assert response.status == status, f"{url}: {response.status}"
    checked(page)


def test_an_officers_pages(page, checked, world, casework):
    sign_in(page, world.officer.email)
    expect(page.get_by_role("heading", name="Your work", exact=True)).to_be_visible()
    checked(page)
    # The header's navigation fits on one line at 1280 px.
    tops = page.locator(".govuk-service-navigation__item").evaluate_all(
        "items => new Set(items.map(i => Math.round(i.getBoundingClientRect().top))).size"
    )
    assert tops == 1

    visit(page, checked, "/funding-agreements/windows")
    visit(page, checked, "/cases?state=regional_mediation")
    expect(page.locator("#cases tbody tr")).to_have_count(1)
    visit(page, checked, f"/cases/{casework.escalated.reference}")
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("The case went from local conciliation to regional mediation.")
    expect(timeline).not_to_contain_text("→")
    expect(timeline).not_to_contain_text("..")

    visit(page, checked, f"/cases/{casework.raised.reference}")
    # The overdue acknowledgement was reminded by e-mail and in the inbox: one line.
    reminders = page.locator("#timeline .moj-timeline__item", has_text="Reminders")
    expect(reminders).to_have_count(1)
    expect(reminders).to_have_text(
        re.compile(r"Due 12 October 2026\. Sent once to Priya Shah \(e-mail and in-app\)\.")
    )

    visit(page, checked, f"/cases/{casework.resolved.reference}")
    visit(page, checked, f"/cases/{casework.raised.reference}/edit")
    visit(page, checked, "/notices")
    visit(page, checked, f"/notices/{casework.notice.id}")
    visit(page, checked, "/notices/check")
    visit(page, checked, "/reports")
    # One of each kind of chart; the other roles visit the rest.
    for name in ("cases", "levels", "trend"):
        visit(page, checked, f"/reports/{name}")
    visit(page, checked, "/learning")
    visit(page, checked, "/inbox")
    visit(page, checked, "/calendar")
    visit(page, checked, "/account")
    visit(page, checked, "/account/password")
    visit(page, checked, "/no-such-page", status=404)
    expect(page.get_by_role("link", name="search the cases")).to_be_visible()


def test_a_raised_case_offers_starting_conciliation_as_its_main_button(
    page, checked, world, casework
):
    sign_in(page, world.officer.email)
    visit(page, checked, f"/cases/{casework.raised.reference}")
    main = page.locator("#events .govuk-button:not(.govuk-button--secondary)")
    expect(main).to_have_count(1)
    expect(main).to_have_text("Start local conciliation")
    secondary = page.locator("#other-steps")
    expect(secondary.get_by_role("link", name="Resolve early: record the outcome")).to_have_class(
        re.compile("govuk-button--secondary")
    )
    expect(secondary.locator("summary")).to_have_text(
        ["Escalate to regional mediation", "Withdraw"]
    )
    # On a narrow screen the next steps come before the timeline.
    # Both boxes are read in one frame, once the header's navigation has folded into its menu
    # (GOV.UK's script does that on a media-query event after the resize), so the page
    # cannot move between the two readings.
    page.set_viewport_size({"width": 375, "height": 800})
    page.wait_for_function(
        """() => {
            const steps = document.querySelector("#events").getBoundingClientRect();
            const timeline = document.querySelector("#timeline-heading").getBoundingClientRect();
            return steps.bottom <= timeline.top;
        }""",
        timeout=5000,
    )

    page.get_by_label("Note (optional)").fill("Meeting booked with both parties")
    page.get_by_role("button", name="Start local conciliation").click()
    banner = page.locator(".govuk-notification-banner")
    expect(banner).to_have_text(
        re.compile(rf"Success\s+{casework.raised.reference}: local conciliation started")
    )
    checked(page)


def test_a_mediators_pages(page, checked, world, casework):
    sign_in(page, world.mediator.email)
    checked(page)
    visit(page, checked, f"/cases/{casework.escalated.reference}")
    page.get_by_role("button", name="Take this case").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"You are now the mediator for {casework.escalated.reference}"
    )
    checked(page)
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Margaret O'Neill became the regional mediator.")
    main = page.locator("#events .govuk-button:not(.govuk-button--secondary)")
    expect(main).to_have_text("Resolve: record the outcome")
    main.click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Record the outcome and resolve the case")
    checked(page)
    visit(page, checked, "/cases?assigned=me&sort=deadline")
    visit(page, checked, "/funding-agreements/windows")
    visit(page, checked, "/reports")
    visit(page, checked, "/reports/time-to-resolution")
    visit(page, checked, "/inbox")
    visit(page, checked, "/account")


def test_a_funders_pages(page, checked, world, casework):
    agreement = agreement_services.create_agreement(
        agreement_details(world), world.funder, today=date(2026, 6, 1)
    )
    sign_in(page, world.funder.email)
    checked(page)
    for url in ("", f"/{agreement.id}", f"/{agreement.id}/edit", f"/{agreement.id}/decision"):
        visit(page, checked, f"/funding-agreements{url}")
    visit(page, checked, f"/cases/{casework.escalated.reference}")
    visit(page, checked, "/notices")
    visit(page, checked, f"/notices/{casework.notice.id}")
    visit(page, checked, f"/notices/{casework.notice.id}/edit")
    visit(page, checked, f"/notices/{casework.notice.id}/withdraw")
    visit(page, checked, "/notices/new")
    visit(page, checked, "/notices/check")
    visit(page, checked, f"/funders/{world.council.id}/compliance")
    visit(page, checked, "/inbox")
    visit(page, checked, "/no-such-page", status=404)


def test_a_viewers_pages(page, checked, world, casework):
    sign_in(page, world.viewer.email)
    checked(page)
    visit(page, checked, "/reports")
    for name in ("areas", "compliance"):
        visit(page, checked, f"/reports/{name}")
    # The chart's legend is drawn whole, inside the chart.
    chart = page.locator(".app-chart svg").first.bounding_box()
    legend_ends = page.locator(".app-chart svg .legends text").evaluate_all(
        "texts => texts.map(t => t.getBoundingClientRect().right)"
    )
    assert len(legend_ends) == 2  # "Notices" and "Kept the Compact"
    assert max(legend_ends) <= chart["x"] + chart["width"]
    visit(page, checked, "/reports/annual-summary")
    visit(page, checked, "/learning")
    # A viewer cannot search cases, so the page-not-found page does not suggest it.
    visit(page, checked, "/no-such-page", status=404)
    expect(page.locator("main")).not_to_contain_text("search the cases")
    expect(page.locator("main").get_by_role("link", name="reports")).to_be_visible()


def test_an_administrators_pages(page, checked, world, casework):
    sign_in(page, world.admin.email)
    checked(page)
    for url in (
        "/admin/users",
        "/admin/users/new",
        "/admin/compacts",
        "/admin/compacts/BIR/edit",
        "/admin/compacts/BIR/rules",
        "/admin/organisations",
        f"/admin/organisations/{world.youth.id}/edit",
        "/admin/regions",
        "/admin/reminders",
        f"/cases/{casework.escalated.reference}/assignment",
        "/admin/bank-holidays",
        "/admin/bank-holidays?year=2027",
        "/reports",
    ):
        visit(page, checked, url)


def test_the_sign_in_page_and_the_favicon(page, checked):
    visit(page, checked, "/sign-in")
    icon = page.request.get("/favicon.ico")
    assert icon.status == 200 and icon.body()[:4] == b"\x00\x00\x01\x00"
