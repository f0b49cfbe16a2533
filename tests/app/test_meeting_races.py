"""Two people rescheduling the same meeting at the same moment, on PostgreSQL: one change is
saved, the other is refused as stale (409) and never overwrites it; the invitations planned are
those of the change that won, once each."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
import sqlalchemy as sa

from compactcases.localtime import LONDON
from compactcases.meetings import services as meetings
from compactcases.models import Meeting, MeetingMessage, utcnow
from tests.app.test_races import _at_once, _browser
from tests.conftest import ON_POSTGRES, csrf_token

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="racing writers need PostgreSQL")

PAIRS = 20


def _form(day, place: str, world) -> dict:
    return {
        "starts_on": [str(day.day), str(day.month), str(day.year)],
        "start_time": "10:00",
        "end_time": "11:00",
        "place": place,
        "attendees": [str(world.officer.id), str(world.funder.id)],
        "version": "1",
    }


def test_two_reschedules_at_once_save_one_and_refuse_the_other(app, db, world, make_case):
    first, second = _browser(app, world.officer), _browser(app, world.officer)
    outcomes = Counter()
    day = (utcnow() + timedelta(days=14)).astimezone(LONDON).date()
    for n in range(PAIRS):
        case = make_case(title=f"Reschedule race {n}")
        starts = utcnow() + timedelta(days=7)
        meeting = meetings.schedule_meeting(
            case,
            meetings.MeetingDraft(
                starts,
                starts + timedelta(hours=1),
                "Council House",
                "",
                "",
                (world.officer.id,),
                (),
            ),
            world.officer,
            utcnow(),
        )
        page = f"/cases/{case.reference}/meetings/{meeting.id}/edit"

        def post(browser, place, page=page):
            token = csrf_token(browser.get(page).get_data(as_text=True))
            data = {**_form(day, place, world), "csrf_token": token}
            return lambda: browser.client.post(page, data=data, buffered=True)

        responses = _at_once(app, post(first, "Room A"), post(second, "Room B"))
        statuses = sorted(r.status_code for r in responses)
        outcomes[tuple(statuses)] += 1
        assert statuses == [302, 409], statuses
        winner = "Room A" if responses[0].status_code == 302 else "Room B"
        db.session.expire_all()
        saved = db.session.get(Meeting, meeting.id)
        assert (saved.place, saved.sequence, saved.version) == (winner, 1, 2)
        planned = db.session.scalars(
            sa.select(MeetingMessage.sequence).where(
                MeetingMessage.meeting_id == meeting.id, MeetingMessage.sequence == 1
            )
        ).all()
        assert planned == [1, 1]  # the officer and the funder, once each
        loser = responses[1] if winner == "Room A" else responses[0]
        assert "Someone else changed this meeting first" in loser.get_data(as_text=True)
    print(f"reschedule race: {dict(outcomes)}")
