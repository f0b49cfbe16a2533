"""Who holds a case: a mediator takes an unassigned escalated case, never one already taken;
a lead mediator or an administrator assigns and reassigns; everyone else is refused; each
change is on the timeline; the same rules over the API."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from compactcases.models import Case, CaseEvent, CaseEventKind, Role, User
from tests.app.test_api import bearer, token_for
from tests.app.test_case_pages import text
from tests.app.test_work_queues import _escalate, person


@pytest.fixture
def api(app, db):
    return app.test_client()


@pytest.fixture
def escalated(world, make_case):
    return _escalate(make_case(title="Sent to the region", raised_on=date(2026, 10, 1)), world)


@pytest.fixture
def colleague(db, world):
    return person(db, world, "m2@example.org", "Tom Reid", Role.MEDIATOR, region=world.region)


@pytest.fixture
def lead(db, world):
    return person(
        db,
        world,
        "lead@example.org",
        "Ruth Osei",
        Role.MEDIATOR,
        region=world.region,
        lead_mediator=True,
    )


def take(browser, case):
    return browser.submit(f"/cases/{case.reference}", f"/cases/{case.reference}/take", {})


def assignments(db, case) -> list[dict]:
    return list(
        db.session.scalars(
            sa.select(CaseEvent.changes)
            .where(CaseEvent.case_id == case.id, CaseEvent.kind == CaseEventKind.ASSIGNMENT)
            .order_by(CaseEvent.id)
        )
    )


def mediator_of(db, case) -> int | None:
    return db.session.scalar(sa.select(Case.mediator_id).where(Case.id == case.id))


def test_a_mediator_takes_an_unassigned_case_and_it_is_on_the_timeline(
    anonymous, db, world, escalated
):
    anonymous.sign_in(world.mediator)
    assert take(anonymous, escalated).status_code == 302
    assert mediator_of(db, escalated) == world.mediator.id
    assert assignments(db, escalated) == [{"mediator_id": [None, "Margaret O'Neill"]}]
    page = text(anonymous.get(f"/cases/{escalated.reference}"))
    assert "Take this case" not in page


def test_a_mediator_cannot_take_a_case_another_has_taken(
    anonymous, db, world, escalated, colleague
):
    anonymous.sign_in(world.mediator)
    page = f"/cases/{escalated.reference}"
    token_page = anonymous.get(page)
    assert "Take this case" in text(token_page)
    anonymous.sign_out()
    anonymous.sign_in(colleague)
    assert take(anonymous, escalated).status_code == 302
    anonymous.sign_out()
    anonymous.sign_in(world.mediator)
    assert "Take this case" not in text(anonymous.get(page))
    refused = take(anonymous, escalated)
    assert refused.status_code == 409
    assert "has already been taken by Tom Reid" in text(refused)
    assert mediator_of(db, escalated) == colleague.id
    assert len(assignments(db, escalated)) == 1


@pytest.mark.parametrize(("role", "status"), [("officer", 403), ("funder", 403), ("viewer", 404)])
def test_officers_funders_and_viewers_cannot_take_or_assign(
    anonymous, db, world, escalated, colleague, role, status
):
    anonymous.sign_in(getattr(world, role))
    app = anonymous.app
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        assert anonymous.post(f"/cases/{escalated.reference}/take").status_code == status
        assign = anonymous.post(
            f"/cases/{escalated.reference}/assignment", data={"mediator": str(colleague.id)}
        )
        assert assign.status_code == status
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
    assert mediator_of(db, escalated) is None


def test_a_mediator_who_is_not_a_lead_cannot_assign(anonymous, world, escalated, colleague):
    anonymous.sign_in(world.mediator)
    assert "Assign this case" not in text(anonymous.get(f"/cases/{escalated.reference}"))
    assert anonymous.get(f"/cases/{escalated.reference}/assignment").status_code == 403


def test_a_lead_mediator_assigns_and_reassigns(anonymous, db, world, escalated, colleague, lead):
    anonymous.sign_in(lead)
    page = f"/cases/{escalated.reference}"
    assert "Assign this case" in text(anonymous.get(page))
    form = f"{page}/assignment"
    assert (
        anonymous.submit(
            form, form, {"mediator": str(world.mediator.id), "version": str(escalated.version)}
        ).status_code
        == 302
    )
    db.session.expire_all()
    version = db.session.get(Case, escalated.id).version
    assert (
        anonymous.submit(
            form, form, {"mediator": str(colleague.id), "version": str(version)}
        ).status_code
        == 302
    )
    assert mediator_of(db, escalated) == colleague.id
    assert assignments(db, escalated) == [
        {"mediator_id": [None, "Margaret O'Neill"]},
        {"mediator_id": ["Margaret O'Neill", "Tom Reid"]},
    ]
    shown = text(anonymous.get(page))
    assert "Tom Reid" in shown


def test_an_assignment_from_a_stale_form_is_refused(anonymous, db, world, escalated, lead):
    anonymous.sign_in(lead)
    form = f"/cases/{escalated.reference}/assignment"
    stale = anonymous.submit(
        form, form, {"mediator": str(world.mediator.id), "version": str(escalated.version - 1)}
    )
    assert stale.status_code == 409
    assert "was changed after you opened it" in text(stale)
    assert mediator_of(db, escalated) is None


def test_a_lead_cannot_assign_a_mediator_of_another_region(anonymous, world, escalated, lead):
    anonymous.sign_in(lead)
    form = f"/cases/{escalated.reference}/assignment"
    refused = anonymous.submit(form, form, {"mediator": str(world.mediator_em.id)})
    assert refused.status_code == 422
    assert "Joan Fisher" not in text(anonymous.get(form))


def test_an_admin_reassigns_the_officer(anonymous, db, world, make_case):
    case = make_case()
    other = person(db, world, "o2@example.org", "Sam Ahmed", Role.OFFICER, compact=world.bir)
    anonymous.sign_in(world.admin)
    form = f"/cases/{case.reference}/assignment"
    assert anonymous.submit(form, form, {"officer": str(other.id)}).status_code == 302
    assert db.session.scalar(sa.select(Case.officer_id).where(Case.id == case.id)) == other.id
    assert assignments(db, case) == [{"officer_id": ["Priya Shah", "Sam Ahmed"]}]
    assert "The Compact officer changed from Priya Shah to Sam Ahmed." in text(
        anonymous.get(f"/cases/{case.reference}")
    )


def test_lead_mediators_are_made_by_the_users_command(app, db, world):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "lead2@example.org",
            "--name",
            "Ade Bello",
            "--role",
            "mediator",
            "--region",
            "WM",
            "--lead-mediator",
            "--password-stdin",
        ],
        input="a long and unusual passphrase\n",
    )
    assert result.exit_code == 0, result.output
    refused = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "o3@example.org",
            "--name",
            "Ben Okafor",
            "--role",
            "officer",
            "--compact",
            "BIR",
            "--lead-mediator",
            "--password-stdin",
        ],
        input="a long and unusual passphrase\n",
    )
    assert refused.exit_code != 0 and "Only a mediator can be a lead mediator" in refused.output
    made = db.session.scalars(sa.select(User).where(User.email.like("%lead2%"))).one()
    assert made.lead_mediator is True
    assert db.session.scalar(sa.select(User).where(User.email == "o3@example.org")) is None


# -- over the API --------------------------------------------------------------------------------


def test_the_api_takes_and_refuses_a_taken_case(api, db, world, escalated, colleague):
    url = f"/api/v1/cases/{escalated.reference}/assignment"
    mine = api.post(
        url, json={"mediator_id": world.mediator.id}, headers=bearer(token_for(api, world.mediator))
    )
    assert mine.status_code == 200, mine.json
    assert mine.json["mediator"] == "Margaret O'Neill"
    assert any(e["kind"] == "assignment" for e in mine.json["events"])
    theirs = api.post(
        url, json={"mediator_id": colleague.id}, headers=bearer(token_for(api, colleague))
    )
    assert theirs.status_code == 409
    assert "has already been taken by Margaret O'Neill" in theirs.json["detail"]


def test_the_api_lets_a_lead_reassign_and_refuses_a_funder(api, db, world, escalated, lead):
    url = f"/api/v1/cases/{escalated.reference}/assignment"
    funder = api.post(
        url, json={"mediator_id": world.mediator.id}, headers=bearer(token_for(api, world.funder))
    )
    assert funder.status_code == 403
    assigned = api.post(
        url, json={"mediator_id": world.mediator.id}, headers=bearer(token_for(api, lead))
    )
    assert assigned.status_code == 200
    wrong = api.post(
        url, json={"mediator_id": world.mediator_em.id}, headers=bearer(token_for(api, lead))
    )
    assert wrong.status_code == 422 and "mediator_id" in wrong.json["errors"]
