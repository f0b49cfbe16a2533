"""The notice pages, driven through the test client as a funder or an officer would use them."""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine

from compactcases.models import Case, CompactRule, Deadline, Notice, NoticeKind
from compactcases.notices import services
from tests.app.test_case_pages import field_error, text
from tests.conftest import Browser
from workflows.deadlines import DeadlineKind, DeadlineStatus
from workflows.periods import WORKING_DAYS


def notice_form(world, **overrides) -> dict:
    data = {
        "kind": "funding_end",
        "compact": str(world.bir.id),
        "title": "Youth work grant ends",
        "funder": str(world.council.id),
        "recipient": str(world.youth.id),
        "notice_given_on": ["1", "9", "2026"],
        "effective_on": ["15", "10", "2026"],
        "written": "yes",
        "reasons_given": "yes",
        "amount_before": "45000",
        "amount_after": "",
        "opens_on": ["", "", ""],
        "closes_on": ["", "", ""],
    }
    data.update(overrides)
    return data


def record(browser, data):
    return browser.submit("/notices/new", "/notices/new", data)


def make_notice(world, **overrides) -> Notice:
    values = dict(
        kind=NoticeKind.FUNDING_END,
        compact_id=world.bir.id,
        funder_id=world.council.id,
        recipient_id=world.youth.id,
        title="Youth work grant ends",
        notice_given_on=date(2026, 9, 1),
        effective_on=date(2026, 12, 1),
    )
    values.update(overrides)
    return services.create_notice(services.NoticeDetails(**values), world.officer)


def count_notices(db) -> int:
    return db.session.scalar(db.select(db.func.count(Notice.id)))


# -- recording a notice ----------------------------------------------------------------------------


def test_a_notice_with_errors_saves_nothing_then_a_correct_one_shows_its_verdict(
    browser, world, db
):
    refused = record(browser, notice_form(world, notice_given_on=["", "", ""], recipient="0"))
    assert refused.status_code == 422
    assert "There is a problem" in text(refused)
    assert field_error(refused, "notice_given_on") == "Enter the date notice was given"
    assert field_error(refused, "recipient") == "Select the organisation whose funding changes"
    # What was typed is kept.
    assert 'value="Youth work grant ends"' in refused.get_data(as_text=True)
    assert count_notices(db) == 0

    saved = record(browser, notice_form(world))
    assert saved.status_code == 302
    page = text(browser.get(saved.headers["Location"]))
    assert "Notice recorded" in page
    # Six weeks' notice of a change under a three-month rule: 1 September + 3 months is
    # 1 December, 47 days after 15 October.
    assert "Not compliant" in page
    assert "Required period 3 calendar months" in page
    assert "Earliest compliant effective date 1 December 2026" in page
    assert "Latest date notice could be given 15 July 2026" in page
    assert "Shortfall 47 days" in page
    assert (
        "Notice given on 1 September 2026 for a change taking effect on 15 October 2026 is "
        "47 days short of the 3 calendar months required" in page
    )
    notice = db.session.scalar(db.select(Notice))
    assert (notice.compliant, notice.shortfall_days) == (False, 47)
    assert [(d.kind, d.due_on, d.status) for d in notice.deadlines] == [
        (DeadlineKind.NOTICE_ISSUE_BY, date(2026, 7, 15), DeadlineStatus.MISSED)
    ]


def test_a_compliant_notice_says_so(browser, world):
    saved = record(browser, notice_form(world, effective_on=["1", "12", "2026"]))
    response = browser.get(saved.headers["Location"])
    page = text(response)
    assert "Compliant" in page and "Not compliant" not in page
    assert f'href="/funders/{world.council.id}/compliance"' in response.get_data(as_text=True)
    assert "Shortfall None" in page
    assert "Open a case" not in page


def test_notice_not_in_writing_is_not_compliant_whatever_its_dates(browser, world):
    saved = record(browser, notice_form(world, effective_on=["1", "12", "2026"], written="no"))
    page = text(browser.get(saved.headers["Location"]))
    assert "Not compliant" in page
    assert "was not given in writing" in page


def test_an_effective_date_before_the_notice_date_is_refused(browser, world, db):
    response = record(browser, notice_form(world, effective_on=["31", "8", "2026"]))
    assert response.status_code == 422
    assert field_error(response, "effective_on") == (
        "The date the change takes effect must be the same as or after the notice date"
    )
    assert count_notices(db) == 0


def test_dates_outside_2000_to_2100_are_refused(browser, world, db):
    response = record(
        browser,
        notice_form(world, notice_given_on=["1", "9", "1999"], effective_on=["1", "1", "2101"]),
    )
    assert response.status_code == 422
    assert field_error(response, "notice_given_on") == (
        "Notice date 1 September 1999 is outside the supported range 1 January 2000 to "
        "31 December 2100"
    )
    assert field_error(response, "effective_on").startswith("Effective date 1 January 2101")
    assert count_notices(db) == 0


def test_a_date_that_does_not_exist_is_refused(browser, world):
    response = record(browser, notice_form(world, effective_on=["31", "11", "2026"]))
    assert field_error(response, "effective_on") == (
        "Date the change takes effect must be a real date, for example 27 3 2026"
    )


def test_a_consultation_closing_before_it_opens_is_refused(browser, world, db):
    data = notice_form(
        world,
        kind="consultation",
        title="Future of day services",
        recipient="0",
        notice_given_on=["", "", ""],
        effective_on=["", "", ""],
        opens_on=["1", "3", "2027"],
        closes_on=["28", "2", "2027"],
    )
    response = record(browser, data)
    assert response.status_code == 422
    assert field_error(response, "closes_on") == (
        "The closing date must be the same as or after the opening date"
    )
    assert count_notices(db) == 0


def test_a_four_week_consultation_is_flagged_with_its_shortfall(browser, world, db):
    data = notice_form(
        world,
        kind="consultation",
        title="Future of day services",
        recipient="0",
        notice_given_on=["", "", ""],
        effective_on=["", "", ""],
        opens_on=["1", "3", "2027"],
        closes_on=["29", "3", "2027"],
    )
    saved = record(browser, data)
    assert saved.status_code == 302
    page = text(browser.get(saved.headers["Location"]))
    assert "Not compliant" in page
    assert "Earliest compliant closing date 24 May 2027" in page
    assert "Shortfall 56 days" in page
    assert "28 days short of" not in page
    notice = db.session.scalar(db.select(Notice))
    assert (notice.kind, notice.compliant, notice.shortfall_days) == (
        NoticeKind.CONSULTATION,
        False,
        56,
    )
    # With no organisation named, a case cannot be opened from it in one step.
    assert "Open a case" not in page
    assert "log a dispute naming the organisation that raises it" in page


def test_a_reduction_must_reduce(browser, world):
    data = notice_form(world, kind="funding_reduction", amount_before="40000", amount_after="40000")
    response = record(browser, data)
    assert field_error(response, "amount_after") == (
        "For a reduction, enter less than the funding before"
    )


# -- the list ----------------------------------------------------------------------------------


def test_non_compliant_notices_are_flagged_in_the_list_and_can_be_filtered(browser, world):
    make_notice(world, title="Grant ends with full notice")
    make_notice(world, title="Grant cut with six weeks' notice", effective_on=date(2026, 10, 13))
    html = browser.get("/notices").get_data(as_text=True)
    row = re.search(r"six weeks&#39; notice</a>.*?</tr>", html, flags=re.S).group(0)
    assert 'govuk-tag--red app-non-compliant">Not compliant' in row
    page = text(browser.get("/notices"))
    assert "2 notices" in page

    flagged = text(browser.get("/notices?verdict=not_compliant"))
    assert "1 notice" in flagged
    assert "six weeks' notice" in flagged and "full notice" not in flagged
    kept = text(browser.get("/notices?verdict=compliant"))
    assert "full notice" in kept and "six weeks' notice" not in kept


def test_the_list_filters_by_funder_and_compact(browser, world):
    make_notice(world, title="Council grant ends")
    make_notice(world, title="Police grant ends", funder_id=world.police.id)
    make_notice(
        world,
        title="County grant ends",
        compact_id=world.war.id,
        funder_id=world.wcc.id,
        recipient_id=world.rugby_cvs.id,
    )
    by_funder = text(browser.get(f"/notices?funder={world.police.id}"))
    assert "Police grant ends" in by_funder and "Council grant ends" not in by_funder
    by_compact = text(browser.get("/notices?compact=WAR"))
    assert "County grant ends" in by_compact and "Police grant ends" not in by_compact


# -- checking a planned change -----------------------------------------------------------------


def check(browser, world, **fields):
    data = {
        "compact": str(world.bir.id),
        "kind": "funding_end",
        "effective_on": ["", "", ""],
        "notice_on": ["", "", ""],
    }
    data.update(fields)
    return browser.submit("/notices/check", "/notices/check", data)


def answer(response) -> str:
    return re.search(r'id="answer">([^<]+)<', response.get_data(as_text=True)).group(1)


def test_checker_gives_the_latest_notice_date_for_a_month_end_effective_date(browser, world, db):
    response = check(browser, world, effective_on=["28", "2", "2027"])
    assert response.status_code == 200
    page = text(response)
    # 28 February is the last day of its month, so every start day from 28 to 30 November
    # reaches it: notice on 30 November 2026 is the latest.
    assert answer(response) == "30 November 2026"
    assert "Latest date to give notice" in page
    assert "Required period 3 calendar months" in page
    assert count_notices(db) == 0


def test_checker_gives_the_earliest_effective_date_for_a_notice_date(browser, world):
    assert answer(check(browser, world, notice_on=["30", "11", "2026"])) == "28 February 2027"
    assert answer(check(browser, world, notice_on=["31", "5", "2027"])) == "31 August 2027"
    assert answer(check(browser, world, notice_on=["30", "11", "2027"])) == "29 February 2028"


def test_checker_with_both_dates_gives_the_verdict(browser, world):
    page = text(
        check(browser, world, notice_on=["1", "9", "2026"], effective_on=["15", "10", "2026"])
    )
    assert "Not compliant" in page
    assert "47 days short" in page


def test_checker_for_a_consultation_works_both_ways(browser, world):
    opens = check(browser, world, kind="consultation", notice_on=["1", "3", "2027"])
    assert answer(opens) == "24 May 2027"
    assert "A consultation opening on 1 March 2027 must close on or after 24 May 2027" in text(
        opens
    )
    closes = check(browser, world, kind="consultation", effective_on=["24", "5", "2027"])
    assert answer(closes) == "1 March 2027"
    assert "To close on 24 May 2027, a consultation must open on or before 1 March 2027" in text(
        closes
    )


def test_checker_explains_a_date_its_calendar_cannot_reach(browser, world, db):
    # 9,999 working days before 3 January 2000 is before the working-day calendar begins.
    db.session.add(
        CompactRule(compact_id=world.bir.id, name="funding_notice", count=9999, unit=WORKING_DAYS)
    )
    db.session.commit()
    response = check(browser, world, effective_on=["3", "1", "2000"])
    assert response.status_code == 422
    assert "working-day calendar" in field_error(response, "effective_on")


def test_checker_needs_one_date(browser, world):
    response = check(browser, world)
    assert response.status_code == 422
    assert field_error(response, "effective_on") == (
        "Enter the date the change would take effect, or the date notice can be given"
    )


# -- opening a case from a notice ------------------------------------------------------------------


@time_machine.travel(date(2026, 10, 20), tick=False)
def test_an_officer_opens_a_case_from_a_non_compliant_notice_in_one_step(anonymous, world, db):
    browser = anonymous
    browser.sign_in(world.officer)
    notice = make_notice(
        world, effective_on=date(2026, 10, 13), amount_before=45000, amount_after=None
    )
    url = f"/notices/{notice.id}"
    response = browser.submit(url, f"{url}/open-case", {})
    assert response.status_code == 302
    assert response.headers["Location"] == "/cases/BIR-2026-0001"

    case_page = browser.get("/cases/BIR-2026-0001")
    case_text = text(case_page)
    assert "Case BIR-2026-0001 opened from this notice" in case_text
    assert "Youth work grant ends" in case_text
    assert "Opened from the notice “Youth work grant ends”" in case_text
    assert "£45,000" in case_text
    assert f'href="/notices/{notice.id}"' in case_page.get_data(as_text=True)
    assert "Not compliant" in case_text

    notice_page = browser.get(url)
    assert 'href="/cases/BIR-2026-0001"' in notice_page.get_data(as_text=True)
    assert "Open a case" not in text(notice_page)

    case = db.session.scalar(db.select(Case))
    assert (case.compact_id, case.funder_id, case.third_sector_id, case.raised_on) == (
        world.bir.id,
        world.council.id,
        world.youth.id,
        date(2026, 10, 20),
    )
    assert db.session.get(Notice, notice.id).case_id == case.id
    acknowledge = db.session.scalar(db.select(Deadline).filter_by(case_id=case.id))
    assert (acknowledge.kind, acknowledge.due_on) == (DeadlineKind.ACKNOWLEDGE, date(2026, 10, 27))

    # A second post, say from a page left open, opens nothing more.
    again = browser.submit(url, f"{url}/open-case", {})
    assert again.status_code == 409
    assert "Case BIR-2026-0001 is already open about this notice" in text(again)
    assert db.session.scalar(db.select(db.func.count(Case.id))) == 1


def test_no_case_is_opened_from_a_compliant_notice(browser, world, db):
    notice = make_notice(world)
    # The page offers no button; a form posted from elsewhere is refused all the same.
    response = browser.submit("/notices/new", f"/notices/{notice.id}/open-case", {})
    assert response.status_code == 409
    assert "no breach to dispute" in text(response)
    assert db.session.scalar(db.select(db.func.count(Case.id))) == 0


def test_opening_a_case_without_the_csrf_token_is_refused(browser, world, db):
    notice = make_notice(world, effective_on=date(2026, 10, 13))
    assert browser.post(f"/notices/{notice.id}/open-case").status_code == 400
    assert db.session.scalar(db.select(db.func.count(Case.id))) == 0


def test_unknown_notice_is_a_404(browser, world):
    assert browser.get("/notices/9999").status_code == 404


# -- a funder's compliance ---------------------------------------------------------------------


def test_funder_compliance_rate_is_counted_by_kind(browser, world):
    # The council: two funding ends with full notice, one 47 days short, one consultation
    # 56 days short. 2 of 4 compliant: 50%. Funding ends: 2 of 3, 67%.
    make_notice(world, title="Lunch club grant ends")
    make_notice(world, title="Advice grant ends", notice_given_on=date(2026, 6, 1))
    make_notice(world, title="Youth grant ends early", effective_on=date(2026, 10, 15))
    make_notice(
        world,
        kind=NoticeKind.CONSULTATION,
        title="Day services consultation",
        recipient_id=None,
        notice_given_on=None,
        effective_on=None,
        opens_on=date(2027, 3, 1),
        closes_on=date(2027, 3, 29),
    )
    make_notice(
        world,
        title="Police grant cut short",
        funder_id=world.police.id,
        effective_on=date(2026, 10, 1),
    )
    page = text(browser.get(f"/funders/{world.council.id}/compliance"))
    assert "50% of notices kept the Compact (2 of 4)" in page
    assert "Ending funding 3 2 67% 47" in page
    assert "Public consultation 1 0 0% 56" in page
    assert "All notices 4 2 50% 103" in page
    assert "Police grant cut short" not in page
    assert "Youth grant ends early" in page

    police = text(browser.get(f"/funders/{world.police.id}/compliance"))
    assert "0% of notices kept the Compact (0 of 1)" in police


def test_compliance_of_a_voluntary_organisation_is_a_404(browser, world):
    assert browser.get(f"/funders/{world.youth.id}/compliance").status_code == 404


@pytest.fixture
def browser(anonymous, world):
    """Signed in as the administrator, who may record, read and act on every notice; the
    role-specific journeys sign in as the funder or the officer."""
    anonymous.sign_in(world.admin, stay=True)
    return anonymous


def test_a_funder_records_its_own_notice_and_sees_only_its_own(anonymous, world, db):
    anonymous.sign_in(world.funder)
    make_notice(world, title="Police grant ends", funder_id=world.police.id)
    form = notice_form(world)
    response = anonymous.submit("/notices/new", "/notices/new", form)
    assert response.status_code == 302
    listing = text(anonymous.get("/notices"))
    assert "Youth work grant ends" in listing and "Police grant ends" not in listing
    # Another funder's organisation cannot be chosen.
    other = anonymous.submit(
        "/notices/new", "/notices/new", notice_form(world, funder=str(world.police.id))
    )
    assert other.status_code == 422
    assert field_error(other, "funder") == "Select the statutory funder"
    assert anonymous.get(f"/funders/{world.police.id}/compliance").status_code == 404


def test_a_funder_cannot_open_a_case_from_its_notice(anonymous, world, db):
    notice = make_notice(world, effective_on=date(2026, 10, 13))
    anonymous.sign_in(world.funder)
    page = anonymous.get(f"/notices/{notice.id}")
    assert "Open a case" not in text(page)
    assert "The Compact officer can open a case about it in one step" in text(page)
    refused = anonymous.submit(f"/notices/{notice.id}", f"/notices/{notice.id}/open-case", {})
    assert refused.status_code == 403
    assert db.session.scalar(db.select(db.func.count(Case.id))) == 0


def test_a_warwickshire_officer_cannot_see_a_birmingham_notice(anonymous, world):
    notice = make_notice(world)
    anonymous.sign_in(world.officer_war)
    assert "0 notices" in text(anonymous.get("/notices"))
    assert anonymous.get(f"/notices/{notice.id}").status_code == 404


def test_a_funder_reaches_its_compliance_from_the_notices(anonymous, world):
    anonymous.sign_in(world.funder)
    html = anonymous.get("/notices").get_data(as_text=True)
    assert f'href="/funders/{world.council.id}/compliance"' in html
    assert anonymous.get(f"/funders/{world.council.id}/compliance").status_code == 200


def test_an_organisation_user_sees_the_notices_given_to_it_and_no_funders_buttons(
    app, anonymous, world, db
):
    make_notice(world, title="Youth work grant ends")
    make_notice(world, recipient_id=world.foodbank.id, title="Food bank grant ends")
    anonymous.sign_in(world.organisation_user)
    page = text(anonymous.get("/notices"))
    assert "Youth work grant ends" in page
    assert "Food bank grant ends" not in page
    assert "Record a notice" not in page and "Your compliance" not in page
    funder = Browser(app, app.test_client())
    funder.sign_in(world.funder)
    page = text(funder.get("/notices"))
    assert "Record a notice" in page and "Your compliance" in page
