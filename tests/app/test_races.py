"""Two people pressing buttons on the same case at the same moment, on PostgreSQL: one wins,
the other is told the case changed (409) or why it cannot now (409/422), never a 500, and the
case is never left broken (it still opens, at most one open clock stop, none once closed)."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import date

import pytest
import sqlalchemy as sa

from compactcases.cases import workflow
from compactcases.extensions import db as _db
from compactcases.models import (
    BankHolidayChange,
    BankHolidayOverride,
    Case,
    Deadline,
    DeadlinePause,
    Notice,
    Organisation,
    Role,
    User,
)
from tests.app.test_api import bearer, token_for
from tests.app.test_case_pages import _request, text
from tests.app.test_notice_pages import make_notice
from tests.conftest import ON_POSTGRES, PASSWORD, Browser, csrf_token

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="racing writers need PostgreSQL")

PAIRS = 50


def _today() -> list[str]:
    from compactcases.localtime import today

    day = today()
    return [str(day.day), str(day.month), str(day.year)]


def _at_once(app, *requests) -> list:
    """Send the requests from separate threads released together; their responses."""
    barrier = threading.Barrier(len(requests))
    responses: list = [None] * len(requests)
    errors: list[BaseException] = []

    def send(position: int, request) -> None:
        try:
            with app.app_context():
                barrier.wait()
                responses[position] = request()
                _db.session.remove()
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=send, args=(i, r)) for i, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return responses


def _browser(app, user) -> Browser:
    browser = Browser(app, app.test_client())
    browser.sign_in(user)
    return browser


def _post_form(app, browser: Browser, page: str, url: str, prefix: str, data: dict):
    """A request that submits the form with `prefix` on `page`, as its button would."""
    field = f"{prefix}-csrf_token"
    token = csrf_token(browser.get(page).get_data(as_text=True), field)
    return lambda: browser.client.post(url, data={field: token, **data}, buffered=True)


def _open_pauses(case_id: int) -> int:
    return _db.session.scalar(
        sa.select(sa.func.count())
        .select_from(DeadlinePause)
        .where(DeadlinePause.case_id == case_id, DeadlinePause.ended_on.is_(None))
    )


def test_a_double_click_on_stop_the_clock_stops_it_once(app, db, world, make_case):
    first, second = _browser(app, world.officer), _browser(app, world.officer)
    outcomes = Counter()
    for n in range(PAIRS):
        case = make_case(title=f"Double click {n}", raised_on=date(2026, 10, 5))
        page, url = f"/cases/{case.reference}", f"/cases/{case.reference}/clock/pause"
        data = {"pause-started_on": _today(), "pause-reason": "Waiting for the council"}
        responses = _at_once(
            app,
            _post_form(app, first, page, url, "pause", data),
            _post_form(app, second, page, url, "pause", data),
        )
        statuses = sorted(r.status_code for r in responses)
        outcomes[tuple(statuses)] += 1
        assert statuses[0] == 302, statuses
        assert statuses[1] in (409, 422), statuses
        db.session.expire_all()
        assert _open_pauses(case.id) == 1
        assert first.get(page).status_code == 200
    assert sum(outcomes.values()) == PAIRS
    print(f"double pause: {dict(outcomes)}")


def test_stopping_the_clock_while_another_withdraws_never_leaves_a_closed_case_paused(
    app, db, world, make_case
):
    pausing, withdrawing = _browser(app, world.officer), _browser(app, world.officer)
    outcomes = Counter()
    for n in range(PAIRS):
        case = make_case(title=f"Pause and withdraw {n}", raised_on=date(2026, 10, 5))
        page = f"/cases/{case.reference}"
        pause = _post_form(
            app,
            pausing,
            page,
            f"{page}/clock/pause",
            "pause",
            {"pause-started_on": _today(), "pause-reason": "Waiting"},
        )
        withdraw = _post_form(
            app,
            withdrawing,
            page,
            f"{page}/events/withdraw",
            "withdraw",
            {"withdraw-reason": "Settled"},
        )
        responses = _at_once(app, pause, withdraw)
        statuses = tuple(r.status_code for r in responses)
        outcomes[statuses] += 1
        assert 500 not in statuses
        db.session.expire_all()
        stored = db.session.get(Case, case.id)
        if stored.state.is_open:
            assert _open_pauses(case.id) <= 1
        else:
            assert _open_pauses(case.id) == 0
        assert pausing.get(page).status_code == 200
    print(f"pause v withdraw: {dict(outcomes)}")


@pytest.mark.parametrize(
    "events",
    [("start_conciliation", "escalate"), ("start_conciliation", "start_conciliation")],
    ids=["different events", "the same event twice"],
)
def test_conflicting_workflow_events_answer_one_success_and_one_409(
    app, db, world, make_case, events
):
    client = app.test_client()
    headers = bearer(token_for(client, world.officer))
    outcomes = Counter()
    for n in range(PAIRS):
        case = make_case(title=f"Racing events {n}", raised_on=date(2026, 10, 5))
        url = f"/api/v1/cases/{case.reference}/events"
        bodies = [{"event": e, "reason": "The council is the Compact's host"} for e in events]
        responses = _at_once(
            app, *(lambda b=b, u=url: client.post(u, json=b, headers=headers) for b in bodies)
        )
        statuses = sorted(r.status_code for r in responses)
        outcomes[tuple(statuses)] += 1
        assert statuses == [200, 409], [r.get_data(as_text=True) for r in responses]
        loser = next(r for r in responses if r.status_code == 409)
        assert loser.content_type == "application/problem+json"
        assert client.get(f"/api/v1/cases/{case.reference}", headers=headers).status_code == 200
    print(f"{events}: {dict(outcomes)}")


def test_two_administrators_adding_days_at_once_both_count(app, db, world, make_case):
    """Each change counts the deadlines with every change before it: the second waits for the
    first, so a case's deadline moves by both days, never by one of them only."""
    # Monday 5 October 2026 + 5 working days is Monday 12 October; with Wednesday 7 and
    # Thursday 8 October bank holidays it is Wednesday 14 October.
    case = make_case(raised_on=date(2026, 10, 5))
    page = "/admin/bank-holidays"
    first, second = _browser(app, world.admin), _browser(app, world.admin)

    def add(browser: Browser, day: str):
        token = csrf_token(browser.get(page).get_data(as_text=True))
        data = {"csrf_token": token, "change": "added", "day": [day, "10", "2026"], "reason": "Why"}
        return lambda: browser.client.post(page, data=data, buffered=True)

    responses = _at_once(app, add(first, "7"), add(second, "8"))
    assert [r.status_code for r in responses] == [302, 302]
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(BankHolidayOverride.id))) == 2
    moved = db.session.scalars(sa.select(BankHolidayChange.deadlines_moved)).all()
    assert moved == [1, 1]
    due = db.session.scalar(sa.select(Deadline.due_on).where(Deadline.case_id == case.id))
    assert due == date(2026, 10, 14)


def _taking(browser: Browser, page: str, url: str):
    """A mediator pressing "Take this case" on the case page."""
    token = csrf_token(browser.get(page).get_data(as_text=True))
    return lambda: browser.client.post(url, data={"csrf_token": token}, buffered=True)


def test_two_mediators_taking_the_same_case_at_once_one_wins_the_other_is_told_who(
    app, db, world, make_case
):
    colleague = User(
        email="m2@example.org", name="Tom Reid", role=Role.MEDIATOR, region=world.region
    )
    colleague.set_password(PASSWORD, method="pbkdf2:sha256:1000")
    db.session.add(colleague)
    db.session.commit()
    first, second = _browser(app, world.mediator), _browser(app, colleague)
    names = {world.mediator.id: "Margaret O'Neill", colleague.id: "Tom Reid"}
    outcomes = Counter()
    for n in range(PAIRS):
        case = make_case(title=f"Both take {n}", raised_on=date(2026, 10, 5))
        workflow.fire_event(case, "escalate", _request(reason="Host body"), world.officer)
        page, url = f"/cases/{case.reference}", f"/cases/{case.reference}/take"

        responses = _at_once(app, _taking(first, page, url), _taking(second, page, url))
        statuses = sorted(r.status_code for r in responses)
        outcomes[tuple(statuses)] += 1
        assert statuses == [302, 409], statuses
        db.session.expire_all()
        winner = db.session.scalar(sa.select(Case.mediator_id).where(Case.id == case.id))
        loser = next(r for r in responses if r.status_code == 409)
        assert f"has already been taken by {names[winner]}" in text(loser)
        assert (
            db.session.scalar(
                sa.text(
                    "SELECT count(*) FROM case_events WHERE case_id = :id AND kind = 'assignment'"
                ),
                {"id": case.id},
            )
            == 1
        )
    print(f"both take: {dict(outcomes)}")


def test_two_simultaneous_edits_of_a_notice_answer_one_success_and_one_409(app, db, world):
    client = app.test_client()
    headers = {**bearer(token_for(client, world.funder)), "If-Match": '"1"'}
    outcomes = Counter()
    for n in range(PAIRS):
        notice = make_notice(world, title=f"Racing edits {n}")
        url = f"/api/v1/notices/{notice.id}"
        bodies = [{"title": f"First {n}"}, {"title": f"Second {n}", "amount_before": 9000}]
        responses = _at_once(
            app, *(lambda b=b, u=url: client.patch(u, json=b, headers=headers) for b in bodies)
        )
        statuses = sorted(r.status_code for r in responses)
        outcomes[tuple(statuses)] += 1
        assert statuses == [200, 409], [r.get_data(as_text=True) for r in responses]
        winner = next(r for r in responses if r.status_code == 200)
        loser = next(r for r in responses if r.status_code == 409)
        assert loser.content_type == "application/problem+json"
        assert loser.json["current_version"] == 2
        db.session.expire_all()
        stored = db.session.get(Notice, notice.id)
        # The winner's change whole, none of the loser's, and one history entry.
        assert (stored.title, stored.version) == (winner.json["title"], 2)
        assert stored.amount_before == winner.json["amount_before"]
        assert len(stored.events) == 1
    print(f"notice edits: {dict(outcomes)}")


def test_two_officers_adding_the_same_organisation_at_once_add_it_once(app, db, world):
    first, second = _browser(app, world.officer), _browser(app, world.officer)
    outcomes = Counter()
    for n in range(PAIRS):
        data = {
            "organisation-name": f"Lunch Club {n}",
            "organisation-type": "community_group",
            "organisation-compact": str(world.bir.id),
        }
        tokens = [csrf_token(b.get("/cases/new").get_data(as_text=True)) for b in (first, second)]
        responses = _at_once(
            app,
            *(
                lambda b=b, t=t, data=data: b.client.post(
                    "/organisations/new", data={"csrf_token": t, **data}, buffered=True
                )
                for b, t in zip((first, second), tokens, strict=True)
            ),
        )
        statuses = sorted(r.status_code for r in responses)
        outcomes[tuple(statuses)] += 1
        assert statuses == [200, 422], statuses
        loser = next(r for r in responses if r.status_code == 422)
        assert f"Lunch Club {n} is already listed" in loser.get_data(as_text=True)
        count = sa.select(sa.func.count(Organisation.id)).filter_by(name=f"Lunch Club {n}")
        assert db.session.scalar(count) == 1
    print(f"organisation adds: {dict(outcomes)}")
