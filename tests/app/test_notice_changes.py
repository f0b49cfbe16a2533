"""The notice form as a funder fills it in (only the chosen kind's section counts, nothing
pre-ticked, money typed as people type it), and a notice edited and withdrawn: on its own
history, refused when stale, out of the compliance figures once withdrawn. Pages and API."""

from __future__ import annotations

import re
from datetime import date

import pytest

from compactcases.models import Notice, NoticeEvent
from compactcases.reports.coverage import ReportFilters
from compactcases.reports.queries import compliance_report
from tests.app.test_api import assert_problem, bearer, token_for
from tests.app.test_case_pages import field_error, text
from tests.app.test_notice_pages import make_notice, notice_form, record


@pytest.fixture
def funder(anonymous, world):
    anonymous.sign_in(world.funder, stay=True)
    return anonymous


def checked(html: str, name: str) -> list[str]:
    """The values of the radios named `name` that are ticked."""
    found = []
    for tag in re.findall(r"<input[^>]*>", html):
        if f'name="{name}"' in tag and re.search(r"\bchecked\b", tag):
            found.append(re.search(r'value="([^"]*)"', tag).group(1))
    return found


# -- the form --------------------------------------------------------------------------------------


def test_the_notice_form_ticks_nothing_and_an_unanswered_question_is_a_field_error(funder, world):
    html = funder.get("/notices/new").get_data(as_text=True)
    assert checked(html, "written") == [] and checked(html, "reasons_given") == []
    assert checked(html, "kind") == []
    refused = record(funder, notice_form(world, written=None, reasons_given=None))
    assert refused.status_code == 422
    assert field_error(refused, "written") == "Select whether the notice was given in writing"
    assert field_error(refused, "reasons_given") == (
        "Select whether the notice gave the reasons for the change"
    )
    # The rest of what was typed is kept.
    assert 'value="Youth work grant ends"' in refused.get_data(as_text=True)


def test_each_section_says_which_kinds_it_belongs_to(funder):
    html = funder.get("/notices/new").get_data(as_text=True)
    assert 'data-shown-when="kind=funding_end funding_reduction"' in html
    assert 'data-shown-when="kind=consultation"' in html


def test_only_the_chosen_kinds_answers_are_checked_and_saved(funder, world, db):
    # Without JavaScript both sections show: what was left in the funding section of a
    # consultation is neither checked nor saved.
    data = notice_form(
        world,
        kind="consultation",
        notice_given_on=["31", "2", "2026"],
        amount_before="18k",
        written=None,
        opens_on=["1", "9", "2026"],
        closes_on=["24", "11", "2026"],
    )
    saved = record(funder, data)
    assert saved.status_code == 302, field_error(saved, "amount_before")
    notice = db.session.scalar(db.select(Notice))
    assert (notice.notice_given_on, notice.amount_before) == (None, None)
    assert notice.closes_on == date(2026, 11, 24)
    # And a funding change is not held to the consultation's blank dates.
    funding = record(funder, notice_form(world, opens_on=["99", "", "x"]))
    assert funding.status_code == 302


@pytest.mark.parametrize("typed", ["£18,000", "18,000", "18000", " £18,000 "])
def test_money_is_read_however_it_is_typed(funder, world, db, typed):
    saved = record(funder, notice_form(world, amount_before=typed))
    assert saved.status_code == 302
    assert db.session.scalar(db.select(Notice.amount_before)) == 18000


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("18k", "Enter the funding before the change in whole pounds, like 18,000"),
        ("-5", "Enter the funding before the change from £0 to £10,000,000,000"),
        ("18.50", "Enter the funding before the change in whole pounds, without pence"),
        ("10,000,000,001", "Enter the funding before the change from £0 to £10,000,000,000"),
    ],
)
def test_money_that_cannot_be_read_is_refused_beside_its_field_as_typed(
    funder, world, db, typed, message
):
    refused = record(funder, notice_form(world, amount_before=typed))
    assert refused.status_code == 422
    assert field_error(refused, "amount_before") == message
    assert f'value="{typed}"' in refused.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Notice.id))) == 0


# -- editing ---------------------------------------------------------------------------------------


def edit_form(world, notice, **overrides) -> dict:
    return notice_form(world, version=str(notice.version), **overrides)


def test_a_funder_edits_a_notice_and_the_verdict_is_worked_out_again(funder, world, db):
    notice = make_notice(world, effective_on=date(2026, 10, 15))
    assert notice.compliant is False
    url = f"/notices/{notice.id}/edit"
    form = funder.get(url).get_data(as_text=True)
    # The form opens with the notice's answers.
    assert checked(form, "written") == ["yes"] and checked(form, "kind") == ["funding_end"]
    saved = funder.submit(url, url, edit_form(world, notice, effective_on=["1", "12", "2026"]))
    assert saved.status_code == 302
    page = text(funder.get(saved.headers["Location"]))
    assert "Notice saved" in page and "Compliant" in page
    assert "Notice edited" in page
    assert "Change takes effect: 15 October 2026 → 1 December 2026" in page
    db.session.expire_all()
    assert db.session.get(Notice, notice.id).compliant is True


def test_saving_without_a_change_writes_no_history(funder, world, db):
    notice = make_notice(world, effective_on=date(2026, 10, 15), amount_before=45000)
    url = f"/notices/{notice.id}/edit"
    same = edit_form(world, notice, effective_on=["15", "10", "2026"], amount_before="£45,000")
    saved = funder.submit(url, url, same)
    assert saved.status_code == 302
    assert "Nothing was changed" in text(funder.get(saved.headers["Location"]))
    assert db.session.scalar(db.select(db.func.count(NoticeEvent.id))) == 0


def test_a_stale_edit_is_refused_shows_the_notice_now_and_keeps_what_was_typed(funder, world, db):
    notice = make_notice(world, effective_on=date(2026, 10, 15))
    url = f"/notices/{notice.id}/edit"
    stale_version = notice.version
    first = funder.submit(url, url, edit_form(world, notice, title="Changed by someone else"))
    assert first.status_code == 302
    mine = notice_form(world, title="My own title", version=str(stale_version))
    refused = funder.submit(url, url, mine)
    assert refused.status_code == 409
    page = text(refused)
    assert "Someone else saved this notice first" in page
    assert "Changed by someone else" in page
    html = refused.get_data(as_text=True)
    assert 'value="My own title"' in html
    db.session.expire_all()
    assert db.session.get(Notice, notice.id).title == "Changed by someone else"
    # Saving again, with the newer version in view, goes through.
    version = re.search(r'name="version"[^>]*value="(\d+)"', html) or re.search(
        r'value="(\d+)"[^>]*name="version"', html
    )
    again = funder.submit(url, url, notice_form(world, title="My own title", version=version[1]))
    assert again.status_code == 302


def test_an_edit_with_errors_shows_them_beside_the_fields(funder, world):
    notice = make_notice(world)
    url = f"/notices/{notice.id}/edit"
    refused = funder.submit(url, url, edit_form(world, notice, amount_after="lots"))
    assert refused.status_code == 422
    assert field_error(refused, "amount_after") == (
        "Enter the funding after the change in whole pounds, like 18,000"
    )


def test_only_the_funder_that_gave_a_notice_may_change_it(anonymous, world):
    notice = make_notice(world)
    anonymous.sign_in(world.officer)
    assert anonymous.get(f"/notices/{notice.id}/edit").status_code == 403
    assert "Change the notice" not in text(anonymous.get(f"/notices/{notice.id}"))
    police = make_notice(world, funder_id=world.police.id)
    anonymous.sign_out()
    anonymous.sign_in(world.funder)
    assert anonymous.get(f"/notices/{police.id}/edit").status_code == 404


# -- withdrawing -----------------------------------------------------------------------------------


def compliance_rows(world):
    report = compliance_report(ReportFilters(date(2026, 1, 1), date(2026, 12, 31)), world.admin)
    return {row[0]: row[1] for row in report.rows}


def test_a_withdrawn_notice_is_shown_withdrawn_leaves_compliance_and_cannot_change(
    funder, world, db
):
    notice = make_notice(world, effective_on=date(2026, 10, 15))
    make_notice(world, title="Another grant ends")
    assert compliance_rows(world) == {"Birmingham City Council": 2}
    url = f"/notices/{notice.id}/withdraw"
    refused = funder.submit(url, url, {"reason": "  ", "version": str(notice.version)})
    assert refused.status_code == 422
    assert field_error(refused, "reason") == "Enter why the notice is being withdrawn"

    done = funder.submit(url, url, {"reason": "Sent in error", "version": str(notice.version)})
    assert done.status_code == 302
    page = text(funder.get(f"/notices/{notice.id}"))
    assert "Notice withdrawn" in page and "Withdrawn" in page and "Sent in error" in page
    assert "Change the notice" not in page
    assert compliance_rows(world) == {"Birmingham City Council": 1}
    assert "of 1)" in text(funder.get(f"/funders/{world.council.id}/compliance"))
    assert "Withdrawn" in text(funder.get("/notices"))
    assert "0 notices" in text(funder.get("/notices?verdict=not_compliant"))
    # It can no longer be changed or withdrawn again.
    assert funder.get(f"/notices/{notice.id}/edit").status_code == 409
    assert funder.get(url).status_code == 409


def test_no_case_is_opened_from_a_withdrawn_notice(anonymous, world, db):
    notice = make_notice(world, effective_on=date(2026, 10, 15))
    anonymous.sign_in(world.funder)
    url = f"/notices/{notice.id}/withdraw"
    anonymous.submit(url, url, {"reason": "Sent in error", "version": str(notice.version)})
    anonymous.sign_out()
    anonymous.sign_in(world.officer)
    page = f"/notices/{notice.id}"
    assert "Open a case" not in text(anonymous.get(page))
    refused = anonymous.submit(page, f"{page}/open-case", {})
    assert refused.status_code == 409


# -- the API ---------------------------------------------------------------------------------------


@pytest.fixture
def api(app, db):
    return app.test_client()


@pytest.fixture
def funder_api(api, world):
    return bearer(token_for(api, world.funder))


def test_the_api_changes_a_notice_with_its_version_and_works_out_the_verdict(
    api, world, funder_api
):
    notice = make_notice(world, effective_on=date(2026, 10, 15))
    url = f"/api/v1/notices/{notice.id}"
    read = api.get(url, headers=funder_api)
    assert read.headers["ETag"] == '"1"' and read.json["version"] == 1
    assert_problem(api.patch(url, json={"title": "New"}, headers=funder_api), 428)
    changed = api.patch(
        url,
        json={"effective_on": "2026-12-01", "amount_before": 18000},
        headers={**funder_api, "If-Match": read.headers["ETag"]},
    )
    assert changed.status_code == 200, changed.json
    assert changed.json["compliant"] is True and changed.json["amount_before"] == 18000
    assert changed.headers["ETag"] == '"2"'
    stale = api.patch(url, json={"title": "Late"}, headers={**funder_api, "If-Match": '"1"'})
    assert assert_problem(stale, 409)["current_version"] == 2


@pytest.mark.parametrize("amount", ["£18,000", "18,000", "18000", 18000.5, -5, 10**10 + 1])
def test_the_api_takes_money_as_json_whole_numbers_only(api, world, funder_api, amount):
    notice = make_notice(world)
    headers = {**funder_api, "If-Match": '"1"'}
    refused = api.patch(
        f"/api/v1/notices/{notice.id}", json={"amount_before": amount}, headers=headers
    )
    assert "amount_before" in assert_problem(refused, 422)["errors"]
    created = api.post(
        "/api/v1/notices",
        json={
            "kind": "funding_end",
            "compact": "BIR",
            "funder_id": world.council.id,
            "recipient_id": world.youth.id,
            "title": "Grant ends",
            "notice_given_on": "2026-09-01",
            "effective_on": "2026-12-01",
            "amount_before": amount,
        },
        headers=funder_api,
    )
    assert "amount_before" in assert_problem(created, 422)["errors"]


def test_the_api_withdraws_a_notice_with_a_reason_and_then_refuses_changes(api, world, funder_api):
    notice = make_notice(world)
    url = f"/api/v1/notices/{notice.id}/withdrawal"
    headers = {**funder_api, "If-Match": '"1"'}
    assert (
        "reason"
        in assert_problem(api.post(url, json={"reason": " "}, headers=headers), 422)["errors"]
    )
    done = api.post(url, json={"reason": "Sent in error"}, headers=headers)
    assert done.status_code == 200, done.json
    assert done.json["withdrawn"] is True and done.json["withdrawn_reason"] == "Sent in error"
    again = api.post(url, json={"reason": "Again"}, headers={**funder_api, "If-Match": '"2"'})
    assert "withdrawn" in assert_problem(again, 409)["detail"]
    patch = api.patch(
        f"/api/v1/notices/{notice.id}", json={"title": "x"}, headers={**funder_api, "If-Match": "2"}
    )
    assert_problem(patch, 409)


def test_only_the_notices_funder_may_change_it_through_the_api(api, world):
    notice = make_notice(world)
    officer = bearer(token_for(api, world.officer))
    headers = {**officer, "If-Match": '"1"'}
    assert_problem(
        api.patch(f"/api/v1/notices/{notice.id}", json={"title": "x"}, headers=headers), 403
    )
    police = make_notice(world, funder_id=world.police.id)
    funder = {**bearer(token_for(api, world.funder)), "If-Match": '"1"'}
    assert_problem(
        api.post(f"/api/v1/notices/{police.id}/withdrawal", json={"reason": "x"}, headers=funder),
        404,
    )
