"""An organisation's user raises a concern online: the case it makes, who is told, the limits,
the question pages and the API."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from hashlib import sha256

import pytest
import sqlalchemy as sa

from compactcases import localtime
from compactcases.cases import raising
from compactcases.cases.services import MAX_SUMMARY
from compactcases.documents.services import Upload
from compactcases.models import (
    Area,
    Case,
    CaseUpdate,
    ConcernDraft,
    Document,
    DocumentVisibility,
    ReminderChannel,
    Side,
)
from compactcases.reminders import moves
from tests.app.document_files import exe, pdf
from tests.app.test_api import assert_problem, bearer, case_body, token_for
from tests.app.test_case_pages import field_error, text
from tests.app.test_races import _at_once
from tests.app.test_regional_cases import case_count, signed_in
from tests.conftest import ON_POSTGRES
from workflows.deadlines import DeadlineStatus
from workflows.dispute import State
from workflows.periods import format_date


def concern(world, **changes) -> raising.Concern:
    values = dict(
        funder_id=world.council.id,
        what_happened="The council ended our youth work grant with two weeks' notice.",
        happened_on=localtime.today() - timedelta(days=3),
        areas=(Area.FUNDING, Area.CONSULTATION),
        outcome_wanted="The grant continued for three months while we talk.",
    )
    values.update(changes)
    return raising.Concern(**values)


def raised(world, **changes) -> Case:
    return raising.raise_concern(concern(world, **changes), world.organisation_user)


# -- the case ------------------------------------------------------------------------------------


def test_a_concern_is_a_case_raised_by_the_organisation_under_its_compact(world, db):
    case = raised(world)
    assert case.state is State.RAISED
    assert case.raised_by is Side.THIRD_SECTOR
    assert (case.funder_id, case.third_sector_id) == (world.council.id, world.youth.id)
    assert case.compact_id == world.bir.id
    assert case.raised_on == localtime.today()
    assert case.officer_id is None
    assert set(case.areas) == {Area.FUNDING, Area.CONSULTATION}
    assert re.fullmatch(r"BIR-\d{4}-0001", case.reference)
    assert "two weeks' notice" in case.summary
    happened = format_date(localtime.today() - timedelta(days=3))
    assert f"When it happened: {happened}" in case.summary
    assert "Outcome wanted:\nThe grant continued" in case.summary
    assert case.title == "Concern raised by Sparkbrook Youth Project about Birmingham City Council"
    acknowledge = [d for d in case.deadlines if d.status is DeadlineStatus.OPEN]
    assert len(acknowledge) == 1 and acknowledge[0].due_on > localtime.today()
    assert {(p.organisation_id, p.side) for p in case.parties} == {
        (world.council.id, Side.FUNDER),
        (world.youth.id, Side.THIRD_SECTOR),
    }


def test_documents_are_added_shared_with_the_parties(world, db):
    case = raising.raise_concern(
        concern(world), world.organisation_user, uploads=[Upload("notice.pdf", pdf())]
    )
    document = db.session.scalar(sa.select(Document).where(Document.case_id == case.id))
    assert document.filename == "notice.pdf"
    assert document.visibility is DocumentVisibility.PARTIES
    assert document.uploaded_by_id == world.organisation_user.id


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"funder_id": None}, "funder_id", "Select the funder your concern is about"),
        ("youth", "funder_id", "Select a statutory funder of your region from the list"),
        ({"what_happened": "  "}, "what_happened", "Enter what happened"),
        ({"what_happened": "x" * 7001}, "what_happened", "7,000 characters or fewer"),
        ({"outcome_wanted": "x" * 2501}, "outcome_wanted", "2,500 characters or fewer"),
        ({"happened_on": None}, "happened_on", "Enter the date it happened"),
        ("tomorrow", "happened_on", "must be today or in the past"),
        ({"areas": ()}, "areas", "Select at least one Compact commitment"),
        ({"outcome_wanted": ""}, "outcome_wanted", "Enter the outcome you want"),
    ],
)
def test_a_concern_missing_or_wrong_is_refused_by_field(world, db, changes, field, message):
    if changes == "youth":
        changes = {"funder_id": world.youth.id}
    elif changes == "tomorrow":
        changes = {"happened_on": localtime.today() + timedelta(days=1)}
    with pytest.raises(raising.ConcernRefused) as refused:
        raised(world, **changes)
    assert message in refused.value.field_errors[field]
    assert case_count(db) == 0


def test_an_organisation_without_a_compact_is_told_to_contact_its_officer(world, db):
    world.youth.compact_id = None
    db.session.commit()
    with pytest.raises(raising.ConcernRefused) as refused:
        raised(world)
    assert "not linked to a local Compact" in refused.value.field_errors["compact"]


def test_a_bad_file_saves_nothing(world, db):
    with pytest.raises(raising.ConcernRefused) as refused:
        raising.raise_concern(
            concern(world), world.organisation_user, uploads=[Upload("run.exe", exe())]
        )
    assert "run.exe" in refused.value.field_errors["documents"]
    assert case_count(db) == 0


def test_an_account_raises_at_most_its_limit_a_day(app, world, db, monkeypatch):
    monkeypatch.setitem(app.config, "RAISE_LIMIT_PER_DAY", 2)
    raised(world)
    raised(world, what_happened="A second thing happened.")
    with pytest.raises(raising.RaiseLimitReached) as limited:
        raised(world, what_happened="A third thing happened.")
    assert 0 < limited.value.retry_after <= 24 * 3600
    assert "raised 2 concerns in the last 24 hours" in str(limited.value)
    assert case_count(db) == 2


def test_the_same_answers_sent_twice_make_one_case(world, db):
    first = raised(world)
    second = raised(world)
    assert first.reference == second.reference
    assert case_count(db) == 1


# -- who is told ---------------------------------------------------------------------------------


def test_the_officer_is_told_by_email_and_inbox_and_the_raiser_gets_a_receipt(app, world, db, smtp):
    case = raised(world)
    planned = {(row.recipient_id, row.channel) for row in db.session.scalars(sa.select(CaseUpdate))}
    assert planned == {
        (world.officer.id, ReminderChannel.EMAIL),
        (world.officer.id, ReminderChannel.INBOX),
        (world.organisation_user.id, ReminderChannel.EMAIL),
        (world.organisation_user.id, ReminderChannel.INBOX),
    }
    sent = moves.send_due()
    assert (sent.email, sent.inbox) == (2, 2)
    by_recipient = {m["To"]: m for m in smtp.messages}
    officer = by_recipient["Priya Shah <officer.bir@example.org>"]
    assert officer["Subject"] == (
        f"Concern raised: {case.reference}, Sparkbrook Youth Project against "
        "Birmingham City Council"
    )
    body = officer.get_body(("plain",)).get_content()
    assert "raised online by Sparkbrook Youth Project against Birmingham City Council" in body
    assert f"/cases/{case.reference}" in body
    receipt = by_recipient["Tom Baker <team@sparkbrook.example.org>"]
    assert receipt["Subject"] == f"We have received your concern: reference {case.reference}"
    body = receipt.get_body(("plain",)).get_content()
    assert f"Your reference is {case.reference}" in body
    assert "The Compact officer will acknowledge your concern within" in body
    inbox = text(signed_in(app, world.officer).get("/inbox"))
    assert f"Concern raised: {case.reference}" in inbox
    receipts = text(signed_in(app, world.organisation_user).get("/inbox"))
    assert f"We have received your concern: reference {case.reference}" in receipts
    assert moves.send_due().email == 0


def test_a_raiser_without_case_emails_finds_the_receipt_in_the_inbox(app, world, db, smtp):
    world.organisation_user.case_emails = False
    db.session.commit()
    browser = signed_in(app, world.organisation_user)
    start = text(browser.get("/concerns/new"))
    assert "you will find a receipt in your inbox" in start
    assert "by e-mail" not in start
    _answer_everything(browser, world)
    response, _ = _send(browser)
    confirmation = text(browser.get(response.headers["Location"]))
    assert "You will find a receipt in your inbox" in confirmation
    assert "by e-mail" not in confirmation
    reference = db.session.scalar(sa.select(Case.reference))
    moves.send_due()
    assert "Tom Baker <team@sparkbrook.example.org>" not in [m["To"] for m in smtp.messages]
    inbox = text(browser.get("/inbox"))
    assert f"We have received your concern: reference {reference}" in inbox


def test_a_raiser_with_case_emails_is_told_of_the_email_receipt(app, world, db):
    browser = signed_in(app, world.organisation_user)
    assert "we will send you a receipt by e-mail and to your inbox" in text(
        browser.get("/concerns/new")
    )
    _answer_everything(browser, world)
    response, _ = _send(browser)
    confirmation = text(browser.get(response.headers["Location"]))
    assert "We are sending you a receipt by e-mail and to your inbox" in confirmation


def test_an_officer_without_case_emails_has_the_inbox_entry_only(app, world, db, smtp):
    world.officer.case_emails = False
    db.session.commit()
    case = raised(world)
    moves.send_due()
    assert [m["To"] for m in smtp.messages] == ["Tom Baker <team@sparkbrook.example.org>"]
    inbox = text(signed_in(app, world.officer).get("/inbox"))
    assert f"Concern raised: {case.reference}" in inbox


# -- the pages -----------------------------------------------------------------------------------


def _post(browser, url: str, data: dict, **kwargs):
    from tests.conftest import csrf_token

    token = csrf_token(browser.get(url).get_data(as_text=True))
    return browser.post(url, data={"csrf_token": token, **data}, **kwargs)


def _answer_everything(browser, world) -> None:
    day = localtime.today() - timedelta(days=2)
    steps = [
        ("/concerns/new/funder", {"funder": str(world.council.id)}),
        (
            "/concerns/new/what-happened",
            {
                "what_happened": "Our grant was ended at two weeks' notice.",
                "happened_on": [str(day.day), str(day.month), str(day.year)],
            },
        ),
        ("/concerns/new/commitments", {"areas": ["funding"]}),
        ("/concerns/new/outcome", {"outcome_wanted": "Three months' notice, as promised."}),
        ("/concerns/new/documents", {}),
    ]
    for url, data in steps:
        response = _post(browser, url, data)
        assert response.status_code == 302, (url, text(response)[:500])


def _send(browser):
    from tests.conftest import csrf_token

    page = browser.get("/concerns/new/check").get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "token": csrf_token(page, "token")}
    return browser.post("/concerns/new/check", data=data), data


def test_the_journey_raises_the_case_and_shows_its_reference(app, world, db):
    browser = signed_in(app, world.organisation_user)
    home = text(browser.get("/"))
    assert "Raise a concern" in home
    start = browser.get("/concerns/new")
    assert "Start now" in text(start)
    _answer_everything(browser, world)
    check = text(browser.get("/concerns/new/check"))
    assert "Birmingham City Council" in check
    assert "Our grant was ended at two weeks' notice." in check
    assert "Funding" in check and "Three months' notice, as promised." in check
    response, data = _send(browser)
    assert response.status_code == 302
    reference = db.session.scalar(sa.select(Case.reference))
    assert response.headers["Location"].endswith(f"/concerns/{reference}/confirmation")
    confirmation = text(browser.get(response.headers["Location"]))
    assert f"Your reference {reference}" in confirmation
    assert "will acknowledge your concern within" in confirmation
    # The same page sent again: no second case, the first one's reference.
    again = browser.post("/concerns/new/check", data=data)
    assert again.status_code == 302
    assert again.headers["Location"].endswith(f"/concerns/{reference}/confirmation")
    assert case_count(db) == 1


@pytest.mark.parametrize(
    ("url", "data", "field_id", "message", "kept"),
    [
        ("/concerns/new/funder", {"funder": "0"}, "funder", "Select the funder", None),
        (
            "/concerns/new/what-happened",
            {
                "what_happened": "Ended with no notice.",
                "happened_on": ["1", "1", str(localtime.today().year + 1)],
            },
            "happened_on",
            "must be today or in the past",
            "Ended with no notice.",
        ),
        (
            "/concerns/new/what-happened",
            {
                "what_happened": "",
                "happened_on": ["31", "2", "2026"],
            },
            "happened_on",
            "must be a real date",
            'value="31"',
        ),
        (
            "/concerns/new/what-happened",
            {
                "what_happened": "",
                "happened_on": ["1", "2", "2026"],
            },
            "what_happened",
            "Enter what happened",
            'value="2026"',
        ),
        ("/concerns/new/commitments", {}, "areas", "Select at least one", None),
        ("/concerns/new/outcome", {"outcome_wanted": " "}, "outcome_wanted", "Enter the", None),
        (
            "/concerns/new/outcome",
            {"outcome_wanted": "y" * 2501},
            "outcome_wanted",
            "2,500 characters or fewer",
            "y" * 2501,
        ),
    ],
)
def test_each_page_shows_its_error_beside_the_field_and_keeps_the_answer(
    app, world, db, url, data, field_id, message, kept
):
    browser = signed_in(app, world.organisation_user)
    response = _post(browser, url, data)
    assert response.status_code == 422
    assert message in field_error(response, field_id)
    assert "There is a problem" in text(response)
    if kept:
        assert kept in response.get_data(as_text=True)


def test_a_bad_document_is_refused_beside_the_field(app, world, db):
    browser = signed_in(app, world.organisation_user)
    response = _post(
        browser,
        "/concerns/new/documents",
        {"file": (io.BytesIO(exe()), "run.exe")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "run.exe" in field_error(response, "file")
    added = _post(
        browser,
        "/concerns/new/documents",
        {"file": (io.BytesIO(pdf()), "notice.pdf"), "add_more": "1"},
        content_type="multipart/form-data",
    )
    assert added.status_code == 302
    assert "notice.pdf" in text(browser.get("/concerns/new/documents"))
    _answer_everything(browser, world)
    assert "notice.pdf" in text(browser.get("/concerns/new/check"))
    response, _ = _send(browser)
    assert response.status_code == 302
    names = db.session.scalars(sa.select(Document.filename)).all()
    assert names == ["notice.pdf"]


def test_a_change_link_returns_to_the_check_page(app, world, db):
    browser = signed_in(app, world.organisation_user)
    _answer_everything(browser, world)
    check = browser.get("/concerns/new/check").get_data(as_text=True)
    assert 'href="/concerns/new/funder?change=1"' in check
    page = browser.get("/concerns/new/funder?change=1").get_data(as_text=True)
    assert 'href="/concerns/new/check"' in page
    response = _post(browser, "/concerns/new/funder?change=1", {"funder": str(world.police.id)})
    assert response.headers["Location"].endswith("/concerns/new/check")
    assert "West Midlands Police" in text(browser.get("/concerns/new/check"))


def test_unanswered_questions_are_shown_and_nothing_is_sent(app, world, db):
    browser = signed_in(app, world.organisation_user)
    _post(browser, "/concerns/new/funder", {"funder": str(world.council.id)})
    response, _ = _send(browser)
    assert response.status_code == 422
    shown = text(response)
    assert "There is a problem" in shown and "Enter what happened" in shown
    assert case_count(db) == 0


def test_past_the_limit_the_page_says_so(app, world, db, monkeypatch):
    monkeypatch.setitem(app.config, "RAISE_LIMIT_PER_DAY", 1)
    raised(world, what_happened="An earlier concern.")
    browser = signed_in(app, world.organisation_user)
    _answer_everything(browser, world)
    response, _ = _send(browser)
    assert response.status_code == 429
    assert "raised 1 concerns in the last 24 hours" in text(response)
    assert case_count(db) == 1


def test_a_stale_check_page_shows_its_answers_and_one_error_summary(app, world, db):
    from tests.conftest import csrf_token

    browser = signed_in(app, world.organisation_user)
    _answer_everything(browser, world)
    page = browser.get("/concerns/new/check").get_data(as_text=True)
    response = browser.post(
        "/concerns/new/check", data={"csrf_token": "expired", "token": csrf_token(page, "token")}
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert html.count('data-module="govuk-error-summary"') == 1
    assert 'href="#send"' in html and "#csrf_token" not in html
    shown = text(response)
    assert "Your concern was not sent because the page had expired" in shown
    assert "Our grant was ended at two weeks' notice." in shown
    assert case_count(db) == 0
    sent, _ = _send(browser)
    assert sent.status_code == 302 and case_count(db) == 1


# -- the answers kept on the server ----------------------------------------------------------------


def _draft_count(db) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(ConcernDraft))


def _files(*named: tuple[bytes, str]) -> dict:
    return {"file": [(io.BytesIO(data), name) for data, name in named]}


def test_the_longest_answers_fit_the_case_summary(world, db):
    case = raised(
        world,
        what_happened="w" * raising.MAX_WHAT_HAPPENED,
        outcome_wanted="o" * raising.MAX_OUTCOME,
        happened_on=date(2026, 9, 30),
    )
    assert "w" * raising.MAX_WHAT_HAPPENED in case.summary
    assert len(case.summary) <= MAX_SUMMARY


def test_long_answers_and_ten_documents_go_through_every_page_in_a_small_cookie(app, world, db):
    browser = signed_in(app, world.organisation_user)
    happened = ("The council ended our grant. " * 300)[: raising.MAX_WHAT_HAPPENED].strip()
    wanted = ("Three months' notice, as promised. " * 100)[: raising.MAX_OUTCOME].strip()
    names = [f"{'letter-from-the-council-' * 9}{n:02}.pdf" for n in range(10)]
    day = localtime.today() - timedelta(days=2)
    steps = [
        ("/concerns/new/funder", {"funder": str(world.council.id)}, {}),
        (
            "/concerns/new/what-happened",
            {
                "what_happened": happened,
                "happened_on": [str(day.day), str(day.month), str(day.year)],
            },
            {},
        ),
        ("/concerns/new/commitments", {"areas": ["funding", "consultation"]}, {}),
        ("/concerns/new/outcome", {"outcome_wanted": wanted}, {}),
        (
            "/concerns/new/documents",
            _files(*((pdf(f"Letter {n}"), name) for n, name in enumerate(names))),
            {"content_type": "multipart/form-data"},
        ),
    ]
    cookies = []
    for url, data, kwargs in steps:
        response = _post(browser, url, data, **kwargs)
        assert response.status_code == 302, (url, text(response)[:500])
        cookies += response.headers.getlist("Set-Cookie")
    check = browser.get("/concerns/new/check")
    cookies += check.headers.getlist("Set-Cookie")
    html = check.get_data(as_text=True)
    shown = text(check)
    assert happened in shown and wanted in shown
    assert all(name in html for name in names)
    assert cookies and max(len(cookie) for cookie in cookies) < 2000
    response, _ = _send(browser)
    assert response.status_code == 302
    case = db.session.scalar(sa.select(Case))
    assert happened in case.summary and wanted in case.summary
    assert sorted(db.session.scalars(sa.select(Document.filename))) == names


def test_a_draft_survives_signing_out_and_in_again(app, world, db):
    assert "Your answers are saved as you go" in text(
        signed_in(app, world.organisation_user).get("/concerns/new")
    )
    browser = signed_in(app, world.organisation_user)
    _post(browser, "/concerns/new/funder", {"funder": str(world.council.id)})
    day = localtime.today() - timedelta(days=1)
    _post(
        browser,
        "/concerns/new/what-happened",
        {
            "what_happened": "Our grant was halved without a word.",
            "happened_on": [str(day.day), str(day.month), str(day.year)],
        },
    )
    browser.sign_out()
    assert browser.get("/concerns/new/check").status_code in (302, 401)
    again = signed_in(app, world.organisation_user)
    page = again.get("/concerns/new/what-happened").get_data(as_text=True)
    assert "Our grant was halved without a word." in page
    check = text(again.get("/concerns/new/check"))
    assert "Birmingham City Council" in check
    # Another person's draft is their own.
    other = world._user(
        "second@sparkbrook.example.org", "Ann Lee", world.organisation_user.role, None
    )
    other.organisation_id = world.youth.id
    db.session.add(other)
    db.session.commit()
    assert "halved" not in text(signed_in(app, other).get("/concerns/new/check"))


def test_sending_drops_the_draft_and_the_api_leaves_it(app, world, db):
    browser = signed_in(app, world.organisation_user)
    _answer_everything(browser, world)
    api = app.test_client()
    token = token_for(api, world.organisation_user)
    made = api.post("/api/v1/cases", json=_concern_body(world), headers=bearer(token))
    assert made.status_code == 201
    assert _draft_count(db) == 1
    response, _ = _send(browser)
    assert response.status_code == 302
    assert _draft_count(db) == 0
    assert "Our grant was ended" not in text(browser.get("/concerns/new/what-happened"))


def test_a_draft_saved_by_two_tabs_at_once_is_one_row(world, db, monkeypatch):
    user = world.organisation_user
    raising.save_draft(user, {"funder_id": world.council.id})
    # The second tab found no draft when it looked, and met the first tab's row inserting.
    real, calls = raising._update_draft, []

    def missed_once(user_id, answers):
        calls.append(user_id)
        return 0 if len(calls) == 1 else real(user_id, answers)

    monkeypatch.setattr(raising, "_update_draft", missed_once)
    raising.save_draft(user, {"funder_id": world.police.id})
    assert len(calls) == 2
    assert raising.draft_of(user) == {"funder_id": world.police.id}
    assert _draft_count(db) == 1


@pytest.mark.skipif(not ON_POSTGRES, reason="racing writers need PostgreSQL")
def test_two_tabs_saving_the_first_answers_at_once_keep_one_draft(app, world, db):
    from compactcases.extensions import db as app_db
    from compactcases.models import User

    user_id = world.organisation_user.id

    def saver(funder_id):
        def save():
            raising.save_draft(app_db.session.get(User, user_id), {"funder_id": funder_id})

        return save

    _at_once(app, saver(world.council.id), saver(world.police.id))
    db.session.expire_all()
    assert _draft_count(db) == 1
    assert raising.draft_of(world.organisation_user)["funder_id"] in {
        world.council.id,
        world.police.id,
    }


def test_a_file_chosen_when_removing_another_is_kept(app, world, db):
    browser = signed_in(app, world.organisation_user)
    first = pdf("The first letter")
    added = _post(
        browser,
        "/concerns/new/documents",
        {**_files((first, "first.pdf")), "add_more": "1"},
        content_type="multipart/form-data",
    )
    assert added.status_code == 302
    removed = _post(
        browser,
        "/concerns/new/documents",
        {**_files((pdf("The second letter"), "second.pdf")), "remove": sha256(first).hexdigest()},
        content_type="multipart/form-data",
    )
    assert removed.status_code == 302
    assert removed.headers["Location"].endswith("/concerns/new/documents")
    page = text(browser.get("/concerns/new/documents"))
    assert "second.pdf" in page and "first.pdf" not in page


def test_the_same_file_chosen_twice_at_once_is_kept_once(app, world, db):
    browser = signed_in(app, world.organisation_user)
    same = pdf("One letter")
    response = _post(
        browser,
        "/concerns/new/documents",
        {**_files((same, "letter.pdf"), (same, "letter copy.pdf")), "add_more": "1"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert [d["filename"] for d in raising.draft_of(world.organisation_user)["documents"]] == [
        "letter.pdf"
    ]
    # And chosen again later, it is not added a second time.
    _post(
        browser,
        "/concerns/new/documents",
        {**_files((same, "letter.pdf")), "add_more": "1"},
        content_type="multipart/form-data",
    )
    assert len(raising.draft_of(world.organisation_user)["documents"]) == 1


@pytest.mark.parametrize("who", ["funder", "officer", "admin", "viewer", "mediator"])
def test_only_organisation_users_may_raise_a_concern(app, world, db, who):
    browser = signed_in(app, getattr(world, who))
    assert browser.get("/concerns/new").status_code == 403
    assert "Raise a concern" not in text(browser.get("/cases"))


def test_the_confirmation_of_another_organisations_case_is_not_found(app, world, db, make_case):
    other = make_case(third_sector_id=world.rugby_cvs.id)
    browser = signed_in(app, world.organisation_user)
    assert browser.get(f"/concerns/{other.reference}/confirmation").status_code == 404


# -- the API -------------------------------------------------------------------------------------


def _concern_body(world, **changes) -> dict:
    body = {
        "title": "Grant ended at two weeks' notice",
        "summary": "The council ended the grant with two weeks' notice.",
        "funder_id": world.council.id,
        "areas": ["funding"],
        "outcome_wanted": "Three months' notice.",
    }
    body.update(changes)
    return body


def test_an_organisation_token_raises_a_case_without_its_organisation_or_compact(app, world, db):
    api = app.test_client()
    token = token_for(api, world.organisation_user)
    response = api.post("/api/v1/cases", json=_concern_body(world), headers=bearer(token))
    assert response.status_code == 201, response.json
    assert response.json["state"] == "raised"
    assert response.json["raised_by"] == "third_sector"
    assert response.json["third_sector"]["id"] == world.youth.id
    assert response.json["compact"]["code"] == "BIR"
    assert response.headers["Location"].endswith(response.json["reference"])
    same = _concern_body(world, third_sector_id=world.youth.id, compact="bir")
    same["summary"] = "Another concern, given with our own organisation and Compact."
    assert api.post("/api/v1/cases", json=same, headers=bearer(token)).status_code == 201


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"third_sector_id": "rugby"}, "third_sector_id"),
        ({"compact": "WAR"}, "compact"),
        ({"funder_id": "youth"}, "funder_id"),
        ({"outcome_wanted": None}, "outcome_wanted"),
        ({"happened_on": "2099-01-01"}, "happened_on"),
        ({"raised_by": "funder"}, "raised_by"),
    ],
)
def test_an_organisation_token_is_held_to_its_own_organisation(app, world, db, changes, field):
    ids = {"rugby": world.rugby_cvs.id, "youth": world.youth.id}
    changes = {k: ids.get(v, v) if isinstance(v, str) else v for k, v in changes.items()}
    api = app.test_client()
    token = token_for(api, world.organisation_user)
    body = {k: v for k, v in _concern_body(world, **changes).items() if v is not None}
    response = api.post("/api/v1/cases", json=body, headers=bearer(token))
    assert field in assert_problem(response, 422)["errors"]
    assert case_count(db) == 0


def test_past_the_limit_the_api_answers_429_with_retry_after(app, world, db, monkeypatch):
    monkeypatch.setitem(app.config, "RAISE_LIMIT_PER_DAY", 1)
    api = app.test_client()
    token = token_for(api, world.organisation_user)
    assert api.post("/api/v1/cases", json=_concern_body(world), headers=bearer(token)).status_code
    second = _concern_body(world, summary="Something else happened too.")
    response = api.post("/api/v1/cases", json=second, headers=bearer(token))
    assert_problem(response, 429)
    assert 0 < int(response.headers["Retry-After"]) <= 24 * 3600
    assert case_count(db) == 1


def test_other_roles_keep_their_case_creation(app, world, db):
    api = app.test_client()
    viewer = token_for(api, world.viewer)
    assert_problem(api.post("/api/v1/cases", json=case_body(world), headers=bearer(viewer)), 403)
    funder = token_for(api, world.funder)
    assert_problem(api.post("/api/v1/cases", json=case_body(world), headers=bearer(funder)), 403)
    officer = token_for(api, world.officer)
    missing = {k: v for k, v in case_body(world).items() if k != "third_sector_id"}
    refused = api.post("/api/v1/cases", json=missing, headers=bearer(officer))
    assert "third_sector_id" in assert_problem(refused, 422)["errors"]
    made = api.post("/api/v1/cases", json=case_body(world), headers=bearer(officer))
    assert made.status_code == 201
    assert db.session.scalar(sa.select(Case.officer_id)) == world.officer.id
    assert case_count(db) == 1


# -- races (PostgreSQL) --------------------------------------------------------------------------


@pytest.mark.skipif(not ON_POSTGRES, reason="racing writers need PostgreSQL")
def test_the_same_concern_sent_three_times_at_once_makes_one_case(app, world, db, monkeypatch):
    monkeypatch.setitem(app.config, "RAISE_LIMIT_PER_DAY", 2)
    token = token_for(app.test_client(), world.organisation_user)

    def sender(body):
        client = app.test_client()
        return lambda: client.post("/api/v1/cases", json=body, headers=bearer(token))

    same = [sender(_concern_body(world)) for _ in range(3)]
    statuses = [r.status_code for r in _at_once(app, *same)]
    assert statuses == [201, 201, 201]
    assert case_count(db) == 1
    # Three different concerns at once against a limit of two (one used): one more is made.
    others = [sender(_concern_body(world, summary=f"Concern number {n}.")) for n in range(3)]
    assert sorted(r.status_code for r in _at_once(app, *others)) == [201, 429, 429]
    assert case_count(db) == 2


# -- who holds a concern raised online -------------------------------------------------------------


def test_a_concern_is_its_compacts_officers_until_one_acknowledges_it_and_takes_it(world, db):
    from compactcases.cases import workflow
    from compactcases.cases.acknowledgement import open_acknowledgement
    from compactcases.letters import services as letters
    from compactcases.models import CaseEvent, CaseEventKind, Deadline, Role
    from compactcases.reminders.recipients import recipients_by_deadline
    from workflows.dispute import EventRequest

    colleague = world._user("officer2.bir@example.org", "Ali Khan", Role.OFFICER, world.bir)
    db.session.add(colleague)
    db.session.commit()
    case = raised(world)
    assert case.officer_id is None
    acknowledge = open_acknowledgement(case)
    # Both Birmingham officers are reminded; Warwickshire's is not.
    assert recipients_by_deadline(Deadline.id == acknowledge.id) == {
        acknowledge.id: sorted([world.officer.id, colleague.id])
    }

    today = localtime.today()
    letters.record_acknowledgement(case, today, colleague, today)
    db.session.refresh(case)
    assert case.officer_id == colleague.id
    taken = db.session.scalars(
        sa.select(CaseEvent).where(
            CaseEvent.case_id == case.id, CaseEvent.kind == CaseEventKind.ASSIGNMENT
        )
    ).one()
    assert taken.changes == {"officer_id": [None, "Ali Khan"]}
    assert taken.actor_id == colleague.id

    # From then on only the officer who took it is reminded of the case's deadlines.
    workflow.fire_event(case, "start_conciliation", EventRequest(today=today), colleague)
    open_ids = [d.id for d in case.deadlines if d.is_open]
    assert open_ids
    reminded = recipients_by_deadline(Deadline.id.in_(open_ids))
    assert set(reminded) == set(open_ids)
    assert all(people == [colleague.id] for people in reminded.values())
