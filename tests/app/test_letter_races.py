"""Two people recording the same acknowledgement, or uploading a Compact's template, at the
same moment on PostgreSQL: the acknowledgement (and its letter) is recorded once, the other
request is told why (409), never a 500; a Compact keeps one template per letter."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date

import pytest
import sqlalchemy as sa

from compactcases.models import CaseEvent, CaseEventKind, Document, LetterTemplate
from tests.app.test_letters import a_docx
from tests.app.test_races import _at_once, _browser, _today
from tests.conftest import ON_POSTGRES, csrf_token

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="racing writers need PostgreSQL")

PAIRS = 20


def _count(db, model, **where) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).filter_by(**where))


def _acknowledge(browser, reference: str, data: dict):
    url = f"/cases/{reference}/acknowledgement"
    token = csrf_token(browser.get(url).get_data(as_text=True))
    return lambda: browser.client.post(url, data={"csrf_token": token, **data}, buffered=True)


def test_a_double_click_on_record_acknowledgement_records_it_and_its_letter_once(
    app, db, world, make_case
):
    first, second = _browser(app, world.officer), _browser(app, world.officer)
    outcomes = Counter()
    for n in range(PAIRS):
        case = make_case(title=f"Double acknowledgement {n}", raised_on=date(2026, 10, 5))
        data = {"acknowledged_on": _today(), "letter": "y"}
        responses = _at_once(
            app,
            _acknowledge(first, case.reference, data),
            _acknowledge(second, case.reference, data),
        )
        statuses = tuple(sorted(r.status_code for r in responses))
        outcomes[statuses] += 1
        assert statuses == (302, 409), statuses
        kind = CaseEventKind.ACKNOWLEDGEMENT
        assert _count(db, CaseEvent, case_id=case.id, kind=kind) == 1
        assert _count(db, CaseEvent, case_id=case.id, kind=CaseEventKind.LETTER) == 1
        assert _count(db, Document, case_id=case.id) == 1
    print(f"double acknowledgement: {dict(outcomes)}")


def test_acknowledging_while_another_starts_conciliation_records_one_acknowledgement(
    app, db, world, make_case
):
    acknowledging, starting = _browser(app, world.officer), _browser(app, world.officer)
    outcomes = Counter()
    for n in range(PAIRS):
        case = make_case(title=f"Acknowledge and start {n}", raised_on=date(2026, 10, 5))
        page = f"/cases/{case.reference}"
        token = csrf_token(
            starting.get(page).get_data(as_text=True), "start_conciliation-csrf_token"
        )
        start = lambda url=f"{page}/events/start_conciliation", token=token: (  # noqa: E731
            starting.client.post(url, data={"start_conciliation-csrf_token": token}, buffered=True)
        )
        responses = _at_once(
            app, _acknowledge(acknowledging, case.reference, {"acknowledged_on": _today()}), start
        )
        statuses = tuple(r.status_code for r in responses)
        outcomes[statuses] += 1
        assert 500 not in statuses
        kind = CaseEventKind.ACKNOWLEDGEMENT
        assert _count(db, CaseEvent, case_id=case.id, kind=kind) == 1
    print(f"acknowledge v start: {dict(outcomes)}")


def test_two_uploads_of_one_compacts_template_leave_one(app, db, world):
    first, second = _browser(app, world.admin), _browser(app, world.admin)
    compact_id = str(world.bir.id)
    for n in range(PAIRS):

        def upload(browser, text: str, n: int = n):
            token = csrf_token(browser.get("/admin/letter-templates").get_data(as_text=True))
            return lambda: browser.client.post(
                "/admin/letter-templates",
                data={
                    "csrf_token": token,
                    "compact": compact_id,
                    "kind": "outcome",
                    "file": (io.BytesIO(a_docx(text)), f"{n}.docx"),
                },
                buffered=True,
            )

        responses = _at_once(
            app, upload(first, "{{ reference }} one"), upload(second, "{{ reference }} two")
        )
        assert [r.status_code for r in responses] == [302, 302]
        assert _count(db, LetterTemplate) == 1
