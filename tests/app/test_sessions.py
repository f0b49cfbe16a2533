"""Sessions the server can end: a copy of the session cookie stops working as soon as the
session is ended by signing out, signing out everywhere, a password change or deactivation."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from compactcases import create_app
from compactcases.config import TestConfig
from compactcases.models import UserSession
from tests.app.test_case_pages import field_error, text
from tests.conftest import ON_POSTGRES, PASSWORD, Browser

NEW_PASSWORD = "lantern orchard velvet 42"


def copied_cookie(browser: Browser) -> Browser:
    """Another browser holding a copy of this one's session cookie, as a thief would."""
    cookie = browser.client.get_cookie("session")
    assert cookie is not None
    thief = Browser(browser.app, browser.app.test_client())
    thief.client.set_cookie("session", cookie.value)
    return thief


def test_a_cookie_copied_before_signing_out_does_not_work_afterwards(browser, world):
    thief = copied_cookie(browser)
    assert thief.get("/cases").status_code == 200
    browser.sign_out()
    assert thief.get("/cases").status_code == 302
    assert thief.get("/account").headers["Location"].startswith("/sign-in")


def test_signing_out_in_one_browser_leaves_the_others_signed_in(app, browser, world):
    other = Browser(app, app.test_client())
    other.sign_in(world.officer)
    browser.sign_out()
    assert other.get("/cases").status_code == 200


def test_signing_out_everywhere_ends_every_session_and_api_token(app, browser, world, db):
    other = Browser(app, app.test_client())
    other.sign_in(world.officer)
    token = app.test_client().post(
        "/api/v1/tokens", json={"email": world.officer.email, "password": PASSWORD}
    )
    assert token.status_code == 201
    bearer = {"Authorization": f"Bearer {token.get_json()['token']}"}
    assert app.test_client().get("/api/v1/cases", headers=bearer).status_code == 200

    account = text(browser.get("/account"))
    assert "Sign out everywhere" in account
    confirm = browser.get("/account/sign-out-everywhere")
    assert "Are you sure you want to sign out everywhere?" in text(confirm)
    done = browser.submit("/account/sign-out-everywhere", "/account/sign-out-everywhere", {})
    assert done.headers["Location"] == "/sign-in"
    assert "You have signed out on every device and browser" in text(browser.get("/sign-in"))
    assert browser.get("/cases").status_code == 302
    assert other.get("/cases").status_code == 302
    assert app.test_client().get("/api/v1/cases", headers=bearer).status_code == 401
    assert db.session.scalar(sa.select(sa.func.count(UserSession.id))) == 0


def test_changing_the_password_signs_out_everywhere_else(app, browser, world, db):
    other = Browser(app, app.test_client())
    other.sign_in(world.officer)
    form = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    done = browser.submit("/account/password", "/account/password", form)
    assert done.status_code == 302, text(done)
    assert "Your password has been changed" in text(browser.get("/account"))
    # This browser carries on; the other one is signed out, and the old password is gone.
    assert browser.get("/cases").status_code == 200
    assert other.get("/cases").status_code == 302
    fresh = Browser(app, app.test_client())
    refused = fresh.submit(
        "/sign-in", "/sign-in", {"email": world.officer.email, "password": PASSWORD}
    )
    assert refused.status_code == 401
    fresh.sign_in(world.officer, NEW_PASSWORD)


def test_a_password_change_needs_the_current_password_and_a_good_new_one(browser, world):
    wrong = browser.submit(
        "/account/password",
        "/account/password",
        {"current_password": "not my password", "new_password": NEW_PASSWORD},
    )
    assert wrong.status_code == 422
    assert field_error(wrong, "current_password") == "Your current password is not right"
    weak = browser.submit(
        "/account/password",
        "/account/password",
        {"current_password": PASSWORD, "new_password": "password1234"},
    )
    assert weak.status_code == 422
    assert "most common passwords" in field_error(weak, "new_password")
    own_name = browser.submit(
        "/account/password",
        "/account/password",
        {"current_password": PASSWORD, "new_password": "PriyaShah2026!"},
    )
    assert "name or email address" in field_error(own_name, "new_password")
    assert browser.get("/cases").status_code == 200


def test_a_cookie_copied_before_deactivation_does_not_work_after_reactivation(app, browser, world):
    thief = copied_cookie(browser)
    admin = Browser(app, app.test_client())
    admin.sign_in(world.admin)
    admin.submit("/admin/users", f"/admin/users/{world.officer.id}/deactivate", {})
    admin.submit("/admin/users", f"/admin/users/{world.officer.id}/activate", {})
    assert thief.get("/cases").status_code == 302
    assert browser.get("/cases").status_code == 302


def test_the_account_page_is_linked_from_the_header(browser, world):
    html = browser.get("/cases").get_data(as_text=True)
    assert 'href="/account"' in html
    assert "Priya Shah" in text(browser.get("/account"))


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="an in-memory SQLite database is one app's own")
def test_sessions_live_in_the_database_so_any_host_can_end_them(app, browser, world):
    """Two app instances on one database: a session started through one is ended by signing
    out through the other."""
    second_host = create_app(
        type(
            app.config.__class__.__name__,
            (TestConfig,),
            {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]},
        )
    )
    thief = copied_cookie(browser)
    on_second = Browser(second_host, second_host.test_client())
    on_second.client.set_cookie("session", browser.client.get_cookie("session").value)
    assert on_second.get("/cases").status_code == 200
    on_second.sign_out()
    assert thief.get("/cases").status_code == 302
    assert browser.get("/cases").status_code == 302
