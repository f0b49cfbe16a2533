"""Signing in and out, throttling, sessions, deactivation, and what each role may see."""

from __future__ import annotations

import json
import logging
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from compactcases import create_app
from compactcases.cases import services, workflow
from compactcases.config import ProductionConfig
from compactcases.models import Case, CaseEvent, User
from tests.app.test_case_pages import field_error, text
from tests.conftest import PASSWORD, Browser
from workflows.dispute import EventRequest

NOW = datetime(2026, 11, 28, 10, 0)


def security_log(caplog) -> list[dict]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "compactcases.security"]


def try_sign_in(browser: Browser, email: str, password: str):
    return browser.submit("/sign-in", "/sign-in", {"email": email, "password": password})


def test_every_page_needs_signing_in_first(anonymous, world):
    response = anonymous.get("/cases?state=raised")
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in?next=/cases?state%3Draised"
    page = anonymous.get("/sign-in")
    assert page.status_code == 200
    assert "Sign in to Compact Cases" in text(page)


def test_health_check_needs_no_sign_in(anonymous, world):
    response = anonymous.get("/healthz")
    assert (response.status_code, response.json) == (200, {"status": "ok"})


def test_readiness_asks_the_database_and_health_does_not(anonymous, world, app, monkeypatch):
    from compactcases.extensions import db

    assert anonymous.get("/readyz").json == {"status": "ok"}

    def gone(*args, **kwargs):
        raise sa.exc.OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    monkeypatch.setattr(db.session, "execute", gone)
    refused = anonymous.client.get("/readyz")
    assert refused.status_code == 503
    assert refused.json["status"] == "unavailable"
    assert anonymous.client.get("/healthz").status_code == 200


def test_signing_in_returns_to_the_page_asked_for(anonymous, world, caplog):
    caplog.set_level(logging.INFO, "compactcases.security")
    response = anonymous.submit(
        "/sign-in?next=/cases/new",
        "/sign-in?next=/cases/new",
        {"email": "Officer.BIR@example.org ", "password": PASSWORD},
    )
    assert response.headers["Location"] == "/cases/new"
    assert "Priya Shah" in text(anonymous.get("/cases/new"))
    [entry] = [e for e in security_log(caplog) if e["event"] == "sign_in"]
    assert entry["user_id"] == world.officer.id
    assert PASSWORD not in json.dumps(security_log(caplog))


def test_sign_in_never_redirects_to_another_site(anonymous, world):
    url = "/sign-in?next=https://example.net/phish"
    response = anonymous.submit(url, url, {"email": world.officer.email, "password": PASSWORD})
    assert response.headers["Location"] == "/"


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(anonymous, world, caplog):
    caplog.set_level(logging.INFO, "compactcases.security")
    wrong = try_sign_in(anonymous, world.officer.email, "not the password")
    unknown = try_sign_in(anonymous, "nobody@example.org", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    message = "Enter a correct email address and password"
    assert field_error(wrong, "email") == field_error(unknown, "email") == message
    assert text(wrong).replace(world.officer.email, "X") == text(unknown).replace(
        "nobody@example.org", "X"
    )
    html = wrong.get_data(as_text=True)
    assert f'value="{world.officer.email}"' in html
    assert "not the password" not in html
    events = [e["event"] for e in security_log(caplog)]
    assert events.count("sign_in_failed") == 2
    assert "not the password" not in json.dumps(security_log(caplog))


def test_an_account_is_throttled_after_five_failures_even_with_the_right_password(anonymous, world):
    with time_machine.travel(NOW, tick=False):
        for _ in range(5):
            assert try_sign_in(anonymous, world.officer.email, "guess").status_code == 401
        throttled = try_sign_in(anonymous, world.officer.email, PASSWORD)
        assert throttled.status_code == 429
        assert "Too many attempts to sign in" in field_error(throttled, "email")
        # Another account from the same address still signs in.
        assert try_sign_in(anonymous, world.officer_war.email, PASSWORD).status_code == 302
    with time_machine.travel(NOW + timedelta(minutes=16), tick=False):
        fresh = Browser(anonymous.app, anonymous.app.test_client())
        assert try_sign_in(fresh, world.officer.email, PASSWORD).status_code == 302


def test_an_unknown_email_is_throttled_the_same_way(anonymous, world):
    with time_machine.travel(NOW, tick=False):
        for _ in range(5):
            try_sign_in(anonymous, "nobody@example.org", "guess")
        assert try_sign_in(anonymous, "nobody@example.org", "guess").status_code == 429


def test_an_address_is_throttled_after_twenty_failures(anonymous, world):
    with time_machine.travel(NOW, tick=False):
        for n in range(20):
            try_sign_in(anonymous, f"guess{n}@example.org", "guess")
        assert try_sign_in(anonymous, world.officer.email, PASSWORD).status_code == 429


def test_signing_in_starts_a_new_session(anonymous, world):
    page = anonymous.get("/sign-in").get_data(as_text=True)
    from tests.conftest import csrf_token

    old_token = csrf_token(page)
    anonymous.sign_in(world.officer)
    # A token from before signing in belongs to the old session and no longer works.
    response = anonymous.post("/cases/new", data={"csrf_token": old_token, "title": "x"})
    assert response.status_code == 400


def test_session_cookie_flags(anonymous, world):
    response = anonymous.get("/sign-in")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_production_session_cookie_is_secure():
    class Config(ProductionConfig):
        SECRET_KEY = "x" * 32
        SQLALCHEMY_DATABASE_URI = "sqlite://"

    app = create_app(Config)
    response = app.test_client().get("/sign-in")
    assert "Secure" in response.headers["Set-Cookie"]


def test_production_refuses_to_start_without_a_secret_key():
    class Config(ProductionConfig):
        SECRET_KEY = None

    with pytest.raises(RuntimeError, match="SECRET_KEY must be set"):
        create_app(Config)


def test_an_idle_session_ends(anonymous, world, app):
    with time_machine.travel(NOW, tick=False):
        anonymous.sign_in(world.officer)
        assert anonymous.get("/cases").status_code == 200
    idle = app.config["IDLE_TIMEOUT_MINUTES"]
    with time_machine.travel(NOW + timedelta(minutes=idle - 1), tick=False):
        assert anonymous.get("/cases").status_code == 200
    later = NOW + timedelta(minutes=idle - 1) + timedelta(minutes=idle + 1)
    with time_machine.travel(later, tick=False):
        response = anonymous.get("/cases")
        assert response.status_code == 302
        page = text(anonymous.get("/sign-in"))
        assert f"You were signed out after {idle} minutes without activity" in page


def test_signing_out_ends_the_session(browser, world):
    response = browser.sign_out()
    assert response.headers["Location"] == "/sign-in"
    assert "You have signed out" in text(browser.get("/sign-in"))
    assert browser.get("/cases").status_code == 302


def test_a_deactivated_user_is_signed_out_at_the_next_request(app, browser, world, db, caplog):
    caplog.set_level(logging.INFO, "compactcases.security")
    assert browser.get("/cases").status_code == 200
    admin = Browser(app, app.test_client())
    admin.sign_in(world.admin)
    response = admin.submit("/admin/users", f"/admin/users/{world.officer.id}/deactivate", {})
    assert response.status_code == 302
    assert "Priya Shah can no longer sign in" in text(admin.get("/admin/users"))
    assert browser.get("/cases").status_code == 302
    assert try_sign_in(browser, world.officer.email, PASSWORD).status_code == 401
    assert any(e["event"] == "session_ended" for e in security_log(caplog))
    admin.submit("/admin/users", f"/admin/users/{world.officer.id}/activate", {})
    assert try_sign_in(browser, world.officer.email, PASSWORD).status_code == 302


def test_a_post_without_csrf_token_is_refused(anonymous, world):
    response = anonymous.post("/sign-in", data={"email": world.officer.email, "password": PASSWORD})
    assert response.status_code == 400


# -- scope -------------------------------------------------------------------------------------


def _bir_case(make_case):
    return make_case(title="Birmingham grant cut")


def test_a_warwickshire_officer_cannot_find_open_edit_or_count_a_birmingham_case(
    anonymous, world, make_case, caplog
):
    caplog.set_level(logging.INFO, "compactcases.security")
    case = _bir_case(make_case)
    anonymous.sign_in(world.officer_war)
    listing = text(anonymous.get("/cases"))
    assert "0 cases" in listing and "Birmingham grant cut" not in listing
    assert "0 cases" in text(anonymous.get("/cases", query_string={"q": case.reference}))
    assert "0 cases" in text(anonymous.get("/cases", query_string={"compact": "BIR"}))
    assert anonymous.get(f"/cases/{case.reference}").status_code == 404
    assert anonymous.get(f"/cases/{case.reference}/edit").status_code == 404
    refused = anonymous.submit(
        "/cases",
        f"/cases/{case.reference}/events/withdraw",
        {"withdraw-reason": "x"},
        "withdraw-csrf_token",
    )
    assert refused.status_code == 404
    assert [e["status"] for e in security_log(caplog) if e["event"] == "permission_refused"] == [
        404,
        404,
        404,
    ]


def test_an_upper_tier_officer_sees_district_cases(anonymous, world, make_case):
    rugby = make_case(
        title="Rugby district dispute",
        compact_id=world.rug.id,
        funder_id=world.wcc.id,
        third_sector_id=world.rugby_cvs.id,
    )
    anonymous.sign_in(world.officer_war)
    assert "Rugby district dispute" in text(anonymous.get("/cases"))
    assert anonymous.get(f"/cases/{rugby.reference}").status_code == 200


def test_an_officer_cannot_log_a_case_in_another_compact(anonymous, world):
    from tests.app.test_case_pages import new_case_form

    anonymous.sign_in(world.officer_war)
    form = new_case_form(world)  # a Birmingham case
    response = anonymous.submit("/cases/new", "/cases/new", form)
    assert response.status_code == 422
    assert field_error(response, "compact") == "Select the local Compact"


def test_a_funder_sees_its_cases_without_private_notes(anonymous, world, make_case):
    case = _bir_case(make_case)
    services.add_note(
        case, "Officer's private view", meeting=False, private=True, actor=world.officer
    )
    services.add_note(
        case, "Meeting arranged for Monday", meeting=True, private=False, actor=world.officer
    )
    other = make_case(title="Police case", funder_id=world.police.id)
    anonymous.sign_in(world.funder)
    listing = text(anonymous.get("/cases"))
    assert "1 case" in listing and "Police case" not in listing
    page = anonymous.get(f"/cases/{case.reference}")
    assert "Meeting arranged for Monday" in text(page)
    assert "Officer's private view" not in text(page)
    assert "Add a note" not in text(page)
    assert "Edit case details" not in text(page)
    assert anonymous.get(f"/cases/{other.reference}").status_code == 404


def test_officer_adds_a_private_note_then_a_meeting(browser, world, make_case, db):
    case = _bir_case(make_case)
    page = f"/cases/{case.reference}"
    empty = browser.submit(page, f"{page}/notes", {"kind": "note", "text": "  "})
    assert empty.status_code == 422
    assert field_error(empty, "text") == "Enter the note"
    done = browser.submit(
        page, f"{page}/notes", {"kind": "note", "text": "Rang the funder", "private": "y"}
    )
    assert done.status_code == 302
    shown = text(browser.get(page))
    assert "Note added" in shown
    assert "Note Private by Priya Shah" in shown and "Rang the funder" in shown
    notes = db.session.scalars(db.select(CaseEvent).filter_by(kind="note")).all()
    assert [(n.reason, n.private) for n in notes] == [("Rang the funder", True)]


def test_a_mediator_sees_only_escalated_cases_and_takes_one(anonymous, world, make_case, db):
    local = make_case(title="Still local")
    escalated = make_case(title="Needs the region")
    workflow.fire_event(
        escalated,
        "escalate",
        EventRequest(today=date(2026, 11, 2), reason="Host is a party"),
        world.officer,
    )
    anonymous.sign_in(world.mediator)
    listing = text(anonymous.get("/cases"))
    assert "Needs the region" in listing and "Still local" not in listing
    assert anonymous.get(f"/cases/{local.reference}").status_code == 404
    page = f"/cases/{escalated.reference}"
    assert anonymous.submit(page, f"{page}/take", {}).status_code == 302
    shown = text(anonymous.get(page))
    assert "You are now the mediator for" in shown
    assert "Case assigned by Margaret O'Neill" in shown
    assert "Take this case" not in shown
    assert db.session.get(Case, escalated.id).mediator_id == world.mediator.id
    withdrawn = anonymous.submit(
        page,
        f"{page}/events/withdraw",
        {"withdraw-reason": "Parties settled"},
        "withdraw-csrf_token",
    )
    assert withdrawn.status_code == 302


def test_a_mediator_of_another_region_sees_nothing(anonymous, world, make_case):
    case = make_case()
    workflow.fire_event(
        case, "escalate", EventRequest(today=date(2026, 11, 2), reason="Host"), world.officer
    )
    anonymous.sign_in(world.mediator_em)
    assert "0 cases" in text(anonymous.get("/cases"))
    assert anonymous.get(f"/cases/{case.reference}").status_code == 404


def test_an_officer_cannot_fire_a_mediation_event(browser, world, make_case, caplog):
    caplog.set_level(logging.INFO, "compactcases.security")
    case = make_case()
    workflow.fire_event(
        case, "escalate", EventRequest(today=date(2026, 11, 2), reason="Host"), world.officer
    )
    response = browser.submit(
        "/cases",
        f"/cases/{case.reference}/events/resolve",
        {"resolve-agreed_actions": "Done"},
        "resolve-csrf_token",
    )
    assert response.status_code == 403
    assert "Your role cannot “Resolve” while the case is regional mediation." in text(response)
    assert any(
        e["event"] == "permission_refused" and e["status"] == 403 for e in security_log(caplog)
    )


def test_a_viewer_sees_no_case_details(anonymous, world, make_case):
    case = make_case()
    anonymous.sign_in(world.viewer)
    home = text(anonymous.get("/"))
    assert "does not show the details of individual cases" in home
    assert anonymous.get("/cases").status_code == 403
    assert anonymous.get(f"/cases/{case.reference}").status_code == 404


# -- administration ------------------------------------------------------------------------------


def test_an_admin_creates_an_account_that_can_sign_in(app, anonymous, world, db):
    anonymous.sign_in(world.admin)
    form = {
        "name": "Ruth Ellis",
        "email": "ruth.ellis@example.org",
        "role": "officer",
        "compact": "",
        "region": "",
        "organisation": "",
        "password": "short",
    }
    refused = anonymous.submit("/admin/users/new", "/admin/users/new", form)
    assert refused.status_code == 422
    assert field_error(refused, "password") == "The password must be at least 12 characters"
    assert 'value="Ruth Ellis"' in refused.get_data(as_text=True)
    form["password"] = "a long enough password"
    no_compact = anonymous.submit("/admin/users/new", "/admin/users/new", form)
    assert field_error(no_compact, "compact") == "An officer needs the Compact they work for"
    form["compact"] = "WAR"
    done = anonymous.submit("/admin/users/new", "/admin/users/new", form)
    assert done.status_code == 302
    assert "Account created for Ruth Ellis" in text(anonymous.get("/admin/users"))
    ruth = Browser(app, app.test_client())
    ruth.sign_in(
        db.session.scalar(db.select(User).filter_by(email="ruth.ellis@example.org")),
        "a long enough password",
    )
    assert "Ruth Ellis" in text(ruth.get("/cases"))


def test_a_district_compact_needs_its_upper_tier(anonymous, world, db):
    anonymous.sign_in(world.admin)
    form = {
        "code": "NUN",
        "name": "Nuneaton and Bedworth",
        "tier": "district",
        "region": str(world.region.id),
        "parent": "0",
    }
    refused = anonymous.submit("/admin/compacts/new", "/admin/compacts/new", form)
    assert field_error(refused, "parent") == "A district Compact needs its upper-tier Compact"
    form["parent"] = str(world.war.id)
    assert anonymous.submit("/admin/compacts/new", "/admin/compacts/new", form).status_code == 302
    assert "Nuneaton and Bedworth" in text(anonymous.get("/admin/compacts"))


def test_a_party_to_cases_keeps_its_kind(anonymous, world, make_case):
    make_case()
    anonymous.sign_in(world.admin)
    url = f"/admin/organisations/{world.youth.id}/edit"
    form = {
        "name": world.youth.name,
        "type": "council",
        "region": str(world.region.id),
        "compact": str(world.bir.id),
    }
    refused = anonymous.submit(url, url, form)
    assert refused.status_code == 422
    assert "its kind cannot change" in field_error(refused, "type")


# -- command line ----------------------------------------------------------------------------------


def test_users_create_reads_the_password_from_standard_input(app, anonymous, world, db):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "jo@example.org",
            "--name",
            "Jo Price",
            "--role",
            "mediator",
            "--region",
            "WM",
            "--password-stdin",
        ],
        input="a very long password\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created regional mediator Jo Price <jo@example.org>." in result.output
    jo = db.session.scalar(db.select(User).filter_by(email="jo@example.org"))
    anonymous.sign_in(jo, "a very long password")
    result = runner.invoke(args=["users", "deactivate", "--email", "jo@example.org"])
    assert "Deactivated Jo Price" in result.output
    assert anonymous.get("/cases").status_code == 302


def test_users_create_refuses_a_funder_without_a_statutory_organisation(app, world):
    result = app.test_cli_runner().invoke(
        args=[
            "users",
            "create",
            "--email",
            "x@example.org",
            "--name",
            "X",
            "--role",
            "funder",
            "--organisation",
            world.youth.name,
            "--password-stdin",
        ],
        input="a very long password\n",
    )
    assert result.exit_code == 2
    assert "Sparkbrook Youth Project is not a statutory funder" in result.output


def test_an_admin_adds_a_region_and_a_taken_code_is_refused(anonymous, world):
    anonymous.sign_in(world.admin)
    taken = anonymous.submit(
        "/admin/regions/new", "/admin/regions/new", {"code": "wm", "name": "Somewhere"}
    )
    assert taken.status_code == 422
    assert field_error(taken, "code") == "The code WM is already used by West Midlands"
    assert 'value="Somewhere"' in taken.get_data(as_text=True)
    added = anonymous.submit(
        "/admin/regions/new", "/admin/regions/new", {"code": "nw", "name": "North West"}
    )
    assert added.status_code == 302
    page = text(anonymous.get("/admin/regions"))
    assert "North West saved" in page and "NW" in page


def test_an_admin_adds_a_funder_that_officers_can_then_choose(app, anonymous, world):
    anonymous.sign_in(world.admin)
    form = {"name": "", "type": "council", "region": str(world.region.id), "compact": "0"}
    refused = anonymous.submit("/admin/organisations/new", "/admin/organisations/new", form)
    assert field_error(refused, "name") == "Enter a name"
    form["name"] = "Solihull Metropolitan Borough Council"
    added = anonymous.submit("/admin/organisations/new", "/admin/organisations/new", form)
    assert added.status_code == 302
    assert "Solihull Metropolitan Borough Council saved" in text(
        anonymous.get("/admin/organisations")
    )
    officer = Browser(app, app.test_client())
    officer.sign_in(world.officer)
    html = officer.get("/cases/new").get_data(as_text=True)
    funders = html[html.index('id="funder"') : html.index('id="third_sector"')]
    assert "Solihull Metropolitan Borough Council" in funders
