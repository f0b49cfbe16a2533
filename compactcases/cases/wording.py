"""A case's timeline and workflow steps in plain sentences, as an officer would write them:
what happened, not the machine's states and field names. Reminders sent for one deadline fold
into one line, naming each person once."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from workflows.deadlines import DeadlineKind
from workflows.dispute import Event, State

from ..models import CaseEventKind
from .services import EDITABLE_FIELDS, TimelineEntry

# What a step did, as the timeline's heading and the page's confirmation say it.
STEP_DONE = {
    Event.START_CONCILIATION: "Local conciliation started",
    Event.ESCALATE: "Escalated to regional mediation",
    Event.RESOLVE: "Resolved",
    Event.WITHDRAW: "Withdrawn",
    Event.REOPEN: "Reopened",
}

# Where a case stands, as the parties following it read it.
STATE_WORDS = {
    State.RAISED: "The dispute has been raised with the Compact officer.",
    State.LOCAL_CONCILIATION: (
        "The Compact officer is working with both sides to settle the dispute locally."
    ),
    State.REGIONAL_MEDIATION: (
        "The region's mediators are working with both sides to settle the dispute."
    ),
    State.RESOLVED: "The dispute has been resolved and the case is closed.",
    State.WITHDRAWN: "The dispute was withdrawn and the case is closed.",
}


def state_in_words(state: State) -> str:
    """Where a case in `state` stands, in a sentence."""
    return STATE_WORDS[state]


# The people a case names, by the field that holds them.
PEOPLE = {"mediator_id": "regional mediator", "officer_id": "Compact officer"}

_DEADLINE_LABELS = {kind.value: kind.label for kind in DeadlineKind}
_REMINDER = re.compile(r"^(?P<deadline>.+?), due (?P<due>[^.]+)\. Sent to (?P<to>.+?)\.?$")
_RECIPIENT = re.compile(r"(?P<name>.+?) \((?P<channels>[^()]+)\)(?:, |$)")


def sentence(text: str) -> str:
    """`text` as a sentence: a capital first letter and one full stop, never two."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def step_done(event: Event, reference: str, to_state: State) -> str:
    """The confirmation after a workflow step, e.g. "BIR-2026-0007: local conciliation
    started"."""
    done = STEP_DONE[event]
    if event is Event.REOPEN:
        done = f"{done}, back in {to_state.label.lower()}"
    return f"{reference}: {done[0].lower()}{done[1:]}"


def _quoted(name: str, value: str | None) -> str:
    # Free text is quoted so its own punctuation cannot run into the sentence's.
    return f"“{value}”" if name in ("title", "summary") else str(value)


def _change(name: str, old: str | None, new: str | None) -> str:
    """One change as a sentence."""
    if name in PEOPLE:
        role = PEOPLE[name]
        if old is None:
            return f"{new} became the {role}."
        if new is None:
            return f"{old} is no longer the {role}."
        return f"The {role} changed from {old} to {new}."
    if name in _DEADLINE_LABELS:
        return f"“{_DEADLINE_LABELS[name]}” is now due {new} (it was {old})."
    if name == "document":
        return f"{new} was added." if old is None else f"{old} was removed."
    if name == "document_file":
        return f"The file of {old} was erased; the record that it was on the case stays."
    if name == "outcome":
        return sentence(f"The outcome recorded before was: {old}") if old else ""
    label = EDITABLE_FIELDS.get(name, name.replace("_", " ").capitalize())
    if old is None:
        return f"{label} set to {_quoted(name, new)}."
    if new is None:
        return f"{label} removed (it was {_quoted(name, old)})."
    return f"{label} changed from {_quoted(name, old)} to {_quoted(name, new)}."


def _clock(old: str | None, new: str | None) -> str:
    if old is None:
        return sentence(f"The clock {new}: deadlines move on by each day it stays stopped")
    return sentence(f"The clock is running again; it had {old}")


def _transition(entry: TimelineEntry) -> str:
    event = Event(entry.event) if entry.event in Event._value2member_map_ else None
    to_state, from_state = entry.to_state, entry.from_state
    if event is Event.ESCALATE and from_state is not None:
        return f"The case went from {from_state.label.lower()} to regional mediation."
    if event in (Event.RESOLVE, Event.WITHDRAW) and from_state is not None:
        if from_state is State.RAISED:
            return f"{STEP_DONE[event]} before local conciliation began."
        return f"{STEP_DONE[event]} during {from_state.label.lower()}."
    if event is Event.REOPEN and to_state is not None:
        return f"The case is open again, in {to_state.label.lower()}."
    return ""


@dataclass(frozen=True)
class EntryText:
    """A timeline entry as the page shows it: a heading, sentences, and who and when."""

    title: str
    sentences: list[str]
    actor_name: str | None
    occurred_at: datetime
    private: bool = False
    kind: str = ""


def describe(entry: TimelineEntry) -> EntryText:
    """One timeline entry in words."""
    title = entry.kind.label
    lines: list[str] = []
    if entry.kind is CaseEventKind.TRANSITION and entry.event in Event._value2member_map_:
        title = STEP_DONE[Event(entry.event)]
        lines.append(_transition(entry))
    for name, (old, new) in (entry.changes or {}).items():
        lines.append(_clock(old, new) if name == "clock" else _change(name, old, new))
    if entry.reason:
        lines.append(sentence(entry.reason))
    return EntryText(
        title=title,
        sentences=[line for line in lines if line],
        actor_name=entry.actor_name,
        occurred_at=entry.occurred_at,
        private=entry.private,
        kind=entry.kind.value,
    )


@dataclass
class _Reminders:
    deadline: str
    due: str
    latest: datetime
    times: int = 0
    channels: dict[str, list[str]] = field(default_factory=dict)

    def add(self, recipients: str) -> None:
        self.times += 1
        for match in _RECIPIENT.finditer(recipients):
            channels = self.channels.setdefault(match["name"], [])
            for channel in re.split(r",\s*| and ", match["channels"]):
                if channel and channel not in channels:
                    channels.append(channel)

    def text(self) -> EntryText:
        people = [f"{name} ({' and '.join(channels)})" for name, channels in self.channels.items()]
        to = people[0] if len(people) == 1 else ", ".join(people[:-1]) + " and " + people[-1]
        times = "once" if self.times == 1 else "twice" if self.times == 2 else f"{self.times} times"
        return EntryText(
            title=f"Reminders: {self.deadline}",
            sentences=[f"Due {self.due}. Sent {times} to {to}."],
            actor_name=None,
            occurred_at=self.latest,
            kind=CaseEventKind.REMINDER.value,
        )


def describe_page(entries: list[TimelineEntry]) -> list[EntryText]:
    """A page of the timeline in words, newest first, the reminders sent for each deadline
    folded into one line where the latest of them was sent."""
    shown: list[EntryText | _Reminders] = []
    folded: dict[str, _Reminders] = {}
    for entry in entries:
        match = (
            _REMINDER.match(entry.reason or "") if entry.kind is CaseEventKind.REMINDER else None
        )
        if match is None:
            shown.append(describe(entry))
            continue
        group = folded.get(match["deadline"])
        if group is None:
            group = folded[match["deadline"]] = _Reminders(
                match["deadline"], match["due"], entry.occurred_at
            )
            shown.append(group)
        group.add(match["to"])
    return [item.text() if isinstance(item, _Reminders) else item for item in shown]
