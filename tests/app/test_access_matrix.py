"""Every route × every role, inside and outside the role's scope: the exact status.

The routes come from the app's URL map, so a route added without a line here fails
`test_every_route_has_a_rule`. A record outside the user's scope answers 404 (its existence is
not revealed); a visible record with a forbidden action answers 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from compactcases import create_app
from compactcases.cases import services
from compactcases.config import TestConfig
from compactcases.models import Area, Side
from workflows.dispute import EventRequest

ROLES = ("anonymous", "officer", "mediator", "funder", "viewer", "admin")
SIGN_IN = 302  # anonymous requests are sent to the sign-in page


@dataclass(frozen=True)
class Expect:
    """The status for each role: (inside its scope, outside it)."""

    officer: tuple[int, int]
    mediator: tuple[int, int]
    funder: tuple[int, int]
    viewer: tuple[int, int]
    admin: tuple[int, int]
    anonymous: tuple[int, int] = (SIGN_IN, SIGN_IN)

    def status(self, role: str, inside: bool) -> int:
        return getattr(self, role)[0 if inside else 1]


def same(status: int) -> tuple[int, int]:
    return (status, status)


ADMIN_ONLY = Expect(
    officer=same(403), mediator=same(403), funder=same(403), viewer=same(403), admin=same(200)
)
ADMIN_FORM_POST = Expect(
    officer=same(403), mediator=same(403), funder=same(403), viewer=same(403), admin=same(422)
)
ADMIN_ACTION = Expect(
    officer=same(403), mediator=same(403), funder=same(403), viewer=same(403), admin=same(302)
)

# Reports are the regional panel's: every role but the funder's, each within its own scope.
REPORTS = Expect(
    officer=same(200), mediator=same(200), funder=same(403), viewer=same(200), admin=same(200)
)

# (rule, method) -> (how to build the URL, form data, expected statuses).
# `case` is the role's own record: inside or outside its scope as the column says.
MATRIX = {
    ("/healthz", "GET"): (
        lambda w, case: "/healthz",
        None,
        Expect(
            officer=same(200),
            mediator=same(200),
            funder=same(200),
            viewer=same(200),
            admin=same(200),
            anonymous=same(200),
        ),
    ),
    ("/sign-in", "GET"): (
        lambda w, case: "/sign-in",
        None,
        Expect(
            officer=same(302),
            mediator=same(302),
            funder=same(302),
            viewer=same(302),
            admin=same(302),
            anonymous=same(200),
        ),
    ),
    ("/sign-in", "POST"): (
        lambda w, case: "/sign-in",
        {"email": "", "password": ""},
        Expect(
            officer=same(302),
            mediator=same(302),
            funder=same(302),
            viewer=same(302),
            admin=same(302),
            anonymous=same(422),
        ),
    ),
    ("/sign-out", "POST"): (
        lambda w, case: "/sign-out",
        {},
        Expect(
            officer=same(302),
            mediator=same(302),
            funder=same(302),
            viewer=same(302),
            admin=same(302),
        ),
    ),
    ("/", "GET"): (
        lambda w, case: "/",
        None,
        Expect(
            officer=same(302),
            mediator=same(302),
            funder=same(302),
            viewer=same(200),
            admin=same(302),
        ),
    ),
    ("/cases", "GET"): (
        lambda w, case: "/cases",
        None,
        Expect(
            officer=same(200),
            mediator=same(200),
            funder=same(200),
            viewer=same(403),
            admin=same(200),
        ),
    ),
    ("/cases/new", "GET"): (
        lambda w, case: "/cases/new",
        None,
        Expect(
            officer=same(200),
            mediator=same(403),
            funder=same(403),
            viewer=same(403),
            admin=same(200),
        ),
    ),
    ("/cases/new", "POST"): (
        lambda w, case: "/cases/new",
        {"title": ""},
        Expect(
            officer=same(422),
            mediator=same(403),
            funder=same(403),
            viewer=same(403),
            admin=same(422),
        ),
    ),
    ("/cases/<reference>", "GET"): (
        lambda w, case: f"/cases/{case.reference}",
        None,
        Expect(
            officer=(200, 404),
            mediator=(200, 404),
            funder=(200, 404),
            viewer=same(404),
            admin=same(200),
        ),
    ),
    ("/cases/<reference>/edit", "GET"): (
        lambda w, case: f"/cases/{case.reference}/edit",
        None,
        Expect(
            officer=(200, 404),
            mediator=(403, 404),
            funder=(403, 404),
            viewer=same(404),
            admin=same(200),
        ),
    ),
    ("/cases/<reference>/edit", "POST"): (
        lambda w, case: f"/cases/{case.reference}/edit",
        {"title": ""},
        Expect(
            officer=(422, 404),
            mediator=(403, 404),
            funder=(403, 404),
            viewer=same(404),
            admin=same(422),
        ),
    ),
    ("/cases/<reference>/resolve", "GET"): (
        lambda w, case: f"/cases/{case.reference}/resolve",
        None,
        Expect(
            officer=(200, 404),
            mediator=(200, 404),
            funder=(403, 404),
            viewer=same(404),
            admin=same(200),
        ),
    ),
    # Withdrawing without a reason: refused by the workflow (422) once the role may fire it.
    ("/cases/<reference>/events/<event>", "POST"): (
        lambda w, case: f"/cases/{case.reference}/events/withdraw",
        {"withdraw-reason": ""},
        Expect(
            officer=(422, 404),
            mediator=(422, 404),
            funder=(403, 404),
            viewer=same(404),
            admin=same(422),
        ),
    ),
    ("/cases/<reference>/notes", "POST"): (
        lambda w, case: f"/cases/{case.reference}/notes",
        {"text": ""},
        Expect(
            officer=(422, 404),
            mediator=(422, 404),
            funder=(403, 404),
            viewer=same(404),
            admin=same(422),
        ),
    ),
    ("/cases/<reference>/take", "POST"): (
        lambda w, case: f"/cases/{case.reference}/take",
        {},
        Expect(
            officer=(403, 404),
            mediator=(302, 404),
            funder=(403, 404),
            viewer=same(404),
            admin=same(403),
        ),
    ),
    ("/reports", "GET"): (lambda w, case: "/reports", None, REPORTS),
    ("/reports/<name>", "GET"): (lambda w, case: "/reports/time-to-resolution", None, REPORTS),
    ("/reports/<name>.csv", "GET"): (lambda w, case: "/reports/outcomes.csv", None, REPORTS),
    ("/reports/annual-summary", "GET"): (lambda w, case: "/reports/annual-summary", None, REPORTS),
    # The case list's download: the same people as the list, each seeing their own cases.
    ("/cases.csv", "GET"): (
        lambda w, case: "/cases.csv",
        None,
        Expect(
            officer=same(200),
            mediator=same(200),
            funder=same(200),
            viewer=same(403),
            admin=same(200),
        ),
    ),
    # Shared learning is anonymised, so every signed-in person may read it.
    ("/learning", "GET"): (
        lambda w, case: "/learning",
        None,
        Expect(
            officer=same(200),
            mediator=same(200),
            funder=same(200),
            viewer=same(200),
            admin=same(200),
        ),
    ),
    ("/admin/", "GET"): (lambda w, case: "/admin/", None, ADMIN_ONLY),
    ("/admin/users", "GET"): (lambda w, case: "/admin/users", None, ADMIN_ONLY),
    ("/admin/users/new", "GET"): (lambda w, case: "/admin/users/new", None, ADMIN_ONLY),
    ("/admin/users/new", "POST"): (
        lambda w, case: "/admin/users/new",
        {"name": ""},
        ADMIN_FORM_POST,
    ),
    ("/admin/users/<int:user_id>/deactivate", "POST"): (
        lambda w, case: f"/admin/users/{w.officer_war.id}/deactivate",
        {},
        ADMIN_ACTION,
    ),
    ("/admin/users/<int:user_id>/activate", "POST"): (
        lambda w, case: f"/admin/users/{w.officer_war.id}/activate",
        {},
        ADMIN_ACTION,
    ),
    ("/admin/compacts", "GET"): (lambda w, case: "/admin/compacts", None, ADMIN_ONLY),
    ("/admin/compacts/new", "GET"): (lambda w, case: "/admin/compacts/new", None, ADMIN_ONLY),
    ("/admin/compacts/new", "POST"): (
        lambda w, case: "/admin/compacts/new",
        {"code": ""},
        ADMIN_FORM_POST,
    ),
    ("/admin/compacts/<code>/edit", "GET"): (
        lambda w, case: "/admin/compacts/BIR/edit",
        None,
        ADMIN_ONLY,
    ),
    ("/admin/compacts/<code>/edit", "POST"): (
        lambda w, case: "/admin/compacts/BIR/edit",
        {"code": ""},
        ADMIN_FORM_POST,
    ),
    ("/admin/organisations", "GET"): (
        lambda w, case: "/admin/organisations",
        None,
        ADMIN_ONLY,
    ),
    ("/admin/organisations/new", "GET"): (
        lambda w, case: "/admin/organisations/new",
        None,
        ADMIN_ONLY,
    ),
    ("/admin/organisations/new", "POST"): (
        lambda w, case: "/admin/organisations/new",
        {"name": ""},
        ADMIN_FORM_POST,
    ),
    ("/admin/organisations/<int:organisation_id>/edit", "GET"): (
        lambda w, case: f"/admin/organisations/{w.youth.id}/edit",
        None,
        ADMIN_ONLY,
    ),
    ("/admin/organisations/<int:organisation_id>/edit", "POST"): (
        lambda w, case: f"/admin/organisations/{w.youth.id}/edit",
        {"name": ""},
        ADMIN_FORM_POST,
    ),
}

# Served files: the same for everyone, signed in or not.
UNCHECKED = {("/static/<path:filename>", "GET")}


def app_routes() -> set[tuple[str, str]]:
    app = create_app(TestConfig)
    return {
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def test_every_route_has_a_rule():
    assert app_routes() - UNCHECKED == set(MATRIX)


def _case(world, compact, funder, third_sector, escalate: bool):
    case = services.create_case(
        services.CaseDetails(
            compact_id=compact.id,
            title="Grant ended with six weeks' notice",
            summary="Six weeks' notice of the end of a grant.",
            funder_id=funder.id,
            third_sector_id=third_sector.id,
            raised_by=Side.THIRD_SECTOR,
            areas=(Area.FUNDING,),
            amount_at_stake=10000,
            raised_on=date(2026, 10, 1),
        ),
        world.officer,
    )
    if escalate:
        services.fire_event(
            case,
            "escalate",
            EventRequest(today=date(2026, 10, 2), reason="The council hosts the Compact"),
            world.officer,
        )
    return case


@pytest.fixture
def records(world):
    """For each role, a case inside its scope and one outside it."""
    bir_raised = _case(world, world.bir, world.council, world.youth, escalate=False)
    bir_escalated = _case(world, world.bir, world.council, world.foodbank, escalate=True)
    war_case = _case(world, world.war, world.wcc, world.rugby_cvs, escalate=False)
    police_case = _case(world, world.bir, world.police, world.youth, escalate=False)
    return {
        "anonymous": (bir_raised, war_case),
        "officer": (bir_raised, war_case),
        "mediator": (bir_escalated, bir_raised),
        "funder": (bir_raised, police_case),
        "viewer": (bir_escalated, war_case),
        "admin": (bir_raised, war_case),
    }


USERS = {
    "officer": "officer",
    "mediator": "mediator",
    "funder": "funder",
    "viewer": "viewer",
    "admin": "admin",
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("rule", "method"), sorted(MATRIX))
def test_route_answers_each_role_with_the_right_status(
    app, anonymous, world, records, rule, method, role
):
    build_url, data, expect = MATRIX[(rule, method)]
    if role != "anonymous":
        anonymous.sign_in(getattr(world, USERS[role]))
    # CSRF is tested on its own; here every form carries a valid token.
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        for inside, case in zip((True, False), records[role], strict=True):
            url = build_url(world, case)
            response = anonymous.get(url) if method == "GET" else anonymous.post(url, data=data)
            expected = expect.status(role, inside)
            where = "inside" if inside else "outside"
            assert response.status_code == expected, f"{role} {method} {url} ({where} scope)"
            if response.status_code == 302 and rule == "/sign-out" and role != "anonymous":
                app.config["WTF_CSRF_ENABLED"] = True
                anonymous.sign_in(getattr(world, USERS[role]))
                app.config["WTF_CSRF_ENABLED"] = False
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
