"""Whose move it is on a case, in a sentence, with explicit calendar cases."""

from __future__ import annotations

from datetime import date

from workflows.deadlines import DeadlineKind
from workflows.dispute import State
from workflows.next_move import Mover, OpenDeadline, next_move

TODAY = date(2026, 11, 2)
ACK = OpenDeadline(DeadlineKind.ACKNOWLEDGE, date(2026, 12, 3))
ACTION = OpenDeadline(
    DeadlineKind.MEETING_ACTION, date(2026, 11, 30), "Andrew Collins", Mover.FUNDER
)


def test_the_earliest_open_deadline_and_who_is_to_meet_it():
    move = next_move(State.RAISED, [ACK], today=TODAY)
    assert move.sentence == "The Compact officer is to acknowledge the dispute by 3 December 2026."
    assert move.mover is Mover.OFFICER and move.due_on == date(2026, 12, 3)
    mediation = [OpenDeadline(DeadlineKind.CONCLUDE_MEDIATION, date(2026, 12, 3))]
    move = next_move(State.REGIONAL_MEDIATION, mediation, today=TODAY, mediator_name="Jane Smith")
    assert move.sentence == (
        "The regional mediator (Jane Smith) is to conclude regional mediation by 3 December 2026."
    )
    assert move.mover is Mover.MEDIATOR


def test_an_action_agreed_at_a_meeting_is_its_owners_move():
    move = next_move(State.LOCAL_CONCILIATION, [ACK, ACTION], today=TODAY)
    assert move.sentence == (
        "Andrew Collins is to complete an action agreed at a meeting by 30 November 2026."
    )
    assert move.mover is Mover.FUNDER and move.due_on == date(2026, 11, 30)
    nameless = OpenDeadline(DeadlineKind.MEETING_ACTION, date(2026, 11, 30))
    move = next_move(State.LOCAL_CONCILIATION, [nameless], today=TODAY)
    assert move.sentence.startswith("Someone at the meeting is to complete")
    assert move.mover is Mover.AGREED


def test_the_regions_mediators_agree_in_the_plural():
    mediators = next_move(State.RAISED, [], today=TODAY, regional=True)
    assert mediators.sentence == "The region's mediators are to take the next step."
    move = next_move(State.RAISED, [ACK], today=TODAY, regional=True)
    assert move.sentence == (
        "The region's mediators are to acknowledge the dispute by 3 December 2026."
    )
    late = next_move(State.RAISED, [ACK], today=date(2026, 12, 4), regional=True)
    assert late.sentence == (
        "The region's mediators were to acknowledge the dispute by 3 December 2026: it is overdue."
    )
    stopped = next_move(
        State.RAISED, [ACK], today=TODAY, regional=True, clock_stopped_on=date(2026, 10, 30)
    )
    assert stopped.sentence.endswith("The region's mediators hold the case.")
    one = next_move(State.RAISED, [], today=TODAY, regional=True, mediator_name="Jane Smith")
    assert one.sentence == "The regional mediator (Jane Smith) is to take the next step."


def test_a_deadline_is_overdue_only_once_its_day_has_passed():
    due = date(2026, 11, 4)
    ack = [OpenDeadline(DeadlineKind.ACKNOWLEDGE, due)]
    on_the_day = next_move(State.RAISED, ack, today=due)
    assert on_the_day.sentence == (
        "The Compact officer is to acknowledge the dispute by 4 November 2026."
    )
    day_after = next_move(State.RAISED, ack, today=date(2026, 11, 5))
    assert day_after.sentence == (
        "The Compact officer was to acknowledge the dispute by 4 November 2026: it is overdue."
    )
    assert day_after.due_on == due and day_after.mover is Mover.OFFICER
    action = OpenDeadline(DeadlineKind.MEETING_ACTION, due, "Tom Baker", Mover.THIRD_SECTOR)
    late = next_move(State.LOCAL_CONCILIATION, [action], today=date(2026, 11, 5))
    assert late.sentence == (
        "Tom Baker was to complete an action agreed at a meeting by 4 November 2026: it is overdue."
    )
    # Across the turn of a year.
    new_year = [OpenDeadline(DeadlineKind.CONCLUDE_CONCILIATION, date(2026, 12, 31))]
    assert next_move(State.LOCAL_CONCILIATION, new_year, today=date(2027, 1, 1)).sentence == (
        "The Compact officer was to conclude local conciliation by 31 December 2026: it is overdue."
    )


def test_with_the_clock_stopped_an_agreed_action_still_falls_due():
    stopped_on = date(2026, 10, 30)
    quiet = next_move(State.RAISED, [ACK], today=TODAY, clock_stopped_on=stopped_on)
    assert quiet.sentence == (
        "The clock has been stopped since 30 October 2026: the dispute's deadlines do not run "
        "until it restarts. The Compact officer holds the case."
    )
    assert quiet.mover is Mover.OFFICER and quiet.due_on is None
    later = OpenDeadline(DeadlineKind.MEETING_ACTION, date(2026, 12, 10), "Jane Smith")
    move = next_move(
        State.LOCAL_CONCILIATION, [ACK, later, ACTION], today=TODAY, clock_stopped_on=stopped_on
    )
    assert move.sentence == (
        "The clock has been stopped since 30 October 2026: the dispute's deadlines do not run "
        "until it restarts. The Compact officer holds the case. Andrew Collins is to complete "
        "an action agreed at a meeting by 30 November 2026."
    )
    assert move.mover is Mover.FUNDER and move.due_on == date(2026, 11, 30)
    overdue = next_move(
        State.LOCAL_CONCILIATION, [ACTION], today=date(2026, 12, 1), clock_stopped_on=stopped_on
    )
    assert overdue.sentence.endswith(
        "Andrew Collins was to complete an action agreed at a meeting by 30 November 2026: "
        "it is overdue."
    )


def test_a_closed_case_says_how_it_ended():
    closed = next_move(State.RESOLVED, [ACK], today=TODAY, closed_on=date(2026, 12, 3))
    assert closed.sentence == "This case was resolved on 3 December 2026. It is closed."
    assert closed.mover is Mover.NOBODY
    withdrawn = next_move(State.WITHDRAWN, [], today=TODAY)
    assert withdrawn.sentence == "This case was withdrawn. It is closed."
