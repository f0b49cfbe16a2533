"""Meeting and backdated-note rules, with explicit calendar cases."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from workflows.meetings import (
    ActionPlan,
    MeetingPlan,
    action_deadline_span,
    call_date_error,
    link_error,
    plan_errors,
    record_errors,
)

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _plan(**changes) -> MeetingPlan:
    values = dict(
        starts_at=datetime(2026, 12, 8, 10, 0, tzinfo=UTC),
        ends_at=datetime(2026, 12, 8, 11, 30, tzinfo=UTC),
        place="Council House, Birmingham",
        link="",
        agenda="The notice period",
        invited=2,
    )
    values.update(changes)
    return MeetingPlan(**values)


def test_a_meeting_next_week_with_a_place_and_people_may_be_scheduled():
    assert plan_errors(_plan(), NOW) == {}


def test_a_meeting_in_the_past_is_refused():
    past = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
    errors = plan_errors(_plan(starts_at=past, ends_at=past + timedelta(hours=1)), NOW)
    assert errors == {"starts_on": "The meeting must start in the future"}


def test_a_meeting_starting_this_very_minute_is_refused():
    assert "starts_on" in plan_errors(_plan(starts_at=NOW, ends_at=NOW + timedelta(hours=1)), NOW)


def test_a_meeting_ending_before_it_starts_is_refused():
    errors = plan_errors(_plan(ends_at=datetime(2026, 12, 8, 9, 30, tzinfo=UTC)), NOW)
    assert errors == {"ends_at": "The meeting must end after it starts"}


def test_a_meeting_ending_as_it_starts_is_refused():
    errors = plan_errors(_plan(ends_at=datetime(2026, 12, 8, 10, 0, tzinfo=UTC)), NOW)
    assert "ends_at" in errors


def test_a_meeting_without_anyone_invited_is_refused():
    assert plan_errors(_plan(invited=0), NOW) == {
        "attendees": "Choose at least one person to invite, or enter a name"
    }


def test_a_meeting_needs_a_place_or_a_link():
    assert "place" in plan_errors(_plan(place="", link=""), NOW)
    assert plan_errors(_plan(place="", link="https://meet.example.org/bir-7"), NOW) == {}


@pytest.mark.parametrize(
    "link",
    [
        "meet.example.org/bir",
        "javascript:alert(1)",
        "ftp://example.org/x",
        "https://",
        "https://exa mple.org/x",
        "https://user:secret@example.org/x",
    ],
)
def test_a_bad_link_is_refused(link):
    assert link_error(link) is not None
    assert "link" in plan_errors(_plan(link=link), NOW)


def test_recording_a_meeting_that_has_not_started_is_refused():
    later = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    assert record_errors(later, NOW, [], date(2026, 12, 1)) == {
        "note": "This meeting has not happened yet: record it after it starts"
    }


def test_an_action_due_yesterday_is_refused_and_one_due_today_is_not():
    held = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
    actions = [
        ActionPlan("Send the revised notice", "Birmingham City Council", date(2026, 11, 30)),
        ActionPlan("Share the impact assessment", "", date(2026, 12, 1)),
    ]
    assert record_errors(held, NOW, actions, date(2026, 12, 1)) == {
        "action_1_due_on": "Action 1 cannot be due in the past: choose today or later"
    }


@pytest.mark.parametrize(
    ("day", "refused"),
    [
        (date(2026, 12, 1), False),  # today
        (date(2026, 11, 20), False),  # the day of an earlier call
        (date(2026, 10, 5), False),  # the day the case was raised
        (date(2026, 12, 2), True),  # tomorrow
        (date(2026, 10, 4), True),  # the day before the case was raised
    ],
)
def test_a_note_may_be_dated_from_the_day_raised_to_today(day, refused):
    error = call_date_error(day, raised_on=date(2026, 10, 5), today=date(2026, 12, 1))
    assert (error is not None) is refused


def test_an_action_due_today_runs_one_day_and_one_due_later_counts_from_today():
    assert action_deadline_span(date(2026, 12, 1), date(2026, 12, 1)) == (date(2026, 11, 30), 1)
    assert action_deadline_span(date(2026, 12, 15), date(2026, 12, 1)) == (date(2026, 12, 1), 14)
