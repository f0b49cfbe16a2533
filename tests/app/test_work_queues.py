"""Each person's work: the home page's sections by role, with counts that match the filtered
list their links open, and the case list's next deadline, officer and mediator, filters by
assignment and person, and order by next deadline."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import time_machine

from compactcases.agreements import services as agreements
from compactcases.cases import workflow
from compactcases.letters import services as letters
from compactcases.models import Compact, NoticeKind, Role, User
from compactcases.notices import services as notices
from tests.app.test_agreements import details as agreement_details
from tests.app.test_api import api, bearer, token_for  # noqa: F401
from tests.app.test_case_pages import _request, text
from tests.conftest import PASSWORD

TODAY = date(2026, 10, 20)  # a Tuesday


def person(db, world, email: str, name: str, role: Role, **scope) -> User:
    user = User(email=email, name=name, role=role, active=True, **scope)
    user.set_password(PASSWORD, method="pbkdf2:sha256:1000")
    db.session.add(user)
    db.session.commit()
    return user


def _escalate(case, world):
    workflow.fire_event(case, "escalate", _request(reason="The council hosts it"), world.officer)
    return case


def work(db, world, make_case) -> dict:
    """Birmingham's cases on Tuesday 20 October 2026, and a short notice with no case."""
    late = make_case(title="Late acknowledgement", raised_on=date(2026, 10, 5))  # due 12 Oct
    new = make_case(title="Raised yesterday", raised_on=date(2026, 10, 19))  # due 26 Oct
    talks = make_case(title="In talks", raised_on=date(2026, 10, 12))
    workflow.fire_event(talks, "start_conciliation", _request(), world.officer)  # due 17 Nov
    escalated = _escalate(make_case(title="Sent to the region", raised_on=date(2026, 10, 1)), world)
    notices.create_notice(
        notices.NoticeDetails(
            kind=NoticeKind.FUNDING_END,
            compact_id=world.bir.id,
            funder_id=world.council.id,
            recipient_id=world.youth.id,
            title="Youth grant ends",
            notice_given_on=date(2026, 9, 1),
            effective_on=date(2026, 10, 1),
        ),
        world.admin,
    )
    return {"late": late, "new": new, "talks": talks, "escalated": escalated}


def sections(response) -> dict[str, tuple[int, str]]:
    """The home page's sections: id -> (count, link)."""
    html = response.get_data(as_text=True)
    found = re.findall(
        r'<li class="govuk-!-margin-bottom-6" id="([a-z-]+)">.*?href="([^"]+)">'
        r'<span class="app-work-count" data-count="(\d+)"',
        html,
        flags=re.S,
    )
    return {key: (int(count), href.replace("&amp;", "&")) for key, href, count in found}


def listed_count(browser, href: str) -> int:
    """How many cases or notices the list at `href` says it shows."""
    page = text(browser.get(href))
    match = re.search(r"(\d[\d,]*) (?:cases?|notices?)\b", page)
    if match is None and ("No cases match" in page or "No notices" in page):
        return 0
    assert match, page[:500]
    return int(match.group(1).replace(",", ""))


def assert_counts_match_the_lists(browser, home) -> dict:
    found = sections(home)
    assert found
    for key, (count, href) in found.items():
        if not key.startswith("windows-"):  # one page lists the windows closing and missed
            assert listed_count(browser, href) == count, (key, href)
    return found


@time_machine.travel(TODAY, tick=False)
def test_an_officers_home_counts_their_work_and_links_to_it(browser, db, world, make_case):
    work(db, world, make_case)
    home = browser.get("/")
    assert home.status_code == 200
    found = assert_counts_match_the_lists(browser, home)
    assert {key: count for key, (count, _) in found.items()} == {
        "awaiting-acknowledgement": 2,
        "overdue": 1,
        "due-this-week": 1,
        "notices-without-case": 1,
        "windows-closing": 0,
        "windows-missed": 0,
    }
    overdue = text(browser.get(found["overdue"][1]))
    assert "Late acknowledgement" in overdue and "Raised yesterday" not in overdue
    assert "6 working days overdue" in overdue
    assert "Youth grant ends" in text(browser.get(found["notices-without-case"][1]))


@time_machine.travel(TODAY, tick=False)
def test_an_acknowledged_dispute_is_no_longer_awaiting_acknowledgement(
    browser, db, world, make_case
):
    cases = work(db, world, make_case)
    # Acknowledged, it stays raised until conciliation starts.
    letters.record_acknowledgement(cases["late"], TODAY, world.officer, TODAY)
    db.session.commit()
    found = assert_counts_match_the_lists(browser, browser.get("/"))
    count, href = found["awaiting-acknowledgement"]
    assert count == 1
    listed = text(browser.get(href))
    assert "Raised yesterday" in listed and "Late acknowledgement" not in listed
    assert "Late acknowledgement" in text(browser.get("/cases?state=raised"))


@time_machine.travel(TODAY, tick=False)
def test_a_mediators_home_shows_unassigned_cases_then_their_own(anonymous, db, world, make_case):
    cases = work(db, world, make_case)
    anonymous.sign_in(world.mediator, stay=True)
    found = assert_counts_match_the_lists(anonymous, anonymous.get("/"))
    assert found["unassigned"][0] == 1 and found["my-cases"][0] == 0
    assert "Sent to the region" in text(anonymous.get(found["unassigned"][1]))

    taken = anonymous.submit(
        f"/cases/{cases['escalated'].reference}", f"/cases/{cases['escalated'].reference}/take", {}
    )
    assert taken.status_code == 302
    home = anonymous.get("/")
    found = assert_counts_match_the_lists(anonymous, home)
    assert found["unassigned"][0] == 0 and found["my-cases"][0] == 1
    assert cases["escalated"].reference in text(home)


@time_machine.travel(TODAY, tick=False)
def test_a_funders_home_shows_its_open_cases_and_short_notices(anonymous, db, world, make_case):
    work(db, world, make_case)
    make_case(title="About the police", funder_id=world.police.id)
    anonymous.sign_in(world.funder, stay=True)
    found = assert_counts_match_the_lists(anonymous, anonymous.get("/"))
    assert found["open-cases"][0] == 4
    assert found["notices-not-compliant"][0] == 1
    assert (found["windows-closing"][0], found["windows-missed"][0]) == (0, 0)
    assert "About the police" not in text(anonymous.get(found["open-cases"][1]))


@time_machine.travel(TODAY, tick=False)
def test_a_viewers_home_shows_the_headline_figures(anonymous, db, world, make_case):
    work(db, world, make_case)
    anonymous.sign_in(world.viewer, stay=True)
    page = text(anonymous.get("/"))
    assert "This financial year: 1 April 2026 to 31 March 2027" in page
    assert "Cases opened 4" in page


def _agreements(world) -> None:
    # Under Birmingham's 3 months: ending 31 January 2027, notice is due by 31 October 2026,
    # within 8 weeks of 20 October; ending 31 December 2026, it was due by 30 September.
    for title, ends_on, reference in (
        ("Youth work", date(2027, 1, 31), "BCC-1"),
        ("Holiday club", date(2026, 12, 31), "BCC-2"),
        ("Advice line", date(2028, 3, 31), "BCC-3"),
    ):
        agreements.create_agreement(
            agreement_details(world, title=title, ends_on=ends_on, funder_reference=reference),
            world.funder,
            today=date(2026, 6, 1),
        )


def _assert_windows_counted(client) -> None:
    found = sections(client.get("/"))
    assert (found["windows-closing"][0], found["windows-missed"][0]) == (1, 1)
    listed = text(client.get(found["windows-closing"][1]))
    assert "Youth work" in listed and "Holiday club" in listed


@time_machine.travel(TODAY, tick=False)
def test_an_officers_home_counts_notice_windows_closing_and_missed(browser, db, world):
    _agreements(world)
    _assert_windows_counted(browser)


@time_machine.travel(TODAY, tick=False)
def test_a_funders_home_counts_its_notice_windows_closing_and_missed(anonymous, db, world):
    _agreements(world)
    anonymous.sign_in(world.funder, stay=True)
    _assert_windows_counted(anonymous)


# -- the case list ------------------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_the_list_shows_next_deadline_officer_and_mediator(browser, db, world, make_case):
    cases = work(db, world, make_case)
    html = browser.get("/cases?sort=deadline").get_data(as_text=True)
    rows = re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', html, flags=re.S)[1:]
    order = [re.search(r"[A-Z]{3}-\d{4}-\d{4}", row).group(0) for row in rows]
    # Next deadline first: 12 October (overdue), 26 October, 17 November, then mediation.
    assert order[:3] == [cases[k].reference for k in ("late", "new", "talks")]
    late = next(row for row in rows if cases["late"].reference in row)
    assert "govuk-tag--red" in late and "6 working days overdue" in late
    assert 'data-label="Next deadline"' in late and "Priya Shah" in late
    new = next(row for row in rows if cases["new"].reference in row)
    assert "4 working days left" in new and "govuk-tag--red" not in new
    escalated = next(row for row in rows if cases["escalated"].reference in row)
    assert "No mediator yet" in escalated
    assert 'class="govuk-table app-table--stacked"' in html


@time_machine.travel(TODAY, tick=False)
def test_the_list_filters_by_assignment_and_person(anonymous, db, world, make_case):
    cases = work(db, world, make_case)
    other = person(db, world, "m2@example.org", "Tom Reid", Role.MEDIATOR, region=world.region)
    second = _escalate(make_case(title="Second escalation", raised_on=date(2026, 10, 2)), world)
    anonymous.sign_in(world.mediator, stay=True)
    reference = cases["escalated"].reference
    assert (
        anonymous.submit(f"/cases/{reference}", f"/cases/{reference}/take", {}).status_code == 302
    )
    assert listed_count(anonymous, "/cases?assigned=me") == 1
    assert listed_count(anonymous, "/cases?assigned=unassigned") == 1
    assert second.reference in text(anonymous.get("/cases?assigned=unassigned"))
    assert listed_count(anonymous, f"/cases?person={world.mediator.id}") == 1
    assert listed_count(anonymous, f"/cases?person={other.id}") == 0
    # The officer is on every case: the person filter finds officers too.
    assert listed_count(anonymous, f"/cases?person={world.officer.id}") == 2
    download = anonymous.get("/cases.csv?assigned=me").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(download)))
    assert [row[0] for row in rows[1:]] == [reference]


@time_machine.travel(TODAY, tick=False)
def test_the_csv_follows_the_deadline_filters(browser, db, world, make_case):
    cases = work(db, world, make_case)
    rows = list(csv.reader(io.StringIO(browser.get("/cases.csv?due=week").get_data(as_text=True))))
    assert [row[0] for row in rows[1:]] == [cases["new"].reference]
    assert listed_count(browser, "/cases?state=open") == 4


def test_an_officer_in_another_compact_is_not_offered_as_a_person(browser, db, world):
    leicester = Compact(code="LCE", name="Leicester", tier="upper", region=world.other_region)
    db.session.add(leicester)
    db.session.commit()
    person(db, world, "o@lce.example.org", "Lena Marsh", Role.OFFICER, compact=leicester)
    page = text(browser.get("/cases"))
    assert "Margaret O'Neill" in page and "Helen Carter" not in page and "Lena Marsh" not in page


@time_machine.travel(TODAY, tick=False)
def test_the_api_list_takes_the_work_queue_filters_and_order(api, db, world, make_case):  # noqa: F811
    cases = work(db, world, make_case)
    officer = bearer(token_for(api, world.officer))

    def references(query: str, headers=officer) -> list[str]:
        response = api.get(f"/api/v1/cases?{query}", headers=headers)
        assert response.status_code == 200, response.json
        return [item["reference"] for item in response.json["items"]]

    assert references("due=overdue") == [cases["late"].reference]
    assert references("overdue=true") == [cases["late"].reference]
    # Next deadline first: the late acknowledgement (12 October), the new one (26 October), the
    # conciliation stage (17 November); the escalated case's deadline falls later still.
    by_deadline = references("sort=deadline")
    assert by_deadline[:3] == [cases[k].reference for k in ("late", "new", "talks")]
    assert references(f"person={world.officer.id}") == references("")
    mediator = bearer(token_for(api, world.mediator))
    assert references("assigned=unassigned", mediator) == [cases["escalated"].reference]
    assert references("assigned=me", mediator) == []

    refused = api.get("/api/v1/cases?due=someday&sort=sideways&person=x", headers=officer)
    assert refused.status_code == 422
    assert refused.headers["Content-Type"] == "application/problem+json"
    assert set(refused.json["errors"]) == {"due", "sort", "person"}
