"""The timeline in plain sentences: what happened, not the workflow engine's states and field
names; reminders folded into one line per deadline, each person named once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from compactcases.cases.services import TimelineEntry
from compactcases.cases.wording import describe, describe_page, sentence, step_done
from compactcases.filters import figure
from compactcases.models import CaseEventKind
from workflows.dispute import Event, State

AT = datetime(2026, 10, 12, 9, 30, tzinfo=UTC)


def entry(kind: CaseEventKind, minutes: int = 0, **values) -> TimelineEntry:
    fields = dict(
        event=None,
        from_state=None,
        to_state=None,
        reason=None,
        changes=None,
        private=False,
        actor_name="Priya Shah",
    )
    fields.update(values)
    return TimelineEntry(kind=kind, occurred_at=AT - timedelta(minutes=minutes), **fields)


def words(item) -> str:
    return " ".join([item.title, *item.sentences])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("waiting for the funder's papers", "Waiting for the funder's papers."),
        ("Waiting for the funder's papers.", "Waiting for the funder's papers."),
        ("Is it settled?", "Is it settled?"),
        ("  ", ""),
    ],
)
def test_a_sentence_ends_with_one_full_stop(text, expected):
    assert sentence(text) == expected


def test_a_step_is_confirmed_in_words():
    assert step_done(Event.START_CONCILIATION, "BIR-2026-0009", State.LOCAL_CONCILIATION) == (
        "BIR-2026-0009: local conciliation started"
    )
    assert step_done(Event.REOPEN, "BIR-2026-0009", State.REGIONAL_MEDIATION) == (
        "BIR-2026-0009: reopened, back in regional mediation"
    )


def test_steps_say_what_happened():
    escalated = entry(
        CaseEventKind.TRANSITION,
        event="escalate",
        from_state=State.LOCAL_CONCILIATION,
        to_state=State.REGIONAL_MEDIATION,
        reason="No agreement within 20 working days.",
    )
    assert words(describe(escalated)) == (
        "Escalated to regional mediation The case went from local conciliation to regional "
        "mediation. No agreement within 20 working days."
    )
    started = entry(
        CaseEventKind.TRANSITION,
        event="start_conciliation",
        from_state=State.RAISED,
        to_state=State.LOCAL_CONCILIATION,
    )
    assert words(describe(started)) == "Local conciliation started"
    resolved = entry(
        CaseEventKind.TRANSITION,
        event="resolve",
        from_state=State.REGIONAL_MEDIATION,
        to_state=State.RESOLVED,
        reason="Funding phased over six months.",
    )
    assert describe(resolved).sentences == [
        "Resolved during regional mediation.",
        "Funding phased over six months.",
    ]
    withdrawn = entry(
        CaseEventKind.TRANSITION,
        event="withdraw",
        from_state=State.RAISED,
        to_state=State.WITHDRAWN,
        reason="the organisation settled with the council",
    )
    assert words(describe(withdrawn)) == (
        "Withdrawn Withdrawn before local conciliation began. The organisation settled with "
        "the council."
    )


def test_no_engine_words_for_people_clocks_and_deadlines():
    taken = entry(CaseEventKind.ASSIGNMENT, changes={"mediator_id": [None, "Margaret O'Neill"]})
    assert words(describe(taken)) == (
        "Case assigned Margaret O'Neill became the regional mediator."
    )
    moved = entry(
        CaseEventKind.ASSIGNMENT, changes={"mediator_id": ["Margaret O'Neill", "Joan Fisher"]}
    )
    assert "The regional mediator changed from Margaret O'Neill to Joan Fisher." in words(
        describe(moved)
    )
    stopped = entry(
        CaseEventKind.PAUSE,
        reason="Waiting for the funder's papers.",
        changes={"clock": [None, "stopped from 7 October 2026"]},
    )
    assert describe(stopped).sentences == [
        "The clock stopped from 7 October 2026: deadlines move on by each day it stays stopped.",
        "Waiting for the funder's papers.",
    ]
    restarted = entry(
        CaseEventKind.RESUME,
        changes={
            "clock": ["stopped from 7 October 2026", "running"],
            "acknowledge": ["12 October 2026", "14 October 2026"],
        },
    )
    assert describe(restarted).sentences == [
        "The clock is running again; it had stopped from 7 October 2026.",
        "“Acknowledge the dispute” is now due 14 October 2026 (it was 12 October 2026).",
    ]
    for item in (taken, moved, stopped, restarted):
        text = words(describe(item))
        assert "none" not in text and "→" not in text and ".." not in text


def test_an_edit_names_each_change():
    edited = entry(
        CaseEventKind.EDIT,
        changes={
            "title": ["Grant cut", "Grant cut with six weeks' notice"],
            "amount_at_stake": [None, "£18,000"],
            "raised_on": ["2026-10-05", None],
        },
    )
    assert describe(edited).sentences == [
        "Title changed from “Grant cut” to “Grant cut with six weeks' notice”.",
        "Money at stake set to £18,000.",
        "Date raised removed (it was 2026-10-05).",
    ]


def test_reminders_fold_into_one_line_per_deadline_naming_each_person_once():
    page = [
        entry(CaseEventKind.NOTE, 0, reason="Called the council"),
        entry(
            CaseEventKind.REMINDER,
            10,
            actor_name=None,
            reason="Conclude regional mediation, due 30 October 2026. "
            "Sent to Priya Shah (e-mail and in-app), Margaret O'Neill (e-mail).",
        ),
        entry(
            CaseEventKind.REMINDER,
            20,
            actor_name=None,
            reason="Acknowledge the dispute, due 12 October 2026. Sent to Priya Shah (e-mail).",
        ),
        # Written before reminders named each person once: one item per channel.
        entry(
            CaseEventKind.REMINDER,
            30,
            actor_name=None,
            reason="Conclude regional mediation, due 30 October 2026. "
            "Sent to Priya Shah (e-mail), Priya Shah (in-app), Margaret O'Neill (in-app).",
        ),
        entry(CaseEventKind.CREATED, 40),
    ]
    shown = describe_page(page)
    assert [item.title for item in shown] == [
        "Note",
        "Reminders: Conclude regional mediation",
        "Reminders: Acknowledge the dispute",
        "Case logged",
    ]
    assert shown[1].sentences == [
        "Due 30 October 2026. Sent twice to Priya Shah (e-mail and in-app) and "
        "Margaret O'Neill (e-mail and in-app)."
    ]
    assert shown[1].occurred_at == AT - timedelta(minutes=10)
    assert shown[2].sentences == ["Due 12 October 2026. Sent once to Priya Shah (e-mail)."]


@pytest.mark.parametrize(
    ("value", "shown"),
    [(13.0, "13"), (13.5, "13.5"), (13, "13"), (1234567.0, "1,234,567"), (45.06, "45.1")],
)
def test_a_figure_has_no_decimal_point_when_whole(value, shown):
    assert figure(value) == shown
