"""A change that loses to someone else's, on either database: the person is shown the case as
it now stands, told nothing of theirs was saved, with 409; nothing half-done is kept."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
import time_machine

from compactcases.cases import deadlines as case_deadlines
from compactcases.cases import workflow
from compactcases.history import StaleCase
from compactcases.models import Case, DeadlinePause
from tests.conftest import csrf_token


def _someone_else_saves_first(monkeypatch, db, case_id: int) -> None:
    """Move the case's stored version on in the middle of the next workflow step, before it
    writes the case, as another person's save committing while this request ran would."""
    original = workflow.apply_deadline_changes

    def apply_after_another_save(case, changes, today):
        with db.session.no_autoflush:
            db.session.execute(
                sa.update(Case.__table__)
                .where(Case.__table__.c.id == case_id)
                .values(version=Case.__table__.c.version + 1)
            )
        return original(case, changes, today)

    monkeypatch.setattr(workflow, "apply_deadline_changes", apply_after_another_save)


@time_machine.travel(date(2026, 10, 8), tick=False)
def test_a_workflow_button_pressed_after_someone_else_saved_shows_the_case_with_409(
    browser, make_case, db, monkeypatch
):
    case = make_case(raised_on=date(2026, 10, 5))
    page = browser.get(f"/cases/{case.reference}").get_data(as_text=True)
    token = csrf_token(page, "start_conciliation-csrf_token")
    _someone_else_saves_first(monkeypatch, db, case.id)

    response = browser.post(
        f"/cases/{case.reference}/events/start_conciliation",
        data={"start_conciliation-csrf_token": token},
    )

    assert response.status_code == 409
    text = response.get_data(as_text=True)
    assert "Nothing was changed" in text
    assert f"Someone else changed {case.reference} just now: it is now raised" in text
    db.session.expire_all()
    assert db.session.get(Case, case.id).state.value == "raised"


def test_a_second_open_clock_stop_written_by_another_request_is_refused_as_stale(
    make_case, world, db
):
    case = make_case(raised_on=date(2026, 10, 5))
    assert case.pauses == []  # this request's copy of the case, read before the other's stop
    # Another request stopped the clock a moment ago; this request's copy of the case does not
    # know it, so its own check passes and only the one-open-pause index can refuse it.
    db.session.execute(
        sa.insert(DeadlinePause.__table__).values(
            case_id=case.id, started_on=date(2026, 10, 6), reason="Waiting"
        )
    )
    with pytest.raises(StaleCase) as refused:
        case_deadlines.pause_clock(
            case, date(2026, 10, 6), "Waiting too", world.officer, date(2026, 10, 8)
        )
    assert refused.value.case.reference == case.reference
    open_pauses = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(DeadlinePause)
        .where(DeadlinePause.case_id == case.id, DeadlinePause.ended_on.is_(None))
    )
    # The other request's pause was never committed either (it shared this transaction).
    assert open_pauses == 0
