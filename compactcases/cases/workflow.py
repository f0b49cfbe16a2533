"""Moving a case through the dispute workflow: which events it may take now and who may fire
them, firing one (the domain works out what changes, this applies it), and the outcome it
closes with."""

from __future__ import annotations

from datetime import date

from workflows import dispute
from workflows.dispute import LEVEL_OF_STATE, Event
from workflows.letters import step_acknowledges
from workflows.outcomes import Level
from workflows.webhooks import WebhookEventType

from .. import policy
from ..history import changing, record_event
from ..models import Case, CaseEventKind, Outcome, OutcomeKind, User
from ..reminders import moves
from ..reminders.planning import replan_case
from ..webhooks import outbox
from .acknowledgement import write_acknowledgement
from .deadlines import apply_deadline_changes, refresh_due_dates


def snapshot(case: Case) -> dispute.CaseSnapshot:
    """What the workflow needs to know of the case, as plain values."""
    pause = case.open_pause
    return dispute.CaseSnapshot(
        state=case.state,
        previous_state=case.previous_state,
        closed_on=case.closed_on,
        raised_on=case.raised_on,
        escalated_on=case.escalated_on,
        has_outcome=case.outcome is not None,
        paused_since=pause.started_on if pause is not None else None,
    )


def allowed_events(case: Case, today: date) -> tuple[Event, ...]:
    """The events the workflow allows on the case now, whoever asks."""
    return dispute.allowed_events(snapshot(case), today)


def events_for(user: User, case: Case, today: date) -> tuple[Event, ...]:
    """The events `user` may fire on the case now: allowed by the workflow and by their role.
    Pages offer these as buttons and the API lists them as `allowed_events`."""
    return tuple(e for e in allowed_events(case, today) if policy.may_fire(user, e, case))


def role_refusal(user: User, case: Case, event: str, today: date) -> str | None:
    """Why `user`'s role may not fire `event` although the workflow would allow it now, or
    None. (An event the workflow refuses is answered by the workflow's own message.) The parties
    never move a case, whatever its state: they respond on it instead."""
    if user.role in policy.PARTY_ROLES:
        return (
            "The parties to a case cannot move it through the workflow: add a response for the "
            "Compact officer instead."
        )
    if event in {e.value for e in allowed_events(case, today)} and not policy.may_fire(
        user, event, case
    ):
        return (
            f"Your role cannot “{Event(event).label}” while the case is {case.state.label.lower()}."
        )
    return None


def refusal(case: Case, event: str, today: date) -> dispute.TransitionRefused | None:
    """Why `event` may not happen on the case now, or None if it may."""
    return dispute.refusal(snapshot(case), event, today)


def level_reached(case: Case) -> Level:
    """The level an open case has reached: what a resolution records by default."""
    return LEVEL_OF_STATE[case.state]


def fire_event(
    case: Case,
    event: str,
    request: dispute.EventRequest,
    actor: User | None,
) -> dispute.TransitionResult:
    """Move the case by `event`, or raise `TransitionRefused` having changed nothing.

    `workflows.dispute.fire` says everything the step changes; this writes it, with the
    timeline entry and the reminders re-planned, in one unit of work. Closing a case writes
    its outcome (in full for `resolve`, the reason and level for `withdraw`) and ends an open
    clock stop; a step that takes a never-acknowledged raised case forward records the
    acknowledgement first, as its own timeline entry; reopening removes the outcome, which
    the timeline entry keeps in words.
    """
    result = dispute.fire(snapshot(case), event, request)
    with changing(case):
        changes = None
        case.state = result.to_state
        case.previous_state = result.previous_state
        case.closed_on = result.closed_on
        case.escalated_on = result.escalated_on
        case.working_days_to_close = result.working_days_to_close
        if result.closing is not None:
            case.outcome = _closing_outcome(result.closing, actor)
        if result.remove_outcome and case.outcome is not None:
            changes = {"outcome": [describe_outcome(case.outcome), None]}
            case.outcome = None
        if result.pause_ends_on is not None and case.open_pause is not None:
            case.open_pause.ended_on = result.pause_ends_on
        if step_acknowledges(result.event, result.from_state):
            # A dispute taken forward unacknowledged is acknowledged by that step, in so many
            # words on the timeline, not silently by the deadline closing.
            refresh_due_dates(case, request.today)
            write_acknowledgement(case, request.today, actor, with_step=result.event)
        apply_deadline_changes(case, result.deadlines, request.today)
        entry = record_event(
            case,
            CaseEventKind.TRANSITION,
            actor,
            event=result.event.value,
            from_state=result.from_state,
            to_state=result.to_state,
            reason=result.reason,
            changes=changes,
        )
        replan_case(case, request.today)
        _announce(case, result)
        moves.plan_updates(case, entry)
    return result


def _announce(case: Case, result: dispute.TransitionResult) -> None:
    """Webhooks: the move, and the outcome when a resolution recorded one."""
    moved = {
        "event": result.event.value,
        "from_state": result.from_state.value,
        "to_state": result.to_state.value,
    }
    outbox.announce(WebhookEventType.CASE_STATE_CHANGED, case, change=moved)
    if result.closing is not None and result.closing.outcome is not None:
        outcome = result.closing.outcome
        recorded = {
            "outcome": {
                "level": outcome.level.value,
                "outcome_type": outcome.outcome_type.value,
                "breach_found": outcome.breach_found.value,
                "funding_protected": outcome.funding_protected,
                "jobs_safeguarded": outcome.jobs_safeguarded,
                "notice_days_gained": outcome.notice_days_gained,
                "service_users_affected": outcome.service_users_affected,
            }
        }
        outbox.announce(WebhookEventType.CASE_OUTCOME_RECORDED, case, change=recorded)


def _closing_outcome(closing: dispute.Closing, actor: User | None) -> Outcome:
    if closing.outcome is None:
        return Outcome(
            kind=OutcomeKind.WITHDRAWN,
            level=closing.level,
            withdrawal_reason=closing.withdrawal_reason,
            recorded_by=actor,
        )
    record = closing.outcome
    return Outcome(
        kind=OutcomeKind.RESOLVED,
        level=record.level,
        outcome_type=record.outcome_type,
        breach_found=record.breach_found,
        funding_protected=record.funding_protected,
        jobs_safeguarded=record.jobs_safeguarded,
        notice_days_gained=record.notice_days_gained,
        service_users_affected=record.service_users_affected,
        agreed_actions=record.agreed_actions,
        learning=record.learning,
        learning_shareable=record.learning_shareable,
        recorded_by=actor,
    )


def describe_outcome(outcome: Outcome) -> str:
    """An outcome in one line, as the timeline keeps it once the row is gone."""
    if outcome.kind is OutcomeKind.WITHDRAWN:
        return f"Withdrawn at {outcome.level.label.lower()}: {outcome.withdrawal_reason}"
    parts = [f"{outcome.outcome_type.label} at {outcome.level.label.lower()}"]
    parts.append(f"breach found: {outcome.breach_found.label.lower()}")
    if outcome.funding_protected is not None:
        parts.append(f"£{outcome.funding_protected:,} protected")
    if outcome.jobs_safeguarded is not None:
        parts.append(f"{outcome.jobs_safeguarded} jobs safeguarded")
    if outcome.notice_days_gained is not None:
        parts.append(f"{outcome.notice_days_gained} days of notice gained")
    if outcome.service_users_affected is not None:
        parts.append(f"{outcome.service_users_affected} service users affected")
    return "; ".join(parts)
