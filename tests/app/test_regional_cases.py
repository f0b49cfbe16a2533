"""Regional cases: opened by a mediator over several Compacts or referred up from one, read by
the officers of each affected Compact and no others, their parties as a list through pages,
API and CSV, the officers told once of each move, and the reports' rule for counting them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
import sqlalchemy as sa

from compactcases.cases import regional, services, workflow
from compactcases.models import (
    Area,
    Case,
    CaseEvent,
    CaseEventKind,
    CaseParty,
    CaseUpdate,
    Compact,
    Organisation,
    OrganisationKind,
    OrganisationType,
    ReminderStatus,
    Role,
    Side,
    Tier,
)
from compactcases.reminders.sending import sweep
from compactcases.reports import queries
from compactcases.reports.coverage import ReportFilters
from tests.app.test_api import assert_problem, bearer, token_for
from tests.app.test_case_pages import NEW_CASE, field_error, text
from tests.app.test_races import _at_once
from tests.app.test_report_tallies import assert_tallies_exact
from tests.conftest import ON_POSTGRES, Browser
from workflows.dispute import EventRequest, State

RAISED = date(2026, 10, 5)
YEAR = ReportFilters(start=date(2026, 4, 1), end=date(2027, 3, 31))


class Elsewhere:
    """Coventry (a Compact of the region with its own officer), a second mediator of the
    region, a funder user for the police, and a charity of another region."""

    def __init__(self, world, db) -> None:
        with db.session.no_autoflush:
            self.cov = Compact(code="COV", name="Coventry", tier=Tier.UPPER, region=world.region)
            db.session.add(self.cov)
            self.officer_cov = world._user(
                "officer.cov@example.org", "Sam Reid", Role.OFFICER, self.cov
            )
            self.mediator_2 = world._user("mediator2.wm@example.org", "Ruth Ames", Role.MEDIATOR)
            self.police_user = world._user(
                "funder.police@example.org", "Dan Price", Role.FUNDER, organisation=world.police
            )
            self.leicester_charity = Organisation(
                name="Leicester Carers Network",
                kind=OrganisationKind.THIRD_SECTOR,
                type=OrganisationType.CHARITY,
                region=world.other_region,
            )
            db.session.add_all(
                [self.officer_cov, self.mediator_2, self.police_user, self.leicester_charity]
            )
        db.session.commit()


@pytest.fixture
def api(app, db):
    return app.test_client()


@pytest.fixture
def elsewhere(world, db) -> Elsewhere:
    return Elsewhere(world, db)


def regional_details(world, **overrides) -> services.CaseDetails:
    values = dict(
        compact_id=world.bir.id,
        title="Police diversion grants ended across the region",
        summary="The police ended its youth diversion grants in two Compacts at once.",
        funder_id=world.police.id,
        third_sector_id=world.youth.id,
        raised_by=Side.THIRD_SECTOR,
        areas=(Area.FUNDING,),
        amount_at_stake=120000,
        raised_on=RAISED,
        other_parties=(
            (world.foodbank.id, Side.THIRD_SECTOR),
            (world.rugby_cvs.id, Side.THIRD_SECTOR),
        ),
        affected_compact_ids=(world.bir.id, world.war.id),
    )
    values.update(overrides)
    return services.CaseDetails(**values)


def open_regional(world, **overrides) -> Case:
    in_mediation = overrides.pop("in_mediation", True)
    return regional.open_regional_case(
        regional_details(world, **overrides), world.mediator, in_mediation=in_mediation
    )


def regional_form(world, **overrides) -> dict:
    data = dict(
        NEW_CASE,
        affected_compacts=[str(world.bir.id), str(world.war.id)],
        funder=str(world.police.id),
        third_sector=str(world.youth.id),
        **{
            "other_third_sector-0": str(world.foodbank.id),
            "other_third_sector-1": str(world.rugby_cvs.id),
        },
        starts_in="regional_mediation",
    )
    data.update(overrides)
    return data


def signed_in(app, user) -> Browser:
    browser = Browser(app, app.test_client())
    browser.sign_in(user)
    return browser


def case_count(db) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Case))


# -- opening one, and who sees it ----------------------------------------------------------------


def test_a_mediator_opens_a_regional_case_seen_by_the_officers_of_each_affected_compact_only(
    app, world, db, elsewhere
):
    mediator = signed_in(app, world.mediator)
    response = mediator.submit("/cases/regional/new", "/cases/regional/new", regional_form(world))
    assert response.status_code == 302, text(response)
    case = db.session.scalar(sa.select(Case))
    assert case.reference == "BIR-2026-0001"
    assert case.state is State.REGIONAL_MEDIATION
    assert case.mediator_id == world.mediator.id and case.officer_id is None
    page = text(mediator.get(response.location))
    assert "Regional case" in page
    assert "Birmingham, Warwickshire" in page
    for name in ("West Midlands Police", "Sparkbrook Youth Project", "Rugby Voluntary Action"):
        assert name in page

    url = f"/cases/{case.reference}"
    for user, status in (
        (world.officer, 200),
        (world.officer_war, 200),
        (elsewhere.police_user, 200),
        (elsewhere.officer_cov, 404),
        (world.funder, 404),
        (world.mediator_em, 404),
    ):
        assert signed_in(app, user).get(url).status_code == status, user.name
    for user, listed in ((world.officer_war, True), (elsewhere.officer_cov, False)):
        assert (case.reference in text(signed_in(app, user).get("/cases"))) is listed


def test_the_officers_of_a_regional_case_read_it_with_no_buttons_and_cannot_act(
    app, api, world, db
):
    case = open_regional(world)
    officer = signed_in(app, world.officer_war)
    page = officer.get(f"/cases/{case.reference}").get_data(as_text=True)
    assert 'id="read-only"' in page
    assert "Edit case details" not in page
    assert "Add a note or meeting" not in page
    assert "/events/" not in page and "Refer to the region" not in page
    headers = bearer(token_for(api, world.officer_war))
    detail = api.get(f"/api/v1/cases/{case.reference}", headers=headers).json
    assert detail["allowed_events"] == []
    fired = api.post(
        f"/api/v1/cases/{case.reference}/events",
        json={"event": "withdraw", "reason": "Not ours"},
        headers=headers,
    )
    assert_problem(fired, 403)
    patched = api.patch(
        f"/api/v1/cases/{case.reference}",
        json={"title": "Mine now", "version": case.version},
        headers=headers,
    )
    assert_problem(patched, 403)
    # The region's mediators hold it: they move it.
    mediator = bearer(token_for(api, world.mediator))
    detail = api.get(f"/api/v1/cases/{case.reference}", headers=mediator).json
    assert set(detail["allowed_events"]) == {"resolve", "withdraw"}


def test_a_regional_case_may_start_raised_while_the_facts_are_gathered(world, db):
    case = open_regional(world, in_mediation=False)
    assert case.state is State.RAISED
    assert workflow.events_for(world.mediator, case, RAISED) == ("escalate", "resolve", "withdraw")
    assert workflow.events_for(world.officer, case, RAISED) == ()


# -- referral up ---------------------------------------------------------------------------------


def test_referring_a_case_up_keeps_its_reference_and_timeline_and_records_the_referral(
    app, world, db, make_case
):
    case = make_case()
    workflow.fire_event(
        case, "escalate", EventRequest(today=RAISED, reason="The funder works regionwide"), None
    )
    reference = case.reference
    mediator = signed_in(app, world.mediator)
    url = f"/cases/{reference}/referral"
    page = mediator.get(url)
    assert page.status_code == 200
    assert "Warwickshire" in text(page) and "Birmingham" not in text(page).split("Refer")[-1]
    response = mediator.submit(
        url, url, {"affected_compacts": [str(world.war.id)], "version": str(case.version)}
    )
    assert response.status_code == 302, text(response)
    db.session.expire_all()
    case = db.session.scalar(sa.select(Case))
    assert case.reference == reference
    assert case.is_regional
    assert [c.code for c in case.affected_compacts] == ["BIR", "WAR"]
    kinds = [e.kind for e in db.session.scalars(sa.select(CaseEvent).order_by(CaseEvent.id))]
    # Escalating a never-acknowledged dispute records its acknowledgement first.
    assert kinds == [
        CaseEventKind.CREATED,
        CaseEventKind.ACKNOWLEDGEMENT,
        CaseEventKind.TRANSITION,
        CaseEventKind.REFERRAL,
    ]
    shown = text(mediator.get(f"/cases/{reference}"))
    assert "Referred to the region" in shown
    # Now the Warwickshire officer reads it; the Birmingham officer no longer moves it.
    assert signed_in(app, world.officer_war).get(f"/cases/{reference}").status_code == 200
    assert workflow.events_for(world.officer, case, RAISED) == ()


def test_a_referral_from_an_old_form_or_of_a_case_in_local_conciliation_is_refused(
    app, world, db, make_case
):
    case = make_case()
    workflow.fire_event(case, "start_conciliation", EventRequest(today=RAISED), world.officer)
    admin = signed_in(app, world.admin)
    url = f"/cases/{case.reference}/referral"
    response = admin.submit(
        url, url, {"affected_compacts": [str(world.war.id)], "version": str(case.version)}
    )
    assert response.status_code == 409
    assert "only a raised case or one in regional mediation" in text(response)
    stale = admin.submit(url, url, {"affected_compacts": [str(world.war.id)], "version": "1"})
    assert stale.status_code == 409
    db.session.expire_all()
    assert not db.session.get(Case, case.id).is_regional


def test_the_api_refers_a_case_up_and_refuses_a_compact_of_another_region(api, world, db):
    case = services.create_case(
        replace(regional_details(world), level=services.CaseLevel.LOCAL, other_parties=()),
        world.admin,
    )
    headers = bearer(token_for(api, world.admin))
    wrong = api.post(
        f"/api/v1/cases/{case.reference}/referral",
        json={"affected_compacts": ["ZZZ"], "version": case.version},
        headers=headers,
    )
    assert "affected_compacts" in assert_problem(wrong, 422)["errors"]
    done = api.post(
        f"/api/v1/cases/{case.reference}/referral",
        json={"affected_compacts": ["war"], "reason": "Reaches Rugby too"},
        headers={**headers, "If-Match": f'"{case.version}"'},
    )
    assert done.status_code == 200, done.json
    assert done.json["reference"] == case.reference
    assert (done.json["level"], done.json["affected_compacts"]) == ("regional", ["BIR", "WAR"])
    assert done.json["events"][0]["kind"] == "referral"


# -- parties as a list ---------------------------------------------------------------------------


def test_parties_round_trip_through_the_api_the_pages_and_the_csv(app, api, world, db):
    headers = bearer(token_for(api, world.mediator))
    created = api.post(
        "/api/v1/cases",
        json={
            "level": "regional",
            "affected_compacts": ["BIR", "WAR"],
            "title": "Police grants ended",
            "summary": "Ended at once in two Compacts.",
            "funder_id": world.police.id,
            "third_sector_id": world.youth.id,
            "parties": [
                {"organisation_id": world.foodbank.id, "side": "third_sector"},
                {"organisation_id": world.rugby_cvs.id, "side": "third_sector"},
            ],
            "areas": ["funding"],
            "raised_on": "2026-10-05",
        },
        headers=headers,
    )
    assert created.status_code == 201, created.json
    body = created.json
    assert body["state"] == "regional_mediation"
    assert (body["level"], body["affected_compacts"]) == ("regional", ["BIR", "WAR"])
    parties = [(p["id"], p["side"]) for p in body["parties"]]
    assert parties == [
        (world.police.id, "funder"),
        (world.youth.id, "third_sector"),
        (world.foodbank.id, "third_sector"),
        (world.rugby_cvs.id, "third_sector"),
    ]
    assert body["funder"]["id"] == world.police.id
    assert body["third_sector"]["id"] == world.youth.id
    listed = api.get("/api/v1/cases", headers=headers).json["items"][0]
    assert listed["parties"] == body["parties"] and listed["level"] == "regional"

    # The edit page shows every party; saving it unchanged changes nothing.
    mediator = signed_in(app, world.mediator)
    url = f"/cases/{body['reference']}/edit"
    form = mediator.get(url).get_data(as_text=True)
    assert f'<option value="{world.rugby_cvs.id}" selected' in form
    saved = mediator.submit(
        url,
        url,
        regional_form(
            world,
            summary="Ended at once in two Compacts.",
            title="Police grants ended",
            areas=["funding"],
            amount_at_stake="",
            version=str(body["version"]),
        ),
    )
    assert saved.status_code == 302
    assert "Nothing was changed" in text(mediator.get(saved.location))

    # The API drops one party; the list follows.
    patched = api.patch(
        f"/api/v1/cases/{body['reference']}",
        json={
            "parties": [{"organisation_id": world.rugby_cvs.id, "side": "third_sector"}],
            "version": body["version"],
        },
        headers=headers,
    )
    assert patched.status_code == 200, patched.json
    names = [p["name"] for p in patched.json["parties"]]
    assert names == ["West Midlands Police", "Sparkbrook Youth Project", "Rugby Voluntary Action"]
    assert patched.json["events"][0]["changes"]["other_parties"] == [
        "Ladywood Community Food Bank, Rugby Voluntary Action",
        "Rugby Voluntary Action",
    ]

    csv = mediator.get("/cases.csv").get_data(as_text=True).splitlines()
    header, row = csv[0].split(","), csv[1]
    assert header[-3:] == ["Case level", "Affected Compacts", "Parties"]
    assert row.endswith(
        f",regional,BIR; WAR,West Midlands Police [{world.police.id}] (funder);"
        f" Sparkbrook Youth Project [{world.youth.id}] (third_sector);"
        f" Rugby Voluntary Action [{world.rugby_cvs.id}] (third_sector)"
    )


def test_the_single_party_fields_still_work_and_keep_the_list_in_step(api, world, db):
    headers = bearer(token_for(api, world.officer))
    created = api.post(
        "/api/v1/cases",
        json={
            "compact": "BIR",
            "title": "Grant ended",
            "summary": "Four weeks' notice.",
            "funder_id": world.council.id,
            "third_sector_id": world.youth.id,
            "areas": ["funding"],
        },
        headers=headers,
    )
    assert created.status_code == 201, created.json
    body = created.json
    assert (body["level"], body["affected_compacts"]) == ("local", ["BIR"])
    assert [p["id"] for p in body["parties"]] == [world.council.id, world.youth.id]
    patched = api.patch(
        f"/api/v1/cases/{body['reference']}",
        json={"third_sector_id": world.foodbank.id, "version": body["version"]},
        headers=headers,
    )
    assert patched.status_code == 200, patched.json
    assert patched.json["third_sector"]["id"] == world.foodbank.id
    assert [p["id"] for p in patched.json["parties"]] == [world.council.id, world.foodbank.id]
    rows = db.session.execute(sa.select(CaseParty.organisation_id, CaseParty.side)).all()
    assert sorted(rows) == sorted(
        [(world.council.id, Side.FUNDER), (world.foodbank.id, Side.THIRD_SECTOR)]
    )


def test_a_funder_that_is_any_party_sees_the_case(app, world, db, make_case):
    case = make_case(other_parties=((world.police.id, Side.FUNDER),))
    police = Elsewhere.__new__(Elsewhere)
    user = world._user(
        "funder.wmp@example.org", "Dan Price", Role.FUNDER, organisation=world.police
    )
    db.session.add(user)
    db.session.commit()
    del police
    assert signed_in(app, user).get(f"/cases/{case.reference}").status_code == 200


# -- bad input -----------------------------------------------------------------------------------

BAD = {
    "no affected Compact": ({"affected_compacts": []}, "affected_compacts", "at least one"),
    "party outside the region": (
        {"other_third_sector-0": "LEICESTER"},
        "other_third_sector-0",
        "not in the region",
    ),
    "same organisation on both sides": (
        {"other_third_sector-0": "YOUTH", "other_funders-0": "YOUTH"},
        "other_third_sector-0",
        "",
    ),
}


def _organisation(world, elsewhere, value: str) -> str:
    return {
        "LEICESTER": str(elsewhere.leicester_charity.id),
        "YOUTH": str(world.youth.id),
    }.get(value, value)


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_regional_input_on_the_page_saves_nothing_and_says_why(app, world, db, elsewhere, case):
    changes, field, message = BAD[case]
    data = regional_form(world)
    data.pop("other_third_sector-1")
    for name, value in changes.items():
        data[name] = [] if value == [] else _organisation(world, elsewhere, value)
    response = signed_in(app, world.mediator).submit(
        "/cases/regional/new", "/cases/regional/new", data
    )
    assert response.status_code == 422
    shown = (field_error(response, field) or "") + text(response)
    assert message in shown
    assert "There is a problem" in text(response)
    assert case_count(db) == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"affected_compacts": []}, "affected_compacts"),
        ({"parties": [{"organisation_id": "LEICESTER", "side": "third_sector"}]}, "parties"),
        ({"parties": [{"organisation_id": "YOUTH", "side": "funder"}]}, "parties"),
        ({"third_sector_id": "POLICE"}, "third_sector_id"),
    ],
)
def test_bad_regional_input_on_the_api_saves_nothing_and_names_the_field(
    api, world, db, elsewhere, changes, field
):
    ids = {
        "LEICESTER": elsewhere.leicester_charity.id,
        "YOUTH": world.youth.id,
        "POLICE": world.police.id,
    }
    body = {
        "level": "regional",
        "affected_compacts": ["BIR", "WAR"],
        "title": "Police grants ended",
        "summary": "Ended at once in two Compacts.",
        "funder_id": world.police.id,
        "third_sector_id": world.youth.id,
        "areas": ["funding"],
    }
    for name, value in changes.items():
        if name == "parties":
            value = [{**p, "organisation_id": ids[p["organisation_id"]]} for p in value]
        body[name] = ids.get(value, value) if isinstance(value, str) else value
    response = api.post("/api/v1/cases", json=body, headers=bearer(token_for(api, world.mediator)))
    assert field in assert_problem(response, 422)["errors"]
    assert case_count(db) == 0


# -- telling the officers ------------------------------------------------------------------------


def test_the_officers_are_told_once_of_each_move_by_email_and_inbox(app, world, db, smtp):
    case = open_regional(world, in_mediation=False)
    first = sweep(RAISED)
    assert (first.sent_email, first.sent_inbox) == (2, 2)
    assert sorted(m["To"] for m in smtp.messages) == [
        "Helen Carter <officer.war@example.org>",
        "Priya Shah <officer.bir@example.org>",
    ]
    assert all(f"{case.reference} was opened" in m["Subject"] for m in smtp.messages)
    again = sweep(RAISED)
    assert (again.sent_email, again.sent_inbox) == (0, 0)
    workflow.fire_event(
        case, "escalate", EventRequest(today=RAISED, reason="Facts gathered"), world.mediator
    )
    sweep(RAISED)
    sweep(RAISED)
    subjects = [m["Subject"] for m in smtp.messages]
    # The two officers, and the one person of the parties with an account (Sparkbrook's).
    assert len(subjects) == 5
    assert subjects.count(f"{case.reference} has moved to regional mediation") == 2
    assert subjects.count(f"{case.reference} is now in regional mediation") == 1
    sent = db.session.scalars(sa.select(CaseUpdate.status)).all()
    assert sent == [ReminderStatus.SENT] * 10
    inbox = text(signed_in(app, world.officer_war).get("/inbox"))
    assert f"{case.reference} has moved to regional mediation" in inbox


def test_the_upper_tier_officer_of_an_affected_district_is_told_too(app, world, db, smtp):
    # Rugby is a district of Warwickshire: Warwickshire's officer reads Rugby's cases, so is
    # told when a regional case affecting Rugby (not Warwickshire itself) moves.
    open_regional(world, in_mediation=False, affected_compact_ids=(world.bir.id, world.rug.id))
    assert sweep(RAISED).sent_email == 2
    assert sorted(m["To"] for m in smtp.messages) == [
        "Helen Carter <officer.war@example.org>",
        "Priya Shah <officer.bir@example.org>",
    ]
    assert "Regional case" in text(
        signed_in(app, world.officer_war).get(
            f"/cases/{db.session.scalar(sa.select(Case.reference))}"
        )
    )


# -- reports -------------------------------------------------------------------------------------


def test_reports_count_a_regional_case_once_and_show_it_under_each_affected_compact(
    world, db, make_case
):
    make_case()
    make_case(compact_id=world.war.id, funder_id=world.wcc.id, third_sector_id=world.rugby_cvs.id)
    open_regional(world)
    viewer = world.viewer
    by_compact = queries.report("compacts", YEAR, viewer)
    assert by_compact.rows == (("Birmingham", 1, 1), ("Warwickshire", 1, 1))
    assert by_compact.total == ("All Compacts, each case once", 2, 1)
    assert dict(queries.report("cases", YEAR, viewer).rows)["Cases opened"] == 3
    # Narrowed to Warwickshire: its own case in the totals, the regional one under it here.
    war = replace(YEAR, compact="WAR")
    assert dict(queries.report("cases", war, viewer).rows)["Cases opened"] == 1
    assert queries.report("compacts", war, viewer).rows == (("Warwickshire", 1, 1),)
    # The Warwickshire officer's reports: the regional case shows under Warwickshire only.
    assert queries.report("compacts", YEAR, world.officer_war).total[1:] == (1, 1)
    assert_tallies_exact(db)


# -- races (PostgreSQL) --------------------------------------------------------------------------


def _sender(app, api, user, method: str, url: str, body: dict):
    """A request by `user` on a client of its own, to send later."""
    client, headers = app.test_client(), bearer(token_for(api, user))
    return lambda: client.open(url, method=method, json=body, headers=headers)


@pytest.mark.skipif(not ON_POSTGRES, reason="racing writers need PostgreSQL")
def test_two_mediators_referring_the_same_case_up_at_once_one_wins_the_other_gets_409(
    app, api, world, db, elsewhere, make_case
):
    for _ in range(5):
        case = make_case()
        workflow.fire_event(case, "escalate", EventRequest(today=RAISED, reason="Regionwide"), None)
        reference, version = case.reference, case.version
        requests = [
            _sender(app, api, user, "POST", f"/api/v1/cases/{reference}/referral", body)
            for user, body in (
                (world.mediator, {"affected_compacts": ["WAR"], "version": version}),
                (elsewhere.mediator_2, {"affected_compacts": ["COV"], "version": version}),
            )
        ]
        statuses = sorted(r.status_code for r in _at_once(app, *requests))
        assert statuses == [200, 409]
        db.session.expire_all()
        case = db.session.scalar(sa.select(Case).where(Case.reference == reference))
        assert len(case.compact_rows) == 2
        referrals = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(CaseEvent)
            .where(CaseEvent.case_id == case.id, CaseEvent.kind == CaseEventKind.REFERRAL)
        )
        assert referrals == 1


@pytest.mark.skipif(not ON_POSTGRES, reason="racing writers need PostgreSQL")
def test_two_mediators_editing_a_regional_case_at_once_one_wins_the_other_gets_409(
    app, api, world, db, elsewhere
):
    case = open_regional(world)
    reference, version = case.reference, case.version
    compacts = ["BIR", "WAR", "COV"]
    requests = [
        _sender(
            app,
            api,
            user,
            "PATCH",
            f"/api/v1/cases/{reference}",
            {"title": title, "affected_compacts": compacts, "version": version},
        )
        for user, title in ((world.mediator, "First"), (elsewhere.mediator_2, "Second"))
    ]
    statuses = sorted(r.status_code for r in _at_once(app, *requests))
    assert statuses == [200, 409]
    db.session.expire_all()
    case = db.session.scalar(sa.select(Case).where(Case.reference == reference))
    assert [c.code for c in case.affected_compacts] == ["BIR", "WAR", "COV"]
    assert case.version == version + 1
