"""The case pages, driven through the test client as an officer would use them."""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine

from compactcases.cases import services, workflow
from compactcases.models import Area, Case, CaseEvent, Side
from workflows.dispute import State


def text(response) -> str:
    """The page's visible text, tags removed and white space folded."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&#39;", "'").split())


def field_error(response, field_id: str) -> str | None:
    """The error message shown beside a field, or None."""
    html = response.get_data(as_text=True)
    match = re.search(
        rf'<p id="{re.escape(field_id)}-error" class="govuk-error-message">\s*'
        r'<span class="govuk-visually-hidden">Error:</span>\s*([^<]+?)\s*</p>',
        html,
    )
    return match.group(1) if match else None


def events_of(db, case_id: int) -> list[CaseEvent]:
    db.session.expire_all()
    return db.session.scalars(
        db.select(CaseEvent).filter_by(case_id=case_id).order_by(CaseEvent.id)
    ).all()


NEW_CASE = {
    "title": "Day centre grant ended with four weeks' notice",
    "summary": "The council wrote on 1 October ending the grant from 31 October.",
    "raised_by": "third_sector",
    "areas": ["funding", "consultation"],
    "amount_at_stake": "62000",
    "raised_on": ["5", "10", "2026"],
}


def new_case_form(world, **overrides) -> dict:
    data = dict(
        NEW_CASE,
        compact=str(world.bir.id),
        funder=str(world.council.id),
        third_sector=str(world.youth.id),
    )
    data.update(overrides)
    return data


# -- the case list -----------------------------------------------------------------------------


def test_case_list_shows_cases_newest_first(browser, make_case):
    make_case(title="Older dispute", raised_on=date(2026, 3, 1))
    make_case(title="Newer dispute", raised_on=date(2026, 9, 1))
    page = text(browser.get("/cases"))
    assert "2 cases" in page
    assert page.index("Newer dispute") < page.index("Older dispute")


def test_case_list_sorts_oldest_first_on_request(browser, make_case):
    make_case(title="Older dispute", raised_on=date(2026, 3, 1))
    make_case(title="Newer dispute", raised_on=date(2026, 9, 1))
    page = text(browser.get("/cases?sort=oldest"))
    assert page.index("Older dispute") < page.index("Newer dispute")


def test_case_list_filters_by_state(browser, make_case, world):
    make_case(title="Still raised")
    moved = make_case(title="In conciliation")
    workflow.fire_event(moved, "start_conciliation", _request(), world.officer)
    page = text(browser.get("/cases?state=local_conciliation"))
    assert "1 case" in page
    assert "In conciliation" in page
    assert "Still raised" not in page


def test_case_list_filters_by_compact(anonymous, make_case, world):
    browser = anonymous
    browser.sign_in(world.admin)
    make_case(title="Birmingham dispute")
    make_case(
        title="Rugby dispute",
        compact_id=world.war.id,
        funder_id=world.wcc.id,
        third_sector_id=world.rugby_cvs.id,
    )
    page = text(browser.get("/cases?compact=WAR"))
    assert "Rugby dispute" in page
    assert "Birmingham dispute" not in page


def test_case_list_filters_by_area(browser, make_case):
    make_case(title="Volunteer expenses", areas=(Area.VOLUNTEERING,))
    make_case(title="Grant cut", areas=(Area.FUNDING, Area.CONSULTATION))
    page = text(browser.get("/cases?area=consultation"))
    assert "Grant cut" in page
    assert "Volunteer expenses" not in page


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("bir-2026-0002", "Second"),
        ("SECOND", "Second"),
        ("food bank", "Second"),
        ("west midlands police", "Second"),
        ("sparkbrook", "First"),
    ],
)
def test_case_list_searches_reference_title_and_party_names(
    browser, make_case, world, query, found
):
    make_case(title="First")
    make_case(title="Second", funder_id=world.police.id, third_sector_id=world.foodbank.id)
    page = text(browser.get("/cases", query_string={"q": query}))
    assert "1 case" in page
    assert f"{found} " in page


def test_search_treats_percent_and_underscore_literally(browser, make_case):
    make_case(title="Cut of 50% to core grant")
    make_case(title="Cut of 500 to core grant")
    page = text(browser.get("/cases", query_string={"q": "50%"}))
    assert "1 case" in page
    assert "Cut of 50% to core grant" in page


def test_case_list_paginates_in_the_database(browser, make_case, app):
    for n in range(27):
        make_case(title=f"Dispute number {n:02d}", raised_on=date(2026, 1, 1 + n))
    first = text(browser.get("/cases"))
    assert "27 cases, showing 1 to 25" in first
    second = text(browser.get("/cases?page=2"))
    assert "showing 26 to 27" in second
    assert "Dispute number 01" in second and "Dispute number 00" in second
    assert "Dispute number 26" not in second


def test_case_list_with_no_match_says_so(browser, make_case):
    make_case()
    page = text(browser.get("/cases?q=nothing-like-this"))
    assert "0 cases" in page
    assert "No cases match these filters" in page


def test_case_list_with_an_unknown_filter_value_explains_and_does_not_crash(browser, make_case):
    make_case(title="Still listed")
    response = browser.get("/cases?state=lost")
    assert response.status_code == 200
    page = text(response)
    assert "There is a problem" in page
    assert "Still listed" in page


# -- logging a new case ------------------------------------------------------------------------


def test_new_case_form_starts_with_the_officers_compact_and_today(anonymous, world):
    with time_machine.travel(date(2026, 11, 28), tick=False):
        anonymous.sign_in(world.officer)
        html = anonymous.get("/cases/new").get_data(as_text=True)
    assert re.search(rf'<option value="{world.bir.id}" selected>Birmingham</option>', html)
    assert 'name="raised_on" type="text" value="28"' in html


def test_empty_new_case_form_shows_errors_beside_each_field(browser, world, db):
    response = browser.submit("/cases/new", "/cases/new", {"title": "  ", "raised_by": ""})
    assert response.status_code == 422
    page = text(response)
    assert "There is a problem" in page
    assert field_error(response, "title") == "Enter a title"
    assert field_error(response, "summary") == "Enter what happened"
    assert field_error(response, "funder") == "Select the statutory funder"
    assert field_error(response, "third_sector") == "Select the third-sector organisation"
    assert field_error(response, "areas") == "Select at least one area of the Compact"
    assert db.session.scalar(db.select(db.func.count(Case.id))) == 0


def test_new_case_form_keeps_what_was_typed_after_an_error(browser, world):
    data = new_case_form(world, raised_on=["31", "2", "2026"])
    response = browser.submit("/cases/new", "/cases/new", data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert field_error(response, "raised_on") == (
        "Date raised must be a real date, for example 27 3 2026"
    )
    assert 'value="Day centre grant ended with four weeks&#39; notice"' in html
    assert "The council wrote on 1 October ending the grant from 31 October." in html
    assert 'name="raised_on" type="text" value="31"' in html
    assert re.search(r'value="consultation" checked', html)
    assert 'value="62000"' in html


def test_third_sector_organisation_given_as_funder_is_refused(browser, world):
    data = new_case_form(world, funder=str(world.foodbank.id))
    response = browser.submit("/cases/new", "/cases/new", data)
    assert response.status_code == 422
    assert field_error(response, "funder") == (
        "Ladywood Community Food Bank is not a statutory funder"
    )


def test_funder_given_as_third_sector_organisation_is_refused(browser, world):
    data = new_case_form(world, third_sector=str(world.police.id))
    response = browser.submit("/cases/new", "/cases/new", data)
    assert field_error(response, "third_sector") == (
        "West Midlands Police is not a third-sector organisation"
    )


def test_same_organisation_on_both_sides_is_refused(browser, world):
    data = new_case_form(world, third_sector=str(world.council.id))
    response = browser.submit("/cases/new", "/cases/new", data)
    assert response.status_code == 422
    assert field_error(response, "third_sector") == (
        "Birmingham City Council is not a third-sector organisation"
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "x" * 201, "Title must be 200 characters or fewer"),
        ("amount_at_stake", "lots", "Enter the money at stake in whole pounds, like 18,000"),
        ("amount_at_stake", "18k", "Enter the money at stake in whole pounds, like 18,000"),
        ("amount_at_stake", "18.50", "Enter the money at stake in whole pounds, without pence"),
        ("amount_at_stake", "-5", "Enter the money at stake from £0 to £10,000,000,000"),
        ("amount_at_stake", "10000000001", "Enter the money at stake from £0 to £10,000,000,000"),
        ("raised_on", ["1", "1", "1999"], "Date raised must be in 2000 or later"),
        ("raised_on", ["1", "1", "2099"], "Date raised must be today or in the past"),
        ("compact", "99999", "Select the local Compact"),
    ],
)
def test_bad_values_are_refused_beside_their_field(browser, world, field, value, message):
    response = browser.submit("/cases/new", "/cases/new", new_case_form(world, **{field: value}))
    assert response.status_code == 422
    assert field_error(response, field) == message


def test_logging_a_case_opens_it_with_its_reference_and_timeline(browser, world, db):
    response = browser.submit("/cases/new", "/cases/new", new_case_form(world))
    assert response.status_code == 302
    assert response.headers["Location"] == "/cases/BIR-2026-0001"
    page = text(browser.get("/cases/BIR-2026-0001"))
    assert "Case BIR-2026-0001 logged" in page
    assert "Day centre grant ended with four weeks' notice" in page
    assert "Raised" in page
    assert "£62,000" in page
    assert "Funding, Consultation and policy" in page
    assert "Case logged by Priya Shah" in page
    case = db.session.scalar(db.select(Case))
    assert case.areas == [Area.FUNDING, Area.CONSULTATION]
    assert case.raised_by is Side.THIRD_SECTOR
    assert case.officer_id == world.officer.id


def test_a_post_without_the_csrf_token_is_refused(browser, world, db):
    response = browser.post("/cases/new", data=new_case_form(world))
    assert response.status_code == 400
    assert db.session.scalar(db.select(db.func.count(Case.id))) == 0


# -- the case page and its workflow buttons ----------------------------------------------------


def test_unknown_case_reference_is_a_404_page(browser, world):
    response = browser.get("/cases/BIR-2026-9999")
    assert response.status_code == 404
    assert "Page not found" in text(response)


def buttons(response) -> list[str]:
    return re.findall(r'name="fire" value="([a-z_]+)"', response.get_data(as_text=True))


def test_case_page_offers_only_the_events_allowed_now(browser, make_case, world):
    case = make_case()
    page = browser.get(f"/cases/{case.reference}")
    assert buttons(page) == ["start_conciliation", "escalate", "withdraw"]
    # Resolving needs the whole outcome, so it has a page of its own.
    assert f'href="/cases/{case.reference}/resolve"' in page.get_data(as_text=True)
    workflow.fire_event(case, "escalate", _request(reason="Host is a party"), world.officer)
    # Regional mediation is the mediator's: the officer is offered nothing.
    page = browser.get(f"/cases/{case.reference}")
    assert buttons(page) == []
    assert "No workflow steps are open to you for this case now" in text(page)


def fire(browser, case, event: str, **fields):
    page = f"/cases/{case.reference}"
    data = {f"{event}-{name}": value for name, value in fields.items()}
    return browser.submit(page, f"{page}/events/{event}", data, f"{event}-csrf_token")


def test_starting_conciliation_moves_the_case_and_records_it(browser, make_case, db):
    case = make_case()
    response = fire(browser, case, "start_conciliation", reason="Meeting booked for 12 October")
    assert response.status_code == 302
    page = text(browser.get(f"/cases/{case.reference}"))
    assert f"{case.reference}: local conciliation started" in page
    assert "Local conciliation started by Priya Shah" in page
    assert "→" not in page and "the case is now" not in page
    assert "Meeting booked for 12 October" in page
    assert db.session.get(Case, case.id).state is State.LOCAL_CONCILIATION


def test_timeline_is_newest_first(browser, make_case):
    case = make_case()
    fire(browser, case, "start_conciliation")
    fire(browser, case, "escalate", reason="The funder would not meet")
    page = text(browser.get(f"/cases/{case.reference}"))
    timeline = page[page.index("Timeline") :]
    assert (
        timeline.index("Escalated to regional mediation")
        < timeline.index("Local conciliation started")
        < timeline.index("Case logged")
    )


def test_escalating_from_raised_without_a_reason_changes_nothing(browser, make_case, db):
    case = make_case()
    before = len(events_of(db, case.id))
    response = fire(browser, case, "escalate", reason="   ")
    assert response.status_code == 422
    page = text(response)
    assert "Nothing was changed" in page
    assert "Enter why the case cannot be conciliated locally" in page
    assert field_error(response, "escalate-reason") == (
        "Enter why the case cannot be conciliated locally"
    )
    # The escalation form is left open, with the error beside its field.
    html = re.sub(r">\s+<", "><", response.get_data(as_text=True))
    assert re.search(r'<details class="govuk-details" open><summary[^>]*><span[^>]*>Escalate', html)
    db.session.expire_all()
    assert db.session.get(Case, case.id).state is State.RAISED
    assert len(events_of(db, case.id)) == before


def test_an_event_not_allowed_now_names_the_allowed_ones(browser, make_case, world, db):
    case = make_case()
    page = f"/cases/{case.reference}"
    stale_page = browser.get(page)
    token = re.search(
        r'name="start_conciliation-csrf_token" type="hidden" value="([^"]+)"',
        stale_page.get_data(as_text=True),
    ).group(1)
    # Someone else starts conciliation while this page is open.
    workflow.fire_event(case, "start_conciliation", _request(), world.officer)
    before = len(events_of(db, case.id))
    response = browser.post(
        f"{page}/events/start_conciliation", data={"start_conciliation-csrf_token": token}
    )
    assert response.status_code == 409
    text_shown = text(response)
    assert (
        "“Start local conciliation” is not allowed while the case is local conciliation."
        in text_shown
    )
    assert "Allowed now: “Escalate to regional mediation”, “Resolve”, “Withdraw”." in text_shown
    assert len(events_of(db, case.id)) == before
    assert db.session.get(Case, case.id).state is State.LOCAL_CONCILIATION


OUTCOME = {
    "level": "local_conciliation",
    "outcome_type": "notice_extended",
    "breach_found": "yes",
    "funding_protected": "67,000",
    "jobs_safeguarded": "3",
    "notice_days_gained": "61",
    "service_users_affected": "",
    "agreed_actions": "Notice extended to three months",
    "learning": "Ask for the impact assessment before the decision",
    "learning_shareable": "yes",
}


def resolve(browser, case, **fields):
    page = f"/cases/{case.reference}"
    data = {f"resolve-{name}": value for name, value in fields.items()}
    return browser.submit(f"{page}/resolve", f"{page}/events/resolve", data, "resolve-csrf_token")


@time_machine.travel(date(2026, 11, 20), tick=False)
def test_resolving_needs_a_complete_outcome_then_closes_the_case(anonymous, world, make_case, db):
    browser = anonymous
    browser.sign_in(world.officer)
    case = make_case(raised_on=date(2026, 10, 5))
    workflow.fire_event(case, "start_conciliation", _request(), world.officer)
    before = len(events_of(db, case.id))
    form = browser.get(f"/cases/{case.reference}/resolve")
    # The level the case has reached is chosen already.
    assert re.search(r'value="local_conciliation"\s+checked', form.get_data(as_text=True))

    partial = {**OUTCOME, "outcome_type": "", "learning": " ", "jobs_safeguarded": "three"}
    refused = resolve(browser, case, **partial)
    assert refused.status_code == 422
    assert field_error(refused, "resolve-outcome_type") == "Select the type of outcome"
    assert field_error(refused, "resolve-learning") == "Enter the learning from the case"
    assert field_error(refused, "resolve-jobs_safeguarded") == (
        "Enter jobs safeguarded as a whole number, like 45000, or leave it blank"
    )
    # What was typed is kept; nothing was written.
    html = refused.get_data(as_text=True)
    assert 'value="67,000"' in html and "Notice extended to three months" in html
    db.session.expire_all()
    assert db.session.get(Case, case.id).state is State.LOCAL_CONCILIATION
    assert db.session.get(Case, case.id).outcome is None
    assert len(events_of(db, case.id)) == before

    done = resolve(browser, case, **OUTCOME)
    assert done.status_code == 302
    db.session.expire_all()
    resolved = db.session.get(Case, case.id)
    assert (resolved.state, resolved.previous_state) == (State.RESOLVED, State.LOCAL_CONCILIATION)
    assert resolved.closed_on == date(2026, 11, 20)
    # Counted after the day raised (Monday 5 October 2026): Tuesday to Friday that week, 4,
    # then six full weeks to Friday 20 November, 30; no bank holidays: 34.
    assert resolved.working_days_to_close == 34
    outcome = resolved.outcome
    assert (outcome.funding_protected, outcome.jobs_safeguarded) == (67000, 3)
    assert (outcome.notice_days_gained, outcome.service_users_affected) == (61, None)
    assert outcome.recorded_by_id == world.officer.id
    page = text(browser.get(f"/cases/{case.reference}"))
    assert "Notice extended to three months" in page
    assert "Closed 20 November 2026" in page
    assert "Funding protected £67,000" in page
    assert "Service users affected Not known" in page


@time_machine.travel(date(2026, 11, 20), tick=False)
def test_reopening_a_resolved_case_removes_its_outcome_and_keeps_it_in_the_timeline(
    anonymous, world, make_case, db
):
    browser = anonymous
    browser.sign_in(world.officer)
    case = make_case()
    workflow.fire_event(case, "start_conciliation", _request(), world.officer)
    assert resolve(browser, case, **OUTCOME).status_code == 302
    assert fire(browser, case, "reopen", reason="The council went back on it").status_code == 302
    db.session.expire_all()
    reopened = db.session.get(Case, case.id)
    assert reopened.outcome is None and reopened.working_days_to_close is None
    page = text(browser.get(f"/cases/{case.reference}"))
    assert (
        "Reopened by Priya Shah 20 November 2026 at 00:00 The case is open again, in local "
        "conciliation. The outcome recorded before was: Notice extended at local conciliation; "
        "breach found: yes; £67,000"
    ) in page


def test_the_resolve_page_of_a_closed_case_says_why_it_cannot_be_resolved(
    anonymous, world, make_case
):
    case = make_case()
    workflow.fire_event(case, "withdraw", _request(reason="Settled"), world.officer)
    # The administrator's role may fire any event, so what stops them is the workflow.
    anonymous.sign_in(world.admin)
    response = anonymous.get(f"/cases/{case.reference}/resolve")
    assert response.status_code == 409
    assert "“Resolve” is not allowed while the case is withdrawn." in text(response)


def test_withdrawal_records_its_reason_and_level_as_a_lighter_outcome(
    browser, world, make_case, db
):
    case = make_case()
    assert fire(browser, case, "withdraw", reason="Funder relented").status_code == 302
    db.session.expire_all()
    outcome = db.session.get(Case, case.id).outcome
    assert (outcome.kind.value, outcome.level.value) == ("withdrawn", "before_conciliation")
    assert outcome.withdrawal_reason == "Funder relented"
    assert outcome.outcome_type is None and outcome.learning is None
    assert "Withdrawn at Before conciliation Reason Funder relented" in text(
        browser.get(f"/cases/{case.reference}")
    )


def test_reopening_returns_the_case_to_where_it_was(browser, make_case, world, db):
    case = make_case()
    workflow.fire_event(case, "start_conciliation", _request(), world.officer)
    workflow.fire_event(case, "withdraw", _request(reason="Funder relented"), world.officer)
    assert buttons(browser.get(f"/cases/{case.reference}")) == ["reopen"]
    response = fire(browser, case, "reopen", reason="The funder went back on its word")
    assert response.status_code == 302
    db.session.expire_all()
    reopened = db.session.get(Case, case.id)
    assert reopened.state is State.LOCAL_CONCILIATION
    assert reopened.closed_on is None


def test_reopening_after_ninety_days_is_refused(anonymous, make_case, world):
    browser = anonymous
    case = make_case()
    with time_machine.travel(date(2026, 1, 5), tick=False):
        workflow.fire_event(case, "withdraw", _request(reason="Settled"), world.officer)
    with time_machine.travel(date(2026, 4, 6), tick=False):
        browser.sign_in(world.officer)
        page = browser.get(f"/cases/{case.reference}")
        assert buttons(page) == []
        assert "No workflow steps are open to you for this case now" in text(page)
        # A page left open from before the window closed still posts the event.
        response = browser.submit(
            "/cases/new",
            f"/cases/{case.reference}/events/reopen",
            {"reopen-reason": "Too late"},
            "reopen-csrf_token",
        )
    assert response.status_code == 409
    assert "within 90 days of closing" in text(response)


def test_an_event_posted_without_the_csrf_token_changes_nothing(browser, make_case, db):
    case = make_case()
    response = browser.post(
        f"/cases/{case.reference}/events/withdraw", data={"withdraw-reason": "x"}
    )
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Case, case.id).state is State.RAISED


# -- editing -------------------------------------------------------------------------------------


def submit_edit(browser, case, data: dict):
    url = f"/cases/{case.reference}/edit"
    return browser.submit(url, url, data)


def edit_form(browser, case) -> dict:
    html = browser.get(f"/cases/{case.reference}/edit").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1)
    return {"html": html, "version": version}


def test_editing_a_case_records_what_changed(browser, make_case, world, db):
    case = make_case()
    opened = edit_form(browser, case)
    assert 'value="Youth service grant cut with six weeks&#39; notice"' in opened["html"]
    data = new_case_form(
        world, title="Youth service grant cut", amount_at_stake="50000", version=opened["version"]
    )
    data["raised_on"] = ["5", "10", "2026"]
    data["areas"] = ["funding"]
    data["summary"] = case.summary
    response = submit_edit(browser, case, data)
    assert response.status_code == 302
    page = text(browser.get(f"/cases/{case.reference}"))
    assert f"Case {case.reference} saved" in page
    assert (
        "Title changed from “Youth service grant cut with six weeks' notice” to "
        "“Youth service grant cut”."
    ) in page
    assert "Money at stake changed from £45,000 to £50,000." in page
    assert "Summary" not in page[page.index("Timeline") :]
    assert db.session.get(Case, case.id).version == 2


def test_a_stale_edit_is_refused_and_shows_the_newer_case(browser, make_case, world, db):
    case = make_case()
    opened = edit_form(browser, case)
    # Someone else saves first.
    theirs = services.CaseDetails(
        compact_id=world.bir.id,
        title="Their newer title",
        summary=case.summary,
        funder_id=world.council.id,
        third_sector_id=world.youth.id,
        raised_by=Side.THIRD_SECTOR,
        areas=(Area.FUNDING,),
        amount_at_stake=45000,
        raised_on=date(2026, 10, 5),
    )
    services.update_case(db.session.get(Case, case.id), theirs, 1, world.officer)
    data = new_case_form(world, title="My older title", version=opened["version"])
    response = submit_edit(browser, case, data)
    assert response.status_code == 409
    page = text(response)
    assert "Someone else saved this case first" in page
    assert "Their newer title" in page
    assert 'value="My older title"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Case, case.id).title == "Their newer title"
    edits = [e for e in events_of(db, case.id) if e.kind.value == "edit"]
    assert len(edits) == 1


def test_an_edit_with_no_changes_says_so(browser, make_case, world):
    case = make_case()
    opened = edit_form(browser, case)
    data = new_case_form(
        world,
        title=case.title,
        summary=case.summary,
        areas=["funding"],
        amount_at_stake="45000",
        raised_on=["5", "10", "2026"],
        version=opened["version"],
    )
    response = submit_edit(browser, case, data)
    assert response.status_code == 302
    assert "Nothing was changed" in text(browser.get(f"/cases/{case.reference}"))


def test_an_edit_with_bad_input_keeps_the_case_unchanged(browser, make_case, world, db):
    case = make_case()
    opened = edit_form(browser, case)
    data = new_case_form(world, title="", version=opened["version"])
    response = submit_edit(browser, case, data)
    assert response.status_code == 422
    assert field_error(response, "title") == "Enter a title"
    db.session.expire_all()
    assert db.session.get(Case, case.id).title == "Youth service grant cut with six weeks' notice"


def _request(reason: str = ""):
    from compactcases import localtime
    from workflows.dispute import EventRequest

    return EventRequest(today=localtime.today(), reason=reason)


def test_a_nul_character_is_refused_before_anything_is_saved(browser, world, db):
    response = browser.submit("/cases/new", "/cases/new", new_case_form(world, title="Cut\x00"))
    assert response.status_code == 400
    assert "Text cannot contain the NUL character." in text(response)
    assert db.session.scalar(db.select(db.func.count(Case.id))) == 0
