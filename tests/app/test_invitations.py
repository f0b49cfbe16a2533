"""Inviting the people of an organisation: the e-mailed one-time link, setting a password,
the one plain page for a link that no longer works, who may invite whom, and a link used twice
at once."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from compactcases.extensions import db as _db
from compactcases.invitations import services as invitations
from compactcases.models import Invitation, Role, SignInAttempt, User, utcnow
from tests.app.conftest import _free_port
from tests.app.test_case_pages import field_error, text
from tests.conftest import ON_POSTGRES, Browser, csrf_token

NEW_PASSWORD = "kettle orchard lantern ribbon"
GONE = "This link no longer works"


@pytest.fixture
def visitor(app, db):
    """A second browser, not signed in: the invited person's."""
    return Browser(app, app.test_client())


def _invite(browser: Browser, organisation, name="Asha Patel", email="asha@sparkbrook.example.org"):
    url = f"/organisations/{organisation.id}/invitations/new"
    return browser.submit(url, url, {"name": name, "email": email})


def _link(message) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    match = re.search(r"https?://\S+/invitations/([A-Za-z0-9_-]{40,})", body)
    assert match, body
    return "/invitations/" + match.group(1)


def _accept(browser: Browser, link: str, password=NEW_PASSWORD, confirm=None):
    return browser.submit(
        link, link, {"password": password, "confirm": password if confirm is None else confirm}
    )


def _page_text(response) -> str:
    """The words of the page's main content: what the person reads."""
    html = response.get_data(as_text=True)
    main = re.search(r"<main\b.*?</main>", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", main.group(0) if main else html).split())


def test_an_officer_invites_a_person_who_sets_a_password_and_sees_their_case(
    app, db, world, browser, visitor, make_case, smtp
):
    case = make_case()
    sent = _invite(browser, world.youth)
    assert sent.status_code == 302
    people = browser.get(sent.headers["Location"])
    assert "Invitation sent to Asha Patel." in text(people)
    assert "Waiting" in text(people)

    [message] = smtp.messages
    assert message["To"] == "Asha Patel <asha@sparkbrook.example.org>"
    assert "Sparkbrook Youth Project" in message["Subject"]
    body = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Priya Shah has invited you" in body
    link = _link(message)
    assert link in html
    assert app.config["BASE_URL"].rstrip("/") + link in body
    assert "password" not in body.lower().replace("choose your own password", "")
    invitation = db.session.scalar(sa.select(Invitation))
    assert invitation.role is Role.ORGANISATION
    assert invitation.email_sent_at is not None
    # Only the token's hash is kept.
    assert link.rsplit("/", 1)[1] not in invitation.token_hash

    page = visitor.get(link)
    assert page.status_code == 200
    assert "Set your password" in text(page)
    assert "Welcome, Asha Patel" in text(page)
    weak = _accept(visitor, link, password="password1234")
    assert weak.status_code == 422
    assert field_error(weak, "password") == (
        "The password is one of the most common passwords: choose one harder to guess"
    )
    mismatch = _accept(visitor, link, confirm="something else entirely")
    assert mismatch.status_code == 422
    assert field_error(mismatch, "confirm") == "The passwords do not match"

    done = _accept(visitor, link)
    assert done.status_code == 302 and done.headers["Location"] == "/"
    home = visitor.get("/")
    assert "Your account is ready, Asha Patel" in text(home)
    asha = db.session.scalar(sa.select(User).filter_by(email="asha@sparkbrook.example.org"))
    assert asha.role is Role.ORGANISATION
    assert asha.organisation_id == world.youth.id
    assert asha.region_id == world.youth.region_id
    assert visitor.get(f"/cases/{case.reference}").status_code == 200
    assert case.reference in text(visitor.get("/cases"))

    # The link a second time: the plain page, and no second account.
    again = visitor.get(link)
    assert again.status_code == 404 and GONE in text(again)
    people = text(browser.get(f"/organisations/{world.youth.id}/people"))
    assert "Account made" in people and "asha@sparkbrook.example.org" in people
    # Asha, signed in with the password she chose, can sign in again.
    fresh = Browser(app, app.test_client())
    fresh.sign_in(asha, NEW_PASSWORD)


def test_expired_used_revoked_and_unknown_links_all_get_the_same_plain_page(
    app, db, world, browser, visitor, smtp
):
    for n, email in enumerate(("used@x.example.org", "old@x.example.org", "gone@x.example.org")):
        _invite(browser, world.youth, name=f"Person {n}", email=email)
    used, old, gone = (_link(message) for message in smtp.messages)
    assert _accept(visitor, used).status_code == 302
    visitor.client.delete_cookie("session")
    invitation = db.session.scalar(sa.select(Invitation).filter_by(email="old@x.example.org"))
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    revoked = db.session.scalar(sa.select(Invitation).filter_by(email="gone@x.example.org"))
    people = f"/organisations/{world.youth.id}/people"
    assert browser.submit(people, f"/invitations/{revoked.id}/revoke", {}).status_code == 302
    listed = text(browser.get(people))
    assert "Expired" in listed and "Revoked" in listed and "Account made" in listed

    unknown = "/invitations/" + "A" * 43
    pages = [visitor.get(link) for link in (used, old, gone, unknown)]
    assert {page.status_code for page in pages} == {404}
    assert len({_page_text(page) for page in pages}) == 1
    assert GONE in _page_text(pages[0])
    # Nor can a password be set through them.
    assert _accept_blind(visitor, old).status_code == 404


def _accept_blind(browser: Browser, link: str):
    """Post a password to a link whose page offers no form: with a token from another page."""
    token = csrf_token(browser.get("/sign-in").get_data(as_text=True))
    return browser.post(
        link, data={"csrf_token": token, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )


def test_asking_for_a_new_link_tells_the_inviter_and_answers_the_same_either_way(
    app, db, world, browser, visitor, smtp
):
    _invite(browser, world.youth)
    invitation = db.session.scalar(sa.select(Invitation))
    invitation.expires_at = utcnow() - timedelta(days=1)
    db.session.commit()
    gone = visitor.get(_link(smtp.messages[0]))
    assert "Ask for a new link" in text(gone)

    def ask(email):
        page = visitor.get("/invitations/" + "B" * 43)
        token = csrf_token(page.get_data(as_text=True))
        return visitor.post("/invitations/new-link", data={"csrf_token": token, "email": email})

    matched = ask("Asha@Sparkbrook.example.org")
    unmatched = ask("nobody@example.org")
    assert matched.status_code == unmatched.status_code == 200
    assert _page_text(matched) == _page_text(unmatched)
    [told] = smtp.messages[1:]
    assert told["To"] == "Priya Shah <officer.bir@example.org>"
    assert "Asha Patel asked for a new link" in told["Subject"]
    # Asked again the same day: the inviter is not told twice.
    ask("asha@sparkbrook.example.org")
    assert len(smtp.messages) == 2
    # From one address, only a few tries an hour.
    for _ in range(invitations.ASKS_PER_ADDRESS_PER_HOUR):
        last = ask("someone@example.org")
    assert last.status_code == 429
    assert "Too many requests" in field_error(last, "email")
    # These tries are not sign-in attempts: signing in is not slowed by them.
    assert not db.session.scalar(
        sa.select(sa.func.count()).where(SignInAttempt.email == "someone@example.org")
    )


def test_an_invitation_is_refused_for_someone_who_has_an_account_and_replaces_an_earlier_one(
    db, world, browser, smtp
):
    taken = _invite(browser, world.youth, name="Tom", email="TEAM@sparkbrook.example.org")
    assert taken.status_code == 422
    assert field_error(taken, "email") == (
        "There is already an account for team@sparkbrook.example.org: they can sign in with it"
    )
    assert 'value="Tom"' in taken.get_data(as_text=True)
    blank = _invite(browser, world.youth, name="", email="")
    assert field_error(blank, "name") == "Enter the person&#39;s name"
    _invite(browser, world.youth)
    first = _link(smtp.messages[0])
    _invite(browser, world.youth)
    second = _link(smtp.messages[1])
    rows = db.session.scalars(sa.select(Invitation).order_by(Invitation.id)).all()
    assert [row.revoked_at is not None for row in rows] == [True, False]
    assert browser.get(first).status_code == 404
    assert browser.get(second).status_code == 200


def test_an_organisation_user_invites_a_colleague_but_not_for_another_organisation(
    db, world, anonymous, smtp
):
    anonymous.sign_in(world.organisation_user)
    account = text(anonymous.get("/account"))
    assert "Your organisation's people" in account
    people = anonymous.get(f"/organisations/{world.youth.id}/people")
    assert "Tom Baker" in text(people)
    assert _invite(anonymous, world.youth).status_code == 302
    assert smtp.messages[0]["To"] == "Asha Patel <asha@sparkbrook.example.org>"
    for other in (world.foodbank, world.council):
        url = f"/organisations/{other.id}/invitations/new"
        assert anonymous.get(url).status_code == 404
        token = csrf_token(anonymous.get(f"/organisations/{world.youth.id}/people").text)
        refused = anonymous.post(
            url, data={"csrf_token": token, "name": "X", "email": "x@example.org"}
        )
        assert refused.status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(Invitation.id))) == 1


def test_an_officer_invites_only_for_their_own_compacts_organisations(db, world, anonymous):
    anonymous.sign_in(world.officer_war)
    assert anonymous.get(f"/organisations/{world.youth.id}/people").status_code == 404
    assert anonymous.get(f"/organisations/{world.rugby_cvs.id}/people").status_code == 200
    invitation, _ = invitations.invite(world.officer, world.youth, "a@example.org", "A Person")
    people = f"/organisations/{world.rugby_cvs.id}/people"
    token = csrf_token(anonymous.get(people).text)
    refused = anonymous.post(f"/invitations/{invitation.id}/revoke", data={"csrf_token": token})
    assert refused.status_code == 404
    with pytest.raises(PermissionError):
        invitations.invite(world.officer_war, world.youth, "b@example.org", "B Person")
    anonymous.sign_out()
    anonymous.sign_in(world.mediator)
    assert anonymous.get(f"/organisations/{world.youth.id}/people").status_code == 403


def test_a_statutory_organisations_invitation_makes_a_funder_user(db, world, anonymous, smtp):
    anonymous.sign_in(world.admin)
    assert _invite(anonymous, world.police, "Sam Reid", "sam@police.example.org").status_code == 302
    anonymous.sign_out()
    assert _accept(anonymous, _link(smtp.messages[0])).status_code == 302
    sam = db.session.scalar(sa.select(User).filter_by(email="sam@police.example.org"))
    assert sam.role is Role.FUNDER and sam.organisation_id == world.police.id


def test_when_the_mail_server_is_down_the_invitation_is_kept_and_the_inviter_told(
    app, db, world, browser, visitor, smtp, monkeypatch
):
    # Nothing listens on this port: the connection is refused.
    monkeypatch.setitem(app.config, "MAIL_PORT", _free_port())
    sent = _invite(browser, world.youth)
    assert sent.status_code == 302
    people = text(browser.get(sent.headers["Location"]))
    assert "could not be sent" in people
    assert "Email not sent" in people and "Send a new link" in people
    kept = db.session.scalar(sa.select(Invitation))
    assert kept.email_sent_at is None and kept.revoked_at is None

    monkeypatch.setitem(app.config, "MAIL_PORT", smtp.controller.port)
    again = browser.submit(sent.headers["Location"], f"/invitations/{kept.id}/new-link", {})
    assert again.status_code == 302
    assert "Invitation sent to Asha Patel" in text(browser.get(again.headers["Location"]))
    rows = db.session.scalars(sa.select(Invitation).order_by(Invitation.id)).all()
    assert rows[0].revoked_at is not None
    assert rows[1].email_sent_at is not None
    [message] = smtp.messages
    assert _accept(visitor, _link(message)).status_code == 302


@pytest.mark.skipif(not ON_POSTGRES, reason="racing writers need PostgreSQL")
def test_two_requests_using_one_link_at_once_make_one_account(app, db, world):
    _, token = invitations.invite(world.officer, world.youth, "asha@example.org", "Asha Patel")
    link = f"/invitations/{token}"
    posts = []
    for _ in range(2):
        browser = Browser(app, app.test_client())
        field = csrf_token(browser.get(link).get_data(as_text=True))
        posts.append(
            lambda b=browser, f=field: b.client.post(
                link,
                data={"csrf_token": f, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
                buffered=True,
            )
        )
    barrier = threading.Barrier(2)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def send(post) -> None:
        try:
            with app.app_context():
                barrier.wait()
                statuses.append(post().status_code)
                _db.session.remove()
        except BaseException as error:
            errors.append(error)

    _db.session.commit()
    threads = [threading.Thread(target=send, args=(post,)) for post in posts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(statuses) == [302, 404]
    count = sa.select(sa.func.count(User.id)).where(User.email == "asha@example.org")
    assert db.session.scalar(count) == 1


def test_users_create_makes_an_organisation_user_of_a_third_sector_organisation(app, db, world):
    def create(email, organisation):
        return app.test_cli_runner().invoke(
            args=[
                "users",
                "create",
                "--email",
                email,
                "--name",
                "Rosa Lane",
                "--role",
                "organisation",
                "--organisation",
                organisation,
                "--password-stdin",
            ],
            input="a very long password\n",
        )

    refused = create("rosa@example.org", world.council.name)
    assert refused.exit_code == 2
    assert "Birmingham City Council is not a third-sector organisation" in refused.output
    made = create("rosa@example.org", world.youth.name)
    assert made.exit_code == 0, made.output
    assert "Created organisation user Rosa Lane <rosa@example.org>." in made.output
    rosa = db.session.scalar(sa.select(User).filter_by(email="rosa@example.org"))
    assert rosa.role is Role.ORGANISATION and rosa.organisation_id == world.youth.id


def test_an_admin_creates_an_organisation_user_on_the_accounts_page(db, world, anonymous):
    anonymous.sign_in(world.admin)
    form = {
        "name": "Rosa Lane",
        "email": "rosa@example.org",
        "role": "organisation",
        "organisation": world.youth.name,
        "password": "a very long password",
    }
    made = anonymous.submit("/admin/users/new", "/admin/users/new", form)
    assert made.status_code == 302
    assert "Sparkbrook Youth Project" in text(anonymous.get("/admin/users"))
    refused = anonymous.submit(
        "/admin/users/new",
        "/admin/users/new",
        {**form, "email": "x@example.org", "organisation": world.council.name},
    )
    assert refused.status_code == 422
    assert field_error(refused, "organisation") == (
        "Birmingham City Council is not a third-sector organisation"
    )


def test_a_party_user_cannot_learn_whose_address_has_an_account_by_inviting_it(
    db, world, anonymous, smtp
):
    anonymous.sign_in(world.organisation_user)
    for email in ("officer.bir@example.org", "funder.bcc@example.org", "admin@example.org"):
        refused = _invite(anonymous, world.youth, name="Someone", email=email)
        assert refused.status_code == 422
        assert field_error(refused, "email") == (
            f"{email} cannot be invited. If you think it should be, ask your Compact officer"
        )
    # A colleague's own account is named as such: it is the inviter's own organisation's.
    own = _invite(anonymous, world.youth, name="Tom", email=world.organisation_user.email)
    assert field_error(own, "email") == (
        f"There is already an account for {world.organisation_user.email}: they can sign in with it"
    )
    assert smtp.messages == []
